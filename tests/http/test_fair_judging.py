"""Fair judging through the API and the pages (issue 19 item 8): a contestant named judge of her own contest is
refused in Chinese and English with nothing written; a judge named before becoming an entry does not mark it (the
sheet says so); the order of appearance is drawn by lot, published and checkable; judges see contestants by number
until the panel closes and never another judge's marks; closing with marks missing warns, then confirms."""

from __future__ import annotations

import json
from datetime import timedelta
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.judging import appearance_order, check_appearance_order
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind, EventStatus, MemberStatus
from chalicelib.services import accounts
from chalicelib.services import competition as competition_service
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.conftest import Caller

STAGE = {
    "stage_id": "final",
    "kind": "judged",
    "name_zh": "决赛",
    "judging": {
        "criteria": [{"code": "voice", "name_zh": "演唱", "weight": 1}],
        "aggregation": "mean",
        "tiers": [{"code": "first", "name_zh": "一等奖", "count": 1}],
    },
}


def _call(client, caller: Caller, method: str, path: str, body=None, language: str = "zh"):
    headers = caller.headers(**{"Content-Type": "application/json", "Accept-Language": language})
    data = b"" if body is None else json.dumps(body).encode()
    return client.http.request(method, "/api" + path, headers=headers, body=data)


def _signed_in(member) -> Caller:
    store, settings = get_store(), get_settings()
    (issued,) = accounts.issue_activation_codes(store, settings, [member])
    session = accounts.activate(store, settings, member.staff_no, issued.code, "Lantern#2048", "10.0.0.7")
    return Caller(member.name, member.staff_no, session.token)


@pytest.fixture(scope="module")
def people(demo_union, callers):
    taken = {caller.staff_no for caller in callers.values()} | {a.staff_no for a in demo_union.accounts}
    spare = [m for m in demo_union.members if m.unit_id == "cs" and m.status is MemberStatus.ACTIVE
             and m.staff_no not in taken]  # fmt: skip
    return {"singers": spare[:4], "judges": [_signed_in(m) for m in spare[4:6]], "late": spare[6]}


def _register(event_id: str, member) -> None:
    registration_service.register(get_store(), Principal(staff_no=member.staff_no), event_id, "series", {}, now())


def _contest(callers, singers) -> str:
    store = get_store()
    organiser = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    start = now() + timedelta(days=7)
    fields = {"owner_unit_id": "cs", "kind": EventKind.SKILLS, "format": EventFormat.CONTEST, "title_zh": "公平评分",
              "starts_at": start, "ends_at": start + timedelta(hours=4), "capacity": 16}  # fmt: skip
    event = event_service.create_event(store, organiser, fields, [], now())
    event_service.change_status(store, organiser, event.event_id, EventStatus.PUBLISHED, now())
    for singer in singers:
        _register(event.event_id, singer)
    return event.event_id


def _officials(event_id: str) -> set[str]:
    return {role.staff_no for role in get_store().event_roles.for_event(event_id)}


def test_a_contestant_is_refused_as_judge_and_a_judge_never_marks_their_own_entry(client, callers, people):
    admin = callers["unit_admin"]
    singers, (first, second), late = people["singers"], people["judges"], people["late"]
    event_id = _contest(callers, singers)
    base = f"/events/{event_id}/competition"
    page = f"/admin/events/{event_id}/competition"

    # A contestant named judge: refused in Chinese and English, from the API and the page, nothing written.
    body = {"staff_no": singers[0].staff_no, "role": "judge"}
    for language, words in (("zh", "是本比赛的参赛者"), ("en", "is a contestant in this competition")):
        refused = _call(client, admin, "PUT", base + "/officials", body, language)
        assert refused.status_code == 400, refused.body
        problem = refused.json_body["error"]["details"][0]
        assert problem["problem"] == "judge_is_contestant" and words in problem["message"]
    form = {"action": "official_add", "staff_no": singers[0].staff_no, "role": "judge"}
    for suffix, words in (("", "），不能担任本比赛的评委"), ("?lang=en", "cannot judge it")):
        answer = post_form(client, page + suffix, admin, form)
        assert answer.status_code == 400 and words in unescape(answer.body.decode())
    assert singers[0].staff_no not in _officials(event_id)
    # Refereeing is no conflict of interest for a judged mark: a contestant may still be named referee.
    for judge in (first, second):
        named = _call(client, admin, "PUT", base + "/officials", {"staff_no": judge.staff_no, "role": "judge"})
        assert named.status_code == 200

    # Named before she entered: the second judge enters late; she is then excused from her own entry.
    _register(event_id, type("M", (), {"staff_no": second.staff_no})())
    assert _call(client, admin, "PUT", base, {"stages": [STAGE]}).status_code == 200
    assert post_form(client, page, admin, {"action": "open", "stage": "final"}).status_code == 303
    entries = [*(s.staff_no for s in singers), second.staff_no]

    # The order of appearance: drawn by lot on the organiser's page, checkable from its seed, published.
    drawn = post_form(client, page, admin, {"action": "order", "stage": "final"})
    assert drawn.status_code == 303
    run = competition_service.managed(get_store(), _principal(admin), event_id)[1].competition.run("final")
    assert sorted(run.order) == sorted(entries) and check_appearance_order(run.order_seed, run.order)
    assert list(run.order) == appearance_order(run.order_seed, entries)
    numbers = {entry: number for number, entry in enumerate(run.order, start=1)}
    organiser_page = unescape(get_page(client, page, admin).body.decode())
    assert "出场顺序（抽签）" in organiser_page and run.order_seed in organiser_page
    assert _call(client, admin, "POST", base + "/publish", {"published": True}).status_code == 200
    stage_out = _call(client, admin, "GET", base).json_body["stages"][0]
    assert (stage_out["order"], stage_out["order_seed"]) == (list(run.order), run.order_seed)
    public = unescape(get_page(client, f"/events/{event_id}/competition?lang=en").body.decode())
    assert (
        "Order of appearance (drawn by lot)" in public
        and f"No. {numbers[singers[0].staff_no]} {singers[0].name}" in public
    )

    # The judge's sheet by number, never by name, her own entry excused (API and page).
    sheet = _call(client, second, "GET", base + "/stages/final/judging").json_body
    assert [e["number"] for e in sheet["entries"]] == sorted(numbers[s.staff_no] for s in singers)
    assert all(e["name"] is None and e["unit_name"] is None for e in sheet["entries"])
    assert sheet["excused"] == [{"number": numbers[second.staff_no], "reason": "own_entry"}]
    html = unescape(get_page(client, f"/events/{event_id}/judging/final", second).body.decode())
    assert "您回避、不评分的选手" in html and f"{numbers[second.staff_no]} 号：您本人参赛" in html
    assert not any(s.name in html for s in singers)
    printed = unescape(get_page(client, page + "/score-sheets?stage=final", admin).body.decode())
    sheets = {part.split("</b>")[0].split("（")[-1].rstrip("）"): part.split("</header>")[-1]
              for part in printed.split("<article")[1:]
              if "</b>" in part}  # fmt: skip
    assert second.name not in sheets[second.staff_no] and singers[0].name in sheets[second.staff_no]
    assert second.name in sheets[first.staff_no]  # the printed sheets follow the same rule
    own = _call(client, second, "PUT", base + f"/stages/final/marks/{second.staff_no}", {"marks": {"voice": 99}})
    assert (own.status_code, own.json_body["error"]["code"]) == (403, "entry_not_assigned")

    # Marks: a judge sees only their own before the close.
    for judge in (first, second):
        for singer in singers:
            put = _call(client, judge, "PUT", base + f"/stages/final/marks/{singer.staff_no}", {"marks": {"voice": 80}})
            assert put.status_code == 200
    seen = _call(client, first, "GET", base).json_body["stages"][0]["judged"]
    assert all(set(line["marks"] or {}) <= {first.staff_no} for line in seen)

    # The first judge has not marked the second judge's entry: the close warns, then closes when confirmed.
    close = {"action": "close", "stage": "final"}
    warned = post_form(client, page, admin, close)
    text = unescape(warned.body.decode())
    assert warned.status_code == 409 and f"（{first.staff_no}）：{numbers[second.staff_no]} 号" in text
    english = unescape(post_form(client, page + "?lang=en", admin, close).body.decode())
    assert f"({first.staff_no}): No. {numbers[second.staff_no]}" in english and "Close the panel anyway" in english
    assert (
        _call(
            client, first, "PUT", base + f"/stages/final/marks/{second.staff_no}", {"marks": {"voice": 90}}
        ).status_code
        == 200
    )
    assert post_form(client, page, admin, close).status_code == 303  # nothing missing now: closes at once
    result = _call(client, first, "GET", base).json_body["stages"][0]["judged"]
    top = result[0]
    # One judge excused from the second judge's entry: the marks that exist count (one here, with mean).
    assert (top["entry_id"], top["score"], top["judges"]) == (second.staff_no, "90.00", 1)
    named_sheet = _call(client, second, "GET", base + "/stages/final/judging").json_body
    assert named_sheet["entries"][0]["name"] is not None  # names once the panel is closed
    assert late.staff_no not in _officials(event_id)


def _principal(caller: Caller) -> Principal:
    return Principal(staff_no=caller.staff_no, unit_id="cs", admin_of=frozenset({"cs"}))
