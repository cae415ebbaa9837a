"""Distribution-free intervals: DKW band for a law, Clopper–Pearson for a proportion."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats as _st


def dkw_epsilon(n: int, alpha: float) -> float:
    """P(sup|F_n − F| > ε) ≤ 2exp(−2nε²) (Dvoretzky–Kiefer–Wolfowitz, Massart's constant)."""
    return math.sqrt(math.log(2.0 / alpha) / (2.0 * n))


def ks_distance(samples: np.ndarray, cdf) -> float:
    """sup_t |F_n(t) − F(t)| for a continuous F (the one-sample Kolmogorov–Smirnov statistic)."""
    x = np.sort(np.asarray(samples, dtype=np.float64).ravel())
    n = x.size
    F = np.asarray(cdf(x), dtype=np.float64)
    i = np.arange(1, n + 1)
    return float(max(np.max(i / n - F), np.max(F - (i - 1) / n)))


def clopper_pearson(k: int, n: int, alpha: float) -> tuple[float, float]:
    """Exact two-sided interval for a binomial proportion from k successes in n trials."""
    lo = 0.0 if k == 0 else float(_st.beta.ppf(alpha / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(_st.beta.ppf(1 - alpha / 2, k + 1, n - k))
    return lo, hi
