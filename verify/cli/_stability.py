"""`ntkverify stability`: run claims over N independent seeds and flag every verdict that depends on the seed.

Exit codes: 0 when no claim is flagged; 1 when a claim's verdict changes across seeds, a seed gives ERROR, or
the evidence holds a NaN; 2 on bad input (nothing runs then: a multi-seed run is too long to start on a typo).
"""
from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

from verify.cli._common import (UserError, add_executor_args, executor_from, int_arg, profile_arg, seed_arg,
                               writable_dir)

MAX_SEEDS = 10000


_seeds_arg = int_arg("--seeds", 2, MAX_SEEDS, "give the number of seeds, e.g. --seeds 20",
                     f"a spread across seeds needs 2 to {MAX_SEEDS} seeds, e.g. --seeds 20")


def add(sub) -> None:
    p = sub.add_parser(
        "stability", help="run claims over N seeds; flag verdicts that change, ERRORs and NaNs (exit 1)",
        description="Run the selected catalogue claims and/or the claims of claim files at N consecutive run "
                    "seeds (seed S is exactly `ntkverify run --only ID --seed S`) and report per claim the verdict "
                    "counts and, per comparison, the spread of the measured value across seeds against its own "
                    "interval. A claim is flagged when its verdict changes across seeds, when a seed gives ERROR, "
                    "or when its evidence holds a NaN. Writes DIR/stability.json, DIR/index.html and each seed's "
                    "DIR/runs/s<S>/results.json. Exit 0 nothing flagged, 1 something flagged, 2 bad input.")
    p.add_argument("--seeds", type=_seeds_arg, default=20, metavar="N", help="number of seeds (default 20)")
    p.add_argument("--first-seed", type=seed_arg, default=0, metavar="S",
                   help="the seeds are S, S+1, …, S+N−1 (default 0)")
    p.add_argument("--only", action="append", metavar="GLOB",
                   help="catalogue claim ids or globs (repeatable), e.g. 'randnet.*'")
    p.add_argument("--claims", action="append", type=Path, metavar="FILE",
                   help="a claim file (.toml or .py; repeatable): is your own verdict robust? Without --only and "
                        "--claims: the whole catalogue")
    p.add_argument("--profile", type=profile_arg, default="quick", help="quick (default) | standard | full")
    p.add_argument("--out", type=Path, default=Path("reports/stability"), metavar="DIR",
                   help="folder for stability.json, index.html and runs/ (default reports/stability)")
    add_executor_args(p)
    p.set_defaults(func=main)


def _claims(args) -> list:
    from verify import claims as catalogue
    from verify.claimfile import load_all

    chosen = []
    if args.only or not args.claims:
        try:
            chosen = catalogue.select(args.only)
        except catalogue.UnknownClaim as exc:
            raise UserError(str(exc)) from None
    if args.claims:
        loaded = load_all(args.claims)
        if loaded.errors:
            for err in loaded.errors[1:]:
                print(f"ntkverify: bad input: {err}", file=sys.stderr)
            raise UserError(f"{loaded.errors[0]} (nothing was run: fix the claim file"
                            f"{'s' * (len(args.claims) > 1)} first)")
        chosen += loaded.claims
    return chosen


class _Runs:
    """Each seed's results as an ordinary results.json (DIR/runs/s<S>/), saved after every claim: `ntkverify
    diff` and `show --report` read them, and an interrupted run keeps what it finished."""

    def __init__(self, out: Path, profile, seeds: list[int], argv: list[str], claims: list):
        from verify.runner import new_document

        self.out = out
        self.order = {c.id: i for i, c in enumerate(claims)}  # with --workers results end in any order
        self.docs = {s: new_document(f"s{s}", profile, s, [*argv, "(stability: this seed)"]) for s in seeds}

    def __call__(self, claim, seed: int, result: dict) -> None:
        from verify.runner import write_json_atomic

        doc = self.docs[seed]
        doc["claims"] = sorted([*doc["claims"], result], key=lambda r: self.order[r["id"]])
        doc["run"]["finished"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        write_json_atomic(self.out / "runs" / f"s{seed}" / "results.json", doc)


def main(args) -> int:
    from verify._versions import versions
    from verify.cli._progress import Progress
    from verify.report._stability import write_stability_html
    from verify.runner import write_json_atomic
    from verify.stability import stability

    if args.first_seed + args.seeds > 2**31:
        raise UserError(f"--first-seed {args.first_seed} with --seeds {args.seeds} goes past the largest seed "
                        f"2**31 − 1; give a smaller --first-seed")
    executor = executor_from(args)
    chosen = _claims(args)
    out = writable_dir(args.out)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    argv = ["stability", "--seeds", str(args.seeds), "--first-seed", str(args.first_seed), "--profile",
            args.profile.name, *(a for g in args.only or () for a in ("--only", g)),
            *(a for f in args.claims or () for a in ("--claims", str(f))), "--out", str(out)]
    runs = _Runs(out, args.profile, seeds, argv, chosen)
    meta = {"tool": versions(), "argv": argv,
            "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), "finished": None,
            "runs": {str(s): str(Path("runs") / f"s{s}" / "results.json") for s in seeds}}

    def save(report) -> None:
        doc = {**report.as_dict(), **meta}
        write_json_atomic(out / "stability.json", doc)
        write_stability_html(doc, out)

    with executor, Progress(len(chosen) * len(seeds)) as bar:
        def on_run(claim, seed, state):
            return bar.on_claim(_SeededClaim(f"{claim.id} @ seed {seed}"), state)

        report = stability(chosen, args.seeds, args.profile, args.first_seed, on_run=on_run, on_result=runs,
                           on_claim=save, executor=executor)
    meta["finished"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    save(report)
    print_table(report)
    print(f"stability: {out / 'stability.json'}  (page: {out / 'index.html'}; each seed's results in {out / 'runs'})")
    return report.exit_code


class _SeededClaim:  # what Progress reads of a claim: its id
    def __init__(self, id: str):
        self.id = id


def _num(x) -> str:
    return "—" if x is None else f"{x:.3g}"


def rows(report) -> list[tuple[str, str, str, str, str, str]]:
    """(claim, verdicts, comparisons, worst coverage, largest SD/half-width, flag) per claim."""
    out = []
    for c in report.claims:
        covs = [s.coverage for s in c.comparisons if s.coverage is not None]
        ratios = [s.sd_over_half_width for s in c.comparisons if s.sd_over_half_width is not None]
        verdicts = ", ".join(f"{n} {v}" for v, n in c.counts.items())
        out.append((c.id, verdicts, str(len(c.comparisons)), _num(min(covs)) if covs else "—",
                    _num(max(ratios)) if ratios else "—", "FLAGGED" if c.flagged else "stable"))
    return out


def print_table(report) -> None:
    head = ("claim", "verdicts", "comparisons", "min coverage", "max SD/hw", "")
    body = rows(report)
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*head, title=f"{len(report.claims)} claims × {len(report.seeds)} seeds "
                                   f"({report.seeds[0]}…{report.seeds[-1]}), profile {report.profile}")
        for r in body:
            table.add_row(*r[:-1], "[red]FLAGGED[/]" if r[-1] == "FLAGGED" else "[green]stable[/]")
        Console().print(table)
    else:
        widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(head)]
        print(f"{len(report.claims)} claims × {len(report.seeds)} seeds ({report.seeds[0]}…{report.seeds[-1]}), "
              f"profile {report.profile}")
        for r in (head, *body):
            print("  ".join(f"{v:<{w}}" for v, w in zip(r, widths)).rstrip())
    for c in report.flagged:
        for flag in c.flags:
            print(f"FLAGGED {c.id}: {flag}")
    n = len(report.flagged)
    print(f"{n} of {len(report.claims)} claims flagged" if n else
          f"no claim flagged: every verdict holds at all {len(report.seeds)} seeds, no ERROR, no NaN")
