"""index.html in a real browser: it loads with no console error and no request beyond its own
file and data: URIs, draws the math, and its filters show exactly the matching claims.
A full-page screenshot is left in the run folder for a person to look at."""
from __future__ import annotations

import base64
import json

import pytest

pytestmark = pytest.mark.browser

IDS_BY_VERDICT = {"PASS": {"demo.param-count", "demo.ntk-limit.corrected"}, "FAIL": {"demo.ntk-limit"},
                  "INCONCLUSIVE": {"demo.rate"}, "ERROR": {"demo.crash"}}
IDS_BY_GROUP = {"algebra": {"demo.param-count", "demo.crash"},
                "kernels": {"demo.ntk-limit", "demo.ntk-limit.corrected", "demo.rate"}}
ALL_IDS = set().union(*IDS_BY_VERDICT.values())


@pytest.fixture
def page(browser, report):
    """The report freshly loaded, with the browser's logs emptied beforehand."""
    browser.get_log("browser"), browser.get_log("performance")
    browser.get(report.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    return browser


def _visible(driver) -> tuple[set[str], set[str]]:
    """Claim ids of the visible summary rows and of the visible claim sections."""
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#claims-table tbody tr'))"
        ".filter(r => r.offsetParent !== null).map(r => r.querySelector('a code').textContent)")
    sections = driver.execute_script(
        "return Array.from(document.querySelectorAll('section.claim'))"
        ".filter(s => s.offsetParent !== null).map(s => s.id.slice('claim-'.length))")
    return set(rows), set(sections)


def _choose(driver, select_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, select_id)).select_by_value(value)


def test_loads_with_no_console_error_and_no_remote_request(page, report):
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    # Every request the report's document made (the browser's own start page, chrome://…, aside).
    urls = []
    for entry in page.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if (message["method"] == "Network.requestWillBeSent"
                and message["params"].get("documentURL", "").startswith(report.as_uri())):
            urls.append(message["params"]["request"]["url"])
    assert report.as_uri() in urls and len(urls) > 1, urls  # the page itself and its data: images
    assert [u for u in urls if not u.startswith(("file:", "data:"))] == []


def test_math_is_drawn_as_mathml(page):
    is_mathml, width, height = page.execute_script(
        "const m = document.querySelector('#claim-demo\\\\.ntk-limit math');"
        "const r = m.getBoundingClientRect(); return [m instanceof MathMLElement, r.width, r.height];")
    assert is_mathml and width > 100 and height > 15
    fallback = page.execute_script("return document.querySelector('#claim-demo\\\\.crash code.tex').textContent")
    assert fallback == r"\frac{1}{n"


@pytest.mark.parametrize("verdict", sorted(IDS_BY_VERDICT))
def test_verdict_filter_keeps_only_matching_claims(page, verdict):
    _choose(page, "filter-verdict", verdict)
    rows, sections = _visible(page)
    assert rows == sections == IDS_BY_VERDICT[verdict]
    n = len(IDS_BY_VERDICT[verdict])
    assert page.execute_script("return document.getElementById('filter-count').textContent") == \
        f"{n} of {len(ALL_IDS)} claims shown"
    _choose(page, "filter-verdict", "")
    assert _visible(page) == (ALL_IDS, ALL_IDS)


def test_group_filter_and_both_together(page):
    _choose(page, "filter-group", "algebra")
    assert _visible(page) == (IDS_BY_GROUP["algebra"],) * 2
    labels = page.execute_script(
        "return Array.from(document.getElementById('filter-verdict').options).map(o => o.textContent)")
    assert labels == ["all verdicts (2)", "PASS (1)", "FAIL (0)", "INCONCLUSIVE (0)", "ERROR (1)"]
    _choose(page, "filter-verdict", "FAIL")
    assert _visible(page) == (set(), set())
    assert page.execute_script("return !document.getElementById('filter-empty').hidden")
    _choose(page, "filter-group", "kernels")
    assert _visible(page) == ({"demo.ntk-limit"},) * 2


def test_verdict_chip_toggles_the_filter(page):
    from selenium.webdriver.common.by import By

    chip = page.find_element(By.CSS_SELECTOR, 'button.chip[data-verdict="ERROR"]')
    chip.click()
    assert _visible(page)[0] == IDS_BY_VERDICT["ERROR"]
    chip.click()
    assert _visible(page)[0] == ALL_IDS


def test_link_to_a_filtered_out_claim_shows_it(page):
    _choose(page, "filter-verdict", "FAIL")
    page.execute_script("location.hash = '#claim-demo.ntk-limit.corrected'")
    page.execute_script("return 0")  # let the hashchange handler run
    assert "demo.ntk-limit.corrected" in _visible(page)[1]


def test_anchor_of_show_open_lands_on_the_claim(browser, report):
    """`ntkverify show ID --open` opens index.html#claim-ID; ids keep their dots."""
    browser.get(report.as_uri() + "#claim-demo.rate")
    assert browser.execute_script("return document.querySelector(':target').id") == "claim-demo.rate"
    assert browser.execute_script("return window.scrollY") > 0


def test_empty_interrupted_run_loads_cleanly(browser, tmp_path):
    from verify._model import PROFILES
    from verify.report import write_html
    from verify.runner import new_document

    browser.get_log("browser")
    browser.get(write_html(new_document("empty", PROFILES["quick"], 0, []), tmp_path).as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert "interrupted" in browser.find_element("tag name", "header").text


def test_screenshot_for_review(page, report):
    """The whole page as one PNG beside the report (look at it when the layout changes)."""
    size = page.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = page.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    png = base64.b64decode(shot["data"])
    out = report.parent / "screenshot.png"
    out.write_bytes(png)
    assert png.startswith(b"\x89PNG") and len(png) > 50_000
    page.save_screenshot(str(report.parent / "screenshot-top.png"))
