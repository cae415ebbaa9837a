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
        return None

    def _eval_evalf(self, prec):
        from numeric.gaussian_pair import gaussian_pair_expectation_expr

        fn, *ks = self.args
        values = [k.evalf(prec) for k in ks]
        if not all(v.is_Number for v in values):
            return None
        # 15 certified digits: far below any Monte Carlo resolution, and 2-D mpmath quadrature at
        # the 30 digits SymPy asks of a formula costs several times more
        dps = min(mpmath.libmp.prec_to_dps(prec), E_DIGITS)
        (a, b), body = fn.args
        value = gaussian_pair_expectation_expr(body, a, b, *(mpmath.mpf(str(v)) for v in values), dps=dps)
        return sp.Float(str(value), dps)

    def _latex(self, printer):
        fn, k11, k12, k22 = self.args
        return (r"\mathbb{E}_{(a,b)\sim\mathcal{N}(0,K)}\left[" + printer._print(fn.args[1]) + r"\right]")


def expectation(body, k11, k12, k22):
    return GaussianPair(sp.Lambda((A, B), body), k11, k12, k22)


# name → (callable, arities); `E` needs its first argument built with a and b bound (see _formula_tree)
EXPECTATION = {"E": (expectation, (4,))}
BOUND_BY = {"E": {"a": A, "b": B}}
