"""Base laws 𝒟(0,1) as mpmath objects: density, support and closed-form moments.

Same names as verify.models.LAWS. Every value is computed at the caller's working precision.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import mpmath


@dataclass(frozen=True)
class Law(ABC):
    """A zero-mean, unit-variance, symmetric law on ℝ."""

    name: str
    description: str

    @abstractmethod
    def pdf(self, t) -> mpmath.mpf:
        """Density at t."""

    @property
    @abstractmethod
    def support(self) -> tuple[mpmath.mpf, mpmath.mpf]:
        """(lo, hi) with the density zero outside [lo, hi]."""

    def moment(self, k: int) -> mpmath.mpf:
        """E[ξᵏ] in closed form; odd moments vanish by symmetry."""
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise ValueError(f"k={k!r} is not a moment order; pass an int k >= 0")
        if k % 2:
            return mpmath.mpf(0)
        return self._even_moment(k)

    @abstractmethod
    def _even_moment(self, k: int) -> mpmath.mpf:
        ...


@dataclass(frozen=True)
class NormalLaw(Law):
    def pdf(self, t) -> mpmath.mpf:
        return mpmath.npdf(t)

    @property
    def support(self) -> tuple[mpmath.mpf, mpmath.mpf]:
        return (mpmath.ninf, mpmath.inf)

    def _even_moment(self, k: int) -> mpmath.mpf:
        return mpmath.fac2(k - 1)  # (k−1)!!, with (−1)!! = 1


@dataclass(frozen=True)
class UniformLaw(Law):
    def pdf(self, t) -> mpmath.mpf:
        half_width = mpmath.sqrt(3)
        return 1 / (2 * half_width) if abs(t) <= half_width else mpmath.mpf(0)

    @property
    def support(self) -> tuple[mpmath.mpf, mpmath.mpf]:
        half_width = mpmath.sqrt(3)
        return (-half_width, half_width)

    def _even_moment(self, k: int) -> mpmath.mpf:
        return mpmath.mpf(3) ** (k // 2) / (k + 1)  # ∫ tᵏ dt/(2√3) over [−√3, √3]


LAWS: Mapping[str, Law] = MappingProxyType(
    {
        l.name: l
        for l in (
            NormalLaw("normal", "standard normal N(0,1)"),
            UniformLaw("uniform", "uniform on [-sqrt(3), sqrt(3)]"),
        )
    }
)


def law(name: str | Law) -> Law:
    """The built-in law called `name` (a registered `Law` object is accepted too)."""
    if isinstance(name, Law) and LAWS.get(name.name) is name:
        return name
    if isinstance(name, str) and name in LAWS:
        return LAWS[name]
    raise ValueError(f"law={name!r} is not a built-in base law; choose one of {sorted(LAWS)}")
