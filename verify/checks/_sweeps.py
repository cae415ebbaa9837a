"""Width sweeps: a limit as n→∞, and a power law in n. Never judged on one large width."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from verify._model import Comparison, Figure, PerProfile, View
from verify.checks._montecarlo import MonteCarloCheck, Sampler, Series
from verify.stats import Band, decide, log_of, mean, resolution, samples_to_decide, variance, wls_line


def _fit_comparison(name, fit_est, alpha, band, centre, expected_text, reference, samples, widths, detail):
    lo, hi = fit_est.interval(alpha)
    hw = fit_est.half_width(alpha)
    return Comparison(
        name=name, view=View.MONTE_CARLO, expected=centre, measured=fit_est.value, interval=(lo, hi),
        band=band, decision=decide(lo, hi, band), false_fail_rate=alpha,
        resolution=resolution(fit_est.se, hw, band, centre), reference=reference, samples=samples,
        widths=tuple(widths), needs=samples_to_decide(fit_est.value, hw, band, samples),
        detail={"expected_text": expected_text, **detail},
    )


@dataclass(frozen=True)
class LimitSweep(MonteCarloCheck):
    """lim_{n→∞} E-stat of an observable equals a closed form, judged on a sweep of widths.

    Two comparisons per series: (1) the means at each width are fitted by L + c·n^(−bias_order)
    and the extrapolated L must lie within tol of the claimed limit; (2) the variance across
    replicates must shrink like n^fluctuation_exponent (−1: the CLT rate, √n-consistency), so the
    observable itself, not only its mean, converges at the expected rate.
    """

    name: str
    sampler: Sampler
    series: tuple[Series, ...]
    widths: PerProfile
    replicates: PerProfile
    bias_order: float = 1.0
    fluctuation_exponent: float = -1.0
    exponent_tol: float = 0.15
    fluctuation_from: int = 0  # smallest width in the fluctuation fit (O(1/n²) terms bend small widths)
    key_scope: str | None = None  # MonteCarloCheck.key_scope (with a memoising sampler: one draw for every claim)
    comparisons: int = field(default=0)

    def count_comparisons(self) -> int:
        return 2 * len(self.series) + sum(s.bias is not None for s in self.series)

    def evaluate(self, data, alpha):
        ws = np.array(sorted(data), dtype=np.float64)
        comps, figs = [], []
        for j, s in enumerate(self.series):
            means = [mean(data[w][:, j]) for w in sorted(data)]
            vars_ = [log_of(variance(data[w][:, j])) for w in sorted(data)]
            count = int(min(len(data[w]) for w in data))
            dof = min(m.dof for m in means)
            fit = wls_line(ws ** (-self.bias_order), [m.value for m in means], [m.se for m in means], dof)
            comps.append(_fit_comparison(
                f"{s.label}: extrapolated limit", fit.intercept, alpha, Band.around(s.expected, s.tol),
                s.expected, s.expected_text, s.reference, count, ws.astype(int),
                {"model": f"mean(n) = L + c·n^-{self.bias_order:g}", **fit.as_dict()}))
            if s.bias is not None:
                comps.append(_fit_comparison(
                    f"{s.label}: 1/n^{self.bias_order:g} coefficient of the mean", fit.slope, alpha,
                    Band.around(s.bias, s.bias_tol), s.bias, "finite-width correction", s.reference, count,
                    ws.astype(int), fit.as_dict()))
            keep = ws >= self.fluctuation_from
            vfit = wls_line(np.log(ws[keep]), [v.value for v, k in zip(vars_, keep) if k],
                            [v.se for v, k in zip(vars_, keep) if k], dof)
            comps.append(_fit_comparison(
                f"{s.label}: fluctuation exponent", vfit.slope, alpha,
                Band.around(self.fluctuation_exponent, self.exponent_tol), self.fluctuation_exponent,
                f"Var ∝ n^{self.fluctuation_exponent:g}", "CLT rate of an average over n neurons",
                count, ws[keep].astype(int), vfit.as_dict()))
            figs.append(Figure("convergence", f"{s.label}", {
                "widths": ws.tolist(), "means": [m.value for m in means],
                "half_widths": [m.half_width(alpha) for m in means], "claimed": s.expected,
                "claimed_text": s.expected_text, "fit_intercept": fit.intercept.value,
                "fit_slope": fit.slope.value, "bias_order": self.bias_order,
                "variance": [math.exp(v.value) for v in vars_], "fluctuation_from": self.fluctuation_from,
                "fluctuation_slope": vfit.slope.value, "fluctuation_intercept": vfit.intercept.value,
                "fluctuation_expected": self.fluctuation_exponent}))
        return comps, figs


@dataclass(frozen=True)
class ScalingLaw(MonteCarloCheck):
    """E[observable] ∝ n^p: the slope of log mean against log n, with its interval, against p.

    Series.expected is the predicted exponent p and Series.tol its band. A positive observable
    is required (norms, variances, gaps).
    """

    name: str
    sampler: Sampler
    series: tuple[Series, ...]
    widths: PerProfile
    replicates: PerProfile
    variable: str = "n"
    decreasing: bool = False  # qualitative "smaller as n grows": accept slope ≤ −tol, so a plateau cannot pass
    # (width, base count) → replicates at that width: thins widths whose replicates cost most and vary least
    # (each point's standard error is its own, so the fit weighs them honestly); None draws the base count
    thinning: Callable[[int, int], int] | None = None
    key_scope: str | None = None  # MonteCarloCheck.key_scope (with a memoising sampler: one draw for every claim)
    key_name: str | None = None  # MonteCarloCheck.key_name: the shared draw's label when the check names differ
    comparisons: int = field(default=0)

    def count_at(self, width, count):
        return count if self.thinning is None else int(self.thinning(width, count))

    def evaluate(self, data, alpha):
        ws = np.array(sorted(data), dtype=np.float64)
        comps, figs = [], []
        for j, s in enumerate(self.series):
            logs = [log_of(mean(data[w][:, j])) for w in sorted(data)]
            count = int(min(len(data[w]) for w in data))
            fit = wls_line(np.log(ws), [l.value for l in logs], [l.se for l in logs], min(l.dof for l in logs))
            if self.decreasing:
                band, centre = Band(-math.inf, -s.tol), -s.tol
            else:
                band, centre = Band.around(s.expected, s.tol), s.expected
            comps.append(_fit_comparison(
                f"{s.label}: exponent of {self.variable}", fit.slope, alpha, band, centre,
                s.expected_text, s.reference, count, ws.astype(int),
                {"prefactor": math.exp(fit.intercept.value), **fit.as_dict()}))
            figs.append(Figure("loglog_fit", s.label, {
                "x": ws.tolist(), "y": [math.exp(l.value) for l in logs],
                "log_half_widths": [l.half_width(alpha) for l in logs],
                "slope": fit.slope.value, "intercept": fit.intercept.value,
                "predicted_slope": None if self.decreasing else s.expected,
                "predicted_text": s.expected_text, "variable": self.variable}))
        return comps, figs


@dataclass(frozen=True)
class PairedScalingLaw(MonteCarloCheck):
    """observable ∝ x^p over a fixed grid of a deterministic knob x (not a width), every replicate (one
    random draw, e.g. an initialisation) measured at every x: each replicate's own least-squares slope of
    log observable against log x, then a batch-means t interval on the mean slope across replicates.
    Common random numbers: the spread between draws cancels from each slope, so a few dozen draws decide.

    The sampler returns (count, len(series)·len(xs)), series-major, all positive. bound=False: the slope
    must lie within p ± tol (a rate). bound=True reads an O(x^p) claim: slope ≤ p + tol (FAIL only when
    the whole interval lies above, i.e. the observable decays more slowly than stated).
    """

    name: str
    sampler: Sampler
    series: tuple[Series, ...]
    xs: tuple[int, ...]
    replicates: PerProfile
    variable: str = "x"
    bound: bool = False
    key_scope: str | None = None  # MonteCarloCheck.key_scope (with a memoising sampler: one solve)
    comparisons: int = field(default=0)

    def __post_init__(self):
        if len(self.xs) < 3 or len(set(self.xs)) < len(self.xs) or min(self.xs) <= 0:
            raise ValueError(f"{self.name!r}: xs={self.xs} must be at least 3 distinct positive values "
                             "(a slope with a curvature check needs 3 points)")
        super().__post_init__()

    def evaluate(self, data, alpha):
        x = data[None]
        k = len(self.xs)
        lx = np.log(np.asarray(self.xs, dtype=np.float64))
        xc = lx - lx.mean()
        comps, figs = [], []
        for j, s in enumerate(self.series):
            y = x[:, j * k:(j + 1) * k]
            if not np.all(y > 0):
                raise ValueError(f"{self.name!r}, {s.label}: the observable must be positive at every {self.variable} "
                                 f"for a log-log slope, got min {np.min(y):.3g}")
            ly = np.log(y)
            slopes = ly @ xc / (xc @ xc)
            est = mean(slopes)
            band = Band(-math.inf, s.expected + s.tol) if self.bound else Band.around(s.expected, s.tol)
            points = [mean(ly[:, i]) for i in range(k)]
            local = np.diff(ly, axis=1) / np.diff(lx)  # slope between neighbouring x: shows the approach to p
            intercept = float(np.mean(ly.mean(axis=1) - slopes * lx.mean()))
            comps.append(_fit_comparison(
                f"{s.label}: exponent of {self.variable}", est, alpha, band, s.expected, s.expected_text,
                s.reference, len(x), self.xs,
                {"reading": f"slope ≤ {s.expected:g} + {s.tol:g} (O bound)" if self.bound
                 else f"slope = {s.expected:g} ± {s.tol:g}",
                 "slope_se": est.se, "replicate_slope_sd": float(np.std(slopes, ddof=1)),
                 "replicate_slope_range": [float(slopes.min()), float(slopes.max())],
                 "local_slopes": local.mean(axis=0).tolist(), "prefactor": math.exp(intercept)}))
            figs.append(Figure("loglog_fit", s.label, {
                "x": list(self.xs), "y": [math.exp(p.value) for p in points],
                "log_half_widths": [p.half_width(alpha) for p in points],
                "slope": est.value, "intercept": intercept,
                "predicted_slope": s.expected, "predicted_text": s.expected_text, "variable": self.variable}))
        return comps, figs
