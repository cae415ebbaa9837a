"""The whole meanfield group at the quick profile, over seeds: the two claims wrong as written FAIL (never
INCONCLUSIVE), every other claim and both companions PASS."""
from __future__ import annotations

import pytest

from verify._model import PROFILES
from verify.claims.meanfield import CLAIMS
from verify.runner import run_claim

WRONG = {"meanfield.hessian-diagonal", "meanfield.jacobian-gram"}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_meanfield_quick_verdicts(seed):
    verdicts = {c.id: run_claim(c, PROFILES["quick"], seed)["verdict"] for c in CLAIMS}
    assert {k for k, v in verdicts.items() if v == "FAIL"} == WRONG, verdicts
    assert all(v == "PASS" for k, v in verdicts.items() if k not in WRONG), verdicts


@pytest.mark.slow
def test_wrong_statements_fail_for_the_stated_reason():
    gram = run_claim(next(c for c in CLAIMS if c.id == "meanfield.jacobian-gram"), PROFILES["quick"], 0)
    failed = [c["name"] for ch in gram["checks"] for c in ch["comparisons"] if c["decision"] == "FAIL"]
    # the rate (−1, not −1/2) and the prefactor (√m‖DgDgᵀ‖ → 0); the identity and the LLN hold
    assert any("exponent of m" in n for n in failed) and any("√m‖DgDgᵀ‖_op: extrapolated limit" in n for n in failed)
    assert not any(n.startswith("m(DgDgᵀ)") or "(1/m²)" in n for n in failed)
