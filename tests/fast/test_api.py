"""verify.api: run a claim (catalogue id or Claim), check a file, and read the Result as text or HTML."""
from __future__ import annotations

import pytest

from verify import api
from verify._model import Verdict
from verify.claimfile import ClaimFileError, identity, psd

FILE = """
[[claim]]
id = "a.ok"
kind = "identity"
statement = "cosh² − sinh² = 1"
lhs = "cosh(x)^2 - sinh(x)^2"
rhs = "1"

[[claim]]
id = "a.wrong"
kind = "psd"
statement = "exp(+|x − y|) is a kernel <b>really</b>"
kernel = "exp(abs(x - y))"

[[claim]]
id = "a.bad"
kind = "identity"
statement = "typo"
lhs = "x"
rhs = "x"
domian = { x = [0, 1] }
"""


def test_run_a_claim_object_and_a_catalogue_id(monkeypatch):
    claim = identity("a.sq", "(a+b)² = a² + 2ab + b²", lhs="(a+b)^2", rhs="a^2 + 2*a*b + b^2")
    r = api.run(claim, seed=1)
    assert r.verdict == Verdict.PASS and r.passed and r.id == "a.sq"
    assert r.data["seed"]["run"] == 1 and r.evidence == r.data["summary"]
    assert len(r.comparisons) == 2 and {c["check"] for c in r.comparisons} == {
        "SymPy simplification", "50-digit evaluation at random points"}
    from verify import claims

    looked_up = []  # an id goes through the catalogue's own lookup (its claims cost seconds to run)
    monkeypatch.setattr(claims, "get", lambda cid: looked_up.append(cid) or claim)
    assert api.run("shallow.param-count").id == "a.sq" and looked_up == ["shallow.param-count"]


def test_run_rejects_unknown_ids_and_types():
    with pytest.raises(ValueError, match="shallow.param-count"):
        api.run("shallow.param-cnt")
    with pytest.raises(TypeError, match="claim id or a Claim"):
        api.run(42)


def test_str_is_a_text_table_with_verdict_and_evidence():
    r = api.run(psd("a.k", "exp(x-y) alone is not symmetric", kernel="exp(-(x - y)^2)*exp(x)"))
    text = str(r)
    assert r.verdict == Verdict.FAIL
    assert "a.k: FAIL" in text and "decision" in text and "comparison" in text
    assert f"evidence: {r.evidence}" in text and "seed: run 0" in text
    assert "\x1b[" not in text  # not a terminal under pytest: no colour codes
    assert repr(r).startswith("Result(id='a.k', verdict=FAIL")


def test_check_keeps_errors_and_renders_html(tmp_path):
    path = tmp_path / "f.toml"
    path.write_text(FILE, encoding="utf-8")
    rs = api.check(path)
    assert [r.id for r in rs] == ["a.ok", "a.wrong"]
    assert [r.verdict for r in rs] == [Verdict.PASS, Verdict.FAIL]
    assert rs.exit_code == 2
    (err,) = rs.errors
    assert err.field == "domian" and "did you mean 'domain'" in str(err)
    assert "bad input:" in str(rs) and "a.wrong: FAIL" in str(rs)
    page = rs._repr_html_()
    assert page.startswith("<table>") and "a.ok" in page and "did you mean &#x27;domain&#x27;" in page
    one = rs[1]._repr_html_()
    assert "&lt;b&gt;really&lt;/b&gt;" in one and "<b>really</b>" not in one  # every text escaped
    assert "counterexample" in one and "<th>measured</th>" in one


def test_check_strict_raises_before_running(tmp_path):
    path = tmp_path / "f.toml"
    path.write_text(FILE, encoding="utf-8")
    with pytest.raises(ClaimFileError, match="unknown field 'domian'"):
        api.check(path, strict=True)
