"""kind = "law": an observable tends in distribution to a stated law; kind = "moment": E[observable^k]
at one setting equals a formula.

A law claim is judged by LawEquals (Kolmogorov distance, DKW interval) at the largest width of the
sweep, plus one comparison that the distance does not grow from the smallest to the largest width.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from verify._model import Comparison, Context, PerProfile, View
from verify.checks import LawEquals, MeanEquals, MonteCarloCheck, Sampler, Series
from verify.claimfile import _budget
from verify.claimfile._defaults import KS, KS_GROWTH, LAW_REPLICATES, LAW_WIDTHS, MOMENT_REL, MOMENT_REPLICATES
from verify.claimfile._errors import hint
from verify.claimfile._fields import Fields
from verify.claimfile._limit import FIELDS as LIMIT_FIELDS, given_sizes, tolerance
from verify.claimfile._observable import bind, formula
from verify.stats import Band, decide, dkw_epsilon, ks_distance, samples_to_decide

LAWS = ("normal", "uniform")
_COMMON = {k: LIMIT_FIELDS[k] for k in ("observable", "params", "model", "column", "parameters")}
LAW_FIELDS = {
    **_COMMON,
    "law": "the limit law: \"normal\" or \"uniform\"",
    "mean": "mean of the limit law (formula or number)",
    "variance": "variance of the limit law (formula or number, > 0)",
    "tolerance": "largest Kolmogorov distance accepted (default 0.02)",
    "growth_tolerance": "largest rise of the distance from the smallest to the largest width (default 0.04)",
    "widths": "widths: the law is judged at the largest, the growth between the smallest and the largest",
    "replicates": "draws per width at the first look (an integer or a per-profile table)",
}
MOMENT_FIELDS = {
    **_COMMON,
    "power": "k in E[observable^k] (default 1)",
    "expected": "the claimed value of E[observable^k]: a formula or a number",
    "width": "the width at which to sample (required when the observable has one)",
    "tolerance": "relative tolerance (default 0.02)",
    "abs_tolerance": "absolute tolerance (overrides tolerance; needed when the value is 0)",
    "replicates": "replicates at the first look (an integer or a per-profile table)",
}


@dataclass(frozen=True)
class _LawAtLargestWidth(LawEquals):
    """LawEquals drawn at the largest width of the profile's sweep."""

    widths: PerProfile | None = None

    def widths_for(self, ctx: Context):
        return (max(self.widths(ctx.profile)),)

    def evaluate(self, data, alpha):
        return super().evaluate({None: next(iter(data.values()))}, alpha)


@dataclass(frozen=True)
class _DistanceDoesNotGrow(MonteCarloCheck):
    """Kolmogorov distance at the largest width minus at the smallest, each with a DKW interval at α/2."""

    name: str
    sampler: Sampler
    cdf: Callable
    label: str
    widths: PerProfile
    replicates: PerProfile
    tol: float
    series: tuple = ()
    comparisons: int = field(default=1)

    def count_comparisons(self) -> int:
        return 1  # one comparison and no series (the default, len(series), gave 0: a claim spent 2α, not α)

    def widths_for(self, ctx: Context):
        ws = self.widths(ctx.profile)
        return (min(ws), max(ws))

    def evaluate(self, data, alpha):
        small, large = sorted(data)
        d = [ks_distance(data[w][:, 0], self.cdf) for w in (small, large)]
        eps = [dkw_epsilon(len(data[w]), alpha / 2) for w in (small, large)]
        diff, hw = d[1] - d[0], eps[0] + eps[1]
        band = Band(-math.inf, self.tol)
        n = min(len(v) for v in data.values())
        return [Comparison(
            f"{self.label}: Kolmogorov distance at width {large} minus at width {small}", View.MONTE_CARLO, 0.0, diff,
            (diff - hw, diff + hw), band, decide(diff - hw, diff + hw, band), alpha, self.tol + 2 * hw,
            "the distance to the limit law should not grow with width", n, widths=(small, large),
            needs=samples_to_decide(diff, hw, band, n),
            detail={"distance_small": d[0], "distance_large": d[1], "dkw_epsilon": eps})], ()


def _cdf(f: Fields, law: str, mean: float, var: float):
    from scipy import stats

    if var <= 0:
        raise f.error("variance", f"the variance must be positive, got {var:g}")
    if law == "normal":
        return stats.norm(loc=mean, scale=math.sqrt(var)).cdf
    half = math.sqrt(3 * var)
    return stats.uniform(loc=mean - half, scale=2 * half).cdf


def build_law(f: Fields):
    b = bind(f, needs_width=True)
    law = f.text("law")
    if law not in LAWS:
        raise f.error("law", f"unknown law {law!r}" + hint(law, LAWS, "laws"))
    _, mean, mean_text = formula(f, "mean", b.names, b.subs, functions=b.functions)
    _, var, var_text = formula(f, "variance", b.names, b.subs, functions=b.functions)
    cdf = _cdf(f, law, mean, var)
    tol = f.number("tolerance", KS.value, positive=True)
    growth = f.number("growth_tolerance", KS_GROWTH.value, positive=True)
    widths = f.per_profile("widths", LAW_WIDTHS, _law_widths(f))
    reps = f.replicates("replicates", LAW_REPLICATES)
    _budget.enforce(f, b, widths=widths, replicates=reps, given=given_sizes(f))
    stated = f"{law}(mean {mean_text}, variance {var_text})"
    sampler = b.sampler()
    checks = (
        _LawAtLargestWidth(name=f"law of {b.name} at the largest width", sampler=sampler,
                           series=(Series(b.output, 0.0, tol, stated, "scipy.stats CDF of the stated law"),),
                           cdfs=(cdf,), replicates=reps, widths=widths),
        _DistanceDoesNotGrow(name="distance to the law across widths", sampler=sampler, cdf=cdf, label=b.output,
                             widths=widths, replicates=reps, tol=growth),
    )
    reading = (f"{b.describe()}: at the largest width of the sweep ({max(widths.quick)} in the quick profile) the "
               f"Kolmogorov distance to {stated} (= {law} with mean {mean:.6g}, variance {var:.6g}), with its DKW "
               f"interval, must be ≤ {tol:g}; and it must not rise by more than {growth:g} from width "
               f"{min(widths.quick)} to {max(widths.quick)}.")
    return f.finish(LAW_FIELDS, checks, reading)


def _law_widths(f: Fields):
    def parse(v, path):
        if (not isinstance(v, (list, tuple)) or len(set(v)) < 2 or
                not all(isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in v)):
            raise f.error(path, f"expected a list of at least 2 distinct positive integer widths, e.g. [16, 1024]; got {v!r}")
        return tuple(sorted(set(v)))
    return parse


def build_moment(f: Fields):
    b = bind(f, needs_width=False)
    k = f.integer("power", 1, minimum=1)
    width = f.integer("width", None, minimum=1)
    if b.width_name is not None and width is None:
        raise f.error("width", f"{b.name!r} is sampled at a width {b.width_name}; give width = <integer>, e.g. 256")
    if b.width_name is None and width is not None:
        raise f.error("width", f"{b.name!r} has no width; remove the field")
    _, value, text = formula(f, "expected", b.names, b.subs, functions=b.functions)
    tol, tol_text = tolerance(f, value, MOMENT_REL.value)
    what = f"E[({b.output})^{k}]" if k != 1 else f"E[{b.output}]"
    series = Series(f"{what}" + (f" at {b.width_name}={width}" if width else ""), value, tol, text,
                    "the claim's formula, evaluated by SymPy at 30 digits")
    replicates = f.replicates("replicates", MOMENT_REPLICATES)
    _budget.enforce(f, b, widths=None if width is None else PerProfile((width,), (width,), (width,)),
                    replicates=replicates, given=given_sizes(f))
    check = MeanEquals(name=f"mean of {b.name}", sampler=b.sampler(power=k, width=width), series=(series,),
                       replicates=replicates)
    reading = (f"{b.describe()}" + (f" at {b.width_name} = {width}" if width else "") +
               f": the batch-means interval of {what} must lie within {tol_text} of {text} = {value:.10g}.")
    return f.finish(MOMENT_FIELDS, (check,), reading)
