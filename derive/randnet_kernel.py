"""SymPy for the infinite-width kernel recursion of seed 004: K ↦ C_W E[σ(z)σ(z')], z ~ N(0, K).

Claims served (randnet.relu-recursion, relu-critical, leaky-relu-critical, tanh-decay):
  relu_diagonal      C_W E[z² 1_{z>0}] = (C_W/2)K, integrated exactly.
  relu_orthogonal    off the diagonal at K(x,x') = 0 the recursion gives C_W E[relu(a)]E[relu(b)] =
                     C_W√(K K')/(2π) (a, b independent), not (C_W/2)·0: the stated relation fails.
  leaky_diagonal     E[σ(z)²] = (a₋² + a₊²)K/2 and E[σ'(z)²] = (a₋² + a₊²)/2: C_W = 2/(a₋² + a₊²) makes
                     both the length map and its slope χ = C_W E[σ'²] equal to 1 (criticality).
  tanh_asymptotics   E[tanh²(√K g)] = K − 2K² + (17/3)K³ + O(K⁴) from the Taylor series and the Gaussian
                     moments; hence 1/K_{L+1} − 1/K_L → 2 and (Stolz–Cesàro) L·K_L → 1/2, the exponent −1;
                     the next term 1/K_{L+1} − 1/K_L = 2 − (5/3)K_L + … gives 1/K_L = 2L − (5/6)ln L + O(1).
"""
from __future__ import annotations

import sympy as sp

from derive._result import SymbolicResult, is_zero, residual_of

__all__ = ["relu_diagonal", "relu_orthogonal", "leaky_diagonal", "tanh_series", "tanh_asymptotics"]

K, K2, C_W, T = sp.symbols("K K' C_W t", positive=True)
A_MINUS, A_PLUS = sp.symbols("a_- a_+", real=True)
Z = sp.Symbol("z", real=True)


def _density(var):
    return sp.exp(-Z**2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)


def _gauss(expr, var, lo=-sp.oo, hi=sp.oo):
    return sp.simplify(sp.integrate(expr * _density(var), (Z, lo, hi)))


def relu_diagonal(stated=C_W / 2 * K, c_w=C_W) -> SymbolicResult:
    derived = c_w * _gauss(Z**2, K, 0, sp.oo)
    r = residual_of(derived - stated)
    return SymbolicResult("randnet.relu-recursion diagonal: C_W E[z² 1_{z>0}]", is_zero(r), str(derived), str(stated),
                          str(r), "z ~ N(0, K), integrated exactly over (0, ∞)")


def relu_orthogonal(stated=sp.Integer(0)) -> SymbolicResult:
    """K⁽ᴸ⁺¹⁾(x,x') where K⁽ᴸ⁾(x,x') = 0: (a, b) independent, so the recursion factorises."""
    mean_a = _gauss(Z, K, 0, sp.oo)
    mean_b = mean_a.subs(K, K2)
    derived = sp.simplify(C_W * mean_a * mean_b)
    r = residual_of(derived - stated)
    return SymbolicResult("randnet.relu-recursion off-diagonal at K⁽ᴸ⁾(x,x') = 0", is_zero(r), str(derived),
                          f"(C_W/2)·K⁽ᴸ⁾(x,x') = {stated}", str(r),
                          "orthogonal preactivations are independent Gaussians: E[relu(a)relu(b)] = E[relu(a)]E[relu(b)]")


def leaky_diagonal(c_w=None) -> tuple[SymbolicResult, SymbolicResult]:
    """(length map C_W E[σ(z)²] = K, slope C_W E[σ'(z)²] = 1) at C_W = c_w (default 2/(a₋² + a₊²))."""
    c_w = 2 / (A_MINUS**2 + A_PLUS**2) if c_w is None else c_w
    second = _gauss(A_MINUS**2 * Z**2, K, -sp.oo, 0) + _gauss(A_PLUS**2 * Z**2, K, 0, sp.oo)
    slope = _gauss(A_MINUS**2, K, -sp.oo, 0) + _gauss(A_PLUS**2, K, 0, sp.oo)
    r1, r2 = residual_of(c_w * second - K), residual_of(c_w * slope - 1)
    return (SymbolicResult("C_W E[σ(z)²] = K (length map fixed)", is_zero(r1), str(sp.simplify(c_w * second)), "K",
                           str(r1), f"C_W = {c_w}, z ~ N(0, K)"),
            SymbolicResult("χ = C_W E[σ'(z)²] = 1 (perturbations neither grow nor shrink)", is_zero(r2),
                           str(sp.simplify(c_w * slope)), "1", str(r2), f"C_W = {c_w}"))


def tanh_series(order: int = 4) -> sp.Expr:
    """E[tanh²(√K g)] as a series in K to O(K^order): Taylor in t, then E[g^{2m}] = (2m−1)!!."""
    poly = sp.series(sp.tanh(T) ** 2, T, 0, 2 * order).removeO()
    g = sp.Symbol("g", real=True)
    expr = sp.expand(poly.subs(T, sp.sqrt(K) * g))
    out = sum(coeff * sp.factorial2(p - 1) for (p,), coeff in sp.Poly(expr, g).terms() if p % 2 == 0)
    return sp.expand(out)


def tanh_asymptotics(stated_prefactor=None) -> tuple[SymbolicResult, dict]:
    """lim (1/f(K) − 1/K) as K → 0 for f(K) = E[tanh²(√K g)] (C_W = 1); L·K_L → 1/that (Stolz–Cesàro).

    stated_prefactor: the claimed lim L·K_L (default the derived 1/2); returns the comparison and the
    coefficients {a, b, log_coefficient}."""
    f = tanh_series(4)
    a = -f.coeff(K, 2)
    b = f.coeff(K, 3)
    step = sp.series(1 / f - 1 / K, K, 0, 2).removeO()
    limit = step.subs(K, 0)
    prefactor = 1 / limit
    stated = prefactor if stated_prefactor is None else sp.nsimplify(stated_prefactor)
    r = residual_of(prefactor - stated)
    log_coeff = sp.simplify(step.coeff(K, 1) / limit)  # 1/K_L = limit·L + log_coeff·ln L + O(1)
    res = SymbolicResult("randnet.tanh-decay: lim L·K⁽ᴸ⁾(x,x) (C_W = 1)", is_zero(r), str(prefactor), str(stated),
                         str(r), f"E[tanh²(√K g)] = {f} + O(K⁴); 1/K_(L+1) − 1/K_L = {step} + O(K²)")
    return res, {"a": a, "b": b, "step_limit": limit, "log_coefficient": log_coeff, "series": f}
