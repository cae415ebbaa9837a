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

# Float64 round-off. Both sides evaluate the same exact function, in different orders and with
# different but equivalent forms of σ' (SymPy's 1 − tanh² vs JAX's (1+tanh)(1−tanh), which differ
# by ~1e-10 relative where tanh' ≈ 1e-6). So errors are measured against the size of the
# *summands*, not of the result: S_i = Σ_l |U_il x_l| + |b_i| for the O(n·d) preactivation sums,
# σ, σ' taken to absolute accuracy (all activations here have |σ'| ≤ 1.13), and Σ_p |J_pq r_p| for
# the loss sum (`_roundoff_scale`). Measured over 400 random draws the error stays ≤ 3e-16 of that
# scale (a few ulps); 1e-12 leaves a factor > 1000 of slack and still catches a 1e-11 relative
# change in σ or σ' (checked by perturbing them).
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


def _roundoff_scale(params, x) -> tuple[ds.GradientBlocks, float]:
    """Entrywise size of the summands behind ∇_wΦ(x,w) and behind Φ(x,w) (see RTOL)."""
    U, b, v, c = (np.asarray(t) for t in params)
    x = np.asarray(x)
    S = 1.0 + np.abs(U) @ np.abs(x) + np.abs(b)
    blocks = ds.GradientBlocks(np.outer(np.abs(v) * S, np.abs(x)), np.abs(v) * S, S, np.ones(()))
    return blocks, float(np.abs(v) @ S + abs(c))


def _assert_blocks_close(actual, expected, scale, what: str) -> None:
    """|actual − expected| ≤ RTOL · scale entrywise, block by block."""
    for name, a, e, s in zip(ds.BLOCKS, actual, expected, scale):
        a, e, s = np.asarray(a), np.asarray(e), np.asarray(s)
        assert a.shape == e.shape, f"{what}: block {name} has shape {a.shape}, expected {e.shape}"
        ratio = np.max(np.abs(a - e) / (RTOL * s + np.finfo(np.float64).tiny), initial=0.0)
        assert ratio <= 1.0, (
            f"{what}: block {name} error is {ratio:.3g} × the tolerance RTOL·scale "
            f"(max abs error {np.max(np.abs(a - e)):.3e}, RTOL={RTOL})"
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
    scale, _ = _roundoff_scale(params, x)
    _assert_blocks_close(actual, expected, scale, f"SymPy vs jax.grad, σ={sigma_name}, n={n}, d={d}")


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
    scale, _ = _roundoff_scale(params, x)
    _assert_blocks_close(actual, expected, scale, f"stated formulas vs jax.grad, σ={act_name}, n={n}, d={d}")


@PROPERTY_SETTINGS
@given(SIZES, st.integers(1, 5), st.sampled_from(ds.SIGMA_NAMES), SEEDS)
def test_loss_gradient_2_jt_r_equals_jax_grad(size, m, sigma_name, seed):
    n, d = size
    rng = np.random.default_rng(seed)
    params = _random_params(rng, n, d)
    X, y = jnp.asarray(rng.standard_normal((m, d))), jnp.asarray(rng.standard_normal(m))
    act = activation(sigma_name)
    row = ds.lambdified_gradient(n, d, sigma_name)

    def flat(blocks):
        return np.concatenate([np.ravel(t) for t in blocks])

    def split(w):
        U, b, v, c = np.split(w, np.cumsum([n * d, n, n]))
        return ds.GradientBlocks(U.reshape(n, d), b, v, c.reshape(()))

    J = np.stack([flat(row(params, X[p])) for p in range(m)])
    r = np.asarray(model.forward_batch(params, X, act) - y)
    stated = 2 * J.T @ r
    # Round-off of Σ_p J_pq r_p: each term's own error (scale of J_pq times |r_p|, |J_pq| times the
    # scale of r_p = Φ(x_p) − y_p), summed without cancellation.
    scales = [_roundoff_scale(params, X[p]) for p in range(m)]
    J_scale = np.stack([flat(blocks) for blocks, _ in scales])
    r_scale = np.array([phi_scale for _, phi_scale in scales]) + np.abs(np.asarray(y))
    bound = 2 * (J_scale.T @ np.abs(r) + np.abs(J).T @ r_scale)

    expected = jax.grad(model.square_loss)(params, X, y, act)
    _assert_blocks_close(split(stated), expected, split(bound), f"2Jᵀr vs jax.grad(square_loss), σ={sigma_name}")
