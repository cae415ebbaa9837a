"""`ntkverify run`: run claims of the catalogue and write the report."""
from __future__ import annotations

import datetime as _dt
import shlex
import sys
import time
from pathlib import Path

from verify.cli._common import (Interrupted, UserError, add_executor_args, check_run_id, damage, executor_from,
                                load_results, profile_arg, seed_arg, writable_dir)


def add(sub) -> None:
    p = sub.add_parser("run", help="run claims and write reports/<run-id>/")
    # profile and seed default to None so that --resume can tell a value given from the default
    p.add_argument("--profile", type=profile_arg, help="quick | standard (default) | full")
    p.add_argument("--only", action="append", metavar="GLOB", help="claim ids or globs (repeatable), e.g. 'shallow.*'")
    p.add_argument("--seed", type=seed_arg, help="run seed; each claim's seed derives from it (default 0)")
    p.add_argument("--out", type=Path, default=Path("reports"), help="folder that holds run folders (default reports/)")
    p.add_argument("--run-id", help="name of the run folder, one folder name of letters, digits, '.', '_', '-' "
                                    "(default: UTC time, profile and seed; 'latest' is reserved)")
    p.add_argument("--resume", nargs="?", const="latest", metavar="RUN_ID",
                   help="continue an interrupted run (default: the newest) without recomputing finished claims; "
                        "it keeps the run's profile, seed and claim selection (--only adds claims)")
    p.add_argument("--no-html", action="store_true", help="skip index.html")
    add_executor_args(p)
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


def _resumable(run_dir: Path) -> dict:
    """The results document of a run to resume, refused in one line when it is damaged."""
    from verify._model import PROFILES

    doc = load_results(str(run_dir))
    run = doc.get("run")
    if not isinstance(run, dict):
        problem = "has no 'run' section"
    elif run.get("profile") not in PROFILES:
        problem = f"has run.profile {run.get('profile')!r}, not one of {', '.join(PROFILES)}"
    elif type(run.get("seed")) is not int:
        problem = f"has run.seed {run.get('seed')!r}, not an integer"
    elif run.get("only") is not None and not (isinstance(run["only"], list)
                                              and all(isinstance(g, str) for g in run["only"])):
        problem = f"has run.only {run['only']!r}, not a list of globs"
    else:
        problem = damage(doc)
    if problem:
        raise UserError(f"--resume {run_dir.name!r}: {str(run_dir / 'results.json')!r} {problem}, so the run cannot "
                        "be resumed; start a new run with another --run-id")
    return doc


def _recorded_only(run: dict) -> list[str] | None:
    """The claim selection a run was started with: run.only, or for a run written before that field
    existed, the --only values of its argv."""
    if "only" in run:
        return run["only"]
    argv = [str(a) for a in run.get("argv") or []]
    only = [b for a, b in zip(argv, argv[1:]) if a == "--only"] + [a[7:] for a in argv if a.startswith("--only=")]
    return only or None


def _select(patterns, recorded: bool = False):
    from verify import claims as catalogue

    try:
        return catalogue.select(patterns)
    except catalogue.UnknownClaim as exc:
        if recorded:
            raise UserError(f"the run to resume was started with {exc}; give the claims to finish with --only") from None
        raise UserError(str(exc)) from None


def _resume_command(run_dir: Path, args) -> str:
    command = ["ntkverify", "run", "--resume", run_dir.name]
    if args.out != Path("reports"):
        command += ["--out", str(args.out)]
    if args.no_html:
        command.append("--no-html")
    return shlex.join(command)


def main(args) -> int:
    from verify._eta import Estimate, priors
    from verify._model import PROFILES
    from verify.cli._progress import Progress
    from verify.report import BackgroundRenderer, summary_markdown
    from verify.report._atomic import write_text_atomic
    from verify.runner import execute, new_document, publish_latest, write_json_atomic

    if args.run_id is not None:  # every check of the arguments comes before anything is written
        check_run_id("--run-id", args.run_id)
        if args.resume is not None:
            raise UserError(f"--run-id {args.run_id!r} with --resume: a resumed run keeps its folder; drop --run-id "
                            "and give the run to resume as --resume RUN_ID")
    if args.resume not in (None, "latest"):
        check_run_id("--resume", args.resume)
    chosen = _select(args.only) if args.only else None
    out = writable_dir(args.out)
    executor = executor_from(args)
    if args.resume is not None:
        run_dir = _resume_target(out, args.resume)
        doc = _resumable(run_dir)
        run = doc["run"]
        profile, seed = PROFILES[run["profile"]], run["seed"]
        given = {"--profile": args.profile.name if args.profile else None, "--seed": args.seed}
        for option, kept in (("--profile", profile.name), ("--seed", seed)):
            if given[option] is not None and given[option] != kept:
                raise UserError(f"{option} {given[option]!r}: run {run_dir.name!r} was started with {option} {kept!r} "
                                f"and a resumed run keeps it; drop {option}, or start a new run with another --run-id")
        recorded = _recorded_only(run)
        if chosen is None:
            chosen = _select(recorded, recorded=True)
        if recorded is not None:  # --only on resume adds claims: a later resume finishes them too
            run["only"] = list(dict.fromkeys(recorded + (args.only or [])))
    else:
        profile = args.profile or PROFILES["standard"]
        seed = 0 if args.seed is None else args.seed
        chosen = chosen or _select(None)
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        run_dir = writable_dir(out / (args.run_id or f"{stamp}-{profile.name}-s{seed}"))
        if (run_dir / "results.json").exists():
            raise UserError(f"run folder {str(run_dir)!r} already holds results; use --resume {run_dir.name} "
                            "or another --run-id")
        doc = new_document(run_dir.name, profile, seed, sys.argv[1:], only=args.only)
        write_json_atomic(run_dir / "results.json", doc)

    todo = [c for c in chosen if c.id not in {r["id"] for r in doc["claims"]}]
    estimate = Estimate(priors(todo, profile))
    started = time.perf_counter()
    doc["run"]["executor"] = executor.describe()  # where the claims ran (of this invocation, on --resume)
    try:
        with executor, Progress(len(todo), estimate) as bar, BackgroundRenderer(run_dir / "figures") as figures:
            figures.redraw_missing(doc["claims"])  # a run killed (-9) before its drawings ended lost them
            doc = execute(chosen, doc, run_dir, profile, seed, on_claim=bar.on_claim, after_claim=figures,
                          executor=executor)
    except KeyboardInterrupt:
        raise Interrupted(_resume_command(run_dir, args)) from None
    # predicted vs actual seconds of this invocation (a resumed run: of the claims it finished)
    doc["run"]["estimate"] = estimate.as_dict(time.perf_counter() - started)
    write_json_atomic(run_dir / "results.json", doc)
    write_text_atomic(run_dir / "summary.md", summary_markdown(doc))
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
