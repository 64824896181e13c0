"""A meet from registrations to certificates in headless Chromium over real HTTP (issue 19, "done when"), on a
390x844 phone in Chinese, as its organiser and a unit admin would run it, by clicking from the pages they start on.

A small union of two units (计算机学院, the organiser's, and 数学学院 with its own admin) holds an athletics meet with
a men's 4 × 100 m relay set up. A member registers for the meet from its page; the organiser closes registration
on the hub and sets the women's 100 m up from the registrations on the competition page; the 数学学院 admin enters
the unit's relay team from the entries page; the organiser opens the meet, enters the 100 m's marks (a DNF and a
DNS among them) and the relay's time, closes the meet and publishes it; the unit totals (the relay scoring double)
are on the public page, the certificates go to the placed entries, and the winner finds hers under
/me/certificates. Then the key pages once in English.

SHOTS_DIR=<dir> saves the screenshots (docs/meets-and-contests.md uses some of them).
No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    Member,
    Unit,
    UnitKind,
)
from chalicelib.services import accounts
from chalicelib.services import competition as competition_service
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PASSWORD, PHONE, UNIT_ID, chromium, open_as, small_union, wait_gone
from tests.factories import published_event

MATH = "math"
MATH_ADMIN = Member("B0001", "孙主席", Gender.MALE, date(1978, 3, 1), MATH, admin_units=frozenset({MATH}))
WINNER = Member("W0001", "刘芳", Gender.FEMALE, date(1990, 5, 1), UNIT_ID)  # registers from the meet's page
SPRINTERS = [
    WINNER,
    Member("W0002", "陈静", Gender.FEMALE, date(1988, 2, 1), UNIT_ID),
    Member("W0003", "孙丽", Gender.FEMALE, date(1992, 7, 1), MATH),
    Member("W0004", "周敏", Gender.FEMALE, date(1985, 9, 1), MATH),
]
RUNNERS = [Member(f"R000{n}", name, Gender.MALE, date(1980 + n, 1, 1), MATH)
           for n, name in ((1, "吴刚"), (2, "郑伟"), (3, "冯涛"), (4, "蒋勇"))]  # fmt: skip
# The marks as the referee types them: the 100 m (女子甲组's one runner merged into 乙组) and the long jump (by gender
# only) as the registrations made them, with a DNF, a DNS, fouls (X) and a passed attempt (-); the relay's time.
SPRINT, JUMP = "F-B-100m", "F-long_jump"
MARKS = {JUMP: {"W0001": ["X", "5.12", "-"], "W0002": ["4.80", "X", "X"]}}
# The 100 m is run in heats (three lanes: two heats of two; the winner of each and the next best time go on) and a
# final; a DNF and a DNS in the heats.
HEATS = {"W0001": "13.05", "W0003": "13.40", "W0002": "DNF", "W0004": "DNS"}
FINAL = {"W0001": "12.98", "W0003": "13.31"}
RELAY_TEAM = "M4X100-math"  # a unit's relay team: the relay's code and the unit
RELAY = {"code": "M4X100", "name_zh": "男子4×100米接力", "name_en": "Men's 4 × 100 m relay", "measure": "time",
         "relay": True, "reserves": 0}  # fmt: skip


BANDS = [{"code": "A", "name_zh": "甲组", "name_en": "Group A", "max_age": 35},
         {"code": "B", "name_zh": "乙组", "name_en": "Group B", "min_age": 36}]  # fmt: skip
EVENTS = [{"code": "100m", "name_zh": "100米", "name_en": "100 m", "measure": "time"},
          {"code": "long_jump", "name_zh": "跳远", "name_en": "Long jump", "measure": "distance", "attempts": 3,
           "by_age": False}]  # fmt: skip
MEET = {"bands": BANDS, "events": EVENTS, "individual_limit": 2, "disciplines": [RELAY]}
CERTIFICATES = [  # to whom, for what, which place
    ("计算机学院分工会 刘芳 同志", "女子乙组100米", 1),
    ("数学学院分工会 孙丽 同志", "女子乙组100米", 2),
    ("计算机学院分工会 刘芳 同志", "女子跳远", 1),
    ("计算机学院分工会 陈静 同志", "女子跳远", 2),
    ("数学学院分工会", "男子4×100米接力", 1),  # a unit's team: no 同志
]
UNIT_PLACES = {(unit, table, place) for table in ("女子乙组团体总分", "女子团体总分", "总团体总分")
               for unit, place in (("计算机学院分工会", "1"), ("数学学院分工会", "2"))}  # fmt: skip
CHOSEN = {"W0001": ["100m", "long_jump"], "W0002": ["100m", "long_jump"], "W0003": ["100m"], "W0004": ["100m"]}


def _shot(driver, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at (and for the guide)
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"{name}.png"))


def _wait(driver, selector: str):
    """The first element matching the CSS ``selector`` once the page shows one."""
    return WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, selector))


def _click(driver, selector: str) -> None:
    """Click the first element matching ``selector`` (failing when there is none), as a thumb would, and wait for
    the page it brings (a link to another address, or a form's answer)."""
    element = _wait(driver, selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    if element.get_attribute("data-confirm") is not None:  # the page's own confirm(): answered yes
        driver.execute_script("arguments[0].removeAttribute('data-confirm')", element)
    element.click()
    wait_gone(driver, element)


def _text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def _fits(driver) -> None:
    assert driver.execute_script("return document.scrollingElement.scrollWidth") <= PHONE[0], driver.current_url


def _signed_in(store, dynamodb, person: Member) -> str:
    (issued,) = accounts.issue_activation_codes(store, dynamodb, [person])
    return accounts.activate(store, dynamodb, person.staff_no, issued.code, PASSWORD, "127.0.0.1").token


@pytest.fixture(scope="module")
def meet(dynamodb):
    union = small_union(dynamodb, [*SPRINTERS, *RUNNERS], signed_in=[WINNER.staff_no])
    union.store.units.put_many([Unit(MATH, UnitKind.SUB, "数学学院分工会", parent_id=SCHOOL_UNIT_ID)])
    union.store.members.put_many([MATH_ADMIN])
    day = (now() + timedelta(days=7)).astimezone(CHINA_TZ).date()  # a week from now, 8:00 to 17:00 in China
    starts = datetime.combine(day, time(8), CHINA_TZ)
    event = published_event(
        union.organiser, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS, format=EventFormat.MEET,
        title_zh="秋季田径运动会", title_en="Autumn athletics meet", capacity=50, starts_at=starts,
        ends_at=starts + timedelta(hours=9),
    )  # fmt: skip
    event_service.change_status(union.store, union.organiser, event.event_id, EventStatus.REGISTRATION_OPEN, now())
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "name_en": "Athletics", "meet": MEET}]
    competition_service.configure(union.store, union.organiser, event.event_id, {"stages": stages}, now())
    tokens = {**union.tokens, MATH_ADMIN.staff_no: _signed_in(union.store, dynamodb, MATH_ADMIN)}
    with serving_in_thread() as base:
        yield {"base": base, "tokens": tokens, "event_id": event.event_id, "union": union}


def _question(driver, meet) -> None:
    """The organiser puts the meet's events on the registration form from 按报名生成项目; others register."""
    event_id = meet["event_id"]
    open_as(driver, meet["base"], meet["tokens"][ORGANISER], f"/admin/events/{event_id}/edit")
    _click(driver, f'a[href="/admin/events/{event_id}/competition/meet-entries"]')
    _click(driver, 'button[name="do"][value="question"]')
    assert driver.find_element(By.CSS_SELECTOR, ".notice.ok").is_displayed()
    for sprinter in SPRINTERS[1:]:  # meanwhile the others register; the winner does on the page
        who = Principal(staff_no=sprinter.staff_no, unit_id=sprinter.unit_id)
        answers = {"events": CHOSEN[sprinter.staff_no]}
        registration_service.register(meet["union"].store, who, event_id, SERIES, answers, now())


def _register(driver, meet) -> None:
    """The winner opens the meet's page and registers, choosing the 100 m and the long jump."""
    event_id = meet["event_id"]
    open_as(driver, meet["base"], meet["tokens"][WINNER.staff_no], f"/events/{event_id}")
    _click(driver, f'a.button[href="/events/{event_id}/register"]')
    for code in CHOSEN[WINNER.staff_no]:
        box = driver.find_element(By.CSS_SELECTOR, f'#register-form input[type=checkbox][value="{code}"]')
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
    _shot(driver, "meet-register")
    _click(driver, "#register-form button[type=submit]")
    assert "秋季田径运动会" in _text(driver)


def _set_up(driver, meet) -> None:
    """The organiser closes registration on the hub and makes the disciplines from the registrations: the one
    runner of 女子甲组 100 m is merged into 乙组, then the disciplines are written."""
    event_id = meet["event_id"]
    open_as(driver, meet["base"], meet["tokens"][ORGANISER], f"/admin/events/{event_id}/edit")
    _click(driver, 'form.status-buttons button[value="registration_closed"]')
    _click(driver, f'a[href="/admin/events/{event_id}/competition/meet-entries"]')
    problems = driver.find_element(By.ID, "problems").text
    assert "女子甲组100米只有 1 人报名，可并入女子乙组" in problems, problems
    _shot(driver, "meet-entries-review")
    for select, value in (("m-group", "F-A"), ("m-into", "F-B"), ("m-event", "100m")):
        Select(driver.find_element(By.ID, select)).select_by_value(value)
    _click(driver, 'button[name="do"][value="merge"]')
    _click(driver, 'button[name="do"][value="apply"]')
    assert "已按报名生成项目。" in _text(driver)
    _shot(driver, "meet-entries-applied")
    _click(driver, f'a[href="/admin/events/{event_id}/competition"]')


def _overall(driver, title: str) -> str:
    """The text of the meet's overall unit table (after the groups' and the genders' tables)."""
    return driver.find_element(By.XPATH, f"//h3[.='{title}']/following-sibling::*[1]").text


def _values(driver, name: str) -> list[str]:
    return [field.get_attribute("value") for field in driver.find_elements(By.NAME, name)]


def _enter_relay(driver, meet) -> None:
    """The 数学学院 admin goes from the events admin to the entries page and the relays, and enters the team."""
    event_id = meet["event_id"]
    open_as(driver, meet["base"], meet["tokens"][MATH_ADMIN.staff_no], "/admin/events")
    _click(driver, 'a[href="/admin/entries"]')
    _click(driver, f'a[href="/admin/events/{event_id}/relays"]')
    for leg, runner in enumerate(RUNNERS, start=1):
        Select(driver.find_element(By.ID, f"f-M4X100-new-leg{leg}")).select_by_value(runner.staff_no)
    _click(driver, "#form-M4X100-new button[value=save]")
    assert "接力队已保存" in _text(driver) and "吴刚（R0001） → 郑伟（R0002）" in _text(driver)
    _fits(driver)
    _shot(driver, "meet-relay")


def _marks(driver, discipline: str, typed: dict[str, list[str]]) -> None:
    """On the competition page, open a discipline, type each entry's marks and save them, and come back."""
    _click(driver, f'a.row[href$="/disciplines/{discipline}"]')
    for entry, marks in typed.items():
        for attempt, mark in enumerate(marks):
            field = driver.find_element(By.ID, f"f-{entry}-{attempt}")
            field.clear()
            field.send_keys(mark)
        _click(driver, f"#entry-{entry} button[type=submit]")
        shown = [driver.find_element(By.ID, f"f-{entry}-{n}").get_attribute("value") for n in range(len(marks))]
        assert shown == marks, (entry, shown)
    _fits(driver)
    _shot(driver, f"meet-marks-{discipline}")
    _click(driver, "p.muted a")  # the breadcrumb back to the competition page


def _with_rounds(driver, meet) -> None:
    """The organiser gives the generated 100 m its heats and final by clicking: the 100 m's page → 设置轮次,
    预赛+决赛 on 3 lanes (the first of each heat and the next best time go on)."""
    union, event_id = meet["union"], meet["event_id"]
    # from the hub: 赛事 → the meet's card lists its disciplines before the meet starts → the 100 m → 设置轮次
    open_as(driver, meet["base"], meet["tokens"][ORGANISER], f"/admin/events/{event_id}/edit")
    _click(driver, f'a[href="/admin/events/{event_id}/competition"]')
    _click(driver, f'a[href$="/disciplines/{SPRINT}"]')
    _click(driver, f'a[href$="/disciplines/{SPRINT}/rounds"]')
    Select(driver.find_element(By.ID, "preset")).select_by_value("heats_final")
    lanes = driver.find_element(By.ID, "lanes")
    lanes.clear()
    lanes.send_keys("3")
    _click(driver, "#set-rounds button[type=submit]")
    assert "已设置轮次" in _text(driver)
    competition = competition_service.managed(union.store, union.organiser, event_id)[1].competition
    discipline = next(d for stage in competition.stages for d in stage.meet.disciplines if d.code == SPRINT)
    assert [spec.model_dump(include={"code", "lanes", "by_place", "by_time"}) for spec in discipline.rounds] == [
        {"code": "h", "lanes": 3, "by_place": 1, "by_time": 1},
        {"code": "f", "lanes": 3, "by_place": 0, "by_time": 0},
    ]


def _round(driver, code: str, marks: dict[str, str]) -> None:
    """On the discipline's rounds page: draw the round, type each heat's marks and save it, close the round."""
    _click(driver, f"#round-{code} form:has(input[name=action][value=draw]) button")
    heats = driver.find_elements(By.CSS_SELECTOR, f"#round-{code} form.heat")
    for heat in range(1, len(heats) + 1):
        form = driver.find_element(By.ID, f"heat-{code}-{heat}")
        for field in form.find_elements(By.CSS_SELECTOR, "input[name^='m-']"):
            field.send_keys(marks[field.get_attribute("name")[2:]])
        _click(driver, f"#heat-{code}-{heat} button[type=submit]")
    _shot(driver, f"meet-round-{code}")
    _click(driver, f"#round-{code} form:has(input[name=action][value=close]) button")
    assert driver.find_element(By.CSS_SELECTOR, f"#round-{code} .tag.done").is_displayed()


def _run_meet(driver, meet) -> None:
    """The organiser opens the meet, enters the marks, closes and publishes it, and looks at the unit totals."""
    event_id = meet["event_id"]
    open_as(driver, meet["base"], meet["tokens"][ORGANISER], f"/admin/events/{event_id}/edit")
    _click(driver, f'a[href="/admin/events/{event_id}/competition"]')
    _click(driver, 'button[name="action"][value="open"]')
    _click(driver, f'a.row[href$="/disciplines/{SPRINT}/rounds"]')
    _round(driver, "h", HEATS)
    _round(driver, "f", FINAL)
    placings = driver.find_element(By.XPATH, "//h2[.='当前名次']/following-sibling::*[1]").text.splitlines()
    assert [line.split()[:2] for line in placings[1:]] == [["1", "刘芳"], ["2", "孙丽"], ["—", "陈静"], ["—", "周敏"]]
    _fits(driver)
    _shot(driver, "meet-rounds")
    _click(driver, "p.muted a")  # the breadcrumb back to the competition page
    for discipline, typed in MARKS.items():
        _marks(driver, discipline, typed)
    _marks(driver, "M4X100", {RELAY_TEAM: ["50.12"]})
    _click(driver, 'button[name="action"][value="close"]')
    _click(driver, 'button[name="action"][value="publish"]')
    _shot(driver, "meet-closed")
    _click(driver, f'a[href="/events/{event_id}/competition"]')
    totals = _overall(driver, "总团体总分")
    # 19 each: 计算机学院 the 100 m's win (7) and the long jump's first two places (7 + 5), 数学学院 the 100 m's second
    # place (5) and the relay's win, doubled (14); 计算机学院 ahead on first places (2 to 1)
    assert totals.index("计算机学院") < totals.index("数学学院") and "19" in totals, totals
    assert "同分，按第1名个数排定" in totals, totals  # the line says why
    _fits(driver)
    _shot(driver, "meet-totals")
    overall = driver.find_elements(By.XPATH, "//h3[.='总团体总分']")
    if overall:
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", overall[0])
        _shot(driver, "meet-totals-overall")


def _certificates(driver, meet) -> None:
    """The organiser prints the certificates from the hub; the winner finds hers from her registrations."""
    event_id = meet["event_id"]
    open_as(driver, meet["base"], meet["tokens"][ORGANISER], f"/admin/events/{event_id}/edit")
    _click(driver, f'a[href="/admin/events/{event_id}/competition/certificates"]')
    text = _text(driver)
    # the 100 m's two placed runners (DNF and DNS place nowhere), the long jump's two and the relay team
    units = re.findall(r"兹授予(\S+)：\n在秋季田径运动会（(\S+团体总分)）中荣获\n第(\d)名", text)
    assert set(units) == UNIT_PLACES, units  # the units' first and second places in each unit table
    assert f"共 {len(CERTIFICATES) + len(units)} 张" in text, text
    for who, what, place in CERTIFICATES:
        assert f"兹授予{who}：\n在秋季田径运动会（{what}）中荣获\n第{place}名" in text, (who, what)
    assert "周敏" not in text
    _shot(driver, "meet-certificates")
    open_as(driver, meet["base"], meet["tokens"][WINNER.staff_no], "/me/registrations")
    _click(driver, 'a[href="/me/certificates"]')
    text = _text(driver)
    assert "共 2 张" in text and "兹授予计算机学院分工会 刘芳 同志：" in text and "第1名" in text, text
    _shot(driver, "meet-my-certificate")


def _unit_certificates(driver, meet) -> None:
    """The 数学学院 admin, after the meet, goes from the relays page to the meet's page, its results, the booklet, and
    prints the unit's certificates: 孙丽's and the relay team's (and the unit's places in the unit tables)."""
    event_id = meet["event_id"]
    open_as(driver, meet["base"], meet["tokens"][MATH_ADMIN.staff_no], "/admin/events")
    _click(driver, 'a[href="/admin/entries"]')
    _click(driver, f'a[href="/admin/events/{event_id}/relays"]')
    _click(driver, f'a[href="/events/{event_id}"]')
    _click(driver, f'a[href="/events/{event_id}/competition"]')
    _click(driver, f'a[href="/events/{event_id}/competition/booklet"]')
    _click(driver, f'a[href="/admin/events/{event_id}/competition/certificates"]')
    text = _text(driver)
    assert "共 5 张" in text, text  # 孙丽's, the relay team's and the unit's second places in the three unit tables
    for table in ("女子乙组团体总分", "女子团体总分", "总团体总分"):
        assert f"兹授予数学学院分工会：\n在秋季田径运动会（{table}）中荣获\n第2名" in text, table
    assert "兹授予数学学院分工会 孙丽 同志：\n在秋季田径运动会（女子乙组100米）中荣获\n第2名" in text
    assert "兹授予数学学院分工会：\n在秋季田径运动会（男子4×100米接力）中荣获\n第1名" in text
    assert "刘芳" not in text and "陈静" not in text  # another unit's


def test_a_meet_from_registrations_to_certificates(meet):
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        _question(driver, meet)
        _register(driver, meet)
        _set_up(driver, meet)
        _with_rounds(driver, meet)
        _enter_relay(driver, meet)
        _run_meet(driver, meet)
        _certificates(driver, meet)
        _unit_certificates(driver, meet)


def test_the_meets_key_pages_in_english(meet):
    """After the meet (the test above): its public page, the relays, the certificates and the winner's own, in
    English, each fitting the phone's screen."""
    event_id = meet["event_id"]
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        open_as(driver, meet["base"], meet["tokens"][MATH_ADMIN.staff_no], "/admin/events", "en")
        _click(driver, 'a[href="/admin/entries"]')
        _click(driver, f'a[href="/admin/events/{event_id}/relays"]')
        assert "Relay teams" in _text(driver) and "吴刚（R0001） → 郑伟（R0002）" in _text(driver)
        _fits(driver)
        _click(driver, f'a[href="/events/{event_id}"]')
        _click(driver, f'a[href="/events/{event_id}/competition"]')
        totals = _overall(driver, "Overall unit totals")
        assert totals.index("计算机学院") < totals.index("数学学院"), totals
        assert "Equal points: ranked by the number of place 1 finishes" in totals, totals
        assert "DNF" in _text(driver) and "DNS" in _text(driver)
        _fits(driver)
        _shot(driver, "meet-totals-en")
        _click(driver, f'a[href="/events/{event_id}/competition/stages/meet/disciplines/{SPRINT}/rounds"]')
        assert driver.find_element(By.TAG_NAME, "h1").text == "Women's Group B 100 m"
        heats = driver.find_element(By.ID, "round-h").text
        assert "Q: through by place in the heat; q: through by time." in heats and "DNF" in heats, heats
        final = driver.find_element(By.ID, "round-f").text
        assert "刘芳 计算机学院分工会 12.98 1" in final and "孙丽 数学学院分工会 13.31 2" in final, final  # by lane
        _fits(driver)
        open_as(driver, meet["base"], meet["tokens"][WINNER.staff_no], "/me/registrations", "en")
        _click(driver, 'a[href="/me/certificates"]')
        text = _text(driver)
        assert "Certificate of Honour" in text and "Presented to 刘芳, 计算机学院分工会," in text, text
        _shot(driver, "meet-my-certificate-en")
