"""k-statistics: the unbiased estimators of cumulants (Fisher), univariate and joint, any order.

k_r is the symmetric function of a sample with E[k_r] = κ_r exactly (not asymptotically). It is built
from the moment-cumulant formula κ_r = Σ_π (−1)^{|π|−1}(|π|−1)! Π_{B∈π} μ'_{|B|} by replacing each
product of moments by its unbiased estimator, the average over *distinct* indices
(1/n_(b)) Σ_{i₁≠…≠i_b} Π_j x_{i_j}^{λ_j}, and writing that sum through power sums S_p = Σ_i x_i^p by
Möbius inversion on set partitions. The coefficient table is exact (fractions) and cached per order.

Intervals: a k-statistic of each of B independent batches is unbiased, so the batch mean of those
with its t-interval (verify.stats.mean) is an honest interval for κ_r — the `kstat` function.
"""
from __future__ import annotations

import functools
import math
from collections import defaultdict
from fractions import Fraction

import numpy as np

from verify.stats._estimators import DEFAULT_BATCHES, Estimate, mean

MAX_ORDER = 8  # the univariate table of order 8 has 5688 raw terms before merging; joint tables stay ≤ 6


def _set_partitions(items: tuple):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _set_partitions(rest):
        yield [(first,), *part]
        for i, block in enumerate(part):
            yield part[:i] + [(first, *block)] + part[i + 1:]


def _mobius(blocks) -> int:
    return math.prod((-1) ** (len(c) - 1) * math.factorial(len(c) - 1) for c in blocks)


def _integer_partitions(r: int, largest: int | None = None):
    largest = r if largest is None else largest
    if r == 0:
        yield ()
        return
    for p in range(min(r, largest), 0, -1):
        for rest in _integer_partitions(r - p, p):
            yield (p, *rest)


@functools.cache
def univariate_table(r: int) -> tuple[tuple[Fraction, int, tuple[int, ...]], ...]:
    """k_r = Σ coef · Π_p S_p / n_(b) over the rows (coef, b, powers)."""
    _check_order(r)
    acc: dict = defaultdict(Fraction)
    for lam in _integer_partitions(r):
        b = len(lam)
        mult = math.prod(math.factorial(m) for m in (lam.count(v) for v in set(lam)))
        # number of set partitions of [r] with block sizes λ, times the cumulant coefficient
        c = Fraction((-1) ** (b - 1) * math.factorial(b - 1) * math.factorial(r),
                     math.prod(math.factorial(p) for p in lam) * mult)
        for sigma in _set_partitions(tuple(range(b))):
            powers = tuple(sorted(sum(lam[j] for j in block) for block in sigma))
            acc[(b, powers)] += c * _mobius(sigma)
    return tuple((coef, b, powers) for (b, powers), coef in sorted(acc.items()) if coef != 0)


@functools.cache
def joint_table(r: int) -> tuple[tuple[Fraction, int, tuple[tuple[int, ...], ...]], ...]:
    """k(X₁..X_r) = Σ coef · Π_C S_C / n_(b), S_C = Σ_i Π_{j∈C} x_{ij}, over rows (coef, b, subsets)."""
    if not 1 <= r <= 6:
        raise ValueError(f"joint k-statistic of order r={r}: supported for 1 ≤ r ≤ 6 (the table grows like Bell(r)²)")
    acc: dict = defaultdict(Fraction)
    for pi in _set_partitions(tuple(range(r))):
        b = len(pi)
        c = (-1) ** (b - 1) * math.factorial(b - 1)
        for sigma in _set_partitions(tuple(range(b))):
            subsets = tuple(sorted(tuple(sorted(j for bi in block for j in pi[bi])) for block in sigma))
            acc[(b, subsets)] += c * _mobius(sigma)
    return tuple((coef, b, subsets) for (b, subsets), coef in sorted(acc.items()) if coef != 0)


def _check_order(r: int) -> None:
    if not isinstance(r, (int, np.integer)) or not 1 <= r <= MAX_ORDER:
        raise ValueError(f"k-statistic order r={r!r}: must be an integer in 1..{MAX_ORDER}")


def _falling(n: int, b: int) -> float:
    return float(math.prod(range(n - b + 1, n + 1)))


def k_statistic(x, r: int, axis: int = -1) -> np.ndarray:
    """k_r of the samples along `axis` (one value per remaining index). Needs ≥ r samples."""
    _check_order(r)
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    n = x.shape[-1]
    if n < r:
        raise ValueError(f"k_{r} needs at least {r} samples along the axis, got {n}")
    if r == 1:
        return x.mean(axis=-1)
    # shift- and scale-equivariance: centre and scale first so the power sums do not cancel
    c = x - x.mean(axis=-1, keepdims=True)
    scale = np.sqrt(np.mean(c * c, axis=-1, keepdims=True))
    scale = np.where(scale > 0, scale, 1.0)
    c = c / scale
    S = {p: np.sum(c**p, axis=-1) for p in range(1, r + 1)}
    out = np.zeros(c.shape[:-1])
    for coef, b, powers in univariate_table(r):
        out = out + float(coef) * np.prod([S[p] for p in powers], axis=0) / _falling(n, b)
    return out * scale[..., 0] ** r


def joint_k_statistic(columns, axis: int = -1) -> np.ndarray:
    """k(X₁,…,X_r): the unbiased estimator of the joint cumulant κ(X₁,…,X_r) from paired samples.
    `columns` is a sequence of r arrays of equal shape (samples along `axis`); repeats are allowed
    (k(X,X,Y) estimates κ(X,X,Y))."""
    cols = [np.moveaxis(np.asarray(c, dtype=np.float64), axis, -1) for c in columns]
    r = len(cols)
    if len({c.shape for c in cols}) != 1:
        raise ValueError(f"joint k-statistic: the {r} columns have shapes {[c.shape for c in cols]}; they must match")
    n = cols[0].shape[-1]
    if n < r:
        raise ValueError(f"a joint k-statistic of order {r} needs at least {r} samples, got {n}")
    if r == 1:
        return cols[0].mean(axis=-1)
    scales = []
    for i, c in enumerate(cols):
        c = c - c.mean(axis=-1, keepdims=True)
        s = np.sqrt(np.mean(c * c, axis=-1, keepdims=True))
        s = np.where(s > 0, s, 1.0)
        cols[i] = c / s
        scales.append(s[..., 0])
    cache: dict = {}

    def S(subset):
        if subset not in cache:
            cache[subset] = np.sum(np.prod([cols[j] for j in subset], axis=0), axis=-1)
        return cache[subset]

    out = np.zeros(cols[0].shape[:-1])
    for coef, b, subsets in joint_table(r):
        out = out + float(coef) * np.prod([S(s) for s in subsets], axis=0) / _falling(n, b)
    return out * np.prod(scales, axis=0)


def kstat(x, r: int, batches: int = DEFAULT_BATCHES) -> Estimate:
    """κ_r with an interval: k_r of each of `batches` equal batches of iid samples (each unbiased),
    then their mean with the batch-means t-interval. The remainder (< batches samples) is dropped."""
    x = np.asarray(x, dtype=np.float64).ravel()
    size = x.size // batches
    if batches < 2 or size < r:
        raise ValueError(f"kstat of order {r} with {batches} batches needs ≥ {batches * r} samples, got {x.size}")
    per = k_statistic(x[: size * batches].reshape(batches, size), r)
    return mean(per, batches)
