"""meanfield.* — g(u) = (1/m)Σⱼφ(uⱼ) and the two-layer net of seed 003 §4 (issue #6).

The group's claims are registered here as they are checked; until then the tuple is empty and the
group contributes nothing to the catalogue (the pre-stop coverage hook lists its ids as missing).
"""
from __future__ import annotations

from verify._model import Claim

CLAIMS: tuple[Claim, ...] = ()
