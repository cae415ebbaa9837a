"""Gradient descent on a model and on its linearisation at θ⁰, side by side (one implementation for every spec).

Loss L(θ) = ½Σᵢ(f(xᵢ;θ) − yᵢ)². The network: θ ← θ − η∇L(θ) (one VJP per step). The linearisation
f^lin(x;q) = f(x;θ⁰) + ⟨∇_θf(x;θ⁰), q − θ⁰⟩: q ← q − η J₀ᵀ(f^lin(X;q) − y), with the VJP J₀ᵀ and the JVP J₀
of θ⁰ formed once (no P×k Jacobian).
"""
from __future__ import annotations

from typing import NamedTuple

from verify._jax import jax, jnp

LOSSES = ("square",)


class Run(NamedTuple):
    params: tuple  # θ_T
    linear: tuple  # q_T
    loss: jax.Array  # L(θ_T)
    loss_lin: jax.Array  # L^lin(q_T)


def _axpy(a, s, b):
    return jax.tree_util.tree_map(lambda u, v: u - s * v, a, b)


def gd_side_by_side(model, params0, X, y, eta, steps: int, width=None, loss: str = "square") -> Run:
    if loss not in LOSSES:
        raise ValueError(f"loss={loss!r} is not one of {', '.join(LOSSES)}")
    outputs = lambda p: model.apply(p, X, width=width)  # noqa: E731
    f0, vjp0 = jax.vjp(outputs, params0)
    _, jvp0 = jax.linearize(outputs, params0)
    lin = lambda q: f0 + jvp0(jax.tree_util.tree_map(jnp.subtract, q, params0))  # noqa: E731

    def step(carry, _):
        p, q = carry
        f, vjp = jax.vjp(outputs, p)
        p = _axpy(p, eta, vjp(f - y)[0])
        q = _axpy(q, eta, vjp0(lin(q) - y)[0])
        return (p, q), None

    (p, q), _ = jax.lax.scan(step, (params0, params0), None, length=steps)
    half_sq = lambda r: 0.5 * jnp.sum(r**2)  # noqa: E731
    return Run(p, q, half_sq(outputs(p) - y), half_sq(lin(q) - y))


def linearized_output(model, params0, q, x, width=None):
    """f^lin(x;q) at other inputs x (k, d)."""
    f0, tangent = jax.jvp(lambda p: model.apply(p, x, width=width), (params0,),
                          (jax.tree_util.tree_map(jnp.subtract, q, params0),))
    return f0 + tangent
