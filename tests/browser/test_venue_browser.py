"""The venue display in headless Chromium (Debian's chromium and chromedriver) against the app over real HTTP: on a
1280x800 projector, a 1920x1080 screen and a 390x844 phone, in Chinese and English, the page is one screen high (no
scrolling), everything on it is on the screen, and the QR code's centre is the screen's centre.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.records import CheckinSettings
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, UNIT_ID, chromium, open_as, small_union
from tests.factories import published_event

# A long title (it wraps on a phone) and a checkpoint name, as a walk's venue screens show them.
TITLE_ZH = "2026年教职工健步走暨校园定向越野活动（东区校园）"
TITLE_EN = "Staff Campus Walk and Orienteering Day 2026 (East Campus)"
SCREENS = [(1280, 800, False), (1920, 1080, False), (390, 844, True)]
# How far the code's centre may be from the screen's (rounding of fractional layout sizes).
CENTRE_TOLERANCE_PX = 3

# Where the code and the page are, measured by the browser itself.
MEASURE = """
const box = document.getElementById('venue-qr').getBoundingClientRect();
const svg = document.querySelector('#venue-qr svg').getBoundingClientRect();
const shown = [...document.querySelectorAll('.venue h1, .venue .point, .venue .how, .venue .left, .venue .tools')]
  .filter(e => !e.hidden && e.getClientRects().length)
  .map(e => { const r = e.getBoundingClientRect(); return [e.className || e.tagName, r.top, r.bottom, r.left,
               r.right]; });
return {
  width: innerWidth, height: innerHeight,
  scrollHeight: document.scrollingElement.scrollHeight, scrollWidth: document.scrollingElement.scrollWidth,
  box: [box.left, box.top, box.width, box.height], svg: [svg.left, svg.top, svg.width, svg.height],
  shown: shown,
};
"""


@pytest.fixture(scope="module")
def site(dynamodb):
    """A small union whose admin (signed in) organises a walk with venue self check-in on; the app served over HTTP
    from a thread."""
    union = small_union(dynamodb)
    event = published_event(
        union.organiser, days=1, store=union.store, owner_unit_id=UNIT_ID, title_zh=TITLE_ZH, title_en=TITLE_EN,
        checkin=CheckinSettings(self_checkin=True),
    )  # fmt: skip
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[ORGANISER], "event": event}


@pytest.fixture(scope="module")
def browser():
    with chromium(size=(1920, 1080)) as driver:
        yield driver


def open_venue(driver, site, width, height, mobile, language):
    """The venue display of the event's entry on a screen of ``width`` x ``height`` CSS pixels."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 3 if mobile else 1, "mobile": mobile},
    )
    path = f"/admin/events/{site['event'].event_id}/checkin/venue?point=entry"
    open_as(driver, site["base"], site["token"], path, language)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", "#venue-qr svg"))
    return driver.execute_script(MEASURE)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(("width", "height", "mobile"), SCREENS, ids=[f"{w}x{h}" for w, h, _ in SCREENS])
def test_venue_code_is_centred_and_the_page_fits_the_screen(site, browser, width, height, mobile, language):
    found = open_venue(browser, site, width, height, mobile, language)
    assert (found["width"], found["height"]) == (width, height)
    # One screen: nothing to scroll, either way.
    assert found["scrollHeight"] <= found["height"] and found["scrollWidth"] <= found["width"]
    left, top, size, tall = found["box"]
    assert abs(left + size / 2 - width / 2) <= CENTRE_TOLERANCE_PX, found
    assert abs(top + tall / 2 - height / 2) <= CENTRE_TOLERANCE_PX, found
    # Square, drawn over the whole box, and as large as the screen allows (the narrow side's share).
    assert size == pytest.approx(tall, abs=1) and found["svg"] == pytest.approx(found["box"], abs=1)
    assert size >= 0.55 * min(width, height)
    # Title, point, instructions, seconds left and tools are all on the screen, none under the code.
    assert len(found["shown"]) == 5, found["shown"]
    for name, top_, bottom, left_, right in found["shown"]:
        assert top_ >= 0 and bottom <= height and left_ >= 0 and right <= width, (name, found)
        assert bottom <= top + 1 or top_ >= top + tall - 1, (name, found)
    if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at
        browser.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"venue-{width}x{height}-{language}.png"))
    text = browser.find_element("css selector", ".venue h1").text
    assert text.startswith(TITLE_ZH[:8] if language == "zh" else TITLE_EN[:8])
