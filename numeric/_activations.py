"""Activations as mpmath callables: σ, σ', and the points where either one is not analytic.

The quadrature fallback cuts its domain at `kinks`, so each piece it hands to Gauss–Legendre is
analytic and converges to full precision. An activation with an undeclared kink makes the
quadrature stall, and it raises instead of returning a low-accuracy number.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Mapping

import mpmath

WHICH = ("f", "df")  # the two functions of an activation a kernel may pair: σ and σ'

_ZERO = mpmath.mpf(0)
_ONE = mpmath.mpf(1)


@dataclass(frozen=True)
class Activation:
    """σ with its derivative σ', both mpmath callables evaluated at the working precision.

    kinks: exact points (ints or decimal strings) where σ or σ' is not analytic, e.g. relu → (0,).
    odd: σ is odd, so σ' is even, and E[σ(a)σ'(b)] = 0 for every symmetric law of (a, b).
    """

    name: str
    f: Callable[[mpmath.mpf], mpmath.mpf]
    df: Callable[[mpmath.mpf], mpmath.mpf]
    kinks: tuple[int | str, ...] = ()
    odd: bool = False

    def part(self, which: str) -> Callable[[mpmath.mpf], mpmath.mpf]:
        """σ for which="f", σ' for which="df"."""
        return {"f": self.f, "df": self.df}[check_which("which", which)]


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


ACTIVATIONS: Mapping[str, Activation] = MappingProxyType(
    {
        a.name: a
        for a in (
            Activation("tanh", mpmath.tanh, _tanh_df, odd=True),
            Activation("erf", mpmath.erf, _erf_df, odd=True),
            Activation("relu", _relu, _relu_df, kinks=(0,)),
            Activation("sin", mpmath.sin, mpmath.cos, odd=True),
            Activation("identity", lambda t: t, lambda t: _ONE, odd=True),
        )
    }
)


def activation(name: str | Activation) -> Activation:
    """The built-in activation called `name`; an `Activation` instance is returned unchanged."""
    if isinstance(name, Activation):
        return name
    if isinstance(name, str) and name in ACTIVATIONS:
        return ACTIVATIONS[name]
    raise ValueError(
        f"activation={name!r} is not a built-in activation; choose one of {sorted(ACTIVATIONS)} "
        "or pass a numeric.Activation"
    )


def is_builtin(act: Activation) -> bool:
    """Closed forms are keyed by name, so they apply only to the registered objects themselves."""
    return ACTIVATIONS.get(act.name) is act
