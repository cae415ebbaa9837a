"""verify.models._lazy_gaussian: a Gaussian matrix drawn only where it is asked. Two independent holds on it:
with a given matrix supplying the unseen parts the bookkeeping reproduces every product and ‖A‖_F exactly
(algebra), and with drawn unseen parts the answers have the law of a materialised matrix's (KS, through the T-step
trajectory of linear3, whose queries are adaptive)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from verify._jax import jax, jnp, key_for, split_keys
from verify.models import _lazy_gaussian as lazy_gaussian
from verify.models import linear3 as model
from verify.observables import linear3 as obs

EXACT = 1e-12  # relative: two Gram–Schmidt passes over ≤ 24 directions leave round-off only


def _padded_matrix(key, m, M):
    mask = (jnp.arange(M) < m).astype(jnp.float64)
    return jax.random.normal(key, (M, M)) * mask[:, None] * mask[None, :], mask


@pytest.mark.parametrize("m,M", [(7, 10), (24, 24)])
def test_bookkeeping_reproduces_a_given_matrix(m, M):
    """Adaptive queries on both sides (each vector built from earlier answers), repeats and vectors already in the
    span, more queries than m: every answer is A v (Aᵀw) and ‖A‖_F² is exact."""
    A, mask = _padded_matrix(key_for(0, "lazy-A", m), m, M)
    source = lazy_gaussian.materialised(A)
    state = lazy_gaussian.init(key_for(1, "lazy", m), m, M, capacity=2 * m)
    rng = np.random.default_rng(m)
    v, answers = jnp.asarray(rng.normal(size=M)) * mask, []
    for i in range(2 * m + 6):
        transpose = i % 3 == 1
        query = v if i % 5 != 4 else answers[-1][0]  # every fifth repeats an earlier vector: in the span
        state, got = (lazy_gaussian.rmatvec if transpose else lazy_gaussian.matvec)(state, query, source)
        want = (A.T if transpose else A) @ query
        assert float(jnp.linalg.norm(got - want)) <= EXACT * float(jnp.linalg.norm(want)), (i, transpose)
        answers.append((query, got))
        v = got + jnp.asarray(rng.normal(size=M)) * mask * 0.1
    assert int(state.right.count) <= m and int(state.left.count) <= m
    E = state.right.basis[: int(state.right.count)]
    np.testing.assert_allclose(E @ E.T, np.eye(E.shape[0]), atol=EXACT)
    assert float(lazy_gaussian.frobenius_sq(state, source)) == pytest.approx(float(jnp.sum(A**2)), rel=EXACT)


def test_full_bases_leave_no_unseen_norm():
    """m directions a side span everything: df = 0 and ‖A‖_F² is read off the answers."""
    m = 4
    state = lazy_gaussian.init(key_for(2, "lazy"), m, m, capacity=m)
    for i in range(m):
        state, _ = lazy_gaussian.matvec(state, jnp.eye(m)[i])
    seen, df = lazy_gaussian.frobenius_parts(state)
    assert float(df) == 0.0 and float(lazy_gaussian.frobenius_sq(state)) == pytest.approx(float(seen), rel=EXACT)


def test_frobenius_norm_has_the_chi_square_law():
    """‖A‖_F² ~ χ²(m²) after a few queries: the seen part and the χ²((m − p)(m − q)) rest add up to the full law."""
    m, count = 6, 4000

    def one(key):
        state = lazy_gaussian.init(key, m, m, capacity=3)
        state, a = lazy_gaussian.matvec(state, jnp.ones(m))
        state, _ = lazy_gaussian.rmatvec(state, a)
        state, _ = lazy_gaussian.matvec(state, a)
        return lazy_gaussian.frobenius_sq(state)

    draws = np.asarray(jax.vmap(one)(split_keys(key_for(3, "lazy-frob"), count)))
    assert stats.kstest(draws, stats.chi2(m * m).cdf).pvalue > 1e-4


KS_P_MIN = 1e-4  # per column of a two-sample KS test, 20 correlated columns: a family-wise false fail ≲ 0.2%
DIVERGED_MAX = 0.005  # diverged GD runs (non-finite outputs) per network: ~3e-4 at m = 5, 0 at m = 24


def _materialised_trajectories(key, m, count, alphas=obs.TRAJECTORY_ALPHAS):
    """The trajectory outputs with A⁰ drawn in full (m×m) and read through the materialised source."""
    capacity = obs.trajectory_capacity(len(alphas), obs.TRAJECTORY_STEPS)

    def one(k):
        kp, kl = jax.random.split(k)
        p = model.init(kp, m)
        source = lazy_gaussian.materialised(p.A)
        state, out = obs.trajectory_outputs(p.beta, p.u, lazy_gaussian.init(kl, m, m, capacity), m,
                                            jnp.asarray(alphas), obs.TRAJECTORY_ETA_SCALE, obs.TRAJECTORY_STEPS,
                                            source)
        return out.at[:, obs._DRIFT_A].divide(jnp.sqrt(lazy_gaussian.frobenius_sq(state, source))).ravel()

    return np.asarray(jax.jit(jax.vmap(one))(split_keys(key, count)))


@pytest.mark.parametrize("m", [5, 24])
def test_lazy_trajectories_have_the_law_of_materialised_ones(m):
    """The sampler's lazy A⁰ against a materialised one, column by column (both α, every output): m = 5 fills both
    bases (17 queries a side in 5 dimensions: the in-span path), m = 24 leaves a χ² rest. A dropped projection or
    known term moves a column's law by many KS standard errors at 3000 networks each."""
    count = 3000
    lazy = obs.trajectory_sampler(obs.TRAJECTORY_ALPHAS)(key_for(4, "lazy-law", m), m, count)
    drawn = _materialised_trajectories(key_for(5, "lazy-law", m), m, count)
    names = [f"α={a:g}: {o}" for a in obs.TRAJECTORY_ALPHAS for o in obs.TRAJECTORY_OUTPUTS]
    # at m = 5, GD diverges when ηK(θ⁰) > 2, in ~3 networks of 10⁴ (lazy and materialised alike: 9 and 13 of 40000):
    # such a run's outputs are +∞ in both laws; a bookkeeping NaN would hit far more
    diverged = ~np.isfinite(lazy).all(axis=1)
    assert diverged.mean() <= DIVERGED_MAX, f"m={m}: non-finite lazy outputs in {sorted({names[j] for j in np.nonzero(~np.isfinite(lazy))[1]})}"
    lazy, drawn = (np.where(np.isfinite(x).all(axis=1, keepdims=True), x, np.inf) for x in (lazy, drawn))
    worst = min((stats.ks_2samp(lazy[:, j], drawn[:, j]).pvalue, names[j]) for j in range(len(names)))
    assert worst[0] > KS_P_MIN, f"m={m}: lazy and materialised A⁰ differ in {worst[1]} (KS p = {worst[0]:.2g})"
