"""The randnet finite-width claims at the quick profile, over seeds: the two claims wrong as written FAIL (for
the stated reason, never INCONCLUSIVE), every other claim and both companions PASS."""
from __future__ import annotations

import pytest

from verify._model import PROFILES
from verify.claims._randnet_finite import CLAIMS
from verify.runner import run_claim

WRONG = {"randnet.cumulant-scaling", "randnet.input-gradient"}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 3])
def test_randnet_finite_quick_verdicts(seed):
    verdicts = {c.id: run_claim(c, PROFILES["quick"], seed)["verdict"] for c in CLAIMS}
    assert {k for k, v in verdicts.items() if v == "FAIL"} == WRONG, verdicts
    assert all(v == "PASS" for k, v in verdicts.items() if k not in WRONG), verdicts


@pytest.mark.slow
def test_wrong_statements_fail_for_the_stated_reason():
    def failed(claim_id):
        res = run_claim(next(c for c in CLAIMS if c.id == claim_id), PROFILES["quick"], 0)
        return [c["name"] for ch in res["checks"] for c in ch["comparisons"] if c["decision"] == "FAIL"]

    cumulant = failed("randnet.cumulant-scaling")
    # κ₄ has the stated form; κ₆ and κ₈ do not (their n^{−(k−1)} coefficient is not C·L^{k−1})
    assert any("κ_6" in n for n in cumulant) and any("κ_8" in n for n in cumulant)
    assert not any("κ_4" in n for n in cumulant)
    assert failed("randnet.input-gradient") == ["Var‖∂z₁/∂x‖²: exponent of n"]
