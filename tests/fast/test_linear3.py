"""The linear network of seed 003 §3: SymPy gradients, the JAX model against autodiff, the structured
one-step observables against materialised matrices, the samplers' shapes and seeding."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from derive import linear3 as d
from numeric import linear3 as numeric
from verify._jax import jax, jnp, key_for
from verify.models import linear3 as model
from verify.observables import linear3 as obs
from verify.tolerances import ROUNDOFF


def test_sympy_gradients_equal_the_stated_blocks():
    for m in (1, 2, 3):
        results = d.check_gradients(m)
        assert [r.name.split("[")[1].split("]")[0] for r in results] == list(d.BLOCKS)
        assert all(r.holds for r in results), results


def test_sympy_rejects_a_wrong_gradient():
    def wrong(beta, A, u, m):  # ∇_u with A instead of Aᵀ
        stated = d.stated_gradients(m)
        stated["u"] = stated["beta"]  # Au: the right shape, the wrong entries
        return stated

    results = {r.name.split("[")[1].split("]")[0]: r for r in d.check_gradients(3, stated=wrong)}
    assert results["beta"].holds and results["A"].holds and not results["u"].holds


def test_sympy_rank_one_steps_hold():
    for m in (2, 3):
        results = d.check_rank_one(m)
        assert len(results) == 4 and all(r.holds for r in results), results


def test_chi2_clt_distance_shrinks_at_the_berry_esseen_rate():
    dist, slope = numeric.chi2_clt((16, 64, 256, 1024, 4096))
    assert dist[4096] < 0.005 < 0.02 < dist[16], dist  # the check's 0.01 at m = 4096 can fail at small m
    assert -0.55 < slope < -0.45


def test_rank_one_svd_norm_is_the_product_of_norms():
    rng = np.random.default_rng(3)
    assert max(numeric.rank_one_error(rng, m) for m in (1, 5, 64)) < ROUNDOFF.value


def test_autodiff_matches_the_stated_gradients_and_catches_a_wrong_one(monkeypatch):
    alpha, err = numeric.gradient_error(np.random.default_rng(0), 4)
    assert 0.0 <= alpha < 1.5 and err < ROUNDOFF.value
    stated = d.stated_gradients_numeric

    def transposed(beta, A, u, x, alpha):  # ∇_u with A instead of Aᵀ
        return {**stated(beta, A, u, x, alpha), "u": stated(beta, A.T, u, x, alpha)["u"]}

    monkeypatch.setattr(numeric.derive, "stated_gradients_numeric", transposed)
    assert numeric.gradient_error(np.random.default_rng(0), 4)[1] > 0.1


def test_symbols_reject_a_bad_width():
    with pytest.raises(ValueError, match="positive int"):
        d.symbols(0)


def _params(rng, m):
    return model.Params(jnp.asarray(rng.normal(size=m)), jnp.asarray(rng.normal(size=(m, m))),
                        jnp.asarray(rng.normal(size=m)))


@settings(max_examples=8, deadline=None)  # each new m compiles: keep the count small
@given(m=st.integers(1, 9), seed=st.integers(0, 2**31 - 1), alpha=st.floats(0.0, 1.5))
def test_stated_gradients_equal_autodiff(m, seed, alpha):
    rng = np.random.default_rng(seed)
    p, x = _params(rng, m), float(rng.normal())
    auto = jax.grad(model.forward)(p, x, alpha)
    mine = model.gradients(p, x, alpha)
    stated = d.stated_gradients_numeric(*(np.asarray(a) for a in p), x, alpha)
    for name, a, b in zip(d.BLOCKS, auto, mine):
        scale = max(float(np.max(np.abs(np.asarray(a)))), 1e-300)
        assert float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) <= ROUNDOFF.value * scale
        assert float(np.max(np.abs(np.asarray(a) - stated[name]))) <= ROUNDOFF.value * scale


def _direct(p, alpha):
    """Every sweep output from materialised matrices and model.gd_step (the slow, obvious way)."""
    m, x = p.beta.shape[0], model.X_INPUT
    a = 2 * alpha - 1
    phi0 = model.forward(p, x, alpha)
    g0 = model.gradients(p, x, alpha)
    p1 = model.gd_step(p, x, alpha, a)
    g1 = model.gradients(p1, x, alpha)
    phi1 = model.forward(p1, x, alpha)
    d_ = jax.tree_util.tree_map(jnp.subtract, p1, p)
    gnorm2 = sum(float(jnp.vdot(g, g)) for g in g0)
    dtheta_dot = sum(float(jnp.vdot(u, v)) for u, v in zip(d_, g0))
    A_op = float(np.linalg.norm(np.asarray(p.A), 2))
    dA_op = float(np.linalg.norm(np.asarray(d_.A), 2))
    return {
        "‖u⁰‖²": float(p.u @ p.u), "‖x₂‖² (γ=1/2)": float(jnp.sum((p.A @ p.u / jnp.sqrt(m) * x) ** 2)),
        "Φ(θ⁰,x)²": float(phi0**2), "‖∇_βΦ‖": float(jnp.linalg.norm(g0.beta)),
        "‖∇_uΦ‖": float(jnp.linalg.norm(g0.u)), "‖∇_AΦ‖_F": float(jnp.linalg.norm(g0.A)),
        "|ΔF|": abs(float(model.loss(phi1) - model.loss(phi0))),
        "η‖∇_θF‖²": float(m**a * model.dloss(phi0) ** 2 * gnorm2),
        "‖Δu‖/‖u⁰‖": float(jnp.linalg.norm(d_.u) / jnp.linalg.norm(p.u)),
        "‖Δβ‖/‖β⁰‖": float(jnp.linalg.norm(d_.beta) / jnp.linalg.norm(p.beta)),
        "‖ΔA‖_F/‖A⁰‖_F": float(jnp.linalg.norm(d_.A) / jnp.linalg.norm(p.A)),
        "median_i |ΔAᵢᵢ|/|A⁰ᵢᵢ|": float(np.median(np.abs(np.diag(np.asarray(d_.A))) / np.abs(np.diag(np.asarray(p.A))))),
        "‖ΔA‖_op/‖A⁰‖_op": dA_op / A_op, "‖A⁰‖_op": A_op,
        "‖β⁰(u⁰)ᵀ‖_op": float(np.linalg.norm(np.outer(p.beta, p.u), 2)),
        "‖Δ∇_βΦ‖": float(jnp.linalg.norm(g1.beta - g0.beta)), "‖Δ∇_uΦ‖": float(jnp.linalg.norm(g1.u - g0.u)),
        "‖Δ∇_AΦ‖_F": float(jnp.linalg.norm(g1.A - g0.A)),
        "‖Δ∇_uΦ‖/‖∇_uΦ‖": float(jnp.linalg.norm(g1.u - g0.u) / jnp.linalg.norm(g0.u)),
        "|ΔF − ⟨Δθ,∇_θF(θ⁰)⟩|": abs(float(model.loss(phi1) - model.loss(phi0)) - float(model.dloss(phi0)) * dtheta_dot),
        "|ΔΦ − ⟨Δθ,∇_θΦ(θ⁰)⟩|": abs(float(phi1 - phi0) - dtheta_dot),
        "η‖∇_θΦ‖²": float(m**a * gnorm2), "E[|F'(Φ⁰)| | A⁰,u⁰]": _conditional_abs_fprime(p, alpha),
        "‖Δ∇_βΦ‖/|F'(Φ⁰)|": float(jnp.linalg.norm(g1.beta - g0.beta)) / abs(float(model.dloss(phi0))),
        "‖Δ∇_uΦ‖/|F'(Φ⁰)|": float(jnp.linalg.norm(g1.u - g0.u)) / abs(float(model.dloss(phi0))),
        "‖Δ∇_AΦ‖_F/|F'(Φ⁰)|": float(jnp.linalg.norm(g1.A - g0.A)) / abs(float(model.dloss(phi0))),
    }


def _conditional_abs_fprime(p, alpha):
    """E|Φ⁰ − y| over β⁰ given A⁰, u⁰, by quadrature (scipy) of the Gaussian law of Φ⁰."""
    from scipy import integrate, stats

    m = p.beta.shape[0]
    sig = float(m ** (-alpha - 0.5) * model.X_INPUT * jnp.linalg.norm(p.A @ p.u))
    f = lambda t: abs(sig * t - model.Y_TARGET) * stats.norm.pdf(t)
    return integrate.quad(f, -12, 12, points=[model.Y_TARGET / sig], epsabs=1e-13, epsrel=1e-12)[0]


OP_ROUGH = 0.03  # power iteration (24 steps) vs SVD at m = 24: a width-independent few-% deficit at most


@pytest.mark.parametrize("m", [5, 24])
def test_structured_sweep_equals_direct_computation(m):
    key = key_for(7, "linear3-test", m)
    alphas = (0.25, 0.5, 0.75, 0.875, 1.0)
    out = obs._sweep_fn(m, len(alphas))(key, jnp.asarray(alphas), obs.OP_ITERATIONS)
    p = model.init(jax.random.split(key)[0], m)
    for k, alpha in enumerate(alphas):
        want = _direct(p, alpha)
        for j, name in enumerate(obs.SWEEP_OUTPUTS):
            got = float(out[k, j])
            if name in obs.OP_COLUMNS:
                assert got == pytest.approx(want[name], rel=OP_ROUGH), (alpha, name)
                assert got <= want[name] * (1 + ROUNDOFF.value) if name == "‖A⁰‖_op" else True  # a lower estimate
            else:
                tol = 1e-9 if name.startswith("|Δ") and "−" in name else 1e-10  # differences of O(1) terms
                assert got == pytest.approx(want[name], rel=tol, abs=tol), (alpha, name, got, want[name])


LAW_P_MIN = 1e-4  # per column of a two-sample KS test; 110 columns (strongly correlated): a family-wise ~1% at most


@pytest.mark.parametrize("m", [5, 24])
def test_exact_law_matches_drawn_networks(m):
    """linear3.one_step_law draws the one-step outputs from their exact joint law (six χ², two normals); every column
    must have the law of the same column on materialised networks (_sweep_fn): a wrong degree of freedom, a dropped
    cross term or a swapped side shifts a column's law by many KS standard errors at 3000 networks each."""
    from scipy import stats

    count = 3000
    law = obs.law_sampler(obs.ONE_STEP_ALPHAS, 32)(key_for(1, "law", m), m, count)
    drawn = obs.sweep_sampler(obs.ONE_STEP_ALPHAS)(key_for(2, "law", m), m, count)
    k, kl = len(obs.SWEEP_OUTPUTS), len(obs.LAW_OUTPUTS)
    worst = min((stats.ks_2samp(law[:, i * kl + j], drawn[:, i * k + obs.SWEEP_OUTPUTS.index(o)]).pvalue, a, o)
                for i, a in enumerate(obs.ONE_STEP_ALPHAS) for j, o in enumerate(obs.LAW_OUTPUTS))
    assert worst[0] > LAW_P_MIN, f"m={m}: the exact law and drawn networks differ at α={worst[1]}, {worst[2]} " \
                                 f"(KS p = {worst[0]:.2g})"


EXACT_OP_ITERATIONS = 600  # power iterations on the drawn A⁰ (m ≤ 24): converged far below a KS test's resolution


def _drawn(m, count, key):
    """linear3.one_step's columns on `count` materialised networks, ‖A⁰‖_op converged (the reference of the laws)."""
    from verify._jax import sharded_vmap, split_keys

    out = sharded_vmap(obs._sweep_fn(m, len(obs.ONE_STEP_ALPHAS)), split_keys(key, count),
                       jnp.asarray(obs.ONE_STEP_ALPHAS), jnp.asarray(EXACT_OP_ITERATIONS), chunk=256)
    return np.asarray(out)  # (count, α, SWEEP_OUTPUTS)


def _worst_p(law, drawn, outputs):
    """The smallest two-sample KS p-value over (α, output) of a law's columns (α-major) against the drawn ones."""
    from scipy import stats

    k = len(outputs)
    return min((stats.ks_2samp(law[:, i * k + j], drawn[:, i, obs.SWEEP_OUTPUTS.index(o)]).pvalue, a, o)
               for i, a in enumerate(obs.ONE_STEP_ALPHAS) for j, o in enumerate(outputs))


@pytest.fixture
def fresh_laws():
    """Rebuild the cached law programs around a test that patches what they call."""
    def clear():
        for fn in (obs._law_fn,):
            fn.cache_clear()

    clear()
    yield
    clear()


@pytest.mark.parametrize("m", [5, 24])
def test_op_and_diag_laws_match_drawn_networks(m, fresh_laws):
    """linear3.one_step_op (Golub–Kahan: 2m χ², the exact σ_max) and linear3.one_step_diag (β⁰, u⁰, diag A⁰ and
    β⁰ᵀA⁰u⁰ given them) against materialised networks: each column's law at 3000 networks each."""
    count = 3000
    drawn = _drawn(m, count, key_for(2, "op-law", m))
    for sampler, outputs in ((obs.op_sampler, obs.OP_COLUMNS), (obs.diag_sampler, (obs.MEDIAN_COLUMN,))):
        law = sampler(obs.ONE_STEP_ALPHAS, 32)(key_for(1, "op-law", m), m, count)
        worst = _worst_p(law, drawn, outputs)
        assert worst[0] > LAW_P_MIN, f"m={m}: law and drawn networks differ at α={worst[1]}, {worst[2]} " \
                                     f"(KS p = {worst[0]:.2g})"


def test_op_law_fails_with_a_wrong_degree_of_freedom(monkeypatch, fresh_laws):
    """The KS test above sees one extra degree of freedom in each χ of the bidiagonal form."""
    chi = obs._host_chi_squares
    monkeypatch.setattr(obs, "_host_chi_squares", lambda rng, df: chi(rng, np.where(df > 0, df + 1.0, 0.0)))
    m, count = 5, 3000
    law = obs.op_sampler(obs.ONE_STEP_ALPHAS, 32)(key_for(1, "op-law", m), m, count)
    assert _worst_p(law, _drawn(m, count, key_for(2, "op-law", m)), obs.OP_COLUMNS)[0] < LAW_P_MIN


CHI2_P_MIN = 1e-4  # per df of a one-sample KS test at 20000 draws


def test_chi_squares_are_exact_and_a_wrong_df_fails():
    from scipy import stats

    dfs = np.array([1.0, 2.0, 3.0, 7.5, 400.0, 250000.0])
    draws = obs._host_chi_squares(np.random.default_rng(4), np.tile(np.r_[dfs, 0.0, -3.0], (20000, 1)))
    assert not draws[:, -2:].any(), "χ²(0) and a df ≤ 0 (past the width) must draw 0"
    p = [stats.kstest(draws[:, j], stats.chi2(df).cdf).pvalue for j, df in enumerate(dfs)]
    assert min(p) > CHI2_P_MIN, dict(zip(dfs, p))
    assert max(stats.kstest(draws[:, j], stats.chi2(df + 1).cdf).pvalue for j, df in enumerate(dfs[:4])) < CHI2_P_MIN


def test_exact_law_refuses_small_and_overpadded_widths():
    sample = obs.law_sampler((0.5,) * len(obs.ONE_STEP_ALPHAS), 8)
    with pytest.raises(ValueError, match="m ≥ 3"):
        sample(key_for(0, "x"), 2, 4)
    with pytest.raises(ValueError, match="exceeds the padding M=8"):
        sample(key_for(0, "x"), 9, 4)


def test_sweep_sampler_shapes_seeding_and_chunking():
    sample = obs.sweep_sampler((0.5, 1.0))
    a = sample(key_for(1, "x"), 8, 5)
    b = sample(key_for(1, "x"), 8, 5)
    assert a.shape == (5, 2 * len(obs.SWEEP_OUTPUTS))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, sample(key_for(2, "x"), 8, 5))
    col = obs.sweep_column((0.5, 1.0), 1.0, "‖Δu‖/‖u⁰‖")
    assert col == len(obs.SWEEP_OUTPUTS) + obs.SWEEP_OUTPUTS.index("‖Δu‖/‖u⁰‖")
    assert np.all(np.isnan(a[:, obs.sweep_column((0.5, 1.0), 0.5, "‖A⁰‖_op")]))  # only computed when asked


def test_row_sampler_padding_is_exact_and_errors_name_the_width():
    s = obs.row_sampler(32)
    out = s(key_for(3, "row"), 16, 400)
    assert out.shape == (400, len(obs.ROW_OUTPUTS))
    assert np.all(out[:, 0] > 0)
    # the padded entries are zero, so ‖u⁰‖² is a χ²(16): mean 16 within 6 s.e.
    assert abs(out[:, 0].mean() - 16) < 6 * np.sqrt(32 / 400)
    with pytest.raises(ValueError, match="exceeds the padding M=32"):
        s(key_for(3, "row"), 64, 4)


@pytest.mark.parametrize("m", [5, 24])
def test_exact_init_law_matches_drawn_rows(m):
    """linear3.init_exact (three χ²(m), three normals on the host) against row_sampler's drawn u⁰, rows of A⁰ and β⁰:
    every column's law at 4000 networks each (two-sample KS)."""
    from scipy import stats

    count = 4000
    exact = obs.exact_row_sampler()(key_for(1, "init-law", m), m, count)
    drawn = obs.row_sampler(32)(key_for(2, "init-law", m), m, count)
    p = {o: stats.ks_2samp(exact[:, j], drawn[:, j]).pvalue for j, o in enumerate(obs.ROW_OUTPUTS)}
    assert min(p.values()) > LAW_P_MIN, f"m={m}: {p}"


def test_exact_init_law_test_sees_a_width_off_by_one():
    """The KS test above resolves χ²(6) against χ²(5) (‖u⁰‖², the hidden norm's χ² …) at its 4000 networks."""
    from scipy import stats

    m, count = 5, 4000
    wrong = obs.exact_row_sampler()(key_for(1, "init-law", m + 1), m + 1, count)
    drawn = obs.row_sampler(32)(key_for(2, "init-law", m), m, count)
    assert stats.ks_2samp(wrong[:, 0], drawn[:, 0]).pvalue < LAW_P_MIN
    with pytest.raises(ValueError, match="width m=0"):
        obs.exact_row_sampler()(key_for(0, "x"), 0, 4)


def test_observables_are_registered():
    from verify.observables import REGISTRY

    assert {"linear3.one_step", "linear3.init_laws", "linear3.init_exact"} <= set(REGISTRY)
    sample = REGISTRY["linear3.init_laws"].sampler()
    assert sample(key_for(0, "r"), 8, 3).shape == (3, len(obs.ROW_OUTPUTS))


def test_linear3_claims_deterministic_checks_pass():
    """The symbolic and numeric checks of every linear3 claim (no Monte Carlo: cheap)."""
    from verify._model import Context, PROFILES, View
    from verify.claims import catalogue
    from verify.stats import Share

    claims = [c for c in catalogue().values() if c.group == "linear3"]
    assert len(claims) == 19
    verdicts = {}
    for claim in claims:
        for check in claim.checks:
            if check.view in (View.SYMBOLIC, View.NUMERIC, View.CLOSED_FORM):
                ctx = Context(claim.id, 0, PROFILES["quick"], Share(1e-4, 1, 3))
                verdicts[(claim.id, check.name)] = check.run(ctx).verdict.value
    failing = {k for k, v in verdicts.items() if v != "PASS"}
    # exactly the two claims wrong as written fail symbolically; their companions pass
    assert {k[0] for k in failing} == {"linear3.gradient-change", "linear3.lazy-linear-model"}, failing


# ---- T GD steps: lazy against feature learning ------------------------------------------------------------------

def _flat(p):
    return jnp.concatenate([p.beta, p.A.ravel(), p.u])


@pytest.mark.parametrize("m,alpha,steps", [(6, 0.75, 3), (13, 1.0, 5)])
def test_low_rank_trajectory_equals_materialised_gd(m, alpha, steps):
    """The sampler's rank-one bookkeeping (never an m×m update) against plain GD on materialised θ; A⁰ is the lazy
    matrix with a drawn A⁰ supplying its unseen parts (tests/fast/test_lazy_gaussian.py: then its products are A⁰'s)."""
    from verify.models import _lazy_gaussian as lazy_gaussian

    key, scale = key_for(11, "traj", m), 0.25
    p0, a = model.init(key, m), 2 * alpha - 1
    source = lazy_gaussian.materialised(p0.A)  # the lazy A⁰'s unseen parts read from p0.A: the products are p0.A's
    state, got = obs.trajectory_outputs(p0.beta, p0.u, lazy_gaussian.init(key, m, m, obs.trajectory_capacity(1, steps)),
                                        m, jnp.asarray([alpha]), scale, steps, source)
    got = np.asarray(got.at[:, obs._DRIFT_A].divide(jnp.sqrt(lazy_gaussian.frobenius_sq(state, source))))[0]
    pT, phis = model.gd_trajectory(p0, model.X_INPUT, alpha, a, steps, scale)
    g0 = _flat(model.gradients(p0, model.X_INPUT, alpha))
    d = _flat(pT) - _flat(p0)
    # the linear model trained by GD, by brute force on θ̄ (not the scalar recursion under test)
    theta_bar, lin = _flat(p0), [float(phis[0])]
    for _ in range(steps):
        theta_bar = theta_bar - scale * m**a * model.dloss(lin[-1]) * g0
        lin.append(float(phis[0] + (theta_bar - _flat(p0)) @ g0))
    rel = lambda new, old: float(jnp.linalg.norm(new - old) / jnp.linalg.norm(old))  # noqa: E731
    want = {
        "|F(Φᵀ) − F(Φ⁰) − ⟨θᵀ−θ⁰,∇_θF(Φ⁰)⟩|": abs(model.loss(phis[-1]) - model.loss(phis[0])
                                                 - model.dloss(phis[0]) * (d @ g0)),
        "|Φᵀ − Φ⁰ − ⟨θᵀ−θ⁰,∇_θΦ(θ⁰)⟩|": abs(phis[-1] - phis[0] - d @ g0),
        "max_t |Φ(θᵗ) − Φ^lin(θ̄ᵗ)|": np.max(np.abs(np.asarray(phis) - np.asarray(lin))),
        "‖θᵀ−θ̄ᵀ‖/‖θᵀ−θ⁰‖": float(jnp.linalg.norm(_flat(pT) - theta_bar) / jnp.linalg.norm(d)),
        "‖uᵀ−u⁰‖/‖u⁰‖": rel(pT.u, p0.u), "‖βᵀ−β⁰‖/‖β⁰‖": rel(pT.beta, p0.beta), "‖Aᵀ−A⁰‖_F/‖A⁰‖_F": rel(pT.A, p0.A),
        "‖∇_θΦ(θᵀ)−∇_θΦ(θ⁰)‖/‖∇_θΦ(θ⁰)‖": rel(_flat(model.gradients(pT, model.X_INPUT, alpha)), g0),
        "|Φᵀ − Φ⁰|": abs(phis[-1] - phis[0]), "|Φᵀ − y|": abs(phis[-1] - model.Y_TARGET),
    }
    for j, name in enumerate(obs.TRAJECTORY_OUTPUTS):
        assert float(got[j]) == pytest.approx(float(want[name]), rel=1e-9, abs=1e-12), name


def test_trajectory_trains_and_the_one_step_rate_diverges():
    """η = m^{2α−1}/4 fits the target in T steps; η = m^{2α−1} (the one-step rate) blows up over T steps."""
    p0 = model.init(key_for(12, "traj"), 256)
    _, stable = model.gd_trajectory(p0, model.X_INPUT, 1.0, 1.0, 8, obs.TRAJECTORY_ETA_SCALE)
    _, wild = model.gd_trajectory(p0, model.X_INPUT, 1.0, 1.0, 8, 1.0)
    assert abs(float(stable[-1]) - model.Y_TARGET) < 1e-3
    assert abs(float(wild[3]) - model.Y_TARGET) > 10  # |Φ − y| grows ×(ηK − 1) ≈ ×2 per step, then overflows
    assert not np.isfinite(float(wild[-1]))


def test_trajectory_sampler_is_seeded_and_rejects_zero_steps():
    sample = obs.trajectory_sampler((0.75, 1.0), steps=2)
    a, b = sample(key_for(1, "t"), 8, 4), sample(key_for(1, "t"), 8, 4)
    assert a.shape == (4, 2 * len(obs.TRAJECTORY_OUTPUTS))
    np.testing.assert_array_equal(a, b)
    assert obs.trajectory_column((0.75, 1.0), 1.0, "|Φᵀ − y|") == 2 * len(obs.TRAJECTORY_OUTPUTS) - 1
    with pytest.raises(ValueError, match="steps=0"):
        obs.trajectory_sampler((1.0,), steps=0)


def test_feature_learning_sweep_rejects_a_wrong_exponent():
    """The T-step sweep can fail: a lazy exponent (α − 1 = −1/4) stated for the α = 1 drift is rejected."""
    from verify._model import Context, PROFILES
    from verify.checks import ScalingLaw, Series
    from verify.claims.linear3 import TRAJECTORY_WIDTHS, SWEEP_REPLICATES
    from verify.stats import Share

    col = obs.trajectory_column(obs.TRAJECTORY_ALPHAS, 1.0, "‖uᵀ−u⁰‖/‖u⁰‖")
    base = obs.trajectory_sampler(obs.TRAJECTORY_ALPHAS)
    wrong = ScalingLaw("α = 1 drift stated lazy", lambda key, m, count, **kw: base(key, m, count)[:, [col]],
                       (Series("‖uᵀ−u⁰‖/‖u⁰‖, α=1", -0.25, 0.1, "wrong: α−1 at α = 3/4", "test"),),
                       TRAJECTORY_WIDTHS, SWEEP_REPLICATES, variable="m")
    result = wrong.run(Context("test.wrong", 0, PROFILES["quick"], Share(1e-4, 1, 3)))
    assert result.verdict.value == "FAIL", result


def test_thinning_draws_fewer_replicates_only_past_1448_and_doubles_per_look():
    from verify._model import Context, PROFILES, PerProfile
    from verify.checks import ScalingLaw, Series
    from verify.claims.linear3 import thin_wide
    from verify.stats import Share

    assert [thin_wide(m, 160) for m in (512, 1448, 2048, 4096)] == [160, 160, 80, 40]
    assert thin_wide(4096, 1280) == 160
    drawn: list[tuple[int, int]] = []

    def sampler(key, m, count, **kw):
        drawn.append((m, count))
        return np.exp(np.asarray(jax.random.normal(key, (count, 1))) * 1e-3) * m**-0.5

    law = ScalingLaw("thinned", sampler, (Series("x", 0.0, 0.01, "deliberately wrong: 0", "test"),),
                     PerProfile(*[(512, 1024, 4096)] * 3), PerProfile(160, 160, 160),
                     variable="m", thinning=thin_wide)
    result = law.run(Context("test.thin", 0, PROFILES["quick"], Share(1e-4, 1, 3)))
    assert drawn[:3] == [(512, 160), (1024, 160), (4096, 40)]
    assert result.verdict.value == "FAIL"  # slope −1/2, stated 0: decided at the first look
