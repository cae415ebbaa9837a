"""randnet.* finite-width claims (cumulants, L/n corrections) — assembled into verify.claims.randnet.

Empty until issue #7's finite-width half lands.
"""
from __future__ import annotations

from verify._model import Claim

CLAIMS: tuple[Claim, ...] = ()
