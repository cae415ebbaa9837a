"""Closed forms of E[f(uᵀx) g(uᵀz)], the overrides in front of the quadrature fallback.

A closed form is a function of a `Pair` (the inputs and their Gram entries) that returns the
expectation, or None where its formula does not apply (then the fallback integrates instead, as a
sympy distribution's `_cdf` may return None). Every entry is checked against the quadrature in
tests/fast/test_numeric_kernels.py.

Notation: a = uᵀx, b = uᵀz, u_j = ξ_j/√d, so Σ = Cov(a, b) = [[xᵀx, xᵀz], [xᵀz, zᵀz]]/d for every
unit-variance law; θ ∈ [0, π] is the angle between x and z.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Callable, Mapping, NamedTuple

import mpmath

from numeric._activations import ACTIVATIONS
from numeric._laws import LAWS


@dataclass(frozen=True)
class Pair:
    """x, z as mpf tuples, with Σaa = xᵀx/d, Σbb = zᵀz/d, Σab = xᵀz/d and det Σ.

    The Gram entries are computed exactly (in rationals) from the binary inputs and only then
    rounded, so det ≥ 0 and rank (0, 1 or 2: the rank of Σ) is exact: rank 1 exactly when x ∥ z
    or one of them is 0.
    """

    x: tuple[mpmath.mpf, ...]
    z: tuple[mpmath.mpf, ...]
    saa: mpmath.mpf
    sbb: mpmath.mpf
    sab: mpmath.mpf
    det: mpmath.mpf
    rank: int

    @property
    def d(self) -> int:
        return len(self.x)

    @classmethod
    def of(cls, x: tuple[mpmath.mpf, ...], z: tuple[mpmath.mpf, ...]) -> Pair:
        """Build at the working precision; x and z are finite mpf tuples of one length d ≥ 1."""
        fx, fz = [_exact(v) for v in x], [_exact(v) for v in z]
        xx = sum(v * v for v in fx)
        zz = sum(v * v for v in fz)
        xz = sum(v * w for v, w in zip(fx, fz))
        det = xx * zz - xz * xz  # Lagrange: Σ_{i<j} (x_i z_j − x_j z_i)² ≥ 0, exactly
        d = len(x)
        rank = 0 if xx == zz == 0 else (1 if det == 0 else 2)
        return cls(
            x, z, _mpf(xx / d), _mpf(zz / d), _mpf(xz / d), _mpf(det / (d * d)), rank
        )

    def swapped(self) -> Pair:
        return Pair(self.z, self.x, self.sbb, self.saa, self.sab, self.det, self.rank)


def _exact(v: mpmath.mpf) -> Fraction:
    man, exp = v.man_exp  # |v| = man·2^exp: man_exp drops the sign
    return (-1 if v < 0 else 1) * Fraction(man) * Fraction(2) ** exp


def _mpf(q: Fraction) -> mpmath.mpf:
    return mpmath.mpf(q.numerator) / q.denominator


ClosedForm = Callable[[Pair], "mpmath.mpf | None"]


class ClosedFormKey(NamedTuple):
    """(law, activation, which): which = (which_x, which_z) names the pair E[σ^{(·)}(a) σ^{(·)}(b)]."""

    law: str
    activation: str
    which: tuple[str, str]


# ---------------------------------------------------------------- every law (unit variance, symmetric)


def _identity_ff(p: Pair) -> mpmath.mpf:
    return p.sab  # E[ab] = Σ_j x_j z_j E[u_j²]


def _one(p: Pair) -> mpmath.mpf:
    return mpmath.mpf(1)


def _vanishes(p: Pair) -> mpmath.mpf:
    return mpmath.mpf(0)  # odd σ, even σ': (a, b) → (−a, −b) flips the sign of σ(a)σ'(b)


# ---------------------------------------------------------------- normal: (a, b) ~ N(0, Σ)


def _angle(p: Pair) -> mpmath.mpf:
    return mpmath.atan2(mpmath.sqrt(p.det), p.sab)  # θ, stable for x ∥ z where acos is not


def _normal_relu_ff(p: Pair) -> mpmath.mpf:
    """Cho & Saul arc-cosine kernel of degree 1: (√(ΣaaΣbb)/2π)(sin θ + (π−θ) cos θ)."""
    if p.saa == 0 or p.sbb == 0:
        return mpmath.mpf(0)  # relu(0) = 0
    return (mpmath.sqrt(p.det) + (mpmath.pi - _angle(p)) * p.sab) / (2 * mpmath.pi)


def _normal_relu_fdf(p: Pair) -> mpmath.mpf:
    """E[relu(a) 1{b>0}] = √Σaa (1 + cos θ)/(2√(2π))."""
    if p.saa == 0 or p.sbb == 0:
        return mpmath.mpf(0)  # relu(0) = relu'(0) = 0
    return (mpmath.sqrt(p.saa) + p.sab / mpmath.sqrt(p.sbb)) / (2 * mpmath.sqrt(2 * mpmath.pi))


def _normal_relu_dfdf(p: Pair) -> mpmath.mpf:
    """Arc-cosine kernel of degree 0: P(a > 0, b > 0) = (π − θ)/(2π)."""
    if p.saa == 0 or p.sbb == 0:
        return mpmath.mpf(0)  # relu'(0) := 0
    return (mpmath.pi - _angle(p)) / (2 * mpmath.pi)


def _erf_spread(p: Pair) -> mpmath.mpf:
    # (1 + 2Σaa)(1 + 2Σbb) − 4Σab², written without cancellation
    return 1 + 2 * (p.saa + p.sbb) + 4 * p.det


def _normal_erf_ff(p: Pair) -> mpmath.mpf:
    """Williams: (2/π) arcsin(2Σab / √((1 + 2Σaa)(1 + 2Σbb)))."""
    return 2 * mpmath.atan2(2 * p.sab, mpmath.sqrt(_erf_spread(p))) / mpmath.pi


def _normal_erf_dfdf(p: Pair) -> mpmath.mpf:
    """(4/π) E[exp(−a² − b²)] = (4/π) / √det(I + 2Σ)."""
    return 4 / (mpmath.pi * mpmath.sqrt(_erf_spread(p)))


def _normal_sin_ff(p: Pair) -> mpmath.mpf:
    """E[sin a sin b] = (E cos(a − b) − E cos(a + b))/2 = e^{−(Σaa+Σbb)/2} sinh Σab."""
    return mpmath.exp(-(p.saa + p.sbb) / 2) * mpmath.sinh(p.sab)


def _normal_sin_dfdf(p: Pair) -> mpmath.mpf:
    return mpmath.exp(-(p.saa + p.sbb) / 2) * mpmath.cosh(p.sab)


# ---------------------------------------------------------------- uniform: u uniform on the cube


def _half_width(d: int) -> mpmath.mpf:
    return mpmath.sqrt(mpmath.mpf(3) / d)  # u_j uniform on [−√(3/d), √(3/d)]


def _uniform_cos_mean(p: Pair, sign: int) -> mpmath.mpf:
    """E[cos(uᵀ(x + sign·z))] = Π_j sin(s w_j)/(s w_j), the characteristic function of the cube."""
    s = _half_width(p.d)
    return mpmath.fprod(mpmath.sinc(s * (xj + sign * zj)) for xj, zj in zip(p.x, p.z))


def _uniform_sin_ff(p: Pair) -> mpmath.mpf:
    return (_uniform_cos_mean(p, -1) - _uniform_cos_mean(p, +1)) / 2


def _uniform_sin_dfdf(p: Pair) -> mpmath.mpf:
    return (_uniform_cos_mean(p, -1) + _uniform_cos_mean(p, +1)) / 2


def _uniform_relu(degree_x: int, degree_z: int) -> ClosedForm:
    """E[relu^{(·)}(a) relu^{(·)}(b)] for d ≤ 2: a polynomial of degree ≤ 2 integrated exactly over
    the box cut by the half-spaces {uᵀx > 0} and {uᵀz > 0} (degree 1 for σ, 0 for σ')."""

    def form(p: Pair) -> mpmath.mpf | None:
        if p.d > 2:
            return None
        if p.saa == 0 or p.sbb == 0:
            return mpmath.mpf(0)  # relu(0) = relu'(0) = 0
        s = _half_width(p.d)

        def integrand(u):
            a = mpmath.fdot(u, p.x)
            b = mpmath.fdot(u, p.z)
            return a**degree_x * b**degree_z

        if p.d == 1:
            box = [(-s,), (s,)]
            region = _clip_segment(_clip_segment(box, p.x), p.z)
            total = _segment_integral(region, integrand)
        else:
            box = [(-s, -s), (s, -s), (s, s), (-s, s)]
            region = _clip_polygon(_clip_polygon(box, p.x), p.z)
            total = _polygon_integral(region, integrand)
        return total / (2 * s) ** p.d

    return form


def _clip_segment(segment, w):
    """The part of the segment [(lo,), (hi,)] where u·w ≥ 0 (w ≠ 0); [] when it is empty."""
    if not segment:
        return []
    (lo,), (hi,) = segment
    if w[0] > 0:
        lo = max(lo, 0)
    else:
        hi = min(hi, 0)
    return [(lo,), (hi,)] if lo < hi else []


def _segment_integral(seg, q) -> mpmath.mpf:
    if not seg:
        return mpmath.mpf(0)
    (lo,), (hi,) = seg
    mid = (lo + hi) / 2
    return (hi - lo) * (q((lo,)) + 4 * q((mid,)) + q((hi,))) / 6  # Simpson: exact to degree 3


def _clip_polygon(vertices, w):
    """Sutherland–Hodgman: the convex polygon `vertices` (counter-clockwise) cut to {u·w ≥ 0}."""
    out = []
    for i, p in enumerate(vertices):
        q = vertices[(i + 1) % len(vertices)]
        dp = p[0] * w[0] + p[1] * w[1]
        dq = q[0] * w[0] + q[1] * w[1]
        if dp >= 0:
            out.append(p)
        if (dp > 0 > dq) or (dp < 0 < dq):
            t = dp / (dp - dq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def _polygon_integral(vertices, q) -> mpmath.mpf:
    """∫ q over a convex polygon, q of degree ≤ 2: fan of triangles, each by its edge midpoints."""
    total = mpmath.mpf(0)
    for i in range(1, len(vertices) - 1):
        a, b, c = vertices[0], vertices[i], vertices[i + 1]
        area = ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2
        mids = [((p[0] + r[0]) / 2, (p[1] + r[1]) / 2) for p, r in ((a, b), (b, c), (c, a))]
        total += area * mpmath.fsum(q(m) for m in mids) / 3
    return total


# ---------------------------------------------------------------- the registry

_REGISTRY: dict[ClosedFormKey, ClosedForm] = {}


def _register(law: str, act: str, which_x: str, which_z: str, form: ClosedForm) -> None:
    _REGISTRY[ClosedFormKey(law, act, (which_x, which_z))] = form
    if which_x != which_z:  # E[g(b) f(a)] is the same form read with x and z exchanged
        _REGISTRY[ClosedFormKey(law, act, (which_z, which_x))] = lambda p: form(p.swapped())


for _law in LAWS:
    _register(_law, "identity", "f", "f", _identity_ff)
    _register(_law, "identity", "df", "df", _one)
    for _act in ACTIVATIONS.values():
        if _act.odd:
            _register(_law, _act.name, "f", "df", _vanishes)

_register("normal", "relu", "f", "f", _normal_relu_ff)
_register("normal", "relu", "f", "df", _normal_relu_fdf)
_register("normal", "relu", "df", "df", _normal_relu_dfdf)
_register("normal", "erf", "f", "f", _normal_erf_ff)
_register("normal", "erf", "df", "df", _normal_erf_dfdf)
_register("normal", "sin", "f", "f", _normal_sin_ff)
_register("normal", "sin", "df", "df", _normal_sin_dfdf)
_register("uniform", "sin", "f", "f", _uniform_sin_ff)
_register("uniform", "sin", "df", "df", _uniform_sin_dfdf)
_register("uniform", "relu", "f", "f", _uniform_relu(1, 1))
_register("uniform", "relu", "f", "df", _uniform_relu(1, 0))
_register("uniform", "relu", "df", "df", _uniform_relu(0, 0))

# Formulas that hold only on part of the input space: (key → the condition, for error messages).
DOMAINS: Mapping[tuple[str, str], str] = MappingProxyType({("uniform", "relu"): "d <= 2"})
del _law, _act


def lookup(law: str, act: str, which_x: str, which_z: str) -> ClosedForm | None:
    return _REGISTRY.get(ClosedFormKey(law, act, (which_x, which_z)))


def available_closed_forms() -> tuple[ClosedFormKey, ...]:
    """Every (law, activation, (which_x, which_z)) with a closed-form override, sorted.

    ("uniform", "relu", ·) holds for d ≤ 2 only; elsewhere the fallback is used.
    """
    return tuple(sorted(_REGISTRY))
