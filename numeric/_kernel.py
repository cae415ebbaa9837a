"""The pair of infinite-width kernels a layer map takes and returns (numeric.kernels_f64, numeric.kernels_mp)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, eq=False)
class Kernel:
    """Per-unit kernels over k inputs: nngp K (k×k, the covariance of a unit's preactivations) and ntk Θ (k×k).

    digits: (kernels_mp) the decimal digits every entry is certified to, relative to the scale √(MᵢᵢMⱼⱼ) of its
    row and column; None in float64. shadow: (kernels_mp) the same kernels computed at a lower precision along
    the same layers, whose agreement with these gives `digits`.
    """

    nngp: Any
    ntk: Any
    digits: int | None = None
    shadow: Kernel | None = field(default=None, repr=False)
