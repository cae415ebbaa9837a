"""The slow-test skip: switched off only by a -m expression that selects slow tests."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PROBE = textwrap.dedent("""
    import pytest

    @pytest.mark.slow
    def test_expensive():
        pass

    def test_cheap():
        pass
""")


@pytest.mark.parametrize("args, ran", [
    ([], {"passed": 1, "skipped": 1}),
    (["-m", "not browser"], {"passed": 1, "skipped": 1}),
    (["-m", "not slow"], {"passed": 1, "deselected": 1}),
    (["-m", "slow"], {"passed": 1, "deselected": 1}),
    (["-m", "slow and not browser"], {"passed": 1, "deselected": 1}),
])
def test_slow_tests_run_only_when_asked_for(pytester, args, ran):
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text())
    pytester.makeini("[pytest]\nmarkers =\n    slow: slow\n    browser: browser\n")
    pytester.makepyfile(test_probe=PROBE)
    result = pytester.runpytest(*args)
    result.assert_outcomes(**ran)
