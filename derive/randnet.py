"""Exact finite-width laws of two random deep networks of seed 004 (SymPy, rational arithmetic).

ReLU, C_W = 2, no biases. Given layer ℓ, the next preactivations are iid N(0, G_ℓ) with
G_ℓ = (2/n_ℓ) Σ_j σ(z_j^{(ℓ)})². If z_j^{(ℓ)} are iid N(0, G_{ℓ−1}), the positive ones are
Bin(n_ℓ, 1/2) in number and their squares are G_{ℓ−1}·χ²₁ each, so

    G_ℓ = G_{ℓ−1} · X_ℓ,   X_ℓ = (2/n_ℓ) χ²_{B_ℓ},  B_ℓ ~ Bin(n_ℓ, 1/2),  independent of G_{ℓ−1},

and z^{(L+1)} = √G_L · ξ with ξ ~ N(0,1) and G_L = K·Π_ℓ X_ℓ (K = G₀ = C_W‖x‖²/n₀). Hence every moment is a
product over layers: E[z^{2m}] = (2m−1)!! K^m Π_ℓ E[X_ℓ^m], and since log E e^{tz} = log E e^{t²G/2},
κ_{2k}(z) = (2k−1)!! κ_k(G). In particular

    E[z⁴]/(3E[z²]²) − 1 = Π_ℓ (1 + 5/n_ℓ) − 1        (E[X²] = 1 + 5/n exactly).

E[X^m] = (2/n)^m E[Π_{j<m}(B + 2j)] is a polynomial in 1/n (binomial factorial moments E[B_(i)] = n_(i)/2^i).

σ(t) = t, C_W = 1 (deep linear): (1/n_{L+1})‖W^{(L+1)}…W^{(1)}x‖² = Π_{ℓ=1}^{L+1} χ²_{n_ℓ}/n_ℓ (‖x‖² = n₀; each
factor ‖W^{(ℓ)}a_ℓ‖² for a unit a_ℓ, independent by rotation invariance), so E[Q^m] = Π_ℓ Π_{j<m}(1 + 2j/n_ℓ).
"""
from __future__ import annotations

import functools
from collections.abc import Sequence

import sympy as sp

from derive._result import SymbolicResult, is_zero, residual_of

__all__ = [
    "L",
    "N",
    "as_float",
    "check_kurtosis_product",
    "check_leading",
    "check_relu_factor",
    "linear_cumulants",
    "linear_moments",
    "relu_G_moments",
    "relu_brute_force_factor_moment",
    "relu_factor_moment",
    "relu_kurtosis_product",
    "relu_leading_coefficients",
    "relu_output_cumulants",
    "relu_series_coefficients",
]

N, L, T = sp.symbols("n L t", positive=True)
_B = sp.Symbol("B", nonnegative=True, integer=True)


@functools.cache
def relu_factor_moment(m: int) -> sp.Expr:
    """E[X^m] as a rational function of the width n, X = (2/n)χ²_{Bin(n,1/2)}."""
    poly = sp.Poly(sp.expand(sp.prod([_B + 2 * j for j in range(m)])), _B)
    total = sp.Integer(0)
    for (r,), c in poly.terms():  # B^r = Σ_i S(r,i) B_(i), E[B_(i)] = n_(i)/2^i
        total += c * sum(sp.functions.combinatorial.numbers.stirling(r, i) * sp.ff(N, i) / 2**i for i in range(r + 1))
    return sp.expand(total * (2 / N) ** m)


def relu_brute_force_factor_moment(m: int, n: int) -> sp.Rational:
    """E[X^m] at a concrete n by exact Gaussian integrals, without the binomial/χ² argument:
    E[((2/n)Σ_j relu(z_j)²)^m] expanded multinomially, E[relu(z)^{2p}] = (2p−1)!!/2 (p ≥ 1) for z ~ N(0,1)."""
    z = sp.Symbol("z", real=True)
    one = {p: sp.integrate(z ** (2 * p) * sp.exp(-z**2 / 2), (z, 0, sp.oo)) / sp.sqrt(2 * sp.pi) for p in range(m + 1)}
    one[0] = sp.Integer(1)  # relu(z)^0 = 1 for every z
    total = sp.Integer(0)
    for comp in _compositions(m, n):
        coef = sp.factorial(m) / sp.prod([sp.factorial(c) for c in comp])
        total += coef * sp.prod([one[c] for c in comp])
    return sp.nsimplify(sp.simplify(total * sp.Rational(2, n) ** m))


def _compositions(m: int, parts: int):
    if parts == 1:
        yield (m,)
        return
    for first in range(m + 1):
        for rest in _compositions(m - first, parts - 1):
            yield (first, *rest)


def relu_G_moments(widths: Sequence[int], kmax: int = 4) -> list[sp.Rational]:
    """[E[(G/K)^m] for m = 0..kmax] at concrete hidden widths (exact rationals)."""
    return [sp.Integer(1)] + [sp.prod([relu_factor_moment(m).subs(N, int(n)) for n in widths]) for m in range(1, kmax + 1)]


def cumulants_from_moments(moments: list) -> list:
    """κ_1..κ_k from raw moments μ'_0 = 1, μ'_1..μ'_k (the recursion κ_m = μ'_m − Σ C(m−1,j−1) κ_j μ'_{m−j})."""
    kappa = [sp.Integer(0)]
    for m in range(1, len(moments)):
        kappa.append(sp.expand(moments[m] - sum(sp.binomial(m - 1, j - 1) * kappa[j] * moments[m - j] for j in range(1, m))))
    return kappa[1:]


def relu_output_cumulants(widths: Sequence[int], kmax: int = 4) -> dict[int, sp.Rational]:
    """{2k: κ_{2k}(z^{(L+1)})/K^k} for k = 1..kmax at concrete hidden widths; odd cumulants are 0 (z → −z)."""
    kG = cumulants_from_moments(relu_G_moments(widths, kmax))
    return {2 * k: sp.factorial2(2 * k - 1) * kG[k - 1] for k in range(1, kmax + 1)}


def relu_kurtosis_product(widths: Sequence[int]) -> sp.Rational:
    """E[z⁴]/(3E[z²]²) − 1 = Π(1 + 5/n_ℓ) − 1: the product form."""
    return sp.prod([1 + sp.Rational(5, int(n)) for n in widths]) - 1


@functools.cache
def relu_series_coefficients(kmax: int = 4) -> dict[int, tuple[sp.Expr, ...]]:
    """{2k: (c_0(L), …, c_kmax(L))}: κ_{2k}/K^k = Σ_j c_j(L) n^{−j} at equal widths n, L symbolic."""
    logs = {m: sp.expand(sp.series(L * sp.log(sp.expand(relu_factor_moment(m).subs(N, 1 / T))), T, 0, kmax + 1).removeO())
            for m in range(1, kmax + 1)}
    moments = [sp.Integer(1)] + [sp.expand(sp.series(sp.exp(logs[m]), T, 0, kmax + 1).removeO()) for m in range(1, kmax + 1)]
    kG = cumulants_from_moments(moments)
    out = {}
    for k in range(1, kmax + 1):
        ser = sp.expand(sp.series(kG[k - 1], T, 0, kmax + 1).removeO())
        out[2 * k] = tuple(sp.factor(sp.factorial2(2 * k - 1) * ser.coeff(T, j)) for j in range(kmax + 1))
    return out


def relu_leading_coefficients(kmax: int = 4) -> dict[int, sp.Expr]:
    """{2k: P_k(L)} with κ_{2k}/K^k = P_k(L)·n^{−(k−1)} + O_L(n^{−k}) at equal widths n, L symbolic."""
    return {key: coeffs[key // 2 - 1] for key, coeffs in relu_series_coefficients(kmax).items()}


def linear_moments(dofs: Sequence[int], kmax: int = 4) -> list[sp.Rational]:
    """[E[Q^m], m = 0..kmax], Q = Π χ²_{n_ℓ}/n_ℓ over the L+1 factors (dofs = n₁..n_L, n_{L+1})."""
    return [sp.Integer(1)] + [sp.prod([sp.prod([1 + sp.Rational(2 * j, int(n)) for j in range(m)]) for n in dofs])
                              for m in range(1, kmax + 1)]


def linear_cumulants(dofs: Sequence[int], kmax: int = 4) -> list[sp.Rational]:
    """[κ_1..κ_kmax] of Q."""
    return cumulants_from_moments(linear_moments(dofs, kmax))


def _decide(difference) -> tuple[bool, str]:
    res = residual_of(difference)
    return is_zero(res), str(res)


# ---- symbolic checks ---------------------------------------------------------------------------------

def check_relu_factor(ns: Sequence[int] = (1, 2, 3), mmax: int = 4) -> list[SymbolicResult]:
    """The χ²-with-binomial-dof moments against brute-force Gaussian integrals at small n."""
    out = []
    for n in ns:
        for m in range(2, mmax + 1):
            derived, stated = relu_brute_force_factor_moment(m, n), relu_factor_moment(m).subs(N, n)
            out.append(SymbolicResult(f"E[X^{m}] n={n}", *_decide(derived - stated), str(derived), str(stated), "exact Gaussian integrals vs binomial χ² moments"))
    return out


def check_kurtosis_product(widths: Sequence[int]) -> SymbolicResult:
    """E[z⁴]/(3E[z²]²) − 1 from the layer recursion equals Π(1+5/n_ℓ) − 1."""
    m = relu_G_moments(widths, 2)
    derived, stated = m[2] / m[1] ** 2 - 1, relu_kurtosis_product(widths)
    holds, res = _decide(derived - stated)
    return SymbolicResult(f"kurtosis product widths={tuple(widths)}", holds, str(derived), str(stated), res,
                          "E[G²]/E[G]² − 1 with E[X²] = 1 + 5/n")


def check_leading(k: int, stated: sp.Expr) -> SymbolicResult:
    """The n^{−(k−1)} coefficient of κ_{2k}/K^k (a polynomial in L) against a stated one, e.g. C·L^{k−1}."""
    derived = relu_leading_coefficients(4)[2 * k]
    holds, res = _decide(derived - stated)
    return SymbolicResult(f"n^(-{k - 1}) coefficient of kappa_{2 * k}", holds, str(derived), str(stated), res,
                          "series of Π_ℓ E[X_ℓ^m] in 1/n, L symbolic")


def as_float(x) -> float:
    return float(sp.N(x, 30))

