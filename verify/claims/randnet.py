"""randnet.* — random deep fully connected networks of seed 004 (issue #7).

Two halves: the infinite-width kernel recursion (this module) and the finite-width L/n corrections
(verify/claims/_randnet_finite.py); CLAIMS lists both in the catalogue's order.
"""
from __future__ import annotations

from verify._model import Claim
from verify.claims._randnet_finite import CLAIMS as FINITE

KERNEL: tuple[Claim, ...] = ()
ORDER = ("overparam-independence", "gp-limit", "relu-recursion", "relu-critical", "tanh-decay", "odd-cumulants",
         "cumulant-scaling", "neuron-correlation", "input-gradient", "hessian", "depth-to-width", "deep-linear",
         "leaky-relu-critical")


def _rank(claim: Claim) -> tuple[int, int]:
    stem = claim.id.removeprefix("randnet.").removesuffix(".corrected")
    return (ORDER.index(stem) if stem in ORDER else len(ORDER), claim.id.endswith(".corrected"))


CLAIMS: tuple[Claim, ...] = tuple(sorted(KERNEL + FINITE, key=_rank))
