"""`ntkverify list` and `ntkverify show ID`."""
from __future__ import annotations

from pathlib import Path

from verify.cli._common import UserError, damage, emit_json, load_results

DEFAULT_REPORT = Path("reports/latest")


def add(sub) -> None:
    p = sub.add_parser("list", help="list the claims: id, group, source, statement")
    p.add_argument("--only", action="append", metavar="GLOB")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=list_main)
    s = sub.add_parser("show", help="a claim, its reading, its last verdict and evidence")
    s.add_argument("id")
    s.add_argument("--report", type=Path,
                   help="report folder (or its results.json) to read the last verdict from (default reports/latest)")
    s.add_argument("--json", action="store_true")
    s.add_argument("--open", action="store_true", help="open the claim's section of the HTML report in a browser")
    s.set_defaults(func=show_main)


def _describe(claim) -> dict:
    from verify.claims import corrected_by

    return {"id": claim.id, "group": claim.group, "source": claim.source.as_dict(), "statement": claim.statement,
            "latex": claim.latex, "reading": claim.reading, "note": claim.note, "corrects": claim.corrects,
            "corrected_by": corrected_by(claim.id),
            "checks": [{"name": c.name, "view": c.view.value} for c in claim.checks]}


def list_main(args) -> int:
    from verify import claims

    try:
        chosen = claims.select(args.only)
    except claims.UnknownClaim as exc:
        raise UserError(str(exc)) from None
    if args.json:
        emit_json([_describe(c) for c in chosen])
        return 0
    for c in chosen:
        print(f"{c.id:<36} {c.group:<9} {Path(c.source.file).name[:3]} {c.source.section:<10} {c.summary}")
    return 0


def _last_result(report: Path | None, claim_id: str) -> tuple[dict | None, Path, Path]:
    """The claim's result in the report (None if it has none), the results file and the report folder.
    A report given with --report must exist; the default reports/latest may not (no run yet)."""
    given = report is not None
    report = report if given else DEFAULT_REPORT
    folder, results = (report.parent, report) if report.is_file() else (report, report / "results.json")
    if given and not results.exists():
        what = "does not exist" if not report.exists() else "holds no results.json"
        raise UserError(f"--report {str(report)!r} {what}; give a report folder such as reports/latest or its "
                        "results.json")
    if not results.exists():
        return None, results, folder
    doc = load_results(str(results))
    problem = damage(doc)
    if problem:
        raise UserError(f"results file {str(results)!r} is damaged ({problem}); rerun the claim with "
                        f"`ntkverify run --only {claim_id}` or give another --report")
    last = next((r for r in doc["claims"] if r["id"] == claim_id), None)
    return (None if last is None else {**last, "report": str(folder)}), results, folder


def _verdict_lines(last: dict) -> list[str]:
    lines = [f"last verdict: {last['verdict']} (seed {last['seed']['run']}, profile {last['profile']}, "
             f"{last['time_s']} s) — {last['summary']}"]
    for ch in last["checks"]:
        lines.append(f"  [{ch['verdict']}] {ch['check']} ({ch['view']})")
        for c in ch["comparisons"]:
            lo, hi = c["interval"]
            lines.append(f"      {c['decision']:<9} {c['name']}: measured {c['measured']} in [{lo}, {hi}], "
                         f"expected {c['expected']} (accept {c['band']}), α={c['false_fail_rate']:.2g}, "
                         f"resolution {c['resolution']}")
        if ch.get("error"):
            lines.append("      " + ch["error"].strip().splitlines()[-1])
    return lines


def show_main(args) -> int:
    from verify import claims

    try:
        claim = claims.get(args.id)
    except claims.UnknownClaim as exc:
        raise UserError(str(exc)) from None
    info = _describe(claim)
    last, results, folder = _last_result(args.report, claim.id)
    try:  # formatted before anything is printed: a damaged result is one error line, not half a page
        verdict = _verdict_lines(last) if last is not None else []
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise UserError(f"results file {str(results)!r} is damaged: claim {claim.id!r} lacks or mangles "
                        f"{exc.args[0] if isinstance(exc, KeyError) else type(exc).__name__}; rerun it with "
                        f"`ntkverify run --only {claim.id}` or give another --report") from None
    info["last_result"] = last
    html = folder / "index.html"
    anchor = f"{html.resolve()}#claim-{claim.id}" if html.exists() else None
    info["html"] = anchor
    if args.json:
        emit_json(info)
    else:
        print(f"{claim.id}  [{claim.group}]  {claim.source.file} {claim.source.section}")
        print(f"statement : {claim.statement}")
        print(f"latex     : {claim.latex}")
        print(f"reading   : {claim.reading}")
        if claim.note:
            print(f"note      : {claim.note}")
        if info["corrects"]:
            print(f"corrects  : {info['corrects']}")
        if info["corrected_by"]:
            print(f"corrected : {info['corrected_by']}")
        if last is None:
            print(f"last verdict: none in {results} (run `ntkverify run --only {claim.id}`)")
        for line in verdict:
            print(line)
        if anchor:
            print(f"html      : file://{anchor}")
    if args.open:
        if anchor is None:
            raise UserError(f"--open: no HTML report at {str(html)!r}; run `ntkverify run` first")
        import webbrowser

        webbrowser.open(f"file://{anchor}")
    return 0
