"""`ntkverify diff BASE NEW`: what changed between two runs, and whether that is a regression.

Exit codes: 0 no verdict got worse; 1 a verdict got worse or a claim was removed (with
`--fail-on changed`: any verdict changed; `moved`: also evidence moved beyond its interval; `bits`: also
any number not bitwise the same, the check for a refactor); 2 bad input.
"""
from __future__ import annotations

import math
import sys

from verify.cli._common import UserError, emit_json, load_results
from verify.regression import FAIL_ON

SHOWN_DIFFERS = 40  # lines of differing comparisons printed; --json has them all


def add(sub) -> None:
    p = sub.add_parser("diff", help="compare two runs: verdicts changed, evidence moved, claims added/removed",
                       description="Compare two runs (results.json files or report folders). Exit 0 when no "
                                   "verdict got worse, 1 when one did or a claim was removed, 2 on bad input.")
    p.add_argument("base", metavar="BASE", help="the reference run: results.json or its report folder")
    p.add_argument("new", metavar="NEW", help="the run to judge: results.json or its report folder")
    p.add_argument("--json", action="store_true", help="print a machine-readable dict instead of the table")
    p.add_argument("--fail-on", choices=FAIL_ON, default="worse",
                   help="exit 1 when a verdict got worse (default), any verdict changed, also when evidence moved "
                        "beyond its interval (moved), or also when any number is not bitwise the same (bits)")
    p.set_defaults(func=main)


def _load(label: str, path_text: str) -> dict:
    from verify.regression import ResultsError, check_document

    doc = load_results(path_text)
    try:
        check_document(doc, f"{label} {path_text!r}")
    except ResultsError as exc:
        raise UserError(str(exc)) from None
    return doc


def _num(x) -> str:
    if isinstance(x, float):
        return f"{x:.6g}" if math.isfinite(x) else str(x)
    return str(x)


def _interval(iv) -> str:
    return f"[{_num(iv[0])}, {_num(iv[1])}]"


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def render(d, base_path: str, new_path: str, fail_on: str) -> str:
    """The human report: one block per kind of change, worse first, and a closing verdict line."""
    lines = [f"{label} {path}: run {run['id']}, profile {run['profile']}, seed {run['seed']}, {run['claims']} claims"
             for label, path, run in (("BASE", base_path, d.base_run), ("NEW ", new_path, d.new_run))]
    lines += [f"warning: {w}" for w in d.warnings]
    if d.changed:
        width = max(len(c.id) for c in d.changed)
        lines += ["", f"verdicts changed ({len(d.changed)}):"]
        for c in d.changed:
            lines.append(f"  {c.direction:<6} {c.id:<{width}}  {c.base:>12} -> {c.new:<12}  {_clip(c.summary)}")
    if d.moved:
        lines += ["", f"evidence moved beyond its interval ({len(d.moved)}):"]
        for m in d.moved:
            lines.append(f"  {m.id} / {m.check} / {_clip(m.comparison, 70)}")
            lines.append(f"      BASE {_num(m.base_measured)} {_interval(m.base_interval)}   "
                         f"NEW {_num(m.new_measured)} {_interval(m.new_interval)}")
    if fail_on == "bits" and d.differs:
        lines += ["", f"comparisons not bitwise the same ({len(d.differs)}):"]
        lines += [f"  {x.id} / {x.check} / {_clip(x.comparison, 60)}: {', '.join(x.fields)}"
                  for x in d.differs[:SHOWN_DIFFERS]]
        if len(d.differs) > SHOWN_DIFFERS:
            lines.append(f"  … and {len(d.differs) - SHOWN_DIFFERS} more (all of them with --json)")
    if d.removed:
        lines += ["", f"claims removed ({len(d.removed)}; counted as worse: they can no longer be checked):"]
        lines += [f"  {p.id}  (was {p.verdict})" for p in d.removed]
    if d.added:
        lines += ["", f"claims added ({len(d.added)}):"]
        lines += [f"  {p.id}  ({p.verdict})" for p in d.added]
    if not (d.changed or d.moved or d.removed or d.added):
        same = "every number bitwise the same" if not d.differs else "no evidence moved beyond its interval"
        lines += ["", f"no change: {d.unchanged} claims, same verdicts, {same}"]
    counts = (f"{len(d.worse)} worse, {len(d.better)} better, {len(d.removed)} removed, {len(d.added)} added, "
              f"{len(d.moved)} moved, {len(d.differs)} differing in bits, {d.unchanged} unchanged")
    outcome = "REGRESSION" if d.regressed(fail_on) else "ok"
    lines += ["", f"{outcome}: {counts} (fail on {fail_on})"]
    return "\n".join(lines)


def main(args) -> int:
    from verify.regression import diff

    base = _load("BASE", args.base)
    new = _load("NEW", args.new)
    d = diff(base, new)
    if args.json:  # warnings go to stderr so stdout stays one JSON document
        for w in d.warnings:
            print(f"ntkverify: warning: {w}", file=sys.stderr)
        emit_json({**d.as_dict(args.fail_on), "base_path": args.base, "new_path": args.new})
    else:
        print(render(d, args.base, args.new, args.fail_on))
    return 1 if d.regressed(args.fail_on) else 0
