"""The competition workbook built from hand-made competitions: a team cup played groups then knockout, a singles
knockout with byes still running (in English), a judged contest with awards and an athletics meet with unit totals.
Each workbook is opened with openpyxl and read cell by cell."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition import elimination, groups, scoring
from chalicelib.domain.competition.model import AWAY, HOME, Match, MatchStatus, Outcome, Slot
from chalicelib.domain.competition.progress import record, settle
from chalicelib.domain.competition.setup import Competition
from chalicelib.domain.competition.stages import judged_outcome, knockout_outcome, measured_outcome, table_outcome
from chalicelib.domain.competition.standings import Criterion, TieReason
from chalicelib.domain.records import Event, EventFormat, EventKind
from chalicelib.services.competition import CompetitionState
from chalicelib.services.competition_export import (
    competition_xlsx,
    export_filename,
    reason_text,
    round_label,
    rubbers_text,
)

UNITS = {"cs": "计算机学院", "med": "医学院", "math": "数学学院"}
DRAWN_AT = datetime(2026, 4, 18, 9, 30, tzinfo=CHINA_TZ)
TEAM_FORMAT = scoring.TIE_PRESETS["badminton_5"]
RUBBER_WON = scoring.match_result(TEAM_FORMAT.game, [(21, 10), (21, 12)])
RUBBER_LOST = scoring.match_result(TEAM_FORMAT.game, [(10, 21), (12, 21)])
BADMINTON = scoring.GAME_PRESETS["badminton"]


def event(title: str = "第八届教职工羽毛球团体赛") -> Event:
    return Event("ev-cup", "school", EventKind.SPORTS, EventFormat.TOURNAMENT, title, DRAWN_AT, DRAWN_AT)


def entry(entry_id: str, name: str, unit_id: str, seed: int | None = None) -> dict:
    return {"entry_id": entry_id, "name": name, "unit_id": unit_id, "seed": seed}


def run(state: str, entries, **extra) -> dict:
    return {"state": state, "entries": list(entries), "seed": "5eed", "drawn_at": DRAWN_AT.isoformat(),
            "drawn_by": "T001", **extra}  # fmt: skip


def played(matches: dict[str, Match], match_id: str, result) -> None:
    matches.update(record(matches, match_id, result))


def tie(*won: bool):
    return scoring.tie_result(TEAM_FORMAT, [RUBBER_WON if w else RUBBER_LOST for w in won])


def workbook(state, outcomes, language="zh", people=None):
    data = competition_xlsx(state, outcomes, UNITS, people or {"T001": "张老师"}, language)
    return load_workbook(io.BytesIO(data))


def rows(book, title):
    """The sheet's rows without their empty cells at the end."""
    found = []
    for row in book[title].iter_rows(values_only=True):
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        found.append(tuple(cells))
    return found


# ---- a team cup: groups then knockout --------------------------------------------------------------------------


@pytest.fixture
def team_cup():
    """Three teams in one group (each beat one other, 5–0, 3–2, 3–2), then a final won by walkover."""
    competition = Competition.model_validate(
        {
            "event_id": "ev-cup",
            "entry_kind": "team",
            "match_format": "badminton_5",
            "tiebreak": "badminton_team",
            "stages": [
                {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 1, "qualifiers": 2},
                {"stage_id": "ko", "kind": "single_elimination", "name_zh": "决赛阶段"},
            ],
            "entries": [
                entry("t1", "计算机一队", "cs"),
                entry("t2", "医学院队", "med"),
                entry("t3", "计算机二队", "cs"),
            ],
            "runs": {
                "groups": run("closed", ["t1", "t2", "t3"], groups=[["t1", "t2", "t3"]], redraws=1),
                "ko": run("drawn", ["t1", "t3"], line=["t1", "t3"]),
            },
        }
    )
    group = {m.match_id: m for m in groups.group_stage("groups", [["t1", "t2", "t3"]])}
    results = {("t1", "t2"): tie(1, 1, 1, 1, 1), ("t2", "t3"): tie(1, 1, 1, 0, 0), ("t3", "t1"): tie(1, 1, 1, 0, 0)}
    for match in list(group.values()):
        played(group, match.match_id, results[(match.home.entry, match.away.entry)])
    final = {m.match_id: m for m in elimination.single_elimination("ko", ["t1", "t3"])}
    played(final, "W1-1", scoring.tie_walkover(TEAM_FORMAT, HOME))
    matches = {"groups": list(group.values()), "ko": list(final.values())}
    state = CompetitionState(event(), competition, 3, matches)
    outcomes = {
        "groups": table_outcome(competition, competition.stages[0], matches["groups"], "5eed"),
        "ko": knockout_outcome(matches["ko"]),
    }
    return state, outcomes


def test_sheets_are_named_in_chinese_by_default(team_cup):
    assert workbook(*team_cup).sheetnames == ["抽签表", "赛程成绩", "名次", "获奖名单"]


def test_draw_sheet_lists_groups_and_the_bracket_with_the_recorded_draw(team_cup):
    draw = rows(workbook(*team_cup), "抽签表")
    assert draw[0] == ("小组赛（分组循环赛）",)
    drawn_at = datetime(2026, 4, 18, 9, 30)  # a date cell in China time
    drawn = ("抽签种子", "5eed", "抽签时间", drawn_at, "抽签人", "张老师（T001）", "重新抽签次数", 1)
    assert draw[1] == drawn
    cell = workbook(*team_cup)["抽签表"]["D2"]
    assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm"
    assert draw[2] == ("组别", "序号", "参赛方", "单位", "种子")
    assert draw[3:6] == [
        ("A组", 1, "计算机一队", "计算机学院"),
        ("A组", 2, "医学院队", "医学院"),
        ("A组", 3, "计算机二队", "计算机学院"),
    ]
    knockout = draw.index(("决赛阶段（单败淘汰赛）",))
    assert draw[knockout + 2] == ("位置", "参赛方", "单位", "出线名次", "首轮场次")
    # The knockout's entries came from the group: its winner and runner-up.
    assert draw[knockout + 3 : knockout + 5] == [
        (1, "计算机一队", "计算机学院", "A1", "W1-1"),
        (2, "计算机二队", "计算机学院", "A2", "W1-1"),
    ]


def test_match_sheet_has_every_tie_with_its_rubbers_and_the_walkover(team_cup):
    matches = rows(workbook(*team_cup), "赛程成绩")
    assert matches[0] == (
        "阶段", "组别/赛区", "轮次", "场次", "主方", "主方单位", "客方", "客方单位", "比分", "各局比分", "单项比分",
        "胜方", "说明", "状态", "时间", "场地",
    )  # fmt: skip
    by_pair = {(row[4], row[6]): row for row in matches[1:]}
    close = by_pair[("医学院队", "计算机二队")]
    assert close[:4] == ("小组赛", "A组", "第1轮", "A1-1") and close[8] == "3-2" and close[9] is None
    assert close[10] == (
        "男单 2-0（21-10 21-12）；女单 2-0（21-10 21-12）；男双 2-0（21-10 21-12）；"
        "女双 0-2（10-21 12-21）；混双 0-2（10-21 12-21）"
    )
    assert close[11:14] == ("医学院队", None, "已赛")
    final = by_pair[("计算机一队", "计算机二队")]
    assert final[:4] == ("决赛阶段", "淘汰赛", "决赛", "W1-1")
    assert final[8] == "3-0" and final[10] is None and final[11:14] == ("计算机一队", "计算机二队 弃权", "已赛")


def test_standings_explain_each_tie_break_and_list_the_knockout_places(team_cup):
    standings = rows(workbook(*team_cup), "名次")
    header = standings.index(("名次", "参赛方", "单位", "场次", "胜", "平", "负", "积分", "单项胜", "单项负", "胜局",
                              "负局", "得分", "失分", "排名说明"))  # fmt: skip
    assert standings[header - 1] == ("A组",)
    # One win each: the three-way tie is broken by rubber difference (+4, 0, −4).
    assert standings[header + 1] == (1, "计算机一队", "计算机学院", 2, 1, 0, 1, 1, 7, 3, 14, 6, 360, 280,
                                     "净胜场数（单项） +4 对 0，列 计算机二队 之前")  # fmt: skip
    assert standings[header + 2][:2] == (2, "计算机二队")
    assert standings[header + 2][-1] == "净胜场数（单项） 0 对 -4，列 医学院队 之前"
    assert standings[header + 3][:2] == (3, "医学院队") and len(standings[header + 3]) == 14  # no reason: last
    knockout = standings.index(("决赛阶段（单败淘汰赛）",))
    assert standings[knockout + 1 : knockout + 4] == [
        ("名次", "参赛方", "单位"),
        (1, "计算机一队", "计算机学院"),
        (2, "计算机二队", "计算机学院"),
    ]


def test_award_sheet_gives_the_final_placings_of_the_last_stage(team_cup):
    awards = rows(workbook(*team_cup), "获奖名单")
    assert awards == [
        ("阶段", "项目", "奖项", "名次", "参赛方", "单位", "成绩"),
        ("决赛阶段", "最终名次", "冠军", 1, "计算机一队", "计算机学院"),
        ("决赛阶段", "最终名次", "亚军", 2, "计算机二队", "计算机学院"),
    ]


def test_header_rows_are_bold_and_the_match_table_has_a_filter(team_cup):
    book = workbook(*team_cup)
    assert book["赛程成绩"]["A1"].font.bold and not book["赛程成绩"]["A2"].font.bold
    assert book["赛程成绩"].auto_filter.ref == "A1:P5"
    assert book["抽签表"]["A1"].font.bold and book["抽签表"]["A3"].font.bold


# ---- a singles knockout still running, in English -----------------------------------------------------------------


@pytest.fixture
def singles():
    """Three players in a four-draw: seed 1 has a bye, the other semi-final ended by a retirement, the final waits."""
    competition = Competition.model_validate(
        {
            "event_id": "ev-cup",
            "entry_kind": "individual",
            "stages": [{"stage_id": "main", "kind": "single_elimination", "name_zh": "单打", "name_en": "Singles"}],
            "entries": [
                entry("p1", "Li Lei", "cs", seed=1),
                entry("p2", "=SUM(A1)", "math"),
                entry("p3", "Wang", "med"),
            ],
            "runs": {"main": run("drawn", ["p1", "p2", "p3"], line=["p1", None, "p3", "p2"])},
        }
    )
    bracket = {m.match_id: m for m in elimination.single_elimination("main", ["p1", None, "p3", "p2"])}
    bracket.update(settle(bracket))
    retired = scoring.match_result(BADMINTON, [(21, 15), (8, 3)], Outcome.RETIRED, retired=AWAY)
    played(bracket, "W1-2", retired)
    state = CompetitionState(event(), competition, 2, {"main": list(bracket.values())})
    return state, {"main": knockout_outcome(state.matches["main"])}


def test_english_workbook_names_sheets_headers_rounds_and_byes_in_english(singles):
    book = workbook(*singles, language="en")
    assert book.sheetnames == ["Draw", "Matches", "Standings", "Awards"]
    draw = rows(book, "Draw")
    assert draw[0] == ("Singles (Single elimination)",)
    assert draw[1][:2] == ("Draw seed", "5eed") and draw[1][4:6] == ("Drawn by", "张老师 (T001)")
    assert draw[2] == ("Position", "Entry", "Unit", "Seed", "First-round match")
    assert draw[3:7] == [
        (1, "Li Lei", "计算机学院", 1, "W1-1"),
        (2, "Bye", None, None, "W1-1"),
        (3, "Wang", "医学院", None, "W1-2"),
        (4, "'=SUM(A1)", "数学学院", None, "W1-2"),  # a name never runs as a formula
    ]
    matches = {row[3]: row for row in rows(book, "Matches")[1:]}
    assert matches["W1-1"][2] == "Semi-final" and matches["W1-1"][6] == "Bye"
    assert matches["W1-1"][11:14] == ("Li Lei", "Bye", "Bye")
    assert matches["W1-2"][8:10] == ("1-0", "21-15 8-3")
    assert matches["W1-2"][11:14] == ("Wang", "'=SUM(A1) retired", "Played")
    assert matches["W2-1"][2] == "Final" and matches["W2-1"][4:8] == ("Li Lei", "计算机学院", "Wang", "医学院")
    assert matches["W2-1"][13] == "To play"
    assert rows(book, "Standings")[0] == ("Singles (Single elimination) (in progress: provisional)",)
    assert rows(book, "Awards")[1] == ("Singles", None, "Not finished yet")


# ---- a judged contest and a meet ----------------------------------------------------------------------------------


def test_judged_contest_ranks_entries_and_lists_awards_by_tier():
    judging = {
        "criteria": [{"code": "voice", "name_zh": "演唱", "weight": 1}],
        "aggregation": "drop_high_low",
        "tiers": [
            {"code": "first", "name_zh": "一等奖", "name_en": "First prize", "count": 1},
            {"code": "second", "name_zh": "二等奖", "name_en": "Second prize", "count": 1},
        ],
    }
    competition = Competition.model_validate(
        {
            "event_id": "ev-cup",
            "entry_kind": "individual",
            "stages": [{"stage_id": "final", "kind": "judged", "name_zh": "决赛", "judging": judging}],
            "entries": [entry("s1", "歌手甲", "cs"), entry("s2", "歌手乙", "med"), entry("s3", "歌手丙", "math")],
            "runs": {"final": run("drawn", ["s1", "s2", "s3"])},
        }
    )
    marks = {
        "s1": {j: {"voice": m} for j, m in zip("ABCDE", (90, 85, 86, 91, 88), strict=True)},  # 88.00
        "s2": {j: {"voice": m} for j, m in zip("ABCDE", (92, 93, 90, 95, 80), strict=True)},  # 91.67
        "s3": {j: {"voice": m} for j, m in zip("ABCDE", (70, 75, 72, 71, 90), strict=True)},  # 72.67
    }
    stage = competition.stages[0]
    assert stage.judging is not None
    outcome = judged_outcome(stage.judging, ["s1", "s2", "s3"], marks, "5eed")
    book = workbook(CompetitionState(event(), competition, 1), {"final": outcome})
    standings = rows(book, "名次")
    assert standings[1] == ("名次", "参赛方", "单位", "得分", "评委人数", "奖项")
    assert standings[2:5] == [
        (1, "歌手乙", "医学院", 91.67, 5, "一等奖"),
        (2, "歌手甲", "计算机学院", 88, 5, "二等奖"),
        (3, "歌手丙", "数学学院", 72.67, 5),
    ]
    # Judged scores always show two decimals (88.00), as the rules round them.
    assert book["名次"]["D2"].value == "得分" and book["名次"]["D4"].number_format == "0.00"
    awards = rows(book, "获奖名单")
    assert awards[1:] == [
        ("决赛", None, "一等奖", 1, "歌手乙", "医学院", 91.67),
        ("决赛", None, "二等奖", 2, "歌手甲", "计算机学院", 88),
    ]


def test_meet_places_each_discipline_and_adds_unit_totals():
    meet = {
        "place_points": [7, 5, 4],
        "disciplines": [
            {"code": "m100", "name_zh": "男子100米", "measure": "time", "entries": ["a", "b", "c", "d"]},
            {"code": "shot", "name_zh": "铅球", "measure": "distance", "entries": ["a", "b"]},
        ],
    }
    competition = Competition.model_validate(
        {
            "event_id": "ev-meet",
            "entry_kind": "individual",
            "stages": [{"stage_id": "meet", "kind": "measured", "name_zh": "田径运动会", "meet": meet}],
            "entries": [
                entry("a", "甲", "cs"),
                entry("b", "乙", "med"),
                entry("c", "丙", "cs"),
                entry("d", "丁", "math"),
            ],
            "runs": {"meet": run("drawn", ["a", "b", "c", "d"])},
        }
    )
    performances = {
        "m100": {"a": [Decimal("12.10")], "b": [Decimal("12.30")], "c": [Decimal("12.30")], "d": [None]},
        "shot": {"a": [Decimal("8.5"), None], "b": [Decimal("9.20")]},
    }
    state = CompetitionState(event("田径运动会"), competition, 1)
    outcome = measured_outcome(competition.stages[0], performances, state.entry_units())
    book = workbook(state, {"meet": outcome})
    standings = rows(book, "名次")
    start = standings.index(("男子100米",))
    assert standings[start + 1] == ("名次", "参赛方", "单位", "成绩", "得分")
    # 乙 and 丙 tie for second and share the points of 2nd and 3rd: (5 + 4) / 2.
    assert standings[start + 2 : start + 6] == [
        (1, "甲", "计算机学院", "12.10", 7),
        (2, "乙", "医学院", "12.30", 4.5),
        (2, "丙", "计算机学院", "12.30", 4.5),
        (None, "丁", "数学学院", "无成绩"),
    ]
    totals = standings.index(("团体总分",))
    assert standings[totals + 1] == ("名次", "单位", "总分", "第1名数", "第2名数")
    assert standings[totals + 2 : totals + 5] == [
        (1, "计算机学院", 16.5, 1, 2),  # 7 + 4.5 (100 m) + 5 (shot put, second)
        (2, "医学院", 11.5, 1, 1),  # 4.5 + 7
        (3, "数学学院", 0, 0, 0),
    ]
    awards = rows(book, "获奖名单")
    assert ("田径运动会", "男子100米", "冠军", 1, "甲", "计算机学院", "12.10") in awards
    assert ("田径运动会", "铅球", "冠军", 1, "乙", "医学院", "9.20") in awards
    assert ("田径运动会", "团体总分", "冠军", 1, None, "计算机学院", 16.5) in awards
    assert not any(row[4] == "丁" for row in awards)  # no mark, no place


def test_a_stage_not_drawn_yet_says_so():
    competition = Competition.model_validate(
        {
            "event_id": "ev-cup",
            "entry_kind": "individual",
            "stages": [{"stage_id": "main", "kind": "round_robin", "name_zh": "循环赛"}],
            "entries": [entry("p1", "甲", "cs"), entry("p2", "乙", "med")],
        }
    )
    book = workbook(CompetitionState(event(), competition, 1), {})
    assert rows(book, "抽签表")[:2] == [("循环赛（循环赛）",), ("尚未抽签",)]
    assert rows(book, "赛程成绩") == [rows(book, "赛程成绩")[0]]
    assert rows(book, "获奖名单")[1] == ("循环赛", None, "本阶段尚未结束")


# ---- words ----------------------------------------------------------------------------------------------------------


NAMES = {"a": "甲", "b": "乙", "c": "丙"}


def test_reasons_name_the_rule_the_figures_and_who_was_tied():
    two = TieReason(Criterion.HEAD_TO_HEAD, "b", ("a", "b"), "2", "1", among_tied_only=True)
    assert reason_text(two, NAMES, "zh") == "相互间胜负 2 对 1，列 乙 之前"
    assert reason_text(two, NAMES, "en") == "Above 乙 on head-to-head: 2 to 1"
    three = TieReason(Criterion.GAME_RATIO, "c", ("a", "c", "b"), "∞", "1.500", among_tied_only=True)
    assert reason_text(three, NAMES, "zh") == "胜负局比率 ∞ 对 1.500，列 丙 之前（只计 甲、丙、乙 之间的比赛）"
    assert reason_text(three, NAMES, "en").endswith(" (matches among 甲, 丙, 乙 only)")
    lot = TieReason(Criterion.LOT, "a", ("c", "a"), "0a1b2c3d", "9f8e7d6c", among_tied_only=False)
    assert reason_text(lot, NAMES, "zh") == "抽签决定列 甲 之前（签号 0a1b2c3d 先于 9f8e7d6c）"
    assert reason_text(None, NAMES, "zh") == ""


def test_round_labels_count_back_from_each_brackets_final():
    def match(bracket, round_):
        return Match("m", "s", bracket, round_, 1, Slot(), Slot(), MatchStatus.WAITING)

    rounds = {"W": 5, "L": 8, "GF": 2, "3P": 5, "A": 3}
    assert [round_label(match("W", r), rounds, "zh") for r in (1, 2, 3, 4, 5)] == [
        "32强赛", "16强赛", "四分之一决赛", "半决赛", "决赛",
    ]  # fmt: skip
    assert round_label(match("W", 2), rounds, "en") == "Round of 16"
    assert round_label(match("L", 3), rounds, "zh") == "第3轮" and round_label(match("L", 8), rounds, "zh") == "决赛"
    assert round_label(match("GF", 2), rounds, "en") == "Grand final reset"
    assert round_label(match("3P", 5), rounds, "zh") == "三、四名决赛"
    assert round_label(match("A", 2), rounds, "en") == "Round 2"


def test_rubbers_of_a_stopped_tie_are_named_in_order():
    fmt = scoring.TIE_PRESETS["table_tennis_swaythling"]
    won = scoring.match_result(fmt.game, [(11, 5), (11, 7), (11, 9)])
    result = scoring.tie_result(fmt, [won, won, won, None, None])
    assert rubbers_text(result, fmt, "en") == (
        "Singles A–X 3-0 (11-5 11-7 11-9); Singles B–Y 3-0 (11-5 11-7 11-9); Singles C–Z 3-0 (11-5 11-7 11-9)"
    )
    assert rubbers_text(result, BADMINTON, "zh") == ""


def test_file_name_carries_the_event_title():
    assert export_filename(event(), "zh") == "比赛成绩-第八届教职工羽毛球团体赛.xlsx"
    assert export_filename(event("a/b"), "en") == "competition-a_b.xlsx"
