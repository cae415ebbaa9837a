"""The statistics core on cheap synthetic problems whose truth is known.

Calibration is tested at the least favourable point: the truth on the edge of the accept band,
where a FAIL is most likely for a true claim. Power is tested with the truth twice the reported
resolution away from the claimed value. α is raised to 0.05 here so that its rate is measurable
with a few hundred seeds; the suite's own α (1e-4 per claim) only makes FAIL rarer.
"""
from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
from scipy import stats as st

from verify._model import Check, Context, PerProfile, Profile, Verdict
from verify.checks import (LawEquals, LimitSweep, MeanEquals, MonteCarloCheck, PairedScalingLaw, RareFailure, ScalingLaw,
                           Series)
from verify.claimfile._law import _DistanceDoesNotGrow, _LawAtLargestWidth
from verify.stats import Band, Decision, Share, clopper_pearson, decide, dkw_epsilon, ks_distance, mean, wls_line

ALPHA = 0.05
ONE_LOOK = Profile("quick", 1, "test: one look")
SEEDS = 300  # repetitions for a false-fail rate
POWER_SEEDS = 100  # for a power


def _rng(key) -> np.random.Generator:
    from verify._jax import jax

    return np.random.default_rng(np.asarray(jax.random.key_data(key)).ravel().tolist())


def _ctx(seed: int, comparisons: int = 1, profile: Profile = ONE_LOOK) -> Context:
    return Context("synthetic", seed, profile, Share(ALPHA, comparisons, profile.looks))


def _fail_rate(make_check, seeds=SEEDS) -> float:
    fails = 0
    for s in range(seeds):
        check = make_check()
        fails += check.run(_ctx(s, check.comparisons)).verdict == Verdict.FAIL
    return fails / seeds


def _binomial_ceiling(p: float, n: int) -> float:
    """A rate above this is not compatible with p (one-sided 1e-3)."""
    return st.binom.ppf(1 - 1e-3, n, p) / n


def skewed_sampler(mu: float):
    """Centred exponential noise (skewness 2) around mu: the batch means must absorb the skew."""

    def sample(key, width, count, **kw):
        return (mu + _rng(key).exponential(1.0, size=(count, 1)) - 1.0)

    return sample


# -- decision rule --------------------------------------------------------------------------------

def test_decide_is_interval_against_band():
    band = Band(-1.0, 1.0)
    assert decide(-0.5, 0.5, band) == Decision.PASS
    assert decide(1.5, 2.0, band) == Decision.FAIL
    assert decide(0.5, 1.5, band) == Decision.UNDECIDED
    assert decide(-math.inf, -2.0, band) == Decision.FAIL


def test_band_rejects_inverted_limits():
    with pytest.raises(ValueError, match="lo must not exceed hi"):
        Band(1.0, 0.0)


# -- every check kind: false-fail ≤ α at the band edge, power ≥ 0.9 at twice the resolution ------------------------

def limit_sampler(L: float, c: float):
    """Y_n = L + c/n + (centred exponential)/√n: mean L + c/n exactly, Var ∝ 1/n."""

    def sample(key, n, count, **kw):
        return L + c / n + (_rng(key).exponential(1.0, size=(count, 1)) - 1.0) / math.sqrt(n)

    return sample


def power_sampler(p: float):
    """Y = n^p · G with G ~ Gamma(4, 1/4) (mean 1): E[Y] = n^p exactly."""

    def sample(key, n, count, **kw):
        return n**p * _rng(key).gamma(4.0, 0.25, size=(count, 1))

    return sample


XS = (1, 2, 4, 8, 16)


def paired_sampler(p: float, xs=XS):
    """Replicate i at every x: Y = x^p · Gᵢ · exp(0.2·(Eₓ − 1)), Gᵢ ~ Gamma(4, 1/4) shared by the x (it cancels
    from the replicate's slope), Eₓ ~ Exp(1) per x (skewed): E[slope of log Y on log x] = p exactly."""
    lx = np.log(np.asarray(xs, dtype=np.float64))

    def sample(key, w, count, **kw):
        rng = _rng(key)
        g = rng.gamma(4.0, 0.25, size=(count, 1))
        noise = 0.2 * (rng.exponential(1.0, size=(count, len(xs))) - 1.0)
        return g * np.exp(p * lx + noise)

    return sample


def shifted_normal_sampler(distance: float, at=lambda width: True):
    """N(μ, 1) with μ = 2Φ⁻¹((1 + D)/2): its Kolmogorov distance to N(0, 1) is exactly D (at the widths `at`
    selects; N(0, 1) at the others)."""
    mu = 2.0 * st.norm.ppf((1.0 + distance) / 2.0)

    def sample(key, width, count, **kw):
        return _rng(key).normal(size=(count, 1)) + (mu if at(width) else 0.0)

    return sample


def events_sampler(rate: float):
    """1.0 (the event fails) with probability `rate`."""

    def sample(key, w, count, **kw):
        return (_rng(key).uniform(size=(count, 1)) < rate).astype(float)

    return sample


WIDTHS = PerProfile((16, 32, 64, 128, 256), (16, 32, 64, 128, 256), (16, 32, 64, 128, 256))
LAW_WIDTHS = PerProfile((16, 256), (16, 256), (16, 256))


def _limit(claimed: float, L: float = 0.5, tol: float = 0.01):
    return LimitSweep("sweep", limit_sampler(L, 2.0), (Series("Y", claimed, tol),), WIDTHS, PerProfile(300, 300, 300))


def _scaling(claimed: float, tol: float = 0.05, truth: float = -0.5, **kw):
    return ScalingLaw("slope", power_sampler(truth), (Series("Y", claimed, tol),), WIDTHS, PerProfile(200, 200, 200),
                      **kw)


def _paired(truth: float, claimed: float = -0.5, tol: float = 0.05, **kw):
    return PairedScalingLaw("paired", paired_sampler(truth), (Series("Y", claimed, tol),), XS, PerProfile(60, 60, 60),
                            **kw)


def _law(kind, distance: float, tol: float = 0.05, **kw):
    return kind("law", shifted_normal_sampler(distance), (Series("x", 0.0, tol, "N(0,1)"),), (st.norm.cdf,),
                PerProfile(2000, 2000, 2000), **kw)


@dataclass(frozen=True)
class Synthetic:
    """A check kind on a synthetic problem of known truth. make(offset) builds the check with its truth `offset`
    beyond the claimed value, toward the band's (finite) edge: offset = tol puts the truth on the edge (the least
    favourable true claim), offset = 2·resolution is a discrepancy the check must detect. The resolution is the
    one the check reports for the truth at the claimed value (offset 0)."""

    make: Callable[[float], Check]
    tol: float


TOL = 0.05
# One factory per MonteCarloCheck subclass (and per decision rule a kind has); a new kind without one fails
# test_every_check_kind_has_a_synthetic_problem.
SYNTHETIC: dict[str, Synthetic] = {
    "MeanEquals": Synthetic(lambda off: MeanEquals("m", skewed_sampler(1.0), (Series("mean", 1.0 - off, TOL),),
                                                   PerProfile(400, 400, 400)), TOL),
    "LawEquals": Synthetic(lambda off: _law(LawEquals, off), TOL),
    "RareFailure": Synthetic(lambda off: RareFailure("rf", events_sampler(min(1.0, off)), (Series("fails", 0.0, 0.1),),
                                                     None, PerProfile(300, 300, 300)), 0.1),
    "LimitSweep": Synthetic(lambda off: _limit(0.5 - off), 0.01),  # two comparisons: limit, fluctuation exponent
    "ScalingLaw": Synthetic(lambda off: _scaling(-0.5 + off), TOL),
    "ScalingLaw[decreasing]": Synthetic(lambda off: _scaling(0.0, truth=-TOL + off, decreasing=True), 0.0),
    "PairedScalingLaw": Synthetic(lambda off: _paired(-0.5 + off), TOL),
    "PairedScalingLaw[bound]": Synthetic(lambda off: _paired(-0.5 + off, bound=True), TOL),
    # the claim-file law kind: LawEquals at the sweep's largest width, and the distance's rise across widths
    "_LawAtLargestWidth": Synthetic(lambda off: _law(_LawAtLargestWidth, off, widths=LAW_WIDTHS), TOL),
    "_DistanceDoesNotGrow": Synthetic(lambda off: _DistanceDoesNotGrow(
        "growth", shifted_normal_sampler(off, at=lambda w: w == max(LAW_WIDTHS.quick)), st.norm.cdf, "x", LAW_WIDTHS,
        PerProfile(2000, 2000, 2000), TOL), TOL),
}


def check_kinds() -> list[type]:
    """Every concrete MonteCarloCheck subclass of verify/ (the shared kinds of verify.checks and the claim files'
    own), found by walking the subclasses: a new kind is covered without editing this list."""
    import verify.claimfile  # noqa: F401  (defines the claim-file kinds)

    found, todo = [], [MonteCarloCheck]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.append(sub)
                todo.append(sub)
    return sorted((c for c in found if c.__module__.startswith("verify.") and not inspect.isabstract(c)),
                  key=lambda c: c.__name__)


KINDS = [c.__name__ for c in check_kinds()]
CASES = sorted(SYNTHETIC)


def test_every_check_kind_has_a_synthetic_problem():
    missing = [k for k in KINDS if k not in SYNTHETIC]
    assert not missing, f"check kinds without a synthetic problem in SYNTHETIC (so never calibrated): {missing}"
    assert {k.split("[")[0] for k in SYNTHETIC} == set(KINDS), "SYNTHETIC names a kind that no longer exists"
    assert {"MeanEquals", "LawEquals", "RareFailure", "LimitSweep", "ScalingLaw", "PairedScalingLaw"} <= set(KINDS)


@pytest.mark.parametrize("kind", CASES)
def test_declared_comparisons_are_the_comparisons_made(kind):
    """The runner splits a claim's α by the declared counts before any check runs: a check that makes more
    stochastic comparisons than it declares spends more than its share (regression: _DistanceDoesNotGrow
    declared 0, so a claim-file law claim spent 2α)."""
    check = SYNTHETIC[kind].make(0.0)
    made = [c for c in check.run(_ctx(0, max(check.comparisons, 1))).comparisons if c.false_fail_rate > 0]
    assert check.comparisons == len(made), f"{kind} declares {check.comparisons} comparisons, makes {len(made)}"


def _resolution(problem: Synthetic) -> float:
    probe = problem.make(0.0)
    res = probe.run(_ctx(0, probe.comparisons))
    assert res.verdict != Verdict.FAIL, f"the truth at the claimed value FAILs: {res.comparisons}"
    return max(c.resolution for c in res.comparisons if c.resolution is not None and math.isfinite(c.resolution))


@pytest.mark.parametrize("kind", CASES)
def test_false_fail_rate_at_the_band_edge_is_at_most_alpha(kind):
    problem = SYNTHETIC[kind]
    rate = _fail_rate(lambda: problem.make(problem.tol))
    assert rate <= _binomial_ceiling(ALPHA, SEEDS), f"{kind}: {rate:.3f} of {SEEDS} true claims on the band edge FAIL"


@pytest.mark.slow
@pytest.mark.parametrize("kind", CASES)
def test_false_fail_rate_at_the_band_edge_over_sequential_looks(kind):
    """The quick profile's looks (each doubling the replicates): the union bound over looks keeps the rate ≤ α."""
    problem, looks = SYNTHETIC[kind], Profile("quick", 3, "test: the quick profile's looks")
    fails = 0
    for s in range(SEEDS):
        check = problem.make(problem.tol)
        fails += check.run(_ctx(s, max(check.comparisons, 1), looks)).verdict == Verdict.FAIL
    assert fails / SEEDS <= _binomial_ceiling(ALPHA, SEEDS), f"{kind}: {fails} of {SEEDS} FAIL over 3 looks"


@pytest.mark.parametrize("kind", CASES)
def test_twice_the_resolution_is_detected(kind):
    problem = SYNTHETIC[kind]
    res = _resolution(problem)
    assert res > problem.tol, (kind, res)
    rate = _fail_rate(lambda: problem.make(2 * res), seeds=POWER_SEEDS)
    assert rate >= 0.9, f"{kind}: a truth at twice the resolution ({2 * res:.4g} from the claim) FAILs only {rate:.2f}"


def test_mean_sequential_looks_decide_what_one_look_cannot():
    # truth well inside the band, but 40 replicates are too few: more looks must reach PASS
    check = MeanEquals("m", skewed_sampler(0.0), (Series("mean", 0.0, 0.3),), PerProfile(40, 40, 40))
    one = check.run(_ctx(1, 1, ONE_LOOK))
    many = check.run(_ctx(1, 1, Profile("quick", 6, "six looks")))
    assert one.verdict == Verdict.INCONCLUSIVE and one.comparisons[0].needs is not None
    assert many.verdict == Verdict.PASS and many.looks > 1


def test_limit_is_not_judged_on_one_width():
    with pytest.raises(ValueError, match="at least 3 points"):
        LimitSweep("one", limit_sampler(0.5, 2.0), (Series("Y", 0.5, 0.01),),
                   PerProfile((64,), (64,), (64,)), PerProfile(100, 100, 100)).run(_ctx(0, 2))


def test_limit_rejects_a_plateau_in_the_spread():
    """A quantity whose spread does not shrink (Var ∝ n⁰) fails the fluctuation exponent."""

    def flat(key, n, count, **kw):
        return 0.5 + _rng(key).normal(size=(count, 1))

    res = LimitSweep("flat", flat, (Series("Y", 0.5, 0.5),), WIDTHS, PerProfile(300, 300, 300)).run(_ctx(3, 2))
    assert res.comparisons[1].decision == Decision.FAIL


def test_decreasing_passes_a_decay_and_fails_a_plateau():
    def decreasing(truth):
        return ScalingLaw("dec", power_sampler(truth), (Series("Y", 0.0, 0.1),), WIDTHS, PerProfile(200, 200, 200),
                          decreasing=True)

    assert decreasing(-1.0).run(_ctx(0)).verdict == Verdict.PASS
    assert decreasing(0.0).run(_ctx(0)).verdict == Verdict.FAIL


def test_dkw_and_ks_distance():
    x = np.linspace(0.0005, 0.9995, 1000)  # an exact uniform grid on (0,1)
    assert ks_distance(x, lambda t: t) == pytest.approx(0.0005, abs=1e-12)
    assert dkw_epsilon(1000, 0.05) == pytest.approx(math.sqrt(math.log(40) / 2000))


def test_the_shifted_normal_is_at_its_stated_distance():
    x = np.linspace(-8.0, 8.0, 20001)
    for d in (0.05, 0.3):
        mu = 2.0 * st.norm.ppf((1.0 + d) / 2.0)
        gap = st.norm.cdf(x - mu) - st.norm.cdf(x)
        assert np.max(np.abs(gap)) <= d and st.norm.cdf(mu / 2) - st.norm.cdf(-mu / 2) == pytest.approx(d, rel=1e-12)


def test_rare_failure_passes_at_zero():
    assert SYNTHETIC["RareFailure"].make(0.0).run(_ctx(0)).verdict == Verdict.PASS


def test_clopper_pearson_covers():
    lo, hi = clopper_pearson(0, 100, 0.05)
    assert lo == 0.0 and hi == pytest.approx(1 - 0.025 ** (1 / 100))


# -- estimators and fits --------------------------------------------------------------------------

def test_batch_means_interval_covers_the_mean_of_a_skewed_law():
    rng = np.random.default_rng(7)
    cover = 0
    for _ in range(400):
        est = mean(rng.lognormal(0.0, 1.0, size=2000))
        lo, hi = est.interval(0.1)
        cover += lo <= math.exp(0.5) <= hi
    assert cover / 400 >= 0.9 - 3 * math.sqrt(0.09 / 400)


def test_wls_line_recovers_an_exact_line_and_inflates_on_misfit():
    x = np.arange(5.0)
    fit = wls_line(x, 2.0 + 3.0 * x, np.full(5, 0.1))
    assert fit.slope.value == pytest.approx(3.0) and fit.birge == 1.0
    bent = wls_line(x, 2.0 + 3.0 * x + np.array([0, 1, 0, 1, 0.0]), np.full(5, 0.1))
    assert bent.birge > 1.0 and bent.slope.se > fit.slope.se
