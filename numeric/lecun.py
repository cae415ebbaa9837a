"""The LeCun-initialisation kernels the suite checks, K(x, z) = E[σ^{(k)}(uᵀx) σ^{(k)}(uᵀz)].

With u_j = ξ_j/√d, ξ_j iid from the base law: k = 1 gives K^LC(x, z) = E[σ'(uᵀx)σ'(uᵀz)] as the
source states it, k = 0 gives E[σ(uᵀx)σ(uᵀz)].
"""
from __future__ import annotations

from typing import Sequence

import mpmath

from numeric._closed_forms import available_closed_forms
from numeric._expectation import expectation

__all__ = ["available_closed_forms", "lecun_kernel"]


def lecun_kernel(
    activation: str,
    law: str,
    x: Sequence,
    z: Sequence,
    *,
    derivative: bool,
    dps: int = 30,
    method: str = "auto",
) -> mpmath.mpf:
    """E[σ'(uᵀx) σ'(uᵀz)] if derivative else E[σ(uᵀx) σ(uᵀz)], to dps digits.

    method: "auto" (closed form where one applies, else quadrature), "closed", "quadrature".
    """
    if not isinstance(derivative, bool):
        raise ValueError(
            f"derivative={derivative!r} is not a bool; pass True for E[σ'σ'], False for E[σσ]"
        )
    which = "df" if derivative else "f"
    return expectation(activation, which, which, law, x, z, dps=dps, method=method)




