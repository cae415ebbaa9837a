"""A Dask worker killed mid-claim (issue 15 item 4): the scheduler runs the claim again on a worker that lives,
and the claim appears once with its verdict — the Dask side of tests/fast/test_parallel.py's local-process test
(a LocalCluster's nanny restarts the killed worker: tens of seconds on 2 loaded cores, hence slow)."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_a_killed_dask_worker_reruns_its_claim(tmp_path):
    distributed = pytest.importorskip("distributed")
    from verify._model import PROFILES
    from verify.claimfile import load_all, run_loaded
    from verify.parallel import DaskExecutor

    path = tmp_path / "killers.py"
    killer = (Path(__file__).resolve().parents[1] / "killer_claims.py.txt").read_text(encoding="utf-8")
    path.write_text(killer.replace(
        'CLAIMS = [_claim("t.killed-once", killed_once), _claim("t.killed-always", killed_always),',
        'CLAIMS = [_claim("t.killed-once", killed_once),'))
    loaded = load_all([path])
    assert [c.id for c in loaded.claims] == ["t.killed-once", "t.fine"]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client, DaskExecutor(client) as executor:
            outcome = run_loaded(loaded, PROFILES["quick"], 0, executor=executor)
    assert (tmp_path / "killed-once.mark").exists()  # the first attempt did die
    assert [(r["id"], r["verdict"]) for r in outcome.results] == [("t.killed-once", "PASS"), ("t.fine", "PASS")]
