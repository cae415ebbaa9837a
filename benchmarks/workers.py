"""`--workers 1` against `--workers 2` on a set of cheap catalogue claims: wall time of each, interleaved, and
their ratio (issue 15 item 4). Each side is a LocalExecutor (spawned processes, as `ntkverify run --workers N`
runs), timed from its start — worker start-up included, as a user sees it — to its last result; the verdicts
and numbers of the two sides are checked equal.

    python benchmarks/workers.py [--repeat 3] [--claims 12] [--profile quick]

A speed-up needs idle cores: on a loaded machine the two workers share what is left. The load average is
printed beside every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cheap_claims(count: int) -> list[str]:
    """The `count` cheapest claims of the committed quick-profile baseline (by their recorded time)."""
    doc = json.loads((ROOT / "reports" / "baseline.json").read_text())
    return [c["id"] for c in sorted(doc["claims"], key=lambda c: c["time_s"])[:count]]


def timed(workers: int, ids: list[str], profile) -> tuple[float, dict]:
    from verify import claims
    from verify.parallel import LocalExecutor, Task

    t0 = time.perf_counter()
    with LocalExecutor(workers) as executor:
        results = {t.claim.id: r for t, r in executor.run([Task(claims.get(i), 0) for i in ids], profile)}
    return time.perf_counter() - t0, results


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> int:
    from verify._jax import settings
    from verify._model import PROFILES

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--claims", type=int, default=12, help="how many of the cheapest baseline claims")
    ap.add_argument("--profile", default="quick", choices=list(PROFILES))
    args = ap.parse_args()
    ids = cheap_claims(args.claims)
    print(f"{len(ids)} claims ({', '.join(ids)}), profile {args.profile}; {settings().devices} JAX devices per process")
    times: dict[int, list[float]] = {1: [], 2: []}
    seen: dict[int, dict] = {}
    for rep in range(args.repeat):
        for workers in ((1, 2) if rep % 2 == 0 else (2, 1)):  # interleaved: a change of load hits both sides
            before = load()
            t, results = timed(workers, ids, PROFILES[args.profile])
            times[workers].append(t)
            seen[workers] = results
            print(f"  repeat {rep + 1}: --workers {workers}: {t:.1f} s  ({before} before, {load()} after)")
    strip = lambda r: {k: v for k, v in r.items() if k not in ("time_s", "retried", "checks")} | {
        "checks": [{k: v for k, v in ch.items() if k != "time_s"} for ch in r["checks"]]}
    same = all(strip(seen[1][i]) == strip(seen[2][i]) for i in ids)
    m1, m2 = statistics.median(times[1]), statistics.median(times[2])
    print(f"median --workers 1: {m1:.1f} s, --workers 2: {m2:.1f} s; ratio 1/2 = {m1 / m2:.2f} "
          f"(2.0 would be perfect on 2 idle cores); verdicts and numbers equal: {same}; {load()}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
