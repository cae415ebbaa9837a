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

from verify._draws import standard_rows
from verify._jax import jax, jnp, sharded_vmap, split_keys
from verify.models._activations import activation
from verify.observables import _randnet_finite  # noqa: F401  (registers the finite-width observables)
from verify.observables._base import Observable, Param, register, unpadded, worth_padding
from verify.observables.generic import numpy_rng

X_DEFAULT = ((1.0, 1.0, 0.5), (0.5, -0.5, 1.0))  # two inputs of ℝ³: |x|² = 2.25, |x'|² = 1.5, cos∠ = 0.27


def _sqrt_psd(G):
    """A with A Aᵀ = G for a PSD G (eigh, not Cholesky: G becomes rank-deficient as correlations → 1)."""
    lam, V = jnp.linalg.eigh(G)
    return V * jnp.sqrt(jnp.maximum(lam, 0.0))[None, :]


# The activations one Gram-path program switches between (lax.switch on an argument, not one program each), and every
# leaky ReLU through its two slopes as data: the kernel claims' ReLU, tanh, erf and leaky-ReLU sweeps share programs.
_SWITCHED = ("relu", "tanh", "erf")


def _branches(sigma: str) -> tuple[tuple[str, ...], int, tuple[float, float]]:
    """(the program's static branch names, σ's branch index, the leaky slopes (a₋, a₊) it reads)."""
    if sigma in _SWITCHED:
        return _SWITCHED, _SWITCHED.index(sigma), (0.0, 0.0)
    spec = activation(sigma).spec
    if spec is not None and spec.name.startswith("leaky_relu(") and spec.params:
        return _SWITCHED, len(_SWITCHED), tuple(float(v) for _, v in spec.params)
    return (sigma,), 0, (0.0, 0.0)  # any other σ: its own program


def _bucket(size: int, least: int) -> int:
    """A static size of the program: the power of two ≥ size, at least `least` (one program serves every size up to it)."""
    return max(least, 1 << (int(size) - 1).bit_length())


_ROW_BLOCK = 32  # rows of a layer drawn at a time: a width-n layer draws ⌈n/32⌉ blocks, not the padded n_max rows


@functools.lru_cache(maxsize=None)
def gram_path_fn(d: int, depth_max: int, n_out: int, branches: tuple[str, ...], k: int):
    """run(keys, X (d×k), n_max, widths (depth_max,), layers, C_W, which, slopes, coupled) → (G (depth_max+1, k, k),
    z⁽ᴸ⁺¹⁾ (n_out, k)); coupled = 0 zeroes G's off-diagonal entries (gram_path's `independent`).

    keys (depth_max+1, 2) uint32: keys[ℓ] draws the rows of z⁽ℓ⁺¹⁾, keys[depth_max] the outputs. G[0] = C_W XᵀX/d and
    G[ℓ] = (C_W/n_ℓ)σ(z⁽ℓ⁾)ᵀσ(z⁽ℓ⁾) for ℓ = 1..run (the rest 0): G[ℓ] is the covariance of the rows of z⁽ℓ⁺¹⁾ given
    z⁽ℓ⁾, so E G[ℓ−1] = K⁽ℓ⁾ at finite width exactly as the preactivation covariance; the output reads G[run].
    A layer's n_ℓ rows are the first rows of jax.random.normal(keys[ℓ], (n_max, k)) bit for bit (verify._draws:
    n_max, the padded length the numbers depend on, is traced), drawn _ROW_BLOCK rows at a time up to n_ℓ only
    (G needs z⁽ℓ⁾ only through the sum of σσᵀ over its rows): rows past n_ℓ are neither drawn nor summed. Widths,
    n_max, the number of layers run and σ (branches[which], the leaky slopes as data) are traced: one compilation
    serves every width, every depth ≤ depth_max and every activation of `branches`, and a narrow network is not
    padded to the sweep's widest one to keep its numbers."""
    fs = [activation(b).f for b in branches]
    if branches == _SWITCHED:
        fs.append(lambda t, slopes: jnp.where(t > 0, slopes[1], slopes[0]) * t)  # = _activations' leaky ReLU
    acts = [f if i == len(branches) else (lambda t, slopes, f=f: f(t)) for i, f in enumerate(fs)]
    index = jax.device_put(np.arange(_ROW_BLOCK))  # device_put (here and below): eager jnp compiles a program per shape

    def run(keys, X, n_max, widths, layers, C_W, which, slopes, coupled):
        keep = jnp.where(jnp.eye(k, dtype=bool), 1.0, coupled)  # coupled = 0: the columns are independent networks
        G0 = C_W * (X.T @ X) / d * keep

        def layer(ell, Gs):
            n = widths[ell]
            A = _sqrt_psd(Gs[ell]).T
            kk = jax.random.wrap_key_data(keys[ell], impl="threefry2x32")

            def block(b, S):
                first = b * _ROW_BLOCK
                mask = (first + index < n).astype(X.dtype)[:, None]
                s = jax.lax.switch(which, acts, standard_rows(kk, "normal", n_max, k, _ROW_BLOCK, first) @ A,
                                   slopes) * mask
                return S + s.T @ s

            S = jax.lax.fori_loop(0, (n + _ROW_BLOCK - 1) // _ROW_BLOCK, block, jnp.zeros((k, k), X.dtype))
            return Gs.at[ell + 1].set(C_W * S / n * keep)

        Gs = jax.lax.fori_loop(0, layers, layer, jnp.zeros((depth_max + 1, k, k), X.dtype).at[0].set(G0))
        out_key = jax.random.wrap_key_data(keys[depth_max], impl="threefry2x32")
        out = jax.random.normal(out_key, (n_out, k)) @ _sqrt_psd(Gs[layers]).T
        return Gs, out

    return jax.jit(run)


def _layer_keys(key, count: int, depth: int, depth_max: int) -> np.ndarray:
    """(count, depth_max+1, 2) uint32 on the host: network i's jax.random.split(keys_i, depth+1) (keys_i =
    split_keys(key, count)[i]), its first `depth` keys at 0..depth−1 and its last (the outputs') at depth_max."""
    from verify._jax import _threefry2x32

    nets = np.asarray(jax.random.key_data(split_keys(key, count)), dtype=np.uint32)
    counts = np.arange(2 * (depth + 1), dtype=np.uint32)
    words = np.concatenate(_threefry2x32(nets[:, :1], nets[:, 1:], counts[None, :depth + 1], counts[None, depth + 1:]),
                           axis=1).reshape(count, depth + 1, 2)  # jax.random.split, as verify._jax.split_keys
    out = np.zeros((count, depth_max + 1, 2), dtype=np.uint32)
    out[:, :depth], out[:, depth_max] = words[:, :depth], words[:, depth]
    return out


def gram_path(key, X, widths, C_W: float, sigma: str, count: int, n_out: int = 2, n_max: int | None = None,
              layers: int | None = None, independent: bool = False):
    """`count` independent networks (keys split from `key`) at inputs X (d×k): G (count, L+1, k, k) and
    z⁽ᴸ⁺¹⁾ (count, n_out, k). layers < L runs only the first `layers` hidden layers (the draws of a depth-L network):
    G[layers+1:] are then 0 and z⁽ᴸ⁺¹⁾ is of no use.

    independent: G's off-diagonal entries are set to 0 at every layer, so column j is a network of its own at input
    X[:, j] (its diagonal entries have their law; the columns are independent): k networks a program, one compilation."""
    X = jax.device_put(np.asarray(X, dtype=np.float64))
    if X.ndim != 2:
        raise ValueError(f"X has shape {X.shape}; pass a (d, k) array, one input per column")
    widths = tuple(int(w) for w in widths)
    if not widths or min(widths) < 1:
        raise ValueError(f"widths={widths!r}: give at least one hidden width, each ≥ 1")
    n_max = max(widths) if n_max is None else int(n_max)
    if n_max < max(widths):
        raise ValueError(f"n_max={n_max} is below the largest width {max(widths)}; pad to at least that")
    depth = len(widths)
    layers = depth if layers is None else int(layers)
    if not 0 <= layers <= depth:
        raise ValueError(f"layers={layers}: run between 0 and the network's {depth} hidden layers")
    depth_max = _bucket(depth, 8)
    branches, which, slopes = _branches(sigma)
    fn = gram_path_fn(X.shape[0], depth_max, n_out, branches, X.shape[1])
    padded = np.ones(depth_max, dtype=np.int32)
    padded[:depth] = widths
    G, out = sharded_vmap(fn, _layer_keys(key, count, depth, depth_max), X, np.int32(n_max), jax.device_put(padded),
                          np.int32(layers), float(C_W), np.int32(which), jax.device_put(np.asarray(slopes)),
                          0.0 if independent else 1.0)
    return np.asarray(G)[:, :depth + 1], np.asarray(out)


def relu_diagonal(key, K1, widths, C_W: float, count: int, layers: int | None = None) -> np.ndarray:
    """(count, L+1, m): the diagonal Gram entries G[ℓ](x,x) = (C_W/n_ℓ)‖relu(z⁽ℓ⁾(x))‖² of `count` ReLU networks of
    hidden widths `widths` at m inputs (K⁽¹⁾ = K1, (m,)), each input its own independent network, drawn from their
    exact law in O(1) work a layer instead of the Gram path's n normals; layers < L runs the first `layers` (the rest 0).

    Given z⁽ℓ⁾, the n_{ℓ+1} entries of z⁽ℓ⁺¹⁾(x) are iid N(0, G[ℓ]) (the Gram path at one input), so
    ‖relu(z⁽ℓ⁺¹⁾)‖² = G[ℓ]·χ²_B with B ~ Bin(n_{ℓ+1}, 1/2) the positive entries (a sign is independent of |z|) and
    χ²_B = 2·Gamma(B/2). Both are NumPy's exact samplers, seeded by the key's data: no XLA program to compile. Each
    entry's marginal law over networks is the Gram path's (the sweeps read every column on its own)."""
    widths = tuple(int(w) for w in widths)
    if not widths or min(widths) < 1:
        raise ValueError(f"widths={widths!r}: give at least one hidden width, each ≥ 1")
    depth = len(widths)
    layers = depth if layers is None else int(layers)
    if not 0 <= layers <= depth:
        raise ValueError(f"layers={layers}: run between 0 and the network's {depth} hidden layers")
    K1 = np.asarray(K1, dtype=np.float64)
    rng = numpy_rng(key)
    G = np.zeros((int(count), depth + 1, len(K1)))
    G[:, 0] = K1
    for ell in range(layers):
        B = rng.binomial(widths[ell], 0.5, size=G[:, 0].shape)
        G[:, ell + 1] = C_W * G[:, ell] * (2 * rng.standard_gamma(B / 2)) / widths[ell]  # Gamma(0) = 0
    return G


ENTRIES = ("(x,x)", "(x',x')", "(x,x')")  # the kernel entries, in the order of G's (0,0), (1,1), (0,1)
OUTPUT_COLUMNS = ("z₁(x)", "z₁(x')", "z₂(x')", "z₁(x)z₂(x')")  # output_sampler's columns


def kernel_sampler(sigma: str, C_W: float, depth: int, layers, X=X_DEFAULT, *, by_depth: bool = False,
                   entries=ENTRIES):
    """sample(key, width, count, max_width) → (count, len(entries)·len(layers)): for each ℓ in `layers` the
    empirical kernel K̂⁽ℓ⁾ = G[ℓ−1] at the named `entries` (of ENTRIES) of one network of `depth` hidden layers
    of equal width, layer-major.

    by_depth: the sweep variable is the layer ℓ itself (a ScalingLaw over depth): the network has the fixed
    width `layers[0]` and the columns are K̂⁽ˡ⁾ at ℓ = the sweep value.

    ReLU with diagonal entries only: every column from relu_diagonal (its exact law, O(1) a layer; each column's
    law is the Gram path's, the inputs' networks independent), not the Gram path."""
    unknown = [e for e in entries if e not in ENTRIES]
    if unknown:
        raise ValueError(f"entries={tuple(entries)!r}: {unknown[0]!r} is not one of {ENTRIES}")
    index = [((0, 0), (1, 1), (0, 1))[ENTRIES.index(e)] for e in entries]
    Xa = np.asarray(X, dtype=np.float64).T

    k = Xa.shape[1]

    if sigma == "relu" and all(i == j for i, j in index):  # the diagonal of a ReLU network: its exact law, O(1) a layer
        K1 = [C_W * float(Xa[:, i] @ Xa[:, i]) / Xa.shape[0] for i, _ in index]

        def diagonal(key, width, count, max_width=None):
            n, ell = (int(layers[0]), int(width)) if by_depth else (int(width), max(layers))
            G = relu_diagonal(key, K1, (n,) * (ell if by_depth else depth), C_W, count, layers=ell - 1)
            return np.column_stack([G[:, e - 1, c] for e in ([ell] if by_depth else layers) for c in range(len(K1))])

        return diagonal

    # (x,x) alone: the program's k = 2 columns are two independent networks at x, each a replicate (half the networks)
    twins = index == [(0, 0)] and k == 2
    Xs = np.column_stack([Xa[:, 0], Xa[:, 0]]) if twins else Xa

    def sample(key, width, count, max_width=None):
        # K̂⁽ˡ⁾ = G[ℓ−1] needs only the first ℓ − 1 layers of the network: the rest are not run
        nets = -(-count // 2) if twins else count
        if by_depth:  # K̂⁽ˡ⁾ of a depth-L network is that of its first ℓ layers: drawn as the depth-ℓ one when worth it
            n, ell = int(layers[0]), int(width)
            G, _ = gram_path(key, Xs, (n,) * worth_padding(ell, depth, count, n * k), C_W, sigma, nets,
                             layers=ell - 1, independent=twins)
            picks = [ell]
        else:
            n_max = worth_padding(width, max_width or width, count, depth * k)
            G, _ = gram_path(key, Xs, (int(width),) * depth, C_W, sigma, nets, n_max=n_max, layers=max(layers) - 1,
                             independent=twins)
            picks = list(layers)
        if twins:  # network i's column c is replicate 2i + c
            return np.stack([G[:, ell - 1, c, c] for ell in picks for c in (0, 1)], axis=1).reshape(
                nets, len(picks), 2).transpose(0, 2, 1).reshape(2 * nets, len(picks))[:count]
        return np.column_stack([G[:, ell - 1, i, j] for ell in picks for i, j in index])

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
    name = ENTRIES[("xx", "x2x2", "xx2").index(entry)]
    return unpadded(kernel_sampler(str(sigma), float(C_W), depth, (layer,), (tuple(x), tuple(x2)), entries=(name,)))


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


# ---- θ-derivatives: the Hessian of z₁⁽ᴸ⁺¹⁾ along the gradient, per-sample gradients --------------------------

def along_gradient(params, x, sigma: str):
    """(z, Θ = ‖g‖², gᵀHg) for z = z₁⁽ᴸ⁺¹⁾(x) at one input x (d,), g = ∇_θz, H = Hess_θz, params as
    verify.models.randnet.stacked_weights gives them.

    Structured, no autodiff of autodiff: gᵀHg = d²/dt² z(θ + tg) at t = 0. With δ_ℓ = ∂z/∂z⁽ℓ⁾ (one backward pass),
    ∂z/∂W⁽ℓ⁾ = δ_ℓ σ(z⁽ℓ⁻¹⁾)ᵀ is rank one, so moving every W⁽ℓ⁾ along it adds δ_ℓ(σ⁽ℓ⁻¹⁾·v) to W⁽ℓ⁾v, and the first and
    second t-derivatives z', z'' of every layer follow forward (a = σ(z), a' = σ'(z)z', a'' = σ'(z)z'' + σ''(z)z'²):
        z'⁽ℓ⁺¹⁾ = W⁽ℓ⁺¹⁾a'⁽ℓ⁾ + δ_{ℓ+1}|a⁽ℓ⁾|²,   z''⁽ℓ⁺¹⁾ = W⁽ℓ⁺¹⁾a''⁽ℓ⁾ + 2δ_{ℓ+1}(a⁽ℓ⁾·a'⁽ℓ⁾),
    from z'⁽¹⁾ = δ₁|x|², z''⁽¹⁾ = 0; the output's z'' is gᵀHg (and its z' is Θ). Three passes over the weights, each a
    lax.scan over the hidden layers: a smaller program than forward-over-reverse autodiff (tests hold the two equal)."""
    act = activation(sigma)
    f, df = act.f, act.df
    W1, hidden, w_out = params
    n, w = W1.shape[0], w_out[0]
    hidden = jnp.zeros((0, n, n), W1.dtype) if hidden is None else hidden
    z1 = W1 @ x
    _, zs = jax.lax.scan(lambda z, W: (W @ f(z), W @ f(z)), z1, hidden)
    zs = jnp.concatenate([z1[None], zs])  # z⁽¹⁾..z⁽ᴸ⁾
    _, deltas = jax.lax.scan(lambda dl, Wz: (df(Wz[1]) * (Wz[0].T @ dl),) * 2, df(zs[-1]) * w, (hidden, zs[:-1]),
                             reverse=True)
    deltas = jnp.concatenate([deltas, (df(zs[-1]) * w)[None]])  # δ₁..δ_L
    a = f(zs)
    sq_a, sq_d = jnp.sum(a * a, axis=1), jnp.sum(deltas * deltas, axis=1)
    theta = jnp.vdot(x, x) * sq_d[0] + jnp.sum(sq_a[:-1] * sq_d[1:]) + sq_a[-1]

    def tangents(z, t1, t2):  # a, a', a'' at one layer
        return f(z), df(z) * t1, df(z) * t2 + jax.jvp(df, (z,), (t1,))[1] * t1

    def step(carry, inputs):
        W, z, dl = inputs
        av, a1, a2 = tangents(z, *carry)
        moved = W @ jnp.stack([a1, a2], axis=1)
        return (moved[:, 0] + dl * jnp.vdot(av, av), moved[:, 1] + 2 * dl * jnp.vdot(av, a1)), None

    (t1, t2), _ = jax.lax.scan(step, (deltas[0] * jnp.vdot(x, x), jnp.zeros_like(z1)), (hidden, zs[:-1], deltas[1:]))
    av, a1, a2 = tangents(zs[-1], t1, t2)
    return jnp.stack([jnp.vdot(w, a[-1]), theta, jnp.vdot(w, a2) + 2 * jnp.vdot(av, a1)])


def _off(v, u, uu):
    """v − u(u·v)/|u|², the part of v orthogonal to u (v itself where u = 0: uu = |u|²)."""
    return v - u * _ratio(jnp.vdot(u, v), uu)


def _ratio(num, den):
    return jnp.where(den > 0, num / jnp.where(den > 0, den, 1.0), 0.0)


def gram_rows(y1, y2, xi1, xi2):
    """(M̃y1, M̃y2) for an iid N(0,1) matrix M̃, from two fresh normal vectors: rows iid N(0, Gram(y1, y2)), by
    Gram–Schmidt (y2 = c·y1 + y2⊥)."""
    r1 = jnp.vdot(y1, y1)
    c = _ratio(jnp.vdot(y1, y2), r1)
    g1 = jnp.sqrt(r1) * xi1
    return g1, c * g1 + jnp.sqrt(jnp.maximum(jnp.vdot(y2, y2) - c * c * r1, 0.0)) * xi2


class _Fresh:
    """The independent parts of the three queries of a hidden layer (hessian_law_fn), from `data`, the layer's
    fresh normals as drawn, (blocks, 4, _BLOCK) (normal j of row r at [r // _BLOCK, j, r % _BLOCK]): M a, the
    unconstrained M̃ᵀδ, and M̃(I − P_a)[a', a'']. Rows past the width are not masked: they only reach rows that
    along_gradient_queries masks. tests/ substitute the realised matrix to hold the decomposition equal to
    along_gradient to round-off."""

    @staticmethod
    def forward(xi, a, aa):
        return jnp.sqrt(aa) * _normals(xi, 0)

    @staticmethod
    def backward(xi, dl):
        return jnp.sqrt(jnp.vdot(dl, dl)) * _normals(xi, 1)

    @staticmethod
    def second(xi, y1, y2):
        return gram_rows(y1, y2, _normals(xi, 2), _normals(xi, 3))


def _normals(xi, j: int):
    """The n_max normals j of a layer's (blocks, 4, _BLOCK) draws, row-major."""
    return xi[:, j].reshape(-1)


def along_gradient_queries(z1, w, layers, on, s, xx, mask, sigma: str, fresh=_Fresh):
    """(z, Θ, gᵀHg) of along_gradient with every hidden W⁽ℓ⁾ = s·M⁽ℓ⁾ read only through its queries (see
    hessian_law_fn): z1 = W⁽¹⁾x, w the output row, `layers` the per-layer data `fresh` draws from (stacked along
    the hidden layers), `on` which hidden layers are live (a prefix: the rest pass their input on), xx = |x|², `mask`
    the live rows.

    The three passes loop over the live layers only (a traced trip count, not a scan over every stacked layer): a
    program padded to a deep L_max costs a shallow network no more than its own depth, so one compilation serves
    designs of different depths."""
    act = activation(sigma)
    f, df = act.f, act.df
    live = jnp.sum(on.astype(jnp.int32))
    at = functools.partial(jax.lax.dynamic_index_in_dim, keepdims=False)
    stack = jnp.zeros(on.shape + z1.shape, z1.dtype)

    def forward(i, carry):
        z, zs, As, aas, us = carry
        a = f(z) * mask
        aa = jnp.vdot(a, a)
        u = fresh.forward(at(layers, i), a, aa)
        return s * u, zs.at[i].set(z), As.at[i].set(a), aas.at[i].set(aa), us.at[i].set(u)

    zL, zs, As, aas, us = jax.lax.fori_loop(0, live, forward, (z1, stack, stack, jnp.zeros(on.shape), stack))

    def backward(j, carry):
        dl, ds, vs = carry
        i = live - 1 - j
        a, aa, u = at(As, i), at(aas, i), at(us, i)
        v = a * _ratio(jnp.vdot(u, dl), aa) + _off(fresh.backward(at(layers, i), dl), a, aa)
        return df(at(zs, i)) * mask * (s * v), ds.at[i].set(dl), vs.at[i].set(v)

    d1, ds, vs = jax.lax.fori_loop(0, live, backward, (df(zL) * mask * w, stack, stack))
    aL = f(zL) * mask
    theta = xx * jnp.vdot(d1, d1) + jnp.sum(jnp.where(on, aas * jnp.sum(ds * ds, axis=1), 0.0)) + jnp.vdot(aL, aL)

    def tangents(z, t1, t2):  # a', a'' at one layer
        return df(z) * t1 * mask, (df(z) * t2 + jax.jvp(df, (z,), (t1,))[1] * t1) * mask

    def second(i, carry):
        z, a, aa, u, dl, v = (at(x, i) for x in (zs, As, aas, us, ds, vs))
        a1, a2 = tangents(z, *carry)
        dd = jnp.vdot(dl, dl)
        y1, y2 = _off(a1, a, aa), _off(a2, a, aa)
        g1, g2 = fresh.second(at(layers, i), y1, y2)

        def moved(y, yp, g):  # M y given Ma = u, Mᵀδ = v
            return u * _ratio(jnp.vdot(a, y), aa) + dl * _ratio(jnp.vdot(v, yp), dd) + _off(g, dl, dd)

        return s * moved(a1, y1, g1) + dl * aa, s * moved(a2, y2, g2) + 2 * dl * jnp.vdot(a, a1)

    t1, t2 = jax.lax.fori_loop(0, live, second, (d1 * xx, jnp.zeros_like(z1)))
    a1, a2 = tangents(zL, t1, t2)
    return jnp.stack([jnp.vdot(w, aL), theta, jnp.vdot(w, a2) + 2 * jnp.vdot(aL, a1)])


_BLOCK = 16  # rows drawn per key in hessian_law_fn: every width of the catalogue's designs is a multiple


def _hessian_labels(n_max: int, depth_max: int) -> np.ndarray:
    """The (ℓ, block) labels a network's key is folded with, ℓ-major: [0, :2] for W⁽¹⁾x and the output row, [ℓ − 1] for
    W⁽ℓ⁾, each a block of _BLOCK rows, so that n_max and L_max (the padding) do not enter the draws."""
    return (np.arange(depth_max)[:, None] * 2**16 + np.arange(-(-n_max // _BLOCK))[None, :]).reshape(-1)


def _block_normals(data):
    """The (4, _BLOCK) normals of one folded key (its raw data)."""
    return jax.random.normal(jax.random.wrap_key_data(data, impl="threefry2x32"), (4, _BLOCK))


def _hessian_queries(d: int, n_max: int, depth_max: int, sigma: str):
    """(draws (labels, 4, _BLOCK), n, L, C_W) → (z, Θ, gᵀHg): hessian_law_fn given its normals."""
    blocks = -(-n_max // _BLOCK)

    def run(draws, n, L, C_W):
        rows, hidden = jnp.arange(blocks * _BLOCK), jnp.arange(2, depth_max + 1)  # hidden: ℓ of each W⁽ℓ⁾, 2..L_max
        mask = (rows < n).astype(jnp.float64)
        draws = draws.reshape(depth_max, blocks, 4, _BLOCK)  # the hidden layers' draws: reshaped, not copied
        s = jnp.sqrt(C_W / n)
        # W⁽¹⁾x ~ N(0, C_W|x|²/d) = N(0, C_W) per row at x = (1, …, 1)
        return along_gradient_queries(jnp.sqrt(C_W) * _normals(draws[0], 0) * mask, s * _normals(draws[0], 1) * mask,
                                      draws[1:], hidden <= L, s, float(d), mask, sigma)

    return run


@functools.lru_cache(maxsize=None)
def hessian_law_fn(d: int, n_max: int, depth_max: int, sigma: str):
    """(key, n, L, C_W) → (z, Θ, gᵀHg) of along_gradient at x = (1, …, 1) ∈ ℝᵈ, drawn from their exact joint law in
    O(L·n) normals instead of the L·n² weights; n ≤ n_max and L ≤ depth_max are traced (masked rows, and hidden
    layers past L pass their input on), so one compilation serves a whole design.

    along_gradient reads each hidden W = √(C_W/n)M only through three queries, each vector a function of the answers
    before it: u = Ma (forward), v = Mᵀδ (backward), then My for y = a', a'' (second order); W⁽¹⁾ only through W⁽¹⁾x
    and the output row w as a whole. For an iid N(0,1) matrix queried so, the next answer given the past is the
    conditional mean on the past linear constraints plus an independent Gaussian on their complement
    (Bayati–Montanari's conditioning lemma): with P_a, P_δ the projections on a and δ,
        Ma = |a|ξ,   Mᵀδ = a(u·δ)/|a|² + |δ|(I − P_a)η,
        My = u(a·y)/|a|² + δ(v·(I − P_a)y)/|δ|² + (I − P_δ)G,  G = M̃(I − P_a)[a', a''] (rows iid N(0, Gram)),
    ξ, η, M̃ fresh. So every layer costs 4n normals (ξ, η and two for G) and O(n) work. tests/ hold the
    decomposition equal to along_gradient on materialised weights (round-off) and the law equal (KS)."""
    queries, labels = _hessian_queries(d, n_max, depth_max, sigma), jax.device_put(_hessian_labels(n_max, depth_max))

    def run(key, n, L, C_W):
        return queries(jax.vmap(lambda i: _block_normals(jax.random.key_data(jax.random.fold_in(key, i))))(labels), n,
                       L, C_W)

    return jax.jit(run)


@functools.lru_cache(maxsize=None)
def _hessian_given_draws_fn(d: int, n_max: int, depth_max: int, sigma: str):
    return _hessian_queries(d, n_max, depth_max, sigma)


def hessian_law_draws(nets: np.ndarray, n_max: int, depth_max: int, n: int | None = None,
                      L: int | None = None) -> np.ndarray:
    """(count, labels, 4, _BLOCK): the normals hessian_law_fn draws for the networks of keys `nets` (raw data, (count, 2)
    uint32), bit for bit, from one program for every (n_max, L_max) (a design's program then holds no sampler: ~0.8 s of its ~1.9 s
    compilation). The folded keys are made on the host (fold_in(k, i) is the Threefry hash of (0, i)).

    n, L: the network's width and depth; only the blocks it reads are drawn (layers ℓ ≤ L, rows < n rounded up to a
    block), the rest are 0: hessian_law_fn masks them, so the numbers are the same as drawing every block."""
    from verify._jax import _threefry2x32

    blocks = -(-n_max // _BLOCK)
    labels = _hessian_labels(n_max, depth_max).reshape(depth_max, blocks)
    live = labels[:depth_max if L is None else int(L), :blocks if n is None else -(-int(n) // _BLOCK)]
    nets = np.asarray(nets, dtype=np.uint32)
    words = _threefry2x32(nets[:, :1], nets[:, 1:], np.zeros((1, 1), np.uint32), live.reshape(1, -1).astype(np.uint32))
    folded = np.stack(np.broadcast_arrays(*words), axis=-1).reshape(-1, 2)
    out = np.zeros((len(nets), depth_max, blocks, 4, _BLOCK))
    out[:, :live.shape[0], :live.shape[1]] = np.asarray(sharded_vmap(_block_normals, folded, chunk=4096)).reshape(
        len(nets), *live.shape, 4, _BLOCK)
    return out.reshape(len(nets), depth_max * blocks, 4, _BLOCK)


def hessian_shape(n_top: int, L_top: int) -> tuple[int, int]:
    """(n_max, L_max) of the program a design whose largest point is (n_top, L_top) runs in: powers of two, and
    n_max·L_max ≥ _PROGRAM_ROWS. along_gradient_queries loops over the live layers only, so padded layers cost little
    (their draws and stacks, ∝ n_max) and narrow designs pad deep to share a program: the quick designs (L ≤ 16 at
    n = 128; L = n/16 ≤ 6 at n ≤ 96) run in one program; the wide one (n ≤ 512 at L = 2) pads to L = 4 only."""
    n_max = _bucket(n_top, _BLOCK)
    return n_max, _bucket(max(L_top, _PROGRAM_ROWS // n_max), 1)


_PROGRAM_ROWS = 2048  # rows × layers a hessian program is padded to at least (hessian_shape)


@functools.lru_cache(maxsize=None)
def hessian_fn(d: int, n: int, depth: int, sigma: str, C_W: float):
    """key → (z, Θ = ‖∇_θz‖², gᵀHg) for z = z₁⁽ᴸ⁺¹⁾(x) at x = (1, …, 1) ∈ ℝᵈ, g = ∇_θz, H = Hess_θ z
    (along_gradient: no n²×n² matrix, no autodiff of autodiff)."""
    from verify.models.randnet import Architecture, stacked_weights

    arch = Architecture(d, (n,) * depth, 1, C_W, sigma)
    x = jnp.ones((d,))
    return lambda key: along_gradient(stacked_weights(key, arch), x, sigma)


def hessian_sampler(sigma: str = "relu", C_W: float = 2.0, d: int = 4, *, depth: int | None = None,
                    width: int | None = None, ratio: float | None = None):
    """sample(key, v, count, max_width) → (count, 1): ν = √K |gᵀHg|/Θ², K = C_W|x|²/d (= E z² at every width for critical
    ReLU). The sweep variable v is n (depth fixed), L (width fixed), or n with L = ratio·n; max_width, the sweep's
    largest v, fixes the padded (n_max, L_max) of hessian_law_fn: one compilation per design (and one sampler for all)."""
    K = C_W  # |x|² = d
    if sum(a is not None for a in (depth, width, ratio)) != 1:
        raise ValueError("fix exactly one of depth (sweep n), width (sweep L) or ratio (sweep n at L = ratio·n)")

    def shape(v):
        return (v, depth) if depth is not None else (width, v) if width is not None else (v, max(1, round(ratio * v)))

    def sample(key, v, count, max_width=None):
        (n, L), (n_top, L_top) = shape(int(v)), shape(int(max_width or v))
        if n > n_top or L > L_top:
            raise ValueError(f"max_width={max_width} is below the sweep value {v}: pass the sweep's largest value (or "
                             "None)")
        n_max, L_max = hessian_shape(n_top, L_top)
        # networks at once: 40·2^k, ≤ 2²¹ floats a per-layer array (O(L·n) a network, ~10 such arrays)
        chunk = 40 * int(np.clip(2**21 // (40 * L_max * n_max), 1, 8))
        fn = _hessian_given_draws_fn(d, n_max, L_max, sigma)
        nets = np.asarray(jax.random.key_data(split_keys(key, count)))
        out = np.concatenate([  # hessian_law_fn's numbers, its normals drawn apart, `chunk` networks at a time
            sharded_vmap(fn, hessian_law_draws(nets[start:start + chunk], n_max, L_max, n, L), float(n), float(L),
                         float(C_W), chunk=chunk) for start in range(0, count, chunk)])
        return (np.sqrt(K) * np.abs(out[:, 2]) / out[:, 1] ** 2)[:, None]

    return sample


@functools.lru_cache(maxsize=None)
def per_sample_fns(d: int, widths: tuple, sigma: str, C_W: float):
    """(jacobian(ws, X) → (N, P), gd(ws, X, y, eta, max_steps, tol) → (ws, steps, η_T), grad_norm(ws, X, y), z(ws, X))
    of the materialised network on the mean square loss."""
    from jax.flatten_util import ravel_pytree

    from verify.models.randnet import forward

    def z(ws, X):
        return forward(ws, X, sigma)[-1][0]  # (N,)

    def jacobian(ws, X):
        J = jax.jacrev(z)(ws, X)
        return jnp.concatenate([j.reshape(X.shape[1], -1) for j in J], axis=1)

    def loss(ws, X, y):
        return jnp.mean((y - z(ws, X)) ** 2)

    def grad_norm(ws, X, y):
        return jnp.linalg.norm(ravel_pytree(jax.grad(loss)(ws, X, y))[0])

    @jax.jit
    def gd(ws, X, y, eta, max_steps, tol):
        """Full-batch GD until ‖∇L‖ ≤ tol or max_steps: (θ_T, steps taken, final step η_T).

        Safe on a non-convex loss: a step that would raise the loss beyond round-off (or overflow) is halved
        until it does not, and the smaller step is kept from then on, so the loss never grows and the iterate
        cannot run off to inf/NaN where the curvature outgrows the initial step. While the first step never
        raises the loss, this is plain GD at η. It stops when η has been halved below 2⁻⁵⁰ of its start
        (no descent step: reported by η_T)."""
        floor = eta * 2.0 ** -50

        def cond(c):
            return (c[1] < max_steps) & (c[2] > floor) & (grad_norm(c[0], X, y) > tol)

        def body(c):
            w, k, e = c
            l0, g = jax.value_and_grad(loss)(w, X, y)

            def moved(e):
                return [wi - e * gi for wi, gi in zip(w, g)]

            def rises(e):  # ~(a ≤ b) is True for NaN too
                return ~(loss(moved(e), X, y) <= l0 + 1e-14 * (1.0 + l0)) & (e > floor)

            e = jax.lax.while_loop(rises, lambda e: e / 2, e)
            return moved(e), k + 1, e

        return jax.lax.while_loop(cond, body, (ws, 0, jnp.asarray(eta, dtype=jnp.float64)))

    @jax.jit
    def probe(ws, X, y):  # the three reads in one program: one compilation per network instead of three
        return jacobian(ws, X), grad_norm(ws, X, y), z(ws, X)

    def read(i: int):
        return lambda ws, X, *y: probe(ws, X, y[0] if y else np.zeros(np.shape(X)[1]))[i]

    return read(0), gd, read(1), read(2)


def _build_hessian(sigma="relu", C_W=2.0, depth=2, width=0, ratio=0.0):
    if width and ratio:
        raise ValueError(f"width={width}, ratio={ratio}: fix at most one of them (the sweep is then over L, or over n "
                         "at L = ratio·n); with neither, the sweep is over n at the given depth")
    design = {"width": int(width)} if width else {"ratio": float(ratio)} if ratio else {"depth": int(depth)}
    return hessian_sampler(str(sigma), float(C_W), **design)


register(Observable(
    name="randnet.hessian_along_gradient",
    model="randnet",
    description="ν = √K |gᵀHg|/Θ² for z₁⁽ᴸ⁺¹⁾ at x = (1,1,1,1) of one random network of depth L and width n: g = ∇_θz, "
                "H = Hess_θz, Θ = ‖g‖² (the NTK), K = C_W (= E z² at criticality). The relative change of the NTK "
                "after a GD step that moves z by √K is 2ν; the seed's ‖Hess_θz‖ ≃ C·L/n read operationally.",
    params={"sigma": Param("activation (as in randnet.kernel)", "relu"),
            "C_W": Param("weight variance C_W", 2.0, kind="float"),
            "depth": Param("number L of hidden layers (the sweep variable is the width n)", 2, kind="int"),
            "width": Param("fixed width n: the sweep variable is the depth L instead (0: sweep n)", 0, kind="int"),
            "ratio": Param("fixed L/n: the sweep variable is n at L = max(1, round(ratio·n)) (0: fixed depth)", 0.0,
                           kind="float")},
    outputs=("ν",),
    build=_build_hessian,
    tags=("hessian", "ntk"),
))
