"""Calendars (issue 20 item 5, part F) through the test client, every file read back with the icalendar library:
an event's .ics (each class session its own VEVENT, China time, escaping), a member's own registration's .ics
(nobody else's), the subscription link made, renewed and revoked on /me/calendar, what the feed holds (waiting
ones tentative, a cancelled registration gone, a team's scheduled matches) and the links that lead to them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import unquote

import icalendar
import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind, EventStatus
from chalicelib.services import competition as competition_service
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.test_fixtures_pages import cup  # noqa: F401 - the team cup fixture, reused
from tests.http.test_ticket_api import organiser_of, others_of, register

TITLE = "日历测试课，周三班; 第一期"  # a comma and a semicolon to escape


def _header(response, name: str) -> str:
    return {key.lower(): value for key, value in response.headers.items()}.get(name.lower(), "")


def _calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.body[:300]
    assert _header(response, "Content-Type") == "text/calendar; charset=utf-8"
    text = response.body.decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    return icalendar.Calendar.from_ical(text)


def _events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _token(html: str) -> str:
    found = re.search(r'value="https?://[^"]*/calendar/([a-z2-7]{16}\.[a-z2-7]{32})\.ics', html)
    assert found, html[:3000]
    return found.group(1)


def _class(organiser: Principal, start: datetime):
    """A class of three weekly one-hour sessions from ``start``, single sessions allowed, two places each."""
    week = timedelta(days=7)
    sessions = [{"starts_at": start + n * week, "ends_at": start + n * week + timedelta(hours=1)} for n in range(3)]
    fields = {
        "owner_unit_id": SCHOOL_UNIT_ID,
        "kind": EventKind.WELLNESS,
        "format": EventFormat.CLASS,
        "title_zh": TITLE,
        "venue": "体育馆,3楼",
        "starts_at": start,
        "ends_at": start + timedelta(days=15),
        "registration_closes_at": start,
        "capacity": 2,
        "single_sessions": True,
    }
    store = get_store()
    event = event_service.create_event(store, organiser, fields, sessions, now())
    return event_service.change_status(store, organiser, event.event_id, EventStatus.PUBLISHED, now())


@pytest.fixture(scope="module")
def lessons(demo_union, callers):
    """A class of three weekly sessions starting in two days at 14:00 China time; the member holds the whole term."""
    start = (now() + timedelta(days=2)).astimezone(CHINA_TZ).replace(hour=14, minute=0, second=0, microsecond=0)
    event = _class(organiser_of(callers), start)
    register(callers["member"].staff_no, event)
    return event


@pytest.fixture(scope="module")
def lecture(demo_union, callers):
    """A one-off lecture, full: the member waits for a place."""
    organiser = organiser_of(callers)
    start = (now() + timedelta(days=3)).astimezone(CHINA_TZ).replace(hour=9, minute=30, second=0, microsecond=0)
    fields = {
        "owner_unit_id": SCHOOL_UNIT_ID,
        "kind": EventKind.WELLNESS,
        "format": EventFormat.SESSION,
        "title_zh": "日历讲座：健康与睡眠",
        "title_en": "Calendar lecture: sleep",
        "venue": "图书馆报告厅",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "capacity": 1,
        "waiting_list": True,
    }
    store = get_store()
    event = event_service.create_event(store, organiser, fields, [], now())
    event = event_service.change_status(store, organiser, event.event_id, EventStatus.PUBLISHED, now())
    register(others_of(demo_union, callers)[0].staff_no, event)
    register(callers["member"].staff_no, event)
    return event


def test_an_events_calendar_has_one_vevent_per_session_in_china_time(client, lessons):
    response = get_page(client, f"/events/{lessons.event_id}/calendar.ics")
    calendar = _calendar(response)
    events = _events(calendar)
    sessions = get_store().sessions.for_event(lessons.event_id)
    assert sorted(events) == sorted(f"{lessons.event_id}-{s.session_id}@union-events" for s in sessions)
    first = events[f"{lessons.event_id}-s01@union-events"]
    start = first.decoded("DTSTART")
    assert start.astimezone(CHINA_TZ).hour == 14
    assert start.astimezone(UTC).hour == 6  # 14:00 in China is 06:00Z
    assert start.astimezone(UTC) == sessions[0].starts_at.astimezone(UTC)
    assert str(first["SUMMARY"]) == f"{TITLE}（第 1 次）"
    assert str(first["URL"]).endswith(f"/events/{lessons.event_id}")
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(first["LOCATION"]) == "体育馆,3楼"
    assert str(calendar.walk("VTIMEZONE")[0]["TZID"]) == "Asia/Shanghai"
    disposition = _header(response, "Content-Disposition")
    assert 'filename="calendar.ics"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{TITLE}.ics"
    assert _header(response, "Cache-Control") == "private, max-age=300"
    again = get_page(
        client, f"/events/{lessons.event_id}/calendar.ics", None, **{"If-None-Match": _header(response, "ETag")}
    )
    assert again.status_code == 304 and again.body in (b"", "")


def test_an_events_calendar_in_english_and_a_draft_or_unknown_event_is_404(client, callers, lecture):
    english = _calendar(get_page(client, f"/events/{lecture.event_id}/calendar.ics?lang=en"))
    (event,) = _events(english).values()
    assert str(event["SUMMARY"]) == "Calendar lecture: sleep"
    assert str(event["LOCATION"]) == "图书馆报告厅"
    assert event.decoded("DTSTART").astimezone(UTC) == lecture.starts_at.astimezone(UTC)
    draft = event_service.create_event(
        get_store(),
        organiser_of(callers),
        {
            **{k: getattr(lecture, k) for k in ("owner_unit_id", "kind", "format", "starts_at", "ends_at")},
            "title_zh": "草稿",
        },
        [],
        now(),
    )
    assert get_page(client, f"/events/{draft.event_id}/calendar.ics").status_code == 404
    assert get_page(client, f"/events/{draft.event_id}/calendar.ics", callers["union_admin"]).status_code == 200
    assert get_page(client, "/events/ev-nonesuch/calendar.ics").status_code == 404


def test_a_registrations_calendar_is_the_members_own_and_a_single_session_only_its_session(client, callers, lessons):
    member, other = callers["member"], callers["unit_admin"]
    whole = _events(_calendar(get_page(client, f"/me/registrations/{lessons.event_id}/series/calendar.ics", member)))
    assert len(whole) == 3
    assert all(str(e["DESCRIPTION"]).startswith("报名状态：已确认") for e in whole.values())
    registration_service.register(get_store(), Principal(staff_no=other.staff_no), lessons.event_id, "s02", {}, now())
    own = _events(_calendar(get_page(client, f"/me/registrations/{lessons.event_id}/s02/calendar.ics", other)))
    assert list(own) == [f"{lessons.event_id}-s02@union-events"]
    # Another member's registration: the path names no 工号, so the caller only ever finds their own — none here.
    assert get_page(client, f"/me/registrations/{lessons.event_id}/s02/calendar.ics", member).status_code == 404
    assert get_page(client, f"/me/registrations/{lessons.event_id}/series/calendar.ics", other).status_code == 404
    signed_out = get_page(client, f"/me/registrations/{lessons.event_id}/series/calendar.ics")
    assert signed_out.status_code in (302, 303) and "/signin" in _header(signed_out, "Location")


def test_the_subscription_link_made_renewed_and_revoked(client, callers, lessons, lecture):
    member = callers["member"]
    page = unescape(get_page(client, "/me/calendar", member).body.decode())
    assert "生成订阅链接" in page and "/calendar/" not in page
    made = post_form(client, "/me/calendar", member, {})
    assert made.status_code == 200
    html = unescape(made.body.decode())
    token = _token(html)
    assert 'href="webcal://' in html and "只显示这一次" in html
    # Only the digest is stored, and the link names nobody.
    assert member.staff_no not in token
    stored = get_store().calendar_feeds.of_member(member.staff_no)
    assert stored is not None and token.split(".")[1] not in stored.digest
    feed = get_page(client, f"/calendar/{token}.ics")
    events = _events(_calendar(feed))
    assert f"{lessons.event_id}-s01@union-events" in events
    waiting = events[f"{lecture.event_id}@union-events"]
    assert str(waiting["STATUS"]) == "TENTATIVE" and "候补" in str(waiting["DESCRIPTION"])
    assert "REFRESH-INTERVAL" in feed.body.decode()
    assert _header(feed, "Cache-Control") == "private, max-age=900"
    assert not _header(feed, "Content-Disposition")
    # The page now says a link exists, without showing it again.
    later = unescape(get_page(client, "/me/calendar", member).body.decode())
    assert "重新生成链接" in later and token not in later and "停用订阅" in later
    # A new link kills the old one at once.
    renewed = _token(unescape(post_form(client, "/me/calendar", member, {}).body.decode()))
    assert renewed != token
    assert get_page(client, f"/calendar/{token}.ics").status_code == 404
    assert get_page(client, f"/calendar/{renewed}.ics").status_code == 200
    # The right feed id with a wrong secret, and shapes that cannot be a link: the same 404.
    feed_id = renewed.split(".")[0]
    assert get_page(client, f"/calendar/{feed_id}.{'a' * 32}.ics").status_code == 404
    for bad in (f"{feed_id}.ics", renewed, f"{renewed}.ics.ics", f"{renewed.upper()}.ics"):
        answer = get_page(client, f"/calendar/{bad}")
        assert answer.status_code == 404, bad
        assert member.staff_no not in answer.body.decode()
    # Revoked: gone.
    revoked = post_form(client, "/me/calendar/revoke", member, {})
    assert revoked.status_code == 303 and _header(revoked, "Location") == "/me/calendar?revoked=1"
    assert get_page(client, f"/calendar/{renewed}.ics").status_code == 404
    assert get_store().calendar_feeds.of_member(member.staff_no) is None
    assert "订阅链接已停用" in unescape(get_page(client, "/me/calendar?revoked=1", member).body.decode())


def test_a_cancelled_registration_disappears_from_the_feed(client, callers, lecture):
    member = callers["member"]
    token = _token(unescape(post_form(client, "/me/calendar", member, {}).body.decode()))
    assert f"{lecture.event_id}@union-events" in _events(_calendar(get_page(client, f"/calendar/{token}.ics")))
    registration_service.cancel(get_store(), Principal(staff_no=member.staff_no), lecture.event_id, "series", now())
    assert f"{lecture.event_id}@union-events" not in _events(_calendar(get_page(client, f"/calendar/{token}.ics")))
    english = _calendar(get_page(client, f"/calendar/{token}.ics?lang=en"))
    assert str(english["X-WR-CALNAME"]) == "My union events"


def test_the_feed_holds_the_scheduled_matches_of_the_members_team(client, callers, cup):  # noqa: F811
    member = callers["member"]
    store = get_store()
    token = _token(unescape(post_form(client, "/me/calendar", member, {}).body.decode()))
    event_id, cs = cup["event_id"], cup["teams"]["cs"]
    before = _events(_calendar(get_page(client, f"/calendar/{token}.ics")))
    assert not [uid for uid in before if uid.startswith(f"{event_id}-m-")]  # not published yet: no matches
    competition_service.publish(store, cup["organiser"], event_id, True, now())
    events = _events(_calendar(get_page(client, f"/calendar/{token}.ics")))
    state = competition_service.view(store, cup["organiser"], event_id)
    mine = [m for m in state.stage_matches("groups") if cs.team_id in m.entries]
    assert len(mine) == 3
    for match in mine:
        found = events[f"{event_id}-m-groups-{match.match_id}@union-events"]
        assert found.decoded("DTSTART").astimezone(UTC) == datetime.fromisoformat(match.starts_at).astimezone(UTC)
        assert str(found["LOCATION"]).startswith(match.court)
        assert "对阵" in str(found["SUMMARY"])
        assert found.decoded("DTEND") - found.decoded("DTSTART") == timedelta(minutes=50)
    assert f"{event_id}@union-events" in events  # the tournament itself too


def test_links_lead_to_the_calendars(client, callers, lessons):
    member = callers["member"]
    event_page = unescape(get_page(client, f"/events/{lessons.event_id}").body.decode())
    assert f'href="/events/{lessons.event_id}/calendar.ics"' in event_page and "加入日历" in event_page
    mine = unescape(get_page(client, "/me/registrations", member).body.decode())
    assert f'href="/me/registrations/{lessons.event_id}/series/calendar.ics"' in mine
    assert 'href="/me/calendar"' in mine
    ticket = unescape(get_page(client, f"/me/tickets/{lessons.event_id}/series", member).body.decode())
    assert f'href="/me/registrations/{lessons.event_id}/series/calendar.ics"' in ticket
    hub = unescape(get_page(client, f"/admin/events/{lessons.event_id}/edit", callers["union_admin"]).body.decode())
    assert f'href="/events/{lessons.event_id}/calendar.ics"' in hub
    me = unescape(get_page(client, "/me", member).body.decode())
    assert 'href="/me/calendar"' in me and "日历订阅" in me
    english = unescape(get_page(client, "/me/calendar?lang=en", member).body.decode())
    assert "Calendar subscription" in english and "Add Subscribed Calendar" in english
