"""A wrong score inside a team tie points at its rubber and game (issue 18 item 6): the API's error names them in
its details and its message, in Chinese and English, and the score form marks exactly those inputs and keeps what
was typed. A five-rubber badminton tie (every rubber played: men's and women's singles, then the doubles)."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.model import MatchStatus
from chalicelib.domain.records import SCHOOL_UNIT_ID, EntryType, EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.services import teams as team_service
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import post_form

WIN = {"games": [[21, 15], [21, 18]]}
# Rubber 2 (women's singles) has a third game of 21–20: not over (two clear points are needed).
UNFINISHED = {"rubbers": [WIN, {"games": [[21, 15], [15, 21], [21, 20]]}, WIN, WIN, WIN]}


@pytest.fixture(scope="module")
def tie(callers, demo_union):
    """A drawn five-rubber badminton team final between two units' teams, and the path of its one match."""
    union_admin = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    taken = {caller.staff_no for caller in callers.values()}
    spare = {
        unit: next(m for m in demo_union.members if m.unit_id == unit and m.status is MemberStatus.ACTIVE
                   and m.staff_no not in taken)
        for unit in ("mech", "ee")
    }  # fmt: skip
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT, "capacity": 8}
    event = published_event(union_admin, days=14, hours=4, title_zh="五场制团体赛", entry_type=EntryType.TEAM, **fields)
    store = get_store()
    for unit, member in spare.items():
        team_service.enter_team(store, union_admin, event, unit, f"{unit}队", [member.staff_no], None, now())
    final = [{"stage_id": "final", "kind": "single_elimination", "name_zh": "决赛"}]
    setup = {"match_format": "badminton_5", "tiebreak": "badminton_team", "stages": final}
    competition_service.configure(store, union_admin, event.event_id, setup, now())
    (match,) = competition_service.draw(store, union_admin, event.event_id, "final", now()).stage_matches("final")
    tail = f"/competition/stages/final/matches/{match.match_id}"
    return {"event": event, "organiser": union_admin, "tail": tail}


def _put(client, caller, path, body, language):
    headers = caller.headers(**{"Content-Type": "application/json", "Accept-Language": language})
    return client.http.request("PUT", "/api" + path, headers=headers, body=json.dumps(body).encode())


def _still_ready(tie) -> bool:
    state = competition_service.managed(get_store(), tie["organiser"], tie["event"].event_id)[1]
    return next(m for m in state.stage_matches("final")).status == MatchStatus.READY


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh", "第2场（女单）第3局比分有误（21:20）：这一局还没有结束（须领先 2 分达到目标分）"),
        ("en", "Rubber 2 (Women's singles), game 3 (21:20): This game is not finished"),
    ],
)
def test_the_api_names_the_rubber_and_game_of_a_wrong_score(client, callers, tie, language, message):
    path = f"/events/{tie['event'].event_id}{tie['tail']}/result"
    refused = _put(client, callers["unit_admin"], path, UNFINISHED, language)
    assert refused.status_code == 400, refused.body
    error = refused.json_body["error"]
    assert error["code"] == "validation_failed"
    (problem,) = error["details"]
    assert problem["message"].startswith(message)
    assert {key: problem[key] for key in ("field", "problem", "rubber", "rubber_number", "game", "score")} == {
        "field": "result.rubbers.1.games.2",
        "problem": "game_not_finished",
        "rubber": "WS",
        "rubber_number": 2,
        "game": 3,
        "score": "21:20",
    }
    assert problem["rubber_name"] == {"zh": "女单", "en": "Women's singles"}[language]
    # A rubber played after ... nothing: a rubber's own problem without a game names the rubber alone.
    bad = {"rubbers": [WIN, {"outcome": "walkover"}, WIN, WIN, WIN]}
    (outcome,) = _put(client, callers["unit_admin"], path, bad, language).json_body["error"]["details"]
    assert (outcome["rubber"], outcome["rubber_number"], outcome["problem"]) == ("WS", 2, "no_winner")
    assert "game" not in outcome and outcome["message"].startswith(
        {"zh": "第2场（女单）：", "en": "Rubber 2 ("}[language]
    )
    assert _still_ready(tie)  # nothing was recorded


def test_other_validation_problems_carry_no_place(client, callers, tie):
    path = f"/events/{tie['event'].event_id}{tie['tail']}/result"
    (problem,) = _put(client, callers["unit_admin"], path, {"rubbers": [WIN]}, "en").json_body["error"]["details"]
    assert problem == {"field": "result", "problem": "rubber_count", "message": "Wrong number of rubbers for this tie"}


def _typed(rubber_two_third_game: tuple[str, str]) -> dict:
    fields: dict = {"outcome": "played"}
    for index in range(5):
        games = [("21", "15"), ("21", "18"), ("", "")]
        if index == 1:
            games = [("21", "15"), ("15", "21"), rubber_two_third_game]
        fields[f"r{index}_outcome"] = "played"
        fields[f"r{index}_home"] = [home for home, _away in games]
        fields[f"r{index}_away"] = [away for _home, away in games]
    return fields


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "第2场（女单）第3局比分有误（21:20）："), ("?lang=en", "Rubber 2 (Women&#39;s singles), game 3 (21:20): ")],
)
def test_the_score_form_marks_the_rubber_and_game_and_keeps_what_was_typed(client, callers, tie, query, message):
    path = f"/admin/events/{tie['event'].event_id}{tie['tail']}{query}"
    shown = post_form(client, path, callers["unit_admin"], _typed(("21", "20")))
    assert shown.status_code == 400
    html = shown.body.decode()
    marked = re.findall(r'<input name="(r\d_(?:home|away))" value="([^"]*)"[^>]*aria-invalid="true"[^>]*>', html)
    assert marked == [("r1_home", "21"), ("r1_away", "20")]  # exactly rubber 2's third game, as typed
    assert html.count('aria-invalid="true"') == 2
    assert 'aria-describedby="e-r1_game_3"' in html
    error = re.search(r'id="e-r1_game_3"[^>]*>([^<]*)<', html)
    assert error is not None and error.group(1).startswith(message)
    assert unescape(html).count('value="15"') >= 6  # every other game typed is still there
    # The notice at the top says the same and leads to it (on a phone the game is screens below).
    notice = html[html.index('id="score-problems"') : html.index("</div>", html.index('id="score-problems"'))]
    assert re.search(r'<a href="#e-r1_game_3">' + re.escape(message), notice)
    assert _still_ready(tie)


def test_every_wrong_rubber_is_named_and_marked_at_once(client, callers, tie):
    two_wrong = {"rubbers": [WIN, UNFINISHED["rubbers"][1], WIN, {"games": [[22, 19], [21, 15]]}, WIN]}
    path = f"/events/{tie['event'].event_id}{tie['tail']}/result"
    details = _put(client, callers["unit_admin"], path, two_wrong, "zh").json_body["error"]["details"]
    assert [(d["field"], d["rubber"], d["game"], d["problem"]) for d in details] == [
        ("result.rubbers.1.games.2", "WS", 3, "game_not_finished"),
        ("result.rubbers.3.games.0", "WD", 1, "overshoot"),
    ]
    assert details[1]["message"].startswith("第4场（女双）第1局比分有误（22:19）：")
    fields = _typed(("21", "20"))
    fields["r3_home"], fields["r3_away"] = ["22", "21", ""], ["19", "15", ""]
    html = post_form(client, f"/admin/events/{tie['event'].event_id}{tie['tail']}", callers["unit_admin"], fields)
    marked = re.findall(
        r'<input name="(r\d_(?:home|away))" value="([^"]*)"[^>]*aria-invalid="true"', html.body.decode()
    )
    assert marked == [("r1_home", "21"), ("r1_away", "20"), ("r3_home", "22"), ("r3_away", "19")]
    assert _still_ready(tie)
