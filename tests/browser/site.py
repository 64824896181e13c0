"""What the browser tests share: headless Chromium (Debian's chromium and chromedriver) and a small union on fresh
tables, served over real HTTP.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import NamedTuple

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.records import SCHOOL_UNIT_ID, Gender, Member, Unit, UnitKind
from chalicelib.services import accounts
from chalicelib.storage import Store, get_store
from devtools.tables import drop_tables, ensure_tables

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
UNIT_ID = "cs"
ORGANISER = "A0001"  # the unit's admin, who organises the tests' events
PASSWORD = "Station@2026!"
PHONE = (390, 844)  # the size the pages are checked at


@contextmanager
def chromium(
    *flags: str, size: tuple[int, int] = (500, 1000), mobile: bool = False, scale: int = 3
) -> Iterator[webdriver.Chrome]:
    """A headless Chromium of ``size`` (a phone's screen and touch, ``scale`` pixels a point, when ``mobile``), with
    ``flags``."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    width, height = size
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--hide-scrollbars", f"--window-size={width},{height}", *flags):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    if mobile:
        metrics = {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": True}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield driver
    finally:
        driver.quit()


class SmallUnion(NamedTuple):
    store: Store
    organiser: Principal  # the unit admin ORGANISER
    tokens: dict[str, str]  # session tokens of the organiser and of the members asked for


def small_union(
    dynamodb,
    members: Iterable[Member] = (),
    signed_in: Iterable[str] = (),
    organiser_name: str = "王组织",
    streams: bool = False,
) -> SmallUnion:
    """Fresh tables holding the school, one sub-union with its admin ORGANISER and ``members``; the organiser and
    the members named in ``signed_in`` activated their accounts (their session tokens returned). ``streams``: the
    tables made with their streams, for a test that reads them (tests/conftest.py fresh_tables says why not always).
    """
    drop_tables(dynamodb)
    ensure_tables(dynamodb, streams=streams)
    store = get_store()
    school = Unit(SCHOOL_UNIT_ID, UnitKind.SCHOOL, "校工会")
    store.units.put_many([school, Unit(UNIT_ID, UnitKind.SUB, "计算机学院分工会", parent_id=SCHOOL_UNIT_ID)])
    admin = Member(ORGANISER, organiser_name, Gender.MALE, date(1980, 1, 1), UNIT_ID, admin_units=frozenset({UNIT_ID}))
    people = [admin, *members]
    store.members.put_many(people)
    tokens = {}
    for person in people:
        if person.staff_no == ORGANISER or person.staff_no in set(signed_in):
            (issued,) = accounts.issue_activation_codes(store, dynamodb, [person])
            code = issued.code
            tokens[person.staff_no] = accounts.activate(
                store, dynamodb, person.staff_no, code, PASSWORD, "127.0.0.1"
            ).token
    organiser = Principal(staff_no=ORGANISER, unit_id=UNIT_ID, admin_of=frozenset({UNIT_ID}))
    return SmallUnion(store, organiser, tokens)


def guests(prefix: str, count: int) -> list[Member]:
    """``count`` members of the unit, M0001 ..., named ``prefix`` and their number."""
    return [Member(f"M{n:04d}", f"{prefix}{n}", Gender.FEMALE, date(1985, 1, 1), UNIT_ID) for n in range(1, count + 1)]


def open_as(driver: webdriver.Chrome, base: str, token: str, path: str, language: str = "zh") -> None:
    """Open ``path`` signed in with ``token``, in ``language`` (headless Chromium would ask for English)."""
    driver.get(base + "/events")
    driver.add_cookie({"name": "session", "value": token, "path": "/"})
    driver.add_cookie({"name": "lang", "value": language, "path": "/"})
    driver.get(base + path)


def fits_phone(driver: webdriver.Chrome) -> None:
    """Nothing on the page is wider than the phone's screen (PHONE)."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"page {width}px wide on a {PHONE[0]}px screen"


def screenshot(driver: webdriver.Chrome, name: str, directory_variable: str = "SHOTS_DIR") -> None:
    """The whole page as ``name`` in the directory the environment variable names, when it is set (looking at the
    pages by hand, or the screenshots in docs/img)."""
    if directory := os.environ.get(directory_variable):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        Path(directory, name).write_bytes(base64.b64decode(shot["data"]))


def set_offline(driver: webdriver.Chrome, offline: bool) -> None:
    """Cut the page's network (or give it back), as a phone losing its signal."""
    conditions = {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", conditions)


def verdict_after(driver: webdriver.Chrome, seq: int) -> WebElement:
    """The station's verdict panel once it shows the verdict of the page's ``seq``-th scan (not "checking…")."""
    panel = driver.find_element(By.ID, "verdict")
    WebDriverWait(driver, 10).until(
        lambda _: panel.get_attribute("data-seq") == str(seq) and panel.get_attribute("data-tone") != "busy"
    )
    return panel


def wait_gone(driver: webdriver.Chrome, element: WebElement, timeout: float = 10) -> None:
    """Wait until ``element`` has left the page (the form it submitted brought the next page). While the page is
    being replaced Chromium may answer "Node with given id does not belong to the document" rather than "stale
    element": both mean it is gone (``expected_conditions.staleness_of`` lets the first through as an error)."""

    def gone(_: webdriver.Chrome) -> bool:
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    WebDriverWait(driver, timeout).until(gone)


def press(driver: webdriver.Chrome, button: WebElement, timeout: float = 10) -> None:
    """Click ``button`` of a form that posts and brings the next page, and wait until that page has replaced this one:
    reading the page straight after the click may find the old page's elements just before they go stale."""
    button.click()
    wait_gone(driver, button, timeout)


def page_text(driver: webdriver.Chrome) -> str:
    """The page's text, or "" while the page is being replaced (for waits that poll it)."""
    try:
        return driver.find_element(By.TAG_NAME, "body").text
    except StaleElementReferenceException:
        return ""
