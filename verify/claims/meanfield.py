"""meanfield.* — g(u) = (1/m)Σⱼφ(uⱼ) and the two-layer net of seed 003 §4 (issue #6).

Three views side by side: SymPy on an undefined φ (derive/meanfield.py), float64 autodiff on seeded random
instances (numeric/meanfield.py), and Monte Carlo sweeps of the registered observables meanfield.scalar and
meanfield.two_layer, read by output name. "=" is an equality to a named round-off tolerance, "≤" a bound over every
instance drawn, "≃" a limit on a width sweep with its convergence rate, "O(·)" a log-log exponent with its interval.
φ = sin in the scalar sweeps (‖φ''‖_∞ = 1, attained); σ = erf in the two-layer ones (Williams' closed forms).

To add a claim: declare its constants and Tols below, its checks from `_sympy`, `Exact` over a numeric/meanfield.py
function, or `_sweep` over named outputs, and a reading that formats those constants.
"""
from __future__ import annotations

import functools
import importlib
import math
from fractions import Fraction

import numpy as np

from verify._model import Claim, PerProfile, Source, View
from verify.checks import (Deferred, Exact, LimitSweep, PairedScalingLaw, ScalingLaw, Series, at_most, derived, exact,
                           outputs, symbolic)
from verify.tolerances import CLT_EXPONENT, ROUNDOFF, Tol

SEED = "seeds/003_cd9ed4f852a24b26.txt"

# ---- tolerances and constants: every number the checks use and the readings state ------------------------------

EXPONENT = Tol(0.1, "on a log-log slope over ≥ 1.2 decades (of m, or of ‖h‖): the candidate rates of §4 differ by "
                    "≥ 1/2 (m^{-1/2} vs m^{-1}, ‖h‖² vs ‖h‖); finite-m corrections are O(m^{-1/2}) relative and bend "
                    "the slope from 64 up by ≤ 0.03 (measured up to m = 4096)")
LIMIT = Tol(0.02, "absolute, on O(1) limits (E[φ'²] = 0.568, entries of E[DφDφᵀ] 0.18…1.35): a missing square "
                  "(E[φ']² = e^{-1} = 0.37 for sin) or a missing ∂/∂b block (−0.2…−0.4) is ≥ 10x outside; the quick "
                  "profile resolves ±0.01")
QUADRATURE = Tol(1e-10, "Williams' closed forms against an 80×80 Gauss–Hermite rule on b ∈ ℝ² (erf is entire: the rule "
                        "is exact to ~1e-14)")
BOUND_ROUNDOFF = Tol(1e-9, "relative slack of a bound ratio |R|/(‖φ''‖_∞‖h‖²/(2√m)) ≤ 1: R is a difference of O(1) "
                           "values f(u⁰+h) − f(u⁰) (error ~1e-15) divided by a scale ≥ 1e-4")

SCALAR_PHI = "sin"
ACTIVATION = "erf"
SCALAR_WIDTHS = PerProfile((16, 64, 256, 1024), (16, 64, 256, 1024, 4096), (16, 64, 256, 1024, 4096, 16384))
NET_WIDTHS = PerProfile((64, 256, 1024), (64, 256, 1024, 4096), (64, 256, 1024, 4096, 16384))
REPLICATES = PerProfile(400, 800, 1600)  # multiples of the 40 batch means
LAZY_REPLICATES = PerProfile(800, 1600, 3200)  # the one-neuron remainder spreads like |a₁|·|σ''|: ±0.035 at 1600
STEP_SCALE = 64  # ‖h‖ = k/64 on the ‖h‖-sweeps
STEPS = (1, 2, 4, 8, 16)  # ‖h‖ ∈ [1/64, 1/4]: the third-order term of R along ∇f is O(‖h‖) relative (20% at ‖h‖ = 1)
STEP_WIDTH = 256  # m of the ‖h‖-sweeps
SHARED_PAD = 4  # the ‖h‖-sweeps reuse the m-sweep's program up to a padding of 4·STEP_WIDTH (the quick profile's)
PAIRED_REPLICATES = PerProfile(200, 400, 800)  # every draw at every ‖h‖: the draw-to-draw spread cancels
SCALAR_STEP = 0.5  # ‖h‖ of the scalar m-sweep
NET_STEP = 1.0  # ‖h‖ of the two-layer m-sweep: a step of size O(1) that moves the output by O(1)
INSTANCE_WIDTHS = (1, 3, 10, 30)  # m of the autodiff instances (a (d·m)² Hessian each)
INSTANCES = 4  # seeds per width
TAYLOR_STEPS = (0.1, 1.0, 3.0)  # ‖h‖ of the Taylor bound, on every draw
TAYLOR_WIDTHS = (1, 4, 16, 64, 256)  # m of the Taylor bound, TAYLOR_DRAWS each, padded as the scalar m-sweep
TAYLOR_DRAWS = 256
SHAPES = ((1, 1), (1, 5), (4, 1), (3, 3), (2, 7), (9, 4), (30, 30))  # random matrices of the op-norm identities
MATRICES, PROBES = 8, 256  # matrices per shape; random unit x per symmetric matrix
ENTRIES = ((0, 0), (0, 1), (1, 1))  # the entries (k, l) of the 2×2 E[DφDφᵀ]
INPUTS = ((0.6, 0.8), (-0.8, 0.9))  # = models.meanfield.X_INPUTS (a test holds them equal; that module loads JAX)

INSTANCES_TEXT = f"{INSTANCES} seeded instances at each m ∈ {INSTANCE_WIDTHS}"
WILLIAMS = "Williams' closed forms (numeric.expectation), σ = erf, a ~ N(0,1), b ~ N(0, I₂)"
X1, X2 = (f"({a:g}, {b:g})".replace("-", "−") for a, b in INPUTS)
STEP_GRID = f"‖h‖ = {Fraction(min(STEPS), STEP_SCALE)}…{Fraction(max(STEPS), STEP_SCALE)} at m = {STEP_WIDTH}"


def _span(widths: PerProfile) -> str:
    return f"m = {widths.quick[0]}…{widths.quick[-1]} on the quick profile"


def _lazy(module: str):
    """SymPy, JAX and mpmath load when a check runs: `ntkverify list` and the catalogue import without them (~3 s)."""
    return importlib.import_module(module)


@functools.cache
def _gram_limit():
    return _lazy("verify.models.meanfield").gram_limit(ACTIVATION, "closed")


# ---- check builders ---------------------------------------------------------------------------------------------

def _sympy(name: str, build) -> Exact:
    """The SymPy results `build(derive.meanfield)` as symbolic comparisons."""
    return Exact(name, View.SYMBOLIC,
                 lambda ctx: derived(build(_lazy("derive.meanfield")), "derive.meanfield (SymPy, φ undefined)"))


def _scalar(*names: str, r: float = SCALAR_STEP):
    return lambda pad: outputs("meanfield.scalar", names, phi=SCALAR_PHI, r=r, pad=pad)


def _net(*names: str):
    return lambda pad: outputs("meanfield.two_layer", names, activation=ACTIVATION, r=NET_STEP, pad=pad)


def _sweep(kind, name: str, sample, series, widths: PerProfile, replicates: PerProfile = REPLICATES, **kw) -> Deferred:
    """A width sweep of `kind` over named outputs, built per profile: every width pads to the profile's largest (one
    XLA compilation per sweep; the draws depend on the padding). `series` is a function: closed forms load late."""
    return Deferred(name, View.MONTE_CARLO,
                    lambda p: kind(name, sample(max(widths(p))), series(), widths, replicates, **kw))


def _step_pad(widths: PerProfile, profile) -> int:
    """The ‖h‖-sweep's padding: the m-sweep's over `widths` (its compiled program serves, ‖h‖ is traced) while that is
    ≤ SHARED_PAD·STEP_WIDTH; beyond, a padded two-layer replicate costs more than compiling a program of its own."""
    return max(widths(profile)) if max(widths(profile)) <= SHARED_PAD * STEP_WIDTH else STEP_WIDTH


def _over_steps(name: str, kind: str, family: str, columns: tuple, series: tuple, widths: PerProfile) -> Deferred:
    """Every draw at every ‖h‖ of STEPS/STEP_SCALE at m = STEP_WIDTH (common random numbers), padded by _step_pad."""
    return Deferred(name, View.MONTE_CARLO, lambda p: PairedScalingLaw(
        name, _lazy("verify.observables.meanfield").paired_step_sampler(kind, family, STEP_WIDTH, STEPS, STEP_SCALE,
                                                                        columns, pad=_step_pad(widths, p)),
        series, STEPS, PAIRED_REPLICATES, variable=f"{STEP_SCALE}‖h‖"))


def _rate(label: str, p: float, text: str, reference: str, tol: float = EXPONENT.value) -> Series:
    return Series(label, p, tol, text, reference)


# ---- deterministic checks (numbers from numeric/meanfield.py) -----------------------------------------------------

def _instances(ctx, family: str, shape: tuple = ()):
    """The seeded autodiff instances of `family` (the same for every check that reads them)."""
    return _lazy("numeric.meanfield").instances(ctx.rng("instances", family), family, INSTANCE_WIDTHS, INSTANCES, shape)


def _gradient_numeric(ctx):
    nm, model = _lazy("numeric.meanfield"), _lazy("verify.models.meanfield")
    comps = []
    for phi in model.PHIS:
        e = nm.gradient_errors(_instances(ctx, phi), phi)
        comps += [exact(f"max |m∂g/∂uⱼ − φ'(uⱼ)|, φ = {phi} (jax.grad, m ∈ {INSTANCE_WIDTHS}, {INSTANCES} seeds each)",
                        0.0, e["grad"], ROUNDOFF.value, "∂g/∂uⱼ = φ'(uⱼ)/m (§4.2)"),
                  exact(f"max relative |‖∇g‖² − (1/m²)Σφ'(uⱼ)²|, φ = {phi}", 0.0, e["norm"], ROUNDOFF.value,
                        "(18) of §4.2")]
    return comps


def _hessian_numeric(ctx, corrected: bool):
    """Structure of D²g (both claims); its norm against ‖φ''‖_∞/m as written, against maxⱼ|φ''(uⱼ)|/m and as a
    bound in the corrected companion."""
    nm, model = _lazy("numeric.meanfield"), _lazy("verify.models.meanfield")
    ref = f"{INSTANCES_TEXT}, jax.hessian, 2-norm by SVD"
    comps = []
    for phi in model.PHIS:
        spec = model.phi_of(phi)
        e = nm.hessian_errors(_instances(ctx, phi), phi)
        comps += [exact(f"max m·|off-diagonal entry of D²g|, φ = {phi}", 0.0, e["off"], ROUNDOFF.value, ref),
                  exact(f"max |m·D²g(u)ⱼⱼ − φ''(uⱼ)|, φ = {phi}", 0.0, e["diag"], ROUNDOFF.value, ref)]
        if corrected:
            comps += [exact(f"max |m‖D²g(u)‖_op − maxⱼ|φ''(uⱼ)||, φ = {phi}", 0.0, e["eq"], ROUNDOFF.value, ref),
                      at_most(f"max m‖D²g(u)‖_op − ‖φ''‖_∞ (the bound), φ = {phi}", e["slack"], ROUNDOFF.value,
                              f"{spec.sup_text}; {ref}")]
        else:
            comps.append(exact(f"‖φ''‖_∞ − m‖D²g(u)‖_op at the instance closest to equality, φ = {phi}", 0.0,
                               spec.sup_second - e["best"], ROUNDOFF.value,
                               f"stated ‖D²g(u)‖_op = ‖φ''‖_∞/m; {spec.sup_text}; {ref}",
                               largest_m_norm_per_m={str(k): v for k, v in e["per_m"].items()}))
    return comps


def _counterexample(ctx, corrected: bool):
    """φ = sin, u = 0: D²g(0) = 0 exactly (SymPy), so ‖D²g(0)‖_op = 0 ≠ 1/m = ‖sin''‖_∞/m."""
    out = []
    for m in (1, 3):
        hess, op, stated = _lazy("derive.meanfield").hessian_at_zero_for_sin(m)
        if corrected:
            out.append(symbolic(f"φ = sin, u = 0, m={m}: ‖D²g(0)‖_op = {op} ≤ ‖sin''‖_∞/m = {stated}",
                                bool((op - stated).is_nonpositive), str(op), f"≤ {stated}",
                                "SymPy: D²g(0) = diag(−sin(0)/m) = 0", residual=str(op - stated)))
        else:
            out.append(symbolic(f"φ = sin, u = 0, m={m}: ‖D²g(0)‖_op = ‖sin''‖_∞/m", bool(op == stated), str(op),
                                str(stated), "SymPy: D²g(0) = diag(−sin(0)/m) = 0; ‖sin''‖_∞ = 1 (sympy.maximum)",
                                residual=str(op - stated), hessian=str(hess)))
    return out


def _phi_prime_closed(ctx):
    model = _lazy("verify.models.meanfield")
    return [exact(f"E[φ'(u)²], φ = {phi}: closed form vs Gauss–Legendre quadrature (mpmath, 30 digits)",
                  float(model.mean_phi_prime_sq(phi)), float(model.mean_phi_prime_sq_quadrature(phi)),
                  ROUNDOFF.value, "sin: (1 + e^{−2})/2; tanh: quadrature of sech⁴·N with other cut points",
                  view=View.CLOSED_FORM) for phi in ("sin", "tanh")]


def _gram_closed(ctx):
    closed, quad = _gram_limit(), _lazy("numeric.meanfield").gram_quadrature()
    return [exact(f"E[DφDφᵀ]_{k + 1}{l + 1}: Williams' closed forms vs Gauss–Hermite", quad[k, l], closed[k, l],
                  QUADRATURE.value, "E[σσ] + E[a²]E[σ'σ']⟨x_k,x_l⟩, σ = erf", view=View.CLOSED_FORM)
            for k, l in ENTRIES]


def _gram_numeric(ctx):
    worst = _lazy("numeric.meanfield").gram_error(ctx.rng("gram instances"), INSTANCE_WIDTHS, INSTANCES, ACTIVATION)
    return [exact(f"max relative |DgDgᵀ − (1/m²)ΣDφDφᵀ| (jax.jacrev, σ = erf, m ∈ {INSTANCE_WIDTHS})", 0.0, worst,
                  ROUNDOFF.value, "Dφ(uⱼ) = [σ(⟨bⱼ,x_k⟩), aⱼσ'(⟨bⱼ,x_k⟩)x_kᵀ]_k by hand")]


def _blocks_numeric(ctx):
    """jax.hessian of g over all 3m coordinates: block structure, blocks, and the norm bound (with equality)."""
    nm = _lazy("numeric.meanfield")
    families = {"two-layer": "two-layer aσ(⟨b,x₁⟩), σ = erf",
                "generic": "generic φ(v) = sin(v₁+2v₂) + v₁cos v₃ + v₂²v₃"}
    ref = f"{INSTANCES_TEXT}, d = 3, jax.hessian"
    comps = []
    for family, label in families.items():
        e = nm.block_errors(_instances(ctx, family, (3,)), family)
        comps += [exact(f"{label}: max |off-diagonal block entry| / max|D²g|", 0.0, e["off"], ROUNDOFF.value, ref),
                  exact(f"{label}: max |diagonal block − (1/m)D²φ(uⱼ)| / max|D²g|", 0.0, e["blocks"], ROUNDOFF.value,
                        ref),
                  at_most(f"{label}: max (‖D²g‖_op − (1/m)maxⱼ‖D²φ(uⱼ)‖_op) / bound", e["excess"], ROUNDOFF.value,
                          ref + "; SVD norms", smallest_ratio_norm_over_bound=e["ratio_min"])]
        if family == "two-layer":
            comps.append(exact(f"{label}: D²φ(uⱼ) = [[0, σ'xᵀ], [σ'x, aσ''xxᵀ]] (by hand)", 0.0, e["explicit"],
                               ROUNDOFF.value, ref))
    return comps


def _taylor_bound(ctx):
    """Every draw: |R| ≤ ‖φ''‖_∞‖h‖²/(2√m) (Lagrange), along the worst coordinate and a random direction."""
    names = ("|R|·2√m/(‖φ''‖_∞‖h‖²) worst", "|R|·2√m/(‖φ''‖_∞‖h‖²) random")
    comps = []
    for r in TAYLOR_STEPS:
        # the scalar m-sweep's padding: its compiled program (‖h‖ is traced) serves these draws too
        sample = _scalar(*names, r=r)(max(SCALAR_WIDTHS(ctx.profile) + TAYLOR_WIDTHS))
        worst = max(float(sample(ctx.key("taylor bound", m, int(r * 10)), m, TAYLOR_DRAWS).max()) for m in TAYLOR_WIDTHS)
        comps.append(at_most(f"max |R|/(‖φ''‖_∞‖h‖²/(2√m)) at ‖h‖ = {r:g} (m = {TAYLOR_WIDTHS[0]}…{TAYLOR_WIDTHS[-1]}, "
                             f"{TAYLOR_DRAWS} draws each, φ = {SCALAR_PHI})",
                             worst, 1.0 + BOUND_ROUNDOFF.value, "Lagrange remainder: 1 is the bound"))
    return comps


def _opnorm_numeric(ctx):
    e = _lazy("numeric.meanfield").opnorm_errors(ctx.rng("matrices"), SHAPES, MATRICES, PROBES)
    ref = f"{MATRICES} seeded Gaussian matrices per shape {SHAPES}, scales 1e-3…1e3; 2-norms by LAPACK SVD"
    return [exact("max relative |‖A‖_op² − ‖AᵀA‖_op|", 0.0, e["sq"], ROUNDOFF.value, ref),
            exact("max relative |‖A‖_op − ‖Aᵀ‖_op|", 0.0, e["t"], ROUNDOFF.value, ref),
            exact("S symmetric: max relative |‖S‖_op − max|λ(S)||", 0.0, e["sym"], ROUNDOFF.value,
                  "sup_{‖x‖≤1}|xᵀSx| = max|λ| (Rayleigh, eigh) against the SVD norm"),
            exact("S symmetric: the sup is attained, |vᵀSv| = ‖S‖_op at the extreme eigenvector", 0.0, e["attain"],
                  ROUNDOFF.value, "v from eigh"),
            at_most(f"S symmetric: max over {PROBES} random unit x of |xᵀSx|/‖S‖_op − 1", e["exceed"], ROUNDOFF.value,
                    "no x exceeds ‖S‖_op")]


# ---- Monte Carlo checks ---------------------------------------------------------------------------------------------

def _grad_series():
    limit = float(_lazy("verify.models.meanfield").mean_phi_prime_sq(SCALAR_PHI))
    return (Series("m‖∇g(u⁰)‖², φ = sin", limit, LIMIT.value, "E[φ'(u)²] = E[cos²u] = (1 + e^{−2})/2",
                   "mpmath closed form (checked by quadrature)"),)


def _entry_series():
    E = _gram_limit()
    return tuple(Series(f"m(DgDgᵀ)_{k + 1}{l + 1}", float(E[k, l]), LIMIT.value, f"E[DφDφᵀ]_{k + 1}{l + 1}", WILLIAMS)
                 for k, l in ENTRIES)


def _e_op() -> float:
    return float(np.max(np.linalg.eigvalsh(_gram_limit())))


@functools.cache
def _memoised_net(*names: str):
    """pad → one memoising sampler per padding (the Deferred builds the check again for each claim)."""
    return functools.cache(lambda pad: _lazy("verify.observables._base").memoised(_net(*names)(pad)))


# Both gram claims state the entries' limit: one sweep, the same draws and numbers in both (drawn once per run)
GRAM_ENTRIES = _sweep(functools.partial(LimitSweep, key_scope="meanfield.gram-entries"),
                      "m·DgDgᵀ over the width", _memoised_net("m(DgDgᵀ)₁₁", "m(DgDgᵀ)₁₂", "m(DgDgᵀ)₂₂"),
                      _entry_series, NET_WIDTHS, exponent_tol=CLT_EXPONENT.value)

GRAM_AS_STATED = (
    GRAM_ENTRIES,
    _sweep(LimitSweep, "stated operator norm over the width", _net("√m‖DgDgᵀ‖_op"),
           lambda: (Series("√m‖DgDgᵀ‖_op", math.sqrt(_e_op()), LIMIT.value, "‖E[DφDφᵀ]‖_op^{1/2} (as stated)",
                           WILLIAMS),),
           NET_WIDTHS, exponent_tol=CLT_EXPONENT.value,
           fluctuation_exponent=-2.0),  # √m times an O(1/m) average with O(m^{-3/2}) spread: Var ∝ m^{-2}
    _sweep(ScalingLaw, "rate of the stated operator norm", _net("‖DgDgᵀ‖_op"),
           lambda: (_rate("E‖Dg(u⁰)Dg(u⁰)ᵀ‖_op", -0.5, "≃ (1/√m)‖E‖^{1/2}: −1/2 (as stated)", "the statement's rate"),),
           NET_WIDTHS, variable="m"))

GRAM_CORRECTED = (
    GRAM_ENTRIES,
    _sweep(LimitSweep, "operator norms over the width", _net("m‖DgDgᵀ‖_op", "√m‖Dg‖_op"),
           lambda: (Series("m‖DgDgᵀ‖_op", _e_op(), LIMIT.value, "‖E[DφDφᵀ]‖_op", WILLIAMS),
                    Series("√m‖Dg‖_op", math.sqrt(_e_op()), LIMIT.value, "‖E[DφDφᵀ]‖_op^{1/2}", WILLIAMS)),
           NET_WIDTHS, exponent_tol=CLT_EXPONENT.value),
    _sweep(ScalingLaw, "rate of the operator norms", _net("‖DgDgᵀ‖_op", "‖Dg‖_op"),
           lambda: (_rate("E‖Dg(u⁰)Dg(u⁰)ᵀ‖_op", -1.0, "≃ (1/m)‖E[DφDφᵀ]‖_op: −1", "the LLN limit of the matrix"),
                    _rate("E‖Dg(u⁰)‖_op", -0.5, "≃ (1/√m)‖E[DφDφᵀ]‖_op^{1/2}: −1/2",
                          "Property 5: ‖Dg‖_op = ‖DgDgᵀ‖_op^{1/2}")),
           NET_WIDTHS, variable="m"))

LAZY_SERIES = (
    _rate("E|f(u⁰+h) − f(u⁰)| (the output moves)", 0.0, "O(1): 0", "⟨∇f,h⟩ = ‖h‖‖∇f(u⁰)‖ → ‖h‖·E[|Dφ|²]^{1/2}"),
    _rate("E‖∇f(u⁰+h) − ∇f(u⁰)‖/‖∇f(u⁰)‖ (tangent features)", -0.5, "‖D²f‖_op‖h‖ = O(‖h‖/√m): −1/2",
          "§4.3.2 with f = √m g"),
    _rate("E|R|, h on one neuron (top eigenvector of D²φ(u₁))", -0.5, "O(‖h‖²/√m): −1/2",
          "the bound of §4.3.2, attained in this direction"))
# decreasing=True accepts slope ≤ −tol: with tol = 1/2 − EXPONENT that is the O(‖h‖²/√m) bound, slope ≤ −1/2 + 0.1
ALONG_GRADIENT = _rate("E|R|, h ∝ ∇f(u⁰)", -0.5, f"O(‖h‖²/√m): slope ≤ −1/2 + {EXPONENT:g} (derived: −1)",
                       "hᵀD²f h = (‖h‖²/(√m·m‖∇f‖²))ΣⱼDφⱼᵀD²φⱼDφⱼ, whose terms have mean 0 (odd in aⱼ): a CLT sum, so "
                       "‖h‖²/m; the local slopes approach −1 from above (−0.94 at 64→256, −0.98 at 256→1024, 16000 "
                       "draws)", tol=0.5 - EXPONENT.value)
TANGENT, REMAINDER = "‖∇f(u⁰+h)−∇f(u⁰)‖/‖∇f(u⁰)‖", "|R| along ∇f"
SECOND_ORDER = f"second order; ‖h‖ = k/{STEP_SCALE}, every draw at every ‖h‖"

# ---- claims -----------------------------------------------------------------------------------------------------

GRADIENT_NORM = Claim(
    id="meanfield.gradient-norm", group="meanfield", source=Source(SEED, "§4.2 (18)–(19)"),
    statement="‖∇g(u)‖² = (1/m²)Σφ'(uⱼ)² ≃ (1/m)E[φ'(uⱼ)²], uⱼ iid N(0,1).",
    latex=r"\|\nabla g(u)\|^2=\frac1{m^2}\sum_{j=1}^m\phi'(u_j)^2\simeq\frac1m\mathbb E[\phi'(u_j)^2]",
    reading="'=': SymPy differentiates g for an undefined φ (m = 1…4) and jax.grad matches (1/m²)Σφ'(uⱼ)² to round-off "
            f"on seeded instances (φ = sin, tanh; m ∈ {INSTANCE_WIDTHS}). '≃' (law of large numbers): on a width sweep "
            f"({_span(SCALAR_WIDTHS)}, φ = sin, u⁰ iid N(0,1)) m‖∇g(u⁰)‖² extrapolates to E[cos²u] = (1 + e^{{−2}})/2 "
            f"within ±{LIMIT:g} and its variance shrinks like m^{{−1}} (the CLT rate, ±{CLT_EXPONENT:g}). The closed "
            "form is checked against mpmath quadrature.",
    checks=(_sympy("∇g and ‖∇g‖² (SymPy)", lambda d: [r for m in (1, 2, 4) for r in d.check_scalar(m)[:2]]),
            Exact("jax.grad on random instances", View.NUMERIC, _gradient_numeric),
            Exact("E[φ'²] closed forms", View.CLOSED_FORM, _phi_prime_closed),
            _sweep(LimitSweep, "m‖∇g(u⁰)‖² over the width", _scalar("m‖∇g(u⁰)‖²"), _grad_series, SCALAR_WIDTHS,
                   exponent_tol=CLT_EXPONENT.value)),
)


def _hessian_checks(corrected: bool):
    return (_sympy("D²g for an undefined φ (SymPy)", lambda d: [d.check_scalar(m)[2] for m in (1, 2, 4)]),
            Exact("counterexample φ = sin, u = 0 (SymPy)", View.SYMBOLIC, lambda ctx: _counterexample(ctx, corrected)),
            Exact("jax.hessian on random instances", View.NUMERIC, lambda ctx: _hessian_numeric(ctx, corrected)))


HESSIAN_DIAGONAL = Claim(
    id="meanfield.hessian-diagonal", group="meanfield", source=Source(SEED, "§4.2 (20)–(22)"),
    statement="D²g(u) is diagonal with entries φ''(uⱼ)/m, and ‖D²g(u)‖_op = ‖φ''‖_∞ / m.",
    latex=r"D^2g(u)=\mathrm{diag}\big(\phi''(u_j)/m\big),\qquad \|D^2g(u)\|_{op}=\frac{\|\phi''\|_\infty}{m}",
    reading="The structure: SymPy's Hessian of g for an undefined φ (m = 1…4) is diag(φ''(uⱼ)/m); jax.hessian matches it "
            f"to round-off ({ROUNDOFF:g}) on seeded instances (φ = sin, tanh; m ∈ {INSTANCE_WIDTHS}). The norm, as "
            "written, is an equality for every u: SymPy evaluates it at φ = sin, u = 0 (D²g(0) = 0, so the left side "
            "is 0 and the right 1/m), and float64 compares m‖D²g(u)‖_op (SVD) with ‖φ''‖_∞ at the instance where they "
            "are closest.",
    checks=_hessian_checks(False),
    note="Wrong as written: the derivation bounds ‖D²g(u)x‖² by (1/m²)supᵢφ''(uᵢ)² and then writes supᵢ|φ''(uᵢ)| "
         "(a max over the m points) as ‖φ''‖_∞ (a sup over ℝ), turning '≤' into '='; the last line also writes "
         "‖D²g(u)x‖_op for ‖D²g(u)‖_op. The operator norm of the diagonal matrix is maxⱼ|φ''(uⱼ)|/m, which equals "
         "‖φ''‖_∞/m only where some uⱼ attains sup|φ''| (never at u = 0 for sin, almost never for Gaussian u). "
         "What is true is the bound: see meanfield.hessian-diagonal.corrected. Read with ‖φ''‖_∞ the ℓ∞ norm of the "
         "vector (φ''(uⱼ))ⱼ, the equality would hold (it is the corrected statement's equality); the standard reading, "
         "a sup over ℝ of the function φ'', is the one the linearization needs (its Taylor remainder is evaluated "
         "between u⁰ and u⁰ + h), and is the one checked.",
)

HESSIAN_DIAGONAL_CORRECTED = Claim(
    id="meanfield.hessian-diagonal.corrected", group="meanfield", source=Source(SEED, "§4.2 (corrected)"),
    statement="D²g(u) is diagonal with entries φ''(uⱼ)/m, so ‖D²g(u)‖_op = maxⱼ|φ''(uⱼ)|/m ≤ ‖φ''‖_∞/m "
              "(equality only when some uⱼ attains sup|φ''|).",
    latex=r"\|D^2g(u)\|_{op}=\frac1m\max_j|\phi''(u_j)|\le\frac{\|\phi''\|_\infty}{m}",
    reading="As for meanfield.hessian-diagonal, but the norm is compared with maxⱼ|φ''(uⱼ)|/m (equality to round-off on "
            "every instance) and with ‖φ''‖_∞/m as a bound (the largest m‖D²g‖_op − ‖φ''‖_∞ over the instances ≤ "
            f"{ROUNDOFF:g}); at φ = sin, u = 0 SymPy gives 0 ≤ 1/m.",
    checks=_hessian_checks(True),
    corrects="meanfield.hessian-diagonal",
    note="The bound is what the linearization needs (the Taylor remainder of §4.2); as m → ∞ with φ'' continuous "
         "and Gaussian uⱼ, maxⱼ|φ''(uⱼ)| → ‖φ''‖_∞ almost surely, so the bound is asymptotically attained "
         "(the scalar observable reports maxⱼ|φ''(u⁰ⱼ)|: 0.985 at m = 16, 0.9999 at m = 1024 for sin).",
)

LINEARIZATION = Claim(
    id="meanfield.linearization", group="meanfield", source=Source(SEED, "§4.2"),
    statement="f = √m g: f(u⁰+h) = f(u⁰) + √m⟨∇g(u⁰),h⟩ + O(‖h‖²/√m).",
    latex=r"f(u^0+h)=f(u^0)+\sqrt m\langle\nabla g(u^0),h\rangle+\mathcal O\Big(\frac{\|h\|^2}{\sqrt m}\Big)",
    reading="R = f(u⁰+h) − f(u⁰) − √m⟨∇g(u⁰),h⟩ (∇g by autodiff), φ = sin, u⁰ iid N(0,1). SymPy: the first and "
            "second t-derivatives of f(u⁰+th) are √m⟨∇g,h⟩ and (1/√m)Σφ''(uⱼ)hⱼ². The O(·) as a bound uniform in h: "
            f"|R| ≤ ‖φ''‖_∞‖h‖²/(2√m) (relative slack {BOUND_ROUNDOFF:g}) on every draw (m ∈ {TAYLOR_WIDTHS}, "
            f"{TAYLOR_DRAWS} draws each, ‖h‖ ∈ {TAYLOR_STEPS}, worst coordinate and random direction). Its rate is the "
            "sharp one: along h = ‖h‖e_{j*}, j* = argmaxⱼ|φ''(u⁰ⱼ)| (where the bound is attained), the log-log slope "
            f"of E|R| over {_span(SCALAR_WIDTHS)} at ‖h‖ = {SCALAR_STEP:g} is −1/2 ± {EXPONENT:g}, and over "
            f"{STEP_GRID} it is 2 ± {EXPONENT:g}.",
    checks=(_sympy("Taylor coefficients of f(u⁰+th) (SymPy)", lambda d: d.check_taylor(3)),
            Exact("Taylor bound on every draw", View.NUMERIC, _taylor_bound),
            _sweep(ScalingLaw, "remainder over m at ‖h‖ = 1/2", _scalar("|R| worst coordinate"),
                   lambda: (_rate("E|R|, h = ‖h‖e_{j*} (j* = argmax|φ''(u⁰ⱼ)|)", -0.5, "O(‖h‖²/√m): −1/2",
                                  "the Lagrange remainder along the worst coordinate"),),
                   SCALAR_WIDTHS, variable="m"),
            _over_steps(f"remainder over ‖h‖ at m = {STEP_WIDTH}", "scalar", SCALAR_PHI, ("|R| worst coordinate",),
                        (_rate("|R|, h = ‖h‖e_{j*}", 2.0, "O(‖h‖²/√m): 2", SECOND_ORDER),), SCALAR_WIDTHS)),
    note="O(‖h‖²/√m) is a worst case over directions: along a random direction (φ = sin, E[φ''] = 0) the remainder "
         "is O(‖h‖²/m) (the observable reports it).",
)

OPNORM_IDENTITIES = Claim(
    id="meanfield.opnorm-identities", group="meanfield", source=Source(SEED, "§4.3.1 Property 5, §4.3.2 Property 6"),
    statement="‖A‖_op² = ‖AᵀA‖_op and ‖A‖_op = ‖Aᵀ‖_op for every real A; for symmetric A, "
              "‖A‖_op = sup_{‖x‖≤1}|xᵀAx|.",
    latex=r"\|A\|_{op}^2=\|A^TA\|_{op},\ \|A\|_{op}=\|A^T\|_{op};\quad A=A^T:\ \|A\|_{op}=\sup_{\|x\|\le1}|x^TAx|",
    reading="SymPy, 2×2 with symbolic entries: AᵀA and AAᵀ share their characteristic polynomial; AᵀA has nonnegative "
            "eigenvalues and (AᵀA)² the squared ones; for symmetric S, xᵀSx on the unit circle is tr/2 + amplitude·cos, "
            "with amplitude (λ₊−λ₋)/2, so it sweeps exactly [λ₋, λ₊]. float64: the three identities to round-off "
            f"({ROUNDOFF:g}) on seeded Gaussian matrices of shapes {SHAPES} at scales 1e-3…1e3 (LAPACK SVD vs eigh), "
            "the sup attained at the extreme eigenvector and exceeded by no random unit x. Hypothesis property tests in "
            "tests/fast/test_meanfield.py.",
    checks=(_sympy("2×2 symbolic (SymPy)", lambda d: d.check_opnorm_2x2()),
            Exact("random matrices", View.NUMERIC, _opnorm_numeric)),
)


def _gram_checks(sweeps: tuple):
    return (_sympy("Dg Dgᵀ for an undefined φ: ℝᵈ→ℝⁿ (SymPy)", lambda d: d.check_gram(3, 2, 2)),
            Exact("jax.jacrev on random instances", View.NUMERIC, _gram_numeric),
            Exact("E[DφDφᵀ] closed forms", View.CLOSED_FORM, _gram_closed), *sweeps)


_GRAM_SETTING = (f"φ(uⱼ) = aⱼσ(⟨bⱼ,x_k⟩) at n = 2 inputs x₁ = {X1}, x₂ = {X2}, σ = {ACTIVATION}, uⱼ = (aⱼ,bⱼ) "
                 "iid N(0, I₃) (d = 3). ")

JACOBIAN_GRAM = Claim(
    id="meanfield.jacobian-gram", group="meanfield", source=Source(SEED, "§4.3.1"),
    statement="for φ: ℝᵈ→ℝⁿ, Dg(u)Dg(u)ᵀ = (1/m²)Σⱼ Dφ(uⱼ)Dφ(uⱼ)ᵀ ≃ (1/m)E[Dφ Dφᵀ], and "
              "‖Dg(u⁰)Dg(u⁰)ᵀ‖_op ≃ (1/√m) ‖E[Dφ(u⁰ⱼ)Dφ(u⁰ⱼ)ᵀ]‖_op^{1/2}.",
    latex=r"Dg\,Dg^T=\frac1{m^2}\sum_jD\phi(u_j)D\phi(u_j)^T\simeq\frac1m\mathbb E[D\phi D\phi^T],\quad "
          r"\|Dg(u^0)Dg(u^0)^T\|_{op}\simeq\frac1{\sqrt m}\|\mathbb E[D\phi D\phi^T]\|_{op}^{1/2}",
    reading="'=': SymPy for an undefined φ: ℝ²→ℝ² (m = 3) and jax.jacrev on random instances of the two-layer φ. "
            + _GRAM_SETTING + f"'≃ (1/m)E': on a width sweep ({_span(NET_WIDTHS)}) the entries of m·Dg(u⁰)Dg(u⁰)ᵀ "
            f"extrapolate to those of E[DφDφᵀ] (Williams' closed forms, checked by quadrature to {QUADRATURE:g}) within "
            f"±{LIMIT:g}, with variance ∝ m^{{−1}}. The norm statement, as written: √m‖Dg(u⁰)Dg(u⁰)ᵀ‖_op extrapolates "
            f"to ‖E[DφDφᵀ]‖_op^{{1/2}} (±{LIMIT:g}) and the log-log slope of E‖Dg(u⁰)Dg(u⁰)ᵀ‖_op over m is "
            f"−1/2 ± {EXPONENT:g}.",
    checks=_gram_checks(GRAM_AS_STATED),
    note="The last '≃' is wrong as written: by the first part (and continuity of ‖·‖_op) ‖Dg(u⁰)Dg(u⁰)ᵀ‖_op ≃ "
         "(1/m)‖E[DφDφᵀ]‖_op (measured slope −1.00; √m‖DgDgᵀ‖_op → 0). The stated right-hand side is the size of "
         "‖Dg(u⁰)‖_op = ‖DgDgᵀ‖_op^{1/2} (Property 5, applied just before): the square root was dropped on the "
         "left. See meanfield.jacobian-gram.corrected.",
)

JACOBIAN_GRAM_CORRECTED = Claim(
    id="meanfield.jacobian-gram.corrected", group="meanfield", source=Source(SEED, "§4.3.1 (corrected)"),
    statement="for φ: ℝᵈ→ℝⁿ, Dg(u)Dg(u)ᵀ = (1/m²)Σⱼ Dφ(uⱼ)Dφ(uⱼ)ᵀ ≃ (1/m)E[Dφ Dφᵀ], so "
              "‖Dg(u⁰)Dg(u⁰)ᵀ‖_op ≃ (1/m)‖E[DφDφᵀ]‖_op and ‖Dg(u⁰)‖_op ≃ (1/√m)‖E[DφDφᵀ]‖_op^{1/2}.",
    latex=r"\|Dg(u^0)Dg(u^0)^T\|_{op}\simeq\frac1m\|\mathbb E[D\phi D\phi^T]\|_{op},\quad "
          r"\|Dg(u^0)\|_{op}\simeq\frac1{\sqrt m}\|\mathbb E[D\phi D\phi^T]\|_{op}^{1/2}",
    reading="As meanfield.jacobian-gram for the identity and the entries. " + _GRAM_SETTING + "The norms: m‖DgDgᵀ‖_op "
            f"extrapolates to ‖E[DφDφᵀ]‖_op and √m‖Dg‖_op to its square root (±{LIMIT:g} each, variance ∝ m^{{−1}}); "
            f"the log-log slopes of E‖DgDgᵀ‖_op and E‖Dg‖_op over m are −1 and −1/2 (± {EXPONENT:g}).",
    checks=_gram_checks(GRAM_CORRECTED),
    corrects="meanfield.jacobian-gram",
)

HESSIAN_BLOCKS = Claim(
    id="meanfield.hessian-blocks", group="meanfield", source=Source(SEED, "§4.3.2"),
    statement="D²g(u) is (d·m)×(d·m) block diagonal with d×d blocks (1/m)D²φ(uⱼ), and "
              "‖D²g(u)‖_op ≤ (1/m) maxⱼ ‖D²φ(uⱼ)‖_op.",
    latex=r"D^2g(u)=\mathrm{blockdiag}\Big(\tfrac1mD^2\phi(u_j)\Big),\qquad\|D^2g(u)\|_{op}\le\frac1m\max_j\|D^2\phi(u_j)\|_{op}",
    reading="SymPy: the Hessian of g over all d·m coordinates, for an undefined φ: ℝ²→ℝ (m = 3) and for the two-layer "
            "φ = aσ(⟨b,x⟩) with σ undefined (m = 2, d = 3), has zero off-diagonal blocks and diagonal blocks "
            "(1/m)D²φ(uⱼ); the two-layer block is [[0, σ'xᵀ], [σ'x, aσ''xxᵀ]]. float64: jax.hessian on seeded instances "
            f"(m ∈ {INSTANCE_WIDTHS}, d = 3, the two-layer φ with σ = erf and a generic φ) matches the structure to "
            f"round-off ({ROUNDOFF:g}), and the bound holds on every instance (the largest relative excess ≤ round-off; "
            "it is met with equality: a block-diagonal matrix's norm is its largest block's).",
    checks=(_sympy("block structure (SymPy)", lambda d: d.check_blocks(3, 2) + d.check_two_layer(2, 2)),
            Exact("jax.hessian on random instances", View.NUMERIC, _blocks_numeric)),
)

TWO_LAYER_LAZY = Claim(
    id="meanfield.two-layer-lazy", group="meanfield", source=Source(SEED, "§4.1, §4.4"),
    statement="the net (1/√m)Σⱼ aⱼσ(⟨bⱼ,x⟩), Gaussian init, behaves linearly around its initialization as m→∞ "
              "(φ(uⱼ) = aⱼσ(⟨bⱼ,x⟩), uⱼ=(aⱼ,bⱼ)).",
    latex=r"\frac1{\sqrt m}\sum_{j=1}^ma_j\sigma(\langle b_j,x\rangle)\ \text{is linear around }u^0\text{ as }m\to\infty",
    reading=f"f(u) = (1/√m)Σⱼaⱼσ(⟨bⱼ,x⟩) = √m g(u), σ = {ACTIVATION}, x = {X1}, aⱼ, bⱼ iid N(0,1), d = 2. 'Behaves "
            "linearly' read as: a parameter step of size O(1) moves the output by O(1) while its nonlinear part "
            f"vanishes. The step is h = ‖h‖∇f(u⁰)/‖∇f(u⁰)‖ (the direction of a gradient step on this input), ‖h‖ = "
            f"{NET_STEP:g}. Over {_span(NET_WIDTHS)} the log-log slopes are: |f(u⁰+h) − f(u⁰)|, 0 ± {EXPONENT:g} (it "
            "moves); the relative change of the tangent features ‖∇f(u⁰+h) − ∇f(u⁰)‖/‖∇f(u⁰)‖, −1/2 ± "
            f"{EXPONENT:g}; the remainder R = f(u⁰+h) − f(u⁰) − ⟨∇f(u⁰),h⟩ obeys the O(‖h‖²/√m) of §4.3.2 (slope ≤ "
            f"−1/2 + {EXPONENT:g}; it is beaten, the measured slope is ≈ −1: the quadratic term is a mean-zero sum), "
            f"and when the same ‖h‖ is put on one neuron its slope is −1/2 ± {EXPONENT:g} (the bound's rate, attained). "
            f"Over {STEP_GRID} the tangent change and R have slopes 1 and 2 (± {EXPONENT:g}). SymPy: the two-layer "
            "Hessian is block diagonal with blocks (1/m)[[0, σ'xᵀ], [σ'x, aσ''xxᵀ]] for σ undefined.",
    checks=(_sympy("two-layer Hessian blocks (SymPy)", lambda d: d.check_two_layer(3, 2)),
            _sweep(ScalingLaw, f"lazy step over m at ‖h‖ = {NET_STEP:g}",
                   _net("|f(u⁰+h)−f(u⁰)|", TANGENT, "|R| along one neuron"), lambda: LAZY_SERIES,
                   NET_WIDTHS, LAZY_REPLICATES, variable="m"),
            _sweep(ScalingLaw, f"remainder along ∇f over m at ‖h‖ = {NET_STEP:g}", _net(REMAINDER),
                   lambda: (ALONG_GRADIENT,), NET_WIDTHS, variable="m", decreasing=True),
            _over_steps(f"lazy step over ‖h‖ at m = {STEP_WIDTH}", "two_layer", ACTIVATION, (TANGENT, REMAINDER),
                        (_rate("‖∇f(u⁰+h) − ∇f(u⁰)‖/‖∇f(u⁰)‖", 1.0, "O(‖h‖/√m): 1", "first order in h"),
                         _rate("|R|, h ∝ ∇f(u⁰)", 2.0, "O(‖h‖²/√m): 2", SECOND_ORDER)), NET_WIDTHS)),
    note="The constant of O(‖h‖²/√m) is not uniform over the Gaussian init: ‖D²φ(uⱼ)‖_op grows with |aⱼ|, so the "
         "worst single neuron's remainder carries maxⱼ|aⱼ| ~ √(2 log m); the fixed neuron u₁ avoids it.",
)

CLAIMS: tuple[Claim, ...] = (GRADIENT_NORM, HESSIAN_DIAGONAL, HESSIAN_DIAGONAL_CORRECTED, LINEARIZATION,
                             OPNORM_IDENTITIES, JACOBIAN_GRAM, JACOBIAN_GRAM_CORRECTED, HESSIAN_BLOCKS, TWO_LAYER_LAZY)
