"""The CLI end to end on the cheapest claim: run, list, show, resume."""
from __future__ import annotations

import json

from verify.cli import main


def test_run_list_show_resume(tmp_path, capsys):
    assert main(["run", "--only", "shallow.param-count", "--profile", "quick", "--out", str(tmp_path),
                 "--run-id", "r", "--no-html"]) == 0
    run = tmp_path / "r"
    doc = json.loads((run / "results.json").read_text())
    assert [c["id"] for c in doc["claims"]] == ["shallow.param-count"] and doc["claims"][0]["verdict"] == "PASS"
    assert (run / "summary.md").exists() and (tmp_path / "latest" / "results.json").exists()
    capsys.readouterr()

    assert main(["list", "--json", "--only", "shallow.*"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert "shallow.ntk-limit" in {c["id"] for c in listed}
    assert next(c for c in listed if c["id"] == "shallow.ntk-limit")["corrected_by"] == "shallow.ntk-limit.corrected"

    assert main(["show", "shallow.param-count", "--json", "--report", str(tmp_path / "latest")]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["last_result"]["verdict"] == "PASS" and shown["reading"]

    # an interrupted run (finished: null) resumes without redoing its finished claim
    doc["run"]["finished"] = None
    (run / "results.json").write_text(json.dumps(doc))
    assert main(["run", "--resume", "r", "--only", "shallow.param-count", "--only", "shallow.loss-gradient",
                 "--out", str(tmp_path), "--no-html"]) == 0
    resumed = json.loads((run / "results.json").read_text())
    assert [c["id"] for c in resumed["claims"]] == ["shallow.param-count", "shallow.loss-gradient"]
    assert resumed["claims"][0] == doc["claims"][0] and resumed["run"]["finished"]
