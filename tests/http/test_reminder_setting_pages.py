"""The organiser's reminder choice (issue 20 item 3): a new event reminds the day before unless told otherwise,
the choice is saved from the event form and shown on the hub (zh and en), events stored before it remind nobody,
and the API takes and shows the same field."""

from chalicelib.domain.records import ReminderPlan
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.test_manage_pages import _create, _edit_fields


def test_new_event_defaults_to_the_day_before_and_the_hub_shows_the_choice(client, demo_union, callers):
    admin = callers["unit_admin"]
    form = get_page(client, "/admin/events/new", admin).body.decode()
    chosen = form.split('name="reminders"')[1].split("</select>")[0]
    assert 'value="day_before" selected' in chosen and 'value="none"' in chosen and 'value="both"' in chosen

    event_id = _create(client, admin, title_zh="提醒设置测试赛")
    assert get_store().events.get(event_id).reminders is ReminderPlan.DAY_BEFORE
    hub = get_page(client, f"/admin/events/{event_id}/edit", admin).body.decode()
    assert "活动提醒：前一天 18:00" in hub and "每次课之前提醒" in hub

    saved = post_form(client, f"/admin/events/{event_id}/edit", admin, _edit_fields(event_id, reminders="both"))
    assert saved.status_code == 303
    assert get_store().events.get(event_id).reminders is ReminderPlan.BOTH
    english = get_page(client, f"/admin/events/{event_id}/edit?lang=en", admin).body.decode()
    assert "Reminders: Day before 18:00 + 2 hours before" in english

    refused = post_form(client, f"/admin/events/{event_id}/edit", admin, _edit_fields(event_id, reminders="weekly"))
    assert refused.status_code == 400
    assert get_store().events.get(event_id).reminders is ReminderPlan.BOTH

    kept = post_form(
        client, f"/admin/events/{event_id}/edit", admin, _edit_fields(event_id, title_zh="提醒设置测试赛二")
    )
    assert kept.status_code == 303 and get_store().events.get(event_id).reminders is ReminderPlan.BOTH


def test_an_event_stored_before_reminders_reads_as_none(client, demo_union, callers):
    from chalicelib.storage.tables import EventTable

    admin = callers["unit_admin"]
    event_id = _create(client, admin, title_zh="旧活动")
    item = EventTable.get(event_id, consistent_read=True)
    item.update(actions=[EventTable.reminders.remove()])
    assert get_store().events.get(event_id).reminders is ReminderPlan.NONE
    hub = get_page(client, f"/admin/events/{event_id}/edit", admin).body.decode()
    assert "活动提醒：不提醒" in hub
    assert get_store().events.get(event_id).damaged == frozenset()


def test_the_api_takes_and_shows_the_choice(client, demo_union, callers):
    import json

    from tests.http.conftest import published_event

    organiser = callers["unit_admin"]
    event_id = published_event(client, organiser, "接口提醒测试")  # created without the field
    headers = organiser.headers(**{"Content-Type": "application/json"})
    shown = client.http.get(f"/api/events/{event_id}", headers=headers)
    assert shown.json_body["reminders"] == "day_before"
    body = json.dumps({"reminders": "two_hours"}).encode()
    changed = client.http.patch(f"/api/events/{event_id}", headers=headers, body=body)
    assert changed.status_code == 200, changed.body
    assert changed.json_body["reminders"] == "two_hours"
    assert get_store().events.get(event_id).reminders is ReminderPlan.TWO_HOURS
    wrong = client.http.patch(f"/api/events/{event_id}", headers=headers, body=json.dumps({"reminders": None}).encode())
    assert wrong.status_code == 400 and wrong.json_body["error"]["code"] == "validation_failed"
