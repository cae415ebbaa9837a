"""Activations as data: one table of SymPy expressions in `T`, the source of every view.

Each entry is an `Activation`: σ as a SymPy expression in the real symbol `T` (t), with its metadata —
kinks (the real points where σ or σ' is not analytic), parity (odd, even or neither), whether σ is C²,
its parameters, and the `Family` of closed-form Gaussian expectations it belongs to (if any). The
views are realisations of the same object:

  SymPy   — `act.expr`, `act.derivative` (sympy.diff, the a.e. derivative: DiracDelta terms dropped,
            σ' at a kink takes its left-hand value, so relu'(0) = 0 as for jax.nn.relu's gradient);
  mpmath  — numeric/_activations.py (`numeric.activation(name)`), lambdified with precise overrides;
  JAX     — verify/models/_activations.py (`verify.models.activation(name)`), jnp overrides, σ' by autodiff.

Closed forms of E[f(u)g(v)], (u, v) ~ N(0, [[K11, K12], [K12, K22]]), are SymPy expressions too
(`pair_expectation`), lambdified to mpmath by numeric/kernels_mp.py and to jnp by numeric/kernels_f64.py:
the arc-cosine kernels of every degree n (f, g in the family t ↦ tⁿ(a₊1{t>0} + a₋1{t≤0}): relu, step,
leaky ReLU, abs, identity, constants), Williams' erf, erf' = (2/√π)e^{−t²}, sin and cos.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import sympy as sp

__all__ = [
    "T", "K11", "K12", "K22", "D", "Activation", "Family", "TABLE", "NAMES", "leaky_relu", "from_expression",
    "resolve", "pair_expectation", "arccos_kernel",
]

T = sp.Symbol("t", real=True)
"""The variable of every activation expression."""

K11, K12, K22 = sp.symbols("K11 K12 K22", real=True)
D = sp.Symbol("D", nonnegative=True)
"""det Σ = K11·K22 − K12², passed separately (clamped at 0 by the caller) so that the closed forms need no
square root of a difference that rounding can make negative."""


@dataclass(frozen=True)
class Family:
    """σ belongs to a family with closed-form Gaussian pair expectations.

    kind "arccos": σ(t) = tⁿ(a₊1{t>0} + a₋1{t≤0}), coefficients = (a₋, a₊) (relu: n=1, (0, 1); step: n=0,
    (0, 1); identity: n=1, (1, 1); abs: n=1, (−1, 1); a constant c: n=0, (c, c)).
    kinds "erf", "gauss", "sin", "cos": σ(t) = c·erf(t), c·e^{−t²}, c·sin t, c·cos t, coefficients = (c,).
    """

    kind: str
    n: int = 0
    coefficients: tuple = ()


@dataclass(frozen=True)
class Activation:
    """σ(t) = expr (a SymPy expression in `T`) with its metadata; the one object every view realises.

    kinks: sorted exact real points where σ or σ' is not analytic (relu → (0,)).
    parity: −1 odd, +1 even, 0 neither.  smooth: σ is C² on ℝ (no kinks).
    params: the parameters the name was built from, e.g. (("a_minus", 0.2), ("a_plus", 1.0)).
    family / prime_family: closed-form families of σ and σ' (None: quadrature only).
    """

    name: str
    expr: sp.Expr
    kinks: tuple = ()
    parity: int = 0
    smooth: bool = True
    params: tuple = ()
    family: Family | None = None
    prime_family: Family | None = None
    derivative: sp.Expr = field(default=None, compare=False, repr=False)  # filled in __post_init__

    def __post_init__(self):
        if self.derivative is None:
            object.__setattr__(self, "derivative", _ae_derivative(self.expr))

    @property
    def odd(self) -> bool:
        return self.parity == -1

    @property
    def even(self) -> bool:
        return self.parity == 1

    def __call__(self, x) -> sp.Expr:
        """σ(x) as a SymPy expression."""
        return self.expr.subs(T, x)

    def prime(self) -> Activation:
        """σ' as an Activation of its own (its kinks are σ's; parity flips; its family is `prime_family`)."""
        return Activation(f"{self.name}'", self.derivative, self.kinks, -self.parity, False, self.params,
                          self.prime_family, None)


def _ae_derivative(expr: sp.Expr) -> sp.Expr:
    """dσ/dt almost everywhere: the point masses (DiracDelta) of a jump are dropped."""
    d = sp.diff(expr, T)
    return d.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.Integer(0))


def _exact(value) -> sp.Rational:
    """A parameter as the exact rational of its float (the value every float64 view sees)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, sp.Rational)):
        raise ValueError(f"parameter {value!r} is not a real number; pass an int or a float")
    return sp.Rational(value) if isinstance(value, sp.Rational) else sp.Rational(float(value))


def _ramp(a_minus, a_plus, n: int = 1) -> sp.Expr:
    """tⁿ(a₊1{t>0} + a₋1{t≤0}), written so that its derivative at 0 is the left-hand value."""
    return sp.Piecewise((a_plus * T**n, T > 0), (a_minus * T**n, True))


def leaky_relu(a_minus, a_plus) -> Activation:
    """σ(t) = (a₋1_{t≤0} + a₊1_{t>0})t, named "leaky_relu(a₋,a₊)" (the string `resolve` accepts back)."""
    am, ap = _exact(a_minus), _exact(a_plus)
    parity = -1 if am == ap else (1 if am == -ap else 0)
    return Activation(f"leaky_relu({float(am):g},{float(ap):g})", _ramp(am, ap) if am != ap else ap * T,
                      () if am == ap else (0,), parity, am == ap,
                      (("a_minus", float(am)), ("a_plus", float(ap))),
                      Family("arccos", 1, (am, ap)), Family("arccos", 0, (am, ap)))


def _builtin() -> dict[str, Activation]:
    s2 = sp.sqrt(2)
    sig = 1 / (1 + sp.exp(-T))
    c = sp.Integer(1)
    entries = [
        Activation("tanh", sp.tanh(T), parity=-1),
        Activation("erf", sp.erf(T), parity=-1, family=Family("erf", 0, (c,)),
                   prime_family=Family("gauss", 0, (2 / sp.sqrt(sp.pi),))),
        Activation("relu", _ramp(0, 1), (0,), 0, False, family=Family("arccos", 1, (0, c)),
                   prime_family=Family("arccos", 0, (0, c))),
        Activation("gelu", T / 2 * (1 + sp.erf(T / s2))),
        Activation("softplus", sp.log(1 + sp.exp(T))),
        Activation("sigmoid", sig),
        Activation("silu", T * sig),
        Activation("sin", sp.sin(T), parity=-1, family=Family("sin", 0, (c,)), prime_family=Family("cos", 0, (c,))),
        Activation("cos", sp.cos(T), parity=1, family=Family("cos", 0, (c,)), prime_family=Family("sin", 0, (-c,))),
        Activation("identity", T, parity=-1, family=Family("arccos", 1, (c, c)),
                   prime_family=Family("arccos", 0, (c, c))),
        Activation("abs", _ramp(-1, 1), (0,), 1, False, family=Family("arccos", 1, (-c, c)),
                   prime_family=Family("arccos", 0, (-c, c))),
        Activation("step", sp.Heaviside(T, 0), (0,), 0, False, family=Family("arccos", 0, (0, c)),
                   prime_family=Family("arccos", 0, (0, 0))),
    ]
    return {a.name: a for a in entries}


TABLE: Mapping[str, Activation] = MappingProxyType(_builtin())
"""The activations by name; leaky_relu(a₋,a₊) is parametric (`leaky_relu`, or the string form in `resolve`)."""
NAMES: tuple[str, ...] = (*TABLE, "leaky_relu(a_minus,a_plus)")

_LEAKY = re.compile(r"^leaky_relu\((.*)\)$")


def resolve(act) -> Activation:
    """An Activation from a name of TABLE, the string "leaky_relu(a₋,a₊)", a SymPy expression in `T`
    (see `from_expression`), or an Activation (returned unchanged)."""
    if isinstance(act, Activation):
        return act
    if isinstance(act, str):
        if act in TABLE:
            return TABLE[act]
        m = _LEAKY.match(act.replace(" ", ""))
        if m:
            try:
                a_minus, a_plus = (float(v) for v in m.group(1).split(","))
            except ValueError:
                raise ValueError(f"activation={act!r}: write a leaky ReLU as 'leaky_relu(a_minus,a_plus)' with two "
                                 "numbers, e.g. 'leaky_relu(0.2,1)'") from None
            return leaky_relu(a_minus, a_plus)
        raise ValueError(f"activation={act!r} is not a built-in activation; choose one of {list(TABLE)}, "
                         "'leaky_relu(a_minus,a_plus)', or pass a SymPy expression in t")
    if isinstance(act, sp.Basic):
        return from_expression(act)
    raise ValueError(f"activation={act!r} is neither a name ({list(TABLE)}), a SymPy expression in t, "
                     "nor an Activation")


# ---------------------------------------------------------------- user expressions


_KINKED = (sp.Abs, sp.Heaviside, sp.sign, sp.Max, sp.Min, sp.floor, sp.ceiling)


def _zeros(e: sp.Expr) -> set:
    sol = sp.solveset(e, T, domain=sp.S.Reals)
    return set(sol) if isinstance(sol, sp.FiniteSet) else set()


def _kinks(expr: sp.Expr) -> tuple:
    """Real zeros of the arguments of Abs/Heaviside/sign/Max/Min and of Piecewise conditions (where SymPy
    can solve them as a finite set)."""
    points: set = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Max, sp.Min)):
            args = node.args
            points |= {z for i, a in enumerate(args) for b in args[i + 1:] for z in _zeros(a - b)}
        elif isinstance(node, _KINKED):
            points |= _zeros(node.args[0])
        elif isinstance(node, sp.Piecewise):
            for _, cond in node.args:
                for rel in cond.atoms(sp.core.relational.Relational):
                    points |= _zeros(rel.lhs - rel.rhs)
    return tuple(sorted(p for p in points if p.is_real))


def _zero_almost_everywhere(expr: sp.Expr) -> bool:
    """expr = 0 except on a finite set of t, as far as SymPy can tell (False when it cannot)."""
    expr = sp.simplify(sp.piecewise_fold(expr))
    if expr == 0:
        return True
    if not isinstance(expr, sp.Piecewise):
        return False
    earlier = []
    for piece, cond in expr.args:
        where = sp.And(cond, *[sp.Not(c) for c in earlier])
        earlier.append(cond)
        if sp.simplify(piece) == 0 or where is sp.false:
            continue
        try:
            region = sp.S.Reals if where is sp.true else where.as_set()
        except (NotImplementedError, TypeError, ValueError):
            return False
        if not (region.is_empty or isinstance(region, sp.FiniteSet)):
            return False
    return True


def _parity_of(expr: sp.Expr) -> int:
    """−1 odd, +1 even (almost everywhere: a Gaussian expectation does not see a point), 0 neither or unproved."""
    flipped = expr.subs(T, -T)
    if _zero_almost_everywhere(flipped + expr):
        return -1
    if _zero_almost_everywhere(flipped - expr):
        return 1
    return 0


_C = sp.Wild("c", exclude=[T])


def _family_of(expr: sp.Expr) -> Family | None:
    """Recognise c·erf(t), c·e^{−t²}, c·sin t, c·cos t, c·t and constants c (other expressions: None)."""
    expr = sp.sympify(expr)
    if T not in expr.free_symbols:
        return Family("arccos", 0, (expr, expr)) if expr.is_real else None
    for kind, base in (("erf", sp.erf(T)), ("gauss", sp.exp(-T**2)), ("sin", sp.sin(T)), ("cos", sp.cos(T)),
                       ("arccos", T)):
        m = expr.match(_C * base)
        if m is not None and m[_C] != 0 and m[_C].is_real:
            return Family("arccos", 1, (m[_C], m[_C])) if kind == "arccos" else Family(kind, 0, (m[_C],))
    return None


def from_expression(expr, name: str | None = None) -> Activation:
    """σ(t) = expr, a SymPy expression whose only free symbol is `T` (or any symbol named t).

    Kinks are found where σ uses Abs/Heaviside/sign/Max/Min/floor/ceiling/Piecewise (zeros of their
    arguments and conditions); otherwise σ is declared analytic. Parity by SymPy simplification.
    """
    if not isinstance(expr, sp.Basic):
        raise ValueError(f"expr={expr!r} is not a SymPy expression; build one in the symbol derive.activations.T")
    free = expr.free_symbols
    renames = {s: T for s in free if s.name == "t" and s != T}
    expr = expr.xreplace(renames)
    others = expr.free_symbols - {T}
    if others:
        raise ValueError(f"expr={expr} has free symbols {sorted(map(str, others))} besides t; an activation is a "
                         "function of t alone (substitute numbers for the parameters)")
    kinks = _kinks(expr)
    derivative = _ae_derivative(expr)
    return Activation(name or str(expr), expr, kinks, _parity_of(expr), not kinks, (),
                      _family_of(expr), _family_of(derivative), derivative)


# ---------------------------------------------------------------- closed forms of E[f(u) g(v)]


@functools.lru_cache(maxsize=None)
def arccos_kernel(n: int) -> sp.Expr:
    """E[uⁿ1{u>0} vⁿ1{v>0}] = (K11K22)^{n/2} Jₙ(θ)/(2π) (Cho & Saul), cos θ = K12/√(K11K22), as an expression
    in K11, K12, K22, D: Jₙ(θ) = (−1)ⁿ sin^{2n+1}θ (sin⁻¹θ ∂_θ)ⁿ ((π − θ)/sin θ), with θ = atan2(√D, K12)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n={n!r} is not a degree; pass an int n >= 0")
    th = sp.Symbol("theta")
    r, sd = sp.symbols("r sD", positive=True)
    e = (sp.pi - th) / sp.sin(th)
    for _ in range(n):
        e = sp.diff(e, th) / sp.sin(th)
    J = sp.simplify((-1) ** n * sp.sin(th) ** (2 * n + 1) * e)
    scaled = sp.expand(sp.expand_trig(r**n * J).subs({sp.sin(th): sd / r, sp.cos(th): K12 / r}))
    scaled = sp.expand(scaled.subs(r, sp.sqrt(K11 * K22)))
    return scaled.subs({th: sp.atan2(sp.sqrt(D), K12), sd: sp.sqrt(D)}) / (2 * sp.pi)



def _arccos_pair(n: int, a: tuple, b: tuple) -> sp.Expr:
    """f = tⁿ(a₊1{t>0} + a₋1{t≤0}), g likewise with b: (−u, −v) has the law of (u, v) and (u, −v) the law of
    a pair with covariance −K12, so E[f(u)g(v)] = (a₊b₊ + a₋b₋)kₙ(K12) + (−1)ⁿ(a₊b₋ + a₋b₊)kₙ(−K12)."""
    (am, ap), (bm, bp) = a, b
    k = arccos_kernel(n)
    general = (ap * bp + am * bm) * k + (-1) ** n * (ap * bm + am * bp) * k.subs(K12, -K12)
    if n > 0:
        return general  # f(0) = g(0) = 0 and the general form vanishes with K11·K22
    # n = 0 with a zero variance: u ≡ 0, f(0) = a₋, and E[g(v)] = (b₋ + b₊)/2
    return sp.Piecewise((general, K11 * K22 > 0), (bm * (am + ap) / 2, K11 > 0), (am * (bm + bp) / 2, K22 > 0),
                        (am * bm, True))


def pair_expectation(f: Family, g: Family) -> sp.Expr | None:
    """E[f(u)g(v)] in K11, K12, K22, D for two activations of one family (None when no closed form is known)."""
    if f is None or g is None or f.kind != g.kind or f.n != g.n:
        return None
    if f.kind == "arccos":
        return _arccos_pair(f.n, f.coefficients, g.coefficients)
    c = f.coefficients[0] * g.coefficients[0]
    spread = 1 + 2 * (K11 + K22) + 4 * D  # (1 + 2K11)(1 + 2K22) − 4K12² without the cancellation
    forms = {
        "erf": 2 * sp.atan2(2 * K12, sp.sqrt(spread)) / sp.pi,  # Williams: (2/π) arcsin(2K12/√((1+2K11)(1+2K22)))
        "gauss": 1 / sp.sqrt(spread),  # E[e^{−u²−v²}] = det(I + 2Σ)^{−1/2}
        "sin": sp.exp(-(K11 + K22) / 2) * sp.sinh(K12),  # (E cos(u − v) − E cos(u + v))/2
        "cos": sp.exp(-(K11 + K22) / 2) * sp.cosh(K12),
    }
    return c * forms[f.kind]
