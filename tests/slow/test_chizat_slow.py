"""chizat at more seeds and the standard profile, and the one-device fallback of the solve (taken when
equinox compiles its checks as host callbacks) against the sharded path."""
from __future__ import annotations

import numpy as np
import pytest

from verify._jax import jax, jnp, key_for
from verify._model import PROFILES
from verify.claims.chizat import CLAIMS
from verify.runner import run_claim


@pytest.mark.slow
@pytest.mark.parametrize("seed, profile", [(1, "quick"), (2, "quick"), (0, "standard")])
def test_chizat_verdicts(seed, profile):
    verdicts = {c.id: run_claim(c, PROFILES[profile], seed)["verdict"] for c in CLAIMS}
    assert set(verdicts.values()) == {"PASS"}, verdicts


@pytest.mark.slow
def test_one_device_fallback_gives_the_sharded_numbers():
    from verify.models import chizat as model
    from verify.observables import chizat as obs

    assert model.callbacks_off()  # this process takes the sharded path
    alphas = (1.0, 10.0, 1000.0)
    sharded = obs.trajectories(key_for(5, "fallback"), 3, alphas, 4.0, "centred")
    g, ok = obs._chunked(model.WIDTH, 4.0)(jax.random.split(key_for(5, "fallback"), 3), jnp.asarray(alphas),
                                      jnp.asarray(obs.times(4.0)), jnp.asarray(False))
    assert bool(np.all(ok))
    # not bitwise: another XLA program may round differently, and a round-off difference can move an adaptive
    # step; both stay within the solver's accuracy (1.6e-9 absolute on O(1) states, tests/fast/test_chizat.py)
    assert np.allclose(np.asarray(g), sharded, rtol=1e-7, atol=1e-10)
