"""Deterministic numerics of the linear3 group (seed 003 §3): the χ²(m) central limit from exact CDFs, the rank-one
operator norm by SVD, and the stated gradient blocks against JAX autodiff. Each function returns what it measured
(plain floats); verify/claims/linear3.py states what each must be. Randomness comes from the `rng` passed in.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from derive import linear3 as derive
from verify._jax import jax
from verify.models import linear3 as model


def chi2_clt(widths: tuple, grid_points: int = 40001, span: float = 8.0) -> tuple[dict, float]:
    """sup_t |P((χ²(m)−m)/√(2m) ≤ t) − Φ(t)| on a grid of t ∈ [−span, span], per m, and the log-log slope of that
    distance over the widths (Berry–Esseen: −1/2)."""
    grid = np.linspace(-span, span, grid_points)
    dist = [float(np.max(np.abs(stats.chi2(m).cdf(m + grid * math.sqrt(2 * m)) - stats.norm.cdf(grid))))
            for m in widths]
    return dict(zip(widths, dist)), float(np.polyfit(np.log(widths), np.log(dist), 1)[0])


def rank_one_error(rng: np.random.Generator, m: int) -> float:
    """|‖βuᵀ‖_op (LAPACK SVD) − ‖β‖‖u‖| / ‖β‖‖u‖ at β, u iid N(0, I_m)."""
    beta, u = rng.normal(size=m), rng.normal(size=m)
    want = float(np.linalg.norm(beta) * np.linalg.norm(u))
    return abs(float(np.linalg.norm(np.outer(beta, u), 2)) - want) / want


AUTODIFF_PAD = 64  # the autodiff instances pad to a multiple of it: one compiled program for every m ≤ 64


def _padded_forward(p: model.Params, x, alpha, m):
    """model.forward of the network in the leading m entries of zero-padded arrays (γ = 1/2): the padding adds exact
    zeros to every sum, and m, x, α are traced, so one compilation serves every instance."""
    return m ** (-alpha) * (p.beta @ ((m ** -0.5 * p.A) @ p.u)) * x


_autodiff = jax.jit(jax.grad(_padded_forward))


def gradient_error(rng: np.random.Generator, m: int) -> tuple[float, float]:
    """(α, worst relative error) of the stated blocks ∇_β, ∇_A, ∇_u against jax.grad of Φ at a random instance
    (β, A, u iid N(0,1), x ~ N(0,1), α ~ U(0, 1.5), γ = 1/2)."""
    beta, A, u = rng.normal(size=m), rng.normal(size=(m, m)), rng.normal(size=m)
    x, alpha = float(rng.normal()), float(rng.uniform(0.0, 1.5))
    pad = -(-m // AUTODIFF_PAD) * AUTODIFF_PAD - m
    padded = model.Params(np.pad(beta, (0, pad)), np.pad(A, ((0, pad), (0, pad))), np.pad(u, (0, pad)))
    # device_put, not jnp.asarray: eagerly jnp.asarray compiles a program per shape
    auto = _autodiff(model.Params(*(jax.device_put(a) for a in padded)), *(jax.device_put(np.float64(v))
                                                                           for v in (x, alpha, m)))
    auto = model.Params(*(np.asarray(a)[tuple(slice(0, m) for _ in range(np.ndim(a)))] for a in auto))
    stated = derive.stated_gradients_numeric(beta, A, u, x, alpha)
    return alpha, max(float(np.max(np.abs(getattr(auto, k) - stated[k])))
                      / max(float(np.max(np.abs(stated[k]))), 1e-300) for k in derive.BLOCKS)
