"""The competition workbook and the printable score sheets through the test client: who may open them, and what
they hold for a knockout partly played, a team tie format and a judged contest. Competitions are set up through the
services, each test module's own events."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from chalicelib.domain.calendar import now
from chalicelib.domain.competition.model import MatchStatus
from chalicelib.domain.records import EventFormat, EventKind, MemberStatus
from chalicelib.http.media import XLSX_TYPE
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_officials
from chalicelib.storage import get_store
from chalicelib.web.assets import asset_url
from tests.factories import published_event, register_all

HOST = "union.example.edu.cn"


def _header(response, name):
    return {key.lower(): value for key, value in response.headers.items()}.get(name.lower())


def _get(client, path, caller=None):
    headers = {"Host": HOST, "Accept": "*/*"}
    if caller is not None and caller.token:
        headers["Cookie"] = f"session={caller.token}"
    return client.http.get(path, headers=headers)


def _unit_name(unit_id):
    return get_store().units.get(unit_id).name_zh


def _sheet_rows(workbook, title):
    return [tuple(cell for cell in row if cell is not None) for row in workbook[title].iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def players(demo_union, callers):
    """Active members of two units who are none of the callers."""
    taken = {caller.staff_no for caller in callers.values()}
    found = [m for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken]
    return [m for m in found if m.unit_id == "cs"][:3] + [m for m in found if m.unit_id == "math"][:3]


def _event(organiser, members, event_format, title):
    kind = EventKind.SPORTS if event_format is EventFormat.TOURNAMENT else EventKind.SKILLS
    fields = {"owner_unit_id": "cs", "kind": kind, "format": event_format, "title_zh": title, "capacity": 30}
    event = published_event(organiser, days=10, hours=4, **fields)
    register_all(event.event_id, members)
    return event


@pytest.fixture(scope="module")
def knockout(organiser, players):
    """Six players in a single elimination with two seeds (so two byes); one first-round match played."""
    event = _event(organiser, players, EventFormat.TOURNAMENT, "羽毛球单打赛")
    store = get_store()
    stages = [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛", "name_en": "Knockout"}]
    seeds = {players[0].staff_no: 1, players[3].staff_no: 2}
    setup = {"match_format": "badminton", "tiebreak": "badminton", "stages": stages, "seeds": seeds}
    competition_service.configure(store, organiser, event.event_id, setup, now())
    state = competition_service.draw(store, organiser, event.event_id, "main", now())
    first = next(m for m in state.stage_matches("main") if m.status == MatchStatus.READY)
    games = {"games": [[21, 15], [19, 21], [21, 17]]}
    competition_service.enter_result(store, organiser, event.event_id, "main", first.match_id, games, now())
    return event, competition_service.view(store, organiser, event.event_id), first


# ---- the workbook ---------------------------------------------------------------------------------------------------


def test_organisers_download_the_workbook_with_draw_results_and_standings(client, callers, knockout, players):
    event, state, played = knockout
    response = _get(client, f"/admin/events/{event.event_id}/competition/export.xlsx", callers["unit_admin"])
    assert response.status_code == 200 and _header(response, "Content-Type") == XLSX_TYPE
    assert "attachment" in _header(response, "Content-Disposition")
    assert ".xlsx" in _header(response, "Content-Disposition")
    workbook = load_workbook(io.BytesIO(response.body))
    assert workbook.sheetnames == ["抽签表", "赛程成绩", "名次", "获奖名单"]

    draw = _sheet_rows(workbook, "抽签表")
    run = state.competition.run("main")
    assert ("抽签种子", run.seed, "抽签时间", draw[1][3], "抽签人", draw[1][5], "重新抽签次数", 0) == draw[1]
    assert callers["unit_admin"].staff_no in draw[1][5]
    # An 8-position draw of six: the two byes face the two seeds, seed 1 at the top and seed 2 at the bottom.
    positions = {row[0]: row for row in draw[3:11]}
    assert positions[1][1:4] == (players[0].name, _unit_name("cs"), 1)
    assert positions[2][1] == "轮空" and positions[7][1] == "轮空"
    assert positions[8][1:4] == (players[3].name, _unit_name("math"), 2)

    matches = _sheet_rows(workbook, "赛程成绩")
    assert matches[0][:8] == ("阶段", "组别/赛区", "轮次", "场次", "主方", "主方单位", "客方", "客方单位")
    names = state.entry_names()
    row = next(r for r in matches if r[3] == played.match_id)
    assert row[4] == names[played.home.entry] and row[6] == names[played.away.entry]
    assert "2-1" in row and "21-15 19-21 21-17" in row and "已赛" in row
    assert row[row.index("21-15 19-21 21-17") + 1] == names[played.home.entry]  # the winner
    assert any(r[2] == "决赛" and "待定" in r for r in matches)

    awards = _sheet_rows(workbook, "获奖名单")
    assert awards[1] == ("淘汰赛", "本阶段尚未结束")


def test_the_workbook_follows_the_request_language(client, callers, knockout):
    event, _state, _played = knockout
    path = f"/admin/events/{event.event_id}/competition/export.xlsx?lang=en"
    workbook = load_workbook(io.BytesIO(_get(client, path, callers["unit_admin"]).body))
    assert workbook.sheetnames == ["Draw", "Matches", "Standings", "Awards"]
    assert _sheet_rows(workbook, "Matches")[0][:5] == ("Stage", "Group / bracket", "Round", "Match", "Home")
    assert _sheet_rows(workbook, "Draw")[0] == ("Knockout (Single elimination)",)


def test_only_the_events_organisers_may_download_the_workbook(client, callers, knockout, organiser):
    event, _state, _played = knockout
    path = f"/admin/events/{event.event_id}/competition/export.xlsx"
    competition_officials.name_official(get_store(), organiser, event.event_id, callers["member"].staff_no, "referee",
                                      now())  # fmt: skip
    anonymous = _get(client, path)
    assert anonymous.status_code == 303 and _header(anonymous, "Location").startswith("/signin")
    for who in ("other_unit_admin", "member"):
        refused = _get(client, path, callers[who])
        assert refused.status_code == 403 and "text/html" in _header(refused, "Content-Type")
    assert _get(client, path, callers["union_admin"]).status_code == 200


# ---- score sheets ---------------------------------------------------------------------------------------------------


def _sheets(html, kind="match"):
    return html.split(f'<article class="sheet {kind}">')[1:]


def test_score_sheets_cover_the_matches_still_to_play_with_a_grid_per_game(client, callers, knockout):
    event, state, played = knockout
    path = f"/admin/events/{event.event_id}/competition/score-sheets?stage=main"
    response = _get(client, path, callers["unit_admin"])
    assert response.status_code == 200
    html = response.body.decode()
    to_play = [m for m in state.stage_matches("main") if m.status in (MatchStatus.READY, MatchStatus.WAITING)]
    sheets = _sheets(html)
    assert len(sheets) == len(to_play) == 4  # one first-round match left, two semi-finals, the final
    assert f"<b>{played.match_id}</b>" not in html  # played already
    assert html.count('<section class="page">') == 2  # two sheets a page
    names = state.entry_names()
    ready = next(m for m in to_play if m.status == MatchStatus.READY and m.round == 1)
    sheet = next(s for s in sheets if f"<b>{ready.match_id}</b>" in s)
    units = state.entry_units()
    for entry in (ready.home.entry, ready.away.entry):
        assert names[entry] in sheet and _unit_name(units[entry]) in sheet
    # Best of three games to 21, capped at 30: a 30-box tally for each game, and signatures.
    assert sheet.count("<th>30</th>") == 3 and "第3局" in sheet and "第4局" not in sheet
    assert "裁判员签名" in sheet and "主方签名" in sheet and "客方签名" in sheet
    styles = client.http.get(asset_url("score_sheets.css")).body.decode()
    assert asset_url("score_sheets.css") in html and "@page{size:A4 portrait" in styles and "break-after:page" in styles
    final = next(s for s in sheets if "<b>W3-1</b>" in s)
    assert "W2-1 胜者" in final and "W2-2 胜者" in final and "决赛" in final


def test_score_sheets_of_one_round(client, callers, knockout):
    event, _state, _played = knockout
    html = _get(client, f"/admin/events/{event.event_id}/competition/score-sheets?round=2", callers["unit_admin"])
    html = html.body.decode()
    sheets = _sheets(html)
    assert len(sheets) == 2 and all("半决赛" in sheet for sheet in sheets)
    # Links to the other rounds still to play; the chosen one is marked.
    assert "score-sheets?stage=main&amp;round=1" in html and "score-sheets?stage=main&amp;round=3" in html
    assert '<span class="current">第2轮</span>' in html
    bad = _get(client, f"/admin/events/{event.event_id}/competition/score-sheets?round=x", callers["unit_admin"])
    assert bad.status_code == 400
    unknown = _get(client, f"/admin/events/{event.event_id}/competition/score-sheets?stage=nope", callers["unit_admin"])
    assert unknown.status_code == 404


def test_referees_and_organisers_open_score_sheets_and_nobody_else(client, callers, organiser, players):
    event = _event(organiser, players[:4], EventFormat.TOURNAMENT, "记分表权限")
    store = get_store()
    stages = [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛"}]
    competition_service.configure(store, organiser, event.event_id, {"stages": stages}, now())
    competition_service.draw(store, organiser, event.event_id, "main", now())
    path = f"/admin/events/{event.event_id}/competition/score-sheets"
    assert _get(client, path).status_code == 303
    for who in ("member", "other_unit_admin"):
        assert _get(client, path, callers[who]).status_code == 403
    competition_officials.name_official(store, organiser, event.event_id, callers["member"].staff_no, "referee", now())
    page = _get(client, path, callers["member"])
    assert page.status_code == 200
    html = page.body.decode()
    assert len(_sheets(html)) == 3
    assert f"/events/{event.event_id}/referee" in html and "export.xlsx" not in html  # a referee's way back
    competition_officials.remove_official(
        store, organiser, event.event_id, callers["member"].staff_no, "referee", now()
    )
    assert _get(client, path, callers["member"]).status_code == 403
    assert "export.xlsx" in _get(client, path, callers["unit_admin"]).body.decode()


def test_team_tie_sheets_have_a_row_per_rubber_and_the_line_up(client, callers, organiser, players):
    event = _event(organiser, players[:4], EventFormat.TOURNAMENT, "乒乓球团体赛")
    store = get_store()
    stages = [{"stage_id": "groups", "kind": "round_robin", "name_zh": "循环赛"}]
    setup = {"match_format": "table_tennis_swaythling", "tiebreak": "table_tennis", "stages": stages}
    competition_service.configure(store, organiser, event.event_id, setup, now())
    competition_service.draw(store, organiser, event.event_id, "groups", now())
    html = _get(client, f"/admin/events/{event.event_id}/competition/score-sheets", callers["unit_admin"]).body.decode()
    sheets = _sheets(html)
    assert len(sheets) == 6  # four entries, each pair once
    sheet = sheets[0]
    for rubber in ("单打 A–X", "单打 B–Y", "单打 C–Z", "单打 A–Y", "单打 B–X"):
        assert rubber in sheet
    assert "主方出场名单" in sheet and "客方出场名单" in sheet
    assert "第5局" in sheet and "先胜 3 场者获胜" in sheet and "主方签名" in sheet


def test_judges_get_a_marking_sheet_each_with_their_own_entries(client, callers, organiser, players):
    event = _event(organiser, players[:4], EventFormat.CONTEST, "歌手大赛")
    store = get_store()
    singers = [p.staff_no for p in players[:4]]
    judges = [p.staff_no for p in players[4:6]]
    judging = {
        "criteria": [
            {"code": "pitch", "name_zh": "音准", "name_en": "Pitch", "weight": 0.6},
            {"code": "stage", "name_zh": "台风", "name_en": "Presence", "weight": 0.4, "max_mark": 10},
        ],
        "aggregation": "mean",
        "panels": [
            {"panel_id": "p1", "name_zh": "第一组", "judges": [judges[0]], "entries": singers[:2]},
            {"panel_id": "p2", "name_zh": "第二组", "judges": [judges[1]], "entries": singers[2:]},
        ],
    }
    stages = [{"stage_id": "prelim", "kind": "judged", "name_zh": "初赛", "judging": judging}]
    competition_service.configure(store, organiser, event.event_id, {"stages": stages}, now())
    for judge in judges:
        competition_officials.name_official(store, organiser, event.event_id, judge, "judge", now())
    html = _get(client, f"/admin/events/{event.event_id}/competition/score-sheets", callers["unit_admin"]).body.decode()
    sheets = _sheets(html, "full")
    assert len(sheets) == 2
    names = {p.staff_no: p.name for p in players}
    first, second = sheets
    assert names[judges[0]] in first and "第一组" in first
    assert names[singers[0]] in first and names[singers[1]] in first and names[singers[2]] not in first
    assert names[singers[2]] in second and names[singers[3]] in second and names[singers[0]] not in second
    assert "满分 100，权重 60%" in first and "满分 10，权重 40%" in first and "评委签名" in first
    english = _get(client, f"/admin/events/{event.event_id}/competition/score-sheets?lang=en", callers["unit_admin"])
    assert "Pitch" in english.body.decode() and "out of 10, weight 40%" in english.body.decode()


def test_a_meet_gets_a_recording_sheet_per_discipline(client, callers, organiser, players):
    event = _event(organiser, players[:4], EventFormat.MEET, "田径运动会")
    store = get_store()
    ids = [p.staff_no for p in players[:4]]
    meet = {
        "disciplines": [
            {"code": "m100", "name_zh": "男子100米", "measure": "time", "entries": ids[:3]},
            {"code": "shot", "name_zh": "铅球", "measure": "distance", "attempts": 3, "entries": ids[2:]},
        ]
    }
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": meet}]
    competition_service.configure(store, organiser, event.event_id, {"stages": stages}, now())
    html = _get(client, f"/admin/events/{event.event_id}/competition/score-sheets", callers["unit_admin"]).body.decode()
    sprint, shot = _sheets(html, "full")
    names = {p.staff_no: p.name for p in players}
    assert "男子100米" in sprint and "第1次" in sprint and "第2次" not in sprint
    assert [names[i] in sprint for i in ids] == [True, True, True, False]
    assert "铅球" in shot and "第3次" in shot and "最好成绩" in shot and "记录员签名" in shot
    assert [names[i] in shot for i in ids] == [False, False, True, True]
