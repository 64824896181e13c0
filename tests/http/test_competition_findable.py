"""Findable competition pages and a phone-sized bracket (issue 18 items 9 and 10) through the test client.

A 40-entry single elimination with eight seeds (so 24 byes) is set up through the services, once for the module;
its organiser, a referee and a passer-by open the pages a person needs by following links, and the public page draws
its bracket without bye boxes, with seed marks, and a round at a time with previous and next links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_officials
from chalicelib.storage import get_store
from tests.factories import published_event, register_all
from tests.http.browsing import get_page, header

ENTRIES = 40
SVG = "{http://www.w3.org/2000/svg}"
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
    competition_officials.name_official(store, organiser, event.event_id, callers["member"].staff_no, "referee", now())
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


def test_the_public_page_links_the_organisers_tools_for_the_organiser_only(client, callers, forty):
    event, _ = forty
    manage = f"/admin/events/{event.event_id}/competition"
    links = _links(_html(get_page(client, f"/events/{event.event_id}/competition", callers["unit_admin"])))
    assert {manage, f"{manage}/score-sheets", f"{manage}/export.xlsx"} <= links
    for caller in (None, callers["member"]):
        public = _html(get_page(client, f"/events/{event.event_id}/competition", caller))
        assert manage not in public and "export.xlsx" not in public


# ---- item 10: brackets on a phone -------------------------------------------------------------------------------


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r'<svg [^>]*class="bk".*?</svg>', html, re.S)]


def _titles(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == "h"]


def _boxes(svg: ET.Element) -> int:
    return len(list(svg.iter(f"{SVG}rect")))


def test_the_forty_entry_bracket_has_no_bye_boxes_marks_its_seeds_and_steps_two_rounds_at_a_time(client, forty):
    event, players = forty
    page = f"/events/{event.event_id}/competition"
    html = get_page(client, page).body.decode()
    window, whole = _svgs(html)
    # The whole bracket: 39 matches, no box for any of the 24 byes (the draw is 64; a third-place match under the
    # final made the same bracket 1,874 px tall before, 946 px now).
    assert _boxes(whole) == 39 and float(whole.get("height")) < 1_000
    drawn = unescape("".join(whole.itertext()))
    assert "轮空" not in drawn
    assert all(f"[{seed}] {player.name}" in drawn for seed, player in enumerate(players[:SEEDS], start=1))
    # A phone sees the current round (the first: nothing is played) and the next, with a link onwards only.
    assert _titles(window) == _titles(whole)[:2]
    steps = html.split('class="steps"', 1)[1].split("</nav>", 1)[0]
    assert "round=2#bracket" in steps and "上一轮" not in steps and "下一轮" in steps
    # Further on, both ways; past the end, the last two rounds.
    third = _html(get_page(client, f"{page}?stage=main&round=3"))
    window, _ = _svgs(get_page(client, f"{page}?stage=main&round=3").body.decode())
    assert _titles(window) == _titles(whole)[2:4]
    assert "round=2#bracket" in third and "round=4#bracket" in third
    assert "?stage=main&round=3&lang=en" in third  # the other language keeps the rounds in view
    last, _ = _svgs(get_page(client, f"{page}?stage=main&round=99").body.decode())
    assert _titles(last) == _titles(whole)[-2:] == ["半决赛", "决赛"]
    english = _html(get_page(client, f"{page}?stage=main&round=x&lang=en"))
    assert "Next round ›" in english and "Previous round" not in english
