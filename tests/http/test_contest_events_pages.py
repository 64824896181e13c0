"""Entries by event over HTTP (issue 19 item 7): the cs unit admin finds 报名（按项目） where they enter people, enters
cs members across a skill contest's events answering the registration form's required question for them; over the
cap, a member of another unit, a missing answer: refused in Chinese and English with nothing written; another unit's
admin cannot withdraw cs's entrant; a member who runs no unit is kept out."""

from __future__ import annotations

import re
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.forms import Question, QuestionKind
from chalicelib.domain.records import SCHOOL_UNIT_ID, SERIES, EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.services import contests as contest_service
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import get_page, post_form

CRITERIA = [{"code": "skill", "name_zh": "技能", "weight": 1}]
TIERS = [{"code": "first", "name_zh": "一等奖", "name_en": "First prize", "count": 1},
         {"code": "second", "name_zh": "二等奖", "name_en": "Second prize", "count": 1}]  # fmt: skip


def _text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.body.decode()))


def _stage(stage_id: str, contest: str) -> dict:
    judging = {"criteria": CRITERIA, "aggregation": "mean", "tiers": TIERS}
    return {"stage_id": stage_id, "kind": "judged", "name_zh": stage_id, "contest": contest, "judging": judging}


@pytest.fixture(scope="module")
def contest(callers, demo_union):
    union_admin = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    job = Question("job", QuestionKind.TEXT, "岗位", "Job", required=True)
    fields = {"owner_unit_id": SCHOOL_UNIT_ID, "kind": EventKind.SKILLS, "format": EventFormat.CONTEST}
    event = published_event(union_admin, days=14, hours=4, title_zh="岗位技能竞赛", capacity=80, form=(job,),
                            **fields)  # fmt: skip
    setup = {
        "stages": [_stage("cook", "cook"), _stage("weld", "weld")],
        "unit_awards": {"tier_points": [{"tier": "first", "points": 5}, {"tier": "second", "points": 3}], "top": 1},
        "contests": [
            {"code": "cook", "category": "food", "category_zh": "餐饮类", "category_en": "Catering",
             "name_zh": "中式烹调", "name_en": "Chinese cooking", "cap_per_unit": 2},
            {"code": "weld", "category": "works", "category_zh": "工程类", "category_en": "Engineering",
             "name_zh": "焊工", "name_en": "Welding", "cap_per_unit": 1},
        ],
    }  # fmt: skip
    competition_service.configure(get_store(), union_admin, event.event_id, setup, now())
    active = [m for m in demo_union.members if m.status is MemberStatus.ACTIVE]
    member = callers["member"].staff_no  # the demo member, entered first: their registrations page names the events
    cs = [member, *[m.staff_no for m in active if m.unit_id == "cs" and m.staff_no != member][2:5]]
    other = next(m.staff_no for m in active if m.unit_id == "hospital")
    return {"event": event, "path": f"/admin/events/{event.event_id}/contest-entries", "cs": cs, "other": other}


def _entry(code: str, staff_no: str, job: str | None = "厨师") -> dict:
    fields = {"unit": "cs", "contest": code, "staff_no": staff_no, "do": "enter"}
    return {**fields, "a.job": job} if job is not None else fields


def _stored(contest):
    setup, version = get_store().competitions.setup_version(contest["event"].event_id)
    return {c["code"]: c["entries"] for c in setup["contests"]}, version


def test_the_unit_admin_finds_the_page_and_enters_people_across_events(client, callers, contest):
    event_id = contest["event"].event_id
    for where in (f"/admin/events/{event_id}/enter", "/admin/entries"):
        assert f'href="{contest["path"]}"' in get_page(client, where, callers["unit_admin"]).body.decode()
    hub = get_page(client, f"/admin/events/{event_id}/edit", callers["union_admin"])
    assert f'href="{contest["path"]}"' in hub.body.decode()
    page = get_page(client, contest["path"], callers["unit_admin"])
    text = _text(page)
    assert page.status_code == 200 and "报名（按项目）" in text and "餐饮类" in text and "焊工" in text
    assert "本单位已报 0/2 人" in text and 'name="a.job"' in page.body.decode()
    first, second, third = contest["cs"][:3]
    for code, staff_no in (("cook", first), ("weld", first), ("cook", second)):
        done = post_form(client, contest["path"], callers["unit_admin"], _entry(code, staff_no))
        assert done.status_code in (302, 303), _text(done)[:400]
    assert _stored(contest)[0] == {"cook": [first, second], "weld": [first]}
    registration = get_store().registrations.get(event_id, SERIES, first)
    assert registration is not None and registration.answers == {"job": "厨师"}
    mine = get_page(client, "/me/registrations", callers["member"])
    assert (
        "参赛项目：中式烹调、焊工" in _text(mine)
        and f'href="/events/{event_id}/competition/contest"' in mine.body.decode()
    )
    shown = get_page(client, contest["path"] + "?done=entered", callers["unit_admin"])
    assert "已报名。" in _text(shown) and "本单位已报 2/2 人" in _text(shown) and "本单位已报 1/1 人" in _text(shown)
    # over the cap, in Chinese then English; nothing written
    before = _stored(contest)
    full = post_form(client, contest["path"], callers["unit_admin"], _entry("cook", third))
    assert full.status_code == 409 and "每个单位在「中式烹调」至多报 2 人，名额已满。" in _text(full)
    full_en = post_form(client, contest["path"] + "?lang=en", callers["unit_admin"], _entry("weld", third))
    assert full_en.status_code == 409 and "Each unit may enter at most 1 in Welding" in _text(full_en)
    assert _stored(contest) == before
    assert get_store().registrations.get(event_id, SERIES, third) is None


def test_refusals_in_chinese_and_english_leave_nothing_written(client, callers, contest):
    before = _stored(contest)
    event_id = contest["event"].event_id
    missing = post_form(client, contest["path"], callers["unit_admin"], _entry("weld", contest["cs"][3], None))
    html = missing.body.decode()
    assert missing.status_code == 400 and re.search(r'id="f-job"[^>]*aria-invalid="true"', html)
    assert 'id="e-job"' in html
    foreign = post_form(client, contest["path"] + "?lang=en", callers["unit_admin"], _entry("weld", contest["other"]))
    assert foreign.status_code == 403 and "is not a member of a unit you run" in _text(foreign)
    unknown = post_form(client, contest["path"], callers["unit_admin"], _entry("nope", contest["cs"][3]))
    assert unknown.status_code == 404 and "没有这个比赛项目：nope。" in _text(unknown)
    assert _stored(contest) == before
    assert get_store().registrations.get(event_id, SERIES, contest["cs"][3]) is None


def test_only_the_entrants_unit_withdraws_them_and_members_are_kept_out(client, callers, contest):
    entrant = _stored(contest)[0]["weld"][0]
    refused = post_form(client, contest["path"], callers["other_unit_admin"],
                        {"contest": "weld", "staff_no": entrant, "do": "withdraw"})  # fmt: skip
    assert refused.status_code == 403
    other_view = get_page(client, contest["path"], callers["other_unit_admin"])
    assert other_view.status_code == 200 and entrant not in other_view.body.decode()  # their own unit's entrants only
    gone = post_form(client, contest["path"], callers["unit_admin"],
                     {"unit": "cs", "contest": "weld", "staff_no": entrant, "do": "withdraw"})  # fmt: skip
    assert gone.status_code in (302, 303) and _stored(contest)[0]["weld"] == []
    assert get_page(client, contest["path"], callers["member"]).status_code == 403
    # a judged contest of one event (the demo's singers): nothing to enter by event, said in words
    singers = get_page(client, "/admin/events/ev-01J6NJCKH0SCV1CDEY5SS5JQ92/contest-entries", callers["unit_admin"])
    assert singers.status_code == 200 and "还没有设置比赛项目" in _text(singers)


def test_the_public_page_shows_events_awards_and_the_units_ranking(client, callers, contest):
    store = get_store()
    event_id = contest["event"].event_id
    union_admin = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    hospital_admin = Principal(staff_no=callers["other_unit_admin"].staff_no, unit_id="hospital",
                               admin_of=frozenset({"hospital"}))  # fmt: skip
    contest_service.enter(store, hospital_admin, event_id, "weld", contest["other"], {"job": "焊工"}, now())
    state = competition_service.open_stage(store, union_admin, event_id, "cook", now())
    state = competition_service.open_stage(store, union_admin, event_id, "weld", now())
    cook = _stored(contest)[0]["cook"]
    marks = {cook[0]: 90, cook[1]: 80, contest["other"]: 70}
    for stage_id, entries in (("cook", cook), ("weld", [contest["other"]])):
        for entry_id in entries:
            store.competitions.put_marks(event_id, state.version, stage_id, entry_id, "J1", {"skill": marks[entry_id]},
                                         now())  # fmt: skip
    competition_service.close_stage(store, union_admin, event_id, "cook", now())
    competition_service.close_stage(store, union_admin, event_id, "weld", now())
    competition_service.publish(store, union_admin, event_id, True, now())
    public = get_page(client, f"/events/{event_id}/competition")
    assert f'href="/events/{event_id}/competition/contest"' in public.body.decode()
    page = get_page(client, f"/events/{event_id}/competition/contest")
    text = _text(page)
    assert page.status_code == 200 and "项目与成绩" in text and "单位成绩" in text
    assert "一等奖 ：" in text or "一等奖：" in text.replace(" ", "")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page.body.decode(), re.S)[1:]
    cells = [[unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
             for r in rows]  # fmt: skip
    # cs: 一等奖 + 二等奖 in cooking (5 + 3); hospital: 一等奖 in welding (5); the top 1 wins the award
    assert [(c[0], c[2]) for c in cells] == [("1", "8"), ("2", "5")] and "优秀组织奖" in cells[0][1]
    # every event's winners get their certificate (each event's final round's tiers)
    certificates = get_page(client, f"/admin/events/{event_id}/competition/certificates", callers["union_admin"])
    names = {
        m.staff_no: m.name for m in get_store().organisation.members_by_staff_no([*cook, contest["other"]]).values()
    }
    assert certificates.status_code == 200 and all(name in _text(certificates) for name in names.values())
    # and the unit that won 优秀组织奖 its certificate, made out to the unit, which its admin sees
    assert "优秀组织奖" in _text(certificates)
    unit_view = get_page(client, f"/admin/events/{event_id}/competition/certificates", callers["unit_admin"])
    assert unit_view.status_code == 200 and "在岗位技能竞赛（单位成绩）中荣获" in _text(unit_view).replace(" ", "")
    english = get_page(client, f"/events/{event_id}/competition/contest?lang=en")
    assert "Events and results" in _text(english) and "Excellent Organisation Award" in _text(english)
    assert "Chinese cooking" in _text(english) and "Catering" in _text(english)
