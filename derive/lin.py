"""Symbolic derivations for the linearisation claims (seeds 001, 002).

Claims served:
  lin.delta-identity         Σᵢ(Φ^lin(xᵢ,w)−yᵢ)² = Σᵢ(⟨∇_wΦ(xᵢ,w₀),w⟩+δᵢ)², generic gradient vectors → `check_delta_identity`
  lin.first-order-model      Φ^lin(w₀)=Φ(w₀), ∇Φ^lin=∇Φ(w₀); f_lin = ‖Jw − ỹ‖² (least squares, features
                             φ(xᵢ)=∇_wΦ(xᵢ,w₀)); ⟨φ(x),φ(z)⟩ = K_n's block formula            → `check_first_order`
  lin.kernel-depends-on-w0   ∂K_n(x,x)/∂v₁ ≢ 0 for the shallow network, σ generic              → `check_kernel_depends`
  lin.assumption-11-12       the proof step of Theorem 11.13 (kernel drift on B_r(w₀) ≤ 2mULr ≤ λ_min/3)
                             with the stated constants and with λ_min² and r = 2√m U√f/λ_min  → `check_constants`

σ is derive.shallow.SIGMA (undefined), so identities hold for every differentiable σ.
"""
from __future__ import annotations

import sympy as sp

from derive._result import SymbolicResult, is_zero, residual_of
from derive.shallow import SIGMA, _check_size, _phi_at, symbols

__all__ = ["check_delta_identity", "check_first_order", "check_kernel_depends", "check_constants", "drift_bound"]


def _result(name, derived, stated, detail) -> SymbolicResult:
    res = residual_of(sp.expand(derived - stated))
    return SymbolicResult(name, is_zero(res), str(derived), str(stated), str(res), detail)


def check_delta_identity(m: int = 3, P: int = 4) -> SymbolicResult:
    """Generic gradient vectors gᵢ ∈ ℝᴾ, values Φ(xᵢ,w₀) =: aᵢ, targets yᵢ, w, w₀ all free symbols."""
    m, P = _check_size(m, "m", "the number of data points"), _check_size(P, "P", "the number of parameters")
    g = sp.Matrix(m, P, lambda i, j: sp.Symbol(f"g_{{{i + 1},{j + 1}}}", real=True))
    w = sp.Matrix(P, 1, lambda j, _: sp.Symbol(f"w_{j + 1}", real=True))
    w0 = sp.Matrix(P, 1, lambda j, _: sp.Symbol(f"w0_{j + 1}", real=True))
    a = [sp.Symbol(f"a_{i + 1}", real=True) for i in range(m)]
    y = [sp.Symbol(f"y_{i + 1}", real=True) for i in range(m)]
    lhs = sum(((a[i] + (g[i, :] * (w - w0))[0]) - y[i]) ** 2 for i in range(m))
    delta = [a[i] - (g[i, :] * w0)[0] - y[i] for i in range(m)]
    rhs = sum(((g[i, :] * w)[0] + delta[i]) ** 2 for i in range(m))
    return _result(f"lin.delta-identity m={m} P={P}", lhs, rhs,
                   "aᵢ = Φ(xᵢ,w₀), gᵢ = ∇_wΦ(xᵢ,w₀) free symbols: the identity needs no property of Φ")


def check_first_order(n: int = 2, d: int = 2, m: int = 2) -> list[SymbolicResult]:
    """On the shallow network with generic σ: Φ^lin is the tangent of Φ at w₀; its square loss is
    ‖Jw − ỹ‖² with ỹ = y − Φ(X,w₀) + Jw₀; and ⟨∇Φ(x,w₀),∇Φ(z,w₀)⟩ is K_n's block formula."""
    sym = symbols(n, d)
    params = sym.parameters
    w = sp.Matrix([sp.Symbol(f"p_{k + 1}", real=True) for k in range(len(params))])
    w0 = sp.Matrix(params)
    xs = [sp.Matrix(d, 1, lambda j, _, i=i: sp.Symbol(f"x{i + 1}_{j + 1}", real=True)) for i in range(m)]
    ys = [sp.Symbol(f"y_{i + 1}", real=True) for i in range(m)]
    phis = [_phi_at(sym, x, SIGMA) for x in xs]
    grads = [sp.Matrix([sp.diff(f, p) for p in params]) for f in phis]
    lin = [phis[i] + (grads[i].T * (w - w0))[0] for i in range(m)]
    out = []
    # (1) value and gradient of Φ^lin at w₀
    at_w0 = dict(zip(w, w0))
    out.append(_result("Φ^lin(x,w₀) = Φ(x,w₀)", lin[0].subs(at_w0), phis[0], f"n={n}, d={d}, σ generic"))
    dlin = sp.Matrix([sp.diff(lin[0], p) for p in w])
    out.append(_result("∇_wΦ^lin(x,w) = ∇_wΦ(x,w₀) for all w", sp.expand((dlin - grads[0]).T * (dlin - grads[0]))[0],
                       sp.S.Zero, "squared norm of the difference of the gradients"))
    # (2) least squares with the feature map φ(xᵢ) = ∇_wΦ(xᵢ,w₀)
    J = sp.Matrix.vstack(*[g.T for g in grads])
    ytil = sp.Matrix(ys) - sp.Matrix(phis) + J * w0
    res = J * w - ytil
    out.append(_result("Σᵢ(Φ^lin(xᵢ,w)−yᵢ)² = ‖Jw − ỹ‖², ỹ = y − Φ(X,w₀) + Jw₀", sum((lin[i] - ys[i]) ** 2 for i in range(m)),
                       (res.T * res)[0], f"m={m} inputs: ordinary least squares in w with design matrix J"))
    # (3) the kernel of that regression is K_n's block formula
    h1, h2 = sym.preactivation(xs[0]), sym.preactivation(xs[1 % m])
    ds = lambda t: sp.diff(SIGMA(sp.Symbol("t")), sp.Symbol("t")).subs(sp.Symbol("t"), t)
    block = ((xs[0].T * xs[1 % m])[0] + 1) * sum(sym.v[i] ** 2 * ds(h1[i]) * ds(h2[i]) for i in range(n)) \
        + sum(SIGMA(h1[i]) * SIGMA(h2[i]) for i in range(n)) + 1
    out.append(_result("⟨φ(x),φ(z)⟩ = (xᵀz+1)Σᵢvᵢ²σ'(hᵢ(x))σ'(hᵢ(z)) + Σᵢσ(hᵢ(x))σ(hᵢ(z)) + 1",
                       (grads[0].T * grads[1 % m])[0], block, "the structured K_n of verify/models/shallow.py"))
    return out


def check_kernel_depends(n: int = 2, d: int = 2) -> SymbolicResult:
    """∂K_n(x,x)/∂v₁ = 2v₁σ'(h₁)²(‖x‖²+1): not identically zero, so K_n changes with w₀.
    `holds` is True when SymPy finds the derivative equal to the stated non-zero expression."""
    sym = symbols(n, d)
    f = _phi_at(sym, sym.x, SIGMA)
    g = sp.Matrix([sp.diff(f, p) for p in sym.parameters])
    K = (g.T * g)[0]
    dK = sp.diff(K, sym.v[0])
    t = sp.Symbol("t")
    h1 = sym.preactivation()[0]
    stated = 2 * sym.v[0] * sp.diff(SIGMA(t), t).subs(t, h1) ** 2 * ((sym.x.T * sym.x)[0] + 1)
    r = _result("∂K_n(x,x)/∂v₁ = 2v₁σ'(h₁(x))²(‖x‖²+1) ≢ 0", dK, stated,
                "a non-zero derivative in a coordinate of w₀ (for v₁ ≠ 0, σ'(h₁) ≠ 0): K_n is not constant in w₀")
    return r


def drift_bound(m, U, L, r):
    """The proof step: on B_r(w₀), |K_w(xᵢ,xⱼ) − K_{w₀}(xᵢ,xⱼ)| ≤ 2ULr per entry, so ‖K_w − K_{w₀}‖₂ ≤ 2mULr."""
    return 2 * m * U * L * r


def check_constants() -> list[SymbolicResult]:
    """With L at the bound of (d) and r of (d): is the kernel drift bound 2mULr = λ_min/3 (what keeps the
    kernel's smallest eigenvalue ≥ 2λ_min/3 on the ball)? And is (d) invariant under w = s·w'
    (λ → s²λ, U → sU, L → s²L, r → r/s), as any condition on GD with h ∝ 1/λ must be?"""
    m, U, lam, f, s = sp.symbols("m U lambda_min f s", positive=True)
    out = []
    for label, L, r in (
        ("stated: L = λ_min/(12m^{3/2}U²√f), r = 2√f/(√m U)", lam / (12 * m**sp.Rational(3, 2) * U**2 * sp.sqrt(f)),
         2 * sp.sqrt(f) / (sp.sqrt(m) * U)),
        ("corrected: L = λ_min²/(12m^{3/2}U²√f), r = 2√m U√f/λ_min", lam**2 / (12 * m**sp.Rational(3, 2) * U**2 * sp.sqrt(f)),
         2 * sp.sqrt(m) * U * sp.sqrt(f) / lam),
    ):
        out.append(_result(f"2mULr = λ_min/3, {label}", sp.simplify(drift_bound(m, U, L, r)), lam / 3,
                           "the step of the proof of Theorem 11.13 that (d) must close"))
        # units: the ratio L_bound/L must not change under w = s·w'
        scaled = L.subs({lam: s**2 * lam, U: s * U}, simultaneous=True) / (s**2)
        out.append(_result(f"(d) invariant under w = s·w', {label}", sp.simplify(scaled / L), sp.S.One,
                           "bound(s)/s² ÷ bound(1) must be 1: L scales like s², λ_min like s², U like s"))
    return out
