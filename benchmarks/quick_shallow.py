"""Time `ntkverify run --only 'shallow.*' --profile quick` from a cold process (JAX compilation
included), as a user on a fresh clone would see it. Target: ≤ 60 s on the 2-core CI machine.

    python benchmarks/quick_shallow.py [--repeat N]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", default="shallow.*")
    args = ap.parse_args()
    times = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "verify", "run", "--only", args.only, "--profile", "quick",
                                   "--out", out, "--run-id", "bench", "--no-html"], capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if proc.returncode not in (0, 1):
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            doc = json.loads((Path(out) / "bench" / "results.json").read_text())
    per_claim = {c["id"]: (c["verdict"], c["time_s"]) for c in doc["claims"]}
    print(json.dumps({"command": f"ntkverify run --only '{args.only}' --profile quick", "wall_s": times,
                      "per_claim": per_claim}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
