"""Fair-play points shown where a table is (issue 18 item 7): a football round robin under FIFA's order whose every
match ends 0–0, so the cards alone separate the teams: the API's standings carry ``fair_play``, the public table a
公平竞赛分 column, the workbook's 名次 sheet the same column with the numbers; a table whose rules do not use them
and that has no cards shows none."""

from __future__ import annotations

import io
from html import unescape

import pytest
from openpyxl import load_workbook

from chalicelib.domain.competition.standings import PRESETS, Standing, shows_fair_play
from tests.http.browsing import get_page
from tests.http.test_competition_api import _call, _stage
from tests.http.test_competition_export_pages import _get
from tests.http.test_competition_stage_formats import _team_cup

LEAGUE = [{"stage_id": "league", "kind": "round_robin", "name_zh": "循环赛"}]
CARDS = {"home": {"yellow": 2}, "away": {"direct_red": 1}}  # −2 and −4


@pytest.fixture(scope="module")
def league(client, demo_union, callers) -> dict:
    event_id = _team_cup(demo_union, callers, "足球联赛（公平竞赛）")
    admin = callers["union_admin"]
    base = f"/events/{event_id}/competition"
    setup = {"match_format": "football", "tiebreak": "football_fifa", "stages": LEAGUE}
    assert _call(client, admin, "PUT", base, setup).status_code == 200
    matches = _stage(_call(client, admin, "POST", base + "/stages/league/draw").json_body, "league")["matches"]
    first, *others = matches
    for match in others:
        played = _call(
            client, admin, "PUT", f"{base}/stages/league/matches/{match['match_id']}/result", {"score": [0, 0]}
        )
        assert played.status_code == 200, played.body
    carded = _call(
        client,
        admin,
        "PUT",
        f"{base}/stages/league/matches/{first['match_id']}/result",
        {"score": [0, 0], "cards": CARDS},
    )
    assert carded.status_code == 200, carded.body
    assert _call(client, admin, "POST", base + "/publish", {"published": True}).status_code == 200
    return {
        "event_id": event_id,
        "base": base,
        "home": first["home"]["name"],
        "away": first["away"]["name"],
        "view": _call(client, admin, "GET", base).json_body,
    }


def test_the_api_standings_carry_fair_play_and_it_decides(league):
    (table,) = _stage(league["view"], "league")["tables"]
    rows = [(row["name"], row["match_points"], row["fair_play"]) for row in table["rows"]]
    assert [points for _name, points, _fair in rows] == [3, 3, 3, 3]  # three draws each
    assert [fair for _name, _points, fair in rows] == [0, 0, -2, -4]
    assert (rows[2][0], rows[3][0]) == (league["home"], league["away"])
    # Level on everything FIFA counts before: the cards put the −2 team above the −4 one (and below the others).
    assert [row["reason"]["rule"] for row in table["rows"][1:3]] == ["fair_play", "fair_play"]


@pytest.mark.parametrize(("query", "header"), [("", "公平竞赛分"), ("?lang=en", "Fair play")])
def test_the_public_table_has_a_fair_play_column(client, callers, league, query, header):
    html = unescape(
        get_page(client, f"/events/{league['event_id']}/competition{query}", callers["member"]).body.decode()
    )
    table = html[html.index('class="data standings"') : html.index("</table>", html.index('class="data standings"'))]
    assert f">{header}</th>" in table
    cells = [row.rsplit('<td class="num">', 1)[-1].split("<", 1)[0] for row in table.split("</tr>")[1:-1]]
    assert cells == ["0", "0", "-2", "-4"]  # the last column of each row, in rank order


def test_the_workbook_standings_sheet_has_the_column(client, callers, league):
    response = _get(client, f"/admin/events/{league['event_id']}/competition/export.xlsx", callers["union_admin"])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.body))["名次"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if "公平竞赛分" in row)
    column = header.index("公平竞赛分")
    by_name = {row[1]: row[column] for row in rows[rows.index(header) + 1 :] if row and isinstance(row[0], int)}
    assert by_name[league["home"]] == -2 and by_name[league["away"]] == -4
    assert sorted(by_name.values()) == [-4, -2, 0, 0]


def _row(fair_play: int) -> Standing:
    return Standing("e", 1, 1, 1, 0, 0, 0, 3, 0, 0, 2, 0, 42, 30, fair_play, None)


def test_a_table_shows_fair_play_when_its_rules_use_it_or_a_card_was_entered():
    assert shows_fair_play(PRESETS["football_fifa"], [_row(0)])
    assert not shows_fair_play(PRESETS["badminton"], [_row(0), _row(0)])
    assert shows_fair_play(PRESETS["badminton"], [_row(0), _row(-1)])
