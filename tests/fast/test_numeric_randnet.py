"""numeric.randnet: the NNGP recursion's closed forms against the bivariate quadrature (1e-10, diagonal and
off-diagonal), the Gauss–Hermite diagonal recursion against the adaptive quadrature, and bad input."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from scipy import stats

from numeric import expectation
from numeric.randnet import (LeakyReLU, cap_inputs, chi2_product_cdf, diagonal_recursion, gaussian_pair, input_kernel,
                             kernel_recursion, kernel_step, leaky_relu_critical_cw, relu_cumulant_curves)

TOL = 1e-10  # the bar: closed form vs quadrature
# (K(x,x), K(x,x'), K(x',x')): diagonal, acute, obtuse, orthogonal, nearly parallel
BLOCKS = [(1.3, 1.3, 1.3), (1.3, 0.4, 0.8), (1.0, -0.7, 0.6), (2.0, 0.0, 1.5), (0.7, 0.69999, 0.7)]


@pytest.mark.parametrize("sigma", ["relu", "erf", LeakyReLU(0.2, 1.0), LeakyReLU(-0.5, 1.5)], ids=str)
@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: "K=" + ",".join(map(str, b)))
def test_closed_form_equals_bivariate_quadrature(sigma, block):
    closed = gaussian_pair(sigma, *block, method="auto")
    quad = gaussian_pair(sigma, *block, method="quadrature", dps=15)
    assert abs(closed - quad) <= TOL, (sigma, block, closed, quad)


def test_leaky_relu_reduces_to_relu_and_to_identity():
    for block in BLOCKS:
        relu = gaussian_pair("relu", *block, method="closed")
        assert abs(gaussian_pair(LeakyReLU(0.0, 1.0), *block) - relu) <= 1e-25
        assert abs(gaussian_pair(LeakyReLU(1.0, 1.0), *block) - mpmath.mpf(block[1])) <= 1e-25  # σ(t) = t: E[ab]


def test_relu_diagonal_is_half_and_off_diagonal_is_not_linear():
    K = kernel_step("relu", 2, [[mpmath.mpf(1), mpmath.mpf(0)], [mpmath.mpf(0), mpmath.mpf(1)]])
    assert abs(K[0][0] - 1) <= 1e-25  # (C_W/2)·K on the diagonal
    assert abs(K[0][1] - 1 / mpmath.pi) <= 1e-25  # 2·(1/2π): the arc-cosine kernel at θ = π/2, not (C_W/2)·0


def test_leaky_critical_cw_preserves_the_diagonal_and_a_wrong_cw_does_not():
    s = LeakyReLU(0.2, 1.0)
    good = diagonal_recursion(s, leaky_relu_critical_cw(0.2, 1.0), 1.0, 30)
    bad = diagonal_recursion(s, 2 / (0.2 + 1.0) ** 2, 1.0, 30)
    assert abs(good[-1] - 1) <= 1e-12
    assert abs(bad[-1] - 1) > 0.5


@pytest.mark.parametrize("K", [0.05, 0.5, 1.0, 2.0])
def test_gauss_hermite_diagonal_equals_adaptive_quadrature(K):
    gh = diagonal_recursion("tanh", 1, K, 2)[1]
    adaptive = expectation("tanh", "f", "f", "normal", [mpmath.sqrt(K)], [mpmath.sqrt(K)], dps=20)
    assert abs(gh - adaptive) <= TOL


def test_recursion_diagonal_matches_the_diagonal_recursion():
    X = [(1.0, 1.0, 0.5), (0.5, -0.5, 1.0)]
    full = kernel_recursion("erf", 1.5, X, 4)
    diag = diagonal_recursion("erf", 1.5, full[0][0][0], 4)
    for K, d in zip(full, diag):
        assert abs(K[0][0] - d) <= TOL
    assert abs(input_kernel(X, 1.5)[0][1] - mpmath.mpf("0.25")) <= 1e-25  # C_W xᵀx'/n₀ = 1.5·0.5/3


def test_tanh_decay_is_one_over_two_L():
    K = diagonal_recursion("tanh", 1, 0.75, 400)
    assert abs(400 * K[-1] - 0.5) < 0.01
    assert abs(400 * K[-1] - 1.0) > 0.4  # "K ≈ 1/L" with prefactor 1 is rejected


@pytest.mark.parametrize("call,word", [
    (lambda: gaussian_pair("relu", 1.0, 2.0, 1.0), "not a covariance"),
    (lambda: gaussian_pair("relu", 1.0, 0.0, 1.0, method="exact"), "method='exact'"),
    (lambda: gaussian_pair("swish", 1.0, 0.0, 1.0), "swish"),
    (lambda: input_kernel([(1.0,), (1.0, 2.0)], 1.0), "one length"),
    (lambda: kernel_recursion("relu", 2, [(1.0,)], 0), "depth=0"),
])
def test_bad_input_is_named(call, word):
    with pytest.raises(ValueError, match=word):
        call()


# ---- finite width: the χ² product law, the exact cumulant curves, the overparam inputs -------------------------

def test_chi2_product_cdf_is_the_law_of_the_product():
    cdf = chi2_product_cdf((8,), 200_000, 0)  # one factor: χ²₈/8 exactly
    t = np.linspace(0.2, 3.0, 15)
    assert np.max(np.abs(cdf(t) - stats.chi2.cdf(8 * t, 8))) < 0.005  # DKW at 2e5 draws: 0.004 at 1e-6
    two = chi2_product_cdf((4, 4), 200_000, 1)
    assert abs(two(1.0) - stats.chi2.cdf(4, 4)) > 0.05  # a product is not one factor
    with pytest.raises(ValueError, match="dofs"):
        chi2_product_cdf((0,), 10, 0)


def test_relu_cumulant_curves_at_one_layer_are_the_exact_rates():
    lam = np.array([1 / 16, 1 / 8])
    c = relu_cumulant_curves(lam, (1,))
    np.testing.assert_allclose(c[4]["L=1"], 15 * lam, rtol=1e-12)  # κ₄/K² = 15/n at L = 1
    np.testing.assert_allclose(c[4]["L→∞ (lognormal)"], 3 * (np.exp(5 * lam) - 1), rtol=1e-12)


def test_cap_inputs_lie_on_the_cap_without_antipodes():
    X = cap_inputs(8)
    np.testing.assert_allclose(np.sum(X**2, axis=0), 3.0, rtol=1e-14)
    assert np.all(X[2] >= 0.15 * math.sqrt(3) - 1e-12)  # x₃ > 0: no pair x, −x
    with pytest.raises(ValueError, match="d=4"):
        cap_inputs(8, 4)
