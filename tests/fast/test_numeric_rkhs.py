"""numeric.rkhs and numeric.kernel_methods: the computations behind the rkhs.* claims, each held against
an independent answer and shown to notice a wrong input."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from numeric import kernel_methods as km
from numeric import rkhs


def rng(seed=0):
    return np.random.default_rng(seed)


def test_pointwise_convergence_obeys_cauchy_schwarz_at_the_norms_rate():
    r = rkhs.pointwise_convergence(rkhs.kernel("gaussian"), {"sigma": 0.7}, 2, rng(), steps=30)
    assert r.worst_excess <= 1e-12
    assert np.allclose(r.norms, 2.0 ** -np.arange(1, 31), rtol=1e-12, atol=0)  # ‖f_n − f‖_H = 2^-n exactly
    assert 0 < r.sup_last <= 2.0 ** -30 * r.sqrt_max_diag * (1 + 1e-12)
    assert r.sqrt_max_diag == 1.0  # k(x, x) = 1 for the Gaussian kernel


def test_symmetry_defect_of_a_feature_kernel_and_of_a_nonsymmetric_function():
    assert rkhs.symmetry_defect(rkhs.random_feature_kernel("tanh", 2, 3, rng()), 2, rng(1)) <= 1e-15
    A = np.array([[1.0, 2.0], [0.0, 1.0]])
    skew = rkhs.Kernel("xAy", "xᵀAy", {}, lambda X, Y: X @ A @ Y.T, lambda x, y: 0)
    assert rkhs.symmetry_defect(skew, 2, rng(1)) > 0.1


def test_feature_reproduction_needs_as_many_samples_as_features():
    assert max(rkhs.feature_reproduction(3, 12, rng())) <= 1e-8
    assert max(rkhs.feature_reproduction(3, 12, rng(), samples=8)) > 1e-3  # 8 values cannot pin 12 weights


def test_gaussian_series_converges_and_a_truncated_one_does_not():
    assert rkhs.gaussian_series_error(rng(), draws=3) <= 1e-25
    assert rkhs.gaussian_series_error(rng(), draws=3, terms=5) > 1e-6


def test_linear_kernel_norms_and_a_beta_outside_the_span():
    spanned, norm, sup, others = rkhs.linear_kernel_norms(3, 5, rng())
    assert abs(spanned - 1) <= 1e-12 and abs(norm - 1) <= 1e-12 and abs(sup - 1) <= 1e-12 and others <= 1
    _, short, _, _ = rkhs.linear_kernel_norms(3, 2, rng())  # 2 points span a plane of ℝ³: only β's projection
    assert short < 1 - 1e-3


def test_polynomial_counterexample_is_the_two_point_closed_form():
    """Gram({0, x}) = [[1, 1], [1, 2^-d]] whatever α < 0: at d = 1 its eigenvalues are (3/2 ± √(17/4))/2."""
    worst, c = rkhs.polynomial_counterexample((-1e-3, -1.0, -1e3), (1, 2, 3))
    root = mpmath.sqrt(mpmath.mpf(17) / 4)
    assert abs(worst - float((mpmath.mpf(3) / 2 - root) / (mpmath.mpf(3) / 2 + root))) <= 1e-15
    assert c["params"]["d"] == 1 and c["dps"] == rkhs.CERT_DPS and c["lambda_min"] < 0


def test_sinc_reproduces_band_limited_functions_and_projects_a_wider_one():
    q = rkhs.sinc_l2_reproduction(rng(), a=2, wider=3, dps=20)
    for key in ("section", "fejer", "wider"):
        target, value, _ = q[key]
        assert abs(value - target) <= 1e-15, key
    assert q["miss_if_reproduced"] > 1e-3  # ⟨g, k(·,x)⟩ is not g(x) for g of band 3 > a


def test_representer_squared_loss_matches_kernel_ridge():
    """E squared, P = λt: the rich and the span minimum are the kernel-ridge minimum at λ = 0.3."""
    r0 = rng(2)
    F, y = km.representer_problem(r0, "squared", n=6, D=60)
    r = km.representer(F, y, "squared", "λt", r0)
    K = F @ F.T
    ridge = km.ridge_objective(K, y, km.PENALTY_WEIGHT, km.ridge_closed_form(K, y, km.PENALTY_WEIGHT))
    assert abs(r.rich / ridge - 1) <= 1e-9 and abs(r.span / ridge - 1) <= 1e-9
    assert r.strict and r.perp <= 1e-5


def test_representer_non_strict_penalty_projection_is_a_minimiser():
    r0 = rng(3)
    r = km.representer(*km.representer_problem(r0, "logistic", n=6, D=60), "logistic", "λ·max(t−1,0)²", r0)
    assert not r.strict and abs(r.projection / r.span - 1) <= 1e-7 and abs(r.rich / r.span - 1) <= 1e-7


@pytest.mark.parametrize("kind,rank", [("gaussian", 10), ("linear", 2), ("duplicated", 5)])
def test_ridge_problems_have_their_ranks_and_the_closed_form_is_the_minimum(kind, rank):
    r0 = rng(4)
    K, y = km.ridge_problem(kind, r0)
    r = km.ridge_three_ways(K, y, 1.0, r0)
    assert r.rank <= rank if kind == "duplicated" else r.rank == rank
    assert abs(r.closed / r.lstsq - 1) <= 1e-9
    assert r.numerical >= r.closed * (1 - 1e-9) and r.prediction_distance <= 1e-4


def test_bad_problem_kinds_are_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"kind='ridge'.*'gaussian', 'linear', 'duplicated'"):
        km.ridge_problem("ridge", rng())
    with pytest.raises(ValueError, match=r"loss='hinge'.*'squared', 'logistic'"):
        km.representer_problem(rng(), "hinge")


def test_svm_duality_on_a_noisy_problem():
    Phi, y = km.svm_problem(rng(5), 14, 4, 0.8)
    assert set(np.unique(y)) == {-1.0, 1.0}
    s = km.svm_duality(Phi, y, 0.05)
    assert abs(s.primal + 0.05 * s.dual_min) <= 1e-7 * s.primal
    assert s.w_distance <= 1e-6 and abs(s.dual_objective / s.primal - 1) <= 1e-6
    assert s.in_box and 0 < s.at_bound <= s.support_vectors <= len(y)
    assert math.isfinite(s.primal)


def test_svm_solvers_reach_the_optimum_where_one_lbfgsb_run_stalls():
    # this instance's first L-BFGS-B run reports convergence at −λD = 0.104 against J* = 0.315 (a third of the
    # optimum); the restarts reach it and the polish on each QP's active set leaves round-off
    Phi, y = km.svm_problem(np.random.default_rng([84, 20]), 20, 8, 0.8)
    s = km.svm_duality(Phi, y, 0.01)
    assert abs(s.primal + 0.01 * s.dual_min) <= 1e-12 * s.primal
    assert s.w_distance <= 1e-6 and abs(s.dual_objective / s.primal - 1) <= 1e-6


def test_the_hypothesis_search_does_not_depend_on_what_the_process_imported(tmp_path, monkeypatch):
    # hypothesis mines literals from every local module loaded; a module full of floats imported between two
    # searches with one seed must not change the points they try
    from numeric import rkhs

    def hypothesis_points(seed):
        out = rkhs.Search("sinc")
        tried = []
        original = out.offer
        out.offer = lambda X, params, s, phase: (tried.append(np.asarray(X).tolist()), original(X, params, s, phase))
        rkhs._hypothesis_search(rkhs.kernel("sinc"), out, seed, 40, {})
        return tried

    before = hypothesis_points(7)
    (tmp_path / "many_literals.py").write_text("X = [" + ", ".join(f"{0.5 + i / 7:.17g}" for i in range(300)) + "]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__("many_literals")
    assert hypothesis_points(7) == before
