"""The catalogue of claims of ../shared/CLAIMS.md, one module per group."""
from verify.claims._registry import GROUPS, UnknownClaim, catalogue, corrected_by, get, nearest, select

__all__ = ["GROUPS", "UnknownClaim", "catalogue", "corrected_by", "get", "nearest", "select"]
