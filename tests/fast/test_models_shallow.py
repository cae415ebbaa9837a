"""The shallow model's structured formulas against JAX autodiff, padding, sharding."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from verify._jax import jax, jnp, key_for, sharded_vmap, split_keys
from verify._model import PROFILES
from verify.checks import outputs
from verify.models import activation, law, shallow
from verify.observables import get
from verify.observables.shallow import table_output
from verify.tolerances import ROUNDOFF

ACTS = st.sampled_from(["tanh", "erf", "relu", "sin", "identity"])


def _random_params(rng, n, d):
    return shallow.Params(jnp.asarray(rng.normal(size=(n, d))), jnp.asarray(rng.normal(size=n)),
                          jnp.asarray(rng.normal(size=n)), jnp.asarray(rng.normal()))


@settings(max_examples=12)  # each new (n, d) shape compiles: keep the count small
@given(n=st.integers(1, 12), d=st.integers(1, 5), act=ACTS, seed=st.integers(0, 2**31 - 1))
def test_structured_ntk_equals_the_jacobian_inner_product(n, d, act, seed):
    rng = np.random.default_rng(seed)
    p, a = _random_params(rng, n, d), activation(act)
    X = jnp.asarray(rng.normal(size=(3, d)))
    dense = np.array([[float(shallow.ntk_dense(p, X[i], X[j], a)) for j in range(3)] for i in range(3)])
    structured = np.asarray(shallow.ntk_matrix(p, X, a))
    np.testing.assert_allclose(structured, dense, rtol=ROUNDOFF.value, atol=ROUNDOFF.value * np.abs(dense).max())
    assert float(shallow.ntk(p, X[0], X[1], a)) == pytest.approx(dense[0, 1], rel=ROUNDOFF.value, abs=1e-12)


@settings(max_examples=6)
@given(act=st.sampled_from(["tanh", "erf", "sin"]), seed=st.integers(0, 2**31 - 1))
def test_structured_gd_steps_equal_autodiff_steps(act, seed):
    """One step of GD on Φ and on Φ^lin, by the block formulas, equals the autodiff step."""
    rng = np.random.default_rng(seed)
    n, d, m, h = 7, 3, 4, 0.01
    a, p0 = activation(act), _random_params(rng, n, d)
    X, y = jnp.asarray(rng.normal(size=(m, d))), jnp.asarray(rng.normal(size=m))
    tr = shallow.gd_versus_linearized(p0, X, y, a, h, 2)

    g = jax.grad(shallow.square_loss)(p0, X, y, a)
    w1 = jax.tree_util.tree_map(lambda u, v: u - h * v, p0, g)
    phi0, jvp = jax.linearize(lambda q: shallow.forward_batch(q, X, a), p0)
    f_lin = lambda q: jnp.sum((phi0 + jvp(jax.tree_util.tree_map(jnp.subtract, q, p0)) - y) ** 2)
    p1 = jax.tree_util.tree_map(lambda u, v: u - h * v, p0, jax.grad(f_lin)(p0))
    p2 = jax.tree_util.tree_map(lambda u, v: u - h * v, p1, jax.grad(f_lin)(p1))
    w2 = jax.tree_util.tree_map(lambda u, v: u - h * v, w1, jax.grad(shallow.square_loss)(w1, X, y, a))
    assert float(tr["loss"][0]) == pytest.approx(float(shallow.square_loss(w1, X, y, a)), rel=1e-11)
    gap = float(jnp.linalg.norm(shallow.flat(w2) - shallow.flat(p2)))
    assert float(tr["param_gap"][1]) == pytest.approx(gap, rel=1e-9, abs=1e-14)


def test_padding_is_exact():
    """A width-n network padded with zero neurons trains exactly like the width-n network."""
    X, y, a = jnp.asarray(np.eye(3)[:2]), jnp.asarray([0.3, -0.2]), activation("tanh")
    key = key_for(0, "pad")
    small = shallow.lecun_init(key, 5, 3, law("normal"), pad_to=5)
    big = shallow.lecun_init(key, 5, 3, law("normal"), pad_to=9)
    assert np.all(np.asarray(big.U[5:]) == 0) and np.all(np.asarray(big.v[5:]) == 0)
    t1 = shallow.gd_versus_linearized(small, X, y, a, 0.05, 30)
    big = shallow.Params(big.U.at[:5].set(small.U), big.b, big.v.at[:5].set(small.v), big.c)
    t2 = shallow.gd_versus_linearized(big, X, y, a, 0.05, 30)
    np.testing.assert_allclose(np.asarray(t2["loss"]), np.asarray(t1["loss"]), rtol=1e-12, atol=1e-300)


def test_lecun_init_scales():
    p = shallow.lecun_init(key_for(1, "scale"), 4000, 50, law("uniform"))
    assert float(jnp.max(jnp.abs(p.U))) <= np.sqrt(3 / 50) + 1e-15
    assert float(jnp.max(jnp.abs(p.v))) <= np.sqrt(3 / 4000) + 1e-15
    assert shallow.param_count(p) == 4000 * 52 + 1


def test_sharded_vmap_matches_plain_vmap_and_is_chunk_invariant():
    keys = jax.random.split(key_for(3, "shard"), 37)
    f = lambda k, s: jax.random.normal(k, (5,)) * s
    ref = np.asarray(jax.vmap(f, in_axes=(0, None))(keys, 2.0))
    for chunk in (8, 16, 64):
        np.testing.assert_allclose(np.asarray(sharded_vmap(f, keys, 2.0, chunk=chunk)), ref, rtol=1e-15, atol=1e-15)


SHARDED_SCRIPT = """
import numpy as np
from verify._jax import jax, key_for, sharded_vmap
assert len(jax.devices()) == 4, jax.devices()
from verify.observables.shallow import ntk_sampler
out = ntk_sampler([((0.6, 0.8), (-0.8, 0.9))], ("tanh",), ("normal",))(key_for(5, "dev"), 64, 50)
np.save(__import__("sys").argv[1], out)
"""


def test_multi_device_path_gives_the_same_numbers(tmp_path):
    """The same Monte Carlo on 4 (forced host) devices and on 1 device: same numbers."""
    res = {}
    for devices in (1, 4):
        env = {**os.environ, "XLA_FLAGS": f"--xla_force_host_platform_device_count={devices}", "JAX_PLATFORMS": "cpu"}
        script = SHARDED_SCRIPT if devices == 4 else SHARDED_SCRIPT.replace("== 4", "== 1")
        out = tmp_path / f"d{devices}.npy"
        proc = subprocess.run([sys.executable, "-c", script, str(out)], env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
        res[devices] = np.load(out)
    np.testing.assert_allclose(res[4], res[1], rtol=1e-13, atol=1e-15)


def test_the_ntk_table_holds_the_single_kernel_observable_by_name():
    """shallow.ntk_table's named columns are shallow.ntk_over_n's numbers (same key, same law fold); a width past
    pad is refused with the parameter named."""
    x, z = (0.6, 0.8), (-0.8, 0.9)
    for act, base in (("erf", "uniform"), ("relu", "normal")):
        one = get("shallow.ntk_over_n").sampler(activation=act, law=base, x=x, z=z)(key_for(2, "t"), 16, 3)
        table = outputs("shallow.ntk_table", (table_output(act, base, "(x,z)"),), x=x, z=z)(key_for(2, "t"), 16, 3)
        np.testing.assert_allclose(table, one, rtol=ROUNDOFF.value, atol=0)
    with pytest.raises(ValueError, match="n=64 exceeds pad=32"):
        get("shallow.ntk_table").sampler(pad=32)(key_for(0, "t"), 64, 2)


def test_the_ntk_table_memo_returns_the_drawn_numbers_and_both_ntk_claims_share_a_scope():
    """The memo keyed by the key's bits: a second call gives the first call's numbers (read-only), another key other
    numbers; the two ntk-limit claims declare one key scope, so the correction reads the same networks."""
    from verify.claims import shallow as sc
    from verify.observables import shallow as so

    sample = get("shallow.ntk_table").sampler(x=(0.6, 0.8), z=(-0.8, 0.9), pad=32)
    so.TABLE_DRAWS.clear()
    a = sample(key_for(0, "memo"), 16, 3)
    fresh = so.ntk_table_sampler((0.6, 0.8), (-0.8, 0.9), 32)
    so.TABLE_DRAWS.clear()
    np.testing.assert_array_equal(fresh(key_for(0, "memo"), 16, 3), a)
    assert sample(key_for(0, "memo"), 16, 3) is so.TABLE_DRAWS[next(iter(so.TABLE_DRAWS))]
    assert not a.flags.writeable
    assert not np.array_equal(sample(key_for(1, "memo"), 16, 3), a)
    sweeps = [c.prepare(PROFILES["quick"]) if hasattr(c, "prepare") else c
              for claim in (sc.NTK_LIMIT, sc.NTK_LIMIT_CORRECTED) for c in claim.checks if c.name == "width sweep"]
    assert len(sweeps) == 2 and sweeps[0].key_scope == sweeps[1].key_scope == sc.NTK_DRAWS


def test_gd_start_of_the_padded_draws_is_the_kernel_of_the_width_n_network():
    """shallow.gd's K_n(w₀) from the draws padded with zero neurons equals the unpadded network's (round-off)."""
    from verify.observables import shallow as so

    keys = split_keys(key_for(0, "gd-start"), 4)
    for n in (16, 200):
        padded = sharded_vmap(so._gd_draws(so.GD_DRAW_ROWS, so.GD_X.shape[1]), keys, jax.device_put(n), chunk=64)
        K = sharded_vmap(so._gd_start("tanh"), keys, padded, chunk=64, batched=(0,))
        act, X = activation("tanh"), jnp.asarray(so.GD_X)
        for j in range(4):
            p = shallow.Params(padded.U[j, :n], padded.b[j, :n], padded.v[j, :n], padded.c[j])
            want = np.asarray(shallow.ntk_matrix(p, X, act))
            np.testing.assert_allclose(K[j], want, rtol=0, atol=ROUNDOFF.value * np.abs(want).max())


@pytest.mark.parametrize("with_lin", [False, True])
def test_gd_runs_at_the_padded_width_are_the_width_n_runs(with_lin):
    """shallow.gd_runs trains at the bucket width (zero neurons): its traces equal GD on the width-n network."""
    from verify.observables import shallow as so

    n, steps, keys = 40, 12, split_keys(key_for(0, "gd-bucket"), 3)
    assert so.gd_bucket(n, with_lin) > n  # the run is padded
    r = so.gd_runs(keys, n, steps, 0.5, with_lin=with_lin)
    padded = sharded_vmap(so._gd_draws(so.GD_DRAW_ROWS, so.GD_X.shape[1]), keys, jax.device_put(n), chunk=64)
    act, X, y = activation("tanh"), jnp.asarray(so.GD_X), jnp.asarray(so.GD_Y)
    for j in range(3):
        p = shallow.Params(padded.U[j, :n], padded.b[j, :n], padded.v[j, :n], padded.c[j])
        tr = shallow.gd_versus_linearized(p, X, y, act, r["h"][j], steps, with_lin)
        np.testing.assert_allclose(r["loss"][j], np.asarray(tr["loss"]), rtol=1e-12)
        assert r["drift"][j] == pytest.approx(float(tr["drift"].max()), rel=1e-12)
        if with_lin:
            assert r["param_gap"][j] == pytest.approx(float(tr["param_gap"].max()), rel=1e-9)
