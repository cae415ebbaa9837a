"""index.html: one self-contained page per run, rendered from results.json (schema in SCHEMA.md).

Self-contained means the page makes no network request at all: styles and the filter script are
inline, figures are base64 data URIs, math is MathML (drawn by the browser, see _mathml.py), and a
Content-Security-Policy forbids every other source, so a slip shows up as a blocked request in
the browser test instead of a silent fetch. Every text from the document is escaped.

The page reads top down: the run (what, when, with which tools), how to read a verdict, one table
of all claims (filterable by group and verdict), then one section per claim with anchor
`claim-<id>` (what `ntkverify show --open` links to) holding the statement, the reading checked,
the evidence table of every check, figures and, for an ERROR, the traceback.
"""
from __future__ import annotations

import base64
import datetime as _dt
import html
import math
import shlex
from collections import Counter
from pathlib import Path

from verify.report._atomic import write_text_atomic
from verify.report._companion import companion
from verify.report._mathml import latex_to_mathml

VERDICTS = ("PASS", "FAIL", "INCONCLUSIVE", "ERROR")
# A comparison's decision, coloured like the verdict it leads to.
_DECISION_TONE = {"PASS": "PASS", "FAIL": "FAIL", "UNDECIDED": "INCONCLUSIVE"}
_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                ".webp": "image/webp", ".svg": "image/svg+xml"}
# Everything the page may load: its own inline style and script, and data: images. Nothing else.
_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'")
_DASH = "—"


# ---------------------------------------------------------------------------------------------
# text and numbers


def _e(value) -> str:
    """Escaped text for element content and (quoted) attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value) -> str:
    """A number as a person reads it: 6 significant digits, ∞ for the "inf" strings JSON carries."""
    if value is None:
        return _DASH
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        return f"{value:.6g}"
    text = str(value)
    special = {"inf": "∞", "+inf": "∞", "infinity": "∞", "-inf": "−∞", "-infinity": "−∞", "nan": "NaN"}
    return special.get(text.strip().lower(), text)


def _pair(value) -> str:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"[{_num(value[0])}, {_num(value[1])}]"
    return _num(value)


def _interval(c: dict) -> str:
    """A deterministic comparison's interval is the measured point itself: say so, once."""
    interval = c.get("interval")
    if (c.get("false_fail_rate") == 0 and isinstance(interval, (list, tuple)) and len(interval) == 2
            and interval[0] == interval[1]):
        return "exact"
    return _pair(interval)


def _seconds(value) -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return _DASH
    if value < 60:
        return f"{value:.3g} s"
    minutes, seconds = divmod(round(value), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {seconds:02d} s"


def _rate(value) -> str:
    if value == 0:
        return "0 (deterministic)"
    return _num(value)


def _elapsed(started, finished) -> str:
    try:
        seconds = (_dt.datetime.fromisoformat(finished) - _dt.datetime.fromisoformat(started)).total_seconds()
    except (TypeError, ValueError):
        return ""
    return f' <span class="muted">(after {_e(_seconds(seconds))})</span>'


def _badge(verdict) -> str:
    """A verdict (or a comparison's decision) as a coloured label that also reads without colour."""
    tone = _DECISION_TONE.get(verdict, verdict if verdict in VERDICTS else "unknown")
    return f'<span class="badge v-{_e(tone)}">{_e(verdict or "?")}</span>'


def _anchor(claim_id: str) -> str:
    return f"claim-{claim_id}"


def _claim_link(claim_id: str, known: set[str]) -> str:
    code = f"<code>{_e(claim_id)}</code>"
    return f'<a href="#{_e(_anchor(claim_id))}">{code}</a>' if claim_id in known else code


def _math(latex: str | None) -> str:
    """The statement's formula as MathML; the LaTeX source in <code> when it cannot be converted."""
    if not latex:
        return ""
    mathml = latex_to_mathml(latex, display="block")
    source = f'<code class="tex">{_e(latex)}</code>'
    if mathml is None:
        return (f'<div class="math fallback"><span class="muted">LaTeX, as written (not rendered):</span> '
                f"{source}</div>")
    return (f'<div class="math">{mathml}</div>'
            f'<details class="tex-source"><summary>LaTeX source</summary>{source}</details>')


# ---------------------------------------------------------------------------------------------
# figures


def _figure(fig: dict, run_dir: Path) -> str:
    title = fig.get("title") or fig.get("kind") or "figure"
    rel = fig.get("file")
    if not rel:
        return f'<p class="muted">Figure “{_e(title)}” was not drawn (no file recorded).</p>'
    root = run_dir.resolve()
    path = (root / rel).resolve()
    mime = _IMAGE_TYPES.get(path.suffix.lower())
    if mime is None or not path.is_relative_to(root) or not path.is_file():
        return f'<p class="muted">Figure “{_e(title)}”: <code>{_e(rel)}</code> is missing from the run folder.</p>'
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<figure><img src="data:{mime};base64,{data}" alt="{_e(title)}">'
            f"<figcaption>{_e(title)} <span class=\"muted\">({_e(rel)})</span></figcaption></figure>")


# ---------------------------------------------------------------------------------------------
# evidence


def _detail(detail) -> str:
    if not detail:
        return ""
    if not isinstance(detail, dict):
        return f'<details class="detail"><summary>detail</summary><pre>{_e(detail)}</pre></details>'
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(_value_text(v))}</dd>" for k, v in detail.items())
    return f'<details class="detail"><summary>detail</summary><dl>{rows}</dl></details>'


def _value_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value_text(v)}" for k, v in value.items()) + "}"
    return _num(value)


def _sampling(c: dict) -> str:
    samples, widths = c.get("samples"), c.get("widths")
    if samples is None and not widths:
        return _DASH
    text = _e(_num(samples) if samples is not None else "?")
    if widths:
        text += " × widths " + ", ".join(_e(_num(w)) for w in widths)
    return text


def _decision_cell(c: dict) -> str:
    decision = c.get("decision", "?")
    cell = _badge(decision)
    if decision == "UNDECIDED":
        needs = c.get("needs_samples")
        cell += (f'<div class="needs">needs ≈ {_e(_num(needs))} samples per width to decide</div>' if needs
                 else '<div class="needs">no sample size would decide at this estimate</div>')
    return cell


# (heading, cell) per column; `compact` keeps expected to band (the side-by-side counter-evidence).
# Numbers stay on one line, except in the two columns that hold lists.
_WRAPPING = frozenset({"abs / rel error", "samples × widths"})
_EVIDENCE_COLUMNS = (
    ("decision", _decision_cell),
    ("expected", lambda c: _e(_num(c.get("expected")))),
    ("measured", lambda c: _e(_num(c.get("measured")))),
    ("interval", lambda c: _e(_interval(c))),
    ("band (accept)", lambda c: _e(_pair(c.get("band")))),
    ("abs / rel error", lambda c: f'{_e(_num(c.get("abs_error")))} / {_e(_num(c.get("rel_error")))}'),
    ("resolution", lambda c: _e(_num(c.get("resolution")))),
    ("false-fail rate", lambda c: _e(_num(c.get("false_fail_rate")))),
    ("samples × widths", _sampling),
)


def _evidence_name(c: dict, check_view: str | None) -> str:
    name = f'<span class="cmp-name">{_e(c.get("name", ""))}</span>'
    if c.get("view") and c.get("view") != check_view:
        name += f' <span class="muted">({_e(c["view"])})</span>'
    if c.get("reference"):
        name += f'<div class="muted ref">expected from: {_e(c["reference"])}</div>'
    return name + _detail(c.get("detail"))


def _evidence_table(comparisons: list[dict], check_view: str | None = None, compact: bool = False) -> str:
    columns = _EVIDENCE_COLUMNS[1:5] if compact else _EVIDENCE_COLUMNS
    head = "<th>comparison</th>" + "".join(f"<th>{title}</th>" for title, _ in columns)
    rows = "".join(
        f'<tr class="d-{_e(c.get("decision", ""))}"><td>{_evidence_name(c, check_view)}</td>'
        + "".join(f'<td class="wrap">{cell(c)}</td>' if title in _WRAPPING else f"<td>{cell(c)}</td>"
                  for title, cell in columns) + "</tr>"
        for c in comparisons)
    return (f'<div class="scroll"><table class="evidence"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def _traceback(text) -> str:
    """The exception line as the summary, the whole traceback folded under it."""
    text = str(text)
    last = text.strip().splitlines()[-1] if text.strip() else ""
    return (f'<details class="traceback"><summary>traceback: <code>{_e(last)}</code></summary>'
            f"<pre>{_e(text)}</pre></details>")


def _check(ch: dict, run_dir: Path) -> str:
    verdict = ch.get("verdict", "?")
    meta = [_e(ch.get("view", "")), f"{_e(ch.get('looks', _DASH))} look(s)", _e(_seconds(ch.get("time_s")))]
    parts = [f'<div class="check"><h4>{_badge(verdict)} {_e(ch.get("check", "check"))} '
             f'<span class="muted">· {" · ".join(meta)}</span></h4>']
    if ch.get("note"):
        parts.append(f'<p class="note">{_e(ch["note"])}</p>')
    comparisons = ch.get("comparisons") or []
    if comparisons:
        parts.append(_evidence_table(comparisons, ch.get("view")))
    else:
        parts.append('<p class="muted">No comparison: the check produced no evidence.</p>')
    if ch.get("error"):
        parts.append(_traceback(ch["error"]))
    figures = ch.get("figures") or []
    if figures:
        parts.append('<div class="figures">' + "".join(_figure(f, run_dir) for f in figures) + "</div>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# one claim


def _views(claim: dict) -> str:
    views = claim.get("views") or {}
    if not views:
        return _DASH
    agreed = set(claim.get("views_agreed") or [])
    items = "".join(
        f'<li>{_e(view)}: {_badge(verdict)} {"agrees" if view in agreed else "differs"}</li>'
        for view, verdict in views.items())
    return (f'<ul class="views">{items}</ul><span class="muted">{len(agreed & set(views))} of {len(views)} '
            f"view(s) agree with the claim's verdict</span>")


def _correction(claim: dict, by_id: dict[str, dict]) -> str:
    known = set(by_id)
    if claim.get("corrected_by"):
        other_id = claim["corrected_by"]
        failing = [c for ch in claim.get("checks") or [] for c in ch.get("comparisons") or []
                   if c.get("decision") == "FAIL"]
        if failing:
            left = ('<p>The comparisons that contradict the statement as given:</p>'
                    + _evidence_table(failing, compact=True))
        else:
            left = (f"<p>No comparison FAILed in this run (verdict {_badge(claim.get('verdict'))}), so there "
                    "is no counter-evidence to show here.</p>")
        other = by_id.get(other_id)
        if other is None:
            right = (f"<p>{_claim_link(other_id, known)} is not in this run; run "
                     f"<code>ntkverify run --only {_e(other_id)}</code> to check it.</p>")
        else:
            right = (f"<p>{_claim_link(other_id, known)} {_badge(other.get('verdict'))}</p>"
                     f'<p class="plain">{_e(other.get("statement", ""))}</p>'
                     f'<p class="muted">{_e(other.get("summary", ""))}</p>')
        return ('<div class="correction"><div class="pane"><h4>Counter-evidence</h4>' + left + "</div>"
                f'<div class="pane"><h4>Corrected statement</h4>{right}</div></div>')
    if claim.get("corrects"):
        other_id = claim["corrects"]
        other = by_id.get(other_id)
        state = (f"{_badge(other.get('verdict'))} <span class=\"muted\">{_e(other.get('summary', ''))}</span>"
                 if other else '<span class="muted">(not in this run)</span>')
        return (f'<div class="correction single"><div class="pane"><h4>Corrects</h4>'
                f"<p>This is the companion that corrects {_claim_link(other_id, known)}: {state}</p></div></div>")
    return ""


def _repro(claim: dict) -> str:
    seed = (claim.get("seed") or {}).get("run")
    cmd = ["ntkverify", "run", "--only", str(claim.get("id", ""))]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    if claim.get("profile"):
        cmd += ["--profile", str(claim["profile"])]
    return shlex.join(cmd)


def _claim_section(claim: dict, by_id: dict[str, dict], run_dir: Path) -> str:
    cid = str(claim.get("id", "?"))
    verdict = claim.get("verdict", "?")
    source = claim.get("source") or {}
    seed = claim.get("seed") or {}
    facts = [("Source", f"<code>{_e(source.get('file', _DASH))}</code> {_e(source.get('section', ''))}"),
             ("Reading checked", _e(claim.get("reading") or _DASH))]
    if claim.get("note"):
        facts.append(("Note", _e(claim["note"])))
    facts += [
        ("Views", _views(claim)),
        ("Seed", f"run {_e(_num(seed.get('run')))}, claim {_e(_num(seed.get('claim')))} · reproduce: "
                 f"<code>{_e(_repro(claim))}</code>"),
        ("Profile · time", f"{_e(claim.get('profile', _DASH))} · {_e(_seconds(claim.get('time_s')))}"),
        ("False-fail rate", _e(_rate(claim.get("false_fail_rate")))
         + ' <span class="muted">(this claim’s share of the run’s budget)</span>'),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    checks = claim.get("checks") or []
    parts = [
        f'<section class="claim" id="{_e(_anchor(cid))}" data-group="{_e(claim.get("group", ""))}" '
        f'data-verdict="{_e(verdict)}">',
        f'<h2>{_badge(verdict)} <code>{_e(cid)}</code> <span class="muted group">{_e(claim.get("group", ""))}'
        f'</span> <a class="permalink" href="#{_e(_anchor(cid))}" title="link to this claim">#</a></h2>',
        f'<p class="summary-line">{_e(claim.get("summary", ""))}</p>',
        '<div class="statement"><h3>Statement, as the source states it</h3>'
        f'<p class="plain">{_e(claim.get("statement", ""))}</p>{_math(claim.get("latex"))}</div>',
        f'<dl class="facts">{dl}</dl>',
        _correction(claim, by_id),
    ]
    if claim.get("error") and not any(ch.get("error") for ch in checks):
        parts.append(_traceback(claim["error"]))
    parts.append(f"<h3>Evidence ({len(checks)} check{'s' if len(checks) != 1 else ''})</h3>")
    parts += [_check(ch, run_dir) for ch in checks] or ['<p class="muted">No check ran.</p>']
    parts.append('<p class="top"><a href="#summary">↑ all claims</a></p></section>')
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# page


def _header(doc: dict, counts: Counter) -> str:
    run, tool = doc.get("run") or {}, doc.get("tool") or {}
    n = sum(counts.values())
    finished = run.get("finished")
    if finished:
        status = _e(finished) + _elapsed(run.get("started"), finished)
    else:
        status = (f'<strong class="interrupted">interrupted: the run has not finished</strong> '
                  f"(<code>ntkverify run --resume {_e(run.get('id', ''))}</code> continues it)")
    chips = "".join(
        f'<button type="button" class="chip v-{v}" data-verdict="{v}">{counts[v]} {v}</button>'
        for v in VERDICTS if counts[v])
    rows = [
        ("Profile", _e(run.get("profile", _DASH))),
        ("Seed", _e(_num(run.get("seed")))),
        ("Started", _e(run.get("started") or _DASH)),
        ("Finished", status),
        ("Devices", _e(", ".join(map(str, run.get("devices") or [])) or _DASH)),
        ("False-fail rate", f"{_e(_num(run.get('run_false_fail_rate')))} for the whole run of true claims, "
                            f"{_e(_num(run.get('claim_false_fail_rate')))} per claim (Bonferroni)"),
        ("Command", f"<code>{_e(shlex.join(['ntkverify', *map(str, run.get('argv') or [])]))}</code>"),
        ("Tools", _e(", ".join(f"{k} {v}" for k, v in tool.items()) or _DASH)),
        ("Schema", f"results.json version {_e(doc.get('schema_version', '?'))}"),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (f'<header><h1>ntkverify report <code>{_e(run.get("id", ""))}</code></h1>'
            f'<p class="counts">{n} claim{"s" if n != 1 else ""}{": " if chips else ""}{chips}</p>'
            f'<dl class="run">{dl}</dl></header>')


_HOW_TO_READ = """<section class="howto" aria-labelledby="howto-h"><h2 id="howto-h">How to read this</h2>
<p>Each claim is recorded as its source states it and tested through one or more <em>views</em>
(symbolic: SymPy; closed form: mpmath; Monte Carlo: JAX simulation; numeric: deterministic float64).
A test is a list of <em>comparisons</em> of a measured value with an expected one.
The <em>interval</em> is where the measured value lies with confidence 1 − α, α being the comparison’s
<em>false-fail rate</em> (0 for a deterministic computation, whose interval is a single point).
The <em>band</em> is the region of measured values that count as agreeing with the claim.
The <em>resolution</em> is the smallest deviation |truth − expected| that this test would report as a
FAIL with probability 0.9: a smaller discrepancy can go unseen.</p>
<p>Verdicts: <span class="badge v-PASS">PASS</span> every interval lies inside its band;
<span class="badge v-FAIL">FAIL</span> some interval lies wholly outside its band, so the evidence
contradicts the statement; <span class="badge v-INCONCLUSIVE">INCONCLUSIVE</span> some interval still
straddles an edge of its band (UNDECIDED) and more samples would settle it;
<span class="badge v-ERROR">ERROR</span> a check crashed, its traceback is shown.
A claim <code>X.corrected</code> is the statement this suite believes right, tested the same way:
a FAIL of <code>X</code> beside a PASS of its companion shows where the source goes wrong.</p></section>"""


def _summary(claims: list[dict], counts: Counter, known: set[str]) -> str:
    if not claims:
        return ('<section id="summary"><h2>Claims</h2><p class="muted">This run holds no claim result yet.</p>'
                "</section>")
    groups = Counter(str(c.get("group", "")) for c in claims)
    group_opts = "".join(f'<option value="{_e(g)}" data-label="{_e(g)}">{_e(g)} ({k})</option>'
                         for g, k in sorted(groups.items()))
    verdict_opts = "".join(f'<option value="{v}" data-label="{v}">{v} ({counts[v]})</option>' for v in VERDICTS)
    n = len(claims)
    rows = []
    for c in claims:
        cid = str(c.get("id", "?"))
        pair = companion(c)
        link = f'<div class="muted">{pair[0]} {_claim_link(pair[1], known)}</div>' if pair else ""
        rows.append(f'<tr data-group="{_e(c.get("group", ""))}" data-verdict="{_e(c.get("verdict", ""))}">'
                    f"<td>{_claim_link(cid, known)}{link}</td><td>{_e(c.get('group', ''))}</td>"
                    f"<td>{_badge(c.get('verdict'))}</td><td>{_e(c.get('summary', ''))}</td></tr>")
    return (
        '<section id="summary"><h2>Claims</h2>'
        '<div class="filters" role="group" aria-label="filter the claims">'
        f'<label>Group <select id="filter-group"><option value="" data-label="all groups">all groups ({n})</option>'
        f"{group_opts}</select></label> "
        f'<label>Verdict <select id="filter-verdict"><option value="" data-label="all verdicts">all verdicts ({n})'
        f"</option>{verdict_opts}</select></label> "
        f'<span id="filter-count" aria-live="polite">{n} of {n} claims shown</span></div>'
        '<div class="scroll"><table id="claims-table"><thead><tr><th>claim</th><th>group</th><th>verdict</th>'
        f'<th>evidence</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
        '<p id="filter-empty" class="muted" hidden>No claim matches these filters.</p></section>'
    )


_CSS = """
:root{--fg:#1d2125;--bg:#fff;--muted:#5f6b76;--line:#d8dde3;--panel:#f5f7f9;--link:#0b57d0;
--pass:#1a7f37;--pass-bg:#dcf5e3;--fail:#b42318;--fail-bg:#fde4e1;--inc:#8a5a00;--inc-bg:#fff1c7;
--err:#6e2ca8;--err-bg:#efe3fb;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--fg:#e4e7ea;--bg:#15181b;--muted:#9aa5b1;--line:#33393f;--panel:#1e2226;
--link:#8ab4f8;--pass:#7ee2a0;--pass-bg:#143821;--fail:#ffaba1;--fail-bg:#4a1612;--inc:#ffd874;--inc-bg:#3d2f05;
--err:#dab6ff;--err-bg:#33194b}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:78rem;padding:1rem 1.5rem 4rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",
Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.92em}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--panel);padding:.6rem;border-radius:4px}
h1{font-size:1.5rem;margin:.4rem 0}h2{font-size:1.25rem;margin:1.2rem 0 .4rem}h3{font-size:1.05rem;margin:1rem 0 .3rem}
h4{font-size:.98rem;margin:.2rem 0 .4rem}
.muted{color:var(--muted)}
dl.run,dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
dl.run dt,dl.facts dt{font-weight:600;color:var(--muted)}dl.run dd,dl.facts dd{margin:0;overflow-wrap:anywhere}
.interrupted{color:var(--fail)}
.badge,.chip{display:inline-block;font-size:.78rem;font-weight:700;letter-spacing:.02em;padding:.05rem .45rem;
border-radius:999px;border:1px solid currentColor;white-space:nowrap;vertical-align:.08em}
.chip{font-size:.85rem;margin-left:.4rem;cursor:pointer;background:none}
.v-PASS{color:var(--pass);background:var(--pass-bg)}.v-FAIL{color:var(--fail);background:var(--fail-bg)}
.v-INCONCLUSIVE{color:var(--inc);background:var(--inc-bg)}.v-ERROR{color:var(--err);background:var(--err-bg)}
.v-unknown{color:var(--muted)}
.howto{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.2rem 1rem;margin:1rem 0}
.howto p{margin:.5rem 0}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:center;margin:.4rem 0 .6rem}
.filters select{font:inherit;padding:.15rem .3rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid var(--line)}
th{background:var(--panel);font-weight:600}
#claims-table td:first-child{white-space:nowrap}
table.evidence td{font-variant-numeric:tabular-nums}
table.evidence{font-size:.86rem}table.evidence th,table.evidence td{padding:.3rem .4rem}
table.evidence td{white-space:nowrap}table.evidence td:first-child{white-space:normal;min-width:10rem}
table.evidence td.wrap{white-space:normal;min-width:7rem}
tr.d-FAIL td:first-child{box-shadow:inset 3px 0 var(--fail)}
tr.d-UNDECIDED td:first-child{box-shadow:inset 3px 0 var(--inc)}
.needs{font-size:.8rem;color:var(--inc);white-space:normal;min-width:9rem}
.ref{font-size:.8rem}
section.claim{border-top:2px solid var(--line);margin-top:2rem;padding-top:.4rem}
section.claim:target{outline:2px solid var(--link);outline-offset:.4rem;border-radius:2px}
.permalink{text-decoration:none;font-weight:400}.group{font-size:.9rem;font-weight:400}
.summary-line{margin:.2rem 0 .6rem}
.statement{background:var(--panel);border-left:3px solid var(--line);padding:.3rem .9rem;border-radius:2px}
.statement .plain,.pane .plain{white-space:pre-wrap}
.math{margin:.4rem 0;overflow-x:auto}.math math{font-size:1.15rem}
math{font-family:math,"STIX Two Math","Latin Modern Math","Cambria Math",serif}
.tex-source summary{font-size:.8rem;color:var(--muted);cursor:pointer}
ul.views{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.correction{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;margin:1rem 0}
.correction.single{grid-template-columns:1fr}
@media (max-width:50rem){.correction{grid-template-columns:1fr}}
.pane{border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem}
.check{margin:.6rem 0 1.2rem}
.figures{display:flex;flex-wrap:wrap;gap:1rem;margin-top:.6rem}
figure{margin:0;max-width:100%;display:table}figure img{max-width:100%;height:auto;border:1px solid var(--line);
background:#fff}figcaption{font-size:.85rem;display:table-caption;caption-side:bottom}
details.traceback summary,details.detail summary{cursor:pointer}
details.detail{font-size:.82rem}details.detail dl{margin:.2rem 0;display:grid;grid-template-columns:max-content 1fr;
gap:0 .6rem}details.detail dd{margin:0;white-space:normal;overflow-wrap:anywhere}
.top{font-size:.85rem}
footer{margin-top:3rem;font-size:.85rem;color:var(--muted)}
"""

# Filters the summary table and the claim sections by group and verdict; the count in each
# option follows the other filter. Leaves a section shown when a link targets it.
_JS = """
(function () {
  "use strict";
  var group = document.getElementById("filter-group");
  var verdict = document.getElementById("filter-verdict");
  if (!group || !verdict) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("#claims-table tbody tr"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.claim"));
  var shown = document.getElementById("filter-count");
  var empty = document.getElementById("filter-empty");
  function matches(el, g, v) {
    return (!g || el.dataset.group === g) && (!v || el.dataset.verdict === v);
  }
  function relabel(select, count) {
    Array.prototype.forEach.call(select.options, function (opt) {
      opt.textContent = opt.dataset.label + " (" + count(opt.value) + ")";
    });
  }
  function apply() {
    var g = group.value, v = verdict.value, n = 0;
    rows.forEach(function (r) { var ok = matches(r, g, v); r.hidden = !ok; if (ok) { n += 1; } });
    sections.forEach(function (s) { s.hidden = !matches(s, g, v); });
    shown.textContent = n + " of " + rows.length + " claims shown";
    empty.hidden = n !== 0;
    relabel(group, function (x) { return rows.filter(function (r) { return matches(r, x, v); }).length; });
    relabel(verdict, function (x) { return rows.filter(function (r) { return matches(r, g, x); }).length; });
  }
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.closest("[hidden]")) {
      group.value = "";
      verdict.value = "";
      apply();
      target.scrollIntoView();
    }
  }
  group.addEventListener("change", apply);
  verdict.addEventListener("change", apply);
  Array.prototype.forEach.call(document.querySelectorAll("button.chip"), function (b) {
    b.addEventListener("click", function () {
      verdict.value = verdict.value === b.dataset.verdict ? "" : b.dataset.verdict;
      apply();
      document.getElementById("summary").scrollIntoView();
    });
  });
  window.addEventListener("hashchange", reveal);
  apply();
  reveal();
}());
"""


def render_html(doc: dict, run_dir: Path) -> str:
    """The page for one run: `doc` is the results.json document, `run_dir` the folder its figure
    paths are relative to."""
    run_dir = Path(run_dir)
    claims = [c for c in doc.get("claims") or [] if isinstance(c, dict)]
    by_id = {str(c.get("id")): c for c in claims}
    known = set(by_id)
    counts = Counter(c.get("verdict") for c in claims)
    run_id = (doc.get("run") or {}).get("id", "")
    tool = (doc.get("tool") or {}).get("ntkverify", "")
    body = [
        _header(doc, counts),
        _HOW_TO_READ,
        _summary(claims, counts, known),
        *(_claim_section(c, by_id, run_dir) for c in claims),
        f"<footer>Written by ntkverify {_e(tool)} from <code>results.json</code> in this folder. "
        "Self-contained: figures, styles and script are inside this file, math is MathML; "
        "the page loads nothing from a network.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>ntkverify {_e(run_id)}</title><style>{_CSS}</style></head>\n<body>"
        + "\n".join(body)
        + f"<script>{_JS}</script></body></html>\n"
    )


def write_html(doc: dict, run_dir) -> Path:
    """Write `run_dir/index.html` for the results document `doc` (atomically: a reader never sees
    half a page) and return its path."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(run_dir / "index.html", render_html(doc, run_dir))
    return run_dir / "index.html"
