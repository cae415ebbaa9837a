"""Generic observables over any model of the contract (verify.models.mlp): empirical NTK, output covariance
and per-layer kernels, the output itself, gradient norms per block, the Hessian along the gradient, and
gradient descent beside the linearisation.

Every sampler is sample(key, width, count, max_width=None) → (count, outputs): replicate i is a function of
the i-th key of split_keys(key, count) alone, computed in float64 in chunks (at most ELEMENTS_PER_CHUNK
parameters in flight) spread over every device by verify._jax.sharded_vmap. Widths are padded to the next
power of two (≥ 16) with the width traced, so one compilation serves every width of a bucket; the model's
draws are index-addressed, so the padded network holds exactly the unpadded one's parameters and the numbers
do not depend on the padding (nor on max_width, which is accepted for the common contract and not needed).
Each observable declares a cost model, cost(params, width, count) → (flops, bytes).
"""
from __future__ import annotations

import functools
import math

import numpy as np

from verify._jax import jax, jnp, sharded_vmap, split_keys
from verify.models._mlp._layers import Dense
from verify.models._mlp._model import Model, mlp
from verify.models._mlp._table import model_from_table
from verify.models._mlp._tangent import block_norms, forward, kernel, trace
from verify.models._mlp._train import LOSSES, gd_side_by_side, linearized_output
from verify.observables._base import Observable, Param, register
from verify.observables._cost import per_replicate

DEFAULT_MODEL = mlp(2, "tanh", "ntk")
X_DEFAULT, Z_DEFAULT = (0.6, 0.8), (-0.8, 0.9)
ELEMENTS_PER_CHUNK = 2**23  # parameters of all replicates of one chunk (64 MB of float64 per copy)
MAX_CHUNK = 64  # replicates per compiled call: enough to fill the devices, small enough for short runs
MIN_PAD = 16
DRAW_FLOPS = 60  # per parameter: two threefry hashes (key folding) and one normal draw
PASS_FLOPS = 2  # per parameter and input: one multiply-add in a forward or backward pass
DATA_SEED = 20260013  # the GD training sets: fixed per (data_seed, k, d), the same for every run


def padded(n: int) -> int:
    """The padded width of n: the next power of two ≥ max(n, MIN_PAD) (≤ 2x the arithmetic, log₂ compilations)."""
    return max(MIN_PAD, 1 << (int(n) - 1).bit_length())


def _model(value) -> Model:
    return model_from_table(value)


def _vec(name: str, v, d: int | None = None) -> jax.Array:
    a = jnp.asarray(v, dtype=jnp.float64)
    if a.ndim != 1 or a.size < 1:
        raise ValueError(f"{name}={v!r}: give an input vector, e.g. {name} = [0.6, 0.8]")
    if d is not None and a.size != d:
        raise ValueError(f"{name} has {a.size} entries but the other input has {d}; give inputs of one dimension")
    return a


def _dense_index(model: Model, layer: int, what: str) -> int:
    last = len(model.dense_layers)
    if not 1 <= int(layer) <= last:
        raise ValueError(f"layer={layer!r}: {what} has dense layers 1..{last} (the output layer is {last})")
    return int(layer) - 1


def _chunk(model: Model, d: int, pad: int, copies: int) -> int:
    per = max(1, model.n_params(d, pad)) * copies
    return int(max(1, min(MAX_CHUNK, ELEMENTS_PER_CHUNK // per)))


def _run(one, model: Model, d: int, key, width, count: int, *args, copies: int = 2):
    """sharded_vmap of one(key, n, *args) over `count` replicate keys at the padded width of n."""
    n = int(width)
    if n < 1:
        raise ValueError(f"width={width!r}: the hidden width n must be ≥ 1")
    pad = padded(n)
    fn = one(model, d, pad)
    out = sharded_vmap(fn, split_keys(key, count), jnp.asarray(float(n)), *args,
                       chunk=_chunk(model, d, pad, copies))
    return np.asarray(out).reshape(count, -1)


def _cost(passes_per_input, inputs, copies: int = 2):
    """The cost model (verify.observables._cost): per replicate, the draws plus `passes_per_input(values)` passes
    over the parameters for each of `inputs(values)` inputs, at the padded width; memory: `copies` parameter
    copies per replicate of one chunk."""
    def sizes(values, n):
        model, d = _model(values["model"]), _input_dim(values)
        pad = padded(int(n))
        return model, d, pad, model.n_params(d, pad)

    def flops(values, n):
        P = sizes(values, n)[3]
        return DRAW_FLOPS * P + PASS_FLOPS * P * passes_per_input(values) * inputs(values)

    def chunk(values, n):
        model, d, pad, _ = sizes(values, n)
        return _chunk(model, d, pad, copies)

    return per_replicate(flops, lambda values, n: copies * sizes(values, n)[3], chunk)


def _input_dim(values) -> int:
    return int(values["d"]) if "d" in values else len(values["x"])


# ---- mlp.ntk -------------------------------------------------------------------------------------------------

def _scale_power(model: Model, d: int, scale) -> float:
    if scale in (None, "auto"):
        return model.ntk_exponent(d)
    try:
        return float(scale)
    except (TypeError, ValueError):
        raise ValueError(f"scale={scale!r}: give 'auto' (the exponent of the model's Θ_n order) or a number p, "
                         "the outputs then divided by n^p") from None


@functools.lru_cache(maxsize=None)
def _ntk_fn(model: Model, d: int, pad: int):
    def one(key, n, XZ, p):
        params = model.init(key, n, d, pad_to=pad)
        theta = model.ntk(params, XZ, width=n)
        vals = jnp.stack([theta[0, 1], theta[0, 0], theta[1, 1]])
        return jnp.concatenate([vals, vals / n**p])

    return one


def ntk_sampler(model, x, z, scale="auto"):
    model = _model(model)
    x = _vec("x", x)
    XZ = jnp.stack([x, _vec("z", z, x.size)])
    p = _scale_power(model, x.size, scale)
    return lambda key, width, count, max_width=None: _run(_ntk_fn, model, x.size, key, width, count, XZ, p)


MODEL_PARAM = Param("the network: a verify.models.mlp.Model, or a table such as {depth = 2, activation = \"tanh\", "
                    "parametrization = \"ntk\"} (verify.models.mlp.FIELDS)", DEFAULT_MODEL, kind="model")
X_PARAM = Param("first input x", X_DEFAULT, kind="vector")
Z_PARAM = Param("second input z", Z_DEFAULT, kind="vector")
LAYER_DOC = "dense layer ℓ (1 = first hidden layer, L+1 = output layer) for the per-layer column"

register(Observable(
    "mlp.ntk", "mlp",
    "empirical tangent kernel Θ_n of any model at init, by the structured per-layer formula (no Jacobian); also "
    "divided by n^p, p = the model's order of Θ_n (1 standard, 0 ntk, −1 meanfield; scale='auto') or given",
    {"model": MODEL_PARAM, "x": X_PARAM, "z": Z_PARAM,
     "scale": Param("p of the normalised columns: 'auto' or a number", "auto")},
    ("Θ(x,z)", "Θ(x,x)", "Θ(z,z)", "Θ(x,z)/n^p", "Θ(x,x)/n^p", "Θ(z,z)/n^p"),
    ntk_sampler, tags=("ntk", "kernel"),
    cost=_cost(lambda v: 2, lambda v: 2),
))


# ---- mlp.nngp and mlp.output -----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _nngp_fn(model: Model, d: int, pad: int, at: int):
    where = [i for i, layer in enumerate(model.layers) if isinstance(layer, Dense)][at]
    size = model.dense_layers[at].size

    def one(key, n, XZ):
        params = model.init(key, n, d, pad_to=pad)
        inputs, out, _ = forward(model, params, XZ, n)
        zl = inputs[where + 1] if where + 1 < len(inputs) else out
        f = out[:, 0]
        nl = size(n)
        return jnp.stack([f[0] * f[1], f[0] ** 2, f[1] ** 2, zl[0] @ zl[1] / nl, zl[0] @ zl[0] / nl])

    return one


def nngp_sampler(model, x, z, layer=1):
    model = _model(model)
    x = _vec("x", x)
    XZ = jnp.stack([x, _vec("z", z, x.size)])
    at = _dense_index(model, layer, str(model))
    return lambda key, width, count, max_width=None: _run(functools.partial(_nngp_fn, at=at), model, x.size,
                                                          key, width, count, XZ)


register(Observable(
    "mlp.nngp", "mlp",
    "output covariance samples of any model at init (E f(x)f(z) → the NNGP kernel) and the empirical kernel "
    "(1/n_ℓ)⟨z_ℓ(x), z_ℓ(z)⟩ of the preactivations of dense layer ℓ",
    {"model": MODEL_PARAM, "x": X_PARAM, "z": Z_PARAM, "layer": Param(LAYER_DOC, 1, kind="int")},
    ("f(x)f(z)", "f(x)²", "f(z)²", "(1/n_ℓ)⟨z_ℓ(x),z_ℓ(z)⟩", "(1/n_ℓ)‖z_ℓ(x)‖²"),
    nngp_sampler, tags=("nngp", "kernel"),
    cost=_cost(lambda v: 1, lambda v: 2),
))


@functools.lru_cache(maxsize=None)
def _output_fn(model: Model, d: int, pad: int):
    def one(key, n, X):
        return model.apply(model.init(key, n, d, pad_to=pad), X, width=n)

    return one


def output_sampler(model, x):
    model = _model(model)
    X = _vec("x", x)[None, :]
    return lambda key, width, count, max_width=None: _run(_output_fn, model, X.shape[1], key, width, count, X)


register(Observable(
    "mlp.output", "mlp",
    "the output f(x) of any model at init (for its law; cumulants κ₂…κ₈ by verify.stats.kstat)",
    {"model": MODEL_PARAM, "x": X_PARAM},
    ("f(x)",),
    output_sampler, tags=("law",),
    cost=_cost(lambda v: 1, lambda v: 1),
))


# ---- mlp.grad_norms and mlp.hessian_gradient ----------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _grad_norms_fn(model: Model, d: int, pad: int, at: int):
    last = len(model.dense_layers) - 1

    def one(key, n, X):
        params = model.init(key, n, d, pad_to=pad)
        w, b, gx = block_norms(model, trace(model, params, X, n))
        w, b = w[0], b[0]
        hidden = jnp.sum(w[1:last])
        return jnp.stack([w[0], hidden, w[last], jnp.sum(b), w[at], jnp.sum(w) + jnp.sum(b), gx[0]])

    return one


def grad_norms_sampler(model, x, layer=1):
    model = _model(model)
    X = _vec("x", x)[None, :]
    at = _dense_index(model, layer, str(model))
    return lambda key, width, count, max_width=None: _run(functools.partial(_grad_norms_fn, at=at), model,
                                                          X.shape[1], key, width, count, X)


register(Observable(
    "mlp.grad_norms", "mlp",
    "squared gradient norms of f(x) at init per block (first layer, hidden layers together, output layer, all "
    "biases, layer ℓ), in all (= Θ(x,x)), and the input gradient ‖∂f/∂x‖², by the structured backward pass",
    {"model": MODEL_PARAM, "x": X_PARAM, "layer": Param(LAYER_DOC, 1, kind="int")},
    ("‖∂f/∂W_in‖²", "‖∂f/∂W_hidden‖²", "‖∂f/∂W_out‖²", "‖∂f/∂b‖²", "‖∂f/∂W_ℓ‖²", "‖∂f/∂θ‖²", "‖∂f/∂x‖²"),
    grad_norms_sampler, tags=("gradient",),
    cost=_cost(lambda v: 2, lambda v: 1),
))


def _dot(a, b):
    return sum(jnp.vdot(u, v) for u, v in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)))


@functools.lru_cache(maxsize=None)
def _hessian_fn(model: Model, d: int, pad: int):
    def one(key, n, X):
        params = model.init(key, n, d, pad_to=pad)
        f = lambda p: model.apply(p, X, width=n)[0]  # noqa: E731
        g = jax.grad(f)(params)
        hg = jax.jvp(jax.grad(f), (params,), (g,))[1]
        gg, ghg = _dot(g, g), _dot(g, hg)
        return jnp.stack([ghg / gg, gg, ghg])

    return one


def hessian_sampler(model, x):
    model = _model(model)
    X = _vec("x", x)[None, :]
    return lambda key, width, count, max_width=None: _run(_hessian_fn, model, X.shape[1], key, width, count, X,
                                                          copies=4)


register(Observable(
    "mlp.hessian_gradient", "mlp",
    "the Hessian of f(x) along its gradient at init: gᵀHg/‖g‖², g = ∇_θf(x), H = Hess_θ f(x) (one reverse "
    "pass and one forward-over-reverse pass, no P×P matrix)",
    {"model": MODEL_PARAM, "x": X_PARAM},
    ("gᵀHg/‖g‖²", "‖g‖²", "gᵀHg"),
    hessian_sampler, tags=("hessian",),
    cost=_cost(lambda v: 8, lambda v: 1, copies=4),
))


# ---- mlp.gd ------------------------------------------------------------------------------------------------------

def training_set(k: int, d: int, data_seed: int = 0, targets=None):
    """k training inputs and one test input, each uniform on the sphere of radius √d (‖x‖²/d = 1), and targets
    from a linear teacher y = ⟨u, x⟩/√d, u ~ N(0, I_d) (or the given targets): fixed by (data_seed, k, d)."""
    if isinstance(k, bool) or int(k) < 1 or int(d) < 1:
        raise ValueError(f"k={k!r}, d={d!r}: give at least one training point (k ≥ 1) of dimension d ≥ 1")
    rng = np.random.default_rng([DATA_SEED, int(data_seed), int(k), int(d)])
    X = rng.standard_normal((int(k) + 1, int(d)))
    X *= math.sqrt(d) / np.linalg.norm(X, axis=1, keepdims=True)
    u = rng.standard_normal(int(d))
    y = X[:-1] @ u / math.sqrt(d)
    if targets is not None and len(targets):
        if len(targets) != int(k):
            raise ValueError(f"targets has {len(targets)} entries for k = {k} training points; give one per point")
        y = np.asarray(targets, dtype=np.float64)
    return X[:-1], y, X[-1:]


@functools.lru_cache(maxsize=None)
def _gd_fn(model: Model, d: int, pad: int, steps: int, at: int, loss: str):
    dense = [i for i, layer in enumerate(model.layers) if isinstance(layer, Dense)]
    last = len(dense) - 1

    def one(key, n, X, y, x_test, c, p):
        params = model.init(key, n, d, pad_to=pad)
        eta = c * n**p
        run = gd_side_by_side(model, params, X, y, eta, steps, n, loss)
        d2 = jnp.stack([jnp.sum((run.params[i].W - params[i].W) ** 2) for i in dense])
        w2 = jnp.stack([jnp.sum(params[i].W ** 2) for i in dense])
        theta0, thetaT = model.ntk(params, X, width=n), model.ntk(run.params, X, width=n)
        gap = model.apply(run.params, x_test, width=n)[0] - linearized_output(model, params, run.linear, x_test, n)[0]
        loss0 = 0.5 * jnp.sum((model.apply(params, X, width=n) - y) ** 2)
        hidden = jnp.sqrt(jnp.sum(d2[1:last]) / jnp.sum(w2[1:last])) if last > 1 else jnp.nan
        return jnp.stack([jnp.sqrt(d2[0] / w2[0]), hidden, jnp.sqrt(d2[last] / w2[last]), jnp.sqrt(d2[at] / w2[at]),
                          jnp.sqrt(jnp.sum(d2) / jnp.sum(w2)),
                          jnp.linalg.norm(thetaT - theta0) / jnp.linalg.norm(theta0), jnp.abs(gap),
                          run.loss, run.loss_lin, loss0])

    return one


def gd_sampler(model, T=8, lr_c=0.5, lr_p=0.0, loss="square", k=4, d=3, data_seed=0, targets=(), layer=1):
    model = _model(model)
    if isinstance(T, bool) or int(T) < 1:
        raise ValueError(f"T={T!r}: the number of gradient steps must be an integer ≥ 1")
    X, y, x_test = (jnp.asarray(a) for a in training_set(int(k), int(d), int(data_seed), targets))
    at = _dense_index(model, layer, str(model))
    one = functools.partial(_gd_fn, steps=int(T), at=at, loss=str(loss))
    return lambda key, width, count, max_width=None: _run(one, model, int(d), key, width, count, X, y, x_test,
                                                          float(lr_c), float(lr_p), copies=6)


register(Observable(
    "mlp.gd", "mlp",
    "T steps of gradient descent on L = ½Σᵢ(f(xᵢ) − yᵢ)² from init, η = c·n^p, on the network and on its "
    "linearisation at θ⁰ side by side (k fixed points on the sphere of radius √d, linear-teacher targets): relative "
    "weight drift per block, relative change of the NTK Gram on the training points, output gap at a test point, "
    "final losses",
    {"model": MODEL_PARAM, "T": Param("number of GD steps", 8, kind="int"),
     "lr_c": Param("c of the learning rate η = c·n^p (0.5: ηλ_max(Θ₀) ≈ 1 for the default model and data)", 0.5,
                   kind="float"),
     "lr_p": Param("p of the learning rate η = c·n^p", 0.0, kind="float"),
     "loss": Param("training loss", "square", LOSSES),
     "k": Param("number of training points", 4, kind="int"), "d": Param("input dimension", 3, kind="int"),
     "data_seed": Param("seed of the fixed training set", 0, kind="int"),
     "targets": Param("targets (one per point); empty: the linear teacher's", (), kind="vector"),
     "layer": Param(LAYER_DOC, 1, kind="int")},
    ("‖ΔW_in‖/‖W_in⁰‖", "‖ΔW_hidden‖/‖W_hidden⁰‖", "‖ΔW_out‖/‖W_out⁰‖", "‖ΔW_ℓ‖/‖W_ℓ⁰‖", "‖Δθ_W‖/‖θ_W⁰‖",
     "‖Θ_T − Θ_0‖_F/‖Θ_0‖_F", "|f_T(x*) − f^lin_T(x*)|", "L(θ_T)", "L^lin(q_T)", "L(θ_0)"),
    gd_sampler, tags=("gd", "lazy"),
    cost=_cost(lambda v: 7 * int(v["T"]) + 8, lambda v: int(v["k"]), copies=6),
))
