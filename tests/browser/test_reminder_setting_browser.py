"""The organiser's reminder choice on a phone (390x844) in headless Chromium over real HTTP, in Chinese and English:
the hub (the event's edit page, reached from the event list) shows the current choice under the title, the form's
活动提醒 select changes it, and after saving the hub shows the new choice; nothing is wider than the screen.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.records import ReminderPlan
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, open_as, small_union
from tests.factories import published_event

SHOTS = os.environ.get("REMINDER_SHOTS")  # a directory to keep the screenshots in, when looking at them by hand
WORDS = {
    "zh": ("活动提醒：前一天 18:00", "活动提醒：前一天 18:00 和开始前 2 小时"),
    "en": ("Reminders: The day before, 18:00", "Reminders: Day before 18:00 + 2 hours before"),
}


def _fits(driver) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"page {width}px wide on a {PHONE[0]}px screen"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_organiser_chooses_reminders_on_the_hub_on_a_phone(dynamodb, language):
    union = small_union(dynamodb)
    event = published_event(
        union.organiser,
        store=union.store,
        owner_unit_id=UNIT_ID,
        title_zh="提醒浏览器讲座",
        title_en="Reminder talk",
        reminders=ReminderPlan.DAY_BEFORE,
    )
    before, after = WORDS[language]
    with serving_in_thread() as base, chromium(size=PHONE, mobile=True) as driver:
        wait = WebDriverWait(driver, 10)
        open_as(driver, base, union.tokens[ORGANISER], "/admin/events", language)
        driver.find_element(By.CSS_SELECTOR, f'a[href="/admin/events/{event.event_id}/edit"]').click()
        wait.until(lambda d: d.find_element(By.ID, "reminders-now"))
        assert driver.find_element(By.ID, "reminders-now").text == before
        _fits(driver)
        choice = Select(driver.find_element(By.ID, "f-reminders"))
        assert choice.first_selected_option.get_attribute("value") == "day_before"
        choice.select_by_value("both")
        driver.find_element(By.ID, "f-reminders").find_element(By.XPATH, "ancestor::form").submit()
        wait.until(lambda d: "done=saved" in d.current_url)
        assert driver.find_element(By.ID, "reminders-now").text == after
        _fits(driver)
        if SHOTS:
            driver.execute_script("document.getElementById('f-reminders').scrollIntoView()")
            driver.save_screenshot(os.path.join(SHOTS, f"reminders-{language}.png"))
    assert union.store.events.get(event.event_id).reminders is ReminderPlan.BOTH
