"""Observables of the randnet finite-width claims (cumulants, L/n); imported by verify.observables.randnet.

One per-network sampler: at three fixed inputs x₁, x₂, x₃ (‖xᵢ‖² = d) it returns the first two outputs, the
conditional variance G = (C_W/n_L)‖σ(z^{(L)}(x₁))‖² of the output given the last hidden layer, ‖∂z₁^{(L+1)}(x₁)/∂x‖²,
Q = ‖z^{(L+1)}(x₁)‖²/n_out, and the moments of ∂z₁/∂x given the layers below W^{(L+1)} (NETWORK_COLUMNS).

It draws no weight matrix: the Gram path of verify.observables.randnet, carried along the forward tangents.
Write u⁽ℓ⁾ = [z⁽ℓ⁾(x₁), …, z⁽ℓ⁾(x_k), ∂z⁽ℓ⁾(x₁)/∂x] (n_ℓ × (k + d): the preactivations at k inputs and the d columns
of their input Jacobian at x₁). The chain rule gives ∂z⁽ℓ⁺¹⁾ = W⁽ℓ⁺¹⁾(σ'(z⁽ℓ⁾)∘∂z⁽ℓ⁾) with the same W⁽ℓ⁺¹⁾ as
z⁽ℓ⁺¹⁾ = W⁽ℓ⁺¹⁾σ(z⁽ℓ⁾), so

    u⁽ℓ⁺¹⁾ = W⁽ℓ⁺¹⁾M⁽ℓ⁾,   M⁽ℓ⁾ = [σ(z⁽ℓ⁾(x₁..x_k)), σ'(z⁽ℓ⁾(x₁))∘∂z⁽ℓ⁾(x₁)/∂x]  (n_ℓ × (k + d)),
    u⁽¹⁾ = W⁽¹⁾[X, I_d].

M⁽ℓ⁾ is a function of W⁽¹⁾..W⁽ℓ⁾ only, and W⁽ℓ⁺¹⁾ is independent of them with iid N(0, C_W/n_ℓ) entries, so given
the layers below, the rows of u⁽ℓ⁺¹⁾ are iid N(0, Γ⁽ℓ⁾) with

    Γ⁽ℓ⁾ = (C_W/n_ℓ) M⁽ℓ⁾ᵀM⁽ℓ⁾   ((k + d) × (k + d)),   Γ⁽⁰⁾ = (C_W/d)[X, I]ᵀ[X, I].

Everything the next layers compute depends on W⁽ℓ⁺¹⁾ only through u⁽ℓ⁺¹⁾, so drawing u⁽ℓ⁺¹⁾ = ξAᵀ with AAᵀ = Γ⁽ℓ⁾
(ξ: n_{ℓ+1} × (k + d) standard normals, A = psd_cholesky(Γ⁽ℓ⁾)) layer by layer gives exactly the joint law of
(u⁽¹⁾, …, u⁽ᴸ⁺¹⁾) of a drawn network — hence of every column — with O(n(k + d)²) work per layer instead of n² draws
and a Jacobian pass. (σ' enters at
z⁽ℓ⁾(x₁) only; ReLU's kink at 0 is a null event, and a dead layer gives u = 0 either way.) The columns read off it:
z = u⁽ᴸ⁺¹⁾'s first k columns, ∂z₁/∂x = row 1 of its last d, G = Γ⁽ᴸ⁾₁₁ and Σ = Γ⁽ᴸ⁾ restricted to the tangent
block: the covariance of ∂z₁/∂x given the layers below W^{(L+1)}. tests/ hold this equal in law to a drawn network.
Widths (rows ≥ n_ℓ masked), the depth and σ ∈ SIGMAS are traced: one compilation per n_max serves every
width ≤ n_max, depth ≤ 4 and both activations.

A *replicate* is a bundle of M independent networks reduced to k-statistics (verify.stats._kstat): each
bundle's k-statistic is unbiased, so the checks' batch means over bundles give honest intervals.

Why G: z^{(L+1)} = √G·ξ with ξ ~ N(0,1) independent of G — W^{(L+1)} is Gaussian and independent of
the rest by the model's definition — so κ_{2k}(z) = (2k−1)!!·κ_k(G) exactly. The k-statistics of G
estimate κ₆, κ₈ of z with a fraction of the variance of z's own k₆, k₈ (which need ~10²–10⁴× more
networks); z's own k₂, k₄, k₆ are kept as the direct view of the same cumulants.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np

from verify._draws import _threefry2x32 as threefry2x32  # jax's hash on traced uint32 (verify._draws: padded draws)
from verify._jax import jax, jnp, sharded_vmap, split_keys
from verify.models import randnet as model
from verify.models._activations import activation
from verify.observables._base import Observable, Param, pad_length, register, unpadded
from verify.stats._kstat import joint_k_statistic, k_statistic

D = 4  # input dimension n₀
INPUTS = np.array([[1.0, 1.0, 1.0], [1.0, 1.0, -1.0], [1.0, 1.0, 1.0], [1.0, -1.0, 1.0]])  # columns, ‖xᵢ‖² = d
NETWORK_COLUMNS = ("z₁(x₁)", "z₁(x₂)", "z₁(x₃)", "z₂(x₁)", "z₂(x₂)", "z₂(x₃)", "G(x₁)", "‖∂z₁(x₁)/∂x‖²",
                   "‖z(x₁)‖²/n_out", "tr Σ", "tr Σ²", "Σᵢzᵢ(x₁)⁴")  # Σ: covariance of ∂z₁(x₁)/∂x given the layers below W^{(L+1)}
N_OUT = 16  # outputs: two for the correlations, all sixteen for Q (one compilation serves both)
BUNDLE = 50  # networks per replicate: k₄ of G needs ≥ 4; 50 keeps its variance within 10% of the pooled k₄
ELEMENTS_PER_CHUNK = 2 ** 22  # n_max·(k+d)·chunk doubles per layer draw in flight (32 MB)
CHUNK = 1024  # networks per call at most: a call costs ~ms of dispatch, a network at n ≤ 64 microseconds

BUNDLE_COLUMNS = (
    "κ₂(z)/K", "κ₄(z)/K²", "κ₆(z)/K³",  # direct k-statistics of z₁ and z₂ (averaged)
    "κ₃(z)/K^{3/2}", "κ₅(z)/K^{5/2}", "κ(z(x₁),z(x₂),z(x₃))/K^{3/2}",  # odd ones, direct
    "E[G]/K", "3κ₂(G)/K²", "15κ₃(G)/K³", "105κ₄(G)/K⁴",  # κ₂..κ₈ of z through G
    "Cov(z₁²,z₂²)/K²",  # neuron correlation (joint k-statistic k₁₁)
    "E‖∂z₁/∂x‖²", "Var‖∂z₁/∂x‖²", "E[Q]", "Var(Q)",
    "E‖∂z₁/∂x‖² (given Σ)", "Var‖∂z₁/∂x‖² (given Σ)",  # E tr Σ and 2E tr Σ² + Var tr Σ (Rao–Blackwell)
    "Var(G)/K²",  # = Cov(z₁², z₂²)/K²: z₁, z₂ are iid N(0, G) given the last hidden layer
    "Cov(zᵢ²,zⱼ²)/K² (all pairs)",  # the direct covariance averaged over the n_out(n_out−1) ordered pairs
)


def column(name: str) -> int:
    try:
        return BUNDLE_COLUMNS.index(name)
    except ValueError:
        raise ValueError(f"unknown bundle column {name!r}; columns: {', '.join(BUNDLE_COLUMNS)}") from None


def infinite_width_K(sigma: str, C_W: float, depth: int) -> float:
    """K^{(L+1)}(x,x) at ‖x‖² = d where it is known in closed form (the normalisation of the cumulants)."""
    if sigma == "relu":
        return C_W * (C_W / 2.0) ** depth
    if sigma == "identity":
        return C_W ** (depth + 1)
    raise ValueError(f"sigma={sigma!r}: the finite-width cumulant observables normalise by a closed-form K; "
                     "use 'relu' or 'identity'")


def psd_cholesky(G: jax.Array, rtol: float = 1e-12) -> jax.Array:
    """Lower-triangular L with L Lᵀ = G for a symmetric PSD G (m × m, m small), in plain jnp. Γ is singular by
    construction (for ReLU σ(z(x₁)) = M's tangent block · x₁, and a layer with fewer live neurons than k + d has
    rank < k + d), which LAPACK's Cholesky rejects; a pivot ≤ rtol·max diag is a zero of a PSD Schur complement,
    whose whole column is then zero (|c_ij|² ≤ c_ii c_jj), so that column of L is set to 0. No LAPACK call at all:
    two eigh calls in one program, sharded over 2 CPU devices at ≥ 128 networks each, hung this jaxlib."""
    m = G.shape[-1]
    tol = rtol * jnp.max(jnp.diagonal(G))
    below = jnp.arange(m)
    L = jnp.zeros_like(G)
    for j in range(m):
        c = G[:, j] - L @ L[j]
        live = c[j] > tol
        L = L.at[:, j].set(jnp.where(live & (below >= j), c / jnp.sqrt(jnp.where(live, c[j], 1.0)), 0.0))
    return L


def _depth_slots(depth: int) -> int:
    """Layers a compiled program has room for: depths 1…4 share one program, deeper ones the next power of 2."""
    return max(4, 1 << (int(depth) - 1).bit_length())


def _split(key, count, slots: int):
    """(slots, 2) uint32: row j < count is jax.random.split(key, count)[j]'s data, for a traced count (jax's split is
    the Threefry hash of the counter pairs (j, j + count), its output words laid out in order; verify._jax.split_keys
    does it on the host). jax.random.split compiles a program per static count; this one serves every depth."""
    k = jax.random.key_data(key)
    m = jnp.arange(2 * slots, dtype=jnp.uint32)  # the output words 0…2·slots−1; word m < 2·count is split's
    count = jnp.asarray(count).astype(jnp.uint32)
    first = m < count
    a = jnp.where(first, m, m - count)  # word m is half 0 of pair a = m (m < count) or half 1 of pair a = m − count
    h0, h1 = threefry2x32(k[0], k[1], a, a + count)
    return jnp.where(first, h0, h1).reshape(slots, 2)


SIGMAS = ("relu", "identity")  # the activations one program serves (a traced index picks σ, σ' at every layer)


def _sigmas(sigma: str) -> tuple[tuple[str, ...], int]:
    """(the activations of sigma's program, sigma's index among them)."""
    family = SIGMAS if sigma in SIGMAS else (sigma,)
    return family, family.index(sigma)


@functools.cache
def _network_fn(n_max: int, slots: int, n_out: int, sigmas: tuple[str, ...], tangents: bool = True):
    """(key, X (d×k), widths (slots,), depth, which, C_W) → one network's NETWORK_COLUMNS through the tangent Gram path
    (module docstring), its first `depth` widths the hidden layers, σ = sigmas[which]: one compilation per (n_max,
    slots, n_out), whatever the depth ≤ slots, the widths ≤ n_max and the activation. The layer loop runs `depth`
    times (a trip count vmap shares), so a depth costs its own layers only; the keys are jax.random.split(key,
    depth + 1)'s, and σ, σ' are selected (not mixed) values, so the draws and columns are those of a program compiled
    for that depth and activation alone. Without tangents u⁽ℓ⁾ holds the k values only (k normals a row, not k + d)
    and the tangent columns (‖∂z₁/∂x‖², tr Σ, tr Σ²) are NaN."""
    acts = [activation(s) for s in sigmas]
    rows = jax.device_put(np.arange(n_max))  # device_put (here and below): eager jnp compiles a program per shape

    def one(key, X, widths, depth, which, C_W):
        def pick(values):
            return values[0] if len(values) == 1 else jnp.select([which == i for i in range(len(values))], values)

        d, k = X.shape
        keys = _split(key, depth + 1, slots + 1)
        t = d if tangents else 0  # tangent columns carried
        A = jnp.concatenate([X, jnp.eye(d, dtype=X.dtype)], axis=1) if tangents else X  # u⁽¹⁾ = W⁽¹⁾[X, I]
        gamma0 = C_W / d * (A.T @ A)

        def layer(i, gamma):
            kk, n = jax.random.wrap_key_data(keys[i], impl="threefry2x32"), widths[i]
            u = jax.random.normal(kk, (n_max, k + t)) @ psd_cholesky(gamma).T
            z, dz = u[:, :k], u[:, k:]
            f, df = pick([a.f(z) for a in acts]), pick([a.df(z[:, :1]) for a in acts])
            M = jnp.concatenate([f, df * dz], axis=1) * (rows < n).astype(X.dtype)[:, None]
            return C_W / n * (M.T @ M)

        gamma = jax.lax.fori_loop(0, depth, layer, gamma0)
        last = jax.random.wrap_key_data(keys[depth], impl="threefry2x32")
        out = jax.random.normal(last, (n_out, k + t)) @ psd_cholesky(gamma).T  # u^{(L+1)}
        z, grad = out[:, :k], out[0, k:]
        sigma_grad = gamma[k:, k:]  # Cov(∂z₁/∂x | layers below W^{(L+1)}) = (C_W/n_L)JᵀJ, J = σ'(z⁽ᴸ⁾(x₁))∘∂z⁽ᴸ⁾
        none = jnp.full((), jnp.nan)
        return jnp.concatenate([z[:2].ravel(), jnp.stack([
            gamma[0, 0], jnp.sum(grad**2) if tangents else none, jnp.sum(z[:, 0] ** 2) / n_out,
            jnp.trace(sigma_grad) if tangents else none, jnp.sum(sigma_grad**2) if tangents else none,
            jnp.sum(z[:, 0] ** 4)])])

    return one


X1_COLUMNS = ("z₁(x₁)", "z₂(x₁)", "G(x₁)", "‖z(x₁)‖²/n_out", "Σᵢzᵢ(x₁)⁴")  # what x1_only draws


def network_rows(key, widths: tuple[int, ...], count: int, sigma: str = "relu", C_W: float = 2.0, n_out: int = N_OUT,
                 n_max: int | None = None, x1_only: bool = False) -> np.ndarray:
    """(count, len(NETWORK_COLUMNS)) from `count` independent networks; n_max pads (shares a compilation). x1_only:
    the networks at x₁ alone, without tangents (1 normal a row and layer instead of k + d = 7): X1_COLUMNS, the
    other columns NaN (the same law of those columns, other draws)."""
    arch = model.Architecture(D, tuple(int(w) for w in widths), n_out, float(C_W), sigma)
    n_max = arch.n_max if n_max is None else int(n_max)
    if n_max < arch.n_max:
        raise ValueError(f"n_max={n_max} < the largest width {arch.n_max}: pad to at least the largest width")
    if n_out < 2:
        raise ValueError(f"n_out={n_out}: the neuron-correlation columns need two outputs; give n_out ≥ 2")
    slots = _depth_slots(arch.depth)
    sigmas, which = _sigmas(sigma)
    fn = _network_fn(n_max, slots, n_out, sigmas, not x1_only)
    X = INPUTS[:, :1] if x1_only else INPUTS
    chunk = int(max(2, min(CHUNK, ELEMENTS_PER_CHUNK // (max(n_max, n_out) * (INPUTS.shape[1] + D)))))
    widths = np.zeros(slots)
    widths[:arch.depth] = arch.widths
    out = sharded_vmap(fn, split_keys(key, count), jax.device_put(X), jax.device_put(widths),
                       jax.device_put(np.int32(arch.depth)), jax.device_put(np.int32(which)), jax.device_put(arch.C_W),
                       chunk=chunk)
    out = np.asarray(out)
    if x1_only:  # its columns into NETWORK_COLUMNS' places
        full = np.full((count, len(NETWORK_COLUMNS)), np.nan)
        full[:, [NETWORK_COLUMNS.index(c) for c in X1_COLUMNS]] = out.reshape(count, -1)[:, [0, 1, 2, 4, 7]]
        return full
    return out.reshape(count, len(NETWORK_COLUMNS))


def _pair_covariance(s2: np.ndarray, s4: np.ndarray, n_out: int) -> np.ndarray:
    """Unbiased Cov(zᵢ², zⱼ²), i ≠ j, from Σᵢzᵢ² and Σᵢzᵢ⁴ of each network of a bundle (last axis): the mean over
    networks of Σ_{i≠j}zᵢ²zⱼ²/(n(n−1)) estimates E[zᵢ²zⱼ²], and products over distinct networks E[zᵢ²]²."""
    M = s2.shape[-1]
    same = np.mean((s2**2 - s4) / (n_out * (n_out - 1)), axis=-1)
    across = (np.sum(s2, axis=-1) ** 2 - np.sum(s2**2, axis=-1)) / (M * (M - 1) * n_out**2)
    return same - across


def bundle_stats(rows: np.ndarray, K: float, n_out: int = N_OUT, columns=None) -> np.ndarray:
    """(bundles, M, network columns) → (bundles, len(columns)): unbiased k-statistics per bundle of the
    BUNDLE_COLUMNS indexed by `columns` (default all), computed for those only: a check reads one or two."""
    z = rows[..., 0:6] / math.sqrt(K)
    z1, z2 = z[..., 0:3], z[..., 3:6]
    g = rows[..., 6] / K
    grad, Q, tr, tr2, s4 = rows[..., 7], rows[..., 8], rows[..., 9], rows[..., 10], rows[..., 11] / K**2

    def both(r, i=0):  # the two outputs are exchangeable: average their (each unbiased) k-statistics
        return 0.5 * (k_statistic(z1[..., i], r) + k_statistic(z2[..., i], r))

    def joint():
        return 0.5 * (joint_k_statistic([z1[..., 0], z1[..., 1], z1[..., 2]])
                      + joint_k_statistic([z2[..., 0], z2[..., 1], z2[..., 2]]))

    stats = (  # in BUNDLE_COLUMNS' order
        lambda: both(2), lambda: both(4), lambda: both(6), lambda: both(3), lambda: both(5), joint,
        *_g_statistics(g),
        lambda: joint_k_statistic([z1[..., 0] ** 2, z2[..., 0] ** 2]),
        lambda: grad.mean(axis=-1), lambda: k_statistic(grad, 2), lambda: Q.mean(axis=-1), lambda: k_statistic(Q, 2),
        lambda: tr.mean(axis=-1), lambda: 2 * tr2.mean(axis=-1) + k_statistic(tr, 2), lambda: k_statistic(g, 2),
        lambda: _pair_covariance(Q * n_out / K, s4, n_out),
    )
    return _selected(stats, columns)


def _g_statistics(g):
    """G_COLUMNS' statistics of g = G/K, (bundles, M), each computed when called: κ₂..κ₈ of z through G."""
    return (lambda: g.mean(axis=-1), lambda: 3 * k_statistic(g, 2), lambda: 15 * k_statistic(g, 3),
            lambda: 105 * k_statistic(g, 4))


def _selected(stats, columns) -> np.ndarray:
    """(bundles, len(columns)): the statistics indexed by `columns` (None: all), only those computed."""
    return np.column_stack([stats[c]() for c in (range(len(stats)) if columns is None else columns)])


def bundle_sampler(design: Callable[[int], tuple[int, ...]], sigma: str = "relu", C_W: float = 2.0, n_out: int = N_OUT,
                   bundle: int = BUNDLE, pad: bool = True, n_max: int | None = None):
    """sample(key, w, count, max_width=None, columns=None) → (count, len(columns or BUNDLE_COLUMNS)); `design(w)`
    gives the hidden widths at sweep value w (a width n, a depth L, or a fixed setting). Networks are padded to n_max (and,
    with pad, to the sweep's largest width) so that settings of one depth share one compilation."""

    def sample(key, w, count, max_width=None, columns=None):
        widths = tuple(design(w))
        size = max(widths + ((n_max,) if n_max else ()))
        if pad and max_width is not None:
            size = max(size, max(design(max_width)))
        rows = network_rows(key, widths, count * bundle, sigma, C_W, n_out, size)
        K = infinite_width_K(sigma, C_W, len(widths))
        return bundle_stats(rows.reshape(count, bundle, -1), K, n_out, columns)

    sample.selects_columns = True  # columns=: the BUNDLE_COLUMNS indices a check reads (verify.checks.outputs)
    return sample


G_COLUMNS = ("E[G]/K", "3κ₂(G)/K²", "15κ₃(G)/K³", "105κ₄(G)/K⁴")  # κ₂..κ₈ of z through G, as in BUNDLE_COLUMNS
G_CHUNK = 8192  # one-layer networks per call: 32 doubles each at n ≤ 32 (the Gram path's CHUNK is for 10²× more)


@functools.cache
def _first_layer_fn(n_max: int, sigmas: tuple[str, ...]):
    """(key, width, which, scale, C_W) → G = (C_W/n)‖σ(z⁽¹⁾(x₁))‖² of one network with one hidden layer of width n:
    its n first-layer preactivations z⁽¹⁾(x₁) = W⁽¹⁾x₁ are iid N(0, C_W‖x₁‖²/d) (= scale²), drawn in n_max rows,
    rows ≥ n masked; one compilation per n_max serves every width ≤ n_max and both activations."""
    acts = [activation(s) for s in sigmas]
    rows = jax.device_put(np.arange(n_max))

    def one(key, n, which, scale, C_W):
        z = scale * jax.random.normal(key, (n_max,))
        f = jnp.select([which == i for i in range(len(acts))], [a.f(z) for a in acts]) if len(acts) > 1 else \
            acts[0].f(z)
        return C_W / n * jnp.sum(jnp.where(rows < n, f, 0.0) ** 2)

    return one


def first_layer_sampler(sigma: str = "relu", C_W: float = 2.0, bundle: int = BUNDLE, n_max: int | None = None):
    """sample(key, n, count, columns=None) → (count, len(columns or G_COLUMNS)): per replicate, k-statistics of the
    conditional output variance G of a bundle of one-layer networks of width n (L = 1). At L = 1 the output given the
    first layer is N(0, G) with G a function of z⁽¹⁾(x₁) alone, so only those n preactivations are drawn (n normals a
    network; the Gram path draws (n_max + n_out)(k + d)): the same law as randnet.finite_width's G columns at depth 1,
    not the same numbers. n_max pads (0/None: each width to itself)."""
    sigmas, which = _sigmas(sigma)
    scale = math.sqrt(C_W * float(INPUTS[:, 0] @ INPUTS[:, 0]) / D)

    def sample(key, n, count, columns=None):
        n = int(n)
        size = int(n_max or n)
        if n < 1 or n > size:
            raise ValueError(f"width n={n}: need 1 ≤ n ≤ the padding {size}; build the sampler with a larger pad")
        networks = count * bundle
        g = sharded_vmap(_first_layer_fn(size, sigmas), split_keys(key, networks), jax.device_put(np.float64(n)),
                         jax.device_put(np.int32(which)), jax.device_put(scale), jax.device_put(float(C_W)),
                         chunk=min(G_CHUNK, networks))
        g = np.asarray(g).reshape(count, bundle) / infinite_width_K(sigma, C_W, 1)
        return _selected(_g_statistics(g), columns)

    sample.selects_columns = True
    return sample


def _design_from(depth: int, widths: tuple):
    if widths:
        return lambda w: tuple(int(v) for v in widths)
    return lambda n: (int(n),) * int(depth)


# The draws depend on the padded row count (threefry is not partitionable), so the sweep's max_width is withheld
# (observables._base.unpadded) and the padding is a parameter: 0 pads to the largest hidden width; a sweep or a set
# of settings that shares one compilation passes its largest width (the catalogue's numbers).
PAD = Param("rows every hidden layer pads to, ≥ every width drawn (0: the largest hidden width)", 0, kind="int")


def _network_sampler(design, sigma: str, C_W: float, n_out: int, pad: int | None):
    """sample(key, w, count) → (count, len(NETWORK_COLUMNS)): one row per network, hidden widths design(w)."""

    def sample(key, w, count, max_width=None):
        widths = tuple(design(w))
        return network_rows(key, widths, count, sigma, C_W, n_out, max(widths + ((pad,) if pad else ())))

    return sample


def _params(depth: int) -> dict[str, Param]:
    """The parameters of both observables: one network design, `depth` the default L."""
    return {"sigma": Param("activation", "relu", choices=("relu", "identity")),
            "C_W": Param("weight variance C_W", 2.0, kind="float"),
            "depth": Param("L, the number of hidden layers (all of width n)", depth, kind="int"),
            "n_out": Param("outputs n_{L+1} (Q averages over them)", N_OUT, kind="int"),
            "widths": Param("fixed unequal hidden widths (overrides depth and the sweep width)", (), kind="vector"),
            "pad": PAD}


register(Observable(
    "randnet.network", "randnet",
    "deep fully connected net of seed 004 (no biases, d=4, inputs x₁,x₂,x₃ with ‖x‖²=d): per network, the first "
    "two outputs at the three inputs, the conditional output variance G, ‖∂z₁(x₁)/∂x‖², Q = ‖z(x₁)‖²/n_out and the "
    "moments of ∂z₁/∂x given the layers below W^{(L+1)}. Width n = every hidden width unless `widths` fixes them",
    _params(depth=2),
    NETWORK_COLUMNS,
    lambda sigma, C_W, depth, n_out, widths, pad: unpadded(_network_sampler(
        _design_from(depth, tuple(widths)), sigma, float(C_W), int(n_out), pad_length(pad))),
))
register(Observable(
    "randnet.finite_width", "randnet",
    "deep fully connected net of seed 004 (no biases, d=4, inputs x₁,x₂,x₃ with ‖x‖²=d, 2+ outputs): per "
    f"replicate, k-statistics of a bundle of {BUNDLE} independent networks, normalised by the infinite-width K "
    "(relu: C_W(C_W/2)^L, identity: C_W^{L+1}); κ_{2k}(z) also via the conditional variance G, "
    "κ_{2k} = (2k−1)!!κ_k(G). Width n = every hidden width unless `widths` fixes them",
    _params(depth=4),
    BUNDLE_COLUMNS,
    lambda sigma, C_W, depth, n_out, widths, pad: unpadded(bundle_sampler(
        _design_from(depth, tuple(widths)), sigma, float(C_W), int(n_out), n_max=pad_length(pad))),
    width="n",
))
register(Observable(
    "randnet.first_layer_variance", "randnet",
    "one-hidden-layer net of seed 004 (no biases, d=4, input x₁ with ‖x₁‖²=d): per replicate, k-statistics of the "
    f"conditional output variance G = (C_W/n)‖σ(W⁽¹⁾x₁)‖² over a bundle of {BUNDLE} independent networks, normalised "
    "by the infinite-width K (κ_{2k}(z) = (2k−1)!!κ_k(G)); only the n first-layer preactivations at x₁ are drawn",
    {"sigma": Param("activation", "relu", choices=("relu", "identity")),
     "C_W": Param("weight variance C_W", 2.0, kind="float"), "pad": PAD},
    G_COLUMNS,
    lambda sigma, C_W, pad: unpadded(first_layer_sampler(sigma, float(C_W), n_max=pad_length(pad))),
    width="n",
))
