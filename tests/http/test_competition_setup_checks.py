"""The set-up form's seed count (issue 18 item 7: the BWF's count by default, the organiser's override) and a group
stage asking more qualifiers than its groups hold, refused at the set-up with the field marked, in the API and on
the form, instead of when the groups close (409 qualifier_missing)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.services import competition as competition_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.test_competition_api import _call, _event, _organiser, _spare

GROUPS = {"gk_groups": "2", "gk_qualifiers": "2", "gk_legs": "1"}


@pytest.fixture(scope="module")
def event_id(demo_union, callers) -> str:
    """A singles tournament with six players of three units."""
    players = [member for unit in ("math", "physics", "econ") for member in _spare(demo_union, callers, unit)[-2:]]
    return _event(callers, "羽毛球单打（种子与出线）", EventKind.SPORTS, EventFormat.TOURNAMENT, players)


def _setup(**fields: str) -> dict:
    return {"action": "setup", "match_format": "badminton", "tiebreak": "badminton", **fields}


def _stages(callers, event_id: str):
    state = competition_service.managed(get_store(), _organiser(callers), event_id)[1]
    assert state is not None
    return state.competition.stages


def _marked(html: str, name: str) -> str | None:
    """The error shown under a field, when the field is marked invalid."""
    if not re.search(rf'name="{name}"[^>]*aria-invalid="true"', html):
        return None
    found = re.search(rf'id="e-{name}">([^<]*)<', html)
    return found.group(1) if found else None


def test_the_form_offers_a_seed_count_with_the_bwf_default_as_its_hint(client, callers, event_id):
    path = f"/admin/events/{event_id}/competition"
    page = unescape(get_page(client, path, callers["union_admin"]).body.decode())
    assert 'name="seed_count"' in page
    assert "默认：按 BWF 规则 16 队以下 2 名种子，16–31 队 4 名" in page and "现有 6 个报名：2 名" in page
    english = unescape(get_page(client, path + "?lang=en", callers["union_admin"]).body.decode())
    assert "2 seeds under 16 entries" in english and "6 entries now: 2" in english


def test_a_knockouts_seed_count_is_stored_shown_again_and_bounded(client, callers, event_id):
    path = f"/admin/events/{event_id}/competition"
    admin = callers["union_admin"]
    saved = post_form(client, path, admin, _setup(template="single_elimination", seed_count="4"))
    assert saved.status_code == 303, saved.body
    (knockout,) = _stages(callers, event_id)
    assert knockout.seeds == 4
    again = get_page(client, path, admin).body.decode()
    assert re.search(r'name="seed_count" type="number" value="4"', again)

    too_many = post_form(client, path, admin, _setup(template="single_elimination", seed_count="65"))
    assert too_many.status_code == 400
    assert _marked(unescape(too_many.body.decode()), "seed_count") == "请填写 0–64 之间的整数"
    assert _stages(callers, event_id)[0].seeds == 4  # nothing stored

    blank = post_form(client, path, admin, _setup(template="single_elimination", seed_count=""))
    assert blank.status_code == 303
    assert _stages(callers, event_id)[0].seeds is None  # the BWF's count again

    groups_first = post_form(client, path, admin, _setup(template="groups_knockout", seed_count="0", **GROUPS))
    assert groups_first.status_code == 303, groups_first.body
    groups, knockout = _stages(callers, event_id)
    assert (groups.seeds, knockout.seeds) == (0, None)  # the groups are drawn with seeds, here none


def test_more_qualifiers_than_a_group_holds_is_refused_by_the_api(client, callers, event_id):
    stages = [
        {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 2, "qualifiers": 4},
        {"stage_id": "ko", "kind": "single_elimination", "name_zh": "淘汰赛"},
    ]
    body = {"match_format": "badminton", "tiebreak": "badminton", "stages": stages}
    refused = _call(client, callers["union_admin"], "PUT", f"/events/{event_id}/competition", body)
    assert refused.status_code == 400, refused.body
    (problem,) = refused.json_body["error"]["details"]
    assert (problem["field"], problem["problem"]) == ("stages.0.qualifiers", "qualifiers_exceed_group")
    assert problem["message"] == "每组取前 4 名出线，但 6 队分成 2 组，最小的一组只有 3 队"
    fits = _call(client, callers["union_admin"], "PUT", f"/events/{event_id}/competition",
                 {**body, "stages": [{**stages[0], "qualifiers": 3}, stages[1]]})  # fmt: skip
    assert fits.status_code == 200, fits.body  # all three of each group may go on


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "每组取前 4 名出线，但 6 队分成 2 组，最小的一组只有 3 队"),
        ("?lang=en", "4 qualifiers per group, but 6 entries in 2 groups leave only 3 in the smallest group"),
    ],
)
def test_the_form_marks_the_qualifiers_field(client, callers, event_id, query, message):
    path = f"/admin/events/{event_id}/competition{query}"
    fields = _setup(template="groups_knockout", **{**GROUPS, "gk_qualifiers": "4"})
    refused = post_form(client, path, callers["union_admin"], fields)
    assert refused.status_code == 400
    html = unescape(refused.body.decode())
    assert _marked(html, "gk_qualifiers") == message
    assert re.search(r'name="gk_qualifiers" type="number" value="4"', html)  # as typed
