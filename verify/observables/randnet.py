"""Observables of the randnet group (random deep networks of seed 004), registered for `ntkverify check`.

The kernel half samples the network at k fixed inputs through the Gram path: given z⁽ℓ⁾ (n_ℓ × k), the
rows of W⁽ℓ⁺¹⁾ are iid N(0, C_W/n_ℓ · I), so the rows of z⁽ℓ⁺¹⁾ = W⁽ℓ⁺¹⁾σ(z⁽ℓ⁾) are iid N(0, G⁽ℓ⁾) with

    G⁽ℓ⁾ = (C_W/n_ℓ) σ(z⁽ℓ⁾)ᵀσ(z⁽ℓ⁾)  (k × k),   G⁽⁰⁾ = C_W XᵀX/n₀.

Drawing z⁽ℓ⁺¹⁾ = ξ G^{1/2} (ξ: n_{ℓ+1} × k standard normals) gives exactly the joint law of every
layer's preactivations at the k inputs — that of verify.models.randnet.preactivations — with n·k
draws per layer instead of n² (167 ms per network at n = 512, L = 32 on the scan path, ~1 ms here).
tests/fast/test_randnet_kernel.py holds the two paths equal in law.

G⁽ℓ⁾ is also the Rao–Blackwellised estimate of the kernel: E[G⁽ℓ⁾] = Cov(z⁽ℓ⁺¹⁾ᵢ(x), z⁽ℓ⁺¹⁾ᵢ(x')) exactly
at every width, and its spread over networks shrinks like 1/n (an average over n neurons).
"""
from __future__ import annotations

import functools

import numpy as np

from verify._jax import jax, jnp, sharded_vmap
from verify.models._activations import activation
from verify.observables import _randnet_finite  # noqa: F401  (registers the finite-width observables)
from verify.observables._base import Observable, Param, register

X_DEFAULT = ((1.0, 1.0, 0.5), (0.5, -0.5, 1.0))  # two inputs of ℝ³: |x|² = 2.25, |x'|² = 1.5, cos∠ = 0.27


def _sqrt_psd(G):
    """A with A Aᵀ = G for a PSD G (eigh, not Cholesky: G becomes rank-deficient as correlations → 1)."""
    lam, V = jnp.linalg.eigh(G)
    return V * jnp.sqrt(jnp.maximum(lam, 0.0))[None, :]


@functools.lru_cache(maxsize=None)
def gram_path_fn(d: int, n_max: int, depth: int, n_out: int, sigma: str, k: int):
    """run(key, X (d×k), widths (depth,), C_W) → (G (depth+1, k, k), z⁽ᴸ⁺¹⁾ (n_out, k)).

    G[ℓ] = (C_W/n_ℓ)σ(z⁽ℓ⁾)ᵀσ(z⁽ℓ⁾) for ℓ = 1..L and G[0] = C_W XᵀX/d: G[ℓ] is the covariance of the rows
    of z⁽ℓ⁺¹⁾ given z⁽ℓ⁾, so E G[ℓ−1] = K⁽ℓ⁾ at finite width exactly as the preactivation covariance.
    Widths are traced (masked rows), so one compilation serves every width ≤ n_max."""
    f = activation(sigma).f
    rows = jnp.arange(n_max)

    def run(key, X, widths, C_W):
        keys = jax.random.split(key, depth + 1)
        G0 = C_W * (X.T @ X) / d

        def layer(G, inputs):
            kk, n = inputs
            mask = (rows < n).astype(X.dtype)[:, None]
            z = (jax.random.normal(kk, (n_max, k)) @ _sqrt_psd(G).T) * mask
            s = f(z) * mask
            G_next = C_W * (s.T @ s) / n
            return G_next, G_next

        G_last, Gs = jax.lax.scan(layer, G0, (keys[:depth], widths))
        out = jax.random.normal(keys[-1], (n_out, k)) @ _sqrt_psd(G_last).T
        return jnp.concatenate([G0[None], Gs]), out

    return jax.jit(run)


def gram_path(key, X, widths, C_W: float, sigma: str, count: int, n_out: int = 2, n_max: int | None = None):
    """`count` independent networks (keys split from `key`) at inputs X (d×k): G (count, L+1, k, k) and
    z⁽ᴸ⁺¹⁾ (count, n_out, k)."""
    X = jnp.asarray(X, dtype=jnp.float64)
    if X.ndim != 2:
        raise ValueError(f"X has shape {X.shape}; pass a (d, k) array, one input per column")
    widths = tuple(int(w) for w in widths)
    if not widths or min(widths) < 1:
        raise ValueError(f"widths={widths!r}: give at least one hidden width, each ≥ 1")
    n_max = max(widths) if n_max is None else int(n_max)
    if n_max < max(widths):
        raise ValueError(f"n_max={n_max} is below the largest width {max(widths)}; pad to at least that")
    fn = gram_path_fn(X.shape[0], n_max, len(widths), n_out, sigma, X.shape[1])
    keys = jax.random.split(key, count)
    G, out = sharded_vmap(fn, keys, X, jnp.asarray(widths, dtype=jnp.float64), float(C_W))
    return np.asarray(G), np.asarray(out)


def kernel_sampler(sigma: str, C_W: float, depth: int, layers, X=X_DEFAULT, *, by_depth: bool = False):
    """sample(key, width, count, max_width) → (count, 3·len(layers)): for each ℓ in `layers` the empirical
    kernel K̂⁽ℓ⁾ = G[ℓ−1] entries (x,x), (x',x'), (x,x') of one network of `depth` hidden layers of equal width.

    by_depth: the sweep variable is the layer ℓ itself (a ScalingLaw over depth): the network has the fixed
    width `layers[0]` and the columns are K̂⁽ˡ⁾ at ℓ = the sweep value."""
    Xa = np.asarray(X, dtype=np.float64).T

    def sample(key, width, count, max_width=None):
        if by_depth:
            n = int(layers[0])
            G, _ = gram_path(key, Xa, (n,) * depth, C_W, sigma, count)
            picks = [int(width)]
        else:
            G, _ = gram_path(key, Xa, (int(width),) * depth, C_W, sigma, count, n_max=max_width or width)
            picks = list(layers)
        cols = []
        for ell in picks:
            g = G[:, ell - 1]
            cols += [g[:, 0, 0], g[:, 1, 1], g[:, 0, 1]]
        return np.column_stack(cols)

    return sample


def output_sampler(sigma: str, C_W: float, depth: int, width: int, X=X_DEFAULT):
    """sample(key, None, count) → (count, 4): z₁⁽ᴸ⁺¹⁾(x), z₁⁽ᴸ⁺¹⁾(x'), z₂⁽ᴸ⁺¹⁾(x'), and z₁(x)z₂(x')."""
    Xa = np.asarray(X, dtype=np.float64).T

    def sample(key, _width, count, max_width=None):
        _, out = gram_path(key, Xa, (int(width),) * depth, C_W, sigma, count)
        return np.column_stack([out[:, 0, 0], out[:, 0, 1], out[:, 1, 1], out[:, 0, 0] * out[:, 1, 1]])

    return sample


def _build_kernel(sigma="relu", C_W=2.0, depth=4, layer=4, entry="xx", x=X_DEFAULT[0], x2=X_DEFAULT[1]):
    depth, layer = int(depth), int(layer)
    if not 2 <= layer <= depth:
        raise ValueError(f"layer={layer}: the kernel is sampled at hidden layers 2..depth={depth}")
    if len(x) != len(x2):
        raise ValueError(f"x has length {len(x)} but x2 has length {len(x2)}; pass two inputs of one dimension")
    col = ("xx", "x2x2", "xx2").index(entry)
    base = kernel_sampler(str(sigma), float(C_W), depth, (layer,), (tuple(x), tuple(x2)))

    def sample(key, width, count, max_width=None):
        return base(key, width, count, max_width)[:, col:col + 1]

    return sample


register(Observable(
    name="randnet.kernel",
    model="randnet",
    description="K̂⁽ˡ⁾ = (C_W/n)σ(z⁽ˡ⁻¹⁾)ᵀσ(z⁽ˡ⁻¹⁾) of one random deep network (all hidden widths n) at two inputs: "
                "one entry, (x,x), (x2,x2) or (x,x2). Its mean is the preactivation covariance at layer ℓ and tends "
                "to the NNGP kernel K⁽ˡ⁾ of numeric.randnet as n → ∞.",
    params={"sigma": Param("activation: relu, tanh, erf, identity, sin or 'leaky_relu(a_minus,a_plus)'", "relu"),
            "C_W": Param("weight variance C_W (W ~ N(0, C_W/fan-in))", 2.0, kind="float"),
            "depth": Param("number L of hidden layers", 4, kind="int"),
            "layer": Param("layer ℓ (2..L) whose kernel is returned", 4, kind="int"),
            "entry": Param("kernel entry", "xx", choices=("xx", "x2x2", "xx2")),
            "x": Param("first input", X_DEFAULT[0], kind="vector"),
            "x2": Param("second input", X_DEFAULT[1], kind="vector")},
    outputs=("K̂⁽ˡ⁾ entry",),
    build=_build_kernel,
    tags=("kernel", "nngp"),
))
