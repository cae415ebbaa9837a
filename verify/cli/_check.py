"""`ntkverify check FILE…`: check the claims of users' claim files (TOML or Python).

Exit codes: 0 when every claim PASSes; 1 when any claim does not PASS (FAIL, or INCONCLUSIVE or
ERROR: a claim that is not established must not turn a CI gate green); 2 on bad input — a claim
file error of any kind — even when the file's other claims ran (their results are printed first).
"""
from __future__ import annotations

import sys
from pathlib import Path

from verify.cli._common import add_executor_args, emit_json, executor_from, profile_arg, seed_arg, writable_dir

_STYLE = {"PASS": "green", "FAIL": "red", "INCONCLUSIVE": "yellow", "ERROR": "magenta"}


def add(sub) -> None:
    p = sub.add_parser("check", help="check the claims of claim files (.toml or .py); exit 0 all PASS, 1 not, 2 bad input",
                       description="Load claim files, run each claim and print id, verdict and one line of evidence. "
                                   "Exit 0 when every claim PASSes, 1 when any FAILs (or is INCONCLUSIVE or ERROR), "
                                   "2 on bad input in a claim file (the other claims still run).")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="claim files: .toml ([[claim]] tables) or .py")
    p.add_argument("--profile", type=profile_arg, default="quick", help="quick (default) | standard | full")
    p.add_argument("--seed", type=seed_arg, default=0, help="run seed (default 0); each claim's seed derives from it")
    p.add_argument("--json", action="store_true", help="print results and errors as JSON")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="also write DIR/results.json (and summary.md, figures, index.html) for `ntkverify diff`")
    add_executor_args(p)
    p.set_defaults(func=main)


def main(args) -> int:
    from verify.claimfile import load_all, run_loaded
    from verify.cli._progress import Progress

    out = writable_dir(args.out) if args.out else None
    executor = executor_from(args)
    loaded = load_all(args.files)
    with executor, Progress(len(loaded.claims)) as bar:
        outcome = run_loaded(loaded, args.profile, args.seed, on_claim=bar.on_claim, executor=executor)
    if out is not None:
        _write(out, outcome, args)
    if args.json:
        emit_json({"results": outcome.results, "errors": [e.as_dict() for e in outcome.errors],
                   "exit_code": outcome.exit_code})
    else:
        _table(outcome.results)
        counts = {v: sum(r["verdict"] == v for r in outcome.results) for v in _STYLE}
        line = f"{len(outcome.results)} claims: " + (", ".join(f"{n} {v}" for v, n in counts.items() if n) or "none run")
        if outcome.errors:
            line += f"; {len(outcome.errors)} bad-input error{'s' * (len(outcome.errors) > 1)} (below)"
        print(line)
        if out is not None:
            print(f"results: {out / 'results.json'}")
    for err in outcome.errors:
        print(f"ntkverify: bad input: {err}", file=sys.stderr)
    return outcome.exit_code


def _table(results: list[dict]) -> None:
    if not results:
        return
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table("id", "verdict", "evidence", show_lines=False)
        for r in results:
            table.add_row(r["id"], f"[{_STYLE[r['verdict']]}]{r['verdict']}[/]", r["summary"])
        Console().print(table)
        return
    width = max(len(r["id"]) for r in results)
    print(f"{'id':<{width}}  {'verdict':<12}  evidence")
    for r in results:
        print(f"{r['id']:<{width}}  {r['verdict']:<12}  {r['summary']}")


def _write(out: Path, outcome, args) -> None:
    import datetime as _dt

    from verify.report import render_figures, summary_markdown
    from verify.runner import new_document, write_json_atomic

    argv = ["check", *map(str, args.files), "--profile", args.profile.name, "--seed", str(args.seed), "--out", str(out)]
    doc = new_document(out.name, args.profile, args.seed, argv)
    for r in outcome.results:
        render_figures(r, out / "figures")
    doc["claims"] = outcome.results
    doc["claim_file_errors"] = [e.as_dict() for e in outcome.errors]  # an added field: schema version unchanged
    doc["run"]["finished"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    write_json_atomic(out / "results.json", doc)
    (out / "summary.md").write_text(summary_markdown(doc), encoding="utf-8")
    try:
        from verify.report import write_html
    except ImportError:
        return
    write_html(doc, out)
