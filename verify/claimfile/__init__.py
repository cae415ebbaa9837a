"""Claims stated in a few lines, checked without writing simulation code.

A claim file is TOML (one ``[[claim]]`` table per claim) or Python (builders below, collected from
a module-level ``CLAIMS`` list or from the module's globals). Either gives ordinary
verify._model.Claim objects whose checks are the suite's own check kinds, so verdicts, evidence,
reports and verify.runner.run_claim work unchanged.

Kinds: identity (SymPy + 50-digit evaluation), limit (LimitSweep), scaling (ScalingLaw),
psd (Gram-eigenvalue search, 50-digit confirmation), law (LawEquals + growth across widths),
moment (MeanEquals). Bad input is a ClaimFileError naming file, line, claim and field; loading
collects those and keeps the good claims.
"""
from verify.claimfile._errors import ClaimFileError
from verify.claimfile._kinds import KINDS
from verify.claimfile._load import CheckOutcome, LoadResult, check_file, load, load_all, load_strict, run_loaded
from verify.claimfile._python import identity, law, limit, moment, psd, scaling

__all__ = ["ClaimFileError", "KINDS", "CheckOutcome", "LoadResult", "check_file", "load", "load_all", "load_strict",
           "run_loaded", "identity", "law", "limit", "moment", "psd", "scaling"]
