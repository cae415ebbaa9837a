"""Observables of the randnet finite-width claims (cumulants, L/n); imported by verify.observables.randnet."""
from __future__ import annotations
