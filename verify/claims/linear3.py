"""linear3.* — the linear network Φ((β,A,u),x) = m^{−α}βᵀ(m^{−γ}A)u x of seed 003 §3.

Every scaling claim is checked three ways side by side: the exponent the source writes by hand,
the exponent derived by the order-of-magnitude calculus of derive/exponents.py (SymPy, exact),
and the slope measured on a Monte Carlo width sweep (verify/observables/linear3.py).

The loss is the square loss F(t) = (t − y)²/2 with y = 1, x = 1 (F'(0) = −1 ≠ 0). The source
assumes F'(Φ(θ⁰,x)) does not depend on m; with F'(Φ⁰) = Φ⁰ − y and Φ⁰ ~ m^{1/2−α} that holds only
for α ≥ 1/2 (for α < 1/2, Φ⁰ and F'(Φ⁰) diverge). Claims about the GD step are therefore checked at
α ∈ [1/2, 1], except where a statement itself says "for α < 1".
"""
from __future__ import annotations

import functools
import math

import numpy as np

from verify._model import Claim, PerProfile, Source, View
from verify.checks import Deferred, Exact, LawEquals, MeanEquals, RareFailure, ScalingLaw, Series, exact, symbolic
from verify.tolerances import INIT_MOMENT, LAW_KS, ROUNDOFF, Tol

SEED = "seeds/003_cd9ed4f852a24b26.txt"


EXPONENT = Tol(0.1, "on a log-log slope over 1.5 decades of m (16…512): the candidate exponents of §3 differ by "
                    "≥ 1/4 (−α vs −1/2 at α=1/4, α−1 vs α−3/2, 1−2γ at γ=1/2 vs 1/3 …); finite-width terms "
                    "O(m^{1/2−α}) in E|F'(Φ⁰)| bend the slope by ≤ 0.03 at α ≥ 3/4 (measured)")
SECOND_MOMENT = Tol(0.05, "absolute, on E[z²] − 1, E[z₁z₂], E[z²ζ] of unit-variance Gaussians (each product has "
                          "variance ≈ 2–3): a conditional variance m instead of ‖u⁰‖² moves E[z²ζ] by −1 "
                          "(ζ = (‖u⁰‖²−m)/√(2m)); 0.05 is resolved at 40000 networks")
CLT_DISTANCE = Tol(0.01, "Kolmogorov distance of the standardised χ²(m) to N(0,1) at m = 4096 (exact, SciPy): "
                         "the Edgeworth term predicts 0.0665·√(8/m) = 0.0029")
BOUND_FAILURE = Tol(0.05, "a bound stated without a probability is read as holding in ≥ 95% of draws")

ALPHAS = (0.25, 0.5, 0.75, 0.875, 1.0)  # every sweep computes all of them from the same networks (one compilation)
PREMISE = (0.75, 0.875, 1.0)  # Monte Carlo α for the GD-step claims: F'(Φ⁰) = Φ⁰ − 1 → −1 (at α near 1/2 it is an
# O(1) random factor whose spread needs ~10⁴ networks per width to resolve a slope to ±0.1; [1/2, 1] is covered
# symbolically)
SWEEP_WIDTHS = PerProfile((16, 51, 161, 512), (16, 51, 161, 512, 1448, 4096),
                          (16, 51, 161, 512, 1448, 4096, 5793))  # 1.5 decades in quick; ≥ 4096 in standard
OP_WIDTHS = SWEEP_WIDTHS  # the same compilations serve the ‖A⁰‖_op sweeps
SWEEP_REPLICATES = PerProfile(80, 160, 320)  # multiples of the 40 batch means
THIN_FROM = 1448  # past it a replicate costs (m/1448)² more (the m×m draw) and its norms vary less


def thin_wide(m: int, count: int) -> int:
    """Replicates at width m: the base count up to m = 1448, then ∝ m⁻² (a constant cost per width), never
    under the 40 batch means."""
    scaled = count * min(1.0, (THIN_FROM / m) ** 2)
    return int(max(40, 40 * round(scaled / 40)))
NOISY_REPLICATES = PerProfile(160, 320, 640)  # sweeps whose observable carries |F'(Φ⁰)| at α ≤ 3/4
LAW_WIDTH = 64  # m of the goodness-of-fit checks (O(m) draws each; the exact laws hold at every m)
LAW_REPLICATES = PerProfile(40000, 80000, 320000)


def _frac(a: float) -> str:
    import sympy as sp

    return str(sp.nsimplify(a))


# ---- the exponent calculus ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _exponents(square: bool = False) -> dict:
    from derive import exponents as ex

    return ex.linear3_exponents(ex.SQUARE_LOSS if square else ex.SOURCE_PREMISE)


def _value(expr, alpha) -> float:
    from derive import exponents as ex

    return float(ex.exponent_at(expr, alpha))


def _symbolic(items):
    """items: (label, key, stated, lo, hi, square) → one SymPy comparison each (derived vs source)."""

    def compute(ctx):
        from derive import exponents as ex

        out = []
        for label, key, stated, lo, hi, square in items:
            derived = _exponents(square)[key]
            r = ex.compare(key, derived, stated, lo, hi, label=label)
            out.append(symbolic(label, r.holds, r.derived, r.stated, "derive.exponents: order-of-magnitude calculus "
                                f"({'square loss' if square else 'source premise: F′ constant in m'})",
                                residual=r.residual, scope=r.detail))
        return out

    return Exact("exponent calculus (SymPy) vs the source's exponents", View.SYMBOLIC, compute)


# ---- Monte Carlo sweeps -----------------------------------------------------------------------------------

def _sweep_sampler(columns, with_op=False):
    """columns: list of (α, output, transform or None); transform(values, m) → values."""
    from verify.observables.linear3 import sweep_column, sweep_sampler

    base = sweep_sampler(ALPHAS, with_op)
    idx = [sweep_column(ALPHAS, a, o) for a, o, _ in columns]

    def sample(key, m, count, **kw):
        out = base(key, m, count)
        cols = [out[:, i] if f is None else f(out[:, i], m) for i, (_, _, f) in zip(idx, columns)]
        return np.column_stack(cols)

    return sample


def _series(label, derived: float, source_text: str, derived_text: str) -> Series:
    return Series(label, derived, EXPONENT.value, f"source {source_text}; derived {derived_text}",
                  "derive.exponents (the rules of §3 applied by SymPy)")


def _sweep(name, items, with_op=False, replicates=SWEEP_REPLICATES, decreasing=False):
    """items: (label, α, output, transform, derived exponent, source text, derived text)."""
    sampler = _sweep_sampler([(a, o, f) for _, a, o, f, *_ in items], with_op)
    series = tuple(_series(label, d, st, dt) for label, _, _, _, d, st, dt in items)
    return ScalingLaw(name, sampler, series, OP_WIDTHS if with_op else SWEEP_WIDTHS, replicates, variable="m",
                      decreasing=decreasing, thinning=thin_wide)


def _lazy(name, build, view=View.MONTE_CARLO):
    """A check whose expected exponents come from the SymPy calculus, built when it runs: importing the
    catalogue must not import derive.exponents (derive's public surface is fixed by derive/__init__.py)."""
    return Deferred(name, view, lambda profile: build())


def _law_sampler(columns, m_max=LAW_WIDTH, width=LAW_WIDTH, transform=None):
    from verify.observables.linear3 import row_sampler

    base = row_sampler(m_max)

    def sample(key, m, count, max_width=None):
        out = base(key, width if m is None else m, count, max_width=max_width)
        return out[:, list(columns)] if transform is None else transform(out, width if m is None else m)

    return sample


# ---- linear3.norm-u ----------------------------------------------------------------------------------------

def _chi2_clt(ctx):
    from scipy import stats

    grid = np.linspace(-8.0, 8.0, 40001)
    ms = (16, 64, 256, 1024, 4096)
    dist = []
    for m in ms:
        f = stats.chi2(m).cdf(m + grid * math.sqrt(2 * m))
        dist.append(float(np.max(np.abs(f - stats.norm.cdf(grid)))))
    slope = float(np.polyfit(np.log(ms), np.log(dist), 1)[0])
    return [exact("sup|P((χ²(m)−m)/√(2m) ≤ t) − Φ(t)| at m = 4096 (SciPy, grid of 40001 t)", 0.0, dist[-1],
                  CLT_DISTANCE.value, "0: convergence in law to N(0,1)", view=View.CLOSED_FORM,
                  distances=dict(zip(map(str, ms), dist))),
            exact("log-log slope of that distance over m = 16…4096", -0.5, slope, EXPONENT.value,
                  "Berry–Esseen / Edgeworth rate m^{−1/2}", view=View.CLOSED_FORM)]


def _norm_u_checks():
    from scipy import stats

    chi2 = stats.chi2(LAW_WIDTH).cdf
    m = LAW_WIDTH
    law = LawEquals(f"law of ‖u⁰‖² at m={m}", _law_sampler([0]),
                    (Series("‖u⁰‖²", 0.0, LAW_KS.value, f"χ²({m})", "scipy.stats.chi2 CDF"),), (chi2,), LAW_REPLICATES)
    moments = MeanEquals(
        f"moments of ‖u⁰‖² at m={m}",
        _law_sampler([0], transform=lambda o, m: np.column_stack([o[:, 0] / m, (o[:, 0] - m) ** 2 / (2 * m)])),
        (Series("E[‖u⁰‖²/m]", 1.0, INIT_MOMENT.value, "1 (mean of χ²(m) is m)", "χ²(m)"),
         Series("E[(‖u⁰‖²−m)²/(2m)]", 1.0, SECOND_MOMENT.value, "1 (variance of χ²(m) is 2m)", "χ²(m)")),
        LAW_REPLICATES)
    return (_symbolic([("‖u⁰‖² ~ m", "norm_u_sq", 1, None, None, False)]),
            Exact("CLT of χ²(m) (exact CDFs)", View.CLOSED_FORM, _chi2_clt), law, moments)


NORM_U = Claim(
    id="linear3.norm-u", group="linear3", source=Source(SEED, "§3.1"),
    statement="‖u⁰‖² ~ χ²(m) and (‖u⁰‖²−m)/√(2m) → N(0,1).",
    latex=r"\|u^0\|_2^2\sim\chi^2(m),\qquad \frac{\|u^0\|_2^2-m}{\sqrt{2m}}\xrightarrow[m\to\infty]{}N(0,1)",
    reading=f"Monte Carlo: the law of ‖u⁰‖² at m={LAW_WIDTH} is χ²(m) (Kolmogorov distance ≤ 0.02 with the DKW "
            "interval) with mean m and variance 2m. The limit in law is checked exactly: the Kolmogorov distance "
            "between the standardised χ²(m) and N(0,1) (SciPy CDFs) is ≤ 0.01 at m = 4096 and shrinks like m^{−1/2}. "
            "Symbolic: ‖u⁰‖² ~ m^1 from the calculus.",
    checks=_norm_u_checks(),
)


# ---- linear3.hidden-law ------------------------------------------------------------------------------------

def _hidden_law_checks():
    from scipy import stats

    m = LAW_WIDTH

    def moments(o, m):
        zeta = (o[:, 0] - m) / math.sqrt(2 * m)
        return np.column_stack([o[:, 1] ** 2, o[:, 1] * o[:, 2], o[:, 1] ** 2 * zeta])

    return (_symbolic([("Var(((m^{-γ}A⁰)u⁰x)ᵢ | u⁰) = (x/m^γ)²‖u⁰‖²", "hidden_variance", "1 - 2*gamma", None, None,
                        False)]),
            LawEquals(f"law of (A⁰u⁰)₁/‖u⁰‖ at m={m}", _law_sampler([1]),
                      (Series("(A⁰u⁰)₁/‖u⁰‖", 0.0, LAW_KS.value, "N(0,1)", "the stated conditional law, standardised"),),
                      (stats.norm.cdf,), LAW_REPLICATES),
            MeanEquals(f"conditional covariance at m={m}", _law_sampler([0], transform=moments),
                       (Series("E[z₁²], z = (A⁰u⁰)/‖u⁰‖", 1.0, SECOND_MOMENT.value, "1", "N(0, ‖u⁰‖²) given u⁰"),
                        Series("E[z₁z₂] (identity covariance)", 0.0, SECOND_MOMENT.value, "0", "covariance ∝ I_m"),
                        Series("E[z₁²ζ], ζ = (‖u⁰‖²−m)/√(2m)", 0.0, SECOND_MOMENT.value, "0",
                               "the variance is ‖u⁰‖² itself, so z is independent of u⁰")),
                       LAW_REPLICATES))


HIDDEN_LAW = Claim(
    id="linear3.hidden-law", group="linear3", source=Source(SEED, "§3.1"),
    statement="conditionally on u⁰, (m^{−γ}A⁰)u⁰x ~ N(0, (x/m^γ)²‖u⁰‖² I_m).",
    latex=r"\Big(\tfrac{1}{m^\gamma}A^0\Big)u^0x\ \Big|\ u^0\sim N\Big(0_m,\big(\tfrac{x}{m^\gamma}\big)^2\|u^0\|_2^2\,I_m\Big)",
    reading=f"At m={LAW_WIDTH}, x=1: z = (A⁰u⁰)/‖u⁰‖ (the vector divided by its stated conditional standard deviation "
            "x‖u⁰‖/m^γ, so γ cancels) has z₁ ~ N(0,1) (Kolmogorov distance ≤ 0.02, DKW interval), E[z₁²] = 1, "
            "E[z₁z₂] = 0 (identity covariance) and E[z₁²ζ] = 0 with ζ the standardised ‖u⁰‖² (the conditional "
            "variance is ‖u⁰‖², not its mean m). Rows of A⁰ are drawn directly (two rows suffice for these "
            "statistics). Symbolic: the variance exponent 1 − 2γ.",
    checks=_hidden_law_checks(),
)


# ---- linear3.gamma -----------------------------------------------------------------------------------------

GAMMAS = (0.25, 0.5, 0.75)


def _gamma_checks():
    from scipy import stats

    def var_cols(o, m):  # ((m^{-γ}A)u x)₁² = m^{1-2γ}·((m^{-1/2}A)u x)₁²
        return np.column_stack([o[:, 3] ** 2 * m ** (1 - 2 * g) for g in GAMMAS])

    def build():
        import sympy as sp

        from derive.exponents import GAMMA

        ex = _exponents()
        series = tuple(_series(f"Var(((m^(-{_frac(g)})A⁰)u⁰x)₁), γ={_frac(g)}",
                               float(ex["hidden_variance"].subs(GAMMA, sp.nsimplify(g))), f"1−2γ = {_frac(1 - 2 * g)}",
                               f"{ex['hidden_variance']} = {_frac(1 - 2 * g)}") for g in GAMMAS)
        return ScalingLaw("variance exponent in m", _law_sampler([3], m_max=None, transform=var_cols), series,
                          SWEEP_WIDTHS, PerProfile(2000, 4000, 8000), variable="m")

    sweep = _lazy("variance exponent in m", build)
    law = LawEquals(f"law of ((m^(-1/2)A⁰)u⁰x)₁ at m={LAW_WIDTH}", _law_sampler([3]),
                    (Series("((m^(-1/2)A⁰)u⁰x)₁", 0.0, LAW_KS.value, "N(0, x²), x = 1", "the stated limit law"),),
                    (stats.norm.cdf,), LAW_REPLICATES)
    moment = MeanEquals(f"second moment at m={LAW_WIDTH}", _law_sampler([3], transform=lambda o, m: o[:, [3]] ** 2),
                        (Series("E[((m^(-1/2)A⁰)u⁰x)₁²]", 1.0, SECOND_MOMENT.value, "x² = 1", "x² m^{1−2γ} at γ=1/2"),),
                        LAW_REPLICATES)
    return (_symbolic([("variance exponent of ((m^{-γ}A⁰)u⁰x)ᵢ", "hidden_variance", "1 - 2*gamma", None, None, False),
                       ("γ solving variance exponent = 0", "gamma", "1/2", None, None, False)]),
            sweep, law, moment)


GAMMA = Claim(
    id="linear3.gamma", group="linear3", source=Source(SEED, "§3.1"),
    statement="Var(((m^{−γ}A⁰)u⁰x)ᵢ) ≈ x² m^{1−2γ}; only γ = 1/2 keeps it stable as m→∞, and then "
              "((m^{−1/2}A⁰)u⁰x)ᵢ → N(0, x²) in law.",
    latex=r"\mathrm{Var}\big(((m^{-\gamma}A^0)u^0x)_i\big)\approx x^2m^{1-2\gamma};\ \gamma=\tfrac12:\ "
          r"((m^{-1/2}A^0)u^0x)_i\to N(0,x^2)",
    reading="Symbolic: the calculus gives the variance exponent 1 − 2γ and SymPy solves 1 − 2γ = 0 for γ = 1/2 (a "
            "unique root: 'only γ = 1/2'). Monte Carlo (x = 1): the log-log slope of E[((m^{−γ}A⁰)u⁰x)₁²] over "
            "m = 16…512 is 1 − 2γ ± 0.1 at γ ∈ {1/4, 1/2, 3/4} (diverges, stable, vanishes); at γ = 1/2 and "
            f"m = {LAW_WIDTH} the entry is N(0,1) (Kolmogorov distance ≤ 0.02) with second moment 1. The row of A⁰ "
            "and u⁰ are drawn directly (the entry depends on nothing else).",
    checks=_gamma_checks(),
)


# ---- linear3.hidden-norm -----------------------------------------------------------------------------------

def _hidden_norm_checks():
    out = "‖x₂‖² (γ=1/2)"
    spread = ScalingLaw("relative spread of ‖x₂‖²/(m x²)",
                        _law_sampler([5], m_max=None, transform=lambda o, m: np.abs(o[:, [5]] - 1.0)),
                        (_series("E|‖x₂‖²/(m x²) − 1|", -0.5, "≈ (LLN, no rate stated)",
                                 "−1/2: (‖u⁰‖²/m)·χ²(m)/m, relative s.d. ≈ 2/√m"),),
                        SWEEP_WIDTHS, PerProfile(4000, 8000, 16000), variable="m")
    return (_symbolic([("‖(m^{-1/2}A⁰)u⁰x‖² ~ m", "hidden_norm_sq", 1, None, None, False)]),
            _lazy("hidden norm over the width", lambda: _sweep("hidden norm over the width", [
                ("E‖(m^(-1/2)A⁰)u⁰x‖²", 0.5, out, None, float(_exponents()["hidden_norm_sq"]), "1 (≈ m x²)",
                 str(_exponents()["hidden_norm_sq"]))])),
            spread)


HIDDEN_NORM = Claim(
    id="linear3.hidden-norm", group="linear3", source=Source(SEED, "§3.1"),
    statement="‖(m^{−1/2}A⁰)u⁰x‖² ≈ m x².",
    latex=r"\left\|\left(\tfrac{1}{\sqrt m}A^0\right)u^0x\right\|_2^2\approx m\,x^2",
    reading="'≈' read as: the ratio ‖x₂‖²/(m x²) → 1. Monte Carlo, x = 1, m = 16…512: on full networks the mean of "
            "‖x₂‖² grows like m^1 (slope 1 ± 0.1); the mean absolute relative error E|‖x₂‖²/(m x²) − 1| shrinks like "
            "m^{−1/2} (slope −1/2 ± 0.1, the law-of-large-numbers rate), estimated on 4000 networks per width through "
            "the exact representation ‖A⁰u⁰‖² = ‖u⁰‖²·χ²(m), χ² independent of u⁰ (the content of "
            "linear3.hidden-law, checked there). Symbolic: exponent 1.",
    checks=_hidden_norm_checks(),
)


# ---- linear3.output-law ------------------------------------------------------------------------------------

def _output_law_checks():
    from scipy import stats

    out_alphas = (0.25, 0.5, 1.0)

    def items():
        ex = _exponents()
        return [(f"E[Φ(θ⁰,x)² | A⁰,u⁰] = m^(-2α)‖x₂‖², α={_frac(a)}", a, "‖x₂‖² (γ=1/2)",
                 (lambda a: lambda v, m: v * m ** (-2 * a))(a), _value(ex["output_variance"], a),
                 f"1−2α = {_frac(1 - 2 * a)}", f"{ex['output_variance']} = {_frac(_value(ex['output_variance'], a))}")
                for a in out_alphas]
    law = LawEquals(f"law of m^(-α)(β⁰)ᵀx₂/(x m^(1/2−α)) at m={LAW_WIDTH}", _law_sampler([4]),
                    (Series("m^(-α)(β⁰)ᵀx₂ / (x m^(1/2−α))", 0.0, LAW_KS.value, "N(0,1)", "the stated law, standardised"),),
                    (stats.norm.cdf,), LAW_REPLICATES)
    moment = MeanEquals(f"variance at m={LAW_WIDTH}", _law_sampler([4], transform=lambda o, m: o[:, [4]] ** 2),
                        (Series("E[(m^(-α)(β⁰)ᵀx₂)²] / (x² m^(1−2α))", 1.0, SECOND_MOMENT.value, "1",
                                "exact: E[‖β‖²‖u‖²]/m² = 1"),), LAW_REPLICATES)
    return (_symbolic([("Var(m^{-α}(β⁰)ᵀx₂)", "output_variance", "1 - 2*alpha", None, None, False)]),
            _lazy("output variance over the width", lambda: _sweep("output variance over the width", items())), law, moment)


OUTPUT_LAW = Claim(
    id="linear3.output-law", group="linear3", source=Source(SEED, "§3.1"),
    statement="m^{−α}(β⁰)ᵀx₂ ~ N(0, x² m^{1−2α}) for large m.",
    latex=r"\frac{1}{m^\alpha}(\beta^0)^Tx_2\sim N(0,x^2m^{1-2\alpha}),\quad x_2=\Big(\tfrac{1}{\sqrt m}A^0\Big)u^0x",
    reading="x = 1, γ = 1/2. The variance: on full networks (m = 16…512) the conditional variance given A⁰, u⁰, "
            "m^{−2α}‖x₂‖² (β⁰ integrated out exactly, as the source's first step does), has log-log slope 1 − 2α ± 0.1 "
            f"at α ∈ {{1/4, 1/2, 1}}. The law: at m = {LAW_WIDTH}, Φ(θ⁰,x)/(x m^{{1/2−α}}) = βᵀAu/m is N(0,1) "
            "(Kolmogorov distance ≤ 0.02) with second moment 1; here βᵀA⁰u⁰ is drawn from its exact conditional law "
            "N(0, ‖β⁰‖²‖u⁰‖²) given β⁰, u⁰ (A⁰ Gaussian; 2m draws instead of m²). The standardised law does not "
            "depend on α. Symbolic: variance exponent 1 − 2α.",
    checks=_output_law_checks(),
)


# ---- linear3.gradients -------------------------------------------------------------------------------------

def _gradients_symbolic(ctx):
    from derive import linear3 as d

    out = []
    for m in (2, 3):
        for r in d.check_gradients(m):
            out.append(symbolic(r.name, r.holds, r.derived, r.stated, "SymPy ∂Φ/∂block, entry by entry",
                                residual=r.residual, scope=r.detail))
    return out


def _gradients_autodiff(ctx):

    from derive import linear3 as d
    from verify._jax import jax, jnp
    from verify.models import linear3 as model

    out = []
    for m in (1, 4, 33):
        rng = ctx.rng("gradients", m)
        beta, A, u = rng.normal(size=m), rng.normal(size=(m, m)), rng.normal(size=m)
        x, alpha = float(rng.normal()), float(rng.uniform(0.0, 1.5))
        p = model.Params(jnp.asarray(beta), jnp.asarray(A), jnp.asarray(u))
        auto = jax.grad(model.forward)(p, x, alpha)
        stated = d.stated_gradients_numeric(beta, A, u, x, alpha)
        worst = max(float(np.max(np.abs(np.asarray(getattr(auto, k)) - stated[k]))) /
                    max(float(np.max(np.abs(stated[k]))), 1e-300) for k in d.BLOCKS)
        out.append(exact(f"m={m}, α={alpha:.3f}: stated ∇_β, ∇_A, ∇_u vs jax.grad, max relative error", 0.0, worst,
                         ROUNDOFF.value, "JAX reverse-mode autodiff of Φ (γ = 1/2)"))
    return out


GRADIENTS = Claim(
    id="linear3.gradients", group="linear3", source=Source(SEED, "§3.2"),
    statement="∇_βΦ = x m^{−α−1/2} A u, ∇_uΦ = x m^{−α−1/2} Aᵀβ, ∇_AΦ = x m^{−α−1/2} β uᵀ.",
    latex=r"\nabla_\beta\Phi=\frac{x}{m^{\alpha+1/2}}Au,\ \nabla_u\Phi=\frac{x}{m^{\alpha+1/2}}A^T\beta,\ "
          r"\nabla_A\Phi=\frac{x}{m^{\alpha+1/2}}\beta u^T",
    reading="γ = 1/2 (as the formulas presuppose). SymPy differentiates Φ entry by entry at m = 2 and 3 with "
            "symbolic α, x and entries; the stated blocks evaluated in float64 equal JAX autodiff at random "
            "instances (m = 1, 4, 33, random α, x).",
    checks=(Exact("SymPy gradient vs stated blocks", View.SYMBOLIC, _gradients_symbolic),
            Exact("stated formulas vs JAX autodiff", View.NUMERIC, _gradients_autodiff)),
)


# ---- linear3.gradient-norms ---------------------------------------------------------------------------------

def _gradient_norm_checks():
    blocks = (("‖∇_βΦ(θ⁰,x)‖", "grad_beta", "‖∇_βΦ‖"), ("‖∇_uΦ(θ⁰,x)‖", "grad_u", "‖∇_uΦ‖"),
              ("‖∇_AΦ(θ⁰,x)‖_F", "grad_A", "‖∇_AΦ‖_F"))
    def items():
        ex = _exponents()
        return [(f"{lab}, α={_frac(a)}", a, col, None, _value(ex[key], a), f"1/2−α = {_frac(0.5 - a)}",
              f"{ex[key]} = {_frac(_value(ex[key], a))}") for a in (0.25, 1.0) for lab, key, col in blocks
             if a == 0.25 or col == "‖∇_uΦ‖"]
    return (_symbolic([(f"{lab} exponent", key, "1/2 - alpha", None, None, False) for lab, key, _ in blocks]),
            _lazy("gradient norms over the width", lambda: _sweep("gradient norms over the width", items())))


GRADIENT_NORMS = Claim(
    id="linear3.gradient-norms", group="linear3", source=Source(SEED, "§3.2"),
    statement="‖∇_βΦ(θ⁰,x)‖, ‖∇_uΦ(θ⁰,x)‖, ‖∇_AΦ(θ⁰,x)‖_F all ~ m^{1/2−α}.",
    latex=r"\|\nabla_\beta\Phi(\theta^0,x)\|,\ \|\nabla_u\Phi(\theta^0,x)\|,\ \|\nabla_A\Phi(\theta^0,x)\|_F\sim m^{1/2-\alpha}",
    reading="'~ m^p' read as: the mean over networks grows like m^p, i.e. its log-log slope over m = 16…512 is "
            "p ± 0.1 (x = 1, γ = 1/2). No loss is involved, so every α is in scope: the three blocks at α = 1/4 and "
            "‖∇_uΦ‖ at α = 1 (the α-dependence is the explicit factor m^{−α}; α = 1/2 is covered by "
            "linear3.lr-exponent's η‖∇_θΦ‖²). "
            "Symbolic: each block's exponent from the calculus equals 1/2 − α identically in α.",
    checks=_gradient_norm_checks(),
)


# ---- linear3.lr-exponent ------------------------------------------------------------------------------------

def _lr_checks():
    return (_symbolic([("ΔF exponent (η = m^a)", "delta_f", "a + 1 - 2*alpha", None, None, False),
                       ("a solving ΔF exponent = 0", "a", "2*alpha - 1", None, None, False),
                       ("ΔF exponent at a = 2α−1, square loss, α ∈ [1/2, 1]", "delta_f_at_a", 0, "1/2", 1, True)]),
            _lazy("ΔF at the derived learning rate", lambda: _sweep("ΔF at the derived learning rate", _lr_items())))


def _lr_items():
    ex = _exponents()
    items = [(f"E[η‖∇_θΦ(θ⁰,x)‖²], η=m^(2α−1), α={_frac(a)}", a, "η‖∇_θΦ‖²", None, 0.0,
              "a + 1 − 2α = 0 at a = 2α−1", f"{ex['delta_f_at_a']}") for a in (0.5,)]
    for a in PREMISE[2:]:
        items.append((f"E[η‖∇_θF(Φ(θ⁰,x))‖²], η=m^(2α−1), α={_frac(a)}", a, "η‖∇_θF‖²", None, 0.0,
                      "a + 1 − 2α = 0 at a = 2α−1", f"{ex['delta_f_at_a']}"))
    return items


LR_EXPONENT = Claim(
    id="linear3.lr-exponent", group="linear3", source=Source(SEED, "§3.3.1"),
    statement="ΔF ≈ −η‖∇_θF‖² ~ m^{a}·m^{1−2α}; ΔF neither vanishes nor diverges iff a = 2α−1.",
    latex=r"\Delta F\simeq-\eta\|\nabla_\theta F(\Phi(\theta^0,x))\|^2\sim m^a\,m^{1-2\alpha}\ \Rightarrow\ a=2\alpha-1",
    reading="Square loss F(t) = (t−1)²/2, x = 1. Symbolic: the calculus gives the ΔF exponent a + 1 − 2α (F' "
            "constant, the source's premise), SymPy solves it = 0 for the unique a = 2α − 1 ('iff'), and with the "
            "square loss's own F'(Φ⁰) the exponent at a = 2α−1 is 0 on all of α ∈ [1/2, 1] (for α < 1/2, Φ⁰ ~ "
            "m^{1/2−α} and F'(Φ⁰) diverge: the premise fails, so that range is out of scope). Monte Carlo "
            "(m = 16…512, η = m^{2α−1}): the slope of E[η‖∇_θΦ‖²] (the source's middle step; at a = 2α−1 it is "
            "m^{2α−1}·m^{−2α−1}·(‖A⁰u⁰‖² + ‖A⁰ᵀβ⁰‖² + ‖β⁰‖²‖u⁰‖²), the same for every α) is 0 ± 0.1, and that of "
            "E[η‖∇_θF‖²] is 0 ± 0.1 at α = 1 (at α = 3/4 the factor "
            "F'(Φ⁰)² = (Φ⁰ − 1)², Φ⁰ of s.d. m^{−1/4}, is too noisy for a cheap slope). The actual change |ΔF| is not "
            "judged here: at η = m^{2α−1} the step overshoots (η‖∇_θΦ‖² ≈ 3), so |ΔF| = ½F'²|(1−η‖∇_θΦ‖²)² − 1| "
            "amplifies the O(m^{−1/2}) spread of ‖∇_θΦ‖² and a slope to ±0.1 needs ~10× the networks of the quick "
            "profile; the gap between ΔF and −η‖∇_θF‖² is measured by linear3.lazy-linear-model (it is of order "
            "m^0, so ΔF is of order m^0 too).",
    checks=_lr_checks(),
)


# ---- drifts ------------------------------------------------------------------------------------------------

def _drift_sweep(name, blocks, with_op=False, alphas=PREMISE):
    """The first block at every α of `alphas`, the others at its ends (one figure per series)."""
    chosen = [(a, b) for a in alphas for i, b in enumerate(blocks) if i == 0 or a in (alphas[0], alphas[-1])]

    def build():
        ex = _exponents()
        items = [(f"{lab}, α={_frac(a)}", a, col, None, _value(ex[key], a),
                  f"{src} = {_frac(_value(_alpha_expr(src_expr), a))}", f"{ex[key]} = {_frac(_value(ex[key], a))}")
                 for a, (lab, key, col, src, src_expr) in chosen]
        return _sweep(name, items, with_op, replicates=NOISY_REPLICATES)

    return _lazy(name, build)


def _alpha_expr(text):
    import sympy as sp

    from derive.exponents import ALPHA

    return sp.sympify(text, locals={"alpha": ALPHA})


DRIFT_UB = (("‖Δu‖/‖u⁰‖", "drift_u", "‖Δu‖/‖u⁰‖", "α−1", "alpha - 1"),
            ("‖Δβ‖/‖β⁰‖", "drift_beta", "‖Δβ‖/‖β⁰‖", "α−1", "alpha - 1"))

_DRIFT_READING = ("One GD step with η = m^{{2α−1}} on the square loss F(t) = (t−1)²/2, x = 1. Monte Carlo: the "
                  "log-log slope of the mean of {q} over m = {w} is the derived exponent ± 0.1 at α ∈ {a} "
                  "(α ≥ 1/2 keeps F'(Φ⁰) bounded, the source's premise; α = 1/2 is covered symbolically). Symbolic: "
                  "the calculus's exponent equals the source's {s} identically in α under the source's premise, "
                  "and on α ∈ [1/2, 1] with the square loss.")

DRIFT_U_BETA = Claim(
    id="linear3.drift-u-beta", group="linear3", source=Source(SEED, "§3.3.2"),
    statement="‖Δu‖/‖u⁰‖ ~ m^{α−1} and ‖Δβ‖/‖β⁰‖ ~ m^{α−1}.",
    latex=r"\frac{\|\Delta u\|}{\|u^0\|}\sim m^{\alpha-1},\qquad\frac{\|\Delta\beta\|}{\|\beta^0\|}\sim m^{\alpha-1}",
    reading=_DRIFT_READING.format(q="‖Δu‖/‖u⁰‖ (and of ‖Δβ‖/‖β⁰‖ at α ∈ {3/4, 1})", w="16…512", s="α − 1",
                                  a="{3/4, 7/8, 1}"),
    checks=(_symbolic([(f"{lab} exponent", key, "alpha - 1", None, None, False) for lab, key, *_ in DRIFT_UB] +
                      [(f"{lab} exponent, square loss", key, "alpha - 1", "1/2", 1, True) for lab, key, *_ in DRIFT_UB]),
            _drift_sweep("relative drifts of u and β", DRIFT_UB)),
)

DRIFT_AF = (("‖ΔA‖_F/‖A⁰‖_F", "drift_A_frobenius", "‖ΔA‖_F/‖A⁰‖_F", "α−3/2", "alpha - 3/2"),)
DRIFT_A_FROBENIUS = Claim(
    id="linear3.drift-a-frobenius", group="linear3", source=Source(SEED, "§3.3.2"),
    statement="‖ΔA‖_F/‖A⁰‖_F ~ m^{α−3/2}.",
    latex=r"\frac{\|\Delta A\|_F}{\|A^0\|_F}\sim m^{\alpha-3/2}",
    reading=_DRIFT_READING.format(q="‖ΔA‖_F/‖A⁰‖_F", w="16…512", s="α − 3/2", a="{7/8, 1}"),
    checks=(_symbolic([("‖ΔA‖_F/‖A⁰‖_F exponent", "drift_A_frobenius", "alpha - 3/2", None, None, False),
                       ("‖ΔA‖_F/‖A⁰‖_F exponent, square loss", "drift_A_frobenius", "alpha - 3/2", "1/2", 1, True)]),
            _drift_sweep("relative Frobenius drift of A", DRIFT_AF, alphas=PREMISE[1:])),
)

DRIFT_AE = (("median_i |ΔAᵢᵢ|/|A⁰ᵢᵢ|", "drift_A_entry", "median_i |ΔAᵢᵢ|/|A⁰ᵢᵢ|", "α−3/2", "alpha - 3/2"),)
DRIFT_A_ENTRY = Claim(
    id="linear3.drift-a-entry", group="linear3", source=Source(SEED, "§3.3.2"),
    statement="|ΔAᵢⱼ|/|Aᵢⱼ| ~ m^{α−3/2}.",
    latex=r"\frac{|\Delta A_{ij}|}{|A_{ij}|}\sim m^{\alpha-3/2}",
    reading="The ratio of one entry has no mean (E[1/|A⁰ᵢⱼ|] = ∞: the density of A⁰ᵢⱼ is positive at 0), so the "
            "typical ratio is taken: per network, the median over the m diagonal entries of |ΔAᵢᵢ|/|A⁰ᵢᵢ|. " +
            _DRIFT_READING.format(q="that median", w="16…512", s="α − 3/2", a="{7/8, 1}"),
    checks=(_symbolic([("|ΔAᵢⱼ|/|Aᵢⱼ| exponent", "drift_A_entry", "alpha - 3/2", None, None, False),
                       ("|ΔAᵢⱼ|/|Aᵢⱼ| exponent, square loss", "drift_A_entry", "alpha - 3/2", "1/2", 1, True)]),
            _drift_sweep("typical relative entry drift of A", DRIFT_AE, alphas=PREMISE[1:])),
)


# ---- operator norms ----------------------------------------------------------------------------------------

def _opnorm_bound_sampler():
    from verify._jax import jax
    from verify.observables.linear3 import sweep_column, sweep_sampler

    base = sweep_sampler(ALPHAS, True)
    col = sweep_column(ALPHAS, 0.5, "‖A⁰‖_op")

    def sample(key, m, count, **kw):
        k1, k2 = jax.random.split(key)
        op = base(k1, m, count)[:, col]
        xi = np.asarray(jax.random.exponential(k2, (count,)))
        return (op > math.sqrt(m) + 7 * math.sqrt(m) + xi).astype(np.float64)[:, None]

    return sample


def _opnorm_a0_checks():
    bound = RareFailure("‖A⁰‖_op ≤ √m + 7√m + ξ", _opnorm_bound_sampler(),
                        (Series("‖A⁰‖_op > √m + 7√m + ξ, ξ ~ Exp(1)", 0.0, BOUND_FAILURE.value, "failure rate ≤ 5%"),),
                        PerProfile((16, 51), (16, 51, 161), (16, 51, 161, 512)), PerProfile(300, 600, 1200))
    scaling = _lazy("‖A⁰‖_op over the width", lambda: _sweep("‖A⁰‖_op over the width", [
        ("E‖A⁰‖_op", 0.5, "‖A⁰‖_op", None, float(_exponents()["opnorm_A0"]), "O(√m): 1/2",
         str(_exponents()["opnorm_A0"]))], with_op=True))
    return (_symbolic([("‖A⁰‖_op exponent", "opnorm_A0", "1/2", None, None, False)]), bound, scaling)


OPNORM_A0 = Claim(
    id="linear3.opnorm-a0", group="linear3", source=Source(SEED, "§3.3.2"),
    statement="‖A⁰‖_op ≤ √m + 7√m + ξ = O(√m), ξ ~ Exp(1) (as written in the source).",
    latex=r"\|A^0\|_{op}\le\sqrt m+7\sqrt m+\xi=O(\sqrt m),\quad\xi\sim\mathrm{Exp}(1)",
    reading="ξ ~ Exp(1) drawn independently of A⁰; a bound stated without a probability is read as holding in ≥ 95% "
            "of draws (Clopper–Pearson interval on the violation rate at m = 16 and 51, 300 networks each, "
            "‖A⁰‖_op by power iteration). O(√m): the log-log slope of E‖A⁰‖_op over m = 16…512 is 1/2 ± 0.1.",
    checks=_opnorm_a0_checks(),
    note="Holds as written, with a wide margin: ‖A⁰‖_op/√m → 2 (Bai–Yin; measured ≈ 1.95–1.98 here), far below 8. "
         "The constant 7 is presumably a transcription of the standard Gaussian bound ‖A‖_op ≤ √m + √m + t with "
         "probability ≥ 1 − e^{−t²/2} (Davidson–Szarek / Gordon); the stated form is looser but not wrong, so no "
         "corrected companion is registered.",
)


def _rank_one_numeric(ctx):

    out = []
    for m in (1, 5, 64, 300):
        rng = ctx.rng("rank-one", m)
        beta, u = rng.normal(size=m), rng.normal(size=m)
        svd = float(np.linalg.norm(np.outer(beta, u), 2))
        want = float(np.linalg.norm(beta) * np.linalg.norm(u))
        out.append(exact(f"m={m}: ‖β⁰(u⁰)ᵀ‖_op (SVD) vs ‖β⁰‖‖u⁰‖, relative", 0.0, abs(svd - want) / want,
                         ROUNDOFF.value, "identity (rank one)"))
    return out


def _rank_one_symbolic(ctx):
    import sympy as sp

    m = 3
    b = sp.Matrix(sp.symbols(f"b1:{m + 1}", real=True))
    u = sp.Matrix(sp.symbols(f"u1:{m + 1}", real=True))
    v = sp.Matrix(sp.symbols(f"v1:{m + 1}", real=True))
    M = b * u.T
    # (β uᵀ)v = β⟨u,v⟩ (eq. 6-7), so ‖βuᵀv‖² = ⟨u,v⟩²‖β‖² ≤ ‖u‖²‖v‖²‖β‖² (Cauchy–Schwarz), with equality at v = u
    r1 = sp.expand((M * v - b * (u.T * v)[0]).norm() ** 2)
    gram = (M.T * M - (b.T * b)[0] * u * u.T).applyfunc(sp.expand)
    eig = sp.expand((M.T * M * u - (b.T * b)[0] * (u.T * u)[0] * u).norm() ** 2)
    lagrange = sp.expand((u.T * u)[0] * (v.T * v)[0] - (u.T * v)[0] ** 2
                         - sum((u[i] * v[j] - u[j] * v[i]) ** 2 for i in range(m) for j in range(i + 1, m)))
    return [symbolic("(β uᵀ)x = β⟨u,x⟩ (m=3)", r1 == 0, str(M * v), "β⟨u,x⟩", "exact expansion", residual=str(r1)),
            symbolic("(βuᵀ)ᵀ(βuᵀ) = ‖β‖² u uᵀ (rank one, m=3)", gram == sp.zeros(m, m), str(M.T * M), "‖β‖²uuᵀ",
                     "exact expansion", residual=str(gram)),
            symbolic("u is an eigenvector with eigenvalue ‖β‖²‖u‖² (the only nonzero one)", eig == 0,
                     "(βuᵀ)ᵀ(βuᵀ)u", "‖β‖²‖u‖²u", "exact expansion", residual=str(eig)),
            symbolic("Lagrange identity ‖u‖²‖x‖² − ⟨u,x⟩² = Σ_{i<j}(uᵢxⱼ−uⱼxᵢ)² ≥ 0 (sup at x = u/‖u‖)", lagrange == 0,
                     "‖u‖²‖x‖² − ⟨u,x⟩²", "Σ(uᵢxⱼ−uⱼxᵢ)²", "exact expansion", residual=str(lagrange))]


OPNORM_RANK_ONE = Claim(
    id="linear3.opnorm-rank-one", group="linear3", source=Source(SEED, "§3.3.2"),
    statement="‖β⁰(u⁰)ᵀ‖_op = ‖u⁰‖‖β⁰‖ ≃ m.",
    latex=r"\|\beta^0(u^0)^T\|_{op}=\|u^0\|\,\|\beta^0\|\simeq m",
    reading="The identity: SymPy proves the source's steps (4)–(7) and the rank-one spectrum at m = 3; float64 SVD "
            "equals ‖β‖‖u‖ at random instances (m = 1…300). '≃ m': the log-log slope of E‖β⁰‖‖u⁰‖ over m = 16…512 "
            "is 1 ± 0.1 (the calculus: 1).",
    checks=(Exact("rank-one identity (SymPy)", View.SYMBOLIC, _rank_one_symbolic),
            Exact("SVD vs ‖β‖‖u‖", View.NUMERIC, _rank_one_numeric),
            _symbolic([("‖β⁰(u⁰)ᵀ‖_op exponent", "opnorm_rank_one", 1, None, None, False)]),
            _sweep("‖β⁰(u⁰)ᵀ‖_op over the width", [("E‖β⁰(u⁰)ᵀ‖_op", 0.5, "‖β⁰(u⁰)ᵀ‖_op", None, 1.0, "≃ m: 1", "1")])),
)

DRIFT_AOP = (("‖ΔA‖_op/‖A⁰‖_op", "drift_A_op", "‖ΔA‖_op/‖A⁰‖_op", "α−1", "alpha - 1"),)
DRIFT_A_OP = Claim(
    id="linear3.drift-a-op", group="linear3", source=Source(SEED, "§3.3.2"),
    statement="‖ΔA‖_op/‖A⁰‖_op ~ m^{α−1}.",
    latex=r"\frac{\|\Delta A\|_{op}}{\|A^0\|_{op}}\sim m^{\alpha-1}",
    reading="ΔA = −ηF'(Φ⁰)x m^{−α−1/2}β⁰(u⁰)ᵀ is rank one, so ‖ΔA‖_op = ‖ΔA‖_F exactly; ‖A⁰‖_op by power "
            "iteration. " + _DRIFT_READING.format(q="‖ΔA‖_op/‖A⁰‖_op", w="16…512", s="α − 1", a="{7/8, 1}"),
    checks=(_symbolic([("‖ΔA‖_op/‖A⁰‖_op exponent", "drift_A_op", "alpha - 1", None, None, False),
                       ("‖ΔA‖_op/‖A⁰‖_op exponent, square loss", "drift_A_op", "alpha - 1", "1/2", 1, True)]),
            _drift_sweep("relative operator-norm drift of A", DRIFT_AOP, with_op=True, alphas=PREMISE[1:])),
)


# ---- linear3.gradient-change and its correction ---------------------------------------------------------------

GC_BLOCKS = (("‖Δ∇_βΦ‖", "‖Δ∇_βΦ‖"), ("‖Δ∇_uΦ‖", "‖Δ∇_uΦ‖"), ("‖Δ∇_AΦ‖_F", "‖Δ∇_AΦ‖_F"))
GC_ALPHAS = (0.25, 0.75)


def _gc_items(corrected: bool):
    """As written: the three blocks at α = 1/4, ‖Δ∇_uΦ‖ and the relative change at α = 3/4. Corrected: at
    α = 1/4 the factor E|F'(Φ⁰)| and the three blocks divided by |F'(Φ⁰)|; at α = 3/4 the relative change."""
    src, sq = _exponents(), _exponents(square=True)
    items = []
    for a in GC_ALPHAS:
        d_sq = _value(sq["gradient_change"], a)
        d_ratio = _value(sq["gradient_change_ratio"], a)
        source = f"O(m^(-1/2)): −1/2; F' constant: {_frac(_value(src['gradient_change'], a))}"
        if corrected and a < 0.5:
            # ‖Δ∇Φ‖ = |F'(Φ⁰)|·K with K concentrated: the two factors' exponents, each with little noise
            fp = _value(sq["delta_phi"], a)  # F'(Φ⁰) ~ m^{max(0, 1/2−α)}
            items.append((f"E[|F'(Φ(θ⁰,x))| | A⁰,u⁰], α={_frac(a)}", a, "E[|F'(Φ⁰)| | A⁰,u⁰]", None, fp,
                          "constant in m (premise): 0", f"max(0, 1/2−α) = {_frac(fp)}"))
            for lab, col in GC_BLOCKS:
                items.append((f"E[{lab}/|F'(Φ⁰)|], α={_frac(a)}", a, f"{col}/|F'(Φ⁰)|", None, d_sq - fp, source,
                              f"square loss {_frac(d_sq)} − {_frac(fp)}"))
            continue
        blocks = GC_BLOCKS if a < 0.5 else ()
        for lab, col in blocks:
            items.append((f"E{lab}, α={_frac(a)}", a, col, None, d_sq if corrected else -0.5, source,
                          f"square loss {_frac(d_sq)}"))
        if a > 0.5:
            items.append((f"E[‖Δ∇_uΦ‖/‖∇_uΦ‖], α={_frac(a)}", a, "‖Δ∇_uΦ‖/‖∇_uΦ‖", None,
                          d_ratio if corrected else a - 1.0, f"−1/2 − (1/2−α) = {_frac(a - 1)}",
                          f"square loss {_frac(d_ratio)}"))
    return items


def _gc_checks(corrected: bool):
    if corrected:
        sym = _symbolic([("Δ∇Φ exponent, square loss, α ∈ [1/2, 1]", "gradient_change", "-1/2", "1/2", 1, True),
                         ("Δ∇Φ exponent, square loss, α ∈ [0, 1/2]", "gradient_change", "-alpha", 0, "1/2", True),
                         ("Δ∇Φ exponent, F' constant, α ∈ [0, 1]", "gradient_change", "-1/2", 0, 1, False)])
    else:
        sym = _symbolic([("Δ∇Φ exponent, F' constant (source premise), α ∈ [0, 1]", "gradient_change", "-1/2", 0, 1,
                          False),
                         ("Δ∇Φ exponent, square loss, α ∈ [0, 1]", "gradient_change", "-1/2", 0, 1, True)])
    return (sym, _lazy("gradient change after one step", lambda: _sweep("gradient change after one step", _gc_items(corrected), replicates=NOISY_REPLICATES)))


GRADIENT_CHANGE = Claim(
    id="linear3.gradient-change", group="linear3", source=Source(SEED, "§3.3.3"),
    statement="‖Δ∇_{β/u/A}Φ‖ = O(m^{−1/2}) ≪ m^{1/2−α} ~ ‖∇_{β/u/A}Φ‖ for α < 1.",
    latex=r"\|\Delta\nabla_{\beta/u/A}\Phi\|=\mathcal O(m^{-1/2})\ll m^{1/2-\alpha}\sim\|\nabla_{\beta/u/A}\Phi\|\quad(\alpha<1)",
    reading="One GD step, η = m^{2α−1}, square loss F(t) = (t−1)²/2, x = 1. The statement covers every α < 1, so it is "
            "checked at α = 1/4 (below the premise α ≥ 1/2) and α = 3/4 (inside it; at α = 1/2, F'(Φ⁰) is an O(1) "
            "random factor too noisy for a cheap slope). O(m^{−1/2}) is read as: the log-log slope of E‖Δ∇Φ‖ over m = 16…512 "
            "is −1/2 ± 0.1 (each block at α = 1/4; at α = 3/4 the relative change; the calculus shows the bound is attained, so an exponent above "
            "−1/2 + 0.1 refutes both the sharp and the O(·) reading), and the relative change ‖Δ∇_uΦ‖/‖∇_uΦ‖ has "
            "the implied exponent α − 1. Symbolic: the calculus under the source's premise (F' constant) and "
            "under the square loss.",
    checks=_gc_checks(False),
    note="Wrong as stated for α < 1/2: the derivation takes F'(Φ(θ⁰,x)) constant in m, but Φ(θ⁰,x) ~ m^{1/2−α} "
         "diverges for α < 1/2, and with it F'(Φ⁰) = Φ⁰ − y for the square loss; Δθ carries that factor, so "
         "‖Δ∇Φ‖ ~ m^{−α} (slope −1/4 measured at α = 1/4), not O(m^{−1/2}). It holds for 1/2 ≤ α < 1 (and for every "
         "α < 1 with a loss whose F' is bounded, e.g. F(t) = t). See linear3.gradient-change.corrected.",
)

GRADIENT_CHANGE_CORRECTED = Claim(
    id="linear3.gradient-change.corrected", group="linear3", source=Source(SEED, "§3.3.3 (corrected)"),
    statement="With F(t) = (t−y)²/2: ‖Δ∇_{β/u/A}Φ‖ ~ m^{−1/2} for 1/2 ≤ α < 1 and ~ m^{−α} for α < 1/2 "
              "(in general O(m^{−1/2}·|F'(Φ(θ⁰,x))|)); in both cases ‖Δ∇Φ‖/‖∇Φ‖ → 0 for α < 1.",
    latex=r"\|\Delta\nabla\Phi\|\sim m^{-1/2}\,|F'(\Phi(\theta^0,x))|\sim m^{-\min(\alpha,1/2)},\quad "
          r"\frac{\|\Delta\nabla\Phi\|}{\|\nabla\Phi\|}\sim m^{\max(\alpha,1/2)-1}\ (\alpha<1)",
    reading="Same sweep as linear3.gradient-change. At α = 3/4 the relative change's slope must be "
            "max(α, 1/2) − 1 = −1/4 ± 0.1. At α = 1/4, "
            "‖Δ∇Φ‖ = |F'(Φ⁰)|·K with K = ‖Δ∇Φ‖/|F'(Φ⁰)| concentrated, and the two factors are checked separately "
            "(their exponents add up to −α): E[|F'(Φ⁰)| | A⁰,u⁰] (β⁰ integrated out in closed form: Φ⁰ | A⁰,u⁰ is "
            "Gaussian) grows like m^{1/2−α} = m^{1/4}, and E[K] ~ m^{−1/2}, each ± 0.1; the direct E‖Δ∇Φ‖ at α = 1/4 "
            "(the as-written check) carries |F'|'s spread and its slope converges slowly to −1/4 from below. "
            "Symbolic: SymPy proves the square-loss exponent is −1/2 on [1/2, 1] and −α on [0, 1/2].",
    checks=_gc_checks(True),
    corrects="linear3.gradient-change",
    note="The source's premise F'(Φ(θ⁰,x)) constant in m is made explicit: it holds for α ≥ 1/2 (Φ⁰ bounded).",
)


# ---- lazy against feature learning ---------------------------------------------------------------------------
# T GD steps from one draw θ⁰ at α = 3/4 (lazy) and α = 1 (feature learning), and the same number of steps of GD
# on the linearization Φ^lin(θ) = Φ(θ⁰) + ⟨θ−θ⁰, ∇_θΦ(θ⁰)⟩ (verify/observables/linear3.py: trajectory_sampler).

TRAJECTORY_ALPHAS = (0.75, 1.0)  # one compilation per width serves both claims (α is traced)
TRAJECTORY_WIDTHS = PerProfile((32, 101, 322, 1024), (32, 64, 128, 256, 512, 1024, 2048, 4096),
                               (32, 64, 128, 256, 512, 1024, 2048, 4096, 5793))  # 1.5 decades in quick
TRAJECTORY_TEXT = ("T = 8 GD steps on the square loss F(t) = (t−1)²/2 at x = 1 with η = m^{2α−1}/4 (ηK(θ⁰) ≈ 3/4: "
                   "with the one-step η = m^{2α−1}, ηK ≈ 3 and Φ − y is multiplied by ≈ −2 each step, so T steps "
                   "diverge; the constant does not move any exponent). The sweep starts at m = 32: below it the "
                   "α = 1 quantities are pre-asymptotic. The calculus's one-step exponents hold for every fixed T "
                   "(each step is of the order of the first, by induction).")


def _trajectory(name, items, decreasing=False):
    """items: (label, α, output, expected exponent, source text, derived text)."""
    from verify.observables.linear3 import trajectory_column, trajectory_sampler

    base = trajectory_sampler(TRAJECTORY_ALPHAS)
    idx = [trajectory_column(TRAJECTORY_ALPHAS, a, o) for _, a, o, *_ in items]

    def sample(key, m, count, **kw):
        return base(key, m, count)[:, idx]

    series = tuple(_series(label, d, st, dt) for label, _, _, d, st, dt in items)
    return ScalingLaw(name, sample, series, TRAJECTORY_WIDTHS, SWEEP_REPLICATES, variable="m", decreasing=decreasing,
                      thinning=thin_wide)


def _lazy_checks(corrected: bool):
    if corrected:
        items = [("E max_t|Φ(θᵗ,x) − Φ^lin(θ̄ᵗ,x)| (network vs linear model, each trained T steps), α=3/4", 0.75,
                  "max_t |Φ(θᵗ) − Φ^lin(θ̄ᵗ)|", 0.0, "→ 0", "≤ m^(α−1) = m^(−1/4) (calculus bound)"),
                 ("E|Φ(θᵀ,x) − Φ(θ⁰,x) − ⟨θᵀ−θ⁰,∇_θΦ(θ⁰,x)⟩|, α=3/4", 0.75, "|Φᵀ − Φ⁰ − ⟨θᵀ−θ⁰,∇_θΦ(θ⁰)⟩|",
                  0.0, "→ 0", "≤ m^(α−1) = m^(−1/4) (calculus bound)")]
        return (_symbolic([("ΔΦ exponent at a = 2α−1, square loss, α ∈ [1/2, 1]", "delta_phi", 0, "1/2", 1, True)]),
                _trajectory("the linear model's error after T steps, α = 3/4", items, decreasing=True))

    def items():
        sq = _exponents(square=True)
        return [("E|F(Φ(θᵀ,x)) − F(Φ(θ⁰,x)) − ⟨θᵀ−θ⁰,∇_θF(Φ(θ⁰,x))⟩|, α=3/4", 0.75,
                 "|F(Φᵀ) − F(Φ⁰) − ⟨θᵀ−θ⁰,∇_θF(Φ⁰)⟩|", -0.5, "O(m^(-1/2)): −1/2",
                 f"½(ΔΦ)²: {_frac(_value(sq['taylor_F_remainder'], 0.75))} (square loss)")]

    name = "remainder of the linear model in F after T steps"
    return (_symbolic([("remainder of F's first-order expansion, square loss, α ∈ [1/2, 1]", "taylor_F_remainder",
                        "-1/2", "1/2", 1, True)]),
            _lazy(name, lambda: _trajectory(name, items())))


LAZY = Claim(
    id="linear3.lazy-linear-model", group="linear3", source=Source(SEED, "§3.3.3"),
    statement="for α<1, after T steps F(Φ(θᵀ,x)) = F(Φ(θ⁰,x)) + ⟨θᵀ−θ⁰, ∇_θF(Φ(θ⁰,x))⟩ + O(m^{−1/2}): the model "
              "learned is linear in the features ∇_θF(Φ(θ⁰,x)) (a fixed kernel, no feature learning).",
    latex=r"F(\Phi(\theta^T,x))=F(\Phi(\theta^0,x))+\langle\theta^T-\theta^0,\nabla_\theta F(\Phi(\theta^0,x))\rangle"
          r"+\mathcal O(m^{-1/2})\quad(\alpha<1)",
    reading=TRAJECTORY_TEXT + " α = 3/4 (α < 1, premise α ≥ 1/2). O(m^{−1/2}) read as: the log-log slope of "
            "E|F(Φ(θᵀ,x)) − F(Φ(θ⁰,x)) − ⟨θᵀ−θ⁰, ∇_θF(Φ(θ⁰,x))⟩| over the width sweep is −1/2 ± 0.1. "
            "Symbolic: the calculus's size of the remainder.",
    checks=_lazy_checks(False),
    note="Wrong as stated for any loss with F'' ≠ 0: training moves the output by ΔΦ ~ m^0 (it fits y), so F's own "
         "curvature leaves ½F''(ΔΦ)² ~ m^0 outside the first-order term (after T = 8 steps the remainder is ≈ 0.5 "
         "at every width: the fit is trained, F(Φᵀ) ≈ 0, while the first-order model predicts F(Φ⁰) − F'(Φ⁰)·ΔΦ ≈ −1/2). "
         "The derivation replaces ∇_θF(Φ(θᵗ,x)) by ∇_θF(Φ(θ⁰,x)), but F'(Φ(θᵗ,x)) changes by O(1) even though "
         "∇_θΦ barely moves. What is linear is the network output in the features ∇_θΦ(θ⁰,x): see "
         "linear3.lazy-linear-model.corrected.",
)

LAZY_CORRECTED = Claim(
    id="linear3.lazy-linear-model.corrected", group="linear3", source=Source(SEED, "§3.3.3 (corrected)"),
    statement="for 1/2 ≤ α < 1 and a fixed number T of GD steps, the network trained by GD stays within o(1) of its "
              "linearization Φ^lin(θ) = Φ(θ⁰,x) + ⟨θ−θ⁰, ∇_θΦ(θ⁰,x)⟩ trained by GD from the same θ⁰ "
              "(max_{t≤T}|Φ(θᵗ,x) − Φ^lin(θ̄ᵗ,x)| → 0), and Φ(θᵀ,x) = Φ(θ⁰,x) + ⟨θᵀ−θ⁰, ∇_θΦ(θ⁰,x)⟩ + o(1) "
              "while ΔΦ ~ m^0: the output is linear in the features ∇_θΦ(θ⁰,x) (F is applied to that linear model).",
    latex=r"\max_{t\le T}|\Phi(\theta^t,x)-\Phi^{\rm lin}(\bar\theta^t,x)|\to0,\quad "
          r"\Phi(\theta^T,x)=\Phi(\theta^0,x)+\langle\theta^T-\theta^0,\nabla_\theta\Phi(\theta^0,x)\rangle+o(1)",
    reading=TRAJECTORY_TEXT + " α = 3/4. Φ^lin trained by GD moves θ only along ∇_θΦ(θ⁰,x), so its run is an exact "
            "scalar recursion. 'o(1)' read as: both remainders shrink with m — log-log slope ≤ −0.1 with its whole "
            "interval (the measured exponent is reported; the calculus bounds it by m^{α−1}, and the data approach "
            "2(α−1) = −1/2, the square of the relative feature change). ΔΦ ~ m^0: symbolic here, measured in "
            "linear3.feature-learning (|Φᵀ − Φ⁰| at α = 3/4).",
    checks=_lazy_checks(True),
    corrects="linear3.lazy-linear-model",
)


def _feature_items():
    sq = _exponents(square=True)
    out = []
    for alpha, tag in ((1.0, "α=1"), (0.75, "α=3/4 (contrast)")):
        drift = _value(sq["drift_u"], alpha)
        out += [(f"E[‖uᵀ−u⁰‖/‖u⁰‖], {tag}", alpha, "‖uᵀ−u⁰‖/‖u⁰‖", drift, f"α−1 = {_frac(alpha - 1)}", _frac(drift)),
                (f"E[‖βᵀ−β⁰‖/‖β⁰‖], {tag}", alpha, "‖βᵀ−β⁰‖/‖β⁰‖", _value(sq["drift_beta"], alpha),
                 f"α−1 = {_frac(alpha - 1)}", _frac(_value(sq["drift_beta"], alpha))),
                (f"E[‖∇_θΦ(θᵀ)−∇_θΦ(θ⁰)‖/‖∇_θΦ(θ⁰)‖], {tag}", alpha, "‖∇_θΦ(θᵀ)−∇_θΦ(θ⁰)‖/‖∇_θΦ(θ⁰)‖",
                 _value(sq["gradient_change_ratio"], alpha), "features move iff α = 1",
                 _frac(_value(sq["gradient_change_ratio"], alpha)))]
    out += [("E|Φ(θᵀ,x) − Φ(θ⁰,x)|, α=3/4 (the lazy net still learns)", 0.75, "|Φᵀ − Φ⁰|",
             _value(sq["delta_phi"], 0.75), "ΔΦ ~ m^0", _frac(_value(sq["delta_phi"], 0.75)))]
    return out


FEATURE_LEARNING = Claim(
    id="linear3.feature-learning", group="linear3", source=Source(SEED, "§3.3.3"),
    statement="for α = 1 the relative parameter changes do not vanish as m→∞.",
    latex=r"\alpha=1:\ \frac{\|\Delta u\|}{\|u^0\|},\ \frac{\|\Delta\beta\|}{\|\beta^0\|}\not\to0",
    reading=TRAJECTORY_TEXT + " 'Do not vanish' read as: at α = 1 the log-log slopes of E‖uᵀ−u⁰‖/‖u⁰‖, "
            "E‖βᵀ−β⁰‖/‖β⁰‖ and of the relative feature change E‖∇_θΦ(θᵀ)−∇_θΦ(θ⁰)‖/‖∇_θΦ(θ⁰)‖ are "
            "0 ± 0.1; contrast at α = 3/4: the drifts and the feature change have slope −1/4 ± 0.1 "
            "while the output change |Φᵀ − Φ⁰| has slope 0 ± 0.1 (the lazy net learns with frozen features). "
            "(‖Aᵀ−A⁰‖_F/‖A⁰‖_F ~ m^{α−3/2} vanishes even at α = 1: the statement is about u and β; see "
            "linear3.drift-a-frobenius.) Symbolic: the drift exponents vanish at α = 1.",
    checks=(_symbolic([("‖Δu‖/‖u⁰‖ exponent at α = 1, square loss", "drift_u", 0, 1, 1, True),
                       ("‖Δβ‖/‖β⁰‖ exponent at α = 1, square loss", "drift_beta", 0, 1, 1, True),
                       ("relative gradient change exponent at α = 1, square loss", "gradient_change_ratio", 0, 1, 1,
                        True)]),
            _lazy("relative changes after T steps, α = 1 against α = 3/4",
                  lambda: _trajectory("relative changes after T steps, α = 1 against α = 3/4", _feature_items()))),
)

CLAIMS = (NORM_U, HIDDEN_LAW, GAMMA, HIDDEN_NORM, OUTPUT_LAW, GRADIENTS, GRADIENT_NORMS, LR_EXPONENT, DRIFT_U_BETA,
          DRIFT_A_FROBENIUS, DRIFT_A_ENTRY, OPNORM_A0, OPNORM_RANK_ONE, DRIFT_A_OP, GRADIENT_CHANGE,
          GRADIENT_CHANGE_CORRECTED, LAZY, LAZY_CORRECTED, FEATURE_LEARNING)
