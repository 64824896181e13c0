"""The contest screen in the hall and its API (issue 19 item 8): scores hidden until the organiser reveals them,
which needs every judge's mark; shown in Chinese and English once revealed; a revealed score's marks are final; the
order of appearance drawn through the API; closing a judged stage through the API with marks missing answers 409
with the missing list unless confirmed; who may see and reveal."""

from __future__ import annotations

import json
from datetime import timedelta
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind, EventStatus, MemberStatus
from chalicelib.services import accounts, competition_officials
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
    "name_en": "Final",
    "judging": {"criteria": [{"code": "voice", "name_zh": "演唱", "weight": 1}], "aggregation": "mean"},
}


def _call(client, caller: Caller | None, method: str, path: str, body=None, language: str = "zh"):
    extra = {"Content-Type": "application/json", "Accept-Language": language}
    headers = caller.headers(**extra) if caller else extra
    data = b"" if body is None else json.dumps(body).encode()
    return client.http.request(method, "/api" + path, headers=headers, body=data)


def _signed_in(member) -> Caller:
    store, settings = get_store(), get_settings()
    (issued,) = accounts.issue_activation_codes(store, settings, [member])
    session = accounts.activate(store, settings, member.staff_no, issued.code, "Lantern#2048", "10.0.0.7")
    return Caller(member.name, member.staff_no, session.token)


@pytest.fixture(scope="module")
def contest(demo_union, callers):
    """A singer contest of the cs unit, published: three singers, two judges, its final open with the order drawn
    on the organiser's page."""
    taken = {caller.staff_no for caller in callers.values()} | {a.staff_no for a in demo_union.accounts}
    spare = [m for m in demo_union.members if m.unit_id == "cs" and m.status is MemberStatus.ACTIVE
             and m.staff_no not in taken]  # fmt: skip
    singers, judges = spare[10:13], [_signed_in(m) for m in spare[13:15]]
    store = get_store()
    organiser = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    start = now() + timedelta(days=7)
    fields = {"owner_unit_id": "cs", "kind": EventKind.SKILLS, "format": EventFormat.CONTEST, "title_zh": "大屏歌手赛",
              "starts_at": start, "ends_at": start + timedelta(hours=4), "capacity": 16}  # fmt: skip
    event = event_service.create_event(store, organiser, fields, [], now())
    event_service.change_status(store, organiser, event.event_id, EventStatus.PUBLISHED, now())
    for singer in singers:
        registration_service.register(store, Principal(staff_no=singer.staff_no), event.event_id, "series", {}, now())
    for judge in judges:
        competition_officials.name_official(store, organiser, event.event_id, judge.staff_no, "judge", now())
    competition_service.configure(store, organiser, event.event_id, {"stages": [STAGE]}, now())
    competition_service.publish(store, organiser, event.event_id, True, now())
    return {"event_id": event.event_id, "singers": singers, "judges": judges}


def _mark(client, judge: Caller, event_id: str, entry: str, mark: float):
    path = f"/events/{event_id}/competition/stages/final/marks/{entry}"
    return _call(client, judge, "PUT", path, {"marks": {"voice": mark}})


def test_scores_show_on_the_hall_screen_only_once_revealed(client, callers, contest):
    admin = callers["unit_admin"]
    event_id, singers, (first, second) = contest["event_id"], contest["singers"], contest["judges"]
    base = f"/events/{event_id}/competition"
    screen, control = f"{base}/hall/final", f"/admin{base}/hall/final"
    api_hall = f"{base}/stages/final/hall"

    # Before the stage opens: the screen says so; the API draws the order of appearance (with a recorded seed).
    waiting = unescape(get_page(client, screen).body.decode())
    assert "本轮比赛尚未开始" in waiting and 'http-equiv="refresh"' in waiting
    assert post_form(client, f"/admin{base}", admin, {"action": "open", "stage": "final"}).status_code == 303
    drawn = _call(client, admin, "POST", f"{base}/stages/final/order")
    assert drawn.status_code == 200, drawn.body
    stage = drawn.json_body["stages"][0]
    order, seed = stage["order"], stage["order_seed"]
    assert sorted(order) == sorted(s.staff_no for s in singers) and seed
    names = {s.staff_no: s.name for s in singers}
    first_on, second_on, third_on = order

    # Marks in for the first contestant from one judge only: the score cannot be revealed yet (zh, en).
    assert _mark(client, first, event_id, first_on, 91).status_code == 200
    for language, words in (("zh", "还有评委未给该选手评分"), ("en", "Not every judge has marked")):
        early = _call(client, admin, "POST", f"{base}/stages/final/reveal", {"number": 1}, language)
        assert early.status_code == 409 and early.json_body["error"]["code"] == "reveal_marks_missing"
        assert words in early.json_body["error"]["message"]
        assert early.json_body["error"]["details"] == {"judges": [second.staff_no]}
    # The order is fixed once a judge has marked.
    again = _call(client, admin, "POST", f"{base}/stages/final/order")
    assert (again.status_code, again.json_body["error"]["code"]) == (409, "order_after_marks")

    # Every judge has marked the first two: their scores are still hidden until revealed.
    assert _mark(client, second, event_id, first_on, 94).status_code == 200
    for judge, mark in ((first, 80), (second, 84)):
        assert _mark(client, judge, event_id, second_on, mark).status_code == 200
    hidden = _call(client, None, "GET", api_hall).json_body
    assert [line["number"] for line in hidden["lines"]] == [1, 2, 3]
    assert all(line["score"] is None for line in hidden["lines"]) and hidden["standings"] == []
    assert hidden["on_stage"]["name"] == names[first_on] and hidden["next"]["name"] == names[second_on]
    page = unescape(get_page(client, screen).body.decode())
    assert "92.50" not in page and "待公布" in page and names[first_on] in page and "正在比赛" in page

    # The organiser reveals the first from the control page: the screen shows it (zh and en); the second stays hidden.
    listed = unescape(get_page(client, control, admin).body.decode())
    assert "评委已评 2/2" in listed and "92.50" in listed  # the organiser sees it before revealing
    assert post_form(client, control, admin, {"number": "1"}).status_code == 303
    shown = unescape(get_page(client, screen).body.decode())
    assert "92.50" in shown and "82.00" not in shown and "最新公布" in shown
    # The public competition page follows the same rule (as the API): the revealed score, the other "to come".
    public = unescape(get_page(client, base).body.decode())
    assert "92.50" in public and "82.00" not in public and "待公布" in public
    english = unescape(get_page(client, screen + "?lang=en").body.decode())
    assert "Just revealed" in english and "92.50" in english and "On stage" in english and "No. 2" in english
    revealed = _call(client, None, "GET", api_hall).json_body
    unit = "计算机科学与技术学院分工会"
    assert revealed["latest"] == {"number": 1, "name": names[first_on], "unit_name": unit, "score": "92.50", "place": 1}
    assert [line["score"] for line in revealed["lines"]] == ["92.50", None, None]
    assert revealed["on_stage"]["number"] == 2

    # A revealed score is final: its judges may no longer change their marks; the others' still may.
    late = _mark(client, first, event_id, first_on, 99)
    assert (late.status_code, late.json_body["error"]["code"]) == (409, "score_revealed")
    assert _mark(client, first, event_id, second_on, 81).status_code == 200
    # Through the API: the second contestant's score.
    answer = _call(client, admin, "POST", f"{base}/stages/final/reveal", {"number": 2})
    assert answer.status_code == 200 and answer.json_body["latest"]["score"] == "82.50"
    assert [(line["number"], line["place"]) for line in answer.json_body["standings"]] == [(1, 1), (2, 2)]

    # Closing with the third contestant unmarked: the API answers 409 with who owes which number, nothing closed.
    close = f"{base}/stages/final/close"
    warned = _call(client, admin, "POST", close, language="en")
    assert warned.status_code == 409 and warned.json_body["error"]["code"] == "marks_missing"
    owing = sorted(judge.staff_no for judge in (first, second))  # judges in 工号 order
    assert warned.json_body["error"]["details"] == {"missing": [{"judge": j, "numbers": [3]} for j in owing]}
    assert "confirm=true" in warned.json_body["error"]["message"]
    assert _call(client, None, "GET", api_hall).json_body["state"] == "drawn"
    for judge in (first, second):
        assert _mark(client, judge, event_id, third_on, 70).status_code == 200
    closed = _call(client, admin, "POST", close + "?confirm=true")
    assert closed.status_code == 200, closed.body
    over = _call(client, None, "GET", api_hall).json_body
    assert over["state"] == "closed" and over["on_stage"] is None
    assert [line["score"] for line in over["standings"]] == ["92.50", "82.50", "70.00"]  # every score once closed
    assert "本轮比赛已结束" in unescape(get_page(client, screen).body.decode())


def test_who_may_see_the_screen_and_reveal(client, callers, contest):
    event_id = contest["event_id"]
    base = f"/events/{event_id}/competition"
    # The screen is public like the competition page; the reveal is the organisers'.
    assert get_page(client, f"{base}/hall/final").status_code == 200
    assert get_page(client, f"/admin{base}/hall/final", callers["member"]).status_code == 403
    assert get_page(client, f"/admin{base}/hall/final", callers["other_unit_admin"]).status_code == 403
    refused = _call(client, callers["other_unit_admin"], "POST", f"{base}/stages/final/reveal", {"number": 1})
    assert refused.status_code == 403
    # A stage that is not judged, or none at all: 404 on the page and in the API.
    assert get_page(client, f"{base}/hall/nothing").status_code == 404
    assert _call(client, None, "GET", f"{base}/stages/nothing/hall").status_code == 404
    # Linked from the organiser's stage card and the public competition page.
    organiser = unescape(get_page(client, f"/admin{base}", callers["unit_admin"]).body.decode())
    assert f'href="{base}/hall/final"' in organiser and f'href="/admin{base}/hall/final"' in organiser
    assert f'href="{base}/hall/final"' in unescape(get_page(client, base).body.decode())
