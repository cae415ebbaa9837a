"""The model contract: any MLP as an immutable spec, with init/apply for the Monte Carlo view and per-layer
numbers for the infinite-width view (verify.models.reference).

    from verify.models.mlp import Dense, Activation, serial, mlp
    model = mlp(3, "relu", "ntk", C_W=2.0, C_b=0.1)     # or serial(Dense(None, "ntk"), Activation("relu"), …)
    params = model.init(key, width, d)                  # index-addressed draws: padding changes no number
    f = model.apply(params, X)                          # (k, d) → (k,)
    theta = model.ntk(params, X)                        # structured per-layer formula, no Jacobian

The catalogue's five models are instances (CATALOGUE: spec and parameter converter of each).
"""
from verify.models._mlp._catalogue import CATALOGUE, Instance
from verify.models._mlp._layers import Activation, Dense
from verify.models._mlp._model import DenseParams, Model, mlp, serial
from verify.models._mlp._parametrization import DenseNumbers, Parametrization, parametrization
from verify.models._mlp._table import FIELDS, ModelTableError, model_from_table
from verify.models._mlp._tangent import Trace, block_norms, kernel, trace

__all__ = [
    "CATALOGUE", "Activation", "Dense", "DenseNumbers", "DenseParams", "FIELDS", "Instance", "Model",
    "ModelTableError", "Parametrization", "Trace", "block_norms", "kernel", "mlp", "model_from_table",
    "parametrization", "serial", "trace",
]
