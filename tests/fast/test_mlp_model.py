"""The model contract (verify.models.mlp): structured derivatives against autodiff, init/apply shapes,
padding, parametrisation numbers, model_from_table messages, and the catalogue models as instances."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

from verify._jax import jax, jnp, key_for
from verify.models import chizat, linear3, meanfield, randnet, shallow
from verify.models import law as base_law
from verify.models.mlp import (CATALOGUE, Activation, Dense, DenseNumbers, ModelTableError, Parametrization,
                               block_norms, mlp, model_from_table, parametrization, serial, trace)
from verify.tolerances import ROUNDOFF

PARAMETRIZATIONS = ("standard", "ntk", "meanfield", "power(0.25)")
ACTS = ("tanh", "relu", "erf", "sin")
SE_BAND = 5.0  # a Monte Carlo mean is accepted within 5 standard errors: a true law fails with p < 1e-6


def _flat_jacobian(model, params, X):
    """(k, P) Jacobian of the outputs by jax.jacrev: the reference of every structured formula."""
    J = jax.jacrev(lambda p: model.apply(p, X))(params)
    return jnp.concatenate([leaf.reshape(X.shape[0], -1) for leaf in jax.tree_util.tree_leaves(J)], axis=1)


def _close(a, b, scale=None):
    a, b = np.asarray(a), np.asarray(b)
    scale = np.abs(b).max() if scale is None else scale
    np.testing.assert_allclose(a, b, rtol=0, atol=ROUNDOFF.value * max(scale, 1.0))


@jax.jit(static_argnums=0)
def _structured_and_autodiff(model, params, X, Z):
    """(structured, autodiff) pairs of Θ(X,X), Θ(X,Z), per-block ‖∂f/∂W‖², ‖∂f/∂b‖², ‖∂f/∂x‖²: one compilation."""
    J = _flat_jacobian(model, params, X)
    w, b, gx = block_norms(model, trace(model, params, X))
    grads = jax.vmap(lambda x: jax.grad(lambda p: model.apply(p, x[None])[0])(params))(X)
    dense = [g for g in grads if g != ()]
    want_w = jnp.stack([jnp.sum(g.W ** 2, axis=(1, 2)) for g in dense], axis=1)
    want_b = jnp.stack([jnp.sum(g.b ** 2, axis=1) if g.b is not None else jnp.zeros(X.shape[0]) for g in dense], 1)
    gin = jax.vmap(jax.grad(lambda x: model.apply(params, x[None])[0]))(X)
    return ((model.ntk(params, X), J @ J.T), (model.ntk(params, X, Z), J @ _flat_jacobian(model, params, Z).T),
            (w, want_w), (b, want_b), (gx, jnp.sum(gin ** 2, axis=1)))


@settings(max_examples=16)  # each draw compiles a new shape: keep the count small
@given(depth=st.integers(1, 3), par=st.sampled_from(PARAMETRIZATIONS), act=st.sampled_from(ACTS),
       C_b=st.sampled_from([None, 0.0, 0.3]), width=st.integers(1, 6), d=st.integers(1, 4),
       seed=st.integers(0, 2**31 - 1))
# found by hypothesis: zero biases and a dead width-1 layer put the next preactivation exactly at relu's kink, where
# the structured σ'(0) = 0 and autodiff of jnp.maximum(t, 0) (½) disagreed
@example(depth=2, par="standard", act="relu", C_b=0.0, width=1, d=1, seed=0)
def test_structured_ntk_and_block_norms_equal_jacrev(depth, par, act, C_b, width, d, seed):
    model = mlp(depth, act, par, C_W=1.7, C_b=C_b)
    params = model.init(key_for(seed, "params"), width, d)
    X = jax.random.normal(key_for(seed, "x"), (3, d))
    Z = jax.random.normal(key_for(seed, "z"), (2, d))
    for structured, autodiff in _structured_and_autodiff(model, params, X, Z):
        _close(structured, autodiff)


def test_init_and_apply_shapes():
    model = mlp(3, "tanh", "ntk", C_b=0.1, widths=[1, 2, 0.5])
    params = model.init(key_for(0, "shapes"), 8, 5)
    shapes = [(p.W.shape, p.b.shape) for p in params if p != ()]
    assert shapes == [((8, 5), (8,)), ((16, 8), (16,)), ((4, 16), (4,)), ((1, 4), (1,))]
    assert model.apply(params, jnp.ones((7, 5))).shape == (7,)
    assert model.sizes(5, 8) == (5, 8, 16, 4, 1) and model.depth == 3
    assert model.n_params(5, 8) == sum(int(np.prod(a.shape)) for a in jax.tree_util.tree_leaves(params))
    fixed = mlp(2, "relu", sizes=[3, 4]).init(key_for(0, "fixed"), 99, 2)
    assert [p.W.shape for p in fixed if p != ()] == [(3, 2), (4, 3), (1, 4)]


def test_same_key_same_params_and_padding_changes_no_number():
    model = mlp(2, "sigmoid" if _has("sigmoid") else "tanh", "standard", C_b=0.2, law="uniform")
    key, X = key_for(3, "pad"), jax.random.normal(key_for(3, "x"), (4, 3))
    p = model.init(key, 5, 3)
    assert all(np.array_equal(a, b) for a, b in zip(jax.tree_util.tree_leaves(p),
                                                    jax.tree_util.tree_leaves(model.init(key, 5, 3))))
    padded = jax.jit(lambda k, n: model.init(k, n, 3, pad_to=9))(key, jnp.asarray(5.0))
    for small, big in zip(p, padded):
        if small == ():
            continue
        r, c = small.W.shape
        assert np.array_equal(big.W[:r, :c], small.W) and not np.any(big.W[r:]) and not np.any(big.W[:, c:])
        assert np.array_equal(big.b[:r], small.b) and not np.any(big.b[r:])
    _close(model.apply(padded, X, width=jnp.asarray(5.0)), model.apply(p, X))
    _close(model.ntk(padded, X, width=jnp.asarray(5.0)), model.ntk(p, X))
    # σ(0) ≠ 0 for sigmoid: the masks, not zero weights alone, keep padded units out of the gradients
    J = _flat_jacobian(model, p, X)
    Jp = jax.jacrev(lambda q: model.apply(q, X, width=5))(padded)
    Jp = jnp.concatenate([leaf.reshape(4, -1) for leaf in jax.tree_util.tree_leaves(Jp)], axis=1)
    _close(Jp @ Jp.T, J @ J.T)


def _has(name):
    try:
        Activation(name)
        return True
    except ValueError:
        return False


def test_initial_weights_have_the_parametrisation_variance():
    """Standardised entries √(1/w_var)·W are 𝒟(0,1): mean 0, variance 1 within SE_BAND standard errors."""
    n, d = 64, 32
    for par in PARAMETRIZATIONS:
        for law_name in ("normal", "uniform"):
            model = mlp(1, "tanh", par, C_W=2.0, C_b=0.5, law=law_name)
            params = model.init(key_for(1, par, law_name), n, d)
            for p, num in zip([q for q in params if q != ()], [k for k in model.kernel_layers(d, n)
                                                                if isinstance(k, DenseNumbers)]):
                z = np.asarray(p.W).ravel() / np.sqrt(num.w_var)
                se = np.sqrt(np.var(z ** 2) / z.size)
                assert abs(z.mean()) < SE_BAND / np.sqrt(z.size) and abs((z ** 2).mean() - 1) < SE_BAND * se


def test_parametrisation_numbers():
    assert Parametrization("standard").numbers(4, 2.0, 0.5) == DenseNumbers(4, 1.0, 0.5, 1.0, 0.5)
    assert Parametrization("ntk").numbers(4, 2.0, 0.5) == DenseNumbers(4, 0.5, 1.0, 0.5, 1.0)
    assert Parametrization("meanfield").numbers(4, 2.0, None) == DenseNumbers(4, 2.0 / 16, 1.0, 0.0, 0.0)
    assert parametrization("power(1/3)").numbers(8, 1.0, None).w_gain2 == pytest.approx(8 ** (-2 / 3))
    assert str(parametrization(" Power(0.5) ")) == "power(0.5)"
    with pytest.raises(ValueError, match=r"parametrization='lecun' is not one of .*'power\(alpha\)'"):
        parametrization("lecun")
    with pytest.raises(ValueError, match=r"exponent 'a' is not a number; write e.g. 'power\(0.5\)'"):
        parametrization("power(a)")


def test_mlp_builder_and_layer_validation():
    mf = mlp(2, "relu", "meanfield")
    assert [str(layer.parametrization) for layer in mf.dense_layers] == ["ntk", "ntk", "meanfield"]
    # seed 003's linear network at γ: power(γ) hidden layers, power(α) output, identity σ
    lin = mlp(2, "identity", "power(1/3)", output_parametrization="power(0.75)")
    assert [layer.parametrization.alpha for layer in lin.dense_layers] == pytest.approx([1 / 3, 1 / 3, 0.75])
    with pytest.raises(ValueError, match=r"depth=0: the number of hidden layers must be an integer ≥ 1"):
        mlp(0, "tanh")
    with pytest.raises(ValueError, match=r"widths=\[1\] has 1 entries; give one per hidden layer \(depth=2\)"):
        mlp(2, "tanh", widths=[1])
    with pytest.raises(ValueError, match=r"Dense\(C_W=-1\): the weight scale must be a finite number > 0"):
        Dense(None, C_W=-1)
    with pytest.raises(ValueError, match=r"the last layer must be Dense\(1, \.\.\.\)"):
        serial(Dense(None), Activation("tanh"))
    with pytest.raises(ValueError, match=r"law='cauchy' is not a built-in base law"):
        Dense(None, law="cauchy")
    assert hash(mlp(2, "tanh")) == hash(mlp(2, "tanh")) and mlp(2, "tanh") == mlp(2, "tanh")


def test_model_from_table_builds_and_names_every_bad_field():
    table = {"depth": 3, "activation": "relu", "parametrization": "ntk", "C_W": 2.0, "C_b": 0.1, "law": "normal",
             "widths": [1, 2, 1]}
    assert model_from_table(table) == mlp(3, "relu", "ntk", 2.0, 0.1, "normal", widths=[1, 2, 1])
    with pytest.raises(ModelTableError) as err:
        model_from_table({"depth": 2, "activaton": "relu", "C_W": -1, "C_b": "x", "parametrization": "lecun",
                          "law": "cauchy", "widths": [1, 2, 3]})
    lines = err.value.problems
    assert "model.activaton = 'relu': not a model field; did you mean 'activation'?" in lines[0]
    assert lines[1].startswith("model.activation is missing: σ by name") and "add it, e.g. activation" in lines[1]
    expected = [
        "model.C_W = -1: the weight scale must be a finite number > 0; write e.g. C_W = 2.0",
        "model.C_b = 'x': the bias scale must be a finite number ≥ 0; write e.g. C_b = 0.1, or omit it for no bias",
        "model.parametrization = 'lecun': not a parametrisation; choose \"standard\", \"ntk\", \"meanfield\" or "
        "\"power(alpha)\", e.g. \"power(1/3)\"",
        "model.law = 'cauchy': not a base law; choose one of 'normal', 'uniform'",
        "model.widths = [1, 2, 3]: 3 entries for depth = 2; give one per hidden layer (2)",
    ]
    for line in expected:
        assert any(line.split(";")[0] in got for got in lines), (line, lines)
    with pytest.raises(ModelTableError, match=r"model.activation = 'gleu': not a known activation"):
        model_from_table({"depth": 1, "activation": "gleu"})
    with pytest.raises(ModelTableError, match=r"model.depth = 1.5: the number of hidden layers must be an integer"):
        model_from_table({"depth": 1.5, "activation": "tanh"})


# ---- the catalogue models as instances: the structured fast paths against the generic path ---------------------

def test_shallow_block_formulas_equal_the_generic_path():
    d, n = 3, 7
    X = jax.random.normal(key_for(0, "sx"), (5, d))
    for act in ("tanh", "relu", "erf"):
        p = shallow.lecun_init(key_for(0, "shallow", act), n, d, base_law("normal"))
        p = p._replace(b=jax.random.normal(key_for(1, act), (n,)), c=jnp.asarray(0.3))  # trained values
        spec, g = CATALOGUE["shallow"].spec(act), CATALOGUE["shallow"].to_generic(p)
        a = Activation(act).act
        _close(spec.apply(g, X), shallow.forward_batch(p, X, a))
        _close(spec.ntk(g, X), shallow.ntk_matrix(p, X, a))


def test_randnet_scan_path_equals_the_generic_path():
    arch = randnet.Architecture(3, (6, 4, 5), 1, 2.0, "relu")
    key, X = key_for(0, "randnet"), jax.random.normal(key_for(0, "rx"), (4, 3))
    spec, g = CATALOGUE["randnet"].spec(arch), CATALOGUE["randnet"].to_generic(randnet.weights(key, arch))
    _close(spec.apply(g, X), randnet.preactivations(key, X.T, arch)[0])
    _close(spec.apply(g, X), randnet.forward(randnet.weights(key, arch), X.T, "relu")[-1][0])


def test_linear3_forward_and_stated_gradients_equal_the_generic_path():
    m, alpha = 9, 0.75
    p = linear3.init(key_for(0, "linear3"), m)
    spec, g = CATALOGUE["linear3"].spec(alpha), CATALOGUE["linear3"].to_generic(p)
    x = jnp.asarray([[linear3.X_INPUT]])
    _close(spec.apply(g, x)[0], linear3.forward(p, linear3.X_INPUT, alpha))
    grads = jax.grad(lambda q: spec.apply(q, x)[0])(g)
    stated = linear3.gradients(p, linear3.X_INPUT, alpha)
    _close(grads[0].W[:, 0], stated.u)
    _close(grads[1].W, stated.A)
    _close(grads[2].W[0], stated.beta)
    other = CATALOGUE["linear3"].spec(alpha, gamma=1 / 3)
    _close(other.apply(g, x)[0], linear3.forward(p, linear3.X_INPUT, alpha, 1 / 3))


def test_two_layer_models_of_meanfield_and_chizat_equal_the_generic_path():
    m, d = 8, 2
    U = jax.random.normal(key_for(0, "mf"), (m, 1 + d))
    X = jnp.asarray(meanfield.X_INPUTS)
    spec, g = CATALOGUE["meanfield"].spec("erf"), CATALOGUE["meanfield"].to_generic(U)
    want = jnp.stack([meanfield.f_two_layer(U, jnp.ones(m), m, x, jax.scipy.special.erf) for x in X])
    _close(spec.apply(g, X), want)

    xs, _ = chizat.data()
    w = chizat.init(key_for(0, "chizat"), chizat.WIDTH, xs.shape[1], "centred")
    spec, g = CATALOGUE["chizat"].spec(), CATALOGUE["chizat"].to_generic(w, chizat.WIDTH)
    _close(spec.apply(g, jnp.asarray(xs)), chizat.network(xs, chizat.WIDTH)(w))
    J = jax.jacrev(chizat.network(xs, chizat.WIDTH))(w)
    _close(spec.ntk(g, jnp.asarray(xs)), J @ J.T)


def test_generic_init_has_the_catalogue_init_law():
    """Same spec, different draws: the entries' second moments of both inits agree within SE_BAND errors."""
    n, d = 256, 16
    cat = shallow.lecun_init(key_for(2, "cat"), n, d, base_law("uniform"))
    gen = CATALOGUE["shallow"].spec("tanh", "uniform").init(key_for(2, "gen"), n, d)
    for a, b in ((cat.U, gen[0].W), (cat.v, gen[2].W[0])):
        a2, b2 = np.asarray(a).ravel() ** 2, np.asarray(b).ravel() ** 2
        se = np.sqrt(np.var(a2) / a2.size + np.var(b2) / b2.size)
        assert abs(a2.mean() - b2.mean()) < SE_BAND * se
    assert not np.any(gen[0].b) and not np.any(gen[2].b)  # b₀ = c₀ = 0
    arch = randnet.Architecture(d, (n, n), 1, 2.0, "relu")
    ws, gp = randnet.weights(key_for(2, "rc"), arch), CATALOGUE["randnet"].spec(arch).init(key_for(2, "rg"), n, d)
    for a, b in zip(ws, [p.W for p in gp if p != ()]):
        a2, b2 = np.asarray(a).ravel() ** 2, np.asarray(b).ravel() ** 2
        se = np.sqrt(np.var(a2) / a2.size + np.var(b2) / b2.size)
        assert a.shape == b.shape and abs(a2.mean() - b2.mean()) < SE_BAND * se
