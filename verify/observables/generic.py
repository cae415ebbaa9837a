"""Toy observables with textbook answers: sums of n iid variables.

Cheap (NumPy, no compilation), so claim files, examples and tests can exercise every claim kind
in milliseconds, and every answer is known: E[(1/n)Σξᵢ²] = μ²+s², E|n^-p Σξᵢ| = s·√(2/π)·n^(1/2−p)
for μ = 0 and a normal law, n^-1/2 Σξᵢ → N(0, s²) for every law (CLT)."""
from __future__ import annotations

import math

import numpy as np

from verify.observables._cost import per_replicate
from verify.observables._base import Observable, Param, register

# ζ with E ζ = 0, E ζ² = 1, drawn by a NumPy generator
_STANDARD = {
    "normal": lambda rng, shape: rng.standard_normal(shape),
    "uniform": lambda rng, shape: rng.uniform(-math.sqrt(3.0), math.sqrt(3.0), shape),
    "rademacher": lambda rng, shape: rng.integers(0, 2, shape) * 2.0 - 1.0,
    "exponential": lambda rng, shape: rng.standard_exponential(shape) - 1.0,
}
_CELLS = 1 << 22  # draws held in memory at once (32 MB of float64)


def numpy_rng(key) -> np.random.Generator:
    """A NumPy generator seeded by a JAX PRNG key: the same key gives the same numbers."""
    import jax

    data = np.asarray(jax.random.key_data(key) if jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key) else key)
    return np.random.default_rng([int(v) for v in data.ravel()])


def sum_sampler(law: str, mean: float, sd: float, power: float):
    draw = _STANDARD[law]

    def sample(key, n, count, max_width=None):
        if n is None:
            raise ValueError("toy.sum needs a width n (the number of summands)")
        rng, n = numpy_rng(key), int(n)
        out = np.empty((count, 4))
        step = max(1, _CELLS // n)
        for start in range(0, count, step):
            xi = mean + sd * draw(rng, (min(step, count - start), n))
            s, q = xi.sum(axis=1), (xi ** 2).sum(axis=1)
            out[start:start + len(xi)] = np.column_stack([s * n ** -power, np.abs(s) * n ** -power, q / n, q])
        return out

    return sample


register(Observable(
    "toy.sum", "toy",
    "sums of n iid ξᵢ = mean + sd·ζᵢ, ζ standardised (E ζ = 0, E ζ² = 1) with the chosen law; a toy with "
    "textbook answers for trying claim kinds",
    {"law": Param("law of ζ", "normal", tuple(_STANDARD)),
     "mean": Param("μ = E ξ", 0.0, kind="float"),
     "sd": Param("s = standard deviation of ξ", 1.0, kind="float"),
     "power": Param("p in the normalisation n^-p", 0.5, kind="float")},
    ("n^-p·Σξᵢ", "n^-p·|Σξᵢ|", "(1/n)Σξᵢ²", "Σξᵢ²"),
    lambda law, mean, sd, power: sum_sampler(law, float(mean), float(sd), float(power)),
    tags=("toy",),
    cost=per_replicate(lambda v, n: 6 * n, lambda v, n: n, lambda v, n: _CELLS // n),
))
