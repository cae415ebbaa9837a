"""Time `ntkverify run --profile quick` for one claim group (or any globs) from a cold process, JAX
compilation included, as a user on a fresh clone would see it, against the issue's target.

    python benchmarks/quick_profile.py shallow            # target 60 s (issue #2)
    python benchmarks/quick_profile.py linear3            # target 60 s (issue #4)
    python benchmarks/quick_profile.py meanfield+chizat   # target 90 s, the two groups together (issue #6)
    python benchmarks/quick_profile.py randnet            # target 90 s (issue #7)
    python benchmarks/quick_profile.py --only 'rkhs.*' [--repeat N] [--empty-cache]

The figure depends on the machine's load: measure on an idle machine (the targets are for 2 idle cores).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS_S = {"shallow": 60.0, "linear3": 60.0, "meanfield+chizat": 90.0, "randnet": 90.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("group", nargs="?", default="shallow", help=f"one of {', '.join(TARGETS_S)} (groups joined by +)")
    ap.add_argument("--only", action="append", help="claim globs instead of a group (no target)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--empty-cache", action="store_true", help="a fresh XLA cache per repeat (cold compilation)")
    args = ap.parse_args()
    globs = args.only or [f"{g}.*" for g in args.group.split("+")]
    target = None if args.only else TARGETS_S.get(args.group)
    times, per_claim = [], {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, **({"NTKVERIFY_XLA_CACHE": cache} if args.empty_cache else {}))
            cmd = [sys.executable, "-m", "verify", "run", "--profile", "quick", "--out", out, "--run-id", "bench",
                   "--no-html"] + [a for g in globs for a in ("--only", g)]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
            times.append(round(time.perf_counter() - t0, 1))
            if proc.returncode not in (0, 1):
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            doc = json.loads((Path(out) / "bench" / "results.json").read_text())
            per_claim = {c["id"]: (c["verdict"], round(c["time_s"], 1)) for c in doc["claims"]}
    print(json.dumps({"command": "ntkverify run --profile quick " + " ".join(f"--only '{g}'" for g in globs),
                      "wall_s": times, "target_s": target, "load_average": os.getloadavg()[0],
                      "per_claim": per_claim}, indent=1, ensure_ascii=False))
    return 0 if target is None or min(times) <= target else 3


if __name__ == "__main__":
    sys.exit(main())
