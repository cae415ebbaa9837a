"""Infinite-width references of any model of the contract: the NNGP and NTK recursions as a fold of the layer
maps of numeric.kernels_f64 (float64, vectorised) or numeric.kernels_mp (mpmath, digits certified) over the
model's per-layer numbers (Model.kernel_layers):

    K⁽⁰⁾ = XXᵀ/d, Θ⁽⁰⁾ = 0;  Dense: K' = w_gain²·w_var·fan_in·K + b_gain²·b_var,
                                     Θ' = w_gain²·fan_in·K + b_gain² + w_gain²·w_var·fan_in·Θ;
                             Activation: K' = E[σ(u)σ(v)], Θ' = E[σ'(u)σ'(v)]·Θ.

The result at the output layer is E f(x)f(z) (nngp) and the tangent kernel's limit (ntk). Under ntk-type
parametrisations the numbers depend on the width only through products that do not (width=None works);
under standard, meanfield or power(α) layers the kernels carry powers of n (Θ_n = O(n) under standard): pass
width=n for the kernels at the scale of width n, the expectation the Monte Carlo mean at width n is held to.
"""
from __future__ import annotations

import functools
import importlib

import numpy as np

from verify.models._mlp._model import Model
from verify.models._mlp._parametrization import DenseNumbers
from verify.models._mlp._table import model_from_table

PRECISIONS = {"f64": "numeric.kernels_f64", "mp": "numeric.kernels_mp"}


@functools.lru_cache(maxsize=256)
def _width_free(model: Model, d: int) -> bool:
    def products(n):
        return [(k.w_gain2 * k.w_var * k.fan_in, k.w_gain2 * k.fan_in, k.b_gain2, k.b_var)
                for k in model.kernel_layers(d, n) if isinstance(k, DenseNumbers)]

    return np.allclose(products(1), products(7), rtol=1e-13, atol=0)


@functools.lru_cache(maxsize=128)
def _f64_fold(model: Model, d: int, width: int, nodes: int | None):
    """The whole float64 recursion as one compiled function of X: one dispatch per call instead of one per
    layer map (per-call overhead dominated a 64×64 Gram: ~3 ms against ~0.3 ms compiled once)."""
    from numeric import kernels_f64 as maps
    from verify._jax import jax

    layers = model.kernel_layers(d, width)
    extra = {} if nodes is None else {"nodes": nodes}

    @jax.jit
    def fold(X):
        kern = maps.input_kernel(X)
        for item in layers:
            if isinstance(item, DenseNumbers):
                kern = maps.dense(kern, **item._asdict())
            else:
                kern = maps.activation(kern, item, **extra)
        return kern

    return fold


def nngp_ntk(model, X, width: int | None = None, precision: str = "f64", **options):
    """numeric._kernel.Kernel(nngp, ntk) of the model's output at the inputs X (rows, shape (k, d)).

    options go to the layer maps: dps= for "mp", nodes= (of the trapezoidal fallback) for "f64"'s activations."""
    model = model_from_table(model)
    if precision not in PRECISIONS:
        raise ValueError(f"precision={precision!r} is not one of {', '.join(PRECISIONS)}")
    maps = importlib.import_module(PRECISIONS[precision])
    if precision == "f64":
        X = np.asarray(X, dtype=np.float64)
        d = X.shape[1] if X.ndim == 2 else 0
    else:
        rows = [list(r) for r in (X.tolist() if hasattr(X, "tolist") else X)]
        d = len(rows[0]) if rows else 0
    if width is None:
        if not _width_free(model, d):
            raise ValueError(f"the kernels of {model} depend on the width (Θ_n = O(n^{model.ntk_exponent(d):g})); "
                             "pass width=n for the kernels at the scale of width n")
        width = 1
    if precision == "f64":
        if X.ndim != 2 or 0 in X.shape:
            raise ValueError(f"X has shape {X.shape}; pass k ≥ 1 inputs of one length d ≥ 1 as a (k, d) array")
        return _f64_fold(model, d, int(width), options.get("nodes"))(X)
    dps = {"dps": options["dps"]} if "dps" in options else {}
    kern = maps.input_kernel(rows if precision == "mp" else np.asarray(rows, dtype=np.float64), **dps)
    for item in model.kernel_layers(d, int(width)):
        if isinstance(item, DenseNumbers):
            kern = maps.dense(kern, **item._asdict(), **dps)
        else:
            kern = maps.activation(kern, item, **options)
    return kern
