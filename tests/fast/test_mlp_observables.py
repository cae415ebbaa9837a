"""The generic observables over the model contract (verify.observables.mlp): the registry contract (shape,
names, finite values, determinism, padding, cost model), agreement with direct computations, and Monte Carlo
means against the infinite-width references where the finite-width mean is exact."""
from __future__ import annotations

import numpy as np
import pytest

from jax.flatten_util import ravel_pytree

from verify._jax import jax, jnp, key_for
from verify.models.mlp import mlp, model_from_table
from verify.models.reference import nngp_ntk
from verify.models._mlp._train import gd_side_by_side
from verify.observables import REGISTRY, get
from verify.observables import mlp as obs
from verify.tolerances import ROUNDOFF

NAMES = sorted(n for n in REGISTRY if n.startswith("mlp."))
SE_BAND = 5.0  # |mean − exact| ≤ 5 standard errors: a true expectation fails with p < 1e-6 (CLT, 400 replicates)
SMALL = mlp(2, "tanh", "ntk", C_b=0.1)  # with biases, so every block is exercised
SMALL_PARAMS = {"mlp.gd": {"model": SMALL, "T": 3, "k": 3, "d": 2}}


def _sampler(name, **extra):
    return get(name).sampler(**{"model": SMALL, **SMALL_PARAMS.get(name, {}), **extra})


def test_every_generic_observable_is_registered():
    assert NAMES == ["mlp.gd", "mlp.grad_norms", "mlp.hessian_gradient", "mlp.nngp", "mlp.ntk", "mlp.output"]


@pytest.mark.parametrize("name", NAMES)
def test_shape_names_finite_deterministic_padding_and_cost(name, monkeypatch):
    o = get(name)
    assert o.params["model"].kind == "model" and len(set(o.outputs)) == len(o.outputs)
    s = _sampler(name)
    a = s(key_for(0, name), 12, 5)
    assert a.shape == (5, len(o.outputs)) and np.all(np.isfinite(a))
    assert np.array_equal(a, s(key_for(0, name), 12, 5))
    assert not np.allclose(a, s(key_for(1, name), 12, 5))
    assert np.array_equal(a[:3], s(key_for(0, name), 12, 5)[:3])
    monkeypatch.setattr(obs, "MIN_PAD", 64)  # pad 12 → 64 instead of 16: the same numbers
    np.testing.assert_allclose(s(key_for(0, name), 12, 5), a, rtol=1e-10, atol=ROUNDOFF.value)
    values = {k: p.default for k, p in o.params.items()} | {"model": SMALL} | SMALL_PARAMS.get(name, {})
    flops, nbytes = o.cost(values, 64, 100)
    flops_wide, _ = o.cost(values, 256, 100)
    assert 0 < flops < flops_wide and nbytes > 0


def test_replicates_are_the_model_at_the_replicate_keys():
    """Replicate i is the network model.init(split(key)[i], n, d): Θ(x,x) of mlp.ntk is ‖∂f/∂θ‖² of
    mlp.grad_norms, and gᵀHg/‖g‖² equals the explicit Hessian's."""
    key, n, x = key_for(3, "replicates"), 5, jnp.asarray(obs.X_DEFAULT)
    theta = _sampler("mlp.ntk")(key, n, 3)
    norms = _sampler("mlp.grad_norms")(key, n, 3)
    np.testing.assert_allclose(theta[:, 1], norms[:, 5], rtol=1e-12)
    hess = _sampler("mlp.hessian_gradient")(key, n, 3)
    params = SMALL.init(jax.random.split(key, 3)[1], n, 2)
    flat, unravel = ravel_pytree(params)
    f = lambda v: SMALL.apply(unravel(v), x[None])[0]  # noqa: E731
    g, H = jax.grad(f)(flat), jax.hessian(f)(flat)
    assert hess[1, 0] == pytest.approx(float(g @ H @ g / (g @ g)), rel=1e-10)
    out = _sampler("mlp.output")(key, n, 3)
    assert out[1, 0] == pytest.approx(float(SMALL.apply(params, x[None])[0]), rel=1e-12)


def test_gd_side_by_side_equals_autodiff_steps():
    model, eta = mlp(2, "tanh", "ntk", C_b=0.2), 0.3
    X, y, _ = obs.training_set(3, 2)
    X, y = jnp.asarray(X), jnp.asarray(y)
    p0 = model.init(key_for(0, "gd"), 6, 2)
    run = gd_side_by_side(model, p0, X, y, eta, 2)
    loss = lambda p: 0.5 * jnp.sum((model.apply(p, X) - y) ** 2)  # noqa: E731
    step = lambda p, g: jax.tree_util.tree_map(lambda u, v: u - eta * v, p, g)  # noqa: E731
    p = step(p0, jax.grad(loss)(p0))
    p = step(p, jax.grad(loss)(p))
    f0, jvp = jax.linearize(lambda q: model.apply(q, X), p0)
    lin_loss = lambda q: 0.5 * jnp.sum((f0 + jvp(jax.tree_util.tree_map(jnp.subtract, q, p0)) - y) ** 2)  # noqa
    q = step(p0, jax.grad(lin_loss)(p0))
    q = step(q, jax.grad(lin_loss)(q))
    assert float(run.loss) == pytest.approx(float(loss(p)), rel=1e-12)
    assert float(run.loss_lin) == pytest.approx(float(lin_loss(q)), rel=1e-12)


def test_gd_is_lazy_at_large_width():
    """NTK parametrisation: the relative NTK change and the output gap after T steps shrink with the width."""
    s = get("mlp.gd").sampler(model=mlp(2, "tanh", "ntk"), T=3, k=3, d=2)
    col = get("mlp.gd").outputs.index("‖Θ_T − Θ_0‖_F/‖Θ_0‖_F")
    narrow, wide = s(key_for(0, "lazy"), 16, 8)[:, col], s(key_for(0, "lazy"), 256, 8)[:, col]
    assert np.median(wide) < np.median(narrow) / 2


def _within(samples, exact, what):
    mean, se = samples.mean(), samples.std(ddof=1) / np.sqrt(samples.size)
    assert abs(mean - exact) <= SE_BAND * se, f"{what}: mean {mean:.5f} ± {se:.5f} (1 SE), exact {exact:.5f}"


def test_monte_carlo_means_match_the_float64_reference():
    """Exact at every width, so no bias term enters the band: a one-hidden-layer net's E Θ_n and E f(x)f(z)
    (Gaussian hidden preactivations), and the second layer's E (1/n₂)⟨z₂(x), z₂(z)⟩ of a depth-2 net."""
    X = np.asarray([obs.X_DEFAULT, obs.Z_DEFAULT])
    relu, erf = mlp(1, "relu", "ntk", C_W=2.0, C_b=0.1), mlp(1, "erf", "ntk", C_W=2.0, C_b=0.1)
    ref = nngp_ntk(relu, X)
    theta = get("mlp.ntk").sampler(model=relu)(key_for(0, "mc"), 64, 400)
    _within(theta[:, 0], float(ref.ntk[0, 1]), "relu Θ(x,z)")
    _within(theta[:, 2], float(ref.ntk[1, 1]), "relu Θ(z,z)")
    layer2 = get("mlp.nngp").sampler(model=mlp(2, "relu", "ntk", C_W=2.0, C_b=0.1), layer=2)
    _within(layer2(key_for(0, "layer2"), 64, 400)[:, 3], float(ref.nngp[0, 1]), "relu layer-2 kernel")
    out = get("mlp.nngp").sampler(model=erf)(key_for(0, "erf"), 64, 400)
    _within(out[:, 0], float(nngp_ntk(erf, X).nngp[0, 1]), "erf f(x)f(z)")


def test_reference_of_the_standard_parametrisation_needs_a_width():
    X = [obs.X_DEFAULT, obs.Z_DEFAULT]
    with pytest.raises(ValueError, match=r"depend on the width \(Θ_n = O\(n\^1\)\); pass width=n"):
        nngp_ntk(mlp(1, "relu", "standard"), X)
    k64, k128 = nngp_ntk(mlp(1, "relu", "standard"), X, width=64), nngp_ntk(mlp(1, "relu", "standard"), X, width=128)
    assert float(k128.nngp[0, 1]) == pytest.approx(float(k64.nngp[0, 1]), rel=1e-14)
    assert float(k128.ntk[0, 1]) > 1.9 * float(k64.ntk[0, 1])  # the O(n) output block


def test_reference_float64_and_mpmath_compositions_agree():
    model, X = mlp(2, "erf", "ntk", C_W=1.5, C_b=0.2), [obs.X_DEFAULT, obs.Z_DEFAULT]
    a, b = nngp_ntk(model, X), nngp_ntk(model, X, precision="mp", dps=30)
    assert b.digits >= 25
    np.testing.assert_allclose(np.asarray(a.ntk), np.asarray(b.ntk, dtype=float), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(a.nngp), np.asarray(b.nngp, dtype=float), rtol=1e-12)


def test_model_parameter_takes_a_table_and_bad_values_are_named():
    table = {"depth": 1, "activation": "relu", "parametrization": "ntk"}
    a = get("mlp.output").sampler(model=table)(key_for(0, "table"), 8, 4)
    b = get("mlp.output").sampler(model=model_from_table(table))(key_for(0, "table"), 8, 4)
    assert np.array_equal(a, b)
    with pytest.raises(ValueError, match=r"model.depth = 0: the number of hidden layers must be an integer ≥ 1"):
        get("mlp.ntk").sampler(model={"depth": 0, "activation": "relu"})
    with pytest.raises(ValueError, match=r"layer=4: .* has dense layers 1..3 \(the output layer is 3\)"):
        get("mlp.nngp").sampler(model=SMALL, layer=4)
    with pytest.raises(ValueError, match=r"z has 3 entries but the other input has 2"):
        get("mlp.ntk").sampler(model=SMALL, z=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match=r"targets has 2 entries for k = 4 training points"):
        get("mlp.gd").sampler(model=SMALL, targets=(1.0, 2.0))
