"""One contract test over the whole catalogue: every claim, every check."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from verify._model import Check, Claim, PROFILES
from verify.claims import catalogue, corrected_by
from verify.stats import CATALOGUE_SLOTS

SHARED = Path(__file__).resolve().parents[3] / "shared"
CLAIMS = list(catalogue().values())


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_contract(claim: Claim):
    assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9-]+)+", claim.id), claim.id
    assert claim.statement.strip() and claim.reading.strip() and claim.latex.strip()
    assert claim.source.file.startswith("seeds/") and claim.source.section
    assert claim.checks, "a claim without checks could never fail"
    names = [c.name for c in claim.checks]
    assert len(names) == len(set(names)), "check names key the random streams: they must be unique"
    for check in claim.checks:
        assert isinstance(check, Check)
        assert check.comparisons >= 0


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.corrects], ids=lambda c: c.id)
def test_corrected_companions_link_both_ways(claim):
    assert claim.id == claim.corrects + ".corrected"
    assert corrected_by(claim.corrects) == claim.id


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_statement_latex_renders_as_mathml(claim):
    """The report falls back to raw LaTeX when latex2mathml cannot parse it (e.g. \\Big\\|, \\arg\\min):
    legal, but a catalogue claim should render."""
    from verify.report._mathml import latex_to_mathml

    assert latex_to_mathml(claim.latex) is not None, claim.latex


def test_budget_holds_for_the_whole_catalogue():
    assert len(CLAIMS) <= CATALOGUE_SLOTS


@pytest.mark.skipif(not (SHARED / "CLAIMS.md").exists(), reason="../shared/CLAIMS.md not beside the repo")
def test_registered_statements_are_the_catalogue_statements():
    """A claim is registered exactly as its source states it: its statement is CLAIMS.md's text."""
    text = (SHARED / "CLAIMS.md").read_text(encoding="utf-8")
    entries = dict(re.findall(r"^- `([a-z0-9.-]+)` — (.+?)(?=^- `|^## |\Z)", text, flags=re.M | re.S))
    for claim in CLAIMS:
        if claim.corrects:
            continue
        assert claim.id in entries, f"{claim.id} is not in CLAIMS.md"
        assert " ".join(entries[claim.id].split()) == " ".join(claim.statement.split()), claim.id


def test_profiles_grow():
    assert [p.looks for p in PROFILES.values()] == sorted(p.looks for p in PROFILES.values())
