"""XLA compilations are counted per claim and per run (jax.monitoring's backend-compile event)."""
from __future__ import annotations

import numpy as np

from verify._compilations import counting
from verify._model import PROFILES, Claim, Source, View
from verify.checks import Exact, exact
from verify.runner import execute, new_document, run_claim

QUICK = PROFILES["quick"]


def _claim(cid: str) -> Claim:
    def compute(ctx):
        from verify._jax import jax, jnp

        f = jax.jit(lambda x: jnp.sum(jnp.tanh(x) ** 2))  # a new function: nothing cached in memory
        # numpy inputs: moving them to the device compiles nothing, so only f's compilations count
        values = [float(f(np.ones(3))), float(f(np.full(3, 2.0))), float(f(np.ones(4)))]
        return [exact("f at shape (3,) and (4,) is finite", 1.0, float(np.isfinite(values).all()), 0.0, "numpy")]

    return Claim(cid, "test", Source("seeds/none", "§0"), "s", "s", "r", (Exact("jit twice", View.NUMERIC, compute),))


def test_one_jitted_function_at_two_shapes_counts_two_compilations():
    result = run_claim(_claim("t.jit"), QUICK, 0)
    assert result["verdict"] == "PASS"
    assert result["compilations"] == 2
    assert result["compile_s"] > 0.0
    assert 0 <= result["compile_cache_hits"] <= 2


def test_the_run_sums_its_claims_compilations(tmp_path):
    doc = execute([_claim("t.a"), _claim("t.b")], new_document("r", QUICK, 0, []), tmp_path, QUICK, 0)
    assert doc["run"]["compilations"] == 4 == sum(c["compilations"] for c in doc["claims"])


def test_counters_nest_and_stop_counting_when_closed():
    from verify._jax import jax, jnp

    f = jax.jit(lambda x: jnp.cos(x).sum())
    with counting() as outer:
        f(np.ones(2))
        with counting() as inner:
            f(np.ones(5))
    f(np.ones(7))
    assert (outer.count, inner.count) == (2, 1)
