"""A format per stage through the API and the set-up form (issue 18 item 5): a five-rubber badminton cup that plays
every rubber in the groups and stops at three wins in the knockout."""

from __future__ import annotations

from html import unescape

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import EntryType, EventFormat, EventKind, TeamRule
from chalicelib.services import competition as competition_service
from chalicelib.services import teams as team_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.test_competition_api import LOSS, WIN, _call, _event, _organiser, _problem, _spare, _stage

THREE_NIL = {"rubbers": [WIN, WIN, WIN, None, None]}
ALL_FIVE = {"rubbers": [WIN, WIN, WIN, LOSS, LOSS]}
CUP = [
    {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 1, "qualifiers": 2},
    {"stage_id": "ko", "kind": "single_elimination", "name_zh": "淘汰赛", "stop_when_decided": True},
]


def _team_cup(demo_union, callers, title: str) -> str:
    """A team event of four units' teams, one player each (each unit's last spare member)."""
    event_id = _event(callers, title, EventKind.SPORTS, EventFormat.TOURNAMENT, [],
                      entry_type=EntryType.TEAM, team_rule=TeamRule(min_size=1, max_size=3))  # fmt: skip
    store, organiser = get_store(), _organiser(callers)
    event = store.events.get(event_id)
    assert event is not None
    for unit in ("cs", "mech", "ee", "math"):
        player = _spare(demo_union, callers, unit)[-1]
        team_service.enter_team(store, organiser, event, unit, f"{unit} 队", [player.staff_no], None, now())
    return event_id


@pytest.fixture(scope="module")
def cup(demo_union, callers) -> str:
    return _team_cup(demo_union, callers, "羽毛球团体赛（五场制）")


def test_five_rubbers_in_the_groups_and_a_three_nil_knockout_tie(client, callers, cup):
    admin = callers["unit_admin"]
    base = f"/events/{cup}/competition"
    setup = {"match_format": "badminton_5", "tiebreak": "badminton_team", "stages": CUP}
    # A stage's format is validated: a known code, of the competition's kind (a tie stays a tie), on a match stage.
    other_kind = _call(
        client, admin, "PUT", base, {**setup, "stages": [CUP[0], {**CUP[1], "match_format": "badminton"}]}
    )
    assert (other_kind.status_code, _problem(other_kind)) == (400, "stage_format_kind")
    assert other_kind.json_body["error"]["details"][0]["field"].startswith("stages")
    unknown = _call(client, admin, "PUT", base, {**setup, "stages": [CUP[0], {**CUP[1], "final_format": "croquet"}]})
    assert (unknown.status_code, _problem(unknown)) == (400, "unknown_match_format")
    groups_final = _call(
        client, admin, "PUT", base, {**setup, "stages": [{**CUP[0], "final_format": "badminton_3"}, CUP[1]]}
    )
    assert groups_final.status_code == 400
    configured = _call(client, admin, "PUT", base, setup)
    assert configured.status_code == 200, configured.body
    assert _stage(configured.json_body, "ko")["stop_when_decided"] is True
    assert _stage(configured.json_body, "groups")["stop_when_decided"] is None

    groups = _stage(_call(client, admin, "POST", base + "/stages/groups/draw").json_body, "groups")
    assert len(groups["matches"]) == 6
    first = f"{base}/stages/groups/matches/{groups['matches'][0]['match_id']}/result"
    stopped = _call(client, admin, "PUT", first, THREE_NIL)
    assert (stopped.status_code, _problem(stopped)) == (400, "not_decided")  # the groups play all five
    for match in groups["matches"]:
        played = _call(client, admin, "PUT", f"{base}/stages/groups/matches/{match['match_id']}/result", ALL_FIVE)
        assert played.status_code == 200, played.body
        assert (played.json_body["result"]["home"], played.json_body["result"]["away"]) == (3, 2)
    closed = _call(client, admin, "POST", base + "/stages/groups/close")
    assert closed.status_code == 200, closed.body
    knockout, groups_out = _stage(closed.json_body, "ko"), _stage(closed.json_body, "groups")
    assert (knockout["match_format"], knockout["stop_when_decided"], knockout["final_format"]) == (
        "badminton_5",
        True,
        None,
    )
    assert (groups_out["match_format"], groups_out["stop_when_decided"]) == ("badminton_5", False)
    (final,) = knockout["matches"]
    # The score form says the tie's rule: all five in the groups, the first to three in the knockout.
    pages = f"/admin/events/{cup}/competition/stages"
    group_page = unescape(
        get_page(client, f"{pages}/groups/matches/{groups['matches'][0]['match_id']}", admin).body.decode()
    )
    assert "全部 5 场均须进行" in group_page
    final_page = unescape(get_page(client, f"{pages}/ko/matches/{final['match_id']}", admin).body.decode())
    assert "先胜 3 场者获胜" in final_page
    result = f"{base}/stages/ko/matches/{final['match_id']}/result"
    played_on = _call(client, admin, "PUT", result, ALL_FIVE)
    assert (played_on.status_code, _problem(played_on)) == (400, "played_after_decided")
    decided = _call(client, admin, "PUT", result, THREE_NIL)
    assert decided.status_code == 200, decided.body
    tie = decided.json_body["result"]
    assert (tie["home"], tie["away"], len(tie["rubbers"])) == (3, 0, 3)
    assert decided.json_body["winner"] == final["home"]["entry_id"]


def test_the_set_up_form_gives_the_knockout_its_own_format(client, callers, demo_union):
    admin = callers["union_admin"]
    event_id = _team_cup(demo_union, callers, "羽毛球团体赛（表单）")
    path = f"/admin/events/{event_id}/competition"
    page = unescape(get_page(client, path, admin).body.decode())
    assert "淘汰赛赛制" in page and 'name="ko_stop"' in page and 'name="ko_final_format"' in page
    groups = {"gk_groups": "1", "gk_qualifiers": "2", "gk_legs": "1"}
    setup = {"action": "setup", "template": "groups_knockout", "match_format": "badminton_5",
             "tiebreak": "badminton_team", **groups, "ko_stop": "1"}  # fmt: skip
    other_kind = post_form(client, path, admin, {**setup, "ko_final_format": "badminton"})
    assert other_kind.status_code == 400
    assert "本阶段的赛制须与比赛的赛制同类" in unescape(other_kind.body.decode())
    saved = post_form(client, path, admin, setup)
    assert saved.status_code == 303, saved.body
    competition = competition_service.managed(get_store(), _organiser(callers), event_id)[1].competition
    groups, knockout = competition.stages
    assert (groups.stop_when_decided, knockout.stop_when_decided, knockout.match_format) == (None, True, None)
    again = unescape(get_page(client, path, admin).body.decode())
    assert '<option value="1" selected>' in again  # the form shows the stored choice
