"""The union's year in numbers end to end on a phone (issue 21, "a browser test opens the dashboard and the
workbook as the union admin"): over the demo union with its two years of history (loaded through the services,
counted by the loader's rebuild), at 390x844 in Chinese and English.

The union admin goes /admin → 年度统计: the dashboard of this year with real numbers, its charts drawn as SVG, each
with its table beneath saying the same (the kinds chart's bars against the kinds table); switches to last year;
opens the print view; downloads the workbook with the browser's own session (its five sheets, numbers as numbers).
A unit admin gets their own unit only: no whole-union choice, another unit refused, the workbook's members all
theirs. Screenshots go to SHOTS_DIR when it is set (docs/img/reports-*.png)."""

from __future__ import annotations

import io
import urllib.request
from urllib.parse import urljoin

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.services.accounts import sign_in
from chalicelib.storage import get_store
from devtools.demo.snapshot import restore
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, chromium, fits_phone, open_as, press, screenshot

SHEETS = {"zh": ["汇总", "活动", "单位", "会员", "获奖"], "en": ["Summary", "Events", "Units", "Members", "Awards"]}
# What Chromium asks for when a link is followed (a download included).
NAVIGATION_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7"
)
TITLE = {"zh": "年度统计", "en": "Year in numbers"}


@pytest.fixture(scope="module")
def site(dynamodb, loaded_demo):
    union, items = loaded_demo
    restore(dynamodb, items)

    def token(fragment: str) -> str:
        account = next(a for a in union.accounts if fragment in a.role)
        return sign_in(get_store(), dynamodb, account.staff_no, account.password, "127.0.0.1").token

    with serving_in_thread() as base:
        yield {
            "base": base,
            "union_admin": token("union admin"),
            "unit_admin": token("unit admin (计算机学院)"),
            "year": now().astimezone(CHINA_TZ).year,
            "cs": next(u for u in union.units if u.unit_id == "cs"),
        }


def _download(driver, href: str) -> bytes:
    """What the link gives this browser: its session cookie and the Accept header Chromium sends with a click."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    headers = {"Cookie": cookies, "Accept": NAVIGATION_ACCEPT}
    request = urllib.request.Request(urljoin(driver.current_url, href), headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
        return answer.read()


WIDER = """
const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) {
  if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
return [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && !clipped(e))
  .slice(-5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' '
  + (e.textContent || '').trim().slice(0, 40));
"""


def _fits(driver) -> None:
    """fits_phone once the page and its stylesheets have loaded, naming what sticks out when something does."""
    WebDriverWait(driver, 10).until(lambda _: driver.execute_script("return document.readyState") == "complete")
    assert not driver.execute_script(WIDER), driver.execute_script(WIDER)
    fits_phone(driver)


def _bar_titles(driver, chart_id: str) -> list[str]:
    chart = driver.find_element(By.CSS_SELECTOR, f'svg[aria-labelledby="{chart_id}-title"]')
    return [title.get_attribute("textContent") for title in chart.find_elements(By.CSS_SELECTOR, "g > title")]


def _table_after(driver, chart_id: str) -> list[list[str]]:
    """The rows (cell texts) of the table that follows the chart in its section."""
    section = driver.find_element(By.XPATH, f'//*[@aria-labelledby="{chart_id}-title"]/ancestor::section[1]')
    table = section.find_element(By.CSS_SELECTOR, "table")
    return [
        [cell.get_attribute("textContent").strip() for cell in row.find_elements(By.TAG_NAME, "td")]
        for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_union_admin_reads_the_year_prints_it_and_downloads_the_workbook(site, language):
    year = site["year"]
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        open_as(driver, site["base"], site["union_admin"], "/admin", language)
        link = driver.find_element(By.CSS_SELECTOR, 'main a[href="/admin/reports"]')
        assert link.text == TITLE[language]
        press(driver, link)
        assert driver.current_url.endswith("/admin/reports")
        main = driver.find_element(By.TAG_NAME, "main")
        assert str(year) in driver.find_element(By.TAG_NAME, "h1").text
        _fits(driver)
        charts = main.find_elements(By.CSS_SELECTOR, "figure.chart-box svg")
        assert len(charts) >= 3 and all(chart.size["width"] <= PHONE[0] for chart in charts)
        # The kinds chart and its table say the same, and the demo's year is not empty.
        bars = _bar_titles(driver, "chart-kinds")
        rows = _table_after(driver, "chart-kinds")
        assert rows and len(bars) == len(rows)
        assert {f"{row[0]}: {row[1]}" for row in rows} == set(bars)
        assert sum(int(row[1]) for row in rows) > 0
        screenshot(driver, f"reports-year-390x844-{language}.png")
        # Last year: the demo's history has one too.
        Select(driver.find_element(By.CSS_SELECTOR, 'select[name="year"]')).select_by_value(str(year - 1))
        press(driver, driver.find_element(By.CSS_SELECTOR, "form.report-picker button"))
        assert f"year={year - 1}" in driver.current_url
        assert str(year - 1) in driver.find_element(By.TAG_NAME, "h1").text
        last = _table_after(driver, "chart-kinds")
        assert sum(int(row[1]) for row in last) > 0
        _fits(driver)
        # The print view: everything open, no navigation, the charts drawn.
        press(driver, driver.find_element(By.CSS_SELECTOR, 'a[href^="/admin/reports/print"]'))
        assert f"year={year - 1}" in driver.current_url
        assert not driver.find_elements(By.TAG_NAME, "details")
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg.chart")) >= 3
        screenshot(driver, f"reports-print-390x844-{language}.png")
        driver.back()
        # The workbook, as the link on the dashboard gives it to this browser.
        href = driver.find_element(By.CSS_SELECTOR, 'a[href*="/admin/reports/workbook.xlsx"]').get_attribute("href")
        assert f"year={year - 1}" in href
        book = load_workbook(io.BytesIO(_download(driver, href)), read_only=True)
        assert book.sheetnames == SHEETS[language]
        events = list(book[SHEETS[language][1]].iter_rows(min_row=2, values_only=True))
        assert events and all(isinstance(row[6], int) for row in events)  # places: numbers as numbers


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_unit_admin_sees_their_unit_and_the_rankings_only(site, language):
    year, cs = site["year"], site["cs"]
    name = cs.name_zh if language == "zh" else (cs.name_en or cs.name_zh)
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        open_as(driver, site["base"], site["unit_admin"], "/admin", language)
        press(driver, driver.find_element(By.CSS_SELECTOR, 'main a[href="/admin/reports"]'))
        assert name in driver.find_element(By.CSS_SELECTOR, ".report-scope").text
        units = driver.find_elements(By.CSS_SELECTOR, 'select[name="unit"] option')
        assert all(option.get_attribute("value") for option in units)  # no whole-union choice
        rankings = _table_after(driver, "chart-units")  # every unit's rate and rank: no member data
        assert len(rankings) > 5
        _fits(driver)
        screenshot(driver, f"reports-unit-390x844-{language}.png")
        driver.get(f"{site['base']}/admin/reports?year={year}&unit=hospital")
        assert driver.find_elements(By.CSS_SELECTOR, "figure.chart-box") == []  # another unit's: refused
        driver.get(f"{site['base']}/admin/reports?year={year}")
        href = driver.find_element(By.CSS_SELECTOR, 'a[href*="/admin/reports/workbook.xlsx"]').get_attribute("href")
        book = load_workbook(io.BytesIO(_download(driver, href)), read_only=True)
        members = list(book[SHEETS[language][3]].iter_rows(min_row=2, values_only=True))
        assert members and {row[2] for row in members} == {name}
