"""The mean-field average g(u) = (1/m)Σφ(uⱼ) of seed 003 §4: SymPy structure for a generic φ (and wrong
statements rejected), operator-norm identities as properties, the JAX model and samplers, the claims'
deterministic checks, a wrong exponent rejected, and a claim file on a meanfield observable."""
from __future__ import annotations

import textwrap

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from verify._jax import jax, jnp, key_for
from verify.models import meanfield as model
from verify.observables import meanfield as obs
from verify.observables._base import memoised
from verify.tolerances import ROUNDOFF


class _Lazy:
    """derive.meanfield imported on first use, inside a test (see tests/fast/test_exponents.py)."""

    def __getattr__(self, name):
        import importlib

        if name.startswith("_") or name.startswith("pytest"):
            raise AttributeError(name)
        return getattr(importlib.import_module("derive.meanfield"), name)


d = _Lazy()


# ---- SymPy ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("m", [1, 2, 4])
def test_scalar_gradient_and_diagonal_hessian_for_a_generic_phi(m):
    assert all(r.holds for r in d.check_scalar(m))
    assert all(r.holds for r in d.check_taylor(m))


@pytest.mark.parametrize("m, dim", [(1, 1), (2, 3), (3, 2)])
def test_block_diagonal_hessian_for_a_generic_phi(m, dim):
    results = d.check_blocks(m, dim)
    assert [r.holds for r in results] == [True, True]


def test_block_diagonal_hessian_for_the_two_layer_phi():
    assert all(r.holds for r in d.check_two_layer(2, 2))
    assert all(r.holds for r in d.check_two_layer(3, 1))
    assert all(r.holds for r in d.check_gram(2, 2, 3))


def test_sympy_rejects_wrong_statements():
    import sympy as sp

    # a block without the 1/m: the block-diagonal comparison fails, the off-diagonal one still holds
    off, blocks = d.check_blocks(3, 2, stated_block=lambda phi_j, u_j, m: sp.hessian(phi_j, u_j))
    assert off.holds and not blocks.holds
    # D²g stated with a 1/m² factor
    wrong = lambda u, m: {"gradient": sp.Matrix([sp.diff(d.PHI(v), v) for v in u]) / m,
                          "norm2": sum(sp.diff(d.PHI(v), v) ** 2 for v in u) / m,  # 1/m instead of 1/m²
                          "hessian": sp.diag(*[sp.diff(d.PHI(v), v, 2) for v in u]) / m ** 2}
    grad, norm2, hess = d.check_scalar(3, stated=wrong)
    assert grad.holds and not norm2.holds and not hess.holds
    # the Gram identity with 1/m instead of 1/m²
    (gram,) = d.check_gram(2, 2, 2, stated=lambda ds, m: sum((D * D.T for D in ds), sp.zeros(2, 2)) / m)
    assert not gram.holds


def test_two_layer_block_with_a_wrong_entry_is_rejected():
    import sympy as sp

    def wrong(phi_j, u_j, m):  # σ' in place of σ'' in the ∂²/∂b² block
        h = sp.hessian(phi_j, u_j) / m
        return h + sp.diag(0, *([1] * (len(u_j) - 1))) / m

    results = d.check_two_layer(2, 2, stated_block=wrong)
    assert results[0].holds and not results[1].holds


def test_hessian_norm_counterexample_is_exact():
    import sympy as sp

    hess, op, stated = d.hessian_at_zero_for_sin(3)
    assert hess == sp.zeros(3, 3) and op == 0 and stated == sp.Rational(1, 3)


def test_sympy_opnorm_2x2_identities_hold():
    assert all(r.holds for r in d.check_opnorm_2x2())


def test_sizes_are_validated():
    with pytest.raises(ValueError, match="positive int"):
        d.scalar_symbols(0)
    with pytest.raises(ValueError, match="d=0"):
        d.check_blocks(2, 0)


# ---- operator norms: properties --------------------------------------------------------------------------------

_shapes = st.tuples(st.integers(1, 7), st.integers(1, 7))


@settings(max_examples=60, deadline=None)
@given(shape=_shapes, seed=st.integers(0, 2**31 - 1), scale=st.sampled_from([1e-6, 1.0, 1e6]))
def test_opnorm_square_and_transpose(shape, seed, scale):
    A = np.random.default_rng(seed).normal(size=shape) * scale
    op = np.linalg.norm(A, 2)
    assert abs(op**2 - np.linalg.norm(A.T @ A, 2)) <= 10 * ROUNDOFF.value * op**2
    assert abs(op - np.linalg.norm(A.T, 2)) <= 10 * ROUNDOFF.value * op


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 7), seed=st.integers(0, 2**31 - 1))
def test_symmetric_opnorm_is_the_quadratic_form_sup(n, seed):
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(n, n))
    S = B + B.T
    op = np.linalg.norm(S, 2)
    lam, vec = np.linalg.eigh(S)
    v = vec[:, np.argmax(np.abs(lam))]
    assert abs(abs(v @ S @ v) - op) <= 10 * ROUNDOFF.value * op  # attained
    x = rng.normal(size=(200, n))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    assert np.max(np.abs(np.einsum("pi,ij,pj->p", x, S, x))) <= op * (1 + 10 * ROUNDOFF.value)  # never exceeded


def test_quadratic_form_sup_is_not_the_opnorm_without_symmetry():
    """Property 6 needs symmetry: a rotation by 90° has ‖A‖_op = 1 but xᵀAx = 0 for every x."""
    A = np.array([[0.0, -1.0], [1.0, 0.0]])
    t = np.linspace(0, 2 * np.pi, 721)
    x = np.stack([np.cos(t), np.sin(t)], axis=1)
    assert np.max(np.abs(np.einsum("pi,ij,pj->p", x, A, x))) < 1e-15
    assert np.linalg.norm(A, 2) == pytest.approx(1.0, abs=1e-15)


# ---- JAX model -----------------------------------------------------------------------------------------------

@settings(max_examples=4, deadline=None)
@given(m=st.integers(1, 6), seed=st.integers(0, 2**31 - 1))
def test_jax_hessian_of_the_two_layer_g_is_block_diagonal(m, seed):
    rng = np.random.default_rng(seed)
    U = jnp.asarray(rng.normal(size=(m, 3)))
    X = jnp.asarray(model.X_INPUTS[:1])
    phi = lambda uj: model.phi_two_layer(uj, X, jnp.tanh)[0]
    H = np.asarray(jax.hessian(lambda V: model.g_two_layer(V, jnp.ones(m), m, X, jnp.tanh)[0])(U)).reshape(3 * m, 3 * m)
    for j in range(m):
        for k in range(m):
            block = H[3 * j:3 * j + 3, 3 * k:3 * k + 3]
            want = np.asarray(jax.hessian(phi)(U[j])) / m if j == k else np.zeros((3, 3))
            np.testing.assert_allclose(block, want, rtol=0, atol=ROUNDOFF.value)


def test_padding_contributes_nothing():
    rng = np.random.default_rng(0)
    m, M = 5, 12
    u = rng.normal(size=M)
    msk = model.mask(M, m)
    padded = model.g_scalar(jnp.asarray(u), msk, m, jnp.sin)
    assert float(padded) == pytest.approx(float(np.mean(np.sin(u[:m]))), rel=1e-15)
    grad = np.asarray(jax.grad(model.g_scalar)(jnp.asarray(u), msk, m, jnp.sin))
    assert np.all(grad[m:] == 0) and np.allclose(grad[:m], np.cos(u[:m]) / m, rtol=1e-15)


def test_closed_forms_match_quadrature():
    from numeric.meanfield import gram_quadrature

    np.testing.assert_allclose(model.gram_limit("erf", "closed"), gram_quadrature(), rtol=0, atol=1e-10)
    for phi in model.PHIS:
        assert float(model.mean_phi_prime_sq(phi)) == pytest.approx(float(model.mean_phi_prime_sq_quadrature(phi)),
                                                                    rel=1e-14)


# ---- numeric/meanfield.py: the deterministic checks' numbers ---------------------------------------------------

def _inst(family, shape=(), widths=(1, 3, 7), seed=0):
    from numeric import meanfield as nm

    return nm.instances(np.random.default_rng(seed), family, widths, 2, shape)


@pytest.mark.parametrize("phi", sorted(model.PHIS))
def test_numeric_scalar_derivatives_match_the_hand_formulas(phi):
    from numeric import meanfield as nm

    inst = _inst(phi)
    assert [len(u) for u, _, _ in inst] == [1, 1, 3, 3, 7, 7] and all(H.shape == (len(u),) * 2 for u, _, H in inst)
    assert max(nm.gradient_errors(inst, phi).values()) <= ROUNDOFF.value
    e = nm.hessian_errors(inst, phi)
    assert max(e["off"], e["diag"], e["eq"]) <= ROUNDOFF.value
    assert e["slack"] <= ROUNDOFF.value and e["best"] == max(e["per_m"].values())
    other = "tanh" if phi == "sin" else "sin"  # the hand formulas of another φ: the errors see it
    assert nm.gradient_errors(inst, other)["grad"] > 0.1 and nm.hessian_errors(inst, other)["diag"] > 0.1


def test_numeric_hessian_errors_see_a_wrong_scale():
    from numeric import meanfield as nm

    doubled = [(u, g, 2 * H) for u, g, H in _inst("sin")]  # D²g stated without its 1/m would look like this
    assert nm.hessian_errors(doubled, "sin")["diag"] > 0.1


@pytest.mark.parametrize("family", ["two-layer", "generic"])
def test_numeric_block_hessian_is_block_diagonal_and_attains_the_bound(family):
    from numeric import meanfield as nm

    e = nm.block_errors(_inst(family, (3,)), family)
    assert max(e["off"], e["blocks"], e["explicit"], e["excess"]) <= ROUNDOFF.value
    assert e["ratio_min"] == pytest.approx(1.0, abs=ROUNDOFF.value)  # a block-diagonal norm is its largest block's


def test_numeric_block_errors_see_coupled_blocks():
    from numeric import meanfield as nm

    inst = [(U, g, H + 0.1) for U, g, H in _inst("generic", (3,), widths=(3,))]  # every entry shifted, off-blocks too
    assert nm.block_errors(inst, "generic")["off"] > 0.01


def test_numeric_gram_and_opnorm_identities_hold_to_roundoff():
    from numeric import meanfield as nm

    assert nm.gram_error(np.random.default_rng(1), (1, 4), 2) <= ROUNDOFF.value
    e = nm.opnorm_errors(np.random.default_rng(2), ((1, 3), (4, 4), (5, 2)), per_shape=3, probes=64)
    assert set(e) == {"sq", "t", "sym", "attain", "exceed"} and max(e.values()) <= ROUNDOFF.value


def test_numeric_meanfield_refuses_unknown_families():
    from numeric import meanfield as nm

    with pytest.raises(ValueError, match="family='deep'.*'two-layer' or 'generic'"):
        nm.block_phi("deep")
    with pytest.raises(ValueError, match="activation='tanh'.*erf only"):
        nm.gram_error(np.random.default_rng(0), (1,), 1, "tanh")


# ---- samplers -----------------------------------------------------------------------------------------------

def test_samplers_shapes_seeding_and_errors():
    s = obs.scalar_sampler("sin", 0.5)
    a = s(key_for(1, "x"), 8, 5, max_width=16)
    assert a.shape == (5, len(obs.SCALAR_OUTPUTS))
    np.testing.assert_array_equal(a, s(key_for(1, "x"), 8, 5, max_width=16))
    assert not np.array_equal(a, s(key_for(2, "x"), 8, 5, max_width=16))
    col = obs.SCALAR_OUTPUTS.index
    assert np.all(a[:, col("|R|·2√m/(‖φ''‖_∞‖h‖²) worst")] <= 1 + 1e-9)  # the Taylor bound
    np.testing.assert_allclose(a[:, col("m‖∇g(u⁰)‖²")], 8 * a[:, col("‖∇g(u⁰)‖²")], rtol=1e-14)
    t = obs.two_layer_sampler("erf", 1.0)(key_for(1, "y"), 4, 3, max_width=8)
    assert t.shape == (3, len(obs.TWO_LAYER_OUTPUTS)) and np.all(np.isfinite(t))
    with pytest.raises(ValueError, match="exceeds the padding"):
        s(key_for(1, "x"), 32, 2, max_width=16)
    with pytest.raises(ValueError, match="r=-1"):
        obs.scalar_sampler("sin", -1)
    with pytest.raises(ValueError, match="phi='cos'"):
        obs.scalar_sampler("cos")


def test_paired_step_sampler_measures_one_draw_at_every_step():
    cols = ("|R| worst coordinate", "maxⱼ|φ''(u⁰ⱼ)|")
    steps = (1, 2, 4)
    paired = obs.paired_step_sampler("scalar", "sin", 8, steps, 16, cols, pad=16)
    out = paired(key_for(4, "p"), None, 6)
    assert out.shape == (6, len(cols) * len(steps))
    curv = out[:, len(steps):]  # column-major: the second column at every step
    np.testing.assert_array_equal(curv, np.repeat(curv[:, :1], len(steps), axis=1))  # one u⁰ per replicate
    rem = out[:, :len(steps)]
    assert np.all(np.diff(rem, axis=1) > 0)  # |R| grows with ‖h‖ along the worst coordinate (‖h‖ ≤ 1/4)
    with pytest.raises(ValueError, match="not an output"):
        obs.paired_step_sampler("scalar", "sin", 8, steps, 16, ("nope",))
    with pytest.raises(ValueError, match="kind="):
        obs.paired_step_sampler("deep", "sin", 8, steps, 16, cols)


def test_paired_step_sampler_reuses_the_width_sweeps_program():
    """At the m-sweep's padding the ‖h‖-sweep compiles nothing new (‖h‖ is traced), and its draw at one ‖h‖ is the
    m-sweep's draw from the same keys."""
    from verify._compilations import counting

    key, steps = key_for(5, "reuse"), (1, 2, 4)
    sweep = obs.scalar_sampler("sin", 2 / 16, pad=32)
    at_two = sweep(key, 8, 5)
    with counting() as c:
        paired = obs.paired_step_sampler("scalar", "sin", 8, steps, 16, obs.SCALAR_OUTPUTS, pad=32)(key, None, 5)
    assert c.count == 0
    columns = paired.reshape(5, len(obs.SCALAR_OUTPUTS), len(steps))
    np.testing.assert_array_equal(columns[:, :, steps.index(2)], at_two)


def test_memoised_sampler_draws_once_per_key():
    calls = []

    def sample(key, w, count, max_width=None):
        calls.append(w)
        return np.full((count, 1), float(len(calls)))

    shared = memoised(sample, size=2)
    a, b = key_for(0, "a"), key_for(0, "b")
    first = shared(a, 4, 3, max_width=16)
    assert shared(a, 4, 3, max_width=16) is first and len(calls) == 1  # the same key: no new draw
    assert shared(b, 4, 3, max_width=16)[0, 0] == 2 and shared(a, 8, 3, max_width=16)[0, 0] == 3  # key, width
    assert not first.flags.writeable
    shared(b, 8, 3, max_width=16)  # beyond size = 2 entries the oldest go: (a, 4) is drawn again
    assert shared(a, 4, 3, max_width=16)[0, 0] == 5


def test_observables_are_registered():
    from verify.observables import REGISTRY

    assert {"meanfield.scalar", "meanfield.two_layer"} <= set(REGISTRY)
    assert REGISTRY["meanfield.scalar"].sampler(phi="tanh")(key_for(0, "r"), 4, 2, max_width=4).shape == \
        (2, len(obs.SCALAR_OUTPUTS))


def test_pad_gives_the_numbers_of_the_sweep_padding():
    """The catalogue reads the observables by name with pad = the sweep's largest width: the numbers of the
    samplers padded to max_width, column for column (the draws depend on the padding, so this is what keeps them)."""
    from verify.checks import outputs
    from verify.observables import REGISTRY

    names = ("|R| worst coordinate", "m‖∇g(u⁰)‖²")
    by_name = outputs("meanfield.scalar", names, phi="sin", r=0.5, pad=16)(key_for(3, "p"), 8, 4, max_width=64)
    direct = obs.scalar_sampler("sin", 0.5)(key_for(3, "p"), 8, 4, max_width=16)
    np.testing.assert_array_equal(by_name, direct[:, [obs.SCALAR_OUTPUTS.index(n) for n in names]])
    net = outputs("meanfield.two_layer", ("√m‖DgDgᵀ‖_op", "‖DgDgᵀ‖_op"), pad=8)(key_for(3, "q"), 4, 3)
    np.testing.assert_array_equal(net[:, 0], net[:, 1] * np.sqrt(4.0))
    with pytest.raises(ValueError, match="pad=-1"):
        outputs("meanfield.scalar", names, pad=-1)(key_for(0, "x"), 4, 1)
    with pytest.raises(ValueError, match="exceeds the padding M=8"):
        outputs("meanfield.scalar", names, pad=8)(key_for(0, "x"), 16, 1)
    cost = REGISTRY["meanfield.scalar"].cost
    assert cost({"phi": "sin", "r": 0.5, "pad": 64}, 8, 10) == cost({"phi": "sin", "r": 0.5, "pad": 0}, 64, 10)


# ---- claims -------------------------------------------------------------------------------------------------

def _run_deterministic(claim):
    from verify._model import PROFILES, Context, View
    from verify.stats import Share

    out = {}
    for check in claim.checks:
        if check.view in (View.SYMBOLIC, View.NUMERIC, View.CLOSED_FORM):
            ctx = Context(claim.id, 0, PROFILES["quick"], Share(1e-4, 1, 3))
            out[check.name] = check.run(ctx)
    return out


def test_the_readings_state_the_model_inputs():
    from verify.claims.meanfield import INPUTS, JACOBIAN_GRAM

    np.testing.assert_array_equal(np.asarray(INPUTS), model.X_INPUTS)
    assert "x₁ = (0.6, 0.8), x₂ = (−0.8, 0.9)" in JACOBIAN_GRAM.reading


def test_meanfield_claims_deterministic_checks():
    from verify.claims.meanfield import CLAIMS  # the group alone: other groups' modules are not needed here

    claims = {c.id: c for c in CLAIMS}
    assert set(claims) >= {"meanfield.gradient-norm", "meanfield.hessian-diagonal", "meanfield.linearization",
                           "meanfield.opnorm-identities", "meanfield.jacobian-gram", "meanfield.hessian-blocks",
                           "meanfield.two-layer-lazy"}
    failing = set()
    for cid, claim in claims.items():
        for name, result in _run_deterministic(claim).items():
            if result.verdict.value != "PASS":
                failing.add((cid, name))
    # only the '=' of hessian-diagonal is wrong among the deterministic checks: symbolically at u = 0 and in float64
    assert failing == {("meanfield.hessian-diagonal", "counterexample φ = sin, u = 0 (SymPy)"),
                       ("meanfield.hessian-diagonal", "jax.hessian on random instances")}, failing
    bad = _run_deterministic(claims["meanfield.hessian-diagonal"])["jax.hessian on random instances"]
    wrong = [c for c in bad.comparisons if c.decision.value == "FAIL"]
    assert wrong and all("closest to equality" in c.name for c in wrong)
    assert all(float(c.measured) > 0 for c in wrong)  # below the sup, never above


SMALL_WIDTHS = (16, 64, 256)


def _one_column(base, outputs, name):
    col = outputs.index(name)
    return lambda key, w, count, **kw: base(key, w, count, **kw)[:, [col]]


def _verdict(make_check, comparisons: int) -> str:
    from verify._model import PROFILES, Context, PerProfile
    from verify.stats import Share

    check = make_check(PerProfile(SMALL_WIDTHS, SMALL_WIDTHS, SMALL_WIDTHS), PerProfile(200, 200, 200))
    return check.run(Context("t.meanfield", 0, PROFILES["quick"], Share(1e-3, comparisons, 3))).verdict.value


def test_a_wrong_exponent_is_rejected_and_the_right_one_passes():
    """‖DgDgᵀ‖_op over m: the source's −1/2 FAILs, −1 PASSes (the same draws)."""
    from verify.checks import ScalingLaw, Series

    sample = _one_column(obs.two_layer_sampler("erf", 1.0), obs.TWO_LAYER_OUTPUTS, "‖DgDgᵀ‖_op")
    verdicts = {p: _verdict(lambda w, r: ScalingLaw("gram rate", sample, (Series("E‖DgDgᵀ‖_op", p, 0.1),), w, r,
                                                    variable="m"), 1)
                for p in (-0.5, -1.0)}
    assert verdicts == {-0.5: "FAIL", -1.0: "PASS"}


def test_a_wrong_limit_is_rejected_and_the_right_one_passes():
    """m‖∇g(u⁰)‖² → E[φ'²] = (1 + e^{−2})/2 for φ = sin; E[φ']² = e^{−1} (a square moved outside) FAILs."""
    import math

    from verify.checks import LimitSweep, Series

    sample = _one_column(obs.scalar_sampler("sin", 0.5), obs.SCALAR_OUTPUTS, "m‖∇g(u⁰)‖²")
    verdicts = {name: _verdict(lambda w, r: LimitSweep("grad limit", sample, (Series("m‖∇g‖²", v, 0.02),), w, r,
                                                       exponent_tol=0.25), 2)
                for name, v in (("right", float(model.mean_phi_prime_sq("sin"))), ("wrong", math.exp(-1)))}
    assert verdicts == {"right": "PASS", "wrong": "FAIL"}


def test_a_claim_file_on_a_meanfield_observable_gives_a_verdict(tmp_path):
    from verify._model import PROFILES
    from verify.claimfile import load_strict
    from verify.runner import run_claim

    body = textwrap.dedent('''
        [[claim]]
        id = "user.tangent-change"
        kind = "scaling"
        statement = "the relative change of the tangent features under an O(1) step is O(m^{{-1/2}})"
        observable = "meanfield.two_layer"
        params = {{ activation = "erf", r = 1.0 }}
        column = "‖∇f(u⁰+h)−∇f(u⁰)‖/‖∇f(u⁰)‖"
        exponent = "{p}"
        widths = [64, 256, 1024]
        replicates = 200
        ''')
    verdicts = {}
    for p in ("-1/2", "-1"):
        path = tmp_path / f"c{len(verdicts)}.toml"
        path.write_text(body.format(p=p), encoding="utf-8")
        (claim,) = load_strict(path)
        verdicts[p] = run_claim(claim, PROFILES["quick"], 0)["verdict"]
    assert verdicts == {"-1/2": "PASS", "-1": "FAIL"}
