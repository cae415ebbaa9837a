"""rkhs.* — kernels, RKHS and kernel methods (seed 003 §2, in French).

Kernels are checked over the whole parameter range the source states. A positive-semidefiniteness
check searches for a counterexample (random point sets, local minimisation of the smallest Gram
eigenvalue, a seeded hypothesis search that shrinks what it finds) and recomputes the worst Gram
matrix in mpmath at 40 digits; a PASS also rests on a SymPy argument where one exists (a nonnegative
Fourier transform, a nonnegative mixture, a binomial expansion with nonnegative coefficients).
Every check is deterministic (no Monte Carlo); the computations are numeric.rkhs and
numeric.kernel_methods, the SymPy arguments derive.rkhs.
"""
from __future__ import annotations

import dataclasses

import mpmath

import derive.rkhs as derive
from numeric import kernel_methods as km
from numeric import rkhs
from verify._model import Claim, PerProfile, Source, View
from verify.checks import Exact, at_least, at_most, derived, exact, symbolic
from verify.tolerances import ROUNDOFF, Tol

SEED003 = "seeds/003_cd9ed4f852a24b26.txt"

# ---- tolerances of this group (named, with their reasons) ---------------------------------------
PSD_CERT = Tol(1e-25, "relative to λ_max, on the smallest Gram eigenvalue recomputed in mpmath at 40 digits from the "
                      "exact binary points: evaluation and mpmath.eigsy round at ~1e-38, so 1e-25 is round-off with "
                      "13 digits to spare; the negative eigenvalues of the non-kernels are O(λ_max)")
LSTSQ_REL = Tol(1e-8, "relative, on RKHS inner products recovered from function values by least squares (60 samples "
                      "of ≤ 12 tanh features): float64 round-off times a moderate condition number; measured ~1e-15")
SERIES = Tol(1e-25, "mpmath at 30 digits, 120 terms of a series whose terms fall below 1e-60: only round-off is left")
QUAD = Tol(1e-15, "mpmath.quadosc at 20 digits over ℝ (period-wise Gauss–Legendre + extrapolation): measured errors "
                  "~1e-21; 1e-15 leaves 6 digits; an out-of-band function misses by O(0.1)")
OPT_REL = Tol(1e-7, "relative gap between two minimisers of the same convex objective, one iterative (L-BFGS-B, "
                    "gtol 1e-12, ≤ 420 variables): converged values agree to ~1e-10; a wrong formula (K⁻¹y, a "
                    "missing factor 2 or λ) changes the value by ≥ 1e-3")
SPAN_REL = Tol(1e-4, "‖w_⊥‖/‖w‖ of the rich-space minimiser: L-BFGS-B started off the span removes the orthogonal "
                     "component to ≲ 1e-6; a minimiser off the span has ‖w_⊥‖/‖w‖ = O(1)")
SVM_TOL = Tol(1e-6, "duality gap (relative to the primal value) and ‖w_primal − w_dual‖/‖w‖: SLSQP on the (w, ξ) QP "
                    "and L-BFGS-B on the box QP (≤ 40 variables), each restarted until it stops improving and polished "
                    "on its own active set, agree to ≤ 2.3e-7 over 1200 random instances of the three cases (measured; "
                    "unpolished they differed by 3e-6 at 1 quick seed in 20); a wrong box bound (1/λ, 1/n) or a "
                    "missing yᵢ moves both by O(0.1)")

# ---- the instances each claim states (its reading is generated from these) ----------------------
SEARCH = PerProfile((150, 8, 40), (600, 24, 150), (3000, 80, 600))  # random sets, optimisations, hypothesis
PW_STEPS, PW_POINTS, PW_SECTIONS, PW_SIGMA = 40, 200, 10, 0.7  # n = 1…steps; x's; span of f, f_n; Gaussian σ
FEATURE_MAPS = (("tanh", 2, 3), ("cos", 2, 20), ("relu", 3, 4), ("cube", 1, 2))  # (φ, p, D): D < n makes K singular
SYMMETRY_POINTS = 7  # k(x,y) vs k(y,x) over 7×7 random pairs
REPRO_FEATURES, REPRO_SAMPLES, REPRO_POINTS = ((2, 6), (3, 12)), 60, 8  # (p, D) of the tanh feature RKHSs
SERIES_DRAWS, SERIES_TERMS, SERIES_DPS = 6, 120, 30
LINEAR_SIZES, LINEAR_PROBES = ((1, 3), (3, 5), (7, 9)), 400  # (p, n ≥ p): the sections span every ⟨·,β⟩
POLY_MAX_D = int(rkhs.kernel("polynomial").params["d"].hi)  # d = 0…8 searched; SymPy covers the same degrees
NEG_ALPHAS = (-1e-3, -0.37, -1.0, -12.5, -1e3)  # the α < 0 counterexamples certified for d = 1…POLY_MAX_D
SINC_BAND, SINC_WIDER, SINC_DPS = 2, 3, 20
REP_N, REP_D, REP_P = 8, 400, 2  # points, random Fourier features, input dimension
RIDGE_CASES = {"Gaussian K, full rank": "gaussian", "linear K, rank 2 < n": "linear",
               "duplicated points, singular": "duplicated"}
RIDGE_LAMBDAS, RIDGE_N = (1e-2, 1.0, 10.0), 10
SVM_CASES = (("separable-ish", 16, 5, 0.1, 0.0), ("noisy", 20, 8, 0.01, 0.8), ("noisy", 12, 3, 1.0, 0.8))  # n, D, λ, noise


SYMBOLS = {"alpha": "α", "sigma": "σ"}  # kernel parameters as the source writes them


def _searched(name: str) -> str:
    """The range a kernel's counterexample search covers, from numeric.rkhs's table."""
    k = rkhs.kernel(name)
    ranges = ", ".join(f"{SYMBOLS.get(p, p)} ∈ [{r.lo:g}, {r.hi:g}]" for p, r in k.params.items())
    return ranges + (f", p = {min(k.dims)}…{max(k.dims)}" if len(k.dims) > 1 else f" on ℝ^{k.dims[0]}")


def _set(values) -> str:
    return "{" + ", ".join(f"{v:g}" for v in values) + "}"


def _named(result, name):
    return dataclasses.replace(result, name=name)


# ---- the counterexample search, one comparison per kernel ---------------------------------------

def _psd(ctx, k: rkhs.Kernel, label: str):
    """Search for a negative Gram eigenvalue; compare the certified λ_min of the worst set with ≥ 0."""
    s, c = rkhs.search_and_certify(k, ctx.rng("psd", label), *SEARCH(ctx.profile))
    detail = {"points": c["points"], "params": c["params"], "lambda_min_mpmath": c["lambda_min_str"],
              "lambda_max_mpmath": c["lambda_max_str"], "quadratic_form_cTKc_over_cTc_mpmath": c["quadratic_form_str"],
              "mpmath_dps": c["dps"], "worst_float64_lambda_min_over_lambda_max": s.worst, "found_by": s.phase,
              "search_sizes": s.tried, "parameter_range": {n: r.text for n, r in k.params.items()},
              "reproduce": f"numeric.rkhs.certify(numeric.rkhs.kernel({k.name!r}), points, params)"
              if k.name in rkhs.KERNELS else "numeric.rkhs.certify(feature kernel, points, params)"}
    name = f"{label}: smallest Gram eigenvalue over the search, certified in mpmath, ≥ 0 (PSD)"
    if c["lambda_min"] < 0 and c["n"] * c["p"] <= 6:  # a short counterexample is shown in the name itself
        shown = ", ".join(f"{n}={v:g}" for n, v in c["params"].items())
        name += (f" — points {[[float(f'{v:.6g}') for v in row] for row in c['points']]}"
                 f"{' with ' + shown if shown else ''}: λ_min = {mpmath.nstr(c['lambda_min'], 12)} at {c['dps']} digits")
    ref = (f"searched {s.tried} Gram matrices (random sets, L-BFGS-B on λ_min, hypothesis); "
           f"worst set recomputed at {c['dps']} digits")
    slack = PSD_CERT.value * max(1.0, abs(float(c["lambda_max"])))
    return at_least(name, c["lambda_min"], 0.0, ref, View.CLOSED_FORM, slack=slack, **detail)


def _search(name: str) -> Exact:
    def compute(ctx):
        return [_psd(ctx, rkhs.kernel(name), rkhs.kernel(name).formula)]

    over = ", ".join(f"{SYMBOLS.get(p, p)} {r.text}" for p, r in rkhs.kernel(name).params.items())
    return Exact(f"counterexample search over {over}", View.CLOSED_FORM, compute)


# ---- rkhs.pointwise-convergence -----------------------------------------------------------------

def _pointwise(ctx):
    cases = (("tanh features, D=12, ℝ³", 3, rkhs.random_feature_kernel("tanh", 3, 12, ctx.rng("pw", "feat")), {}),
             (f"Gaussian kernel σ={PW_SIGMA}, ℝ²", 2, rkhs.kernel("gaussian"), {"sigma": PW_SIGMA}))
    out, N = [], PW_STEPS
    for label, p, k, params in cases:
        r = rkhs.pointwise_convergence(k, params, p, ctx.rng("pw", label), PW_SECTIONS, PW_POINTS, N)
        out += [at_most(f"{label}: max over n ≤ {N}, {PW_POINTS} x of (|f_n(x)−f(x)| − √k(x,x)‖f_n−f‖_H)/bound ≤ 0",
                        r.worst_excess, 0.0, slack=ROUNDOFF.value,
                        reference="Cauchy–Schwarz |⟨f_n−f, k_x⟩| ≤ ‖f_n−f‖_H√k(x,x) (the proof's M_x)"),
                exact(f"{label}: sup over {PW_POINTS} x of |f_N(x)−f(x)| at ‖f_N−f‖_H = 2^-{N}", 0.0, r.sup_last,
                      2.0 ** -N * r.sqrt_max_diag * (1 + ROUNDOFF.value),
                      "pointwise limit f(x); tolerance = the bound √max k(x,x)·2^-N", H_norm_distances=r.norms[::8])]
    return out


POINTWISE = Claim(
    id="rkhs.pointwise-convergence", group="rkhs", source=Source(SEED003, "§2.1 (Propriété 1)"),
    statement="convergence in an RKHS norm implies pointwise convergence.",
    latex=r"f_n \xrightarrow{H} f \Rightarrow \forall x\in X,\ f_n(x)\to f(x)",
    reading=f"In two RKHSs (a finite tanh feature map ℝ³→ℝ¹², and the Gaussian kernel σ={PW_SIGMA} on ℝ²), with f "
            f"and f_n in the span of {PW_SECTIONS} kernel sections (H-norms exact Gram quadratic forms), "
            f"f_n = f + 2^-n g_n, ‖g_n‖_H = 1 random, n = 1…{PW_STEPS}: at {PW_POINTS} random x, "
            f"|f_n(x)−f(x)| ≤ √k(x,x)‖f_n−f‖_H (relative slack ≤ {ROUNDOFF:g}, ROUNDOFF) and "
            f"sup_x|f_{PW_STEPS}(x)−f(x)| ≤ √max k(x,x)·2^-{PW_STEPS}, i.e. the values converge at the norm's rate.",
    checks=(Exact("|f_n(x)−f(x)| ≤ √k(x,x)‖f_n−f‖_H on sequences", View.NUMERIC, _pointwise),),
)


# ---- rkhs.kernel-psd ----------------------------------------------------------------------------

def _feature_maps(ctx):
    out = []
    for act, p, D in FEATURE_MAPS:
        rng, label = ctx.rng("featuremap", act), f"φ={act}, p={p}, D={D}"
        k = rkhs.random_feature_kernel(act, p, D, rng)
        out += [exact(f"{label}: max |k(x,y) − k(y,x)| over {SYMMETRY_POINTS ** 2} pairs", 0.0,
                      rkhs.symmetry_defect(k, p, rng, SYMMETRY_POINTS),
                      ROUNDOFF.value, "symmetry of the inner product"), _psd(ctx, k, label)]
    return out


KERNEL_PSD = Claim(
    id="rkhs.kernel-psd", group="rkhs", source=Source(SEED003, "§2.1 (Propriété 2)"),
    statement="every kernel k(x,y)=⟨φ(x),φ(y)⟩ is symmetric positive semidefinite.",
    latex=r"k(x,y)=\langle\phi(x),\phi(y)\rangle_H \Rightarrow k \text{ symmetric},\ \sum_{i,j}c_ic_jk(x_i,x_j)\ge0",
    reading="'défini positif' in the source is read as positive semidefinite (its proof shows ≥ 0). SymPy: the "
            "quadratic form equals ‖Σcᵢφ(xᵢ)‖². Numerically, for four random finite feature maps φ(x)=act(Wx+b) ("
            + ", ".join(f"{act} ℝ^{p}→ℝ^{D}" for act, p, D in FEATURE_MAPS) + "; D < n makes K singular, the hard "
            f"case): k(x,y)=k(y,x) exactly (ROUNDOFF) and a search (random point sets of 2–8 points, L-BFGS-B "
            f"minimisation of λ_min/λ_max, hypothesis) finds no Gram matrix whose smallest eigenvalue, recomputed in "
            f"mpmath at {rkhs.CERT_DPS} digits, is below −{PSD_CERT:g}·max(1, λ_max) (PSD_CERT).",
    checks=(Exact("SymPy quadratic-form identity", View.SYMBOLIC, lambda ctx: derived(
                [_named(derive.feature_gram_identity(3, 2), "Σcᵢcⱼ⟨φ(xᵢ),φ(xⱼ)⟩ = ‖Σcᵢφ(xᵢ)‖² (Property 2's proof)")],
                "SymPy expansion with symbolic c and feature coordinates")),
            Exact("counterexample search on feature-map kernels", View.CLOSED_FORM, _feature_maps)),
)


# ---- rkhs.reproducing ---------------------------------------------------------------------------

def _reproducing_features(ctx):
    out = []
    for p, D in REPRO_FEATURES:
        gram_err, repro_err = rkhs.feature_reproduction(p, D, ctx.rng("repro", p, D), REPRO_SAMPLES, REPRO_POINTS)
        pairs = f"{REPRO_POINTS}×{REPRO_POINTS}"
        out += [exact(f"tanh ℝ^{p}→ℝ^{D}: max |⟨k(·,x),k(·,y)⟩_H − k(x,y)| / max k over {pairs} pairs", 0.0, gram_err,
                      LSTSQ_REL.value, "⟨·,·⟩_H from weights recovered by least squares from function values"),
                exact(f"tanh ℝ^{p}→ℝ^{D}: max |⟨f,k(·,x)⟩_H − f(x)| / max|f| for a random f ∈ H", 0.0, repro_err,
                      LSTSQ_REL.value, "reproducing property f(x) = ⟨f, k(·,x)⟩_H (Definition 3)")]
    return out


def _reproducing_gaussian(ctx):
    error = rkhs.gaussian_series_error(ctx.rng("repro", "gauss"), SERIES_DRAWS, SERIES_TERMS, SERIES_DPS)
    return [exact(f"Gaussian on ℝ: max |Σ_j e_j(x)e_j(y) − k(x,y)| over {SERIES_DRAWS} random (x, y, σ)", 0.0, error,
                  SERIES.value, "mpmath series in the orthonormal basis e_j of the Gaussian RKHS", view=View.CLOSED_FORM)]


REPRODUCING = Claim(
    id="rkhs.reproducing", group="rkhs", source=Source(SEED003, "§2.1 (Propriété 3, Théorème 3)"),
    statement="k(x,y) = ⟨k(·,x), k(·,y)⟩_H (reproducing property; Moore–Aronszajn).",
    latex=r"k(x,y)=\langle k(\cdot,x),k(\cdot,y)\rangle_H",
    reading="(1) Finite feature RKHSs H = {⟨w,φ(·)⟩} with φ = tanh(Wx+b), "
            + " and ".join(f"ℝ^{p}→ℝ^{D}" for p, D in REPRO_FEATURES) + ": the H-coordinates of k(·,x) and of a "
            f"random f ∈ H are recovered from their values at {REPRO_SAMPLES} points by least squares (not from k), "
            f"then ⟨k(·,x),k(·,y)⟩_H = k(x,y) and ⟨f,k(·,x)⟩_H = f(x) at {REPRO_POINTS} points, relative error ≤ "
            f"{LSTSQ_REL:g} (LSTSQ_REL). (2) Gaussian kernel on ℝ: the inner product of k(·,x), k(·,y) in the "
            f"orthonormal basis e_j(x) = e^{{−x²/2σ²}}(x/σ)^j/√j! ({SERIES_TERMS} terms) equals k(x,y) (mpmath, "
            f"{SERIES_DPS} digits, SERIES). The sinc kernel's reproducing property in L² is checked under "
            "rkhs.sinc-kernel.",
    checks=(Exact("finite feature RKHS: inner products from function values", View.NUMERIC, _reproducing_features),
            Exact("Gaussian RKHS in its orthonormal basis", View.CLOSED_FORM, _reproducing_gaussian)),
)


# ---- rkhs.linear-kernel -------------------------------------------------------------------------

def _linear(ctx):
    out = []
    for p, n in LINEAR_SIZES:
        spanned, norm, sup, others = rkhs.linear_kernel_norms(p, n, ctx.rng("linear", p), LINEAR_PROBES)
        out += [exact(f"p={p}: ‖Σaᵢk(·,xᵢ)‖²_H = aᵀKa vs ‖β‖², β = Σaᵢxᵢ (relative)", 1.0, spanned, ROUNDOFF.value,
                      "Moore–Aronszajn inner product"),
                exact(f"p={p}: ‖⟨·,β⟩‖_H / ‖β‖ for a random β", 1.0, norm, ROUNDOFF.value,
                      "β written as Σcᵢxᵢ; H-norm from the Gram matrix"),
                exact(f"p={p}: sup_z |⟨z,β⟩|/√k(z,z) over {LINEAR_PROBES + 1} z (incl. z=β) vs ‖β‖ (relative)", 1.0,
                      sup, ROUNDOFF.value, "the evaluation bound |f(z)| ≤ √k(z,z)‖f‖_H is attained at z = β",
                      below_one=bool(others <= 1 + ROUNDOFF.value))]
    return out


LINEAR = Claim(
    id="rkhs.linear-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=⟨x,y⟩ has RKHS {⟨·,β⟩} with ‖⟨·,β⟩‖_H = ‖β‖.",
    latex=r"k(x,y)=\langle x,y\rangle:\ H=\{\langle\cdot,\beta\rangle\},\ \|\langle\cdot,\beta\rangle\|_H^2=\|\beta\|^2",
    reading=f"On ℝ^p, p ∈ {_set(p for p, _ in LINEAR_SIZES)}, with n ≥ p random points: every ⟨·,β⟩ is a finite "
            "combination Σcᵢk(·,xᵢ) (so H = {⟨·,β⟩}) and its Moore–Aronszajn norm √(cᵀKc) equals ‖β‖; "
            "‖Σaᵢk(·,xᵢ)‖²_H = ‖Σaᵢxᵢ‖²; and sup_z |f(z)|/√k(z,z) = ‖β‖ (the norm as the best evaluation constant, "
            f"attained at z=β). Relative errors ≤ {ROUNDOFF:g} (ROUNDOFF).",
    checks=(Exact("norm of ⟨·,β⟩ three ways", View.NUMERIC, _linear),),
)


# ---- kernels with parameters: polynomial, Gaussian, Laplace -------------------------------------

def _positive_exponent(ctx):
    det, proved = derive.positive_exponent_two_point()
    return [symbolic("two points x ≠ y, s = exponent > 0: det [[1, eˢ], [eˢ, 1]] ≥ 0 (necessary for PSD)", not proved,
                     str(det), "≥ 0", "SymPy: {s > 0 : 1 − e^{2s} ≥ 0} = ∅", residual=f"{det} < 0 for every s > 0")]


def _two_point_determinants():
    return [(d, det, negative) for d, det, negative in derive.polynomial_two_point(POLY_MAX_D) if d != 0]


def _poly_as_stated(ctx):  # PSD needs det ≥ 0: SymPy proves the opposite
    return [symbolic(f"α = −β < 0, d = {d}: det Gram({{0, x}}), ‖x‖² = 1/(2β), ≥ 0 (necessary for PSD)", not negative,
                     str(det), "≥ 0", "SymPy, exact in β > 0", residual=f"{det} < 0")
            for d, det, negative in _two_point_determinants()]


def _poly_corrected(ctx):
    expansion = [_named(r, r.name + " with α ≥ 0 ⇒ nonnegative coefficients") for r in derive.polynomial_expansion(POLY_MAX_D)]
    return derived(expansion, "SymPy expansion; Schur product theorem") + [
        symbolic(f"α < 0, d = {d}: det Gram({{0, x}}) < 0 (not a kernel)", negative, str(det), "< 0",
                 "SymPy, exact in β = −α > 0", residual="" if negative else f"{det} not proved < 0")
        for d, det, negative in _two_point_determinants()]


def _poly_negative(ctx):
    worst, c = rkhs.polynomial_counterexample(NEG_ALPHAS, range(1, POLY_MAX_D + 1))
    return [at_most(f"α < 0, d ≥ 1: largest λ_min/λ_max of Gram({{0, x}}) over {len(NEG_ALPHAS)} α × {POLY_MAX_D} d, "
                    "certified < 0", worst, -PSD_CERT.value, f"mpmath at {c['dps']} digits", View.CLOSED_FORM,
                    points=c["points"], params=c["params"], lambda_min_mpmath=c["lambda_min_str"])]


def _bochner(transform, positivity: str, *more):
    """SymPy: the kernel's Fourier transform, its positivity (Bochner), and further (name, result, reference)."""
    def compute(ctx):
        r, positive = transform()
        return (derived([r], "SymPy Fourier integral")
                + [symbolic(positivity, positive, r.stated, "> 0", "SymPy positivity")]
                + [c for name, result, ref in more for c in derived([_named(result(), name)], ref)])

    return compute


POLYNOMIAL = Claim(
    id="rkhs.polynomial-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=(α⟨x,y⟩+1)^d, α ∈ ℝ, d ∈ ℕ, is a kernel.",
    latex=r"k(x,y)=(\alpha\langle x,y\rangle+1)^d,\ \alpha\in\mathbb{R},\ d\in\mathbb{N}",
    reading="'is a kernel' = is ⟨φ(x),φ(y)⟩ for some φ, equivalently (Property 2 and Moore–Aronszajn) every "
            "Gram matrix on ℝ^p is PSD. Over the whole stated range (α ∈ ℝ both signs over six decades and 0, "
            f"d = 0…{POLY_MAX_D}, p = 1…3), a search for a negative Gram eigenvalue; SymPy: for α = −β < 0 the points "
            "0 and x with ‖x‖² = 1/(2β) give det = 2^{−d} − 1 < 0 for every d ≥ 1. FAIL if a counterexample is "
            f"certified in mpmath (λ_min < −{PSD_CERT:g}·λ_max).",
    checks=(_search("polynomial"), Exact("two-point Gram determinant for α < 0", View.SYMBOLIC, _poly_as_stated)),
    note="Wrong for α < 0 (and d ≥ 1): Gram({0, x}) = [[1, 1], [1, (1+α‖x‖²)^d]] has determinant "
         "(1+α‖x‖²)^d − 1 < 0 whenever 0 < ‖x‖² < 2/|α|. See rkhs.polynomial-kernel.corrected.",
)

POLYNOMIAL_CORRECTED = Claim(
    id="rkhs.polynomial-kernel.corrected", group="rkhs", source=Source(SEED003, "§2.1 (corrected)"),
    statement="k=(α⟨x,y⟩+1)^d, d ∈ ℕ, is a kernel on ℝ^p if α ≥ 0; for α < 0 and d ≥ 1 it is not (the points 0 "
              "and x with ‖x‖² = 1/(2|α|) have Gram determinant 2^{−d} − 1 < 0).",
    latex=r"(\alpha\langle x,y\rangle+1)^d \text{ is a kernel for } \alpha\ge0,\ d\in\mathbb{N};\ "
          r"\text{not for } \alpha<0,\ d\ge1",
    reading=f"SymPy: (αs+1)^d = Σ_j C(d,j)α^j s^j has nonnegative coefficients for α ≥ 0 (d = 0…{POLY_MAX_D}), and "
            "⟨x,y⟩^j is PSD (Schur), so the sum is; the counterexample search over α ≥ 0 (0 and six decades), "
            f"d = 0…{POLY_MAX_D}, p = 1…3 finds no certified negative eigenvalue (PSD_CERT); for α < 0, d ≥ 1 the "
            f"stated two-point Gram matrix has a negative determinant (SymPy, d = 1…{POLY_MAX_D} exactly and all "
            f"d ≥ 1 by solveset) and a certified negative eigenvalue for α ∈ {_set(NEG_ALPHAS)}, d = 1…{POLY_MAX_D}.",
    checks=(Exact("SymPy expansion and two-point determinant", View.SYMBOLIC, _poly_corrected),
            _search("polynomial-nonneg"),
            Exact("certified counterexamples for α < 0", View.CLOSED_FORM, _poly_negative)),
    corrects="rkhs.polynomial-kernel",
    note="The source's α ∈ ℝ must be α ≥ 0 (the usual statement); d ∈ ℕ may include 0 (k ≡ 1).",
)

GAUSSIAN = Claim(
    id="rkhs.gaussian-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=exp(‖x−y‖²/(2σ²)), σ>0, is a kernel.",
    latex=r"k(x,y)=\exp(\|x-y\|^2/(2\sigma^2)),\ \sigma>0",
    reading="Taken literally (positive exponent). 'is a kernel' = every Gram matrix on ℝ^p is PSD. SymPy: for x ≠ y "
            "the 2×2 Gram matrix [[1,eˢ],[eˢ,1]], s = ‖x−y‖²/(2σ²) > 0, has determinant 1 − e^{2s} < 0; the search "
            f"over {_searched('gaussian-as-stated')} (σ log-uniform) certifies an explicit counterexample in mpmath.",
    checks=(_search("gaussian-as-stated"), Exact("two-point Gram determinant", View.SYMBOLIC, _positive_exponent)),
    note="Sign typo: with a positive exponent k(x,x) = 1 < k(x,y) and two points already give a negative eigenvalue "
         "1 − e^{s}. The Gaussian kernel is exp(−‖x−y‖²/(2σ²)); see rkhs.gaussian-kernel.corrected.",
)

GAUSSIAN_CORRECTED = Claim(
    id="rkhs.gaussian-kernel.corrected", group="rkhs", source=Source(SEED003, "§2.1 (corrected)"),
    statement="k=exp(−‖x−y‖²/(2σ²)), σ>0, is a kernel.",
    latex=r"k(x,y)=\exp(-\|x-y\|^2/(2\sigma^2)),\ \sigma>0",
    reading="SymPy: the Fourier transform of exp(−t²/(2σ²)) is σ√(2π)e^{−σ²ω²/2} > 0 (on ℝ^p the product of p such "
            f"factors), so k is PSD by Bochner; the search over {_searched('gaussian')} finds no certified negative "
            "eigenvalue (PSD_CERT).",
    checks=(Exact("SymPy Fourier transform", View.SYMBOLIC,
                  _bochner(derive.gaussian_fourier, "σ√(2π)e^{−σ²ω²/2} > 0 for all ω (Bochner ⇒ PSD)")),
            _search("gaussian")),
    corrects="rkhs.gaussian-kernel",
    note="The exponent's sign restored.",
)

LAPLACE = Claim(
    id="rkhs.laplace-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=exp(‖x−y‖/σ), σ>0, is a kernel.",
    latex=r"k(x,y)=\exp(\|x-y\|/\sigma),\ \sigma>0",
    reading="Taken literally (positive exponent). As rkhs.gaussian-kernel with s = ‖x−y‖/σ > 0: SymPy 2×2 "
            f"determinant 1 − e^{{2s}} < 0, and the search over {_searched('laplace-as-stated')} certifies an explicit "
            "counterexample in mpmath.",
    checks=(_search("laplace-as-stated"), Exact("two-point Gram determinant", View.SYMBOLIC, _positive_exponent)),
    note="Sign typo, as for the Gaussian kernel: the Laplace kernel is exp(−‖x−y‖/σ); see rkhs.laplace-kernel.corrected.",
)

LAPLACE_CORRECTED = Claim(
    id="rkhs.laplace-kernel.corrected", group="rkhs", source=Source(SEED003, "§2.1 (corrected)"),
    statement="k=exp(−‖x−y‖/σ), σ>0, is a kernel.",
    latex=r"k(x,y)=\exp(-\|x-y\|/\sigma),\ \sigma>0",
    reading="SymPy: on ℝ the Fourier transform of e^{−|t|/σ} is 2σ/(1+σ²ω²) > 0; on every ℝ^p, "
            "e^{−c} = ∫₀^∞ e^{−u−c²/(4u)}(πu)^{−1/2}du (c = ‖x−y‖/σ) writes k as a nonnegative mixture of Gaussian "
            f"kernels, hence PSD. The search over {_searched('laplace')} finds no certified negative eigenvalue.",
    checks=(Exact("SymPy Fourier transform and Gaussian mixture", View.SYMBOLIC,
                  _bochner(derive.laplace_fourier, "2σ/(1+σ²ω²) > 0 (Bochner ⇒ PSD on ℝ)",
                           ("e^{−c} as a nonnegative mixture of Gaussians (PSD on every ℝ^p)",
                            derive.laplace_gaussian_mixture, "SymPy integral over u"))),
            _search("laplace")),
    corrects="rkhs.laplace-kernel",
    note="The exponent's sign restored.",
)


# ---- rkhs.sinc-kernel ---------------------------------------------------------------------------

def _sinc_quadrature(ctx):
    a, b = SINC_BAND, SINC_WIDER
    q = rkhs.sinc_l2_reproduction(ctx.rng("sinc"), a, b, SINC_DPS)
    cases = (("section", f"∫k(t,x)k(t,y)dt = ⟨k(·,x),k(·,y)⟩_L² vs k(x,y), x={q['x']:.4f}, y={q['y']:.4f}",
              "mpmath.quadosc over ℝ", {}),
             ("fejer", f"f band-limited to [−{a},{a}] (Fejér, centre {q['c']:.4f}): ⟨f,k(·,x)⟩_L² vs f(x)",
              "mpmath.quadosc over ℝ", {}),
             ("wider", f"g = sin({b}(·−y))/(π(·−y)) ∉ H: ⟨g,k(·,x)⟩_L² = (P_H g)(x) = k_{a}(x,y) ≠ g(x)",
              "projection onto the band [−a, a]",
              {"g_at_x": q["wider_at_x"], "miss_if_reproduced": q["miss_if_reproduced"]}))
    out = []
    for key, name, ref, extra in cases:
        target, value, difference = q[key]
        detail = extra or {"difference": difference}
        out.append(exact(f"a={a}: {name}", target, value, QUAD.value, ref, view=View.CLOSED_FORM, **detail))
    return out


SINC = Claim(
    id="rkhs.sinc-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=sin(a(x−y))/(π(x−y)) is a kernel whose RKHS is the L²(ℝ) functions with Fourier transform "
              "supported in [−a, a].",
    latex=r"k(x,y)=\frac{\sin(a(x-y))}{\pi(x-y)},\ H=\{f\in L^2(\mathbb{R}):\ \mathrm{supp}\,\hat f\subset[-a,a]\}",
    reading="On X = ℝ, a > 0 (implied by the interval [−a, a]; for a < 0, k(x,x) = a/π < 0), k(x,x) := a/π, and the "
            "Fourier convention f̂(ω) = ∫f(t)e^{−iωt}dt. Kernel: SymPy shows k(t) = (1/2π)∫_{−a}^{a}e^{iωt}dω, a "
            f"nonnegative spectral density (Bochner ⇒ PSD), and the counterexample search over {_searched('sinc')} "
            f"finds no certified negative eigenvalue. RKHS (a = {SINC_BAND}): with the L² inner product, k(·,x) is "
            "band-limited and ⟨f,k(·,x)⟩_L² = f(x) for band-limited f (k(·,y) itself, and a Fejér function of band "
            f"a), by mpmath quadrature over ℝ at {SINC_DPS} digits (QUAD, {QUAD:g}) — so by Moore–Aronszajn's "
            "uniqueness H is that space with the L² norm; a function of wider band (sin("
            f"{SINC_WIDER}t)/(πt)) is not reproduced (its inner product gives its projection).",
    checks=(Exact("SymPy spectral density", View.SYMBOLIC,
                  lambda ctx: derived(derive.sinc_fourier(), "SymPy inverse Fourier integral of (1/2π)·1_[−a,a]")),
            _search("sinc"),
            Exact("reproducing property in L² by quadrature", View.CLOSED_FORM, _sinc_quadrature)),
)


# ---- rkhs.representer ---------------------------------------------------------------------------

def _representer(ctx):
    out = []
    for loss in km.LOSSES:
        for pen in km.PENALTIES:
            rng = ctx.rng("representer", loss, pen)
            r = km.representer(*km.representer_problem(rng, loss, REP_N, REP_D, REP_P), loss, pen, rng)
            out.append(exact(f"E={loss}, P={pen}: min over ℝ^{REP_D} (rich) vs min over the span (relative)", 1.0,
                             r.rich / r.span if r.span else 1.0, OPT_REL.value,
                             f"L-BFGS-B over {REP_D} random-feature weights vs over α ∈ ℝ^{REP_N}",
                             J_rich=r.rich, J_span=r.span, J_of_projection=r.projection, P_strict=r.strict))
            if r.strict:
                out.append(exact(f"E={loss}, P={pen} (strictly increasing): ‖w_⊥‖/‖w‖ of the rich minimiser", 0.0,
                                 r.perp, SPAN_REL.value, "component orthogonal to span{φ(xᵢ)}"))
            else:
                out.append(exact(f"E={loss}, P={pen} (non-decreasing): J(projection of the rich minimiser) vs min "
                                 "(relative)", 1.0, r.projection / r.span, OPT_REL.value,
                                 "a solution of the span form exists", orthogonal_part_of_rich_minimiser=r.perp))
    return out


_PEN = f"{km.PENALTY_WEIGHT:g}"  # the penalties' weight λ, as the reading states it
REPRESENTER = Claim(
    id="rkhs.representer", group="rkhs", source=Source(SEED003, "§2.2.1 (Théorème 4)"),
    statement="if min_{f∈H} E(f(x₁..xₙ)) + P(‖f‖²_H) has a solution, one has the form Σαᵢk(·,xᵢ); all do if P is "
              "strictly increasing.",
    latex=r"\min_{f\in H}E(f(x_1),\dots,f(x_n))+P(\|f\|_H^2)\ \Rightarrow\ f=\sum_i\alpha_ik(\cdot,x_i)",
    reading=f"H = H_D, the RKHS of {REP_D} random Fourier features on ℝ^{REP_P} (f = ⟨w,φ(·)⟩, ‖f‖_H = ‖w‖ for w in "
            f"the span of φ(ℝ^{REP_P}), here all of ℝ^{REP_D}), n = {REP_N} points. E ∈ {{{', '.join(km.LOSSES)}}}; "
            f"P ∈ {{{_PEN}t, {_PEN}√t, {_PEN}log(1+t)}} (strictly increasing) and {_PEN}·max(t−1,0)² (non-decreasing, not "
            f"strict: 'croissante'). The objective minimised over all w ∈ ℝ^{REP_D} from a start off the span equals "
            f"the minimum over α ∈ ℝ^{REP_N} (relative {OPT_REL:g}, OPT_REL); for strictly increasing P the rich "
            f"minimiser lies in span{{φ(xᵢ)}} (‖w_⊥‖/‖w‖ ≤ {SPAN_REL:g}, SPAN_REL); for the non-strict P the "
            "projection of the rich minimiser onto the span is also a minimiser (its orthogonal part, reported, need "
            "not vanish).",
    checks=(Exact("rich-space minimiser vs span minimiser", View.NUMERIC, _representer),),
)


# ---- rkhs.kernel-ridge --------------------------------------------------------------------------

def _ridge(ctx):
    out = []
    for label, kind in RIDGE_CASES.items():
        for lam in RIDGE_LAMBDAS:
            rng = ctx.rng("ridge", label, lam)
            K, y = km.ridge_problem(kind, rng, RIDGE_N)
            r = km.ridge_three_ways(K, y, lam, rng)
            out += [exact(f"{label}, λ={lam}: F((K+λI)⁻¹y) / min F (least squares)", 1.0, r.closed / r.lstsq,
                          OPT_REL.value, "lstsq of the stacked system", rank=r.rank, F_closed=r.closed, F_lstsq=r.lstsq),
                    at_least(f"{label}, λ={lam}: (F(numerical minimiser) − F(closed form))/F ≥ 0",
                             (r.numerical - r.closed) / r.closed, 0.0, "L-BFGS-B from a random start",
                             slack=OPT_REL.value, alpha_distance=r.alpha_distance,
                             prediction_distance=r.prediction_distance, rank=r.rank)]
    return out


KERNEL_RIDGE = Claim(
    id="rkhs.kernel-ridge", group="rkhs", source=Source(SEED003, "§2.2.2"),
    statement="the minimizer of ‖y−Kα‖² + λαᵀKα is α = (K+λIₙ)⁻¹y.",
    latex=r"\mathop{\mathrm{arg\,min}}_\alpha\|y-K\alpha\|_2^2+\lambda\alpha^TK\alpha=(K+\lambda I_n)^{-1}y",
    reading=f"λ > 0 (a penalty weight; λ ∈ {_set(RIDGE_LAMBDAS)}), K a PSD Gram matrix, n = {RIDGE_N}: full-rank "
            "Gaussian K, a rank-2 linear K and a singular Laplace K with duplicated points. F((K+λI)⁻¹y) equals the "
            f"minimum of F found by least squares on the stacked system [K; √λK^{{1/2}}] (relative {OPT_REL:g}, "
            "OPT_REL) and no numerical minimiser (L-BFGS-B) goes below it. With singular K the minimiser is not "
            "unique — the minimisers are (K+λI)⁻¹y + ker K, with the same prediction Kα — so 'the minimizer' is read "
            "as 'a minimizer' and the objective value is what is compared (the distances between α's and between "
            "predictions are reported).",
    checks=(Exact("closed form vs least squares and L-BFGS-B", View.NUMERIC, _ridge),),
)


# ---- rkhs.svm-dual ------------------------------------------------------------------------------

def _svm(ctx):
    out = []
    for kind, n, D, lam, noise in SVM_CASES:
        label = f"{kind}, λ={lam:g}"
        r = km.svm_duality(*km.svm_problem(ctx.rng("svm", label), n, D, noise), lam)
        out += [exact(f"{label}: duality gap (J_primal + λ·D_min)/J_primal", 0.0, (r.primal + lam * r.dual_min) / r.primal,
                      SVM_TOL.value, "strong duality: J* = λ·max(Σγ − ½γᵀQγ) = −λ·(stated dual minimum)",
                      J_primal=r.primal, dual_min=r.dual_min, in_box=r.in_box),
                exact(f"{label}: ‖w_primal − Σyᵢγᵢφ(xᵢ)‖/‖w_primal‖", 0.0, r.w_distance, SVM_TOL.value,
                      "primal QP (SLSQP) solved independently of the dual (L-BFGS-B)"),
                exact(f"{label}: J(Σyᵢγᵢk(·,xᵢ)) / J_primal", 1.0, r.dual_objective / r.primal, SVM_TOL.value,
                      "αᵢ = yᵢγᵢ attains the primal optimum", support_vectors=r.support_vectors, at_bound=r.at_bound)]
    return out


SVM_DUAL = Claim(
    id="rkhs.svm-dual", group="rkhs", source=Source(SEED003, "§2.2.3"),
    statement="the dual of (1/n)Σmax(0,1−yᵢf(xᵢ)) + (λ/2)‖f‖²_H is min_γ −Σγᵢ + ½ΣΣγᵢγⱼyᵢyⱼk(xᵢ,xⱼ) s.t. "
              "0 ≤ γᵢ ≤ 1/(nλ), with αᵢ = yᵢγᵢ.",
    latex=r"\min_\gamma -\sum_i\gamma_i+\tfrac12\sum_{i,j}\gamma_i\gamma_jy_iy_jk(x_i,x_j)\ \text{s.t.}\ "
          r"0\le\gamma_i\le\tfrac1{n\lambda},\quad \alpha_i=y_i\gamma_i",
    reading=f"H the RKHS of explicit tanh features on ℝ² (D ∈ {_set(sorted(c[2] for c in SVM_CASES))}; f = ⟨w,φ⟩, "
            f"K = ΦΦᵀ), n ∈ {_set(sorted(c[1] for c in SVM_CASES))} labelled points, "
            f"λ ∈ {_set(sorted(c[3] for c in SVM_CASES))}. The primal is solved as the QP min (1/n)Σξᵢ + (λ/2)‖w‖², "
            "ξᵢ ≥ 0, ξᵢ ≥ 1 − yᵢ⟨w,φ(xᵢ)⟩ (SLSQP); the stated dual as a box-constrained QP (L-BFGS-B), "
            "independently, each restarted until it stops improving and polished on its own active set (the KKT "
            "system of the constraints it found tight, solved to round-off). 'Is the dual' is read as: the Lagrange dual equals λ times the negative of the stated "
            f"objective, so J* = −λ·D* (duality gap ≤ {SVM_TOL:g} relative, SVM_TOL), and αᵢ = yᵢγᵢ gives the primal "
            f"minimiser (‖w − Σαᵢφ(xᵢ)‖/‖w‖ ≤ {SVM_TOL:g}, and the same objective). (The source's α-form display "
            "drops the 1/n; the statement checked keeps it, consistent with the bound 1/(nλ).)",
    checks=(Exact("primal QP vs dual box QP", View.NUMERIC, _svm),),
)

CLAIMS = (POINTWISE, KERNEL_PSD, REPRODUCING, LINEAR, POLYNOMIAL, POLYNOMIAL_CORRECTED, GAUSSIAN, GAUSSIAN_CORRECTED,
          LAPLACE, LAPLACE_CORRECTED, SINC, REPRESENTER, KERNEL_RIDGE, SVM_DUAL)
