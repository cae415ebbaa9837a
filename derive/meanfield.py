"""Symbolic derivatives of the mean-field average of seed 003 §4: g(u) = (1/m)Σⱼφ(uⱼ), f = √m g.

Claims served (meanfield.*):
  scalar case, uⱼ ∈ ℝ, φ an undefined SymPy Function — ∂g/∂uⱼ = φ'(uⱼ)/m, ‖∇g‖² = (1/m²)Σφ'(uⱼ)²,
      D²g = diag(φ''(uⱼ)/m) (`check_scalar`); the second-order Taylor term of f (`check_taylor`);
      the counterexample u = 0, φ = sin to ‖D²g(u)‖_op = ‖φ''‖_∞/m (`hessian_at_zero_for_sin`).
  general case, uⱼ ∈ ℝᵈ — D²g is block diagonal with d×d blocks (1/m)D²φ(uⱼ), for an undefined
      φ: ℝᵈ → ℝ (`check_blocks`) and for the two-layer φ(uⱼ) = aⱼσ(⟨bⱼ,x⟩), uⱼ = (aⱼ,bⱼ), σ undefined
      (`check_two_layer`); Dg Dgᵀ = (1/m²)Σⱼ Dφ(uⱼ)Dφ(uⱼ)ᵀ for an undefined φ: ℝᵈ → ℝⁿ (`check_gram`).
  operator norms of 2×2 matrices with symbolic entries (`check_opnorm_2x2`).

Each check takes the stated formula as a keyword argument, so a test can hand in a wrong one and see
`holds=False`. Sizes are small concrete integers (SymPy differentiates entry by entry).
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

from derive._result import SymbolicResult, is_zero, residual_of

__all__ = ["PHI", "SIGMA", "scalar_symbols", "g_scalar", "check_scalar", "check_taylor", "hessian_at_zero_for_sin",
           "block_symbols", "check_blocks", "check_two_layer", "two_layer_blocks", "check_gram", "check_opnorm_2x2"]

PHI = sp.Function("phi")
SIGMA = sp.Function("sigma")


def _size(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name}={value!r}: must be a positive int (a concrete size for SymPy)")
    return value


def _result(name: str, derived, stated, how: str) -> SymbolicResult:
    res = residual_of(sp.Matrix(derived) - sp.Matrix(stated)) if isinstance(derived, sp.MatrixBase) \
        else residual_of(derived - stated)
    return SymbolicResult(name, is_zero(res), str(derived), str(stated), str(res), how)


# ---- scalar case ------------------------------------------------------------------------------------------

def scalar_symbols(m: int) -> list[sp.Symbol]:
    return list(sp.symbols(f"u1:{_size('m', m) + 1}", real=True))


def g_scalar(u, phi=PHI) -> sp.Expr:
    return sp.Add(*[phi(v) for v in u]) / len(u)


def _stated_scalar(u, m):
    d1 = [sp.Derivative(PHI(v), v).doit() for v in u]
    d2 = [sp.Derivative(PHI(v), v, 2).doit() for v in u]
    return {"gradient": sp.Matrix(d1) / m,
            "norm2": sp.Add(*[t ** 2 for t in d1]) / m ** 2,
            "hessian": sp.diag(*d2) / m}


def check_scalar(m: int = 3, stated: Callable | None = None) -> list[SymbolicResult]:
    """∇g, ‖∇g‖² and D²g of g(u) = (1/m)Σφ(uⱼ) for an undefined φ against `stated(u, m)` (default: §4.2)."""
    u = scalar_symbols(m)
    g = g_scalar(u)
    grad = sp.Matrix([sp.diff(g, v) for v in u])
    hess = sp.hessian(g, u)
    want = (stated or _stated_scalar)(u, m)
    how = f"SymPy on g(u) = (1/m)Σφ(uⱼ), φ an undefined function, m={m}"
    return [_result(f"∇g = (φ'(uⱼ)/m)ⱼ, m={m}", grad, want["gradient"], how),
            _result(f"‖∇g‖² = (1/m²)Σφ'(uⱼ)², m={m}", (grad.T * grad)[0, 0], want["norm2"], how),
            _result(f"D²g = diag(φ''(uⱼ)/m), m={m}", hess, want["hessian"], how)]


def check_taylor(m: int = 3) -> list[SymbolicResult]:
    """f(u + t h) with f = √m g: d/dt at 0 is √m⟨∇g(u),h⟩ and d²/dt² at 0 is (1/√m)Σφ''(uⱼ)hⱼ² —
    so the remainder of the first-order expansion is (t²/(2√m))Σφ''(ξⱼ)hⱼ² (Lagrange, per coordinate)."""
    u = scalar_symbols(m)
    h = list(sp.symbols(f"h1:{m + 1}", real=True))
    t = sp.Symbol("t", real=True)
    f = sp.sqrt(m) * g_scalar([a + t * b for a, b in zip(u, h)])
    grad = [sp.diff(g_scalar(u), v) for v in u]
    first = sp.diff(f, t).subs(t, 0).doit()
    second = sp.diff(f, t, 2).subs(t, 0).doit()
    stated1 = sp.sqrt(m) * sp.Add(*[a * b for a, b in zip(grad, h)])
    stated2 = sp.Add(*[sp.diff(PHI(v), v, 2) * b ** 2 for v, b in zip(u, h)]) / sp.sqrt(m)
    how = f"SymPy: derivatives in t of f(u + t h) = √m g(u + t h) at t = 0, φ undefined, m={m}"
    return [_result(f"d/dt f(u+th)|₀ = √m⟨∇g(u),h⟩, m={m}", first, stated1, how),
            _result(f"d²/dt² f(u+th)|₀ = (1/√m)Σφ''(uⱼ)hⱼ², m={m}", second, stated2, how)]


def hessian_at_zero_for_sin(m: int = 3) -> tuple[sp.Matrix, sp.Expr, sp.Expr]:
    """(D²g(0), its operator norm, ‖sin''‖_∞/m) for φ = sin: sin''(0) = 0, so D²g(0) = 0 while the
    stated value is 1/m. The operator norm of a diagonal matrix is the largest |entry| (exact)."""
    u = scalar_symbols(m)
    hess = sp.hessian(g_scalar(u, sp.sin), u).subs({v: 0 for v in u})
    op = sp.Max(*[sp.Abs(hess[i, i]) for i in range(m)]) if hess.is_diagonal() else None
    if op is None:
        raise AssertionError("D²g(0) is not diagonal: check_scalar would have failed first")
    s = sp.Symbol("s", real=True)
    second = sp.diff(sp.sin(s), s, 2)
    sup = sp.Max(sp.maximum(second, s, sp.Reals), -sp.minimum(second, s, sp.Reals))  # ‖sin''‖_∞ = 1
    return hess, sp.simplify(op), sup / m


# ---- general case: uⱼ ∈ ℝᵈ ----------------------------------------------------------------------------------

def block_symbols(m: int, d: int) -> list[list[sp.Symbol]]:
    """uⱼ = (u_{j,1}, …, u_{j,d}) for j = 1…m."""
    _size("m", m), _size("d", d)
    return [list(sp.symbols(f"u{j}_1:{d + 1}", real=True)) for j in range(1, m + 1)]


def _block_structure(g: sp.Expr, blocks: list[list[sp.Symbol]], phis: list[sp.Expr], m: int, label: str,
                     stated_block: Callable | None) -> list[SymbolicResult]:
    flat = [s for b in blocks for s in b]
    d = len(blocks[0])
    hess = sp.hessian(g, flat)
    block = stated_block or (lambda phi_j, u_j, m: sp.hessian(phi_j, u_j) / m)
    stated = sp.diag(*[block(p, b, m) for p, b in zip(phis, blocks)])
    off = sp.Matrix(m * d, m * d, lambda i, j: hess[i, j] if i // d != j // d else 0)
    how = f"SymPy Hessian of g over all m·d = {m * d} coordinates ({label}), against the stated block diagonal"
    return [_result(f"off-diagonal blocks of D²g vanish ({label}, m={m}, d={d})", off, sp.zeros(m * d, m * d), how),
            _result(f"D²g = blockdiag((1/m)D²φ(uⱼ)) ({label}, m={m}, d={d})", hess, stated, how)]


def check_blocks(m: int = 3, d: int = 2, stated_block: Callable | None = None) -> list[SymbolicResult]:
    """D²g for an undefined φ: ℝᵈ → ℝ. `stated_block(φ(uⱼ), uⱼ, m)` is the claimed j-th diagonal block."""
    blocks = block_symbols(m, d)
    phis = [PHI(*b) for b in blocks]
    return _block_structure(sp.Add(*phis) / m, blocks, phis, m, "φ: ℝᵈ→ℝ undefined", stated_block)


def _two_layer(m: int, d_in: int):
    x = list(sp.symbols(f"x1:{_size('d_in', d_in) + 1}", real=True))
    blocks = [[sp.Symbol(f"a{j}", real=True)] + list(sp.symbols(f"b{j}_1:{d_in + 1}", real=True))
              for j in range(1, _size("m", m) + 1)]
    phis = [b[0] * SIGMA(sp.Add(*[bk * xk for bk, xk in zip(b[1:], x)])) for b in blocks]
    return x, blocks, phis


def two_layer_blocks(a, b, x) -> sp.Matrix:
    """The explicit (1+d)×(1+d) Hessian of φ = aσ(⟨b,x⟩): [[0, σ'(z)xᵀ], [σ'(z)x, aσ''(z)xxᵀ]], z = ⟨b,x⟩."""
    z = sp.Add(*[bk * xk for bk, xk in zip(b, x)])
    s = sp.Symbol("s")
    d1 = sp.diff(SIGMA(s), s).subs(s, z)
    d2 = sp.diff(SIGMA(s), s, 2).subs(s, z)
    xv = sp.Matrix(x)
    top = sp.Matrix([[0] + list(d1 * xv.T)])
    bottom = (d1 * xv).row_join(a * d2 * xv * xv.T)
    return top.col_join(bottom)


def check_two_layer(m: int = 2, d_in: int = 2, stated_block: Callable | None = None) -> list[SymbolicResult]:
    """The two-layer case φ(uⱼ) = aⱼσ(⟨bⱼ,x⟩): block diagonal with the autodiff block, and that block
    equal to the explicit `two_layer_blocks` (over m)."""
    x, blocks, phis = _two_layer(m, d_in)
    out = _block_structure(sp.Add(*phis) / m, blocks, phis, m, "φ = aσ(⟨b,x⟩), σ undefined", stated_block)
    u = blocks[0]
    derived = sp.hessian(phis[0], u)
    out.append(_result(f"D²φ(u₁) = [[0, σ'xᵀ], [σ'x, aσ''xxᵀ]] (d_in={d_in})", derived,
                       two_layer_blocks(u[0], u[1:], x),
                       "SymPy Hessian of aσ(⟨b,x⟩) in (a, b) against the explicit blocks"))
    return out


def check_gram(m: int = 3, d: int = 2, n: int = 2, stated: Callable | None = None) -> list[SymbolicResult]:
    """Dg(u)Dg(u)ᵀ for an undefined φ = (φ₁, …, φₙ): ℝᵈ → ℝⁿ, against `stated(Dφ list, m)`
    (default (1/m²)Σⱼ Dφ(uⱼ)Dφ(uⱼ)ᵀ)."""
    _size("n", n)
    blocks = block_symbols(m, d)
    comps = [sp.Function(f"phi{k}") for k in range(1, n + 1)]
    g = sp.Matrix([sp.Add(*[c(*b) for b in blocks]) / m for c in comps])
    jac = g.jacobian([s for b in blocks for s in b])
    dphis = [sp.Matrix([c(*b) for c in comps]).jacobian(b) for b in blocks]
    want = (stated or (lambda ds, m: sp.Add(*[D * D.T for D in ds]) / m ** 2))(dphis, m)
    return [_result(f"Dg Dgᵀ = (1/m²)Σⱼ Dφ(uⱼ)Dφ(uⱼ)ᵀ (m={m}, d={d}, n={n})", jac * jac.T, want,
                    "SymPy Jacobian of g: ℝ^{d·m} → ℝⁿ, φ undefined, times its transpose")]


# ---- operator norms, 2×2 ------------------------------------------------------------------------------------

def check_opnorm_2x2() -> list[SymbolicResult]:
    """Property 5 and 6 of §4.3 for 2×2 matrices with symbolic entries.

    ‖A‖_op² = λ_max(AᵀA) (Rayleigh). (i) AᵀA and AAᵀ have one characteristic polynomial, so
    ‖A‖_op = ‖Aᵀ‖_op. (ii) B = AᵀA has trace Σa² ≥ 0 and determinant det(A)² ≥ 0 (eigenvalues ≥ 0),
    and B² has the characteristic polynomial with roots λ₁², λ₂²: so ‖B‖_op = λ_max(B²)^{1/2} = λ_max(B)
    = ‖A‖_op². (iii) S symmetric, x = (cos t, sin t): xᵀSx = tr/2 + ((p−r)/2)cos 2t + q sin 2t, whose
    amplitude² equals tr²/4 − det = ((λ₊−λ₋)/2)²: xᵀSx sweeps exactly [λ₋, λ₊] on the circle (and
    ‖x‖² times that on the ball), so sup_{‖x‖≤1}|xᵀSx| = max|λ| = ‖S‖_op by (ii) with SᵀS = S².
    """
    a, b, c, d, p, q, r, t = sp.symbols("a b c d p q r t", real=True)
    X = sp.Symbol("X")  # charpoly's generator carries no assumptions: a real X would be another symbol
    A = sp.Matrix([[a, b], [c, d]])
    B = A.T * A
    out = [_result("charpoly(AᵀA) = charpoly(AAᵀ) ⇒ ‖A‖_op = ‖Aᵀ‖_op", B.charpoly(X).as_expr(),
                   (A * A.T).charpoly(X).as_expr(), "SymPy characteristic polynomials, symbolic 2×2 A"),
           _result("det(AᵀA) = det(A)² ≥ 0 (eigenvalues of AᵀA are ≥ 0, trace Σa² ≥ 0)", B.det(), A.det() ** 2,
                   "SymPy determinant")]
    tr, det = B.trace(), B.det()
    out.append(_result("charpoly(B²) has roots λ², B = AᵀA ⇒ ‖AᵀA‖_op = ‖A‖_op²", (B * B).charpoly(X).as_expr(),
                       X ** 2 - (tr ** 2 - 2 * det) * X + det ** 2,
                       "SymPy: (X−λ₁²)(X−λ₂²) = X² − (tr² − 2det)X + det²"))
    S = sp.Matrix([[p, q], [q, r]])
    x = sp.Matrix([sp.cos(t), sp.sin(t)])
    quad = sp.expand_trig((x.T * S * x)[0, 0])
    form = sp.expand_trig((p + r) / 2 + (p - r) / 2 * sp.cos(2 * t) + q * sp.sin(2 * t))
    out.append(_result("xᵀSx = tr/2 + ((p−r)/2)cos2t + q sin2t on the unit circle", quad, form,
                       "SymPy expand_trig"))
    trs, dets = S.trace(), S.det()
    disc = sp.sqrt(((p - r) / 2) ** 2 + q ** 2)  # ≥ 0: the eigenvalues are real
    lam_p, lam_m = trs / 2 + disc, trs / 2 - disc
    out.append(_result("λ± = tr/2 ± √(((p−r)/2)² + q²) are the roots of charpoly(S)",
                       sp.Matrix([S.charpoly(X).as_expr().subs(X, lam_p), S.charpoly(X).as_expr().subs(X, lam_m)]),
                       sp.zeros(2, 1), "SymPy substitution into the characteristic polynomial"))
    out.append(_result("amplitude² = ((λ₊−λ₋)/2)² = tr²/4 − det: xᵀSx sweeps [λ₋, λ₊]", ((p - r) / 2) ** 2 + q ** 2,
                       trs ** 2 / 4 - dets, "SymPy: the amplitude of the cos/sin form against the spectrum"))
    return out
