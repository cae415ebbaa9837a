"""CI's regression test of the theory claims: the quick profile of the whole catalogue, diffed
against the committed baseline (reports/baseline.json). A verdict that got worse, or a claim that
disappeared, fails this test with the diff as the message.

Regenerate the baseline after an intended change:
    ntkverify run --profile quick --run-id baseline-src && cp reports/baseline-src/results.json reports/baseline.json
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "reports" / "baseline.json"


def test_quick_profile_does_not_regress(tmp_path):
    run = subprocess.run([sys.executable, "-m", "verify", "run", "--profile", "quick", "--seed", "0",
                          "--out", str(tmp_path), "--run-id", "ci"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, f"run failed (a check crashed?)\n{run.stdout}\n{run.stderr[-3000:]}"
    results = tmp_path / "ci" / "results.json"
    doc = json.loads(results.read_text())
    assert doc["claims"] and doc["run"]["finished"]
    for name in ("summary.md", "index.html", "junit.xml"):
        assert (tmp_path / "ci" / name).exists(), name
    assert_fail_exactly_when_corrected(doc)
    # any change fails: a FAIL that turns PASS is a lost detection, not an improvement
    diff = subprocess.run([sys.executable, "-m", "verify", "diff", str(BASELINE), str(results), "--fail-on", "changed"],
                          capture_output=True, text=True, cwd=ROOT)
    assert diff.returncode == 0, f"verdicts changed against {BASELINE.name}:\n{diff.stdout}\n{diff.stderr}"


def assert_fail_exactly_when_corrected(doc: dict) -> None:
    """The catalogue's findings, as an invariant: a claim FAILs exactly when it carries a `.corrected`
    companion (it is wrong as stated), and every companion PASSes."""
    verdict = {c["id"]: c["verdict"] for c in doc["claims"]}
    corrected = {i for i in verdict if i.endswith(".corrected")}
    for cid, v in verdict.items():
        if cid in corrected:
            assert v == "PASS", f"{cid}: a corrected companion must PASS, got {v}"
        elif cid + ".corrected" in corrected:
            assert v == "FAIL", f"{cid} has a .corrected companion (it is wrong as stated) but is {v}: a lost detection?"
        else:
            assert v == "PASS", f"{cid} is {v} but has no .corrected companion: a new finding needs one, a flake a fix"


def test_baseline_is_a_quick_profile_results_file():
    doc = json.loads(BASELINE.read_text())
    assert doc["schema_version"] == 1 and doc["run"]["profile"] == "quick" and doc["run"]["seed"] == 0
    from verify.claims import catalogue

    assert {c["id"] for c in doc["claims"]} == set(catalogue()), "regenerate reports/baseline.json (see docstring)"
    assert_fail_exactly_when_corrected(doc)


def test_the_invariant_notices_a_lost_fail():
    import copy

    import pytest

    doc = json.loads(BASELINE.read_text())
    lost = copy.deepcopy(doc)
    wrong_as_stated = next(c for c in lost["claims"] if c["verdict"] == "FAIL")
    wrong_as_stated["verdict"] = "PASS"
    with pytest.raises(AssertionError, match="lost detection"):
        assert_fail_exactly_when_corrected(lost)
