"""The link between a claim registered as its source states it and its `.corrected` companion, as every report
format words it."""
from __future__ import annotations


def companion(claim: dict) -> tuple[str, str] | None:
    """("corrected by", id) for a source claim with a companion, ("corrects", id) for the companion, else None."""
    if claim.get("corrected_by"):
        return "corrected by", str(claim["corrected_by"])
    if claim.get("corrects"):
        return "corrects", str(claim["corrects"])
    return None
