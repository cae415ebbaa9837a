"""Built-in observables, registered by each model's module (claims and claim files reuse them)."""
from verify.observables._base import REGISTRY, Observable, Param, get, register
from verify.observables import shallow  # noqa: F401  (registers)
from verify.observables import lin  # noqa: F401  (registers)
from verify.observables import linear3  # noqa: F401  (registers)
from verify.observables import meanfield  # noqa: F401  (registers)
from verify.observables import chizat  # noqa: F401  (registers)
from verify.observables import randnet  # noqa: F401  (registers)
from verify.observables import generic  # noqa: F401  (registers the toy observables)
from verify.observables import mlp  # noqa: F401  (registers the generic observables over any model)

__all__ = ["REGISTRY", "Observable", "Param", "get", "register"]
