"""High-precision (mpmath) expectations E[f(uᵀx) g(uᵀz)] over LeCun-scaled random features.

Closed forms where known (arc-cosine, Williams, …), Gauss–Legendre quadrature behind them. The infinite-width
layer maps live in numeric.kernels_mp (certified digits) and numeric.kernels_f64 (JAX, float64).
"""
from numeric._activations import ACTIVATIONS, WHICH, Activation, activation
from numeric._closed_forms import ClosedFormKey, available_closed_forms
from numeric._expectation import METHODS, QuadratureError, expectation
from numeric.gaussian_pair import gaussian_pair_expectation, gaussian_pair_expectation_expr
from numeric._laws import LAWS, Law, law
from numeric.lecun import lecun_kernel

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "ClosedFormKey",
    "LAWS",
    "Law",
    "METHODS",
    "QuadratureError",
    "WHICH",
    "activation",
    "available_closed_forms",
    "expectation",
    "gaussian_pair_expectation",
    "gaussian_pair_expectation_expr",
    "law",
    "lecun_kernel",
]
