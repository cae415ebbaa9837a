"""verify._jax.chi_square: exact χ²(df) draws (the large-df remainders of the exact laws rely on it)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from verify._jax import chi_square, jnp, key_for


@pytest.mark.parametrize("df", [1.0, 3.5, 40.0, (4096 - 2) ** 2])
def test_chi_square_follows_the_chi2_law(df):
    draws = np.asarray(chi_square(key_for(0, "chi2", str(df)), jnp.full((4000,), df)))
    # KS at 4000 draws: a false fail at p < 1e-4 once in 10⁴ runs; a wrong scale (2·gamma → gamma) is p ~ 0
    assert stats.kstest(draws, stats.chi2(df).cdf).pvalue > 1e-4


def test_chi_square_catches_a_wrong_degree_of_freedom():
    draws = np.asarray(chi_square(key_for(1, "chi2"), jnp.full((4000,), 40.0)))
    assert stats.kstest(draws, stats.chi2(44.0).cdf).pvalue < 1e-4


def test_chi_square_is_a_function_of_its_key():
    k = key_for(2, "chi2")
    assert np.array_equal(chi_square(k, jnp.full((5,), 7.0)), chi_square(k, jnp.full((5,), 7.0)))
