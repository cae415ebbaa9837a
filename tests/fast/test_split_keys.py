"""verify._jax.split_keys: jax.random.split computed on the host (no compilation per count), bit for bit."""
from __future__ import annotations

import numpy as np
import pytest

from verify._jax import host_keys, jax, key_for, split_keys


@pytest.mark.parametrize("count", [1, 2, 3, 40, 961, 40000])
@pytest.mark.parametrize("seed", [0, 2**32 - 1])
def test_split_keys_is_jax_random_split(seed, count):
    key = key_for(seed, "split", count)
    got, want = split_keys(key, count), jax.random.split(key, count)
    assert got.dtype == want.dtype and np.array_equal(jax.random.key_data(got), jax.random.key_data(want))


def test_other_key_implementations_fall_back_to_jax():
    key = jax.random.key(5, impl="rbg")
    assert np.array_equal(jax.random.key_data(split_keys(key, 7)), jax.random.key_data(jax.random.split(key, 7)))


@pytest.mark.parametrize("seed, path", [(0, ()), (0, ("a",)), (2**32 - 1, ("shallow.gd", 3, "w0")),
                                        (2**33 + 7, (2**32 + 5, -1))])
def test_key_for_is_jax_key_and_fold_in(seed, path):
    """key_for hashes on the host: it must equal jax.random.key(seed mod 2³²) folded with each label."""
    import zlib
    want = jax.random.key(seed & 0xFFFFFFFF, impl="threefry2x32")
    for part in path:
        want = jax.random.fold_in(want, (zlib.crc32(part.encode()) if isinstance(part, str) else part) & 0xFFFFFFFF)
    got = key_for(seed, *path)
    assert got.dtype == want.dtype and np.array_equal(jax.random.key_data(got), jax.random.key_data(want))


@pytest.mark.parametrize("index", [0, 4, slice(3, None), slice(1, 5, 2), np.array([5, 0, 2])])
def test_host_keys_is_jax_indexing(index):
    keys = split_keys(key_for(1, "host-keys"), 6)
    got, want = host_keys(keys, index), keys[index]
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(jax.random.key_data(got), jax.random.key_data(want))
