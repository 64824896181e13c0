"""A tournament's day in headless Chromium over real HTTP (issue 18, "done when"), on a 390x844 phone in Chinese.

The demo cup: its organiser (the union admin) goes from the organiser hub to the schedule page by clicking only,
keeps the venue's four courts, runs the automatic schedule and sees every group match on a court at a time with no
conflict flagged; then opens the court board from the competition page and one court's screen, with the teams' names.

A cup played today (its venue opened half an hour ago, nothing scheduled yet, line-ups due 10 minutes before each
tie): the organiser schedules it with no conflict, opens a match's change forms and a tie's score form on the
referees' page, and the court's board shows "now playing" and "next" with the teams' names; a player sees their next
match on their registrations, opens their team's fixtures from it and, as the team's captain, gives the line-up of a
tie still open, rubber by rubber (the other side's shown as not in yet).

SHOTS_DIR=<dir> saves the screenshots (docs/img/schedule.png, schedule-move.png, board-phone.png and my-next.png are
two of them side by side, reduced to 64 colours).
No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

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
from chalicelib.services import accounts
from chalicelib.services import competition as competition_service
from chalicelib.services import schedule as schedule_service
from chalicelib.services import teams as team_service
from chalicelib.storage import get_store
from devtools.demo.snapshot import restore
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, chromium, open_as, small_union
from tests.factories import published_event

CUP = "ev-01J6NJV89079VVCN85WE2NGK18"
COURTS = ["1号场", "2号场", "3号场", "4号场"]
GROUP_MATCHES = 24  # four groups of four, each a round robin of six
SLOTS = """
return [...document.querySelectorAll('.court-column li.slot')].map(li => ({
  time: (li.querySelector('.when strong') || {}).textContent || '',
  text: li.textContent.replace(/\\s+/g, ' '),
}));
"""


def _shot(driver, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"{name}.png"))


def _wait(driver, selector: str):
    """The first element matching the CSS ``selector`` once the page shows one (a page loading after a click)."""
    return WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, selector))


def _click(driver, selector: str) -> None:
    """Click the first element matching the CSS ``selector`` (failing when there is none), as a thumb would, and wait
    for the page it opens (every click here goes to another address)."""
    element, before = _wait(driver, selector), driver.current_url
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url != before)


@pytest.fixture(scope="module")
def demo(dynamodb, loaded_demo):
    """The demo union as loaded, the union admin signed in, served over HTTP."""
    _union, items = loaded_demo
    restore(dynamodb, items)
    store = get_store()
    token = accounts.sign_in(store, dynamodb, "2009001", "Union@2026", "127.0.0.1").token
    teams = {team.name for team in store.teams.for_event(CUP)}
    with serving_in_thread() as base:
        yield {"base": base, "token": token, "teams": teams}


def test_the_organiser_schedules_the_demo_cup_and_opens_a_court_board(demo):
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        open_as(driver, demo["base"], demo["token"], f"/admin/events/{CUP}/edit")
        hub = {a.get_attribute("href").removeprefix(demo["base"]) for a in driver.find_elements(By.TAG_NAME, "a")}
        assert {f"/events/{CUP}/competition/order-of-play", f"/events/{CUP}/competition/board"} <= hub
        _click(driver, f'a[href="/admin/events/{CUP}/competition/schedule"]')  # 赛程编排 on the hub
        assert driver.find_element(By.TAG_NAME, "h1").text == "赛程编排"
        courts = [c.get_attribute("value") for c in driver.find_elements(By.NAME, "court_name_zh")]
        assert [c for c in courts if c] == COURTS  # the venue kept: four courts
        _click(driver, 'button[name="action"][value="auto"]')  # 自动编排
        assert _wait(driver, ".notice.ok").text == "已自动编排。"
        assert "冲突 0 处" in driver.find_element(By.ID, "plan").text
        assert not driver.find_elements(By.CSS_SELECTOR, "#conflicts, li.clash, ul.flags")
        slots = driver.execute_script(SLOTS)
        groups = [s for s in slots if "小组赛" in s["text"]]
        assert len(groups) == GROUP_MATCHES and all(s["time"] for s in groups), groups
        assert all(any(team in s["text"] for team in demo["teams"]) for s in groups)
        columns = [h.text.split(" ")[0] for h in driver.find_elements(By.CSS_SELECTOR, ".court-column h3")]
        assert columns == COURTS
        _shot(driver, "schedule-390x844-zh")
        _click(driver, f'a[href="/admin/events/{CUP}/competition"]')  # the breadcrumb: 赛事管理
        _click(driver, f'a[href="/events/{CUP}/competition/board"]')  # 场地屏
        assert len(driver.find_elements(By.CSS_SELECTOR, "section.court")) == len(COURTS)
        _click(driver, "section.court h2 a")  # the first court's own screen
        assert driver.find_element(By.TAG_NAME, "h1").text == COURTS[0]
        names = {n.text for n in driver.find_elements(By.CSS_SELECTOR, ".last .name")}
        assert len(names) == 2 and names <= demo["teams"], names  # the court's last tie, its two teams
        _shot(driver, "board-390x844-zh")


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

SQUAD = (Gender.MALE, Gender.MALE, Gender.FEMALE)  # P011, P012, P013 join the first team's P0001 (a woman)
# The first team's line-up for a mixed team tie: men's, women's and mixed doubles, two rubbers each at most.
LINEUP = {
    "p_MD_0": "P011",
    "p_MD_1": "P012",
    "p_WD_0": "P0001",
    "p_WD_1": "P013",
    "p_XD_0": "P011",
    "p_XD_1": "P0001",
}


@pytest.fixture(scope="module")
def today(dynamodb):
    """A cup being played today: eight teams of six units in two groups of four, drawn and published, its venue four
    courts open from half an hour ago (40-minute matches); nothing scheduled yet. Served over HTTP."""
    players = [
        Member(f"P{n:04d}", f"队员{n}", Gender.FEMALE, date(1985, 1, 1), unit) for n, (unit, _) in enumerate(TEAMS, 1)
    ]
    squad = [Member(f"P01{n}", f"队员1{n}", gender, date(1985, 1, 1), "cs") for n, gender in enumerate(SQUAD, 1)]
    union = small_union(dynamodb, [*players, *squad], signed_in=[players[0].staff_no])
    store = union.store
    units = [Unit(code, UnitKind.SUB, f"{name}分工会", parent_id=SCHOOL_UNIT_ID) for code, name in UNITS.items()]
    store.units.put_many([u for u in units if u.unit_id != "cs"])
    admin = Principal(staff_no=ORGANISER, unit_id="cs", union_admin=True)
    fields = {
        "owner_unit_id": "cs",
        "kind": EventKind.SPORTS,
        "format": EventFormat.TOURNAMENT,
        "capacity": 16,
        "entry_type": EntryType.TEAM,
        "team_rule": TeamRule(min_size=1, max_size=4, teams_per_unit=2),
    }
    event = published_event(
        admin, days=0, hours=10, store=store, title_zh="羽毛球团体赛", title_en="Team Cup", **fields
    )
    rosters = [[players[0].staff_no, *(m.staff_no for m in squad)]] + [[p.staff_no] for p in players[1:]]
    for roster, (unit, name) in zip(rosters, TEAMS, strict=True):  # the first team's captain: its first player
        team_service.enter_team(store, admin, event, unit, name, roster, roster[0] if len(roster) > 1 else None, now())
    groups = {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "name_en": "Groups", "groups": 2}
    knockout = {"stage_id": "knockout", "kind": "single_elimination", "name_zh": "淘汰赛", "name_en": "Knockout"}
    stages = [{**groups, "qualifiers": 2}, knockout]
    lineups = {"required": True, "deadline_minutes": 10}
    setup = {"match_format": "badminton_mixed_3", "tiebreak": "badminton_team", "stages": stages, "lineups": lineups}
    competition_service.configure(store, admin, event.event_id, setup, now())
    competition_service.draw(store, admin, event.event_id, "groups", now())
    opens = now().replace(second=0, microsecond=0) - timedelta(minutes=30)
    venue = {
        "courts": [{"court_id": f"c{n}", "name_zh": name} for n, name in enumerate(COURTS, 1)],
        "sessions": [{"start": opens.isoformat(), "end": (opens + timedelta(hours=8)).isoformat()}],
        "slot_minutes": 40,
    }
    schedule_service.set_venue(store, admin, event.event_id, venue, now())
    competition_service.publish(store, admin, event.event_id, True, now())
    with serving_in_thread() as base:
        tokens = {"token": union.tokens[ORGANISER], "member": union.tokens[players[0].staff_no]}
        yield {"base": base, **tokens, "event": event.event_id, "teams": {name for _, name in TEAMS}}


def test_a_cup_played_today_from_its_timetable_to_its_court_board_and_a_captains_line_up(today):
    event = today["event"]
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        open_as(driver, today["base"], today["token"], f"/admin/events/{event}/edit")
        _shot(driver, "hub-today-390x844-zh")
        _click(driver, f'a[href="/admin/events/{event}/competition/schedule"]')
        assert driver.find_element(By.ID, "plan").text.startswith("已安排 0 场")
        _click(driver, 'button[name="action"][value="auto"]')
        assert _wait(driver, ".notice.ok").text == "已自动编排。"
        assert "未安排 0 场，冲突 0 处" in driver.find_element(By.ID, "plan").text
        assert not driver.find_elements(By.CSS_SELECTOR, "#conflicts, li.clash, ul.flags")
        groups = [s for s in driver.execute_script(SLOTS) if "小组赛" in s["text"]]
        assert len(groups) == 12 and all(s["time"] for s in groups), groups
        _shot(driver, "schedule-today-390x844-zh")
        _click(driver, "li.slot a.go")  # 调整: a match's move, swap, lock and take-off forms open in place
        editing = driver.find_element(By.CSS_SELECTOR, "li.slot.editing")
        assert editing.find_elements(
            By.CSS_SELECTOR, 'select[name="court"], button[value="move"], button[value="lock"]'
        )
        _shot(driver, "schedule-edit-390x844-zh")
        _click(driver, f'a[href="/admin/events/{event}/competition"]')
        _shot(driver, "manage-today-390x844-zh")
        _click(driver, f'a[href="/events/{event}/referee"]')  # 裁判录分页面: the matches on court now can be scored
        assert driver.find_elements(By.CSS_SELECTOR, f'a[href="/events/{event}/competition/order-of-play"]')
        _click(driver, "a.button.small")
        assert driver.find_element(By.TAG_NAME, "h1").text.startswith("A 组 第1轮")  # its first tie
        assert driver.find_elements(By.CSS_SELECTOR, "form input, form select")
        assert "+08:00" not in driver.find_element(By.TAG_NAME, "main").text  # its time as people read it
        _shot(driver, "score-390x844-zh")
        score_form = driver.current_url
        driver.back()  # to the referees' page, and from there the public page's court board
        WebDriverWait(driver, 10).until(lambda d: d.current_url != score_form)
        _click(driver, f'a[href="/events/{event}/competition"]')
        _click(driver, f'a[href="/events/{event}/competition/board"]')
        _click(driver, "section.court h2 a")
        assert driver.find_element(By.TAG_NAME, "h1").text == COURTS[0]
        playing = [n.text for n in driver.find_elements(By.CSS_SELECTOR, ".now .name")]
        following = [n.text for n in driver.find_elements(By.CSS_SELECTOR, ".next .name")]
        assert len(playing) == 2 and set(playing) <= today["teams"], playing  # the first round began on the hour
        assert len(following) >= 2 and set(following) <= today["teams"], following
        _shot(driver, "board-today-390x844-zh")
        open_as(driver, today["base"], today["member"], "/me/registrations")
        mine = driver.find_element(By.CSS_SELECTOR, ".next-match")
        assert mine.text.startswith("下一场：") and any(court in mine.text for court in COURTS), mine.text
        _shot(driver, "registrations-today-390x844-zh")
        _click(driver, ".next-match a")  # the team's own fixtures
        assert TEAMS[0][1] in driver.find_element(By.TAG_NAME, "h1").text
        _shot(driver, "fixtures-today-390x844-zh")
        _click(driver, "li.fixture:nth-child(2) p.lineup a")  # the captain's second tie: its line-up still open
        for name, staff_no in LINEUP.items():
            Select(driver.find_element(By.NAME, name)).select_by_value(staff_no)
        _click(driver, "form.stack button.wide")  # 保存出场名单
        assert _wait(driver, ".notice.ok").text == "出场名单已保存。"
        rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#rubbers tbody tr")]
        assert len(rows) == 3 and all("队员1" in row and "未提交" in row for row in rows), rows  # theirs not in yet
        assert "+08:00" not in driver.find_element(By.ID, "tie").text and "月" in driver.find_element(By.ID, "tie").text
        _shot(driver, "lineup-today-390x844-zh")
