"""The example claim files: every one loads cleanly, the true ones PASS, every claim of
claims_wrong.toml FAILs (quick profile, ~10 s for the four files; the README's block too)."""
from __future__ import annotations

from pathlib import Path

import pytest

from verify.claimfile import check_file, load

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = {"claims_ntk.toml": "PASS", "claims_identities.toml": "PASS", "claims_scaling.py": "PASS",
         "claims_wrong.toml": "FAIL"}


@pytest.mark.parametrize("name", sorted(FILES))
def test_example_loads_without_errors(name):
    res = load(EXAMPLES / name)
    assert not res.errors, [str(e) for e in res.errors]
    assert len(res.claims) >= 2
    assert all(c.group == "user" and c.statement and c.reading for c in res.claims)


def test_examples_cover_every_kind():
    from verify.claimfile import KINDS

    used = set()
    for name in FILES:
        for claim in load(EXAMPLES / name).claims:
            used |= {type(ch).__name__ for ch in claim.checks}
    assert {"LimitSweep", "ScalingLaw", "MeanEquals", "Exact", "_LawAtLargestWidth"} <= used, used
    assert len(KINDS) == 6


def test_readme_toml_block_loads(tmp_path):
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    block = text.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "readme.toml"
    path.write_text(block, encoding="utf-8")
    res = load(path)
    assert not res.errors, [str(e) for e in res.errors]
    assert {c.id for c in res.claims} == {"me.log", "me.lln", "me.clt-scale", "me.clt", "me.m4", "me.rbf"}
    outcome = check_file(path)  # toy observables: a few seconds
    assert {r["id"]: r["verdict"] for r in outcome.results} == dict.fromkeys((c.id for c in res.claims), "PASS")


@pytest.mark.parametrize("name", sorted(FILES))
def test_example_verdicts(name):
    outcome = check_file(EXAMPLES / name, "quick", 0)
    assert not outcome.errors
    assert {r["id"]: r["verdict"] for r in outcome.results} == {r["id"]: FILES[name] for r in outcome.results}
