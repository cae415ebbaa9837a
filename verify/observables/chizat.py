"""Observables of the chizat group (lazy training of F_α(w) = R(αh(w))/α², Chizat–Oyallon–Bach, seed 003 §5 (issue #6)); registered for `ntkverify check` as they are built."""
from __future__ import annotations
