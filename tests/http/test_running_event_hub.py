"""The organiser hub of a running event offers finishing or cancelling it, not opening or closing registration or
starting it (review fix), and finishing works though nobody pressed 开始."""

from __future__ import annotations

import re
from datetime import timedelta

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind, EventStatus
from chalicelib.services import events as event_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form


def test_the_hub_of_a_running_event_offers_finishing_it(client, callers):
    store = get_store()
    organiser = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    start = now() - timedelta(hours=1)
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT, "capacity": 8,
              "title_zh": "进行中的比赛", "starts_at": start, "ends_at": start + timedelta(hours=5)}  # fmt: skip
    event = event_service.create_event(store, organiser, fields, [], now() - timedelta(days=3))
    event_service.change_status(store, organiser, event.event_id, EventStatus.PUBLISHED, now())
    admin = callers["unit_admin"]
    hub = get_page(client, f"/admin/events/{event.event_id}/edit", admin).body.decode()
    assert re.findall(r'name="status" value="([a-z_]+)"', hub) == ["finished", "cancelled"]
    english = get_page(client, f"/admin/events/{event.event_id}/edit?lang=en", admin).body.decode()
    assert re.findall(r'name="status" value="([a-z_]+)"', english) == ["finished", "cancelled"]
    finished = post_form(client, f"/admin/events/{event.event_id}/status", admin, {"status": "finished"})
    assert finished.status_code == 303 and store.events.get(event.event_id).status is EventStatus.FINISHED
    after = get_page(client, f"/admin/events/{event.event_id}/edit", admin).body.decode()
    assert re.findall(r'name="status" value="([a-z_]+)"', after) == []
