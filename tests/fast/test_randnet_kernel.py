"""randnet kernel half: the Gram path equals the model in law, the observable works in a claim file, the
deterministic checks give the verdicts they should, and wrong claims (C_W off criticality, a wrong depth
exponent, the linear ReLU relation off the diagonal) are rejected by the same Monte Carlo checks."""
from __future__ import annotations

import functools
import textwrap

import numpy as np
import pytest

from verify._jax import jax, jnp, key_for
from verify._model import PROFILES, Context, Verdict
from verify.models._activations import activation
from verify.models.randnet import Architecture, preactivations
from verify.observables.randnet import X_DEFAULT, gram_path, relu_diagonal
from verify.stats import Share

QUICK = PROFILES["quick"]


def _ctx(name="t"):
    return Context(name, 0, QUICK, Share(1e-4, 1, QUICK.looks))


def _z(a, b):
    """Two-sample z statistic of means (independent samples)."""
    return (a.mean() - b.mean()) / np.sqrt(a.var() / a.size + b.var() / b.size)


@pytest.mark.parametrize("sigma,C_W", [("relu", 2.0), ("tanh", 1.3)])
def test_gram_path_equals_the_model_in_law(sigma, C_W):
    """n = 5, L = 3: far from Gaussian (kurtosis excess ≈ 1 for ReLU), so second and fourth moments and the
    cross moment of the output must all match the scan path of verify.models.randnet."""
    arch = Architecture(d=3, widths=(5, 5, 5), n_out=2, C_W=C_W, sigma=sigma)
    X = np.asarray(X_DEFAULT).T
    N = 20000
    keys = jax.random.split(key_for(0, "model-law", sigma), N)
    model = np.asarray(jax.vmap(lambda k: preactivations(k, X, arch))(keys))  # (N, 2, 2)
    _, gram = gram_path(key_for(0, "gram-law", sigma), X, arch.widths, C_W, sigma, N)
    for f in (lambda o: o[:, 0, 0] ** 2, lambda o: o[:, 0, 0] * o[:, 0, 1], lambda o: o[:, 0, 1] ** 4,
              lambda o: o[:, 0, 0] * o[:, 1, 1]):
        assert abs(_z(f(model), f(gram))) < 5.0
    kurt = np.mean(gram[:, 0, 0] ** 4) / (3 * np.mean(gram[:, 0, 0] ** 2) ** 2) - 1
    if sigma == "relu":
        assert kurt > 0.3  # the comparison is at finite width, where the law is not yet Gaussian


@pytest.mark.parametrize("widths", [(5, 5, 5), (37, 1100, 37)])
def test_relu_diagonal_equals_the_gram_path_in_law(widths):
    """The ReLU diagonal by Bin(n, 1/2) and χ²_B (odd and even B, one and two blocks of sign bits and of exponentials)
    against the Gram path's diagonal entries: the same law layer by layer (KS), and E G⁽¹⁾ = K⁽¹⁾ (critical C_W)."""
    from scipy.stats import ks_2samp

    X, N, C_W = np.asarray(X_DEFAULT).T, 20000, 2.0
    K1 = C_W * np.sum(X * X, axis=0) / X.shape[0]
    G, _ = gram_path(key_for(0, "diag-gram", len(widths)), X, widths, C_W, "relu", N)
    D = relu_diagonal(key_for(0, "diag-chi", len(widths)), K1, widths, C_W, N)
    assert D.shape == (N, len(widths) + 1, 2)
    np.testing.assert_allclose(D[:, 0], np.broadcast_to(K1, (N, 2)), rtol=1e-15)
    for ell in range(1, len(widths) + 1):
        for e in (0, 1):
            assert ks_2samp(D[:, ell, e], G[:, ell, e, e]).pvalue > 1e-4, (ell, e)
    assert abs(D[:, 1, 0].mean() - K1[0]) < 5 * D[:, 1, 0].std() / np.sqrt(N)
    with pytest.raises(ValueError, match="layers=4"):
        relu_diagonal(key_for(0, "diag-chi"), K1, widths, C_W, 2, layers=4)


def test_diagonal_sweeps_draw_two_independent_networks_a_program():
    """kernel_sampler at (x,x) alone (tanh) reads each of the program's two columns as its own network: the
    replicates have the law of the Gram path's K̂⁽ˡ⁾(x,x) (KS), and twin replicates are uncorrelated."""
    from scipy.stats import ks_2samp

    from verify.observables.randnet import kernel_sampler

    X, N = np.asarray(X_DEFAULT).T, 20001
    twins = kernel_sampler("tanh", 1.3, 3, (2, 3), entries=("(x,x)",))(key_for(0, "twins"), 5, N)
    G, _ = gram_path(key_for(0, "twins-ref"), X, (5, 5, 5), 1.3, "tanh", N, layers=2)
    assert twins.shape == (N, 2)
    for c, ell in enumerate((2, 3)):
        assert ks_2samp(twins[:, c], G[:, ell - 1, 0, 0]).pvalue > 1e-4, ell
        pairs = twins[: N - 1, c].reshape(-1, 2)
        assert abs(np.corrcoef(pairs.T)[0, 1]) < 5 / np.sqrt(len(pairs))


def test_gram_path_padding_is_exact_and_bad_widths_are_named():
    X = np.asarray(X_DEFAULT).T
    a, _ = gram_path(key_for(1, "pad"), X, (7, 7), 1.0, "tanh", 3)
    b, _ = gram_path(key_for(1, "pad"), X, (7, 7), 1.0, "tanh", 3, n_max=16)
    assert a.shape == (3, 3, 2, 2) and np.all(np.isfinite(a)) and np.all(np.isfinite(b))
    np.testing.assert_allclose(a[:, 0], b[:, 0], rtol=1e-14)  # G⁽⁰⁾ = C_W XᵀX/n₀ whatever the padding
    with pytest.raises(ValueError, match="n_max=4"):
        gram_path(key_for(1, "pad"), X, (7,), 1.0, "tanh", 2, n_max=4)
    with pytest.raises(ValueError, match="widths"):
        gram_path(key_for(1, "pad"), X, (), 1.0, "tanh", 2)


def test_worth_padding_trades_wasted_draws_for_a_compilation():
    from verify.observables._base import worth_padding

    assert worth_padding(128, 1024, 2000, 8 * 2) == 1024  # quick sweep: 29M wasted draws < one compilation
    assert worth_padding(256, 2048, 4000, 32 * 2) == 256  # standard sweep: 459M wasted draws, its own program
    assert worth_padding(2048, 2048, 10**9, 64) == 2048


@pytest.mark.parametrize("padded_waste", [0.0, float("inf")])
def test_depth_sweep_draws_the_kernel_of_the_full_network_in_law(monkeypatch, padded_waste):
    """by_depth: K̂⁽ℓ⁾ drawn from ℓ layers (waste never worth it) or from all L (always worth it) has one law: the
    means at ℓ = 2 of L = 6 agree (C_W = 1.5, so K̂⁽ℓ⁾ moves with ℓ and a layer off by one is 25% off)."""
    from verify.observables import _base
    from verify.observables.randnet import kernel_sampler

    sample = kernel_sampler("relu", 1.5, 6, (8,), by_depth=True, entries=("(x,x)",))
    reference = sample(key_for(0, "full-depth"), 2, 4000)[:, 0]  # default rule: 4·8·2·4000 draws are worth padding
    monkeypatch.setattr(_base, "PAD_WASTE_DRAWS", padded_waste)
    got = sample(key_for(1, "depth-sweep"), 2, 4000)[:, 0]
    assert abs(_z(got, reference)) < 4.4  # two-sided, false fail ~1e-5
    shallower = sample(key_for(2, "depth-sweep"), 3, 4000)[:, 0]
    assert abs(_z(shallower, reference)) > 4.4  # the test can tell layer 3 from layer 2


def test_leaky_relu_activation_by_name():
    a = activation("leaky_relu(0.2,1)")
    np.testing.assert_allclose(a.f(jnp.array([-2.0, 3.0])), [-0.4, 3.0])
    np.testing.assert_allclose(a.df(jnp.array([-2.0, 3.0])), [0.2, 1.0])
    with pytest.raises(ValueError, match="leaky_relu\\(a_minus,a_plus\\)"):
        activation("leaky_relu(0.2)")


def test_kernel_observable_in_a_claim_file(tmp_path):
    from verify.claimfile import load_strict
    from verify.runner import run_claim

    body = """
    [[claim]]
    id = "user.relu-critical-kernel"
    kind = "limit"
    statement = "ReLU with C_W = 2 keeps K(x,x) = 2|x|²/n₀ at layer 4."
    observable = "randnet.kernel"
    params = {{ sigma = "relu", C_W = 2.0, depth = 4, layer = 4, entry = "xx", x = [1.0, 1.0, 0.5] }}
    expected = "{expected}"
    abs_tolerance = 0.05
    widths = [64, 128, 256, 512]
    replicates = 2000
    """
    verdicts = {}
    for expected in ("1.5", "1.2"):  # 2·2.25/3, and the 0.8^… of a wrong C_W
        path = tmp_path / f"c{expected}.toml"
        path.write_text(textwrap.dedent(body.format(expected=expected)), encoding="utf-8")
        (claim,) = load_strict(path)
        verdicts[expected] = run_claim(claim, QUICK, 0)["verdict"]
    assert verdicts == {"1.5": "PASS", "1.2": "FAIL"}


def test_observable_rejects_a_layer_outside_the_network():
    from verify.observables._base import get

    with pytest.raises(ValueError, match="layer=7"):
        get("randnet.kernel").sampler(depth=4, layer=7)


def _verdict(check):
    return check.run(_ctx()).verdict


def test_deterministic_views_of_relu_recursion():
    from verify.claims.randnet import RELU_RECURSION, RELU_RECURSION_CORRECTED

    exact = [c for c in RELU_RECURSION.checks if c.view.value != "monte_carlo"]
    fixed = [c for c in RELU_RECURSION_CORRECTED.checks if c.view.value != "monte_carlo"]
    assert [_verdict(c) for c in exact] == [Verdict.FAIL, Verdict.FAIL]
    assert [_verdict(c) for c in fixed] == [Verdict.PASS, Verdict.PASS]
    # the diagonal half of the stated relation holds in both views
    res = exact[1].run(_ctx())
    assert [c.decision.value for c in res.comparisons] == ["PASS", "FAIL", "PASS", "FAIL"]


def test_tanh_prefactor_one_is_rejected():
    from derive.randnet_kernel import tanh_asymptotics

    assert tanh_asymptotics()[0].holds
    assert not tanh_asymptotics(1)[0].holds  # K ≈ 1/L with prefactor 1


def test_off_critical_cw_fails_the_critical_sweep():
    """The same LimitSweep that passes relu-critical fails when the networks use C_W = 1.8 (K⁽⁸⁾ = 0.43 K⁽¹⁾)."""
    from verify.claims.randnet import _limit_sweep, _recursion

    check = _limit_sweep("off-critical", "relu", 1.8, (0,), lambda ell: _recursion("relu", 2.0, 1)[0])
    assert _verdict(check) == Verdict.FAIL


def test_wrong_depth_exponent_fails():
    from verify.claims.randnet import CRITICAL_EXPONENT, _depth_law

    check = _depth_law("wrong exponent", "tanh", 1.0, lambda ds: (-0.5, "wrong: L^-1/2"), CRITICAL_EXPONENT)
    assert _verdict(check) == Verdict.FAIL


def test_hessian_along_gradient_equals_the_full_hessian():
    """gᵀHg of the structured passes equals the quadratic form of the materialised Hessian."""
    from jax.flatten_util import ravel_pytree

    from verify.models.randnet import Architecture, forward, weights
    from verify.observables.randnet import hessian_fn

    arch = Architecture(4, (3, 3), 1, 2.0, "tanh")
    key = key_for(3, "hess")
    ws = weights(key, arch)
    x = jnp.ones((4, 1))
    flat, unravel = ravel_pytree(ws)
    f = lambda v: forward(unravel(v), x, "tanh")[-1][0, 0]  # noqa: E731
    g, H = jax.grad(f)(flat), jax.hessian(f)(flat)
    z, theta, gHg = np.asarray(hessian_fn(4, 3, 2, "tanh", 2.0)(key))
    assert z == pytest.approx(float(forward(ws, x, "tanh")[-1][0, 0]), rel=1e-12)
    assert theta == pytest.approx(float(g @ g), rel=1e-12)
    assert gHg == pytest.approx(float(g @ H @ g), rel=1e-10)


@pytest.mark.parametrize("sigma,n,depth", [("relu", 16, 1), ("relu", 24, 2), ("relu", 32, 6), ("tanh", 12, 4),
                                            ("erf", 8, 3)])
def test_structured_hessian_along_gradient_equals_autodiff(sigma, n, depth):
    """along_gradient's three structured passes give z, Θ and gᵀHg of forward-over-reverse autodiff to round-off
    (tanh and erf: σ'' ≠ 0; depth 1: no hidden stack)."""
    from verify.models.randnet import forward, stacked_weights, weights
    from verify.observables.randnet import along_gradient

    x = jnp.ones((4, 1))
    for i in range(3):
        arch, key = Architecture(4, (n,) * depth, 1, 2.0, sigma), key_for(i, "hess-structured")
        ws, params = weights(key, arch), stacked_weights(key, arch)
        f = lambda p: forward(p, x, sigma)[-1][0, 0]  # noqa: E731
        g = jax.grad(f)(ws)
        hg = jax.jvp(jax.grad(f), (ws,), (g,))[1]
        dot = lambda a, b: sum(jnp.vdot(u, v) for u, v in zip(jax.tree_util.tree_leaves(a),  # noqa: E731
                                                                jax.tree_util.tree_leaves(b)))
        want = np.array([f(ws), dot(g, g), dot(g, hg)])
        got = np.asarray(jax.jit(along_gradient, static_argnums=2)(params, x[:, 0], sigma))
        assert np.abs(got - want).max() <= 1e-12 * np.abs(want).max(), (got, want)


def test_overparam_check_and_its_control():
    from verify.claims.randnet import OVERPARAM_INDEPENDENCE

    res = OVERPARAM_INDEPENDENCE.checks[0].run(_ctx("randnet.overparam-independence"))
    assert res.verdict == Verdict.PASS
    control = [c for c in res.comparisons if "control" in c.name and "not a global" in c.name]
    assert control and control[0].detail["max_residual"] > 0.1  # the same code sees a non-zero residual when P < N


def test_catalogue_inputs_and_entries_are_the_observables():
    """verify.claims.randnet keeps its own copies (the catalogue imports without JAX): they must not drift."""
    from verify.claims import randnet as claims
    from verify.observables import randnet as obs

    assert claims.X == obs.X_DEFAULT and claims.ENTRIES == obs.ENTRIES



class _Realised:
    """The fresh parts of hessian_law_fn's queries taken from a realised matrix M: the decomposition must then give
    along_gradient's numbers exactly (a dropped conditional-mean or projection term does not)."""

    @staticmethod
    def forward(M, a, aa):
        return M @ a

    @staticmethod
    def backward(M, dl):
        return M.T @ dl

    @staticmethod
    def second(M, y1, y2):
        return M @ y1, M @ y2


@pytest.mark.parametrize("sigma,n,depth", [("relu", 16, 1), ("relu", 12, 3), ("tanh", 10, 4), ("erf", 8, 3)])
def test_query_decomposition_equals_along_gradient(sigma, n, depth):
    """along_gradient_queries with the realised matrices as the fresh parts equals along_gradient to round-off, also
    with extra hidden layers switched off (they pass their input on: the traced depth) and padded rows."""
    from verify.models.randnet import stacked_weights
    from verify.observables.randnet import along_gradient, along_gradient_queries

    x, pad, extra = jnp.ones((4,)), 3, 2
    queries = jax.jit(functools.partial(along_gradient_queries, sigma=sigma, fresh=_Realised))
    for i in range(3):
        arch, key = Architecture(4, (n,) * depth, 1, 2.0, sigma), key_for(i, "hess-queries")
        W1, hidden, w_out = stacked_weights(key, arch)
        want = np.asarray(along_gradient((W1, hidden, w_out), x, sigma))
        s = np.sqrt(2.0 / n)
        M = np.zeros((depth - 1 + extra, n + pad, n + pad))
        M[:depth - 1, :n, :n] = 0 if hidden is None else np.asarray(hidden) / s
        M[depth - 1:] = np.asarray(jax.random.normal(key, M[depth - 1:].shape))  # junk the switched-off layers skip
        grow = lambda v: jnp.concatenate([v, jnp.zeros(pad)])  # noqa: E731
        on = jnp.arange(depth - 1 + extra) < depth - 1
        mask = (jnp.arange(n + pad) < n).astype(jnp.float64)
        got = np.asarray(queries(grow(W1 @ x), grow(w_out[0]), jnp.asarray(M), on, s, 4.0, mask))
        assert np.abs(got - want).max() <= 1e-12 * np.abs(want).max(), (got, want)


def test_gram_rows_have_the_gram_covariance():
    """gram_rows(y1, y2) has rows iid N(0, Gram(y1, y2)), as M̃y1, M̃y2 do: every entry's variance and the
    cross-covariance of a row, over many draws, and no correlation between rows."""
    from verify.observables.randnet import gram_rows

    y1, y2 = jnp.array([1.0, -2.0, 0.5]), jnp.array([0.3, 1.0, 2.0])
    N, m = 40000, 5
    xi = jax.random.normal(key_for(0, "gram-rows"), (N, 2, m))
    g1, g2 = jax.vmap(lambda x: gram_rows(y1, y2, x[0], x[1]))(xi)
    g1, g2 = np.asarray(g1), np.asarray(g2)
    gram = np.array([[y1 @ y1, y1 @ y2], [y1 @ y2, y2 @ y2]])
    got = np.array([[np.mean(g1 * g1), np.mean(g1 * g2)], [np.mean(g1 * g2), np.mean(g2 * g2)]])
    se = 5 * np.sqrt(2 / (N * m)) * np.abs(gram).max()  # 5 standard errors of a Gaussian second moment, loosely
    assert np.abs(got - gram).max() < se, (got, gram)
    assert abs(np.mean(g1[:, 0] * g2[:, 1])) < se  # distinct rows independent


@pytest.mark.parametrize("sigma,n,depth,n_max,depth_max", [("relu", 6, 3, 8, 4), ("tanh", 5, 2, 5, 2)])
def test_hessian_law_equals_the_materialised_network_in_law(sigma, n, depth, n_max, depth_max):
    """hessian_law_fn's O(L·n) draws give (z, Θ, gᵀHg) the joint law of along_gradient on materialised weights: two-
    sample KS on each, on gᵀHg/Θ and on z·gᵀHg (their dependence), at widths and depths small enough that the law is
    far from Gaussian, padded (n < n_max, L < L_max: masked rows, layers passed through) and not."""
    from scipy import stats

    from verify._jax import sharded_vmap, split_keys
    from verify.observables.randnet import hessian_fn, hessian_law_fn

    N = 10000
    ref = sharded_vmap(hessian_fn(4, n, depth, sigma, 2.0), split_keys(key_for(0, "hess-ref", sigma), N), chunk=N)
    new = sharded_vmap(hessian_law_fn(4, n_max, depth_max, sigma), split_keys(key_for(0, "hess-law", sigma), N),
                       float(n), float(depth), 2.0, chunk=N)
    ref, new = np.asarray(ref), np.asarray(new)
    live = lambda o: o[o[:, 1] > 0]  # noqa: E731  (a dead ReLU network, probability ~2⁻ⁿ per layer, has Θ = 0)
    ref, new = live(ref), live(new)
    for name, stat in (("z", lambda o: o[:, 0]), ("Θ", lambda o: o[:, 1]), ("gᵀHg", lambda o: o[:, 2]),
                       ("gᵀHg/Θ", lambda o: o[:, 2] / o[:, 1]), ("z·gᵀHg", lambda o: o[:, 0] * o[:, 2])):
        p = stats.ks_2samp(stat(ref), stat(new)).pvalue
        assert p > 1e-3, (name, p)


def test_hessian_law_padding_does_not_enter_the_draws():
    """A network of width 20 and depth 3 gives the same (z, Θ, gᵀHg) in a program padded to n_max = 40, L_max = 6 as
    unpadded (round-off): each layer draws from its own key in fixed blocks of rows (the sweeps pad to their largest
    point, and a point's numbers must not depend on the sweep around it)."""
    from verify.observables.randnet import hessian_law_fn

    keys = jax.random.split(key_for(0, "hess-pad"), 4)
    for sigma in ("relu", "tanh"):
        plain = np.asarray(jax.vmap(lambda k: hessian_law_fn(4, 20, 3, sigma)(k, 20.0, 3.0, 2.0))(keys))
        padded = np.asarray(jax.vmap(lambda k: hessian_law_fn(4, 40, 6, sigma)(k, 20.0, 3.0, 2.0))(keys))
        assert np.abs(padded - plain).max() <= 1e-12 * np.abs(plain).max(), (plain, padded)


def test_hessian_sampler_refuses_a_max_width_below_the_point():
    from verify.observables.randnet import hessian_sampler

    with pytest.raises(ValueError, match="max_width=8 is below the sweep value 16"):
        hessian_sampler(width=32)(key_for(0, "hess-max"), 16, 4, max_width=8)


def _reference_gram(key, X, width, n_max, depth, C_W, f, count):
    """The Gram path written out with jax.random itself: network i's layer keys split(split(key, count)[i], L + 1),
    each layer's normals jax.random.normal(keys[ℓ], (n_max, k)), rows ≥ width dropped."""
    from verify.observables.randnet import _sqrt_psd

    out = []
    for net in jax.random.split(key, count):
        keys = jax.random.split(net, depth + 1)
        G = [C_W * (X.T @ X) / X.shape[0]]
        for ell in range(depth):
            z = (jax.random.normal(keys[ell], (n_max, X.shape[1])) @ _sqrt_psd(G[-1]).T)[:width]
            s = f(z)
            G.append(C_W * (s.T @ s) / width)
        out.append(np.stack([np.asarray(g) for g in G]))
    return np.stack(out)


@pytest.mark.parametrize("sigma", ["relu", "tanh", "leaky_relu(0.2,1)", "sin"])
def test_gram_path_draws_the_padded_networks_of_jax_random(sigma):
    """Activation switched (or its own program, sin), depth and padded length traced, narrow widths unpadded: the
    numbers are still those of a network whose layer ℓ draws jax.random.normal(keys[ℓ], (n_max, k))."""
    X = np.asarray(X_DEFAULT).T
    key = key_for(2, "reference", sigma)
    got, _ = gram_path(key, X, (7, 7, 7), 1.7, sigma, 3, n_max=40)
    want = _reference_gram(key, jnp.asarray(X), 7, 40, 3, 1.7, activation(sigma).f, 3)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)
    part, _ = gram_path(key, X, (7, 7, 7), 1.7, sigma, 3, n_max=40, layers=1)  # only what K̂⁽²⁾ needs
    np.testing.assert_array_equal(part[:, :2], got[:, :2])
    assert not np.any(part[:, 2:])
    with pytest.raises(ValueError, match="layers=4"):
        gram_path(key, X, (7, 7, 7), 1.7, sigma, 3, layers=4)


def test_hessian_sampler_draws_the_normals_of_hessian_law_fn():
    """The sampler draws its normals in a program of their own (folded keys on the host): ν must be that of
    hessian_law_fn (normals drawn inside) bit for bit, in several chunks of networks, padded and not."""
    from verify._jax import sharded_vmap, split_keys
    from verify.observables.randnet import hessian_law_fn, hessian_sampler

    key = key_for(3, "hess-draws")
    for v, top in ((32, 64), (64, 64)):
        got = hessian_sampler(depth=3)(key, v, 700, max_width=top)
        out = np.asarray(sharded_vmap(hessian_law_fn(4, top, 3, "relu"), split_keys(key, 700), float(v), 3.0, 2.0))
        np.testing.assert_array_equal(got[:, 0], np.sqrt(2.0) * np.abs(out[:, 2]) / out[:, 1] ** 2)
