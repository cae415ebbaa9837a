"""SymPy arguments for the kernels of seed 003 §2: Fourier transforms (Bochner), a Gaussian-mixture
representation of the Laplace kernel, binomial expansions, and two-point Gram determinants.

Each function returns `SymbolicResult`s decided by exact SymPy tests (no floats)."""
from __future__ import annotations

import sympy as sp

from derive._result import SymbolicResult, is_zero, residual_of

__all__ = ["sinc_fourier", "gaussian_fourier", "laplace_fourier", "laplace_gaussian_mixture",
           "polynomial_expansion", "polynomial_two_point", "positive_exponent_two_point", "feature_gram_identity"]

t, w = sp.symbols("t omega", real=True)


def _result(name, derived, stated, detail) -> SymbolicResult:
    r = residual_of(sp.simplify(derived - stated))
    return SymbolicResult(name, is_zero(r), str(derived), str(stated), str(r), detail)


def sinc_fourier() -> list[SymbolicResult]:
    """k(t) = sin(at)/(πt) is the inverse Fourier transform of the density (1/2π)·1_[−a,a] ≥ 0."""
    a = sp.Symbol("a", positive=True)
    inv = sp.simplify((sp.integrate(sp.exp(sp.I * w * t), (w, -a, a)) / (2 * sp.pi)).rewrite(sp.sin))
    off, diag = (inv.args[0][0], inv.args[-1][0]) if isinstance(inv, sp.Piecewise) else (inv, sp.limit(inv, t, 0))
    stated = sp.sin(a * t) / (sp.pi * t)
    res = _result("sinc: (1/2π)∫_{−a}^{a} e^{iωt} dω = sin(at)/(πt) (t ≠ 0)", off, stated,
                  "Bochner: k(x−y) = ∫ e^{iω(x−y)} μ(dω) with μ = (1/2π)·1_[−a,a](ω)dω ≥ 0, so every Gram "
                  "matrix is Σcᵢcⱼk = ∫|Σcᵢe^{iωxᵢ}|² μ(dω) ≥ 0; the transform is supported in [−a, a] (a > 0)")
    res0 = _result("sinc: the same integral at t = 0 equals the diagonal value a/π", diag, a / sp.pi,
                   "k(x, x) = a/π is the continuous extension used on the diagonal")
    return [res, res0]
    return [res]


def gaussian_fourier() -> tuple[SymbolicResult, bool]:
    """∫ e^{−t²/(2σ²)} e^{−iωt} dt = σ√(2π) e^{−σ²ω²/2}, which SymPy proves positive."""
    s = sp.Symbol("sigma", positive=True)
    derived = sp.simplify(sp.integrate(sp.exp(-t ** 2 / (2 * s ** 2)) * sp.cos(w * t), (t, -sp.oo, sp.oo)))
    stated = s * sp.sqrt(2 * sp.pi) * sp.exp(-s ** 2 * w ** 2 / 2)
    res = _result("Gaussian: Fourier transform of exp(−t²/(2σ²))", derived, stated,
                  "even function, so the transform is the cosine integral; in ℝ^p the transform is the product "
                  "of p such factors; positive ⇒ PSD (Bochner)")
    return res, bool(stated.is_positive)


def laplace_fourier() -> tuple[SymbolicResult, bool]:
    """1-D: ∫ e^{−|t|/σ} e^{−iωt} dt = 2σ/(1+σ²ω²) > 0."""
    s = sp.Symbol("sigma", positive=True)
    I = sp.integrate(sp.exp(-t / s) * sp.cos(w * t), (t, 0, sp.oo), conds="none")
    derived = sp.simplify(2 * I)
    stated = 2 * s / (1 + s ** 2 * w ** 2)
    res = _result("Laplace (ℝ¹): Fourier transform of exp(−|t|/σ)", derived, stated, "positive ⇒ PSD on ℝ (Bochner)")
    return res, bool(stated.is_positive)


def laplace_gaussian_mixture() -> SymbolicResult:
    """e^{−c} = ∫₀^∞ e^{−u} e^{−c²/(4u)} (πu)^{−1/2} du for c > 0: with c = ‖x−y‖/σ, the Laplace kernel on
    every ℝ^p is a mixture with nonnegative weights of Gaussian kernels exp(−‖x−y‖²/(4uσ²))."""
    u, c = sp.symbols("u c", positive=True)
    derived = sp.simplify(sp.integrate(sp.exp(-u - c ** 2 / (4 * u)) / sp.sqrt(sp.pi * u), (u, 0, sp.oo)))
    return _result("Laplace (ℝ^p): ∫₀^∞ e^{−u−c²/(4u)}/√(πu) du = e^{−c}", derived, sp.exp(-c),
                   "weights e^{−u}/√(πu) ≥ 0 and Gaussian kernels are PSD in every dimension, so the mixture is PSD")


def polynomial_expansion(max_d: int = 8) -> list[SymbolicResult]:
    """(αs+1)^d = Σ_j C(d,j) α^j s^j: for α ≥ 0 all coefficients are ≥ 0 and s^j = ⟨x,y⟩^j is PSD
    (Schur product), so the kernel is PSD; checked exactly for d = 0…max_d with α symbolic ≥ 0."""
    a = sp.Symbol("alpha", nonnegative=True)
    s = sp.Symbol("s", real=True)
    out = []
    for d in range(max_d + 1):
        coeffs = sp.Poly(sp.expand((a * s + 1) ** d), s).all_coeffs()
        nonneg = all(bool(sp.simplify(cf).is_nonnegative) for cf in coeffs)
        stated = sum(sp.binomial(d, j) * a ** j * s ** j for j in range(d + 1))
        r = _result(f"(αs+1)^{d} = Σ_j C({d},j) α^j s^j", sp.expand((a * s + 1) ** d), stated,
                    f"coefficients nonnegative for α ≥ 0: {nonneg}")
        out.append(SymbolicResult(r.name, r.holds and nonneg, r.derived, r.stated, r.residual, r.detail))
    return out


def polynomial_two_point(max_d: int = 8) -> list[tuple[int, sp.Expr, bool]]:
    """For α = −β < 0 and the points 0 and x with ‖x‖² = 1/(2β), the Gram matrix is
    [[1, 1], [1, (1/2)^d]] with determinant 2^{−d} − 1: (d, det, det < 0 proved)."""
    beta = sp.Symbol("beta", positive=True)
    out = []
    for d in range(0, max_d + 1):
        k00, k0x, kxx = sp.Integer(1), sp.Integer(1), sp.simplify((1 - beta * (1 / (2 * beta))) ** d)
        det = sp.simplify(k00 * kxx - k0x ** 2)
        out.append((d, det, bool(det.is_negative)))
    dd = sp.Symbol("d", integer=True)
    general = sp.solveset(sp.Rational(1, 2) ** dd - 1 >= 0, dd, sp.Interval(1, sp.oo))
    out.append(("d ≥ 1", sp.Rational(1, 2) ** dd - 1, general == sp.S.EmptySet))
    return out


def positive_exponent_two_point() -> tuple[sp.Expr, bool]:
    """exp(+s) kernels (s = ‖x−y‖²/(2σ²) or ‖x−y‖/σ, s > 0 for x ≠ y): the 2-point Gram matrix
    [[1, eˢ], [eˢ, 1]] has determinant 1 − e^{2s}; SymPy: {s > 0 : 1 − e^{2s} ≥ 0} = ∅."""
    s = sp.Symbol("s", real=True)
    det = sp.Matrix([[1, sp.exp(s)], [sp.exp(s), 1]]).det()
    return sp.simplify(det), sp.solveset(det >= 0, s, sp.Interval.open(0, sp.oo)) == sp.S.EmptySet


def feature_gram_identity(n: int = 3, D: int = 2) -> SymbolicResult:
    """Σᵢⱼcᵢcⱼ⟨φ(xᵢ),φ(xⱼ)⟩ = ‖Σᵢcᵢφ(xᵢ)‖² for symbolic c and feature vectors (Property 2's proof)."""
    c = sp.symbols(f"c0:{n}", real=True)
    phi = sp.Matrix(n, D, lambda i, j: sp.Symbol(f"phi{i}{j}", real=True))
    K = phi * phi.T
    lhs = sum(c[i] * c[j] * K[i, j] for i in range(n) for j in range(n))
    v = sum((c[i] * phi.row(i) for i in range(n)), sp.zeros(1, D))
    rhs = (v * v.T)[0, 0]
    return _result(f"Σcᵢcⱼk(xᵢ,xⱼ) = ‖Σcᵢφ(xᵢ)‖², n={n}, D={D}", sp.expand(lhs), sp.expand(rhs),
                   "symmetry is K = ΦΦᵀ = Kᵀ; the quadratic form is a squared norm, hence ≥ 0")
