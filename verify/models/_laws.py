"""Base laws 𝒟(0,1) for initialisation: zero mean, unit variance. 𝒟(0,s²) is the law of s·ξ, ξ ~ 𝒟(0,1)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from verify._jax import jax

_SQRT3 = 3.0**0.5


@dataclass(frozen=True)
class Law:
    name: str
    sample: Callable  # (key, shape) -> standardized draws
    description: str


LAWS: dict[str, Law] = {
    l.name: l
    for l in (
        Law("normal", lambda key, shape: jax.random.normal(key, shape), "standard normal N(0,1)"),
        Law(
            "uniform",
            lambda key, shape: jax.random.uniform(key, shape, minval=-_SQRT3, maxval=_SQRT3),
            "uniform on [-sqrt(3), sqrt(3)]",
        ),
    )
}


def law(name: str) -> Law:
    try:
        return LAWS[name]
    except KeyError:
        raise ValueError(f"law={name!r} is not a built-in base law; choose one of {sorted(LAWS)}") from None
