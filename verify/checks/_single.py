"""Monte Carlo checks at one setting: a mean, a law, a proportion."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from verify._model import Comparison, Figure, PerProfile, View
from verify.checks._montecarlo import MonteCarloCheck, Sampler, Series
from verify.stats import Band, clopper_pearson, decide, dkw_epsilon, ks_distance, mean, resolution, samples_to_decide
from verify.stats._decision import POWER


@dataclass(frozen=True)
class MeanEquals(MonteCarloCheck):
    """E[observable] equals a closed form, within tol (batch-means interval)."""

    name: str
    sampler: Sampler
    series: tuple[Series, ...]
    replicates: PerProfile
    key_scope: str | None = None  # MonteCarloCheck.key_scope (with a memoising sampler: one draw for every claim)
    key_name: str | None = None  # MonteCarloCheck.key_name: the shared draw's label when the check names differ
    comparisons: int = field(default=0)

    def evaluate(self, data, alpha):
        x = data[None]
        comps = []
        for j, s in enumerate(self.series):
            est = mean(x[:, j])
            lo, hi = est.interval(alpha)
            hw = est.half_width(alpha)
            band = Band.around(s.expected, s.tol)
            comps.append(Comparison(
                f"{s.label}", View.MONTE_CARLO, s.expected, est.value, (lo, hi), band, decide(lo, hi, band),
                alpha, resolution(est.se, hw, band, s.expected), s.reference, len(x),
                needs=samples_to_decide(est.value, hw, band, len(x)), detail={"expected_text": s.expected_text,
                                                                              "se": est.se}))
        return comps, ()


@dataclass(frozen=True)
class LawEquals(MonteCarloCheck):
    """The law of a scalar observable is the stated one: the Kolmogorov distance to the stated
    CDF, with the distribution-free DKW interval, must be ≤ tol (PASS) or > tol (FAIL)."""

    name: str
    sampler: Sampler
    series: tuple[Series, ...]  # expected is 0 (distance); tol the largest distance accepted
    cdfs: tuple[Callable, ...]
    replicates: PerProfile
    key_scope: str | None = None  # MonteCarloCheck.key_scope (with a memoising sampler: one draw for every claim)
    key_name: str | None = None  # MonteCarloCheck.key_name: the shared draw's label when the check names differ
    comparisons: int = field(default=0)

    def evaluate(self, data, alpha):
        x = data[None]
        comps, figs = [], []
        for j, (s, cdf) in enumerate(zip(self.series, self.cdfs)):
            d = ks_distance(x[:, j], cdf)
            eps = dkw_epsilon(len(x), alpha)
            lo, hi = max(0.0, d - eps), d + eps
            band = Band(0.0, s.tol)
            # FAIL is certain once the true distance exceeds tol + 2ε (DKW holds for every law)
            comps.append(Comparison(
                f"{s.label}: Kolmogorov distance to {s.expected_text}", View.MONTE_CARLO, 0.0, d, (lo, hi), band,
                decide(lo, hi, band), alpha, s.tol + 2 * eps, s.reference, len(x),
                needs=samples_to_decide(d, eps, band, len(x)), detail={"dkw_epsilon": eps}))
            qs = np.linspace(0.005, 0.995, 60)
            xs = np.quantile(x[:, j], qs)
            figs.append(Figure("curves", f"{s.label}: empirical vs stated CDF", {
                "x": xs.tolist(), "curves": {"empirical": qs.tolist(), "stated": np.asarray(cdf(xs)).tolist()},
                "xlabel": "value", "ylabel": "CDF"}))
        return comps, figs


@dataclass(frozen=True)
class RareFailure(MonteCarloCheck):
    """An event that should (almost) always happen: the probability it fails is ≤ max_rate.

    The sampler returns 1.0 where the event fails. Clopper–Pearson interval on the failure rate.
    """

    name: str
    sampler: Sampler
    series: tuple[Series, ...]  # expected 0, tol = the largest failure rate accepted
    widths: PerProfile | None
    replicates: PerProfile
    comparisons: int = field(default=0)

    def count_comparisons(self) -> int:
        per = self.widths and max(len(self.widths.quick), len(self.widths.standard), len(self.widths.full))
        return len(self.series) * (per or 1)

    def evaluate(self, data, alpha):
        comps = []
        for w in sorted(data, key=lambda v: -1 if v is None else v):
            for j, s in enumerate(self.series):
                fails = data[w][:, j] > 0.5
                k, n = int(fails.sum()), int(fails.size)
                lo, hi = clopper_pearson(k, n, alpha)
                band = Band(0.0, s.tol)
                res = _proportion_resolution(n, alpha, s.tol)
                label = s.label if w is None else f"{s.label}, width {w}"
                comps.append(Comparison(
                    f"{label}: failure rate", View.MONTE_CARLO, 0.0, k / n, (lo, hi), band, decide(lo, hi, band),
                    alpha, min(res, 1.0), s.reference, n, widths=None if w is None else (w,),
                    needs=samples_to_decide(k / n, hi - k / n, band, n), detail={"failures": k}))
        return comps, ()


def _proportion_resolution(n: int, alpha: float, tol: float) -> float:
    """Failure rate at which FAIL (Clopper–Pearson lower bound > tol) has probability POWER."""
    from scipy import optimize, stats as st

    k_star = next((k for k in range(n + 1) if clopper_pearson(k, n, alpha)[0] > tol), None)
    if k_star is None:
        return 1.0
    return float(optimize.brentq(lambda p: st.binom.sf(k_star - 1, n, p) - POWER, 1e-12, 1 - 1e-12))
