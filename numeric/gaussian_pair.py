"""E[f(u)g(v)] for (u, v) ~ N(0, [[k11, k12], [k12, k22]]) in mpmath, for activations of the one table.

Closed forms where f and g are of one family (derive.activations.pair_expectation: arc-cosine kernels of
every degree, Williams' erf, erf', sin, cos), else the bivariate quadrature of numeric/_expectation.py
(polar Gauss–Legendre cut at the kinks, raising QuadratureError short of the requested digits). Σ is
handed to it as the Gram matrix of two vectors of ℝ² (Σ = Gram/2, its LeCun scaling).

`gaussian_pair_expectation_expr` takes one SymPy expression in two symbols (the formula language's
E(expr in a and b, k11, k12, k22)): a sum of products f(a)g(b) is integrated term by term as above;
anything else by a two-dimensional tanh-sinh quadrature, computed at two precisions that must agree.
"""
from __future__ import annotations

import dataclasses
import functools

import mpmath
import sympy as sp

from derive import activations as table
from numeric._activations import Activation, from_table
from numeric._expectation import GUARD_DIGITS, QuadratureError, expectation

__all__ = ["pair_vectors", "closed_form", "gaussian_pair_expectation", "gaussian_pair_expectation_expr", "spec_of"]

METHODS = ("auto", "closed", "quadrature")


def pair_vectors(k11, k12, k22):
    """x, z ∈ ℝ² with Gram/2 = [[k11, k12], [k12, k22]] (the LeCun scaling of numeric.expectation)."""
    if k11 < 0 or k22 < 0 or k12 * k12 > k11 * k22 * (1 + mpmath.mpf(10) ** (-mpmath.mp.dps + 3)):
        raise ValueError(f"Σ = [[{k11}, {k12}], [{k12}, {k22}]] is not a covariance matrix; pass a positive "
                         "semi-definite 2×2 kernel block")
    if k11 == 0:
        return (mpmath.mpf(0), mpmath.mpf(0)), (mpmath.sqrt(2 * k22), mpmath.mpf(0))
    a = mpmath.sqrt(2 * k11)
    c = k12 * mpmath.sqrt(2) / mpmath.sqrt(k11)
    rest = 2 * k22 - c * c
    return (a, mpmath.mpf(0)), (c, mpmath.sqrt(rest) if rest > 0 else mpmath.mpf(0))


def spec_of(act) -> table.Activation:
    """The table entry behind a name, SymPy expression in t, table entry, or JAX/mpmath view carrying one."""
    spec = getattr(act, "spec", None)
    return spec if isinstance(spec, table.Activation) else table.resolve(act)


@functools.lru_cache(maxsize=None)
def closed_form(f: table.Family | None, g: table.Family | None, modules: str = "mpmath"):
    """E[f(u)g(v)] as a function of (k11, k12, k22, det) lambdified to `modules`, or None without a closed form."""
    form = table.pair_expectation(f, g)
    return None if form is None else sp.lambdify((table.K11, table.K12, table.K22, table.D), form, modules=modules)


def gaussian_pair_expectation(f, g, k11, k12, k22, *, dps: int = 30, method: str = "auto") -> mpmath.mpf:
    """E[f(u)g(v)], (u, v) ~ N(0, [[k11, k12], [k12, k22]]), to `dps` digits.

    f, g: activations of the table (names, "leaky_relu(a₋,a₊)", SymPy expressions in t, table entries;
    σ' is `table.resolve(name).prime()`). method: "auto" (closed form where f and g are of one family,
    else quadrature), "closed" or "quadrature". Raises QuadratureError short of `dps` digits.
    """
    if method not in METHODS:
        raise ValueError(f"method={method!r} is not a method; choose one of {list(METHODS)}")
    if isinstance(dps, bool) or not isinstance(dps, int) or dps < 1:
        raise ValueError(f"dps={dps!r} is not a number of digits; pass an int dps >= 1")
    F, G = spec_of(f), spec_of(g)
    form = None if method == "quadrature" else closed_form(F.family, G.family)
    if method == "closed" and form is None:
        raise ValueError(f"method='closed': no closed form for E[{F.name}(u) {G.name}(v)]; use method='auto'")
    with mpmath.workdps(dps + GUARD_DIGITS):
        k11, k12, k22 = (mpmath.mpf(v) for v in (k11, k12, k22))
        x, z = pair_vectors(k11, k12, k22)  # validates Σ
        if form is not None:
            value = form(k11, k12, k22, max(k11 * k22 - k12 * k12, mpmath.mpf(0)))
        elif F.parity * G.parity == -1:
            value = mpmath.mpf(0)  # f(−u)g(−v) = −f(u)g(v) and (−u, −v) has the law of (u, v)
        elif F == G:
            # f(u)f(v) is even under (u, v) → (−u, −v) when f is odd or even: `odd` makes the quadrature of the
            # ("f", "f") pair integrate half the domain (this private copy is never paired with its df)
            mf = dataclasses.replace(from_table(F), odd=F.parity != 0)
            value = expectation(mf, "f", "f", "normal", x, z, dps=dps + GUARD_DIGITS, method="quadrature")
        else:
            mf, mg = from_table(F), from_table(G)
            pair = Activation(f"{F.name}·{G.name}", mf.f, mg.f, tuple(dict.fromkeys(mf.kinks + mg.kinks)), False)
            value = expectation(pair, "f", "df", "normal", x, z, dps=dps + GUARD_DIGITS, method="quadrature")
    with mpmath.workdps(dps):
        return +mpmath.mpf(value)


def _separated(expr: sp.Expr, a: sp.Symbol, b: sp.Symbol):
    """[(c, f(t), g(t))] with expr = Σ c·f(a)·g(b), or None if a term does not separate."""
    out = []
    for term in sp.Add.make_args(sp.expand(expr, power_base=False, log=False)):
        parts = sp.separatevars(term, symbols=[a, b], dict=True)
        if parts is None:
            return None
        out.append((parts["coeff"], sp.sympify(parts.get(a, 1)).subs(a, table.T),
                    sp.sympify(parts.get(b, 1)).subs(b, table.T)))
    return out


def gaussian_pair_expectation_expr(expr, a, b, k11, k12, k22, *, dps: int = 30) -> mpmath.mpf:
    """E[expr(u, v)] for (u, v) ~ N(0, [[k11, k12], [k12, k22]]): expr a SymPy expression in the symbols a, b."""
    expr = sp.sympify(expr)
    others = expr.free_symbols - {a, b}
    if others:
        raise ValueError(f"E({expr} in {a} and {b}, …) has free symbols {sorted(map(str, others))} besides {a}, {b}; "
                         "substitute numbers for them")
    terms = _separated(expr, a, b)
    if terms is not None:
        with mpmath.workdps(dps + GUARD_DIGITS):
            total = mpmath.fsum(
                mpmath.mpf(sp.N(c, dps + 2 * GUARD_DIGITS)) * gaussian_pair_expectation(
                    table.from_expression(f), table.from_expression(g), k11, k12, k22, dps=dps + GUARD_DIGITS)
                for c, f, g in terms)
        with mpmath.workdps(dps):
            return +total
    F = sp.lambdify((a, b), expr, modules="mpmath")
    low, high = (_quad2(F, k11, k12, k22, p) for p in (dps + GUARD_DIGITS, dps + 2 * GUARD_DIGITS + 5))
    with mpmath.workdps(dps + GUARD_DIGITS):
        if abs(low - high) > mpmath.mpf(10) ** (-dps) * max(abs(high), mpmath.mpf(1)):
            raise QuadratureError(f"E[{expr}] by tanh-sinh quadrature did not reach {dps} digits (two precisions "
                                  f"differ by {mpmath.nstr(abs(low - high), 3)}); write it as a sum of products "
                                  "f(a)·g(b) so the kinks can be cut")
    with mpmath.workdps(dps):
        return +high


def _quad2(F, k11, k12, k22, dps: int) -> mpmath.mpf:
    """∫∫ F(√k11 z₁, √k22(ρz₁ + √(1−ρ²)z₂)) φ(z₁)φ(z₂), one-dimensional when ρ² = 1 or a variance is 0."""
    with mpmath.workdps(dps):
        k11, k12, k22 = (mpmath.mpf(v) for v in (k11, k12, k22))
        pair_vectors(k11, k12, k22)
        s11, s22 = mpmath.sqrt(k11), mpmath.sqrt(k22)
        rho = k12 / (s11 * s22) if k11 * k22 > 0 else mpmath.mpf(0)
        rest = 1 - rho * rho
        line = [-mpmath.inf, 0, mpmath.inf]
        if rest <= 0 or k11 * k22 == 0:
            # u = s11·z, v = s22·(ρ or sign)·z (a zero variance makes its variable 0)
            c = rho if k11 * k22 > 0 else mpmath.mpf(1)
            return mpmath.quad(lambda t: F(s11 * t, s22 * c * t) * mpmath.npdf(t), line)
        s = mpmath.sqrt(rest)
        return mpmath.quad(lambda z1, z2: F(s11 * z1, s22 * (rho * z1 + s * z2)) * mpmath.npdf(z1) * mpmath.npdf(z2),
                           line, line)
