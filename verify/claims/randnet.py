"""randnet.* — random deep fully connected networks of seed 004 (issue #7).

The group's claims are registered here as they are checked; until then the tuple is empty and the
group contributes nothing to the catalogue (the pre-stop coverage hook lists its ids as missing).
"""
from __future__ import annotations

from verify._model import Claim

CLAIMS: tuple[Claim, ...] = ()
