"""The blocked, symmetric empirical NTK Gram (verify.models._gram) against the plain formula and jax.jacobian:
block sizes that divide n, that do not (a remainder block), and that exceed it (one call)."""
from __future__ import annotations

import numpy as np
import pytest

from verify._jax import jax, jnp, key_for
from verify.models import activation, shallow
from verify.models._gram import SPLIT_BYTES, block_size, gram, over_units, piece_size
from verify.models._mlp import _tangent
from verify.models.mlp import Activation, Dense, DenseParams, kernel, mlp, serial, trace
from verify.tolerances import Tol

BLOCKED = Tol(1e-12, "relative to max|Θ|: the blocked sum reorders O(n) float64 additions of O(1) terms (~1e-15)")
SAME_FORMULA = Tol(1e-13, "relative to max|Θ|: one formula summed in two orders (blocks of units against whole "
                          "layers), float64 round-off only (~1e-16)")
TANH = activation("tanh")
ROWS = 16  # inputs of a Gram here: more than the catalogue's 5–8 (the benchmark uses 64)


def _rel(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.abs(a - b).max() / np.abs(b).max())


def _plain_shallow(p, X, act):
    """The formula written out in numpy, all units at once: K = (σ'(H)v)(σ'(H)v)ᵀ ⊙ (XXᵀ + 1) + σ(H)σ(H)ᵀ + 1."""
    H = np.asarray(X @ p.U.T + p.b)
    dS = np.asarray(act.df(H)) * np.asarray(p.v)
    S = np.asarray(act.f(H))
    X = np.asarray(X)
    return (dS @ dS.T) * (X @ X.T + 1.0) + S @ S.T + 1.0


def _shallow_params(seed, n, d):
    rng = np.random.default_rng(seed)
    return shallow.Params(jnp.asarray(rng.normal(size=(n, d)) / np.sqrt(d)), jnp.asarray(0.3 * rng.normal(size=n)),
                          jnp.asarray(rng.normal(size=n) / np.sqrt(n)), jnp.asarray(rng.normal()))


def _jacobian_ntk(f, params, X, Z=None):
    """J_X J_Zᵀ with J the (k, P) Jacobian of the outputs by jax.jacobian: the reference of every structured formula."""
    def jac(A):
        J = jax.jacobian(lambda p: f(p, A))(params)
        return jnp.concatenate([leaf.reshape(A.shape[0], -1) for leaf in jax.tree_util.tree_leaves(J)], axis=1)

    JX = jac(X)
    return JX @ (JX if Z is None else jac(Z)).T


@pytest.mark.parametrize("n, block", [(1000, 128), (1001, 128), (257, 64), (100, 7), (50, 64), (5, 2), (3, 1)])
def test_blocked_shallow_gram_equals_the_plain_formula(n, block):
    X = jnp.asarray(np.random.default_rng(1).normal(size=(24, 4)))
    p = _shallow_params(n, n, 4)
    blocked = shallow.ntk_matrix(p, X, TANH, block=block)
    assert _rel(blocked, _plain_shallow(p, X, TANH)) <= BLOCKED.value


def test_blocked_shallow_gram_equals_the_jacobian_ntk_on_a_tiny_net():
    X = jnp.asarray(np.random.default_rng(2).normal(size=(ROWS + 1, 3)))
    p = _shallow_params(3, 7, 3)
    want = _jacobian_ntk(lambda p, A: shallow.forward_batch(p, A, TANH), p, X)
    for block in (2, 3, 7, None):  # remainders 1 and 1, one exact block, the default (one call)
        assert _rel(shallow.ntk_matrix(p, X, TANH, block=block), want) <= BLOCKED.value


def test_default_block_keeps_the_intermediates_near_two_mebibytes():
    assert block_size(64) == 4096 and block_size(2) == 2**17 and block_size(10**7) == 1


def test_piece_size_is_the_largest_under_the_split():
    """A piece's elementwise pass, 8·u·(2m + 2) bytes, is the largest under XLA CPU's two-task threshold."""
    assert piece_size(64) == 504
    for m in (1, 5, 24, 64, 200, 10**6):
        u = piece_size(m)
        assert u == 1 or 8 * u * (2 * m + 2) <= SPLIT_BYTES < 8 * (u + 1) * (2 * m + 2)


@pytest.mark.parametrize("n, piece, sizes", [(1000, 504, [500, 500]), (1009, 504, [336, 336, 337]),
                                             (504, 504, [504]), (7, 3, [2, 2, 3]), (7, None, [7])])
def test_one_block_runs_as_consecutive_equal_pieces(n, piece, sizes):
    seen = []

    def part(a, b):
        seen.append((int(a[0]), a.shape[0]))
        return {"a": jnp.sum(a), "ab": jnp.sum(a * b)}

    a = jnp.arange(n, dtype=jnp.float64)
    total = over_units(part, (a, 2.0 * a), block=2048, piece=piece)
    assert [size for _, size in seen] == sizes and [first for first, _ in seen] == list(np.cumsum([0] + sizes[:-1]))
    assert float(total["a"]) == n * (n - 1) / 2 and float(total["ab"]) == 2 * float(jnp.sum(a * a))


def test_default_pieces_give_the_plain_formula():
    """m = 64 inputs over 1000 units: the default runs two 500-unit pieces, the sum of the plain formula."""
    X = jnp.asarray(np.random.default_rng(8).normal(size=(64, 8)))
    p = _shallow_params(8, 1000, 8)
    assert _rel(shallow.ntk_matrix(p, X, TANH), _plain_shallow(p, X, TANH)) <= BLOCKED.value
    mp = (DenseParams(p.U, p.b), (), DenseParams(p.v[None, :], p.c[None]))
    model = mlp(1, "tanh", "standard", C_W=1.0, C_b=0.0)
    assert _rel(model.ntk(mp, X), _plain_shallow(p, X, TANH)) <= BLOCKED.value


@pytest.mark.parametrize("model", [
    mlp(1, "tanh", "standard", C_W=1.0, C_b=0.0),
    mlp(1, "erf", "ntk", C_W=1.7, C_b=0.3),
    mlp(1, "relu", "meanfield"),  # no biases
    serial(Activation("sin"), Dense(None, "ntk", C_b=0.2), Activation("tanh"), Activation("sin"), Dense(1, "ntk")),
], ids=["shallow", "erf-ntk-bias", "relu-meanfield", "leading-and-stacked-activations"])
def test_blocked_model_ntk_equals_the_jacobian_ntk(model):
    d, n = 3, 9
    params = model.init(key_for(4, "params"), n, d)
    X = jax.random.normal(key_for(4, "x"), (ROWS + 2, d))
    Z = jax.random.normal(key_for(4, "z"), (5, d))
    gram_want, cross_want = _jacobian_ntk(model.apply, params, X), _jacobian_ntk(model.apply, params, X, Z)
    for block in (2, 4, 9, None):  # remainders 1 and 1, one exact block, the default
        assert _rel(model.ntk(params, X, block=block), gram_want) <= BLOCKED.value
        assert _rel(model.ntk(params, X, Z, block=block), cross_want) <= BLOCKED.value


ONE_HIDDEN = [mlp(1, "tanh", "standard", C_W=1.0, C_b=0.0), mlp(1, "sigmoid", "ntk", C_W=1.7, C_b=0.3),
              mlp(1, "relu", "meanfield"),
              serial(Activation("sin"), Dense(None, "ntk", C_b=0.2), Activation("tanh"), Dense(1, "ntk"))]


@pytest.mark.parametrize("model", ONE_HIDDEN,
                         ids=["shallow", "sigmoid-ntk-bias", "relu-meanfield", "leading-activation"])
@pytest.mark.parametrize("padded", [False, True], ids=["unpadded", "padded"])
def test_one_hidden_layer_path_equals_the_generic_layer_path(model, padded):
    """Model.ntk sends a one-hidden-layer model through blocks of its hidden units (the specialised path); the generic
    per-layer formula (kernel of two traces, what deeper models use) must give the same Θ, Gram and cross, with and
    without padding (sigmoid: σ(0) ≠ 0, so a padded unit left unmasked counts), over 7-unit blocks (a remainder
    block) and in the default single call."""
    d, n = 3, 40
    width = jnp.asarray(float(n)) if padded else None
    params = model.init(key_for(9, "p"), width if padded else n, d, **({"pad_to": n + 5} if padded else {}))
    X = jax.random.normal(key_for(9, "x"), (ROWS, d))
    Z = jax.random.normal(key_for(9, "z"), (5, d))

    @jax.jit
    def generic(params, X, Z, width):
        tx = trace(model, params, X, width)
        return kernel(tx, tx, model), kernel(tx, trace(model, params, Z, width), model)

    gram_want, cross_want = generic(params, X, Z, width)
    for block in (7, None):
        assert _rel(model.ntk(params, X, width=width, block=block), gram_want) <= SAME_FORMULA.value
        assert _rel(model.ntk(params, X, Z, width=width, block=block), cross_want) <= SAME_FORMULA.value


def test_model_ntk_takes_float32_numpy_and_list_inputs_as_float64():
    """A float64 JAX array goes to the compiled call as is; anything else is converted first (a list is no array
    argument), to the very numbers of the float64 call."""
    model = mlp(1, "tanh", "ntk", C_b=0.1)
    params = model.init(key_for(10, "p"), 5, 2)
    X = np.random.default_rng(10).normal(size=(4, 2)).astype(np.float32)
    X64 = jnp.asarray(X, dtype=jnp.float64)
    gram_want, cross_want = np.asarray(model.ntk(params, X64)), np.asarray(model.ntk(params, X64, X64))
    for given in (X, X.tolist(), jnp.asarray(X, dtype=jnp.float32)):
        gram_got, cross_got = model.ntk(params, given), model.ntk(params, X64, given)
        assert gram_got.dtype == cross_got.dtype == jnp.float64
        assert np.array_equal(np.asarray(gram_got), gram_want) and np.array_equal(np.asarray(cross_got), cross_want)


def test_blocked_model_ntk_of_a_padded_net_equals_the_unpadded_one():
    """The padding masks are sliced with the units: blocks over 12 padded rows give the width-7 numbers."""
    model = mlp(1, "sigmoid", "ntk", C_b=0.1)  # σ(0) ≠ 0: an unmasked padded unit would count
    X = jax.random.normal(key_for(5, "x"), (ROWS, 2))
    want = model.ntk(model.init(key_for(5, "p"), 7, 2), X)
    padded = model.init(key_for(5, "p"), jnp.asarray(7.0), 2, pad_to=12)
    for block in (5, 12):
        assert _rel(model.ntk(padded, X, width=jnp.asarray(7.0), block=block), want) <= BLOCKED.value


def test_blocked_model_ntk_equals_the_structured_shallow_formula():
    """One network through the model contract and through shallow.ntk_matrix, both blocked: n = 2 blocks + 37."""
    model = mlp(1, "tanh", "standard", C_W=1.0, C_b=0.0)
    p = _shallow_params(6, 2 * 64 + 37, 4)
    mp = (DenseParams(p.U, p.b), (), DenseParams(p.v[None, :], p.c[None]))
    X = jnp.asarray(np.random.default_rng(6).normal(size=(20, 4)))
    assert _rel(model.ntk(mp, X, block=64), shallow.ntk_matrix(p, X, TANH, block=64)) <= BLOCKED.value
    assert _rel(model.ntk(mp, X, block=64), _plain_shallow(p, X, TANH)) <= BLOCKED.value


def test_deep_model_gram_is_symmetric_and_equals_the_cross_kernel():
    model = mlp(2, "tanh", "ntk", C_b=0.1)
    params = model.init(key_for(7, "p"), 6, 3)
    X = jax.random.normal(key_for(7, "x"), (ROWS + 3, 3))
    theta = np.asarray(model.ntk(params, X))
    assert np.array_equal(theta, theta.T)
    assert _rel(theta, model.ntk(params, X, X)) <= BLOCKED.value
    assert _rel(theta, _jacobian_ntk(model.apply, params, X)) <= BLOCKED.value


@pytest.mark.parametrize("model", [mlp(1, "tanh", "ntk", C_b=0.1), mlp(2, "tanh", "ntk", C_b=0.1)],
                         ids=["one-hidden", "deep"])
def test_gram_op_by_op_is_exactly_symmetric_where_the_plain_product_is_not(model):
    """33 inputs over 963 units (piece_size(33): one piece), op by op: XLA's product A Aᵀ is not exactly symmetric
    there (edge tiles), and the products are not mirrored one by one: the assembled Θ is, once. Its entries equal
    the cross kernel's Θ(X, X)."""
    X = jax.random.normal(key_for(11, "x"), (33, 3))
    wide = jnp.asarray(np.random.default_rng(11).normal(size=(33, 963)))
    assert not np.array_equal(np.asarray(wide @ wide.T), np.asarray(wide @ wide.T).T)  # the premise
    params = model.init(key_for(11, "p"), 963, 3)
    theta = np.asarray(_tangent.ntk(model, params, X))  # uncompiled: every product runs on its own
    assert np.array_equal(theta, theta.T)
    assert _rel(theta, _tangent.ntk(model, params, X, X)) <= SAME_FORMULA.value


@pytest.mark.parametrize("m", [1, 5, ROWS, 33, 64])
@pytest.mark.parametrize("k", [50, 1001, 4096])
def test_gram_equals_the_plain_product_and_is_exactly_symmetric(m, k):
    A = jnp.asarray(np.random.default_rng(m).normal(size=(m, k)))
    for G in (np.asarray(gram(A)), np.asarray(jax.jit(gram)(A))):  # op by op and compiled
        assert _rel(G, np.asarray(A) @ np.asarray(A).T) <= BLOCKED.value and np.array_equal(G, G.T)


def test_over_units_names_a_bad_call():
    with pytest.raises(ValueError, match=r"unit axis first .*\(4\)"):
        over_units(lambda a, b: a.sum() + b.sum(), (jnp.ones(4), jnp.ones(5)), 2)
    with pytest.raises(ValueError, match="block=0"):
        over_units(lambda a: a.sum(), (jnp.ones(4),), 0)
    with pytest.raises(ValueError, match="piece=0"):
        over_units(lambda a: a.sum(), (jnp.ones(4),), 8, 0)
