"""Observables of the randnet group (random deep networks of seed 004), registered for `ntkverify check`."""
from __future__ import annotations

from verify.observables import _randnet_finite  # noqa: F401  (registers the finite-width observables)
