"""Infinite-width layer maps on a Kernel (nngp K, ntk Θ over k inputs) in mpmath, with certified digits.

The same three functions as numeric/kernels_f64.py (a test holds the two together):

    input_kernel(X)  K = XXᵀ/d, Θ = 0
    dense(kern, *, fan_in, w_gain2, w_var, b_gain2=0, b_var=0)
        z = w_gain·(Wx) + b_gain·b, W_ij ~ √w_var·ζ, b ~ √b_var·ζ, every parameter trained:
        K' = w_gain2·w_var·fan_in·K + b_gain2·b_var,  Θ' = w_gain2·fan_in·K + b_gain2 + w_gain2·w_var·fan_in·Θ
        (standard: w_gain2 = 1, w_var = C_W/fan_in, b_gain2 = 1, b_var = C_b; NTK: w_gain2 = C_W/fan_in,
        w_var = 1, b_gain2 = C_b, b_var = 1)
    activation(kern, act)  K' = E[σ(u)σ(v)],  Θ' = E[σ'(u)σ'(v)]·Θ,  (u, v) ~ N(0, [[K11, K12], [K12, K22]])

Entries are mpf (in NumPy object arrays). Every map runs twice along the layers: at dps + SHADOW_GAP digits
(the values returned) and at dps (the `shadow`); `digits` is where the two agree, relative to each entry's
scale √(MᵢᵢMⱼⱼ), capped at dps — the less precise track's error bounds the more precise one's. Each
Gaussian expectation is itself a closed form or a quadrature that raises short of its digits.
"""
from __future__ import annotations

import math
from typing import Sequence

import mpmath
import numpy as np

from numeric._kernel import Kernel
from numeric.gaussian_pair import gaussian_pair_expectation, spec_of

__all__ = ["Kernel", "input_kernel", "dense", "activation", "SHADOW_GAP"]

SHADOW_GAP = 4  # the returned track carries this many digits more than the shadow that certifies it


def _check_dps(dps) -> int:
    if isinstance(dps, bool) or not isinstance(dps, int) or dps < 1:
        raise ValueError(f"dps={dps!r} is not a number of digits; pass an int dps >= 1")
    return dps


def _digits(main: Kernel, shadow: Kernel, dps: int) -> int:
    worst = mpmath.mpf(0)
    for M, S in ((main.nngp, shadow.nngp), (main.ntk, shadow.ntk)):
        k = M.shape[0]
        for i in range(k):
            for j in range(k):
                scale = mpmath.sqrt(abs(M[i, i] * M[j, j])) or abs(M[i, j]) or mpmath.mpf(1)
                worst = max(worst, abs(M[i, j] - S[i, j]) / scale)
    if worst == 0:
        return dps
    return max(0, min(dps, int(math.floor(-mpmath.log10(worst)))))


def _certified(step, kern: Kernel | None, dps: int) -> Kernel:
    """Run `step(kernel, digits)` on the main track at dps + SHADOW_GAP and on the shadow at dps."""
    main = step(kern, dps + SHADOW_GAP)
    shadow = step(None if kern is None else (kern.shadow or kern), dps)
    return Kernel(main.nngp, main.ntk, _digits(main, shadow, dps), shadow)


def _matrix(values, k: int) -> np.ndarray:
    out = np.empty((k, k), dtype=object)
    out[...] = values
    return out


def input_kernel(X: Sequence[Sequence], *, dps: int = 30) -> Kernel:
    """K = XXᵀ/d, Θ = 0 for k inputs of one length d (rows of X)."""
    _check_dps(dps)
    rows = [list(r) for r in X]
    if not rows or len({len(r) for r in rows}) != 1 or not rows[0]:
        raise ValueError(f"X={X!r}: pass k ≥ 1 input vectors of one length d ≥ 1")
    k, d = len(rows), len(rows[0])

    def step(_, digits):
        with mpmath.workdps(digits):
            vs = [[mpmath.mpf(v) for v in r] for r in rows]
            K = _matrix([[mpmath.fdot(a, b) / d for b in vs] for a in vs], k)
            return Kernel(K, _matrix(mpmath.mpf(0), k))

    return _certified(step, None, dps)


def dense(kern: Kernel, *, fan_in, w_gain2, w_var, b_gain2=0.0, b_var=0.0, dps: int = 30) -> Kernel:
    """A trained Dense layer (module docstring): K' = w_gain2·w_var·fan_in·K + b_gain2·b_var,
    Θ' = w_gain2·fan_in·K + b_gain2 + w_gain2·w_var·fan_in·Θ."""
    _check_dps(dps)
    k = np.shape(kern.nngp)[0]

    def step(kn, digits):
        with mpmath.workdps(digits):
            n, g2, v, bg2, bv = (mpmath.mpf(x) for x in (fan_in, w_gain2, w_var, b_gain2, b_var))
            K = _matrix([[g2 * v * n * kn.nngp[i, j] + bg2 * bv for j in range(k)] for i in range(k)], k)
            T = _matrix([[g2 * n * kn.nngp[i, j] + bg2 + g2 * v * n * kn.ntk[i, j] for j in range(k)]
                         for i in range(k)], k)
            return Kernel(K, T)

    return _certified(step, kern, dps)


def activation(kern: Kernel, act, *, dps: int = 30) -> Kernel:
    """K' = E[σ(u)σ(v)], Θ' = E[σ'(u)σ'(v)]·Θ over (u, v) ~ N(0, [[Kᵢᵢ, Kᵢⱼ], [Kᵢⱼ, Kⱼⱼ]]), for every pair i ≤ j.

    act: a name of derive.activations (or "leaky_relu(a₋,a₊)"), a SymPy expression in t, a table entry
    or a JAX/mpmath view of one."""
    _check_dps(dps)
    spec = spec_of(act)
    prime = spec.prime()
    k = np.shape(kern.nngp)[0]

    def step(kn, digits):
        K, T = _matrix(mpmath.mpf(0), k), _matrix(mpmath.mpf(0), k)
        for i in range(k):
            for j in range(i, k):
                block = (kn.nngp[i, i], kn.nngp[i, j], kn.nngp[j, j])
                K[i, j] = K[j, i] = gaussian_pair_expectation(spec, spec, *block, dps=digits)
                if kn.ntk[i, j] != 0:
                    with mpmath.workdps(digits):
                        T[i, j] = T[j, i] = gaussian_pair_expectation(prime, prime, *block, dps=digits) * kn.ntk[i, j]
        return Kernel(K, T)

    return _certified(step, kern, dps)
