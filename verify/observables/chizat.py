"""Observables of the chizat group (lazy training of F_α(w) = R(αh(w))/α², Chizat–Oyallon–Bach, seed 003 §5).

One sampler: the gradient flows of F_α and F̄_α from independent initialisations w₀, each solved at every
α of a sweep (verify/models/chizat.py), saved on N_TIMES points of [0, T_max]. Every horizon T, every α
and every init share one compiled solve: vmapped over α inside, over inits by sharded_vmap in fixed chunks
(one XLA shape however many inits a look asks for).

If equinox compiles its runtime checks as host callbacks (EQX_ON_ERROR=raise, see verify/models/chizat.py),
the solve runs on one device instead: sharded over the 2 host devices of this CPU, a callback inside the
solver's while loop hung for good (T = 4, α = 10, 8 inits, key_for(0); reproducible).
"""
from __future__ import annotations

import collections
import functools

import numpy as np

from verify._jax import jax, jnp, sharded_vmap, split_keys
from verify.models import chizat as model
from verify.observables._cost import per_replicate
from verify.observables._base import Observable, Param, register

N_TIMES = 257  # saved times on [0, T_max]: spacing 1/16 at T_max = 16; the same shape for every T_max
CHUNK = 8  # inits per compiled call, over all devices (× the α of the sweep solves at once)
GAPS = model.COLUMNS[:3]


def times(t_max: float) -> np.ndarray:
    return np.linspace(0.0, float(t_max), N_TIMES)


def trajectories(key, count: int, alphas, t_max: float, kind: str = "antisymmetric", m: int = model.WIDTH) -> np.ndarray:
    """(count, len(alphas), N_TIMES, len(model.COLUMNS)): init i = init(split(key, count)[i]), for every α.
    Memoised (read-only result): the chizat claims read different gaps of one solve from shared keys."""
    memo = (np.asarray(jax.random.key_data(key), dtype=np.uint32).tobytes(), int(count),
            tuple(float(a) for a in alphas), float(t_max), kind, int(m))
    if memo in SOLVED:
        SOLVED.move_to_end(memo)
        return SOLVED[memo]
    out = _solve(key, *memo[1:])
    SOLVED[memo] = out
    if len(SOLVED) > MEMO_SIZE:
        SOLVED.popitem(last=False)
    return out


# a look's 2 Monte Carlo draws + the 2 proof-bound runs of the group; an entry is ≤ 10 MB at the quick size.
# Keyed by the key's bits (the key itself is passed on: rebuilding it from its bits costs a compilation)
MEMO_SIZE = 8
SOLVED: collections.OrderedDict = collections.OrderedDict()


def _solve(key, count: int, alphas: tuple, t_max: float, kind: str, m: int) -> np.ndarray:
    if t_max <= 0 or not np.isfinite(t_max):
        raise ValueError(f"horizon T={t_max!r} must be a positive number (the flows are compared on [0, T])")
    if min(alphas) <= 0:
        raise ValueError(f"alphas={tuple(alphas)} must be positive (F_α = R(αh)/α²)")
    if kind not in model.INITS:
        raise ValueError(f"init kind={kind!r} is not one of {', '.join(model.INITS)}")
    # device_put, not jnp.asarray: eagerly that compiles a program per shape
    args = (jax.device_put(np.asarray(alphas, dtype=np.float64)), jax.device_put(times(t_max)),
            jax.device_put(np.bool_(kind == "antisymmetric")))
    if model.callbacks_off():
        g, ok = sharded_vmap(model.sweep_fn(int(m), float(t_max)), split_keys(key, count), *args, chunk=CHUNK)
    else:
        g, ok = _chunked(int(m), float(t_max))(split_keys(key, count), *args)
    if not bool(np.all(ok)) or not np.all(np.isfinite(g)):
        raise RuntimeError(f"the diffrax solve failed for {int(np.sum(~np.asarray(ok)))} of {np.size(ok)} (init, α) "
                           f"pairs, or gave non-finite values (max_steps={model.MAX_STEPS} reached?): raise MAX_STEPS "
                           f"or lower T={t_max}")
    out = np.array(g)
    out.flags.writeable = False  # shared by every reader of the memo
    return out


@functools.lru_cache(maxsize=None)
def _chunked(m: int, t_max: float):
    """keys (count,), alphas, ts, flag → the sweep of every key, in chunks of CHUNK inits on one device; the
    last chunk is padded with repeated keys and trimmed. Init i depends on keys[i] only, so the numbers do
    not depend on the chunking."""
    fn = jax.jit(jax.vmap(model.sweep_fn(m, t_max), in_axes=(0, None, None, None)))

    def run(keys, alphas, ts, flag):
        outs = []
        for start in range(0, keys.shape[0], CHUNK):
            part = keys[start:start + CHUNK]
            real = part.shape[0]
            if real < CHUNK:
                part = jnp.concatenate([part, jnp.broadcast_to(part[:1], (CHUNK - real,) + part.shape[1:])])
            outs.append(jax.tree_util.tree_map(lambda a: a[:real], fn(part, alphas, ts, flag)))
        return jax.tree_util.tree_map(lambda *a: jnp.concatenate(a), *outs)

    return run


def sup_gaps(key, count, alphas, horizons, kind="antisymmetric", m=model.WIDTH) -> np.ndarray:
    """(count, 3, len(horizons), len(alphas)): sup_{t ≤ T} of the three gaps for each T in horizons."""
    t_max = max(horizons)
    g = trajectories(key, count, alphas, t_max, kind, m)[..., :3]
    return model.running_sup(g, times(t_max), horizons).transpose(0, 3, 2, 1)


def gaps_sampler(T: float, width: int, init: str):
    """sample(key, α, count) → (count, 3): the three sup-gaps on [0, T] at one α (fresh inits per α)."""
    def sample(key, alpha, count, max_width=None):
        if alpha is None:
            raise ValueError("chizat.sup_gaps needs α as its width variable (the sweep runs over α)")
        return sup_gaps(key, count, (float(alpha),), (float(T),), init, int(width))[:, :, 0, 0]

    return sample


register(Observable(
    "chizat.sup_gaps", "chizat",
    "gradient flows of F_α(w) = R(αh(w))/α² and of the linearised F̄_α from w₀ (h(w₀) = 0), two-layer tanh net on "
    f"{model.N_POINTS} fixed points in ℝ^{model.DIM}, R(f) = ½‖f − y*‖², diffrax Dopri8: sup_{{t≤T}} of "
    "‖w_α − w₀‖, ‖w_α − w̄_α‖, ‖αh(w_α) − αh̄(w̄_α)‖ at one α (the width variable)",
    {"T": Param("horizon T of the sup", 4.0, kind="float"),
     "width": Param("hidden neurons m (even for the antisymmetric init)", model.WIDTH, kind="int"),
     "init": Param("antisymmetric (doubled neurons, ±a) or centred (h = f − f(w₀))", "antisymmetric", model.INITS)},
    tuple(f"sup{g}" for g in GAPS),
    lambda T, width, init: gaps_sampler(T, width, init),
    width="alpha",
    cost=per_replicate(lambda v, alpha: 2e5 * v['width'] * max(1.0, v['T']), lambda v, alpha: 400 * v['width'], 16),
))


PAIRED_ALPHAS = (1, 10, 32, 100, 316, 1000)  # α = 1 (not lazy: for the trajectory figures), then two decades
PAIRED_HORIZONS = (1.0, 4.0, 16.0)


def paired_output(gap: int, T: float, alpha: int) -> str:
    return f"sup_{{t≤{T:g}}}{GAPS[gap]}, α={alpha}"


def paired_sampler(init: str, width: int):
    """sample(key, None, count) → (count, 3·len(horizons)·len(α)): one init's sup-gaps at every α and T."""
    def sample(key, _, count, max_width=None):
        return sup_gaps(key, count, PAIRED_ALPHAS, PAIRED_HORIZONS, init, int(width)).reshape(count, -1)

    return sample


register(Observable(
    "chizat.sup_gaps_paired", "chizat",
    "the three sup-gaps of chizat.sup_gaps for one init w₀ at every α of a fixed grid and every horizon T "
    "(common random numbers: each init's slope in α)",
    {"width": Param("hidden neurons m (even for the antisymmetric init)", model.WIDTH, kind="int"),
     "init": Param("antisymmetric (doubled neurons, ±a) or centred (h = f − f(w₀))", "antisymmetric", model.INITS)},
    tuple(paired_output(q, T, a) for q in range(len(GAPS)) for T in PAIRED_HORIZONS for a in PAIRED_ALPHAS),
    lambda width, init: paired_sampler(init, width),
    width=None,
    cost=per_replicate(lambda v, _: 2e5 * v['width'] * max(PAIRED_HORIZONS) * len(PAIRED_ALPHAS),
                       lambda v, _: 400 * v['width'] * len(PAIRED_ALPHAS), 16),
))
