"""Findable competition pages and a phone-sized bracket (issue 18 items 9 and 10) through the test client.

A 40-entry single elimination with eight seeds (so 24 byes) is set up through the services, once for the module;
its organiser, a referee and a passer-by open the pages a person needs by following links, and the public page draws
its bracket without bye boxes, with seed marks, and a round at a time with previous and next links."""

from __future__ import annotations

import re
from html import unescape

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.storage import get_store
from tests.factories import published_event, register_all
from tests.http.browsing import get_page, header

ENTRIES = 40
SEEDS = 8


def _html(response) -> str:
    return unescape(response.body.decode())


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


@pytest.fixture(scope="module")
def forty(demo_union, callers, organiser):
    """Forty members (none of the callers) in a single elimination, the first eight seeded; the demo member
    referees it."""
    taken = {caller.staff_no for caller in callers.values()}
    players = [m for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken][:ENTRIES]
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT, "capacity": ENTRIES}
    event = published_event(organiser, days=10, hours=4, title_zh="四十人单打", title_en="Forty singles", **fields)
    register_all(event.event_id, players)
    store = get_store()
    stages = [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛", "name_en": "Knockout"}]
    seeds = {player.staff_no: number for number, player in enumerate(players[:SEEDS], start=1)}
    setup = {"match_format": "badminton", "tiebreak": "badminton", "stages": stages, "seeds": seeds}
    competition_service.configure(store, organiser, event.event_id, setup, now())
    competition_service.draw(store, organiser, event.event_id, "main", now())
    competition_service.publish(store, organiser, event.event_id, True, now())
    competition_service.name_official(store, organiser, event.event_id, callers["member"].staff_no, "referee", now())
    return event, players


# ---- item 9: findable -------------------------------------------------------------------------------------------


def test_the_events_own_address_goes_to_its_hub(client, callers, forty):
    event, _ = forty
    path = f"/admin/events/{event.event_id}"
    answer = get_page(client, path, callers["unit_admin"])
    assert answer.status_code == 303 and header(answer, "Location") == f"{path}/edit"
    assert get_page(client, f"{path}/edit", callers["unit_admin"]).status_code == 200
    assert get_page(client, path, callers["member"]).status_code == 403
    assert header(get_page(client, path), "Location").startswith("/signin?next=")


def test_the_organiser_finds_the_workbook_and_score_sheets_on_the_management_page(client, callers, forty):
    event, _ = forty
    admin = callers["unit_admin"]
    manage = f"/admin/events/{event.event_id}/competition"
    links = _links(_html(get_page(client, manage, admin)))
    assert {f"{manage}/score-sheets", f"{manage}/export.xlsx"} <= links
    assert get_page(client, f"{manage}/score-sheets", admin).status_code == 200
    workbook = get_page(client, f"{manage}/export.xlsx", admin, Accept="*/*")
    assert workbook.status_code == 200 and workbook.body[:2] == b"PK"


def test_a_referee_finds_the_score_sheets_from_the_referee_page(client, callers, forty):
    event, _ = forty
    member = callers["member"]
    referee = _html(get_page(client, f"/events/{event.event_id}/referee", member))
    sheets = f"/admin/events/{event.event_id}/competition/score-sheets"
    assert sheets in _links(referee) and f"/events/{event.event_id}/competition" in _links(referee)
    assert get_page(client, sheets, member).status_code == 200
