"""Observables of the one-hidden-layer network of seeds 000/001 under LeCun initialisation."""
from __future__ import annotations

import collections
import functools
import math

import numpy as np

from verify._jax import jax, jnp, sharded_vmap, split_keys
from verify.models import ACTIVATIONS, LAWS, activation, shallow
from verify.observables._cost import per_replicate
from verify.observables._base import PAD, Observable, Param, pad_length, register, unpadded

ACTS = tuple(ACTIVATIONS)  # column order of the all-in-one kernel sampler
LAW_NAMES = tuple(LAWS)


def width_bucket(n: int) -> int:
    """Padded width a sampler compiles for: the next power of 4 (≥ 64). Widths of one bucket
    share one XLA compilation (seconds each here); at most 4x the arithmetic is spent on masked
    neurons, which is cheap next to a compilation for these O(n·d) observables."""
    return max(64, 4 ** math.ceil(math.log(n, 4)))


def _bucket(n: int, max_width: int | None) -> int:
    """Padded width for n in a sweep up to max_width. Up to 4096 every width shares one padded
    shape: a compilation costs ~4 s here, the arithmetic of a padded width ~0.3 s. Past 4096
    (the full profile) widths fall into buckets max_width/8^k so none pays > 8x its arithmetic."""
    if not max_width:
        return width_bucket(n)
    b = int(max_width)
    while b > 4096 and b // 8 >= n:
        b //= 8
    return b


@functools.lru_cache(maxsize=None)
def _ntk_all(n_max: int, d: int, acts: tuple = ACTS, laws: tuple = LAW_NAMES):
    """One replicate → K_n(xₚ,zₚ)/n for every law × activation × pair: one compilation for all.
    Each law draws from its own fold of the replicate key, so a column does not depend on which
    other laws or activations are computed alongside it."""

    def one(key, n, X, Z):
        mask = jnp.arange(n_max) < n
        gram = jnp.sum(X * Z, axis=-1) + 1.0
        out = []
        for name in laws:
            ku, kv = jax.random.split(jax.random.fold_in(key, LAW_NAMES.index(name)))
            U = LAWS[name].sample(ku, (n_max, d)) / jnp.sqrt(d)
            v = LAWS[name].sample(kv, (n_max,)) / jnp.sqrt(n) * mask
            hx, hz = X @ U.T, Z @ U.T  # (pairs, n_max); b₀ = 0
            for a in acts:
                act = ACTIVATIONS[a]
                first = jnp.sum(v**2 * act.df(hx) * act.df(hz), axis=-1) * gram
                second = jnp.sum(mask * act.f(hx) * act.f(hz), axis=-1)
                out.append((first + second + 1.0) / n)  # c contributes 1
        return jnp.stack(out)  # (laws·acts, pairs)

    return one


def ntk_sampler(pairs, activations=ACTS, laws=LAW_NAMES):
    """sample(key, n, count) → (count, len(laws)·len(activations)·len(pairs)) of K_n(x,z)/n,
    column order law-major, then activation, then pair."""
    # device_put, not jnp.asarray: eagerly jnp.asarray compiles a program per shape (here and below)
    X = jax.device_put(np.asarray([p[0] for p in pairs], dtype=np.float64))
    Z = jax.device_put(np.asarray([p[1] for p in pairs], dtype=np.float64))
    acts, laws = tuple(activations), tuple(laws)

    def sample(key, n, count, max_width=None):
        fn = _ntk_all(_bucket(int(n), max_width), X.shape[1], acts, laws)
        out = sharded_vmap(fn, split_keys(key, count), jax.device_put(n), X, Z, chunk=200)
        return np.asarray(out).reshape(count, -1)

    return sample


register(Observable(
    "shallow.ntk_over_n", "shallow",
    "K_n(x,z)/n: the empirical tangent kernel of Φ(x,w)=vᵀσ(Ux+b)+c at LeCun init w₀, over the width n "
    "(structured O(n·d) formula, no Jacobian)",
    {"activation": Param("σ", "tanh", ACTS), "law": Param("base law 𝒟", "normal", LAW_NAMES),
     "x": Param("first input", (0.6, 0.8), kind="vector"), "z": Param("second input", (-0.8, 0.9), kind="vector")},
    ("K_n(x,z)/n",),
    lambda activation, law, x, z: unpadded(ntk_sampler([(tuple(x), tuple(z))], (activation,), (law,))),
    cost=per_replicate(lambda v, n: 20 * n * len(v['x']), lambda v, n: 4 * n * (len(v['x']) + 3), 200),
))


TABLE_ACTIVATIONS = ("tanh", "erf", "relu")  # the σ the seed's §11.5.3 asks for at least
PAIRS = ("(x,x)", "(x,z)")


def table_output(act: str, law: str, pair: str) -> str:
    return f"σ={act}, 𝒟={law}, {pair}"


def ntk_table_sampler(x, z, pad: int | None):
    """Every law × σ × pair of one replicate's networks in one compilation. Each width pads by
    _bucket(n, pad), a declared parameter (observables._base.PAD, not the sweep's max_width hint), so the numbers
    are a function of the key, the width and pad: a sweep that sets pad to its largest width shares one
    compilation across its widths."""
    inner = ntk_sampler([(tuple(x), tuple(x)), (tuple(x), tuple(z))], TABLE_ACTIVATIONS, LAW_NAMES)

    def sample(key, n, count, max_width=None):
        if pad is not None and int(n) > pad:
            raise ValueError(f"width n={n} exceeds pad={pad}: set pad to the sweep's largest width or 0")
        memo = (np.asarray(jax.random.key_data(key), dtype=np.uint32).tobytes(), int(n), int(count), tuple(x),
                tuple(z), pad)
        if memo not in TABLE_DRAWS:
            out = inner(key, n, count, max_width=pad)
            out.flags.writeable = False  # shared by every reader of the memo
            TABLE_DRAWS[memo] = out
            if len(TABLE_DRAWS) > TABLE_MEMO_SIZE:
                TABLE_DRAWS.popitem(last=False)
        return TABLE_DRAWS[memo]

    return sample


# Memo of table draws by the key's bits: shallow.ntk-limit and its correction read different columns of the same
# networks (a shared key scope), so the second claim's first look costs nothing. One look of a quick sweep is 9
# widths; an entry is ≤ 400 × 36 doubles at the quick size.
TABLE_DRAWS: collections.OrderedDict = collections.OrderedDict()
TABLE_MEMO_SIZE = 32


register(Observable(
    "shallow.ntk_table", "shallow",
    "K_n/n at (x,x) and (x,z) for every base law 𝒟 and σ ∈ {tanh, erf, relu}, from the same networks of a "
    "replicate (one compilation for the table; each law draws from its own fold of the key)",
    {"x": Param("first input", (0.6, 0.8), kind="vector"), "z": Param("second input", (-0.8, 0.9), kind="vector"),
     "pad": PAD},
    tuple(table_output(a, law, p) for law in LAW_NAMES for a in TABLE_ACTIVATIONS for p in PAIRS),
    lambda x, z, pad: ntk_table_sampler(x, z, pad_length(pad)),
    cost=per_replicate(lambda v, n: 120 * n * len(v['x']), lambda v, n: 8 * n * (len(v['x']) + 3), 200),
))


@functools.lru_cache(maxsize=None)
def _init_moments(n: int, d: int, law_name: str):
    def one(key):
        p = shallow.lecun_init(key, n, d, LAWS[law_name])
        xu, xv = p.U * jnp.sqrt(d), p.v * jnp.sqrt(n)  # standardised: should be 𝒟(0,1)
        return jnp.stack([xu.mean(), (xu**2).mean(), (xu**4).mean(), xv.mean(), (xv**2).mean(), (xv**4).mean(),
                          jnp.abs(p.b).max() + jnp.abs(p.c), xu[0, 0], xv[0]])

    return one


INIT_OUTPUTS = ("mean √d·U", "mean (√d·U)²", "mean (√d·U)⁴", "mean √n·v", "mean (√n·v)²", "mean (√n·v)⁴",
                "max|b|+|c|", "√d·U₁₁", "√n·v₁")


def init_sampler(law_name: str, d: int):
    def sample(key, n, count, max_width=None):
        fn = _init_moments(int(n), int(d), law_name)
        return np.asarray(sharded_vmap(fn, split_keys(key, count), chunk=500))

    return sample


register(Observable(
    "shallow.lecun_init", "shallow",
    "entries of the LeCun initialiser standardised to 𝒟(0,1): per network the averages of ξ, ξ², ξ⁴ over "
    "√d·U and √n·v, max|b|+|c|, and one entry of each (for the law)",
    {"law": Param("base law 𝒟", "normal", LAW_NAMES), "d": Param("input dimension", 4, kind="int")},
    INIT_OUTPUTS,
    lambda law, d: init_sampler(law, d),
    cost=per_replicate(lambda v, n: 10 * n * v['d'], lambda v, n: 3 * n * (v['d'] + 2), 500),
))

# The training problem of the GD claims: m = 5 inputs on the unit sphere of ℝ¹⁶, targets N(0,1);
# fixed (seeded) so that every run and every width trains on the same data.
_rng = np.random.default_rng(20261122)
GD_X = _rng.normal(size=(5, 16))
GD_X /= np.linalg.norm(GD_X, axis=1, keepdims=True)
GD_Y = _rng.normal(size=5)
STEP_FRACTION = 0.5  # h = 0.5/(λ_min+λ_max) of K_n(w₀): Theorem 11.13 wants h < 1/(λ_min+λ_max) for the λ of the
# whole ball B_r(w₀), not of w₀ alone; at 0.9 the kernel growth during training (width ≤ 128) made runs oscillate


@functools.lru_cache(maxsize=None)
def _gd_draws(rows: int, d: int):
    """Replicate key, n → its width-n LeCun init (𝒟 normal) padded to `rows` (the first n rows bitwise those of
    lecun_init at width n, shallow.lecun_standard): the sampler, the dearest part of the start, compiled once for
    every width ≤ rows."""
    return lambda key, n: shallow.lecun_scale(*shallow.lecun_standard(key, n, d, "normal", rows), n, pad_to=rows)


@functools.lru_cache(maxsize=None)
def _gd_start(act_name: str):
    """(_, LeCun parameters padded with zero neurons) → K_n(w₀) on the GD data: zero neurons add exact zeros, so
    one program per padded width serves every width of a sweep (per width: 7 compilations in the quick GD claims).
    Below 128 units the padded sum rounds differently (~1e-16 relative, session G)."""
    act, X = activation(act_name), jax.device_put(GD_X)

    def start(key, p):
        return shallow.ntk_matrix(p, X, act)

    return start


@functools.lru_cache(maxsize=None)
def _gd_fns(act_name: str, steps: int, with_lin: bool):
    """(key, padded parameters, h) → the summaries every GD claim reads, the whole loss trace included: one function
    object per (σ, T, with Φ^lin), so that shallow.gd and lin.network_gd run one compiled program per padded width."""
    act = activation(act_name)
    X, y = jax.device_put(GD_X), jax.device_put(GD_Y)

    def train(key, p, h):
        tr = shallow.gd_versus_linearized(p, X, y, act, h, steps, with_lin)
        out = {"loss": tr["loss"], "loss0": tr["loss0"], "step": tr["step"][-1], "drift": tr["drift"].max()}
        if with_lin:
            out.update(param_gap=tr["param_gap"].max(), output_gap=tr["output_gap"].max(), loss_lin=tr["loss_lin"][-1])
        return out

    return train


GD_DRAW_ROWS = 1024  # the draws of every GD width up to 1024 (the quick sweeps) come from one compiled sampler
# Padded widths GD trains at (gd_bucket). Carrying H (shallow.gd_versus_linearized) made a run cheap next to a
# compilation (measured per run of T=500: 0.7 ms at 64, 3 ms at 512, 8 ms at 1024; a compilation ~0.6 s), so the
# widths of shallow.gd, lin.theorem-11-13 and lin.overparam-global-min share the programs at 64, 256, 1024. With Φ^lin
# (T = 100, 32 runs a width) the whole quick sweep pads to 1024: ~0.1 s of runs a width against ~1 s a compilation.
GD_BUCKETS = {False: (64, 256, GD_DRAW_ROWS), True: (GD_DRAW_ROWS,)}
GD_CHUNK = 8  # runs per compiled call, one shape for every run count (lin.theorem-11-13 runs 8 a width)


def gd_bucket(n: int, with_lin: bool = False) -> int:
    """Padded width GD on the width-n network trains at: the first of GD_BUCKETS[with_lin] ≥ n, else n."""
    return next((b for b in GD_BUCKETS[with_lin] if n <= b), int(n))


def gd_runs(keys, n: int, steps: int, frac: float, act_name: str = "tanh", with_lin: bool = False,
            max_width: int | None = None) -> dict:
    """GD from LeCun init (𝒟 normal) of width n, h = frac/(λ_min+λ_max) of K_n(w₀), one run per key: `_gd_fns`'s
    summaries (NumPy, one row per key) plus K_n(w₀) ("K", m×m), its eigenvalues ("ev") and "h". The draws and
    the kernel are computed at ≥ GD_DRAW_ROWS rows, the run at gd_bucket(n): zero neurons stay zero under GD
    (σ(0) = 0), so every width of a bucket is the width-n network, one compilation for all."""
    n = int(n)
    padded = sharded_vmap(_gd_draws(max(n, GD_DRAW_ROWS, int(max_width or 0)), GD_X.shape[1]), keys,
                          jax.device_put(n), chunk=64)
    K = sharded_vmap(_gd_start(act_name), keys, padded, chunk=64, batched=(0,))
    ev = np.linalg.eigvalsh(K)
    h = frac / (ev[:, 0] + ev[:, -1])
    b = gd_bucket(n, with_lin)
    params = shallow.Params(padded.U[:, :b], padded.b[:, :b], padded.v[:, :b], padded.c)
    out = sharded_vmap(_gd_fns(act_name, int(steps), with_lin), keys, params, jax.device_put(h),
                       chunk=32 if with_lin else GD_CHUNK, batched=(0, 1))
    return {**{k: np.asarray(v) for k, v in out.items()}, "K": K, "ev": ev, "h": h}


def gd_sampler(act_name: str, steps: int, with_lin: bool):
    def sample(key, n, count, max_width=None):
        r = gd_runs(split_keys(key, count), n, steps, STEP_FRACTION, act_name, with_lin, max_width)
        cols = [r["loss"][:, -1] / r["loss0"], r["step"], r["drift"]]
        if with_lin:
            cols += [r["param_gap"], r["output_gap"], r["loss_lin"] / r["loss0"]]
        return np.column_stack(cols + [r["ev"][:, 0], r["ev"][:, -1], r["h"]])

    return sample


GD_OUTPUTS = ("f(w_T)/f(w_0)", "‖w_T − w_{T−1}‖", "sup_k ‖w_k − w_0‖")
LIN_OUTPUTS = GD_OUTPUTS + ("sup_k ‖w_k − p_k‖", "sup_k max_i |Φ(x_i,w_k) − Φ^lin(x_i,p_k)|", "f^lin(p_T)/f(w_0)")
TAIL = ("λ_min(K_n(w_0))", "λ_max(K_n(w_0))", "h")

register(Observable(
    "shallow.gd", "shallow",
    "gradient descent on f(w)=Σᵢ(Φ(xᵢ,w)−yᵢ)² from LeCun init (normal), h = 0.9/(λ_min+λ_max) of K_n(w₀), "
    "fixed data (5 points on S¹⁵), T steps",
    {"activation": Param("σ", "tanh", ACTS), "steps": Param("T", 400, kind="int")},
    GD_OUTPUTS + TAIL,
    lambda activation, steps: gd_sampler(activation, steps, False),
    cost=per_replicate(lambda v, n: 5 * 40 * n * 16 * v["steps"], lambda v, n: 6 * n * 18, GD_CHUNK),
))
register(Observable(
    "shallow.gd_vs_linearized", "shallow",
    "GD on the network (w_k) and on its linearisation at w₀ (p_k) side by side: parameter and output gaps",
    {"activation": Param("σ", "tanh", ACTS), "steps": Param("T", 300, kind="int")},
    LIN_OUTPUTS + TAIL,
    lambda activation, steps: gd_sampler(activation, steps, True),
    cost=per_replicate(lambda v, n: 5 * 80 * n * 16 * v["steps"], lambda v, n: 12 * n * 18, 32),
))
