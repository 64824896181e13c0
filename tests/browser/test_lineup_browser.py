"""A captain's line-up form in headless Chromium on a 390x844 phone, over real HTTP (issue 18 item 3): each rubber's
selects offer only the players its gender admits; a pair of one player comes back marked on that rubber with the
message under it; a good line-up is saved and shown in the table of rubbers; nothing is wider than the screen; in
Chinese and English. Screenshots go to ``SHOTS_DIR`` when it is set (docs/img/lineup.png is the Chinese one).

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import base64
import os
from datetime import date
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EntryType, EventFormat, EventKind, Gender, Member, Unit, UnitKind
from chalicelib.services import competition as competition_service
from chalicelib.services import teams as team_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, open_as, small_union
from tests.factories import published_event

MEN = {"P0001": "李明", "P0002": "王强", "P0003": "张伟"}
WOMEN = {"P0004": "刘芳", "P0005": "陈静", "P0006": "杨丽"}
MESSAGES = {"zh": "双打须由两名不同的队员组成", "en": "a doubles pair is two different players"}
SAVED = {"zh": "出场名单已保存", "en": "The line-up was saved"}


def _team(prefix: str, unit: str) -> list[Member]:
    born = date(1985, 1, 1)
    return [
        Member(f"{prefix}{n:04d}", name, Gender.MALE if n <= 3 else Gender.FEMALE, born, unit)
        for n, name in enumerate([*MEN.values(), *WOMEN.values()], start=1)
    ]


@pytest.fixture(scope="module")
def site(dynamodb):
    """A mixed-team badminton final (MD/WD/XD) between the cs team, captained by P0001, and an ee team; drawn and
    published; the app served over HTTP from a thread."""
    union = small_union(dynamodb, _team("P", UNIT_ID), signed_in=["P0001"])
    union.store.units.put_many([Unit("ee", UnitKind.SUB, "电子学院分工会", parent_id=SCHOOL_UNIT_ID)])
    union.store.members.put_many(_team("Q", "ee"))
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.TOURNAMENT, title_zh="混合团体赛", title_en="Mixed team cup", capacity=8,
        entry_type=EntryType.TEAM,
    )  # fmt: skip
    school = Principal(staff_no=ORGANISER, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    for unit, name, prefix in ((UNIT_ID, "计算机队", "P"), ("ee", "电子队", "Q")):
        roster = [f"{prefix}{n:04d}" for n in range(1, 7)]
        team_service.enter_team(union.store, school, event, unit, name, roster, roster[0], now())
    final = [{"stage_id": "final", "kind": "single_elimination", "name_zh": "决赛", "name_en": "Final"}]
    setup = {"match_format": "badminton_mixed_3", "tiebreak": "badminton_team", "stages": final}
    competition_service.configure(union.store, union.organiser, event.event_id, setup, now())
    (match,) = competition_service.draw(union.store, union.organiser, event.event_id, "final", now()).stage_matches(
        "final"
    )
    competition_service.publish(union.store, union.organiser, event.event_id, True, now())
    path = f"/events/{event.event_id}/competition/lineup/final/{match.match_id}"
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens["P0001"], "path": path}


def _choose(driver, name: str, staff_no: str) -> None:
    Select(driver.find_element(By.NAME, name)).select_by_value(staff_no)


def _save(driver, shows: str) -> None:
    """Press save and wait for the page that comes back: the old button gone (stale, or, while the redirect's page
    loads, no longer in the document, which Chromium reports as another error), then ``shows`` (a CSS selector)."""
    save = driver.find_element(By.CSS_SELECTOR, "form button[type=submit]")
    save.click()

    def gone(_driver) -> bool:
        try:
            save.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(driver, 10).until(gone)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, shows))


def _shot(driver, name: str) -> None:
    """The screen as a phone shows it, and at half size (docs/img/lineup.png is the Chinese form with a problem)."""
    if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / name))
        top = driver.execute_script("return window.scrollY")
        clip = {"x": 0, "y": top, "width": PHONE[0], "height": PHONE[1], "scale": 0.5}
        small = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": clip})
        (Path(os.environ["SHOTS_DIR"]) / f"small-{name}").write_bytes(base64.b64decode(small["data"]))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_captain_gives_the_line_up_on_a_phone(site, language):
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], site["path"], language)
        # The men's doubles offer the men only, the women's the women, the mixed pair a man then a woman.
        offered = {
            name: [o.get_attribute("value") for o in Select(driver.find_element(By.NAME, name)).options][1:]
            for name in ("p_MD_0", "p_WD_1", "p_XD_0", "p_XD_1")
        }
        assert offered["p_MD_0"] == list(MEN) and offered["p_WD_1"] == list(WOMEN)
        assert offered["p_XD_0"] == list(MEN) and offered["p_XD_1"] == list(WOMEN)
        for name, staff_no in (("p_MD_0", "P0001"), ("p_MD_1", "P0001"), ("p_WD_0", "P0004"), ("p_WD_1", "P0005"),
                               ("p_XD_0", "P0003"), ("p_XD_1", "P0004")):  # fmt: skip
            _choose(driver, name, staff_no)
        _save(driver, "#lineup-problems")
        marked = driver.find_elements(By.CSS_SELECTOR, "select[aria-invalid=true]")
        assert [field.get_attribute("name") for field in marked] == ["p_MD_0", "p_MD_1"]
        error = driver.find_element(By.ID, "e-MD")
        assert MESSAGES[language] in error.text and error.is_displayed()
        # What was chosen is still chosen.
        assert Select(driver.find_element(By.NAME, "p_XD_1")).first_selected_option.get_attribute("value") == "P0004"
        assert driver.execute_script("return document.scrollingElement.scrollWidth") <= PHONE[0]
        driver.execute_script(
            "arguments[0].scrollIntoView({block: 'start'})", driver.find_element(By.ID, "lineup-problems")
        )
        _shot(driver, f"lineup-error-{language}.png")
        _choose(driver, "p_MD_1", "P0002")
        _save(driver, ".notice.ok")
        assert SAVED[language] in driver.find_element(By.TAG_NAME, "main").text
        table = driver.find_element(By.ID, "rubbers").text
        assert "李明 / 王强" in table and "刘芳 / 陈静" in table and "张伟 / 刘芳" in table
        assert driver.execute_script("return document.scrollingElement.scrollWidth") <= PHONE[0]
        driver.execute_script("window.scrollTo(0, 0)")
        _shot(driver, f"lineup-{language}.png")
