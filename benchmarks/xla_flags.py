"""Cold `ntkverify run --profile quick` with and without extra XLA flags, interleaved, on the same claims: wall,
CPU and compile seconds per variant, their ratios, and whether every number is bitwise the same (a flag that
moves a number is not a speed-up, it is another computation).

    PYTHONPATH=$PWD python benchmarks/xla_flags.py --flags=--xla_llvm_disable_expensive_passes=true [--only GLOB] [--repeat 2]

Each run gets an empty XLA cache (cold: every program compiled). Time it on an idle machine; the load is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_once(flags: str, globs: list[str], seed: int, out: str) -> dict:
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NTKVERIFY_XLA_CACHE=cache,
                   XLA_FLAGS=(os.environ.get("XLA_FLAGS", "") + " " + flags).strip())
        cmd = [sys.executable, "-m", "verify", "run", "--profile", "quick", "--seed", str(seed), "--out", out,
               "--run-id", "r", "--no-html"] + [a for g in globs for a in ("--only", g)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"run failed ({proc.returncode}) with XLA_FLAGS {flags!r}:\n{proc.stderr[-2000:]}")
    doc = json.loads((Path(out) / "r" / "results.json").read_text())
    return {"wall_s": wall, "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "compile_s": doc["run"]["compile_s"],
            "compilations": doc["run"]["compilations"], "load": os.getloadavg()[0],
            "results": str(Path(out) / "r" / "results.json")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flags", required=True, help="the XLA flags to try, e.g. --xla_llvm_disable_expensive_passes=true")
    ap.add_argument("--only", action="append", help="claim globs (default: the whole catalogue)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    globs = args.only or []
    print(f"load before: {os.getloadavg()[0]:.2f}", flush=True)
    rows = {"default": [], args.flags: []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for name in rows:  # interleaved: the load drifts over both alike
                r = run_once("" if name == "default" else args.flags, globs, args.seed, f"{tmp}/{i}-{len(rows[name])}-{name == 'default'}")
                rows[name].append(r)
                print(f"{name:>40}: wall {r['wall_s']:6.1f} s  cpu {r['cpu_s']:6.1f} s  compile {r['compile_s']:6.1f} s"
                      f"  ({r['compilations']} compilations)  load {r['load']:.2f}", flush=True)
        diff = subprocess.run([sys.executable, "-m", "verify", "diff", rows["default"][0]["results"],
                               rows[args.flags][0]["results"], "--fail-on", "bits"], capture_output=True, text=True)
    med = {k: {f: statistics.median(r[f] for r in v) for f in ("wall_s", "cpu_s", "compile_s")} for k, v in rows.items()}
    for f in ("wall_s", "cpu_s", "compile_s"):
        print(f"median {f}: default {med['default'][f]:.1f}, flags {med[args.flags][f]:.1f}, "
              f"ratio default/flags {med['default'][f] / max(med[args.flags][f], 1e-9):.2f}")
    print("numbers: " + ("bitwise the same" if diff.returncode == 0 else "DIFFER\n" + diff.stdout[-3000:]))
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return diff.returncode


if __name__ == "__main__":
    sys.exit(main())
