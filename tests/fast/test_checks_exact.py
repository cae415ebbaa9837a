"""The deterministic comparison builders shared by every group: one-sided bounds and SymPy results."""
from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from verify._model import View
from verify.checks import at_least, at_most, derived
from verify.stats import Decision


@pytest.mark.parametrize("measured, decision", [(0.5, "PASS"), (1.0, "PASS"), (1.0 + 1e-9, "FAIL"), (math.nan, "FAIL"),
                                                (math.inf, "FAIL"), (-math.inf, "FAIL")])
def test_at_most(measured, decision):
    c = at_most("x ≤ 1", measured, 1.0, "ref")
    assert c.decision == Decision(decision) and c.expected == "≤ 1" and c.false_fail_rate == 0.0


@pytest.mark.parametrize("measured, decision", [(2.0, "PASS"), (1.0, "PASS"), (1.0 - 1e-9, "FAIL"), (math.nan, "FAIL"),
                                                (-math.inf, "FAIL"), (math.inf, "FAIL")])
def test_at_least(measured, decision):
    assert at_least("x ≥ 1", measured, 1.0, "ref").decision == Decision(decision)


def test_slack_widens_the_bound_by_a_named_round_off_and_is_shown_as_the_tolerance():
    assert at_least("λ_min ≥ 0", -1e-13, 0.0, "ref", slack=1e-12).decision == Decision.PASS
    assert at_least("λ_min ≥ 0", -2e-12, 0.0, "ref", slack=1e-12).decision == Decision.FAIL
    c = at_most("gap ≤ 0", 5e-13, 0.0, "ref", View.CLOSED_FORM, slack=1e-12, where="x")
    assert c.decision == Decision.PASS and c.resolution == 1e-12 and c.view == View.CLOSED_FORM
    assert c.detail == {"where": "x"}


def test_a_floor_bounds_the_band_below_and_samples_are_recorded():
    c = at_most("ratio ≤ 1", 0.5, 1.0, "ref", slack=1e-6, floor=0.0, samples=8)
    assert (c.band.lo, c.band.hi, c.samples, c.decision) == (0.0, 1.0 + 1e-6, 8, Decision.PASS)
    assert at_most("ratio ≤ 1", -1e-9, 1.0, "ref", floor=0.0).decision == Decision.FAIL  # a ratio of norms < 0: a bug
    assert at_most("ratio ≤ 1", math.nan, 1.0, "ref", floor=0.0).decision == Decision.FAIL
    assert at_least("λ ≥ 0", 1.0, 0.0, "ref", samples=3).samples == 3


def test_a_non_finite_measurement_is_named_in_the_detail():
    assert at_most("loss ratio ≤ 1", math.nan, 1.0, "ref").detail == {"non_finite": "nan"}


def test_derived_turns_sympy_results_into_symbolic_comparisons():
    ok = SimpleNamespace(name="a", holds=True, derived="x+1", stated="1+x", residual="0", detail="expand")
    bad = SimpleNamespace(name="b", holds=False, derived="x", stated="2*x", residual="-x", detail="")
    a, b = derived([ok, bad], "SymPy")
    assert (a.decision, b.decision) == (Decision.PASS, Decision.FAIL)
    assert a.view == View.SYMBOLIC and b.measured == "residual -x" and a.detail["detail"] == "expand"
