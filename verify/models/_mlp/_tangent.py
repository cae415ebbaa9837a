"""Structured derivatives of a model: a forward pass that keeps each layer's input, a backward pass of the
output's gradient δ_ℓ = ∂f/∂z_ℓ per dense layer, and from those, without a Jacobian,

    Θ(x, z) = Σ_ℓ w_gain²_ℓ ⟨a_{ℓ−1}(x), a_{ℓ−1}(z)⟩⟨δ_ℓ(x), δ_ℓ(z)⟩ + b_gain²_ℓ ⟨δ_ℓ(x), δ_ℓ(z)⟩

(∂f/∂W_ℓ = w_gain δ_ℓ a_{ℓ−1}ᵀ, ∂f/∂b_ℓ = b_gain δ_ℓ), the per-block squared gradient norms and the input
gradient ∂f/∂x. tests/ hold all of them against jax.jacrev.

A model with one hidden dense layer (Dense(n), activations, Dense(1)) is a sum over its hidden units: its Θ is
summed over blocks of units (verify.models._gram). A Gram matrix (Z = None), at every depth, is assembled from the
products as they come and mirrored once from its upper triangle: exactly symmetric, with the numbers of mirroring
every product.
"""
from __future__ import annotations

from typing import NamedTuple

from verify._jax import jax, jnp
from verify.models._gram import block_size, mirror_upper, over_units, piece_size
from verify.models._mlp._layers import Dense


class Trace(NamedTuple):
    inputs: tuple  # the input of every layer, (k, units)
    deltas: tuple  # per dense layer (in order): ∂f/∂z at its output, (k, units)
    numbers: tuple  # per dense layer: DenseNumbers
    input_gradient: jax.Array  # (k, d)
    out: jax.Array  # (k, 1)


def forward(model, params, X, width=None, plan=None):
    """(the input of every layer, f(X) of shape (k, 1)) and the plan used (model.plan unless given)."""
    plan = model.plan(params, X.shape[1], width) if plan is None else plan
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


def trace(model, params, X, width=None, plan=None) -> Trace:
    X = jnp.asarray(X, dtype=jnp.float64)
    inputs, out, plan = forward(model, params, X, width, plan)
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


def _product(x, z):
    """x zᵀ. A Gram's (x is z) is left as the product gives it, not always exactly symmetric: its callers mirror the
    Θ they assemble once (_gram.mirror_upper: the numbers of mirroring every product; 64 inputs over 1e3 units: 1 op
    of 64 × 64 instead of 5, ~2% of the call)."""
    return x @ z.T


def _combine(model, numbers, pairs):
    """Θ = Σ_ℓ w_gain²_ℓ (a aᵀ)_ℓ ⊙ (δ δᵀ)_ℓ + b_gain²_ℓ (δ δᵀ)_ℓ from each dense layer's (a aᵀ, δ δᵀ)."""
    theta = 0.0
    for layer, (aa, dd), num in zip(model.dense_layers, pairs, numbers):
        theta = theta + num.w_gain2 * aa * dd
        if layer.has_bias:
            theta = theta + num.b_gain2 * dd
    return theta


def kernel(tx: Trace, tz: Trace, model):
    """Θ between the inputs of two traces: (k_x, k_z); exactly symmetric when tz is tx (a Gram matrix)."""
    pairs = [(_product(ax, az), _product(dx, dz))
             for ax, az, dx, dz in zip(tx.inputs, tz.inputs, tx.deltas, tz.deltas)]
    theta = _combine(model, tx.numbers, pairs)
    return mirror_upper(theta) if tz is tx else theta


def _one_hidden(model) -> bool:
    return len(model.dense_layers) == 2


def _over_hidden_units(model, params, X, Z, width, block):
    """Θ of a model with one hidden dense layer, summed over blocks of its units. Its terms are the first layer's
    (a₀a₀ᵀ) ⊙ (δ₁δ₁ᵀ) and the output layer's (a₁a₁ᵀ)(δ₂δ₂ᵀ), where a₀ (the input after any leading activations)
    and δ₂ = 1 do not depend on the hidden units, and δ₁δ₁ᵀ, a₁a₁ᵀ are sums over them. Each block is the network
    restricted to its units, traced with the whole network's plan (fan-ins, and the padding masks sliced).

    For the shallow net this compiles to shallow.ntk_matrix's program (64 inputs, n = 1e3, 1e4, 1e5: the same 14, 20
    and 20 fusions, 7, 10 and 10 products, the last with its scan loop; XLA drops the trace's unused output and input
    gradient and makes the K = 1 product δ₂W₂ elementwise): the two ran within 4% of each other interleaved (issue 15,
    target 3). The jaxpr is twice shallow's, which costs ~15 ms more tracing per compilation, not per call."""
    first, last = (i for i, layer in enumerate(model.layers) if isinstance(layer, Dense))
    plan = model.plan(params, X.shape[1], width)
    (W1, b1), W2 = params[first], params[last].W
    masked = [i for i in range(first, last) if plan[i].mask is not None]
    columns = (W1, W2.T, *(() if b1 is None else (b1,)), *(plan[i].mask for i in masked))

    def restricted(W1, W2t, *rest):
        b = rest[0] if b1 is not None else None
        masks = dict(zip(masked, rest[b1 is not None:]))
        sub = list(params)
        sub[first], sub[last] = params[first]._replace(W=W1, b=b), params[last]._replace(W=W2t.T)
        return tuple(sub), tuple(lp._replace(mask=masks[i]) if i in masks else lp for i, lp in enumerate(plan))

    def part(*cols):
        p, pl = restricted(*cols)
        tx = trace(model, p, X, plan=pl)
        tz = tx if Z is None else trace(model, p, Z, plan=pl)
        return _product(tx.deltas[0], tz.deltas[0]), _product(tx.inputs[1], tz.inputs[1])

    m = X.shape[0] if Z is None else max(X.shape[0], Z.shape[0])
    d1, a1 = over_units(part, columns, block_size(X.shape[0]) if block is None else block, piece_size(m))
    ax, az = _leading_activations(model, first, X), None if Z is None else _leading_activations(model, first, Z)
    ones = jnp.ones((X.shape[0], X.shape[0] if Z is None else Z.shape[0]))
    numbers = (plan[first].numbers, plan[last].numbers)
    theta = _combine(model, numbers, [(_product(ax, ax if az is None else az), d1), (a1, ones)])
    return mirror_upper(theta) if Z is None else theta


def _leading_activations(model, first, X):
    a = jnp.asarray(X, dtype=jnp.float64)
    for layer in model.layers[:first]:
        a = layer.act.f(a)
    return a


def ntk(model, params, X, Z=None, width=None, block=None):
    """Θ(X, Z) (Z = None: the Gram matrix of X). A model with one hidden dense layer goes over blocks of its hidden
    units (`block`, default _gram.block_size(len(X))); deeper models through one trace of each input set."""
    if _one_hidden(model):
        return _over_hidden_units(model, params, X, Z, width, block)
    tx = trace(model, params, X, width)
    return kernel(tx, tx if Z is None else trace(model, params, Z, width), model)


# Model.ntk's entry: compiled once per (model, width given as a number, block, shapes). Called op by op, a Gram of
# 64 inputs over 1e3 units took 4 ms of dispatch against 0.55 ms compiled; inside a caller's jit it is inlined.
_ntk_static_width = jax.jit(ntk, static_argnames=("model", "width", "block"))
_ntk_traced_width = jax.jit(ntk, static_argnames=("model", "block"))


def compiled_ntk(model, params, X, Z=None, width=None, block=None):
    """`ntk` through jax.jit: width None or an int is part of the compiled function (the unpadded plan), an
    array (a padded network's true width) is an argument like the parameters."""
    X, Z = _float64(X), None if Z is None else _float64(Z)
    if width is None or isinstance(width, int):
        return _ntk_static_width(model, params, X, Z, width=width, block=block)
    return _ntk_traced_width(model, params, X, Z, width, block=block)


def _float64(A):
    """A as a float64 JAX array; one already (the common call) is passed as is: jnp.asarray costs ~5 µs of Python per
    call even then, 2% of a 64-input Gram over 1e3 units (0.27 ms). Other dtypes are converted here, not inside,
    so that one compiled program serves every input dtype."""
    return A if isinstance(A, jax.Array) and A.dtype == _F64 else jnp.asarray(A, dtype=jnp.float64)


_F64 = jnp.dtype(jnp.float64)  # a dtype object: == against it is 0.06 µs, against the scalar type jnp.float64 0.4 µs


def block_norms(model, tr: Trace):
    """(‖∂f/∂W_ℓ‖² per dense layer (k, L+1), ‖∂f/∂b_ℓ‖² per dense layer (k, L+1), ‖∂f/∂x‖² (k,)) at each input."""
    w, b = [], []
    for layer, a, dl, num in zip(model.dense_layers, tr.inputs, tr.deltas, tr.numbers):
        d2 = jnp.sum(dl**2, axis=1)
        w.append(num.w_gain2 * jnp.sum(a**2, axis=1) * d2)
        b.append(num.b_gain2 * d2 if layer.has_bias else jnp.zeros_like(d2))
    return jnp.stack(w, axis=1), jnp.stack(b, axis=1), jnp.sum(tr.input_gradient**2, axis=1)
