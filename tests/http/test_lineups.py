"""Line-ups of team ties over HTTP (issue 18 item 3): a captain gives theirs on the line-up page; the other captain
sees that it is in but not who until theirs is in too; a unit admin of another unit is refused; a bad line-up comes
back with its fields marked, in Chinese and English, from the page and the API; the referee's score form and the
printed score sheet then show each rubber's players."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EntryType, EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.services import teams as team_service
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import get_page, post_form


def _six(demo_union, unit, first=None):
    """Three active men and three active women of ``unit`` (``first`` among them)."""
    people = [m for m in demo_union.members if m.unit_id == unit and m.status is MemberStatus.ACTIVE]
    if first is not None:
        people.sort(key=lambda m: m.staff_no != first)
    men = [m for m in people if m.gender.value == "M"][:3]
    women = [m for m in people if m.gender.value == "F"][:3]
    assert len(men) == 3 and len(women) == 3, unit
    return men, women


@pytest.fixture(scope="module")
def tie(callers, demo_union):
    """A published mixed-team final (MD/WD/XD): the cs team captained by the demo member against a team of the
    附属医院 unit captained by its admin."""
    union_admin = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    hospital = next(m for m in demo_union.members if m.staff_no == callers["other_unit_admin"].staff_no).unit_id
    fields = {"owner_unit_id": SCHOOL_UNIT_ID, "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT}
    event = published_event(union_admin, days=14, hours=4, title_zh="混合团体赛", entry_type=EntryType.TEAM,
                            capacity=8, **fields)  # fmt: skip
    store = get_store()
    squads = {}
    for unit, captain in (("cs", callers["member"].staff_no), (hospital, callers["other_unit_admin"].staff_no)):
        men, women = _six(demo_union, unit, captain)
        roster = [m.staff_no for m in (*men, *women)]
        if captain not in roster:
            roster[0 if any(m.staff_no == captain for m in men) else 3] = captain
        team = team_service.enter_team(store, union_admin, event, unit, f"{unit}队", roster, captain, now())
        squads[unit] = {"team": team, "men": [m.staff_no for m in men], "women": [m.staff_no for m in women]}
    final = [{"stage_id": "final", "kind": "single_elimination", "name_zh": "决赛"}]
    setup = {"match_format": "badminton_mixed_3", "tiebreak": "badminton_team", "stages": final}
    competition_service.configure(store, union_admin, event.event_id, setup, now())
    (match,) = competition_service.draw(store, union_admin, event.event_id, "final", now()).stage_matches("final")
    competition_service.publish(store, union_admin, event.event_id, True, now())
    cs_side = "home" if match.home.entry == squads["cs"]["team"].team_id else "away"
    other_side = "away" if cs_side == "home" else "home"
    return {
        "event": event,
        "match": match,
        "cs": {**squads["cs"], "side": cs_side},
        "other": {**squads[hospital], "side": other_side},
        "page": f"/events/{event.event_id}/competition/lineup/final/{match.match_id}",
        "api": f"/api/events/{event.event_id}/competition/stages/final/matches/{match.match_id}/lineups",
        "score": f"/admin/events/{event.event_id}/competition/stages/final/matches/{match.match_id}",
        "sheets": f"/admin/events/{event.event_id}/competition/score-sheets?stage=final",
    }


def _good(squad):
    men, women = squad["men"], squad["women"]
    return {"MD": [men[0], men[1]], "WD": [women[0], women[1]], "XD": [men[2], women[0]]}


def _fields(squad, lineup, version=""):
    fields = {"side": squad["side"], "version": version}
    for code, players in lineup.items():
        for slot, staff_no in enumerate(players):
            fields[f"p_{code}_{slot}"] = staff_no
    return fields


def _put(client, caller, path, body, language="zh"):
    headers = caller.headers(**{"Content-Type": "application/json", "Accept-Language": language})
    return client.http.request("PUT", path, headers=headers, body=json.dumps(body).encode())


def _text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.body.decode()))


def _names(demo_union, staff_nos):
    by_no = {m.staff_no: m.name for m in demo_union.members}
    return [by_no[s] for s in staff_nos]


def test_a_bad_line_up_marks_its_fields_in_chinese_and_english(client, callers, demo_union, tie):
    cs = tie["cs"]
    bad = _good(cs)
    bad["MD"] = [cs["men"][0], tie["other"]["men"][0]]  # not on the cs roster
    bad["XD"] = [cs["women"][1], cs["women"][2]]  # two women
    page = post_form(client, tie["page"], callers["member"], _fields(cs, bad))
    assert page.status_code == 400
    html = page.body.decode()
    assert 'id="e-MD"' in html and 'id="e-XD"' in html and 'id="e-WD"' not in html
    assert re.search(r'id="f-p_MD_0"[^>]*aria-invalid="true"', html)
    assert "不在本队名单上" in _text(page) and "混双须为一男一女" in _text(page)
    english = post_form(client, tie["page"] + "?lang=en", callers["member"], _fields(cs, bad))
    assert english.status_code == 400
    assert "is not on the team's roster" in _text(english) and "one man and one woman" in _text(english)
    # The API names each problem's position.
    answer = _put(client, callers["member"], f"{tie['api']}/{cs['side']}", {"players": bad}, "en")
    assert answer.status_code == 400
    details = {d["field"]: d["problem"] for d in answer.json_body["error"]["details"]}
    assert details == {"players.MD": "lineup.not_rostered", "players.XD": "lineup.gender_mixed"}
    # Unknown fields are refused at the edge.
    extra = _put(client, callers["member"], f"{tie['api']}/{cs['side']}", {"players": _good(cs), "team": "x"})
    assert extra.status_code == 400


def test_a_unit_admin_of_another_unit_cannot_give_the_cs_line_up(client, callers, tie):
    cs = tie["cs"]
    refused = _put(client, callers["other_unit_admin"], f"{tie['api']}/{cs['side']}", {"players": _good(cs)})
    assert refused.status_code == 403
    page = post_form(client, tie["page"], callers["other_unit_admin"], _fields(cs, _good(cs)))
    assert page.status_code == 403


def test_hidden_from_the_other_captain_until_both_are_in_then_on_the_score_form_and_sheet(
    client, callers, demo_union, tie
):
    cs, other = tie["cs"], tie["other"]
    # The captain finds the form from the team's fixtures (the team page links them), the organiser from the
    # competition page (how many line-ups are in).
    fixtures = get_page(client, f"/events/{tie['event'].event_id}/competition/entries/{cs['team'].team_id}")
    assert f'href="{tie["page"]}"' in fixtures.body.decode()
    manage = get_page(client, f"/admin/events/{tie['event'].event_id}/competition", callers["union_admin"])
    assert f'href="{tie["page"]}"' in manage.body.decode() and "出场名单 0/2" in _text(manage)
    form = get_page(client, tie["page"], callers["member"])
    assert form.status_code == 200
    html = form.body.decode()
    # The captain's form: selects of the roster filtered by each rubber's gender, the rules and the deadline.
    md = re.search(r'<select id="f-p_MD_0".*?</select>', html, re.S).group(0)
    assert cs["men"][0] in md and cs["women"][0] not in md
    assert "每名队员每场团体赛最多出场 2 项" in _text(form) and "比分录入前均可提交或修改" in _text(form)
    saved = post_form(client, tie["page"], callers["member"], _fields(cs, _good(cs)))
    assert saved.status_code == 303 and "done=lineup" in saved.headers["Location"]
    assert "出场名单已保存" in _text(get_page(client, saved.headers["Location"], callers["member"]))
    md_names = _names(demo_union, _good(cs)["MD"])
    # The other captain sees that it is in, not who plays.
    seen = get_page(client, tie["page"], callers["other_unit_admin"])
    assert "已提交（双方提交后公开）" in _text(seen) and md_names[0] not in _text(seen)
    api = client.http.get(tie["api"], headers=callers["other_unit_admin"].headers())
    cs_out = next(s for s in api.json_body["sides"] if s["side"] == cs["side"])
    assert cs_out["submitted"] and not cs_out["shown"] and cs_out["players"] == {} and cs_out["rubbers"] == []
    # The referee's form (the organiser here) shows the names at once; the other side is missing.
    score = get_page(client, tie["score"], callers["union_admin"])
    assert " / ".join(md_names) in _text(score) and "未提交" in _text(score)
    # The other captain gives theirs through the API; now both see both.
    given = _put(client, callers["other_unit_admin"], f"{tie['api']}/{other['side']}", {"players": _good(other)})
    assert given.status_code == 200, given.body
    both = client.http.get(tie["api"], headers=callers["other_unit_admin"].headers()).json_body
    cs_out = next(s for s in both["sides"] if s["side"] == cs["side"])
    assert cs_out["shown"] and cs_out["players"]["MD"] == _good(cs)["MD"]
    assert [p["name"] for p in cs_out["rubbers"][0]["players"]] == md_names
    assert "/ ".join(md_names[:1]) in _text(get_page(client, tie["page"], callers["other_unit_admin"]))
    # The public sees both once both are in.
    public = client.http.get(tie["api"]).json_body
    assert all(side["shown"] for side in public["sides"])
    # The score sheet prints each rubber's players.
    sheet = get_page(client, tie["sheets"], callers["union_admin"])
    assert sheet.status_code == 200
    other_wd = " / ".join(_names(demo_union, _good(other)["WD"]))
    assert " / ".join(md_names) in _text(sheet) and other_wd in _text(sheet)
    # A stale version is refused with a message, the line-up unchanged.
    stale = _put(client, callers["member"], f"{tie['api']}/{cs['side']}", {"players": _good(cs), "version": 7})
    assert stale.status_code == 409 and stale.json_body["error"]["code"] == "lineup_changed_meanwhile"


def test_the_set_up_form_and_the_api_take_the_line_up_settings(client, callers):
    union_admin = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    fields = {"owner_unit_id": SCHOOL_UNIT_ID, "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT}
    event = published_event(union_admin, days=20, title_zh="团体赛设置", entry_type=EntryType.TEAM, capacity=8,
                            **fields)  # fmt: skip
    page = f"/admin/events/{event.event_id}/competition"
    form = get_page(client, page, callers["union_admin"])
    assert 'id="lineup-settings"' in form.body.decode()
    assert re.search(r'name="lu_deadline"[^>]*value="30"', form.body.decode())
    setup = {"action": "setup", "template": "single_elimination", "match_format": "badminton_5",
             "tiebreak": "badminton_team", "lu_form": "1", "lu_required": "1", "lu_deadline": "45", "lu_max": "",
             "lu_one_singles": "1"}  # fmt: skip
    assert post_form(client, page, callers["union_admin"], setup).status_code == 303
    stored = competition_service.view(get_store(), union_admin, event.event_id).competition.lineups
    assert stored is not None and (stored.required, stored.deadline_minutes, stored.max_rubbers) == (True, 45, None)
    assert re.search(r'name="lu_deadline"[^>]*value="45"', get_page(client, page, callers["union_admin"]).body.decode())
    bad = post_form(client, page, callers["union_admin"], {**setup, "lu_max": "9"})
    assert bad.status_code == 400 and 'id="e-lu_max"' in bad.body.decode()
    # The API: the settings in and out; an unknown setting refused.
    body = {"match_format": "badminton_3", "tiebreak": "badminton_team",
            "stages": [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛"}],
            "lineups": {"deadline_minutes": 60, "max_rubbers": 2, "one_singles": False}}  # fmt: skip
    api = f"/api/events/{event.event_id}/competition"
    answer = _put(client, callers["union_admin"], api, body)
    assert answer.status_code == 200, answer.body
    assert answer.json_body["lineups"] == {"required": False, "deadline_minutes": 60, "max_rubbers": 2,
                                           "one_singles": False}  # fmt: skip
    wrong = _put(client, callers["union_admin"], api, {**body, "lineups": {"deadline": 5}})
    assert wrong.status_code == 400
