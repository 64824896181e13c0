"""The court board, a team's fixtures and the order of play in headless Chromium over real HTTP (issue 18 item 2): a
1920x1080 hall screen shows one court's match now and next in one screen with nothing cut off, and reloads itself
without a script; on a 390x844 phone, in Chinese and English, the board, the fixtures and the order of play are no
wider than the screen; the order of play prints a court a page.

SHOTS_DIR=<dir> saves the screenshots (docs/img/court-board.png, fixtures.png, order-of-play.png come from here).
No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    EntryType,
    EventFormat,
    EventKind,
    Gender,
    Member,
    TeamRule,
    Unit,
    UnitKind,
)
from chalicelib.services import competition as competition_service
from chalicelib.services import teams as team_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, chromium, open_as, small_union
from tests.factories import published_event

UNITS = {
    "cs": "计算机学院",
    "math": "数学学院",
    "phys": "物理学院",
    "chem": "化学学院",
    "med": "医学院",
    "law": "法学院",
}
TEAMS = [
    ("cs", "计算机一队"),
    ("math", "数学队"),
    ("phys", "物理队"),
    ("chem", "化学队"),
    ("med", "医学院队"),
    ("law", "法学院队"),
    ("cs", "计算机二队"),
    ("math", "数学二队"),
]
COURTS = ("1号场", "2号场", "3号场", "4号场")
WIN, LOSS = {"games": [[21, 15], [21, 18]]}, {"games": [[17, 21], [19, 21]]}
MEASURE = """
const d = document.scrollingElement;
return {width: innerWidth, height: innerHeight, scrollWidth: d.scrollWidth, scrollHeight: d.scrollHeight,
        scripts: [...document.scripts].map(s => s.src), refresh: !!document.querySelector('meta[http-equiv=refresh]')};
"""


def _shot(driver, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"{name}.png"))


@pytest.fixture(scope="module")
def site(dynamodb):
    """Eight teams of six units in two groups of four, their twelve matches on four courts an hour apart: the first
    round began 25 minutes ago (2号场's is over, and 计算机一队's, which it won), the next two follow; published and
    served over HTTP."""
    players = [
        Member(f"P{n:04d}", f"队员{n}", Gender.FEMALE, date(1985, 1, 1), unit) for n, (unit, _) in enumerate(TEAMS, 1)
    ]
    union = small_union(dynamodb, players, signed_in=[players[0].staff_no])
    store = union.store
    store.units.put_many(
        [
            Unit(code, UnitKind.SUB, f"{name}分工会", parent_id=SCHOOL_UNIT_ID)
            for code, name in UNITS.items()
            if code != "cs"
        ]
    )
    admin = Principal(staff_no=ORGANISER, unit_id="cs", union_admin=True)
    rule = TeamRule(min_size=1, max_size=3, teams_per_unit=2)
    fields = {
        "owner_unit_id": "cs",
        "kind": EventKind.SPORTS,
        "format": EventFormat.TOURNAMENT,
        "capacity": 16,
        "entry_type": EntryType.TEAM,
        "team_rule": rule,
    }
    event = published_event(
        admin,
        days=3,
        hours=8,
        store=store,
        title_zh="教职工羽毛球团体赛",
        title_en="Staff Badminton Team Cup",
        **fields,
    )
    for player, (unit, name) in zip(players, TEAMS, strict=True):
        team_service.enter_team(store, admin, event, unit, name, [player.staff_no], None, now())
    stages = [
        {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "name_en": "Groups", "groups": 2, "qualifiers": 2}
    ]
    setup = {"match_format": "badminton_mixed_3", "tiebreak": "badminton_team", "stages": stages}
    competition_service.configure(store, admin, event.event_id, setup, now())
    state = competition_service.draw(store, admin, event.event_id, "groups", now())
    first = now().replace(second=0, microsecond=0) - timedelta(minutes=25)
    matches = sorted(state.stage_matches("groups"), key=lambda m: (m.round, m.bracket, m.order))
    placed = [
        m._replace(court=COURTS[i % 4], starts_at=(first + timedelta(hours=i // 4)).isoformat())
        for i, m in enumerate(matches)
    ]
    store.competitions.put_matches(
        event.event_id, "groups", state.competition.run("groups").draw_id or "", placed, now()
    )
    team = next(t for t in store.teams.for_event(event.event_id) if t.name == TEAMS[0][1])
    first_of_team = next(m for m in placed if team.team_id in m.entries)  # its fixtures show a result
    for played in (placed[1], first_of_team):
        rubbers = [WIN, LOSS, WIN] if played.home.entry == team.team_id or played is placed[1] else [LOSS, WIN, LOSS]
        competition_service.enter_result(store, admin, event.event_id, "groups", played.match_id, {"rubbers": rubbers},
                                         now())  # fmt: skip
    competition_service.publish(store, admin, event.event_id, True, now())
    live = next(m.court for m in placed[:4] if m.match_id not in (placed[1].match_id, first_of_team.match_id))
    with serving_in_thread() as base:
        tokens = {"token": union.tokens[ORGANISER], "member": union.tokens[players[0].staff_no]}
        yield {"base": base, **tokens, "event": event, "team": team, "court": live}


def _path(site, tail: str) -> str:
    return f"/events/{site['event'].event_id}/competition{tail}"


def test_a_hall_screen_shows_a_court_now_and_next_in_one_screen(site):
    with chromium(size=(1920, 1080)) as driver:
        open_as(driver, site["base"], site["token"], _path(site, f"/board/{quote(site['court'])}"))
        found = driver.execute_script(MEASURE)
        assert found["refresh"] and all("/static/app." in src for src in found["scripts"]), found
        assert found["scrollHeight"] <= found["height"] and found["scrollWidth"] <= found["width"], found
        now_playing = driver.find_element(By.CSS_SELECTOR, ".now")
        assert "正在进行" in now_playing.text and "对" in now_playing.text and "小组赛" in now_playing.text
        size = driver.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('.now .versus')).fontSize)"
        )
        assert size >= 60, size  # reads from across the hall
        _shot(driver, "court-board")
        open_as(driver, site["base"], site["token"], _path(site, "/board"), "en")
        overview = driver.execute_script(MEASURE)
        _shot(driver, "court-board-all-1920-en")
        assert len(driver.find_elements(By.CSS_SELECTOR, "section.court")) == 4
        assert overview["scrollHeight"] <= overview["height"], overview
        assert "No match on court" in driver.find_element(By.TAG_NAME, "body").text  # 2号场's match is over


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_phone_sees_the_board_fixtures_and_order_of_play_within_its_width(site, language):
    pages = {
        "board": _path(site, f"/board/{quote(site['court'])}"),
        "fixtures": _path(site, f"/entries/{site['team'].team_id}"),
        "order-of-play": _path(site, "/order-of-play"),
        "registrations": "/me/registrations",
    }
    with chromium(size=PHONE, mobile=True) as driver:
        for name, path in pages.items():
            open_as(driver, site["base"], site["member"], path, language)
            found = driver.execute_script(MEASURE)
            assert found["scrollWidth"] <= found["width"], (name, found)
            _shot(driver, f"{name}-390x844-{language}")
        text = driver.find_element(By.TAG_NAME, "body").text
        assert ("下一场：" if language == "zh" else "Next: ") in text, text


def test_the_order_of_play_prints_a_court_a_page(site):
    with chromium(size=(1200, 900)) as driver:
        open_as(driver, site["base"], site["token"], _path(site, "/order-of-play"))
        sheets = driver.find_elements(By.CSS_SELECTOR, "section.sheet")
        assert len(sheets) == 4
        _shot(driver, "order-of-play")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        breaks = driver.execute_script(
            "return [...document.querySelectorAll('section.sheet')].map(s => getComputedStyle(s).breakAfter)"
        )
        assert breaks == ["page", "page", "page", "auto"], breaks
        hidden = driver.execute_script("return getComputedStyle(document.querySelector('header.top')).display")
        assert hidden == "none"
