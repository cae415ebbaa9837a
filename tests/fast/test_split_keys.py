"""verify._jax.split_keys: jax.random.split computed on the host (no compilation per count), bit for bit."""
from __future__ import annotations

import numpy as np
import pytest

from verify._jax import jax, key_for, split_keys


@pytest.mark.parametrize("count", [1, 2, 3, 40, 961, 40000])
@pytest.mark.parametrize("seed", [0, 2**32 - 1])
def test_split_keys_is_jax_random_split(seed, count):
    key = key_for(seed, "split", count)
    got, want = split_keys(key, count), jax.random.split(key, count)
    assert got.dtype == want.dtype and np.array_equal(jax.random.key_data(got), jax.random.key_data(want))


def test_other_key_implementations_fall_back_to_jax():
    key = jax.random.key(5, impl="rbg")
    assert np.array_equal(jax.random.key_data(split_keys(key, 7)), jax.random.key_data(jax.random.split(key, 7)))
