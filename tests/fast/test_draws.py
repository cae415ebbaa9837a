"""verify._draws: the first `size` of a padded draw are jax.random's draw of `size` entries, bit for bit."""
from __future__ import annotations

import numpy as np
import pytest

from verify import _draws
from verify._jax import jax, key_for
from verify.models import LAWS, law, shallow

SIZES = (1, 2, 7, 64, 129)  # odd and even: jax's threefry pads an odd count of 32-bit words


def _bits(a) -> np.ndarray:
    return np.asarray(a).view(np.uint64)


@pytest.mark.parametrize("name", ["normal", "uniform"])
def test_prefix_equals_jax_draw_for_a_traced_size(name):
    padded = jax.jit(lambda key, size: _draws.standard(key, name, size, 256))  # one program for every size
    for size in SIZES:
        key = key_for(5, name, size)
        want = LAWS[name].sample(key, (size,))
        np.testing.assert_array_equal(_bits(padded(key, size)[:size]), _bits(want))


def test_rows_under_vmap_equal_jax_draws():
    keys = jax.random.split(key_for(6, "rows"), 3)
    got = jax.vmap(lambda k: _draws.standard_rows(k, "normal", 10, 16, 64))(keys)[:, :10]
    want = jax.vmap(lambda k: jax.random.normal(k, (10, 16)))(keys)
    np.testing.assert_array_equal(_bits(got), _bits(want))


def test_a_size_off_by_one_draws_other_numbers():
    # the size enters the hash: the prefix of a draw of size+1 is not the draw of size
    key = key_for(7, "off")
    assert not np.array_equal(np.asarray(_draws.standard(key, "normal", 8, 16))[:7], np.asarray(jax.random.normal(key, (7,))))


def test_lecun_standard_gives_lecun_init_at_every_width():
    for n in (3, 8, 33):
        key = key_for(8, "lecun", n)
        xu, xv = jax.jit(lambda k, m: shallow.lecun_standard(k, m, 4, "uniform", 64))(key, n)
        p = shallow.lecun_init(key, n, 4, law("uniform"))
        np.testing.assert_array_equal(_bits(np.asarray(xu)[:n] / 2.0), _bits(p.U))  # /√4 is exact
        np.testing.assert_array_equal(_bits(xv[:n]), _bits(jax.random.uniform(jax.random.split(key)[1], (n,),
                                                                                minval=-3**0.5, maxval=3**0.5)))


def test_unknown_law_is_named():
    with pytest.raises(ValueError, match="law='cauchy'"):
        _draws.standard(key_for(0), "cauchy", 3, 4)


@pytest.mark.parametrize("name", ["normal", "uniform"])
def test_windows_at_a_traced_offset_are_the_jax_draw(name):
    # one program for every window: rows [first, first + 8) of a (size, 3) draw, the last window past its end
    window = jax.jit(lambda key, rows, first: _draws.standard_rows(key, name, rows, 3, 8, first))
    for rows in (8, 21):
        key = key_for(9, name, rows)
        want = _bits(LAWS[name].sample(key, (rows, 3)))
        got = np.concatenate([_bits(window(key, rows, first)) for first in range(0, rows, 8)])[:rows]
        np.testing.assert_array_equal(got, want)
