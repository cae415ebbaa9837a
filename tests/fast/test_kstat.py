"""k-statistics: exact agreement with known formulas, unbiasedness on laws with known cumulants (seeded
statistical tests that can fail), and a biased estimator rejected by the same test."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as st

from verify.stats._kstat import joint_k_statistic, k_statistic, kstat, univariate_table

# Batches of m samples (small m: an estimator that is only asymptotically unbiased shows its O(1/m) bias)
BATCH = 12
BATCHES = 40000
Z = 5.0  # |mean − κ| ≤ Z·se: a false failure has probability ~6e-7 per comparison


def _cumulants(name: str, r: int) -> float:
    if name == "normal":  # N(1, 2²)
        return {1: 1.0, 2: 4.0}.get(r, 0.0)
    if name == "exponential":  # rate 1
        return float(math.factorial(r - 1))
    if name == "chisquare":  # 3 degrees of freedom
        return float(2 ** (r - 1) * math.factorial(r - 1) * 3)
    raise ValueError(name)


def _draw(name: str, rng, shape):
    return {"normal": lambda: rng.normal(1.0, 2.0, shape), "exponential": lambda: rng.exponential(1.0, shape),
            "chisquare": lambda: rng.chisquare(3, shape)}[name]()


@pytest.mark.parametrize("r", [1, 2, 3, 4])
def test_matches_scipy_kstat(r):
    x = np.random.default_rng(1).gamma(2.0, size=37)
    assert k_statistic(x, r) == pytest.approx(st.kstat(x, r), rel=1e-10)


def test_joint_with_repeated_column_is_the_univariate_one():
    x = np.random.default_rng(2).exponential(size=(3, 25))
    for r in (2, 3, 4, 5):
        np.testing.assert_allclose(joint_k_statistic([x] * r), k_statistic(x, r), rtol=1e-9)


def test_joint_second_order_is_the_unbiased_covariance():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=30), rng.normal(size=30)
    assert joint_k_statistic([x, y]) == pytest.approx(np.cov(x, y)[0, 1], rel=1e-12)


def test_shift_and_scale_equivariance():
    x = np.random.default_rng(4).exponential(size=40)
    for r in (2, 4, 6, 8):
        assert k_statistic(3.0 * x + 100.0, r) == pytest.approx(3.0**r * k_statistic(x, r), rel=1e-8)


@pytest.mark.parametrize("name,orders", [("normal", (2, 3, 4, 6)), ("exponential", (2, 3, 4, 5, 6)),
                                         ("chisquare", (2, 3, 4))])
def test_unbiased_on_known_laws(name, orders):
    rng = np.random.default_rng([5, len(name)])
    x = _draw(name, rng, (BATCHES, BATCH))
    for r in orders:
        k = k_statistic(x, r)
        se = k.std(ddof=1) / math.sqrt(k.size)
        assert abs(k.mean() - _cumulants(name, r)) <= Z * se, (name, r, k.mean(), _cumulants(name, r), se)


def test_joint_third_cumulant_unbiased():
    # X = E₁ + E₂, Y = E₁ + E₃, W = E₁ (E exponential): κ(X, Y, W) = κ₃(E₁) = 2
    rng = np.random.default_rng(6)
    e = rng.exponential(size=(3, BATCHES, BATCH))
    k = joint_k_statistic([e[0] + e[1], e[0] + e[2], e[0]])
    assert abs(k.mean() - 2.0) <= Z * k.std(ddof=1) / math.sqrt(k.size)


def test_a_biased_estimator_is_rejected_by_the_same_test():
    """The plug-in fourth cumulant (central moments of the batch) has an O(1/m) bias: the test sees it."""
    x = np.random.default_rng(7).exponential(size=(BATCHES, BATCH))
    c = x - x.mean(axis=1, keepdims=True)
    m2, m4 = (c**2).mean(axis=1), (c**4).mean(axis=1)
    plug_in = m4 - 3 * m2**2
    assert abs(plug_in.mean() - 6.0) > Z * plug_in.std(ddof=1) / math.sqrt(plug_in.size)


def test_interval_covers_and_names_bad_input():
    est = kstat(np.random.default_rng(8).exponential(size=40 * 50), 3)
    lo, hi = est.interval(1e-4)
    assert lo < 2.0 < hi
    with pytest.raises(ValueError, match="r=9"):
        k_statistic(np.ones(20), 9)
    with pytest.raises(ValueError, match="at least 4 samples"):
        k_statistic(np.ones(3), 4)


def test_table_sizes_are_cached_and_exact():
    assert univariate_table(2) == univariate_table(2)
    # every cumulant of order ≥ 2 of a constant is 0, and so is every k-statistic of a constant sample
    for r in range(2, 9):
        assert float(k_statistic(np.full(12, 3.0), r)) == 0.0
