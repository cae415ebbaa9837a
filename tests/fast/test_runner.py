"""Runner mechanics on cheap fake claims: isolation, atomic results, resume, reproducible seeds."""
from __future__ import annotations

import json

import numpy as np
import pytest

from verify._model import PROFILES, Claim, PerProfile, Source, View
from verify.checks import Exact, MeanEquals, Series, exact
from verify.runner import claim_seed, execute, new_document, run_claim

QUICK = PROFILES["quick"]
CALLS: list[str] = []


def _normal_sampler(key, width, count, **kw):
    from verify._jax import jax

    return np.asarray(jax.random.normal(key, (count, 1)))


def _claim(cid: str, crash: bool = False) -> Claim:
    def compute(ctx):
        CALLS.append(cid)
        if crash:
            raise ZeroDivisionError("deliberate")
        return [exact("one equals one", 1.0, 1.0, 0.0, "arithmetic")]

    return Claim(cid, "test", Source("seeds/none", "§0"), "s", "s", "r",
                 (Exact("exact", View.NUMERIC, compute),
                  MeanEquals("mean", _normal_sampler, (Series("E[g]", 0.0, 0.5),), PerProfile(200, 200, 200))))


def test_a_crashing_check_is_an_error_and_the_run_goes_on(tmp_path):
    claims = [_claim("t.crash", crash=True), _claim("t.fine")]
    doc = execute(claims, new_document("r", QUICK, 0, []), tmp_path, QUICK, 0)
    by_id = {c["id"]: c for c in doc["claims"]}
    assert by_id["t.crash"]["verdict"] == "ERROR"
    assert "ZeroDivisionError: deliberate" in by_id["t.crash"]["error"]
    assert by_id["t.crash"]["summary"].startswith("check crashed")
    assert by_id["t.fine"]["verdict"] == "PASS"
    on_disk = json.loads((tmp_path / "results.json").read_text())
    assert [c["id"] for c in on_disk["claims"]] == ["t.crash", "t.fine"] and on_disk["run"]["finished"]


def test_resume_skips_finished_claims(tmp_path):
    CALLS.clear()
    claims = [_claim("t.a"), _claim("t.b")]
    doc = execute(claims[:1], new_document("r", QUICK, 0, []), tmp_path, QUICK, 0)
    doc["run"]["finished"] = None  # as an interrupted run leaves it
    doc = execute(claims, json.loads((tmp_path / "results.json").read_text()), tmp_path, QUICK, 0)
    assert CALLS == ["t.a", "t.b"]
    assert [c["id"] for c in doc["claims"]] == ["t.a", "t.b"]


def test_a_claim_alone_draws_the_same_numbers_as_in_a_run(tmp_path):
    alone = run_claim(_claim("t.same"), QUICK, 7)
    doc = execute([_claim("t.other"), _claim("t.same")], new_document("r", QUICK, 7, []), tmp_path, QUICK, 7)
    inside = doc["claims"][1]
    m = lambda r: [c["measured"] for ch in r["checks"] for c in ch["comparisons"]]
    assert m(alone) == m(inside)
    assert alone["seed"] == inside["seed"] == {"run": 7, "claim": claim_seed(7, "t.same")}
    assert m(run_claim(_claim("t.same"), QUICK, 8)) != m(alone)


def test_results_file_is_replaced_atomically(tmp_path, monkeypatch):
    """A crash while writing leaves the previous results intact."""
    import verify.runner as runner

    execute([_claim("t.first")], new_document("r", QUICK, 0, []), tmp_path, QUICK, 0)
    before = (tmp_path / "results.json").read_text()

    def broken_dump(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(runner.json, "dumps", broken_dump)
    with pytest.raises(OSError):
        execute([_claim("t.second")], json.loads(before), tmp_path, QUICK, 0)
    assert (tmp_path / "results.json").read_text() == before
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file is removed


def _mean_check(name: str, series: int) -> MeanEquals:
    return MeanEquals(name, lambda key, width, count, **kw: np.asarray(_normal_sampler(key, width, count)).repeat(series, 1),
                      tuple(Series(f"E[g] #{j}", 0.0, 0.5) for j in range(series)), PerProfile(200, 200, 200))


def test_the_budget_is_split_by_the_built_checks_counts():
    """A Deferred declares no count: the runner builds it, then gives each check α × its share of comparisons."""
    from verify.checks import Deferred

    built: list[str] = []

    def build(profile):
        built.append(profile.name)
        return _mean_check("three", 3)

    claim = Claim("t.split", "test", Source("seeds/none", "§0"), "s", "s", "r",
                  (Deferred("three", View.MONTE_CARLO, build), _mean_check("one", 1)))
    res = run_claim(claim, QUICK, 0)
    assert built == ["quick"] and res["verdict"] == "PASS"
    rates = {ch["check"]: {c["false_fail_rate"] for c in ch["comparisons"]} for ch in res["checks"]}
    (three,), (one,) = rates["three"], rates["one"]
    assert three == pytest.approx(one), "every comparison gets the same per-look share: α / (4 comparisons · looks)"
    assert three * 4 * QUICK.looks == pytest.approx(res["false_fail_rate"])


def test_a_design_that_cannot_be_built_is_that_checks_error():
    from verify.checks import Deferred

    def build(profile):
        raise ValueError("no design at this profile")

    claim = Claim("t.nobuild", "test", Source("seeds/none", "§0"), "s", "s", "r",
                  (Deferred("broken", View.MONTE_CARLO, build), _mean_check("one", 1)))
    res = run_claim(claim, QUICK, 0)
    assert res["verdict"] == "ERROR" and "no design at this profile" in res["error"]
    by = {ch["check"]: ch for ch in res["checks"]}
    assert by["broken"]["verdict"] == "ERROR" and by["one"]["verdict"] == "PASS"
