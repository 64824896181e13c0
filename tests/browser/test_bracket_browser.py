"""A 40-entry bracket in headless Chromium over real HTTP (issue 18 item 10): on a 390x844 phone, in Chinese and
English, the public competition page shows two rounds at a time with previous/next links and nothing wider than the
screen but the bracket's own scrolling box; on a wide screen the whole bracket, without bye boxes, seeds marked.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.services import competition as competition_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, guests, open_as, small_union
from tests.factories import published_event, register_all

MEASURE = """
const shown = s => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length).length;
const box = document.querySelector('.bracket-step .bracket');
return {
  width: innerWidth, scrollWidth: document.scrollingElement.scrollWidth,
  step: shown('.bracket-step'), whole: shown('.bracket-all'),
  titles: [...document.querySelectorAll('.bracket-step svg text.h')].map(t => t.textContent),
  boxWidth: box ? box.getBoundingClientRect().width : 0,
  svgHeight: box ? box.querySelector('svg').getBoundingClientRect().height : 0,
};
"""


@pytest.fixture(scope="module")
def site(dynamodb):
    """Forty members in a single elimination, eight seeded (24 byes), published; served over HTTP."""
    players = guests("选手", 40)
    union = small_union(dynamodb, players)
    fields = {"owner_unit_id": UNIT_ID, "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT, "capacity": 40}
    event = published_event(
        union.organiser, days=3, store=union.store, title_zh="四十人单打", title_en="Forty", **fields
    )
    register_all(event.event_id, players, store=union.store)
    stages = [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛", "name_en": "Knockout"}]
    seeds = {player.staff_no: number for number, player in enumerate(players[:8], start=1)}
    setup = {"match_format": "badminton", "tiebreak": "badminton", "stages": stages, "seeds": seeds}
    competition_service.configure(union.store, union.organiser, event.event_id, setup, now())
    competition_service.draw(union.store, union.organiser, event.event_id, "main", now())
    competition_service.publish(union.store, union.organiser, event.event_id, True, now())
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[ORGANISER], "event": event}


def _shot(driver, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"{name}.png"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_phone_steps_through_the_bracket_two_rounds_at_a_time(site, language):
    path = f"/events/{site['event'].event_id}/competition"
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], path, language)
        found = driver.execute_script(MEASURE)
        assert (found["step"], found["whole"]) == (1, 0), found
        assert found["scrollWidth"] <= found["width"] and found["boxWidth"] <= found["width"]
        assert len(found["titles"]) == 2 and found["svgHeight"] < 1_000, found
        first = found["titles"]
        _shot(driver, f"bracket-390x844-{language}-round-1")
        driver.find_element(By.CSS_SELECTOR, ".steps .next").click()
        after = driver.execute_script(MEASURE)
        assert "round=2" in driver.current_url and after["titles"][0] == first[1], after
        assert driver.find_elements(By.CSS_SELECTOR, ".steps a:not(.next)")  # and back
        _shot(driver, f"bracket-390x844-{language}-round-2")
        open_as(driver, site["base"], site["token"], f"{path}?stage=main&round=9", language)
        last = driver.execute_script(MEASURE)
        assert not driver.find_elements(By.CSS_SELECTOR, ".steps .next") and len(last["titles"]) == 2
        _shot(driver, f"bracket-390x844-{language}-final")


def test_a_wide_screen_sees_the_whole_bracket(site):
    path = f"/events/{site['event'].event_id}/competition"
    with chromium(size=(1440, 1000)) as driver:
        open_as(driver, site["base"], site["token"], path)
        found = driver.execute_script(MEASURE)
        assert (found["step"], found["whole"]) == (0, 1), found
        drawn = driver.find_element(By.CSS_SELECTOR, ".bracket-all svg")
        assert "[1] 选手1" in drawn.get_attribute("textContent") and "轮空" not in drawn.get_attribute("textContent")
        _shot(driver, "bracket-1440-zh-whole")
