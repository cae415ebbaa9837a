"""randnet finite-width half: the exact laws (SymPy) against independent computations, the bundle
observables against those exact laws, and checks that reject a wrong scaling."""
from __future__ import annotations

import math

import numpy as np
import pytest

from verify._jax import key_for
from verify._model import PROFILES, Context
from verify.checks import Deferred
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


def test_scan_padding_does_not_change_the_draws():
    from verify.observables import _randnet_finite as obs

    a = obs.network_rows(key_for(1, "rf-pad"), (6, 6), 8)
    b = obs.network_rows(key_for(1, "rf-pad"), (6, 6), 8, n_max=6)
    np.testing.assert_allclose(a, b, rtol=1e-12)


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


def test_wrong_depth_scaling_is_rejected():
    from verify.claims import _randnet_finite as rf

    check = rf._rate("Var(G) against L (test)", [(rf.G4, 2.0, rf.DEPTH_SLOPE, "(L/n)²")], rf.DEPTHS, rf.SWEEP_BUNDLES,
                     depth_at=rf.DEPTH_WIDTH)
    assert check.run(_ctx()).comparisons[0].decision == Decision.FAIL


def test_stated_gradient_claim_fails_on_its_width_sweep():
    from verify.claims import _randnet_finite as rf

    (sweep,) = rf.INPUT_GRADIENT.checks
    assert sweep.run(_ctx()).comparisons[0].decision == Decision.FAIL


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
