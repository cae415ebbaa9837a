"""chizat: the diffrax flows against a closed form, the antisymmetric init, the paired slope check (true and
wrong exponents), reproducibility from the seed, and a claim file on the registered observable."""
from __future__ import annotations

import dataclasses
import functools
import textwrap

import numpy as np
import pytest
from scipy import linalg

from verify._jax import jax, jnp, key_for
from verify._model import PROFILES, Context, PerProfile
from verify.checks import PairedScalingLaw, Series, outputs
from verify.models import chizat as model
from verify.observables import chizat as obs
from verify.stats import Share
from verify.tolerances import ROUNDOFF, Tol

QUICK = PROFILES["quick"]
FLOW_VS_CLOSED_FORM = Tol(1e-8, "absolute, on a displacement u(t) of size ≤ 1.5: Dopri8 at rtol 1e-10 / atol 1e-12 per "
                                "step accumulates 1.6e-9 over t ≤ 16 (measured, every α); a wrong sign or a missing "
                                "1/α is O(1)")


def _ctx(claim_id="t.chizat", seed=0):
    return Context(claim_id, seed, QUICK, Share(1e-4, 1, QUICK.looks), run_seed=seed)


# ---- the solver against the closed-form flow of a linear h ---------------------------------------------

def _linear_problem(p=6, n=3, seed=1):
    rng = np.random.default_rng(seed)
    A, w0, y = rng.standard_normal((n, p)), rng.standard_normal(p), rng.standard_normal(n)
    return A, w0, y, (lambda w: jnp.asarray(A) @ (w - jnp.asarray(w0)))


@functools.lru_cache(maxsize=None)
def _linear_solve():
    """α ↦ (u(ts), ū(ts), ok) for the linear problem: one compilation for every α (α is traced)."""
    A, w0, y, h = _linear_problem()
    ts = jnp.linspace(0.0, 16.0, 33)
    return jax.jit(lambda a: model.solve(h, jnp.asarray(y), jnp.asarray(w0), a, ts))


def _closed_form_u(A, y, t):
    """u = α(w − w₀) solves u̇ = −Aᵀ(Au − y*), u(0) = 0: u(t) = ∫₀ᵗ e^{−AᵀA s} ds Aᵀy*, the top-right
    block of exp(t·[[−AᵀA, Aᵀy*], [0, 0]]) (Van Loan), independent of α."""
    p = A.shape[1]
    M = np.zeros((p + 1, p + 1))
    M[:p, :p], M[:p, p] = -A.T @ A, A.T @ y
    return np.stack([linalg.expm(s * M)[:p, p] for s in t])


@pytest.mark.parametrize("alpha", [0.5, 10.0, 1000.0])
def test_flow_of_a_linear_model_is_the_matrix_exponential(alpha):
    """For h linear the flow of F_α is ẇ = −(1/α)Aᵀ(αA(w − w₀) − y*): w(t) = w₀ + u(t)/α with u the closed form;
    both flows coincide (h̄ = h)."""
    A, w0, y, _ = _linear_problem()
    ts = np.linspace(0.0, 16.0, 33)
    u, ubar, ok = _linear_solve()(alpha)
    assert bool(ok)
    exact = _closed_form_u(A, y, ts)
    assert np.max(np.abs(np.asarray(u) - exact)) <= FLOW_VS_CLOSED_FORM.value
    assert np.max(np.abs(np.asarray(ubar) - exact)) <= FLOW_VS_CLOSED_FORM.value
    w = w0 + np.asarray(u) / alpha  # the flow in w itself: drift exactly ‖u(t)‖/α, gap 0
    assert np.max(np.abs(w - (w0 + exact / alpha))) <= FLOW_VS_CLOSED_FORM.value / alpha


def test_closed_form_solves_the_ode():
    """The Van Loan closed form itself, against its ODE by a centred difference (independent of diffrax)."""
    A, _, y, _ = _linear_problem()
    t, dt = 1.3, 1e-5
    u = _closed_form_u(A, y, [t - dt, t, t + dt])
    assert np.allclose((u[2] - u[0]) / (2 * dt), -A.T @ (A @ u[1] - y), atol=1e-8)


# ---- the model ----------------------------------------------------------------------------------------------

def test_antisymmetric_init_is_zero_and_odd_under_the_involution():
    x, _ = model.data()
    f = model.network(x, model.WIDTH)
    w0 = model.init(key_for(0, "t"), kind="antisymmetric")
    assert np.max(np.abs(np.asarray(f(w0)))) <= ROUNDOFF.value
    m, half = model.WIDTH, model.WIDTH // 2
    w = np.asarray(w0) + 0.3 * np.random.default_rng(2).standard_normal(w0.shape)
    a, b = w[:m], w[m:].reshape(m, -1)
    sw = np.concatenate([-np.r_[a[half:], a[:half]], np.r_[b[half:], b[:half]].ravel()])  # S(a,a',b,b') = (−a',−a,b',b)
    assert np.allclose(np.asarray(f(jnp.asarray(sw))), -np.asarray(f(jnp.asarray(w))), atol=ROUNDOFF.value)
    # hence D²h(w₀)[v, v] = 0 along v = Dh(w₀)ᵀc: why the output gap is O(1/α²) on this net
    j0 = jax.jacfwd(f)(w0)
    v = j0.T @ jnp.asarray([1.0, -0.5, 0.3, 2.0])
    second = jax.jvp(lambda s: jax.jvp(f, (w0 + s * v,), (v,))[1], (0.0,), (1.0,))[1]
    assert np.max(np.abs(np.asarray(second))) <= ROUNDOFF.value
    centred = model.init(key_for(0, "t"), kind="centred")
    second_c = jax.jvp(lambda s: jax.jvp(f, (centred + s * v,), (v,))[1], (0.0,), (1.0,))[1]
    assert np.max(np.abs(np.asarray(second_c))) > 1e-3  # the generic net has a curvature along the flow


def test_bad_inputs_name_the_value():
    with pytest.raises(ValueError, match="width m=33 must be even"):
        model.init(key_for(0), 33, kind="antisymmetric")
    with pytest.raises(ValueError, match="init kind='doubled' is not one of"):
        obs.trajectories(key_for(0), 2, (10.0,), 4.0, "doubled")
    with pytest.raises(ValueError, match="horizon T=-1.0 must be a positive number"):
        obs.trajectories(key_for(0), 2, (10.0,), -1.0)
    with pytest.raises(ValueError, match=r"horizons \(2.5,\) must be saved times"):
        model.running_sup(np.zeros((5, 3)), np.linspace(0, 4, 5), (2.5,))


# ---- reproducibility ---------------------------------------------------------------------------------------

def test_sup_gaps_are_reproducible_from_the_seed():
    from verify.claims.chizat import HORIZONS, SOLVED

    a = obs.sup_gaps(key_for(3, "chizat"), 4, SOLVED, HORIZONS, "centred")
    b = obs.sup_gaps(key_for(3, "chizat"), 4, SOLVED, HORIZONS, "centred")
    c = obs.sup_gaps(key_for(4, "chizat"), 4, SOLVED, HORIZONS, "centred")
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


# ---- the paired slope check: true exponents pass, wrong ones fail ----------------------------------------

def _toy(p, xs=(10, 32, 100, 316, 1000)):
    def sample(key, _, count, max_width=None):
        rng = np.random.default_rng(int(jax.random.randint(key, (), 0, 2**31 - 1)))
        c = rng.lognormal(0.0, 0.5, (count, 1))  # the init's constant
        x = np.asarray(xs, dtype=np.float64)
        return c * x ** p * (1.0 + 2.0 / x)  # a finite-x correction, as the flows have

    return sample


@pytest.mark.parametrize("claimed, bound, verdict", [
    (-2.0, False, "PASS"), (-2.0, True, "PASS"), (-3.0, False, "FAIL"), (-3.0, True, "FAIL"),
    (-1.0, True, "PASS"),  # O(1/x) is true of a 1/x² decay: a bound, not a rate
    (-1.0, False, "FAIL"),
])
def test_paired_scaling_law_on_a_toy(claimed, bound, verdict):
    check = PairedScalingLaw("toy", _toy(-2.0), (Series("c·x^-2", claimed, 0.1),), (10, 32, 100, 316, 1000),
                             PerProfile(40, 80, 160), variable="x", bound=bound)
    assert check.run(_ctx()).verdict.value == verdict


def test_paired_scaling_law_rejects_bad_grids():
    with pytest.raises(ValueError, match="at least 3 distinct positive"):
        PairedScalingLaw("toy", _toy(-1.0), (Series("s", -1.0, 0.1),), (10, 10, 100), PerProfile(40, 80, 160))


def test_wrong_exponent_for_the_parameter_gap_is_rejected():
    """O(1/α³) for sup‖w_α − w̄_α‖ (truly α^-2): FAIL with the measured slope as evidence, as a bound and as a rate."""
    from verify.claims.chizat import CLAIMS

    claim = next(c for c in CLAIMS if c.id == "chizat.parameter-gap")
    for check in claim.checks[:2]:
        wrong = dataclasses.replace(check, series=tuple(dataclasses.replace(s, expected=-3.0) for s in check.series))
        result = wrong.run(_ctx(claim.id))
        assert result.verdict.value == "FAIL"
        for comp in result.comparisons:
            assert comp.decision.value == "FAIL"
            assert abs(comp.measured + 2.0) < 0.05  # the evidence: the slope is −2


def test_chizat_claims_pass_on_their_own_checks():
    """The registered claims at the quick profile, seed 0 (also the report's numbers)."""
    from verify.claims.chizat import CLAIMS
    from verify.runner import run_claim

    for claim in CLAIMS:
        r = run_claim(claim, QUICK, 0)
        assert r["verdict"] == "PASS", (claim.id, r["summary"])
        assert {"monte_carlo", "numeric"} <= set(r["views"])


def _numbers(result: dict) -> list:
    """A claim result without its timings: verdicts, decisions, measured values, intervals, bands, figures."""
    return [{k: v for k, v in check.items() if k != "time_s"} for check in result["checks"]]


def test_a_claim_alone_draws_the_numbers_it_draws_after_the_others():
    """The claims share one solve per look (keys named by the group, memoised): a claim run alone (a fresh memo)
    must give bit for bit what it gives after another claim filled the memo, and the second claim must read it."""
    from verify.claims.chizat import CLAIMS
    from verify.runner import run_claim

    first, second = CLAIMS[0], CLAIMS[2]
    obs.SOLVED.clear()
    alone = run_claim(second, QUICK, 1)
    obs.SOLVED.clear()
    run_claim(first, QUICK, 1)
    solved = set(obs.SOLVED)
    after = run_claim(second, QUICK, 1)
    assert solved and set(obs.SOLVED) == solved, "the second claim solved flows of its own"
    assert alone["verdict"] == after["verdict"] == "PASS"
    assert _numbers(alone) == _numbers(after)


def test_a_shared_key_needs_the_run_seed():
    with pytest.raises(ValueError, match="run_seed"):
        Context("t.chizat", 0, QUICK, None).key("x", scope="chizat")


# ---- a claim file on the registered observable -------------------------------------------------------------

CLAIM_FILE = """
[[claim]]
id = "user.chizat-parameter-gap"
kind = "scaling"
statement = "sup_(t≤4) ‖w_α − w̄_α‖ ∝ α^{exponent} for the antisymmetric two-layer net"
observable = "chizat.sup_gaps"
params = {{ T = 4.0, width = 32, init = "antisymmetric" }}
column = "sup‖w_α − w̄_α‖"
exponent = "{exponent}"
widths = [10, 100, 1000]
replicates = 80
"""


@pytest.mark.parametrize("exponent, verdict", [("-2", "PASS"), ("-3", "FAIL")])
def test_claim_file_on_the_sup_gaps_observable(tmp_path, exponent, verdict):
    from verify.claimfile import load_strict
    from verify.runner import run_claim

    path = tmp_path / "c.toml"
    path.write_text(textwrap.dedent(CLAIM_FILE.format(exponent=exponent)), encoding="utf-8")
    (claim,) = load_strict(path)
    assert run_claim(claim, QUICK, 0)["verdict"] == verdict



@pytest.mark.slow  # a diffrax compilation at six α up to T = 16
def test_the_paired_observable_names_its_columns_by_gap_horizon_and_alpha():
    a = obs.sup_gaps(key_for(5, "paired"), 2, obs.PAIRED_ALPHAS, obs.PAIRED_HORIZONS, "centred", 4)
    for q, T, alpha in ((0, 16.0, 1), (1, 1.0, 316), (2, 4.0, 1000)):
        col = outputs("chizat.sup_gaps_paired", (obs.paired_output(q, T, alpha),), init="centred", width=4)
        got = col(key_for(5, "paired"), None, 2)[:, 0]
        assert np.array_equal(got, a[:, q, obs.PAIRED_HORIZONS.index(T), obs.PAIRED_ALPHAS.index(alpha)])
