"""numeric/ at full cost: every closed form on every landmark (2-D erf/tanh integrals included) and a
wider random sweep at 25 digits. Helpers and tolerances come from the fast module, loaded by path
(tests/ is not a package)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings

_spec = importlib.util.spec_from_file_location(
    "_numeric_kernels_fast", Path(__file__).parents[1] / "fast" / "test_numeric_kernels.py"
)
_fast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fast)

SLOW_DPS = 25  # closed forms then agree with the quadrature to 1e-22 relative


@pytest.mark.slow
@pytest.mark.parametrize(
    ("key", "x", "z"),
    list(_fast._landmark_cases(tuple(_fast.LANDMARKS), tuple(_fast.LANDMARKS))),
)
def test_closed_form_matches_quadrature_on_every_landmark(key, x, z):
    _fast._check_closed_form((key, x, z), dps=SLOW_DPS)


@pytest.mark.slow
@settings(max_examples=60, **_fast.SETTINGS)
@given(_fast._key_and_inputs())
def test_closed_form_matches_quadrature_on_many_random_inputs(case):
    _fast._check_closed_form(case, dps=SLOW_DPS)
