"""randnet.* — random deep fully connected networks of seed 004 (issue #7).

Two halves: the infinite-width kernel recursion (this module) and the finite-width L/n corrections
(verify/claims/_randnet_finite.py); CLAIMS lists both in the catalogue's order; the tolerances of both are
verify/claims/_randnet_tols.py.

Kernel half. Three views: SymPy (derive/randnet_kernel.py: the ReLU and leaky-ReLU length maps, the tanh
series), mpmath (numeric/randnet.py: the recursion K⁽ℓ⁺¹⁾ = C_W E_{K⁽ℓ⁾}[σσ] by closed forms and by
quadrature), and Monte Carlo on width sweeps (verify/observables/randnet.py: the Gram path, exact in law; the
kernel entries and outputs read by name, ν through the registered randnet.hessian_along_gradient).
Networks have no biases (the catalogue's z⁽¹⁾ = W⁽¹⁾x); two inputs of ℝ³ with |x|² = 2.25, |x'|² = 1.5 and
cos∠(x,x') = 0.27 give the diagonal and the off-diagonal entries.

Designs grow with the profile through `Deferred`: deeper layers need wider networks (the spread of the
empirical kernel over networks grows like e^{5ℓ/n} − 1 for ReLU), so each profile keeps ℓ_max/n ≤ 1/8.
"""
from __future__ import annotations

import functools
import importlib
import math
from typing import Callable

import numpy as np

from verify._model import Claim, Figure, PerProfile, Source, View
from verify.checks import (Deferred, Exact, LawEquals, LimitSweep, MeanEquals, ScalingLaw, Series, exact, outputs,
                           symbolic)
from verify.claims._randnet_finite import (CUMULANT_SCALING, CUMULANT_SCALING_CORRECTED, DEEP_LINEAR, DEPTH_TO_WIDTH,
                                           INPUT_GRADIENT, INPUT_GRADIENT_CORRECTED, NEURON_CORRELATION, ODD_CUMULANTS)
from verify.claims._randnet_tols import (ASYMPTOTIC, CRITICAL, CRITICAL_EXPONENT, DEPTH_EXPONENT, EXACT_GH, EXACT_MP,
                                         FLUCTUATION, GP_FLUCTUATION, HESSIAN_EXPONENT, KERNEL_MC, RANK_TOL, TWO_TERM,
                                         ZERO_RESIDUAL)
from verify.tolerances import LAW_KS

SEED = "seeds/004_608ea63e62054dcf.txt"
X = ((1.0, 1.0, 0.5), (0.5, -0.5, 1.0))  # = verify.observables.randnet.X_DEFAULT (a test holds them equal)
ENTRIES = ("(x,x)", "(x',x')", "(x,x')")  # = verify.observables.randnet.ENTRIES

WIDTHS = PerProfile((128, 256, 512, 1024), (256, 512, 1024, 2048), (512, 1024, 2048, 4096))
LAYERS = PerProfile((4, 8), (8, 32), (16, 64))  # ℓ_max/n_min ≤ 1/8; depth = ℓ_max
DEPTHS = PerProfile((2, 4, 8), (8, 16, 32), (16, 32, 64))  # depth-exponent fits, at the second-largest width
REPLICATES = PerProfile(2000, 4000, 8000)  # multiples of the 40 batch means; ~1 s a look on the Gram path
# tanh-decay's depth exponent. quick: seeds 0–4 decide at look 1 with ≥ 2× margin, session G (its width sweep at 1000
# did not: 1.1× at seed 3)
TANH_DEPTH_REPLICATES = PerProfile(1000, 4000, 8000)
GP_WIDTHS = PerProfile((16, 32, 64, 128), (64, 128, 256, 512), (64, 128, 256, 512, 1024))
GP_DEPTH = 3  # the theorem fixes L and lets n → ∞
GP_SIGMA, GP_CW = "erf", 1.5
LAW_REPLICATES = PerProfile(40000, 80000, 160000)
RELU_CW = 1.5  # relu-recursion: off criticality, so the recursion moves K
RELATION_LAYERS = (1, 3)  # L of the stated relation K⁽ᴸ⁺¹⁾ = (C_W/2)K⁽ᴸ⁾
CLOSED_DEPTH = PerProfile(16, 32, 64)  # the closed-form recursion across depth (critical claims)
DIAGONAL_DEPTH = 16  # × CLOSED_DEPTH: the Gauss–Hermite diagonal alone, far deeper than any network sampled
TANH_DEPTH = PerProfile(500, 2000, 4000)  # the tanh recursion's asymptotics
LEAKY = (0.2, 1.0)
LEAKY_NAME = f"leaky_relu({LEAKY[0]:g},{LEAKY[1]:g})"
LEAKY_CW = 2 / (LEAKY[0] ** 2 + LEAKY[1] ** 2)


def _k1(C_W: float, x) -> float:
    return C_W * sum(v * v for v in x) / len(x)


TANH_K1 = _k1(1.0, X[0])


def _lazy(module: str):
    """mpmath, SymPy and JAX load when a check runs: `ntkverify list` and the catalogue import without them."""
    return importlib.import_module(module)


def _section(text: str) -> Source:
    return Source(SEED, text)


def _scale(K) -> float:
    return math.sqrt(K[0] * K[1])


def _layers(widths: PerProfile) -> str:
    return f"quick {widths.quick[0]} and {widths.quick[-1]}, standard {widths.standard[0]} and {widths.standard[-1]}"


# ---- mpmath references -------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _recursion(sigma, C_W: float, depth: int) -> tuple:
    """(K⁽ℓ⁾ at X as ((xx, x'x', xx'), …)) for ℓ = 1..depth, closed forms where they exist."""
    Ks = _lazy("numeric.randnet").kernel_recursion(sigma, C_W, X, depth, dps=20)
    return tuple((float(K[0][0]), float(K[1][1]), float(K[0][1])) for K in Ks)


@functools.lru_cache(maxsize=None)
def _diagonal(sigma, C_W: float, K1: float, depth: int) -> tuple:
    return tuple(float(v) for v in _lazy("numeric.randnet").diagonal_recursion(sigma, C_W, K1, depth))


def _leaky():
    return _lazy("numeric.randnet").LeakyReLU(*LEAKY)


# the bivariate quadrature's digits: it raises unless its estimated relative error is ≤ 1e-12, 100× inside EXACT_MP
# (measured |quadrature − closed form| ≤ 3e-14 at every check's entries; 15 digits cost twice the CPU)
QUADRATURE_DPS = 12


def _closed_vs_quadrature(sigma, K, name: Callable[[str], str], *, C_W: float = 1.0, closed=None, method="auto",
                          ref: str = "numeric.expectation quadrature"):
    """C_W E[σ(a)σ(b)] at the entries (x,x) and (x,x') of the layer K: the bivariate quadrature against the closed
    form (numeric.randnet.gaussian_pair, or `closed`, the values the recursion gave)."""
    pair = _lazy("numeric.randnet").gaussian_pair
    out = []
    for i, (label, (a, b, c)) in enumerate((("(x,x)", (K[0], K[0], K[0])), ("(x,x')", (K[0], K[2], K[1])))):
        quad = C_W * float(pair(sigma, a, b, c, method="quadrature", dps=QUADRATURE_DPS))
        value = float(pair(sigma, a, b, c, method=method)) if closed is None else closed[i]
        out.append(exact(name(label), quad, value, EXACT_MP.value, ref, view=View.CLOSED_FORM))
    return out


# ---- Monte Carlo check builders ----------------------------------------------------------------------------

def _kernel(sigma, C_W, depth, layers, entries=ENTRIES, by_depth=False):
    """The named kernel `entries` of K̂⁽ℓ⁾ at each ℓ in `layers` (layer-major) of one network per replicate."""
    return _lazy("verify.observables.randnet").kernel_sampler(sigma, C_W, depth, layers, X, by_depth=by_depth,
                                                              entries=entries)


def _limit_sweep(name, sigma, C_W, entries, expected, *, layers=LAYERS, sigma_label=None):
    """LimitSweep of K̂⁽ℓ⁾ entries at the profile's layers against `expected(ℓ) → (xx, x'x', xx')` (mpmath).

    entries: indices into ENTRIES."""
    def build(profile):
        ls = layers(profile)
        series = []
        for ell in ls:
            K = expected(ell)
            series += [Series(f"K̂⁽{ell}⁾{ENTRIES[e]}, {sigma_label or sigma}, C_W={C_W:g}", K[e],
                              KERNEL_MC.value * _scale(K), f"K⁽{ell}⁾{ENTRIES[e]} = {K[e]:.6g}",
                              "numeric.randnet recursion (mpmath)") for e in entries]
        return LimitSweep(name, _kernel(sigma, C_W, max(ls), ls, [ENTRIES[e] for e in entries]), tuple(series),
                          WIDTHS, REPLICATES, exponent_tol=FLUCTUATION.value)

    return Deferred(name, View.MONTE_CARLO, build)


def _depth_law(name, sigma, C_W, expected: Callable[[tuple], tuple[float, str]], tol, replicates=REPLICATES):
    """ScalingLaw of E K̂⁽ℓ⁾(x,x) against ℓ ∈ DEPTHS at the profile’s second-largest width (the sweep variable is the
    depth); expected(depths) → (exponent, how it was obtained)."""
    def build(profile):
        ds = DEPTHS(profile)
        n = sorted(WIDTHS(profile))[-2]  # ℓ/n ≤ 1/32 at the deepest point of every profile
        p, text = expected(ds)
        s = Series(f"K̂⁽ℓ⁾(x,x) at n={n}, {sigma}, C_W={C_W:g}", p, tol.value, text, "numeric.randnet / the claim")
        return ScalingLaw(name, _kernel(sigma, C_W, max(ds), (n,), ("(x,x)",), by_depth=True), (s,), DEPTHS,
                          replicates, variable="L")

    return Deferred(name, View.MONTE_CARLO, build)


def _recursion_slope(sigma, C_W, K1):
    def expected(ds):
        K = _diagonal(sigma, C_W, K1, max(ds))
        slope = float(np.polyfit(np.log(ds), np.log([K[d - 1] for d in ds]), 1)[0])
        return slope, f"infinite-width recursion's slope over ℓ = {', '.join(map(str, ds))}: {slope:.4f}"

    return expected


def _critical_closed(sigma, C_W, label):
    """K⁽ᴸ⁾ = K⁽¹⁾ at every L (closed forms to CLOSED_DEPTH, the Gauss–Hermite diagonal 16× deeper), and a figure."""
    def compute(ctx):
        depth = CLOSED_DEPTH(ctx.profile)
        out, Ks = [], _recursion(sigma, C_W, depth)
        for e in (0, 1):
            out.append(exact(f"K⁽{depth}⁾{ENTRIES[e]} = K⁽¹⁾{ENTRIES[e]} ({label}, closed-form recursion)", Ks[0][e],
                             Ks[-1][e], EXACT_MP.value, "K⁽¹⁾ = C_W|x|²/n₀", view=View.CLOSED_FORM))
        deep = DIAGONAL_DEPTH * depth
        d = _diagonal(sigma, C_W, Ks[0][0], deep)
        out.append(exact(f"K⁽{deep}⁾(x,x) = K⁽¹⁾(x,x) (Gauss–Hermite diagonal recursion)", Ks[0][0], d[-1],
                         EXACT_GH.value * deep / 64, "K⁽¹⁾", view=View.CLOSED_FORM))
        fig = Figure("curves", f"K⁽ℓ⁾ against ℓ ({label})", {
            "x": np.arange(1, depth + 1).tolist(), "curves": {ENTRIES[e]: [K[e] for K in Ks] for e in range(3)},
            "xlabel": "layer ℓ", "ylabel": "K⁽ℓ⁾"})
        return out, [fig]

    return Exact("mpmath: the recursion across depth", View.CLOSED_FORM, compute)


# ---- randnet.overparam-independence ------------------------------------------------------------------------

OVERPARAM = ((3, (128, 128), 8), (3, (64, 64, 64), 8))  # (d, hidden widths, #data): #params/#data ≥ 1000
UNDERPARAM = (3, (1,), 8)  # σ(t) = t, 4 parameters for 8 data: the hypothesis fails; GD converges (to least squares)
GD_STEPS = 200000  # at most; η = N/(2σ_max²), stopped at ‖∇L‖ ≤ 1e-12‖∇L₀‖ (~10³ steps at σ_min/σ_max ≈ 0.1);
# η is the Gauss–Newton bound at θ₀: the control's curvature can outgrow it (seed 20261122 overflowed), so GD halves it
GD_STOP = CRITICAL.value / 100  # ‖∇L‖ relative to its start where GD stops
CONTROL_RESIDUAL = 0.1  # the control's least-squares fit leaves a residual above this


def _overparam_case(ctx, d, widths, N, label, sigma="tanh"):
    key = _lazy("verify._jax").key_for(ctx.seed, ctx.claim_id, label)
    return _lazy("numeric.randnet_gd").overparam_fit(key, ctx.rng(label).normal(size=N), d, widths, sigma, GD_STEPS,
                                                     GD_STOP)


def _overparam(ctx):
    out = []
    for d, widths, N in OVERPARAM:
        label = f"d={d}, widths={widths}, N={N}"
        rank, full, crit, resid, per, info = _overparam_case(ctx, d, widths, N, label)
        out += [exact(f"rank of the N×P per-sample gradient matrix ({label}, P={info['P']})", full, rank,
                      RANK_TOL.value, "N: linearly independent", **info),
                exact(f"GD reached a critical point: ‖∇L(θ_T)‖/‖∇L(θ_0)‖ ({label})", 0.0, crit, CRITICAL.value,
                      "0 (critical point)"),
                exact(f"every residual y_i − z(x_i) is 0 at it ({label})", 0.0, resid, ZERO_RESIDUAL.value,
                      "0 (global minimum)"),
                exact(f"every per-sample gradient is 0 at it: max‖∇ℓ_i(θ_T)‖/max‖∇ℓ_i(θ_0)‖ ({label})", 0.0, per,
                      ZERO_RESIDUAL.value, "0")]
    d, widths, N = UNDERPARAM
    label = f"control, P < N: σ(t)=t, d={d}, widths={widths}, N={N}"
    rank, full, crit, resid, per, info = _overparam_case(ctx, d, widths, N, label, "identity")
    out += [exact(f"{label}: rank ≤ P < N, so the gradients are dependent", 1.0, float(rank < N), 0.0,
                  "1 (dependent)", rank=rank, **info),
            exact(f"{label}: GD still reaches a critical point", 0.0, crit, CRITICAL.value, "0"),
            exact(f"{label}: ...which is not a global minimum (max residual > {CONTROL_RESIDUAL:g})", 1.0,
                  float(resid > CONTROL_RESIDUAL), 0.0, "1: the implication needs #params > #data", max_residual=resid)]
    return out


OVERPARAM_INDEPENDENCE = Claim(
    id="randnet.overparam-independence", group="randnet", source=_section("Big Questions, 1) non-convex optimisation"),
    statement="#params/#data ≫ 1 ⇒ the per-sample gradients are linearly independent ⇒ a critical point of the "
              "mean loss has every per-sample gradient zero (a global min).",
    latex=r"\frac{\#\text{params}}{\#\text{data}}\gg1\Rightarrow\{\nabla_\theta\mathcal L(x_i)\}\ \text{lin. indep.}"
          r"\Rightarrow\nabla_\theta\frac1{n}\sum_i\mathcal L(x_i;\theta)=0\Leftrightarrow\nabla_\theta\mathcal L(x_j;\theta)=0",
    reading=f"Deterministic, at random networks (σ = tanh, C_W = 1, no biases) with {OVERPARAM[0][2]} data (Fibonacci "
            "points on a cap of the sphere |x|² = d, no pair x, −x; targets N(0,1)) and #params/#data ≥ 1000 (widths "
            f"{' and '.join(str(w) for _, w, _ in OVERPARAM)}, d = {OVERPARAM[0][0]}). The per-sample gradients are "
            "∇_θz(x_i) (∇_θℓ_i = −2(y_i − z(x_i))∇_θz(x_i), so independence of the ∇_θz is the operative statement): "
            "the N×P matrix has numerical rank N (threshold σ_max·max(N,P)·ε). Full-batch GD (η = N/(2σ_max²), halved "
            "for good whenever a step would raise the loss beyond round-off, so it cannot overflow where the curvature "
            f"outgrows the initial step; until ‖∇L‖ ≤ {GD_STOP:g} of its start, ≤ {GD_STEPS} steps) on the mean square "
            f"loss reaches a critical point (‖∇L‖ ≤ {CRITICAL.value:g} of its start) where every residual and every "
            f"per-sample gradient is 0 (≤ {ZERO_RESIDUAL.value:g}). Control showing the check can fail: with fewer "
            f"parameters than data the gradients are dependent and GD stops at a critical point with residuals > "
            f"{CONTROL_RESIDUAL:g} (a linear network, σ(t) = t, d = {UNDERPARAM[0]}, one hidden unit: 4 parameters for "
            f"{UNDERPARAM[2]} data; GD converges to the least-squares fit).",
    checks=(Exact("per-sample gradients and GD", View.NUMERIC, _overparam),),
    note="'≫' is read as a ratio ≥ 1000 at the sizes tested; linear independence needs only P ≥ N and generic "
         "inputs, which the control (P < N) shows is also necessary.",
)


# ---- randnet.hessian ---------------------------------------------------------------------------------------

HESSIAN_REPLICATES = PerProfile(960, 960, 1920)
# (fixed parameter, swept values) per design and profile. Each sweeps where the finite-size bend of its exponent
# has died out (measured with 2000 networks a point), not where it is pre-asymptotic:
# - n at fixed L: n·E ν = A + B/n at L = 2 (A ≈ 0.81, B ≈ 11: n·E ν = 1.15, 0.96, 0.87, 0.83, 0.82 at n = 32…512),
#   so the slope over n = 32…128 is −1.22 (outside −1 ± 0.3 at some seeds) and over n = 128…512 is −1.04;
HESS_N = PerProfile((2, (128, 192, 256, 384, 512)), (2, (128, 256, 512, 1024)), (2, (128, 256, 512, 1024, 2048)))
# - L at fixed n: ν ≈ c(L − L₀)/n with L₀ ≈ 0.6 (L-slopes 1.31, 1.12, 1.03 over L = 2→4→8→16 at n = 128; 1.34,
#   1.08, 1.10 at n = 256), so L starts at 4 (slope ≈ 1.07–1.10 over 4…16), over a factor 4 (half the interval of
#   a factor 2 at the same cost); L/n ≤ 1/8;
HESS_L = PerProfile((128, (4, 6, 10, 16)), (256, (8, 12, 16, 24, 32)), (256, (8, 12, 16, 24, 32)))
# - along fixed L/n: the L₀ bend (up) and the B/n bend (down) largely cancel (slope −0.01 at L = n/16, n = 32…64).
# Every design has ≥ 4 points: with 3 (1 degree of freedom) the Birge factor √(χ²/dof) that widens a scattered fit
# exceeds 2 with probability 4.6%, and at run seed 20261122 it left the L/n design undecided after 3 looks.
HESS_RATIO = PerProfile((1 / 16, (32, 48, 64, 80, 96)), (1 / 16, (32, 48, 64, 96, 128)),
                        (1 / 32, (64, 96, 128, 192, 256)))
HESS_DESIGNS = {"depth": ("n", "L = {}"), "width": ("L", "n = {}"), "ratio": ("n", "L = n/{}")}


def _hessian_law(name, design, kind, expected, text):
    """ScalingLaw of E ν (randnet.hessian_along_gradient, ReLU, C_W = 2) with `kind` fixed at design's value."""
    def build(profile):
        fixed, values = design(profile)
        var, where = HESS_DESIGNS[kind]
        s = Series(f"E ν at {where.format(round(1 / fixed) if kind == 'ratio' else fixed)} (ReLU, C_W = 2)",
                   expected, HESSIAN_EXPONENT.value, text, "the claim: ν ≃ C·L/n")
        return ScalingLaw(name, outputs("randnet.hessian_along_gradient", ("ν",), **{kind: fixed}), (s,),
                          PerProfile(values, values, values), HESSIAN_REPLICATES, variable=var)

    return Deferred(name, View.MONTE_CARLO, build)


def _span(values) -> str:
    return f"{values[0]}…{values[-1]}"


HESSIAN = Claim(
    id="randnet.hessian", group="randnet", source=_section("Random Neural Nets, Coro (Hessian)"),
    statement="‖Hess_θ z₁^{(L+1)}(x;θ)‖ ≃ C_σ·L/n (L/n bounded away from 0 is necessary for feature learning).",
    latex=r"\|\mathrm{Hess}_\theta z_1^{(L+1)}(x;\theta)\|\simeq C_\sigma\frac{L}{n}",
    reading="The norm is read as the Hessian's size in the direction gradient descent moves, in units of the "
            "NTK: ν = √K·|gᵀHg|/Θ² with g = ∇_θz₁⁽ᴸ⁺¹⁾(x), H = Hess_θz₁⁽ᴸ⁺¹⁾(x), Θ = ‖g‖² (the NTK at (x,x)) and "
            "K = E z₁² — the relative change of the NTK, ΔΘ/Θ = 2ν, after a GD step that moves z by its own scale √K. "
            "ν is invariant under rescaling θ and z (a bare ‖H‖ is not: it carries the parametrisation). σ = ReLU, "
            "C_W = 2 (critical), no biases, x = (1,1,1,1). gᵀHg = d²z(θ + tg)/dt² at t = 0, exact: a forward, a "
            "backward and a second-order forward pass (no Hessian matrix), which read each hidden W only through four "
            "matrix–vector products; these are drawn from their exact joint law (Gaussian conditioning: the "
            "conditional mean on the earlier products plus fresh normals on the complement), O(L·n) normals a network "
            "instead of L·n² weights. "
            "“≃ C·L/n” is tested on three designs that vary L and n separately and together: E ν ∝ n^p at fixed L "
            "(p = −1), ∝ L^q at fixed n (q = 1), and constant along L/n fixed (exponent 0), each ± "
            f"{HESSIAN_EXPONENT.value:g} (fitted slopes with intervals, L/n ≤ 1/8, each where the O(1/n) and O(1/L) "
            "corrections that bend the slope have died out, on ≥ 4 points; quick: "
            f"n = {_span(HESS_N.quick[1])} at L = {HESS_N.quick[0]}, L = {_span(HESS_L.quick[1])} at "
            f"n = {HESS_L.quick[0]}, (L, n) = ({round(HESS_RATIO.quick[0] * HESS_RATIO.quick[1][0])}, "
            f"{HESS_RATIO.quick[1][0]})…({round(HESS_RATIO.quick[0] * HESS_RATIO.quick[1][-1])}, "
            f"{HESS_RATIO.quick[1][-1]})). The operator norm ‖H‖_op/Θ (power iteration) is not the reading: an "
            "exploration (8 networks per point, no intervals) found it also roughly a function of L/n, but growing like "
            "(L/n)^0.6, nearer √(L/n).",
    checks=(_hessian_law("n at fixed L", HESS_N, "depth", -1.0, "n^-1"),
            _hessian_law("L at fixed n", HESS_L, "width", 1.0, "L^1"),
            _hessian_law("along fixed L/n", HESS_RATIO, "ratio", 0.0, "(L/n)^1 constant")),
    note="Reading chosen for a vague statement: the Hessian along the gradient, relative to the NTK (the relative "
         "NTK change per GD step, as in Hanin–Nica's L/n corrections to the NTK). The spectral norm ‖H‖_op/Θ was only "
         "explored (unchecked): it looked like a function of L/n growing like (L/n)^0.6, so under that reading the "
         "exponent 1 would likely fail.",
)


# ---- randnet.gp-limit --------------------------------------------------------------------------------------

def _gp_kernel():
    return _recursion(GP_SIGMA, GP_CW, GP_DEPTH + 1)[-1]


GP_DRAWS = "randnet.gp-limit outputs"  # key_name of the law and δ checks: two columns of the same networks


@functools.cache  # one memo per width, held by both checks: the δ check reads the law check's networks
def _gp_draws(n: int):
    obs = _lazy("verify.observables.randnet")
    return _lazy("verify.observables._base").memoised(obs.output_sampler(GP_SIGMA, GP_CW, GP_DEPTH, n, X), size=1)


def _gp_outputs(names, n, transform):
    """The named outputs (OUTPUT_COLUMNS of verify.observables.randnet) of a depth-GP_DEPTH network of width n."""
    draws, cols = _gp_draws(n), [_lazy("verify.observables.randnet").OUTPUT_COLUMNS.index(c) for c in names]
    return lambda key, w, count, max_width=None: transform(draws(key, w, count)[:, cols])


def _gp_sweep(profile):
    # K̂⁽ᴸ⁺¹⁾ = G⁽ᴸ⁾ = Cov(z⁽ᴸ⁺¹⁾ | z⁽ᴸ⁾) of a depth-L network
    K = _gp_kernel()
    series = tuple(Series(f"Cov(z⁽ᴸ⁺¹⁾ᵢ{ENTRIES[e]}), L={GP_DEPTH}", K[e], KERNEL_MC.value * _scale(K),
                          f"K⁽ᴸ⁺¹⁾{ENTRIES[e]} = {K[e]:.6g}", "numeric.randnet: Williams' arcsine recursion")
                   for e in range(3))
    return LimitSweep("covariance width sweep", _kernel(GP_SIGMA, GP_CW, GP_DEPTH, (GP_DEPTH + 1,)), series,
                      GP_WIDTHS, REPLICATES, exponent_tol=GP_FLUCTUATION.value)


def _gp_law(profile):
    n, K = max(GP_WIDTHS(profile)), _gp_kernel()
    sd_x, sd_d = math.sqrt(K[0]), math.sqrt(K[0] + K[1] - 2 * K[2])
    sample = _gp_outputs(("z₁(x)", "z₁(x')"), n, lambda o: np.column_stack([o[:, 0] / sd_x, (o[:, 0] - o[:, 1]) / sd_d]))
    norm = _lazy("scipy.stats").norm.cdf
    series = (Series(f"z₁⁽ᴸ⁺¹⁾(x)/√K⁽ᴸ⁺¹⁾(x,x) at n={n}", 0.0, LAW_KS.value, "N(0,1)", "GP limit"),
              Series(f"(z₁(x) − z₁(x'))/√(K(x,x)+K(x',x')−2K(x,x')) at n={n}", 0.0, LAW_KS.value, "N(0,1)",
                     "GP limit: every linear combination is Gaussian"))
    return LawEquals("Gaussian law of the output", sample, series, (norm, norm), LAW_REPLICATES, key_name=GP_DRAWS)


def _gp_delta(profile):
    n, K = max(GP_WIDTHS(profile)), _gp_kernel()
    return MeanEquals("δᵢⱼ: distinct outputs uncorrelated", _gp_outputs(("z₁(x)z₂(x')",), n, lambda o: o),
                      (Series(f"E[z₁⁽ᴸ⁺¹⁾(x) z₂⁽ᴸ⁺¹⁾(x')] at n={n}", 0.0, KERNEL_MC.value * _scale(K), "0 (i ≠ j)",
                              "Cov(zᵢ, zⱼ) = δᵢⱼK"),), LAW_REPLICATES, key_name=GP_DRAWS)


GP_LIMIT = Claim(
    id="randnet.gp-limit", group="randnet", source=_section("Random Neural Nets, Thm (GP limit)"),
    statement="as n₁..n_L → ∞, z^{(L+1)} → GP(0, K^{(L+1)}) with Cov(zᵢ(x), zⱼ(x')) → δᵢⱼ K^{(L+1)}(x,x'), "
              "K^{(ℓ+1)}(x,x') = C_W E_{K^{(ℓ)}}[σ(z(x))σ(z(x'))].",
    latex=r"z^{(L+1)}\to GP(0,K^{(L+1)}),\ \lim\operatorname{Cov}(z_i(x),z_j(x'))=\delta_{ij}K^{(L+1)}(x,x'),\ "
          r"K^{(\ell+1)}(x,x')=C_W\,\mathbb E_{K^{(\ell)}}[\sigma(z(x))\sigma(z(x'))]",
    reading=f"σ = {GP_SIGMA}, C_W = {GP_CW}, L = {GP_DEPTH} hidden layers of equal width n, no biases, two inputs x, "
            "x'. (1) The covariance Cov(zᵢ⁽ᴸ⁺¹⁾(x), zᵢ⁽ᴸ⁺¹⁾(x')) — estimated per network by its Rao–Blackwellisation "
            "(C_W/n)σ(z⁽ᴸ⁾(x))ᵀσ(z⁽ᴸ⁾(x')) — extrapolated over a width sweep (model L + c/n) equals the recursion "
            f"K⁽ᴸ⁺¹⁾ (mpmath, Williams' arcsine formula) within {KERNEL_MC.value:.0%} of √(K(x,x)K(x',x')) for (x,x), "
            "(x',x') and (x,x'), and its spread shrinks like 1/n. (2) At the largest width the output law is N(0, K): "
            "z₁(x)/√K(x,x) and the combination (z₁(x) − z₁(x'))/√(…) have Kolmogorov distance ≤ "
            f"{LAW_KS.value:g} to N(0,1) (DKW interval). (3) E[z₁(x)z₂(x')] = 0 (δᵢⱼ). Closed form: Williams vs "
            f"bivariate quadrature ≤ {EXACT_MP.value:g}.",
    checks=(Exact("Williams' closed form vs quadrature", View.CLOSED_FORM, lambda ctx: _closed_vs_quadrature(
                GP_SIGMA, _recursion(GP_SIGMA, GP_CW, GP_DEPTH)[-1],
                lambda e: f"E_K⁽ᴸ⁾[erf(z(x))erf(z(x'))] {e}: Williams vs bivariate quadrature", method="closed")),
            Deferred("covariance width sweep", View.MONTE_CARLO, _gp_sweep),
            Deferred("Gaussian law of the output", View.MONTE_CARLO, _gp_law),
            Deferred("δᵢⱼ: distinct outputs uncorrelated", View.MONTE_CARLO, _gp_delta)),
)


# ---- randnet.relu-recursion --------------------------------------------------------------------------------

def _relu_symbolic(corrected: bool):
    def compute(ctx):
        dk = _lazy("derive.randnet_kernel")
        r = dk.relu_diagonal()
        out = [symbolic("C_W E[z² 1_{z>0}] = (C_W/2)K on the diagonal", r.holds, r.derived, r.stated,
                        "derive.randnet_kernel.relu_diagonal (exact integral)", residual=r.residual)]
        if corrected:
            r = dk.relu_orthogonal(dk.C_W * _lazy("sympy").sqrt(dk.K * dk.K2) / (2 * _lazy("sympy").pi))
            out.append(symbolic("arc-cosine kernel at K⁽ᴸ⁾(x,x') = 0: (C_W/2π)√(KK')(sin θ + (π−θ)cos θ) at θ=π/2",
                                r.holds, r.derived, r.stated, "derive.randnet_kernel.relu_orthogonal",
                                residual=r.residual))
        else:
            r = dk.relu_orthogonal()
            out.append(symbolic("off the diagonal, K⁽ᴸ⁾(x,x') = 0: recursion vs the stated (C_W/2)K⁽ᴸ⁾(x,x')", r.holds,
                                r.derived, r.stated, "derive.randnet_kernel.relu_orthogonal", residual=r.residual))
        return out

    return Exact("SymPy: the ReLU length map", View.SYMBOLIC, compute)


def _relu_closed(corrected: bool):
    def compute(ctx):
        Ks = _recursion("relu", RELU_CW, max(RELATION_LAYERS) + 1)
        if corrected:
            return [c for ell in RELATION_LAYERS for c in _closed_vs_quadrature(
                "relu", Ks[ell - 1], lambda e, ell=ell: f"K⁽{ell + 1}⁾{e}: arc-cosine closed form vs bivariate quadrature",
                C_W=RELU_CW, closed=(Ks[ell][0], Ks[ell][2]))]
        return [exact(f"K⁽{ell + 1}⁾{ENTRIES[e]} (arc-cosine recursion) vs stated (C_W/2)K⁽{ell}⁾{ENTRIES[e]}",
                      RELU_CW / 2 * Ks[ell - 1][e], Ks[ell][e], EXACT_MP.value, "the statement's (C_W/2)K⁽ᴸ⁾(x,x')",
                      view=View.CLOSED_FORM, theta=math.degrees(math.acos(Ks[ell - 1][2] / _scale(Ks[ell - 1]))))
                for ell in RELATION_LAYERS for e in (0, 2)]

    return Exact("mpmath: recursion at the inputs", View.CLOSED_FORM, compute)


def _relation_sweep(profile):
    """K̂⁽ᴸ⁺¹⁾ − (C_W/2)K̂⁽ᴸ⁾ in one network at L ∈ RELATION_LAYERS: the stated relation says its limit is 0."""
    Ks, depth = _recursion("relu", RELU_CW, max(RELATION_LAYERS) + 1), max(RELATION_LAYERS) + 1
    picks = ("(x,x)", "(x,x')")
    base = _kernel("relu", RELU_CW, depth, tuple(range(1, depth + 1)), picks)
    lower = [ell - 1 for ell in RELATION_LAYERS]  # K̂⁽ᴸ⁾ and K̂⁽ᴸ⁺¹⁾ by layer index

    def sample(key, width, count, max_width=None):
        K = base(key, width, count, max_width=max_width).reshape(count, depth, len(picks))
        return (K[:, [i + 1 for i in lower]] - RELU_CW / 2 * K[:, lower]).reshape(count, -1)

    series = tuple(Series(f"K̂⁽{ell + 1}⁾{e} − (C_W/2)K̂⁽{ell}⁾{e}", 0.0, KERNEL_MC.value * _scale(Ks[ell]),
                          "0 (stated)", "the statement") for ell in RELATION_LAYERS for e in picks)
    return LimitSweep("stated relation, width sweep", sample, series, GP_WIDTHS, REPLICATES,
                      exponent_tol=GP_FLUCTUATION.value)


RELU_RECURSION = Claim(
    id="randnet.relu-recursion", group="randnet", source=_section("Random Neural Nets, Ex: σ = ReLU"),
    statement="σ=ReLU: K^{(L+1)}(x,x') = C_W E_{K^{(L)}}[z(x)² 1_{z(x)>0}] = (C_W/2) K^{(L)}(x,x').",
    latex=r"K^{(L+1)}(x,x')=C_W\,\mathbb E_{K^{(L)}}[(z(x))^2\mathbb 1_{z(x)>0}]=\frac{C_W}{2}K^{(L)}(x,x')",
    reading=f"Read as written, for every pair (x, x'), at C_W = {RELU_CW}: the middle expression involves x only, "
            "so it can equal K⁽ᴸ⁺¹⁾(x,x') only on the diagonal. Checked on the diagonal and off it (cos∠ = 0.27 at "
            "layer 1): SymPy (diagonal integral; off the diagonal at K⁽ᴸ⁾(x,x') = 0, where the recursion factorises "
            "into C_W√(KK')/(2π) ≠ 0), mpmath (arc-cosine recursion vs (C_W/2)K⁽ᴸ⁾ at L = "
            f"{', '.join(map(str, RELATION_LAYERS))}), and Monte Carlo: the gap K̂⁽ᴸ⁺¹⁾ − (C_W/2)K̂⁽ᴸ⁾ of one network, "
            f"extrapolated over widths, must be 0 within {KERNEL_MC.value:.0%} of √(K(x,x)K(x',x')).",
    checks=(_relu_symbolic(False), _relu_closed(False),
            Deferred("stated relation, width sweep", View.MONTE_CARLO, _relation_sweep)),
    note="Holds on the diagonal; fails off it: K⁽ᴸ⁺¹⁾(x,x') is C_W times the arc-cosine kernel of degree 1 "
         "(Cho & Saul), which is not linear in K⁽ᴸ⁾(x,x'). See randnet.relu-recursion.corrected.",
)

RELU_RECURSION_CORRECTED = Claim(
    id="randnet.relu-recursion.corrected", group="randnet", source=_section("Random Neural Nets, Ex: σ = ReLU"),
    statement="σ=ReLU: K^{(L+1)}(x,x) = C_W E_{K^{(L)}}[z(x)² 1_{z(x)>0}] = (C_W/2) K^{(L)}(x,x) on the diagonal; "
              "off it K^{(L+1)}(x,x') = (C_W/2π) √(K^{(L)}(x,x)K^{(L)}(x',x')) (sin θ + (π−θ) cos θ), "
              "cos θ = K^{(L)}(x,x')/√(K^{(L)}(x,x)K^{(L)}(x',x')).",
    latex=r"K^{(L+1)}(x,x')=\frac{C_W}{2\pi}\sqrt{K^{(L)}(x,x)K^{(L)}(x',x')}\,(\sin\theta+(\pi-\theta)\cos\theta)",
    reading=f"C_W = {RELU_CW}. SymPy: the diagonal integral, and the arc-cosine kernel at θ = π/2 equals the "
            "factorised recursion. mpmath: the arc-cosine recursion equals the bivariate quadrature of "
            f"C_W E[relu(a)relu(b)] (≤ {EXACT_MP.value:g}, diagonal and off-diagonal). Monte Carlo: K̂⁽ℓ⁾ entries "
            f"(x,x), (x',x'), (x,x') extrapolated over widths equal the recursion within {KERNEL_MC.value:.0%} of "
            f"√(K(x,x)K(x',x')) at two depths per profile ({_layers(LAYERS)}), spread ∝ 1/n.",
    checks=(_relu_symbolic(True), _relu_closed(True),
            _limit_sweep("recursion vs width sweep", "relu", RELU_CW, (0, 1, 2),
                         lambda ell: _recursion("relu", RELU_CW, ell)[-1])),
    corrects="randnet.relu-recursion",
    note="The diagonal is the statement's middle expression; the off-diagonal entry is the degree-1 arc-cosine "
         "kernel (Cho & Saul 2009), the recursion the statement's own general formula gives for σ = ReLU.",
)


# ---- randnet.relu-critical ---------------------------------------------------------------------------------

def _relu_critical_symbolic(ctx):
    dk = _lazy("derive.randnet_kernel")
    r = dk.relu_diagonal(stated=dk.K, c_w=2)
    return [symbolic("K ↦ C_W E[relu(z)²] at C_W = 2 is the identity", r.holds, r.derived, r.stated,
                     "derive.randnet_kernel.relu_diagonal (exact integral)", residual=r.residual)]


def _depths(values: PerProfile, scale: int = 1) -> str:
    return "/".join(str(scale * v) for v in (values.quick, values.standard, values.full))


RELU_CRITICAL = Claim(
    id="randnet.relu-critical", group="randnet", source=_section("Random Neural Nets, Ex: σ = ReLU, C_W = 2"),
    statement="C_W = 2 preserves K^{(L)}(x,x) across depth (the notes: \"≃ L⁰\").",
    latex=r"C_W=2:\ K^{(L)}(x,x)\simeq L^{0}",
    reading="σ = ReLU, C_W = 2, no biases. SymPy: K ↦ 2E[relu(z)²] is the identity. mpmath: K⁽ᴸ⁾(x,x) = K⁽¹⁾(x,x) "
            f"= 2|x|²/n₀ for every L up to {_depths(CLOSED_DEPTH)} (closed form) and "
            f"{_depths(CLOSED_DEPTH, DIAGONAL_DEPTH)} (Gauss–Hermite), for both inputs. Monte Carlo: K̂⁽ℓ⁾(x,x), "
            f"K̂⁽ℓ⁾(x',x') at two depths per profile ({_layers(LAYERS)}) extrapolated over widths (quick "
            f"{_span(WIDTHS.quick)}) equal K⁽¹⁾ within {KERNEL_MC.value:.0%}, spread ∝ 1/n, and the depth exponent of "
            f"E K̂⁽ℓ⁾(x,x) over ℓ = {_span(DEPTHS.quick)} (standard {_span(DEPTHS.standard)}) at the second-largest "
            f"width is 0 ± {CRITICAL_EXPONENT.value:g} (“≃ L⁰”).",
    checks=(Exact("SymPy: the critical length map", View.SYMBOLIC, _relu_critical_symbolic),
            _critical_closed("relu", 2.0, "ReLU, C_W = 2"),
            _limit_sweep("K⁽ℓ⁾(x,x) vs width sweep", "relu", 2.0, (0, 1), lambda ell: _recursion("relu", 2.0, 1)[0]),
            _depth_law("depth exponent", "relu", 2.0, lambda ds: (0.0, "L⁰ (stated)"), CRITICAL_EXPONENT)),
)


# ---- randnet.tanh-decay ------------------------------------------------------------------------------------

def _tanh_symbolic(ctx):
    r, coeffs = _lazy("derive.randnet_kernel").tanh_asymptotics()
    return [symbolic("lim L·K⁽ᴸ⁾(x,x) = 1/lim(1/K_{L+1} − 1/K_L) = 1/2: K ≃ 1/L (exponent −1)", r.holds, r.derived,
                     r.stated, "derive.randnet_kernel.tanh_asymptotics (series + Stolz–Cesàro)", residual=r.residual,
                     series=str(coeffs["series"]), log_coefficient=str(coeffs["log_coefficient"]))]


def _tanh_closed(ctx):
    deep = TANH_DEPTH(ctx.profile)
    K = np.array(_diagonal("tanh", 1.0, TANH_K1, deep))
    L = np.arange(1, deep + 1)
    lo, hi = deep // 2, deep
    local = math.log(K[hi - 1] / K[lo - 1]) / math.log(hi / lo)
    # the derived two-term asymptotics 1/K = 2L − (5/6)ln L + C, C fitted at L = deep/2, predicts K at L = deep
    C = 1 / K[lo - 1] - 2 * lo + 5 / 6 * math.log(lo)
    two_term = 1 / (2 * hi - 5 / 6 * math.log(hi) + C)
    out = [exact(f"local exponent d ln K/d ln L over L = {lo}…{hi}", -1.0, local, ASYMPTOTIC.value,
                 "−1 (K ≃ 1/L)", view=View.CLOSED_FORM),
           exact(f"L·K⁽ᴸ⁾(x,x) at L = {deep}", 0.5, float(L[-1] * K[-1]), ASYMPTOTIC.value,
                 "1/2 (derived: E[tanh²] = K − 2K² + …)", view=View.CLOSED_FORM),
           exact(f"K⁽{deep}⁾ vs two-term asymptotics 1/(2L − (5/6)ln L + C)", two_term, float(K[-1]),
                 TWO_TERM.value * float(K[-1]), "derive: 1/K_(L+1) − 1/K_L = 2 − (5/3)K + O(K²)", view=View.CLOSED_FORM)]
    step = max(1, deep // 200)
    fig = Figure("loglog_fit", "K⁽ᴸ⁾(x,x) against L (tanh, C_W = 1, mpmath recursion)", {
        "x": L[::step].tolist(), "y": K[::step].tolist(),
        "log_half_widths": [0.0] * len(L[::step]),  # deterministic: no interval
        "slope": local, "intercept": math.log(K[-1]) - local * math.log(deep),
        "predicted_slope": -1.0, "predicted_text": "1/(2L)", "variable": "L"})
    return out, [fig]


TANH_DECAY = Claim(
    id="randnet.tanh-decay", group="randnet", source=_section("Random Neural Nets, Ex: σ = tanh, C_W = 1"),
    statement="σ=tanh, C_W = 1: K^{(L)}(x,x) ≃ 1/L.",
    latex=r"\sigma=\tanh,\ C_W=1:\ K^{(L)}(x,x)\simeq\frac1L",
    reading="“≃” as the notes use it (“≃ L⁰” for ReLU): K⁽ᴸ⁾(x,x) ∝ L⁻¹ as L → ∞, i.e. exponent −1 with a finite "
            "non-zero prefactor; the prefactor is derived, not assumed. SymPy: E[tanh²(√K g)] = K − 2K² + (17/3)K³ + "
            "O(K⁴), so L·K⁽ᴸ⁾ → 1/2 and 1/K = 2L − (5/6)ln L + O(1). mpmath (Gauss–Hermite recursion to L = "
            f"{_depths(TANH_DEPTH)} from K⁽¹⁾ = |x|²/3 = {TANH_K1:g}): local exponent −1 ± {ASYMPTOTIC.value:g}, "
            f"L·K → 1/2 ± {ASYMPTOTIC.value:g}, and the two-term asymptotics to {TWO_TERM.value:.1%}. Monte Carlo: "
            f"K̂⁽ℓ⁾(x,x) at two depths per profile extrapolated over widths equals the recursion within "
            f"{KERNEL_MC.value:.0%}; the depth exponent of E K̂⁽ℓ⁾(x,x) at the second-largest width over ℓ = "
            f"{', '.join(map(str, DEPTHS.quick))} (standard {', '.join(map(str, DEPTHS.standard))}) equals the "
            f"infinite-width recursion's slope over the same depths ± {DEPTH_EXPONENT.value:g} (pre-asymptotic: −1.12 "
            "over 2…8, −1.07 over 8…32); its prefactor, with interval, is in the detail.",
    checks=(Exact("SymPy: tanh series and asymptotics", View.SYMBOLIC, _tanh_symbolic),
            Exact("mpmath: deep recursion", View.CLOSED_FORM, _tanh_closed),
            _limit_sweep("K⁽ℓ⁾(x,x) vs width sweep", "tanh", 1.0, (0,),
                         lambda ell: (_diagonal("tanh", 1.0, TANH_K1, ell)[-1],
                                      _diagonal("tanh", 1.0, _k1(1.0, X[1]), ell)[-1], float("nan"))),
            _depth_law("depth exponent", "tanh", 1.0, _recursion_slope("tanh", 1.0, TANH_K1), DEPTH_EXPONENT,
                       TANH_DEPTH_REPLICATES)),
)


# ---- randnet.leaky-relu-critical ---------------------------------------------------------------------------

def _leaky_symbolic(ctx):
    return [symbolic(r.name, r.holds, r.derived, r.stated, "derive.randnet_kernel.leaky_diagonal (exact integrals)",
                     residual=r.residual) for r in _lazy("derive.randnet_kernel").leaky_diagonal()]


def _leaky_closed(ctx):
    out = _closed_vs_quadrature(_leaky(), _recursion(_leaky(), LEAKY_CW, 1)[0],
                                lambda e: f"E[σ(a)σ(b)] {e}: arc-cosine form vs bivariate quadrature",
                                ref="numeric.expectation quadrature (kink at 0)")
    res, figs = _critical_closed(_leaky(), LEAKY_CW, f"leaky ReLU {LEAKY}, C_W = 2/(a₋²+a₊²)").compute(ctx)
    return out + list(res), figs


LEAKY_RELU_CRITICAL = Claim(
    id="randnet.leaky-relu-critical", group="randnet", source=_section("closing page: leaky ReLU"),
    statement="σ(t) = (a₋1_{t<0} + a₊1_{t>0})t with C_W = 2/(a₋²+a₊²) is critical.",
    latex=r"\sigma(t)=(a_-\mathbb 1_{t<0}+a_+\mathbb 1_{t>0})t,\quad C_W=\frac{2}{a_-^2+a_+^2}",
    reading="“Critical” as for ReLU: K⁽ᴸ⁾(x,x) is preserved across depth, and the slope of the length map "
            "χ = C_W E[σ'(z)²] is 1. SymPy, for symbolic a₋, a₊: C_W E[σ(z)²] = K and χ = 1. mpmath at "
            f"(a₋, a₊) = {LEAKY}: the arc-cosine form E[σ(a)σ(b)] = (a₊²+a₋²)k₁(Σab) − 2a₊a₋k₁(−Σab) equals the "
            f"bivariate quadrature (≤ {EXACT_MP.value:g}), and K⁽ᴸ⁾(x,x) = K⁽¹⁾(x,x) up to L = {CLOSED_DEPTH.quick}…"
            f"{DIAGONAL_DEPTH * CLOSED_DEPTH.full}. Monte Carlo: K̂⁽ℓ⁾(x,x) and K̂⁽ℓ⁾(x,x') at two depths per profile "
            f"extrapolated over widths equal the recursion within {KERNEL_MC.value:.0%} of √(K(x,x)K(x',x')), "
            "spread ∝ 1/n.",
    checks=(Exact("SymPy: length map and χ", View.SYMBOLIC, _leaky_symbolic),
            Exact("mpmath: closed form, quadrature, depth", View.CLOSED_FORM, _leaky_closed),
            _limit_sweep("K⁽ℓ⁾ vs width sweep", LEAKY_NAME, LEAKY_CW, (0, 2),
                         lambda ell: _recursion(_leaky(), LEAKY_CW, ell)[-1], sigma_label=f"leaky ReLU {LEAKY}")),
)


# ---- assembly: the catalogue's order, the two halves interleaved by the source's ----------------------------

CLAIMS: tuple[Claim, ...] = (OVERPARAM_INDEPENDENCE, GP_LIMIT, RELU_RECURSION, RELU_RECURSION_CORRECTED, RELU_CRITICAL,
                             TANH_DECAY, ODD_CUMULANTS, CUMULANT_SCALING, CUMULANT_SCALING_CORRECTED,
                             NEURON_CORRELATION, INPUT_GRADIENT, INPUT_GRADIENT_CORRECTED, HESSIAN, DEPTH_TO_WIDTH,
                             DEEP_LINEAR, LEAKY_RELU_CRITICAL)
