"""junit.xml: structure and counts, failure/error/skipped nodes carrying the evidence, properties,
escape safety, atomic writing, and `ntkverify run` writing it next to summary.md."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from verify.report import _junit
from verify.report._junit import write_junit


def comparison(name, decision, measured=1.0, interval=(0.9, 1.1), needs=None):
    return {"name": name, "view": "monte_carlo", "expected": 1.0, "measured": measured, "interval": list(interval),
            "band": [0.8, "inf"], "decision": decision, "false_fail_rate": 2.5e-5, "resolution": 0.37,
            "needs_samples": needs}


def result(cid, verdict, comps, group="shallow", summary=None, error=None, profile="quick", time_s=1.25):
    return {"id": cid, "group": group, "verdict": verdict, "summary": summary or f"{cid}: {verdict.lower()}",
            "seed": {"run": 7, "claim": 12345}, "profile": profile, "time_s": time_s, "error": error,
            "statement": "s", "reading": "r",
            "checks": [{"check": f"{cid} check", "view": "monte_carlo", "verdict": verdict, "comparisons": comps,
                        **({"error": error} if error else {})}]}


TRACE = 'Traceback (most recent call last):\n  File "x.py", line 1\nZeroDivisionError: division by zero\n'
DOC = {
    "schema_version": 1,
    "tool": {"ntkverify": "0.1.0", "jax": "0.4.99", "python": "3.11.7"},
    "run": {"id": "r1", "profile": "quick", "seed": 7, "started": "2026-01-01T00:00:00+00:00",
            "claim_false_fail_rate": 1e-4, "run_false_fail_rate": 0.01},
    "claims": [
        result("shallow.ok", "PASS", [comparison("holds", "PASS")]),
        result("shallow.bad", "FAIL", [comparison("holds too", "PASS"),
                                        comparison("slope of the error", "FAIL", 0.41, (0.38, 0.44))]),
        result("lin.maybe", "INCONCLUSIVE", [comparison("edge case", "UNDECIDED", 0.82, (0.75, 0.9), needs=400)],
               group="lin"),
        result("lin.crash", "ERROR", [], group="lin", summary="check crashed: ZeroDivisionError", error=TRACE),
    ],
}


@pytest.fixture
def tree(tmp_path):
    path = write_junit(DOC, tmp_path / "junit.xml")
    return ET.parse(path).getroot()


def _counts(el):
    return {k: el.get(k) for k in ("tests", "failures", "errors", "skipped")}


def test_structure_and_counts(tree):
    assert tree.tag == "testsuites"
    assert _counts(tree) == {"tests": "4", "failures": "1", "errors": "1", "skipped": "1"}
    suites = tree.findall("testsuite")
    assert [s.get("name") for s in suites] == ["shallow", "lin"]  # groups in run order
    assert _counts(suites[0]) == {"tests": "2", "failures": "1", "errors": "0", "skipped": "0"}
    assert _counts(suites[1]) == {"tests": "2", "failures": "0", "errors": "1", "skipped": "1"}
    cases = [(c.get("classname"), c.get("name"), c.get("time")) for c in tree.iter("testcase")]
    assert cases == [("shallow", "shallow.ok", "1.250"), ("shallow", "shallow.bad", "1.250"),
                     ("lin", "lin.maybe", "1.250"), ("lin", "lin.crash", "1.250")]
    assert tree.get("time") == "5.000"


def _case(tree, name):
    return next(c for c in tree.iter("testcase") if c.get("name") == name)


def test_pass_is_a_plain_testcase(tree):
    assert list(_case(tree, "shallow.ok")) == []


def test_fail_carries_summary_and_only_the_failing_comparisons(tree):
    (failure,) = list(_case(tree, "shallow.bad"))
    assert failure.tag == "failure" and failure.get("message") == "shallow.bad: fail"
    assert "FAIL slope of the error: measured 0.41 in [0.38, 0.44], expected 1, accept band [0.8, inf], " \
           "α=2.5e-05, resolution 0.37" in failure.text
    assert "holds too" not in failure.text
    assert "ntkverify run --only shallow.bad --seed 7 --profile quick" in failure.text


def test_error_carries_the_traceback(tree):
    (error,) = list(_case(tree, "lin.crash"))
    assert error.tag == "error" and error.get("message") == "check crashed: ZeroDivisionError"
    assert TRACE.strip() in error.text


def test_inconclusive_is_skipped_and_says_what_budget_would_decide(tree):
    (skipped,) = list(_case(tree, "lin.maybe"))
    assert skipped.tag == "skipped"
    assert skipped.get("message").startswith("INCONCLUSIVE: lin.maybe: inconclusive; ")
    assert "~400 samples per width would decide" in skipped.get("message")
    assert "rerun with --profile standard" in skipped.get("message")
    assert "UNDECIDED edge case: measured 0.82 in [0.75, 0.9]" in skipped.text


def test_inconclusive_at_the_largest_profile_says_so():
    r = result("x.y", "INCONCLUSIVE", [comparison("c", "UNDECIDED")], profile="full")
    assert "already at the largest profile" in _junit.undecided_hint(r)
    assert "--profile" not in _junit.undecided_hint(r)


def test_properties_seed_profile_versions(tree):
    for suite in tree.findall("testsuite"):
        props = {p.get("name"): p.get("value") for p in suite.find("properties")}
        assert props["seed"] == "7" and props["profile"] == "quick" and props["run_id"] == "r1"
        assert props["version.jax"] == "0.4.99" and props["version.ntkverify"] == "0.1.0"


def test_escape_safe_for_markup_and_control_characters(tmp_path):
    nasty = 'a < b && c > "d" \x1b[31mred\x1b[0m \x00'
    doc = {**DOC, "claims": [result("shallow.<odd>&", "FAIL", [comparison(nasty, "FAIL", 3.0, (2.9, 3.1))],
                                    summary=nasty, error=None)]}
    root = ET.parse(write_junit(doc, tmp_path / "j.xml")).getroot()
    (case,) = root.iter("testcase")
    assert case.get("name") == "shallow.<odd>&"
    message = case.find("failure").get("message")
    assert message.startswith('a < b && c > "d" ') and "\\x1b[31mred" in message and message.endswith("\\x00")


def test_write_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "junit.xml"
    path.write_text("previous", encoding="utf-8")

    def broken(self, *a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(ET.ElementTree, "write", broken)
    with pytest.raises(OSError, match="disk full"):
        write_junit(DOC, path)
    assert path.read_text(encoding="utf-8") == "previous"  # old file intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junit.xml"]  # no temporary left behind
    monkeypatch.undo()
    write_junit(DOC, path)
    assert ET.parse(path).getroot().get("tests") == "4"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junit.xml"]


def test_run_writes_junit_next_to_summary(tmp_path, capsys):
    from verify.cli import main

    code = main(["run", "--only", "shallow.param-count", "--profile", "quick", "--out", str(tmp_path),
                 "--run-id", "t", "--no-html"])
    capsys.readouterr()
    assert code == 0
    assert (tmp_path / "t" / "summary.md").exists()
    root = ET.parse(tmp_path / "t" / "junit.xml").getroot()
    assert _counts(root) == {"tests": "1", "failures": "0", "errors": "0", "skipped": "0"}
    assert [c.get("name") for c in root.iter("testcase")] == ["shallow.param-count"]
