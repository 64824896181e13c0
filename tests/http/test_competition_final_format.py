"""A best-of-three knockout with a best-of-five final, through the API and the score page (issue 18 item 5): each
match in the API answer names the format it is scored in (MatchOut.match_format), the final's score form has five
game rows, a 2–1 final is refused with the game marked, a 3–2 final is recorded."""

from __future__ import annotations

import re
from html import unescape

import pytest

from chalicelib.domain.records import EventFormat, EventKind
from tests.http.browsing import get_page, post_form
from tests.http.test_competition_api import _call, _event, _spare, _stage

KNOCKOUT = [
    {
        "stage_id": "ko",
        "kind": "single_elimination",
        "name_zh": "淘汰赛",
        "match_format": "table_tennis_bo3",
        "final_format": "table_tennis",
    }
]
TWO_NIL = {"games": [[11, 5], [11, 7]]}


@pytest.fixture(scope="module")
def drawn(client, demo_union, callers) -> dict:
    """A drawn four-player table-tennis knockout (best of three) whose final is best of five; semi-finals played."""
    players = [*_spare(demo_union, callers, "mech")[-2:], *_spare(demo_union, callers, "ee")[-2:]]
    event_id = _event(callers, "乒乓球单打（决赛五局三胜）", EventKind.SPORTS, EventFormat.TOURNAMENT, players)
    admin = callers["union_admin"]
    base = f"/events/{event_id}/competition"
    configured = _call(client, admin, "PUT", base, {"match_format": "table_tennis", "stages": KNOCKOUT})
    assert configured.status_code == 200, configured.body
    ko = _stage(_call(client, admin, "POST", base + "/stages/ko/draw").json_body, "ko")
    return {"event_id": event_id, "base": base, "matches": ko["matches"]}


def test_each_match_names_its_own_format_in_the_api(client, callers, drawn):
    formats = {(m["round_key"], m["match_format"]) for m in drawn["matches"]}
    assert formats == {("semi_final", "table_tennis_bo3"), ("final", "table_tennis")}


def test_a_best_of_five_final_through_the_score_page_and_the_api(client, callers, drawn):
    admin = callers["union_admin"]
    base = drawn["base"]
    semis = [m for m in drawn["matches"] if m["round_key"] == "semi_final"]
    for semi in semis:  # best of three: 2–0 ends a semi-final
        played = _call(client, admin, "PUT", f"{base}/stages/ko/matches/{semi['match_id']}/result", TWO_NIL)
        assert played.status_code == 200, played.body
        assert played.json_body["match_format"] == "table_tennis_bo3"
    (final,) = [m for m in drawn["matches"] if m["round_key"] == "final"]
    api = f"{base}/stages/ko/matches/{final['match_id']}/result"
    too_short = _call(client, admin, "PUT", api, {"games": [[11, 5], [5, 11], [11, 7]]})
    assert too_short.status_code == 400, too_short.body
    (problem,) = too_short.json_body["error"]["details"]
    assert (problem["problem"], problem["field"], problem["game"]) == ("not_decided", "result.games.3", 4)

    page = f"/admin/events/{drawn['event_id']}/competition/stages/ko/matches/{final['match_id']}"
    form = get_page(client, page, admin).body.decode()
    assert form.count('name="home"') == 5 and form.count('name="away"') == 5  # five game rows
    two_one = {"outcome": "played", "home": ["11", "5", "11", "", ""], "away": ["5", "11", "7", "", ""]}
    refused = post_form(client, page, admin, two_one)
    assert refused.status_code == 400
    html = unescape(refused.body.decode())
    # The first game still wanted is marked: game 4 (scoring.match_result names it), with why.
    marked = re.findall(
        r'<input name="(home|away)" value="" [^>]*aria-invalid="true" aria-describedby="e-game_4"', html
    )
    assert marked == ["home", "away"] and html.count('aria-invalid="true"') == 2
    assert re.search(r'id="e-game_4">比分还没有分出胜负<', html)
    assert re.search(r'name="home" value="11"', html)  # what was typed is kept

    three_two = {"outcome": "played", "home": ["11", "5", "11", "9", "11"], "away": ["5", "11", "7", "11", "8"]}
    recorded = post_form(client, page, admin, three_two)
    assert recorded.status_code == 303, recorded.body
    view = _call(client, admin, "GET", base).json_body
    (done,) = [m for m in _stage(view, "ko")["matches"] if m["match_id"] == final["match_id"]]
    assert (done["result"]["home"], done["result"]["away"], done["match_format"]) == (3, 2, "table_tennis")
    assert done["winner"] == done["home"]["entry_id"] is not None
