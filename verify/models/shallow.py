"""The one-hidden-layer network Φ(x,w) = vᵀσ(Ux+b)+c of seeds 000/001 (Petersen–Zech §11.5).

Parameters are a `Params` named tuple (U, b, v, c) so that JAX autodiff sees the same blocks the
source writes gradients for. Everything here is a pure function of explicit arrays and keys.
"""
from __future__ import annotations

from typing import NamedTuple

from verify._jax import jax, jnp
from verify.models._activations import Activation
from verify.models._laws import Law


class Params(NamedTuple):
    U: jax.Array  # (n, d)
    b: jax.Array  # (n,)
    v: jax.Array  # (n,)
    c: jax.Array  # ()


def param_count(params: Params) -> int:
    return sum(int(leaf.size) for leaf in jax.tree_util.tree_leaves(params))


def lecun_init(key: jax.Array, n: int, d: int, base: Law) -> Params:
    """U₀ᵢⱼ ~ 𝒟(0,1/d), v₀ᵢ ~ 𝒟(0,1/n), b₀ = c₀ = 0 (seed 000 §11.5.2)."""
    ku, kv = jax.random.split(key)
    U = base.sample(ku, (n, d)) / jnp.sqrt(d)
    v = base.sample(kv, (n,)) / jnp.sqrt(n)
    return Params(U, jnp.zeros(n), v, jnp.zeros(()))


def forward(params: Params, x: jax.Array, act: Activation) -> jax.Array:
    """Φ(x,w) for one input x of shape (d,)."""
    return params.v @ act.f(params.U @ x + params.b) + params.c


def forward_batch(params: Params, X: jax.Array, act: Activation) -> jax.Array:
    """Φ(X,w) = (Φ(xᵢ,w))ᵢ for X of shape (m, d)."""
    return act.f(X @ params.U.T + params.b) @ params.v + params.c


def ntk(params: Params, x: jax.Array, z: jax.Array, act: Activation) -> jax.Array:
    """K_n(x,z) = ⟨∇_wΦ(x,w), ∇_wΦ(z,w)⟩ from the block structure, in O(n·d), no Jacobian.

    ∇_U, ∇_b give Σᵢ vᵢ²σ'(hᵢ(x))σ'(hᵢ(z))(xᵀz+1); ∇_v gives Σᵢ σ(hᵢ(x))σ(hᵢ(z)); ∇_c gives 1.
    """
    hx = params.U @ x + params.b
    hz = params.U @ z + params.b
    first = jnp.sum(params.v**2 * act.df(hx) * act.df(hz)) * (x @ z + 1.0)
    second = jnp.sum(act.f(hx) * act.f(hz))
    return first + second + 1.0


def ntk_matrix(params: Params, X: jax.Array, act: Activation) -> jax.Array:
    """(K_n(xᵢ,xⱼ))ᵢⱼ for X of shape (m, d), structured as `ntk`: O(m²·n) memory-free of P."""
    H = X @ params.U.T + params.b  # (m, n)
    S, dS = act.f(H), act.df(H) * params.v
    return (dS @ dS.T) * (X @ X.T + 1.0) + S @ S.T + 1.0


def ntk_dense(params: Params, x: jax.Array, z: jax.Array, act: Activation) -> jax.Array:
    """K_n by materialising both gradients: the reference the structured formula is tested against."""
    gx = jax.grad(forward)(params, x, act)
    gz = jax.grad(forward)(params, z, act)
    return sum(jnp.vdot(a, b) for a, b in zip(jax.tree_util.tree_leaves(gx), jax.tree_util.tree_leaves(gz)))


def square_loss(params: Params, X: jax.Array, y: jax.Array, act: Activation) -> jax.Array:
    """f(w) = Σᵢ (Φ(xᵢ,w) − yᵢ)² (seed 000 §11.5.4: a sum, not a mean)."""
    r = forward_batch(params, X, act) - y
    return r @ r
