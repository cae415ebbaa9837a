"""index.html of a stability run (`ntkverify stability`), rendered from stability.json.

The run report's look (verify/report/_html.py: its styles, badges, number format and Content-Security-Policy,
so the page loads nothing from a network): a summary table of the claims with their verdict counts and
flags, then per claim its verdict at every seed and, per comparison, the spread of the measured value
across seeds beside the typical half-width of its own interval.
"""
from __future__ import annotations

import os
from pathlib import Path

from verify.report._html import _CSP, _CSS, _badge, _e, _num

_EXTRA_CSS = """
.flag{color:var(--fail);font-weight:600}.stable{color:var(--pass)}
ul.flags{margin:.3rem 0 .6rem;padding-left:1.2rem}ul.flags li{color:var(--fail)}
.seeds{display:flex;flex-wrap:wrap;gap:.2rem .35rem;margin:.3rem 0 .6rem;font-size:.8rem}
.seeds span.badge{font-weight:600}
td.low{color:var(--fail);font-weight:600}
"""

_HOW_TO_READ = """<section class="howto" aria-labelledby="howto-h"><h2 id="howto-h">How to read this</h2>
<p>Every claim ran at each seed exactly as <code>ntkverify run --only ID --seed S</code> runs it (each seed's
results are in <code>runs/s&lt;S&gt;/results.json</code>). A claim is <span class="flag">flagged</span> when its
verdict changes across seeds, when a seed gives ERROR, or when its evidence holds a NaN: a verdict that depends on
the seed is not a verdict. A FAIL at every seed is a finding, not a flag.</p>
<p>Per comparison: the <em>median</em> and <em>SD</em> of the measured value across seeds; the <em>typical
half-width</em> (median over seeds) of its interval at confidence 1 − α; <em>SD/hw</em>, small for an honest
interval (about 0.2–0.3 at this suite’s α ≈ 1e-5: the half-width is ~4 standard errors); and the
<em>coverage</em>, the fraction of seeds whose interval contains the across-seed median, which should be 1.
Deterministic comparisons have point intervals: coverage and SD/hw do not apply.</p></section>"""


def _counts(counts: dict) -> str:
    return " ".join(f"{_badge(v)}&nbsp;×{n}" for v, n in counts.items())


def _anchor(cid: str) -> str:
    return f"claim-{cid}"


def _cov(value) -> str:
    if value is None:
        return f"<td>{_num(None)}</td>"
    return f'<td class="{"low" if value < 1 else ""}">{value:.0%}</td>'


def _comparisons(claim: dict) -> str:
    rows = []
    for c in claim.get("comparisons") or []:
        decisions = " ".join(f"{_badge(d)}&nbsp;×{n}" for d, n in (c.get("decisions") or {}).items())
        band = c.get("band")
        rows.append(
            f"<tr><td>{_e(c.get('name'))}<div class='muted ref'>{_e(c.get('check'))}</div></td><td>{decisions}</td>"
            f"<td>{_e(_num(c.get('expected')))}</td>"
            f"<td>{_e('[' + ', '.join(map(_num, band)) + ']') if isinstance(band, list) else _num(None)}</td>"
            f"<td>{_e(_num(c.get('median')))}</td><td>{_e(_num(c.get('sd')))}</td>"
            f"<td>{_e(_num(c.get('typical_half_width')))}</td><td>{_e(_num(c.get('sd_over_half_width')))}</td>"
            f"{_cov(c.get('coverage_of_median'))}</tr>")
    if not rows:
        return '<p class="muted">No comparison at any seed.</p>'
    head = "".join(f"<th>{h}</th>" for h in ("comparison", "decisions", "expected", "band", "median", "SD",
                                               "typical half-width", "SD/hw", "coverage"))
    return (f'<div class="scroll"><table class="evidence"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _claim(claim: dict) -> str:
    cid = str(claim.get("id", "?"))
    flags = "".join(f"<li>{_e(f)}</li>" for f in claim.get("flags") or [])
    seeds = "".join(f'<span title="{_e(r.get("summary"))}">{_e(r.get("seed"))}:&nbsp;{_badge(r.get("verdict"))}</span>'
                    for r in claim.get("per_seed") or [])
    return (f'<section class="claim" id="{_e(_anchor(cid))}"><h3><code>{_e(cid)}</code> '
            f'<span class="group muted">{_e(claim.get("group", ""))}</span></h3>'
            f'<p class="statement"><span class="plain">{_e(claim.get("statement", ""))}</span></p>'
            + (f'<ul class="flags">{flags}</ul>' if flags else '<p class="stable">stable: the same verdict at every '
               'seed, no ERROR, no NaN</p>')
            + f'<div class="seeds" aria-label="verdict per seed">{seeds}</div>{_comparisons(claim)}</section>')


def render_stability_html(doc: dict) -> str:
    claims = [c for c in doc.get("claims") or [] if isinstance(c, dict)]
    seeds = doc.get("seeds") or []
    flagged = [c for c in claims if c.get("flagged")]
    span = f"{seeds[0]}…{seeds[-1]}" if seeds else _num(None)
    rows = "".join(
        f'<tr><td><a href="#{_e(_anchor(str(c.get("id"))))}"><code>{_e(c.get("id"))}</code></a></td>'
        f"<td>{_counts(c.get('counts') or {})}</td>"
        f"<td>{'<span class=flag>FLAGGED</span> ' + _e('; '.join(c.get('flags') or [])) if c.get('flagged') else '<span class=stable>stable</span>'}</td></tr>"
        for c in claims)
    status = (f"{len(flagged)} of {len(claims)} claims flagged" if flagged else
              f"no claim flagged: every verdict holds at all {len(seeds)} seeds")
    running = "" if doc.get("finished") else ' <strong class="interrupted">(not finished: claims so far)</strong>'
    facts = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in (
        ("Profile", _e(doc.get("profile"))), ("Seeds", f"{len(seeds)}: {_e(span)}"),
        ("Started", _e(doc.get("started"))), ("Finished", _e(doc.get("finished") or "—")),
        ("Command", f"<code>{_e(' '.join(['ntkverify', *map(str, doc.get('argv') or [])]))}</code>"),
        ("Tools", _e(", ".join(f"{k} {v}" for k, v in (doc.get("tool") or {}).items())))))
    body = (f"<header><h1>ntkverify stability: {len(claims)} claims × {len(seeds)} seeds</h1>"
            f'<p class="counts">{_e(status)}{running}</p><dl class="run">{facts}</dl></header>{_HOW_TO_READ}'
            '<section id="summary"><h2>Claims</h2><div class="scroll"><table><thead><tr><th>claim</th>'
            f"<th>verdicts over the seeds</th><th>flags</th></tr></thead><tbody>{rows}</tbody></table></div></section>"
            + "".join(_claim(c) for c in claims)
            + "<footer>Written by ntkverify from <code>stability.json</code> in this folder; self-contained.</footer>")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
            f"<title>ntkverify stability</title><style>{_CSS}{_EXTRA_CSS}</style></head>\n<body>{body}</body></html>\n")


def write_stability_html(doc: dict, out_dir) -> Path:
    """Write out_dir/index.html for a stability.json document (a temporary file, then a rename)."""
    path = Path(out_dir) / "index.html"
    tmp = path.with_name(f".index-{os.getpid()}.html.tmp")
    tmp.write_text(render_stability_html(doc), encoding="utf-8")
    os.replace(tmp, path)
    return path
