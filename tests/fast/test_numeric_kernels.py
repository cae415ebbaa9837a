"""numeric/: every closed form against the quadrature fallback, the quadrature against independent
double-precision integrators (scipy), the laws' moments, and the error messages.

Hypothesis runs derandomized (fixed seed) with small example counts: each 2-D quadrature costs
0.1–2 s. tests/slow/test_numeric_kernels_slow.py repeats the sweeps at more digits and examples.
"""
from __future__ import annotations

import dataclasses
import math
import types

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import integrate

import numeric
from numeric import (
    ACTIVATIONS,
    LAWS,
    Activation,
    QuadratureError,
    available_closed_forms,
    expectation,
    lecun_kernel,
)

# ---------------------------------------------------------------- tolerances, each with its reason

# Digits asked of the quadrature when it is the reference: 1e-12 below leaves three digits for
# rounding, while the cost of 2-D Gauss–Legendre grows with the digits.
QUAD_DPS = 15


def _closed_tolerances(dps: int) -> tuple[float, float]:
    """Closed form vs quadrature at dps digits: relative 10^{3−dps} (three digits of margin for
    rounding), plus an absolute floor 10^{1−dps} for kernels that vanish exactly (odd σ against
    even σ', relu at x = −z), where the quadrature returns ~10^{−dps−5}, not 0. Inputs lie in
    [−2, 2], so every kernel here is O(1)–O(10) and the floor is below the relative budget.
    At QUAD_DPS = 15: 1e-12 relative, 1e-14 absolute."""
    return 10.0 ** (3 - dps), 10.0 ** (1 - dps)


# scipy's QUADPACK (double precision, adaptive, split at the kinks) against mpmath: it reaches
# ~1e-13 on these smooth pieces; 1e-10 leaves room for its summation error. Our side then needs
# only SCIPY_DPS digits.
TOL_SCIPY = 1e-10
SCIPY_DPS = 12
# Moments and densities are analytic on each piece: mpmath.quad at 30 digits agrees to ~1e-28.
TOL_MOMENT = mpmath.mpf(10) ** -25
# The law matters: tanh kernels under uniform vs normal differ at the 1e-2 level; 1e-6 is far
# above the 1e-15 numerical error, so a law that is silently ignored is caught.
LAW_GAP = 1e-6

SETTINGS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LANDMARKS = {
    "d=1": ((0.7,), (1.3,)),
    "x=z": ((0.4, 1.1), (0.4, 1.1)),
    "x=-z": ((0.4, 1.1), (-0.4, -1.1)),
    "orthogonal": ((1.0, 0.5), (-1.0, 2.0)),  # unequal norms, so a form that swaps x, z shows
    "generic d=3": ((1.3, -0.2, 0.5), (0.6, 0.9, -1.1)),
}
# The fast set skips the costliest landmarks (2-D integrals of erf/tanh); the slow set runs all.
FAST_LANDMARKS = ("d=1", "x=z", "x=-z", "orthogonal")
FAST_VANISHING_LANDMARKS = ("d=1",)


def _vanishes_by_parity(key) -> bool:
    return ACTIVATIONS[key.activation].odd and key.which[0] != key.which[1]


def _quadrature(key, x, z, dps=QUAD_DPS):
    act = ACTIVATIONS[key.activation]
    if _vanishes_by_parity(key):
        # The fallback shortcuts odd×even to 0 from the same `odd` flag; integrate for real instead.
        act = dataclasses.replace(act, odd=False)
    return expectation(act, *key.which, key.law, x, z, dps=dps, method="quadrature")


def _assert_close(measured, expected, rtol, atol, context):
    err = abs(measured - expected)
    rel = err / abs(expected) if expected else mpmath.inf
    assert err <= rtol * abs(expected) + atol, (
        f"{context}: expected {mpmath.nstr(expected, 20)}, measured {mpmath.nstr(measured, 20)}, "
        f"abs err {mpmath.nstr(err, 3)}, rel err {mpmath.nstr(rel, 3)} (rtol {rtol}, atol {atol})"
    )


# ---------------------------------------------------------------- surface and registries


def test_all_is_exactly_the_public_surface():
    public = {
        name
        for name, value in vars(numeric).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(numeric.__all__)


def test_registries_use_the_suite_names():
    assert set(LAWS) == {"normal", "uniform"}
    assert set(ACTIVATIONS) == {"tanh", "erf", "relu", "sin", "identity"}
    assert ACTIVATIONS["relu"].kinks == (0,)
    assert all(ACTIVATIONS[n].kinks == () for n in ("tanh", "erf", "sin", "identity"))


def test_required_closed_forms_are_registered():
    keys = {(k.law, k.activation, k.which) for k in available_closed_forms()}
    required = {
        ("normal", "relu", ("f", "f")),
        ("normal", "relu", ("df", "df")),
        ("normal", "relu", ("f", "df")),
        ("normal", "erf", ("f", "f")),
        ("normal", "erf", ("df", "df")),
        ("normal", "identity", ("f", "f")),
        ("normal", "identity", ("df", "df")),
    }
    assert required <= keys
    assert list(available_closed_forms()) == sorted(available_closed_forms())


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative_and_parity(name):
    act = ACTIVATIONS[name]
    with mpmath.workdps(30):
        for t in map(mpmath.mpf, ("-2.5", "-0.3", "0.4", "1.7")):  # away from every kink
            _assert_close(act.df(t), mpmath.diff(act.f, t), 1e-25, 1e-28, f"{name}' at {t}")
            if act.odd:
                assert act.f(-t) == -act.f(t) and act.df(-t) == act.df(t), f"{name} not odd at {t}"


def test_relu_derivative_at_zero_is_zero():
    assert ACTIVATIONS["relu"].df(mpmath.mpf(0)) == 0
    assert ACTIVATIONS["relu"].f(mpmath.mpf(0)) == 0


@pytest.mark.parametrize("name", sorted(LAWS))
def test_law_moments_match_quadrature_of_the_density(name):
    law = LAWS[name]
    with mpmath.workdps(30):
        lo, hi = law.support
        for k in range(9):
            by_quad = mpmath.quad(lambda t: t**k * law.pdf(t), [lo, 0, hi])
            _assert_close(law.moment(k), by_quad, TOL_MOMENT, TOL_MOMENT, f"{name} moment {k}")
        assert (law.moment(0), law.moment(1), law.moment(2)) == (1, 0, 1)  # a 𝒟(0, 1) law


def test_law_moments_closed_forms():
    with mpmath.workdps(30):
        assert LAWS["normal"].moment(8) == 105  # 7!!
        assert LAWS["uniform"].moment(4) == mpmath.mpf(9) / 5
        assert LAWS["uniform"].moment(7) == 0


@pytest.mark.parametrize("k", [-1, 2.0, True, "2"])
def test_law_moment_rejects_bad_order(k):
    with pytest.raises(ValueError, match=rf"k={k!r} is not a moment order; pass an int k >= 0"):
        LAWS["normal"].moment(k)


# ---------------------------------------------------------------- closed forms vs quadrature


def _check_closed_form(case, dps=QUAD_DPS):
    key, x, z = case
    closed = expectation(key.activation, *key.which, key.law, x, z, dps=dps, method="closed")
    rtol, atol = _closed_tolerances(dps)
    _assert_close(_quadrature(key, x, z, dps), closed, rtol, atol, f"{key} x={x} z={z}")


def _landmark_cases(landmarks=FAST_LANDMARKS, vanishing_landmarks=FAST_VANISHING_LANDMARKS):
    for key in available_closed_forms():
        if _vanishes_by_parity(key):
            # odd×even: the (f, df) order only; (df, f) reuses the same form through the swap that
            # the relu (df, f) entries exercise. The random-input test below draws both orders.
            if key.which != ("f", "df"):
                continue
            names = vanishing_landmarks
        else:
            names = landmarks
        for name in names:
            x, z = LANDMARKS[name]
            if key.law == "uniform" and len(x) > 2:
                continue  # no uniform quadrature beyond d = 2
            yield pytest.param(key, x, z, id=f"{key.law}-{key.activation}-{'.'.join(key.which)}-{name}")


@pytest.mark.parametrize(("key", "x", "z"), list(_landmark_cases()))
def test_closed_form_matches_quadrature_on_landmarks(key, x, z):
    _check_closed_form((key, x, z))


_COORD = st.floats(min_value=-2, max_value=2, allow_nan=False, allow_subnormal=False)


@st.composite
def _key_and_inputs(draw):
    key = draw(st.sampled_from(available_closed_forms()))
    d = draw(st.sampled_from((1, 2, 3) if key.law == "normal" else (1, 2)))
    x = draw(st.lists(_COORD, min_size=d, max_size=d))
    z = draw(st.lists(_COORD, min_size=d, max_size=d))
    return key, x, z


@settings(max_examples=10, **SETTINGS)
@given(_key_and_inputs())
def test_closed_form_matches_quadrature_on_random_inputs(case):
    _check_closed_form(case)


@pytest.mark.parametrize(
    ("activation", "law", "x", "z"),
    [("relu", "normal", (1.3, -0.2), (0.6, 0.9)), ("relu", "uniform", (1.3, -0.2), (0.6, 0.9))],
)
def test_quadrature_reaches_the_requested_digits(activation, law, x, z):
    dps = 40
    closed = lecun_kernel(activation, law, x, z, derivative=False, dps=dps, method="closed")
    quad = lecun_kernel(activation, law, x, z, derivative=False, dps=dps, method="quadrature")
    _assert_close(quad, closed, mpmath.mpf(10) ** (2 - dps), 0, f"{activation}/{law} at dps={dps}")


def test_auto_uses_the_closed_form_and_falls_back_otherwise():
    x, z = (1.3, -0.2), (0.6, 0.9)
    for act in ("relu", "erf", "identity"):
        auto = lecun_kernel(act, "normal", x, z, derivative=True, dps=20)
        assert auto == lecun_kernel(act, "normal", x, z, derivative=True, dps=20, method="closed")
    # uniform relu has no closed form past d = 2: auto integrates, which in turn needs d <= 2
    with pytest.raises(ValueError, match=r"law='uniform' with d=3"):
        lecun_kernel("relu", "uniform", (1, 2, 3), (3, 2, 1), derivative=False, dps=15)


# ---------------------------------------------------------------- closed-form properties


@settings(max_examples=10, **SETTINGS)
@given(
    st.sampled_from([k for k in available_closed_forms() if k.which[0] == k.which[1]]),
    st.lists(st.lists(_COORD, min_size=2, max_size=2), min_size=4, max_size=4),
)
def test_closed_form_kernels_are_positive_semidefinite(key, points):
    with mpmath.workdps(30):
        gram = mpmath.matrix(
            [
                [expectation(key.activation, *key.which, key.law, p, q, dps=30, method="closed")
                 for q in points]
                for p in points
            ]
        )
        assert gram == gram.T
        eigenvalues = mpmath.eigsy(gram, eigvals_only=True)
        floor = -mpmath.mpf(10) ** -25 * max(1, max(abs(e) for e in eigenvalues))
        assert min(eigenvalues) >= floor, f"{key}: eigenvalues {eigenvalues}"


def test_identity_kernel_ignores_the_law_but_tanh_does_not():
    # E[(uᵀx)(uᵀz)] = xᵀz/d for every unit-variance law; a tanh kernel sees the fourth moment on.
    x, z = (1.5,), (0.8,)
    for law in LAWS:
        with mpmath.workdps(40):
            expected = mpmath.mpf(1.5) * mpmath.mpf(0.8)
            assert abs(lecun_kernel("identity", law, x, z, derivative=False) - expected) < 1e-29
    for derivative in (False, True):
        normal = lecun_kernel("tanh", "normal", x, z, derivative=derivative, dps=20)
        uniform = lecun_kernel("tanh", "uniform", x, z, derivative=derivative, dps=20)
        assert abs(normal - uniform) > LAW_GAP, (derivative, normal, uniform)


# ---------------------------------------------------------------- quadrature vs scipy (independent)

_FLOAT_ACTIVATIONS = {  # plain-float σ, σ' written independently of numeric/_activations.py
    "tanh": (math.tanh, lambda t: 1 / math.cosh(t) ** 2),
    "erf": (math.erf, lambda t: 2 / math.sqrt(math.pi) * math.exp(-t * t)),
    "relu": (lambda t: max(t, 0.0), lambda t: 1.0 if t > 0 else 0.0),
    "sin": (math.sin, math.cos),
    "identity": (lambda t: t, lambda t: 1.0),
}
_QUADPACK = dict(epsabs=1e-13, epsrel=1e-12, limit=200)


def test_float_activation_table_covers_the_registry():
    assert set(_FLOAT_ACTIVATIONS) == set(ACTIVATIONS)


def _scipy_uniform(f, g, x, z, kinks=(0.0,)):
    """E[f(uᵀx) g(uᵀz)], u uniform on [−s, s]^d (d = 1, 2), by nested QUADPACK split at the kink
    lines uᵀw = c (inner), and (outer) where they meet the square's sides or each other."""
    d = len(x)
    s = math.sqrt(3 / d)
    if d == 1:
        points = sorted({0.0, *(c / w for c in kinks for w in (x[0], z[0]) if w and -s < c / w < s)})
        value, _ = integrate.quad(lambda u: f(u * x[0]) * g(u * z[0]), -s, s, points=points, **_QUADPACK)
        return value / (2 * s)

    def inner(u1):
        cuts = [(c - w[0] * u1) / w[1] for c in kinks for w in (x, z) if w[1] != 0]
        points = sorted(c for c in cuts if -s < c < s)
        value, _ = integrate.quad(
            lambda u2: f(u1 * x[0] + u2 * x[1]) * g(u1 * z[0] + u2 * z[1]),
            -s, s, points=points or None, **_QUADPACK,
        )
        return value

    outer = {0.0}
    for c in kinks:
        for w in (x, z):
            if w[0] != 0:
                outer |= {(c - side * w[1]) / w[0] for side in (-s, s)}
        for c2 in kinks:  # the line uᵀx = c meets uᵀz = c2
            det = x[0] * z[1] - x[1] * z[0]
            if det != 0:
                outer.add((c * z[1] - x[1] * c2) / det)
    value, _ = integrate.quad(inner, -s, s, points=sorted(u for u in outer if -s < u < s), **_QUADPACK)
    return value / (4 * s * s)


_UNIFORM_CASES = [
    ((0.9,), (-1.6,)),
    ((1.3, -0.4), (0.5, 1.1)),
    ((0.6, 0.8), (-1.2, -1.6)),  # x ∥ z: still a 2-D integral over the square
]


@pytest.mark.parametrize("x,z", _UNIFORM_CASES, ids=["d=1", "d=2", "d=2 parallel"])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_uniform_quadrature_matches_scipy(name, x, z):
    which_pairs = [("f", "f"), ("df", "df")] + ([("f", "df")] if name == "relu" else [])
    if len(x) == 2 and x[0] * z[1] == x[1] * z[0]:
        which_pairs = which_pairs[:1]  # the parallel case only probes the geometry: one pair will do
    for wx, wz in which_pairs:
        f = _FLOAT_ACTIVATIONS[name][wx == "df"]
        g = _FLOAT_ACTIVATIONS[name][wz == "df"]
        ours = expectation(name, wx, wz, "uniform", x, z, dps=SCIPY_DPS, method="quadrature")
        _assert_close(ours, _scipy_uniform(f, g, x, z), TOL_SCIPY, TOL_SCIPY, f"{name} {wx},{wz}")


def _scipy_normal(f, g, x, z, kinks=()):
    """E[f(a) g(b)], (a, b) ~ N(0, Σ), on the whitened plane truncated to [−12, 12]² (tail < 1e-30),
    split where a or b crosses a kink."""
    sigma = np.array([[np.dot(x, x), np.dot(x, z)], [np.dot(x, z), np.dot(z, z)]]) / len(x)
    L = np.linalg.cholesky(sigma)
    phi = lambda t: math.exp(-t * t / 2) / math.sqrt(2 * math.pi)

    def inner(g1):
        a = L[0, 0] * g1
        points = sorted((c - L[1, 0] * g1) / L[1, 1] for c in kinks)
        value, _ = integrate.quad(
            lambda g2: phi(g2) * g(L[1, 0] * g1 + L[1, 1] * g2), -12, 12,
            points=points or None, **_QUADPACK,
        )
        return phi(g1) * f(a) * value

    points = sorted(c / L[0, 0] for c in kinks)
    value, _ = integrate.quad(inner, -12, 12, points=points or None, **_QUADPACK)
    return value


@pytest.mark.parametrize("wx", ["f", "df"])
def test_normal_quadrature_matches_scipy_for_tanh(wx):
    # tanh has no closed form (beyond the vanishing odd×even pair), so check its 2-D quadrature here.
    x, z = (1.2, -0.3), (0.4, 0.9)
    f = _FLOAT_ACTIVATIONS["tanh"][wx == "df"]
    ours = expectation("tanh", wx, wx, "normal", x, z, dps=SCIPY_DPS)
    _assert_close(ours, _scipy_normal(f, f, x, z), TOL_SCIPY, TOL_SCIPY, f"tanh {wx},{wx}")


# ---------------------------------------------------------------- custom activations and kinks


def _shifted_relu(kinks):
    half = mpmath.mpf(1) / 2
    return Activation(
        "shifted_relu",
        lambda t: t - half if t > half else mpmath.mpf(0),
        lambda t: mpmath.mpf(1) if t > half else mpmath.mpf(0),
        kinks=kinks,
    )


@pytest.mark.parametrize("law", sorted(LAWS))
def test_custom_activation_with_a_declared_kink(law):
    x, z = (1.0, 0.3), (0.5, -1.0)
    f = lambda t: max(t - 0.5, 0.0)
    reference = (_scipy_uniform if law == "uniform" else _scipy_normal)(f, f, x, z, kinks=(0.5,))
    ours = expectation(_shifted_relu(("0.5",)), "f", "f", law, x, z, dps=SCIPY_DPS)
    _assert_close(ours, reference, TOL_SCIPY, TOL_SCIPY, f"shifted relu, {law}")


def test_undeclared_kink_raises_instead_of_returning_a_poor_number():
    with pytest.raises(QuadratureError, match=r"list them in Activation.kinks \(now \(\)\)"):
        expectation(_shifted_relu(()), "df", "df", "normal", (1.0,), (0.5,), dps=20)


def test_custom_activation_never_uses_a_builtin_closed_form():
    impostor = dataclasses.replace(ACTIVATIONS["relu"], f=lambda t: 2 * t if t > 0 else mpmath.mpf(0))
    x, z = (1.0,), (0.5,)
    builtin = expectation("relu", "f", "f", "normal", x, z, dps=20)
    quadrupled = expectation(impostor, "f", "f", "normal", x, z, dps=20)  # (2a)₊(2b)₊
    _assert_close(quadrupled, 4 * builtin, 1e-18, 0, "impostor relu")
    with pytest.raises(ValueError, match=r"method='closed': no closed form for E\[relu\(uᵀx\)"):
        expectation(impostor, "f", "f", "normal", x, z, method="closed")


# ---------------------------------------------------------------- precision handling


def test_dps_is_scoped_and_the_result_has_the_requested_precision():
    before = mpmath.mp.dps
    # dyadic inputs are exact floats: Σaa = 5/32, Σbb = 37/128, Σab = 1/16
    value = lecun_kernel("erf", "normal", (0.25, 0.5), (0.75, -0.125), derivative=False, dps=60)
    assert mpmath.mp.dps == before
    assert isinstance(value, mpmath.mpf)
    with mpmath.workdps(80):
        saa, sbb, sab = mpmath.mpf(5) / 32, mpmath.mpf(37) / 128, mpmath.mpf(1) / 16
        exact = 2 * mpmath.asin(2 * sab / mpmath.sqrt((1 + 2 * saa) * (1 + 2 * sbb))) / mpmath.pi
        assert abs(value - exact) < mpmath.mpf(10) ** -59
    with pytest.raises(ValueError):
        lecun_kernel("erf", "laplace", (0.3,), (0.5,), derivative=False, dps=60)
    assert mpmath.mp.dps == before


def test_inputs_accept_floats_mpf_and_numpy():
    expected = lecun_kernel("relu", "normal", (1.5, -0.5), (0.25, 1.0), derivative=False)
    assert lecun_kernel(
        "relu", "normal", [mpmath.mpf(1.5), -0.5], np.array([0.25, 1.0]), derivative=False
    ) == expected


# ---------------------------------------------------------------- error messages


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            dict(activation="softsign"),
            r"activation='softsign' is not a built-in activation; choose one of "
            r"\['tanh', 'erf', 'relu', .*'leaky_relu\(a_minus,a_plus\)'\], pass a SymPy expression in t, "
            r"or a numeric.Activation",
        ),
        (
            dict(law="laplace"),
            r"law='laplace' is not a built-in base law; choose one of \['normal', 'uniform'\]",
        ),
        (
            dict(method="exact"),
            r"method='exact' is not a method; choose one of \['auto', 'closed', 'quadrature'\]",
        ),
        (dict(dps=0), r"dps=0 is not a number of digits; pass an int dps >= 1"),
        (dict(dps=True), r"dps=True is not a number of digits"),
        (dict(x=(1.0,)), r"x has length 1 but z has length 2; pass two vectors of one length d"),
        (dict(x=()), r"x is empty; pass a vector of length d >= 1"),
        (dict(z=(1.0, float("nan"))), r"z\[1\]=nan is not finite; pass finite inputs"),
        (dict(z=(1.0, "a")), r"z\[1\]='a' is not a real number"),
        (dict(x="12"), r"x='12' is not a vector; pass a sequence of real numbers"),
        (dict(x=3.0), r"x=3.0 is not a vector"),
    ],
)
def test_bad_arguments_are_named_in_the_message(kwargs, message):
    args = dict(activation="relu", law="normal", x=(1.0, 2.0), z=(0.5, -1.0), derivative=True)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        lecun_kernel(**args)


def test_bad_which_and_derivative_are_named():
    with pytest.raises(ValueError, match=r"which_x='g' is not a part of an activation; choose 'f'"):
        expectation("relu", "g", "f", "normal", (1.0,), (1.0,))
    with pytest.raises(ValueError, match=r"which_z='ddf' is not a part"):
        expectation("relu", "f", "ddf", "normal", (1.0,), (1.0,))
    with pytest.raises(ValueError, match=r"derivative=1 is not a bool; pass True for E\[σ'σ'\]"):
        lecun_kernel("relu", "normal", (1.0,), (1.0,), derivative=1)


def test_uniform_beyond_two_dimensions_explains_itself():
    message = (
        r"law='uniform' with d=3: the quadrature fallback integrates over the cube "
        r"\[-√\(3/d\), √\(3/d\)\]\^d to high precision only for d <= 2; use d <= 2 or law='normal'"
    )
    with pytest.raises(ValueError, match=message):
        lecun_kernel("tanh", "uniform", (1, 2, 3), (3, 2, 1), derivative=True)
    with pytest.raises(ValueError, match=message):
        lecun_kernel("identity", "uniform", (1, 2, 3), (3, 2, 1), derivative=False, method="quadrature")
    # closed forms that hold for every d still answer
    value = lecun_kernel("identity", "uniform", (1, 2, 3), (3, 2, 1), derivative=False)
    with mpmath.workdps(40):
        assert abs(value - mpmath.mpf(10) / 3) < 1e-29


def test_method_closed_without_a_closed_form_explains_itself():
    with pytest.raises(
        ValueError,
        match=r"method='closed': no closed form for E\[tanh\(uᵀx\) tanh\(uᵀz\)\] under law='normal'; "
        r"use method='auto' \(quadrature\) or see numeric.available_closed_forms\(\)",
    ):
        lecun_kernel("tanh", "normal", (1.0,), (1.0,), derivative=False, method="closed")
    with pytest.raises(
        ValueError,
        match=r"the closed form for E\[relu'\(uᵀx\) relu'\(uᵀz\)\] under law='uniform' holds for "
        r"d <= 2 only, got d=3",
    ):
        lecun_kernel("relu", "uniform", (1, 2, 3), (3, 2, 1), derivative=True, method="closed")


def test_same_function_kernels_are_exactly_symmetric():
    """Found by hypothesis: x, z antiparallel to 166 digits gave K(x,z) = 2.6e-167 but K(z,x) = 0."""
    x, z = [1.0, 0.0], [-1.0, -2.091174337266775e-166]
    for law in ("uniform", "normal"):
        a = expectation("relu", "df", "df", law, x, z, dps=30, method="closed")
        assert a == expectation("relu", "df", "df", law, z, x, dps=30, method="closed")


TOL_CHORDS = mpmath.mpf(10) ** -22  # two quadratures at 25 digits of one integral: 3 digits for their errors
_CHORD_CASES = [
    ((1e-7, 1), (1, 1e-7)),  # x, z near the axes: |x₁| ≥ |x₀| picks the chord parametrisation
    ((0.3, -0.7), (-0.3, 0.70000001)),  # z ∥ −x to 8 digits: G(b_hi) − G(b_lo) cancels, guard bits carry it
    ((0, 0), (0.3, 0.5)),  # rank 1 with x = 0
    ((1, 2), (-2, -4)),  # rank 1, z = −2x
]


@pytest.mark.parametrize("x,z", _CHORD_CASES, ids=["near axes", "near antiparallel", "x=0", "parallel"])
@pytest.mark.parametrize("name", ["tanh", "relu"])
def test_uniform_chords_match_polar_quadrature(monkeypatch, name, x, z):
    """The chord reduction of the square (σ_z's antiderivative along each chord) against the polar
    quadrature it replaced, an independent evaluation of the same integral, where the reduction is delicate."""
    from numeric import _expectation

    for wx, wz in (("f", "f"), ("df", "df"), ("f", "df")):
        chords = expectation(name, wx, wz, "uniform", x, z, dps=25, method="quadrature")
        with monkeypatch.context() as m:
            m.setattr(_expectation, "_chords", lambda *args: None)
            polar = expectation(name, wx, wz, "uniform", x, z, dps=25, method="quadrature")
        assert abs(chords - polar) <= TOL_CHORDS * max(1, abs(polar)), (name, wx, wz, chords, polar)
