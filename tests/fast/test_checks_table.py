"""verify.checks.table and Row: a deterministic check declared as rows over a measurement's named quantities."""
from __future__ import annotations

import pytest

from verify._model import PROFILES, Context, PerProfile, View
from verify.checks import Row, table
from verify.stats import Decision
from verify.tolerances import Tol

TOL = Tol(1e-10, "a test tolerance")


def _ctx():
    return Context("t.table", 0, PROFILES["quick"], None)


def test_rows_compare_by_name_with_their_tolerance_and_scale():
    q = {"n": 8, "err": 3e-10, "scale": 10.0}
    row = Row("n={n}: err", "err", "=", TOL, "ref")
    assert row.compare(q).name == "n=8: err" and row.compare(q).decision == Decision.FAIL
    assert Row("e", "err", "=", TOL, "ref", scale="scale").compare(q).decision == Decision.PASS
    assert Row("e", "err", "=", TOL, "ref", expected=3e-10).compare(q).decision == Decision.PASS
    assert Row("e", "err", "≤", 1e-10, "ref").compare(q).decision == Decision.FAIL
    assert Row("e", "err", "≥", 1e-10, "ref", detail=("scale",)).compare(q).detail == {"scale": 10.0}


def test_a_row_refuses_an_unknown_relation_with_the_ones_it_knows():
    with pytest.raises(ValueError, match="relation='<' is not '=', '≤' or '≥'"):
        Row("e", "err", "<", 1e-10, "ref")


def test_table_measures_every_setting_of_the_profile_and_compares_across_them():
    seen_by_check = []

    def across(seen):
        seen_by_check.append(sorted(seen))
        return [Row("spread", "spread", "≤", 1.0, "ref").compare({"spread": max(q["x"] for q in seen.values())})]

    check = table("t", lambda ctx, n, j: {"x": n * 0.1 + j}, PerProfile(((1, 0), (2, 1)), ((1, 0),), ((1, 0),)),
                  lambda q: (Row("n={n}, j={j}: x", "x", "≤", 1.0, "ref"),) if q["j"] == 0 else (), then=across)
    result = check.run(_ctx())
    assert check.view == View.NUMERIC and check.name == "t"
    assert [c.name for c in result.comparisons] == ["n=1, j=0: x", "spread"]
    assert [c.decision for c in result.comparisons] == [Decision.PASS, Decision.FAIL]  # 2.1 > 1
    assert seen_by_check == [[(1, 0), (2, 1)]]
