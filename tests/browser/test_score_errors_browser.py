"""The score form of a team tie in headless Chromium (Debian's chromium and chromedriver) on a 390x844 phone, over real
HTTP: a referee types a third game of 21–20 in rubber 2 and saves; the page comes back with exactly that game's two
inputs marked (aria-invalid, the message under them naming the rubber and game), everything typed still there, and
nothing wider than the screen; in Chinese and English (issue 18 item 6). Screenshots go to ``SHOTS_DIR`` when it is
set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.model import MatchStatus
from chalicelib.domain.records import SCHOOL_UNIT_ID, EntryType, EventFormat, EventKind, Gender, Member, Unit, UnitKind
from chalicelib.services import competition as competition_service
from chalicelib.services import teams as team_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, open_as, small_union, wait_gone
from tests.factories import published_event

# What the referee types: rubbers 1, 3, 4 and 5 won 21–15 21–18; rubber 2 (women's singles) goes to a third game
# typed 21–20, which is not over.
TYPED = {index: [("21", "15"), ("21", "18")] for index in (0, 2, 3, 4)} | {
    1: [("21", "15"), ("15", "21"), ("21", "20")]
}
# The border colours of some inputs, and the page's colour for something wrong (--bad), as the browser computes them.
BORDERS = "return arguments[0].map(field => getComputedStyle(field).borderTopColor);"
BAD = """const probe = document.createElement('i'); probe.style.color = 'var(--bad)'; document.body.append(probe);
const colour = getComputedStyle(probe).color; probe.remove(); return colour;"""
MESSAGES = {
    "zh": "第2场（女单）第3局比分有误（21:20）：这一局还没有结束",
    "en": "Rubber 2 (Women's singles), game 3 (21:20): This game is not finished",
}


@pytest.fixture(scope="module")
def site(dynamodb):
    """A small union with a second sub-union; a five-rubber badminton team final between their teams, drawn; the
    app served over HTTP from a thread."""
    players = [Member("P0001", "李明", Gender.MALE, date(1988, 3, 1), UNIT_ID)]
    union = small_union(dynamodb, players)
    union.store.units.put_many([Unit("ee", UnitKind.SUB, "电子学院分工会", parent_id=SCHOOL_UNIT_ID)])
    union.store.members.put_many([Member("P0002", "周强", Gender.MALE, date(1987, 5, 2), "ee")])
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.TOURNAMENT, title_zh="羽毛球团体赛", title_en="Badminton team cup", capacity=8,
        entry_type=EntryType.TEAM,
    )  # fmt: skip
    school = Principal(staff_no=ORGANISER, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    for unit, name, player in ((UNIT_ID, "计算机队", "P0001"), ("ee", "电子队", "P0002")):
        team_service.enter_team(union.store, school, event, unit, name, [player], None, now())
    final = [{"stage_id": "final", "kind": "single_elimination", "name_zh": "决赛"}]
    setup = {"match_format": "badminton_5", "tiebreak": "badminton_team", "stages": final}
    competition_service.configure(union.store, union.organiser, event.event_id, setup, now())
    state = competition_service.draw(union.store, union.organiser, event.event_id, "final", now())
    (match,) = state.stage_matches("final")
    path = f"/admin/events/{event.event_id}/competition/stages/final/matches/{match.match_id}"
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[ORGANISER], "path": path, "union": union, "event": event}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_wrong_game_in_rubber_two_is_marked_where_it_was_typed(site, language):
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], site["path"], language)
        for index, games in TYPED.items():
            homes = driver.find_elements(By.NAME, f"r{index}_home")
            aways = driver.find_elements(By.NAME, f"r{index}_away")
            for (home, away), home_input, away_input in zip(games, homes, aways, strict=False):
                home_input.send_keys(home)
                away_input.send_keys(away)
        save = driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]")
        save.click()
        wait_gone(driver, save)  # the page that came back

        marked = driver.find_elements(By.CSS_SELECTOR, "input[aria-invalid=true]")
        assert [(field.get_attribute("name"), field.get_attribute("value")) for field in marked] == [
            ("r1_home", "21"),
            ("r1_away", "20"),
        ]
        # Marked so that one sees it: the page's "bad" colour on the border, unlike the inputs around it.
        colours = driver.execute_script(BORDERS, driver.find_elements(By.NAME, "r1_home"))
        assert colours[2] == driver.execute_script(BAD) and colours[0] == colours[1] != colours[2]
        error = driver.find_element(By.ID, marked[0].get_attribute("aria-describedby"))
        assert error.text.startswith(MESSAGES[language]) and error.is_displayed()
        # Everything typed is still there, rubber by rubber.
        for index, games in TYPED.items():
            homes = [field.get_attribute("value") for field in driver.find_elements(By.NAME, f"r{index}_home")]
            assert homes[: len(games)] == [home for home, _away in games]
        # The message under the game fits the phone: nothing wider than the screen.
        width = driver.execute_script("return document.scrollingElement.scrollWidth")
        assert width <= PHONE[0]
        box = error.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]
        if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", error)
            driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"score-error-{language}.png"))
            driver.execute_script("window.scrollTo(0, 0)")
            driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"score-error-top-{language}.png"))
    state = competition_service.managed(site["union"].store, site["union"].organiser, site["event"].event_id)[1]
    assert [m.status for m in state.stage_matches("final")] == [MatchStatus.READY]  # nothing was recorded
