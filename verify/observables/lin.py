"""Observables of the linearisation claims (seeds 001, 002) on the shallow network of
verify/models/shallow.py: its Jacobian, the gradient-descent limit of the linearised model, the
constants of Assumption 11.12 (λ_min, λ_max, U, L, r) both sampled and certified, GD on the network
(registered as lin.network_gd), and the measurements the lin claims compare (dicts of named quantities).

Everything reuses the one network: `shallow.lecun_init`, `shallow.ntk_matrix` (K_n, structured),
`shallow.weighted_gradient` (Σᵢ rᵢ∇_wΦ(xᵢ,w), structured) and `shallow.linearized`. The data are the GD data
of the shallow group (m = 5 points on S¹⁵, N(0,1) targets).

Certified bounds for σ = tanh (|σ| ≤ 1, |σ'| ≤ 1, |σ''| ≤ s₂ = 4/(3√3)), with q = √(‖x‖²+1),
h = Ux+b, and w = (U,b,v,c) anywhere in B_r(w₀):
  ‖∇_wΦ(x,w)‖² = q²‖v⊙σ'(h)‖² + ‖σ(h)‖² + 1
              ≤ q²(‖v₀‖+r)² + (‖σ(h₀)‖ + q r)² + 1                       (σ 1-Lipschitz)  =: U_cert(r)²
  ‖∇_wΦ(x,w)−∇_wΦ(x,w')‖ ≤ ‖M‖₂ ‖w−w'‖,  M = [[q, 0], [s₂ V q², q]],  V = ‖v₀‖_∞ + r      =: L_cert(r)
(the v block changes by ≤ q‖Δ(U,b)‖, the (U,b) block by ≤ q(‖Δv‖ + s₂V q‖Δ(U,b)‖)).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from verify import _draws
from verify._jax import host_keys, jax, jnp, split_keys
from verify.models import activation, shallow
from verify.observables._cost import per_replicate
from verify.observables._base import Observable, Param, register
from verify.observables.shallow import GD_CHUNK, GD_X, GD_Y, STEP_FRACTION, gd_runs

ACT = "tanh"
TANH_D2 = 4.0 / (3.0 * math.sqrt(3.0))  # sup|tanh''|, attained at tanh(t) = ±1/√3
M_POINTS, D_IN = GD_X.shape
FD_STEP = 1e-5  # central differences of ∇Φ: error O(ε²‖∇³Φ‖) ~ 1e-10, round-off ~ 1e-16‖∇Φ‖/ε ≤ 1e-8 (‖∇Φ‖ ≤ 100)


def init(key, n: int) -> shallow.Params:
    """LeCun initialisation, 𝒟 normal, of the width-n network on the GD data's input dimension: bitwise the eager
    shallow.lecun_init(key, n, D_IN, normal). The draws come from one compiled sampler for every width ≤ 4096
    (shallow.lecun_standard; eagerly each width compiled its own, ~1 s a width); the scaling is done on the host as
    eager XLA does it (ξ·(1/√n)): inside jit XLA turns ξ/√n into ξ·rsqrt(n), which rounds v differently in the
    last bit (n = 8)."""
    n = int(n)
    xu, xv = (np.asarray(a)[:n] for a in _standard_fn(sweep_bucket(n))(key, np.int64(n)))
    # XLA divides by a scalar as a product with its reciprocal: so does this, for the eager numbers bit for bit
    params = (xu * (1.0 / np.sqrt(float(D_IN))), np.zeros(n), xv * (1.0 / np.sqrt(float(n))), np.zeros(()))
    return shallow.Params(*(jax.device_put(a) for a in params))  # device_put: jnp.asarray compiles per shape


@functools.lru_cache(maxsize=None)
def _standard_fn(rows: int):
    return jax.jit(lambda key, n: shallow.lecun_standard(key, n, D_IN, "normal", rows))


def unflat(vec, like: shallow.Params) -> shallow.Params:
    """Inverse of shallow.flat for parameters shaped like `like`: NumPy blocks for a NumPy vector (on the host:
    eager jnp slicing compiles once per offset and shape), else JAX (inside a traced function)."""
    xp = np if isinstance(vec, np.ndarray) else jnp
    out, i = [], 0
    for a in like:
        out.append(xp.reshape(vec[i:i + a.size], a.shape))
        i += a.size
    return shallow.Params(*out)


def pad_neurons(vec: np.ndarray, n: int, rows: int) -> np.ndarray:
    """Flat parameter vectors (..., n(d+2)+1) of width n → the layout of `rows` ≥ n neurons, the added ones 0."""
    lead, nd = vec.shape[:-1], n * D_IN
    blocks = (vec[..., :nd].reshape(*lead, n, D_IN), vec[..., nd:nd + n], vec[..., nd + n:nd + 2 * n])
    grown = [np.concatenate([a, np.zeros(lead + (rows - n,) + a.shape[len(lead) + 1:])], axis=len(lead))
             for a in blocks]
    return np.concatenate([grown[0].reshape(*lead, rows * D_IN), grown[1], grown[2], vec[..., -1:]], axis=-1)


SMALL_BUCKET = 64  # the measurements below run a narrower network padded to 64 neurons: one compiled program per
# piece for widths 8, 16 and 64 (lin.first-order-model, .delta-identity, .gd-kernel-least-squares: 5 to 7 a width)


def bucketed(params: shallow.Params) -> shallow.Params:
    """The width-n network padded with zero neurons to max(n, SMALL_BUCKET) (the same function of x: σ(0) = 0,
    v = 0 there; their coordinates of every gradient and GD iterate stay exactly 0). Sums over the padded units
    may round differently (~1e-16 relative)."""
    n = params.U.shape[0]
    if n >= SMALL_BUCKET:
        return params
    grow = lambda a: np.concatenate([np.asarray(a), np.zeros((SMALL_BUCKET - n,) + a.shape[1:])])
    return shallow.Params(*(jax.device_put(a) for a in (grow(params.U), grow(params.b), grow(params.v),
                                                         np.asarray(params.c))))


def _padded_normal(rng: np.random.Generator, n: int, rows: int) -> np.ndarray:
    """A normal vector of the width-n parameter space drawn from `rng` (its draws do not depend on the padding),
    laid out for `rows` neurons (zeros on the added ones)."""
    return pad_neurons(rng.normal(size=n * (D_IN + 2) + 1), n, rows)


def host_flat(params: shallow.Params) -> np.ndarray:
    """shallow.flat on the host (the same numbers; no compilation)."""
    return np.concatenate([np.ravel(np.asarray(a)) for a in params])


def _rows(params: shallow.Params, X, act):
    return jax.vmap(lambda e: shallow.flat(shallow.weighted_gradient(params, X, e, act)))(jnp.eye(X.shape[0]))


@functools.lru_cache(maxsize=None)
def compiled(act_name: str = ACT) -> SimpleNamespace:
    """The JAX pieces of the measurements below, each one compiled program per shape. Called op by op they
    compiled each of their operations on its own (166 compilations for lin.first-order-model, ~40 for the other
    lin claims, measured)."""
    act = activation(act_name)
    return SimpleNamespace(
        jacobian=jax.jit(lambda p, X: _rows(p, X, act)),
        jacrev=jax.jit(lambda p, X: jax.jacrev(lambda w: shallow.forward_batch(unflat(w, p), X, act))(shallow.flat(p))),
        ntk=jax.jit(lambda p, X: shallow.ntk_matrix(p, X, act)),
        forward=jax.jit(lambda p, X: shallow.forward_batch(p, X, act)),
        linearized=jax.jit(lambda p0, X, p: shallow.linearized(p0, X, p, act)))


def jacobian(params: shallow.Params, X, act_name: str = ACT):
    """∇_wΦ(X,w) as an m×P matrix: row i is shallow.weighted_gradient with r = eᵢ (structured, no autodiff)."""
    return compiled(act_name).jacobian(params, jax.device_put(X))


def gd_linearized(params0: shallow.Params, X, y, h: float, steps: int, act_name: str = ACT):
    """p_{k+1} = p_k − h∇f_lin(p_k) from p₀ = w₀, with ∇f_lin(p) = 2∇_wΦ(X,w₀)ᵀ(Φ^lin(X,p) − y) through
    the structured helpers of the model. Returns (p_T flat, trace of f_lin and ‖p_k − w₀‖)."""
    # device_put, not jnp.asarray (here and below): eagerly jnp.asarray compiles a program per shape
    return _gd_lin_fn(act_name, int(steps))(params0, *(jax.device_put(a) for a in (X, y, h)))


@functools.lru_cache(maxsize=None)
def _gd_lin_fn(act_name: str, steps: int):
    act = activation(act_name)

    @jax.jit
    def run(params0, X, y, h):
        phi0 = shallow.forward_batch(params0, X, act)
        w0 = shallow.flat(params0)

        def step(p, _):
            r = shallow.linearized(params0, X, p, act, phi0) - y
            p = shallow.axpy(p, h, shallow.weighted_gradient(params0, X, 2.0 * r, act))
            r_new = shallow.linearized(params0, X, p, act, phi0) - y
            return p, {"loss": r_new @ r_new, "drift": jnp.linalg.norm(shallow.flat(p) - w0)}

        p, trace = jax.lax.scan(step, params0, None, length=steps)
        return shallow.flat(p), trace

    return run


def gd_limit_closed_form(params0: shallow.Params, X, y, act_name: str = ACT) -> np.ndarray:
    """p_∞ = w₀ + J⁺(y − Φ(X,w₀)) with J = ∇_wΦ(X,w₀): the minimum-norm least-squares solution of
    Jw = −δ plus the component of w₀ orthogonal to the span of the features (rows of J)."""
    J = np.asarray(jacobian(params0, X, act_name))
    phi0 = np.asarray(compiled(act_name).forward(params0, jax.device_put(X)))
    return host_flat(params0) + np.linalg.pinv(J) @ (np.asarray(y) - phi0)


@functools.lru_cache(maxsize=None)
def data():
    """The GD data (m = 5 points on S¹⁵, N(0,1) targets) as JAX arrays (built on first use: importing the
    registry must not start the XLA backend)."""
    return jax.device_put(GD_X), jax.device_put(GD_Y)


def loglog_slope(a: float, b: float, ratio: float) -> float:
    """The slope of log(value) between two points whose abscissae differ by the factor `ratio`."""
    return math.log(a / b) / math.log(ratio)


# ---- measurements the lin claims compare: each a dict of named quantities at one initialisation -------------

def first_order(p0: shallow.Params, rng: np.random.Generator) -> dict:
    """Φ^lin against Φ at w₀: the structured Jacobian against autodiff, JJᵀ against K_n, the order of
    |Φ − Φ^lin| along w₀ + t·d (t = 0.1, 0.01; d a unit direction drawn from `rng`), and f_lin(w) against the
    least squares ‖Jw − ỹ‖² at w = w₀ + a normal vector (drawn next from `rng`)."""
    f, (X, y), n = compiled(), data(), p0.U.shape[0]
    p0 = bucketed(p0)
    J, w0 = np.asarray(f.jacobian(p0, X)), host_flat(p0)
    Jad = f.jacrev(p0, X)
    K = np.asarray(f.ntk(p0, X))
    d = _padded_normal(rng, n, p0.U.shape[0])
    d /= np.linalg.norm(d)
    phi0 = np.asarray(f.forward(p0, X))
    gaps = []
    for t in (0.1, 0.01):
        pt = unflat(w0 + t * d, p0)
        lin = np.asarray(f.linearized(p0, X, pt))
        gaps.append(np.abs(np.asarray(f.forward(pt, X)) - lin).max())
    w = w0 + _padded_normal(rng, n, p0.U.shape[0])
    r = np.asarray(f.linearized(p0, X, unflat(w, p0))) - np.asarray(y)
    ytil = np.asarray(y) - phi0 + J @ w0
    ls = np.sum((J @ w - ytil) ** 2)
    return {"jacobian error": np.abs(J - np.asarray(Jad)).max() / np.abs(J).max(),
            "gram error": np.abs(J @ J.T - K).max() / np.abs(K).max(),
            "taylor order": loglog_slope(gaps[0], gaps[1], 10.0), "gaps": gaps,
            "least squares error": abs(r @ r - ls) / ls}


def delta_identity(p0: shallow.Params, rng: np.random.Generator) -> dict:
    """Both sides of f_lin(w) = Σᵢ(⟨∇_wΦ(xᵢ,w₀),w⟩ + δᵢ)² at w = w₀ + a normal vector from `rng`: Φ^lin through
    shallow.linearized, the δ form through the materialised J; the gap relative to Σ(|⟨∇Φ,w⟩|+|δᵢ|)²."""
    f, (X, y), n = compiled(), data(), p0.U.shape[0]
    p0 = bucketed(p0)
    J, w0 = np.asarray(f.jacobian(p0, X)), host_flat(p0)
    phi0 = np.asarray(f.forward(p0, X))
    delta = phi0 - J @ w0 - np.asarray(y)
    w = w0 + _padded_normal(rng, n, p0.U.shape[0])
    lhs_r = np.asarray(f.linearized(p0, X, unflat(w, p0))) - np.asarray(y)
    rhs_r = J @ w + delta
    scale = np.sum((np.abs(J @ w) + np.abs(delta)) ** 2)
    return {"gap": abs(lhs_r @ lhs_r - rhs_r @ rhs_r) / scale, "scale": scale}


def kernel_change(p0: shallow.Params, p1: shallow.Params) -> float:
    """‖K_n(w₀) − K_n(w₀')‖_F / ‖K_n(w₀)‖_F on the GD data."""
    ntk, (X, _) = compiled().ntk, data()
    K0, K1 = (np.asarray(ntk(bucketed(p), X)) for p in (p0, p1))
    return float(np.linalg.norm(K0 - K1) / np.linalg.norm(K0))


def gd_limit(p0: shallow.Params, Xt, steps: int) -> dict:
    """`steps` GD steps on f_lin (h = 0.95/(λ_min+λ_max)) against the closed form p_∞ = w₀ + J⁺(y − Φ(X,w₀)), its
    predictions at the test inputs Xt against kernel least squares with K_n plus Φ(x,w₀), and p_T against the
    min-norm solution J⁺(−δ) plus w₀'s part (I − J⁺J)w₀ orthogonal to the features."""
    f, (X, y), Xt, p0 = compiled(), data(), np.asarray(Xt), bucketed(p0)
    J, w0 = np.asarray(f.jacobian(p0, X)), host_flat(p0)
    ev = np.linalg.eigvalsh(J @ J.T)
    pT, tr = gd_linearized(p0, X, y, 0.95 / (ev[0] + ev[-1]), steps)
    pT = np.asarray(pT)
    p_inf = gd_limit_closed_form(p0, X, y)
    phi0 = np.asarray(f.forward(p0, X))
    Kall = np.asarray(f.ntk(p0, np.concatenate([Xt, np.asarray(X)])))
    kt = len(Xt)
    kernel_reg = Kall[:kt, kt:] @ np.linalg.solve(Kall[kt:, kt:], np.asarray(y) - phi0)
    w0_term = np.asarray(f.forward(p0, Xt))
    pred = np.asarray(f.linearized(p0, Xt, unflat(pT, p0)))
    Jp = np.linalg.pinv(J)
    delta = phi0 - J @ w0 - np.asarray(y)
    perp = w0 - Jp @ (J @ w0)
    return {"limit distance": np.linalg.norm(pT - p_inf) / np.linalg.norm(p_inf - w0),
            "f_lin_T": float(np.asarray(tr["loss"])[-1]), "steps": int(steps),
            "prediction error": np.abs(pred - (kernel_reg + w0_term)).max(),
            "prediction scale": max(1.0, np.abs(pred).max()),
            "split error": np.linalg.norm(pT - (-Jp @ delta) - perp) / np.linalg.norm(pT),
            "w0 share": np.linalg.norm(perp) / np.linalg.norm(pT),
            "pred": pred, "w0 term": w0_term}


def gd_on_linear(p0: shallow.Params, rule: str, frac: float, steps: int) -> dict:
    """Theorem 11.13's conclusions on Φ^lin, where Assumption 11.12 holds exactly (L = 0, and U = maxᵢ‖∇Φ(xᵢ,w₀)‖
    since ∇_wΦ^lin ≡ ∇_wΦ(·,w₀)): the right-hand side of (d) by `rule`, f(p_T)/f(w₀) after `steps` steps at
    h = frac/(λ_min+λ_max), the observed rate over the proof's (1 − hλ_min)², and sup_k‖p_k − w₀‖/r."""
    (X, y), power = data(), POWER[rule]
    J = np.asarray(jacobian(p0, X))
    K = J @ J.T
    ev = np.linalg.eigvalsh(K)
    h = frac / (ev[0] + ev[-1])
    _, tr = gd_linearized(p0, X, y, h, steps)
    loss = np.asarray(tr["loss"])
    f0 = float(np.sum((np.asarray(compiled().forward(p0, X)) - np.asarray(y)) ** 2))
    U = float(np.sqrt(K.diagonal().max()))
    r = radius(rule, U, f0, float(ev[0]))
    rate = observed_rate(loss, f0)
    drift = float(np.asarray(tr["drift"]).max())
    return {"rhs": ev[0] ** power / (12 * M_POINTS**1.5 * U**2 * math.sqrt(f0)), "power": power,
            "lam_min": ev[0], "lam_max": ev[-1], "U": U, "f0": f0, "loss ratio": loss[-1] / f0,
            "rate ratio": rate / (1 - h * ev[0]) ** 2, "observed": rate,
            "linear_theory": max(abs(1 - 2 * h * ev[0]), abs(1 - 2 * h * ev[-1])) ** 2,
            "drift ratio": drift / r, "drift": drift, "r": r}


# ---- Assumption 11.12: constants -----------------------------------------------------------------

@dataclass(frozen=True)
class Constants:
    """The constants of Assumption 11.12 at one initialisation, with how each was obtained."""

    n: int
    lam_min: float  # eigenvalues of (K_n(xᵢ,xⱼ)) at w₀ (exact up to round-off)
    lam_max: float
    f0: float  # f(w₀) = Σᵢ(Φ(xᵢ,w₀) − yᵢ)²
    U0: float  # maxᵢ‖∇_wΦ(xᵢ,w₀)‖: every admissible U is ≥ this
    U_cert: float  # certified: sup over B_r(w₀) ≤ U_cert (analytic bound, fixed point with r = r(U))
    r: float  # r(U_cert) by the rule in force
    L_cert: float  # certified Lipschitz constant of ∇_wΦ(xᵢ,·) on B_r(w₀)
    U_sampled: float  # max over sampled points of B_r(w₀) (a lower bound on the true sup)
    L_sampled: float  # max ratio over sampled pairs of B_r(w₀) (a lower bound on the true L)
    L_local: float  # ‖H d‖ at w₀ along a power-iteration direction: ≤ L on a ball of ANY radius r > 0
    rule: str  # "stated" or "corrected"

    @property
    def m(self) -> int:
        return M_POINTS

    def rhs(self, lam_power: int) -> float:
        """λ_min^p / (12 m^{3/2} U² √f(w₀)) with the certified U."""
        return self.lam_min**lam_power / (12.0 * self.m**1.5 * self.U_cert**2 * math.sqrt(self.f0))

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _block_norms(params0: shallow.Params, X: np.ndarray):
    U, b, v = (np.asarray(a) for a in params0[:3])
    H = X @ U.T + b
    q = np.sqrt(np.sum(X**2, axis=1) + 1.0)
    return q, np.linalg.norm(np.tanh(H), axis=1), float(np.linalg.norm(v)), float(np.max(np.abs(v)))


def _u_from(norms, r: float) -> float:
    q, s0, vn, _ = norms
    return float(np.max(np.sqrt(q**2 * (vn + r) ** 2 + (s0 + q * r) ** 2 + 1.0)))


def _l_from(norms, r: float) -> float:
    q, _, _, vinf = norms
    V = vinf + r
    return float(max(np.linalg.norm(np.array([[qi, 0.0], [TANH_D2 * V * qi**2, qi]]), 2) for qi in q))


def u_cert(params0, X, r: float) -> float:
    """Certified sup of maxᵢ‖∇_wΦ(xᵢ,w)‖ over B_r(w₀) (σ = tanh)."""
    return _u_from(_block_norms(params0, X), r)


def l_cert(params0, X, r: float) -> float:
    """Certified Lipschitz constant of ∇_wΦ(xᵢ,·) on B_r(w₀), max over i (σ = tanh)."""
    return _l_from(_block_norms(params0, X), r)


POWER = {"stated": 1, "corrected": 2}  # the power of λ_min in (d), by rule


def radius(rule: str, U: float, f0: float, lam_min: float) -> float:
    """r of Assumption 11.12(d): as the source states it, or as the proof needs it (corrected)."""
    if rule == "stated":
        return 2.0 * math.sqrt(f0) / (math.sqrt(M_POINTS) * U)
    if rule == "corrected":
        return 2.0 * math.sqrt(M_POINTS) * U * math.sqrt(f0) / lam_min
    raise ValueError(f"rule={rule!r} is not 'stated' or 'corrected'")


def _fixed_point_from(norms, rule, U0, f0, lam_min) -> float:
    """Smallest U with U ≥ U_cert(r(U)) (U and r are defined through each other); inf if none exists."""
    g = lambda U: _u_from(norms, radius(rule, U, f0, lam_min))
    if rule == "stated":  # r decreasing in U: U − g(U) is increasing, bisect
        lo, hi = U0, max(g(U0), U0) * 2.0
        while hi - g(hi) < 0:
            hi *= 2.0
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if mid - g(mid) < 0 else (lo, mid)
        return hi
    U = U0
    for _ in range(1000):  # r increasing in U: monotone iteration from below, diverges if none exists
        nxt = g(U)
        if nxt <= U * (1 + 1e-15) or not math.isfinite(nxt) or nxt > 1e12 * U0:
            break
        U = nxt
    return U if g(U) <= U * (1 + 1e-12) else math.inf


def sweep_bucket(n: int) -> int:
    return SWEEP_CHUNK if n <= SWEEP_CHUNK else int(n)


SWEEP_CHUNK = 4096  # neurons per call of _window_fn: wider networks come in windows of it, narrower ones padded to it


@functools.lru_cache(maxsize=None)
def _window_fn(rows: int):
    """(keys, n, drawn, first) → neurons [first, first + rows) of the width-n LeCun init whose draws are
    jax.random.normal's of `drawn` rows (shallow.lecun_init(key, n, …, pad_to=drawn) draws `drawn` = max(n, rows)
    rows; _draws gives any window of them bitwise), neurons at or past n zero. Returns the window's U, v, what the
    certified constants need as `_certified_from` reads them (K_n, f(w₀), ‖σ(h₀)‖, ‖v₀‖, ‖v₀‖_∞: exact for a
    network of one window) and their sums over the window's neurons, which `_init_stats` adds up for a wider one.
    One compilation serves every width (it was one per width above 4096 and two more for the padded ones)."""
    act = activation(ACT)
    X, y = jax.device_put(GD_X), jax.device_put(GD_Y)

    def one(key, n, drawn, first):
        ku, kv = jax.random.split(key)
        xu = _draws.standard_rows(ku, "normal", drawn, D_IN, rows, first)
        xv = _draws.standard(kv, "normal", drawn, rows, first)
        mask = (first + jnp.arange(rows) < n).astype(jnp.float64)
        p0 = shallow.Params(xu / jnp.sqrt(D_IN) * mask[:, None], jnp.zeros(rows), xv / jnp.sqrt(n) * mask,
                            jnp.zeros(()))  # shallow.lecun_scale op for op
        H = X @ p0.U.T + p0.b
        S, Dv = act.f(H), act.df(H) * p0.v
        return {"U": p0.U, "v": p0.v, "K": shallow.ntk_matrix(p0, X, act), "f0": shallow.square_loss(p0, X, y, act),
                "s0": jnp.linalg.norm(S, axis=1), "vn": jnp.linalg.norm(p0.v), "vinf": jnp.max(jnp.abs(p0.v)),
                "dd": Dv @ Dv.T, "ss": S @ S.T, "phi": S @ p0.v, "s0sq": jnp.sum(S**2, axis=1), "vnsq": p0.v @ p0.v}

    return jax.jit(jax.vmap(one, in_axes=(0, None, None, None)))


def _init_stats(keys, n: int, with_init: bool = False) -> dict:
    """For each key, the quantities `_certified_from` reads of the width-n init, and with `with_init` the init's
    U, v (sweep_bucket(n) rows). n ≤ SWEEP_CHUNK: one window, the numbers of the program that padded every such
    width to 4096 bit for bit. Wider: the windows' sums added on the host, equal to one wide program's up to the
    order of the float sums (~1e-16 relative); U, v bitwise (kept only if asked: 1.3 GB at the full sweep's widest)."""
    n = int(n)
    drawn = max(n, SWEEP_CHUNK)
    drop = () if with_init else ("U", "v")
    parts = [{k: a for k, a in _batched(_window_fn(SWEEP_CHUNK), keys, *(jax.device_put(a) for a in (n, drawn, first)))
              .items() if k not in drop} for first in range(0, n, SWEEP_CHUNK)]
    if len(parts) == 1:
        return parts[0]
    tot = {k: np.sum([p[k] for p in parts], axis=0) for k in ("dd", "ss", "phi", "s0sq", "vnsq")}
    resid = tot["phi"] - GD_Y[None]  # c₀ = 0
    out = {"K": tot["dd"] * (GD_X @ GD_X.T + 1.0)[None] + tot["ss"] + 1.0, "f0": np.sum(resid**2, axis=1),
           "s0": np.sqrt(tot["s0sq"]), "vn": np.sqrt(tot["vnsq"]), "vinf": np.max([p["vinf"] for p in parts], axis=0)}
    if with_init:  # n rows, as sweep_bucket(n)
        out.update({k: np.concatenate([p[k] for p in parts], axis=1)[:, :n] for k in ("U", "v")})
    return out


CERT_BATCH = 3  # inits per call of _window_fn (the quick sweep's seeds): `constants` (one init) pads its key batch to
# it, so that one compilation per bucket serves both; a key's numbers do not depend on its batch (vmap, tested)


def _batched(fn, keys, *args) -> dict:
    """fn(keys, *args) in batches of CERT_BATCH keys (the last padded with the first key and cut), on the host."""
    impl, data = jax.random.key_impl(keys), np.asarray(jax.random.key_data(keys))
    count = data.shape[0]
    data = np.concatenate([data, np.repeat(data[:1], -count % CERT_BATCH, axis=0)])
    parts = [fn(jax.random.wrap_key_data(jax.device_put(data[i:i + CERT_BATCH]), impl=impl), *args)
             for i in range(0, data.shape[0], CERT_BATCH)]
    return jax.tree_util.tree_map(lambda *a: np.concatenate([np.asarray(x) for x in a])[:count], *parts)


def certified(key, n: int, rule: str, seeds: int) -> list[Constants]:
    """Certified constants only (no sampling) for `seeds` LeCun inits of width n: cheap enough for a wide sweep."""
    return _certified_from(_init_stats(split_keys(key, seeds), n), n, rule, seeds)


def _certified_from(out: dict, n: int, rule: str, seeds: int) -> list[Constants]:
    q = np.sqrt(np.sum(GD_X**2, axis=1) + 1.0)
    res = []
    for j in range(seeds):
        ev = np.linalg.eigvalsh(out["K"][j])
        f0, U0 = float(out["f0"][j]), float(np.sqrt(np.max(np.diag(out["K"][j]))))
        norms = (q, out["s0"][j], float(out["vn"][j]), float(out["vinf"][j]))
        Uc = _fixed_point_from(norms, rule, U0, f0, float(ev[0]))
        r = radius(rule, Uc, f0, float(ev[0])) if math.isfinite(Uc) else math.inf
        Lc = _l_from(norms, r) if math.isfinite(r) else math.inf
        nan = math.nan
        res.append(Constants(int(n), float(ev[0]), float(ev[-1]), f0, U0, Uc, r, Lc, nan, nan, nan, rule))
    return res


def worst_margins(keys, widths, rule: str, seeds: int) -> np.ndarray:
    """At each width, the worst over `seeds` LeCun inits (drawn from keys[k] for widths[k]) of (d)'s certified
    margin λ_min^p/(12m^{3/2}U²√f(w₀))/L_cert, p by `rule`; 0 where no certified U exists."""
    margins = np.full((seeds, len(widths)), np.nan)
    for k, (key, n) in enumerate(zip(keys, widths)):
        for s, c in enumerate(certified(key, n, rule, seeds)):
            margins[s, k] = c.rhs(POWER[rule]) / c.L_cert if math.isfinite(c.L_cert) else 0.0
    return margins.min(axis=0)


def holds_from(widths, ok):
    """The smallest width of an increasing sweep from which `ok` holds at it and every larger width; None if none."""
    return next((n for k, n in enumerate(widths) if all(ok[k:])), None)


@functools.lru_cache(maxsize=None)
def _sampled_fn(rows: int, samples: int, iters: int = 8):
    """(w₀ flat, directions, r) → max‖∇Φ(xᵢ,w)‖ over w₀ and points of the sphere of radius r, the max
    gradient-difference ratio over their pairs, and ‖H(w₀)d‖ along power-iteration directions (per xᵢ).
    Parameters laid out for `rows` neurons: a narrower network padded with zero neurons (whose coordinates of w₀
    and of the directions are 0) gives its own numbers up to round-off: those coordinates of every gradient, Hessian
    product and point stay exactly 0 (v = 0, σ(0) = 0), so one compilation serves every width of a bucket."""
    act = activation(ACT)
    X = jax.device_put(GD_X)
    # only the shapes of `like` are read (NumPy: eager jnp.zeros compiles a program per shape)
    like = shallow.Params(np.zeros((rows, D_IN)), np.zeros(rows), np.zeros(rows), np.zeros(()))

    def grads(w):  # (m, P): row i is ∇_wΦ(xᵢ,w)
        p = unflat(w, like)
        return _rows(p, X, act)

    def run(w0, dirs, r):
        pts = jnp.concatenate([w0[None], w0 + r * dirs / jnp.linalg.norm(dirs, axis=1, keepdims=True)])
        G = jax.vmap(grads)(pts)  # (k, m, P)
        U_s = jnp.max(jnp.linalg.norm(G, axis=2))
        k = pts.shape[0]
        ia, ib = np.triu_indices(k, 1)
        dist = jnp.linalg.norm(pts[ia] - pts[ib], axis=1)
        L_s = jnp.max(jnp.linalg.norm(G[ia] - G[ib], axis=2) / dist[:, None])

        def hv(d):  # (m, P): H_i d by central differences of ∇Φ(xᵢ,·)
            return (grads(w0 + FD_STEP * d) - grads(w0 - FD_STEP * d)) / (2 * FD_STEP)

        def power(_, D):  # D: (m, P), one direction per xᵢ
            HD = hv_rows(D)
            return HD / jnp.linalg.norm(HD, axis=1, keepdims=True)

        def hv_rows(D):
            return jax.vmap(lambda i, d: hv(d)[i])(jnp.arange(M_POINTS), D)

        D0 = jnp.tile(dirs[0] / jnp.linalg.norm(dirs[0]), (M_POINTS, 1))
        D = jax.lax.fori_loop(0, iters, power, D0)
        L_loc = jnp.max(jnp.linalg.norm(hv_rows(D), axis=1))
        # the top-curvature pair: w₀ ± (r/2)d
        pair = jax.vmap(lambda i, d: jnp.linalg.norm(grads(w0 + 0.5 * r * d)[i] - grads(w0 - 0.5 * r * d)[i]) / r)(
            jnp.arange(M_POINTS), D)
        return U_s, jnp.maximum(jnp.maximum(L_s, jnp.max(pair)), L_loc), L_loc

    return jax.jit(run)


@functools.lru_cache(maxsize=None)
def _directions_fn(total: int):
    return jax.jit(lambda key, size: _draws.standard(key, "normal", size, total))


def constants(key, n: int, rule: str = "stated", samples: int = 6, sampled: bool = True) -> Constants:
    """Assumption 11.12's constants at a LeCun initialisation of width n (σ = tanh, the GD data).

    Certified: U = the smallest fixed point U ≥ U_cert(r(U)), L = L_cert(r) (module docstring). Sampled
    (lower bounds of the true sup): `samples` points on the sphere of radius r about w₀ (and w₀) for U; for L,
    their pairs, the pair w₀ ± (r/2)d along the top Hessian direction d at w₀ (power iteration on central
    differences of ∇_wΦ), and ‖H(w₀)d‖ itself, a lower bound of L on a ball of any radius."""
    kinit, kball = (host_keys(split_keys(key, 2), i) for i in range(2))  # eager split and unpacking compile
    out = _init_stats(split_keys(kinit, 1), n, with_init=sampled)  # the network `certified(kinit, n, rule, 1)` bounds
    c = _certified_from(out, n, rule, 1)[0]
    if not sampled:
        return c
    rows = sweep_bucket(int(n))
    w0 = host_flat(shallow.Params(out["U"][0], np.zeros(rows), out["v"][0], np.zeros(())))
    rs = c.r if math.isfinite(c.r) else radius("stated", c.U0, c.f0, c.lam_min)
    size = int(n) * (D_IN + 2) + 1  # jax.random.normal(kball, (samples, size)) bitwise, one compilation per bucket
    drawn = _directions_fn(int(samples) * (rows * (D_IN + 2) + 1))(kball, np.int64(int(samples) * size))
    dirs = pad_neurons(np.asarray(drawn)[:int(samples) * size].reshape(int(samples), size), int(n), rows)
    Us, Ls, Lloc = (float(v) for v in _sampled_fn(rows, int(samples))(*(jax.device_put(a) for a in (w0, dirs, rs))))
    return Constants(c.n, c.lam_min, c.lam_max, c.f0, c.U0, c.U_cert, c.r, c.L_cert, Us, Ls, Lloc, rule)


def _constants_sampler(rule: str):
    def sample(key, n, count, max_width=None):
        rows = []
        for k in split_keys(key, count):
            c = constants(k, int(n), rule)
            rows.append([c.lam_min, c.lam_max, c.f0, c.U0, c.U_sampled, c.U_cert, c.L_local, c.L_sampled, c.L_cert,
                         c.r, c.rhs(1), c.rhs(2)])
        return np.asarray(rows)

    return sample


CONSTANT_OUTPUTS = ("λ_min", "λ_max", "f(w₀)", "maxᵢ‖∇Φ(xᵢ,w₀)‖", "U sampled", "U certified", "‖H(w₀)d‖ (L at any r)", "L sampled",
                    "L certified", "r", "λ_min/(12m^{3/2}U²√f(w₀))", "λ_min²/(12m^{3/2}U²√f(w₀))")

register(Observable(
    "lin.assumption_constants", "shallow",
    "Assumption 11.12's constants at LeCun init (σ=tanh, 𝒟 normal, the 5 GD points of S¹⁵): kernel eigenvalues, "
    "f(w₀), U and L on B_r(w₀) sampled (lower bounds) and certified (analytic upper bounds), r, and the right-hand "
    "sides of (d) with λ_min (as stated) and λ_min² (as the proof needs)",
    {"rule": Param("r as 'stated' (2√f/(√m U)) or 'corrected' (2√m U√f/λ_min)", "stated", ("stated", "corrected"))},
    CONSTANT_OUTPUTS,
    lambda rule: _constants_sampler(rule),
    cost=per_replicate(lambda v, n: 4000 * n * 16, lambda v, n: 40 * n * 18, 64),
))


def _gd_limit_sampler(steps: int):
    def sample(key, n, count, max_width=None):
        rows = []
        for k in split_keys(key, count):
            p0 = init(k, int(n))
            K = np.asarray(compiled().ntk(p0, jax.device_put(GD_X)))
            ev = np.linalg.eigvalsh(K)
            pT, tr = gd_linearized(p0, GD_X, GD_Y, 0.95 / (ev[0] + ev[-1]), steps)
            p_inf = gd_limit_closed_form(p0, GD_X, GD_Y)
            w0 = host_flat(p0)
            rows.append([np.linalg.norm(np.asarray(pT) - p_inf) / np.linalg.norm(p_inf - w0),
                         float(np.asarray(tr["loss"])[-1]), np.linalg.norm(p_inf - w0)])
        return np.asarray(rows)

    return sample


register(Observable(
    "lin.gd_limit", "shallow",
    "GD on f_lin (h = 0.95/(λ_min+λ_max)) against the closed form p_∞ = w₀ + J⁺(y − Φ(X,w₀)): relative distance "
    "‖p_T − p_∞‖/‖p_∞ − w₀‖, f_lin(p_T), ‖p_∞ − w₀‖",
    {"steps": Param("T", 3000, kind="int")},
    ("‖p_T − p_∞‖/‖p_∞ − w₀‖", "f_lin(p_T)", "‖p_∞ − w₀‖"),
    lambda steps: _gd_limit_sampler(steps),
    cost=per_replicate(lambda v, n: 5 * 40 * n * 16 * v['steps'], lambda v, n: 12 * n * 18, 64),
))


# ---- gradient descent on the network, with the quantities of Theorem 11.13 ----------------------------

RATE_FLOOR = 1e-20  # the observed rate is read off the trace up to f(w_k) ≤ 1e-20·f(w₀), above the float64 floor


def observed_rate(loss, loss0) -> float:
    """Per-step contraction of f: (f(w_k)/f(w₀))^{1/k} at the first k with f(w_k) ≤ RATE_FLOOR·f(w₀) (else k = T)."""
    ratio = np.asarray(loss) / float(loss0)
    hit = np.nonzero(ratio <= RATE_FLOOR)[0]
    k = int(hit[0]) if hit.size else len(ratio) - 1
    return float(ratio[k] ** (1.0 / (k + 1)))


def network_gd(keys, n: int, steps: int, frac: float) -> dict:
    """GD w_{k+1} = w_k − h∇f(w_k), h = frac/(λ_min+λ_max) of K_n(w₀), one run per key (shallow.gd_runs: the
    programs of shallow.gd, one per padded width). Per run: f(w_T)/f(w₀), the observed rate, the rate bound
    (1 − hλ_min)², sup_k‖w_k − w₀‖, and r of Assumption 11.12(d) with U = maxᵢ‖∇Φ(xᵢ,w₀)‖ (the largest r any
    admissible U allows, for either rule)."""
    out = gd_runs(keys, int(n), int(steps), float(frac), ACT)
    U0 = np.sqrt(np.max(np.diagonal(out["K"], axis1=1, axis2=2), axis=1))
    rows = []
    for j in range(len(out["loss0"])):
        f0, lmin = float(out["loss0"][j]), float(out["ev"][j, 0])
        rows.append({"ratio": float(out["loss"][j][-1] / f0), "rate": observed_rate(out["loss"][j], f0),
                     "rate_bound": (1.0 - float(out["h"][j]) * lmin) ** 2, "drift": float(out["drift"][j]),
                     "r_stated": radius("stated", float(U0[j]), f0, lmin),
                     "r_corrected": radius("corrected", float(U0[j]), f0, lmin),
                     "lam_min": lmin, "lam_max": float(out["ev"][j, -1]), "h": float(out["h"][j]), "f0": f0})
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


# outputs of `network_gd`, by the names a claim selects them with
NETWORK_GD_OUTPUTS = {"ratio": "f(w_T)/f(w₀)", "rate": "observed rate", "rate_bound": "(1 − hλ_min)²",
                      "drift": "sup_k‖w_k − w₀‖", "r_stated": "r stated (U₀)", "r_corrected": "r corrected (U₀)",
                      "lam_min": "λ_min", "lam_max": "λ_max", "h": "h", "f0": "f(w₀)"}


def _network_gd_sampler(steps: int, frac: float):
    def sample(key, n, count, max_width=None):  # pads by shallow.gd_bucket, not to max_width
        out = network_gd(split_keys(key, count), int(n), steps, frac)
        return np.stack([out[k] for k in NETWORK_GD_OUTPUTS], axis=1)

    return sample


register(Observable(
    "lin.network_gd", "shallow",
    "GD on the network f(w)=Σᵢ(Φ(xᵢ,w)−yᵢ)² from LeCun init (σ=tanh, 𝒟 normal, the 5 GD points of S¹⁵), "
    "h = frac/(λ_min+λ_max) of K_n(w₀), T steps: f(w_T)/f(w₀), the observed per-step rate and the proof's "
    "(1 − hλ_min)², sup_k‖w_k − w₀‖, r of Assumption 11.12(d) with U₀ = maxᵢ‖∇Φ(xᵢ,w₀)‖ (both rules), λ_min, λ_max, "
    "h, f(w₀)",
    {"steps": Param("T", 500, kind="int"), "frac": Param("h·(λ_min+λ_max)", STEP_FRACTION, kind="float")},
    tuple(NETWORK_GD_OUTPUTS.values()),
    lambda steps, frac: _network_gd_sampler(int(steps), float(frac)),
    cost=per_replicate(lambda v, n: 4 * 5 * n * 18 * v["steps"], lambda v, n: v["steps"] * 2 + 20 * n, GD_CHUNK),
))
