"""Functions of the formula language that SymPy does not have: the Gaussian pair expectation
`E(expr in a and b, k11, k12, k22)` and a claim model's infinite-width kernels `nngp(x, z)`,
`ntk(x, z)`.

`E` stays symbolic (an unevaluated SymPy function, so identities and exponents can carry it) and
evaluates numerically through mpmath at the precision SymPy asks for; the kernels are numbers as
soon as their inputs are, computed by the claim model's certified (mpmath) recursion."""
from __future__ import annotations

import mpmath
import sympy as sp

E_DIGITS = 15
A, B = sp.Dummy("a", real=True), sp.Dummy("b", real=True)  # E's bound variables


class GaussianPair(sp.Function):
    """E[f(a, b)] for (a, b) ~ N(0, [[k11, k12], [k12, k22]]); args (Lambda((a, b), f), k11, k12, k22)."""

    nargs = 4

    @classmethod
    def eval(cls, fn, k11, k12, k22):
        for k in (k11, k22):
            if k.is_number and k.is_extended_negative:
                raise ValueError(f"E(): a variance must be ≥ 0, got {k}")
        if all(k.is_number for k in (k11, k12, k22)):
            # Cauchy–Schwarz, with room for the rounding of decimal inputs
            if sp.N(k12**2 - k11 * k22, 30) > sp.Float("1e-25") * (1 + sp.N(k11 * k22, 30)):
                raise ValueError(f"E(): k12² ≤ k11·k22 is needed for a covariance, got k11={k11}, k12={k12}, "
                                 f"k22={k22}")
        (a, b), body = fn.args
        if body.is_polynomial(a, b):  # exact by Isserlis' theorem: stays a formula (identities, PSD at 50 digits)
            poly = sp.Poly(sp.expand(body), a, b)
            if poly.total_degree() <= MAX_WICK_DEGREE:
                return sp.Add(*(c * _moment(i, j, k11, k12, k22) for (i, j), c in poly.terms()))
        return None

    def _eval_evalf(self, prec):
        from numeric.gaussian_pair import gaussian_pair_expectation_expr

        fn, *ks = self.args
        values = [k.evalf(prec) for k in ks]
        if not all(v.is_Number for v in values):
            return None
        quick = _hermite(fn, *(float(v) for v in values))
        if quick is not None:
            return sp.Float(repr(quick), HERMITE_DIGITS)
        # 15 certified digits: far below any Monte Carlo resolution, and 2-D mpmath quadrature at
        # the 30 digits SymPy asks of a formula costs several times more
        dps = min(mpmath.libmp.prec_to_dps(prec), E_DIGITS)
        (a, b), body = fn.args
        value = gaussian_pair_expectation_expr(body, a, b, *(mpmath.mpf(str(v)) for v in values), dps=dps)
        return sp.Float(str(value), dps)

    def _latex(self, printer):
        fn, k11, k12, k22 = self.args
        return (r"\mathbb{E}_{(a,b)\sim\mathcal{N}(0,K)}\left[" + printer._print(fn.args[1]) + r"\right]")


MAX_WICK_DEGREE = 40  # a polynomial body of higher degree stays numeric (the pairings grow factorially)


HERMITE_NODES = (48, 96)  # two tensor Gauss–Hermite rules; their agreement is the error estimate
HERMITE_AGREEMENT = 1e-12  # relative: below it the smaller rule has converged (smooth integrands), 12 digits kept
HERMITE_DIGITS = 12


def _hermite(fn, k11: float, k12: float, k22: float) -> float | None:
    """E[f(a, b)] by two float64 Gauss–Hermite rules when they agree to HERMITE_AGREEMENT (a smooth f
    converges fast); None otherwise (kinks, heavy growth): the certified mpmath quadrature decides."""
    import numpy as np

    (a, b), body = fn.args
    try:
        f = sp.lambdify((a, b), body, modules=["scipy", "numpy"])
    except Exception:  # a function with no NumPy form
        return None
    s11, s22 = np.sqrt(max(k11, 0.0)), np.sqrt(max(k22, 0.0))
    rho = k12 / (s11 * s22) if s11 * s22 > 0 else 0.0
    rest = np.sqrt(max(1.0 - rho * rho, 0.0))
    results = []
    for count in HERMITE_NODES:
        t, w = np.polynomial.hermite_e.hermegauss(count)
        w = w / np.sqrt(2 * np.pi)
        u, v = np.meshgrid(t, t, indexing="ij")
        with np.errstate(all="ignore"):
            vals = np.broadcast_to(np.asarray(f(s11 * u, s22 * (rho * u + rest * v)), dtype=np.float64), u.shape)
        total = float(w @ vals @ w)
        if not np.isfinite(total):
            return None
        results.append(total)
    lo, hi = results
    return hi if abs(hi - lo) <= HERMITE_AGREEMENT * max(abs(hi), 1e-300) else None


def _moment(i: int, j: int, k11, k12, k22):
    """E[a^i b^j] for (a, b) ~ N(0, [[k11, k12], [k12, k22]]): pair k a's with k b's (C(i,k)C(j,k)k! ways),
    the other a's and b's among themselves ((i−k−1)!! and (j−k−1)!! ways)."""
    total = sp.Integer(0)
    for k in range(min(i, j) + 1):
        if (i - k) % 2 or (j - k) % 2:
            continue
        ways = sp.binomial(i, k) * sp.binomial(j, k) * sp.factorial(k) * sp.factorial2(i - k - 1) * sp.factorial2(j - k - 1)
        total += ways * k12**k * k11 ** ((i - k) // 2) * k22 ** ((j - k) // 2)
    return total


def expectation(body, k11, k12, k22):
    return GaussianPair(sp.Lambda((A, B), body), k11, k12, k22)


# name → (callable, arities); `E` needs its first argument built with a and b bound (see _formula_tree)
EXPECTATION = {"E": (expectation, (4,))}
BOUND_BY = {"E": {"a": A, "b": B}}
