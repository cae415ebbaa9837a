"""Interval-against-band decisions: the single rule every comparison of the suite goes through.

A comparison has an accept band A (the claimed value ± its tolerance, or a half-line for a
one-sided claim) and an interval I for the measured quantity at confidence 1−α.
  PASS       I ⊂ A          (the whole plausible range satisfies the claim)
  FAIL       I ∩ A = ∅      (no plausible value satisfies it)
  UNDECIDED  otherwise      (sample more, or INCONCLUSIVE)
If the truth lies in A, FAIL needs I to miss the truth, so P(false FAIL) ≤ α: the false-fail
rate of every comparison is the α its interval was built with.
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from scipy import stats as _st

POWER = 0.9  # the probability with which a discrepancy of one "resolution" is detected


class Decision(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    UNDECIDED = "UNDECIDED"


@dataclass(frozen=True)
class Band:
    lo: float  # may be -inf
    hi: float  # may be +inf

    def __post_init__(self):
        if not self.lo <= self.hi:
            raise ValueError(f"Band(lo={self.lo}, hi={self.hi}): lo must not exceed hi")

    @classmethod
    def around(cls, centre: float, tol: float) -> "Band":
        return cls(centre - tol, centre + tol)

    def contains(self, lo: float, hi: float) -> bool:
        return self.lo <= lo and hi <= self.hi

    def disjoint(self, lo: float, hi: float) -> bool:
        return hi < self.lo or lo > self.hi

    def as_list(self) -> list[float]:
        return [self.lo, self.hi]


def decide(lo: float, hi: float, band: Band) -> Decision:
    if not (math.isfinite(lo) or math.isinf(lo)) or math.isnan(lo) or math.isnan(hi):
        return Decision.UNDECIDED
    if band.contains(lo, hi):
        return Decision.PASS
    if band.disjoint(lo, hi):
        return Decision.FAIL
    return Decision.UNDECIDED


def two_sided_quantile(alpha: float, dof: float | None = None) -> float:
    """q with P(|T| > q) = α for T standard normal (dof None) or Student t."""
    p = 1.0 - alpha / 2.0
    return float(_st.norm.ppf(p) if dof is None or dof > 1e6 else _st.t.ppf(p, dof))


def resolution(se: float, half_width: float, band: Band, centre: float) -> float:
    """Smallest distance of the truth from `centre` that ends in FAIL with probability ≥ POWER.

    FAIL needs the estimate beyond the band edge by more than the half-width; with estimate
    error ~ N(0, se²) that happens with probability POWER once the truth is past the edge by
    half_width + z_POWER·se. For a half-line band only the finite edge counts.
    """
    edge = min(abs(centre - band.lo), abs(band.hi - centre))
    if not math.isfinite(edge):
        edge = abs(band.hi - centre) if math.isfinite(band.hi) else abs(centre - band.lo)
    return float(edge + half_width + _st.norm.ppf(POWER) * se)


def samples_to_decide(estimate: float, half_width: float, band: Band, current: int) -> int | None:
    """Sample count at which the present estimate would be decided (half-width ∝ 1/√N)."""
    gaps = [abs(estimate - e) for e in (band.lo, band.hi) if math.isfinite(e)]
    if not gaps or not 0 < half_width < math.inf or not math.isfinite(estimate):  # NaN: an ERROR upstream
        return None
    gap = min(gaps)
    if gap == 0:
        return None
    return int(math.ceil(current * (half_width / gap) ** 2))
