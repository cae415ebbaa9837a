"""Every bad input of the CLI: one line naming the value and the fix, exit 2, no traceback,
nothing already written lost."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from verify.cli import main


def _err(capsys) -> str:
    out = capsys.readouterr()
    lines = [l for l in out.err.splitlines() if l.strip()]
    assert len(lines) == 1, out.err
    assert "Traceback" not in out.err
    return lines[0]


@pytest.mark.parametrize(
    "argv, needles",
    [
        (["run", "--only", "shallow.ntk-limt"], ["shallow.ntk-limt", "matches no claim", "shallow.ntk-limit"]),
        (["run", "--only", "nothing.*"], ["nothing.*", "matches no claim", "ntkverify list"]),
        (["run", "--profile", "quik"], ["quik", "did you mean 'quick'", "standard"]),
        (["run", "--profile", "fast"], ["fast", "is not a profile", "quick, standard, full"]),
        (["run", "--seed", "abc"], ["abc", "not an integer", "--seed 0"]),
        (["run", "--seed", "-3"], ["-3", "out of range"]),
        (["show", "shallow.gradient"], ["shallow.gradient", "unknown claim id", "shallow.gradients"]),
        (["list", "--only", "lin.*x"], ["lin.*x", "matches no claim"]),
        (["frobnicate"], ["frobnicate", "invalid choice"]),
    ],
)
def test_bad_input_is_one_line_exit_2(argv, needles, capsys):
    assert main(argv) == 2
    line = _err(capsys)
    for needle in needles:
        assert needle in line, line


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["run", "--only", "shallow.param-count", "--out", str(blocker / "sub")]) == 2
    line = _err(capsys)
    assert "cannot be written" in line and "--out" in line and str(blocker) in line


def test_resume_without_a_run(tmp_path, capsys):
    assert main(["run", "--resume", "--out", str(tmp_path)]) == 2
    assert "no run to resume" in _err(capsys)


def test_existing_run_folder_is_not_overwritten(tmp_path, capsys):
    run = tmp_path / "r1"
    run.mkdir()
    (run / "results.json").write_text('{"keep": true}')
    assert main(["run", "--only", "shallow.param-count", "--out", str(tmp_path), "--run-id", "r1"]) == 2
    assert "already holds results" in _err(capsys)
    assert json.loads((run / "results.json").read_text()) == {"keep": True}


def test_version_names_the_libraries(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for lib in ("ntkverify", "JAX", "SymPy", "mpmath"):
        assert lib in out


def test_console_entry_point_and_module_agree():
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    a = subprocess.run([sys.executable, "-m", "verify", "run", "--seed", "x"], capture_output=True, text=True, env=env)
    assert a.returncode == 2 and a.stderr.startswith("ntkverify: error:") and "Traceback" not in a.stderr
