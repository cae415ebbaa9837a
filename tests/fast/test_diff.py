"""`ntkverify diff` and verify.regression on synthetic results documents: verdicts changed (and their
direction), evidence moved beyond its interval, claims added/removed, exit codes, bad-input messages."""
from __future__ import annotations

import copy
import json

import pytest

from verify import regression
from verify.cli import main


def comparison(name="value", measured=1.0, interval=(0.9, 1.1), decision="PASS"):
    return {"name": name, "view": "monte_carlo", "expected": 1.0, "measured": measured, "interval": list(interval),
            "band": [0.5, 1.5], "abs_error": 0.0, "rel_error": 0.0, "decision": decision, "false_fail_rate": 1e-5,
            "resolution": 0.6, "reference": "", "samples": 100, "widths": None, "needs_samples": None, "detail": {}}


def claim(cid, verdict="PASS", comps=None, check="mc check"):
    comps = comps if comps is not None else [comparison()]
    return {"id": cid, "group": cid.split(".")[0], "verdict": verdict, "summary": f"{cid} is {verdict}",
            "seed": {"run": 0, "claim": 1}, "profile": "quick", "time_s": 0.1, "error": None,
            "checks": [{"check": check, "view": "monte_carlo", "verdict": verdict, "comparisons": comps}]}


def document(*claims, profile="quick", finished="2026-01-01T00:00:00+00:00", schema_version=1):
    return {"schema_version": schema_version, "tool": {"ntkverify": "0.1.0"},
            "run": {"id": f"run-{profile}", "profile": profile, "seed": 0, "started": "2026-01-01T00:00:00+00:00",
                    "finished": finished},
            "claims": list(claims)}


BASE = document(claim("g.a"), claim("g.b", "FAIL"), claim("g.c", "INCONCLUSIVE"))


def write(tmp_path, name, doc) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return str(path)


def run_diff(tmp_path, capsys, base, new, *extra):
    code = main(["diff", write(tmp_path, "base.json", base), write(tmp_path, "new.json", new), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def with_verdict(doc, cid, verdict):
    doc = copy.deepcopy(doc)
    next(c for c in doc["claims"] if c["id"] == cid)["verdict"] = verdict
    return doc


def test_same_document_exits_0_and_says_no_change(tmp_path, capsys):
    code, out, err = run_diff(tmp_path, capsys, BASE, BASE)
    assert code == 0, out + err
    assert "no change: 3 claims" in out
    assert err == ""


def test_pass_to_fail_is_worse_exit_1_and_listed(tmp_path, capsys):
    code, out, _ = run_diff(tmp_path, capsys, BASE, with_verdict(BASE, "g.a", "FAIL"))
    assert code == 1
    line = next(l for l in out.splitlines() if "g.a" in l and "->" in l)
    assert line.split()[0] == "worse" and "PASS -> FAIL" in " ".join(line.split())
    assert out.strip().splitlines()[-1].startswith("REGRESSION: 1 worse, 0 better")


def test_fail_to_pass_is_better_exit_0_but_fails_with_fail_on_changed(tmp_path, capsys):
    new = with_verdict(BASE, "g.b", "PASS")
    code, out, _ = run_diff(tmp_path, capsys, BASE, new)
    assert code == 0
    line = next(l for l in out.splitlines() if "g.b" in l and "->" in l)
    assert line.split()[0] == "better" and "FAIL -> PASS" in " ".join(line.split())
    code, _, _ = run_diff(tmp_path, capsys, BASE, new, "--fail-on", "changed")
    assert code == 1


@pytest.mark.parametrize("base_v,new_v,direction", [
    ("PASS", "INCONCLUSIVE", "worse"), ("INCONCLUSIVE", "FAIL", "worse"), ("FAIL", "ERROR", "worse"),
    ("ERROR", "PASS", "better"), ("FAIL", "INCONCLUSIVE", "better")])
def test_direction_follows_verdict_rank(base_v, new_v, direction):
    d = regression.diff(document(claim("g.x", base_v)), document(claim("g.x", new_v)))
    assert [c.direction for c in d.changed] == [direction]
    assert d.regressed("worse") is (direction == "worse")
    assert d.regressed("changed") is True


def test_moved_evidence_reports_both_values_and_intervals(tmp_path, capsys):
    new = copy.deepcopy(BASE)
    new["claims"][0]["checks"][0]["comparisons"][0].update(measured=1.35, interval=[1.3, 1.4])
    code, out, _ = run_diff(tmp_path, capsys, BASE, new)
    assert code == 0  # same verdict: moved evidence is reported, not a regression
    assert "evidence moved beyond its interval (1):" in out
    assert "g.a / mc check / value" in out
    assert "BASE 1 [0.9, 1.1]" in out and "NEW 1.35 [1.3, 1.4]" in out


@pytest.mark.parametrize("new_interval,moved", [
    ((1.3, 1.4), True),      # above
    ((0.1, 0.2), True),      # below
    ((1.05, 1.2), False),    # overlaps
    ((1.1, 1.3), False),     # touches at one point: not disjoint
    ((0.95, 1.05), False),   # inside
    (("-inf", 0.5), True),   # half-line written as results.json writes infinities
    (("nan", 1.4), False),   # cannot be judged
])
def test_moved_means_disjoint_intervals(new_interval, moved):
    new = document(claim("g.a", comps=[comparison(measured=1.0, interval=new_interval)]))
    d = regression.diff(document(claim("g.a")), new)
    assert bool(d.moved) is moved


def _nudged(doc, **fields):
    doc = copy.deepcopy(doc)
    doc["claims"][0]["checks"][0]["comparisons"][0].update(fields)
    return doc


@pytest.mark.parametrize("fields,fails_from", [
    ({}, None),                                           # the same document passes every level
    ({"measured": 1.0 + 2 ** -52}, "bits"),              # one ulp: only the bitwise level sees it
    ({"interval": [0.9, 1.1 + 1e-15]}, "bits"),
    ({"decision": "INCONCLUSIVE"}, "bits"),              # a comparison's decision, the claim's verdict unchanged
    ({"measured": 1.35, "interval": [1.3, 1.4]}, "moved"),
])
def test_fail_on_is_a_ladder(tmp_path, capsys, fields, fails_from):
    new = _nudged(BASE, **fields)
    for level in regression.FAIL_ON:
        code, out, _ = run_diff(tmp_path, capsys, BASE, new, "--fail-on", level)
        should_fail = fails_from is not None and regression.FAIL_ON.index(level) >= regression.FAIL_ON.index(fails_from)
        assert code == int(should_fail), (level, out)
    if fails_from == "bits":
        assert "comparisons not bitwise the same (1):" in out and "g.a / mc check / value:" in out


def test_bits_names_the_fields_and_comparisons_in_one_run_only():
    base = document(claim("g.a", comps=[comparison("x"), comparison("y")]))
    new = document(claim("g.a", comps=[comparison("x", measured=1.01), comparison("z")]))
    d = regression.diff(base, new)
    assert [(x.comparison, x.fields) for x in d.differs] == \
        [("x", ("measured",)), ("y", ("only in BASE",)), ("z", ("only in NEW",))]
    assert d.regressed("moved") is False and d.regressed("bits") is True


def test_comparisons_match_by_claim_check_and_name():
    base = document(claim("g.a", comps=[comparison("x"), comparison("y")]))
    renamed = document(claim("g.a", comps=[comparison("x"), comparison("z", 5.0, (4.9, 5.1))]))
    assert regression.diff(base, renamed).moved == ()  # "y" and "z" are different comparisons
    other_check = document(claim("g.a", comps=[comparison("x", 5.0, (4.9, 5.1))], check="another check"))
    assert regression.diff(base, other_check).moved == ()
    same = document(claim("g.a", comps=[comparison("x"), comparison("y", 5.0, (4.9, 5.1))]))
    assert [(m.check, m.comparison, m.new_measured) for m in regression.diff(base, same).moved] == \
        [("mc check", "y", 5.0)]


def test_removed_claim_counts_as_worse_added_is_informational(tmp_path, capsys):
    removed = document(*BASE["claims"][:2])
    code, out, _ = run_diff(tmp_path, capsys, BASE, removed)
    assert code == 1
    assert "claims removed (1; counted as worse" in out and "g.c  (was INCONCLUSIVE)" in out
    added = document(*BASE["claims"], claim("g.d", "FAIL"))
    code, out, _ = run_diff(tmp_path, capsys, BASE, added)
    assert code == 0
    assert "claims added (1):" in out and "g.d  (FAIL)" in out


def test_different_profiles_warn_but_still_compare(tmp_path, capsys):
    new = with_verdict(document(*BASE["claims"], profile="standard"), "g.a", "FAIL")
    code, out, _ = run_diff(tmp_path, capsys, BASE, new)
    assert code == 1
    assert "warning: BASE used profile 'quick' and NEW profile 'standard'" in out
    assert "PASS -> FAIL" in " ".join(out.split())


def test_interrupted_run_is_warned_about(tmp_path, capsys):
    code, out, _ = run_diff(tmp_path, capsys, BASE, document(*BASE["claims"], finished=None))
    assert code == 0
    assert "NEW run 'run-quick' was interrupted" in out and "--resume" in out


def test_json_output_is_a_machine_readable_dict(tmp_path, capsys):
    new = document(claim("g.a", "ERROR"), claim("g.b", "PASS"), claim("g.d"), profile="full")
    code, out, err = run_diff(tmp_path, capsys, BASE, new, "--json")
    assert code == 1
    d = json.loads(out)
    assert [(c["id"], c["base"], c["new"], c["direction"]) for c in d["changed"]] == \
        [("g.a", "PASS", "ERROR", "worse"), ("g.b", "FAIL", "PASS", "better")]
    assert d["removed"] == [{"id": "g.c", "verdict": "INCONCLUSIVE"}]
    assert d["added"] == [{"id": "g.d", "verdict": "PASS"}]
    assert d["counts"] == {"worse": 1, "better": 1, "moved": 0, "differs": 0, "added": 1, "removed": 1}
    assert d["regressed"] is True and d["fail_on"] == "worse"
    assert d["base"]["profile"] == "quick" and d["new"]["profile"] == "full"
    assert len(d["warnings"]) == 1 and "profile 'full'" in err  # warning on stderr, stdout stays JSON


def test_report_folders_are_accepted(tmp_path, capsys):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        write(tmp_path / name, "results.json", BASE)
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    assert "no change" in capsys.readouterr().out


def _error(tmp_path, capsys, base_text, new_text=None):
    base = write(tmp_path, "base.json", base_text)
    new = write(tmp_path, "new.json", new_text if new_text is not None else json.dumps(BASE))
    code = main(["diff", base, new])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err  # one line, no traceback
    return err


def test_missing_file_exit_2(tmp_path, capsys):
    code = main(["diff", str(tmp_path / "nope.json"), write(tmp_path, "new.json", BASE)])
    err = capsys.readouterr().err
    assert code == 2
    assert "nope.json' does not exist; give a results.json or a report folder" in err


def test_not_json_exit_2(tmp_path, capsys):
    err = _error(tmp_path, capsys, "{not json")
    assert "is not valid JSON (line 1" in err


def test_not_a_results_file_exit_2(tmp_path, capsys):
    err = _error(tmp_path, capsys, json.dumps({"hello": 1}))
    assert "is not an ntkverify results file (no schema_version/claims)" in err


def test_schema_version_mismatch_names_value_and_fix(tmp_path, capsys):
    err = _error(tmp_path, capsys, json.dumps(BASE), json.dumps(document(claim("g.a"), schema_version=2)))
    assert "NEW '" in err and "has schema_version 2, but this ntkverify reads schema_version 1" in err
    assert "re-run `ntkverify run` to regenerate it" in err


def test_damaged_claims_exit_2(tmp_path, capsys):
    err = _error(tmp_path, capsys, json.dumps(document(claim("g.a", "MAYBE"))))
    assert "BASE '" in err and "claim 'g.a' has verdict 'MAYBE', not one of" in err
    err = _error(tmp_path, capsys, json.dumps({**BASE, "claims": {"g.a": 1}}))
    assert "'claims' is a dict, not a list of claim results" in err


def test_bad_fail_on_exit_2(tmp_path, capsys):
    base = write(tmp_path, "base.json", BASE)
    assert main(["diff", base, base, "--fail-on", "never"]) == 2
    assert "invalid choice: 'never'" in capsys.readouterr().err


def test_schema_version_agrees_with_the_runner():
    from verify.runner import SCHEMA_VERSION

    assert regression.SCHEMA_VERSION == SCHEMA_VERSION
