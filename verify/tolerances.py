"""Tolerances as named data, each with the reason for its size. Tolerances shared across groups live
here; a group's own live in one block at the top of its module. No check carries a bare number, and
a claim's reading states a tolerance by formatting it (f"{KERNEL_REL:g}"), never by retyping it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tol:
    value: float
    reason: str

    def __format__(self, spec: str) -> str:
        """f"±{KERNEL_REL:g}" states the value: reading text is generated from the data, never retyped."""
        return format(self.value, spec)


ROUNDOFF = Tol(1e-12, "float64 round-off of O(n·d) sums and products of O(1) terms, with headroom x100")
INIT_MOMENT = Tol(0.02, "absolute, on standardised moments of order 1-2: a variance 1/n for 1/d, or a missing √, "
                  "moves them by ≥ 25%; 2% is resolved by the quick profile")
LAW_KS = Tol(0.02, "Kolmogorov distance: normal vs uniform of equal variance are 0.042 apart; 0.02 splits them")
KERNEL_REL = Tol(0.02, "relative to √(K(x,x)K(z,z)): a 2% kernel error changes no conclusion drawn from it; the "
                 "σ-kernel and the σ'-kernel differ by O(1)")
CLT_EXPONENT = Tol(0.25, "on a variance exponent over 1.5 decades of width (n ≥ 64): the quick profile resolves ±0.2; "
                   "a spread that does not shrink (slope 0) or shrinks at half the rate (−0.5) stays far outside")
GD_FAILURE_RATE = Tol(0.1, "largest share of runs allowed not to reach the global minimum; 'converges' read as "
                      "'in at least 90% of random initialisations'")
GD_CONVERGED = Tol(1e-10, "f(w_T)/f(w_0) below which a run has reached the global minimum value 0")
