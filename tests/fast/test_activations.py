"""The one activation table (derive/activations.py): a contract over every entry — its SymPy, mpmath and JAX
views agree, σ' (autodiff) is SymPy's derivative away from the kinks, and the metadata (parity, kinks) is true."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, strategies as st

import numeric
from derive import activations as table
from derive.activations import T
from verify._jax import jnp
from verify.models import activation as jax_activation

# every named entry, two leaky ReLUs and user expressions (smooth, kinked at a non-zero point, a Piecewise)
USER = {
    "t·tanh(t)": T * sp.tanh(T),
    "Abs(t − 1) + t²/3": sp.Abs(T - 1) + T**2 / 3,
    "Max(t, 1/2)": sp.Max(T, sp.Rational(1, 2)),
    "piecewise": sp.Piecewise((T**2, T > -1), (2 * T + 3, True)) / 4,
    "3erf(t)": 3 * sp.erf(T),
}
SPECS = {**dict(table.TABLE), "leaky_relu(0.2,1)": table.resolve("leaky_relu(0.2,1)"),
         "leaky_relu(-0.5,1.5)": table.leaky_relu(-0.5, 1.5),
         **{name: table.from_expression(e, name=name) for name, e in USER.items()}}
REL = 1e-13  # float64 evaluations of σ and σ' against 30-digit SymPy (a few ulps of cancellation in silu', gelu')
KINK_GAP = 1e-3  # random points closer than this to a kink are moved away (σ' is not defined there)

points = st.floats(min_value=-6.0, max_value=6.0, allow_nan=False)


def _away(spec, t: float) -> float:
    for k in spec.kinks:
        if abs(t - float(k)) < KINK_GAP:
            t = float(k) + KINK_GAP * (1 if t >= float(k) else -1)
    return t


def _close(a, b, what):
    a, b = float(a), float(b)
    assert abs(a - b) <= REL * max(1.0, abs(b)), f"{what}: {a!r} vs {b!r}"


@pytest.mark.parametrize("name", sorted(SPECS))
@given(t=points)
def test_jax_mpmath_and_sympy_views_agree(name, t):
    spec = SPECS[name]
    t = _away(spec, t)
    exact = spec.expr.subs(T, sp.Float(t, 30)).evalf(30)
    exact_d = spec.derivative.subs(T, sp.Float(t, 30)).evalf(30)
    j = jax_activation(spec)
    m = numeric.activation(spec)
    with mpmath.workdps(30):
        _close(m.f(mpmath.mpf(t)), exact, f"mpmath {name}({t})")
        _close(m.df(mpmath.mpf(t)), exact_d, f"mpmath {name}'({t})")
    x = jnp.asarray([t, t])
    _close(j.f(x)[0], exact, f"JAX {name}({t})")
    _close(j.df(x)[1], exact_d, f"JAX {name}'({t}) (autodiff)")


@pytest.mark.parametrize("name", sorted(SPECS))
def test_parity_metadata_is_true(name):
    spec = SPECS[name]
    f = sp.lambdify(T, spec.expr, modules="mpmath")
    with mpmath.workdps(30):
        ts = [mpmath.mpf(v) for v in ("0.37", "1.3", "2.9")]
        odd = all(abs(f(-t) + f(t)) < 1e-25 for t in ts)
        even = all(abs(f(-t) - f(t)) < 1e-25 for t in ts)
    assert spec.odd == odd and spec.even == even, (name, spec.parity, odd, even)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_kinks_are_where_sigma_or_its_derivatives_jump_and_detection_agrees(name):
    spec = SPECS[name]
    second = table._ae_derivative(spec.derivative)
    for k in spec.kinks:
        jumps = [abs(e.subs(T, k + sp.Rational(1, 10**12)) - e.subs(T, k - sp.Rational(1, 10**12))).evalf(30)
                 for e in (spec.expr, spec.derivative, second)]
        assert max(jumps) > 1e-6, f"{name}: declared kink {k} but σ, σ', σ'' are continuous there"
    detected = table.from_expression(spec.expr)
    assert detected.kinks == tuple(sp.Integer(k) if isinstance(k, int) else k for k in spec.kinks), name
    assert detected.parity == spec.parity and spec.smooth == (not spec.kinks), name


def test_closed_form_families_describe_the_activation():
    """Each family's formula, written out, is σ (and the prime family is σ')."""
    def written(fam: table.Family) -> sp.Expr:
        if fam.kind == "arccos":
            am, ap = fam.coefficients
            return sp.Piecewise((ap * T**fam.n, T > 0), (am * T**fam.n, True))
        base = {"erf": sp.erf(T), "gauss": sp.exp(-T**2), "sin": sp.sin(T), "cos": sp.cos(T)}[fam.kind]
        return fam.coefficients[0] * base

    for name, spec in SPECS.items():
        for fam, expr in ((spec.family, spec.expr), (spec.prime_family, spec.derivative)):
            if fam is not None:
                for t in (-1.7, -0.3, 0.4, 2.2):
                    assert abs(float((written(fam) - expr).subs(T, t))) < 1e-14, (name, fam, t)


def test_relu_and_leaky_keep_their_jax_behaviour_and_names():
    relu = jax_activation("relu")
    assert float(relu.df(jnp.asarray(0.0))) == 0.0 and float(relu.f(jnp.asarray(-1.0))) == 0.0
    leaky = jax_activation("leaky_relu(0.2,1)")
    assert leaky.name == "leaky_relu(0.2,1)" and not leaky.smooth
    np.testing.assert_array_equal(np.asarray(leaky.df(jnp.asarray([-1.0, 0.0, 2.0]))), [0.2, 0.2, 1.0])
    assert jax_activation("tanh").smooth and jax_activation("gelu").smooth and not jax_activation("abs").smooth
    gelu = jax_activation("gelu")
    assert abs(float(gelu.f(jnp.asarray(1.0))) - 0.5 * (1 + math.erf(1 / math.sqrt(2)))) < 1e-16


def test_user_expressions_reach_every_view():
    e = sp.Abs(T - 1) + T**2 / 3
    spec = table.from_expression(e, name="mine")
    assert spec.kinks == (1,) and spec.parity == 0 and not spec.smooth
    assert numeric.activation(e).kinks == (1,)
    assert jax_activation(e).spec == table.from_expression(e)
    assert table.from_expression(sp.Symbol("t") ** 2).parity == 1  # a plain Symbol("t") is read as T
    assert table.from_expression(3 * sp.erf(T)).family == table.Family("erf", 0, (3,))


@pytest.mark.parametrize(("value", "message"), [
    ("softsign", r"activation='softsign' is not a built-in activation; choose one of \['tanh'"),
    ("leaky_relu(0.2)", r"write a leaky ReLU as 'leaky_relu\(a_minus,a_plus\)' with two numbers"),
    (3.0, r"activation=3.0 is neither a name"),
    (T * sp.Symbol("a"), r"has free symbols \['a'\] besides t"),
])
def test_bad_activations_are_named(value, message):
    with pytest.raises(ValueError, match=message):
        jax_activation(value)
