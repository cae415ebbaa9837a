"""lin.* — linearisation, the empirical tangent kernel, Assumption 11.12 and Theorem 11.13 (seeds 001, 002),
measured on the one-hidden-layer network of verify/models/shallow.py (σ = tanh, LeCun init, 𝒟 normal) and
on the GD data of the shallow group (m = 5 points on S¹⁵, N(0,1) targets).

Every numeric check is a `table`: a measurement of verify/observables/lin.py gives named quantities at one setting
(a width, an initialisation), and each `Row` compares one of them with a named tolerance or bound. To add a
comparison, add a row; to add a claim, copy one and point it at a measurement."""
from __future__ import annotations

import functools
import math
from typing import Callable

import numpy as np

from derive import lin as theory
from verify._jax import key_for
from verify._model import Claim, Comparison, Figure, PerProfile, Source, View
from verify.checks import Exact, RareFailure, Row, Series, at_least, at_most, derived, outputs, table
from verify.observables import lin as obs
from verify.observables.shallow import STEP_FRACTION
from verify.tolerances import GD_CONVERGED, GD_FAILURE_RATE, ROUNDOFF, Tol

SEED001 = "seeds/001_8aae95eabe5c2c01.txt"
SEED002 = "seeds/002_07770a90afc9a79e.txt"

# ---- tolerances of the group ------------------------------------------------------------------------------------

GD_LIMIT = Tol(1e-10, "relative to ‖p_∞ − w₀‖: κ(K_n) ≤ 20 here, so pinv and 3000 GD steps at h = 0.95/(λ_min+λ_max) "
                      "reach ~1e-14 (measured 5e-15); 1e-10 leaves x1e4, and a missing w₀ term is off by O(1)")
TANGENT_ORDER = Tol(0.1, "on the log-log slope of |Φ(w₀+td) − Φ^lin(w₀+td)| between t = 0.1 and 0.01: 2 for a first-order "
                         "model (the t³ term shifts it by O(t)); a zeroth- or wrong first-order model gives ≤ 1")
ABOVE_ROUNDOFF = Tol(1e-8, "a difference 'far more than round-off': 1e4 × ROUNDOFF, relative")
ORDINARY = Tol(1e-9, "relative, float64 sums of O(P) products whose terms are ≤ 100x the result (δ form of f_lin); "
                     "ROUNDOFF × 1e3 for the cancellation")

# ---- settings ------------------------------------------------------------------------------------------------------

M = obs.M_POINTS
FIRST_ORDER_WIDTHS, DELTA_WIDTHS, DEPENDS_WIDTHS = (8, 64), (8, 256), (16, 256, 4096)
DELTA_SIZES = ((2, 3), (3, 4))  # (m, P) of the SymPy proof with generic gradient vectors
LIMIT_INITS = ((16, 0), (64, 0), (64, 1))  # (width, init): two inits at n = 64 show the w₀ term moving
LIMIT_STEPS = 3000
TEST_INPUTS = 3  # off-data inputs at which the limit's predictions are compared
LIN_STEP_FRACTION = 0.95  # h = 0.95/(λ_min+λ_max) < 1/(λ_min+λ_max), as Theorem 11.13 asks
LIN_WIDTHS = (64, 1024)
SAMPLE_COUNT = PerProfile(6, 12, 24)  # points of the sphere of radius r sampled for U and L
SAMPLED_WIDTHS = {"stated": PerProfile((64, 1024), (64, 1024, 4096), (64, 1024, 4096, 16384)),
                  # the corrected r admits a certified U only from n ≈ 4096 on (below, U ≥ U_cert(r(U)) has no root)
                  "corrected": PerProfile((4096,), (4096, 16384), (4096, 16384, 65536))}
SWEEP_WIDTHS = PerProfile(tuple(4**k for k in range(2, 10)), tuple(4**k for k in range(2, 10)),
                          tuple(4**k for k in range(2, 11)))
SWEEP_SEEDS = PerProfile(3, 5, 10)
GD_FIG_WIDTHS = (4, 16, 64, 256, 1024)
GD_FIG_RUNS = PerProfile(8, 16, 32)
NO_CERTIFICATE = 1e-6  # plotted margin where no certified (U, r) exists (log axis)
THEOREM_WIDTHS = PerProfile((64, 256, 1024), (64, 256, 1024, 4096), (64, 256, 1024, 4096, 16384))
THEOREM_RUNS = PerProfile(8, 16, 32)
THEOREM_STEPS = OVERPARAM_STEPS = GD_FIG_STEPS = 500
OVERPARAM_WIDTHS = PerProfile((32, 64, 256), (32, 64, 256, 1024), (32, 64, 256, 1024, 4096))


def _e(x: float) -> str:
    """1e-08 → 1e-8: a tolerance as the reading states it."""
    return f"{x:g}".replace("e-0", "e-")


def _n(widths) -> str:
    return ", ".join(map(str, widths))


def sympy_check(name: str, results: Callable[[], list], reference: str) -> Exact:
    """A check of derive/lin.py's SymPy results (`results` is a thunk: SymPy works when the check runs)."""
    return Exact(name, View.SYMBOLIC, lambda ctx: derived(results(), reference))


# ---- lin.first-order-model ---------------------------------------------------------------------------------------

FIRST_ORDER = Claim(
    id="lin.first-order-model", group="lin", source=Source(SEED001, "Linearização do Modelo (p. 145)"),
    statement="Φ^lin(x,w) = Φ(x,w₀)+∇_wΦ(x,w₀)ᵀ(w−w₀); minimizing the square loss of Φ^lin is least-squares "
              "regression with feature map φ(x)=∇_wΦ(x,w₀); its kernel is K_n.",
    latex=r"\Phi^{lin}(x,w):=\Phi(x,w_0)+\nabla_w\Phi(x,w_0)^T(w-w_0),\quad "
          r"K_n(x,x')=(\nabla_w\Phi(x,w_0),\nabla_w\Phi(x',w_0))",
    reading="SymPy (shallow net, σ generic): Φ^lin(x,w₀)=Φ(x,w₀) and ∇_wΦ^lin ≡ ∇_wΦ(x,w₀) (the tangent); "
            "Σᵢ(Φ^lin(xᵢ,w)−yᵢ)² = ‖Jw−ỹ‖² with J's rows φ(xᵢ) and ỹ = y−Φ(X,w₀)+Jw₀ (ordinary least squares); "
            f"⟨φ(x),φ(z)⟩ equals the block formula of K_n. Float64 on LeCun inits (n={_n(FIRST_ORDER_WIDTHS)}; tanh; "
            f"the GD data): the structured feature rows equal jax.jacrev and JJᵀ equals shallow.ntk_matrix (to "
            f"{_e(ROUNDOFF.value)} relative), |Φ−Φ^lin| is O(t²) along a random direction (slope 2 ± {TANGENT_ORDER:g}), "
            f"and f_lin(w) = ‖Jw−ỹ‖² at a random w (to {_e(ORDINARY.value)} relative).",
    checks=(sympy_check("SymPy: tangent, least squares, kernel", lambda: theory.check_first_order(2, 2, 2),
                        "SymPy, shallow network with generic σ (n=2, d=2, m=2)"),
            table("float64 on LeCun inits",
                  lambda ctx, n: obs.first_order(obs.init(ctx.key("first-order", n), n), ctx.rng("dir", n)),
                  FIRST_ORDER_WIDTHS, (
                      Row("n={n}: feature rows ∇_wΦ(xᵢ,w₀) (structured) vs jax.jacrev, max rel. error",
                          "jacobian error", "=", ROUNDOFF, "JAX autodiff of Φ"),
                      Row("n={n}: JJᵀ (features' Gram) vs K_n (block formula), max rel. error", "gram error", "=",
                          ROUNDOFF, "shallow.ntk_matrix"),
                      Row("n={n}: order of |Φ − Φ^lin| along w₀ + t·d (log-log slope, t = 0.1 → 0.01)",
                          "taylor order", "=", TANGENT_ORDER, "Taylor: a first-order model errs by O(t²)",
                          expected=2.0, detail=("gaps",)),
                      Row("n={n}: f_lin(w) = ‖Jw − ỹ‖² (least squares, features ∇_wΦ(xᵢ,w₀)), rel. error",
                          "least squares error", "=", ORDINARY, "ordinary least squares with design matrix J")))),
)

# ---- lin.delta-identity ------------------------------------------------------------------------------------------

DELTA = Claim(
    id="lin.delta-identity", group="lin", source=Source(SEED002, "Conceitos Fundamentais (δᵢ, f_lin)"),
    statement="with δᵢ := Φ(xᵢ,w₀) − ∇_wΦ(xᵢ,w₀)ᵀw₀ − yᵢ: f_lin(w) = Σᵢ(Φ^lin(xᵢ,w)−yᵢ)² = "
              "Σᵢ(⟨∇_wΦ(xᵢ,w₀), w⟩ + δᵢ)².",
    latex=r"\delta_i:=\Phi(x_i,w_0)-\nabla_w\Phi(x_i,w_0)^Tw_0-y_i,\quad f_{lin}(w)=\sum_i(\Phi_{lin}(x_i,w)-y_i)^2"
          r"=\sum_i(\langle\nabla_w\Phi(x_i,w_0),w\rangle+\delta_i)^2",
    reading="SymPy proves the identity with free symbols for the gradient vectors ("
            f"{' and '.join(f'm={m}, P={P}' for m, P in DELTA_SIZES)}): it uses "
            f"no property of Φ. Float64 on LeCun inits (n={_n(DELTA_WIDTHS)}): both sides at a random w agree to "
            f"{_e(ORDINARY.value)} relative to Σ(|⟨∇Φ,w⟩|+|δᵢ|)² (the scale of the cancellation).",
    checks=(sympy_check("SymPy with generic gradient vectors",
                        lambda: [theory.check_delta_identity(m, P) for m, P in DELTA_SIZES],
                        "SymPy expansion with free symbols for ∇_wΦ(xᵢ,w₀), Φ(xᵢ,w₀), yᵢ, w, w₀"),
            table("float64 on LeCun inits",
                  lambda ctx, n: obs.delta_identity(obs.init(ctx.key("delta", n), n), ctx.rng("w", n)),
                  DELTA_WIDTHS, (
                      Row("n={n}: Σᵢ(Φ^lin(xᵢ,w)−yᵢ)² − Σᵢ(⟨∇Φ(xᵢ,w₀),w⟩+δᵢ)², relative to Σ(|⟨∇Φ,w⟩|+|δᵢ|)²",
                          "gap", "=", ORDINARY, "Φ^lin through shallow.linearized; the δ form through the "
                          "materialised J", detail=("scale",)),))),
)

# ---- lin.kernel-depends-on-w0 ------------------------------------------------------------------------------------


def _concentration(seen: dict) -> list[Comparison]:
    rel = {n: q["change"] for (n,), q in seen.items()}
    lo, hi = min(rel), max(rel)
    return [at_most("log-log slope of that relative difference in n (concentration, reported)",
                    obs.loglog_slope(rel[hi], rel[lo], hi / lo), 0.0,
                    "K_n/n concentrates (shallow.ntk-limit.corrected): the dependence on w₀ fades relative to K_n",
                    values=rel)]


DEPENDS = Claim(
    id="lin.kernel-depends-on-w0", group="lin", source=Source(SEED001, "Linearização do Modelo (p. 145)"),
    statement="the empirical tangent kernel depends on the choice of w₀.",
    latex=r"K_n(x,x')=(\nabla_w\Phi(x,w_0),\nabla_w\Phi(x',w_0))\ \text{depends on}\ w_0",
    reading="Operationally: the map w₀ ↦ (K_n(xᵢ,xⱼ))ᵢⱼ is not constant. SymPy: ∂K_n(x,x)/∂v₁ = 2v₁σ'(h₁)²(‖x‖²+1) "
            f"≢ 0 for the shallow net (σ generic). Float64: for two independent LeCun draws w₀, w₀' (n = "
            f"{_n(DEPENDS_WIDTHS)}; tanh; the GD data) the kernel matrices differ by ≥ {_e(ABOVE_ROUNDOFF.value)} relative "
            f"({_e(ABOVE_ROUNDOFF.value / ROUNDOFF.value)} × round-off). Reported beside it: the relative difference "
            "shrinks with n (slope ≤ 0), since K_n/n concentrates.",
    checks=(sympy_check("SymPy: ∂K_n/∂w₀ ≢ 0", lambda: [theory.check_kernel_depends(2, 2)],
                        "SymPy derivative of ⟨∇Φ(x,w),∇Φ(x,w)⟩ in v₁, σ generic"),
            table("two initialisations",
                  lambda ctx, n: {"change": obs.kernel_change(*(obs.init(ctx.key("w0", n, j), n) for j in range(2)))},
                  DEPENDS_WIDTHS, (
                      Row("n={n}: ‖K_n(w₀) − K_n(w₀')‖_F/‖K_n(w₀)‖_F for two LeCun draws", "change", "≥",
                          ABOVE_ROUNDOFF, "'depends on w₀': the difference exceeds round-off by ≥ 1e4"),),
                  then=_concentration)),
)

# ---- lin.gd-kernel-least-squares ---------------------------------------------------------------------------------


def _test_inputs(ctx) -> np.ndarray:
    return ctx.rng("test").normal(size=(TEST_INPUTS, obs.D_IN))  # off the data


def _w0_moves_the_limit(seen: dict) -> list[Comparison]:
    a, b = (seen[s] for s in LIMIT_INITS[-2:])  # two inits at one width
    return [at_least(f"n={a['n']}: max |Φ^lin(x*,p_∞(w₀)) − Φ^lin(x*,p_∞(w₀'))| over test inputs (two inits, same data)",
                     np.abs(a["pred"] - b["pred"]).max(), ABOVE_ROUNDOFF.value,
                     "changing w₀ changes the limit's predictions off the data (its w₀ term)",
                     w0_term_difference=float(np.abs(a["w0 term"] - b["w0 term"]).max()))]


GD_KLS = Claim(
    id="lin.gd-kernel-least-squares", group="lin", source=Source(SEED002, "Conceitos Fundamentais (último parágrafo)"),
    statement="training Φ^lin by gradient descent yields the least-squares estimator with kernel K_n plus a term "
              "depending on w₀.",
    latex=r"p_\infty=w_0+J^+(y-\Phi(X,w_0)),\quad \Phi^{lin}(x,p_\infty)=K_n(x,X)K_n^{-1}(y-\Phi(X,w_0))+\Phi(x,w_0)",
    reading="Derived limit (J = ∇_wΦ(X,w₀), m×P, full row rank): GD on f_lin from p₀=w₀ never moves the part of "
            "p−w₀ orthogonal to the rows of J, and converges to p_∞ = w₀ + J⁺(y−Φ(X,w₀)) = J⁺(−δ) + (I−J⁺J)w₀: "
            "the minimum-norm least-squares solution plus w₀'s component orthogonal to the features. Its predictions "
            "are Φ^lin(x,p_∞) = K_n(x,X)K_n⁻¹(y−Φ(X,w₀)) + Φ(x,w₀): kernel least squares with K_n on the residual "
            f"targets, plus the initial network (the w₀ term). Checked: {LIMIT_STEPS} GD steps (h = "
            f"{LIN_STEP_FRACTION:g}/(λ_min+λ_max)) equal p_∞ to {_e(GD_LIMIT.value)} relative (n="
            f"{_n(sorted({n for n, _ in LIMIT_INITS}))}; two inits), so do the predictions at {TEST_INPUTS} test "
            "inputs; the w₀ term is a non-zero share of the limit, and a second w₀ changes the predictions.",
    checks=(table(
        "GD limit vs closed form",
        lambda ctx, n, j: obs.gd_limit(obs.init(ctx.key("ls", n, j), n), _test_inputs(ctx), LIMIT_STEPS),
        LIMIT_INITS, (
            Row("n={n}, init {j}: ‖p_T − p_∞‖/‖p_∞ − w₀‖, p_∞ = w₀ + J⁺(y − Φ(X,w₀))", "limit distance", "=", GD_LIMIT,
                "closed form (pinv)", detail=("steps", "f_lin_T")),
            Row("n={n}, init {j}: Φ^lin(x*,p_T) vs K_n(x*,X)K_n⁻¹(y−Φ(X,w₀)) + Φ(x*,w₀), max abs. error",
                "prediction error", "=", GD_LIMIT, "kernel least squares with K_n plus the w₀ term",
                scale="prediction scale"),
            Row("n={n}, init {j}: ‖p_T − J⁺(−δ) − (I−J⁺J)w₀‖/‖p_T‖", "split error", "=", GD_LIMIT,
                "min-norm least squares plus w₀'s part orthogonal to the features"),
            Row("n={n}, init {j}: ‖(I−J⁺J)w₀‖/‖p_T‖ (the w₀ term's share of the limit)", "w0 share", "≥",
                ABOVE_ROUNDOFF, "the w₀ term is present: the min-norm solution alone misses it")),
        then=_w0_moves_the_limit),),
)

# ---- lin.assumption-11-12 ----------------------------------------------------------------------------------------

CONSTANTS = tuple(obs.Constants.__dataclass_fields__)


def _constants(rule: str):
    def measure(ctx, n):
        c = obs.constants(ctx.key("constants", rule, n), n, rule, SAMPLE_COUNT(ctx.profile))
        return {**c.as_dict(), "regular": c.lam_min / c.lam_max, "U exists": 0.0,
                "U gap": c.U_cert - c.U_sampled, "L gap": c.L_cert - c.L_sampled, "margin": c.rhs(1) / c.L_cert,
                "best margin": c.lam_min / (12 * M**1.5 * c.U0**2 * math.sqrt(c.f0)) / c.L_local}

    return measure


REGULAR = Row("n={n}: (a) λ_min/λ_max of (K_n(xᵢ,xⱼ)) (regular, 0 < λ_min < λ_max)", "regular", "≥", ABOVE_ROUNDOFF,
              "eigvalsh of the 5×5 kernel matrix", detail=("lam_min", "lam_max"))
NO_ROOT = Row("n={n}: certified U exists for r = r(U) ({rule})", "U exists", "≥", 1.0,
              "U = U_cert(r(U)) has no solution: the ball grows faster than the bound", detail=CONSTANTS)
BOUNDS = (Row("n={n}: (b) U certified − U sampled on B_r(w₀), r={r:.4g}", "U gap", "≥", 0.0,
              "analytic bound ≥ max over sampled points (a lower bound)", detail=CONSTANTS),
          Row("n={n}: (c) L certified − L sampled on B_r(w₀)", "L gap", "≥", 0.0,
              "analytic bound ≥ max ratio over sampled pairs and the top-curvature pair", detail=CONSTANTS))
AS_STATED = (Row("n={n}: (d) margin λ_min/(12m^(3/2)U²√f(w₀)) / L, certified U, L", "margin", "≥", 1.0,
                 "(d) holds iff the margin exceeds 1", detail=CONSTANTS),
             Row("n={n}: (d) best case: λ_min/(12m^(3/2)U₀²√f(w₀)) / ‖H(w₀)d‖", "best margin", "≥", 1.0,
                 "U₀ = maxᵢ‖∇Φ(xᵢ,w₀)‖ ≤ any admissible U and ‖H(w₀)d‖ ≤ L on a ball of any radius: margin < 1 here "
                 "means no admissible (U, L, r) satisfies (d)", detail=("U0", "L_local")))


def _constant_rows(q: dict) -> tuple[Row, ...]:
    if not math.isfinite(q["U_cert"]):
        return REGULAR, NO_ROOT
    return (REGULAR, *BOUNDS, *(AS_STATED if q["rule"] == "stated" else ()))


@functools.lru_cache(maxsize=None)
def _gd_share(seed: int, runs: int) -> dict:
    """Share of network GD runs reaching f ≤ GD_CONVERGED·f(w₀), per width of the figure (both sweeps draw it)."""
    ratio = outputs("lin.network_gd", ("f(w_T)/f(w₀)",), steps=GD_FIG_STEPS)
    return {n: float(np.mean(ratio(key_for(seed, "lin.gd-figure", n), n, runs)[:, 0] <= GD_CONVERGED.value))
            for n in GD_FIG_WIDTHS}


def _sweep(rule):
    """(d)'s certified margin over a width sweep (worst over seeds), beside the widths at which GD converges."""
    def compute(ctx):
        widths, seeds = SWEEP_WIDTHS(ctx.profile), SWEEP_SEEDS(ctx.profile)
        worst = obs.worst_margins([ctx.key("sweep", n) for n in widths], widths, rule, seeds)
        share = _gd_share(ctx.seed, GD_FIG_RUNS(ctx.profile))
        n_star = obs.holds_from(widths, worst > 1.0)  # from here on every seed is certified
        gd_from = obs.holds_from(GD_FIG_WIDTHS, [share[n] == 1.0 for n in GD_FIG_WIDTHS])
        label = "as stated (λ_min)" if rule == "stated" else "corrected (λ_min², r = 2√m U√f/λ_min)"
        table_ = {"widths": list(widths), "worst margin over seeds": worst.tolist(),
                  "smallest certified width": n_star, "GD widths": list(GD_FIG_WIDTHS),
                  "GD converged share": [share[n] for n in GD_FIG_WIDTHS], "GD converges from width": gd_from}
        slope = float(np.polyfit(np.log(widths[-4:]), np.log(np.maximum(worst[-4:], 1e-300)), 1)[0])
        out = [at_least(f"(d) {label}: worst certified margin over {seeds} seeds at the widest width n={widths[-1]}",
                        worst[-1], 1.0, "certified U, L (analytic bounds); margin > 1 ⇔ (d) certified",
                        table=table_, margin_log_slope_in_n=slope,
                        scaling=f"loss f = Σᵢ(Φ−yᵢ)² unscaled (a sum over m={M} points); no step enters (a)–(d); "
                                f"GD uses h = {STEP_FRACTION:g}/(λ_min+λ_max) of K_n(w₀), i.e. h ∝ 1/n")]
        ys = np.maximum(np.where(np.isfinite(worst), worst, 0.0), NO_CERTIFICATE)
        return out, [
            Figure("curves", f"Assumption 11.12(d) {label}: worst certified margin over seeds "
                             f"(≥ 1 certifies; {NO_CERTIFICATE:g} = no U with U ≥ U_cert(r(U)))", {
                       "x": list(widths),
                       "curves": {"λ-side of (d) / L_cert": ys.tolist(), "threshold 1": [1.0] * len(widths)},
                       "xlabel": "width n", "ylabel": "margin", "logx": True, "logy": True, "table": table_}),
            Figure("curves", f"GD on the network (h = {STEP_FRACTION:g}/(λ_min+λ_max), T = {GD_FIG_STEPS}): share of "
                             f"runs reaching f ≤ {_e(GD_CONVERGED.value)}·f(w₀)", {
                       "x": list(GD_FIG_WIDTHS), "curves": {"converged share": [share[n] for n in GD_FIG_WIDTHS]},
                       "xlabel": "width n", "ylabel": "share", "logx": True})]

    return compute


def _assumption_checks(rule: str) -> dict:
    return {"constants": table("constants: sampled vs certified", _constants(rule), SAMPLED_WIDTHS[rule],
                               _constant_rows),
            "sweep": Exact("width sweep of (d)", View.NUMERIC, _sweep(rule)),
            "symbolic": sympy_check("SymPy: what (d) must give the proof",
                                    lambda: [r for r in theory.check_constants() if rule in r.name],
                                    "SymPy: the proof step 2mULr ≤ λ_min/3 and invariance under w = s·w'")}


STATED, CORRECTED = _assumption_checks("stated"), _assumption_checks("corrected")
SWEEP_TEXT = (f"Width sweep n = {SWEEP_WIDTHS.quick[0]}…{SWEEP_WIDTHS.quick[-1]} ({SWEEP_SEEDS.quick} seeds, "
              "quick)")

ASSUMPTION = Claim(
    id="lin.assumption-11-12", group="lin", source=Source(SEED001, "Assumption 11.12 (pp. 146–147)"),
    statement="(a) the kernel matrix (K_n(xᵢ,xⱼ)) is regular with eigenvalues in [λ_min, λ_max], 0<λ_min<λ_max<∞; "
              "(b) ‖∇_wΦ(xᵢ,w)‖ ≤ U for w ∈ B_r(w₀); (c) ‖∇_wΦ(xᵢ,w)−∇_wΦ(xᵢ,v)‖ ≤ L‖w−v‖ on B_r(w₀); (d) L < "
              "λ_min / (12 m^{3/2} U² √f(w₀)) and r = 2√f(w₀) / (√m U). Report the measured constants and, for the "
              "shallow net, from which width on (a)–(d) hold.",
    latex=r"L<\frac{\lambda_{min}}{12m^{3/2}U^2\sqrt{f(w_0)}},\quad r=\frac{2\sqrt{f(w_0)}}{\sqrt m U}",
    reading=f"Shallow net, σ = tanh, LeCun init (𝒟 normal), the GD data (m={M}, d={obs.D_IN}), f(w₀) = "
            "Σᵢ(Φ(xᵢ,w₀)−yᵢ)² (unscaled sum). (a) eigvalsh of (K_n(xᵢ,xⱼ)) at w₀. U is the smallest U with U ≥ "
            "U_cert(r(U)), U_cert the analytic bound of verify/observables/lin.py (|σ|,|σ'| ≤ 1, |σ''| ≤ 4/(3√3)); "
            "L = L_cert(r) likewise. Sampled lower bounds: max ‖∇Φ‖ over w₀ and points of the sphere of radius r, "
            "max gradient-difference ratio over their pairs and along the top Hessian direction at w₀ (power "
            f"iteration), at n = {_n(SAMPLED_WIDTHS['stated'].quick)} (quick). (b), (c): certified ≥ sampled. (d) as "
            "stated with the certified constants, and in the best case (U₀ = maxᵢ‖∇Φ(xᵢ,w₀)‖ and L ≥ ‖H(w₀)d‖, both "
            f"lower bounds of any admissible choice). {SWEEP_TEXT}: the smallest width from which (d) is certified. "
            "PASS needs (a)–(d) at the widest width.",
    checks=(STATED["constants"], STATED["sweep"], STATED["symbolic"]),
    note="(d) as stated fails at every width, and cannot be met by any admissible constants: under LeCun "
         "initialisation λ_min and U² both grow like n, L stays O(1) (the mixed ∂²Φ/∂vᵢ∂Uᵢ = σ'(hᵢ)xᵀ does not "
         "shrink), so the right-hand side λ_min/(12m^{3/2}U²√f) is width-independent (~1e-3) while L ≈ 1.4. The "
         "stated constants are also not invariant under w = s·w' (SymPy), and do not close the proof step "
         "2mULr ≤ λ_min/3. See lin.assumption-11-12.corrected (λ_min², r = 2√m U√f(w₀)/λ_min).",
)

ASSUMPTION_CORRECTED = Claim(
    id="lin.assumption-11-12.corrected", group="lin", source=Source(SEED001, "Assumption 11.12 (corrected)"),
    statement="(a)–(c) as stated; (d) L ≤ λ_min² / (12 m^{3/2} U² √f(w₀)) and r = 2√m U √f(w₀) / λ_min. For the "
              "shallow net under LeCun initialisation, (a)–(d) are certified from some width on.",
    latex=r"L\le\frac{\lambda_{min}^2}{12m^{3/2}U^2\sqrt{f(w_0)}},\quad r=\frac{2\sqrt m\,U\sqrt{f(w_0)}}{\lambda_{min}}",
    reading="SymPy: with these constants the proof step 2mULr equals λ_min/3 and (d) is invariant under w = s·w'. "
            "Same network, data, bounds and sampling as lin.assumption-11-12 with r = 2√m U√f(w₀)/λ_min (U, r again "
            "a fixed point; at small widths none exists; sampled vs certified at n = "
            f"{_n(SAMPLED_WIDTHS['corrected'].quick)}, quick). {SWEEP_TEXT}: the worst certified margin "
            "λ_min²/(12m^{3/2}U²√f)/L_cert must exceed 1 at the widest width; the smallest width from which every "
            "seed is certified is reported (table and figure, beside the widths at which GD actually converges).",
    checks=(CORRECTED["symbolic"], CORRECTED["constants"], CORRECTED["sweep"]),
    corrects="lin.assumption-11-12",
    note="λ_min² makes (d) scale-consistent and its right-hand side grow like n (λ_min²/U² ∝ n) while L_cert → "
         "O(1): the certificate exists from a (large) width on. The r of the proof (‖w_k−w₀‖ ≤ Σ h‖∇f‖ ≤ "
         "2√m U√f/λ_min) replaces the stated 2√f/(√m U), which GD on Φ^lin already leaves (lin.theorem-11-13).",
)

# ---- lin.theorem-11-13 -------------------------------------------------------------------------------------------


def on_linear(rule: str, frac: float = LIN_STEP_FRACTION) -> Exact:
    """Theorem 11.13's conclusions on Φ^lin, where Assumption 11.12 (by `rule`) holds exactly; `frac` > 1 breaks
    the step condition (tests use it)."""
    return table(
        "on Φ^lin (hypotheses hold)",
        lambda ctx, n: {**obs.gd_on_linear(obs.init(ctx.key("thm-lin", n), n), rule, frac, LIMIT_STEPS),
                        "rule": rule, "steps": LIMIT_STEPS, "frac": frac},
        LIN_WIDTHS, (
            Row("n={n}, Φ^lin: Assumption 11.12 ({rule}) holds: λ_min^{power}/(12m^(3/2)U²√f) − L, L = 0", "rhs", "≥",
                ABOVE_ROUNDOFF, "Φ^lin is linear in w: L = 0 exactly", detail=("lam_min", "lam_max", "U", "f0")),
            Row("n={n}, Φ^lin: f(p_T)/f(w₀) after {steps} steps, h = {frac:g}/(λ_min+λ_max)", "loss ratio", "≤",
                GD_CONVERGED, "global minimum value 0 (m < P, K_n regular)"),
            Row("n={n}, Φ^lin: observed rate / (1 − hλ_min)²", "rate ratio", "≤", 1.0,
                "the per-step factor of the proof (kernel ≥ λ_min/2 on the ball); source states no rate",
                detail=("observed", "linear_theory")),
            Row("n={n}, Φ^lin: sup_k ‖p_k − w₀‖ / r, r = {r:.4g} ({rule})", "drift ratio", "≤", 1.0,
                "the iterates stay in B_r(w₀)", detail=("drift", "r"))))


NETWORK_RUN = ("f(w_T)/f(w₀)", "observed rate", "(1 − hλ_min)²", "sup_k‖w_k − w₀‖", "r stated (U₀)",
               "r corrected (U₀)", "λ_min", "λ_max", "h")


def _network_runs(ctx, n) -> dict:
    runs = THEOREM_RUNS(ctx.profile)
    r = dict(zip(NETWORK_RUN, outputs("lin.network_gd", NETWORK_RUN, steps=THEOREM_STEPS)(
        key_for(ctx.seed, "lin.gd-network", n), n, runs).T))
    rate = r["observed rate"] / r["(1 − hλ_min)²"]
    return {"runs": runs, "steps": THEOREM_STEPS, "ratio": r["f(w_T)/f(w₀)"].max(), "rate": rate.max(),
            "drift": (r["sup_k‖w_k − w₀‖"] / r["r corrected (U₀)"]).max(),
            "h_times_lam_sum": float((r["h"] * (r["λ_min"] + r["λ_max"])).max()),
            "observed": r["observed rate"].tolist(), "bound": r["(1 − hλ_min)²"].tolist(),
            "drift_over_r_stated": (r["sup_k‖w_k − w₀‖"] / r["r stated (U₀)"]).tolist()}


ON_NETWORK = table("on the network", _network_runs, THEOREM_WIDTHS, (
    Row("n={n}: max over {runs} runs of f(w_T)/f(w₀), T={steps}", "ratio", "≤", GD_CONVERGED,
        "global minimum value 0 (the net interpolates)", detail=("h_times_lam_sum",)),
    Row("n={n}: max over runs of observed rate / (1 − hλ_min)²", "rate", "≤", 1.0,
        "the proof's per-step factor; the source states no rate", detail=("observed", "bound")),
    Row("n={n}: max over runs of sup_k‖w_k − w₀‖ / r, r = 2√m U₀√f/λ_min (corrected, reported)", "drift", "≤", 1.0,
        "observed beyond the theorem: its hypotheses are not certified at this width", detail=("drift_over_r_stated",))))

THEOREM = Claim(
    id="lin.theorem-11-13", group="lin", source=Source(SEED001, "Theorem 11.13 (p. 148)"),
    statement="under Assumption 11.12, gradient descent with learning rate h < 1/(λ_min+λ_max) converges to a global "
              "minimizer (check every conclusion the theorem states).",
    latex=r"h<\frac{1}{\lambda_{min}+\lambda_{max}}\ \Rightarrow\ w_k\to\text{global minimizer},\ w_k\in B_r(w_0)",
    reading=f"Conclusions checked: (i) f(w_k) → 0 (read: ≤ {_e(GD_CONVERGED.value)}·f(w₀) after T steps; the minimum "
            f"value is 0 since m={M} < P and K_n is regular); (ii) a geometric rate no slower than (1 − hλ_min)² per "
            "step (the factor the kernel-regime proof gives; the source states no rate); (iii) the iterates stay in "
            f"B_r(w₀), r as in (d). First on Φ^lin of the shallow net (n={_n(LIN_WIDTHS)}), a model for which "
            "Assumption 11.12 as stated holds exactly (L = 0, U = maxᵢ‖∇Φ(xᵢ,w₀)‖), with h = "
            f"{LIN_STEP_FRACTION:g}/(λ_min+λ_max); then on the network itself (n = {_n(THEOREM_WIDTHS.quick)}; "
            f"{THEOREM_RUNS.quick} runs each, quick; h = {STEP_FRACTION:g}/(λ_min+λ_max)), where the hypotheses are "
            "not certified (lin.assumption-11-12) and (i), (ii) are observed beyond the theorem.",
    checks=(on_linear("stated"), ON_NETWORK),
    note="Conclusion (iii) fails as stated: on Φ^lin, where Assumption 11.12 holds exactly, GD leaves B_r(w₀) for "
         "r = 2√f(w₀)/(√m U) (the minimum-norm displacement √(r₀ᵀK⁻¹r₀) exceeds it). (i) and (ii) hold. On the "
         "network, (i) and (ii) are observed at every width although the stated hypotheses never hold: the theorem "
         "is far weaker than what is observed. See lin.theorem-11-13.corrected.",
)

THEOREM_CORRECTED = Claim(
    id="lin.theorem-11-13.corrected", group="lin", source=Source(SEED001, "Theorem 11.13 (corrected)"),
    statement="under Assumption 11.12 with (d) L ≤ λ_min²/(12m^{3/2}U²√f(w₀)), r = 2√m U√f(w₀)/λ_min, gradient "
              "descent with h < 1/(λ_min+λ_max) converges to a global minimizer at a geometric rate and stays in "
              "B_r(w₀).",
    latex=r"r=\frac{2\sqrt m\,U\sqrt{f(w_0)}}{\lambda_{min}}:\ f(w_k)\to0\ \text{geometrically},\ w_k\in B_r(w_0)",
    reading=f"As lin.theorem-11-13 with the corrected r, on Φ^lin of the shallow net (n={_n(LIN_WIDTHS)}), where the "
            "corrected Assumption holds exactly (L = 0): (i)–(iii) must hold. The network's runs, with sup‖w_k−w₀‖ "
            "against the corrected r, are reported under lin.theorem-11-13.",
    checks=(on_linear("corrected"),),
    corrects="lin.theorem-11-13",
    note="The network is certified only from the width found by lin.assumption-11-12.corrected (262144 in the quick "
         "sweep); GD on the network is run below that width (lin.theorem-11-13), where convergence is observed, not "
         "implied. Not checked: GD on the network at a certified width (P ≈ 4.7e6; beyond the quick budget).",
)

# ---- lin.overparam-global-min ------------------------------------------------------------------------------------


def _not_converged(ratio: np.ndarray) -> np.ndarray:
    """1.0 where a run did not reach f(w_T) ≤ GD_CONVERGED·f(w₀) (a diverged, non-finite run included)."""
    return (~(np.isfinite(ratio) & (ratio <= GD_CONVERGED.value))).astype(np.float64)


OVERPARAM = Claim(
    id="lin.overparam-global-min", group="lin", source=Source(SEED001, "Introdução; Convergência para Minimizadores Globais"),
    statement="in strong overparametrization (width → ∞, m fixed) gradient descent finds global minimizers of the loss.",
    latex=r"n\to\infty,\ m\ \text{fixed}:\ w_k\to\operatorname{arg\,min} f",
    reading=f"m = {M} fixed (the GD data), widths n = {_n(OVERPARAM_WIDTHS.quick)} (P = 18n+1 from "
            f"{18 * OVERPARAM_WIDTHS.quick[0] + 1} to {18 * OVERPARAM_WIDTHS.quick[-1] + 1}), σ = tanh, LeCun init, "
            f"h = {STEP_FRACTION:g}/(λ_min+λ_max) of K_n(w₀), T = {OVERPARAM_STEPS} steps; 'finds a global minimizer' "
            f"is read as f(w_T) ≤ {_e(GD_CONVERGED.value)}·f(w₀) (minimum value 0). PASS: the failure rate across "
            f"seeds is ≤ {GD_FAILURE_RATE.value:.0%} at every width (Clopper–Pearson).",
    checks=(RareFailure("GD reaches the global minimum across seeds",
                        outputs("lin.network_gd", ("f(w_T)/f(w₀)",), _not_converged, steps=OVERPARAM_STEPS),
                        (Series(f"f(w_T) ≤ {_e(GD_CONVERGED.value)}·f(w₀)", 0.0, GD_FAILURE_RATE.value,
                                f"failure rate ≤ {GD_FAILURE_RATE.value:.0%}"),),
                        OVERPARAM_WIDTHS, PerProfile(120, 240, 480)),),
)

CLAIMS = (FIRST_ORDER, DELTA, DEPENDS, GD_KLS, ASSUMPTION, ASSUMPTION_CORRECTED, THEOREM, THEOREM_CORRECTED, OVERPARAM)
