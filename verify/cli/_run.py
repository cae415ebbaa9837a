"""`ntkverify run`: run claims of the catalogue and write the report."""
from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

from verify.cli._common import UserError, profile_arg, seed_arg, writable_dir


def add(sub) -> None:
    p = sub.add_parser("run", help="run claims and write reports/<run-id>/")
    p.add_argument("--profile", type=profile_arg, default="standard", help="quick | standard (default) | full")
    p.add_argument("--only", action="append", metavar="GLOB", help="claim ids or globs (repeatable), e.g. 'shallow.*'")
    p.add_argument("--seed", type=seed_arg, default=0, help="run seed; each claim's seed derives from it (default 0)")
    p.add_argument("--out", type=Path, default=Path("reports"), help="folder that holds run folders (default reports/)")
    p.add_argument("--run-id", help="name of the run folder (default: UTC time, profile and seed)")
    p.add_argument("--resume", nargs="?", const="latest", metavar="RUN_ID",
                   help="continue an interrupted run (default: the newest) without recomputing finished claims")
    p.add_argument("--no-html", action="store_true", help="skip index.html")
    p.set_defaults(func=main)


def _resume_target(out: Path, run_id: str) -> Path:
    if run_id == "latest":
        runs = sorted((d for d in out.glob("*/results.json") if d.parent.name != "latest"),
                      key=lambda f: f.stat().st_mtime)
        if not runs:
            raise UserError(f"--resume: no run to resume in {str(out)!r}; start one with `ntkverify run`")
        return runs[-1].parent
    target = out / run_id
    if not (target / "results.json").exists():
        raise UserError(f"--resume {run_id!r}: {str(target / 'results.json')!r} does not exist; "
                        f"runs here: {', '.join(sorted(d.parent.name for d in out.glob('*/results.json'))) or 'none'}")
    return target


def main(args) -> int:
    from verify import claims as catalogue
    from verify.cli._progress import Progress
    from verify.cli._common import load_results
    from verify.report import BackgroundRenderer, summary_markdown
    from verify.runner import execute, new_document, publish_latest, write_json_atomic

    try:
        chosen = catalogue.select(args.only)
    except catalogue.UnknownClaim as exc:
        raise UserError(str(exc)) from None
    out = writable_dir(args.out)
    if args.resume:
        run_dir = _resume_target(out, args.resume)
        doc = load_results(str(run_dir))
        if doc["run"]["profile"] != args.profile.name and "--profile" in sys.argv:
            raise UserError(f"--resume: run {run_dir.name!r} used profile {doc['run']['profile']!r}, not "
                            f"{args.profile.name!r}; drop --profile or start a new run")
        from verify._model import PROFILES

        profile, seed = PROFILES[doc["run"]["profile"]], int(doc["run"]["seed"])
    else:
        profile, seed = args.profile, args.seed
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        run_dir = writable_dir(out / (args.run_id or f"{stamp}-{profile.name}-s{seed}"))
        if (run_dir / "results.json").exists():
            raise UserError(f"run folder {str(run_dir)!r} already holds results; use --resume {run_dir.name} "
                            "or another --run-id")
        doc = new_document(run_dir.name, profile, seed, sys.argv[1:])
        write_json_atomic(run_dir / "results.json", doc)

    todo = [c for c in chosen if c.id not in {r["id"] for r in doc["claims"]}]
    with Progress(len(todo)) as bar, BackgroundRenderer(run_dir / "figures") as figures:
        doc = execute(chosen, doc, run_dir, profile, seed, on_claim=bar.on_claim, after_claim=figures)
    (run_dir / "summary.md").write_text(summary_markdown(doc), encoding="utf-8")
    from verify.report._junit import write_junit

    write_junit(doc, run_dir / "junit.xml")
    if not args.no_html:
        try:
            from verify.report import write_html
        except ImportError:
            pass
        else:
            write_html(doc, run_dir)
    latest = publish_latest(run_dir)
    counts = {v: sum(c["verdict"] == v for c in doc["claims"]) for v in ("PASS", "FAIL", "INCONCLUSIVE", "ERROR")}
    print(f"{len(doc['claims'])} claims: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n))
    print(f"report: {run_dir / 'summary.md'}  (also {latest})")
    return 1 if counts["ERROR"] else 0
