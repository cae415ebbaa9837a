"""The deep random network: the scan path (Monte Carlo) and the materialised weights are one network."""
from __future__ import annotations

import numpy as np
import pytest

from verify._jax import jax, key_for
from verify.models.randnet import Architecture, forward, preactivations, weights


@pytest.mark.parametrize("widths,sigma", [((7,), "relu"), ((5, 9, 3, 9), "tanh"), ((6, 6, 6), "identity")])
def test_scan_path_equals_materialised_weights(widths, sigma):
    arch = Architecture(d=3, widths=widths, n_out=2, C_W=1.7, sigma=sigma)
    X = np.random.default_rng(0).normal(size=(3, 4))
    key = key_for(0, "randnet-model", len(widths))
    z1, hidden, out = preactivations(key, X, arch, keep_layers=True)
    zs = forward(weights(key, arch), X, sigma)
    np.testing.assert_allclose(out, zs[-1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(z1[: widths[0]], zs[0], rtol=1e-12, atol=1e-12)
    for ell, z in enumerate(zs[1:-1]):
        np.testing.assert_allclose(hidden[ell][: widths[ell + 1]], z, rtol=1e-12, atol=1e-12)
        assert not np.any(hidden[ell][widths[ell + 1]:])  # padding rows stay exactly zero
    assert arch.n_params() == sum(w.size for w in weights(key, arch))


def test_weight_variance_is_C_W_over_fan_in():
    arch = Architecture(d=4, widths=(300, 200), n_out=1, C_W=2.0, sigma="relu")
    ws = weights(key_for(1, "randnet-var"), arch)
    for w, fan_in in zip(ws, (4, 300, 200)):
        # sample variance of ≥ 200 iid entries within 5 standard errors of C_W/fan_in
        se = (2.0 / fan_in) * np.sqrt(2.0 / w.size)
        assert abs(float(np.var(w)) - 2.0 / fan_in) < 5 * se


def test_many_networks_vmap_and_inverse_width_sum():
    arch = Architecture(d=2, widths=(8, 16), n_out=1, C_W=1.0, sigma="tanh")
    keys = jax.random.split(key_for(2, "randnet-vmap"), 5)
    X = np.eye(2)
    outs = jax.vmap(lambda k: preactivations(k, X, arch))(keys)
    assert outs.shape == (5, 1, 2) and len({float(o[0, 0]) for o in outs}) == 5
    assert arch.inverse_width_sum == pytest.approx(1 / 8 + 1 / 16)


@pytest.mark.parametrize("kwargs,word", [(dict(widths=()), "widths"), (dict(C_W=0.0), "C_W"),
                                         (dict(sigma="swish"), "swish"), (dict(d=0), "d=0")])
def test_bad_architecture_is_named(kwargs, word):
    base = dict(d=2, widths=(4,), n_out=1, C_W=1.0, sigma="relu") | kwargs
    with pytest.raises(ValueError, match=word):
        Architecture(**base)


def test_inputs_must_be_columns():
    arch = Architecture(d=3, widths=(4,), n_out=1, C_W=1.0, sigma="relu")
    with pytest.raises(ValueError, match=r"\(d, k\)"):
        preactivations(key_for(0, "x"), np.ones((4, 3)), arch)


@pytest.mark.parametrize("widths", [(6,), (5, 5), (4, 4, 4, 4)])
def test_stacked_weights_are_the_weights_bit_for_bit(widths):
    from verify.models.randnet import stacked_weights

    arch = Architecture(d=3, widths=widths, n_out=2, C_W=1.7, sigma="relu")
    key = key_for(3, "randnet-stacked", len(widths))
    ws, (first, hidden, last) = weights(key, arch), stacked_weights(key, arch)
    assert np.array_equal(first, ws[0]) and np.array_equal(last, ws[-1])
    assert (hidden is None) if len(widths) == 1 else np.array_equal(hidden, np.stack(ws[1:-1]))


def test_stacked_weights_need_equal_widths():
    from verify.models.randnet import stacked_weights

    with pytest.raises(ValueError, match=r"widths=\(4, 5\).*equal hidden widths"):
        stacked_weights(key_for(0, "x"), Architecture(d=3, widths=(4, 5), n_out=1, C_W=1.0, sigma="relu"))


def test_jitted_weights_are_the_eager_draws_bit_for_bit():
    """weights (jitted) equals N(0,1) draws of the layer keys times √(C_W/fan-in) computed op by op (at this
    architecture XLA's folding of the two scales changed bits before the barrier)."""
    arch = Architecture(d=3, widths=(64, 64, 64), n_out=1, C_W=1.0, sigma="tanh")
    key = key_for(4, "randnet-jit")
    keys = jax.random.split(key, 4)
    with jax.disable_jit():
        want = [jax.random.normal(keys[0], (64, 3)) * np.sqrt(1 / 3)]
        want += [jax.random.normal(k, (64, 64)) * np.sqrt(1 / 64) for k in keys[1:3]]
        want += [jax.random.normal(keys[3], (1, 64)) * np.sqrt(1 / 64)]
    assert all(np.array_equal(w, v) for w, v in zip(weights(key, arch), want))


def test_host_weights_equal_the_traced_ones_bit_for_bit():
    """weights draws on the host (padded draws of verify._draws, host keys); under vmap or jit it falls back to
    jax.random in a program: the two must give the same matrices, so a vmapped caller sees the catalogue's numbers."""
    arch = Architecture(d=3, widths=(5, 7, 4), n_out=2, C_W=1.3, sigma="tanh")
    keys = jax.random.split(key_for(4, "host-weights"), 3)
    traced = jax.vmap(lambda k: weights(k, arch))(keys)
    for i in range(3):
        host = weights(jax.random.wrap_key_data(np.asarray(jax.random.key_data(keys))[i]), arch)
        assert all(np.array_equal(h, t[i]) for h, t in zip(host, traced))
