"""Observables of the randnet group (random deep fully connected networks of seed 004 (issue #7)); registered for `ntkverify check` as they are built."""
from __future__ import annotations
