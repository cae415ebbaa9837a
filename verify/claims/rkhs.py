"""rkhs.* — kernels, RKHS and kernel methods (seed 003 §2, in French).

Kernels are checked over the whole parameter range the source states. A positive-semidefiniteness
check searches for a counterexample (random point sets, local minimisation of the smallest Gram
eigenvalue, a seeded hypothesis search that shrinks what it finds) and recomputes the worst Gram
matrix in mpmath at 40 digits; a PASS also rests on a SymPy argument where one exists (a nonnegative
Fourier transform, a nonnegative mixture, a binomial expansion with nonnegative coefficients).
"""
from __future__ import annotations

import math

import numpy as np

from verify._model import Claim, PerProfile, Source, View
from verify.checks import Exact, at_least, at_most, exact, symbolic
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
                    "and L-BFGS-B on the box QP (≤ 40 variables) agree to ≲ 5e-8 (measured); a wrong box bound (1/λ, 1/n) or a "
                    "missing yᵢ moves both by O(0.1)")


# ---- PSD searches ---------------------------------------------------------------------------------

SEARCH = PerProfile((150, 8, 40), (600, 24, 150), (3000, 80, 600))  # random sets, optimisations, hypothesis


def _search_comparison(ctx, kern, label, fixed=None, expect_psd=True):
    """Search for a negative Gram eigenvalue; compare the certified λ_min of the worst set with ≥ 0."""
    import mpmath

    from numeric import rkhs

    rand, opt, hyp = SEARCH(ctx.profile)
    s = rkhs.search_psd(kern, ctx.rng("psd", label), rand, opt, hyp, fixed=fixed)
    X, params = s.points, s.params
    if s.worst < 0 and s.shrunk is not None:  # report hypothesis' shrunk counterexample: small and readable
        X, params = s.shrunk
    c = rkhs.certify(kern, X, params)
    lam_max = max(1.0, abs(float(c["lambda_max"])))
    detail = {"points": c["points"], "params": c["params"], "lambda_min_mpmath": c["lambda_min_str"],
              "lambda_max_mpmath": c["lambda_max_str"], "quadratic_form_cTKc_over_cTc_mpmath": c["quadratic_form_str"],
              "mpmath_dps": c["dps"], "worst_float64_lambda_min_over_lambda_max": s.worst, "found_by": s.phase,
              "search_sizes": s.tried, "parameter_range": {k: r.text for k, r in kern.params.items()},
              "reproduce": f"numeric.rkhs.certify(numeric.rkhs.kernel({kern.name!r}), points, params)"
              if kern.name in rkhs.KERNELS else "numeric.rkhs.certify(feature kernel, points, params)"}
    verb = "≥ 0 (PSD)" if expect_psd else "< 0 (a counterexample)"
    name = f"{label}: smallest Gram eigenvalue over the search, certified in mpmath, {verb}"
    if c["lambda_min"] < 0 and X.size <= 6:  # a short counterexample is shown in the name itself
        shown = ", ".join(f"{k}={v:g}" for k, v in params.items())
        name += (f" — points {[[float(f'{v:.6g}') for v in row] for row in X.tolist()]}"
                 f"{' with ' + shown if shown else ''}: λ_min = {mpmath.nstr(c['lambda_min'], 12)} at {c['dps']} digits")
    ref = (f"searched {s.tried} Gram matrices (random sets, L-BFGS-B on λ_min, hypothesis); "
           f"worst set recomputed at {c['dps']} digits")
    if expect_psd:
        return at_least(name, c["lambda_min"], 0.0, ref, View.CLOSED_FORM, slack=PSD_CERT.value * lam_max, **detail)
    return at_most(name, c["lambda_min"], -PSD_CERT.value * lam_max, ref, View.CLOSED_FORM, **detail)


def _sym(name, r, reference):
    return symbolic(name, r.holds, r.derived, r.stated, reference, residual=r.residual, detail=r.detail)


# ---- rkhs.pointwise-convergence ---------------------------------------------------------------------

def _random_features(rng, p, D, act="tanh"):
    from numeric import rkhs

    return rkhs.feature_kernel(act, rng.normal(size=(D, p)), rng.normal(size=D))


def _pointwise(ctx):
    from numeric import rkhs

    out = []
    cases = (("tanh features, D=12, ℝ³", _random_features(ctx.rng("pw", "feat"), 3, 12), {}, 3),
             ("Gaussian kernel σ=0.7, ℝ²", rkhs.kernel("gaussian"), {"sigma": 0.7}, 2))
    for label, k, params, p in cases:
        rng = ctx.rng("pw", label)
        Z = rng.normal(size=(10, p))  # f, f_n ∈ span{k(·, z_j)}: H-norms are exact Gram quadratic forms
        KZ = k.gram(Z, Z, **params)
        a = rng.normal(size=10)
        xs = rng.normal(size=(200, p)) * 1.5
        kx = k.gram(xs, Z, **params)
        diag = np.array([k.gram(x[None], x[None], **params)[0, 0] for x in xs])
        worst_excess, sup_last, N = -math.inf, None, 40
        norms = []
        for n in range(1, N + 1):
            g = rng.normal(size=10)
            g /= math.sqrt(g @ KZ @ g)
            d = 2.0 ** -n * g  # f_n − f, with ‖f_n − f‖_H = 2^{−n}
            dist = math.sqrt(max(d @ KZ @ d, 0.0))
            gap = np.abs(kx @ (a + d) - kx @ a)
            bound = np.sqrt(diag) * dist
            worst_excess = max(worst_excess, float(np.max((gap - bound) / np.maximum(bound, 1e-300))))
            sup_last = float(np.max(gap))
            norms.append(dist)
        out.append(at_most(f"{label}: max over n ≤ {N}, 200 x of (|f_n(x)−f(x)| − √k(x,x)‖f_n−f‖_H)/bound ≤ 0",
                           worst_excess, 0.0, slack=ROUNDOFF.value, reference=
                           "Cauchy–Schwarz |⟨f_n−f, k_x⟩| ≤ ‖f_n−f‖_H√k(x,x) (the proof's M_x)"))
        out.append(exact(f"{label}: sup over 200 x of |f_N(x)−f(x)| at ‖f_N−f‖_H = 2^-{N}", 0.0, sup_last,
                         2.0 ** -N * float(np.sqrt(diag.max())) * (1 + ROUNDOFF.value),
                         "pointwise limit f(x); tolerance = the bound √max k(x,x)·2^-N", H_norm_distances=norms[::8]))
    return out


POINTWISE = Claim(
    id="rkhs.pointwise-convergence", group="rkhs", source=Source(SEED003, "§2.1 (Propriété 1)"),
    statement="convergence in an RKHS norm implies pointwise convergence.",
    latex=r"f_n \xrightarrow{H} f \Rightarrow \forall x\in X,\ f_n(x)\to f(x)",
    reading="In two RKHSs (a finite tanh feature map ℝ³→ℝ¹², and the Gaussian kernel σ=0.7 on ℝ²), with f and f_n "
            "in the span of 10 kernel sections (H-norms exact Gram quadratic forms), f_n = f + 2^-n g_n, ‖g_n‖_H = 1 "
            "random, n = 1…40: at 200 random x, |f_n(x)−f(x)| ≤ √k(x,x)‖f_n−f‖_H (relative slack ≤ 1e-12, "
            "ROUNDOFF) and sup_x|f_40(x)−f(x)| ≤ √max k(x,x)·2^-40, i.e. the values converge at the norm's rate.",
    checks=(Exact("|f_n(x)−f(x)| ≤ √k(x,x)‖f_n−f‖_H on sequences", View.NUMERIC, _pointwise),),
)


# ---- rkhs.kernel-psd ----------------------------------------------------------------------------------

FEATURE_MAPS = (("tanh", 2, 3), ("cos", 2, 20), ("relu", 3, 4), ("cube", 1, 2))  # (φ, p, D): D < n makes K singular


def _kernel_psd_symbolic(ctx):
    import derive.rkhs as d

    return [_sym("Σcᵢcⱼ⟨φ(xᵢ),φ(xⱼ)⟩ = ‖Σcᵢφ(xᵢ)‖² (Property 2's proof)", d.feature_gram_identity(3, 2),
                 "SymPy expansion with symbolic c and feature coordinates")]


def _kernel_psd_search(ctx):
    out = []
    for act, p, D in FEATURE_MAPS:
        rng = ctx.rng("featuremap", act)
        k = _random_features(rng, p, D, act)
        X, Y = rng.normal(size=(7, p)), rng.normal(size=(7, p))
        asym = float(np.max(np.abs(k.gram(X, Y) - k.gram(Y, X).T)))
        out.append(exact(f"φ={act}, p={p}, D={D}: max |k(x,y) − k(y,x)| over 49 pairs", 0.0, asym, ROUNDOFF.value,
                         "symmetry of the inner product"))
        out.append(_search_comparison(ctx, k, f"φ={act}, p={p}, D={D}"))
    return out


KERNEL_PSD = Claim(
    id="rkhs.kernel-psd", group="rkhs", source=Source(SEED003, "§2.1 (Propriété 2)"),
    statement="every kernel k(x,y)=⟨φ(x),φ(y)⟩ is symmetric positive semidefinite.",
    latex=r"k(x,y)=\langle\phi(x),\phi(y)\rangle_H \Rightarrow k \text{ symmetric},\ \sum_{i,j}c_ic_jk(x_i,x_j)\ge0",
    reading="'défini positif' in the source is read as positive semidefinite (its proof shows ≥ 0). SymPy: the "
            "quadratic form equals ‖Σcᵢφ(xᵢ)‖². Numerically, for four random finite feature maps φ(x)=act(Wx+b) "
            "(tanh ℝ²→ℝ³, cos ℝ²→ℝ²⁰, ReLU ℝ³→ℝ⁴, cube ℝ→ℝ²; D < n makes K singular, the hard case): k(x,y)=k(y,x) "
            "exactly (ROUNDOFF) and a search (random point sets of 2–8 points, L-BFGS-B minimisation of "
            "λ_min/λ_max, hypothesis) finds no Gram matrix whose smallest eigenvalue, recomputed in mpmath at 40 "
            "digits, is below −1e-25·max(1, λ_max) (PSD_CERT).",
    checks=(Exact("SymPy quadratic-form identity", View.SYMBOLIC, _kernel_psd_symbolic),
            Exact("counterexample search on feature-map kernels", View.CLOSED_FORM, _kernel_psd_search)),
)


# ---- rkhs.reproducing ---------------------------------------------------------------------------------

def _reproducing_features(ctx):
    """H = {⟨w, φ(·)⟩}; a function's weights are recovered from its values alone (min-norm least squares
    on 60 sample points), so ⟨f, g⟩_H = w_f·w_g is computed without using k."""
    out = []
    for p, D in ((2, 6), (3, 12)):
        rng = ctx.rng("repro", p, D)
        W, b = rng.normal(size=(D, p)), rng.normal(size=D)
        phi = lambda X: np.tanh(X @ W.T + b)
        S = rng.normal(size=(60, p)) * 1.5
        PS = phi(S)
        weights = lambda values: np.linalg.lstsq(PS, values, rcond=None)[0]
        xs = rng.normal(size=(8, p))
        k = lambda X, Y: phi(X) @ phi(Y).T
        secs = [weights(k(S, x[None])[:, 0]) for x in xs]  # weights of k(·, x)
        G = np.array([[u @ v for v in secs] for u in secs])
        K = k(xs, xs)
        out.append(exact(f"tanh ℝ^{p}→ℝ^{D}: max |⟨k(·,x),k(·,y)⟩_H − k(x,y)| / max k over 8×8 pairs", 0.0,
                         float(np.max(np.abs(G - K)) / np.max(np.abs(K))), LSTSQ_REL.value,
                         "⟨·,·⟩_H from weights recovered by least squares from function values"))
        wf = rng.normal(size=D)
        fvals = phi(xs) @ wf
        inner = np.array([weights(phi(S) @ wf) @ s for s in secs])
        out.append(exact(f"tanh ℝ^{p}→ℝ^{D}: max |⟨f,k(·,x)⟩_H − f(x)| / max|f| for a random f ∈ H", 0.0,
                         float(np.max(np.abs(inner - fvals)) / np.max(np.abs(fvals))), LSTSQ_REL.value,
                         "reproducing property f(x) = ⟨f, k(·,x)⟩_H (Definition 3)"))
    return out


def _reproducing_gaussian(ctx):
    """Gaussian kernel on ℝ: ℓ² coordinates e_j(x) = e^{−x²/(2σ²)}(x/σ)^j/√(j!) of k(·,x) (an orthonormal
    basis of its RKHS); ⟨k(·,x), k(·,y)⟩ = Σ_j e_j(x)e_j(y) summed in mpmath at 30 digits."""
    import mpmath

    rng = ctx.rng("repro", "gauss")
    worst = 0.0
    with mpmath.workdps(30):
        for _ in range(6):
            sigma = float(10 ** rng.uniform(-0.5, 0.5))
            x, y = (float(v) for v in rng.uniform(-2, 2, size=2) * sigma)
            ex = lambda u, j: mpmath.exp(-mpmath.mpf(u) ** 2 / (2 * mpmath.mpf(sigma) ** 2)) * \
                (mpmath.mpf(u) / sigma) ** j / mpmath.sqrt(mpmath.factorial(j))
            s = mpmath.fsum(ex(x, j) * ex(y, j) for j in range(120))
            k = mpmath.exp(-(mpmath.mpf(x) - mpmath.mpf(y)) ** 2 / (2 * mpmath.mpf(sigma) ** 2))
            worst = max(worst, float(abs(s - k)))
    return [exact("Gaussian on ℝ: max |Σ_j e_j(x)e_j(y) − k(x,y)| over 6 random (x, y, σ)", 0.0, worst, SERIES.value,
                  "mpmath series in the orthonormal basis e_j of the Gaussian RKHS", view=View.CLOSED_FORM)]


REPRODUCING = Claim(
    id="rkhs.reproducing", group="rkhs", source=Source(SEED003, "§2.1 (Propriété 3, Théorème 3)"),
    statement="k(x,y) = ⟨k(·,x), k(·,y)⟩_H (reproducing property; Moore–Aronszajn).",
    latex=r"k(x,y)=\langle k(\cdot,x),k(\cdot,y)\rangle_H",
    reading="(1) Finite feature RKHSs H = {⟨w,φ(·)⟩} with φ = tanh(Wx+b), ℝ²→ℝ⁶ and ℝ³→ℝ¹²: the H-coordinates of "
            "k(·,x) and of a random f ∈ H are recovered from their values at 60 points by least squares (not from "
            "k), then ⟨k(·,x),k(·,y)⟩_H = k(x,y) and ⟨f,k(·,x)⟩_H = f(x) at 8 points, relative error ≤ 1e-8 "
            "(LSTSQ_REL). (2) Gaussian kernel on ℝ: the inner product of k(·,x), k(·,y) in the orthonormal basis "
            "e_j(x) = e^{−x²/2σ²}(x/σ)^j/√j! equals k(x,y) (mpmath, 30 digits, SERIES). The sinc kernel's "
            "reproducing property in L² is checked under rkhs.sinc-kernel.",
    checks=(Exact("finite feature RKHS: inner products from function values", View.NUMERIC, _reproducing_features),
            Exact("Gaussian RKHS in its orthonormal basis", View.CLOSED_FORM, _reproducing_gaussian)),
)


# ---- rkhs.linear-kernel -----------------------------------------------------------------------------------

def _linear(ctx):
    out = []
    for p, n in ((1, 3), (3, 5), (7, 9)):
        rng = ctx.rng("linear", p)
        X = rng.normal(size=(n, p))  # n ≥ p: the sections k(·,xᵢ) span all of {⟨·,β⟩}
        K = X @ X.T
        a = rng.normal(size=n)
        beta = X.T @ a  # f = Σaᵢk(·,xᵢ) = ⟨·, β⟩
        out.append(exact(f"p={p}: ‖Σaᵢk(·,xᵢ)‖²_H = aᵀKa vs ‖β‖², β = Σaᵢxᵢ (relative)", 1.0,
                         float(a @ K @ a) / float(beta @ beta), ROUNDOFF.value, "Moore–Aronszajn inner product"))
        target = rng.normal(size=p)  # an arbitrary β: represent ⟨·,β⟩ in the span, then its H-norm
        c = np.linalg.lstsq(X.T, target, rcond=None)[0]
        out.append(exact(f"p={p}: ‖⟨·,β⟩‖_H / ‖β‖ for a random β", 1.0, math.sqrt(c @ K @ c) / np.linalg.norm(target),
                         ROUNDOFF.value, "β written as Σcᵢxᵢ; H-norm from the Gram matrix"))
        zs = np.vstack([rng.normal(size=(400, p)), target[None]])
        ratio = np.abs(zs @ target) / np.linalg.norm(zs, axis=1)  # |f(z)|/√k(z,z), maximal at z ∝ β
        out.append(exact(f"p={p}: sup_z |⟨z,β⟩|/√k(z,z) over 401 z (incl. z=β) vs ‖β‖ (relative)", 1.0,
                         float(ratio.max()) / np.linalg.norm(target), ROUNDOFF.value,
                         "the evaluation bound |f(z)| ≤ √k(z,z)‖f‖_H is attained at z = β", below_one=bool(
                             np.all(ratio[:-1] <= np.linalg.norm(target) * (1 + ROUNDOFF.value)))))
    return out


LINEAR = Claim(
    id="rkhs.linear-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=⟨x,y⟩ has RKHS {⟨·,β⟩} with ‖⟨·,β⟩‖_H = ‖β‖.",
    latex=r"k(x,y)=\langle x,y\rangle:\ H=\{\langle\cdot,\beta\rangle\},\ \|\langle\cdot,\beta\rangle\|_H^2=\|\beta\|^2",
    reading="On ℝ^p, p ∈ {1, 3, 7}, with n ≥ p random points: every ⟨·,β⟩ is a finite combination Σcᵢk(·,xᵢ) "
            "(so H = {⟨·,β⟩}) and its Moore–Aronszajn norm √(cᵀKc) equals ‖β‖; ‖Σaᵢk(·,xᵢ)‖²_H = ‖Σaᵢxᵢ‖²; "
            "and sup_z |f(z)|/√k(z,z) = ‖β‖ (the norm as the best evaluation constant, attained at z=β). "
            "Relative errors ≤ 1e-12 (ROUNDOFF).",
    checks=(Exact("norm of ⟨·,β⟩ three ways", View.NUMERIC, _linear),),
)


# ---- kernels with parameters: polynomial, Gaussian, Laplace ------------------------------------------

def _psd_fail(name, extra=None):
    def compute(ctx):
        from numeric import rkhs

        out = [] if extra is None else list(extra(ctx))
        out.append(_search_comparison(ctx, rkhs.kernel(name), rkhs.kernel(name).formula))
        return out

    return compute


def _positive_exponent_symbolic(ctx):
    import derive.rkhs as d

    det, proved = d.positive_exponent_two_point()
    return [symbolic("two points x ≠ y, s = exponent > 0: det [[1, eˢ], [eˢ, 1]] ≥ 0 (necessary for PSD)", not proved,
                     str(det), "≥ 0", "SymPy: {s > 0 : 1 − e^{2s} ≥ 0} = ∅", residual=f"{det} < 0 for every s > 0")]


def _psd_pass(name):
    def compute(ctx):
        from numeric import rkhs

        return [_search_comparison(ctx, rkhs.kernel(name), rkhs.kernel(name).formula)]

    return compute


def _poly_symbolic_fail(ctx):
    import derive.rkhs as d

    out = []
    for deg, det, negative in d.polynomial_two_point(8):
        if deg == 0:
            continue
        out.append(symbolic(f"α = −β < 0, d = {deg}: det Gram({{0, x}}), ‖x‖² = 1/(2β), ≥ 0 (necessary for PSD)",
                            not negative, str(det), "≥ 0", "SymPy, exact in β > 0", residual=f"{det} < 0"))
    return out


def _poly_corrected_symbolic(ctx):
    import derive.rkhs as d

    out = [_sym(r.name + " with α ≥ 0 ⇒ nonnegative coefficients", r, "SymPy expansion; Schur product theorem")
           for r in d.polynomial_expansion(8)]
    for deg, det, negative in d.polynomial_two_point(8):
        if deg == 0:
            continue
        out.append(symbolic(f"α < 0, d = {deg}: det Gram({{0, x}}) < 0 (not a kernel)", negative, str(det), "< 0",
                            "SymPy, exact in β = −α > 0", residual="" if negative else f"{det} not proved < 0"))
    return out


def _poly_corrected_negative(ctx):
    """The explicit α < 0 counterexample {0, x}, ‖x‖² = 1/(2|α|), certified for α over decades, d = 1…8."""
    from numeric import rkhs

    k = rkhs.kernel("polynomial")
    worst, worst_detail = -math.inf, {}
    for alpha in (-1e-3, -0.37, -1.0, -12.5, -1e3):
        for deg in range(1, 9):
            X = np.array([[0.0, 0.0], [math.sqrt(1 / (2 * abs(alpha))), 0.0]])
            c = rkhs.certify(k, X, {"alpha": alpha, "d": deg})
            rel = float(c["lambda_min"]) / abs(float(c["lambda_max"]))
            if rel > worst:
                worst, worst_detail = rel, {"points": c["points"], "params": c["params"],
                                            "lambda_min_mpmath": c["lambda_min_str"]}
    return [at_most("α < 0, d ≥ 1: largest λ_min/λ_max of Gram({0, x}) over 5 α × 8 d, certified < 0", worst,
                    -PSD_CERT.value, "mpmath at 40 digits", View.CLOSED_FORM, **worst_detail)]


POLYNOMIAL = Claim(
    id="rkhs.polynomial-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=(α⟨x,y⟩+1)^d, α ∈ ℝ, d ∈ ℕ, is a kernel.",
    latex=r"k(x,y)=(\alpha\langle x,y\rangle+1)^d,\ \alpha\in\mathbb{R},\ d\in\mathbb{N}",
    reading="'is a kernel' = is ⟨φ(x),φ(y)⟩ for some φ, equivalently (Property 2 and Moore–Aronszajn) every "
            "Gram matrix on ℝ^p is PSD. Over the whole stated range (α ∈ ℝ both signs over six decades and 0, "
            "d = 0…8, p = 1…3), a search for a negative Gram eigenvalue; SymPy: for α = −β < 0 the points 0 and "
            "x with ‖x‖² = 1/(2β) give det = 2^{−d} − 1 < 0 for every d ≥ 1. FAIL if a counterexample is "
            "certified in mpmath (λ_min < −1e-25·λ_max).",
    checks=(Exact("counterexample search over α ∈ ℝ, d ∈ ℕ", View.CLOSED_FORM, _psd_fail("polynomial")),
            Exact("two-point Gram determinant for α < 0", View.SYMBOLIC, _poly_symbolic_fail)),
    note="Wrong for α < 0 (and d ≥ 1): Gram({0, x}) = [[1, 1], [1, (1+α‖x‖²)^d]] has determinant "
         "(1+α‖x‖²)^d − 1 < 0 whenever 0 < ‖x‖² < 2/|α|. See rkhs.polynomial-kernel.corrected.",
)

POLYNOMIAL_CORRECTED = Claim(
    id="rkhs.polynomial-kernel.corrected", group="rkhs", source=Source(SEED003, "§2.1 (corrected)"),
    statement="k=(α⟨x,y⟩+1)^d, d ∈ ℕ, is a kernel on ℝ^p if α ≥ 0; for α < 0 and d ≥ 1 it is not (the points 0 "
              "and x with ‖x‖² = 1/(2|α|) have Gram determinant 2^{−d} − 1 < 0).",
    latex=r"(\alpha\langle x,y\rangle+1)^d \text{ is a kernel for } \alpha\ge0,\ d\in\mathbb{N};\ "
          r"\text{not for } \alpha<0,\ d\ge1",
    reading="SymPy: (αs+1)^d = Σ_j C(d,j)α^j s^j has nonnegative coefficients for α ≥ 0 (d = 0…8), and ⟨x,y⟩^j is "
            "PSD (Schur), so the sum is; the counterexample search over α ≥ 0 (0 and six decades), d = 0…8, p = 1…3 "
            "finds no certified negative eigenvalue (PSD_CERT); for α < 0, d ≥ 1 the stated two-point Gram matrix "
            "has a negative determinant (SymPy, d = 1…8 exactly and all d ≥ 1 by solveset) and a certified "
            "negative eigenvalue for α ∈ {−1e-3, −0.37, −1, −12.5, −1e3}, d = 1…8.",
    checks=(Exact("SymPy expansion and two-point determinant", View.SYMBOLIC, _poly_corrected_symbolic),
            Exact("counterexample search over α ≥ 0, d ∈ ℕ", View.CLOSED_FORM, _psd_pass("polynomial-nonneg")),
            Exact("certified counterexamples for α < 0", View.CLOSED_FORM, _poly_corrected_negative)),
    corrects="rkhs.polynomial-kernel",
    note="The source's α ∈ ℝ must be α ≥ 0 (the usual statement); d ∈ ℕ may include 0 (k ≡ 1).",
)


def _gauss_corrected_symbolic(ctx):
    import derive.rkhs as d

    r, positive = d.gaussian_fourier()
    return [_sym(r.name, r, "SymPy Fourier integral"),
            symbolic("σ√(2π)e^{−σ²ω²/2} > 0 for all ω (Bochner ⇒ PSD)", positive, r.stated, "> 0", "SymPy positivity")]


GAUSSIAN = Claim(
    id="rkhs.gaussian-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=exp(‖x−y‖²/(2σ²)), σ>0, is a kernel.",
    latex=r"k(x,y)=\exp(\|x-y\|^2/(2\sigma^2)),\ \sigma>0",
    reading="Taken literally (positive exponent). 'is a kernel' = every Gram matrix on ℝ^p is PSD. SymPy: for x ≠ y "
            "the 2×2 Gram matrix [[1,eˢ],[eˢ,1]], s = ‖x−y‖²/(2σ²) > 0, has determinant 1 − e^{2s} < 0; the search "
            "over σ ∈ [1e-3, 1e3] (log-uniform), p = 1…3 certifies an explicit counterexample in mpmath.",
    checks=(Exact("counterexample search over σ > 0", View.CLOSED_FORM, _psd_fail("gaussian-as-stated")),
            Exact("two-point Gram determinant", View.SYMBOLIC, _positive_exponent_symbolic)),
    note="Sign typo: with a positive exponent k(x,x) = 1 < k(x,y) and two points already give a negative eigenvalue "
         "1 − e^{s}. The Gaussian kernel is exp(−‖x−y‖²/(2σ²)); see rkhs.gaussian-kernel.corrected.",
)

GAUSSIAN_CORRECTED = Claim(
    id="rkhs.gaussian-kernel.corrected", group="rkhs", source=Source(SEED003, "§2.1 (corrected)"),
    statement="k=exp(−‖x−y‖²/(2σ²)), σ>0, is a kernel.",
    latex=r"k(x,y)=\exp(-\|x-y\|^2/(2\sigma^2)),\ \sigma>0",
    reading="SymPy: the Fourier transform of exp(−t²/(2σ²)) is σ√(2π)e^{−σ²ω²/2} > 0 (on ℝ^p the product of p such "
            "factors), so k is PSD by Bochner; the search over σ ∈ [1e-3, 1e3], p = 1…3 finds no certified negative "
            "eigenvalue (PSD_CERT).",
    checks=(Exact("SymPy Fourier transform", View.SYMBOLIC, _gauss_corrected_symbolic),
            Exact("counterexample search over σ > 0", View.CLOSED_FORM, _psd_pass("gaussian"))),
    corrects="rkhs.gaussian-kernel",
    note="The exponent's sign restored.",
)


def _laplace_corrected_symbolic(ctx):
    import derive.rkhs as d

    r, positive = d.laplace_fourier()
    return [_sym(r.name, r, "SymPy Fourier integral"),
            symbolic("2σ/(1+σ²ω²) > 0 (Bochner ⇒ PSD on ℝ)", positive, r.stated, "> 0", "SymPy positivity"),
            _sym("e^{−c} as a nonnegative mixture of Gaussians (PSD on every ℝ^p)", d.laplace_gaussian_mixture(),
                 "SymPy integral over u")]


LAPLACE = Claim(
    id="rkhs.laplace-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=exp(‖x−y‖/σ), σ>0, is a kernel.",
    latex=r"k(x,y)=\exp(\|x-y\|/\sigma),\ \sigma>0",
    reading="Taken literally (positive exponent). As rkhs.gaussian-kernel with s = ‖x−y‖/σ > 0: SymPy 2×2 "
            "determinant 1 − e^{2s} < 0, and the search over σ ∈ [1e-3, 1e3], p = 1…3 certifies an explicit "
            "counterexample in mpmath.",
    checks=(Exact("counterexample search over σ > 0", View.CLOSED_FORM, _psd_fail("laplace-as-stated")),
            Exact("two-point Gram determinant", View.SYMBOLIC, _positive_exponent_symbolic)),
    note="Sign typo, as for the Gaussian kernel: the Laplace kernel is exp(−‖x−y‖/σ); see rkhs.laplace-kernel.corrected.",
)

LAPLACE_CORRECTED = Claim(
    id="rkhs.laplace-kernel.corrected", group="rkhs", source=Source(SEED003, "§2.1 (corrected)"),
    statement="k=exp(−‖x−y‖/σ), σ>0, is a kernel.",
    latex=r"k(x,y)=\exp(-\|x-y\|/\sigma),\ \sigma>0",
    reading="SymPy: on ℝ the Fourier transform of e^{−|t|/σ} is 2σ/(1+σ²ω²) > 0; on every ℝ^p, "
            "e^{−c} = ∫₀^∞ e^{−u−c²/(4u)}(πu)^{−1/2}du (c = ‖x−y‖/σ) writes k as a nonnegative mixture of Gaussian "
            "kernels, hence PSD. The search over σ ∈ [1e-3, 1e3], p = 1…3 finds no certified negative eigenvalue.",
    checks=(Exact("SymPy Fourier transform and Gaussian mixture", View.SYMBOLIC, _laplace_corrected_symbolic),
            Exact("counterexample search over σ > 0", View.CLOSED_FORM, _psd_pass("laplace"))),
    corrects="rkhs.laplace-kernel",
    note="The exponent's sign restored.",
)


# ---- rkhs.sinc-kernel ---------------------------------------------------------------------------------------

SINC_DPS = 20


def _sinc_symbolic(ctx):
    import derive.rkhs as d

    return [_sym(r.name, r, "SymPy inverse Fourier integral of (1/2π)·1_[−a,a]") for r in d.sinc_fourier()]


def _sinc_quadrature(ctx):
    """∫_ℝ f(t) k(t,x) dt by mpmath.quadosc on each half-line (period 2π, a and b integers)."""
    import mpmath

    def k(a):
        return lambda t, u: a / mpmath.pi if t == u else mpmath.sin(a * (t - u)) / (mpmath.pi * (t - u))

    def fejer(b, c):  # (sin(b(t−c)/2)/(b(t−c)/2))²: Fourier transform a triangle supported in [−b, b]
        return lambda t: mpmath.mpf(1) if t == c else (mpmath.sin(b * (t - c) / 2) / (b * (t - c) / 2)) ** 2

    def integral(f):
        return (mpmath.quadosc(f, [0, mpmath.inf], period=2 * mpmath.pi)
                + mpmath.quadosc(f, [-mpmath.inf, 0], period=2 * mpmath.pi))

    rng = ctx.rng("sinc")
    a = 2
    ka = k(a)
    out = []
    with mpmath.workdps(SINC_DPS):
        x, y, c = (mpmath.mpf(float(v)) for v in rng.uniform(-1, 1, size=3))
        v = integral(lambda t: ka(t, x) * ka(t, y))
        out.append(exact(f"a={a}: ∫k(t,x)k(t,y)dt = ⟨k(·,x),k(·,y)⟩_L² vs k(x,y), x={float(x):.4f}, y={float(y):.4f}",
                         float(ka(x, y)), float(v), QUAD.value, "mpmath.quadosc over ℝ", view=View.CLOSED_FORM,
                         difference=mpmath.nstr(v - ka(x, y), 5)))
        f = fejer(a, c)
        v = integral(lambda t: f(t) * ka(t, x))
        out.append(exact(f"a={a}: f band-limited to [−{a},{a}] (Fejér, centre {float(c):.4f}): ⟨f,k(·,x)⟩_L² vs f(x)",
                         float(f(x)), float(v), QUAD.value, "mpmath.quadosc over ℝ", view=View.CLOSED_FORM,
                         difference=mpmath.nstr(v - f(x), 5)))
        g = k(3)  # band [−3, 3] ⊄ [−2, 2]: not in H; ⟨g, k(·,x)⟩ is its projection k_2(x, y), not g(x)
        v = integral(lambda t: g(t, y) * ka(t, x))
        out.append(exact(f"a={a}: g = sin(3(·−y))/(π(·−y)) ∉ H: ⟨g,k(·,x)⟩_L² = (P_H g)(x) = k_{a}(x,y) ≠ g(x)",
                         float(ka(x, y)), float(v), QUAD.value, "projection onto the band [−a, a]",
                         view=View.CLOSED_FORM, g_at_x=float(g(x, y)), miss_if_reproduced=float(abs(v - g(x, y)))))
    return out


SINC = Claim(
    id="rkhs.sinc-kernel", group="rkhs", source=Source(SEED003, "§2.1 (exemples de noyaux)"),
    statement="k=sin(a(x−y))/(π(x−y)) is a kernel whose RKHS is the L²(ℝ) functions with Fourier transform "
              "supported in [−a, a].",
    latex=r"k(x,y)=\frac{\sin(a(x-y))}{\pi(x-y)},\ H=\{f\in L^2(\mathbb{R}):\ \mathrm{supp}\,\hat f\subset[-a,a]\}",
    reading="On X = ℝ, a > 0 (implied by the interval [−a, a]; for a < 0, k(x,x) = a/π < 0), k(x,x) := a/π, and the "
            "Fourier convention f̂(ω) = ∫f(t)e^{−iωt}dt. Kernel: SymPy shows k(t) = (1/2π)∫_{−a}^{a}e^{iωt}dω, a "
            "nonnegative spectral density (Bochner ⇒ PSD), and the counterexample search over a ∈ [1e-3, 1e3] finds "
            "no certified negative eigenvalue. RKHS: with the L² inner product, k(·,x) is band-limited and "
            "⟨f,k(·,x)⟩_L² = f(x) for band-limited f (k(·,y) itself, and a Fejér function of band a), by mpmath "
            "quadrature over ℝ at 20 digits (QUAD, 1e-15) — so by Moore–Aronszajn's uniqueness H is that space with "
            "the L² norm; a function of wider band is not reproduced (its inner product gives its projection).",
    checks=(Exact("SymPy spectral density", View.SYMBOLIC, _sinc_symbolic),
            Exact("counterexample search over a > 0", View.CLOSED_FORM, _psd_pass("sinc")),
            Exact("reproducing property in L² by quadrature", View.CLOSED_FORM, _sinc_quadrature)),
)


# ---- rkhs.representer ----------------------------------------------------------------------------------------

LOSSES = {"squared": (lambda f, y: np.sum((f - y) ** 2), lambda f, y: 2 * (f - y)),
          "logistic": (lambda f, y: np.sum(np.logaddexp(0.0, -y * f)), lambda f, y: -y / (1 + np.exp(y * f)))}
PENALTIES = {  # P, P', strictly increasing?
    "λt": (lambda t: 0.3 * t, lambda t: 0.3, True),
    "λ√t": (lambda t: 0.3 * math.sqrt(t), lambda t: 0.15 / math.sqrt(max(t, 1e-300)), True),
    "λlog(1+t)": (lambda t: 0.3 * math.log1p(t), lambda t: 0.3 / (1 + t), True),
    "λ·max(t−1,0)²": (lambda t: 0.3 * max(t - 1, 0) ** 2, lambda t: 0.6 * max(t - 1, 0), False),
}


def _representer(ctx):
    from scipy.optimize import minimize

    out = []
    n, D, p = 8, 400, 2
    for loss, (E, dE) in LOSSES.items():
        for pen, (P, dP, strict) in PENALTIES.items():
            rng = ctx.rng("representer", loss, pen)
            Xd = rng.normal(size=(n, p))
            y = np.sign(rng.normal(size=n)) if loss == "logistic" else rng.normal(size=n) * 2
            W, b = rng.normal(size=(D, p)), rng.uniform(0, 2 * np.pi, D)
            F = math.sqrt(2.0 / D) * np.cos(Xd @ W.T + b)  # n×D random Fourier features: H_D ⊂ rich space ℝ^D
            K = F @ F.T

            def J_rich(wv):
                f = F @ wv
                t = wv @ wv
                return E(f, y) + P(t), F.T @ dE(f, y) + 2 * dP(t) * wv

            def J_span(a):
                f = K @ a
                t = a @ K @ a
                return E(f, y) + P(t), K @ dE(f, y) + 2 * dP(t) * (K @ a)

            opts = {"gtol": 1e-12, "ftol": 1e-15, "maxiter": 5000}
            w0 = rng.normal(size=D)  # off the span
            rich = minimize(J_rich, w0, jac=True, method="L-BFGS-B", options=opts)
            span = minimize(J_span, np.linalg.lstsq(F.T, w0, rcond=None)[0], jac=True, method="L-BFGS-B", options=opts)
            j_rich, j_span = float(rich.fun), float(span.fun)
            w = rich.x
            proj = F.T @ np.linalg.lstsq(F.T, w, rcond=None)[0]
            perp = float(np.linalg.norm(w - proj) / np.linalg.norm(w))
            j_proj = J_rich(proj)[0]
            out.append(exact(f"E={loss}, P={pen}: min over ℝ^{D} (rich) vs min over the span (relative)", 1.0,
                             j_rich / j_span if j_span else 1.0, OPT_REL.value,
                             "L-BFGS-B over 400 random-feature weights vs over α ∈ ℝ⁸",
                             J_rich=j_rich, J_span=j_span, J_of_projection=float(j_proj), P_strict=strict))
            if strict:
                out.append(exact(f"E={loss}, P={pen} (strictly increasing): ‖w_⊥‖/‖w‖ of the rich minimiser", 0.0,
                                 perp, SPAN_REL.value, "component orthogonal to span{φ(xᵢ)}"))
            else:
                out.append(exact(f"E={loss}, P={pen} (non-decreasing): J(projection of the rich minimiser) vs min "
                                 "(relative)", 1.0, j_proj / j_span, OPT_REL.value,
                                 "a solution of the span form exists", orthogonal_part_of_rich_minimiser=perp))
    return out


REPRESENTER = Claim(
    id="rkhs.representer", group="rkhs", source=Source(SEED003, "§2.2.1 (Théorème 4)"),
    statement="if min_{f∈H} E(f(x₁..xₙ)) + P(‖f‖²_H) has a solution, one has the form Σαᵢk(·,xᵢ); all do if P is "
              "strictly increasing.",
    latex=r"\min_{f\in H}E(f(x_1),\dots,f(x_n))+P(\|f\|_H^2)\ \Rightarrow\ f=\sum_i\alpha_ik(\cdot,x_i)",
    reading="H = H_D, the RKHS of 400 random Fourier features on ℝ² (f = ⟨w,φ(·)⟩, ‖f‖_H = ‖w‖ for w in the span "
            "of φ(ℝ²), here all of ℝ⁴⁰⁰), n = 8 points. E ∈ {squared, logistic}; P ∈ {0.3t, 0.3√t, 0.3log(1+t)} "
            "(strictly increasing) and 0.3·max(t−1,0)² (non-decreasing, not strict: 'croissante'). The objective "
            "minimised over all w ∈ ℝ⁴⁰⁰ from a start off the span equals the minimum over α ∈ ℝ⁸ "
            "(relative 1e-7, OPT_REL); for strictly increasing P the rich minimiser lies in span{φ(xᵢ)} "
            "(‖w_⊥‖/‖w‖ ≤ 1e-4, SPAN_REL); for the non-strict P the projection of the rich minimiser onto the span "
            "is also a minimiser (its orthogonal part, reported, need not vanish).",
    checks=(Exact("rich-space minimiser vs span minimiser", View.NUMERIC, _representer),),
)


# ---- rkhs.kernel-ridge ------------------------------------------------------------------------------------------

def _ridge(ctx):
    from scipy.optimize import minimize

    from numeric import rkhs

    out = []
    for label in ("Gaussian K, full rank", "linear K, rank 2 < n", "duplicated points, singular"):
        for lam in (1e-2, 1.0, 10.0):
            rng = ctx.rng("ridge", label, lam)
            n = 10
            if label.startswith("Gaussian"):
                X = rng.normal(size=(n, 2))
                K = rkhs.kernel("gaussian").gram(X, X, sigma=1.0)
            elif label.startswith("linear"):
                X = rng.normal(size=(n, 2))
                K = X @ X.T
            else:
                X = rng.normal(size=(n // 2, 2))
                X = np.vstack([X, X])
                K = rkhs.kernel("laplace").gram(X, X, sigma=1.0)
            y = rng.normal(size=n)
            alpha = rkhs.ridge_closed_form(K, y, lam)
            F = lambda a: (rkhs.ridge_objective(K, y, lam, a), -2 * K @ (y - K @ a) + 2 * lam * K @ a)
            num = minimize(F, rng.normal(size=n), jac=True, method="L-BFGS-B",
                           options={"gtol": 1e-13, "ftol": 1e-16, "maxiter": 20000})
            # third, independent: F(α) = ‖[y; 0] − [K; √λ K^{1/2}]α‖², solved by least squares
            ev, V = np.linalg.eigh(K)
            half = V @ np.diag(np.sqrt(np.clip(ev, 0, None))) @ V.T
            ls = np.linalg.lstsq(np.vstack([K, math.sqrt(lam) * half]), np.concatenate([y, np.zeros(n)]), rcond=None)[0]
            f_cf, f_num, f_ls = (rkhs.ridge_objective(K, y, lam, a) for a in (alpha, num.x, ls))
            rank = int(np.sum(ev > 1e-10 * ev.max()))
            out.append(exact(f"{label}, λ={lam}: F((K+λI)⁻¹y) / min F (least squares)", 1.0, f_cf / f_ls,
                             OPT_REL.value, "lstsq of the stacked system", rank=rank, F_closed=f_cf, F_lstsq=f_ls))
            out.append(at_least(f"{label}, λ={lam}: (F(numerical minimiser) − F(closed form))/F ≥ 0", (f_num - f_cf) /
                                f_cf, 0.0, "L-BFGS-B from a random start", slack=OPT_REL.value,
                                  alpha_distance=float(np.linalg.norm(num.x - alpha)),
                                  prediction_distance=float(np.linalg.norm(K @ (num.x - alpha))), rank=rank))
    return out


KERNEL_RIDGE = Claim(
    id="rkhs.kernel-ridge", group="rkhs", source=Source(SEED003, "§2.2.2"),
    statement="the minimizer of ‖y−Kα‖² + λαᵀKα is α = (K+λIₙ)⁻¹y.",
    latex=r"\mathop{\mathrm{arg\,min}}_\alpha\|y-K\alpha\|_2^2+\lambda\alpha^TK\alpha=(K+\lambda I_n)^{-1}y",
    reading="λ > 0 (a penalty weight; λ ∈ {0.01, 1, 10}), K a PSD Gram matrix, n = 10: full-rank Gaussian K, a rank-2 "
            "linear K and a singular Laplace K with duplicated points. F((K+λI)⁻¹y) equals the minimum of F found "
            "by least squares on the stacked system [K; √λK^{1/2}] (relative 1e-7, OPT_REL) and no numerical "
            "minimiser (L-BFGS-B) goes below it. With singular K the minimiser is not unique — the minimisers are "
            "(K+λI)⁻¹y + ker K, with the same prediction Kα — so 'the minimizer' is read as 'a minimizer' and the "
            "objective value is what is compared (the distances between α's and between predictions are reported).",
    checks=(Exact("closed form vs least squares and L-BFGS-B", View.NUMERIC, _ridge),),
)


# ---- rkhs.svm-dual ----------------------------------------------------------------------------------------------

def _svm(ctx):
    from numeric import rkhs

    out = []
    for label, n, D, lam in (("separable-ish, λ=0.1", 16, 5, 0.1), ("noisy, λ=0.01", 20, 8, 0.01),
                             ("noisy, λ=1", 12, 3, 1.0)):
        rng = ctx.rng("svm", label)
        X = rng.normal(size=(n, 2))
        y = np.where(X[:, 0] + 0.5 * X[:, 1] + (0.0 if "separable" in label else 0.8) * rng.normal(size=n) > 0, 1.0, -1.0)
        W, b = rng.normal(size=(D, 2)), rng.normal(size=D)
        Phi = np.tanh(X @ W.T + b)  # explicit features: the primal is a QP in (w, ξ); K = ΦΦᵀ
        K = Phi @ Phi.T
        w_p = rkhs.svm_primal(Phi, y, lam)
        gamma = rkhs.svm_dual(K, y, lam)
        alpha = y * gamma
        w_d = Phi.T @ alpha  # f = Σαᵢk(·,xᵢ) ⇔ w = Σαᵢφ(xᵢ)
        P_star = rkhs.svm_objective(Phi, y, lam, w_p)
        D_star = float(-gamma.sum() + 0.5 * gamma @ ((y[:, None] * y[None, :]) * K) @ gamma)
        out.append(exact(f"{label}: duality gap (J_primal + λ·D_min)/J_primal", 0.0, (P_star + lam * D_star) / P_star,
                         SVM_TOL.value, "strong duality: J* = λ·max(Σγ − ½γᵀQγ) = −λ·(stated dual minimum)",
                         J_primal=P_star, dual_min=D_star, in_box=bool(np.all((gamma >= -1e-12) &
                                                                                (gamma <= 1 / (n * lam) + 1e-12)))))
        out.append(exact(f"{label}: ‖w_primal − Σyᵢγᵢφ(xᵢ)‖/‖w_primal‖", 0.0,
                         float(np.linalg.norm(w_p - w_d) / np.linalg.norm(w_p)), SVM_TOL.value,
                         "primal QP (SLSQP) solved independently of the dual (L-BFGS-B)"))
        out.append(exact(f"{label}: J(Σyᵢγᵢk(·,xᵢ)) / J_primal", 1.0, rkhs.svm_objective(Phi, y, lam, w_d) / P_star,
                         SVM_TOL.value, "αᵢ = yᵢγᵢ attains the primal optimum",
                         support_vectors=int(np.sum(gamma > 1e-8)), at_bound=int(np.sum(gamma > 1 / (n * lam) - 1e-8))))
    return out


SVM_DUAL = Claim(
    id="rkhs.svm-dual", group="rkhs", source=Source(SEED003, "§2.2.3"),
    statement="the dual of (1/n)Σmax(0,1−yᵢf(xᵢ)) + (λ/2)‖f‖²_H is min_γ −Σγᵢ + ½ΣΣγᵢγⱼyᵢyⱼk(xᵢ,xⱼ) s.t. "
              "0 ≤ γᵢ ≤ 1/(nλ), with αᵢ = yᵢγᵢ.",
    latex=r"\min_\gamma -\sum_i\gamma_i+\tfrac12\sum_{i,j}\gamma_i\gamma_jy_iy_jk(x_i,x_j)\ \text{s.t.}\ "
          r"0\le\gamma_i\le\tfrac1{n\lambda},\quad \alpha_i=y_i\gamma_i",
    reading="H the RKHS of explicit tanh features on ℝ² (D = 3, 5, 8; f = ⟨w,φ⟩, K = ΦΦᵀ), n = 12–20 labelled "
            "points, λ ∈ {0.01, 0.1, 1}. The primal is solved as the QP min (1/n)Σξᵢ + (λ/2)‖w‖², ξᵢ ≥ 0, "
            "ξᵢ ≥ 1 − yᵢ⟨w,φ(xᵢ)⟩ (SLSQP); the stated dual as a box-constrained QP (L-BFGS-B), independently. "
            "'Is the dual' is read as: the Lagrange dual equals λ times the negative of the stated objective, so "
            "J* = −λ·D* (duality gap ≤ 1e-6 relative, SVM_TOL), and αᵢ = yᵢγᵢ gives the primal minimiser "
            "(‖w − Σαᵢφ(xᵢ)‖/‖w‖ ≤ 1e-6, and the same objective). (The source's α-form display drops the 1/n; "
            "the statement checked keeps it, consistent with the bound 1/(nλ).)",
    checks=(Exact("primal QP vs dual box QP", View.NUMERIC, _svm),),
)

CLAIMS = (POINTWISE, KERNEL_PSD, REPRODUCING, LINEAR, POLYNOMIAL, POLYNOMIAL_CORRECTED, GAUSSIAN, GAUSSIAN_CORRECTED,
          LAPLACE, LAPLACE_CORRECTED, SINC, REPRESENTER, KERNEL_RIDGE, SVM_DUAL)
