"""randnet finite-width half: the exact laws (SymPy) against independent computations, the bundle
observables against those exact laws, and checks that reject a wrong scaling."""
from __future__ import annotations

import math

import numpy as np
import pytest

from verify._jax import jax, jnp, key_for, split_keys
from verify._model import PROFILES, Context
from verify.checks import Deferred
from verify.observables._randnet_finite import NETWORK_COLUMNS
from verify.stats import Decision, Share


@pytest.fixture(scope="module")
def dr():
    from derive import randnet

    return randnet


def _ctx(claim="test-randnet-finite", seed=0):
    return Context(claim, seed, PROFILES["quick"], Share(1e-4, 1, PROFILES["quick"].looks))


# ---- exact laws -----------------------------------------------------------------------------------------

def test_factor_moments_match_gaussian_integrals(dr):
    assert all(r.holds for r in dr.check_relu_factor((1, 2, 3), 4))


def test_factor_moments_match_a_numpy_simulation_of_the_binomial_chi2(dr):
    rng = np.random.default_rng(0)
    n = 6
    B = rng.binomial(n, 0.5, 400_000)
    X = 2.0 / n * rng.chisquare(np.maximum(B, 1)) * (B > 0)
    for m in (2, 3):
        e = float(dr.relu_factor_moment(m).subs(dr.N, n))
        se = np.std(X**m) / math.sqrt(X.size)
        assert abs(np.mean(X**m) - e) < 5 * se


def test_kurtosis_product_form(dr):
    for w in ((3,), (5, 7), (4, 9, 16)):
        r = dr.check_kurtosis_product(w)
        assert r.holds, r
    assert float(dr.relu_kurtosis_product((5, 5))) == pytest.approx(3.0)  # (1 + 5/5)² − 1


def test_a_wrong_product_form_is_not_proved(dr):
    m = dr.relu_G_moments((5, 7), 2)
    wrong = (1 + 4 / 5) * (1 + 4 / 7) - 1  # a per-layer factor 1 + 4/n instead of 1 + 5/n
    assert float(m[2] / m[1] ** 2 - 1) != pytest.approx(wrong, rel=1e-3)


def test_leading_coefficients(dr):
    import sympy as sp

    P = dr.relu_leading_coefficients(4)
    assert sp.expand(P[4] - 15 * dr.L) == 0
    assert sp.Poly(P[6], dr.L).degree() == 2 and sp.Poly(P[8], dr.L).degree() == 3
    assert dr.check_leading(2, 15 * dr.L).holds
    assert not dr.check_leading(3, 1125 * dr.L**2).holds  # the source's C·L² form


def test_one_layer_cumulants_are_monomials(dr):
    for n in (4, 9, 30):
        c = dr.relu_output_cumulants((n,))
        assert float(c[4]) == pytest.approx(15 / n) and float(c[6]) == pytest.approx(660 / n**2)
        assert float(c[8]) == pytest.approx(105 * 558 / n**3)


def test_deep_linear_moments(dr):
    k = dr.linear_cumulants((4, 8, 16))
    assert float(k[0]) == 1.0
    assert float(k[1]) == pytest.approx((1 + 2 / 4) * (1 + 2 / 8) * (1 + 2 / 16) - 1)


# ---- observables against the exact laws ------------------------------------------------------------------

def test_bundle_observables_match_exact_values(dr):
    from verify.observables import _randnet_finite as obs

    widths = (12, 12)
    x = obs.bundle_sampler(lambda _: widths)(key_for(0, "rf-exact"), None, 200)  # 10000 networks
    c = {k: float(v) for k, v in dr.relu_output_cumulants(widths).items()}
    se = x.std(axis=0, ddof=1) / math.sqrt(len(x))
    for name, expected in (("E[G]/K", 1.0), ("κ₂(z)/K", 1.0), ("3κ₂(G)/K²", c[4]), ("κ₄(z)/K²", c[4]),
                           ("Var(G)/K²", c[4] / 3), ("E‖∂z₁/∂x‖² (given Σ)", 2.0), ("E‖∂z₁/∂x‖²", 2.0),
                           ("κ₃(z)/K^{3/2}", 0.0)):
        j = obs.column(name)
        assert abs(x[:, j].mean() - expected) < 5 * se[j], (name, x[:, j].mean(), expected, se[j])


def _drawn_rows(key, widths, count, sigma="relu", C_W=2.0, n_out=4):
    """network_rows' columns from drawn weight matrices (verify.models.randnet.weights) and forward-mode autodiff:
    the independent reference for the tangent Gram path."""
    from verify.models import randnet as model
    from verify.models._activations import activation
    from verify.observables import _randnet_finite as obs

    arch = model.Architecture(obs.D, tuple(widths), n_out, C_W, sigma)
    f, X = activation(sigma).f, jnp.asarray(obs.INPUTS)

    def one(k):
        ws = model.weights(k, arch)

        def at_x1(x1):
            zs = model.forward(ws, X.at[:, 0].set(x1), sigma)
            return (f(zs[-2][:, 0]), zs[-1][0, 0]), zs

        (J, grad), zs = jax.jacfwd(at_x1, has_aux=True)(X[:, 0])
        out, scale = zs[-1], C_W / widths[-1]
        S = scale * J.T @ J
        return jnp.concatenate([out[:2].ravel(), jnp.stack([
            scale * jnp.sum(f(zs[-2][:, 0]) ** 2), jnp.sum(grad**2), jnp.mean(out[:, 0] ** 2), jnp.trace(S),
            jnp.sum(S**2), jnp.sum(out[:, 0] ** 4)])])

    return np.asarray(jax.vmap(one)(jax.random.split(key, count)))


def _views(rows):
    """Every column, and two joint views a wrong cross-covariance of values and tangents would move: z₁(x₁)² against
    ‖∂z₁/∂x‖² (for ReLU z₁(x₁) = ∂z₁/∂x·x₁, so the ratio is ≤ ‖x₁‖²) and z₁(x₁)·z₁(x₂)."""
    ratio = rows[:, 0] ** 2 / np.maximum(rows[:, 7], 1e-300)
    return {**{name: rows[:, i] for i, name in enumerate(NETWORK_COLUMNS)},
            "z₁(x₁)²/‖∂z₁/∂x‖²": ratio, "z₁(x₁)z₁(x₂)": rows[:, 0] * rows[:, 1]}


LAW_SETTINGS = [("relu", w) for w in ((3,), (8,), (3, 3), (8, 8), (3, 3, 3), (8, 8, 8))] + [("tanh", (5, 5))]
LAW_NETWORKS = 3000
LAW_P = 1e-4  # per two-sample KS test: 14 views × 7 settings, so a correct sampler fails somewhere w.p. ≤ 1%


@pytest.mark.parametrize("sigma,widths", LAW_SETTINGS, ids=[f"{s}-{'x'.join(map(str, w))}" for s, w in LAW_SETTINGS])
def test_gram_path_equals_drawn_networks_in_law(sigma, widths):
    """Every column (and two joint views) of the tangent Gram path against drawn networks: two-sample KS at widths 3
    and 8, depths 1–3 (far from Gaussian: at n = 3 κ₄/K² ≈ 5 per layer), and tanh (σ' not a 0/1 mask); the Gram path
    padded. Dropping σ' (tr Σ: p = 0) or the value–tangent block of Γ (the ratio view: p < 1e-39) fails it."""
    from scipy import stats

    from verify.observables import _randnet_finite as obs

    C_W = 2.0 if sigma == "relu" else 1.5
    gram = _views(obs.network_rows(key_for(0, "rf-law", sigma, *widths), widths, LAW_NETWORKS, sigma, C_W, n_out=4,
                                   n_max=max(widths) + 3))  # padded rows must not enter the law
    drawn = _views(_drawn_rows(key_for(1, "rf-law", sigma, *widths), widths, LAW_NETWORKS, sigma, C_W))
    worst = min((stats.ks_2samp(gram[name], drawn[name]).pvalue, name) for name in gram)
    assert worst[0] > LAW_P, worst


@pytest.mark.parametrize("sigma,widths", [("relu", (3,)), ("relu", (3, 3)), ("relu", (8, 8, 8)), ("identity", (5, 5))])
def test_x1_only_path_equals_drawn_networks_in_law(sigma, widths):
    """network_rows(x1_only=True) (values at x₁, no tangents: what the shared settings checks read) against drawn
    networks, column by column (two-sample KS); the columns it does not draw are NaN."""
    from scipy import stats

    from verify.observables import _randnet_finite as obs

    C_W = 2.0 if sigma == "relu" else 1.0
    x1 = obs.network_rows(key_for(0, "rf-x1", sigma, *widths), widths, LAW_NETWORKS, sigma, C_W, n_out=4,
                          n_max=max(widths) + 3, x1_only=True)
    drawn = _drawn_rows(key_for(1, "rf-x1", sigma, *widths), widths, LAW_NETWORKS, sigma, C_W)
    kept = [NETWORK_COLUMNS.index(c) for c in obs.X1_COLUMNS]
    assert np.isnan(np.delete(x1, kept, axis=1)).all() and np.isfinite(x1[:, kept]).all()
    worst = min((stats.ks_2samp(x1[:, i], drawn[:, i]).pvalue, NETWORK_COLUMNS[i]) for i in kept)
    assert worst[0] > LAW_P, worst


def test_gram_path_padding_keeps_the_law_and_the_unpadded_columns():
    from verify.observables import _randnet_finite as obs

    a = obs.network_rows(key_for(1, "rf-pad"), (6, 6), 8)
    b = obs.network_rows(key_for(1, "rf-pad"), (6, 6), 8, n_max=6)
    np.testing.assert_allclose(a, b, rtol=1e-12)  # the same padded shape: the same draws
    c = obs.network_rows(key_for(1, "rf-pad"), (6, 6), 8, n_max=16)
    assert c.shape == a.shape and np.all(np.isfinite(c))
    assert not np.allclose(a, c)  # other rows drawn (the draws depend on the padded shape: the PAD param's reason)


@pytest.mark.parametrize("sigma,n", [("relu", 3), ("relu", 8), ("identity", 5)])
def test_first_layer_sampler_equals_the_gram_path_in_law(sigma, n):
    """randnet.first_layer_variance draws z⁽¹⁾(x₁) only: per network its G (a bundle of one network: its mean column)
    against the Gram path's G column at L = 1 (two-sample KS), padded rows outside the law."""
    from scipy import stats

    from verify.observables import _randnet_finite as obs

    C_W = 2.0 if sigma == "relu" else 1.5
    g = obs.first_layer_sampler(sigma, C_W, bundle=1, n_max=n + 5)(key_for(0, "rf-g1", sigma, n), n, LAW_NETWORKS,
                                                                   columns=(obs.G_COLUMNS.index("E[G]/K"),))
    gram = obs.network_rows(key_for(1, "rf-g1", sigma, n), (n,), LAW_NETWORKS, sigma, C_W, n_out=2)[:, 6]
    assert stats.ks_2samp(g[:, 0] * obs.infinite_width_K(sigma, C_W, 1), gram).pvalue > LAW_P


def test_first_layer_sampler_matches_the_exact_one_layer_cumulants(dr):
    from verify.observables import _randnet_finite as obs

    x = obs.first_layer_sampler(n_max=8)(key_for(0, "rf-g1-exact"), 4, 400)  # 20000 networks, n = 4
    c = {k: float(v) for k, v in dr.relu_output_cumulants((4,)).items()}
    se = x.std(axis=0, ddof=1) / math.sqrt(len(x))
    for name, expected in zip(obs.G_COLUMNS, (1.0, c[4], c[6], c[8])):
        j = obs.G_COLUMNS.index(name)
        assert abs(x[:, j].mean() - expected) < 5 * se[j], (name, x[:, j].mean(), expected, se[j])
    with pytest.raises(ValueError, match="n=9"):
        obs.first_layer_sampler(n_max=8)(key_for(0, "x"), 9, 2)


@pytest.mark.parametrize("count", range(1, 10))
def test_traced_split_is_jax_split(count):
    """The network program's per-layer keys (count traced: one program for every depth) are jax.random.split's."""
    from verify.observables._randnet_finite import _split

    key = key_for(count, "rf-split")
    got = np.asarray(jax.jit(_split, static_argnums=2)(key, count, 9))[:count]
    np.testing.assert_array_equal(got, np.asarray(jax.random.key_data(jax.random.split(key, count))))


def test_one_program_serves_every_depth_and_activation_and_keeps_their_draws():
    from verify.observables import _randnet_finite as obs

    before = obs._network_fn.cache_info().currsize
    rows = {(L, sigma): obs.network_rows(key_for(2, "rf-depth"), (6,) * L, 3, sigma, 1.5, n_max=8)
            for L in (1, 2, 3, 4) for sigma in obs.SIGMAS}
    assert obs._network_fn.cache_info().currsize - before <= 1  # depths 1…4, relu and identity: one program
    assert obs._depth_slots(4) == 4 and obs._depth_slots(5) == 8 and obs._depth_slots(8) == 8
    # rows from the shared program equal those of a program for one depth (slots = depth) and one activation
    for L, sigma in ((1, "relu"), (3, "relu"), (2, "identity")):
        own = obs._network_fn(8, L, obs.N_OUT, (sigma,))
        direct = obs.sharded_vmap(own, split_keys(key_for(2, "rf-depth"), 3), jax.device_put(obs.INPUTS),
                                  jax.device_put(np.full(L, 6.0)), jax.device_put(np.int32(L)),
                                  jax.device_put(np.int32(0)), jax.device_put(1.5), chunk=obs.CHUNK)  # network_rows'
        np.testing.assert_array_equal(rows[L, sigma], direct)


def test_host_fold_in_is_jax_fold_in():
    from verify.claims._randnet_finite import _fold_in

    key = key_for(7, "rf-fold")
    for i in (0, 1, 5, 2**31 + 3):
        np.testing.assert_array_equal(np.asarray(jax.random.key_data(_fold_in(key, i))),
                                      np.asarray(jax.random.key_data(jax.random.fold_in(key, i))))


def test_bad_inputs_are_named():
    from verify.observables import _randnet_finite as obs

    with pytest.raises(ValueError, match="n_max=4"):
        obs.network_rows(key_for(0, "x"), (6,), 2, n_max=4)
    with pytest.raises(ValueError, match="tanh"):
        obs.infinite_width_K("tanh", 1.0, 3)
    with pytest.raises(ValueError, match="unknown bundle column"):
        obs.column("κ₇")


# ---- a wrong scaling is rejected ---------------------------------------------------------------------------

def _kappa4_sweep(exponent: float) -> Deferred:
    from verify.claims import _randnet_finite as rf

    return rf._rate("κ₄ against n (test)", [(rf.G4, exponent, rf.EXPONENT_K4, f"{exponent}")], rf.WIDE,
                    rf.SWEEP_BUNDLES)


def test_kappa4_rate_passes_and_the_wrong_rate_is_rejected():
    right = _kappa4_sweep(-1.0).run(_ctx())
    wrong = _kappa4_sweep(-2.0).run(_ctx())  # κ₄ ∝ (L/n)²
    assert right.comparisons[0].decision == Decision.PASS
    assert wrong.comparisons[0].decision == Decision.FAIL


def test_kappa4_rate_is_drawn_once_for_the_claims_that_state_it():
    from verify.claims import _randnet_finite as rf

    rf._shared_sweep.cache_clear()
    ctxs = [Context(c, s, PROFILES["quick"], Share(1e-4, 1, PROFILES["quick"].looks), run_seed=3)
            for c, s in (("randnet.odd-cumulants", 11), ("randnet.cumulant-scaling", 12))]
    first, second = (rf.K4_RATE.run(ctx) for ctx in ctxs)
    drawn = len(rf._shared_sweep(tuple(rf.WIDE.quick)).memo)
    assert drawn == len(rf.WIDE.quick) * first.looks  # one entry per width and look, none added by the second claim
    assert first.comparisons[0].measured == second.comparisons[0].measured
    assert first.comparisons[0].decision == Decision.PASS
    other = rf.K4_RATE.run(Context("randnet.odd-cumulants", 11, PROFILES["quick"],
                                   Share(1e-4, 1, PROFILES["quick"].looks), run_seed=4))
    assert other.comparisons[0].measured != first.comparisons[0].measured  # another run seed: other draws


def test_wrong_depth_scaling_is_rejected():
    from verify.claims import _randnet_finite as rf

    check = rf._rate("Var(G) against L (test)", [(rf.G4, 2.0, rf.DEPTH_SLOPE, "(L/n)²")], rf.DEPTHS, rf.SWEEP_BUNDLES,
                     depth_at=rf.DEPTH_WIDTH)
    assert check.run(_ctx()).comparisons[0].decision == Decision.FAIL


def test_stated_gradient_claim_fails_on_its_width_sweep():
    from verify.claims import _randnet_finite as rf

    (sweep,) = rf.INPUT_GRADIENT.checks  # it reads the run's shared L = 1 sweep: its keys need the run seed
    ctx = Context("test-randnet-finite", 0, PROFILES["quick"], Share(1e-4, 1, PROFILES["quick"].looks), run_seed=0)
    assert sweep.run(ctx).comparisons[0].decision == Decision.FAIL


def test_catalogue_entries():
    from verify.claims import _randnet_finite as rf

    ids = [c.id for c in rf.CLAIMS]
    assert {"randnet.odd-cumulants", "randnet.cumulant-scaling", "randnet.neuron-correlation", "randnet.input-gradient",
            "randnet.depth-to-width", "randnet.deep-linear"} <= set(ids)
    assert all(c.corrects in ids for c in rf.CLAIMS if c.corrects)


def test_observable_is_registered_for_claim_files():
    from verify.observables import randnet  # noqa: F401  (registers the group)
    from verify.observables._base import get

    obs = get("randnet.finite_width")
    sample = obs.sampler(depth=1)
    x = sample(key_for(3, "rf-obs"), 8, 2)
    assert x.shape == (2, len(obs.outputs)) and np.all(np.isfinite(x))
    with pytest.raises(ValueError, match="sigma"):
        obs.sampler(sigma="sin")


def test_symbolic_rates_for_every_depth():
    from verify.claims import _randnet_finite as rf

    assert all(c.decision == Decision.PASS for c in rf._vanishing_orders(_ctx()))
