"""Marks as officials write them (issue 19 item 4): result and attempt codes in every spelling the docstring of
chalicelib.domain.competition.marks lists, plausible ranges per discipline from its table (with the table's cited
records), the order of the unplaced, and stored data old and new."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from chalicelib.domain.competition import marks
from chalicelib.domain.competition.marks import (
    EVENT_RANGES,
    Performance,
    attempt_text,
    discipline_range,
    event_of,
    mark_range,
    parse_performance,
    performance_texts,
    status_of,
    stored_attempt,
    stored_rule,
    stored_status,
)
from chalicelib.domain.competition.measured import UNPLACED_ORDER, MarkInvalid, Measure, rank_performances
from chalicelib.domain.competition.setup import Discipline, Meet, Stage
from chalicelib.domain.competition.stages import measured_outcome

D = Decimal
TIME, DISTANCE = Measure.TIME, Measure.DISTANCE


def refusal(measure: Measure, texts: list[str | None], bounds=None) -> MarkInvalid:
    with pytest.raises(MarkInvalid) as raised:
        parse_performance(measure, texts, bounds)
    return raised.value


# ---- codes -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("DNS", "DNS"), ("dns", "DNS"), ("Dns", "DNS"), ("ＤＮＳ", "DNS"), ("弃权", "DNS"), ("未参赛", "DNS"),
        ("缺赛", "DNS"), ("DNF", "DNF"), ("dnf", "DNF"), ("ｄｎｆ", "DNF"), ("未完成", "DNF"), ("未跑完", "DNF"),
        ("DQ", "DQ"), ("dq", "DQ"), ("ＤＱ", "DQ"), ("取消资格", "DQ"), ("失格", "DQ"), ("NM", "NM"), ("nm", "NM"),
        ("无成绩", "NM"), (" DNS ", "DNS"),
    ],
)  # fmt: skip
def test_result_codes_in_every_spelling(typed, status):
    assert parse_performance(TIME, [typed]) == Performance((), status)
    assert parse_performance(DISTANCE, [typed, "", None]) == Performance((), status)


@pytest.mark.parametrize(
    ("typed", "rule"),
    [("DQ TR 17.3", "TR 17.3"), ("dq tr16.8", "tr16.8"), ("DQ (TR 17.3)", "TR 17.3"), ("ＤＱ　ＴＲ１７．３", "TR17.3"),
     ("取消资格（TR16.8）", "TR16.8"), ("DQ: 163.3a", "163.3a"), ("DQ " + "R" * 20, "R" * 20)],
)  # fmt: skip
def test_a_disqualification_may_name_its_rule(typed, rule):
    performance = parse_performance(TIME, [typed])
    assert (performance.status, performance.rule) == ("DQ", rule)
    assert performance.data() == {"attempts": [], "status": "DQ", "rule": rule}


@pytest.mark.parametrize(
    ("typed", "code"),
    [("X", "X"), ("x", "X"), ("Ｘ", "X"), ("×", "X"), ("✕", "X"), ("犯规", "X"), ("失败", "X"), ("-", "-"),
     ("－", "-"), ("–", "-"), ("—", "-"), ("免跳", "-"), ("免掷", "-"), ("免试", "-"), ("r", "r"), ("R", "r"),
     ("退出", "r"), ("退赛", "r")],
)  # fmt: skip
def test_attempt_codes_in_every_spelling(typed, code):
    assert parse_performance(DISTANCE, ["6.02", typed]).attempts == ("6.02", code)


def test_a_field_series_of_marks_fouls_passes_and_a_retirement():
    performance = parse_performance(DISTANCE, ["x", "5.62", "-", "犯规", "6.1", "r"])
    assert performance == Performance(("X", "5.62", "-", "X", "6.1", "r"))
    assert [attempt_text(DISTANCE, value) for value in performance.attempts] == ["X", "5.62", "-", "X", "6.1", "r"]
    assert [marks.attempt_mark(value) for value in performance.attempts] == [
        None,
        D("5.62"),
        None,
        None,
        D("6.1"),
        None,
    ]
    assert parse_performance(DISTANCE, ["r", "", ""]).attempts == ("r", None, None)


@pytest.mark.parametrize(
    ("measure", "texts", "code", "index"),
    [
        (TIME, ["X"], "attempt_code_time", 0),  # a foul is a field attempt; a runner is DQ
        (TIME, ["r"], "attempt_code_time", 0),
        (DISTANCE, ["5.62", "DNS"], "status_alone", 1),  # a code stands for the whole performance
        (DISTANCE, ["DQ", "X"], "status_alone", 0),
        (DISTANCE, ["5.62", "r", "6.01"], "after_retired", 2),
        (TIME, ["DQ " + "R" * 21], "rule_reference", 0),
        (TIME, ["DQ <b>"], "rule_reference", 0),
        (TIME, ["DNX"], "attempt_format", 0),
        (TIME, ["12.3.4"], "mark_format", 0),  # a mistyped mark keeps the mark's message
        (DISTANCE, ["5.62", "foul"], "attempt_format", 1),
        (TIME, ["-3"], "mark_negative", 0),
        (TIME, ["12.345"], "mark_precision", 0),
    ],
)
def test_what_is_neither_a_mark_nor_a_code_is_refused_at_its_attempt(measure, texts, code, index):
    problem = refusal(measure, texts)
    assert (problem.code, problem.index) == (code, index)


# ---- ranges ------------------------------------------------------------------------------------------------------


# The table's rows checked against the records they cite (World Athletics world records, worldathletics.org/records;
# World Aquatics long-course records for swimming): a typo in the table would refuse a real mark or let one through.
CITED = {
    "100m": ("9.58", "Bolt"), "200m": ("19.19", "Bolt"), "400m": ("43.03", "van Niekerk"),
    "800m": ("100.91", "Rudisha"), "1500m": ("206.00", "El Guerrouj"), "5000m": ("755.36", "Cheptegei"),
    "10000m": ("1571.00", "Cheptegei"), "100mh": ("12.12", "Amusan"), "110mh": ("12.80", "Merritt"),
    "400mh": ("45.94", "Warholm"), "4x100m": ("36.84", "Jamaica"), "4x400m": ("174.29", "United States"),
    "long_jump": ("8.95", "Powell"), "triple_jump": ("18.29", "Edwards"), "high_jump": ("2.45", "Sotomayor"),
    "pole_vault": ("6.30", "Duplantis"), "standing_long_jump": ("3.73", "Byron Jones"),
    "shot_put": ("23.56", "Crouser"), "discus": ("76.80", "Reinsch"), "javelin": ("98.48", "Železný"),
    "hammer": ("86.74", "Sedykh"), "swim_50m_free": ("20.91", "Cielo"), "swim_100m_free": ("46.40", "Pan Zhanle"),
}  # fmt: skip


@pytest.mark.parametrize("event", sorted(CITED))
def test_each_row_of_the_table_is_its_cited_record(event):
    row = EVENT_RANGES[event]
    record, holder = CITED[event]
    assert holder in row.source
    assert row.low < row.high
    if row.measure == TIME:  # the record is the fastest plausible time; the slowest a walk (or a slow swim)
        assert row.low == D(record)
        distance = {"4x100m": 400, "4x400m": 1600, "100mh": 100, "110mh": 110, "400mh": 400}.get(event)
        metres = distance or int(event.removeprefix("swim_").split("m")[0])
        assert row.high == metres * (3 if event.startswith("swim") else 1)
    else:  # the record is the longest plausible distance
        assert row.high == D(record)
    assert set(EVENT_RANGES) == set(CITED)


@pytest.mark.parametrize(
    ("measure", "name_zh", "name_en", "event"),
    [
        (TIME, "男子青年组100米", None, "100m"), (TIME, "男子 100 米", None, "100m"),
        (TIME, "Men", "Men's 100 m", "100m"),
        (TIME, "女子中年组 200 米", None, "200m"), (TIME, "男子400米", None, "400m"), (TIME, "女子800米", None, "800m"),
        (TIME, "男子1500米", None, "1500m"), (TIME, "5000米", None, "5000m"), (TIME, "10000米", None, "10000m"),
        (TIME, "女子100米栏", None, "100mh"), (TIME, "男子110米栏", None, "110mh"), (TIME, "400米栏", None, "400mh"),
        (TIME, "男女混合4×100米接力", None, "4x100m"), (TIME, "4x400m接力", None, "4x400m"),
        (DISTANCE, "男子跳远", None, "long_jump"), (DISTANCE, "男子三级跳远", None, "triple_jump"),
        (DISTANCE, "立定跳远", None, "standing_long_jump"), (DISTANCE, "女子跳高", None, "high_jump"),
        (DISTANCE, "撑竿跳高", None, "pole_vault"), (DISTANCE, "男子铅球", None, "shot_put"),
        (DISTANCE, "铁饼", None, "discus"), (DISTANCE, "标枪", None, "javelin"), (DISTANCE, "链球", None, "hammer"),
        (TIME, "游泳 50 米自由泳", None, "swim_50m_free"), (TIME, "100米自由泳", None, "swim_100m_free"),
        (TIME, "龙舟 200 米直道竞速", None, None),  # a dragon boat is no 200 m run
        (TIME, "趣味 100 米托球跑", None, None), (TIME, "拔河", None, None),
        (DISTANCE, "男子 100 米", None, None),  # a distance cannot be a 100 m's time
        (Measure.POINTS, "投篮", None, None),
    ],
)  # fmt: skip
def test_a_discipline_name_says_which_event_it_is(measure, name_zh, name_en, event):
    assert event_of(measure, name_zh, name_en) == event


def discipline(**fields) -> Discipline:
    return Discipline(**{"code": "d1", "name_zh": "男子青年组100米", "measure": "time", **fields})


def test_a_range_comes_from_the_event_the_name_or_the_discipline_itself():
    assert discipline_range(discipline()) == (D("9.58"), D(100))
    assert discipline_range(discipline(name_zh="甲组", event="400m")) == (D("43.03"), D(400))
    assert discipline_range(discipline(min_mark="11", max_mark="30")) == (D(11), D(30))
    assert discipline_range(discipline(max_mark="120")) == (D("9.58"), D(120))  # an older group may walk
    assert discipline_range(discipline(name_zh="龙舟 200 米")) is None  # no row: MAX_MARKS only
    assert discipline_range(discipline(name_zh="龙舟 200 米", min_mark="40")) == (D(40), D(100_000))
    assert mark_range(DISTANCE, "100m", "x") is None  # an event of another measure is no range


def test_a_discipline_refuses_an_unknown_event_or_an_empty_range():
    for fields in ({"event": "100 m"}, {"min_mark": "30", "max_mark": "30"}, {"max_mark": "0"},
                   {"min_mark": "12.345"}, {"max_mark": "100001"}):  # fmt: skip
        with pytest.raises(ValidationError):
            discipline(**fields)


@pytest.mark.parametrize(
    ("fields", "typed", "low", "high"),
    [
        ({}, "999999", "9.58", "100"),  # was accepted for a 100 m before ranges (over MAX_MARKS: still the range)
        ({}, "9.57", "9.58", "100"),
        ({}, "1:40.01", "9.58", "100"),
        ({"name_zh": "女子800米"}, "1:40.90", "100.91", "800"),
        ({"name_zh": "男子跳远", "measure": "distance"}, "8.96", "1", "8.95"),
        ({"name_zh": "男子铅球", "measure": "distance"}, "0.99", "1", "23.56"),
        ({"max_mark": "20"}, "20.01", "9.58", "20"),
    ],
)
def test_a_mark_outside_its_range_is_refused_naming_the_range(fields, typed, low, high):
    subject = discipline(**fields)
    problem = refusal(Measure(subject.measure), ["", typed][-subject.attempts :], discipline_range(subject))
    assert problem.code == f"mark_implausible_{subject.measure}"
    assert problem.context == {"low": low, "high": high}


def test_the_bounds_themselves_are_plausible():
    bounds = discipline_range(discipline())
    assert parse_performance(TIME, ["9.58"], bounds).attempts == ("9.58",)
    assert parse_performance(TIME, ["1:40"], bounds).attempts == ("100",)
    assert parse_performance(TIME, ["DNF"], bounds).status == "DNF"  # codes have no range


# ---- ranking and stored data -------------------------------------------------------------------------------------


def test_the_unplaced_follow_the_placed_in_the_stated_order():
    assert UNPLACED_ORDER == ("NM", "DNF", "DQ", "DNS")
    performances = {"a": None, "b": D("12.5"), "c": None, "d": None, "e": None, "f": D("11.9"), "g": None}
    statuses = {"a": "DNS", "c": "DQ", "d": "NM", "e": "DNF"}  # g: nothing entered yet
    placings = rank_performances(TIME, performances, statuses)
    assert [(p.entry_id, p.place, p.status) for p in placings] == [
        ("f", 1, None), ("b", 2, None), ("d", None, "NM"), ("e", None, "DNF"), ("c", None, "DQ"),
        ("a", None, "DNS"), ("g", None, None),
    ]  # fmt: skip


def test_a_meet_ranks_codes_last_and_gives_them_no_points():
    stage = Stage(stage_id="meet", kind="measured", name_zh="田径", meet=Meet(place_points=(7, 5, 4), disciplines=(
        Discipline(code="lj", name_zh="跳远", measure="distance", attempts=3, entries=("a", "b", "c", "d")),
    )))  # fmt: skip
    stored = {"a": {"attempts": ["X", "X", "-"]}, "b": {"attempts": ["5.1", "X", "r"]},
              "c": {"attempts": [], "status": "DNS"}, "d": {"attempts": [None, "4.2", None]}}  # fmt: skip
    performances = {"lj": {e: [marks.attempt_mark(v) for v in data["attempts"]] for e, data in stored.items()}}
    statuses = {"lj": {e: code for e, data in stored.items() if (code := status_of(data))}}
    outcome = measured_outcome(stage, performances, {"a": "u1", "b": "u2", "c": "u3", "d": "u1"}, statuses)
    (result,) = outcome.disciplines
    assert [(p.entry_id, p.place, p.status) for p in result.placings] == [
        ("b", 1, None),
        ("d", 2, None),
        ("a", None, "NM"),
        ("c", None, "DNS"),
    ]
    assert result.points == {"b": 7, "d": 5}
    assert {line.unit_id: line.points for line in outcome.units} == {"u1": 5, "u2": 7, "u3": 0}


def test_stored_data_old_and_new_reads_safely():
    # Before codes: marks and nulls (null = a foul or no mark), no status.
    assert status_of({"attempts": ["12.34"]}) is None
    assert status_of({"attempts": [None, None]}) == "NM"
    assert status_of({"attempts": []}) == "NM"
    assert status_of(None) is None  # nothing entered
    assert status_of({"attempts": [], "status": "DQ", "rule": "TR 17.3"}) == "DQ"
    assert [stored_attempt(value) for value in ("12.34", "X", "-", "r")] == ["12.34", "X", "-", "r"]
    assert performance_texts(TIME, {"attempts": ["62.35"]}) == ["1:02.35"]
    assert performance_texts(DISTANCE, {"attempts": ["X", None, "5.6"]}) == ["X", "", "5.6"]
    assert performance_texts(TIME, {"attempts": [], "status": "DQ", "rule": "TR 17.3"}) == ["DQ TR 17.3"]
    assert performance_texts(TIME, {"attempts": [], "status": "DNS"}) == ["DNS"]
    for damaged in ("x", "Y", "DNS", 5, None, "1E+30", "-1"):
        with pytest.raises(MarkInvalid):
            stored_attempt(damaged)
    for damaged in ("dns", "X", "", 1, None):
        with pytest.raises(MarkInvalid):
            stored_status(damaged)
    for damaged in ("<script>", "R" * 21, "", 3):
        with pytest.raises(MarkInvalid):
            stored_rule(damaged)
    assert stored_status("NM") == "NM" and stored_rule("TR 17.3") == "TR 17.3"
