"""Where claims run (verify.parallel, issue 15 item 4): local processes and a Dask cluster give the verdicts and
the numbers of one process bit for bit, results stream into results.json in the selection's order, a claim whose
worker is killed runs again (at most MAX_RETRIES times) and otherwise ends as an ERROR naming the signal — never
vanishes; and bad options are one-line errors. Cheap catalogue claims only (≤ 1.5 s each in reports/baseline)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from verify import claims
from verify._model import PROFILES
from verify.cli import main
from verify.parallel import MAX_RETRIES, DaskExecutor, ExecutorError, LocalExecutor, SerialExecutor, Task
from verify.runner import execute, new_document

QUICK = PROFILES["quick"]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# a symbolic+numeric PASS, a Monte Carlo PASS (closed form vs sampled moments), a symbolic+numeric FAIL
CHEAP = ("shallow.param-count", "shallow.lecun-init", "meanfield.hessian-diagonal")


def _numbers(result: dict) -> dict:
    """A result without what may differ between processes by design: wall times, retry counts and the compiler's
    work (a warm process or the persistent cache compiles less)."""
    r = json.loads(json.dumps(result))
    for volatile in ("time_s", "retried", "compilations", "compile_s", "compile_cache_hits", "trace_lower_s"):
        r.pop(volatile, None)
    for ch in r["checks"]:
        ch.pop("time_s", None)
    return r


def _run(executor, ids=CHEAP, seed=3) -> dict[str, dict]:
    return {task.claim.id: r for task, r in executor.run([Task(claims.get(i), seed) for i in ids], QUICK)}


@pytest.fixture(scope="module")
def serial() -> dict[str, dict]:
    with SerialExecutor() as executor:
        return _run(executor)


@pytest.fixture(scope="module")
def local():
    """Two workers for the module: a worker's start (a fresh interpreter importing JAX and the catalogue)
    costs seconds, and workers are kept between runs of one executor."""
    with LocalExecutor(2) as executor:
        yield executor


def test_local_processes_give_the_numbers_of_one_process(serial, local):
    local = _run(local)
    assert sorted(local) == sorted(CHEAP)
    assert {i: r["verdict"] for i, r in local.items()} == {"shallow.param-count": "PASS", "shallow.lecun-init": "PASS",
                                                          "meanfield.hessian-diagonal": "FAIL"}
    for i in CHEAP:
        assert local[i]["retried"] == 0
        assert _numbers(local[i]) == _numbers(serial[i]), i  # == on floats: bit for bit


def test_a_dask_cluster_gives_the_numbers_of_one_process(serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client, DaskExecutor(client) as executor:
            remote = _run(executor)
    assert sorted(remote) == sorted(CHEAP)
    for i in CHEAP:
        assert _numbers(remote[i]) == _numbers(serial[i]), i


def test_results_stream_in_selection_order_and_resume_skips_finished_claims(tmp_path, serial, local):
    ids = ("shallow.param-count", "meanfield.hessian-diagonal", "shallow.lecun-init")
    doc = new_document("r", QUICK, 3, ["test"])
    doc["claims"].append(serial["shallow.param-count"])  # finished before an interruption
    seen = []

    def after(result):
        seen.append(result["id"])
        # written as each claim ends: the file on disk already holds every claim finished before this one
        on_disk = json.loads((tmp_path / "results.json").read_text()) if (tmp_path / "results.json").exists() else None
        assert on_disk is None or len(on_disk["claims"]) == len(seen)

    doc = execute([claims.get(i) for i in ids], doc, tmp_path, QUICK, 3, after_claim=after, executor=local)
    assert sorted(seen) == sorted(ids[1:])  # the finished claim is not run again
    written = json.loads((tmp_path / "results.json").read_text())
    assert [c["id"] for c in written["claims"]] == list(ids) and written["run"]["finished"]
    assert [_numbers(c) for c in written["claims"][1:]] == [_numbers(serial[i]) for i in ids[1:]]


# a claim file whose checks kill their own worker process (SIGKILL): once, always, never
KILLER = (Path(__file__).resolve().parents[1] / "killer_claims.py.txt").read_text(encoding="utf-8")


def test_a_killed_worker_reruns_its_claim_and_a_claim_that_always_kills_is_an_error_naming_the_signal(tmp_path, local):
    from verify.claimfile import load_all, run_loaded

    path = tmp_path / "killers.py"
    path.write_text(KILLER)
    loaded = load_all([path])
    assert not loaded.errors
    outcome = run_loaded(loaded, QUICK, 0, executor=local)
    by_id = {r["id"]: r for r in outcome.results}
    assert [r["id"] for r in outcome.results] == ["t.killed-once", "t.killed-always", "t.fine"]  # each exactly once
    assert (tmp_path / "killed-once.mark").exists()  # the first attempt did die
    assert by_id["t.killed-once"]["verdict"] == "PASS" and by_id["t.killed-once"]["retried"] == 1
    gone = by_id["t.killed-always"]
    assert gone["verdict"] == "ERROR" and gone["retried"] == MAX_RETRIES
    assert "SIGKILL" in gone["summary"] and f"{MAX_RETRIES + 1} attempts" in gone["error"]
    assert by_id["t.fine"]["verdict"] == "PASS" and by_id["t.fine"]["retried"] == 0


@pytest.mark.parametrize("argv, needle", [
    (["--workers", "0"], "--workers 0 is out of range"),
    (["--workers", "two"], "--workers 'two' is not an integer"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "drop --workers"),
])
@pytest.mark.parametrize("command", ["run", "check", "stability"])
def test_bad_executor_options_are_one_line_errors(command, argv, needle, tmp_path, capsys):
    head = {"run": ["run", "--only", "shallow.param-count", "--out", str(tmp_path)],
            "check": ["check", str(EXAMPLES / "claims_identities.toml")],
            "stability": ["stability", "--only", "shallow.param-count", "--out", str(tmp_path)]}[command]
    assert main(head + argv) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1, err
    assert not (tmp_path / "latest").exists()  # nothing ran


def test_a_missing_dask_names_the_extra_to_install(monkeypatch, tmp_path, capsys):
    import builtins

    real = builtins.__import__

    def no_dask(name, *a, **k):
        if name.split(".")[0] in ("distributed", "dask"):
            raise ImportError(f"No module named {name!r}")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    assert main(["run", "--only", "shallow.param-count", "--out", str(tmp_path), "--scheduler", "tcp://h:8786"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'ntkverify[dask]'" in err and "--scheduler" in err, err


def test_an_unreachable_scheduler_is_an_error_naming_the_address():
    pytest.importorskip("distributed")
    with pytest.raises(ExecutorError, match=r"tcp://127\.0\.0\.1:9.*no Dask scheduler answered within 1 s"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=1.0)


# Within a claim Monte Carlo is spread over every JAX device (verify._jax.sharded_vmap): each replicate's draws
# depend on its key alone, and only the order in which a mean adds the devices' partial sums changes with
# their number — a few units in the last place (measured at seed 2, 4 vs 1 devices: 6 of the 86 numbers of
# linear3.hidden-law and shallow.lecun-init differ, by at most 1.05e-15 relative; every decision the same).
DEVICE_RTOL = 1e-12


def test_a_monte_carlo_claim_on_4_devices_gives_the_numbers_of_1_device(tmp_path):
    import os
    import subprocess
    import sys

    claim = "linear3.hidden-law"  # a Kolmogorov distance and moments of 2000+ sampled replicates
    procs = {}
    for devices in (1, 4):  # both at once: each is mostly a fresh interpreter's start
        env = {**os.environ, "XLA_FLAGS": f"--xla_force_host_platform_device_count={devices}", "JAX_PLATFORMS": "cpu"}
        procs[devices] = subprocess.Popen(
            [sys.executable, "-m", "verify", "run", "--only", claim, "--profile", "quick", "--seed", "2", "--out",
             str(tmp_path), "--run-id", f"d{devices}", "--no-html"], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
    docs = {}
    for devices, proc in procs.items():
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        docs[devices] = json.loads((tmp_path / f"d{devices}" / "results.json").read_text())
    assert docs[4]["run"]["jax"]["devices"] == 4 and docs[1]["run"]["jax"]["devices"] == 1
    one, four = docs[1]["claims"][0], docs[4]["claims"][0]
    assert one["verdict"] == four["verdict"] == "PASS"
    pairs = [(a, b) for ca, cb in zip(one["checks"], four["checks"])
             for a, b in zip(ca["comparisons"], cb["comparisons"]) if a["view"] == "monte_carlo"]
    assert pairs
    for a, b in pairs:
        assert a["decision"] == b["decision"], a["name"]
        for x, y in [(a["measured"], b["measured"]), *zip(a["interval"], b["interval"])]:
            assert abs(x - y) <= DEVICE_RTOL * abs(x), (a["name"], x, y)


def test_stability_over_workers_gives_the_report_of_one_process(local):
    from verify.stability import stability

    picked = [claims.get("rkhs.linear-kernel"), claims.get("shallow.param-count")]
    ended = []
    one = stability(picked, 3, "quick", 5)
    spread = stability(picked, 3, "quick", 5, on_result=lambda c, s, r: ended.append((c.id, s)), executor=local)
    assert sorted(ended) == sorted((c.id, s) for c in picked for s in (5, 6, 7))  # each run reported once
    assert [c["id"] for c in spread.as_dict()["claims"]] == ["rkhs.linear-kernel", "shallow.param-count"]
    assert spread.as_dict() == one.as_dict()  # seeds, verdicts, spreads of every comparison: in the same order


def test_a_claim_that_cannot_be_sent_to_a_worker_is_an_error_naming_the_fix(local):
    from verify._model import Claim, Source, View
    from verify.checks import Exact, exact

    lam = Claim("t.lambda", "test", Source("tests", "§0"), "s", "s", "r",
                (Exact("exact", View.NUMERIC, lambda ctx: [exact("one", 1.0, 1.0, 0.0, "arithmetic")]),))
    (task, result), = local.run([Task(lam, 0)], QUICK)
    assert task.claim is lam and result["verdict"] == "ERROR"
    assert "NotSendable: define this claim in a claim file, or run it without workers" in result["summary"]


def test_an_idle_worker_keeps_to_its_group_then_takes_a_group_nobody_holds():
    from types import SimpleNamespace

    from verify.parallel._local import next_index

    pending = [(SimpleNamespace(claim=SimpleNamespace(group=g, id=f"{g}.{i}")), 0)
               for i, g in enumerate(("a", "b", "a", "c", "b"))]
    assert next_index(pending, "b", {"a"}) == 1  # its own group first, though "a" comes first
    assert next_index(pending, "c", {"a"}) == 3
    assert next_index(pending, None, {"a"}) == 1  # a fresh worker: the first group no other worker holds
    assert next_index(pending, "d", {"a", "b", "c"}) == 0  # every group held: help with the first task
    assert next_index(pending[:1], "b", {"a"}) == 0


def test_groups_of_most_predicted_seconds_are_handed_out_first_each_in_its_order():
    from types import SimpleNamespace

    from verify.parallel._base import largest_groups_first

    tasks = [Task(SimpleNamespace(id=i, group=i.split(".")[0]), 0) for i in ("a.1", "b.1", "a.2", "c.1", "b.2")]
    seconds = {"a.1": 1.0, "a.2": 1.0, "b.1": 5.0, "b.2": 0.5, "c.1": 2.0}
    assert [t.claim.id for t in largest_groups_first(tasks, seconds)] == ["b.1", "b.2", "a.1", "a.2", "c.1"]
