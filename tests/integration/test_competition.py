"""Competitions against DynamoDB Local: set-up from registrations, draws redone before play, results moving winners
on, corrections, races between referees, groups then knockout, judges' marks and their secrecy, measured events
with unit totals, officials and publication."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.model import MatchStatus
from chalicelib.domain.competition.setup import StageState
from chalicelib.domain.competition.stages import draw_stage
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services import competition as service
from chalicelib.services import competition_officials
from chalicelib.services import meet as meet_service
from tests.integration.test_registration import ADMIN, in_threads, open_event, principal, register

ANONYMOUS = Principal()
WIN = {"games": [[21, 15], [21, 18]]}
LOSS = {"games": [[15, 21], [18, 21]]}


def tournament(store, members, count):
    event = open_event(store, capacity=64, kind=EventKind.SPORTS, format=EventFormat.TOURNAMENT, title_zh="羽毛球单打")
    for member in members[:count]:
        register(store, member, event)
    return event


def configure(store, event, stages, **extra):
    return service.configure(
        store, ADMIN, event.event_id, {"match_format": "badminton", "tiebreak": "badminton", "stages": stages, **extra},
        now(),
    )  # fmt: skip


def drawn_knockout(store, members):
    """A tournament of the first four members, set up as a knockout and drawn."""
    event = tournament(store, members, 4)
    configure(store, event, KNOCKOUT)
    service.draw(store, ADMIN, event.event_id, "main", now())
    return event


def state(store, event):
    return service.view(store, ADMIN, event.event_id)


def ready(store, event, stage_id):
    return [m for m in state(store, event).stage_matches(stage_id) if m.status == MatchStatus.READY]


def play_all(store, event, stage_id, by=ADMIN):
    while matches := ready(store, event, stage_id):
        for match in matches:
            service.enter_result(store, by, event.event_id, stage_id, match.match_id, WIN, now())


KNOCKOUT = [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛", "third_place": True}]


def test_entries_come_from_confirmed_registrations_and_byes_advance(union):
    store, members = union
    event = tournament(store, members, 6)
    competition = configure(store, event, KNOCKOUT, seeds={members[0].staff_no: 1, members[1].staff_no: 2})
    assert [e.entry_id for e in competition.entries] == [m.staff_no for m in members[:6]]
    drawn = service.draw(store, ADMIN, event.event_id, "main", now())
    matches = {m.match_id: m for m in drawn.stage_matches("main")}
    # 6 in an 8-draw: the two byes face seeds 1 and 2 and their winners are already in round 2.
    byes = [m for m in matches.values() if m.status == MatchStatus.BYE]
    assert sorted(m.winner for m in byes) == sorted([members[0].staff_no, members[1].staff_no])
    assert matches["W2-1"].home.entry == members[0].staff_no
    assert matches["W2-2"].away.entry == members[1].staff_no
    play_all(store, event, "main")
    outcome = service.outcome(state(store, event), state(store, event).competition.stage("main"))
    assert outcome.complete
    assert [place for place, _ in outcome.placings] == [1, 2, 3, 4, 5, 5]
    # 6 entries, 2 byes: 3 + 2 + 1 played, plus the third-place match.
    assert sum(m.status == MatchStatus.DONE for m in state(store, event).stage_matches("main")) == 6


def test_a_draw_is_redone_before_play_with_a_new_recorded_seed_but_not_after(union):
    store, members = union
    event = tournament(store, members, 8)
    configure(store, event, KNOCKOUT)
    first = service.draw(store, ADMIN, event.event_id, "main", now()).competition.run("main")
    second = service.draw(store, ADMIN, event.event_id, "main", now()).competition.run("main")
    assert second.seed != first.seed and second.draw_id != first.draw_id and second.redraws == 1
    # Only the current draw's matches are read, and the replaced draw's items are gone.
    items = store.competitions.get(event.event_id)
    assert {m.draw_id for m in items.matches} == {second.draw_id}
    audit = [entry.action for entry in store.audit.for_unit(event.owner_unit_id, limit=50)]
    assert "competition.redraw" in audit and "competition.draw" in audit
    match = ready(store, event, "main")[0]
    service.enter_result(store, ADMIN, event.event_id, "main", match.match_id, WIN, now())
    with pytest.raises(Conflict) as refused:
        service.draw(store, ADMIN, event.event_id, "main", now())
    assert refused.value.code == "stage_started"


def test_set_up_cannot_change_once_drawn(union):
    store, members = union
    event = drawn_knockout(store, members)
    with pytest.raises(Conflict) as refused:
        configure(store, event, KNOCKOUT)
    assert refused.value.code == "competition_drawn"


def test_invalid_scores_are_refused_and_nothing_is_written(union):
    store, members = union
    event = drawn_knockout(store, members)
    match = ready(store, event, "main")[0]
    for games in ([[21, 20], [21, 15]], [[31, 29], [21, 15]], [[21, 15]]):
        with pytest.raises(InvalidInput):
            service.enter_result(store, ADMIN, event.event_id, "main", match.match_id, {"games": games}, now())
    assert ready(store, event, "main")[0].status == MatchStatus.READY
    played = service.enter_result(
        store, ADMIN, event.event_id, "main", match.match_id, {"games": [[22, 20], [30, 29]]}, now()
    ).match
    assert played.winner == match.home.entry


def test_corrections_move_the_new_winner_on_until_the_next_match_is_played(union):
    store, members = union
    event = tournament(store, members, 4)
    configure(store, event, [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛"}])
    service.draw(store, ADMIN, event.event_id, "main", now())
    semi = state(store, event).stage_matches("main")[0]
    service.enter_result(store, ADMIN, event.event_id, "main", semi.match_id, WIN, now())
    with pytest.raises(Conflict) as twice:
        service.enter_result(store, ADMIN, event.event_id, "main", semi.match_id, LOSS, now())
    assert twice.value.code == "already_played"
    service.enter_result(store, ADMIN, event.event_id, "main", semi.match_id, {**LOSS, "correct": True}, now())
    final = next(m for m in state(store, event).stage_matches("main") if m.match_id == "W2-1")
    assert final.home.entry == semi.away.entry
    other = next(m for m in state(store, event).stage_matches("main") if m.match_id == "W1-2")
    service.enter_result(store, ADMIN, event.event_id, "main", other.match_id, WIN, now())
    service.enter_result(store, ADMIN, event.event_id, "main", "W2-1", WIN, now())
    with pytest.raises(Conflict) as refused:
        service.enter_result(store, ADMIN, event.event_id, "main", semi.match_id, {**WIN, "correct": True}, now())
    assert refused.value.code == "dependents_played" and refused.value.details == {"matches": ["W2-1"]}
    # A correction that keeps the winner (a mistyped score) is still allowed.
    fixed = {"games": [[15, 21], [19, 21]], "correct": True}
    assert service.enter_result(store, ADMIN, event.event_id, "main", semi.match_id, fixed, now()).match.result.games[
        1
    ] == (
        19,
        21,
    )


def test_referees_racing_on_one_match_record_it_once(union):
    store, members = union
    event = drawn_knockout(store, members)
    referees = members[10:16]
    for referee in referees:
        competition_officials.name_official(store, ADMIN, event.event_id, referee.staff_no, "referee", now())
    match = ready(store, event, "main")[0]
    results = in_threads(
        [
            lambda r=r, i=i: service.enter_result(
                store, principal(r), event.event_id, "main", match.match_id, WIN if i % 2 else LOSS, now()
            )
            for i, r in enumerate(referees)
        ]
    )
    recorded = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(recorded) == 1 and len(refused) == len(referees) - 1
    assert {r.code for r in refused} == {"already_played"}
    stored = next(m for m in state(store, event).stage_matches("main") if m.match_id == match.match_id)
    final = next(m for m in state(store, event).stage_matches("main") if m.match_id == "W2-1")
    assert stored.winner == recorded[0].match.winner == final.home.entry


def test_only_organisers_and_named_referees_enter_results(union):
    store, members = union
    event = drawn_knockout(store, members)
    match = ready(store, event, "main")[0]
    other_admin = Principal(staff_no=members[30].staff_no, unit_id="math", admin_of=frozenset({"math"}))
    for caller in (principal(members[20]), other_admin):
        with pytest.raises(Forbidden):
            service.enter_result(store, caller, event.event_id, "main", match.match_id, WIN, now())
    competition_officials.name_official(store, ADMIN, event.event_id, members[20].staff_no, "referee", now())
    assert service.enter_result(store, principal(members[20]), event.event_id, "main", match.match_id, WIN, now())
    competition_officials.remove_official(store, ADMIN, event.event_id, members[20].staff_no, "referee", now())
    nxt = ready(store, event, "main")[0]
    with pytest.raises(Forbidden):
        service.enter_result(store, principal(members[20]), event.event_id, "main", nxt.match_id, WIN, now())


def test_groups_then_knockout_crossing_and_publication(union):
    store, members = union
    event = tournament(store, members, 8)
    stages = [
        {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 2, "qualifiers": 2},
        {"stage_id": "ko", "kind": "single_elimination", "name_zh": "淘汰赛"},
    ]
    configure(store, event, stages)
    drawn = service.draw(store, ADMIN, event.event_id, "groups", now())
    groups = drawn.competition.run("groups").groups
    assert [len(g) for g in groups] == [4, 4]
    # Members of the three units: no unit has more than two in a group of four (3 units over 2 groups).
    units = drawn.entry_units()
    for group in groups:
        assert max(sum(units[e] == u for e in group) for u in set(units.values())) <= 2
    assert len(drawn.stage_matches("groups")) == 12
    with pytest.raises(Conflict) as early:
        service.close_stage(store, ADMIN, event.event_id, "groups", now())
    assert early.value.code == "stage_unfinished"
    play_all(store, event, "groups")
    closed = service.close_stage(store, ADMIN, event.event_id, "groups", now())
    tables = service.outcome(closed, closed.competition.stage("groups")).tables
    a1, a2 = tables[0].rows[0].entry_id, tables[0].rows[1].entry_id
    b1, b2 = tables[1].rows[0].entry_id, tables[1].rows[1].entry_id
    assert closed.competition.run("ko").state == StageState.DRAWN
    first_round = [(m.home.entry, m.away.entry) for m in closed.stage_matches("ko") if m.round == 1]
    assert first_round == [(a1, b2), (a2, b1)]
    with pytest.raises(NotFound):
        service.view(store, ANONYMOUS, event.event_id)
    service.publish(store, ADMIN, event.event_id, True, now())
    assert service.view(store, ANONYMOUS, event.event_id).competition.published


JUDGED = [
    {
        "stage_id": "prelim",
        "kind": "judged",
        "name_zh": "预赛",
        "qualifiers": 2,
        "judging": {
            "criteria": [
                {"code": "pitch", "name_zh": "音准", "weight": 0.5},
                {"code": "stage", "name_zh": "台风", "weight": 0.5},
            ],
            "aggregation": "drop_high_low",
            "tiers": [{"code": "first", "name_zh": "一等奖", "count": 1}],
        },
    },
    {
        "stage_id": "final",
        "kind": "judged",
        "name_zh": "决赛",
        "judging": {"criteria": [{"code": "total", "name_zh": "总分", "weight": 1}], "aggregation": "mean"},
    },
]


def test_judges_mark_only_their_entries_see_only_their_marks_and_stop_at_close(union):
    store, members = union
    event = open_event(store, capacity=20, kind=EventKind.SKILLS, format=EventFormat.CONTEST, title_zh="歌手大赛")
    singers = members[40:44]
    for singer in singers:
        register(store, singer, event)
    judges, second_panel = members[50:55], members[55:58]
    panels = [{"panel_id": "p1", "name_zh": "第一评委组", "judges": [j.staff_no for j in judges],
               "entries": [s.staff_no for s in singers[:3]]},
              {"panel_id": "p2", "name_zh": "第二评委组", "judges": [j.staff_no for j in second_panel],
               "entries": [singers[3].staff_no]}]  # fmt: skip
    stages = [{**JUDGED[0], "judging": {**JUDGED[0]["judging"], "panels": panels}}, JUDGED[1]]
    service.configure(store, ADMIN, event.event_id, {"match_format": "badminton", "tiebreak": "badminton",
                                                     "stages": stages}, now())  # fmt: skip
    for judge in [*judges, *second_panel]:
        competition_officials.name_official(store, ADMIN, event.event_id, judge.staff_no, "judge", now())
    service.open_stage(store, ADMIN, event.event_id, "prelim", now())
    _state, _stage, _run, entries, own = service.judge_sheet(store, principal(judges[0]), event.event_id, "prelim")
    assert entries == [s.staff_no for s in singers[:3]] and own == {}
    with pytest.raises(Forbidden):
        service.submit_marks(store, principal(judges[0]), event.event_id, "prelim", singers[3].staff_no,
                             {"pitch": 90, "stage": 90}, now())  # fmt: skip
    with pytest.raises(Forbidden):
        service.judge_sheet(store, principal(members[60]), event.event_id, "prelim")
    with pytest.raises(InvalidInput):
        service.submit_marks(store, principal(judges[0]), event.event_id, "prelim", singers[0].staff_no,
                             {"pitch": 101, "stage": 90}, now())  # fmt: skip
    marks = {0: [90, 85, 86, 91, 88], 1: [80, 80, 80, 80, 80], 2: [70, 75, 72, 71, 90]}
    for index, row in marks.items():
        for judge, mark in zip(judges, row, strict=True):
            service.submit_marks(store, principal(judge), event.event_id, "prelim", singers[index].staff_no,
                                 {"pitch": mark, "stage": mark}, now())  # fmt: skip
    for judge in second_panel:
        service.submit_marks(store, principal(judge), event.event_id, "prelim", singers[3].staff_no,
                             {"pitch": 60, "stage": 60}, now())  # fmt: skip
    sheet = service.judge_sheet(store, principal(judges[1]), event.event_id, "prelim")[4]
    own_marks = {singers[i].staff_no: {"pitch": float(row[1]), "stage": float(row[1])} for i, row in marks.items()}
    assert sheet == own_marks
    current = state(store, event)
    outcome = service.outcome(current, current.competition.stage("prelim"))
    scores = {line.entry_id: line.score for line in outcome.judged}
    assert str(scores[singers[0].staff_no]) == "88.00"  # 91 and 85 dropped: (90 + 86 + 88) / 3
    assert str(scores[singers[2].staff_no]) == "72.67"  # 90 and 70 dropped: (75 + 72 + 71) / 3
    assert [line.award for line in outcome.judged][:1] == ["first"]
    closed = service.close_stage(store, ADMIN, event.event_id, "prelim", now())
    assert closed.competition.run("final").entries == (singers[0].staff_no, singers[1].staff_no)
    with pytest.raises(Conflict) as late:
        service.submit_marks(store, principal(judges[0]), event.event_id, "prelim", singers[0].staff_no,
                             {"pitch": 99, "stage": 99}, now())  # fmt: skip
    assert late.value.code == "panel_closed"


def test_a_meet_places_disciplines_and_adds_unit_totals(union):
    store, members = union
    event = open_event(store, capacity=50, kind=EventKind.SPORTS, format=EventFormat.MEET, title_zh="田径运动会")
    runners = members[70:76]  # units math, med, cs, math, med, cs
    for runner in runners:
        register(store, runner, event)
    ids = [r.staff_no for r in runners]
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"place_points": [7, 5, 4, 3, 2, 1],
               "disciplines": [{"code": "m100", "name_zh": "100米", "measure": "time", "entries": ids},
                               {"code": "shot", "name_zh": "铅球", "measure": "distance", "attempts": 3,
                                "entries": ids[:3]}]}}]  # fmt: skip
    service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())
    service.open_stage(store, ADMIN, event.event_id, "meet", now())
    times = ["12.10", "12.50", "12.30", "13.00", "12.30", "14.00"]
    for entry, time in zip(ids, times, strict=True):
        meet_service.enter_performance(store, ADMIN, event.event_id, "meet", "m100", entry, [time], now())
    for entry, marks in zip(ids[:3], (["8.10", "", "8.50"], ["9.00", "9.20", ""], ["", "", ""]), strict=True):
        meet_service.enter_performance(store, ADMIN, event.event_id, "meet", "shot", entry, marks, now())
    with pytest.raises(InvalidInput):
        meet_service.enter_performance(store, ADMIN, event.event_id, "meet", "m100", ids[0], ["12.1.0"], now())
    current = state(store, event)
    outcome = service.outcome(current, current.competition.stage("meet"))
    m100 = outcome.disciplines[0]
    assert [(p.entry_id, p.place) for p in m100.placings] == [
        (ids[0], 1), (ids[2], 2), (ids[4], 2), (ids[1], 4), (ids[3], 5), (ids[5], 6)
    ]  # fmt: skip
    # 100 m: math 7 + 2, med 4.5 (tied 2nd) + 3, cs 4.5 + 1; shot put: med 7 (9.20), math 5 (8.50), cs no mark.
    totals = {line.unit_id: line.points for line in outcome.units}
    assert totals == {"math": 14, "med": Fraction(29, 2), "cs": Fraction(11, 2)}
    assert [line.unit_id for line in outcome.units] == ["med", "math", "cs"]


def test_unpublished_competitions_are_hidden_but_officials_see_them(union):
    store, members = union
    event = tournament(store, members, 4)
    configure(store, event, KNOCKOUT)
    with pytest.raises(NotFound):
        service.view(store, principal(members[90]), event.event_id)
    competition_officials.name_official(store, ADMIN, event.event_id, members[90].staff_no, "judge", now())
    assert service.view(store, principal(members[90]), event.event_id).competition.stages[0].stage_id == "main"
    assert [event.event_id] == [e.event_id for _role, e in competition_officials.duties(store, principal(members[90]))]
    assert event.starts_at > now() - timedelta(days=1)


def test_a_recorded_seed_reproduces_the_stored_draw(union):
    store, members = union
    event = tournament(store, members, 12)
    groups = {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 3, "qualifiers": 2}
    configure(store, event, [groups, {"stage_id": "ko", "kind": "single_elimination", "name_zh": "淘汰赛"}])
    drawn = service.draw(store, ADMIN, event.event_id, "groups", now())
    run = drawn.competition.run("groups")
    stored = state(store, event)
    again = draw_stage(stored.competition, stored.competition.stage("groups"), run.entries, run.seed)
    assert again.groups == run.groups
    assert [m.to_dict() for m in again.matches] == [m.to_dict() for m in stored.stage_matches("groups")]


def test_a_format_the_entries_cannot_fill_is_refused_with_a_reason_and_nothing_is_drawn(union):
    store, members = union
    event = tournament(store, members, 5)
    configure(store, event, [{"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 3}])
    with pytest.raises(Conflict) as refused:
        service.draw(store, ADMIN, event.event_id, "groups", now())
    assert refused.value.code == "too_few_entries"  # three groups of at least two need six
    current = state(store, event)
    assert current.competition.run("groups").state == StageState.PENDING
    assert store.competitions.get(event.event_id).matches == []
