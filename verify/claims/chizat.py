"""chizat.* — lazy training of F_α(w) = R(αh(w))/α², Chizat–Oyallon–Bach, seed 003 §5 (issue #6).

Theorem 5 of the source: if h(w₀) = 0, then for a fixed T, sup_{t≤T}‖w_α − w₀‖ = O(1/α),
sup_{t≤T}‖w_α − w̄_α‖ = O(1/α²), sup_{t≤T}‖αh(w_α) − αh̄(w̄_α)‖ = O(1/α). Each claim, checked two ways:

  Monte Carlo — each init's log-log slope of the sup-gap against α (PairedScalingLaw over the observable
                chizat.sup_gaps_paired): an O bound on the antisymmetric (doubled) net, a rate on the centred
                net h = f − f(w₀), a generic h on which the proof's rates are attained.
  numeric     — the proof's own inequalities (verify/models/chizat.py: proof_bound) with their constants
                measured on the solved trajectories, at every saved T, α and init.
"""
from __future__ import annotations

import numpy as np

from verify._model import Claim, Figure, PerProfile, Source, View
from verify.checks import Exact, PairedScalingLaw, Series, at_most, outputs
from verify.models.chizat import COLUMNS, DIM, N_POINTS, SOLVER_ATOL, SOLVER_RTOL, WIDTH as M, proof_bound
from verify.observables.chizat import (N_TIMES, PAIRED_ALPHAS as SOLVED, PAIRED_HORIZONS as HORIZONS, paired_output,
                                       times, trajectories)
from verify.tolerances import Tol

SEED = "seeds/003_cd9ed4f852a24b26.txt"
SECTION = "§5.2, Théorème 5"

# ---- tolerances and constants of the group ---------------------------------------------------------------------
EXPONENT = Tol(0.1, "on a log-log slope in α over two decades (10…1000): the candidate exponents −1, −2, −3 are 1 "
                    "apart; the finite-α curvature moves the mean slope by ≤ 0.02 at T ≤ 16 (measured; the local "
                    "slopes are in each comparison's detail). Single inits scatter by up to ±0.15 at T = 16 (the time "
                    "of the sup moves with α): the t interval across inits carries that")
PROOF_SLACK = Tol(1e-6, "relative, on measured/bound ≤ 1: the solver's global error is ≲ 1e-8 of the O(1) displacement "
                        "(tests); the gaps near t = 0 are tiny but so are the bounds, and the ratio is taken where the "
                        "bound exceeds 1e-12")
LIVE_BOUND = 1e-12  # bounds below this (t → 0) are not compared: both sides are round-off there
SMALL_ALPHA, ALPHAS = SOLVED[0], SOLVED[1:]  # α = 1 is solved for the trajectory figures only (not lazy)
HORIZON = 4.0  # T of the stated claim (the source fixes none): the loss has about halved by then (trajectory figures)
T_MAX = max(HORIZONS)  # the generic model's rates are judged at every T of HORIZONS (the theorem holds for each)
REPLICATES = PerProfile(20, 40, 80)  # inits per first look (one batch mean each below 40)
# The O bound on the antisymmetric net: one solve chunk (observables.chizat.CHUNK) instead of three.
# quick: seeds 0–4 decide at look 1 with ≥ 2× margin, session G
BOUND_REPLICATES = PerProfile(8, 40, 80)
BOUND_INITS = PerProfile(4, 8, 16)  # inits whose whole trajectories the proof-bound checks read
POWERS = (1, 2, 1)  # the stated exponent of 1/α of each gap
NAMES = ("sup_{t≤T}‖w_α(t) − w₀‖", "sup_{t≤T}‖w_α(t) − w̄_α(t)‖", "sup_{t≤T}‖αh(w_α(t)) − αh̄(w̄_α(t))‖")
INITS = ("antisymmetric", "centred")
DRAWS = "chizat"  # the keys' name instead of the claim id: the three claims bound three gaps of the same flows from
# the same inits, so they share one solve per look (memoised), with the same numbers whether a claim runs alone
SETTING = ("The flows: ẇ_α = −∇F_α(w_α) = −(1/α)Dh(w_α)ᵀ∇R(αh(w_α)) and w̄̇_α = −(1/α)Dh(w₀)ᵀ∇R(αh̄(w̄_α)) from "
           "w₀, time t unscaled (the source's proof: y = αh(w_α) obeys ẏ = −Dh Dhᵀ∇R(y), an O(1) time scale; its "
           "displayed ODE drops the factor −1/α that its proof uses), integrated by diffrax Dopri8 with a PID step "
           f"controller (rtol {SOLVER_RTOL:g}, atol {SOLVER_ATOL:g}) in u = α(w − w₀), sup over {N_TIMES} saved times of [0, {T_MAX:g}]. "
           f"Model: f(w)ᵢ = m^{{-1/2}}Σⱼ aⱼ tanh(⟨bⱼ, xᵢ⟩), m = {M}, {N_POINTS} fixed points xᵢ ∈ ℝ^{DIM}, "
           f"R(f) = ½‖f − y*‖². antisymmetric init (h(w₀) = 0 by the doubling trick, the issue's choice): neurons j and "
           f"j + {M // 2} share bⱼ ~ N(0, I₃) and carry output weights +aⱼ, −aⱼ, aⱼ ~ N(0, 1); centred init: {M} iid "
           "neurons and h = f − f(w₀). Randomness: the inits (the model is deterministic given w₀).")
_ODD_Q = (" On the antisymmetric net the measured slope is ≈ −2: the involution S(a, a', b, b') = (−a', −a, b', b) "
          "fixes w₀ and f∘S = −f, so D²h(w₀)[ū, ū] = 0 along the linear flow and the O(1/α) bound is not attained "
          "there; the centred net attains it.")


def _rate(p: int) -> str:
    return "1/α" if p == 1 else f"1/α^{p}"


def _paired(q: int, kind: str, horizons: tuple, bound: bool) -> PairedScalingLaw:
    p = POWERS[q]
    series = tuple(Series(f"{NAMES[q]}, {kind} init, T = {T:g}", -float(p), EXPONENT.value, f"O({_rate(p)})",
                          "Théorème 5 as stated" if bound else
                          "Théorème 5, attained for a generic h (D²h(w₀) ≠ 0 along the flow)") for T in horizons)
    # C order: the slope fit's BLAS product rounds a column-major selection differently in the last bit
    sample = outputs("chizat.sup_gaps_paired", [paired_output(q, T, a) for T in horizons for a in ALPHAS],
                     np.ascontiguousarray, init=kind, width=M)
    what = "bound on the antisymmetric net" if bound else "rate on the centred (generic) net"
    return PairedScalingLaw(f"{what}: slope in α", sample, series, ALPHAS, BOUND_REPLICATES if bound else REPLICATES,
                            variable="α", bound=bound, key_scope=DRAWS)


def _bound_check(q: int) -> Exact:
    p = POWERS[q]

    def compute(ctx):
        ts, alphas = times(T_MAX), np.asarray(SOLVED, dtype=np.float64)
        comps, figs = [], []
        runs = {kind: trajectories(ctx.key("proof-bounds", kind, scope=DRAWS), BOUND_INITS(ctx.profile), SOLVED, T_MAX, kind)
                for kind in INITS}
        for kind, g in runs.items():
            measured, bound = proof_bound(q, g, ts, alphas)
            live = bound > LIVE_BOUND
            ratio = np.where(live, measured / np.where(live, bound, 1.0), 0.0)
            worst = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
            comps.append(at_most(
                f"{NAMES[q]} / the proof's bound, max over {g.shape[0]} {kind} inits, α ∈ {{{', '.join(map(str, SOLVED))}}}, "
                f"T ≤ {T_MAX:g}", float(ratio.max()), 1.0,
                "the inequalities of the source's proof, constants measured on the solved trajectories",
                slack=PROOF_SLACK.value, floor=0.0, samples=int(g.shape[0]),  # a ratio of norms: never below 0
                worst_at={"init": int(worst[0]), "alpha": float(alphas[worst[1]]), "T": float(ts[worst[2]])},
                median_ratio_at_T=float(np.median(ratio[:, :, -1]))))
            big, keep, scale = -1, ts > 0, SOLVED[-1] ** p  # α = 1000: the constants α^p·sup-gap
            figs.append(Figure("curves", f"constant α^{p}·{NAMES[q]} over the horizon T ({kind} init, α = {SOLVED[big]})", {
                "x": ts[keep].tolist(),
                "curves": {"measured (median over inits)": np.median(measured[:, big, keep] * scale, axis=0).tolist(),
                           "measured (max over inits)": np.max(measured[:, big, keep] * scale, axis=0).tolist(),
                           "the proof's bound (median)": np.median(bound[:, big, keep] * scale, axis=0).tolist()},
                "xlabel": "horizon T", "ylabel": f"α^{p} × sup over t ≤ T", "logy": True}))
        g = runs["centred"]
        for j, alpha in ((0, SMALL_ALPHA), (len(SOLVED) - 1, SOLVED[-1])):
            figs.append(Figure("curves", f"trajectories at α = {alpha} (centred init 0): losses of both flows and the gap", {
                "x": ts.tolist(), "curves": {"R(αh(w_α(t)))": g[0, j, :, 3].tolist(),
                                             "R(αh̄(w̄_α(t)))": g[0, j, :, 4].tolist(),
                                             f"α^{p}·{COLUMNS[q]}": (g[0, j, :, q] * alpha ** p).tolist()},
                "xlabel": "t", "ylabel": "value"}))
        return comps, figs

    return Exact("the proof's bounds, constants measured on the trajectories", View.NUMERIC, compute,
                 note="the proof's inequalities hold along every flow; the curves show the measured constant and the "
                      "proof's constant over the horizon T")


def _claim(q: int, claim_id: str, statement: str, latex: str) -> Claim:
    p = POWERS[q]
    reading = (f"{NAMES[q]} = O({_rate(p)}) read as: (Monte Carlo) on the antisymmetric net at T = {HORIZON:g}, the "
               "mean over inits of each init's least-squares slope of log sup-gap against log α, α ∈ "
               f"{{{', '.join(map(str, ALPHAS))}}}, has its interval ≤ −{p} + {EXPONENT:g} (the O bound); on the "
               f"centred net, where the proof's rate is attained, the slope is −{p} ± {EXPONENT:g} at T ∈ "
               f"{{{', '.join(f'{T:g}' for T in HORIZONS)}}} (so the sweep could see a slower decay); (numeric) the "
               "inequality of the source's proof for this gap, with its constants measured on the trajectories, holds "
               f"(ratio ≤ 1 + {PROOF_SLACK:g}) at every saved T ≤ {T_MAX:g}, α ∈ {{{SOLVED[0]}, …, {SOLVED[-1]}}} "
               f"and init.{_ODD_Q if q == 2 else ''} {SETTING}")
    return Claim(id=claim_id, group="chizat", source=Source(SEED, SECTION), statement=statement, latex=latex,
                 reading=reading, checks=(_paired(q, "antisymmetric", (HORIZON,), bound=True),
                                          _paired(q, "centred", HORIZONS, bound=False), _bound_check(q)))


CLAIMS: tuple[Claim, ...] = (
    _claim(0, "chizat.parameter-drift", "sup_{t≤T} ‖w_α(t)−w₀‖ = O(1/α).",
           r"\sup_{t\in[0,T]}\|w_\alpha(t)-w_0\|=\mathcal{O}(1/\alpha)"),
    _claim(1, "chizat.parameter-gap", "sup_{t≤T} ‖w_α(t)−w̄_α(t)‖ = O(1/α²).",
           r"\sup_{t\in[0,T]}\|w_\alpha(t)-\bar{w}_\alpha(t)\|=\mathcal{O}(1/\alpha^2)"),
    _claim(2, "chizat.output-gap", "sup_{t≤T} ‖α h(w_α(t)) − α h̄(w̄_α(t))‖ = O(1/α).",
           r"\sup_{t\in[0,T]}\|\alpha h(w_\alpha(t))-\alpha\bar{h}(\bar{w}_\alpha(t))\|=\mathcal{O}(1/\alpha)"),
)
