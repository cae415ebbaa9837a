"""Run claims: each isolated, each seeded from the run seed, results written as each one ends."""
from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import time
import traceback
import zlib
from pathlib import Path
from typing import Callable

from verify._model import Check, Claim, Context, Profile, Verdict, verdict_of
from verify._versions import versions
from verify.claims import corrected_by
from verify.report._atomic import write_atomic
from verify.stats import CLAIM_FALSE_FAIL_RATE, RUN_FALSE_FAIL_RATE, Share

SCHEMA_VERSION = 1


def claim_seed(run_seed: int, claim_id: str) -> int:
    """The seed a claim's keys derive from: a function of (run seed, id) only, so a claim run
    alone with `--only ID --seed S` draws exactly the numbers it drew inside the full run."""
    return zlib.crc32(f"{run_seed}:{claim_id}".encode()) & 0x7FFFFFFF


def run_claim(claim: Claim, profile: Profile, run_seed: int,
              progress: Callable[[str], None] = lambda phase: None) -> dict:
    from verify._compilations import counting

    with counting() as compiled:
        result = _run_claim(claim, profile, run_seed, progress)
    result.update(compiled.as_dict())
    return result


def _run_claim(claim: Claim, profile: Profile, run_seed: int, progress: Callable[[str], None]) -> dict:
    seed = claim_seed(run_seed, claim.id)
    started = time.perf_counter()
    # Build every check's design first: the false-fail budget is split by the comparisons the
    # built checks make, so no count is ever declared by hand (and none can be wrong).
    prepared: list[tuple[Check, dict | None]] = []
    for check in claim.checks:
        try:
            prepared.append((check.prepare(profile), None))
        except Exception:  # a design that cannot be built is that check's ERROR, not the run's
            prepared.append((check, error_check_result(check, traceback.format_exc())))
    total = sum(c.comparisons for c, failed in prepared if failed is None) or 1
    checks = []
    for check, failed in prepared:
        share = Share(CLAIM_FALSE_FAIL_RATE * max(check.comparisons, 1) / total, max(check.comparisons, 1),
                      profile.looks)
        ctx = Context(claim.id, seed, profile, share, progress, run_seed)
        t0 = time.perf_counter()
        if failed is not None:
            res = failed
        else:
            try:
                res = check.run(ctx).as_dict()
            except Exception:  # isolate: a broken check is an ERROR verdict, the run goes on
                res = error_check_result(check, traceback.format_exc())
        res["time_s"] = round(time.perf_counter() - t0, 3)
        checks.append(res)
    return claim_result(claim, profile, run_seed, checks, time_s=round(time.perf_counter() - started, 3),
                        stochastic=any(c.comparisons for c, _ in prepared))


def claim_result(claim: Claim, profile: Profile, run_seed: int, checks: list[dict], *, time_s: float,
                 stochastic: bool) -> dict:
    """A claim's results.json entry from its checks' results (run_claim's, or the ERRORs of a claim whose
    worker died: verify.parallel)."""
    error = None
    for res in checks:
        error = res.get("error") or error  # NaN/inf evidence is an ERROR naming where (CheckResult.error)
    if error is not None:
        verdict = Verdict.ERROR
    else:
        from verify.stats import Decision

        verdict = verdict_of(Decision(c["decision"]) for ch in checks for c in ch["comparisons"])
    views: dict[str, str] = {}
    for ch in checks:  # a view's verdict is the worst of its checks
        v = Verdict(ch["verdict"])
        if ch["view"] not in views or v.rank > Verdict(views[ch["view"]]).rank:
            views[ch["view"]] = v.value
    return {
        "id": claim.id,
        "group": claim.group,
        "source": claim.source.as_dict(),
        "statement": claim.statement,
        "latex": claim.latex,
        "reading": claim.reading,
        "note": claim.note,
        "corrects": claim.corrects,
        "corrected_by": corrected_by(claim.id),
        "verdict": verdict.value,
        "summary": one_line(verdict, checks),
        "views": views,
        "views_agreed": sorted(v for v, r in views.items() if r == verdict.value),
        "seed": {"run": run_seed, "claim": claim_seed(run_seed, claim.id)},
        "profile": profile.name,
        "false_fail_rate": CLAIM_FALSE_FAIL_RATE if stochastic else 0.0,
        "time_s": time_s,
        "checks": checks,
        "error": error,
    }


def error_check_result(check: Check, error: str) -> dict:
    return {"check": check.name, "view": check.view.value, "verdict": Verdict.ERROR.value,
            "looks": 0, "note": "", "comparisons": [], "figures": [], "error": error}


def _fmt(x) -> str:
    return f"{x:.6g}" if isinstance(x, (int, float)) else str(x)


def one_line(verdict: Verdict, checks: list[dict]) -> str:
    """The evidence a person reads first: why the verdict is what it is, in one line."""
    comps = [c for ch in checks for c in ch["comparisons"]]
    if verdict == Verdict.ERROR:
        err = next(ch["error"] for ch in checks if ch.get("error"))
        return "check crashed: " + err.strip().splitlines()[-1][:160]
    want = {"FAIL": "FAIL", "INCONCLUSIVE": "UNDECIDED", "PASS": "PASS"}[verdict.value]
    c = next(c for c in comps if c["decision"] == want)
    lo, hi = c["interval"]
    text = f"{c['name']}: measured {_fmt(c['measured'])}"
    if lo != hi:
        text += f" [{_fmt(lo)}, {_fmt(hi)}]"
    text += f" vs {_fmt(c['expected'])}"
    if verdict == Verdict.INCONCLUSIVE and c.get("needs_samples"):
        text += f"; ~{c['needs_samples']} samples would decide"
    if verdict == Verdict.PASS and len(comps) > 1:
        text = f"{len(comps)} comparisons hold; e.g. " + text
    return text


def write_json_atomic(path: Path, doc: dict, *, compact: bool = False) -> None:
    """Write to a temporary file in the same folder and rename: a reader or a crash never sees
    half a file, and the previous results survive an interrupted write.

    compact: no indentation, for the rewrites after each claim (json's C encoder: a third of the
    indented dump's time, which on a 1.4 MB document is ~0.1 s a claim); the final write indents."""

    def dump(fh):
        fh.write(json.dumps(doc, ensure_ascii=False, **({"separators": (",", ":")} if compact else {"indent": 1})))
        fh.write("\n")

    write_atomic(path, dump)


def new_document(run_id: str, profile: Profile, seed: int, argv: list[str], only: list[str] | None = None) -> dict:
    """A results document with no claims yet; `only` records the run's claim selection (None: the
    whole catalogue) so that `--resume` finishes the same claims."""
    from verify._jax import jax, settings

    return {
        "schema_version": SCHEMA_VERSION,
        "tool": versions(),
        "run": {
            "id": run_id,
            "profile": profile.name,
            "seed": seed,
            "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "finished": None,
            "devices": [str(d) for d in jax.devices()],
            "jax": settings().as_dict(),
            "run_false_fail_rate": RUN_FALSE_FAIL_RATE,
            "claim_false_fail_rate": CLAIM_FALSE_FAIL_RATE,
            "argv": argv,
            "only": list(only) if only else None,
        },
        "claims": [],
    }


def execute(claims: list[Claim], doc: dict, out_dir: Path, profile: Profile, seed: int,
            on_claim: Callable[[Claim, str], Callable[[str], None]] | None = None,
            after_claim: Callable[[dict], None] | None = None, executor=None) -> dict:
    """Run the claims not already in `doc` (that is --resume), saving after each one.

    `executor` (verify.parallel; default serial, in this process) decides where claims run; results are
    written as each one ends, whatever the order, and the document keeps the selection's order, so a
    parallel run's results.json equals the serial one's apart from times and `retried`."""
    from verify._eta import priors
    from verify.parallel import SerialExecutor, Task
    from verify.parallel._base import largest_groups_first

    done = {c["id"] for c in doc["claims"]}
    results_path = out_dir / "results.json"
    todo = [c for c in claims if c.id not in done]
    order = {c.id: i for i, c in enumerate(todo)}
    earlier, finished = list(doc["claims"]), {}
    on_start = (lambda task: on_claim(task.claim, "start")) if on_claim else None
    executor = executor or SerialExecutor()
    tasks = [Task(c, seed) for c in todo]
    if not isinstance(executor, SerialExecutor):  # one process runs them in the selection's order
        tasks = largest_groups_first(tasks, priors(todo, profile))
    for task, result in executor.run(tasks, profile, on_start):
        if after_claim:
            after_claim(result)
        finished[task.claim.id] = result
        doc["claims"] = earlier + sorted(finished.values(), key=lambda r: order[r["id"]])
        write_json_atomic(results_path, doc, compact=True)
        if on_claim:
            on_claim(task.claim, result["verdict"])
    doc["run"]["finished"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    doc["run"].update(compilation_totals(doc["claims"]))
    write_json_atomic(results_path, doc)
    return doc


def compilation_totals(results: list[dict]) -> dict:
    """The run's XLA compilations and their seconds, summed over its claims (a claim written before they
    were counted adds 0)."""
    return {"compilations": sum(int(r.get("compilations") or 0) for r in results),
            "compile_s": round(sum(float(r.get("compile_s") or 0.0) for r in results), 3),
            "compile_cache_hits": sum(int(r.get("compile_cache_hits") or 0) for r in results),
            "trace_lower_s": round(sum(float(r.get("trace_lower_s") or 0.0) for r in results), 3)}


def publish_latest(out_dir: Path) -> Path:
    """Mirror the run folder at reports/latest (a copy, not a link: portable and self-contained)."""
    latest = out_dir.parent / "latest"
    tmp = out_dir.parent / ".latest-tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(out_dir, tmp)
    if latest.exists():
        shutil.rmtree(latest)
    os.replace(tmp, latest)
    return latest
