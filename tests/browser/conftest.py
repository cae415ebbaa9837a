"""A headless Chromium for the browser tests, driven by Selenium through Debian's chromedriver.

Both binaries come from apt (`.ci/install-browser`); the driver is given by path, so Selenium
Manager is never asked to download one. Without them the tests skip with the reason, except
under CI (environment variable CI set), where a skipped browser test would hide a broken page:
there they fail.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("NTKVERIFY_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("NTKVERIFY_CHROMEDRIVER", "/usr/bin/chromedriver"))
# Flags that work in a root container without a display or network access.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000", "--hide-scrollbars")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason}; CI is set, so the browser test may not skip (.ci/install-browser installs it)",
                    pytrace=False)
    pytest.skip(reason)


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """A Selenium WebDriver on headless Chromium recording console messages and network requests."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    for path, what in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromedriver")):
        if not _executable(path):
            found = shutil.which(path.name)
            _unavailable(f"{what} not found at {path}" + (f" (there is one at {found}; set NTKVERIFY_"
                                                          f"{what.upper()})" if found else ""))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER), log_output=os.devnull)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def _load_run_builder():
    """`build_run` of tests/fast/test_html_report.py: one synthetic run for both test sets."""
    path = Path(__file__).parents[1] / "fast" / "test_html_report.py"
    spec = importlib.util.spec_from_file_location("_html_report_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_run


@pytest.fixture(scope="session")
def report(tmp_path_factory) -> Path:
    """index.html of a synthetic run (PASS, FAIL + companion, INCONCLUSIVE, ERROR, one figure)."""
    from verify.report import write_html

    run_dir = tmp_path_factory.mktemp("run")
    return write_html(_load_run_builder()(run_dir), run_dir)
