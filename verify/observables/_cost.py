"""Cost models of observables: how the arithmetic and the memory of a sampler call grow with the
width, the parameters and the replicate count. They are estimates (a constant factor off is fine);
what matters is the growth, so that a claim can be refused before it allocates (a width of 10⁹)
and a default sweep can be fitted to a profile's time budget."""
from __future__ import annotations

from typing import Callable

BYTES = 8  # float64


def per_replicate(flops: Callable[[dict, int], float], cells: Callable[[dict, int], float],
                  chunk: int | Callable[[dict, int], int] = 256):
    """cost(values, width, count) → (flops, bytes) for a sampler that vmaps replicates in chunks of
    at most `chunk` (a number, or a function of the values and width), each replicate holding
    `cells(values, width)` float64 numbers."""

    def cost(values: dict, width, count: int) -> tuple[float, float]:
        n = 1 if width is None else float(width)
        per_chunk = chunk(values, n) if callable(chunk) else chunk
        return float(count) * flops(values, n), BYTES * cells(values, n) * min(int(count), max(1, int(per_chunk)))

    return cost
