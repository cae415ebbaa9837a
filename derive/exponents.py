"""An order-of-magnitude calculus in the width m: a positive random quantity is `Size(p)`, of
order m^p as m → ∞, with p a SymPy expression in α, γ and a (η = m^a).

Rules (each the law-of-large-numbers fact the source uses in §3, for iid N(0,1) entries):
  vector_norm()            ‖u‖ ~ m^{1/2}                      (‖u‖² ~ χ²(m) ≈ m)
  image_norm(v)            ‖Av‖ ~ m^{1/2}‖v‖                   ((Av)ᵢ | v ~ N(0, ‖v‖²), m rows)
  frobenius()              ‖A‖_F ~ m                           (m² entries χ²(1))
  op_norm()                ‖A‖_op ~ m^{1/2}                    (‖A‖_op ≤ 2√m + t w.h.p.)
  outer_norm(b, u)         ‖buᵀ‖_op = ‖buᵀ‖_F = ‖b‖‖u‖         (exact for a rank-one matrix)
  entry(), const()         |Aᵢⱼ|, x, F'(0), … ~ m^0
  scale(p)                 an explicit power m^p (m^{−α}, η = m^a)
  a * b, a / b, a ** k     exponents add, subtract, multiply (products of sizes)
  a + b, total(...)        the largest exponent (a sum of positive terms, no cancellation)

`linear3_exponents` derives, with these rules only, every exponent of seed 003 §3 for
Φ((β,A,u),x) = m^{−α}βᵀ(m^{−γ}A)u x after one GD step; `SOURCE_EXPONENTS` holds the exponents the
source writes by hand, and `compare` decides derived = stated exactly, over a range of α.

Exponents built from Max of linear forms are piecewise linear in α; `vanishes_on` decides that
such a residual is zero on a whole interval exactly (Rational arithmetic at every breakpoint).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy as sp

from derive._result import SymbolicResult

__all__ = ["ALPHA", "GAMMA", "A_LR", "Size", "const", "entry", "scale", "vector_norm", "image_norm", "frobenius",
           "op_norm", "outer_norm", "total", "breakpoints", "vanishes_on", "solve_exponent", "linear3_exponents",
           "SOURCE_EXPONENTS", "Premise", "SOURCE_PREMISE", "SQUARE_LOSS", "compare", "exponent_at"]

ALPHA, GAMMA, A_LR = sp.symbols("alpha gamma a", real=True)
HALF = sp.Rational(1, 2)


def _expr(value) -> sp.Expr:
    """A number or expression; strings are parsed with alpha, gamma, a as the symbols of this module
    (plain sympify would read "gamma" as the Gamma function)."""
    try:
        if isinstance(value, float):
            return sp.nsimplify(value, rational=True)
        if isinstance(value, str):
            return sp.sympify(value, locals={"alpha": ALPHA, "gamma": GAMMA, "a": A_LR})
        return sp.sympify(value)
    except (sp.SympifyError, TypeError):
        raise TypeError(f"an exponent must be a SymPy expression or a number, got {value!r} "
                        f"({type(value).__name__})") from None


@dataclass(frozen=True)
class Size:
    """A positive quantity of order m^p as m → ∞ (p in α, γ, a)."""

    p: sp.Expr

    def __post_init__(self):
        object.__setattr__(self, "p", _expr(self.p))

    def _other(self, other) -> "Size":
        if isinstance(other, Size):
            return other
        raise TypeError(f"combine a Size with a Size, got {other!r}: write a constant factor as const() "
                        "and a power of m as scale(p)")

    def __mul__(self, other) -> "Size":
        return Size(self.p + self._other(other).p)

    def __truediv__(self, other) -> "Size":
        return Size(self.p - self._other(other).p)

    def __pow__(self, k) -> "Size":
        return Size(self.p * _expr(k))

    def __add__(self, other) -> "Size":
        return Size(sp.Max(self.p, self._other(other).p))

    def at(self, **values) -> "Size":
        """Substitute symbols by name: Size.at(alpha=1, a=1)."""
        names = {"alpha": ALPHA, "gamma": GAMMA, "a": A_LR}
        unknown = set(values) - set(names)
        if unknown:
            raise ValueError(f"unknown exponent symbol(s) {sorted(unknown)}; use alpha, gamma or a")
        return Size(self.p.subs({names[k]: _expr(v) for k, v in values.items()}))


def const() -> Size:
    """An O(1) factor independent of m (x, y, F'(0))."""
    return Size(0)


def entry() -> Size:
    """One entry |Aᵢⱼ|, |βᵢ|, |uⱼ| of an iid N(0,1) array: O(1)."""
    return Size(0)


def scale(p) -> Size:
    """The explicit power m^p."""
    return Size(p)


def vector_norm() -> Size:
    """‖u‖ for u ∈ ℝ^m with iid N(0,1) entries: ‖u‖² ~ χ²(m) ≈ m, so ‖u‖ ~ m^{1/2}."""
    return Size(HALF)


def image_norm(v: Size) -> Size:
    """‖Av‖ for A ∈ ℝ^{m×m} iid N(0,1) independent of v: (Av)ᵢ | v ~ N(0, ‖v‖²), so ‖Av‖ ~ m^{1/2}‖v‖."""
    return Size(HALF) * v


def frobenius() -> Size:
    """‖A‖_F for A ∈ ℝ^{m×m} iid N(0,1): ‖A‖_F² ~ χ²(m²), so ‖A‖_F ~ m."""
    return Size(1)


def op_norm() -> Size:
    """‖A‖_op for A ∈ ℝ^{m×m} iid N(0,1): between ‖Ae₁‖ ~ √m and 2√m + O(1), so ~ m^{1/2}."""
    return Size(HALF)


def outer_norm(b: Size, u: Size) -> Size:
    """‖buᵀ‖_op = ‖buᵀ‖_F = ‖b‖‖u‖ exactly (rank one)."""
    return b * u


def total(*sizes: Size) -> Size:
    """A sum of positive terms is of the order of its largest term."""
    if not sizes:
        raise ValueError("total() of no sizes: give at least one term")
    return Size(sp.Max(*(s.p for s in sizes)))


# ---- exact decisions on piecewise-linear exponents -------------------------------------------------------

def _value(expr: sp.Expr, var: sp.Symbol, at) -> sp.Expr:
    return sp.simplify(expr.subs(var, at))


def _zeros(g: sp.Expr, lo, hi, var: sp.Symbol) -> set:
    """Zeros in [lo, hi] of a continuous piecewise-linear g (exact: linear between its kinks)."""
    pts = sorted({lo, hi} | breakpoints(g, var, lo, hi))
    out = set()
    for p, q in zip(pts, pts[1:]):
        gp, gq = _value(g, var, p), _value(g, var, q)
        out.update(t for t, v in ((p, gp), (q, gq)) if v == 0)
        if gp * gq < 0:
            out.add(p - gp * (q - p) / (gq - gp))
    return out


def breakpoints(expr: sp.Expr, var: sp.Symbol = ALPHA, lo=-10, hi=10) -> set:
    """Values of var in (lo, hi) where a Max/Min of expr switches branch (zeros of the pairwise
    differences of its arguments, found recursively for nested Max/Min)."""
    lo, hi = _expr(lo), _expr(hi)
    out = set()
    for node in sp.preorder_traversal(sp.sympify(expr)):
        if isinstance(node, (sp.Max, sp.Min)):
            args = list(node.args)
            for i in range(len(args)):
                for j in range(i + 1, len(args)):
                    out |= _zeros(args[i] - args[j], lo, hi, var)
    return {b for b in out if lo < b < hi}


def vanishes_on(expr: sp.Expr, lo, hi, var: sp.Symbol = ALPHA) -> bool:
    """True iff the piecewise-linear, continuous `expr` (nested Max/Min of linear forms in var) is
    0 on [lo, hi]. Exact: linear between consecutive breakpoints, so zero at every breakpoint and
    at both ends proves it zero on the interval. Linearity of each piece is verified (the value
    at a segment's midpoint is the mean of its ends), else ValueError."""
    expr = sp.sympify(expr)
    lo, hi = _expr(lo), _expr(hi)
    if not lo <= hi:
        raise ValueError(f"interval [{lo}, {hi}] is empty: lo must not exceed hi")
    free = expr.free_symbols - {var}
    if free:
        raise ValueError(f"{expr} depends on {sorted(map(str, free))} besides {var}: substitute them first")
    points = sorted({lo, hi} | breakpoints(expr, var, lo, hi))
    for p, q in zip(points, points[1:]):
        if _value(expr, var, (p + q) / 2) != (_value(expr, var, p) + _value(expr, var, q)) / 2:
            raise ValueError(f"{expr} is not linear on [{p}, {q}]: only piecewise-linear exponents are decided")
    return all(_value(expr, var, p) == 0 for p in points)


def solve_exponent(size: Size, var: sp.Symbol) -> list:
    """The values of var for which `size` is of order m^0 (neither vanishes nor diverges)."""
    return sp.solve(sp.Eq(size.p, 0), var)


def exponent_at(expr, alpha) -> sp.Rational:
    """The exponent at a given α (all other symbols must already be substituted)."""
    value = sp.sympify(expr).subs(ALPHA, _expr(alpha))
    if value.free_symbols:
        raise ValueError(f"{expr} still depends on {sorted(map(str, value.free_symbols))} at alpha={alpha}")
    return sp.nsimplify(value)


# ---- seed 003 §3 ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Premise:
    """The size of F'(Φ(θ⁰,x)). The source takes it constant in m; for the square loss
    F(t) = (t − y)²/2, F'(Φ⁰) = Φ⁰ − y with Φ⁰ ~ m^{1/2−α} and y ~ m^0, so it is m^{max(0, 1/2−α)}."""

    name: str
    fprime: Size


SOURCE_PREMISE = Premise("F'(Φ(θ⁰,x)) constant in m (the source)", const())
SQUARE_LOSS = Premise("F(t) = (t−y)²/2, y ≠ 0: F'(Φ⁰) = Φ⁰ − y", total(scale(HALF - ALPHA), const()))


def linear3_exponents(premise: Premise = SOURCE_PREMISE, lr: sp.Expr | None = None) -> dict[str, sp.Expr]:
    """Every exponent of §3 derived from the rules above. `lr` is the exponent a of η = m^a; by
    default the one derived here (ΔF ~ m^0). Keys name the quantities; values are exponents of m."""
    u, beta = vector_norm(), vector_norm()
    A_F, A_op = frobenius(), op_norm()
    x = const()
    out: dict[str, sp.Expr] = {}

    # §3.1 laws
    out["norm_u_sq"] = (u ** 2).p
    hidden_var = (scale(-GAMMA) * u * x) ** 2  # Var(((m^{-γ}A)u x)ᵢ | u) = (x/m^γ)²‖u‖²
    out["hidden_variance"] = hidden_var.p
    (gamma,) = solve_exponent(hidden_var, GAMMA)
    out["gamma"] = gamma
    hidden = scale(-gamma) * image_norm(u) * x  # ‖x₂‖, x₂ = (m^{-γ}A)u x at the derived γ
    out["hidden_norm_sq"] = (hidden ** 2).p
    out["output_variance"] = ((scale(-ALPHA) * hidden) ** 2).p  # Var(m^{-α}βᵀx₂ | x₂) = m^{-2α}‖x₂‖²
    out["phi0"] = (scale(-ALPHA) * hidden).p

    # §3.2 gradients at γ = derived value
    pre = scale(-ALPHA - gamma) * x
    g_beta, g_u, g_A = pre * image_norm(u), pre * image_norm(beta), pre * outer_norm(beta, u)
    out["grad_beta"], out["grad_u"], out["grad_A"] = g_beta.p, g_u.p, g_A.p
    grad_sq = total(g_beta ** 2, g_u ** 2, g_A ** 2)
    out["grad_theta_sq"] = grad_sq.p

    # §3.3.1 the learning rate: ΔF ≈ −η‖∇_θF‖² = −η F'² ‖∇_θΦ‖²
    fp = premise.fprime
    delta_f = scale(A_LR) * fp ** 2 * grad_sq
    out["delta_f"] = delta_f.p
    # a is solved under the source's premise (F' constant); `premise` only changes the sizes below
    (a_solution,) = solve_exponent(scale(A_LR) * SOURCE_PREMISE.fprime ** 2 * grad_sq, A_LR)
    out["a"] = a_solution
    a = a_solution if lr is None else _expr(lr)
    out["delta_f_at_a"] = sp.simplify(delta_f.p.subs(A_LR, a))
    # ΔΦ ≈ ⟨Δθ, ∇_θΦ⟩ = −ηF'‖∇_θΦ‖²; for a loss with F'' ≠ 0 (the square loss: F'' = 1) the
    # first-order expansion of F misses ½F''·(ΔΦ)², of size (ΔΦ)²
    delta_phi = scale(a) * fp * grad_sq
    out["delta_phi"] = delta_phi.p
    out["taylor_F_remainder"] = (delta_phi ** 2).p

    # §3.3.2 one step: Δθ = −η F' ∇_θΦ
    eta = scale(a)
    d_u, d_beta = eta * fp * g_u, eta * fp * g_beta
    d_A_F = eta * fp * g_A
    d_A_op = eta * fp * pre * outer_norm(beta, u)
    d_A_entry = eta * fp * pre * entry() * entry()
    out["drift_u"], out["drift_beta"] = (d_u / u).p, (d_beta / beta).p
    out["drift_A_frobenius"] = (d_A_F / A_F).p
    out["drift_A_entry"] = (d_A_entry / entry()).p
    out["opnorm_A0"] = A_op.p
    out["opnorm_rank_one"] = outer_norm(beta, u).p
    out["drift_A_op"] = (d_A_op / A_op).p

    # §3.3.3 Δ∇_uΦ = m^{-α-γ} x ((Δβ)ᵀΔA + (Δβ)ᵀA⁰ + (β⁰)ᵀΔA): bounded by its three terms, each attained
    change = pre * total(d_beta * d_A_op, d_beta * A_op, beta * d_A_op)
    out["gradient_change"] = change.p
    out["gradient_change_ratio"] = (change / g_u).p
    return {k: sp.simplify(v) for k, v in out.items()}


# The exponents the source writes by hand (seed 003 §3), as functions of α (a = 2α−1 substituted).
SOURCE_EXPONENTS: Mapping[str, sp.Expr] = {
    "norm_u_sq": sp.Integer(1),
    "hidden_variance": 1 - 2 * GAMMA,
    "gamma": HALF,
    "hidden_norm_sq": sp.Integer(1),
    "output_variance": 1 - 2 * ALPHA,
    "grad_beta": HALF - ALPHA,
    "grad_u": HALF - ALPHA,
    "grad_A": HALF - ALPHA,
    "delta_f": A_LR + 1 - 2 * ALPHA,
    "a": 2 * ALPHA - 1,
    "drift_u": ALPHA - 1,
    "drift_beta": ALPHA - 1,
    "drift_A_frobenius": ALPHA - sp.Rational(3, 2),
    "drift_A_entry": ALPHA - sp.Rational(3, 2),
    "opnorm_A0": HALF,
    "opnorm_rank_one": sp.Integer(1),
    "drift_A_op": ALPHA - 1,
    "gradient_change": -HALF,
}


def compare(name: str, derived: sp.Expr, stated, lo=None, hi=None, label: str = "") -> SymbolicResult:
    """derived = stated as exponents of m, exactly: identically (lo None) or on α ∈ [lo, hi]."""
    derived, stated = _expr(derived), _expr(stated)
    residual = derived - stated
    if lo is None:
        residual = sp.simplify(residual)  # an identity in α, γ, a: only simplify decides it
        holds = bool(residual == 0)
        scope = "identically in α, γ, a"
    else:  # exact on the unsimplified residual (its breakpoints); simplify cost ~0.1–0.9 s on nested Max
        holds = vanishes_on(residual, lo, hi)
        scope = f"for every α in [{lo}, {hi}] (piecewise linear: exact at each breakpoint)"
        if not holds:
            pts = sorted({_expr(lo), _expr(hi)} | breakpoints(residual, ALPHA, lo, hi))
            bad = [p for p in pts if sp.simplify(residual.subs(ALPHA, p)) != 0]
            scope += f"; nonzero at α = {', '.join(map(str, bad))}"
    return SymbolicResult(name=label or name, holds=holds, derived=str(derived), stated=str(stated),
                          residual=str(residual), detail=f"exponent of m of {name}, compared {scope}")
