"""chizat.* — lazy training of F_α(w) = R(αh(w))/α², Chizat–Oyallon–Bach, seed 003 §5 (issue #6).

Theorem 5 of the source: if h(w₀) = 0, then for a fixed T, sup_{t≤T}‖w_α − w₀‖ = O(1/α),
sup_{t≤T}‖w_α − w̄_α‖ = O(1/α²), sup_{t≤T}‖αh(w_α) − αh̄(w̄_α)‖ = O(1/α). Checked two ways:

  Monte Carlo — the gradient flows of F_α and F̄_α solved by diffrax (Dopri8, adaptive, tolerances in
                verify/models/chizat.py) from random w₀ at α = 10…1000; each init's log-log slope of the
                sup-gap against α, a t interval across inits (PairedScalingLaw). Two models: the
                antisymmetric (doubled) two-layer net, on which the O bound is judged, and the centred
                net h = f − f(w₀), a generic h on which the proof's rates are attained and judged as rates.
  numeric     — the proof's own inequalities with their constants measured on the solved trajectories:
                ∫‖ẇ‖ ≤ √(T·F_α(w₀)), δ' ≤ α⁻¹(‖(Dh(w)−Dh(w₀))ᵀ∇R(y)‖ + ‖Dh(w₀)‖Δ), and Grönwall for
                Δ' ≤ ‖(Σ(w)−Σ(w₀))∇R(y)‖ + ‖Σ(w₀)‖Δ (the proof's lines before its op-norm step), at every saved
                T ≤ 16, α and init, with sup over the saved times standing for sup over [0, T]. Their curves over T
                show how the constants grow with the horizon (the bounds are finite-horizon).
"""
from __future__ import annotations

import numpy as np

from verify._model import Claim, Comparison, Figure, PerProfile, Source, View
from verify.checks import Exact, PairedScalingLaw, Series
from verify.stats import Band, decide
from verify.tolerances import Tol

SEED = "seeds/003_cd9ed4f852a24b26.txt"
SECTION = "§5.2, Théorème 5"

ALPHAS = (10, 32, 100, 316, 1000)  # two decades, ≈ evenly spaced in log α (integers: they label the sweep)
SMALL_ALPHA = 1  # solved alongside for the trajectory figures (not lazy: the flows part)
SOLVED = (SMALL_ALPHA,) + ALPHAS  # one compiled shape for every check of the group
HORIZON = 4.0  # T of the stated claim (the source fixes none): the loss has about halved by then (trajectory figures)
HORIZONS = (1.0, 4.0, 16.0)  # the generic model's rates are judged at each (the theorem holds for every fixed T)
T_MAX = max(HORIZONS)
REPLICATES = PerProfile(20, 40, 80)  # inits per first look (one batch mean each below 40)
BOUND_INITS = PerProfile(4, 8, 16)  # inits whose whole trajectories the proof-bound checks read

EXPONENT = Tol(0.1, "on a log-log slope in α over two decades (10…1000): the candidate exponents −1, −2, −3 are 1 "
                    "apart; the finite-α curvature moves the mean slope by ≤ 0.02 at T ≤ 16 (measured; the local "
                    "slopes are in each comparison's detail). Single inits scatter by up to ±0.15 at T = 16 (the time "
                    "of the sup moves with α): the t interval across inits carries that")
PROOF_SLACK = Tol(1e-6, "relative, on measured/bound ≤ 1: the solver's global error is ≲ 1e-8 of the O(1) displacement "
                        "(tests); the gaps near t = 0 are tiny but so are the bounds, and the ratio is taken where the "
                        "bound exceeds 1e-12")
LIVE_BOUND = 1e-12  # bounds below this (t → 0) are not compared: both sides are round-off there
POWERS = {0: 1, 1: 2, 2: 1}  # the stated exponent of 1/α of each gap
NAMES = ("sup_{t≤T}‖w_α(t) − w₀‖", "sup_{t≤T}‖w_α(t) − w̄_α(t)‖", "sup_{t≤T}‖αh(w_α(t)) − αh̄(w̄_α(t))‖")
SETTING = ("The flows: ẇ_α = −∇F_α(w_α) = −(1/α)Dh(w_α)ᵀ∇R(αh(w_α)) and w̄̇_α = −(1/α)Dh(w₀)ᵀ∇R(αh̄(w̄_α)) from "
           "w₀, time t unscaled (the source's proof: y = αh(w_α) obeys ẏ = −Dh Dhᵀ∇R(y), an O(1) time scale; its "
           "displayed ODE drops the factor −1/α that its proof uses), integrated by diffrax Dopri8 with a PID step "
           "controller (rtol 1e-10, atol 1e-12) in u = α(w − w₀), sup over 257 saved times of [0, 16]. Model: "
           "f(w)ᵢ = m^{-1/2}Σⱼ aⱼ tanh(⟨bⱼ, xᵢ⟩), m = 32, 4 fixed points xᵢ ∈ ℝ³, R(f) = ½‖f − y*‖². "
           "antisymmetric init (h(w₀) = 0 by the doubling trick, the issue's choice): neurons j and j + 16 share "
           "bⱼ ~ N(0, I₃) and carry output weights +aⱼ, −aⱼ, aⱼ ~ N(0, 1); centred init: 32 iid neurons and "
           "h = f − f(w₀). Randomness: the inits (the model is deterministic given w₀).")


def _sups(key, count, kind):
    from verify.observables.chizat import sup_gaps

    return sup_gaps(key, count, SOLVED, HORIZONS, kind)[..., 1:]  # drop the small α: (count, 3, len(HORIZONS), len(ALPHAS))


def _paired(q: int, kind: str, horizons: tuple, bound: bool) -> PairedScalingLaw:
    p = POWERS[q]

    def sample(key, _, count, max_width=None):
        s = _sups(key, count, kind)
        return np.concatenate([s[:, q, HORIZONS.index(T), :] for T in horizons], axis=1)

    series = tuple(Series(f"{NAMES[q]}, {kind} init, T = {T:g}", -float(p), EXPONENT.value, f"O(1/α^{p})" if p > 1
                          else "O(1/α)", "Théorème 5 as stated" if bound else
                          "Théorème 5, attained for a generic h (D²h(w₀) ≠ 0 along the flow)") for T in horizons)
    what = "bound on the antisymmetric net" if bound else "rate on the centred (generic) net"
    return PairedScalingLaw(f"{what}: slope in α", sample, series, ALPHAS, REPLICATES, variable="α", bound=bound)


def _trajectories(ctx, kind: str) -> np.ndarray:
    """Whole trajectories (every saved time and column) of the proof-bound checks' inits."""
    from verify.observables.chizat import trajectories

    return trajectories(ctx.key("proof-bounds", kind), BOUND_INITS(ctx.profile), SOLVED, T_MAX, kind)


def _proof_bound(q: int, g: np.ndarray, ts: np.ndarray, alphas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(measured sup_{t≤T} gap, the proof's bound on it) at every saved T, shape (inits, α, times)."""
    from verify.models.chizat import data

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


def _bound_check(q: int) -> Exact:
    p = POWERS[q]

    def compute(ctx):
        from verify.observables.chizat import times

        ts = times(T_MAX)
        alphas = np.asarray(SOLVED, dtype=np.float64)
        comps, figs = [], []
        runs = {kind: _trajectories(ctx, kind) for kind in ("antisymmetric", "centred")}
        for kind, g in runs.items():
            measured, bound = _proof_bound(q, g, ts, alphas)
            live = bound > LIVE_BOUND
            ratio = np.where(live, measured / np.where(live, bound, 1.0), 0.0)
            worst = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
            band = Band(0.0, 1.0 + PROOF_SLACK.value)
            r = float(ratio.max())
            comps.append(Comparison(
                f"{NAMES[q]} / the proof's bound, max over {g.shape[0]} {kind} inits, α ∈ {{{', '.join(map(str, SOLVED))}}}, "
                f"T ≤ {T_MAX:g}", View.NUMERIC, "≤ 1", r, (r, r), band, decide(r, r, band), 0.0, PROOF_SLACK.value,
                reference="the inequalities of the source's proof, constants measured on the solved trajectories",
                samples=int(g.shape[0]), detail={"worst_at": {"init": int(worst[0]), "alpha": float(alphas[worst[1]]),
                                                              "T": float(ts[worst[2]])},
                                                 "median_ratio_at_T": float(np.median(ratio[:, :, -1]))}))
            big = -1  # α = 1000: the constants α^p·sup-gap
            keep = ts > 0
            figs.append(Figure("curves", f"constant α^{p}·{NAMES[q]} over the horizon T ({kind} init, α = {SOLVED[big]})", {
                "x": ts[keep].tolist(),
                "curves": {"measured (median over inits)": np.median(measured[:, big, keep] * SOLVED[big] ** p, axis=0).tolist(),
                           "measured (max over inits)": np.max(measured[:, big, keep] * SOLVED[big] ** p, axis=0).tolist(),
                           "the proof's bound (median)": np.median(bound[:, big, keep] * SOLVED[big] ** p, axis=0).tolist()},
                "xlabel": "horizon T", "ylabel": f"α^{p} × sup over t ≤ T", "logy": True}))
        g = runs["centred"]
        for j, alpha in ((0, SMALL_ALPHA), (len(SOLVED) - 1, SOLVED[-1])):
            figs.append(Figure("curves", f"trajectories at α = {alpha} (centred init 0): losses of both flows and the gap", {
                "x": ts.tolist(), "curves": {"R(αh(w_α(t)))": g[0, j, :, 3].tolist(),
                                             "R(αh̄(w̄_α(t)))": g[0, j, :, 4].tolist(),
                                             f"α^{p}·{model_column(q)}": (g[0, j, :, q] * alpha ** p).tolist()},
                "xlabel": "t", "ylabel": "value"}))
        return comps, figs

    return Exact("the proof's bounds, constants measured on the trajectories", View.NUMERIC, compute,
                 note="the proof's inequalities hold along every flow; the curves show the measured constant and the "
                      "proof's constant over the horizon T")


def model_column(q: int) -> str:
    from verify.models.chizat import COLUMNS

    return COLUMNS[q]


def _reading(q: int) -> str:
    p = POWERS[q]
    rate = "1/α" if p == 1 else f"1/α^{p}"
    extra = ""
    if q == 2:
        extra = (" On the antisymmetric net the measured slope is ≈ −2: the involution S(a, a', b, b') = (−a', −a, b', b) "
                 "fixes w₀ and f∘S = −f, so D²h(w₀)[ū, ū] = 0 along the linear flow and the O(1/α) bound is not "
                 "attained there; the centred net attains it.")
    return (f"{NAMES[q]} = O({rate}) read as: (Monte Carlo) on the antisymmetric net at T = {HORIZON:g}, the mean over "
            f"inits of each init's least-squares slope of log sup-gap against log α, α ∈ {{{', '.join(map(str, ALPHAS))}}}, "
            f"has its interval ≤ −{p} + {EXPONENT.value:g} (the O bound); on the centred net, where the proof's rate is "
            f"attained, the slope is −{p} ± {EXPONENT.value:g} at T ∈ {{{', '.join(f'{T:g}' for T in HORIZONS)}}} "
            f"(so the sweep could see a slower decay); (numeric) the inequality of the source's proof for this gap, with "
            f"its constants measured on the trajectories, holds at every saved T ≤ {T_MAX:g}, α ∈ {{1, …, 1000}} and init."
            f"{extra} {SETTING}")


def _claim(q: int, claim_id: str, statement: str, latex: str) -> Claim:
    return Claim(
        id=claim_id, group="chizat", source=Source(SEED, SECTION), statement=statement, latex=latex,
        reading=_reading(q),
        checks=(_paired(q, "antisymmetric", (HORIZON,), bound=True),
                _paired(q, "centred", HORIZONS, bound=False),
                _bound_check(q)))


CLAIMS: tuple[Claim, ...] = (
    _claim(0, "chizat.parameter-drift", "sup_{t≤T} ‖w_α(t)−w₀‖ = O(1/α).",
           r"\sup_{t\in[0,T]}\|w_\alpha(t)-w_0\|=\mathcal{O}(1/\alpha)"),
    _claim(1, "chizat.parameter-gap", "sup_{t≤T} ‖w_α(t)−w̄_α(t)‖ = O(1/α²).",
           r"\sup_{t\in[0,T]}\|w_\alpha(t)-\bar{w}_\alpha(t)\|=\mathcal{O}(1/\alpha^2)"),
    _claim(2, "chizat.output-gap", "sup_{t≤T} ‖α h(w_α(t)) − α h̄(w̄_α(t))‖ = O(1/α).",
           r"\sup_{t\in[0,T]}\|\alpha h(w_\alpha(t))-\alpha\bar{h}(\bar{w}_\alpha(t))\|=\mathcal{O}(1/\alpha)"),
)
