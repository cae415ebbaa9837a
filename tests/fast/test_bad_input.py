"""Bad input that cannot hurt (issue 12): run ids and --resume stay inside --out, a resumed run keeps
its settings and its claims, damaged results files are one line and exit 2, figures survive a
kill -9, report files honour the umask, claim files that break or hang at load are one error."""
from __future__ import annotations

import json
import os
import shlex
import textwrap

import pytest

from verify._limits import deadline
from verify._model import PROFILES
from verify.cli import main

from test_cli_errors import _err  # the one stderr line of a bad input, no traceback

QUICK = PROFILES["quick"]
CHEAP = "shallow.param-count"  # the cheapest catalogue claim (a symbolic and a JAX parameter count)
FIGURE = {"kind": "loglog_fit", "title": "a slope",
          "data": {"x": [16, 64, 256], "y": [1.0, 0.5, 0.25], "log_half_widths": [0.1, 0.1, 0.1], "slope": -0.5,
                   "intercept": 1.386, "predicted_slope": -0.5, "predicted_text": "-1/2", "variable": "m"}}


def _tree(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def _interrupted_run(out, run_id="r", seed=5, only=(CHEAP,), claims=(), **run_fields) -> dict:
    """A results.json as an interrupted run leaves it (finished: null)."""
    from verify.runner import new_document

    doc = new_document(run_id, QUICK, seed, ["run"])
    doc["run"].update(only=list(only) if only else None, **run_fields)
    doc["claims"] = list(claims)
    (out / run_id).mkdir(parents=True)
    (out / run_id / "results.json").write_text(json.dumps(doc), encoding="utf-8")
    return doc


@pytest.fixture
def fake_execute(monkeypatch):
    """Replace the runner's loop by one that records what it was asked to run and finishes at once."""
    import verify.runner as runner

    calls = []

    def execute(claims, doc, out_dir, profile, seed, **kw):
        calls.append({"ids": [c.id for c in claims], "profile": profile.name, "seed": seed, "only": doc["run"].get("only")})
        doc["run"]["finished"] = "2026-01-01T00:00:00+00:00"
        runner.write_json_atomic(out_dir / "results.json", doc)
        return doc

    monkeypatch.setattr(runner, "execute", execute)
    return calls


# 1. run ids ------------------------------------------------------------------------------------

@pytest.mark.parametrize("run_id, why", [
    ("..", "not one folder name"), ("../x", "not one folder name"), ("a/b", "not one folder name"),
    (".", "not one folder name"), (".latest-tmp", "not one folder name"), ("", "not one folder name"),
    ("a b", "not one folder name"), ("latest", "reserved"),
])
def test_a_bad_run_id_is_refused_before_anything_is_written(run_id, why, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["run", "--only", CHEAP, "--profile", "quick", "--out", str(out), "--run-id", run_id]) == 2
    line = _err(capsys)
    assert line.startswith(f"ntkverify: error: --run-id {run_id!r}: ") and why in line and "choose another" in line
    assert _tree(tmp_path) == []


@pytest.mark.parametrize("run_id", ["../other/r", ""])
def test_resume_outside_out_is_refused(run_id, tmp_path, capsys):
    out = tmp_path / "reports"
    _interrupted_run(tmp_path / "other")
    before = (tmp_path / "other" / "r" / "results.json").read_text()
    assert main(["run", "--resume", run_id, "--out", str(out), "--only", CHEAP, "--profile", "quick"]) == 2
    assert _err(capsys).startswith(f"ntkverify: error: --resume {run_id!r}: ")
    assert (tmp_path / "other" / "r" / "results.json").read_text() == before and not out.exists()


# 2. --resume keeps the run's settings and claims -----------------------------------------------

@pytest.mark.parametrize("option", [["--seed", "3"], ["--profile", "standard"], ["--profile=standard"]])
def test_resume_refuses_a_conflicting_seed_or_profile(option, tmp_path, capsys, fake_execute):
    _interrupted_run(tmp_path)
    assert main(["run", "--resume", "r", "--out", str(tmp_path), *option]) == 2
    line = _err(capsys)
    name = option[0].split("=")[0]
    assert f"{name} " in line and "was started with" in line and f"drop {name}" in line, line
    assert fake_execute == []


def test_resume_keeps_seed_profile_and_claim_selection(tmp_path, fake_execute):
    _interrupted_run(tmp_path, seed=5)
    assert main(["run", "--resume", "r", "--out", str(tmp_path), "--seed", "5", "--no-html"]) == 0
    assert fake_execute == [{"ids": [CHEAP], "profile": "quick", "seed": 5, "only": [CHEAP]}]


def test_resume_of_a_run_from_before_run_only_reads_its_argv(tmp_path, fake_execute):
    """results.json written before `run.only` existed: the selection is the --only of its argv."""
    doc = _interrupted_run(tmp_path, only=None, argv=["run", "--only", CHEAP, "--profile=quick"])
    del doc["run"]["only"]
    (tmp_path / "r" / "results.json").write_text(json.dumps(doc))
    assert main(["run", "--resume", "r", "--out", str(tmp_path), "--no-html"]) == 0
    assert [c["ids"] for c in fake_execute] == [[CHEAP]]


def test_resume_with_only_adds_to_the_recorded_selection(tmp_path, fake_execute):
    _interrupted_run(tmp_path)
    assert main(["run", "--resume", "r", "--out", str(tmp_path), "--only", "shallow.loss-gradient", "--no-html"]) == 0
    assert fake_execute[0]["ids"] == ["shallow.loss-gradient"]
    assert fake_execute[0]["only"] == [CHEAP, "shallow.loss-gradient"]


@pytest.mark.parametrize("damage, needle", [
    (lambda d: d.pop("run"), "has no 'run' section"),
    (lambda d: d["run"].update(profile="quik"), "run.profile 'quik'"),
    (lambda d: d["run"].update(seed="0"), "run.seed '0'"),
    (lambda d: d.update(claims=[{}]), "claims[0] has no 'id'"),
])
def test_resume_of_a_damaged_results_file_is_one_line(damage, needle, tmp_path, capsys, fake_execute):
    doc = _interrupted_run(tmp_path)
    damage(doc)
    (tmp_path / "r" / "results.json").write_text(json.dumps(doc))
    assert main(["run", "--resume", "r", "--out", str(tmp_path)]) == 2
    line = _err(capsys)
    assert "--resume 'r'" in line and needle in line and "cannot be resumed" in line, line
    assert fake_execute == []


def test_interrupt_advice_resumes_the_run_with_its_out(tmp_path, capsys, monkeypatch, fake_execute):
    import verify.runner as runner

    finish = runner.execute

    def interrupted(claims, doc, *a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "execute", interrupted)
    out = tmp_path / "my reports"
    assert main(["run", "--only", CHEAP, "--profile", "quick", "--seed", "4", "--out", str(out), "--run-id", "r1",
                 "--no-html"]) == 130
    line = _err(capsys)
    command = line.split("continue with `", 1)[1].rstrip("`")
    argv = shlex.split(command)
    assert argv[:2] == ["ntkverify", "run"] and "--out" in argv and str(out) in argv
    monkeypatch.setattr(runner, "execute", finish)
    assert main(argv[1:]) == 0
    assert fake_execute == [{"ids": [CHEAP], "profile": "quick", "seed": 4, "only": [CHEAP]}]


# 3. show with a damaged or missing report -----------------------------------------------------

@pytest.mark.parametrize("text", [
    '{"schema_version": 1, "claims": [',
    '{"schema_version": 1, "claims": [{}]}',
    '{"schema_version": 1, "claims": {}}',
    json.dumps({"schema_version": 1, "claims": [{"id": CHEAP}]}),
    json.dumps({"schema_version": 1, "claims": [{"id": CHEAP, "verdict": "PASS", "summary": "s",
                                                 "checks": [{"verdict": "PASS"}]}]}),
])
@pytest.mark.parametrize("as_json", [False, True])
def test_show_with_a_damaged_latest_report_is_one_line(text, as_json, tmp_path, capsys, monkeypatch):
    latest = tmp_path / "reports" / "latest"
    latest.mkdir(parents=True)
    (latest / "results.json").write_text(text)
    monkeypatch.chdir(tmp_path)
    assert main(["show", CHEAP, *(["--json"] if as_json else [])]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "Traceback" not in out.err and len(out.err.strip().splitlines()) == 1, out.err
    assert out.err.startswith("ntkverify: error: results file 'reports/latest/results.json'"), out.err


def test_show_with_a_missing_report_is_exit_2(tmp_path, capsys):
    assert main(["show", CHEAP, "--report", str(tmp_path / "nowhere")]) == 2
    line = _err(capsys)
    assert "--report" in line and "nowhere" in line and "does not exist" in line


# 4. figures of finished claims survive a kill -9 ----------------------------------------------

def test_resume_redraws_figures_lost_by_a_kill(tmp_path):
    """Results recorded, figures not drawn (killed while the worker thread drew): resume draws them."""
    from verify.claims import get
    from verify.runner import run_claim

    result = run_claim(get(CHEAP), QUICK, 5)
    result["checks"][0]["figures"] = [dict(FIGURE), dict(FIGURE)]
    _interrupted_run(tmp_path, claims=[result])
    figures = tmp_path / "r" / "figures"
    figures.mkdir()
    kept = figures / f"{CHEAP}__01.png"
    kept.write_bytes(b"drawn before the kill")
    assert main(["run", "--resume", "r", "--out", str(tmp_path), "--no-html"]) == 0
    assert kept.read_bytes() == b"drawn before the kill"  # finished figures are not drawn again
    assert (figures / f"{CHEAP}__02.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    assert [f["file"] for f in doc["claims"][0]["checks"][0]["figures"]] == [
        f"figures/{CHEAP}__01.png", f"figures/{CHEAP}__02.png"]


def test_a_figure_is_never_half_written(tmp_path, monkeypatch):
    """A drawing interrupted mid-write leaves no file (so resume sees it missing and redraws it)."""
    from matplotlib.figure import Figure

    from verify.report import render_figures

    def broken(self, fh, **kw):
        fh.write(b"\x89PNG half")
        raise OSError("killed")

    monkeypatch.setattr(Figure, "savefig", broken)
    result = {"id": "t.fig", "checks": [{"figures": [dict(FIGURE)]}]}
    with pytest.raises(OSError):
        render_figures(result, tmp_path)
    assert _tree(tmp_path) == []


# 5. report files honour the umask ---------------------------------------------------------------

@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_report_files_honour_the_umask(umask, tmp_path):
    old = os.umask(umask)
    try:
        assert main(["run", "--only", CHEAP, "--profile", "quick", "--out", str(tmp_path), "--run-id", "r"]) == 0
        from verify.report import render_figures

        render_figures({"id": "t.fig", "checks": [{"figures": [dict(FIGURE)]}]}, tmp_path / "r" / "figures")
    finally:
        os.umask(old)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"results.json", "junit.xml", "summary.md", "index.html", "t.fig__01.png"} <= names
    assert {str(p.relative_to(tmp_path)): oct(p.stat().st_mode & 0o777) for p in files} == {
        str(p.relative_to(tmp_path)): oct(0o666 & ~umask) for p in files}


# 6. a TOML syntax error in a file that starts with [[claim]] -----------------------------------

ONE = """\
[[claim]]
id = "e.one"
kind = "identity"
statement = "fine"
lhs = "x + x"
rhs = "2*x"
"""
BROKEN = """
[[claim]]
id = "e.bad"
kind = "identity"
statement = "an unclosed string
lhs = "x"
rhs = "x"
"""
TWO = """
[[claim]]
id = "e.two"
kind = "identity"
statement = "fine"
lhs = "x*x"
rhs = "x**2"
"""


def test_toml_syntax_error_in_a_file_starting_with_a_claim(tmp_path, capsys):
    from verify.claimfile import load

    path = tmp_path / "c.toml"
    path.write_text(ONE + BROKEN + TWO, encoding="utf-8")
    res = load(path)
    assert [c.id for c in res.claims] == ["e.one", "e.two"]
    assert len(res.errors) == 1 and res.errors[0].line == 11 and "TOML syntax error" in str(res.errors[0])
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr()
    assert "e.one" in out.out and "e.two" in out.out and "2 claims: 2 PASS" in out.out
    errors = [l for l in out.err.splitlines() if l.startswith("ntkverify:")]  # not the progress lines
    assert len(errors) == 1 and f"{path}:11: TOML syntax error" in errors[0] and "Traceback" not in out.err


# 7. a Python claim file that hangs or exits at load -------------------------------------------

def test_a_python_claim_file_that_loops_at_load_is_one_error(tmp_path, capsys, monkeypatch):
    import verify.claimfile._python as python_files

    monkeypatch.setattr(python_files, "LOAD_SECONDS", 0.2)
    path = tmp_path / "claims_loop.py"
    path.write_text("x = 0\nwhile True:\n    x += 1\n", encoding="utf-8")
    with deadline(10, "the test"):  # on code without a load limit the test fails here instead of hanging
        assert main(["check", str(path)]) == 2
    line = _err(capsys)
    assert str(path) in line and "did not finish loading within 0.2 s" in line, line


def test_a_python_claim_file_that_exits_at_load_is_one_error(tmp_path, capsys):
    path = tmp_path / "claims_exit.py"
    path.write_text(textwrap.dedent("""\
        from verify.claimfile import identity
        A = identity("p.a", "fine", lhs="x + x", rhs="2*x")
        import sys
        sys.exit(0)
        """), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr()
    assert "p.a" in out.out  # the claim defined before the exit still runs
    errors = [l for l in out.err.splitlines() if l.startswith("ntkverify:")]  # not the progress lines
    assert len(errors) == 1 and f"{path}:4: called sys.exit(0) while loading" in errors[0], out.err
    assert "Traceback" not in out.err
