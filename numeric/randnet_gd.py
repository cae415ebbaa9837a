"""Per-sample gradients and full-batch GD of a random deep network (randnet.overparam-independence), in JAX float64.

The network is verify.models.randnet's (no biases, C_W = 1), the data Fibonacci points on a cap of the sphere
(numeric.randnet.cap_inputs), the loss the mean square; GD is verify.observables.randnet.per_sample_fns's (a step that
would raise the loss is halved for good, so it cannot overflow)."""
from __future__ import annotations

import math

import numpy as np

from numeric.randnet import cap_inputs
from verify.models.randnet import Architecture, weights
from verify.observables.randnet import per_sample_fns


def overparam_fit(key, y: np.ndarray, d: int, widths: tuple, sigma: str, max_steps: int, stop: float):
    """(rank, min(N, P), ‖∇L(θ_T)‖/‖∇L(θ₀)‖, max_i |y_i − z(x_i)| at θ_T, max_i ‖∇ℓ_i(θ_T)‖/max_i ‖∇ℓ_i(θ₀)‖, info)
    for the N×P per-sample gradient matrix ∇_θz(x_i) at θ₀ = weights(key) and GD from θ₀ with η = N/(2σ_max²) until
    ‖∇L‖ ≤ stop·‖∇L(θ₀)‖ or max_steps. rank counts singular values above σ_max·max(N, P)·ε (NumPy's matrix_rank)."""
    N = len(y)
    jac, gd, grad_norm, z = per_sample_fns(d, tuple(widths), sigma, 1.0)
    X = cap_inputs(N, d)
    ws = weights(key, Architecture(d, tuple(widths), 1, 1.0, sigma))
    J = np.asarray(jac(ws, X))
    s = np.linalg.svd(J, compute_uv=False)
    rank = int(np.sum(s > s[0] * max(J.shape) * np.finfo(float).eps))
    g0 = float(grad_norm(ws, X, y))
    eta = N / (2 * s[0] ** 2)
    wT, steps, eta_T = gd(ws, X, y, eta, max_steps, stop * g0)
    gT = float(grad_norm(wT, X, y))
    r = y - np.asarray(z(wT, X))
    per0 = 2 * np.abs(y - np.asarray(z(ws, X))) * np.linalg.norm(J, axis=1)
    perT = 2 * np.abs(r) * np.linalg.norm(np.asarray(jac(wT, X)), axis=1)
    info = dict(P=J.shape[1], N=N, singular_min_over_max=float(s[-1] / s[0]), gd_steps=int(steps),
                gd_step_halvings=round(math.log2(eta / float(eta_T))), grad0=g0, gradT=gT,
                max_residual=float(np.max(np.abs(r))), max_per_sample_grad=float(np.max(perT)))
    return rank, min(J.shape), gT / g0, float(np.max(np.abs(r))), float(np.max(perT) / np.max(per0)), info
