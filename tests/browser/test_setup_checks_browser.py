"""Part D's pages of issue 18 in headless Chromium on a 390x844 phone, over real HTTP, in Chinese and English: the
set-up form's seed count (the BWF default as its hint, 65 refused next to the field), the organiser's stage card
telling of two players of one unit the crossing after groups could not keep apart, and a football table's
fair-play column. Nothing is wider than the screen. Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EntryType, EventFormat, EventKind, Gender, Member, Unit, UnitKind
from chalicelib.services import competition as competition_service
from chalicelib.services import teams as team_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, open_as, press, small_union
from tests.factories import published_event, register_all

UNITS = {"ee": "电子学院分工会", "math": "数学学院分工会", "law": "法学院分工会", "life": "生命学院分工会"}
PLAYERS = [
    Member("P0001", "李明", Gender.MALE, date(1988, 3, 1), UNIT_ID),
    Member("P0002", "王强", Gender.MALE, date(1989, 3, 1), UNIT_ID),
    *[
        Member(f"P00{n + 3:02d}", name, Gender.MALE, date(1990, 1, n + 1), unit)
        for n, (unit, name) in enumerate(zip(UNITS, ("周涛", "吴刚", "郑磊", "孙浩"), strict=True))
    ],
]
WIDTH = "return document.documentElement.scrollWidth;"


def _groups_then_knockout(union, school: Principal) -> str:
    """Six singles players in three groups of two; the two of one unit drawn into groups A and C, the one in C
    winning it and the one in A second: they meet in the first knockout round (groups.separate_units)."""
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.TOURNAMENT, title_zh="羽毛球单打", title_en="Badminton singles", capacity=16,
    )  # fmt: skip
    register_all(event.event_id, PLAYERS, store=union.store)
    stages = [
        {
            "stage_id": "groups",
            "kind": "groups",
            "name_zh": "小组赛",
            "name_en": "Groups",
            "groups": 3,
            "qualifiers": 2,
        },
        {"stage_id": "ko", "kind": "single_elimination", "name_zh": "淘汰赛", "name_en": "Knockout"},
    ]
    store = union.store
    competition_service.configure(store, school, event.event_id, {"stages": stages}, now())
    same = {"P0001", "P0002"}
    for attempt in range(60):
        state = competition_service.draw(store, school, event.event_id, "groups", now(), seed=f"b{attempt}")
        groups = state.competition.run("groups").groups
        if {entry for entry in (*groups[0], *groups[2]) if entry in same} == same:
            break
    winner_c = next(entry for entry in groups[2] if entry in same)
    second_a = next(entry for entry in groups[0] if entry in same)
    win, loss = {"games": [[21, 15], [21, 18]]}, {"games": [[15, 21], [18, 21]]}
    for match in state.stage_matches("groups"):
        home_wins = match.home.entry == winner_c or match.away.entry == second_a
        competition_service.enter_result(
            store, school, event.event_id, "groups", match.match_id, win if home_wins else loss, now()
        )
    competition_service.close_stage(store, school, event.event_id, "groups", now())
    return event.event_id


def _football(union, school: Principal) -> str:
    """Four units' teams, a round robin under FIFA's order, every match 0–0, one with two yellows and a red."""
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.TOURNAMENT, title_zh="足球联赛", title_en="Football league", capacity=8,
        entry_type=EntryType.TEAM,
    )  # fmt: skip
    store = union.store
    for member in PLAYERS[1:5]:
        team_service.enter_team(
            store, school, event, member.unit_id, f"{member.name}队", [member.staff_no], None, now()
        )
    league = [{"stage_id": "league", "kind": "round_robin", "name_zh": "循环赛", "name_en": "League"}]
    setup = {"match_format": "football", "tiebreak": "football_fifa", "stages": league}
    competition_service.configure(store, school, event.event_id, setup, now())
    state = competition_service.draw(store, school, event.event_id, "league", now())
    cards = {"home": {"yellow": 2}, "away": {"direct_red": 1}}
    for index, match in enumerate(state.stage_matches("league")):
        payload = {"score": [0, 0], **({"cards": cards} if index == 0 else {})}
        competition_service.enter_result(store, school, event.event_id, "league", match.match_id, payload, now())
    competition_service.publish(store, school, event.event_id, True, now())
    return event.event_id


@pytest.fixture(scope="module")
def site(dynamodb):
    union = small_union(dynamodb, PLAYERS)
    union.store.units.put_many(
        [Unit(unit, UnitKind.SUB, name, parent_id=SCHOOL_UNIT_ID) for unit, name in UNITS.items()]
    )
    school = Principal(staff_no=ORGANISER, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    blank = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.TOURNAMENT, title_zh="乒乓球单打", title_en="Table tennis singles", capacity=16,
    )  # fmt: skip
    register_all(blank.event_id, PLAYERS, store=union.store)
    crossed = _groups_then_knockout(union, school)
    football = _football(union, school)
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[ORGANISER], "blank": blank.event_id, "crossed": crossed,
               "football": football}  # fmt: skip


def _shot(driver, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"{name}.png"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_seed_count_field_and_its_error(site, language):
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], f"/admin/events/{site['blank']}/competition", language)
        driver.find_element(By.CSS_SELECTOR, 'label[for="tpl-single_elimination"]').click()
        field = driver.find_element(By.NAME, "seed_count")
        assert field.is_displayed()
        hint = {"zh": "默认：按 BWF 规则 16 队以下 2 名种子", "en": "Default: the BWF's count, 2 seeds under 16"}
        assert hint[language] in driver.find_element(By.ID, "f-seed_count").find_element(By.XPATH, "..").text
        field.send_keys("65")
        driver.execute_script("arguments[0].form.noValidate = true;", field)  # the server checks the bounds too
        press(driver, driver.find_element(By.CSS_SELECTOR, 'button[name="action"][value="setup"]'))
        marked = driver.find_element(By.NAME, "seed_count")
        assert marked.get_attribute("aria-invalid") == "true" and marked.get_attribute("value") == "65"
        error = driver.find_element(By.ID, "e-seed_count")
        assert error.is_displayed() and "64" in error.text
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", marked)
        _shot(driver, f"setup-seeds-{language}")
        assert driver.execute_script(WIDTH) <= PHONE[0]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_unit_clash_notice_on_the_stage_card(site, language):
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], f"/admin/events/{site['crossed']}/competition", language)
        notice = driver.find_element(By.ID, "unit-clashes-ko")
        words = {"zh": "同单位的两队首轮相遇：小组名次无法避免", "en": "Two teams of one unit meet in the first round"}
        assert notice.is_displayed() and words[language] in notice.text
        assert "李明" in notice.text and "王强" in notice.text
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", notice)
        _shot(driver, f"unit-clash-{language}")
        assert driver.execute_script(WIDTH) <= PHONE[0]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_fair_play_column_of_a_football_table(site, language):
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], f"/events/{site['football']}/competition", language)
        table = driver.find_element(By.CSS_SELECTOR, "table.standings")
        header = {"zh": "公平竞赛分", "en": "Fair play"}[language]
        heads = [cell.text for cell in table.find_elements(By.CSS_SELECTOR, "thead th")]
        assert heads[-1] == header
        last = [
            row.find_elements(By.TAG_NAME, "td")[-1].text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
        ]
        assert last == ["0", "0", "-2", "-4"]
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", table)
        driver.execute_script("arguments[0].closest('.scroll').scrollLeft = 1000;", table)  # the column, on a phone
        _shot(driver, f"fair-play-{language}")
        assert driver.execute_script(WIDTH) <= PHONE[0]
