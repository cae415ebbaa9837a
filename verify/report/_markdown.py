"""summary.md: one table a person reads at a glance."""
from __future__ import annotations

from collections import Counter

from verify.report._companion import companion

ICON = {"PASS": "✅ PASS", "FAIL": "❌ FAIL", "INCONCLUSIVE": "❔ INCONCLUSIVE", "ERROR": "💥 ERROR"}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _cost_line(run: dict) -> list[str]:
    """Wall time against its prediction, and XLA compilations (absent from runs written before they were kept)."""
    parts = []
    if isinstance(run.get("estimate"), dict):
        e = run["estimate"]
        parts.append(f"Time {e['actual_s']:g} s (predicted {e['predicted_s']:g} s)")
    if "compilations" in run:
        parts.append(f"{run['compilations']} XLA compilations ({run['compile_s']:g} s compiling, "
                     f"{run.get('compile_cache_hits', 0)} loaded from the cache)")
    return ["; ".join(parts) + "."] if parts else []


def summary_markdown(doc: dict) -> str:
    run, tool = doc["run"], doc["tool"]
    counts = Counter(c["verdict"] for c in doc["claims"])
    lines = [
        f"# ntkverify report `{run['id']}`",
        "",
        f"Profile **{run['profile']}**, seed **{run['seed']}**, {len(doc['claims'])} claims: "
        + ", ".join(f"{counts[v]} {v}" for v in ("PASS", "FAIL", "INCONCLUSIVE", "ERROR") if counts[v]) + ".",
        f"False-fail rate: {run['claim_false_fail_rate']:g} per claim, {run['run_false_fail_rate']:g} for a "
        "whole-catalogue run of true claims (Bonferroni).",
        f"ntkverify {tool['ntkverify']}, JAX {tool['jax']}, SymPy {tool['sympy']}, mpmath {tool['mpmath']}; "
        f"devices {', '.join(run['devices'])}.",
        *_cost_line(run),
        "",
        "A claim is registered as its source states it. `X.corrected` is the statement the suite "
        "believes is right, checked the same way; a FAIL above its companion's PASS shows the source is wrong.",
        "",
        "| claim | verdict | views agreeing | evidence |",
        "|---|---|---|---|",
    ]
    for c in doc["claims"]:
        pair = companion(c)
        link = f" ({pair[0]} `{pair[1]}`)" if pair else ""
        lines.append(f"| `{c['id']}`{link} | {ICON[c['verdict']]} | {', '.join(c['views_agreed']) or '—'} "
                     f"| {_cell(c['summary'])} |")
    lines += ["", "Per-claim evidence, intervals, resolutions and figures: `results.json`, `figures/`, `index.html`."]
    return "\n".join(lines) + "\n"
