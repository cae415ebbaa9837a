"""The kinds a claim file may use, and the one function that turns a claim's fields into a Claim."""
from __future__ import annotations

from typing import Callable

from verify._model import Claim
from verify.claimfile import _identity, _law, _limit, _psd, _scaling
from verify.claimfile._errors import ClaimFileError, hint
from verify.claimfile._fields import COMMON, start

KINDS: dict[str, tuple[Callable, dict]] = {
    "identity": (_identity.build, _identity.FIELDS),
    "limit": (_limit.build, _limit.FIELDS),
    "scaling": (_scaling.build, _scaling.FIELDS),
    "psd": (_psd.build, _psd.FIELDS),
    "law": (_law.build_law, _law.LAW_FIELDS),
    "moment": (_law.build_moment, _law.MOMENT_FIELDS),
}


def build_claim(data: dict, file: str, locate: Callable[[str], int | None]) -> Claim:
    """Fields → Claim, or a ClaimFileError naming file, line, claim and field. Never another exception."""
    f = start(data, file, locate)
    kind = f.text("kind")
    if kind not in KINDS:
        raise f.error("kind", f"unknown kind {kind!r}" + hint(kind, KINDS, "kinds"))
    build, fields = KINDS[kind]
    f.docs = fields
    known = {**COMMON, **fields}
    for name in data:  # before anything else: a misspelt field explains a 'missing' one
        if name not in known:
            raise f.error(name, f"unknown field {name!r} for kind {kind!r}" + hint(name, known, "fields"))
    try:
        return build(f)
    except ClaimFileError:
        raise
    except Exception as exc:  # a SymPy or NumPy failure on odd input is still bad input, reported in one line
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        raise f.error(None, f"could not be read ({type(exc).__name__}: {first})") from None
