"""The claim catalogue: every group module contributes a tuple CLAIMS; ids are unique and stable."""
from __future__ import annotations

import difflib
import fnmatch
import importlib

from verify._model import Claim
from verify.stats import CATALOGUE_SLOTS

GROUPS = ("shallow", "lin", "rkhs", "linear3", "meanfield", "chizat", "randnet")  # modules under verify.claims, in report order


class UnknownClaim(ValueError):
    pass


def _load() -> dict[str, Claim]:
    out: dict[str, Claim] = {}
    for group in GROUPS:
        for claim in importlib.import_module(f"verify.claims.{group}").CLAIMS:
            if claim.id in out:
                raise RuntimeError(f"claim id {claim.id!r} is registered twice")
            out[claim.id] = claim
    if len(out) > CATALOGUE_SLOTS:
        raise RuntimeError(f"{len(out)} claims exceed CATALOGUE_SLOTS={CATALOGUE_SLOTS}: raise it in "
                           "verify/stats/_budget.py so the run-level false-fail rate stays controlled")
    for claim in out.values():
        if claim.corrects is not None and claim.corrects not in out:
            raise RuntimeError(f"{claim.id!r} corrects unknown claim {claim.corrects!r}")
    return out


_CATALOGUE: dict[str, Claim] | None = None


def catalogue() -> dict[str, Claim]:
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = _load()
    return _CATALOGUE


def corrected_by(claim_id: str) -> str | None:
    return next((c.id for c in catalogue().values() if c.corrects == claim_id), None)


def nearest(name: str, n: int = 3) -> list[str]:
    ids = list(catalogue())
    close = difflib.get_close_matches(name, ids, n=n, cutoff=0.4)
    if not close:
        stem = name.split(".")[0].rstrip("*")
        close = [i for i in ids if i.startswith(stem)][:n]
    return close


def get(claim_id: str) -> Claim:
    try:
        return catalogue()[claim_id]
    except KeyError:
        hint = nearest(claim_id)
        raise UnknownClaim(f"unknown claim id {claim_id!r}; nearest: {', '.join(hint) or 'none'} "
                           "(`ntkverify list` shows all)") from None


def select(patterns: list[str] | None) -> list[Claim]:
    """Claims matching any glob, in catalogue order; a glob that matches nothing is an error."""
    claims = list(catalogue().values())
    if not patterns:
        return claims
    chosen: set[str] = set()
    for pat in patterns:
        hits = [c.id for c in claims if fnmatch.fnmatchcase(c.id, pat)]
        if not hits:
            hint = nearest(pat)
            raise UnknownClaim(f"--only {pat!r} matches no claim; nearest: {', '.join(hint) or 'none'} "
                               "(`ntkverify list` shows all)")
        chosen.update(hits)
    return [c for c in claims if c.id in chosen]
