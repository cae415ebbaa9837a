"""The order-of-magnitude calculus of derive/exponents.py: it reproduces every exponent of seed 003 §3,
rejects wrong ones, and its rules obey the algebra of powers of m (property tests)."""
from __future__ import annotations

import functools

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st


class _Lazy:
    """derive.exponents imported on first use, inside a test: importing a submodule adds it to derive's
    namespace, whose public surface tests/fast/test_derive_shallow.py pins down."""

    def __getattr__(self, name):
        import importlib

        if name.startswith("_") or name.startswith("pytest"):  # pytest's collection probes module attributes
            raise AttributeError(name)
        return getattr(importlib.import_module("derive.exponents"), name)


ex = _Lazy()
ALPHA, GAMMA, A_LR = sp.symbols("alpha gamma a", real=True)  # equal to derive.exponents' symbols
HALF = sp.Rational(1, 2)


def Size(p):
    return ex.Size(p)


@functools.lru_cache(maxsize=None)
def _exps(square: bool = False) -> dict:
    return ex.linear3_exponents(ex.SQUARE_LOSS if square else ex.SOURCE_PREMISE)

# (key, the source's exponent) for every exponent §3 derives by hand
STATED = [
    ("norm_u_sq", 1), ("hidden_variance", 1 - 2 * GAMMA), ("gamma", HALF), ("hidden_norm_sq", 1),
    ("output_variance", 1 - 2 * ALPHA), ("grad_beta", HALF - ALPHA), ("grad_u", HALF - ALPHA),
    ("grad_A", HALF - ALPHA), ("delta_f", A_LR + 1 - 2 * ALPHA), ("a", 2 * ALPHA - 1), ("drift_u", ALPHA - 1),
    ("drift_beta", ALPHA - 1), ("drift_A_frobenius", ALPHA - sp.Rational(3, 2)),
    ("drift_A_entry", ALPHA - sp.Rational(3, 2)), ("opnorm_A0", HALF), ("opnorm_rank_one", 1),
    ("drift_A_op", ALPHA - 1),
]


@pytest.mark.parametrize("key,stated", STATED, ids=[k for k, _ in STATED])
def test_calculus_reproduces_each_exponent_of_section_3(key, stated):
    r = ex.compare(key, _exps()[key], stated)
    assert r.holds, r
    assert sp.simplify(ex.SOURCE_EXPONENTS[key] - stated) == 0  # the table of the source agrees too


def test_gradient_change_is_minus_half_on_alpha_below_one_under_the_source_premise():
    assert ex.compare("gradient_change", _exps()["gradient_change"], -HALF, 0, 1).holds
    # beyond α = 1 the (Δβ)ᵀΔA term wins: the source's bound (15)→(16) needs α ≤ 1
    assert not ex.compare("gradient_change", _exps()["gradient_change"], -HALF, 0, 2).holds


@pytest.mark.parametrize("key,wrong", [
    ("a", 2 * ALPHA), ("gamma", sp.Rational(1, 3)), ("drift_u", ALPHA - sp.Rational(3, 2)),
    ("drift_A_frobenius", ALPHA - 1), ("grad_A", -ALPHA), ("output_variance", 1 - ALPHA), ("hidden_norm_sq", 2),
    ("drift_A_op", ALPHA - sp.Rational(3, 2)),
])
def test_calculus_rejects_wrong_exponents(key, wrong):
    r = ex.compare(key, _exps()[key], wrong)
    assert not r.holds
    assert r.residual != "0"


def test_gamma_is_the_unique_root_and_a_the_unique_learning_rate():
    assert ex.solve_exponent(Size(_exps()["hidden_variance"]), GAMMA) == [HALF]
    assert ex.solve_exponent(Size(_exps()["delta_f"]), A_LR) == [2 * ALPHA - 1]
    # γ = 1/3 leaves a diverging variance, a = 2α a diverging ΔF
    assert _exps()["hidden_variance"].subs(GAMMA, sp.Rational(1, 3)) == sp.Rational(1, 3)
    assert _exps()["delta_f"].subs(A_LR, 2 * ALPHA) == 1


def test_square_loss_premise_holds_only_from_alpha_one_half():
    for key in ("drift_u", "drift_beta", "drift_A_op"):
        assert ex.compare(key, _exps(True)[key], ALPHA - 1, HALF, 1).holds
        assert not ex.compare(key, _exps(True)[key], ALPHA - 1, 0, 1).holds
    assert ex.exponent_at(_exps(True)["gradient_change"], sp.Rational(1, 4)) == sp.Rational(-1, 4)
    assert ex.compare("gradient_change", _exps(True)["gradient_change"], -ALPHA, 0, HALF).holds
    assert ex.compare("delta_f_at_a", _exps(True)["delta_f_at_a"], 0, HALF, 1).holds


def test_vanishes_on_is_exact_at_breakpoints():
    f = sp.Max(ALPHA, 2 * ALPHA - 1) - ALPHA  # 0 up to α = 1, α − 1 after
    assert ex.breakpoints(f, ALPHA, 0, 3) == {1}
    assert ex.vanishes_on(f, 0, 1)
    assert not ex.vanishes_on(f, 0, sp.Rational(101, 100))
    nested = sp.Max(0, sp.Max(HALF - ALPHA, ALPHA - 2))  # kinks at 1/2, 5/4, 2
    assert ex.breakpoints(nested, ALPHA, -5, 5) == {HALF, sp.Rational(5, 4), 2}
    assert ex.vanishes_on(nested, HALF, 2)


def test_bad_input_gets_a_message():
    with pytest.raises(ValueError, match="interval .* is empty"):
        ex.vanishes_on(ALPHA, 1, 0)
    with pytest.raises(ValueError, match="depends on"):
        ex.vanishes_on(ALPHA + GAMMA, 0, 1)
    with pytest.raises(ValueError, match="not linear"):
        ex.vanishes_on(ALPHA**2, 0, 1)
    with pytest.raises(TypeError, match="const\\(\\)"):
        Size(1) * 3
    with pytest.raises(ValueError, match="unknown exponent symbol"):
        Size(ALPHA).at(beta=1)
    with pytest.raises(ValueError, match="at least one term"):
        ex.total()


# ---- property tests of the rules ------------------------------------------------------------------------

RAT = st.fractions(min_value=-3, max_value=3, max_denominator=8).map(sp.Rational)
LIN = st.tuples(RAT, RAT).map(lambda c: c[0] + c[1] * ALPHA)


@settings(max_examples=40, deadline=None)
@given(p=LIN, q=LIN, r=LIN)
def test_products_add_exponents_and_sums_take_the_largest(p, q, r):
    a, b, c = Size(p), Size(q), Size(r)
    assert sp.simplify((a * b).p - (p + q)) == 0
    assert sp.simplify((a / b).p - (p - q)) == 0
    assert sp.simplify(((a * b) * c).p - (a * (b * c)).p) == 0
    assert sp.simplify((a ** 2).p - 2 * p) == 0
    s = a + b
    for t in (-2, sp.Rational(1, 3), 1, 3):  # the Max is the pointwise larger exponent
        assert s.p.subs(ALPHA, t) == max(p.subs(ALPHA, t), q.subs(ALPHA, t))
    # the sum of a term with itself, or with a smaller one, is of the larger order
    assert sp.simplify((a + a).p - p) == 0
    assert sp.simplify((a + a / Size(1)).p - p) == 0


@settings(max_examples=40, deadline=None)
@given(p=LIN)
def test_gaussian_rules(p):
    v = Size(p)
    assert ex.vector_norm().p == HALF
    assert sp.simplify(ex.image_norm(v).p - (p + HALF)) == 0  # ‖Av‖ ~ m^{1/2}‖v‖
    assert ex.frobenius().p == 1 and ex.op_norm().p == HALF
    assert ex.frobenius().p > ex.op_norm().p  # ‖A‖_op ≤ ‖A‖_F
    assert sp.simplify(ex.outer_norm(v, ex.vector_norm()).p - (p + HALF)) == 0  # ‖βuᵀ‖ = ‖β‖‖u‖
    assert sp.simplify(ex.image_norm(ex.vector_norm()).p - (ex.op_norm() * ex.vector_norm()).p) == 0


@settings(max_examples=30, deadline=None)
@given(p=LIN, q=LIN, lo=RAT, width=st.fractions(min_value=0, max_value=3, max_denominator=8).map(sp.Rational))
def test_vanishes_on_agrees_with_dense_evaluation(p, q, lo, width):
    f = sp.Max(p, q) - p
    hi = lo + width
    grid = [lo + width * sp.Rational(k, 64) for k in range(65)]
    dense = all(f.subs(ALPHA, t) == 0 for t in grid)
    assert ex.vanishes_on(f, lo, hi) == dense


def test_numeric_sizes_match_the_rules():
    """The rules' exponents are the slopes of the exact moments (independent check by NumPy, exact sums)."""
    import numpy as np

    rng = np.random.default_rng(3)
    ms = np.array([64, 256, 1024])
    norms = [np.mean([np.linalg.norm(rng.normal(size=m)) for _ in range(20)]) for m in ms]
    slope = np.polyfit(np.log(ms), np.log(norms), 1)[0]
    assert abs(slope - float(ex.vector_norm().p)) < 0.02  # tolerance: 20 draws of a χ with relative s.d. ≤ 9%/√20
