"""Issue 13's derivations beyond the catalogue, stated in a claim file with a [claim.model] and no
simulation code (examples/claims_models.toml): in the quick profile every true claim PASSes and every
deliberately wrong companion (id ending in .wrong) FAILs — the tool's second use, regression-tested."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "claims_models.toml"


def test_model_claims_get_the_right_verdicts(tmp_path):
    run = subprocess.run([sys.executable, "-m", "verify", "check", str(EXAMPLE), "--profile", "quick", "--seed", "0",
                          "--json", "--out", str(tmp_path / "models")], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1, f"expected exit 1 (the .wrong claims FAIL)\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    doc = json.loads((tmp_path / "models" / "results.json").read_text())
    verdicts = {c["id"]: c["verdict"] for c in doc["claims"]}
    assert len(verdicts) == 10, verdicts
    for cid, verdict in verdicts.items():
        want = "FAIL" if cid.endswith(".wrong") else "PASS"
        assert verdict == want, f"{cid}: {verdict}, expected {want}\n{json.dumps(doc, indent=1)[:4000]}"
