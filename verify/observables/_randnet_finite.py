"""Observables of the randnet finite-width claims (cumulants, L/n); imported by verify.observables.randnet.

One per-network function (verify.models.randnet's scan path, one compilation per (d, n_max, L, n_out)
whatever the widths ≤ n_max): at three fixed inputs x₁, x₂, x₃ (‖xᵢ‖² = d) it returns the first two
outputs, the conditional variance G = (C_W/n_L)‖σ(z^{(L)}(x₁))‖² of the output given the last hidden
layer, ‖∂z₁^{(L+1)}(x₁)/∂x‖² (forward mode: the d tangents ride on the draws of one forward pass) and
Q = ‖z^{(L+1)}(x₁)‖²/n_out.

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
ELEMENTS_PER_CHUNK = 2 ** 22  # n_max²·chunk doubles per weight draw in flight (32 MB)

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


@functools.cache
def _network_fn(n_max: int, depth: int, n_out: int, sigma: str):
    # the model's traced-widths scan (one compilation per shape, whatever the widths ≤ n_max)
    run = model.preactivation_fn(D, n_max, depth, n_out, sigma, True)
    f_act = activation(sigma).f

    def one(key, X, widths, C_W):
        def at_first_input(x1):
            z1, hidden, out = run(key, X.at[:, 0].set(x1), widths, C_W)
            last = hidden[-1] if depth > 1 else z1
            return (f_act(last[:, 0]), out[0, 0]), (last, out)

        (jac_act, jac), (last, out) = jax.jacfwd(at_first_input, has_aux=True)(X[:, 0])
        G = C_W / widths[-1] * jnp.sum(f_act(last[:, 0]) ** 2)  # padding rows are 0 and σ(0) = 0
        # ∂z₁/∂x given everything below W^{(L+1)} is N(0, Σ), Σ = (C_W/n_L)·JᵀJ with J = ∂σ(z^{(L)})/∂x
        sigma_grad = C_W / widths[-1] * (jac_act.T @ jac_act)
        Q = jnp.sum(out[:, 0] ** 2) / n_out
        return jnp.concatenate([out[:2].ravel(), jnp.stack([G, jnp.sum(jac**2), Q, jnp.trace(sigma_grad),
                                                             jnp.sum(sigma_grad**2), jnp.sum(out[:, 0] ** 4)])])

    return one


def network_rows(key, widths: tuple[int, ...], count: int, sigma: str = "relu", C_W: float = 2.0, n_out: int = N_OUT,
                 n_max: int | None = None) -> np.ndarray:
    """(count, len(NETWORK_COLUMNS)) from `count` independent networks; n_max pads (shares a compilation)."""
    arch = model.Architecture(D, tuple(int(w) for w in widths), n_out, float(C_W), sigma)
    n_max = arch.n_max if n_max is None else int(n_max)
    if n_max < arch.n_max:
        raise ValueError(f"n_max={n_max} < the largest width {arch.n_max}: pad to at least the largest width")
    if n_out < 2:
        raise ValueError(f"n_out={n_out}: the neuron-correlation columns need two outputs; give n_out ≥ 2")
    fn = _network_fn(n_max, arch.depth, n_out, sigma)
    per_network = n_max * n_max if arch.depth > 1 else n_max * (D + n_out)  # one layer: no n_max² draw runs
    chunk = int(max(2, min(256, ELEMENTS_PER_CHUNK // per_network)))
    out = sharded_vmap(fn, split_keys(key, count), jnp.asarray(INPUTS), jnp.asarray(arch.widths, dtype=jnp.float64),
                       jnp.asarray(arch.C_W), chunk=chunk)
    return np.asarray(out).reshape(count, len(NETWORK_COLUMNS))


def _pair_covariance(s2: np.ndarray, s4: np.ndarray, n_out: int) -> np.ndarray:
    """Unbiased Cov(zᵢ², zⱼ²), i ≠ j, from Σᵢzᵢ² and Σᵢzᵢ⁴ of each network of a bundle (last axis): the mean over
    networks of Σ_{i≠j}zᵢ²zⱼ²/(n(n−1)) estimates E[zᵢ²zⱼ²], and products over distinct networks E[zᵢ²]²."""
    M = s2.shape[-1]
    same = np.mean((s2**2 - s4) / (n_out * (n_out - 1)), axis=-1)
    across = (np.sum(s2, axis=-1) ** 2 - np.sum(s2**2, axis=-1)) / (M * (M - 1) * n_out**2)
    return same - across


def bundle_stats(rows: np.ndarray, K: float, n_out: int = N_OUT) -> np.ndarray:
    """(bundles, M, network columns) → (bundles, len(BUNDLE_COLUMNS)): unbiased k-statistics per bundle."""
    z = rows[..., 0:6] / math.sqrt(K)
    z1, z2 = z[..., 0:3], z[..., 3:6]
    g = rows[..., 6] / K
    grad, Q, tr, tr2, s4 = rows[..., 7], rows[..., 8], rows[..., 9], rows[..., 10], rows[..., 11] / K**2

    def both(r, i=0):  # the two outputs are exchangeable: average their (each unbiased) k-statistics
        return 0.5 * (k_statistic(z1[..., i], r) + k_statistic(z2[..., i], r))

    joint = 0.5 * (joint_k_statistic([z1[..., 0], z1[..., 1], z1[..., 2]])
                   + joint_k_statistic([z2[..., 0], z2[..., 1], z2[..., 2]]))
    return np.column_stack([
        both(2), both(4), both(6), both(3), both(5), joint,
        g.mean(axis=-1), 3 * k_statistic(g, 2), 15 * k_statistic(g, 3), 105 * k_statistic(g, 4),
        joint_k_statistic([z1[..., 0] ** 2, z2[..., 0] ** 2]),
        grad.mean(axis=-1), k_statistic(grad, 2), Q.mean(axis=-1), k_statistic(Q, 2),
        tr.mean(axis=-1), 2 * tr2.mean(axis=-1) + k_statistic(tr, 2), k_statistic(g, 2),
        _pair_covariance(Q * n_out / K, s4, n_out),
    ])


def bundle_sampler(design: Callable[[int], tuple[int, ...]], sigma: str = "relu", C_W: float = 2.0, n_out: int = N_OUT,
                   bundle: int = BUNDLE, pad: bool = True, n_max: int | None = None):
    """sample(key, w, count, max_width=None) → (count, len(BUNDLE_COLUMNS)); `design(w)` gives the hidden
    widths at sweep value w (a width n, a depth L, or a fixed setting). Networks are padded to n_max (and,
    with pad, to the sweep's largest width) so that settings of one depth share one compilation."""

    def sample(key, w, count, max_width=None):
        widths = tuple(design(w))
        size = max(widths + ((n_max,) if n_max else ()))
        if pad and max_width is not None:
            size = max(size, max(design(max_width)))
        rows = network_rows(key, widths, count * bundle, sigma, C_W, n_out, size)
        K = infinite_width_K(sigma, C_W, len(widths))
        return bundle_stats(rows.reshape(count, bundle, -1), K, n_out)

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
