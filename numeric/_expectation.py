"""E[f(uᵀx) g(uᵀz)] for u_j = ξ_j/√d, ξ_j iid from a base law: closed form if known, else quadrature.

The quadrature fallback reduces the d-dimensional expectation to one or two dimensions:

* normal: (a, b) = (uᵀx, uᵀz) ~ N(0, Σ). Whitened, (a, b) = r(α(φ), β(φ)) in polar coordinates of a
  standard normal pair, with radial weight r e^{−r²/2}/(2π); rank Σ = 1 (x ∥ z, or one of them 0)
  is a one-dimensional Gaussian integral.
* uniform: u is uniform on the cube [−√(3/d), √(3/d)]ᵈ, integrated as it is (not as a Gaussian):
  d = 1 on the segment; d = 2 over a = uᵀx, each chord {uᵀx = a} of the square integrated in closed form
  (b = uᵀz is linear along it: σ_z's antiderivative at the chord's ends, or σ_z(b)·length when z ∥ x),
  else (no antiderivative known) in polar coordinates, r ≤ R(φ) = s/max(|cos φ|, |sin φ|).

Each angular and radial range is cut where an argument crosses a kink of σ or σ' (and, for the
square, at its corners), so every piece is analytic and Gauss–Legendre converges at full precision.
"""
from __future__ import annotations

from typing import Callable, Sequence

import mpmath

from numeric._activations import Activation, check_which, is_builtin
from numeric._activations import activation as resolve_activation
from numeric._closed_forms import DOMAINS, Pair, lookup
from numeric._laws import Law, law as resolve_law

GUARD_DIGITS = 5  # carried beyond dps inside every computation; the result is rounded to dps
METHODS = ("auto", "closed", "quadrature")
_COARSE_DEGREE = 2  # Gauss–Legendre degree of the pass that sizes ∫|f g| (6 nodes per piece)


class QuadratureError(ArithmeticError):
    """The quadrature fallback did not reach the requested precision."""


def expectation(
    activation: str | Activation,
    which_x: str,
    which_z: str,
    law: str | Law,
    x: Sequence,
    z: Sequence,
    *,
    dps: int = 30,
    method: str = "auto",
) -> mpmath.mpf:
    """E[σ_x(uᵀx) σ_z(uᵀz)] with σ_x = σ or σ' as which_x = "f" or "df" (likewise for z).

    activation: a name in numeric.ACTIVATIONS or an Activation (custom ones use quadrature).
    law: a name in numeric.LAWS. x, z: real sequences of one length d.
    dps: decimal digits of the result. method: "auto" (closed form when one applies, else
    quadrature), "closed" (closed form or ValueError), "quadrature" (always the fallback).
    """
    act = resolve_activation(activation)
    base = resolve_law(law)
    check_which("which_x", which_x)
    check_which("which_z", which_z)
    if isinstance(dps, bool) or not isinstance(dps, int) or dps < 1:
        raise ValueError(f"dps={dps!r} is not a number of digits; pass an int dps >= 1")
    if method not in METHODS:
        raise ValueError(f"method={method!r} is not a method; choose one of {list(METHODS)}")
    form = lookup(base.name, act.name, which_x, which_z) if is_builtin(act) else None
    target = _describe(act, which_x, which_z)
    if method == "closed" and form is None:
        raise ValueError(
            f"method='closed': no closed form for {target} under law={base.name!r}; "
            "use method='auto' (quadrature) or see numeric.available_closed_forms()"
        )
    vx, vz = _vectors(x, z)
    if which_x == which_z and tuple(vz) < tuple(vx):
        # E[f(uᵀx)f(uᵀz)] is symmetric: evaluate in one canonical order so that the kernel is
        # symmetric to the last bit (the exact polygon clipping otherwise rounded a 1e-167
        # entry to 0 on one side only, for x, z antiparallel to 166 digits)
        vx, vz = vz, vx
    with mpmath.workdps(dps + GUARD_DIGITS):
        pair = Pair.of(vx, vz)
        value = None if form is None or method == "quadrature" else form(pair)
        if value is None:
            if method == "closed":
                raise ValueError(
                    f"method='closed': the closed form for {target} under law={base.name!r} "
                    f"holds for {DOMAINS.get((base.name, act.name), 'part of the inputs')} only, got d={pair.d}; "
                    "use method='auto' (quadrature)"
                )
            value = _FALLBACKS[base.name](act, which_x, which_z, pair, dps)
    with mpmath.workdps(dps):
        return +value


def _describe(act: Activation, which_x: str, which_z: str) -> str:
    prime = {"f": "", "df": "'"}
    return f"E[{act.name}{prime[which_x]}(uᵀx) {act.name}{prime[which_z]}(uᵀz)]"


def _vectors(x: Sequence, z: Sequence) -> tuple[tuple[mpmath.mpf, ...], tuple[mpmath.mpf, ...]]:
    vx, vz = _vector("x", x), _vector("z", z)
    if len(vx) != len(vz):
        raise ValueError(
            f"x has length {len(vx)} but z has length {len(vz)}; pass two vectors of one length d"
        )
    return vx, vz


def _vector(argument: str, value: Sequence) -> tuple[mpmath.mpf, ...]:
    try:
        if isinstance(value, (str, bytes)):
            raise TypeError
        items = list(value)
    except TypeError:
        raise ValueError(
            f"{argument}={value!r} is not a vector; pass a sequence of real numbers"
        ) from None
    if not items:
        raise ValueError(f"{argument} is empty; pass a vector of length d >= 1")
    out = []
    for i, v in enumerate(items):
        try:
            m = mpmath.mpf(v)
        except (TypeError, ValueError):
            raise ValueError(f"{argument}[{i}]={v!r} is not a real number") from None
        if not mpmath.isfinite(m):
            raise ValueError(f"{argument}[{i}]={v!r} is not finite; pass finite inputs")
        out.append(m)
    return tuple(out)


# ---------------------------------------------------------------- the fallback, one per law
# F(a, b) = σ_x(a) σ_z(b) below; each fallback returns E[F(uᵀx, uᵀz)].

Transform = Callable[[mpmath.mpf], mpmath.mpf]


def _prologue(act: Activation, which_x: str, which_z: str, pair: Pair):
    """What every law's fallback starts with: the two functions, the parity of F, the kinks, and
    the value outright when symmetry (odd F: 0) or x = z = 0 (F(0, 0)) gives it."""
    f, g = act.part(which_x), act.part(which_z)
    parity = _parity(act, which_x, which_z)
    kinks = [mpmath.mpf(k) for k in act.kinks]
    if parity == -1:
        return f, g, parity, kinks, mpmath.mpf(0)
    if pair.rank == 0:
        zero = mpmath.mpf(0)
        return f, g, parity, kinks, f(zero) * g(zero)
    return f, g, parity, kinks, None


def _normal(act: Activation, which_x: str, which_z: str, pair: Pair, dps: int) -> mpmath.mpf:
    f, g, parity, kinks, value = _prologue(act, which_x, which_z, pair)
    if value is not None:
        return value
    # Past R the weight e^{−r²/2} is below 10^{−dps−3} of its peak (σ of polynomial growth assumed).
    R = mpmath.sqrt(2 * mpmath.log(10) * (mpmath.mp.dps + 3))
    if pair.rank == 1:
        # (a, b) = (p t, q t), t ~ N(0, 1)
        if pair.saa > 0:
            p = mpmath.sqrt(pair.saa)
            q = pair.sab / p
        else:
            p, q = mpmath.mpf(0), mpmath.sqrt(pair.sbb)
        integral = _line(f, g, kinks, p, q, mpmath.npdf, R, parity)
    else:
        # (a, b) = L (g1, g2) with L the Cholesky factor of Σ: rows p = (l11, 0), q = (l21, l22)
        l11 = mpmath.sqrt(pair.saa)
        p = (l11, mpmath.mpf(0))
        q = (pair.sab / l11, mpmath.sqrt(pair.det) / l11)
        inv_two_pi = 1 / (2 * mpmath.pi)
        integral = _polar(
            f, g, kinks, p, q,
            weight=lambda r: r * mpmath.exp(-r * r / 2) * inv_two_pi,
            rmax=lambda phi: R,
            angles=[phi for c in kinks if c != 0 for w in (p, q) for phi in _line_meets_circle(w, c, R)],
            parity=parity,
        )
    return _normalised(integral, act, which_x, which_z, dps)


def _uniform(act: Activation, which_x: str, which_z: str, pair: Pair, dps: int) -> mpmath.mpf:
    d = pair.d
    if d > 2:
        raise ValueError(
            f"law='uniform' with d={d}: the quadrature fallback integrates over the cube "
            "[-√(3/d), √(3/d)]^d to high precision only for d <= 2; use d <= 2 or law='normal'"
        )
    f, g, parity, kinks, value = _prologue(act, which_x, which_z, pair)
    if value is not None:
        return value
    s = mpmath.sqrt(mpmath.mpf(3) / d)
    chords = _chords(act, which_x, which_z, pair) if d == 2 else None
    if d == 1:
        density = 1 / (2 * s)
        integral = _line(f, g, kinks, pair.x[0], pair.z[0], lambda t: density, s, parity)
    elif chords is not None:
        integral = chords(kinks, s)
    else:
        density = 1 / (4 * s * s)
        corners = [mpmath.pi / 4 + k * mpmath.pi / 2 for k in range(4)]
        crossings = [
            phi for c in kinks if c != 0 for w in (pair.x, pair.z) for phi in _line_meets_square(w, c, s)
        ]
        integral = _polar(
            f, g, kinks, pair.x, pair.z,
            weight=lambda r: r * density,
            rmax=lambda phi: s / max(abs(mpmath.cos(phi)), abs(mpmath.sin(phi))),
            angles=corners + crossings,
            parity=parity,
        )
    return _normalised(integral, act, which_x, which_z, dps)


def _chords(act: Activation, which_x: str, which_z: str, pair: Pair):
    """The chord reduction of the square for d = 2 as a function of (kinks, s), or None when it needs an
    antiderivative that neither side has. Orients the pair so that |x₁| ≥ |x₀| (x₁ ≠ 0) and z's side is
    integrated along the chords."""
    x, z, wx, wz = pair.x, pair.z, which_x, which_z
    if pair.rank == 2 and act.antiderivative(wz) is None:
        x, z, wx, wz = z, x, wz, wx  # integrate x's side along the chords instead
        if act.antiderivative(wz) is None:
            return None
    if x[0] == 0 and x[1] == 0:
        x, z, wx, wz = z, x, wz, wx  # rank 1 with x = 0: slice along z
    if abs(x[1]) < abs(x[0]):
        # the square is symmetric under u₀ ↔ u₁; |x₁| ≥ |x₀| keeps the chord's ends (a ∓ s x₁)/x₀ free of
        # cancellation (x = (1, 1e-9) lost 9 digits the other way)
        x, z = x[::-1], z[::-1]
    f, g = act.part(wx), act.part(wz)
    G = act.antiderivative(wz) if pair.rank == 2 else None
    return lambda kinks, s: _chord_integral(f, g, G, kinks, x, z, s)


def _chord_integral(f, g, G, kinks, x, z, s) -> Integral:
    """E[F(uᵀx, uᵀz)], u uniform on [−s, s]², as ∫ f(a) C(a) da / (4s²|x₁|) over a = uᵀx (|x₁| ≥ |x₀|, x₁ ≠ 0).

    On the chord {uᵀx = a}, u = (t, (a − x₀t)/x₁) for t in [lo(a), hi(a)] (du = dt da/|x₁|), and
    b = (z₁a + e·t)/x₁ with e = z₀x₁ − z₁x₀, so C(a) = ∫ g(b) dt = (x₁/e)[G(b)] between the ends (G' = g),
    or g(z₁a/x₁)·(hi − lo) when e = 0 (z ∥ x). lo, hi and b at the ends are linear in a between the
    corners' values ±s x₀ ± s x₁; the range of a is cut there, at f's kinks, and where an end's b crosses
    a kink of g (G is one degree smoother than g, so analytic where g is).
    """
    x0, x1 = x
    z0, z1 = z
    e = z0 * x1 - z1 * x0  # G is None exactly when z ∥ x (Pair.rank, exact), then e is 0 in exact arithmetic
    width = s * (abs(x0) + abs(x1))

    def ends(a):
        if x0 == 0:
            return -s, s
        c1, c2 = (a - s * x1) / x0, (a + s * x1) / x0
        return max(-s, min(c1, c2)), min(s, max(c1, c2))

    def b(a, t):
        return (z1 * a + e * t) / x1

    if G is None:
        def chord(a):
            lo, hi = ends(a)
            return g(z1 * a / x1) * (hi - lo) if hi > lo else mpmath.mpf(0)
    else:
        # G(b_hi) − G(b_lo) cancels the bits of |x||z|/|e| (z nearly ∥ x): carry them as guard bits
        guard = max(0, int(mpmath.log(mpmath.norm(x) * mpmath.norm(z) / abs(e), 2))) + 4

        def chord(a):
            with mpmath.extraprec(guard):
                lo, hi = ends(a)
                return (G(b(a, hi)) - G(b(a, lo))) * x1 / e if hi > lo else mpmath.mpf(0)

    corners = sorted({-width, width, *(sx * s * x0 + sy * s * x1 for sx in (-1, 1) for sy in (-1, 1))})
    cuts = set(corners) | set(_cuts(kinks, (1,), -width, width))
    if G is None:
        cuts |= set(_cuts(kinks, (z1 / x1,), -width, width))
    else:
        for lo_a, hi_a in zip(corners, corners[1:]):  # b at either end of the chord is linear on [lo_a, hi_a]
            for end in (0, 1):
                b_lo, b_hi = b(lo_a, ends(lo_a)[end]), b(hi_a, ends(hi_a)[end])
                cuts |= {lo_a + (k - b_lo) / (b_hi - b_lo) * (hi_a - lo_a)
                         for k in map(mpmath.mpf, kinks) if min(b_lo, b_hi) < k < max(b_lo, b_hi)}
    points = sorted(cuts)
    scale = 1 / (4 * s * s * abs(x1))

    def integral(h, maxdegree):
        value, err = _quad(lambda a: h(f(a) * chord(a)), points, maxdegree)
        return scale * value, scale * err

    return integral


_FALLBACKS: dict[str, Callable[[Activation, str, str, Pair, int], mpmath.mpf]] = {
    "normal": _normal,
    "uniform": _uniform,
}


# ---------------------------------------------------------------- quadrature building blocks

# An integral: given a transform h of the integrand and a Gauss–Legendre degree cap (None: mpmath's
# default for the precision), return (value, estimated error) of ∫ h(F) against the law.
Integral = Callable[[Transform, "int | None"], tuple[mpmath.mpf, mpmath.mpf]]


def _normalised(integral: Integral, act: Activation, which_x: str, which_z: str, dps: int):
    """Integrate F/S with S ≈ ∫|F| from a coarse pass, so mpmath's absolute tolerance acts as a
    relative one, and raise if the estimated error exceeds 10^{−dps}·S."""
    scale, _ = integral(abs, _COARSE_DEGREE)
    if scale == 0:
        scale = mpmath.mpf(1)
    value, err = integral(lambda v: v / scale, None)
    tol = mpmath.mpf(10) ** (-dps)
    if err > tol:
        raise QuadratureError(
            f"quadrature of {_describe(act, which_x, which_z)} stalled at relative error "
            f"{mpmath.nstr(err, 3)} > {mpmath.nstr(tol, 3)} (dps={dps}); if σ or σ' has kinks, "
            f"list them in Activation.kinks (now {act.kinks})"
        )
    return value * scale


def _quad(fun, points, maxdegree):
    return mpmath.quad(fun, points, method="gauss-legendre", maxdegree=maxdegree, error=True)


def _cuts(kinks, coefficients, lo, hi) -> list[mpmath.mpf]:
    """Points t in (lo, hi) where c·t crosses a kink, for c in coefficients."""
    return [k / c for k in kinks for c in coefficients if c != 0 and lo < k / c < hi]


def _parity(act: Activation, which_x: str, which_z: str) -> int | None:
    """s with F(−a, −b) = s·F(a, b) when σ is odd (σ' even), else None. Both laws are symmetric under
    u → −u, so s = −1 makes the expectation vanish and s = +1 lets half the domain suffice."""
    if not act.odd:
        return None
    return 1 if which_x == which_z else -1


def _line(f, g, kinks, p, q, density, half_width, parity) -> Integral:
    """∫ density(t) F(p t, q t) dt over [−half_width, half_width] (density even)."""
    lo = mpmath.mpf(0) if parity == 1 else -half_width
    points = sorted({lo, mpmath.mpf(0), half_width, *_cuts(kinks, (p, q), lo, half_width)})
    factor = 2 if parity == 1 else 1

    F = _square(f) if f is g and p == q else lambda a, b: f(a) * g(b)

    def integral(h, maxdegree):
        value, err = _quad(lambda t: density(t) * h(F(p * t, q * t)), points, maxdegree)
        return factor * value, factor * err

    return integral


def _square(f):
    """F(a, b) = f(a)·f(b) on the diagonal x = z, where a = b always: one evaluation of f, the same bits."""
    def F(a, b):
        v = f(a)
        return v * v

    return F


def _zero_angles(w) -> list[mpmath.mpf]:
    """The two φ ∈ [0, 2π) where w₀cos φ + w₁sin φ = 0 (none for w = 0)."""
    if w[0] == 0 and w[1] == 0:
        return []
    phi = mpmath.atan2(-w[0], w[1]) % (2 * mpmath.pi)
    return [phi, (phi + mpmath.pi) % (2 * mpmath.pi)]


def _kink_crossings(kinks, p, q) -> list[mpmath.mpf]:
    """Angles of the points where a kink line {p·u = c₁} crosses a kink line {q·u = c₂}: there the
    radial cuts meet and the angular integrand is not analytic (c₁ = c₂ = 0 is the origin)."""
    det = p[0] * q[1] - p[1] * q[0]
    if det == 0:
        return []
    out = []
    for c1 in kinks:
        for c2 in kinks:
            if c1 != 0 or c2 != 0:
                u0 = (c1 * q[1] - p[1] * c2) / det
                u1 = (p[0] * c2 - c1 * q[0]) / det
                out.append(mpmath.atan2(u1, u0) % (2 * mpmath.pi))
    return out


def _line_meets_square(w, c, s) -> list[mpmath.mpf]:
    """Angles of the points where the line {u : u·w = c} meets the boundary of [−s, s]²."""
    out = []
    for i in (0, 1):
        j = 1 - i
        if w[j] == 0:
            continue
        for side in (-s, s):
            u = [None, None]
            u[i], u[j] = side, (c - w[i] * side) / w[j]
            if abs(u[j]) <= s:
                out.append(mpmath.atan2(u[1], u[0]) % (2 * mpmath.pi))
    return out


def _line_meets_circle(w, c, R) -> list[mpmath.mpf]:
    """Angles of the points where the line {u : u·w = c} meets the circle |u| = R (there a kink's radial cut
    leaves the truncated disc and the angular integrand is not analytic)."""
    norm = mpmath.sqrt(w[0] ** 2 + w[1] ** 2)
    if norm == 0 or abs(c) > R * norm:
        return []
    base, half = mpmath.atan2(w[1], w[0]), mpmath.acos(c / (R * norm))
    return [(base + half) % (2 * mpmath.pi), (base - half) % (2 * mpmath.pi)]


def _polar(f, g, kinks, p, q, *, weight, rmax, angles, parity) -> Integral:
    """∫₀^{2π} dφ ∫₀^{rmax(φ)} weight(r) F(r α(φ), r β(φ)) dr, α = p₀cos φ + p₁sin φ, β likewise.

    rmax(φ + π) = rmax(φ) for both laws, so parity +1 integrates φ ∈ [0, π] and doubles.
    """
    end = mpmath.pi if parity == 1 else 2 * mpmath.pi
    factor = 2 if parity == 1 else 1
    singular = (*angles, *_zero_angles(p), *_zero_angles(q), *_kink_crossings(kinks, p, q))
    inside = [phi % end for phi in singular if 0 < phi % end < end]
    cuts = sorted({mpmath.mpf(0), end, *inside})
    prec = mpmath.mp.prec
    F = _square(f) if f is g and tuple(p) == tuple(q) else lambda a, b: f(a) * g(b)

    def integral(h, maxdegree):
        weights: dict[mpmath.mpf, mpmath.mpf] = {}  # the radial nodes repeat for every φ

        def weighted(r):
            w = weights.get(r)
            if w is None:
                w = weights[r] = weight(r)
            return w

        def radial(phi):
            cos, sin = mpmath.cos(phi), mpmath.sin(phi)
            alpha, beta = p[0] * cos + p[1] * sin, q[0] * cos + q[1] * sin
            top = rmax(phi)
            points = sorted({mpmath.mpf(0), top, *_cuts(kinks, (alpha, beta), 0, top)})
            # mpmath.quad raises the precision by 20 bits; undo it for the nested call.
            with mpmath.workprec(prec):
                return _quad(
                    lambda r: weighted(r) * h(F(r * alpha, r * beta)), points, maxdegree
                )[0]

        value, err = _quad(radial, cuts, maxdegree)
        return factor * value, factor * err

    return integral
