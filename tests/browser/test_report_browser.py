"""The year's dashboard on a phone (issue 21 item 2): /admin/reports and its print view at 390x844 in Chinese and
English, as an admin of two units (the unit picker holds a long English name): nothing wider than the screen, the
three charts drawn (as wide as the column, no wider), the folded tables open with a tap, every unit in the
rankings. Screenshots go to SHOTS_DIR when it is set."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.records import SCHOOL_UNIT_ID, Unit, UnitKind
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, chromium, fits_phone, open_as, screenshot, small_union

YEAR = 2030
UNITS = [
    Unit(
        "med",
        UnitKind.SUB,
        "附属第一临床医学院分工会",
        "First Affiliated Clinical School of Medicine Union Branch",
        parent_id=SCHOOL_UNIT_ID,
        position=2,
    ),
    Unit("lib", UnitKind.SUB, "图书馆分工会", "Library Union Branch", short_name="图书馆", parent_id=SCHOOL_UNIT_ID),
]


@pytest.fixture(scope="module")
def site(dynamodb):
    union = small_union(dynamodb)
    store = union.store
    store.units.put_many(UNITS)
    admin = store.members.get(ORGANISER)
    assert admin is not None  # an admin of two units: the unit picker, with a long English name in it
    store.members.put_many([admin._replace(admin_units=frozenset({"cs", "med"}))])
    months = {f"month_{month:02d}": month % 4 for month in range(1, 13)}
    store.stats.put_rollups(
        f"y#{YEAR}",
        {
            "t#union": {"events": 18, "kind_sports": 9, "kind_skills": 5, "kind_wellness": 4, **months},
            "t#u#cs": {"events": 6, "reached": 41, "places": 77, "checkins": 120, "awards": 3, "place_1": 1},
            "t#u#med": {"events": 12, "reached": 230, "places": 410, "checkins": 1234, "awards": 4, "place_2": 2},
            "t#u#lib": {"reached": 3},
        },
    )
    store.stats.put_rollups(f"y#{YEAR - 1}", {"t#u#cs": {"events": 5, "month_03": 2, "places": 90}})
    store.stats.put_rollups("h", {"t#u#cs": {"members": 60}, "t#u#med": {"members": 800}, "t#u#lib": {"members": 0}})
    with serving_in_thread() as base:
        yield base, union.tokens[ORGANISER]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_dashboard_on_a_phone(site, language):
    base, token = site
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        open_as(driver, base, token, f"/admin/reports?year={YEAR}", language)
        fits_phone(driver)
        assert len(driver.find_elements(By.CSS_SELECTOR, 'select[name="unit"] option')) == 2
        charts = driver.find_elements(By.CSS_SELECTOR, "figure.chart-box svg")
        assert len(charts) == 3
        column = driver.find_element(By.TAG_NAME, "main").size["width"]
        assert all(0 < chart.size["width"] <= column and chart.size["height"] > 40 for chart in charts)
        screenshot(driver, f"reports-390x844-{language}.png")
        for summary in driver.find_elements(By.CSS_SELECTOR, "details.report-more > summary"):
            driver.execute_script("arguments[0].scrollIntoView()", summary)
            summary.click()
        fits_phone(driver)
        rankings = driver.find_elements(By.CSS_SELECTOR, "tr.report-mine")
        assert len(rankings) == 1 and rankings[0].is_displayed()
        names = driver.find_element(By.TAG_NAME, "main").text
        assert ("图书馆" if language == "zh" else "Library Union Branch") in names
        screenshot(driver, f"reports-390x844-{language}-open.png")
        driver.find_element(By.CSS_SELECTOR, 'a[href^="/admin/reports/print"]').click()
        assert driver.find_elements(By.CSS_SELECTOR, "button[data-print]")
        assert not driver.find_elements(By.TAG_NAME, "details")
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg.chart")) == 3
        fits_phone(driver)
        screenshot(driver, f"reports-print-390x844-{language}.png")
