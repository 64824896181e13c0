"""A member's year (issue 21 item 3) on the demo union: the service against what the store holds (a class completed
by the organisers' rule, a walk's two checkpoints, an award of a published competition, a registration cancelled),
the pages /me/year, /admin/members/{staff_no}/year and their print views, the API, and who may read whose year: the
member themself, their unit's admins and the union admin; another unit's admin and other members are refused."""

from __future__ import annotations

import re
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.checkin import ADMITTING_STATES, is_completed
from chalicelib.domain.member_year import Participation
from chalicelib.domain.records import SCHOOL_UNIT_ID, SERIES, EventFormat, EventStatus, RegistrationState
from chalicelib.errors import Forbidden
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.services.checkin import event_points
from chalicelib.services.member_year import member_year
from chalicelib.storage import get_store
from tests.http.browsing import get_page

YOGA = "ev-01J6NHRF00EJJT39TBZN7Y2FB6"  # the demo's term of yoga sessions (a class: completion by share)
WALK = "ev-01J6NHH4M0Z85SJT7Q0BQ7QPBM"  # the demo's walk: a start and a finish checkpoint (completion: all)
SINGERS = "ev-01J6NJCKH0SCV1CDEY5SS5JQ92"  # the demo singer contest: a judged final with award tiers
UNION = Principal(staff_no="2009001", union_admin=True)


def _html(response) -> str:
    return unescape(response.body.decode())


def _year(event_id: str) -> int:
    event = get_store().events.get(event_id)
    assert event is not None
    return event.starts_at.astimezone(CHINA_TZ).year


def _most_present(event_id: str) -> tuple[str, list[str]]:
    """The member with the most check-ins at an event, and the points they checked in at."""
    came: dict[str, list[str]] = {}
    for check_in in get_store().check_ins.for_event(event_id):
        came.setdefault(check_in.staff_no, []).append(check_in.point_id)
    staff_no = max(sorted(came), key=lambda s: len(came[s]))
    return staff_no, came[staff_no]


def _row(view, event_id: str):
    (row,) = [row for row in view.events if row.event.event_id == event_id]
    return row


def test_a_class_taken_part_in_counts_its_sessions_and_completion(demo_union):
    store = get_store()
    staff_no, points = _most_present(YOGA)
    event = store.events.get(YOGA)
    sessions = [p.point_id for p in event_points(store, event)]
    mine = [r for r in store.registrations.for_event(YOGA) if r.staff_no == staff_no and r.state in ADMITTING_STATES]
    expected = sessions if any(r.scope == SERIES for r in mine) else sorted({r.scope for r in mine})
    attended = {p for p in points if p in expected}
    view = member_year(store, UNION, staff_no, _year(YOGA), now(), "zh")
    row = _row(view, YOGA)
    assert row.participation is Participation.TOOK_PART and row.took_part
    assert row.check_ins == len(points) >= 2
    assert (row.attended, row.expected) == (len(attended), len(expected))
    share = is_completed(len(attended), len(expected), row_rule(row), event.checkin.completion_percent)
    assert row.completed is share is True
    assert row.rule == "share" and row.percent == event.checkin.completion_percent
    # The totals add up the rows the member took part in.
    taken = [r for r in view.events if r.took_part]
    assert view.totals.events == len(taken) >= 1
    assert view.totals.check_ins == sum(r.check_ins for r in taken)
    assert view.totals.completions == sum(1 for r in taken if r.completed) >= 1
    assert view.events == sorted(view.events, key=lambda r: (r.event.starts_at, r.event.event_id))


def row_rule(row):
    from chalicelib.domain.checkin import CompletionRule

    return CompletionRule(row.rule)


def test_a_walk_with_both_checkpoints_is_completed_and_one_without_is_not(demo_union):
    store = get_store()
    came: dict[str, set[str]] = {}
    for check_in in store.check_ins.for_event(WALK):
        came.setdefault(check_in.staff_no, set()).add(check_in.point_id)
    both = next(s for s in sorted(came) if came[s] == {"start", "finish"})
    view = member_year(store, UNION, both, _year(WALK), now(), "en")
    row = _row(view, WALK)
    assert (row.attended, row.expected, row.completed, row.rule, row.check_ins) == (2, 2, True, "all", 2)
    registered = {r.staff_no for r in store.registrations.for_event(WALK) if r.state in ADMITTING_STATES}
    absent = sorted(registered - set(came))
    if absent:  # a member who held a place and never came: taken part, nothing attended, not completed
        row = _row(member_year(store, UNION, absent[0], _year(WALK), now(), "zh"), WALK)
        assert (row.participation, row.check_ins, row.attended, row.completed) == (
            Participation.TOOK_PART, 0, 0, False
        )  # fmt: skip


def test_an_award_of_a_published_competition_is_the_members_certificate(demo_union):
    from chalicelib.services import certificates_views

    store = get_store()
    printed = certificates_views.event_certificates(store, UNION, SINGERS, "zh").certificates
    person = next(c for c in printed if c.person)
    view = member_year(store, UNION, person.entry_id, _year(SINGERS), now(), "zh")
    row = _row(view, SINGERS)
    assert row.took_part and [c.tier for c in row.awards] == [c.tier for c in printed if c.entry_id == person.entry_id]
    assert row.awards[0].tier and view.totals.awards >= len(row.awards)


def test_a_removed_registration_and_a_cancelled_event_are_listed_and_count_for_nothing(demo_union):
    store = get_store()
    at = now()
    lecture = next(
        e
        for e in store.events.upcoming(at, limit=50)
        if e.format is EventFormat.SESSION and e.owner_unit_id == SCHOOL_UNIT_ID and e.confirmed_count >= 2
    )
    first, second = sorted(
        r.staff_no for r in store.registrations.for_event(lecture.event_id) if r.state is RegistrationState.CONFIRMED
    )[:2]
    year = _year(lecture.event_id)
    before = {s: member_year(store, UNION, s, year, at, "zh") for s in (first, second)}
    assert all(_row(view, lecture.event_id).took_part for view in before.values())
    registration_service.remove(store, UNION, lecture.event_id, SERIES, second, "报名有误", at)
    removed = member_year(store, UNION, second, year, at, "zh")
    row = _row(removed, lecture.event_id)
    assert row.participation is Participation.WITHDRAWN and not row.took_part and row.completed is None
    assert removed.totals.events == before[second].totals.events - 1
    event_service.change_status(store, UNION, lecture.event_id, EventStatus.CANCELLED, at)
    cancelled = member_year(store, UNION, first, year, at, "zh")
    assert _row(cancelled, lecture.event_id).participation is Participation.EVENT_CANCELLED
    assert cancelled.totals.events == before[first].totals.events - 1
    assert (
        cancelled.totals.check_ins == before[first].totals.check_ins - _row(before[first], lecture.event_id).check_ins
    )


def test_who_may_read_a_members_year(demo_union, callers):
    store = get_store()
    staff_no, _points = _most_present(YOGA)
    member = store.members.get(staff_no)
    at = now()
    year = _year(YOGA)
    own = member_year(store, Principal(staff_no=staff_no, unit_id=member.unit_id), staff_no, year, at, "zh")
    assert own.own and own.member.staff_no == staff_no
    admin = Principal(staff_no="x-admin", unit_id=member.unit_id, admin_of=frozenset({member.unit_id}))
    assert not member_year(store, admin, staff_no, year, at, "zh").own
    for outsider in (
        Principal(staff_no="x-other", unit_id="zz", admin_of=frozenset({"zz-unit"})),
        Principal(staff_no=callers["member"].staff_no, unit_id=member.unit_id),
    ):
        with pytest.raises(Forbidden):
            member_year(store, outsider, staff_no, year, at, "zh")


# ---- pages and API --------------------------------------------------------------------------------------------------


def _cs_member(demo_union, callers) -> str:
    """A cs member (the cs admin's unit) who is none of the callers."""
    taken = {c.staff_no for c in callers.values()}
    return next(m.staff_no for m in demo_union.members if m.unit_id == "cs" and m.staff_no not in taken)


def test_my_year_page_in_chinese_and_english(client, callers):
    year = now().astimezone(CHINA_TZ).year
    response = get_page(client, "/me/year", callers["member"])
    assert response.status_code == 200
    html = _html(response)
    assert "<h1>我的年度</h1>" in html and f"{year}年" in html and "参加活动" in html
    assert f'href="/me/year/print?year={year}"' in html and f'href="/me/year?year={year - 1}"' in html
    english = _html(get_page(client, f"/me/year?year={year - 1}&lang=en", callers["member"]))
    assert "<h1>My year</h1>" in english and "Events taken part in" in english
    assert 'aria-current="page">' + str(year - 1) in english
    assert get_page(client, "/me/year?year=1899", callers["member"]).status_code == 404
    assert get_page(client, "/me/year?year=abcd", callers["member"]).status_code == 404
    me = _html(get_page(client, "/me", callers["member"]))
    assert 'href="/me/year"' in me
    assert 'href="/me/year"' in _html(get_page(client, "/me/registrations", callers["member"]))


def test_a_members_year_for_admins_and_its_print(client, demo_union, callers):
    staff_no, _points = _most_present(YOGA)
    member = get_store().members.get(staff_no)
    year = _year(YOGA)
    path = f"/admin/members/{staff_no}/year?year={year}"
    response = get_page(client, path, callers["union_admin"])
    assert response.status_code == 200
    html = _html(response)
    assert "年度记录" in html and member.name in html and "已参加" in html and "已完成" in html
    printed = _html(get_page(client, f"/admin/members/{staff_no}/year/print?year={year}", callers["union_admin"]))
    assert f"{year}年度参与记录证明" in printed and member.name in printed and "打印日期：" in printed
    assert "示范大学工会" in printed or "工会" in printed
    assert re.search(r"打印日期：\d{4}年\d{1,2}月\d{1,2}日", printed)
    assert "<style" not in printed and "style=" not in printed
    english = _html(get_page(client, f"/admin/members/{staff_no}/year/print?year={year}&lang=en",
                             callers["union_admin"]))  # fmt: skip
    assert f"Record of participation, {year}" in english and "Printed on" in english
    # The unit's member list and the member's page link to it.
    members = _html(get_page(client, f"/admin/units/{member.unit_id}/members?q={staff_no}", callers["union_admin"]))
    assert f'href="/admin/members/{staff_no}/year"' in members
    edit = _html(get_page(client, f"/admin/members/{staff_no}", callers["union_admin"]))
    assert f'href="/admin/members/{staff_no}/year"' in edit


def test_admins_see_their_units_members_only(client, demo_union, callers):
    staff_no = _cs_member(demo_union, callers)
    assert get_page(client, f"/admin/members/{staff_no}/year", callers["unit_admin"]).status_code == 200
    assert get_page(client, f"/admin/members/{staff_no}/year", callers["other_unit_admin"]).status_code == 403
    assert get_page(client, f"/admin/members/{staff_no}/year/print", callers["other_unit_admin"]).status_code == 403
    assert get_page(client, f"/admin/members/{staff_no}/year", callers["member"]).status_code == 403
    assert get_page(client, "/admin/members/NOBODY-1/year", callers["union_admin"]).status_code == 404
    signed_out = get_page(client, "/me/year")
    assert signed_out.status_code in (302, 303) and "/signin" in signed_out.headers["Location"]


def test_the_api_gives_the_same_year(client, demo_union, callers):
    year = now().astimezone(CHINA_TZ).year
    mine = client.http.get(f"/api/me/year/{year}", headers=callers["member"].headers())
    assert mine.status_code == 200
    body = mine.json_body
    assert body["staff_no"] == callers["member"].staff_no and body["year"] == year
    assert set(body["totals"]) == {"events", "check_ins", "completions", "awards"}
    assert body["totals"]["events"] == sum(1 for e in body["events"] if e["participation"] == "took_part")
    staff_no, _points = _most_present(YOGA)
    yoga_year = _year(YOGA)
    theirs = client.http.get(f"/api/members/{staff_no}/year/{yoga_year}", headers=callers["union_admin"].headers())
    assert theirs.status_code == 200
    (yoga,) = [e for e in theirs.json_body["events"] if e["event_id"] == YOGA]
    assert yoga["participation"] == "took_part" and yoga["completed"] is True and yoga["expected"] >= 2
    cs = _cs_member(demo_union, callers)
    assert client.http.get(f"/api/members/{cs}/year/{year}", headers=callers["unit_admin"].headers()).status_code == 200
    other = client.http.get(f"/api/members/{cs}/year/{year}", headers=callers["other_unit_admin"].headers())
    assert other.status_code == 403 and other.json_body["error"]["code"] == "forbidden"
    member = client.http.get(f"/api/members/{cs}/year/{year}", headers=callers["member"].headers())
    assert member.status_code == 403
    assert client.http.get("/api/me/year/1999", headers=callers["member"].headers()).status_code == 404
    assert client.http.get("/api/me/year/twenty", headers=callers["member"].headers()).status_code == 404
