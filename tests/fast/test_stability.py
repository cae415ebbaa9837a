"""Verdicts across seeds (issue 12): NaN evidence is an ERROR naming where, and `ntkverify stability` flags a
claim whose verdict depends on the seed, an ERROR, or a NaN — on cheap claims over the toy observable."""
from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from verify._model import PROFILES, Claim, PerProfile, Source, View
from verify.checks import Exact, MeanEquals, Series, exact
from verify.runner import run_claim

QUICK = PROFILES["quick"]


def _claim(cid: str, *checks) -> Claim:
    return Claim(cid, "test", Source("tests", "§0"), "s", "s", "r", tuple(checks))


def _nan_sampler(key, width, count, **kw):
    out = np.ones((count, 1))
    out[3, 0] = np.nan  # one replicate overflowed
    return out


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_non_finite_measured_value_is_an_error_naming_the_comparison(value):
    check = Exact("exact", View.NUMERIC, lambda ctx: [exact("fine", 1.0, 1.0, 0.0, "arithmetic"),
                                                     exact("loss after GD", 0.0, value, 1e-10, "0")])
    r = run_claim(_claim("t.nan", check), QUICK, 0)
    assert r["verdict"] == "ERROR"  # not INCONCLUSIVE: the computation broke down
    assert "NonFiniteEvidence" in r["error"] and "'loss after GD': measured = " in r["error"]
    assert "'fine'" not in r["error"]
    assert "loss after GD" in r["summary"]
    ch = r["checks"][0]
    assert ch["verdict"] == "ERROR" and [c["name"] for c in ch["comparisons"]] == ["fine", "loss after GD"]


def test_a_nan_in_a_monte_carlo_mean_is_an_error_and_the_other_checks_still_count():
    fine = Exact("exact", View.NUMERIC, lambda ctx: [exact("one", 1.0, 1.0, 0.0, "arithmetic")])
    mean = MeanEquals("mean", _nan_sampler, (Series("E[x]", 1.0, 0.1),), PerProfile(200, 200, 200))
    r = run_claim(_claim("t.nan-mc", fine, mean), QUICK, 0)
    assert r["verdict"] == "ERROR"
    assert r["views"] == {"numeric": "PASS", "monte_carlo": "ERROR"}
    assert "'E[x]': measured = nan" in r["error"]


def test_a_nan_in_a_comparisons_detail_is_an_error_too():
    check = Exact("exact", View.NUMERIC, lambda ctx: [exact("x", 0.0, 0.0, 0.0, "0", slopes=[1.0, math.nan])])
    r = run_claim(_claim("t.nan-detail", check), QUICK, 0)
    assert r["verdict"] == "ERROR" and "detail['slopes'] contains nan" in r["error"]


def test_infinite_band_edges_are_not_errors():
    from verify._model import Comparison
    from verify.stats import Band, Decision

    one_sided = Comparison("slope ≤ −0.1", View.NUMERIC, -0.1, -1.0, (-1.0, -1.0), Band(-math.inf, -0.1),
                           Decision.PASS, 0.0, 0.1)
    r = run_claim(_claim("t.half-line", Exact("exact", View.NUMERIC, lambda ctx: [one_sided])), QUICK, 0)
    assert r["verdict"] == "PASS" and r["error"] is None


# ---- ntkverify stability ----------------------------------------------------------------------------------

CLAIMS_PY = '''
from verify.claimfile import limit, moment

CLAIMS = [
    # true at every width: E (1/n)Σξ² = μ² + s²; at 5% (the half-width is 1.7%) decided at every seed
    limit("toy.mean-square", "(1/n) Σ ξᵢ² → μ² + s²", observable="toy.sum", params={"mean": 0.5, "sd": 2.0},
          column="(1/n)Σξᵢ²", expected="mean^2 + sd^2", tolerance=0.05, widths=[16, 32, 64, 128]),
    # seed-dependent on purpose: the truth 1 lies one final half-width inside the band [0.65, 1.85], so the
    # interval sometimes fits inside (PASS) and sometimes straddles 0.65 (INCONCLUSIVE)
    moment("toy.edge", "E (1/n)Σξ² = 1, judged at the edge of its band", observable="toy.sum", column=2, width=1,
           expected=1.25, abs_tolerance=0.6, replicates=100),
]
'''

NAN_PY = '''
from verify.claimfile import moment

# n^-p Σξᵢ with p = −300 and s = 1e200 overflows to ±inf, so its mean is inf − inf = NaN
CLAIMS = [moment("toy.overflow", "E n^-p Σξᵢ = 0", observable="toy.sum", params={"sd": 1e200, "power": -300},
                 column=0, width=8, expected=0, abs_tolerance=1, replicates=100)]
'''


def _file(tmp_path, text, name="claims_toy.py"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _cli(*argv):
    from verify.cli import main

    return main(["stability", *map(str, argv)])


def _json(path):
    import json

    return json.loads(path.read_text())


def _without_times(x):
    if isinstance(x, dict):
        return {k: _without_times(v) for k, v in x.items() if k not in ("time_s", "file")}  # file: a drawn figure
    if isinstance(x, list):
        return [_without_times(v) for v in x]
    return x


def test_a_stable_claim_is_not_flagged_and_a_seed_dependent_one_is(tmp_path, capsys):
    out = tmp_path / "stab"
    code = _cli("--claims", _file(tmp_path, CLAIMS_PY), "--seeds", 8, "--out", out)
    printed = capsys.readouterr().out
    doc = _json(out / "stability.json")
    by_id = {c["id"]: c for c in doc["claims"]}
    assert code == 1 and doc["exit_code"] == 1 and doc["flagged"] == ["toy.edge"]
    stable = by_id["toy.mean-square"]
    assert stable["counts"] == {"PASS": 8} and stable["verdict"] == "PASS" and not stable["flagged"]
    edge = by_id["toy.edge"]
    assert edge["verdict"] == "UNSTABLE" and set(edge["counts"]) == {"PASS", "INCONCLUSIVE"}
    assert edge["flags"][0].startswith("verdict changes across seeds: ")
    assert "FLAGGED toy.edge: verdict changes across seeds" in printed and "1 of 2 claims flagged" in printed
    # the spread of each comparison against its own interval: every seed's interval covers the median
    for c in stable["comparisons"] + edge["comparisons"]:
        assert c["coverage_of_median"] == 1.0 and 0 < c["sd_over_half_width"] < 1
        assert len(c["per_seed"]) == 8
    page = (out / "index.html").read_text()
    assert "toy.edge" in page and "FLAGGED" in page and "http" not in page.split("<body>")[1]


def test_each_seed_is_exactly_the_run_at_that_seed(tmp_path):
    from verify.cli import main

    claims = _file(tmp_path, CLAIMS_PY)
    _cli("--claims", claims, "--seeds", 2, "--first-seed", 41, "--out", tmp_path / "stab")
    for seed in (41, 42):
        assert main(["check", str(claims), "--seed", str(seed), "--out", str(tmp_path / f"check{seed}")]) in (0, 1)
        alone = _json(tmp_path / f"check{seed}" / "results.json")["claims"]
        inside = _json(tmp_path / "stab" / "runs" / f"s{seed}" / "results.json")["claims"]
        assert _without_times(inside) == _without_times(alone)
    s41, s42 = (_json(tmp_path / "stab" / "runs" / f"s{s}" / "results.json")["claims"][0] for s in (41, 42))
    assert s41["checks"][0]["comparisons"][0]["measured"] != s42["checks"][0]["comparisons"][0]["measured"]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow is the point
def test_nan_evidence_is_flagged(tmp_path, capsys):
    out = tmp_path / "stab"
    assert _cli("--claims", _file(tmp_path, NAN_PY), "--seeds", 2, "--out", out) == 1
    claim = _json(out / "stability.json")["claims"][0]
    assert claim["counts"] == {"ERROR": 2} and claim["flagged"]
    assert any(f.startswith("ERROR at seeds 0, 1: NonFiniteEvidence") for f in claim["flags"])
    assert any(f.startswith("NaN/inf in the evidence at seeds 0, 1: 'mean of toy.sum'") for f in claim["flags"])


def test_nonfinite_paths_reads_the_strings_results_json_carries():
    from verify.stability import nonfinite_paths

    result = {"checks": [{"check": "c", "comparisons": [
        {"name": "a", "measured": 1.0, "interval": [0.5, "inf"], "band": ["-inf", 2.0], "detail": {}},
        {"name": "b", "measured": "-inf", "interval": [1.0, 1.0], "band": [0, 1], "detail": {"slopes": [1, "nan"]}}]}]}
    assert nonfinite_paths(result) == ["'c' / 'b'.measured = -inf", "'c' / 'b'.detail.slopes[1] = nan"]


def test_spread_statistics():
    from verify.stability import ClaimStability

    cs = ClaimStability("t", "g", "s")
    for seed, (m, lo, hi) in enumerate([(1.0, 0.5, 1.5), (1.2, 0.7, 1.7), (3.0, 2.9, 3.1)]):
        cs.add(seed, {"verdict": "PASS", "checks": [{"check": "c", "comparisons": [
            {"name": f"x (seed-dependent name {seed})", "measured": m, "interval": [lo, hi], "decision": "PASS",
             "expected": 1.0, "band": [0, 4]}]}]})
    (sp,) = cs.comparisons  # matched by check and position, not by the name
    assert sp.median == 1.2 and sp.half_width == 0.5 and sp.coverage == pytest.approx(2 / 3)
    assert sp.sd == pytest.approx(statistics.stdev([1.0, 1.2, 3.0])) and not cs.flagged
    cs.add(3, {"verdict": "ERROR", "error": "Traceback\nZeroDivisionError: x", "checks": []})
    assert cs.comparisons[0].measured[-1] is None and cs.flags == [
        "verdict changes across seeds: 3 PASS, 1 ERROR (PASS at seeds 0, 1, 2; ERROR at seed 3)",
        "ERROR at seed 3: ZeroDivisionError: x"]


@pytest.mark.parametrize("argv, message", [
    (("--seeds", "1"), "--seeds 1 is out of range"),
    (("--seeds", "x"), "--seeds 'x' is not an integer"),
    (("--only", "nope.*"), "--only 'nope.*' matches no claim"),
    (("--first-seed", str(2**31 - 2), "--seeds", "5"), "goes past the largest seed"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, argv, message):
    assert _cli(*argv, "--out", tmp_path / "o") == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and not (tmp_path / "o" / "stability.json").exists()


def test_a_bad_claim_file_runs_nothing(tmp_path, capsys):
    bad = _file(tmp_path, 'from verify.claimfile import moment\nCLAIMS = [moment("x.y", "s", observable="toy.nope")]\n')
    assert _cli("--claims", bad, "--out", tmp_path / "o") == 2
    assert "nothing was run" in capsys.readouterr().err and not (tmp_path / "o" / "stability.json").exists()


def test_api_stability_takes_claims_and_files(tmp_path):
    from verify import api
    from verify.claimfile import moment

    claim = moment("toy.m", "E (1/n)Σξ² = 1", observable="toy.sum", column=2, width=4, expected=1, tolerance=0.2,
                   replicates=400)
    report = api.stability([claim], seeds=3, first_seed=5)
    assert report.seeds == [5, 6, 7] and report.exit_code == 0 and report.claims[0].counts == {"PASS": 3}
