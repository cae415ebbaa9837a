"""Weighted least-squares straight lines with honest intervals: log-log slopes and 1/n extrapolation."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

from verify.stats._estimators import Estimate


@dataclass(frozen=True)
class LineFit:
    slope: Estimate
    intercept: Estimate
    chi2: float
    dof: int  # number of points − 2
    gof_p: float  # P(χ² ≥ observed) under the line model with the given errors
    birge: float  # factor applied to the standard errors (≥ 1) when χ²/dof > 1

    def as_dict(self) -> dict:
        return {
            "slope": self.slope.value,
            "slope_se": self.slope.se,
            "intercept": self.intercept.value,
            "intercept_se": self.intercept.se,
            "chi2": self.chi2,
            "dof": self.dof,
            "gof_p": self.gof_p,
            "birge_factor": self.birge,
        }


def wls_line(x, y, sigma, point_dof: float = math.inf) -> LineFit:
    """Fit y = a + s·x with per-point standard errors `sigma`.

    The standard errors of s and a follow from the point errors; when the scatter exceeds them
    (χ²/dof > 1, a line that does not quite fit) they are inflated by the Birge factor √(χ²/dof),
    so a misfit widens the interval instead of hiding (the Particle Data Group's scale factor).
    Quantiles use Student t with the point errors' dof: with 3–6 widths a t with points−2 dof at
    this suite's α ~ 1e-6 would be ~100x wider and no sweep could ever decide.
    """
    x, y, sigma = (np.asarray(a, dtype=np.float64) for a in (x, y, sigma))
    if x.size < 3:
        raise ValueError(f"a line fit with an interval needs at least 3 points, got {x.size}")
    if np.any(sigma <= 0) or not np.all(np.isfinite(sigma)):
        raise ValueError(f"point standard errors must be positive and finite, got {sigma}")
    w = 1.0 / sigma**2
    A = np.stack([np.ones_like(x), x], axis=1)
    cov = np.linalg.inv(A.T @ (A * w[:, None]))
    a, s = cov @ (A.T @ (w * y))
    resid = y - (a + s * x)
    dof = x.size - 2
    chi2 = float(np.sum(w * resid**2))
    gof_p = float(_st.chi2.sf(chi2, dof))
    birge = max(1.0, math.sqrt(chi2 / dof))
    fit_dof = point_dof
    return LineFit(
        slope=Estimate(float(s), float(math.sqrt(cov[1, 1]) * birge), fit_dof, x.size),
        intercept=Estimate(float(a), float(math.sqrt(cov[0, 0]) * birge), fit_dof, x.size),
        chi2=chi2,
        dof=dof,
        gof_p=gof_p,
        birge=birge,
    )
