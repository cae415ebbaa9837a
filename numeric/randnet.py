"""The NNGP kernel recursion of seed 004 in mpmath, for any activation σ.

    K⁽¹⁾(x,x') = C_W xᵀx'/n₀,   K⁽ℓ⁺¹⁾(x,x') = C_W E[σ(a)σ(b)],  (a, b) ~ N(0, [[K(x,x), K(x,x')], [K(x,x'), K(x',x')]])

One Gaussian-pair expectation behind every step, E[σ(a)σ(b)] for (a, b) ~ N(0, Σ): the closed forms
of numeric/_closed_forms.py where they exist (ReLU: the arc-cosine kernel of degree 1, erf: Williams'
arcsine, identity), the leaky ReLU σ(t) = (a₋1_{t<0} + a₊1_{t>0})t from the arc-cosine kernel (below),
and otherwise the bivariate quadrature of numeric/_expectation.py (polar Gauss–Legendre cut at the
kinks). Σ is handed to `expectation` as the Gram matrix of two vectors of ℝ² (Σ = Gram/2), so the
existing closed forms and quadrature are reused unchanged.

Deep recursions along the diagonal only (tanh-decay: thousands of layers) use a one-dimensional
Gauss–Hermite rule of `HERMITE_NODES` nodes, E[σ(√K g)²] = Σ wᵢ σ(√(2K) tᵢ)²/√π, held against the
adaptive quadrature in tests to 1e-10 for K ≤ 2.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable, Sequence

import mpmath
import numpy as np
import sympy as sp

from derive import activations as table
from derive import randnet as finite
from numeric._activations import Activation, from_table
from numeric._expectation import expectation
from numeric.gaussian_pair import pair_vectors as _vectors

__all__ = ["LeakyReLU", "gaussian_pair", "input_kernel", "kernel_step", "kernel_recursion", "diagonal_recursion",
           "leaky_relu_critical_cw", "METHODS", "chi2_product_cdf", "relu_cumulant_curves", "cap_inputs"]

METHODS = ("auto", "closed", "quadrature")
HERMITE_NODES = 160  # error ~ exp(−2d√(2N)) for σ analytic in |Im t| < d; tanh(√(2K)t): d = π/(2√(2K)) ≥ 0.78
# for K ≤ 2, so 160 nodes leave ≤ 1e-12 (tests hold it to 1e-10 against the adaptive quadrature)


@dataclass(frozen=True)
class LeakyReLU:
    """σ(t) = (a₋1_{t<0} + a₊1_{t>0})t = a₊relu(t) − a₋relu(−t)."""

    a_minus: float
    a_plus: float

    @property
    def name(self) -> str:
        return f"leaky_relu({self.a_minus:g},{self.a_plus:g})"

    def activation(self) -> Activation:
        return from_table(table.leaky_relu(self.a_minus, self.a_plus))  # the mpmath view of the one table


def leaky_relu_critical_cw(a_minus, a_plus) -> mpmath.mpf:
    """C_W = 2/(a₋² + a₊²): E[σ(z)²] = (a₋² + a₊²)K/2 for z ~ N(0, K)."""
    return 2 / (mpmath.mpf(a_minus) ** 2 + mpmath.mpf(a_plus) ** 2)


def gaussian_pair(sigma, k11, k12, k22, *, dps: int = 30, method: str = "auto") -> mpmath.mpf:
    """E[σ(a)σ(b)] for (a, b) ~ N(0, [[k11, k12], [k12, k22]]).

    sigma: a name of numeric.ACTIVATIONS ("relu", "erf", "tanh", "identity", "sin") or a LeakyReLU.
    method: "auto" (closed form where one exists, else quadrature), "closed" or "quadrature".
    """
    if method not in METHODS:
        raise ValueError(f"method={method!r} is not a method; choose one of {list(METHODS)}")
    with mpmath.workdps(dps + 5):
        k11, k12, k22 = (mpmath.mpf(v) for v in (k11, k12, k22))
        if isinstance(sigma, LeakyReLU):
            if method == "quadrature":
                x, z = _vectors(k11, k12, k22)
                value = expectation(sigma.activation(), "f", "f", "normal", x, z, dps=dps + 5, method="quadrature")
            else:
                value = _leaky_closed(sigma, k11, k12, k22, dps)
        else:
            x, z = _vectors(k11, k12, k22)
            value = expectation(sigma, "f", "f", "normal", x, z, dps=dps + 5, method=method)
    with mpmath.workdps(dps):
        return +value


def _leaky_closed(s: LeakyReLU, k11, k12, k22, dps) -> mpmath.mpf:
    """a₊²E[relu(a)relu(b)] + a₋²E[relu(−a)relu(−b)] − a₊a₋(E[relu(a)relu(−b)] + E[relu(−a)relu(b)]):
    (−a, −b) has the law of (a, b) and (a, −b) that of a pair with covariance −k12, so
    E[σ(a)σ(b)] = (a₊² + a₋²) k₁(k12) − 2a₊a₋ k₁(−k12) with k₁ the arc-cosine kernel of degree 1."""
    def k1(c):
        x, z = _vectors(k11, c, k22)
        return expectation("relu", "f", "f", "normal", x, z, dps=dps + 5, method="closed")

    am, ap = mpmath.mpf(s.a_minus), mpmath.mpf(s.a_plus)
    return (ap**2 + am**2) * k1(k12) - 2 * ap * am * k1(-k12)


def input_kernel(X: Sequence[Sequence], C_W) -> list[list[mpmath.mpf]]:
    """K⁽¹⁾ = C_W XᵀX/n₀ for inputs given as a list of k vectors of one length n₀."""
    vs = [[mpmath.mpf(v) for v in x] for x in X]
    if not vs or len({len(v) for v in vs}) != 1 or not vs[0]:
        raise ValueError(f"X={X!r}: pass k ≥ 1 input vectors of one length n₀ ≥ 1")
    d = len(vs[0])
    C_W = mpmath.mpf(C_W)
    return [[C_W * mpmath.fdot(a, b) / d for b in vs] for a in vs]


def kernel_step(sigma, C_W, K, *, dps: int = 30, method: str = "auto") -> list[list[mpmath.mpf]]:
    """K⁽ℓ⁺¹⁾ = C_W E_{K⁽ℓ⁾}[σ(z(xᵢ))σ(z(xⱼ))] for every pair of the k inputs (a k×k list)."""
    k = len(K)
    out = [[mpmath.mpf(0)] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            v = mpmath.mpf(C_W) * gaussian_pair(sigma, K[i][i], K[i][j], K[j][j], dps=dps, method=method)
            out[i][j] = out[j][i] = v
    return out


def kernel_recursion(sigma, C_W, X, depth: int, *, dps: int = 30, method: str = "auto") -> list[list[list[mpmath.mpf]]]:
    """[K⁽¹⁾, …, K⁽ᵈᵉᵖᵗʰ⁾] at the inputs X (k vectors): K⁽ˡ⁾ is the covariance of the preactivations z⁽ˡ⁾."""
    if depth < 1:
        raise ValueError(f"depth={depth}: ask for at least K⁽¹⁾ (depth ≥ 1)")
    Ks = [input_kernel(X, C_W)]
    for _ in range(depth - 1):
        Ks.append(kernel_step(sigma, C_W, Ks[-1], dps=dps, method=method))
    return Ks


@functools.lru_cache(maxsize=None)
def _hermite(n: int, dps: int):
    """Gauss–Hermite nodes and weights (weight e^{−t²}) at `dps` digits: NumPy's float64 nodes polished by
    Newton on the orthonormal Hermite polynomial pₙ (three-term recurrence, pₙ' = √(2n) pₙ₋₁), weights by
    Christoffel's formula wᵢ = 1/Σ_{k<n} p_k(tᵢ)² (no overflow, unlike the factorial form). pₙ(−t) = (−1)ⁿpₙ(t):
    the rule is symmetric, so only the nodes t ≥ 0 are polished and the others are their mirror images."""
    import numpy as np

    def values(t):
        ps = [mpmath.pi ** mpmath.mpf(-0.25), mpmath.sqrt(2) * t * mpmath.pi ** mpmath.mpf(-0.25)]
        for k in range(1, n):
            ps.append(mpmath.sqrt(mpmath.mpf(2) / (k + 1)) * t * ps[k] - mpmath.sqrt(mpmath.mpf(k) / (k + 1)) * ps[k - 1])
        return ps  # p_0 … p_n

    with mpmath.workdps(dps):
        nodes, weights = [], []
        half = np.polynomial.hermite.hermgauss(n)[0][n // 2:]  # t ≥ 0 (the middle node 0 when n is odd)
        for t0 in half:
            t = mpmath.mpf(0) if n % 2 and t0 is half[0] else mpmath.mpf(float(t0))
            for _ in range(60):
                ps = values(t)
                if ps[n] == 0:
                    break
                step = ps[n] / (mpmath.sqrt(2 * n) * ps[n - 1])
                t -= step
                if abs(step) <= (1 + abs(t)) * mpmath.mpf(10) ** (2 - dps):
                    break
            else:
                raise ArithmeticError(f"Gauss–Hermite node near {float(t0)} did not converge at dps={dps}")
            ps = values(t)
            nodes.append(t)
            weights.append(1 / mpmath.fsum(p * p for p in ps[:n]))
        mirrored = slice(n % 2, None)  # the node 0 is its own image
        return (tuple(-t for t in reversed(nodes[mirrored])) + tuple(nodes),  # −t at dps: inside workdps
                tuple(reversed(weights[mirrored])) + tuple(weights))


def _diag_expectation(f, K, nodes, weights, odd: bool = False) -> mpmath.mpf:
    """E[f(√K g)²] by the rule; odd f makes f² even: the nodes t > 0 counted twice (the rule is symmetric)."""
    s = mpmath.sqrt(2 * K)
    if odd:
        m = len(nodes) // 2
        pos = mpmath.fsum(w * f(s * t) ** 2 for t, w in zip(nodes[-m:], weights[-m:]))
        return 2 * pos / mpmath.sqrt(mpmath.pi)  # the middle node of an odd rule is 0, where an odd f² is 0
    return mpmath.fsum(w * f(s * t) ** 2 for t, w in zip(nodes, weights)) / mpmath.sqrt(mpmath.pi)


def diagonal_recursion(sigma: str | LeakyReLU, C_W, K1, depth: int, *, dps: int = 20,
                       nodes: int = HERMITE_NODES) -> list[mpmath.mpf]:
    """[K⁽¹⁾(x,x), …, K⁽ᵈᵉᵖᵗʰ⁾(x,x)] by K ↦ C_W E[σ(√K g)²] with a Gauss–Hermite rule (deep recursions)."""
    from numeric._activations import activation

    act = sigma.activation() if isinstance(sigma, LeakyReLU) else activation(sigma)
    with mpmath.workdps(dps + 5):
        t, w = _hermite(nodes, dps + 5)
        C_W = mpmath.mpf(C_W)
        out = [mpmath.mpf(K1)]
        for _ in range(depth - 1):
            out.append(C_W * _diag_expectation(act.f, out[-1], t, w, act.odd))
    with mpmath.workdps(dps):
        return [+v for v in out]


# ---- finite width: the laws of the randnet.* cumulant claims ---------------------------------------------------

def chi2_product_cdf(dofs: Sequence[int], draws: int, seed: int) -> Callable[[np.ndarray], np.ndarray]:
    """The empirical CDF of `draws` NumPy draws of Π χ²_{n}/n over n in `dofs` (independent factors): the law of
    ‖z‖²/n_out of a deep linear net (C_W = 1, ‖x‖² = n₀)."""
    if draws < 1 or not dofs or min(dofs) < 1:
        raise ValueError(f"dofs={tuple(dofs)!r}, draws={draws!r}: give ≥ 1 draw and degrees of freedom ≥ 1")
    rng = np.random.default_rng(seed)
    q = np.ones(draws)
    for n in dofs:
        q *= rng.chisquare(n, draws) / n
    q.sort()
    return lambda t: np.searchsorted(q, np.asarray(t), side="right") / draws


def relu_cumulant_curves(lambdas: Sequence[float], depths: Sequence[int]) -> dict[int, dict[str, list[float]]]:
    """{2k: {"L=…": κ_{2k}/K^k at equal widths n = L/λ for each λ, "L→∞ (lognormal)": the limit}} for k = 2, 3, 4:
    the exact law of a critical ReLU net (derive.randnet), with n real-valued (the factor moments are rational)."""
    moment = [sp.lambdify(finite.N, finite.relu_factor_moment(m)) for m in (1, 2, 3, 4)]
    curves: dict[int, dict[str, list[float]]] = {2 * k: {} for k in (2, 3, 4)}
    for L in depths:
        rows = [[float(v) for v in finite.cumulants_from_moments([1.0] + [float(moment[m - 1](L / lam)) ** L
                                                                         for m in (1, 2, 3, 4)])] for lam in lambdas]
        for k in (2, 3, 4):
            curves[2 * k][f"L={L}"] = [math.prod(range(1, 2 * k, 2)) * r[k - 1] for r in rows]
    for k in (2, 3, 4):
        mu = [[1.0] + [math.exp(5 * lam * m * (m - 1) / 2) for m in (1, 2, 3, 4)] for lam in lambdas]
        curves[2 * k]["L→∞ (lognormal)"] = [math.prod(range(1, 2 * k, 2)) * float(finite.cumulants_from_moments(m)[k - 1])
                                            for m in mu]
    return curves


def cap_inputs(N: int, d: int = 3) -> np.ndarray:
    """(d, N): N Fibonacci points on the cap x₃ ≥ 0.15 of the sphere |x|² = d (d = 3): spread out (σ_min/σ_max of a
    random net's per-sample gradients ≈ 0.1) and free of pairs x, −x, whose gradients are ∓ each other for an odd σ
    and no bias (a dependence that has nothing to do with #params)."""
    if N < 1 or d != 3:
        raise ValueError(f"N={N!r}, d={d!r}: the cap holds N ≥ 1 points of ℝ³ (d = 3)")
    i = np.arange(N) + 0.5
    h = 0.15 + 0.85 * i / N
    phi = np.pi * (1 + math.sqrt(5)) * i
    r = np.sqrt(1 - h**2)
    return np.stack([r * np.cos(phi), r * np.sin(phi), h]) * math.sqrt(d)
