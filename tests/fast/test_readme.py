"""The README's examples work as printed."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_exactly_two_setup_commands_and_ci_runs_the_test_one():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", setup, re.S)
    assert len(commands) == 2, commands
    assert "ntkverify run" in commands[0] and "pytest" in commands[1]
    assert commands[1].strip() in (ROOT / ".ci" / "run").read_text()


def test_readme_claim_file_passes(tmp_path):
    from verify.cli import main

    block = re.search(r"```toml\n(# my_claims.toml.*?)```", README, re.S).group(1)
    path = tmp_path / "my_claims.toml"
    path.write_text(block)
    assert main(["check", str(path), "--profile", "quick"]) == 0
