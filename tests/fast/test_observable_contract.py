"""One contract test over the whole observable registry (issue 14, item 5), as optax's alias_test runs one test
over every optimizer: every registered observable — the models' own, the toy ones, the generic mlp.* ones, and any
registered later (a plugin, a new group) — is drawn at a small width with a few replicates and must give

- an array (count, len(outputs)), its outputs named by unique non-empty strings;
- finite float64 numbers;
- the same numbers for the same key (bitwise), and other numbers for another key (unless it declares itself
  `deterministic`), with replicates that differ from each other;
- the numbers of the unpadded draw when the sweep's largest width (`max_width`) is larger than the width;
- a cost model, when it declares one, of positive finite (flops, bytes).

Parameters are the declared defaults, except a small mlp model for `model` parameters and the cheaper settings of
SMALL (fewer GD steps, a shorter horizon). Observables whose draw costs a compilation of many seconds even so are
marked slow (HEAVY), not skipped.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from verify._jax import key_for
from verify.models.mlp import mlp
from verify.observables import REGISTRY, Observable
from verify.tolerances import ROUNDOFF

WIDTH, COUNT, PADDED = 8, 3, 32  # a width every observable allows; replicates; the sweep's largest width
SMALL_MODEL = mlp(2, "tanh", "ntk", C_b=0.1)  # with biases, so every parameter block is drawn
# cheaper than the defaults, the same code paths: a few GD steps instead of hundreds, a short horizon
SMALL = {
    "shallow.gd": {"steps": 4},
    "shallow.gd_vs_linearized": {"steps": 4},
    "lin.gd_limit": {"steps": 20},
    "lin.network_gd": {"steps": 4},
    "linear3.trajectory": {"steps": 2},
    "mlp.gd": {"T": 2, "k": 3, "d": 2},
    "chizat.sup_gaps": {"T": 0.5, "width": 4},
    "chizat.sup_gaps_paired": {"width": 4},
    "randnet.finite_width": {"depth": 2, "n_out": 2},
}
# first draw on a cold XLA cache, 2 busy cores: the compilation dominates
HEAVY = {
    "chizat.sup_gaps": "diffrax Dopri8 solves of two gradient flows (12 s)",
    "chizat.sup_gaps_paired": "the same solves at six α up to T = 16",
    "mlp.gd": "T GD steps on the network and its linearisation (27 s)",
    "shallow.gd": "GD trainer (10 s)",
    "shallow.gd_vs_linearized": "GD trainer beside its linearisation",
    "lin.gd_limit": "GD on the linearised model and a pseudo-inverse per replicate (6 s)",
    "lin.assumption_constants": "finite-difference power iteration on the Hessian (10 s)",
}
NAMES = sorted(REGISTRY)


def _cases(names=NAMES):
    return [pytest.param(n, id=n, marks=[pytest.mark.slow] if n in HEAVY else []) for n in names]


def _params(obs: Observable) -> dict:
    return {k: SMALL_MODEL for k, p in obs.params.items() if p.kind == "model"} | SMALL.get(obs.name, {})


def _width(obs: Observable):
    return None if obs.width is None else WIDTH


@functools.cache
def _draw(name: str, seed: int, max_width: int | None = None) -> np.ndarray:
    """One draw, kept for the other tests of the same observable (a copy: the tests must not share a mutation)."""
    obs = REGISTRY[name]
    sample = obs.sampler(**_params(obs))
    extra = {} if max_width is None else {"max_width": max_width}
    return np.asarray(sample(key_for(seed, "contract", name), _width(obs), COUNT, **extra))


def draw(name, seed=0, max_width=None) -> np.ndarray:
    return _draw(name, seed, max_width).copy()


def test_the_registry_holds_every_family():
    """The parametrisation is the registry itself: the built-in families are all in it."""
    families = {n.split(".")[0] for n in NAMES}
    assert {"shallow", "lin", "linear3", "meanfield", "chizat", "randnet", "toy", "mlp"} <= families
    assert set(SMALL) <= set(NAMES) and set(HEAVY) <= set(NAMES), "a table names an observable that is gone"


@pytest.mark.parametrize("name", _cases())
def test_outputs_are_unique_nonempty_names(name):
    outputs = REGISTRY[name].outputs
    assert isinstance(outputs, tuple) and outputs, f"{name}: outputs must be a non-empty tuple, got {outputs!r}"
    bad = [o for o in outputs if not isinstance(o, str) or not o.strip()]
    assert not bad, f"{name}: output names must be non-empty strings, got {bad!r}"
    repeated = sorted({o for o in outputs if outputs.count(o) > 1})
    assert not repeated, f"{name}: output names repeat (a claim selects by name): {repeated}"


@pytest.mark.parametrize("name", _cases())
def test_shape_is_count_by_outputs(name):
    a = draw(name)
    expected = (COUNT, len(REGISTRY[name].outputs))
    assert a.shape == expected, f"{name}: sample(key, {_width(REGISTRY[name])}, {COUNT}) has shape {a.shape}, " \
                                f"the contract says (count, len(outputs)) = {expected}"
    assert a.dtype == np.float64, f"{name}: dtype {a.dtype}, not float64"


@pytest.mark.parametrize("name", _cases())
def test_values_are_finite(name):
    obs, a = REGISTRY[name], draw(name)
    bad = ~np.isfinite(a)
    cols = [obs.outputs[j] if j < len(obs.outputs) else j for j in np.nonzero(bad.any(axis=0))[0]]
    assert not bad.any(), f"{name}: {int(bad.sum())} non-finite values, in outputs {cols}"


@pytest.mark.parametrize("name", _cases())
def test_the_same_key_gives_the_same_numbers(name):
    first = draw(name)
    again = np.asarray(REGISTRY[name].sampler(**_params(REGISTRY[name]))(
        key_for(0, "contract", name), _width(REGISTRY[name]), COUNT))  # a fresh sampler, a fresh call
    assert first.shape == again.shape and np.array_equal(first, again, equal_nan=True), \
        f"{name}: two draws with the same key differ (max |Δ| = {_max_diff(first, again)}): the numbers must be a " \
        "function of the key alone"


@pytest.mark.parametrize("name", _cases())
def test_other_keys_give_other_numbers(name):
    obs, a, b = REGISTRY[name], draw(name, 0), draw(name, 1)
    if obs.deterministic:
        assert np.array_equal(a, b, equal_nan=True), f"{name} is declared deterministic but depends on the key"
        return
    assert not np.array_equal(a, b, equal_nan=True), \
        f"{name}: keys 0 and 1 give the same numbers; a random observable must draw from its key " \
        "(or declare deterministic=True)"
    assert not np.all(a == a[:1]), f"{name}: the {COUNT} replicates of one draw are identical: they must come " \
                                   "from the split keys, one each"


@pytest.mark.parametrize("name", _cases())
def test_a_padded_width_gives_the_unpadded_numbers(name):
    obs = REGISTRY[name]
    if obs.width is None:
        pytest.skip(f"{name} has no width variable: nothing to pad")
    plain, padded = draw(name), draw(name, max_width=PADDED)
    assert plain.shape == padded.shape
    scale = np.max(np.abs(plain), axis=0, initial=0.0)  # per output: a column near 0 is judged on its own scale
    err = np.abs(padded - plain)
    bad = ~((err <= ROUNDOFF.value * np.maximum(np.abs(plain), scale)) | (np.isnan(plain) & np.isnan(padded)))
    cols = [obs.outputs[j] for j in np.nonzero(bad.any(axis=0))[0]]
    assert not bad.any(), f"{name}: max_width={PADDED} changes the numbers at width {WIDTH} (max relative " \
                          f"difference {np.max(err / np.maximum(scale, 1e-300)):.3g}) in outputs {cols[:4]}" \
                          f"{' …' if len(cols) > 4 else ''}: the padding must not enter the draws"


def _vectors(obs: Observable) -> dict:
    return {k: p.default for k, p in obs.params.items() if p.kind == "vector" and len(p.default) >= 2}


@pytest.mark.parametrize("name", _cases([n for n in NAMES if _vectors(REGISTRY[n])]))
def test_the_output_count_does_not_follow_a_vector_length(name):
    """outputs is one static tuple, so a shorter vector parameter (every one cut to its first entry: inputs of
    dimension 1, one α) must give the same columns, or be refused with a message naming the parameter; another
    column count would shift every column a claim selects by name."""
    obs = REGISTRY[name]
    cut = {k: tuple(v[:1]) for k, v in _vectors(obs).items()}
    try:
        a = np.asarray(obs.sampler(**(_params(obs) | cut))(key_for(0, "contract", name), _width(obs), COUNT))
    except ValueError as exc:
        assert any(k in str(exc) for k in cut), f"{name}: refused {cut} without naming the parameter: {exc}"
        return
    assert a.shape == (COUNT, len(obs.outputs)), \
        f"{name}: with {cut} the sampler gives {a.shape[1:]} columns for {len(obs.outputs)} declared outputs"


def test_linear3_refuses_alphas_its_output_names_do_not_carry():
    """Regression: alphas=(1.0, 0.5) gave 52 columns under 78 names, 'α=0.5: …' selecting α = 1's numbers."""
    for name, alphas in (("linear3.one_step", (1.0, 0.5)), ("linear3.trajectory", (0.6,))):
        with pytest.raises(ValueError, match=rf"alphas=\({alphas[0]}.*outputs of {name} are named for α = "):
            REGISTRY[name].sampler(alphas=alphas)
    assert "with_op" not in SMALL.get("linear3.one_step", {}), "the finite-values test must see the default"


@pytest.mark.parametrize("name", _cases([n for n in NAMES if REGISTRY[n].cost is not None]))
def test_the_cost_model_is_positive_and_finite(name):
    obs = REGISTRY[name]
    values = {k: p.default for k, p in obs.params.items()} | _params(obs)
    for width in ((None,) if obs.width is None else (WIDTH, 1024)):
        flops, nbytes = obs.cost(values, width, 100)
        assert all(isinstance(v, (int, float)) and math.isfinite(v) and v > 0 for v in (flops, nbytes)), \
            f"{name}: cost(params, {width}, 100) = ({flops!r}, {nbytes!r}); want positive finite (flops, bytes)"


def _max_diff(a, b):
    return float(np.max(np.abs(a - b))) if a.shape == b.shape else f"shapes {a.shape} vs {b.shape}"
