"""Structured derivatives of a model: a forward pass that keeps each layer's input, a backward pass of the
output's gradient δ_ℓ = ∂f/∂z_ℓ per dense layer, and from those, without a Jacobian,

    Θ(x, z) = Σ_ℓ w_gain²_ℓ ⟨a_{ℓ−1}(x), a_{ℓ−1}(z)⟩⟨δ_ℓ(x), δ_ℓ(z)⟩ + b_gain²_ℓ ⟨δ_ℓ(x), δ_ℓ(z)⟩

(∂f/∂W_ℓ = w_gain δ_ℓ a_{ℓ−1}ᵀ, ∂f/∂b_ℓ = b_gain δ_ℓ), the per-block squared gradient norms and the input
gradient ∂f/∂x. tests/ hold all of them against jax.jacrev.
"""
from __future__ import annotations

from typing import NamedTuple

from verify._jax import jax, jnp
from verify.models._mlp._layers import Dense


class Trace(NamedTuple):
    inputs: tuple  # the input of every layer, (k, units)
    deltas: tuple  # per dense layer (in order): ∂f/∂z at its output, (k, units)
    numbers: tuple  # per dense layer: DenseNumbers
    input_gradient: jax.Array  # (k, d)
    out: jax.Array  # (k, 1)


def forward(model, params, X, width=None):
    """(the input of every layer, f(X) of shape (k, 1)) and the plan used."""
    plan = model.plan(params, X.shape[1], width)
    a, inputs = X, []
    for layer, p, lp in zip(model.layers, params, plan):
        inputs.append(a)
        if isinstance(layer, Dense):
            a = jnp.sqrt(lp.numbers.w_gain2) * (a @ p.W.T)
            if p.b is not None:
                a = a + jnp.sqrt(lp.numbers.b_gain2) * p.b
        else:
            a = layer.act.f(a)
        if lp.mask is not None:
            a = a * lp.mask
    return tuple(inputs), a, plan


def trace(model, params, X, width=None) -> Trace:
    X = jnp.asarray(X, dtype=jnp.float64)
    inputs, out, plan = forward(model, params, X, width)
    delta = jnp.ones_like(out)
    deltas, numbers = [], []
    for layer, p, lp, a in zip(reversed(model.layers), reversed(params), reversed(plan), reversed(inputs)):
        if lp.mask is not None:
            delta = delta * lp.mask
        if isinstance(layer, Dense):
            deltas.append(delta)
            numbers.append(lp.numbers)
            delta = jnp.sqrt(lp.numbers.w_gain2) * (delta @ p.W)
        else:
            delta = delta * layer.act.df(a)
    dense_inputs = tuple(a for layer, a in zip(model.layers, inputs) if isinstance(layer, Dense))
    return Trace(dense_inputs, tuple(reversed(deltas)), tuple(reversed(numbers)), delta, out)


def kernel(tx: Trace, tz: Trace, model):
    """Θ between the inputs of two traces: (k_x, k_z)."""
    theta = 0.0
    for layer, ax, az, dx, dz, num in zip(model.dense_layers, tx.inputs, tz.inputs, tx.deltas, tz.deltas, tx.numbers):
        dd = dx @ dz.T
        theta = theta + num.w_gain2 * (ax @ az.T) * dd
        if layer.has_bias:
            theta = theta + num.b_gain2 * dd
    return theta


def ntk(model, params, X, Z=None, width=None):
    tx = trace(model, params, X, width)
    return kernel(tx, tx if Z is None else trace(model, params, Z, width), model)


def block_norms(model, tr: Trace):
    """(‖∂f/∂W_ℓ‖² per dense layer (k, L+1), ‖∂f/∂b_ℓ‖² per dense layer (k, L+1), ‖∂f/∂x‖² (k,)) at each input."""
    w, b = [], []
    for layer, a, dl, num in zip(model.dense_layers, tr.inputs, tr.deltas, tr.numbers):
        d2 = jnp.sum(dl**2, axis=1)
        w.append(num.w_gain2 * jnp.sum(a**2, axis=1) * d2)
        b.append(num.b_gain2 * d2 if layer.has_bias else jnp.zeros_like(d2))
    return jnp.stack(w, axis=1), jnp.stack(b, axis=1), jnp.sum(tr.input_gradient**2, axis=1)
