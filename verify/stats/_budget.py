"""The false-fail budget of a run, and how a claim splits its share.

Bonferroni over a fixed number of catalogue slots, not Holm over the claims of this run: with
Holm a claim's verdict would depend on the p-values of the other claims in the run, so
`--only ID` could give a different verdict than the full run. A fixed per-claim α keeps every
claim's verdict a function of (claim, profile, seed) alone.
"""
from __future__ import annotations

from dataclasses import dataclass

RUN_FALSE_FAIL_RATE = 0.01  # P(any true claim FAILs) over a whole-catalogue run
CATALOGUE_SLOTS = 100  # claims (incl. .corrected companions) the budget is divided over
CLAIM_FALSE_FAIL_RATE = min(1e-3, RUN_FALSE_FAIL_RATE / CATALOGUE_SLOTS)  # = 1e-4


@dataclass(frozen=True)
class Share:
    """The false-fail rate a check may spend, already divided over its sequential looks."""

    alpha: float  # for the whole check
    comparisons: int  # stochastic comparisons the check makes at each look
    looks: int  # sequential stages it may take

    @property
    def per_look(self) -> float:
        """α of one comparison at one look: a FAIL at any look needs some interval to miss, so
        the union bound over comparisons × looks keeps the check's false-fail rate ≤ alpha."""
        return self.alpha / (self.comparisons * self.looks)
