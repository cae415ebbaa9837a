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


# ---- per group: a sweep's compiled programs do not grow with its widths ----------------------------------------

class _Lowered:
    """The MLIR modules JAX lowers (one per compilation, before any persistent-cache lookup) while the block runs."""

    def __init__(self, tmp_path):
        self.folder = tmp_path / "ir"

    def __enter__(self):
        from verify._jax import jax

        jax.config.update("jax_dump_ir_to", str(self.folder))
        return self

    def __exit__(self, *exc):
        from verify._jax import jax

        jax.config.update("jax_dump_ir_to", "")  # the default: no dump
        return False

    def count(self, needle: str) -> int:
        """Modules that hold `needle` (e.g. the normal sampler's erf_inv)."""
        files = self.folder.glob("*.mlir") if self.folder.exists() else ()
        return sum(needle in f.read_text() for f in files)


def test_shallow_gd_sweep_compiles_its_normal_sampler_once(tmp_path):
    from verify._jax import key_for
    from verify.observables import shallow as sh

    sample = sh.gd_sampler("tanh", 3, False)
    with counting() as c, _Lowered(tmp_path) as ir:
        for n in (8, 24, 40):  # widths no other test of this file uses: nothing is cached in memory for them
            sample(key_for(0, "gd-width", n), n, 2, max_width=40)
    # one train program for the three widths (one padded bucket), plus the draws and the kernel unless an earlier
    # test compiled them (lin.network_gd runs on the same programs)
    assert 1 <= c.count <= 3
    assert ir.count("erf_inv") <= 1  # one sampler for the sweep, not one per width


def test_lin_inits_share_one_sampler_over_widths(tmp_path):
    from verify._jax import key_for
    from verify.observables import lin

    with _Lowered(tmp_path) as ir:
        params = [lin.init(key_for(0, "lin-width", n), n) for n in (5, 9, 13, 17)]
    assert [p.U.shape[0] for p in params] == [5, 9, 13, 17]
    assert ir.count("erf_inv") <= 1


def test_meanfield_sweep_compiles_nothing_more_for_more_widths():
    from verify._jax import key_for
    from verify.observables import meanfield as mf

    sample = mf.scalar_sampler("sin", 0.5, pad=96)
    sample(key_for(0, "mf-width", 7), 7, 4)  # the first width compiles the program (and eager set-up)
    with counting() as c:
        for m in (31, 50, 96):
            sample(key_for(0, "mf-width", m), m, 4)
    assert c.count == 0


def test_chizat_alpha_sweep_compiles_nothing_more_for_more_alphas():
    from verify._jax import key_for
    from verify.observables import chizat

    sample = chizat.gaps_sampler(0.25, 4, "antisymmetric")
    sample(key_for(0, "chizat-alpha", 1), 1.0, 2)
    with counting() as c:
        for alpha in (10.0, 100.0):
            sample(key_for(0, "chizat-alpha", int(alpha)), alpha, 2)
    assert c.count == 0
