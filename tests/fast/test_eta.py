"""The run's time-left estimate: priors per claim and profile, a machine factor learnt from finished claims.
Clock readings are injected; nothing here is timed."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from verify._eta import DEFAULT_SECONDS, Estimate, baseline_times, modelled_seconds, priors
from verify._model import PROFILES, Claim, PerProfile, Source, View
from verify.checks import Exact, MeanEquals, Series, exact

QUICK, STANDARD = PROFILES["quick"], PROFILES["standard"]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _sampler(key, width, count, **kw):
    return np.zeros((count, 1))


def _claim(cid: str, replicates=PerProfile(100, 400, 1600)) -> Claim:
    return Claim(cid, "test", Source("seeds/none", "§0"), "s", "s", "r",
                 (Exact("exact", View.NUMERIC, lambda ctx: [exact("1 = 1", 1.0, 1.0, 0.0, "arithmetic")]),
                  MeanEquals("mean", _sampler, (Series("E", 0.0, 0.5),), replicates)))


def test_before_any_claim_finishes_the_estimate_is_the_sum_of_the_priors():
    est = Estimate({"a": 3.0, "b": 7.5, "c": 0.5})
    assert est.remaining(now=100.0) == pytest.approx(11.0)
    assert est.predicted_total == pytest.approx(11.0)
    assert est.factor == pytest.approx(1.0)


def test_claims_that_took_twice_their_prior_roughly_double_what_is_left():
    est = Estimate({f"c{i}": 10.0 for i in range(20)})
    t = 0.0
    for i in range(10):
        est.start(f"c{i}", t)
        t += 20.0
        est.finish(f"c{i}", t)
    left = est.remaining(t)
    assert 1.6 * 100.0 <= left <= 2.0 * 100.0, left
    # a claim in flight counts only what is left of its own (scaled) prediction
    est.start("c10", t)
    assert est.remaining(t + 5.0) == pytest.approx(left - 5.0)


def test_claims_faster_than_their_prior_shrink_the_estimate():
    est = Estimate({f"c{i}": 10.0 for i in range(20)})
    for i in range(10):
        est.start(f"c{i}", 10.0 * i)
        est.finish(f"c{i}", 10.0 * i + 5.0)
    assert 50.0 <= est.remaining(100.0) <= 0.7 * 100.0


def test_one_short_claim_cannot_swing_the_machine_factor():
    est = Estimate({"tiny": 0.2, "big": 100.0})
    est.start("tiny", 0.0)
    est.finish("tiny", 1.0)  # 5× its prior, mostly start-up
    assert est.factor < 1.2


def test_an_unknown_claim_gets_the_default():
    assert priors([_claim("t.unknown")], QUICK, baseline={}) == {"t.unknown": DEFAULT_SECONDS.value}


def test_a_baseline_claim_is_priced_from_the_baseline_and_scaled_by_the_profiles_sampling():
    claim = _claim("t.known")
    assert priors([claim], QUICK, baseline={"t.known": 2.5}) == {"t.known": pytest.approx(2.5)}
    assert priors([claim], STANDARD, baseline={"t.known": 2.5}) == {"t.known": pytest.approx(10.0)}  # 400/100 replicates


def test_the_committed_baseline_prices_the_catalogue():
    from verify import claims as catalogue

    times = baseline_times()
    ids = [c.id for c in catalogue.select(None)]
    assert times and all(t > 0 for t in times.values())
    assert sum(i in times for i in ids) >= 0.9 * len(ids)  # a few claims may be newer than the baseline


def test_a_claim_file_claim_is_priced_by_its_observables_cost_model():
    from verify.claimfile import load

    claims, errors = load(EXAMPLES / "claims_ntk.toml")
    assert not errors and claims
    priced = [modelled_seconds(c, QUICK) for c in claims]
    assert any(p is not None for p in priced)
    assert all(p is None or 0.0 < p < 3600.0 for p in priced)
    assert set(priors(claims, QUICK, baseline={})) == {c.id for c in claims}


def test_a_run_records_its_prediction_its_time_and_its_compilations(tmp_path, capsys):
    import json

    from verify.cli import main

    assert main(["run", "--only", "shallow.param-count", "--profile", "quick", "--out", str(tmp_path),
                 "--run-id", "r", "--no-html"]) == 0
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    est, claim = doc["run"]["estimate"], doc["claims"][0]
    assert est["predicted_s"] == pytest.approx(baseline_times()["shallow.param-count"], abs=0.05)
    assert est["actual_s"] >= 0.0 and est["claims"] == 1
    assert doc["run"]["compilations"] == claim["compilations"] >= 0
    assert "XLA compilations" in (tmp_path / "r" / "summary.md").read_text()
    # the plain (not a terminal) progress line of the last claim has nothing left to predict
    assert "left" not in capsys.readouterr().err


def test_the_progress_line_shows_the_time_left(capsys):
    from verify.cli._progress import Progress

    a, b = _claim("t.a"), _claim("t.b")
    with Progress(2, Estimate({"t.a": 1.0, "t.b": 3725.0})) as bar:
        assert bar.left() == "~1:02:06 left"
        bar.on_claim(a, "start")
        bar.on_claim(a, "PASS")
    assert "[1/2] PASS" in capsys.readouterr().err and "left" in bar.left()


def test_a_claim_that_builds_its_sizes_at_run_time_gets_the_catalogues_ratio():
    from verify._eta import profile_ratio, undeclared_ratio
    from verify.checks._deferred import Deferred

    exact_only = Claim("t.exact", "test", Source("seeds/none", "§0"), "s", "s", "r", (_claim("x").checks[0],))
    deferred = Claim("t.deferred", "test", Source("seeds/none", "§0"), "s", "s", "r",
                     (Deferred("built", View.MONTE_CARLO, lambda profile: _claim("x").checks[1]),))
    assert profile_ratio(exact_only, STANDARD, undeclared=6.0) == 1.0
    assert profile_ratio(deferred, STANDARD, undeclared=6.0) == 6.0
    assert profile_ratio(deferred, QUICK, undeclared=1.0) == 1.0
    # the catalogue samples more at standard than at quick, and more still at full
    times = baseline_times()
    assert 1.0 < undeclared_ratio(STANDARD, times) < undeclared_ratio(PROFILES["full"], times)


def test_a_profiles_measured_times_price_its_claims_before_the_quick_baseline():
    claim = _claim("t.known")
    got = priors([claim], STANDARD, baseline={"t.known": 2.5}, measured={"t.known": 7.0})
    assert got == {"t.known": pytest.approx(7.0)}  # not 2.5 × 400/100
    assert priors([claim], STANDARD, baseline={"t.known": 2.5}, measured={}) == {"t.known": pytest.approx(10.0)}


def test_measured_times_round_trip_and_name_their_profile(tmp_path):
    import json

    from verify._eta import profile_times, write_profile_times

    results = tmp_path / "results.json"
    results.write_text(json.dumps({"run": {"profile": "standard", "seed": 0, "id": "r"},
                                   "claims": [{"id": "a.b", "time_s": 3.456}]}))
    write_profile_times(results, tmp_path)
    assert profile_times(STANDARD, tmp_path) == {"a.b": 3.46}
    assert profile_times(QUICK, tmp_path) == {}  # no times-quick.json: the baseline prices quick


def test_the_committed_standard_times_price_the_catalogue():
    from verify import claims as catalogue
    from verify._eta import profile_times

    times = profile_times(STANDARD)
    ids = {c.id for c in catalogue.select(None)}
    assert times and set(times) <= ids and all(t >= 0 for t in times.values())
    assert sum(i in times for i in ids) >= 0.9 * len(ids)
