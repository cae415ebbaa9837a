"""Symbolic gradients of the linear network of seed 003 §3:
Φ((β,A,u),x) = m^{−α} βᵀ(m^{−γ}A)u x, β, u ∈ ℝ^m, A ∈ ℝ^{m×m}, x ∈ ℝ.

Claim served: linear3.gradients — ∇_βΦ = x m^{−α−1/2} A u, ∇_uΦ = x m^{−α−1/2} Aᵀβ,
∇_AΦ = x m^{−α−1/2} β uᵀ (γ = 1/2). SymPy differentiates Φ entry by entry at a concrete m with
symbolic α, x and entries; `check_gradients` compares each block with the stated formula, which is
a keyword argument so that a test can hand in a wrong one and see `holds=False`.

`stated_gradients_numeric` evaluates the stated formulas with NumPy (no JAX), for the comparison
against JAX autodiff in verify/.
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import sympy as sp

from derive._result import SymbolicResult, is_zero, residual_of

__all__ = ["BLOCKS", "symbols", "phi", "gradient", "stated_gradients", "check_gradients", "check_rank_one",
           "stated_gradients_numeric"]

BLOCKS = ("beta", "A", "u")
ALPHA, X = sp.symbols("alpha x", real=True)
HALF = sp.Rational(1, 2)


def symbols(m: int):
    """β (m×1), A (m×m), u (m×1) as matrices of real symbols, 1-based names as in the source."""
    if not isinstance(m, int) or m < 1:
        raise ValueError(f"m={m!r}: the width must be a positive int (a concrete size for SymPy)")
    beta = sp.Matrix(m, 1, lambda i, _: sp.Symbol(f"beta_{i + 1}", real=True))
    A = sp.Matrix(m, m, lambda i, j: sp.Symbol(f"A_{i + 1}_{j + 1}", real=True))
    u = sp.Matrix(m, 1, lambda i, _: sp.Symbol(f"u_{i + 1}", real=True))
    return beta, A, u


def phi(m: int, gamma=HALF) -> tuple[sp.Expr, tuple]:
    beta, A, u = symbols(m)
    value = sp.Integer(m) ** (-ALPHA) * (beta.T * (sp.Integer(m) ** (-sp.sympify(gamma)) * A) * u)[0, 0] * X
    return value, (beta, A, u)


def gradient(m: int, gamma=HALF) -> dict[str, sp.Matrix]:
    """∂Φ/∂ of each entry of each block, shaped like the block."""
    value, (beta, A, u) = phi(m, gamma)
    return {name: block.applyfunc(lambda s: sp.diff(value, s)) for name, block in zip(BLOCKS, (beta, A, u))}


def _stated(beta, A, u, m) -> dict[str, sp.Matrix]:
    c = X * sp.Integer(m) ** (-ALPHA - HALF)
    return {"beta": c * A * u, "A": c * beta * u.T, "u": c * A.T * beta}


def stated_gradients(m: int) -> dict[str, sp.Matrix]:
    """The source's formulas (§3.2) in the symbols of `symbols(m)`."""
    return _stated(*symbols(m), m)


def check_gradients(m: int = 3, stated: Callable | None = None) -> list[SymbolicResult]:
    """One result per block: SymPy's ∂Φ/∂block − stated block simplifies to the zero matrix.
    `stated(beta, A, u, m)` returns the formulas to test (default: the source's)."""
    got = gradient(m)
    want = (stated or _stated)(*symbols(m), m)
    out = []
    for name in BLOCKS:
        res = residual_of(got[name] - want[name])
        out.append(SymbolicResult(f"linear3.gradients[{name}] m={m}", is_zero(res), str(got[name]), str(want[name]),
                                  str(res), f"SymPy ∂Φ/∂{name} entry by entry at m={m}, γ=1/2, symbolic α, x "
                                            "and entries, minus the stated block"))
    return out


def check_rank_one(m: int = 3) -> list[SymbolicResult]:
    """The source's steps (4)–(7) for ‖βuᵀ‖_op = ‖β‖‖u‖ with symbolic entries: (βuᵀ)v = β⟨u,v⟩, the Gram matrix
    ‖β‖²uuᵀ of rank one, u its eigenvector with eigenvalue ‖β‖²‖u‖², and Lagrange's identity (so ⟨u,v⟩² ≤
    ‖u‖²‖v‖², the sup at v = u/‖u‖)."""
    b, u, v = (sp.Matrix(sp.symbols(f"{n}1:{m + 1}", real=True)) for n in ("b", "u", "v"))
    M = b * u.T
    r1 = sp.expand((M * v - b * (u.T * v)[0]).norm() ** 2)
    gram = (M.T * M - (b.T * b)[0] * u * u.T).applyfunc(sp.expand)
    eig = sp.expand((M.T * M * u - (b.T * b)[0] * (u.T * u)[0] * u).norm() ** 2)
    lagrange = sp.expand((u.T * u)[0] * (v.T * v)[0] - (u.T * v)[0] ** 2
                         - sum((u[i] * v[j] - u[j] * v[i]) ** 2 for i in range(m) for j in range(i + 1, m)))
    return [SymbolicResult(f"(β uᵀ)x = β⟨u,x⟩ (m={m})", r1 == 0, str(M * v), "β⟨u,x⟩", str(r1), ""),
            SymbolicResult(f"(βuᵀ)ᵀ(βuᵀ) = ‖β‖² u uᵀ (rank one, m={m})", gram == sp.zeros(m, m), str(M.T * M),
                           "‖β‖²uuᵀ", str(gram), ""),
            SymbolicResult("u is an eigenvector with eigenvalue ‖β‖²‖u‖² (the only nonzero one)", eig == 0,
                           "(βuᵀ)ᵀ(βuᵀ)u", "‖β‖²‖u‖²u", str(eig), ""),
            SymbolicResult("Lagrange identity ‖u‖²‖x‖² − ⟨u,x⟩² = Σ_{i<j}(uᵢxⱼ−uⱼxᵢ)² ≥ 0 (sup at x = u/‖u‖)",
                           lagrange == 0, "‖u‖²‖x‖² − ⟨u,x⟩²", "Σ(uᵢxⱼ−uⱼxᵢ)²", str(lagrange), "")]


def stated_gradients_numeric(beta: np.ndarray, A: np.ndarray, u: np.ndarray, x: float,
                             alpha: float) -> Mapping[str, np.ndarray]:
    """The stated formulas in float64 (NumPy), for comparison with autodiff."""
    m = beta.shape[0]
    c = x * m ** (-alpha - 0.5)
    return {"beta": c * A @ u, "A": c * np.outer(beta, u), "u": c * A.T @ beta}
