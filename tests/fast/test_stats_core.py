"""The statistics core on cheap synthetic problems whose truth is known.

Calibration is tested at the least favourable point: the truth on the edge of the accept band,
where a FAIL is most likely for a true claim. Power is tested with the truth twice the reported
resolution away from the claimed value. α is raised to 0.05 here so that its rate is measurable
with a few hundred seeds; the suite's own α (1e-4 per claim) only makes FAIL rarer.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as st

from verify._model import Context, PerProfile, Profile, Verdict
from verify.checks import LawEquals, LimitSweep, MeanEquals, RareFailure, ScalingLaw, Series
from verify.stats import Band, Decision, Share, clopper_pearson, decide, dkw_epsilon, ks_distance, mean, wls_line

ALPHA = 0.05
ONE_LOOK = Profile("quick", 1, "test: one look")
SEEDS = 300


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


# -- MeanEquals -----------------------------------------------------------------------------------

def test_mean_false_fail_rate_at_band_edge_is_at_most_alpha():
    tol = 0.05
    rate = _fail_rate(lambda: MeanEquals("m", skewed_sampler(1.0), (Series("mean", 1.0 - tol, tol),),
                                         PerProfile(400, 400, 400)))
    assert rate <= _binomial_ceiling(ALPHA, SEEDS), rate


def test_mean_detects_twice_its_resolution():
    tol = 0.05
    probe = MeanEquals("m", skewed_sampler(1.0), (Series("mean", 1.0, tol),), PerProfile(400, 400, 400))
    res = probe.run(_ctx(0)).comparisons[0].resolution
    assert res is not None and res > tol
    rate = _fail_rate(lambda: MeanEquals("m", skewed_sampler(1.0 + 2 * res), (Series("mean", 1.0, tol),),
                                         PerProfile(400, 400, 400)), seeds=100)
    assert rate >= 0.9, (rate, res)


def test_mean_sequential_looks_decide_what_one_look_cannot():
    # truth well inside the band, but 40 replicates are too few: more looks must reach PASS
    check = MeanEquals("m", skewed_sampler(0.0), (Series("mean", 0.0, 0.3),), PerProfile(40, 40, 40))
    one = check.run(_ctx(1, 1, ONE_LOOK))
    many = check.run(_ctx(1, 1, Profile("quick", 6, "six looks")))
    assert one.verdict == Verdict.INCONCLUSIVE and one.comparisons[0].needs is not None
    assert many.verdict == Verdict.PASS and many.looks > 1


# -- LimitSweep -----------------------------------------------------------------------------------

def limit_sampler(L: float, c: float):
    """Y_n = L + c/n + (centred exponential)/√n: mean L + c/n exactly, Var ∝ 1/n."""

    def sample(key, n, count, **kw):
        return L + c / n + (_rng(key).exponential(1.0, size=(count, 1)) - 1.0) / math.sqrt(n)

    return sample


WIDTHS = PerProfile((16, 32, 64, 128, 256), (16, 32, 64, 128, 256), (16, 32, 64, 128, 256))


def _limit(claimed: float, L: float = 0.5, tol: float = 0.01):
    return LimitSweep("sweep", limit_sampler(L, 2.0), (Series("Y", claimed, tol),), WIDTHS, PerProfile(300, 300, 300))


def test_limit_false_fail_rate_at_band_edge_is_at_most_alpha():
    # two comparisons per series (limit, fluctuation exponent) share the α
    rate = _fail_rate(lambda: _limit(0.5 - 0.01))
    assert rate <= _binomial_ceiling(ALPHA, SEEDS), rate


def test_limit_detects_twice_its_resolution():
    res = _limit(0.5).run(_ctx(0, 2)).comparisons[0].resolution
    rate = _fail_rate(lambda: _limit(0.5 + 2 * res), seeds=100)
    assert rate >= 0.9, (rate, res)


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


# -- ScalingLaw -----------------------------------------------------------------------------------

def power_sampler(p: float):
    """Y = n^p · G with G ~ Gamma(4, 1/4) (mean 1): E[Y] = n^p exactly."""

    def sample(key, n, count, **kw):
        return n**p * _rng(key).gamma(4.0, 0.25, size=(count, 1))

    return sample


def _scaling(claimed: float, tol: float = 0.05, truth: float = -0.5):
    return ScalingLaw("slope", power_sampler(truth), (Series("Y", claimed, tol),), WIDTHS, PerProfile(200, 200, 200))


def test_slope_false_fail_rate_at_band_edge_is_at_most_alpha():
    rate = _fail_rate(lambda: _scaling(-0.5 + 0.05))
    assert rate <= _binomial_ceiling(ALPHA, SEEDS), rate


def test_slope_detects_twice_its_resolution():
    res = _scaling(-0.5).run(_ctx(0)).comparisons[0].resolution
    rate = _fail_rate(lambda: _scaling(-0.5 + 2 * res), seeds=100)
    assert rate >= 0.9, (rate, res)


def test_decreasing_passes_a_decay_and_fails_a_plateau():
    def decreasing(truth):
        return ScalingLaw("dec", power_sampler(truth), (Series("Y", 0.0, 0.1),), WIDTHS, PerProfile(200, 200, 200),
                          decreasing=True)

    assert decreasing(-1.0).run(_ctx(0)).verdict == Verdict.PASS
    assert decreasing(0.0).run(_ctx(0)).verdict == Verdict.FAIL


# -- LawEquals (DKW) ------------------------------------------------------------------------------

def test_law_false_fail_rate_is_at_most_alpha_and_a_wrong_law_fails():
    def gauss(key, w, count, **kw):
        return _rng(key).normal(size=(count, 1))

    def unif(key, w, count, **kw):
        return _rng(key).uniform(-math.sqrt(3), math.sqrt(3), size=(count, 1))

    make = lambda s: LawEquals("law", s, (Series("x", 0.0, 0.02, "N(0,1)"),), (st.norm.cdf,), PerProfile(20000, 20000, 20000))
    assert _fail_rate(lambda: make(gauss), seeds=100) <= _binomial_ceiling(ALPHA, 100)
    assert _fail_rate(lambda: make(unif), seeds=30) == 1.0


def test_dkw_and_ks_distance():
    x = np.linspace(0.0005, 0.9995, 1000)  # an exact uniform grid on (0,1)
    assert ks_distance(x, lambda t: t) == pytest.approx(0.0005, abs=1e-12)
    assert dkw_epsilon(1000, 0.05) == pytest.approx(math.sqrt(math.log(40) / 2000))


# -- RareFailure (Clopper–Pearson) ----------------------------------------------------------------

def test_rare_failure_passes_at_zero_and_fails_past_its_resolution():
    def events(rate):
        def sample(key, w, count, **kw):
            return (_rng(key).uniform(size=(count, 1)) < rate).astype(float)

        return sample

    make = lambda rate: RareFailure("rf", events(rate), (Series("fails", 0.0, 0.1),), None, PerProfile(300, 300, 300))
    ok = make(0.0).run(_ctx(0))
    assert ok.verdict == Verdict.PASS
    res = ok.comparisons[0].resolution
    assert _fail_rate(lambda: make(min(1.0, 2 * res)), seeds=50) >= 0.9


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
