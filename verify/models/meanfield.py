"""The mean-field average of seed 003 §4: g(u) = (1/m)Σⱼ maskⱼ φ(uⱼ), f = √m g, uⱼ iid N(0, I).

Two φ families, both pure JAX functions of explicit arrays:
  scalar     — uⱼ ∈ ℝ, φ ∈ PHIS (bounded φ'': the Taylor bound of §4.2 is finite);
  two-layer  — uⱼ = (aⱼ, bⱼ) ∈ ℝ^{1+d}, φ(uⱼ) = aⱼσ(⟨bⱼ,x⟩) ∈ ℝⁿ at the n inputs of X_INPUTS.
Arrays are padded to a fixed length M ≥ m with a 0/1 mask (one XLA compilation serves every width);
padded entries contribute nothing to g nor to its derivatives.

Closed forms (mpmath) of the expectations the claims compare with live at the end.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from verify._jax import jax, jnp
from verify.models._activations import activation


@dataclass(frozen=True)
class ScalarPhi:
    name: str
    fn: Callable  # jnp → jnp, elementwise
    first: Callable  # φ' by hand (NumPy): the stated formulas are evaluated with it, autodiff is checked against it
    second: Callable  # φ'' by hand (NumPy)
    sup_second: float  # ‖φ''‖_∞ (exact)
    sup_text: str


PHIS = {
    "sin": ScalarPhi("sin", jnp.sin, np.cos, lambda t: -np.sin(t), 1.0, "‖sin''‖_∞ = 1"),
    "tanh": ScalarPhi("tanh", jnp.tanh, lambda t: 1 / np.cosh(t) ** 2, lambda t: -2 * np.tanh(t) / np.cosh(t) ** 2,
                      4.0 / (3.0 * math.sqrt(3.0)), "‖tanh''‖_∞ = 4/(3√3) (at tanh² = 1/3)"),
}
ACTIVATIONS = {name: activation(name).f for name in ("erf", "tanh")}  # σ of the two-layer φ, from the one table
# The n = 2 inputs of the two-layer net (d = 2): unit-scale, neither parallel nor orthogonal, so that every
# entry of E[DφDφᵀ] is O(1) and nonzero.
X_INPUTS = np.array([[0.6, 0.8], [-0.8, 0.9]])


def erf_derivatives(z):
    """(σ', σ'') of σ = erf by hand (NumPy): σ' = (2/√π)e^{−z²}, σ'' = −2zσ'."""
    d1 = 2 / math.sqrt(math.pi) * np.exp(-np.asarray(z) ** 2)
    return d1, -2 * np.asarray(z) * d1


def phi_of(name: str) -> ScalarPhi:
    if name not in PHIS:
        raise ValueError(f"phi={name!r} is not a built-in φ; choose one of {', '.join(PHIS)}")
    return PHIS[name]


def act_of(name: str) -> Callable:
    if name not in ACTIVATIONS:
        raise ValueError(f"activation={name!r} is not built in; choose one of {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[name]


def mask(M: int, m) -> jax.Array:
    return (jnp.arange(M) < m).astype(jnp.float64)


# ---- scalar case -------------------------------------------------------------------------------------------

def g_scalar(u, msk, m, phi: Callable):
    return jnp.sum(msk * phi(u)) / m


def f_scalar(u, msk, m, phi: Callable):
    return jnp.sqrt(m) * g_scalar(u, msk, m, phi)


def second_derivative(phi: Callable) -> Callable:
    """φ'' elementwise, by autodiff of the scalar function."""
    return jax.vmap(jax.grad(jax.grad(phi)))


# ---- two-layer case ------------------------------------------------------------------------------------------

def phi_two_layer(uj, X, sigma: Callable):
    """φ(uⱼ) = aⱼσ(⟨bⱼ,x_k⟩) for each input x_k (rows of X): uⱼ = (aⱼ, bⱼ) → ℝⁿ."""
    return uj[0] * sigma(X @ uj[1:])


def g_two_layer(U, msk, m, X, sigma: Callable):
    """U: (M, 1+d) rows uⱼ → g(U) ∈ ℝⁿ."""
    return (msk @ jax.vmap(lambda uj: phi_two_layer(uj, X, sigma))(U)) / m


def f_two_layer(U, msk, m, x, sigma: Callable):
    """The net (1/√m)Σⱼ aⱼσ(⟨bⱼ,x⟩) at one input x = √m g."""
    return jnp.sqrt(m) * g_two_layer(U, msk, m, x[None, :], sigma)[0]


# ---- closed forms (mpmath) -------------------------------------------------------------------------------------

def mean_phi_prime_sq(name: str, dps: int = 30):
    """E[φ'(u)²], u ~ N(0,1): sin → E[cos²u] = (1 + e^{−2})/2; tanh → quadrature of sech⁴(u)·N(u)."""
    import mpmath

    phi_of(name)
    with mpmath.workdps(dps):
        if name == "sin":
            return (1 + mpmath.exp(-2)) / 2
        return mpmath.quad(lambda t: mpmath.sech(t) ** 4 * mpmath.npdf(t), [-mpmath.inf, 0, mpmath.inf])


def mean_phi_prime_sq_quadrature(name: str, dps: int = 30):
    """E[φ'(u)²] by Gauss–Legendre quadrature on the Gaussian density (the check of the closed form)."""
    import mpmath

    d1 = {"sin": mpmath.cos, "tanh": lambda t: mpmath.sech(t) ** 2}[phi_of(name).name]
    with mpmath.workdps(dps):
        return mpmath.quad(lambda t: d1(t) ** 2 * mpmath.npdf(t), [-mpmath.inf, -3, 0, 3, mpmath.inf])


def gram_limit(activation: str, method: str = "auto", dps: int = 30) -> np.ndarray:
    """E[Dφ(u)Dφ(u)ᵀ] (n×n) for φ(u) = aσ(⟨b,x⟩), a ~ N(0,1), b ~ N(0, I_d) independent:
    entry (k,l) = E[σ(bᵀx_k)σ(bᵀx_l)] + E[a²]·E[σ'(bᵀx_k)σ'(bᵀx_l)]·⟨x_k,x_l⟩ (the ∂/∂a and ∂/∂b rows).
    numeric.expectation draws u = ξ/√d, so the inputs are scaled by √d (uᵀ(√d x) = ξᵀx)."""
    from numeric import expectation

    act_of(activation)
    X = X_INPUTS
    d = X.shape[1]
    n = X.shape[0]
    out = np.zeros((n, n))
    for k in range(n):
        for l in range(n):
            xs, zs = [float(v) * math.sqrt(d) for v in X[k]], [float(v) * math.sqrt(d) for v in X[l]]
            ff = expectation(activation, "f", "f", "normal", xs, zs, dps=dps, method=method)
            dd = expectation(activation, "df", "df", "normal", xs, zs, dps=dps, method=method)
            out[k, l] = float(ff + dd * float(X[k] @ X[l]))
    return out
