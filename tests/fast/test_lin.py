"""lin.*: the GD limit of the linearised model against its closed form, the certified bounds of
Assumption 11.12 against sampled values, SymPy identities, and a broken step condition being detected."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from derive import lin as d
from verify._jax import jax, jnp, key_for
from verify._model import PROFILES, Context
from verify.checks import outputs
from verify.claims import lin as claims
from verify.models import activation, law, shallow
from verify.observables import lin as obs
from verify.stats import Decision
from verify.tolerances import ROUNDOFF

X, Y = jnp.asarray(obs.GD_X), jnp.asarray(obs.GD_Y)
ACT = activation(obs.ACT)


def _ctx(claim_id="lin.test", seed=7):
    return Context(claim_id, seed, PROFILES["quick"], None)


# ---- SymPy ----------------------------------------------------------------------------------------------

def test_delta_identity_and_first_order_hold_symbolically():
    assert d.check_delta_identity(2, 3).holds
    assert all(r.holds for r in d.check_first_order(2, 2, 2))
    assert d.check_kernel_depends(2, 2).holds


def test_constants_stated_fail_and_corrected_close_the_proof_step():
    res = {r.name: r.holds for r in d.check_constants()}
    assert [v for k, v in res.items() if "stated" in k] == [False, False]
    assert [v for k, v in res.items() if "corrected" in k] == [True, True]


def test_sizes_are_validated_with_a_message():
    with pytest.raises(ValueError, match="m=0 is not a positive integer"):
        d.check_delta_identity(0, 3)
    with pytest.raises(ValueError, match="rule='both'"):
        obs.radius("both", 1.0, 1.0, 1.0)


# ---- GD on f_lin = closed form ------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [16, 64])
def test_gd_limit_equals_closed_form(n):
    p0 = obs.init(key_for(3, "test-limit", n), n)
    J = np.asarray(obs.jacobian(p0, X))
    ev = np.linalg.eigvalsh(J @ J.T)
    pT, tr = obs.gd_linearized(p0, X, Y, 0.95 / (ev[0] + ev[-1]), claims.LIMIT_STEPS)
    p_inf = obs.gd_limit_closed_form(p0, X, Y)
    w0 = np.asarray(shallow.flat(p0))
    assert np.linalg.norm(np.asarray(pT) - p_inf) / np.linalg.norm(p_inf - w0) <= claims.GD_LIMIT.value
    # the part of w₀ orthogonal to the features is kept: it is most of the limit
    perp = w0 - np.linalg.pinv(J) @ (J @ w0)
    assert np.linalg.norm(perp) > 0.5 * np.linalg.norm(np.asarray(pT))


def test_jacobian_rows_match_autodiff_and_gram_is_the_kernel():
    p0 = obs.init(key_for(3, "jac"), 8)
    J = np.asarray(obs.jacobian(p0, X))
    Jad = np.asarray(jax.jacrev(lambda w: shallow.forward_batch(obs.unflat(w, p0), X, ACT))(shallow.flat(p0)))
    assert np.abs(J - Jad).max() <= ROUNDOFF.value * np.abs(J).max()
    K = np.asarray(shallow.ntk_matrix(p0, X, ACT))
    assert np.abs(J @ J.T - K).max() <= ROUNDOFF.value * np.abs(K).max()


# ---- certified bounds bound sampled values ----------------------------------------------------------------------

P8 = obs.init(key_for(3, "bounds"), 8)
W8 = np.asarray(shallow.flat(P8))


def _grad(w, i):
    return np.asarray(shallow.flat(shallow.weighted_gradient(obs.unflat(jnp.asarray(w), P8), X[i:i + 1], jnp.ones(1), ACT)))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), r=st.floats(0.01, 3.0), i=st.integers(0, 4))
def test_certified_bounds_bound_random_points_and_pairs(seed, r, i):
    rng = np.random.default_rng(seed)

    def point():
        u = rng.normal(size=W8.size)
        return W8 + r * rng.uniform() ** (1 / 4) * u / np.linalg.norm(u)

    a, b = point(), point()
    ga, gb = _grad(a, i), _grad(b, i)
    assert np.linalg.norm(ga) <= obs.u_cert(P8, obs.GD_X, r) * (1 + 1e-12)
    assert np.linalg.norm(ga - gb) <= obs.l_cert(P8, obs.GD_X, r) * np.linalg.norm(a - b) * (1 + 1e-12)


def test_certified_constants_bound_the_sampled_ones():
    for n, rule in ((64, "stated"), (4096, "corrected")):
        c = obs.constants(key_for(3, "const", n), n, rule, samples=4)
        assert math.isfinite(c.U_cert) and c.U_cert >= c.U_sampled >= c.U0
        assert c.L_cert >= c.L_sampled >= c.L_local > 0
        assert 0 < c.lam_min < c.lam_max


def test_certified_constants_agree_between_sweep_and_sampled_paths():
    """`constants` samples around the very network `certified` bounded (same key, same draws)."""
    k = key_for(3, "same")
    a = obs.certified(jax.random.split(k)[0], 64, "stated", 1)[0]
    b = obs.constants(k, 64, "stated", samples=2)
    assert (a.lam_min, a.f0, a.U_cert, a.L_cert) == (b.lam_min, b.f0, b.U_cert, b.L_cert)


# ---- a broken condition is detected ------------------------------------------------------------------------------

def test_step_above_the_bound_diverges_and_fails():
    """h = 2.5/(λ_min+λ_max) > 1/λ_max: GD on Φ^lin diverges; the convergence comparisons must FAIL."""
    comps = claims.on_linear("corrected", frac=2.5).run(_ctx()).comparisons
    conv = [c for c in comps if "f(p_T)/f(w₀)" in c.name]
    assert conv and all(c.decision == Decision.FAIL for c in conv)
    ok = claims.on_linear("corrected").run(_ctx()).comparisons
    assert all(c.decision == Decision.PASS for c in ok)


def test_stated_radius_is_left_by_gd_on_the_linear_model():
    """The counter-example of lin.theorem-11-13: Assumption 11.12 as stated holds (L = 0) yet GD leaves B_r(w₀)."""
    comps = claims.on_linear("stated").run(_ctx()).comparisons
    drift = [c for c in comps if "sup_k" in c.name]
    assert any(c.decision == Decision.FAIL for c in drift)
    assert all(c.decision == Decision.PASS for c in comps if "holds" in c.name)


# ---- the measurements the claims compare, and the rows that compare them -------------------------------------------

def test_first_order_and_delta_measurements_are_round_off_and_second_order():
    p0 = obs.init(key_for(3, "measure"), 16)
    q = obs.first_order(p0, np.random.default_rng(0))
    assert max(q["jacobian error"], q["gram error"]) <= ROUNDOFF.value
    assert abs(q["taylor order"] - 2.0) <= claims.TANGENT_ORDER.value and q["gaps"][0] > q["gaps"][1] > 0
    assert q["least squares error"] <= claims.ORDINARY.value
    assert obs.delta_identity(p0, np.random.default_rng(1))["gap"] <= claims.ORDINARY.value


def test_kernel_change_is_zero_for_one_init_and_not_for_two():
    p0, p1 = (obs.init(key_for(3, "change", j), 16) for j in range(2))
    assert obs.kernel_change(p0, p0) == 0.0
    assert obs.kernel_change(p0, p1) > claims.ABOVE_ROUNDOFF.value


def test_gd_limit_measurement_finds_the_w0_term():
    q = obs.gd_limit(obs.init(key_for(3, "limit-q"), 16), np.random.default_rng(2).normal(size=(3, obs.D_IN)),
                     claims.LIMIT_STEPS)
    assert max(q["limit distance"], q["split error"]) <= claims.GD_LIMIT.value
    assert q["prediction error"] <= claims.GD_LIMIT.value * q["prediction scale"]
    assert q["w0 share"] > 0.5 and q["pred"].shape == q["w0 term"].shape == (3,)


def test_loglog_slope():
    assert obs.loglog_slope(100.0, 1.0, 10.0) == pytest.approx(2.0, rel=ROUNDOFF.value)


def test_network_gd_observable_names_its_columns_as_network_gd_does():
    """lin.network_gd's output names select network_gd's own quantities (the claims select by name)."""
    key = key_for(3, "names")
    got = outputs("lin.network_gd", ("h", "f(w_T)/f(w₀)", "sup_k‖w_k − w₀‖"), steps=5)(key, 8, 3)
    want = obs.network_gd(jax.random.split(key, 3), 8, 5, 0.5)
    assert np.array_equal(got, np.stack([want["h"], want["ratio"], want["drift"]], axis=1))


def test_holds_from_is_the_start_of_the_last_run_of_successes():
    assert obs.holds_from((16, 64, 256), [False, True, True]) == 64
    assert obs.holds_from((16, 64, 256), [True, False, True]) == 256
    assert obs.holds_from((16, 64, 256), [True, True, False]) is None


def test_worst_margins_are_the_certified_margins_minimised_over_seeds():
    keys = [key_for(3, "margins", n) for n in (16, 64)]
    worst = obs.worst_margins(keys, (16, 64), "stated", 2)
    direct = [min(c.rhs(1) / c.L_cert for c in obs.certified(k, n, "stated", 2)) for k, n in zip(keys, (16, 64))]
    assert worst.tolist() == direct and 0 < worst.min() < 1
    assert obs.worst_margins(keys[:1], (16,), "corrected", 2).tolist() == [0.0]  # no certified U at n = 16


def test_small_widths_measure_through_the_padded_network():
    """bucketed pads a narrow network with zero neurons: the same outputs and kernel (to round-off), and the
    measurements draw their random directions in the width-n space (the padding moves no draw)."""
    p0 = obs.init(key_for(3, "bucket"), 8)
    wide = obs.bucketed(p0)
    assert wide.U.shape == (obs.SMALL_BUCKET, obs.D_IN) and not np.asarray(wide.v)[8:].any()
    f = obs.compiled()
    for a, b in ((f.forward(p0, X), f.forward(wide, X)), (f.ntk(p0, X), f.ntk(wide, X))):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=ROUNDOFF.value, atol=0)
    vec = obs._padded_normal(np.random.default_rng(5), 8, obs.SMALL_BUCKET)
    flat = obs.unflat(vec, wide)
    want = obs.unflat(np.random.default_rng(5).normal(size=8 * (obs.D_IN + 2) + 1), p0)
    for got, exp in zip(flat, want):
        np.testing.assert_array_equal(np.asarray(got)[:8] if np.ndim(got) else got, exp)
    assert not np.asarray(flat.U)[8:].any() and not np.asarray(flat.v)[8:].any()
    q = obs.first_order(p0, np.random.default_rng(0))
    assert max(q["jacobian error"], q["gram error"]) <= ROUNDOFF.value
    assert abs(q["taylor order"] - 2.0) <= claims.TANGENT_ORDER.value


def _one_program_stats(keys, n: int, rows: int) -> dict:
    """What the sweep computed before windows: the width-n init padded to `rows` and its certified-constant
    inputs, in one program (one per `rows`)."""
    def one(key):
        p0 = shallow.lecun_init(key, n, obs.D_IN, law("normal"), pad_to=rows)
        return {"U": p0.U, "v": p0.v, "K": shallow.ntk_matrix(p0, X, ACT), "f0": shallow.square_loss(p0, X, Y, ACT),
                "s0": jnp.linalg.norm(ACT.f(X @ p0.U.T + p0.b), axis=1), "vn": jnp.linalg.norm(p0.v),
                "vinf": jnp.max(jnp.abs(p0.v))}
    return jax.jit(jax.vmap(one))(keys)


@pytest.mark.parametrize("n", [1000, obs.SWEEP_CHUNK + 900])
def test_sweep_windows_give_the_one_program_numbers(n):
    """One window (n ≤ SWEEP_CHUNK, padded to it): the one program's numbers bit for bit. Several (a partial last
    one): its init bit for bit, its certified-constant inputs up to the order of the float sums."""
    keys = jax.random.split(key_for(3, "windows"), 2)
    whole = _one_program_stats(keys, n, max(n, obs.SWEEP_CHUNK))
    windows = obs._init_stats(keys, n, with_init=True)
    for name, value in whole.items():
        if name in ("U", "v") or n <= obs.SWEEP_CHUNK:
            np.testing.assert_array_equal(windows[name], np.asarray(value), err_msg=name)
        else:
            np.testing.assert_allclose(windows[name], np.asarray(value), rtol=ROUNDOFF.value, atol=0, err_msg=name)
