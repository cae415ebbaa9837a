"""Activations as mpmath callables: σ, σ', and the points where either one is not analytic.

The mpmath view of the one table (derive/activations.py): `from_table` lambdifies a table entry's σ and
σ' to mpmath, with precise overrides where the lambdified form loses digits or type (relu, tanh' = sech²).

The quadrature fallback cuts its domain at `kinks`, so each piece it hands to Gauss–Legendre is
analytic and converges to full precision. An activation with an undeclared kink makes the
quadrature stall, and it raises instead of returning a low-accuracy number.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Mapping

import mpmath
import sympy as sp

from derive import activations as table

WHICH = ("f", "df")  # the two functions of an activation a kernel may pair: σ and σ'

_ZERO = mpmath.mpf(0)
_ONE = mpmath.mpf(1)


@dataclass(frozen=True)
class Activation:
    """σ with its derivative σ', both mpmath callables evaluated at the working precision.

    kinks: exact points (ints or decimal strings) where σ or σ' is not analytic, e.g. relu → (0,).
    odd: σ is odd, so σ' is even, and E[σ(a)σ'(b)] = 0 for every symmetric law of (a, b).
    integral: an antiderivative of σ (None if not known): the uniform law's quadrature integrates σ along
    a chord of the square in closed form with it (σ' has σ itself).
    """

    name: str
    f: Callable[[mpmath.mpf], mpmath.mpf]
    df: Callable[[mpmath.mpf], mpmath.mpf]
    kinks: tuple[int | str, ...] = ()
    odd: bool = False
    integral: Callable[[mpmath.mpf], mpmath.mpf] | None = None

    def part(self, which: str) -> Callable[[mpmath.mpf], mpmath.mpf]:
        """σ for which="f", σ' for which="df"."""
        return {"f": self.f, "df": self.df}[check_which("which", which)]

    def antiderivative(self, which: str) -> Callable[[mpmath.mpf], mpmath.mpf] | None:
        """A function whose derivative is part(which): σ for which="df", `integral` (or None) for "f"."""
        return {"f": self.integral, "df": self.f}[check_which("which", which)]


def check_which(argument: str, which: object) -> str:
    if which not in WHICH:
        raise ValueError(
            f"{argument}={which!r} is not a part of an activation; choose 'f' (σ) or 'df' (σ')"
        )
    return which  # type: ignore[return-value]


def _relu(t):
    return t if t > 0 else _ZERO


def _relu_df(t):
    # σ'(0) := 0, as in verify.models (jax.nn.relu's gradient); {0} is a null set for both laws.
    return _ONE if t > 0 else _ZERO


def _erf_df(t):
    return 2 * mpmath.exp(-t * t) / mpmath.sqrt(mpmath.pi)


def _tanh_df(t):
    return mpmath.sech(t) ** 2  # = 1 − tanh², without the cancellation for large |t|


def _erf_integral(t):
    return t * mpmath.erf(t) + mpmath.exp(-t * t) / mpmath.sqrt(mpmath.pi)


# ∫σ of the built-in names, written where they stay accurate (log cosh, not t − log(1 + tanh t))
_INTEGRALS: Mapping[str, Callable] = MappingProxyType({
    "tanh": lambda t: mpmath.log(mpmath.cosh(t)),
    "erf": _erf_integral,
    "relu": lambda t: t * t / 2 if t > 0 else _ZERO,
    "sin": lambda t: -mpmath.cos(t),
    "identity": lambda t: t * t / 2,
})

# σ, σ' where the lambdified SymPy form is less precise or returns a Python int
_OVERRIDES: Mapping[str, tuple[Callable, Callable]] = MappingProxyType({
    "tanh": (mpmath.tanh, _tanh_df),
    "erf": (mpmath.erf, _erf_df),
    "relu": (_relu, _relu_df),
    "sin": (mpmath.sin, mpmath.cos),
    "identity": (lambda t: t, lambda t: _ONE),
})


def _kink(point) -> int | str:
    """An exact kink of the table as an int or a 60-digit decimal string (what Activation.kinks holds)."""
    point = sp.nsimplify(point)
    return int(point) if point.is_integer else sp.N(point, 60).__str__()


def _lambdified(expr: sp.Expr) -> Callable[[mpmath.mpf], mpmath.mpf]:
    fn = sp.lambdify(table.T, expr, modules="mpmath")
    return lambda t: mpmath.mpf(fn(t))


@functools.lru_cache(maxsize=None)
def from_table(spec: table.Activation) -> Activation:
    """The mpmath view of a table entry (derive.activations.Activation): σ, σ' lambdified at the working
    precision (or the overrides above for the built-in names), the kinks, odd."""
    builtin = table.TABLE.get(spec.name) == spec
    f, df = _OVERRIDES.get(spec.name, (None, None)) if builtin else (None, None)
    return Activation(spec.name, f or _lambdified(spec.expr), df or _lambdified(spec.derivative),
                      tuple(_kink(k) for k in spec.kinks), spec.odd, _INTEGRALS.get(spec.name) if builtin else None)


ACTIVATIONS: Mapping[str, Activation] = MappingProxyType(
    {name: from_table(table.TABLE[name]) for name in ("tanh", "erf", "relu", "sin", "identity")}
)
"""The five activations with closed-form overrides in numeric/_closed_forms.py (the LeCun-feature kernels);
`activation` gives every other entry of the table as well."""


def activation(name) -> Activation:
    """The activation called `name` (a name of the table derive.activations.TABLE, or
    "leaky_relu(a₋,a₊)"), a table entry or SymPy expression in t, as mpmath callables; an `Activation`
    instance is returned unchanged."""
    if isinstance(name, Activation):
        return name
    if isinstance(name, str) and name in ACTIVATIONS:
        return ACTIVATIONS[name]
    try:
        return from_table(table.resolve(name))
    except ValueError:
        raise ValueError(
            f"activation={name!r} is not a built-in activation; choose one of {list(table.NAMES)}, "
            "pass a SymPy expression in t, or a numeric.Activation"
        ) from None


def is_builtin(act: Activation) -> bool:
    """Closed forms are keyed by name, so they apply only to the registered objects themselves."""
    return ACTIVATIONS.get(act.name) is act
