"""shallow.* — the one-hidden-layer network with LeCun initialisation (seed 000 §11.5, repeated in 001).

Each claim: its checks over registered observables (verify/observables/shallow.py), outputs picked by
name; tolerances and constants in the block below, and the reading text formatted from them."""
from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
from scipy import stats

import derive
import numeric
from verify._jax import jax, jnp, key_for
from verify._model import Claim, PerProfile, Source, View
from verify.checks import (Deferred, Exact, LawEquals, LimitSweep, MeanEquals, RareFailure, ScalingLaw, Series, at_width,
                           derived, exact, outputs, symbolic)
from verify.models import activation, law, shallow
from verify.observables.shallow import (GD_X, INIT_OUTPUTS, PAIRS, STEP_FRACTION, TABLE_ACTIVATIONS as ACTIVATIONS,
                                        table_output)
from verify.tolerances import (CLT_EXPONENT, GD_CONVERGED, GD_FAILURE_RATE, INIT_MOMENT, KERNEL_REL, LAW_KS, ROUNDOFF,
                               Tol)

SEED000 = "seeds/000_bbc3314d49521df9.txt"

# ---- tolerances and constants of the group ---------------------------------------------------------------------
CLOSED_VS_QUADRATURE = Tol(1e-12, "two mpmath evaluations at 30 digits; 1e-12 leaves 18 digits for quadrature error")
INIT_MOMENT4_REL = Tol(0.05, "relative, on the 4th standardised moment (3 normal, 1.8 uniform): 5% separates the two "
                       "laws (40% apart) and is resolved by the quick profile")
BIAS_REL = Tol(0.25, "relative, on the 1/n coefficient of the mean: a difference of nearby means, known to ±12% after "
               "the quick profile's looks; still separates (xᵀz+1)E[σ'σ']+1 from the same without +1 (≥ 40% apart)")
SHRINKS = Tol(0.1, "a gap 'closer as width grows' must shrink at least like n^-0.1 (≥ 30% over the sweep)")

LAWS = ("normal", "uniform")
COUNT_SIZES = ((1, 1), (7, 3), (64, 2), (300, 17))  # (n, d) of the JAX parameter count
GRADIENT_ACTS = ("tanh", "erf", "relu", "sin")
INIT_N, INIT_D = 64, 4  # the networks whose entries the initialiser checks read
X_PROBE, Z_PROBE = (0.6, 0.8), (-0.8, 0.9)  # d = 2: the uniform law is integrated exactly over its square
PROBES = dict(zip(PAIRS, ((X_PROBE, X_PROBE), (X_PROBE, Z_PROBE))))
NTK_WIDTHS = PerProfile((8, 16, 32, 64, 128, 256, 512, 1024, 2048), (8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096),
                        (8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384))
FLUCTUATION_FROM = 64  # E[K_n/n] is exactly linear in 1/n for every n ≥ 1, so small widths (where c/n stands out of
# the noise) pin the 1/n coefficient; the fluctuation exponent is fitted from n ≥ 64 only
REFERENCE_DPS = 10  # digits of the Monte Carlo references: Monte Carlo resolves ~1e-3; at 10 digits the tanh
# quadratures agree with 15 digits to ~1e-12 and take 40% less time (session G, measured)
CROSS_CHECK_DPS = 14  # digits of the closed-form cross-check, which asks 1e-12: the quadrature raises past 1e-14
# relative (its estimate), 100x inside; 14 agree with 15 to ~4e-16 and take 30% less time (normal erf, measured)
LOSS_SIZES, SYMBOLIC_LOSS_SIZES = (30, 4, 6), (2, 2, 3)  # n, d, m of the numeric and of the SymPy instances
GD_STEPS = 500  # contraction per step ≈ 1 − 1/(κ+1) at h = 0.5/(λ_min+λ_max), κ = λ_max/λ_min ≈ 7–21 for n ≥ 32:
# 500 steps reach 1e-10 with room (measured: all 120 runs at n=32 end below 1e-22)
GD_WIDTHS = PerProfile((32, 128, 512), (32, 128, 512, 2048), (32, 128, 512, 2048, 8192))
TRACK_STEPS = 100  # the gaps between GD on Φ and on Φ^lin peak early
GD_M, GD_D = GD_X.shape


def _max_rel(a, b) -> float:
    num = max(float(np.max(np.abs(np.asarray(x) - np.asarray(y)))) for x, y in
              zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)))
    scale = max(float(np.max(np.abs(np.asarray(y)))) for y in jax.tree_util.tree_leaves(b))
    return num / max(scale, 1e-300)


def _random_params(rng, n: int, d: int) -> shallow.Params:
    # device_put, not jnp.asarray: jax 0.10 compiles a copy program per shape for jnp.asarray of a NumPy array
    return shallow.Params(*(jax.device_put(a) for a in (rng.normal(size=(n, d)), rng.normal(size=n),
                                                        rng.normal(size=n), rng.normal())))


# ---- shallow.param-count -------------------------------------------------------------------------------------

def _param_count_symbolic(ctx):
    r = derive.param_count(4, 3)
    return [symbolic("dim w from the block shapes (U: n×d, b: n, v: n, c: 1) vs n(d+2)+1", r.holds, r.derived,
                     r.stated, "SymPy: n·d+n+n+1 − n(d+2)−1 simplified", residual=r.residual, detail=r.detail)]


def _param_count_numeric(ctx):
    # eval_shape traces the initialiser without running (or compiling) it: the count is of its real output
    shapes = {(n, d): jax.eval_shape(lambda k: shallow.lecun_init(k, n, d, law("normal")), key_for(ctx.seed, "count", n, d))
              for n, d in COUNT_SIZES}
    return [exact(f"parameters of the JAX network, n={n}, d={d}", n * (d + 2) + 1, shallow.param_count(p), 0.0,
                  "n(d+2)+1 as stated") for (n, d), p in shapes.items()]


PARAM_COUNT = Claim(
    id="shallow.param-count", group="shallow", source=Source(SEED000, "§11.5.1"),
    statement="w ∈ ℝ^{n(d+2)+1}.",
    latex=r"w = (U, b, v, c) \in \mathbb{R}^{n(d+2)+1}",
    reading="dim(U)+dim(b)+dim(v)+dim(c) = nd+n+n+1 equals n(d+2)+1 as a polynomial in n, d (SymPy); the JAX "
            f"network's parameter count equals it at (n, d) ∈ {{{', '.join(map(str, COUNT_SIZES))}}}.",
    checks=(Exact("symbolic dimension count", View.SYMBOLIC, _param_count_symbolic),
            Exact("JAX parameter count", View.NUMERIC, _param_count_numeric)),
)


# ---- shallow.gradients ---------------------------------------------------------------------------------------

def _switch(make, names: tuple):
    """One jitted program for every σ in `names`: lax.switch on a traced index picks the branch make(σ), so the σ
    share one compilation per shape instead of one each (a handful of tiny programs, ~0.15 s of compile apiece)."""
    branches = [make(name) for name in names]
    return jax.jit(lambda i, *args: jax.lax.switch(i, branches, *args))


def _stated_and_autodiff_branch(name: str):
    act, stated = activation(name), derive.stated_gradients_numeric(name)
    return lambda p, x: (stated(p, x), jax.grad(shallow.forward)(p, x, act))


@functools.lru_cache(maxsize=None)
def _stated_and_autodiff():
    """(index into GRADIENT_ACTS, params, x) → (stated gradient, jax.grad): one compiled program per shape for every
    σ (op by op, each of the ~20 operations compiled on its own: ~80 compilations per claim measured)."""
    return _switch(_stated_and_autodiff_branch, GRADIENT_ACTS)


def _gradients_autodiff(ctx):
    out = []
    for i, name in enumerate(GRADIENT_ACTS):
        rng = ctx.rng("grad", name)
        worst = 0.0
        for n, d in ((3, 2), (40, 7)):
            p, x = _random_params(rng, n, d), jax.device_put(rng.normal(size=d))
            worst = max(worst, _max_rel(*_stated_and_autodiff()(i, p, x)))
        out.append(exact(f"σ={name}: stated ∇_U,∇_b,∇_v,∇_c vs jax.grad, max relative error", 0.0, worst,
                         ROUNDOFF.value, "JAX reverse-mode autodiff of the same network"))
    return out


GRADIENTS = Claim(
    id="shallow.gradients", group="shallow", source=Source(SEED000, "§11.5.1"),
    statement="∇_UΦ=(v⊙σ'(Ux+b))xᵀ, ∇_bΦ=v⊙σ'(Ux+b), ∇_vΦ=σ(Ux+b), ∇_cΦ=1.",
    latex=r"\nabla_U\Phi=(v\odot\sigma'(Ux+b))x^T,\ \nabla_b\Phi=v\odot\sigma'(Ux+b),\ \nabla_v\Phi=\sigma(Ux+b),\ \nabla_c\Phi=1",
    reading="SymPy differentiates Φ for a generic differentiable σ, block by block, at fixed sizes and for symbolic "
            f"n, d; the stated formulas evaluated in float64 equal JAX autodiff (max relative error ≤ {ROUNDOFF:g}) "
            f"on random instances for σ ∈ {{{', '.join(GRADIENT_ACTS)}}} (ReLU with σ'(0):=0, a null set).",
    checks=(Exact("SymPy gradient vs stated blocks", View.SYMBOLIC,
                  lambda ctx: derived((*derive.check_gradients(3, 2), *derive.check_gradients_generic()),
                                      "SymPy differentiation of vᵀσ(Ux+b)+c, σ generic")),
            Exact("stated formulas vs JAX autodiff", View.NUMERIC, _gradients_autodiff)),
)


# ---- shallow.lecun-init --------------------------------------------------------------------------------------

def _law_moments_closed(ctx):
    out = []
    for name in LAWS:
        base = numeric.LAWS[name]
        for k, want in ((1, 0), (2, 1)):
            out.append(exact(f"𝒟={name}: E[ξ^{k}] (closed form)", want, float(base.moment(k)), ROUNDOFF.value,
                             "zero mean, unit variance as required", view=View.CLOSED_FORM))
        m8 = base.moment(8)
        with mpmath.workdps(30):
            q8 = mpmath.quad(lambda t: t**8 * base.pdf(t), list(base.support))
        out.append(exact(f"𝒟={name}: E[ξ⁸] closed form vs quadrature (finite)", float(q8), float(m8),
                         CLOSED_VS_QUADRATURE.value * float(m8), "mpmath.quad of ξ⁸·pdf", view=View.CLOSED_FORM,
                         finite=bool(mpmath.isfinite(m8))))
    return out


def _init_moments(name: str) -> MeanEquals:
    m4 = float(numeric.LAWS[name].moment(4))
    names = INIT_OUTPUTS[:7]  # ξ, ξ², ξ⁴ over √d·U and over √n·v, then max|b|+|c|
    expected = (0.0, 1.0, m4) * 2 + (0.0,)
    # max|b|+|c| must be exactly 0: tolerance 0, so a single nonzero bias anywhere is a FAIL
    tols = (INIT_MOMENT.value, INIT_MOMENT.value, INIT_MOMENT4_REL.value * m4) * 2 + (0.0,)
    series = tuple(Series(f"𝒟={name}: {o}", e, t, reference="moments of 𝒟(0,1) (mpmath)")
                   for o, e, t in zip(names, expected, tols))
    return MeanEquals(f"standardised moments, 𝒟={name}",
                      at_width(INIT_N, outputs("shallow.lecun_init", names, law=name, d=INIT_D)), series,
                      PerProfile(2000, 4000, 16000))


def _init_law(name: str) -> LawEquals:
    cdf = stats.norm.cdf if name == "normal" else stats.uniform(loc=-math.sqrt(3), scale=2 * math.sqrt(3)).cdf
    series = tuple(Series(f"𝒟={name}: {e}", 0.0, LAW_KS.value, f"𝒟={name}") for e in ("√d·U₀₁₁", "√n·v₀₁"))
    return LawEquals(f"law of the entries, 𝒟={name}",
                     at_width(INIT_N, outputs("shallow.lecun_init", ("√d·U₁₁", "√n·v₁"), law=name, d=INIT_D)),
                     series, (cdf, cdf), PerProfile(40000, 80000, 320000))


LECUN_INIT = Claim(
    id="shallow.lecun-init", group="shallow", source=Source(SEED000, "§11.5.2"),
    statement="U₀ᵢⱼ~𝒟(0,1/d), v₀ᵢ~𝒟(0,1/n), b₀=c₀=0, with 𝒟 zero-mean, unit-variance, finite moments up to order 8; "
              "examples 𝒟 = standard normal, or uniform on [−√3, √3]. Check both examples.",
    latex=r"U_{0;ij}\sim\mathcal{D}(0,\tfrac1d),\ v_{0;i}\sim\mathcal{D}(0,\tfrac1n),\ b_{0;i}=c_0=0",
    reading="𝒟(0,s²) is the law of s·ξ with ξ~𝒟(0,1). For both examples: the laws have mean 0, variance 1 and a "
            "finite 8th moment (mpmath); the initialiser's √d·U and √n·v entries have mean 0 and second moment 1 "
            f"(±{INIT_MOMENT:g}) and the law's 4th moment (±{INIT_MOMENT4_REL:.0%}) (batch-means intervals over "
            f"networks, n={INIT_N}, d={INIT_D}), their law is 𝒟 (Kolmogorov distance ≤ {LAW_KS:g} with the DKW "
            "interval), and b₀, c₀ are exactly 0.",
    checks=(Exact("moments of the example laws", View.CLOSED_FORM, _law_moments_closed),
            *(Deferred(f"standardised moments, 𝒟={n}", View.MONTE_CARLO, lambda profile, n=n: _init_moments(n))
              for n in LAWS),
            *(Deferred(f"law of the entries, 𝒟={n}", View.MONTE_CARLO, lambda profile, n=n: _init_law(n))
              for n in LAWS)),
)


# ---- shallow.ntk-limit and its correction --------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _kernel(act: str, base: str, x: tuple, z: tuple, derivative: bool) -> float:
    """Cached: the same mpmath quadrature serves the sweep, the tolerance scale and both claims."""
    return float(numeric.lecun_kernel(act, base, x, z, derivative=derivative, dps=REFERENCE_DPS))


def _closed_vs_quadrature(derivative: bool):
    which = "df" if derivative else "f"

    def compute(ctx):
        out = []
        for base in LAWS:
            for act in ACTIVATIONS:
                if numeric.ClosedFormKey(base, act, (which, which)) not in numeric.available_closed_forms():
                    continue
                for label, (x, z) in PROBES.items():
                    closed, quad = (float(numeric.lecun_kernel(act, base, x, z, derivative=derivative, method=m,
                                                               dps=CROSS_CHECK_DPS)) for m in ("closed", "quadrature"))
                    out.append(exact(f"σ={act}, 𝒟={base}, {label}: closed form vs quadrature", quad, closed,
                                     CLOSED_VS_QUADRATURE.value * max(1.0, abs(quad)),
                                     "mpmath quadrature of the defining integral over the true law of u",
                                     view=View.CLOSED_FORM))
        return out

    return compute


NTK_DRAWS = "shallow.ntk-limit draws"  # both claims state one experiment: K_n/n of the same networks (session G)


def _ntk_sweep(profile, derivative: bool, with_bias: bool) -> LimitSweep:
    """One observable for every σ × 𝒟 × pair: the networks of a replicate are shared by all series (one XLA
    compilation, padded to the profile's largest width, a sixth of the arithmetic of a sweep per σ and law)."""
    sym = "E[σ'(uᵀx)σ'(uᵀz)]" if derivative else "E[σ(uᵀx)σ(uᵀz)]"
    series = []
    for base in LAWS:
        for act in ACTIVATIONS:
            for label, (x, z) in PROBES.items():
                scale = math.sqrt(_kernel(act, base, x, x, derivative) * _kernel(act, base, z, z, derivative))
                # E[K_n/n] = E[σσ] + ((xᵀz+1)·E[σ'σ'] + 1)/n exactly (E[ξ²]=1, v ⟂ U)
                bias = (float(np.dot(x, z)) + 1.0) * _kernel(act, base, x, z, True) + 1.0 if with_bias else None
                series.append(Series(table_output(act, base, label), _kernel(act, base, x, z, derivative),
                                     KERNEL_REL.value * scale, sym,
                                     "mpmath: closed form where one exists, else quadrature over the law of u", bias,
                                     BIAS_REL.value * abs(bias) if with_bias else 0.0))
    sample = outputs("shallow.ntk_table", [s.label for s in series], x=X_PROBE, z=Z_PROBE,
                     pad=max(NTK_WIDTHS(profile)))
    return LimitSweep("width sweep", sample, tuple(series), NTK_WIDTHS, PerProfile(400, 1000, 4000),
                            exponent_tol=CLT_EXPONENT.value, fluctuation_from=FLUCTUATION_FROM, key_scope=NTK_DRAWS)


def _ntk_checks(derivative: bool, with_bias: bool):
    return (Exact("closed forms vs quadrature", View.CLOSED_FORM, _closed_vs_quadrature(derivative)),
            Deferred("width sweep", View.MONTE_CARLO, lambda profile: _ntk_sweep(profile, derivative, with_bias)))


_SWEEP = (f"For σ ∈ {{{', '.join(ACTIVATIONS)}}} and 𝒟 ∈ {{{', '.join(LAWS)}}}, at x={X_PROBE}, z={Z_PROBE} "
          f"(d={len(X_PROBE)}): K_n(x,z)/n at LeCun init over a width sweep (n = {NTK_WIDTHS.quick[0]}…"
          f"{NTK_WIDTHS.quick[-1]} in the quick profile); the means extrapolated to n→∞ (fit L + c/n) must equal")
_CLT = (f"the spread must shrink like n^(−1/2) (±{CLT_EXPONENT:g} on the variance exponent, n ≥ {FLUCTUATION_FROM}; "
        "the source states no rate; this is the CLT rate of an average over neurons)")

NTK_LIMIT = Claim(
    id="shallow.ntk-limit", group="shallow", source=Source(SEED000, "§11.5.3 (and seed 001, Theorem 11.16)"),
    statement="lim_{n→∞} (1/n) K_n(x,z) = E[σ'(uᵀx) σ'(uᵀz)] =: K^LC(x,z), u ~ 𝒟(0,1/d), where "
              "K_n(x,z) = ⟨∇_wΦ(x,w₀), ∇_wΦ(z,w₀)⟩. Check for several σ (at least tanh, erf, ReLU) and both 𝒟.",
    latex=r"\lim_{n\to\infty}\frac1n K_n(x,z)=\mathbb{E}[\sigma'(u^Tx)\sigma'(u^Tz)]=:K^{LC}(x,z),\ u\sim\mathcal{D}(0,1/d)",
    reading=f"{_SWEEP} E[σ'(uᵀx)σ'(uᵀz)] within {KERNEL_REL:.0%} of √(K(x,x)K(z,z)), and {_CLT}.",
    checks=_ntk_checks(True, False),
    note="Wrong as stated under LeCun initialisation: the ∇_v block contributes Σᵢσ(uᵢᵀx)σ(uᵢᵀz) = O(n) while "
         "the ∇_U, ∇_b blocks carry vᵢ² = O(1/n) and add only O(1). So K_n/n → E[σσ], and E[σ'σ'] is the 1/n "
         "correction. See shallow.ntk-limit.corrected.",
)

NTK_LIMIT_CORRECTED = Claim(
    id="shallow.ntk-limit.corrected", group="shallow", source=Source(SEED000, "§11.5.3 (corrected)"),
    statement="lim_{n→∞} (1/n) K_n(x,z) = E[σ(uᵀx) σ(uᵀz)], u ~ 𝒟(0,1/d); more precisely "
              "E[K_n(x,z)/n] = E[σ(uᵀx)σ(uᵀz)] + ((xᵀz+1)·E[σ'(uᵀx)σ'(uᵀz)] + 1)/n.",
    latex=r"\lim_{n\to\infty}\frac1n K_n(x,z)=\mathbb{E}[\sigma(u^Tx)\sigma(u^Tz)],\quad "
          r"\mathbb{E}\big[\tfrac1nK_n\big]=\mathbb{E}[\sigma\sigma]+\tfrac{(x^Tz+1)\mathbb{E}[\sigma'\sigma']+1}{n}",
    reading=f"{_SWEEP} E[σ(uᵀx)σ(uᵀz)] within {KERNEL_REL:.0%} of √(K(x,x)K(z,z)), the 1/n coefficient of the mean "
            f"must equal (xᵀz+1)E[σ'σ']+1 within {BIAS_REL:.0%}, and {_CLT}.",
    checks=_ntk_checks(False, True),
    corrects="shallow.ntk-limit",
    note="With v₀ᵢ ~ 𝒟(0,1/n) the features ∇_vΦ = σ(Ux) dominate the tangent kernel. The source's σ'-kernel "
         "is the NTK of the NTK parametrisation (or of training U alone with v of order 1).",
)


# ---- shallow.loss-gradient -----------------------------------------------------------------------------------

LOSS_ACTS = ("tanh", "relu")


def _jacobian_product_and_grad_branch(name: str):
    act = activation(name)

    def both(p, X, y):
        J = jax.jacrev(shallow.forward_batch)(p, X, act)  # m×P in blocks; tiny here
        r = shallow.forward_batch(p, X, act) - y
        stated = jax.tree_util.tree_map(lambda j: 2.0 * jnp.tensordot(r, j, axes=1), J)
        return stated, jax.grad(shallow.square_loss)(p, X, y, act)

    return both


@functools.lru_cache(maxsize=None)
def _jacobian_product_and_grad():
    """(index into LOSS_ACTS, params, X, y) → (2∇_wΦ(X,w)ᵀ(Φ(X,w)−y), jax.grad f): one compiled program for both σ."""
    return _switch(_jacobian_product_and_grad_branch, LOSS_ACTS)


def _loss_gradient_autodiff(ctx):
    out = []
    n, d, m = LOSS_SIZES
    for i, name in enumerate(LOSS_ACTS):
        rng = ctx.rng("loss", name)
        p = _random_params(rng, n, d)
        X, y = jax.device_put(rng.normal(size=(m, d))), jax.device_put(rng.normal(size=m))
        out.append(exact(f"σ={name}: 2∇_wΦ(X,w)ᵀ(Φ(X,w)−y) vs jax.grad f, max relative error", 0.0,
                         _max_rel(*_jacobian_product_and_grad()(i, p, X, y)), ROUNDOFF.value,
                         "JAX autodiff of f(w)=Σᵢ(Φ(xᵢ,w)−yᵢ)²"))
    return out


LOSS_GRADIENT = Claim(
    id="shallow.loss-gradient", group="shallow", source=Source(SEED000, "§11.5.5"),
    statement="for f(w)=Σᵢ(Φ(xᵢ,w)−yᵢ)²: ∇_w f(w) = 2 ∇_wΦ(X,w)ᵀ(Φ(X,w)−y).",
    latex=r"\nabla_w f(w)=\nabla_w\|\Phi(X,w)-y\|^2=2\nabla_w\Phi(X,w)^T(\Phi(X,w)-y)",
    reading=f"∇_wΦ(X,w) is the m×P Jacobian. SymPy checks the identity for generic σ (n, d, m = {SYMBOLIC_LOSS_SIZES}, "
            "symbolic data); float64 Jacobian-transpose products equal JAX's gradient of f on random instances "
            f"(n, d, m = {LOSS_SIZES}; max relative error ≤ {ROUNDOFF:g}).",
    checks=(Exact("SymPy chain rule", View.SYMBOLIC,
                  lambda ctx: derived((derive.check_loss_gradient(*SYMBOLIC_LOSS_SIZES),),
                                      "SymPy gradient of Σᵢ(Φ(xᵢ,w)−yᵢ)², σ generic")),
            Exact("2Jᵀr vs JAX autodiff", View.NUMERIC, _loss_gradient_autodiff)),
)


# ---- gradient descent ----------------------------------------------------------------------------------------

def _failed(out: np.ndarray) -> np.ndarray:
    """1 for a run that did not reach the global minimum value 0 (or diverged), else 0."""
    return (~(np.isfinite(out) & (out <= GD_CONVERGED.value))).astype(np.float64)


GD_GLOBAL_MIN = Claim(
    id="shallow.gd-global-min", group="shallow", source=Source(SEED000, "§11.5.4"),
    statement="gradient descent w_{k+1}=w_k−h∇f(w_k) converges to a global minimizer (under conditions: state "
              "which you check).",
    latex=r"w_{k+1}=w_k-h\nabla f(w_k)\ \to\ \text{global minimizer of } f(w)=\sum_i(\Phi(x_i,w)-y_i)^2",
    reading=f"Conditions checked: σ=tanh, LeCun init with 𝒟 normal, m={GD_M} inputs on the unit sphere of ℝ^{GD_D} "
            f"with N(0,1) targets (fixed, seeded), widths n ≥ {GD_WIDTHS.quick[0]} (P = {GD_D + 2}n+1 ≥ "
            f"{(GD_D + 2) * GD_WIDTHS.quick[0] + 1} ≫ m), step h = {STEP_FRACTION:g}/(λ_min+λ_max) of K_n(w₀) "
            "(Theorem 11.13's step bound, with margin for the kernel's drift along the path). The global minimum "
            "value is 0 (the net interpolates), so 'converges to a global minimizer' is read as "
            f"f(w_T) ≤ {GD_CONVERGED:g}·f(w₀) after T={GD_STEPS} steps. PASS: the failure rate is ≤ "
            f"{GD_FAILURE_RATE:.0%} at every width (Clopper–Pearson interval).",
    checks=(RareFailure("GD reaches the global minimum",
                        outputs("shallow.gd", ("f(w_T)/f(w_0)",), _failed, activation="tanh", steps=GD_STEPS),
                        (Series(f"f(w_T) ≤ {GD_CONVERGED:g}·f(w₀)", 0.0, GD_FAILURE_RATE.value,
                                f"failure rate ≤ {GD_FAILURE_RATE:.0%}"),),
                        GD_WIDTHS, PerProfile(120, 240, 480)),),
)

GAPS = ("sup_k ‖w_k − p_k‖", "sup_k max_i |Φ(x_i,w_k) − Φ^lin(x_i,p_k)|", "sup_k ‖w_k − w_0‖")

GD_TRACKS = Claim(
    id="shallow.gd-tracks-linearized", group="shallow", source=Source(SEED000, "§11.5.5"),
    statement="with p₀=w₀ and p_{k+1}=p_k−h∇f^lin(p_k), the trained network stays close to the linearized model: "
              "w_k and p_k (and Φ vs Φ^lin) stay close, closer as width grows.",
    latex=r"p_0=w_0,\ p_{k+1}=p_k-h\nabla f^{lin}(p_k):\ \|w_k-p_k\|,\ |\Phi(x,w_k)-\Phi^{lin}(x,p_k)|\ \text{small, decreasing in } n",
    reading=f"Same data, σ, init and step as shallow.gd-global-min, T={TRACK_STEPS} steps (the gaps peak early). "
            "Observables: sup_k‖w_k−p_k‖, sup_k maxᵢ|Φ(xᵢ,w_k)−Φ^lin(xᵢ,p_k)| and the relative gap "
            "sup_k‖w_k−p_k‖ / sup_k‖w_k−w₀‖. 'Closer as width grows' is read as: the log-log slope of each mean "
            f"against n is ≤ −{SHRINKS:g} with its whole interval (a plateau cannot pass). The fitted exponents are "
            "reported.",
    checks=(ScalingLaw("gaps between GD on Φ and on Φ^lin",
                       outputs("shallow.gd_vs_linearized", GAPS, lambda o: np.column_stack([o[:, 0], o[:, 1],
                               o[:, 0] / o[:, 2]]), activation="tanh", steps=TRACK_STEPS),
                       tuple(Series(label, 0.0, SHRINKS.value, "decreasing in n") for label in (
                           "sup_k ‖w_k − p_k‖", "sup_k maxᵢ |Φ(xᵢ,w_k) − Φ^lin(xᵢ,p_k)|", "sup_k ‖w_k − p_k‖ / sup_k ‖w_k − w₀‖")),
                       PerProfile((16, 64, 256, 1024), (16, 64, 256, 1024, 4096), (16, 64, 256, 1024, 4096, 16384)),
                       PerProfile(32, 64, 256), decreasing=True),),
)

CLAIMS = (PARAM_COUNT, GRADIENTS, LECUN_INIT, NTK_LIMIT, NTK_LIMIT_CORRECTED, LOSS_GRADIENT, GD_GLOBAL_MIN, GD_TRACKS)
