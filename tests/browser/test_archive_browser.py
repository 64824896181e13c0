"""The archive of past events on a phone (issue 18 item 9): /events/archive over the demo union at 390x844 in Chinese
and English: nothing wider than the screen, the filters a tap away, the demo cup found by its title with its results
link, and the "older" link taking the next page. Screenshots go to SHOTS_DIR when it is set (docs/img/archive.png is
the two side by side)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.calendar import CHINA_TZ
from devtools.demo.snapshot import restore
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, chromium, wait_gone

CUP = "ev-01J6NJV89079VVCN85WE2NGK18"
MEASURE = """
const form = document.querySelector('form[action="/events/archive"]');
return {
  width: innerWidth, scrollWidth: document.scrollingElement.scrollWidth,
  formRight: form.getBoundingClientRect().right, rows: document.querySelectorAll('ul.events > li').length,
};
"""


@pytest.fixture(scope="module")
def site(dynamodb, loaded_demo):
    union, items = loaded_demo
    restore(dynamodb, items)
    cup = next(e for e in union.events if e.event_id == CUP)
    with serving_in_thread() as base:
        yield {"base": base, "year": cup.starts_at.astimezone(CHINA_TZ).year}


def _shot(driver, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"{name}.png"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_archive_on_a_phone(site, language):
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        query = {"year": site["year"], "status": "all", "lang": language}
        driver.get(f"{site['base']}/events/archive?{urlencode(query)}")
        found = driver.execute_script(MEASURE)
        assert found["scrollWidth"] <= found["width"] and found["formRight"] <= found["width"], found
        assert 1 <= found["rows"] <= 20, found
        _shot(driver, f"archive-390x844-{language}")
        driver.find_element(By.CSS_SELECTOR, 'input[name="q"]').send_keys("园丁杯" if language == "zh" else "Gardeners")
        search = driver.find_element(By.CSS_SELECTOR, 'form[action="/events/archive"] button')
        search.click()
        wait_gone(driver, search)  # the rows counted are the search's, not the page's before it
        rows = driver.find_elements(By.CSS_SELECTOR, "ul.events > li")
        assert len(rows) == 1
        assert rows[0].find_element(By.CSS_SELECTOR, f'a[href="/events/{CUP}/competition"]').is_displayed()
        _shot(driver, f"archive-390x844-{language}-search")
        driver.get(f"{site['base']}/events/archive?{urlencode({**query, 'limit': 2})}")
        older = driver.find_element(By.PARTIAL_LINK_TEXT, "更早" if language == "zh" else "Older")
        older.click()
        assert "cursor=" in driver.current_url and "limit=2" in driver.current_url
        assert len(driver.find_elements(By.CSS_SELECTOR, "ul.events > li")) == 2
