"""Declared checks read observables by output name; selections of one observable share its built sampler."""
from __future__ import annotations

import numpy as np
import pytest

from verify._jax import key_for
from verify.checks import outputs
from verify.checks._outputs import _built
from verify.observables import get
from verify.tolerances import KERNEL_REL, Tol


def test_named_outputs_are_the_observables_columns_in_the_order_given():
    obs = get("shallow.lecun_init")
    full = np.asarray(obs.sampler(law="uniform", d=4)(key_for(0, "t"), 64, 5))
    pick = outputs("shallow.lecun_init", (obs.outputs[4], obs.outputs[0]), law="uniform", d=4)
    assert np.array_equal(pick(key_for(0, "t"), 64, 5), full[:, [4, 0]])
    squared = outputs("shallow.lecun_init", (obs.outputs[0],), transform=lambda o: o**2, law="uniform", d=4)
    assert np.array_equal(squared(key_for(0, "t"), 64, 5), full[:, [0]] ** 2)


def test_selections_of_one_observable_share_one_built_sampler():
    _built.cache_clear()
    names = get("shallow.lecun_init").outputs
    a = outputs("shallow.lecun_init", names[:1], law="normal", d=4)
    b = outputs("shallow.lecun_init", names[1:3], law="normal", d=4)
    a(key_for(1, "t"), 64, 2), b(key_for(1, "t"), 64, 2)
    assert _built.cache_info().currsize == 1


def test_an_unknown_output_is_named_with_the_valid_ones():
    with pytest.raises(ValueError, match=r"no output 'nope'; its outputs are 'mean √d·U'"):
        outputs("shallow.lecun_init", ("nope",))


def test_a_tolerance_formats_as_its_value():
    assert f"±{KERNEL_REL:g}" == "±0.02" and f"{Tol(0.125, 'r'):.1%}" == "12.5%"
