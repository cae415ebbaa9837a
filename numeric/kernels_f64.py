"""Infinite-width layer maps on a Kernel (nngp K, ntk Θ over k inputs) in float64, vectorised with JAX.

The same three functions, conventions and docstrings as numeric/kernels_mp.py (held together by
tests/fast/test_kernels_f64_mp.py); here every map is a jit-compiled function of the whole k×k matrices:

  - closed forms (derive.activations.pair_expectation lambdified to jnp) evaluated on all k(k+1)/2 pairs
    i ≤ j at once and mirrored: arc-cosine kernels of every degree (relu, step, leaky ReLU, abs, identity),
    Williams' erf and erf', sin, cos;
  - for every other σ (gelu, softplus, tanh, user expressions, …) a product trapezoidal rule of `nodes`
    equispaced nodes per axis over all k(k+1)/2 pairs at once, u = √K11 z₁, v = √K22(ρz₁ + √(1−ρ²)z₂).
    For σ analytic in the strip |Im t| < τ its error falls like exp(−2πτ/(h√K)) with the spacing h (tanh:
    τ = π/2; ≤ 1e-15 at the default for K ≲ 8, where h = 0.14 left 8e-13 at K = 4.8). Gauss–Hermite's
    error falls like exp(−2τ√(2·nodes/K)) only: it needed 256 nodes per axis for 1e-11 on tanh at K = 2.
    σ with kinks and no closed form converge only algebraically (O(h²)).

Compiled functions are cached per (activation, nodes) by `functools.lru_cache` and per shape by jax.jit.
"""
from __future__ import annotations

import functools

import numpy as np

from derive import activations as table
from numeric._kernel import Kernel
from numeric.gaussian_pair import closed_form, spec_of
from verify._jax import jax, jnp
from verify.models._activations import from_table

__all__ = ["Kernel", "input_kernel", "dense", "activation", "NODES"]

NODES = 193  # nodes per axis of the fallback's trapezoidal rule: spacing h = 2·HALF_WIDTH/(NODES − 1) = 0.09375
HALF_WIDTH = 9.0  # the rule's range in standard deviations: the normal tail beyond it is e^{−40.5} ≈ 1e-18

jax.tree_util.register_pytree_node(
    Kernel, lambda k: ((k.nngp, k.ntk), k.digits), lambda digits, children: Kernel(*children, digits))


def input_kernel(X) -> Kernel:
    """K = XXᵀ/d, Θ = 0 for k inputs of one length d (rows of X, shape (k, d))."""
    X = jnp.asarray(X, dtype=jnp.float64)
    if X.ndim != 2 or 0 in X.shape:
        raise ValueError(f"X has shape {X.shape}; pass k ≥ 1 inputs of one length d ≥ 1 as a (k, d) array")
    return Kernel(*_gram(X))


@jax.jit
def _gram(X):
    K = X @ X.T / X.shape[1]
    return K, jnp.zeros_like(K)


def dense(kern: Kernel, *, fan_in, w_gain2, w_var, b_gain2=0.0, b_var=0.0) -> Kernel:
    """A trained Dense layer: K' = w_gain2·w_var·fan_in·K + b_gain2·b_var,
    Θ' = w_gain2·fan_in·K + b_gain2 + w_gain2·w_var·fan_in·Θ (see numeric/kernels_mp.py)."""
    return Kernel(*_dense(kern.nngp, kern.ntk, w_gain2 * w_var * fan_in, w_gain2 * fan_in, b_gain2, b_gain2 * b_var))


@jax.jit
def _dense(K, T, scale, gain, b_gain2, bias):
    return scale * K + bias, gain * K + b_gain2 + scale * T


def activation(kern: Kernel, act, *, nodes: int = NODES) -> Kernel:
    """K' = E[σ(u)σ(v)], Θ' = E[σ'(u)σ'(v)]·Θ over (u, v) ~ N(0, [[Kᵢᵢ, Kᵢⱼ], [Kᵢⱼ, Kⱼⱼ]]).

    act: a name of derive.activations (or "leaky_relu(a₋,a₊)"), a SymPy expression in t, a table entry or a
    JAX/mpmath view of one. nodes: trapezoid nodes per axis where σ or σ' has no closed form."""
    if isinstance(nodes, bool) or not isinstance(nodes, int) or nodes < 2:
        raise ValueError(f"nodes={nodes!r} is not a number of trapezoid nodes; pass an int >= 2")
    nngp, ntk = _compiled(spec_of(act), nodes)(kern.nngp, kern.ntk)
    return Kernel(nngp, ntk)


@functools.lru_cache(maxsize=None)
def _nodes(count: int):
    """The trapezoidal rule for N(0, 1) on [−HALF_WIDTH, HALF_WIDTH]: `count` equispaced nodes, weights h·φ(z)."""
    z = np.linspace(-HALF_WIDTH, HALF_WIDTH, count)
    return z, (z[1] - z[0]) * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)


def _pairs(K, i, j):
    """(K11, K12, K22, det) of the pairs (i, j): det = (r − K12)(r + K12), r = √(K11K22), exactly 0 on the
    diagonal (√fl(a²) = a), where K11K22 − K12² is not once XLA contracts it to a fused multiply-add
    (measured: E[step²] = 1/2 − 1.3e-9)."""
    diag = jnp.diagonal(K)
    k11, k12, k22 = diag[i], K[i, j], diag[j]
    r = jnp.sqrt(k11 * k22)
    return k11, k12, k22, jnp.maximum((r - k12) * (r + k12), 0.0)


def _symmetric(values, i, j, k: int):
    """The k×k symmetric matrix holding `values` at the pairs (i, j), i ≤ j, and their mirror images."""
    return jnp.zeros((k, k)).at[i, j].set(values).at[j, i].set(values)


def _pair_map(spec: table.Activation, family: table.Family | None, nodes: int):
    """K ↦ E[f(u)f(v)] over the whole matrix: the closed form of `family`, else the trapezoidal rule."""
    form = closed_form(family, family, "jax")
    if form is not None:
        def closed(K):  # on the k(k+1)/2 pairs i ≤ j and mirrored: f64 atan2/arcsin cost ~15 ns an entry here
            k = K.shape[0]
            i, j = np.triu_indices(k)
            k11, k12, k22, det = _pairs(K, i, j)
            out = jnp.broadcast_to(form(k11, k12, k22, det), k12.shape)
            return _symmetric(out, i, j, k)

        return closed

    f = from_table(spec).f
    z, w = (jnp.asarray(v) for v in _nodes(nodes))

    def trapezoid(K):
        k = K.shape[0]
        i, j = np.triu_indices(k)
        diag = jnp.diagonal(K)
        k11, k12, k22 = diag[i], K[i, j], diag[j]
        prod = k11 * k22
        rho = jnp.clip(jnp.where(prod > 0, k12 / jnp.sqrt(jnp.where(prod > 0, prod, 1.0)), 0.0), -1.0, 1.0)
        s = jnp.sqrt(1.0 - rho * rho)
        fu = w * f(jnp.sqrt(k11)[:, None] * z)  # (pairs, nodes): weighted f(u) at the nodes z₁
        a = (jnp.sqrt(k22) * rho)[:, None] * z  # √K22 ρ z₁
        b = jnp.sqrt(k22) * s

        def body(m, acc):  # add the node z₂ = z[m]: Σ_{z₁} w(z₁) f(u) · w(z₂) f(v)
            return acc + w[m] * jnp.sum(fu * f(a + (b * z[m])[:, None]), axis=1)

        values = jax.lax.fori_loop(0, nodes, body, jnp.zeros(i.shape[0]))
        return _symmetric(values, i, j, k)

    return trapezoid


@functools.lru_cache(maxsize=None)
def _compiled(spec: table.Activation, nodes: int):
    sigma = _pair_map(spec, spec.family, nodes)
    prime = spec.prime()
    sigma_prime = _pair_map(prime, spec.prime_family, nodes)

    @jax.jit
    def layer(K, T):
        return sigma(K), sigma_prime(K) * T

    return layer
