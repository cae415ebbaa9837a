"""Strict, seeded test set-up: float64 JAX, hypothesis profiles, markers by cost."""
from __future__ import annotations

import os

import pytest
from hypothesis import settings

import verify._jax  # noqa: F401  (float64 before any test creates an array)

settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_collection_modifyitems(config, items):
    # Slow tests run only when the -m expression asks for them by name ("slow", "slow and not browser");
    # any other expression ("not browser") keeps them skipped.
    if "slow" in config.getoption("-m").replace("not slow", ""):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)
