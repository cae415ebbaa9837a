"""Observables of the meanfield group (g(u) = (1/m)Σⱼφ(uⱼ) and the two-layer net of seed 003 §4 (issue #6)); registered for `ntkverify check` as they are built."""
from __future__ import annotations
