"""derive.shallow: the SymPy checks of shallow.param-count / gradients / loss-gradient, shown able to
fail on wrong formulas, and the SymPy-derived and stated gradients held against JAX autodiff."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import derive
from derive import shallow as ds
from verify._jax import jax, jnp
from verify.models import activation
from verify.models import shallow as model

# Float64 round-off: the preactivations h = Ux+b and the loss sum Σ_p J_pq r_p are sums of
# O(n·d) (resp. O(m)) terms evaluated in different orders by NumPy-lambdify and by JAX, so the two
# sides differ by a few ulps of the summands (≲ 40·2⁻⁵² ≈ 1e-14 relative for these sizes). 1e-12
# leaves a factor ~100 of slack and still catches any wrong factor, sign or missing term.
RTOL = 1e-12
# ReLU is checked only where every |h_i| exceeds this, so JAX's tie-breaking at the kink (grad 0.5
# of max(t,0) at t=0) and the σ'(0) := 0 convention never meet.
KINK_MARGIN = 1e-3

# When a property fails, hypothesis's pytest plugin imports libcst to suggest a patch, and libcst's
# use of mypy_extensions.TypedDict warns; under warnings-as-errors that turns a clean failure report
# into an INTERNALERROR. Ignore exactly that third-party warning so failures stay readable.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

PROPERTY_SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
SIZES = st.tuples(st.integers(1, 6), st.integers(1, 4))
SEEDS = st.integers(0, 2**32 - 1)


def _random_params(rng: np.random.Generator, n: int, d: int) -> model.Params:
    return model.Params(
        jnp.asarray(rng.standard_normal((n, d))),
        jnp.asarray(rng.standard_normal(n)),
        jnp.asarray(rng.standard_normal(n)),
        jnp.asarray(rng.standard_normal()),
    )


def _assert_blocks_close(actual, expected, what: str, scale=None) -> None:
    """Each block within RTOL of the expected one, measured against the block's largest entry
    (round-off is relative to the summands, not to an entry that happens to be tiny)."""
    for name, a, e in zip(ds.BLOCKS, actual, expected):
        a, e = np.asarray(a), np.asarray(e)
        assert a.shape == e.shape, f"{what}: block {name} has shape {a.shape}, expected {e.shape}"
        ref = np.max(np.abs(e if scale is None else scale[name]), initial=0.0)
        err = np.max(np.abs(a - e), initial=0.0)
        assert err <= RTOL * ref, (
            f"{what}: block {name} max abs error {err:.3e} > RTOL·{ref:.3e} = {RTOL * ref:.3e}"
        )


# --------------------------------------------------------------------------------------------
# Package surface and the result type
# --------------------------------------------------------------------------------------------


def test_all_is_exactly_the_public_surface():
    public = {name for name in vars(derive) if not name.startswith("_")}
    assert set(derive.__all__) == public
    assert set(ds.__all__) <= set(derive.__all__)


def test_derive_imports_without_jax():
    code = "import sys, derive; assert 'jax' not in sys.modules, sorted(m for m in sys.modules if 'jax' in m)"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_symbolic_result_serialises_and_rejects_sympy_booleans():
    result = ds.param_count(2, 3)
    assert json.loads(json.dumps(result.as_dict()))["holds"] is True
    with pytest.raises(TypeError, match="must be a Python bool"):
        derive.SymbolicResult("x", sp.true, "0", "0", "0", "")
    with pytest.raises(TypeError, match="derived=.*serialise to JSON"):
        derive.SymbolicResult("x", True, sp.Integer(0), "0", "0", "")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ds.symbols(0, 2), r"n=0 is not a positive integer; n is the width"),
        (lambda: ds.phi(2, 1.5), r"d=1.5 is not a positive integer; d is the input dimension"),
        (lambda: ds.check_loss_gradient(1, 1, 0), r"m=0 is not a positive integer"),
        (lambda: ds.lambdified_gradient(2, 2, "relu"), r"sigma_name='relu' has no SymPy counterpart"),
        (lambda: ds.phi(2, 2, sigma=3), r"sigma=3 is neither None"),
    ],
)
def test_bad_input_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_lambdified_gradient_rejects_wrong_shapes():
    grad = ds.lambdified_gradient(2, 3, "tanh")
    params = (np.zeros((3, 2)), np.zeros(2), np.zeros(2), 0.0)
    with pytest.raises(ValueError, match=r"params.U has shape \(3, 2\); .* shape \(2, 3\)"):
        grad(params, np.zeros(3))


# --------------------------------------------------------------------------------------------
# shallow.param-count
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, d", [(1, 1), (3, 2), (2, 5), (6, 4)])
def test_param_count_holds(n, d):
    result = ds.param_count(n, d)
    assert result.holds, result
    assert result.residual == "0"
    assert len(ds.symbols(n, d).parameters) == n * (d + 2) + 1


def test_param_count_fails_on_a_wrong_formula():
    result = ds.param_count(3, 2, stated=lambda n, d: n * (d + 1) + 1)
    assert not result.holds
    assert result.residual == "n"
    assert "NOT zero" in result.detail and "NOT equal" in result.detail


# --------------------------------------------------------------------------------------------
# shallow.gradients
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, d", [(1, 1), (3, 2), (2, 3)])
def test_gradients_hold_block_by_block(n, d):
    results = ds.check_gradients(n, d)
    assert [r.name.split("]")[0] for r in results] == [f"shallow.gradients[{b}" for b in ds.BLOCKS]
    assert all(r.holds for r in results), [r for r in results if not r.holds]


def _without_v_in_b(sym, sigma):
    blocks = dict(ds.stated_gradients(sym, sigma))
    h = sym.preactivation()
    blocks["b"] = h.applyfunc(lambda t: ds.sigma_prime(sigma, t))  # ∇_bΦ = σ'(Ux+b): v dropped
    return blocks


def test_gradients_fail_on_a_wrong_formula():
    holds = {r.name.split("]")[0][-1]: r.holds for r in ds.check_gradients(3, 2, stated=_without_v_in_b)}
    assert holds == {"U": True, "b": False, "v": True, "c": True}


def test_gradients_fail_on_a_transposed_block():
    def transposed(sym, sigma):
        blocks = dict(ds.stated_gradients(sym, sigma))
        blocks["U"] = blocks["U"].T  # x(v⊙σ')ᵀ instead of (v⊙σ')xᵀ
        return blocks

    result = ds.check_gradients(3, 2, stated=transposed)[0]
    assert not result.holds and "shape mismatch" in result.residual


def test_gradients_hold_for_symbolic_sizes():
    results = ds.check_gradients_generic()
    assert all(r.holds for r in results), [r for r in results if not r.holds]
    assert all("NOT proved" not in r.detail for r in results)


def test_gradients_for_symbolic_sizes_fail_on_a_wrong_formula():
    def wrong(g, sigma):
        blocks = dict(ds.stated_gradients_generic(g, sigma))
        blocks["b"] = ds.sigma_prime(sigma, g.preactivation(g.i))
        blocks["c"] = sp.S.Zero
        return blocks

    holds = {r.name.split("]")[0][-1]: r.holds for r in ds.check_gradients_generic(stated=wrong)}
    assert holds == {"U": True, "b": False, "v": True, "c": False}


def test_range_guard_is_not_discharged_when_it_can_fail():
    g = ds.generic_symbols()
    # i ≤ n−2 fails at i = n−1, so the guard must stay.
    rel = sp.Le(g.i, g.n - 2)
    assert ds._implied_by_ranges(rel, g.ranges()) == rel
    assert ds._implied_by_ranges(sp.Ge(g.n, g.i + 1), g.ranges()) is sp.true


# --------------------------------------------------------------------------------------------
# shallow.loss-gradient
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, d, m", [(1, 1, 1), (3, 2, 3), (2, 3, 2)])
def test_loss_gradient_holds(n, d, m):
    result = ds.check_loss_gradient(n, d, m)
    assert result.holds, result


def test_loss_gradient_fails_on_a_wrong_formula():
    assert not ds.check_loss_gradient(2, 2, 2, stated=lambda J, r: J.T * r).holds  # factor 2 dropped


# --------------------------------------------------------------------------------------------
# Against JAX autodiff (property tests)
# --------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(SIZES, st.sampled_from(ds.SIGMA_NAMES), SEEDS)
def test_sympy_gradient_equals_jax_grad(size, sigma_name, seed):
    n, d = size
    rng = np.random.default_rng(seed)
    params, x = _random_params(rng, n, d), jnp.asarray(rng.standard_normal(d))
    expected = jax.grad(model.forward)(params, x, activation(sigma_name))
    actual = ds.lambdified_gradient(n, d, sigma_name)(params, x)
    _assert_blocks_close(actual, expected, f"SymPy vs jax.grad, σ={sigma_name}, n={n}, d={d}")


@PROPERTY_SETTINGS
@given(SIZES, st.sampled_from(("relu", *ds.SIGMA_NAMES)), SEEDS)
def test_stated_gradients_equal_jax_grad(size, act_name, seed):
    n, d = size
    rng = np.random.default_rng(seed)
    params, x = _random_params(rng, n, d), jnp.asarray(rng.standard_normal(d))
    h = params.U @ x + params.b
    # Move every preactivation at least KINK_MARGIN away from 0 (matters only for ReLU).
    params = params._replace(b=jnp.where(jnp.abs(h) < KINK_MARGIN, params.b + 0.5, params.b))
    assert float(jnp.min(jnp.abs(params.U @ x + params.b))) >= KINK_MARGIN
    act = activation(act_name)
    expected = jax.grad(model.forward)(params, x, act)
    actual = ds.stated_gradients_numeric(act_name)(params, x)
    assert isinstance(actual, model.Params)
    _assert_blocks_close(actual, expected, f"stated formulas vs jax.grad, σ={act_name}, n={n}, d={d}")


@PROPERTY_SETTINGS
@given(SIZES, st.integers(1, 5), st.sampled_from(ds.SIGMA_NAMES), SEEDS)
def test_loss_gradient_2_jt_r_equals_jax_grad(size, m, sigma_name, seed):
    n, d = size
    rng = np.random.default_rng(seed)
    params = _random_params(rng, n, d)
    X, y = jnp.asarray(rng.standard_normal((m, d))), jnp.asarray(rng.standard_normal(m))
    act = activation(sigma_name)
    row = ds.lambdified_gradient(n, d, sigma_name)
    J = np.stack([np.concatenate([np.ravel(g) for g in row(params, X[p])]) for p in range(m)])
    r = np.asarray(model.forward_batch(params, X, act) - y)
    stated = 2 * J.T @ r
    bound = 2 * np.abs(J).T @ np.abs(r)  # Σ_p |J_pq r_p|: the size round-off is relative to

    def split(flat):
        sizes = np.cumsum([n * d, n, n])
        U, b, v, c = np.split(flat, sizes)
        return U.reshape(n, d), b, v, c.reshape(())

    expected = jax.grad(model.square_loss)(params, X, y, act)
    scale = dict(zip(ds.BLOCKS, split(bound)))
    _assert_blocks_close(split(stated), expected, f"2Jᵀr vs jax.grad(square_loss), σ={sigma_name}", scale)
