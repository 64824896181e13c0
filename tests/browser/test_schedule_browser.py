"""The schedule page (赛程编排) in headless Chromium (Debian's chromium and chromedriver) on a 390x844 phone, over real
HTTP: the organiser names two courts and a morning session in the venue form, saves it, taps 自动编排 and sees every
match of a four-team round robin on a court at a time with no conflict; then moves the last match onto the first
one's court and time, and the timetable comes back with both flagged in words and the moved one locked. Nothing is
wider than the screen; in Chinese and English. Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EntryType, EventFormat, EventKind, Gender, Member, Unit, UnitKind
from chalicelib.services import competition as competition_service
from chalicelib.services import schedule as schedule_service
from chalicelib.services import teams as team_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, open_as, small_union, wait_gone
from tests.factories import published_event

UNITS = {UNIT_ID: "计算机队", "ee": "电子队", "me": "机械队", "ch": "化学队"}
WORDS = {
    "zh": {"saved": "场地设置已保存。", "placed": "已安排 6 场，未安排 0 场，冲突 0 处。",
           "clash": "同一场地同时安排了两场比赛"},
    "en": {"saved": "The venue is saved.", "placed": "6 matches placed, 0 not placed, 0 conflicts.",
           "clash": "Two matches on one court at once"},
}  # fmt: skip


@pytest.fixture
def site(dynamodb):
    """A small union of four sub-unions, a team each in a badminton round robin, drawn; the app served over HTTP."""
    players = [Member(f"P000{n}", f"队员{n}", Gender.MALE, date(1988, 3, n), unit) for n, unit in enumerate(UNITS, 1)]
    union = small_union(dynamodb)
    others = [Unit(unit, UnitKind.SUB, f"{name}分工会", parent_id=SCHOOL_UNIT_ID) for unit, name in UNITS.items()]
    union.store.units.put_many([unit for unit in others if unit.unit_id != UNIT_ID])
    union.store.members.put_many(players)
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.TOURNAMENT, title_zh="羽毛球团体赛", title_en="Badminton team cup", capacity=8,
        entry_type=EntryType.TEAM,
    )  # fmt: skip
    school = Principal(staff_no=ORGANISER, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    for player, (unit, name) in zip(players, UNITS.items(), strict=True):
        team_service.enter_team(union.store, school, event, unit, name, [player.staff_no], None, now())
    stages = [{"stage_id": "league", "kind": "round_robin", "name_zh": "循环赛", "name_en": "Round robin"}]
    setup = {"match_format": "badminton_3", "tiebreak": "badminton_team", "stages": stages}
    competition_service.configure(union.store, union.organiser, event.event_id, setup, now())
    competition_service.draw(union.store, union.organiser, event.event_id, "league", now())
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[ORGANISER], "union": union, "event": event}


def _submit(driver, button):
    button.click()
    wait_gone(driver, button)


def _fits(driver):
    assert driver.execute_script("return document.scrollingElement.scrollWidth") <= PHONE[0]


def _shot(driver, name):
    if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / name))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_organiser_sets_the_venue_schedules_and_moves_a_match_onto_a_clash(site, language):
    event, union = site["event"], site["union"]
    path = f"/admin/events/{event.event_id}/competition/schedule"
    words = WORDS[language]
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], path, language)
        _fits(driver)
        names = driver.find_elements(By.NAME, "court_name_zh")
        names[0].send_keys("1号场")
        names[1].send_keys("2号场")
        day = driver.find_elements(By.NAME, "session_day")[0]
        assert day.get_attribute("value") == event.starts_at.astimezone(CHINA_TZ).date().isoformat()  # the event's day
        for field, value in (("session_start", "08:30"), ("session_end", "12:00")):
            driver.execute_script("arguments[0].value = arguments[1]", driver.find_elements(By.NAME, field)[0], value)
        _submit(driver, driver.find_element(By.CSS_SELECTOR, "button[name=action][value=venue]"))
        assert words["saved"] in driver.find_element(By.CSS_SELECTOR, ".notice.ok").text
        _fits(driver)
        _shot(driver, f"schedule-venue-{language}.png")

        _submit(driver, driver.find_element(By.CSS_SELECTOR, "button[name=action][value=auto]"))
        assert driver.find_element(By.CSS_SELECTOR, "#plan p").text == words["placed"]
        columns = driver.find_elements(By.CSS_SELECTOR, ".court-column h3")
        assert [column.text.split()[0] for column in columns] == ["1号场", "2号场"]
        assert len(driver.find_elements(By.CSS_SELECTOR, ".court-column li.slot")) == 6
        _fits(driver)

        view = schedule_service.timetable(union.store, union.organiser, event.event_id)
        first, last = sorted(view.rows, key=lambda row: (row.starts_at, row.court))[:: len(view.rows) - 1]
        card = driver.find_element(By.ID, "m-" + last.key.replace("/", "-"))
        card.find_element(By.CSS_SELECTOR, "a.go").click()
        WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.ID, "f-starts_at")))
        Select(driver.find_element(By.ID, "f-court")).select_by_value(first.court)
        moment = first.starts_at.astimezone(CHINA_TZ).strftime("%Y-%m-%dT%H:%M")
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "f-starts_at"), moment)
        _fits(driver)
        _submit(driver, driver.find_element(By.CSS_SELECTOR, "button[name=action][value=move]"))

        flagged = driver.find_elements(By.CSS_SELECTOR, "li.slot.clash")
        assert {item.get_attribute("id") for item in flagged} >= {
            "m-" + row.key.replace("/", "-") for row in (first, last)
        }
        moved = driver.find_element(By.ID, "m-" + last.key.replace("/", "-"))
        assert words["clash"] in moved.find_element(By.CSS_SELECTOR, "ul.flags").text
        assert moved.find_element(By.CSS_SELECTOR, ".tag.lock").is_displayed()
        _fits(driver)
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", moved)
        _shot(driver, f"schedule-timetable-{language}.png")
    rows = {row.key: row for row in schedule_service.timetable(union.store, union.organiser, event.event_id).rows}
    assert (rows[last.key].court, rows[last.key].starts_at) == (first.court, first.starts_at) and rows[last.key].locked
