"""ntkverify: verify claims of wide-network theory — symbolic (SymPy), closed form (mpmath), Monte Carlo (JAX).

The public surface, for notebooks and for packages that extend the suite (a package adds models and
observables by declaring a module in the entry-point group ``ntkverify.observables``)::

    from verify import mlp, Dense, Activation, serial, Observable, Param, register, limit, scaling
    from verify import api        # run(), check(), stability()

Names resolve lazily, so ``import verify.x`` stays cheap (JAX and SymPy load on first use).
"""
from __future__ import annotations

import importlib

_PUBLIC = {
    # claims and checks
    "Claim": "verify._model", "Check": "verify._model", "Verdict": "verify._model", "View": "verify._model",
    "Profile": "verify._model", "PROFILES": "verify._model",
    # claim builders (the same as a claim file's kinds)
    "identity": "verify.claimfile", "limit": "verify.claimfile", "scaling": "verify.claimfile",
    "psd": "verify.claimfile", "law": "verify.claimfile", "moment": "verify.claimfile",
    "load": "verify.claimfile", "ClaimFileError": "verify.claimfile",
    # observables
    "Observable": "verify.observables", "Param": "verify.observables", "register": "verify.observables",
    "REGISTRY": "verify.observables",
    # the model contract
    "Model": "verify.models.mlp", "Dense": "verify.models.mlp", "Activation": "verify.models.mlp",
    "serial": "verify.models.mlp", "mlp": "verify.models.mlp", "model_from_table": "verify.models.mlp",
    "nngp_ntk": "verify.models.reference",
}
_MODULES = ("api",)

__all__ = sorted(_PUBLIC) + list(_MODULES)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    if name in _MODULES:
        return importlib.import_module(f"verify.{name}")
    raise AttributeError(f"module 'verify' has no attribute {name!r}; the public names are: {', '.join(__all__)}")


def __dir__():
    return __all__
