"""The sequential Monte Carlo driver shared by every statistical check.

A check draws replicates at one or more widths, evaluates its comparisons at the share of α
for one look, and stops as soon as every comparison is decided. Otherwise it doubles the
replicates and looks again, up to the profile's number of looks; the union bound over looks
(Share.per_look) keeps the false-fail rate valid however early it stops.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from verify._model import Check, CheckResult, Comparison, Context, Figure, PerProfile, View
from verify.stats import Decision

# sample(key, width, count, max_width=None) -> array (count, series): one row per independent
# replicate. max_width is the largest width of the sweep: samplers pad to it so that one XLA
# compilation serves every width (compiling costs seconds per shape on a CPU).
Sampler = Callable[..., np.ndarray]


@dataclass(frozen=True)
class Series:
    """One quantity a check follows: its label, claimed value (or exponent) and tolerance."""

    label: str
    expected: float
    tol: float
    expected_text: str = ""  # the claim's own expression, e.g. "alpha - 1" or "E[σ'σ']"
    reference: str = ""  # how `expected` was obtained
    bias: float | None = None  # LimitSweep: the predicted 1/n^bias_order coefficient of the mean, if known
    bias_tol: float = 0.0


class MonteCarloCheck(Check, abc.ABC):
    view = View.MONTE_CARLO
    # a name for the draws' keys instead of the claim id (a subclass declares it as a field): claims that state one
    # experiment share its draws, with the same numbers whether a claim runs alone or after the others
    key_scope = None
    # the label of the draws' keys in place of the check's name (a subclass declares it as a field): checks of
    # different names that read one shared draw (key_scope, a memoising sampler) name it alike
    key_name = None
    name: str
    sampler: Sampler
    series: tuple[Series, ...]
    replicates: PerProfile  # replicates per width at the first look

    def count_at(self, width, count: int) -> int:
        """Replicates to draw at `width` when the look's base count is `count` (override to thin
        expensive widths; the statistics use each width's own sample size)."""
        return count

    def __post_init__(self):
        object.__setattr__(self, "comparisons", self.count_comparisons())

    def count_comparisons(self) -> int:
        """Stochastic comparisons per look (the claim's α is split by it before anything runs)."""
        return len(self.series)

    def widths_for(self, ctx: Context) -> tuple:
        widths = getattr(self, "widths", None)
        return (None,) if widths is None else tuple(widths(ctx.profile))

    def run(self, ctx: Context) -> CheckResult:
        widths = self.widths_for(ctx)
        alpha = ctx.share.per_look
        data: dict = {w: [] for w in widths}
        count = self.replicates(ctx.profile)
        numeric = [w for w in widths if w is not None]
        extra = {"max_width": max(numeric)} if numeric else {}
        comps: Sequence[Comparison] = ()
        figs: Sequence[Figure] = ()
        drawn = 0  # base replicates so far: each look doubles it
        for look in range(ctx.profile.looks):
            for w in widths:
                n = self.count_at(w, count)
                ctx.progress(f"{self.name}: look {look + 1}/{ctx.profile.looks}, width {w}, {n} replicates")
                key = ctx.key(self.key_name or self.name, -1 if w is None else w, look, scope=self.key_scope)
                draw = np.asarray(self.sampler(key, w, n, **extra))
                data[w].append(draw.reshape(n, -1))
            drawn += count
            stacked = {w: np.concatenate(v, axis=0) for w, v in data.items()}
            comps, figs = self.evaluate(stacked, alpha)
            # stop once decided: every comparison PASS/FAIL, or any FAIL (a FAIL at any look is valid
            # under the union bound, and no later look can turn the claim's verdict into a PASS)
            if all(c.decision != Decision.UNDECIDED for c in comps) or any(c.decision == Decision.FAIL for c in comps):
                break
            count = drawn  # double the total
        return CheckResult(self.name, self.view, tuple(comps), tuple(figs), self.note_text(), look + 1)

    def note_text(self) -> str:
        return ""

    @abc.abstractmethod
    def evaluate(self, data: dict, alpha: float) -> tuple[Sequence[Comparison], Sequence[Figure]]: ...
