"""Lazy training (Chizat–Oyallon–Bach), seed 003 §5: the gradient flows of F_α(w) = R(αh(w))/α² and of
the linearised F̄_α(w) = R(αh̄(w))/α², h̄(w) = h(w₀) + Dh(w₀)(w − w₀), from one w₀ with h(w₀) = 0.

Model: a two-layer tanh net on n fixed points, f(w)ᵢ = m^{-1/2} Σⱼ aⱼ tanh(⟨bⱼ, xᵢ⟩), w = (a, B) ∈ ℝ^{m(1+d)},
aⱼ ~ N(0, 1), bⱼ ~ N(0, I_d), and h(w) = f(w) − f(w₀). Two initialisations (INITS):
  antisymmetric — doubling: neurons j and j + m/2 share bⱼ and carry output weights +aⱼ and −aⱼ, so
                  f(w₀) = 0 for every input (the subtraction only removes round-off). The involution
                  S(a, a', b, b') = (−a', −a, b', b) fixes w₀ and f∘S = −f, so h is odd along the
                  directions Dh(w₀)ᵀ spans: D²h(w₀)[ū, ū] = 0 and the output gap is O(1/α²), not only O(1/α).
  centred       — m iid neurons, h(w) = f(w) − f(w₀): a generic h with h(w₀) = 0 (D²h(w₀) ≠ 0 along the
                  flow), for which every rate of the theorem is attained.
Loss R(f) = ½‖f − y*‖² on ℝⁿ (∇R(f) = f − y*).

Flow (time t unscaled, as the source's proof: y = αh(w) obeys ẏ = −Dh Dhᵀ∇R(y), an O(1) time scale):
    ẇ = −∇F_α(w) = −(1/α) Dh(w)ᵀ ∇R(αh(w)),     w̄̇ = −(1/α) Dh(w₀)ᵀ ∇R(αh̄(w̄)).
It is integrated in the displacement u = α(w − w₀), ū = α(w̄ − w₀), which stays O(1) for every α:
    u̇ = −Dh(w₀ + u/α)ᵀ ∇R(αh(w₀ + u/α)),        ū̇ = −Dh(w₀)ᵀ ∇R(Dh(w₀)ū)   (αh̄(w̄) = Dh(w₀)ū).
The same flow, linearly rescaled; in w itself the gap w − w̄ = O(1/α²) would sit at the solver's
absolute tolerance for large α, while u − ū = O(1/α) is resolved to a relative 1e-7 (SOLVER_RTOL).
"""
from __future__ import annotations

import functools
import os

import numpy as np

# Equinox's runtime checks inside diffrax's loop are host callbacks by default (EQX_ON_ERROR=raise): a
# callback in an XLA while loop hung for good once the batch was sharded over the 2 host devices of this
# CPU, and it keeps the executable out of JAX's persistent compilation cache (~15 s of compiling per
# process). throw=False and the result code checked below already report a failed solve, so the checks
# may give NaN instead (equinox's documented EQX_ON_ERROR=nan). Only when the user has not chosen, and
# only effective if equinox is first imported after this module (callbacks_off() says which).
os.environ.setdefault("EQX_ON_ERROR", "nan")

from verify._jax import jax, jnp
from verify.tolerances import Tol

N_POINTS = 4  # "a few fixed data points"
DIM = 3
WIDTH = 32  # m (even: m/2 doubled pairs); p = m(1 + d) = 128 parameters
DATA_SEED = 20030005  # the fixed points (xᵢ, y*ᵢ): the same for every run and seed
SOLVER_RTOL = Tol(1e-10, "relative, per step (Dopri8, PID): the smallest gap measured, u − ū ≈ 0.3/α at α = 1000, "
                         "is ~3e-4 of the O(1) state; the global error (1.6e-9 on the closed-form linear flow, tests) "
                         "is then ~1e-5 of the gap")
SOLVER_ATOL = Tol(1e-12, "absolute, per step, on the O(1) displacement u: below rtol·|u| except near u = 0 at t = 0")
MAX_STEPS = 16384  # Dopri8 takes ~30 steps per unit of time at these tolerances; a run that hits it is an error
INITS = ("antisymmetric", "centred")


def callbacks_off() -> bool:
    """Whether equinox (as imported) compiles its checks without host callbacks: then a solve may be sharded
    over devices and cached on disk; otherwise it must stay on one device."""
    import equinox._config as config  # the value equinox read at its import

    return config.EQX_ON_ERROR in ("nan", "off")


def data(n: int = N_POINTS, d: int = DIM) -> tuple[np.ndarray, np.ndarray]:
    """xᵢ ~ N(0, I_d/d) (O(1) preactivations), y*ᵢ ~ N(0, 1): n fixed points from DATA_SEED."""
    rng = np.random.default_rng([DATA_SEED, n, d])
    return rng.standard_normal((n, d)) / np.sqrt(d), rng.standard_normal(n)


def init(key: jax.Array, m: int = WIDTH, d: int = DIM, kind: str = "antisymmetric") -> jax.Array:
    """w₀ = (a, vec B). antisymmetric: m/2 neurons drawn, the other m/2 their copies with aⱼ negated."""
    if kind not in INITS:
        raise ValueError(f"init kind={kind!r} is not one of {', '.join(INITS)}")
    if kind == "antisymmetric" and m % 2:
        raise ValueError(f"width m={m} must be even: the antisymmetric init pairs neuron j with j + m/2")
    return _init(key, m, d, kind == "antisymmetric")


def _init(key, m: int, d: int, antisymmetric) -> jax.Array:
    """`init` for a flag that may be traced: bitwise jax.random.normal(ka, (m,)), normal(kb, (m, d)) (centred) or
    normal(ka, (m/2,)), normal(kb, (m/2, d)) (antisymmetric), from one padded sampler per block (verify._draws):
    the two kinds in one program cost two threefry samplers instead of four (~0.5 s of compiling)."""
    from verify import _draws

    ka, kb = jax.random.split(key)
    half = m // 2
    a = _draws.standard(ka, "normal", jnp.where(antisymmetric, half, m), m)
    b = _draws.standard(kb, "normal", jnp.where(antisymmetric, half * d, m * d), m * d)
    doubled = jnp.concatenate([a[:half], -a[:half], b[:half * d], b[:half * d]])
    return jnp.where(antisymmetric, doubled, jnp.concatenate([a, b]))


def network(x: np.ndarray, m: int):
    """f(w) = (f(w)(xᵢ))ᵢ for w = (a, vec B), B ∈ ℝ^{m×d}."""
    x = jax.device_put(x)  # device_put (here and in sweep_fn): an eager jnp.asarray compiles a program per shape

    def f(w):
        a, b = w[:m], w[m:].reshape(m, -1)
        return jnp.tanh(x @ b.T) @ a / jnp.sqrt(m)

    return f


def centred(f, w0):
    """h(w) = f(w) − f(w₀): h(w₀) = 0 exactly, Dh = Df."""
    f0 = f(w0)
    return lambda w: f(w) - f0


def vector_field(h, y_star):
    """(u, ū) ↦ (u̇, ū̇) of the two flows in the displacement variables; args = (w₀, Dh(w₀), α)."""
    def field(t, state, args):
        w0, j0, alpha = args
        u, ubar = state
        f, vjp = jax.vjp(h, w0 + u / alpha)
        return (-vjp(alpha * f - y_star)[0], -j0.T @ (j0 @ ubar - y_star))

    return field


def solve(h, y_star, w0, alpha, ts, t1=None):
    """The two flows from w₀ at one α, saved at the times ts (ts[0] = 0): (u(ts), ū(ts), ok). `t1` = ts[-1] as a
    Python float, if known: diffrax then folds its 100 steps back from t1 (its t1 − 100 ulp) at compile time
    instead of compiling them as a chain of ~1700 scalar operations (~0.4 s of compiling, the same numbers)."""
    import diffrax

    j0 = jax.jacfwd(h)(w0)
    zero = jnp.zeros_like(w0)
    sol = diffrax.diffeqsolve(
        diffrax.ODETerm(vector_field(h, jnp.asarray(y_star))), diffrax.Dopri8(), t0=0.0, t1=ts[-1] if t1 is None else float(t1), dt0=None,
        y0=(zero, zero), args=(w0, j0, alpha), saveat=diffrax.SaveAt(ts=ts),
        stepsize_controller=diffrax.PIDController(rtol=SOLVER_RTOL.value, atol=SOLVER_ATOL.value),
        max_steps=MAX_STEPS, throw=False)
    return sol.ys[0], sol.ys[1], sol.result == diffrax.RESULTS.successful


COLUMNS = ("‖w_α − w₀‖", "‖w_α − w̄_α‖", "‖αh(w_α) − αh̄(w̄_α)‖", "R(αh(w_α))", "R(αh̄(w̄_α))",
           "‖(Σ(w_α) − Σ(w₀))∇R(αh(w_α))‖", "‖(Dh(w_α) − Dh(w₀))ᵀ∇R(αh(w_α))‖", "‖Σ(w₀)‖_op")
"""Per saved time: the three gaps, both losses, and the terms the source's proof bounds their derivatives by
(Σ = Dh Dhᵀ; the vectors before the proof's op-norm step, one VJP and one JVP each, no Jacobian)."""


def trajectory(h, y_star, w0, alpha, ts, t1=None):
    """COLUMNS at the times ts, shape (len(ts), 8), and whether the solve succeeded. ‖w_α − w₀‖ = ‖u‖/α,
    ‖w_α − w̄_α‖ = ‖u − ū‖/α, ‖αh(w_α) − αh̄(w̄_α)‖ = ‖αh(w₀ + u/α) − Dh(w₀)ū‖."""
    u, ubar, ok = solve(h, y_star, w0, alpha, ts, t1)
    j0 = jax.jacrev(h)(w0)  # n ≪ p: n reverse passes
    top = jnp.linalg.eigvalsh(j0 @ j0.T)[-1]

    def at(a, b):
        w = w0 + a / alpha
        f, vjp = jax.vjp(h, w)
        y, ybar = alpha * f, j0 @ b
        g = y - y_star
        jtg = vjp(g)[0]
        sigma_g = jax.jvp(h, (w,), (jtg,))[1]  # Σ(w)g = Dh(w)(Dh(w)ᵀg)
        return jnp.stack([jnp.linalg.norm(a) / alpha, jnp.linalg.norm(a - b) / alpha, jnp.linalg.norm(y - ybar),
                          0.5 * g @ g, 0.5 * jnp.sum((ybar - y_star) ** 2),
                          jnp.linalg.norm(sigma_g - j0 @ (j0.T @ g)), jnp.linalg.norm(jtg - j0.T @ g), top])

    return jax.vmap(at)(u, ubar), ok


def running_sup(g: np.ndarray, ts: np.ndarray, horizons) -> np.ndarray:
    """sup_{t ≤ T} over the saved times (axis −2 of g), for each T in horizons (each must be one of ts)."""
    idx = [int(np.flatnonzero(np.isclose(ts, T))[0]) if np.any(np.isclose(ts, T)) else -1 for T in horizons]
    if min(idx) < 0:
        raise ValueError(f"horizons {horizons} must be saved times; ts runs 0…{ts[-1]:g}")
    cum = np.maximum.accumulate(g, axis=-2)
    return cum[..., idx, :]


@functools.lru_cache(maxsize=None)
def sweep_fn(m: int, t_max: float):
    """key, alphas (n_alpha,), ts (n_times,) on [0, t_max], antisymmetric (0/1) → (COLUMNS (n_alpha, n_times, 8),
    ok (n_alpha,)) for one w₀ and every α, vmapped over α inside (over inits by the caller). The init kind is a
    traced flag, so one compiled shape serves both kinds and every look; t_max is static (one program per
    horizon: the catalogue solves one)."""
    x, y_star = data()
    f = network(x, m)
    y_star = jax.device_put(y_star)

    def one(key, alphas, ts, antisymmetric):
        w0 = _init(key, m, x.shape[1], antisymmetric)
        h = centred(f, w0)
        return jax.vmap(lambda a: trajectory(h, y_star, w0, a, ts, t_max))(alphas)

    return one


def proof_bound(q: int, g: np.ndarray, ts: np.ndarray, alphas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(measured sup_{t≤T} of gap q, the source's proof's bound on it) at every saved T, shape (inits, α, times),
    from trajectories g (inits, α, times, COLUMNS) with the proof's constants measured on them."""
    run = np.maximum.accumulate(g, axis=2)
    a = alphas[None, :, None]
    if q == 0:  # ∫₀ᵀ‖ẇ‖ ≤ √(T(F_α(w₀) − F_α(w_T))) ≤ √(T F_α(w₀)), F_α(w₀) = R(0)/α²
        r0 = 0.5 * float(np.sum(data()[1] ** 2))
        return run[..., 0], np.sqrt(ts[None, None, :] * r0) / a
    top = g[..., 7]  # ‖Σ(w₀)‖_op: the Lipschitz constant of ∇R(y) = y − y* is 1
    if q == 1:  # δ' ≤ α⁻¹(‖(Dh(w)−Dh(w₀))ᵀ∇R(y)‖ + ‖Dh(w₀)‖_op Δ)  ⇒  δ(T) ≤ T·sup_{s≤T}(…)
        rate = (g[..., 6] + np.sqrt(top) * g[..., 2]) / a
        return run[..., 1], ts[None, None, :] * np.maximum.accumulate(rate, axis=2)
    # Δ' ≤ ‖(Σ(w)−Σ(w₀))∇R(y)‖ + ‖Σ(w₀)‖_op Δ  ⇒  Δ(T) ≤ (sup_{s≤T} C₁/C₂)(e^{C₂T} − 1) (Grönwall, Petrovitch)
    c1 = np.maximum.accumulate(g[..., 5], axis=2)
    return run[..., 2], c1 / top * np.expm1(top * ts[None, None, :])
