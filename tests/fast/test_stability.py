"""Verdicts across seeds (issue 12): NaN evidence is an ERROR naming where, and `ntkverify stability` flags a
claim whose verdict depends on the seed, an ERROR, or a NaN — on cheap claims over the toy observable."""
from __future__ import annotations

import math

import numpy as np
import pytest

from verify._model import PROFILES, Claim, PerProfile, Source, View
from verify.checks import Exact, MeanEquals, Series, exact
from verify.runner import run_claim

QUICK = PROFILES["quick"]


def _claim(cid: str, *checks) -> Claim:
    return Claim(cid, "test", Source("tests", "§0"), "s", "s", "r", tuple(checks))


def _nan_sampler(key, width, count, **kw):
    out = np.ones((count, 1))
    out[3, 0] = np.nan  # one replicate overflowed
    return out


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_non_finite_measured_value_is_an_error_naming_the_comparison(value):
    check = Exact("exact", View.NUMERIC, lambda ctx: [exact("fine", 1.0, 1.0, 0.0, "arithmetic"),
                                                     exact("loss after GD", 0.0, value, 1e-10, "0")])
    r = run_claim(_claim("t.nan", check), QUICK, 0)
    assert r["verdict"] == "ERROR"  # not INCONCLUSIVE: the computation broke down
    assert "NonFiniteEvidence" in r["error"] and "'loss after GD': measured = " in r["error"]
    assert "'fine'" not in r["error"]
    assert "loss after GD" in r["summary"]
    ch = r["checks"][0]
    assert ch["verdict"] == "ERROR" and [c["name"] for c in ch["comparisons"]] == ["fine", "loss after GD"]


def test_a_nan_in_a_monte_carlo_mean_is_an_error_and_the_other_checks_still_count():
    fine = Exact("exact", View.NUMERIC, lambda ctx: [exact("one", 1.0, 1.0, 0.0, "arithmetic")])
    mean = MeanEquals("mean", _nan_sampler, (Series("E[x]", 1.0, 0.1),), PerProfile(200, 200, 200))
    r = run_claim(_claim("t.nan-mc", fine, mean), QUICK, 0)
    assert r["verdict"] == "ERROR"
    assert r["views"] == {"numeric": "PASS", "monte_carlo": "ERROR"}
    assert "'E[x]': measured = nan" in r["error"]


def test_a_nan_in_a_comparisons_detail_is_an_error_too():
    check = Exact("exact", View.NUMERIC, lambda ctx: [exact("x", 0.0, 0.0, 0.0, "0", slopes=[1.0, math.nan])])
    r = run_claim(_claim("t.nan-detail", check), QUICK, 0)
    assert r["verdict"] == "ERROR" and "detail['slopes'] contains nan" in r["error"]


def test_infinite_band_edges_are_not_errors():
    from verify._model import Comparison
    from verify.stats import Band, Decision

    one_sided = Comparison("slope ≤ −0.1", View.NUMERIC, -0.1, -1.0, (-1.0, -1.0), Band(-math.inf, -0.1),
                           Decision.PASS, 0.0, 0.1)
    r = run_claim(_claim("t.half-line", Exact("exact", View.NUMERIC, lambda ctx: [one_sided])), QUICK, 0)
    assert r["verdict"] == "PASS" and r["error"] is None
