"""The linear network of seed 003 §3: Φ((β,A,u),x) = m^{−α} βᵀ(m^{−γ}A)u x, one GD step.

Init βᵢ, Aᵢⱼ, uᵢ iid N(0,1); x ∈ ℝ. The loss is the square loss F(t) = (t − y)²/2 (F'(0) = −y ≠ 0
for y ≠ 0); one step θ¹ = θ⁰ − η∇_θF(Φ(θ⁰,x)) with η = m^a. Pure functions of explicit arrays.
"""
from __future__ import annotations

from typing import NamedTuple

from verify._jax import jax, jnp

X_INPUT = 1.0  # x: the source keeps a generic scalar input; x = 1 makes x² = 1 in every stated law
Y_TARGET = 1.0  # y of F(t) = (t − y)²/2: F'(0) = −1 ≠ 0


class Params(NamedTuple):
    beta: jax.Array  # (m,)
    A: jax.Array  # (m, m)
    u: jax.Array  # (m,)


def init(key: jax.Array, m: int) -> Params:
    kb, ka, ku = jax.random.split(key, 3)
    return Params(jax.random.normal(kb, (m,)), jax.random.normal(ka, (m, m)), jax.random.normal(ku, (m,)))


def forward(p: Params, x, alpha, gamma=0.5):
    m = p.beta.shape[0]
    return m ** (-alpha) * (p.beta @ ((m ** (-gamma) * p.A) @ p.u)) * x


def gradients(p: Params, x, alpha) -> Params:
    """The stated blocks (γ = 1/2): ∇_β = x m^{−α−1/2}Au, ∇_A = x m^{−α−1/2}βuᵀ, ∇_u = x m^{−α−1/2}Aᵀβ."""
    m = p.beta.shape[0]
    c = x * m ** (-alpha - 0.5)
    return Params(c * (p.A @ p.u), c * jnp.outer(p.beta, p.u), c * (p.A.T @ p.beta))


def loss(t, y=Y_TARGET):
    return 0.5 * (t - y) ** 2


def dloss(t, y=Y_TARGET):
    return t - y


def gd_step(p: Params, x, alpha, a, y=Y_TARGET, eta_scale=1.0) -> Params:
    """θ¹ = θ⁰ − η F'(Φ(θ⁰,x)) ∇_θΦ(θ⁰,x), η = eta_scale·m^a."""
    m = p.beta.shape[0]
    g = gradients(p, x, alpha)
    s = eta_scale * m ** a * dloss(forward(p, x, alpha), y)
    return jax.tree_util.tree_map(lambda q, d: q - s * d, p, g)


def op_norm(A: jax.Array, start: jax.Array, iterations=40) -> jax.Array:
    """‖A‖_op by power iteration on AᵀA from `start` (a lower estimate; the deficit is a
    width-independent ~1% for iid Gaussian A at 40 iterations, see tests)."""

    def body(_, v):
        w = A.T @ (A @ v)
        return w / jnp.linalg.norm(w)

    v = jax.lax.fori_loop(0, iterations, body, start / jnp.linalg.norm(start))
    return jnp.linalg.norm(A @ v)


def gd_trajectory(p: Params, x, alpha, a, steps: int, eta_scale=1.0, y=Y_TARGET):
    """T = steps GD steps with η = eta_scale·m^a: (θᵀ, [Φ(θᵗ,x) for t = 0..T])."""

    def step(q, _):
        return gd_step(q, x, alpha, a, y, eta_scale), forward(q, x, alpha)

    pT, phis = jax.lax.scan(step, p, None, length=steps)
    return pT, jnp.append(phis, forward(pT, x, alpha))


def linearized_trajectory(phi0, kernel0, eta, steps: int, y=Y_TARGET):
    """GD on F(Φ^lin(θ)), Φ^lin(θ) = Φ(θ⁰) + ⟨θ−θ⁰, ∇_θΦ(θ⁰)⟩, from θ⁰: the parameters move along
    ∇_θΦ(θ⁰) only, so the whole run is the scalar recursion Φ̄ₜ₊₁ = Φ̄ₜ − ηF'(Φ̄ₜ)K₀ with
    K₀ = ‖∇_θΦ(θ⁰)‖², and θ̄ᵀ − θ⁰ = −η(Σₜ F'(Φ̄ₜ))∇_θΦ(θ⁰). Returns ([Φ̄ₜ for t = 0..T], η Σₜ F'(Φ̄ₜ))."""

    def step(phi, _):
        return phi - eta * dloss(phi, y) * kernel0, phi

    phiT, phis = jax.lax.scan(step, phi0, None, length=steps)
    phis = jnp.append(phis, phiT)
    return phis, eta * jnp.sum(dloss(phis[:-1], y))
