"""index.html: self-contained (no network reference), escaped, math as MathML with a LaTeX
fallback, one anchored section per claim, and robust to ERROR claims, missing figures,
interrupted runs and empty runs.

The run it renders goes through the real producer (`run_claim` on small fixed checks, figures
drawn by `render_figures`), so the page is tested on the document shape the runner writes.
`build_run` is shared with tests/browser (loaded there by path).
"""
from __future__ import annotations

import base64
import html
import math
import re
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify._model import PROFILES, Check, CheckResult, Claim, Comparison, Context, Figure, Source, View
from verify.report import render_figures, summary_markdown, write_html
from verify.report._html import _num
from verify.report._mathml import latex_to_mathml
from verify.runner import new_document, run_claim
from verify.stats import Band, decide

SCRIPT = "<script>alert('pwned')</script>"
BAD_LATEX = r"\frac{1}{n"  # unbalanced: latex2mathml cannot parse it
IDS = ("demo.param-count", "demo.ntk-limit", "demo.ntk-limit.corrected", "demo.rate", "demo.crash")


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """A valid RGB PNG, built by hand so the test needs no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _cmp(name, view, expected, lo, hi, band, alpha=0.0, resolution=0.0, **kw) -> Comparison:
    measured = kw.pop("measured", (lo + hi) / 2)
    return Comparison(name=name, view=view, expected=expected, measured=measured, interval=(lo, hi), band=band,
                      decision=decide(lo, hi, band), false_fail_rate=alpha, resolution=resolution, **kw)


class _Fixed(Check):
    """A check that returns a prepared result (or raises), standing in for a real computation."""

    def __init__(self, name, view, comparisons=(), figures=(), n_stochastic=0, note="", raises=None):
        self.name, self.view, self.comparisons = name, view, n_stochastic
        self._result = CheckResult(name, view, tuple(comparisons), tuple(figures), note=note, looks=1)
        self._raises = raises

    def run(self, ctx: Context) -> CheckResult:
        if self._raises is not None:
            raise self._raises
        return self._result


def _loglog_figure() -> Figure:
    x = [64.0, 128.0, 256.0, 512.0]
    return Figure("loglog_fit", "spread of K_n/n against width", {
        "x": x, "y": [0.1 / math.sqrt(v) for v in x], "log_half_widths": [0.1] * 4,
        "slope": -0.5, "intercept": math.log(0.1), "predicted_slope": -0.5, "predicted_text": "n^(-1/2)",
        "variable": "n"})


def _claims() -> list[Claim]:
    src = Source("seeds/demo.txt", "§1.2")
    mc = View.MONTE_CARLO
    return [
        Claim("demo.param-count", "algebra", src, "w ∈ ℝ^{n(d+2)+1}.", r"w \in \mathbb{R}^{n(d+2)+1}",
              "dimension count equals n(d+2)+1", (
                  _Fixed("symbolic count", View.SYMBOLIC, [Comparison(
                      "dim w vs n(d+2)+1", View.SYMBOLIC, "0", "residual 0", (0.0, 0.0), Band(0.0, 0.0),
                      decide(0.0, 0.0, Band(0.0, 0.0)), 0.0, 0.0, reference="SymPy",
                      detail={"derived": "d*n + 2*n + 1"})]),
                  _Fixed("parameter count", View.NUMERIC, [
                      _cmp("n=7, d=3", View.NUMERIC, 36.0, 36.0, 36.0, Band(36.0, 36.0)),
                      _cmp("n=300, d=17", View.NUMERIC, 5701.0, 5701.0, 5701.0, Band(5701.0, 5701.0))]))),
        Claim("demo.ntk-limit", "kernels", src, "lim (1/n) K_n = E[σ'σ'].",
              r"\lim_{n\to\infty}\frac1n K_n(x,z)=\mathbb{E}[\sigma'(u^Tx)\sigma'(u^Tz)]",
              "extrapolated K_n/n equals E[σ'σ'] within 2%", (
                  _Fixed("width sweep", mc, [
                      _cmp("extrapolated limit", mc, 0.2512345678, 0.4013, 0.4172, Band.around(0.2512345678, 0.005),
                           alpha=2.5e-5, resolution=0.0061, samples=256, widths=(64, 128, 256, 512),
                           reference="quadrature of E[σ'σ']", detail={"slope": -0.49, "birge": 1.1}),
                      _cmp("spread exponent", mc, -0.5, -0.53, -0.47, Band(-0.6, -0.4), alpha=2.5e-5,
                           resolution=0.05, samples=256, widths=(64, 128, 256, 512))],
                      figures=[_loglog_figure()], n_stochastic=2),),
              note="the ∇_v block dominates under LeCun init"),
        Claim("demo.ntk-limit.corrected", "kernels", src, "lim (1/n) K_n = E[σσ].",
              r"\lim_{n\to\infty}\frac1n K_n(x,z)=\mathbb{E}[\sigma(u^Tx)\sigma(u^Tz)]",
              "extrapolated K_n/n equals E[σσ] within 2%", (
                  _Fixed("width sweep", mc, [
                      _cmp("extrapolated limit", mc, 0.4101, 0.4013, 0.4172, Band.around(0.4101, 0.012),
                           alpha=5e-5, resolution=0.0061, samples=256, widths=(64, 128, 256, 512))],
                      n_stochastic=1),),
              corrects="demo.ntk-limit", note="v₀ ~ 𝒟(0,1/n) makes σ(Ux) dominate"),
        Claim("demo.rate", "kernels", src, "the error decays at least like 1/n.", r"\epsilon_n = O(n^{-1})",
              "fitted slope ≤ −1 + 0.1", (
                  _Fixed("slope fit", mc, [
                      _cmp("log-log slope", mc, -1.0, -1.2, -0.7, Band(float("-inf"), -0.9), alpha=1e-4,
                           resolution=0.3, samples=64, widths=(32, 64, 128), needs=4096)],
                      n_stochastic=1, note="slope of a weighted least-squares fit"),)),
        Claim("demo.crash", "algebra", src, f"a statement quoting {SCRIPT} & <b>markup</b>", BAD_LATEX,
              "reading with <i>markup</i>", (
                  _Fixed("broken check", View.NUMERIC, raises=RuntimeError("boom <b>not bold</b>")),)),
    ]


def build_run(run_dir: Path, finished: bool = True) -> dict:
    """A run folder with results.json-shaped `doc` of five claims: PASS, FAIL corrected by a
    PASS companion, INCONCLUSIVE with needs_samples, ERROR; one figure drawn for the FAIL."""
    profile = PROFILES["quick"]
    doc = new_document(run_dir.name, profile, 7, ["run", "--profile", "quick", "--only", "demo.*"])
    for claim in _claims():
        result = run_claim(claim, profile, 7)
        render_figures(result, run_dir / "figures")
        doc["claims"].append(result)
    by_id = {c["id"]: c for c in doc["claims"]}
    by_id["demo.ntk-limit"]["corrected_by"] = "demo.ntk-limit.corrected"  # the registry only knows its own
    if finished:
        doc["run"]["finished"] = doc["run"]["started"]
    return doc


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    run_dir = tmp_path_factory.mktemp("run")
    doc = build_run(run_dir)
    assert [c["verdict"] for c in doc["claims"]] == ["PASS", "FAIL", "PASS", "INCONCLUSIVE", "ERROR"]
    return write_html(doc, run_dir).read_text(encoding="utf-8")


def _section(page: str, claim_id: str) -> str:
    start = page.index(f'<section class="claim" id="claim-{claim_id}"')
    return page[start:page.index("</section>", start)]


def test_writes_one_index_html(tmp_path):
    doc = build_run(tmp_path)
    path = write_html(doc, tmp_path)
    assert path == tmp_path / "index.html" and path.is_file()
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob(".index-*")), "the temporary file of the atomic write was left behind"


URL_ATTR = re.compile(r"""\b(?:src|href|action|formaction|poster|srcset|data|background)\s*=\s*(["']?)([^"'\s>]*)\1""",
                      re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.IGNORECASE)


def test_references_nothing_outside_the_file(page):
    targets = [m.group(2) for m in URL_ATTR.finditer(page)] + [m.group(2) for m in CSS_URL.finditer(page)]
    assert targets, "the page has links and images, the regex must see them"
    remote = [t for t in targets if re.match(r"\s*(https?:)?//", t, re.IGNORECASE)]
    assert remote == []
    assert all(t.startswith(("#", "data:")) for t in targets), sorted({t[:40] for t in targets})
    assert "default-src 'none'" in page  # and the browser is told to refuse anything else
    assert "@import" not in page


def test_figure_is_embedded_as_data_uri(page):
    assert '<img src="data:image/png;base64,' in _section(page, "demo.ntk-limit")
    assert "figures/" in page  # the caption names the file it came from


def test_tiny_png_embedded_byte_for_byte_and_missing_figures_reported(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "tiny.png").write_bytes(tiny_png())
    (tmp_path.parent / "outside.png").write_bytes(tiny_png())
    doc = build_run(tmp_path)
    figures = doc["claims"][0]["checks"][0]["figures"]
    figures += [{"kind": "curves", "title": "tiny", "data": {}, "file": "figures/tiny.png"},
                {"kind": "curves", "title": "gone", "data": {}, "file": "figures/gone.png"},
                {"kind": "curves", "title": "escapes", "data": {}, "file": "../outside.png"},
                {"kind": "curves", "title": "undrawn", "data": {}}]
    text = write_html(doc, tmp_path).read_text(encoding="utf-8")
    assert "data:image/png;base64," + base64.b64encode(tiny_png()).decode() in text
    assert text.count("data:image/png;base64," + base64.b64encode(tiny_png()).decode()) == 1  # not ../outside.png
    for title in ("gone", "escapes", "undrawn"):
        assert f"Figure “{title}”" in text


def test_latex_becomes_mathml(page):
    section = _section(page, "demo.ntk-limit")
    assert '<math display="block">' in section and "<mfrac>" in section
    assert "𝔼" in section  # \mathbb{E}
    assert '<annotation encoding="application/x-tex">' in section


def test_unparsable_latex_falls_back_to_source(page):
    section = _section(page, "demo.crash")
    assert "<math" not in section
    assert f'<code class="tex">{html.escape(BAD_LATEX)}</code>' in section


@pytest.mark.parametrize("latex", [BAD_LATEX, r"\left( x", r"\begin{foo} x", r"\undefinedcommand{x}", "}{", "", "  "])
def test_mathml_conversion_declines_what_it_cannot_render(latex):
    assert latex_to_mathml(latex) is None


def test_mathml_text_is_escaped():
    """latex2mathml copies \\text{…} verbatim into its output string; the report must not."""
    out = latex_to_mathml(r"\text{" + SCRIPT + r" & more} < x")
    assert out is not None and "<script" not in out
    assert "&lt;script&gt;" in out and "&amp; more" in out


def test_every_claim_has_its_anchor_and_a_summary_link(page):
    for claim_id in IDS:
        assert page.count(f'id="claim-{claim_id}"') == 1
        assert f'href="#claim-{claim_id}"' in page


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id"]
        self.scripts += tag == "script"


def test_ids_are_unique_and_only_the_page_script_runs(page):
    parser = _Ids()
    parser.feed(page)
    assert len(parser.ids) == len(set(parser.ids))
    assert parser.scripts == 1


def test_text_is_escaped(page):
    assert SCRIPT not in page and "<b>markup</b>" not in page and "<i>markup</i>" not in page
    assert html.escape(SCRIPT) in page
    assert "boom &lt;b&gt;not bold&lt;/b&gt;" in page  # the traceback too


def test_error_claim_shows_its_traceback(page):
    section = _section(page, "demo.crash")
    assert '<details class="traceback">' in section and "RuntimeError" in section
    assert "No comparison" in section


def test_corrected_pair_links_both_ways_with_counter_evidence(page):
    wrong = _section(page, "demo.ntk-limit")
    assert "Counter-evidence" in wrong and 'href="#claim-demo.ntk-limit.corrected"' in wrong
    counter = wrong[wrong.index("Counter-evidence"):wrong.index("Corrected statement")]
    assert "extrapolated limit" in counter and "spread exponent" not in counter  # only the FAILing comparison
    assert "0.251235" in counter  # expected, 6 significant digits
    companion = _section(page, "demo.ntk-limit.corrected")
    assert "Corrects" in companion and 'href="#claim-demo.ntk-limit"' in companion


def test_summaries_word_the_companion_link_alike(tmp_path):
    doc = build_run(tmp_path)
    summary = write_html(doc, tmp_path).read_text(encoding="utf-8")
    summary = summary[summary.index('<section id="summary">'):]
    markdown = summary_markdown(doc)
    for word, cid in (("corrected by", "demo.ntk-limit.corrected"), ("corrects", "demo.ntk-limit")):
        assert f"{word} `{cid}`" in markdown
        assert re.search(rf'{word} <a href="#claim-{re.escape(cid)}"', summary), word


def test_inconclusive_shows_samples_needed_and_infinite_band(page):
    section = _section(page, "demo.rate")
    assert "needs ≈ 4096 samples per width" in section
    assert "[−∞, -0.9]" in section
    assert "64 × widths 32, 64, 128" in section


def test_deterministic_interval_is_called_exact(page):
    section = _section(page, "demo.param-count")
    assert "<td>exact</td>" in section and "[36, 36]" in section  # the band keeps its bounds


def test_header_carries_run_facts(page):
    head = page[:page.index('<section id="summary"')]
    for needle in ("quick", "Seed", "0.01", "0.0001", "jax", "cpu", "How to read this", "Finished", "(after "):
        assert needle in head


def test_summary_table_has_filters_and_counts(page):
    assert '<select id="filter-group">' in page and '<select id="filter-verdict">' in page
    assert "PASS (2)" in page and "FAIL (1)" in page and "kernels (3)" in page
    assert page.count('<tr data-group="') == len(IDS)


def test_interrupted_run_says_so(tmp_path):
    doc = build_run(tmp_path, finished=False)
    text = write_html(doc, tmp_path).read_text(encoding="utf-8")
    assert "interrupted" in text and f"--resume {tmp_path.name}" in text


def test_empty_run_renders(tmp_path):
    doc = new_document("empty", PROFILES["quick"], 0, [])
    text = write_html(doc, tmp_path).read_text(encoding="utf-8")
    assert "no claim result yet" in text and '<section class="claim"' not in text


@pytest.mark.parametrize("value, text", [
    (0.123456789, "0.123457"), (123456789.0, "1.23457e+08"), (5e-5, "5e-05"), (1375, "1375"),
    ("inf", "∞"), ("-inf", "−∞"), ("nan", "NaN"), (float("inf"), "∞"), (None, "—"), ("residual 0", "residual 0"),
])
def test_numbers_are_compact(value, text):
    assert _num(value) == text


@given(st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=False))
def test_number_keeps_six_significant_digits(x):
    shown = _num(x)
    assert len(re.sub(r"e.*|[^0-9]", "", shown).lstrip("0")) <= 6
    assert math.isclose(float(shown), x, rel_tol=5e-6, abs_tol=0.0)
