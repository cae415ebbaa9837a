"""randnet.* finite-width claims (cumulants, L/n corrections) — assembled into verify.claims.randnet.

Three views. Symbolic (derive/randnet.py): for ReLU with C_W = 2 and no biases the conditional variance of the output
given the last hidden layer is G = K·Π_ℓ X_ℓ with independent X_ℓ = (2/n_ℓ)χ²_{Bin(n_ℓ,1/2)}, so every cumulant of
z^{(L+1)}(x) is an exact rational function of the widths (κ_{2k}(z) = (2k−1)!!κ_k(G); E[z⁴]/(3E[z²]²) − 1 =
Π(1+5/n_ℓ) − 1), and its expansion in 1/n has exact polynomial coefficients in L. Deep linear (σ(t)=t, C_W=1): a
product of independent χ²_{n_ℓ}/n_ℓ. Monte Carlo: the registered observables randnet.finite_width (k-statistics over
bundles of independent networks) and randnet.network (one row per network), read by output name, against those exact
values and in width / depth sweeps with fitted exponents.

Designs: the width n varies at fixed depth L (L = 1: the cumulants are exact monomials in 1/n, so fitted exponents
carry no finite-size bias), the depth varies at fixed n, and (L, n) vary together at fixed Σ1/n_ℓ, with unequal
widths among them. The group's tolerances are in verify/claims/_randnet_tols.py.
"""
from __future__ import annotations

import functools
import importlib
import math
import zlib
from collections import OrderedDict

import numpy as np

from verify._model import Claim, Figure, PerProfile, Source, View
from verify.checks import Deferred, Exact, LawEquals, MeanEquals, ScalingLaw, Series, exact, outputs, symbolic
from verify.claims._randnet_tols import (COV_REL, DEPTH_SLOPE, EXACT_REL, EXACT_REL_K6, EXPONENT_K4, EXPONENT_K6,
                                         EXPONENT_K8, GAP_SLOPE, GRAD_MEAN_TOL, LAW, LEADING_AT_ONE, LINEAR_HIDDEN,
                                         MEAN_Q, ODD, ODD5, SPREAD)

SEED = "seeds/004_608ea63e62054dcf.txt"
SOURCE = Source(SEED, "Random Neural Nets: Thm (H) and corollaries")

D = 4  # input dimension (observables module): K = C_W‖x‖²/d·(C_W/2)^L = 2 for critical ReLU at ‖x‖² = d
N_MAX = 32  # every fixed setting pads to ≥ 32 rows: one compilation for depths ≤ 4, relu and identity
# L = 1. Five widths, not three: a 3-point fit has 1 degree of freedom, so its Birge factor √(χ²/dof) is |N(0,1)|-like
# (> 2 with probability 4.6%, and the sample variances' own errors are rough); at 1 of 20 quick seeds it reached 3.1
# and left neuron-correlation's Var(G) exponent undecided. The exponents are exact at L = 1 (no bend to resolve).
WIDE = PerProfile((16, 32, 64, 128, 256), (16, 32, 64, 256, 1024), (16, 64, 256, 1024, 4096))
NARROW = PerProfile((4, 8, 16, 32), (4, 8, 16, 32, 64), (4, 8, 16, 32, 64, 128))  # L = 1: gradients
# L = 1, κ₆ and κ₈ (rates exact at every n: G is an average of n iid terms). On n = 4…32 with 20000 networks a width
# κ₈'s slope had a half-width ≈ 0.3 against its ±0.4 band, and a Birge factor ~1.9 (χ² = 7 on 2 dof) left it undecided
# at 1 of 20 seeds (quick). n = 2 lengthens the lever arm and adds a degree of freedom to the fit, and twice the
# networks (RATE_BUNDLES: one-layer networks of width ≤ 32, cheap) narrow it by √2: half-width ≈ 0.15 at the last look.
RATE_NARROW = PerProfile((2, 4, 8, 16, 32), (2, 4, 8, 16, 32, 64), (2, 4, 8, 16, 32, 64, 128))
RATE_BUNDLES = PerProfile(1600, 3200, 6400)
DEPTH_WIDTH = 32  # Var(G) against its exact value at L = 1…4
DEPTHS = PerProfile((1, 2, 3, 4), (1, 2, 3, 4, 6, 8), (1, 2, 3, 4, 6, 8, 12, 16))
# The tangent Gram path (verify.observables._randnet_finite) draws O(n) numbers a network, not n², so the first looks
# below are 2–4× what the drawn networks afforded: at least the count the drawn networks' last look reached
SWEEP_BUNDLES = PerProfile(80, 160, 320)  # bundles of 50 networks per width at the first look (4000 networks)
EXACT_BUNDLES = PerProfile(800, 1600, 3200)  # 40000 networks per setting
# κ₄ of the deep linear net (σ = identity) at L = 4, n = 32. quick: seeds 0–4 decide at look 1 with ≥ 2× margin,
# session G (was 800: samples ≈ 6–10·needs_samples)
IDENTITY_BUNDLES = PerProfile(320, 1600, 3200)
# the gradient's excess variance against L at n = 64: at n = 32 its (L/n)² term bent the 4-point slope to 1.16
# with a misfit (χ² ≈ 25 on 2 dof) that left 3 of 20 seeds undecided; at n = 64 the bend halves, and the
# excess halves too, so 4× the networks keep the points as sharp
GRADIENT_DEPTH_WIDTH = 64
# 40000 networks per depth at the first look. Not trimmed (session G): at 400 the fit's misfit widened seed 0's
# interval to ±0.20 (samples = 1.1·needs_samples), at 160 seed 1 had 1.9·needs_samples
GRAD_DEPTH_BUNDLES = PerProfile(800, 1600, 3200)
DIRECT_BUNDLES = PerProfile(2000, 4000, 8000)  # 10⁵ one-layer networks: the direct (not through G) views
ODD_BUNDLES = PerProfile(3200, 6400, 12800)
LAW_NETWORKS = PerProfile(40000, 80000, 160000)
ODD_SETTING = (32, 32)
DIRECT_SETTING = (8,)  # L = 1, n = 8: κ₄/K² = 15/8, Cov(z₁²,z₂²)/K² = 5/8 exactly
VARY_SETTINGS = ((16, 16), (32, 32), (32, 32, 32, 32))  # n varies at L = 2; L varies at n = 32; (2,16) ~ (4,32) in L/n
K6_SETTINGS = ((16,), (32, 32))  # L and n both change; κ₆'s k-statistic is too heavy-tailed at L/n ≥ 3/32 for 10⁴
LAMBDA = 1 / 8
LAMBDA_SETTINGS = ((16, 16), (32, 32, 32, 32), (12, 24), (16, 32, 32))  # Σ1/n_ℓ = 1/8, two of them unequal
OTHER_LAMBDA = (32, 32)  # Σ1/n_ℓ = 1/16
IDENTITY_SETTING = (32, 32, 32, 32)
GAP_DEPTHS = (2, 4, 8, 16)  # equal widths 8L: Σ1/n_ℓ = 1/8
LINEAR_SETTINGS = ((16, 16), (32, 32, 32, 32), (12, 24))
LINEAR_OUT = 16  # n_{L+1} of the deep linear claim (the observables' N_OUT)
LAW_SETTING = (32, 32, 32, 32)
LAW_DRAWS, LAW_SEED = 400_000, 4  # NumPy draws of the reference product law
GRAD_K2 = 4.0  # E[‖∂z₁/∂x‖²]² = K² (ReLU, C_W = 2, ‖x‖² = d): checked by the MeanEquals of input-gradient.corrected
FIGURE_LAMBDAS = np.linspace(0.0, 0.25, 26)[1:]
FIGURE_DEPTHS = (1, 2, 4, 8)

G4, G6, G8 = "3κ₂(G)/K²", "15κ₃(G)/K³", "105κ₄(G)/K⁴"  # κ₄, κ₆, κ₈ of z through G
COV, VAR_G = "Cov(zᵢ²,zⱼ²)/K² (all pairs)", "Var(G)/K²"
GRAD, GRAD_RB, GRAD_MEAN = "Var‖∂z₁/∂x‖²", "Var‖∂z₁/∂x‖² (given Σ)", "E‖∂z₁/∂x‖² (given Σ)"


def _lazy(module: str):
    """SymPy and JAX load when a check runs: `ntkverify list` and the catalogue import without them."""
    return importlib.import_module(module)


def _label(widths) -> str:
    w = tuple(widths)
    return f"L={len(w)}, n={w[0]}" if len(set(w)) == 1 else f"widths {w}"


# ---- exact values (derive/randnet.py) ----------------------------------------------------------------------

def _exact_cumulants(widths, sigma="relu") -> dict:
    """{2k: κ_{2k}(z)/K^k} for k = 1..4."""
    dr = _lazy("derive.randnet")
    if sigma == "relu":
        return {k: float(v) for k, v in dr.relu_output_cumulants(widths).items()}
    kG = dr.linear_cumulants(widths)  # G/K for σ = identity is Π χ²_{n_ℓ}/n_ℓ over the hidden layers
    return {2 * k: float(math.prod(range(1, 2 * k, 2)) * kG[k - 1]) for k in range(1, 5)}


def _exact_output(name: str, widths, sigma="relu") -> float:
    c = _exact_cumulants(widths, sigma)
    return {"κ₄(z)/K²": c[4], G4: c[4], G6: c[6], G8: c[8], VAR_G: c[4] / 3, COV: c[4] / 3}[name]


# ---- Monte Carlo check builders over the named outputs of randnet.finite_width ----------------------------

def _settings(names, settings, sigma="relu", C_W=2.0, shared=True):
    """One column per (setting, name): rows padded to ≥ N_MAX, k-statistics of the named outputs only. shared: a
    setting's networks are drawn once a run and read by every check that states it at the same count (_mean with
    shared: keys named by SHARED_SCOPE and SETTINGS_KEY, folded with the setting itself); else each setting its own
    networks, the check's key folded with the setting's index."""
    fw = _lazy("verify.observables._randnet_finite")
    columns = [fw.column(c) for c in names]
    x1 = all(c in X1_OUTPUTS for c in names)  # no tangents or other inputs read: draw the networks at x₁ only

    def sample(key, w, count, max_width=None):
        parts = []
        for i, widths in enumerate(settings):
            k = _setting_key(key, widths, sigma, C_W) if shared else _fold_in(key, i)
            rows = _setting_rows(k, tuple(widths), count * fw.BUNDLE, sigma, float(C_W), x1)
            K = fw.infinite_width_K(sigma, C_W, len(widths))
            parts.append(fw.bundle_stats(rows.reshape(count, fw.BUNDLE, -1), K, fw.N_OUT, columns))
        return np.column_stack(parts)

    return sample


# the keys' label of the fixed-setting checks that share draws: the settings several checks state at EXACT_BUNDLES
# (one draw per setting a run); a check with a count of its own shares none and keeps its own keys
SETTINGS_KEY = "randnet settings"
_ROWS: OrderedDict = OrderedDict()  # (key data, setting, networks, x₁ only) → that setting's network rows
# the outputs read off the networks' values at x₁ (network_rows' X1_COLUMNS): a check reading only these draws no
# tangents and no other input (1 normal a row and layer instead of 7); every check sharing SETTINGS_KEY reads only these
X1_OUTPUTS = ("κ₂(z)/K", "κ₄(z)/K²", "κ₆(z)/K³", "κ₃(z)/K^{3/2}", "κ₅(z)/K^{5/2}", "E[G]/K", "3κ₂(G)/K²",
              "15κ₃(G)/K³", "105κ₄(G)/K⁴", "Cov(z₁²,z₂²)/K²", "E[Q]", "Var(Q)", "Var(G)/K²",
              "Cov(zᵢ²,zⱼ²)/K² (all pairs)")


def _setting_key(key, widths, sigma, C_W):
    return _fold_in(key, zlib.crc32(repr((sigma, float(C_W), tuple(widths))).encode()))


def _setting_rows(key, widths, networks, sigma, C_W, x1_only=False):
    memo = (np.asarray(_lazy("verify._jax").jax.random.key_data(key), dtype=np.uint32).tobytes(), widths, networks,
            x1_only)
    if memo not in _ROWS:
        rows = _lazy("verify.observables._randnet_finite").network_rows(key, widths, networks, sigma, C_W,
                                                                       n_max=max(N_MAX, *widths), x1_only=x1_only)
        rows.flags.writeable = False  # shared by every check that reads the setting
        _ROWS[memo] = rows
        while len(_ROWS) > 24:  # ≤ 24 settings × looks in memory: ≤ 4·10⁴ networks × 12 doubles each, mostly
            _ROWS.popitem(last=False)
    return _ROWS[memo]


def _mean(name, names, settings, series, bundles, sigma="relu", C_W=2.0, shared=True) -> MeanEquals:
    """MeanEquals of the named outputs at fixed settings (_settings); shared: the run's one draw of each setting."""
    scope = dict(key_scope=SHARED_SCOPE, key_name=SETTINGS_KEY) if shared else {}
    return MeanEquals(name, _settings(names, settings, sigma, C_W, shared), series, bundles, **scope)


def _fold_in(key, i: int):
    """jax.random.fold_in(key, i) bit for bit, on the host (as verify._jax.key_for): the eager call compiles twice."""
    vj = _lazy("verify._jax")
    k = np.asarray(vj.jax.random.key_data(key), dtype=np.uint32)
    words = np.concatenate(vj._threefry2x32(k[0], k[1], np.zeros(1, np.uint32), np.array([i], dtype=np.uint32)))
    return vj.jax.random.wrap_key_data(vj.jax.device_put(words), impl="threefry2x32")


def _against_exact(name, settings, output, tol, bundles=EXACT_BUNDLES, sigma="relu", C_W=2.0, shared=True) -> Deferred:
    """MeanEquals of `output` at each setting against its exact finite-width value (derive loads when it runs)."""
    def build(profile):
        series = []
        for widths in settings:
            e = _exact_output(output, widths, sigma)
            series.append(Series(f"{output}, {_label(widths)}", e, tol.value * abs(e), f"{e:.6g} (exact)",
                                 f"derive.randnet exact finite-width law ({sigma})"))
        return _mean(name, (output,), settings, tuple(series), bundles, sigma, C_W, shared)

    return Deferred(name, View.MONTE_CARLO, build)


# several claims state the width-sweep rates: keys named by the run seed and this scope, not the claim, and a
# memoised sampler, so the same numbers whether a claim runs alone or after the others
SHARED_SCOPE = "randnet.finite-width"


# The L = 1 width sweep (WIDE) that κ₄, Var(G) = κ₄/3 and the gradient's variance are read from: one draw of its
# networks a run, every column any of those checks reads, under one key label. Each width pads to the smallest row
# count other checks compile anyway (N_MAX, GRADIENT_DEPTH_WIDTH), else to the sweep's largest: a network of width 16
# padded to 256 rows costs 5× one padded to 32, and no new program is compiled.
SWEEP_OUTPUTS = (G4, GRAD)
SWEEP_KEY = "κ₄ against n (L=1)"  # the keys' label: K4_RATE's name


def _sweep_pad(n: int, sweep) -> int:
    return min([p for p in (N_MAX, GRADIENT_DEPTH_WIDTH) if p >= n] or [max(sweep)])


@functools.cache  # one memo per sweep, held by every check and claim that reads it
def _shared_sweep(sweep):
    def sample(key, w, count, max_width=None):
        return outputs("randnet.finite_width", SWEEP_OUTPUTS, depth=1, pad=_sweep_pad(w, sweep))(key, w, count)

    return _lazy("verify.observables._base").memoised(sample, size=64)  # a sweep's widths × looks: small arrays


def _rate(name, rates, widths, bundles, transform=None, label=None, depth_at=None, shared=False,
          first_layer=False) -> Deferred:
    """ScalingLaw of the named outputs (rates: (output, exponent, tol, text)): against n at L = 1, every width padded
    to the profile's largest; or, with depth_at = n, against L at hidden width n. shared: read from the run's one
    draw of the L = 1 sweep (_shared_sweep: outputs among SWEEP_OUTPUTS, keys named by SHARED_SCOPE and SWEEP_KEY,
    not the claim or the check). first_layer: G's columns at L = 1 from randnet.first_layer_variance (the networks'
    first-layer preactivations at x₁ only: the rest of a network does not enter G)."""
    series = tuple(Series(label or c, p, t.value, text,
                          "claimed rate in L" if depth_at else "derive.randnet (exact rate at L=1)")
                   for c, p, t, text in rates)
    names = [c for c, *_ in rates]

    def build(profile):
        if shared:
            drawn, cols = _shared_sweep(tuple(widths(profile))), [SWEEP_OUTPUTS.index(c) for c in names]

            def read(key, w, count, max_width=None):
                out = drawn(key, w, count)[:, cols]
                return out if transform is None else np.asarray(transform(out))

            return ScalingLaw(name, read, series, widths, bundles, variable="n", key_scope=SHARED_SCOPE,
                              key_name=SWEEP_KEY)
        if depth_at is None:
            observable, at_one = ("randnet.first_layer_variance", {}) if first_layer else ("randnet.finite_width",
                                                                                          {"depth": 1})
            sample = outputs(observable, names, transform, pad=max(widths(profile)), **at_one)
            return ScalingLaw(name, sample, series, widths, bundles, variable="n")

        def sample(key, L, count, max_width=None):
            return outputs("randnet.finite_width", names, transform, widths=(depth_at,) * int(L))(key, None, count)

        return ScalingLaw(name, sample, series, widths, bundles, variable="L")

    return Deferred(name, View.MONTE_CARLO, build)


def _excess(v):
    return v / GRAD_K2 - 2.0 / D


# stated by three claims (odd-cumulants, cumulant-scaling and its correction); its draws shared with two more
K4_RATE = _rate(SWEEP_KEY, [(G4, -1.0, EXPONENT_K4, "k=4: −(k/2−1) = −1")], WIDE, SWEEP_BUNDLES,
                shared=True)

# ---- symbolic and exact checks (derive/randnet.py) --------------------------------------------------------

DERIVED_P = {2: "15*L", 3: "15*L*(75*L - 31)", 4: "210*L*(20*L - 11)*(50*L - 19)"}  # P_k(L), as the readings state


def _leading_checks(stated_form: bool) -> Exact:
    """The n^{−(k−1)} coefficient P_k(L) of κ_{2k}/K^k: against C·L^{k−1} (the source) or the derived polynomials."""
    def compute(ctx):
        sp, dr = _lazy("sympy"), _lazy("derive.randnet")
        polys = dr.relu_leading_coefficients(4)
        out = []
        for k in (2, 3, 4):
            P = sp.Poly(polys[2 * k], dr.L)
            C = P.LC()
            if stated_form:
                stated, text = C * dr.L ** (k - 1), f"C·L^{k - 1}"
            else:
                stated = sp.sympify(DERIVED_P[k], locals={"L": dr.L})
                text = "the derived polynomial P_k(L): degree k−1, leading coefficient C_k"
            r = dr.check_leading(k, stated)
            out.append(symbolic(f"lim n^{k - 1}κ_{2 * k}/K^{k} (ReLU, C_W=2) = {text}", r.holds, r.derived, r.stated,
                                "derive.randnet.relu_leading_coefficients (series in 1/n, L symbolic)",
                                residual=r.residual, degree=P.degree(), leading=str(C)))
            if k > 2 and stated_form:
                out.append(exact(f"n^{k - 1}κ_{2 * k}/(K^{k}L^{k - 1}) as n→∞ at L=1 vs at L→∞", float(C),
                                 float(polys[2 * k].subs(dr.L, 1)), LEADING_AT_ONE.value * float(C),
                                 f"the claim: one constant C for every L ({C})", view=View.CLOSED_FORM))
        return out

    return Exact("n^{-(k-1)} coefficients of κ_{2k} as polynomials in L (SymPy)", View.SYMBOLIC, compute)


def _product_form(ctx):
    dr = _lazy("derive.randnet")
    return ([symbolic(f"E[X^m] by Gaussian integrals: {r.name}", r.holds, r.derived, r.stated,
                      "exact integrals vs the binomial-χ² factor", residual=r.residual)
             for r in dr.check_relu_factor((1, 2, 3), 4)]
            + [symbolic(f"E[z⁴]/(3E[z²]²) − 1 = Π(1+5/n_ℓ) − 1, {_label(w)}", r.holds, r.derived, r.stated,
                        "layer recursion of E[G²]", residual=r.residual)
               for w in ((16,), (16, 16), (12, 24), (24, 24, 48, 48)) for r in [dr.check_kurtosis_product(w)]])


def _vanishing_orders(ctx):
    """The terms n^0 … n^{−(k−2)} of κ_{2k}/K^k vanish for every L (so κ_{2k} = O_L(n^{−(k−1)})), k = 2, 3, 4."""
    out = []
    for key, coeffs in _lazy("derive.randnet").relu_series_coefficients(4).items():
        k = key // 2
        if k < 2:
            continue
        lower = [str(c) for c in coeffs[: k - 1]]
        holds = all(c == 0 for c in coeffs[: k - 1]) and coeffs[k - 1] != 0
        out.append(symbolic(f"κ_{key}/K^{k}: coefficients of n^0…n^-{k - 2} are 0, n^-{k - 1} is not (any L)", holds,
                            f"{lower} then {coeffs[k - 1]}", f"{['0'] * (k - 1)} then ≠ 0",
                            "derive.randnet.relu_series_coefficients (L symbolic)",
                            residual="0" if holds else ", ".join(lower)))
    return out


def _spread_check(ctx):
    dr = _lazy("derive.randnet")
    k4 = lambda w: float(dr.relu_output_cumulants(w)[4])  # noqa: E731
    limit = 3 * (math.exp(5 * LAMBDA) - 1)
    out = [exact(f"κ₄/K² at {_label(w)} (Σ1/n = 1/8) vs the L/n-only limit 3(e^{{5λ}}−1)", limit, k4(w),
                 SPREAD.value * limit, "lognormal limit of Π X_ℓ at fixed Σ1/n_ℓ", view=View.CLOSED_FORM)
           for w in LAMBDA_SETTINGS]
    other = k4(OTHER_LAMBDA)
    out.append(exact(f"κ₄/K² at Σ1/n = 1/16 ({_label(OTHER_LAMBDA)}) is below half the 1/8 limit", 1.0,
                     float(other / limit <= 0.5), 0.0, f"{other:.4g} vs {limit:.4g}", view=View.CLOSED_FORM))
    lin, relu = float(dr.linear_cumulants(IDENTITY_SETTING)[1]) * 3, k4(IDENTITY_SETTING)
    out.append(exact("σ = identity (C_W = 1) at L=4, n=32: another class, κ₄/K² = 3(Π(1+2/n)−1) ≤ half ReLU's", 1.0,
                     float(lin / relu <= 0.5), 0.0, f"{lin:.4g} vs {relu:.4g}", view=View.CLOSED_FORM))
    gaps = [abs(k4((int(L / LAMBDA),) * L) / limit - 1) for L in GAP_DEPTHS]
    slope = float(np.polyfit(np.log(GAP_DEPTHS), np.log(gaps), 1)[0])
    out.append(exact("gap to the L/n-only limit at Σ1/n = 1/8 shrinks like L^{−1} (log-log slope, L = 2…16)", -1.0,
                     slope, GAP_SLOPE.value, "O(λ²/L) corrections", view=View.CLOSED_FORM, gaps=gaps))
    return out, _cumulant_figures()


def _cumulant_figures():
    """Exact κ₄, κ₆, κ₈ (normalised) against L/n at equal widths n = L/λ, per depth, and the lognormal L→∞ limit."""
    curves = _lazy("numeric.randnet").relu_cumulant_curves(FIGURE_LAMBDAS, FIGURE_DEPTHS)
    return [Figure("curves", f"exact κ_{2 * k}/K^{k} of a ReLU net (C_W = 2) against L/n", {
        "x": FIGURE_LAMBDAS.tolist(), "curves": curves[2 * k], "xlabel": "L/n = Σ1/n_ℓ",
        "ylabel": f"κ_{2 * k}/K^{k}"}) for k in (2, 3, 4)]


def _linear_hidden(ctx):
    dr = _lazy("derive.randnet")
    return [exact(f"Var of the hidden product at {_label(w)} vs 2Σ1/n_ℓ = 1/4 (λ = 1/8)", 2 * LAMBDA,
                  float(dr.linear_cumulants(tuple(w))[1]), LINEAR_HIDDEN.value * 2 * LAMBDA,
                  "Π(1+2/n_ℓ) − 1 = 2λ + O(λ²)", view=View.CLOSED_FORM)  # hidden factors only: L/n governs them
            for w in LINEAR_SETTINGS]


def _linear_moments(profile):
    series = []
    for w in LINEAR_SETTINGS:
        var = float(_lazy("derive.randnet").linear_cumulants(tuple(w) + (LINEAR_OUT,))[1])
        series += [Series(f"E[Q], {_label(w)}", 1.0, MEAN_Q.value, "1", "each factor χ²_n/n has mean 1"),
                   Series(f"Var(Q), {_label(w)}", var, EXACT_REL.value * var, f"Π(1+2/n_ℓ) − 1 = {var:.5g}",
                          "product of L+1 independent χ²_{n_ℓ}/n_ℓ")]
    return _mean("moments of Q = ‖z‖²/n_{L+1}", ("E[Q]", "Var(Q)"), LINEAR_SETTINGS, tuple(series), EXACT_BUNDLES,
                 "identity", 1.0)


def _linear_law(profile):
    cdf = _lazy("numeric.randnet").chi2_product_cdf(LAW_SETTING + (LINEAR_OUT,), LAW_DRAWS, LAW_SEED)
    q = _lazy("verify.observables._randnet_finite").NETWORK_COLUMNS.index("‖z(x₁)‖²/n_out")

    def sample(key, w, count, max_width=None):  # the networks the moments check draws at LAW_SETTING (same count)
        return _setting_rows(_setting_key(key, LAW_SETTING, "identity", 1.0), LAW_SETTING, count, "identity",
                             1.0, x1_only=True)[:, [q]]

    return LawEquals(f"law of Q at {_label(LAW_SETTING)}, n_out={LINEAR_OUT}", sample,
                     (Series("Q", 0.0, LAW.value, "Π_ℓ χ²_{n_ℓ}/n_ℓ (L+1 independent factors)",
                             "NumPy draws of the product, 4·10⁵"),), (cdf,), LAW_NETWORKS, key_scope=SHARED_SCOPE,
                     key_name=SETTINGS_KEY)


# ---- claims ----------------------------------------------------------------------------------------------------

ODD_CUMULANTS = Claim(
    id="randnet.odd-cumulants", group="randnet", source=SOURCE,
    statement="cumulants of (zᵢ^{(L+1)}(x₁),…,zᵢ^{(L+1)}(x_k)) vanish for odd k and are O(n^{−(k/2−1)}) for even k.",
    latex=r"\kappa(z_i^{(L+1)}(x_1),\dots,z_i^{(L+1)}(x_k))=\begin{cases}0,&k\text{ odd}\\"
          r"O\big(n^{-(k/2-1)}\big),&k\text{ even}\end{cases}",
    reading="ReLU, C_W = 2, no biases, d = 4, ‖x‖² = d (K = 2). Odd: at L = 2, n = 32 (L/n = 1/16, non-Gaussian: "
            "κ₄/K² ≈ 1.0), the k-statistics k₃ of zᵢ(x₁) and the joint k₁₁₁ of (zᵢ(x₁), zᵢ(x₂), zᵢ(x₃)) lie within "
            f"{ODD.value} K^{{3/2}} of 0 and k₅ within {ODD5.value} K^{{5/2}}. Even: on width sweeps at L = 1 the "
            "fitted exponents of κ₄, κ₆, κ₈ in n are −1, −2, −3 (κ_{2k} through the conditional variance G of the "
            "output: κ_{2k}(z) = (2k−1)!!κ_k(G)). Exact rates at L = 1: κ₄/K² = 15/n, κ₆/K³ = 660/n², κ₈/K⁴ = 58590/n³; "
            "symbolic, for every L: the terms n^0…n^{−(k/2−2)} of κ_k/K^{k/2} vanish and n^{−(k/2−1)} does not.",
    checks=(Deferred(f"odd cumulants at {_label(ODD_SETTING)}", View.MONTE_CARLO, lambda p: _mean(
                f"odd cumulants at {_label(ODD_SETTING)}",
                ("κ₃(z)/K^{3/2}", "κ(z(x₁),z(x₂),z(x₃))/K^{3/2}", "κ₅(z)/K^{5/2}"), [ODD_SETTING],
                (Series("κ₃(z(x₁))/K^{3/2}", 0.0, ODD.value, "0", "k-statistic k₃ of each output, averaged over two "
                        "outputs"),
                 Series("κ(z(x₁),z(x₂),z(x₃))/K^{3/2}", 0.0, ODD.value, "0", "joint k-statistic k₁₁₁, three inputs"),
                 Series("κ₅(z(x₁))/K^{5/2}", 0.0, ODD5.value, "0", "k-statistic k₅")), ODD_BUNDLES, shared=False)),
            Exact("rates in n for every L (SymPy, ReLU C_W=2)", View.SYMBOLIC, _vanishing_orders),
            K4_RATE,
            _rate("κ₆, κ₈ against n (L=1)", [(G6, -2.0, EXPONENT_K6, "k=6: −2"), (G8, -3.0, EXPONENT_K8, "k=8: −3")],
                  RATE_NARROW, RATE_BUNDLES, first_layer=True)),
)

CUMULANT_SCALING = Claim(
    id="randnet.cumulant-scaling", group="randnet", source=SOURCE,
    statement="κ_{2k}^{(L+1)}(x) = C_σ (L/n)^{k−1} + O(n^{−k}) for k = 2, 3, 4.",
    latex=r"\kappa_{2k}^{(L+1)}(x)=C_\sigma\Big(\frac{L}{n}\Big)^{k-1}+O(n^{-k}),\quad k=2,3,4",
    reading="ReLU, C_W = 2, equal widths n, cumulants normalised by K^k (K = E[z²] = 2, exact at every width). Read at "
            "fixed L as n → ∞: n^{k−1}κ_{2k}/K^k → C·L^{k−1} with one constant C for every L. Symbolic (exact, "
            f"derive/randnet.py): that limit is P_k(L) = {', '.join(DERIVED_P.values())} for k = 2, 3, 4, so the "
            "form holds for k = 2 and fails for k = 3, 4 (at L = 1 the coefficient of κ₆ is 660 = 0.59·1125). Monte "
            "Carlo: the rate n^{−1} of κ₄ at L = 1, which holds (κ₆, κ₈'s rates and the exact values themselves are "
            "checked against k-statistics in randnet.cumulant-scaling.corrected).",
    checks=(_leading_checks(True), K4_RATE),  # the symbolic view decides; the rate in n (which holds) is the MC view
    note="The source drops a factor (1 + O(1/L)): the n^{−(k−1)} term of κ_{2k} is a degree-(k−1) polynomial in L, "
         "not a monomial, so the remainder is O(L^{k−2}/n^{k−1}), not O(n^{−k}), for k ≥ 3.",
)

CUMULANT_SCALING_CORRECTED = Claim(
    id="randnet.cumulant-scaling.corrected", group="randnet", source=SOURCE,
    statement="κ_{2k}^{(L+1)}(x)/K^k = P_k(L)·n^{−(k−1)} + O_L(n^{−k}) with P_k a polynomial of degree k−1 in L, i.e. "
              "C_σ(L/n)^{k−1}(1 + O(1/L)) + O_L(n^{−k}); ReLU, C_W = 2: P₂ = 15L, P₃ = 15L(75L−31), "
              "P₄ = 210L(20L−11)(50L−19).",
    latex=r"\frac{\kappa_{2k}^{(L+1)}}{K^k}=\frac{P_k(L)}{n^{k-1}}+O_L(n^{-k})=C_\sigma\Big(\frac{L}{n}\Big)^{k-1}"
          r"\big(1+O(L^{-1})\big)+O_L(n^{-k})",
    reading="Symbolic: SymPy derives P_k from the exact layer recursion (whose factor moments are checked against "
            "brute-force Gaussian integrals, and whose kurtosis is the product form Π(1+5/n_ℓ) − 1). Monte Carlo: "
            "k-statistics of G against the exact κ₄ at (L, n) = (2, 16), (2, 32), (4, 32) — n varied at fixed L, L "
            "at fixed n, and two settings of equal L/n — and κ₆ at (1, 16), (2, 32); k₄ of z itself at L = 1, n = 8 (the "
            "direct view of the route through G); κ₄'s exponent in n at L = 1 (κ₆, κ₈'s: randnet.odd-cumulants).",
    checks=(_leading_checks(False), Exact("exact product form of the ReLU kurtosis (SymPy)", View.SYMBOLIC,
                                          _product_form),
            _against_exact("κ₄ against the exact finite-width values (through G)", VARY_SETTINGS, G4, EXACT_REL),
            _against_exact("κ₆ against the exact finite-width values (through G)", K6_SETTINGS, G6, EXACT_REL_K6),
            _against_exact(f"κ₄ of z itself at {_label(DIRECT_SETTING)}", [DIRECT_SETTING], "κ₄(z)/K²", EXACT_REL,
                           DIRECT_BUNDLES, shared=False),
            K4_RATE),
    corrects="randnet.cumulant-scaling",
)

NEURON_CORRELATION = Claim(
    id="randnet.neuron-correlation", group="randnet", source=SOURCE,
    statement="Cov((z₁^{(L+1)}(x))², (z₂^{(L+1)}(x))²) = C_σ·L/n.",
    latex=r"\mathrm{Cov}\big((z_1^{(L+1)}(x))^2,(z_2^{(L+1)}(x))^2\big)=C_\sigma\cdot\frac{L}{n}",
    reading="ReLU, C_W = 2, K = 2, to leading order in L/n: Cov(z₁², z₂²)/K² = Var(G)/K² = Π(1+5/n_ℓ) − 1 = 5L/n + "
            "O((L/n)²) exactly (C_σ = 5K², the same for every L: SymPy's P₂(L)/3 = 5L). Monte Carlo: the joint "
            "covariance of zᵢ², zⱼ² (unbiased, averaged over the 16·15 ordered pairs of outputs i ≠ j) against the exact "
            "value at (L, n) = (1, 8), (2, 16); Var(G) (= the covariance: z₁, z₂ "
            f"are iid N(0, G) given the last hidden layer) against the exact value at n = {DEPTH_WIDTH}, L = 1, 2, 3, 4, "
            "and its exponent in n at L = 1 (−1). (The exact values at L = 1…4 decide the L-dependence more sharply than "
            "a power-law fit in L, which the (L/n)² terms bend.)",
    checks=(_against_exact("Cov(zᵢ²,zⱼ²) against the exact value", [DIRECT_SETTING, (16, 16)], COV, COV_REL),
            _against_exact(f"Var(G) = Cov(z₁²,z₂²) against the exact value at n={DEPTH_WIDTH}, L = 1…4",
                           [(DEPTH_WIDTH,) * L for L in (1, 2, 3, 4)], VAR_G, EXACT_REL),
            _rate("Var(G) against n at L=1", [(G4, -1.0, EXPONENT_K4, "L/n: −1")], WIDE, SWEEP_BUNDLES,
                  transform=lambda v: v / 3, label=VAR_G, shared=True)),
)

INPUT_GRADIENT = Claim(
    id="randnet.input-gradient", group="randnet", source=SOURCE,
    statement="Var(‖∂z₁^{(L+1)}(x)/∂x‖²) = C_σ·L/n (exploding/vanishing gradients iff L/n ≫ 1).",
    latex=r"\mathrm{Var}\left(\left\|\frac{\partial z_1^{(L+1)}(x)}{\partial x}\right\|^2\right)=C_\sigma\cdot\frac{L}{n}",
    reading=f"ReLU, C_W = 2, d = {D}: Var(‖∂z₁/∂x‖²) ∝ L/n, so at fixed L it vanishes like n^{{−1}}: the fitted exponent "
            f"in n at L = 1 (n = {WIDE.standard[0]}…{WIDE.standard[-1]}, k-statistic k₂ of ‖∂z₁/∂x‖²) is −1 ± "
            f"{EXPONENT_K4.value}. It is not: at infinite width ∂z₁/∂x is a Gaussian vector with covariance (K/d)·I, so "
            "Var(‖∂z₁/∂x‖²) → 2K²/d ≠ 0 and the slope flattens.",
    checks=(_rate("Var‖∂z₁/∂x‖² against n at L=1", [(GRAD, -1.0, EXPONENT_K4, "L/n: −1")], WIDE, SWEEP_BUNDLES,
                  shared=True),),
    note="Stated for the variance itself it misses the infinite-width χ²_d fluctuation 2K²/d of a Gaussian gradient; the "
         "L/n law is for the excess over it (randnet.input-gradient.corrected).",
)

INPUT_GRADIENT_CORRECTED = Claim(
    id="randnet.input-gradient.corrected", group="randnet", source=SOURCE,
    statement="Var(‖∂z₁^{(L+1)}(x)/∂x‖²)/E[‖∂z₁^{(L+1)}(x)/∂x‖²]² = 2/n₀ + C_σ·L/n + O((L/n)²).",
    latex=r"\frac{\mathrm{Var}\|\partial_x z_1^{(L+1)}\|^2}{(\mathbb E\|\partial_x z_1^{(L+1)}\|^2)^2}"
          r"=\frac{2}{n_0}+C_\sigma\frac{L}{n}+O\big((L/n)^2\big)",
    reading=f"ReLU, C_W = 2, d = n₀ = {D}, ‖x‖² = d: E‖∂z₁/∂x‖² = K = 2 (Monte Carlo, ± {GRAD_MEAN_TOL.value}); the "
            f"excess Var(‖∂z₁/∂x‖²)/K² − 2/d has exponent −1 in n at L = 1 (n = {NARROW.quick[0]}…{NARROW.quick[-1]}) "
            f"and +1 in L at n = {GRADIENT_DEPTH_WIDTH} (L = {DEPTHS.quick[0]}…{DEPTHS.quick[-1]}), so it is a "
            "function of L/n at leading order (measured C ≈ 7.6 at L/n ≤ 1/32, ≈ 8.9 at L/n = 1/8: the (L/n)² term is why "
            f"the depth sweep runs at n = {GRADIENT_DEPTH_WIDTH}, where it bends the slope half as much as at n = 32). "
            "Estimated given the layers below W^{(L+1)}: ∂z₁/∂x ~ N(0, Σ) there, so E‖∂z₁/∂x‖² = E tr Σ and Var = "
            "2E tr Σ² + Var tr Σ (4–5× less noise than the k-statistic of ‖∂z₁/∂x‖², which the stated claim's check "
            "uses).",
    checks=(Deferred(f"E‖∂z₁/∂x‖² at {_label(VARY_SETTINGS[-1])}", View.MONTE_CARLO, lambda p: _mean(
                f"E‖∂z₁/∂x‖² at {_label(VARY_SETTINGS[-1])}", (GRAD_MEAN,), [VARY_SETTINGS[-1]],
                (Series("E‖∂z₁/∂x‖²", 2.0, GRAD_MEAN_TOL.value, "K = 2", "isotropic infinite-width limit"),),
                SWEEP_BUNDLES, shared=False)),
            _rate("excess variance against n at L=1", [(GRAD_RB, -1.0, EXPONENT_K4, "L/n: −1")], NARROW, SWEEP_BUNDLES,
                  transform=_excess, label="Var‖∂z₁/∂x‖²/K² − 2/d"),
            _rate(f"excess variance against L at n={GRADIENT_DEPTH_WIDTH}", [(GRAD_RB, 1.0, DEPTH_SLOPE, "L/n: +1")],
                  DEPTHS, GRAD_DEPTH_BUNDLES, transform=_excess, label="Var‖∂z₁/∂x‖²/K² − 2/d",
                  depth_at=GRADIENT_DEPTH_WIDTH)),
    corrects="randnet.input-gradient",
)

DEPTH_TO_WIDTH = Claim(
    id="randnet.depth-to-width", group="randnet", source=SOURCE,
    statement="for n, L large the distribution of z^{(L+1)}(x) depends on L/n (= Σ 1/n_ℓ) and the universality class of σ.",
    latex=r"\text{law}(z^{(L+1)}(x))\ \text{depends on}\ \frac{L}{n}=\sum_\ell\frac1{n_\ell}\ \text{and the class of}\ \sigma",
    reading="Read through the normalised cumulants (the law is a Gaussian scale mixture, fixed by them). ReLU, C_W = 2: "
            "exactly, κ₄/K² = 3(Π(1+5/n_ℓ) − 1), which at fixed λ = Σ1/n_ℓ tends to 3(e^{5λ}−1) as L grows (gap O(λ/L), "
            f"≤ {SPREAD.value:.0%} from L = 2 at λ = 1/8, shrinking like 1/L); λ = 1/16 gives less than half; σ = identity "
            "(C_W = 1) is another class, 3(e^{2λ}−1). Monte Carlo: at four settings with Σ1/n_ℓ = 1/8 (L = 2, 3, 4; two "
            "with unequal widths), at λ = 1/16 and for σ = identity, k-statistics of κ₄ agree with those exact values "
            "(κ₆ at equal and different L: randnet.cumulant-scaling.corrected).",
    checks=(Exact("exact κ₄ at equal and unequal Σ1/n_ℓ", View.CLOSED_FORM, _spread_check),
            _against_exact("κ₄ at Σ1/n_ℓ = 1/8 and 1/16 (ReLU)", LAMBDA_SETTINGS + (OTHER_LAMBDA,), G4, EXACT_REL),
            _against_exact("κ₄ at Σ1/n_ℓ = 1/8 (σ = identity, C_W = 1)", [IDENTITY_SETTING], G4, EXACT_REL,
                           IDENTITY_BUNDLES, sigma="identity", C_W=1.0, shared=False)),
)

DEEP_LINEAR = Claim(
    id="randnet.deep-linear", group="randnet", source=SOURCE,
    statement="σ(t)=t, C_W=1: (1/n_{L+1})‖W^{(L+1)}…W^{(1)}x‖² is a product of L+1 independent factors ‖W^{(ℓ)}a_ℓ‖², "
              "each ≈ 1 + O(1/√n); fluctuations are governed by L/n.",
    latex=r"\frac1{n_{L+1}}\|W^{(L+1)}\cdots W^{(1)}x\|^2\overset{d}{=}\prod_{\ell=1}^{L+1}\|W^{(\ell)}a_\ell\|^2,"
          r"\ \ \|W^{(\ell)}a_\ell\|^2\approx1+O(n^{-1/2})",
    reading=f"‖x‖² = n₀ = {D}, n_{{L+1}} = {LINEAR_OUT}: Q = ‖z‖²/n_{{L+1}} has the law of Π_ℓ χ²_{{n_ℓ}}/n_ℓ (each "
            "factor mean 1, standard deviation √(2/n_ℓ)); Monte Carlo: Kolmogorov distance of Q to that product law "
            f"({_label(LAW_SETTING)}) ≤ {LAW.value}; E[Q] = 1 and Var(Q) = Π(1+2/n_ℓ) − 1 (k-statistics) at three "
            "settings with Σ1/n_ℓ = 1/8 (one unequal). Exact: the hidden layers' variance is 2Σ1/n_ℓ + O((Σ1/n_ℓ)²) at "
            "each.",
    checks=(Deferred("moments of Q against the exact product", View.MONTE_CARLO, _linear_moments),
            Deferred(f"law of Q at {_label(LAW_SETTING)}, n_out={LINEAR_OUT}", View.MONTE_CARLO, _linear_law),
            Exact("exact variance of the product at Σ1/n_ℓ = 1/8", View.CLOSED_FORM, _linear_hidden)),
)

CLAIMS: tuple[Claim, ...] = (ODD_CUMULANTS, CUMULANT_SCALING, CUMULANT_SCALING_CORRECTED, NEURON_CORRELATION,
                             INPUT_GRADIENT, INPUT_GRADIENT_CORRECTED, DEPTH_TO_WIDTH, DEEP_LINEAR)
