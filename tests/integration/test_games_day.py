"""A games day (趣味运动会, issue 19 item 6) against DynamoDB Local: its events are unit teams (拔河 by points, 跳大绳
by count, 托球接力 by time) entered through the relay service, scoring for their unit like relays; the meet scores
them once (relay_factor 1), fewer places when fewer teams took part (a DNS team does not count), and ranks the units
with a shared rank when points and places are equal."""

from __future__ import annotations

from fractions import Fraction

from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.services import competition as competition_service
from chalicelib.services import meet as meet_service
from chalicelib.services import relays
from tests.integration.test_registration import ADMIN, open_event

GAMES = [
    {"code": "TUG", "name_zh": "拔河", "name_en": "Tug of war", "measure": "points", "relay": True, "legs": 8,
     "reserves": 0},
    {"code": "ROPE", "name_zh": "跳大绳", "name_en": "Long rope skipping", "measure": "points", "relay": True,
     "legs": 10, "reserves": 0},
    {"code": "BALL", "name_zh": "托球接力", "name_en": "Ball-on-racket relay", "measure": "time", "relay": True,
     "legs": 4, "reserves": 0},
]  # fmt: skip
UNITS = ("cs", "math", "med")


def test_a_games_day_scores_unit_teams_once_with_fewer_places_for_fewer_teams(union):
    store, members = union
    event = open_event(store, capacity=80, kind=EventKind.SPORTS, format=EventFormat.MEET, title_zh="教职工趣味运动会")
    meet = {"disciplines": GAMES, "place_points": [7, 5, 4, 3, 2, 1], "relay_factor": 1, "fewer_entries": "minus_one"}
    stages = [{"stage_id": "games", "kind": "measured", "name_zh": "趣味运动会", "meet": meet}]
    competition_service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())
    for game in GAMES:
        for unit in UNITS:
            people = [m.staff_no for m in members if m.unit_id == unit][: game["legs"]]
            team = relays.enter_team(store, ADMIN, event.event_id, game["code"], unit, people, [], None, now())
            assert team.entry_id == f"{game['code']}-{unit}" and team.unit_id == unit
    competition_service.open_stage(store, ADMIN, event.event_id, "games", now())
    results = {
        "TUG": {"cs": "3", "math": "2", "med": "1"},  # wins in the round robin of pulls
        "ROPE": {"math": "120", "med": "98", "cs": "95"},  # jumps in two minutes
        "BALL": {"med": "35.20", "cs": "36.00", "math": "DNS"},
    }
    for code, by_unit in results.items():
        for unit, mark in by_unit.items():
            meet_service.enter_performance(store, ADMIN, event.event_id, "games", code, f"{code}-{unit}", [mark], now())
    competition_service.close_stage(store, ADMIN, event.event_id, "games", now())
    state = competition_service.managed(store, ADMIN, event.event_id)[1]
    outcome = competition_service.outcome(state, state.competition.stages[0])
    points = {result.discipline.code: result.points for result in outcome.disciplines}
    # Three teams pulled and skipped: two places score (7, 5), once each. Two teams carried the ball: one place.
    assert points["TUG"] == {"TUG-cs": 7, "TUG-math": 5}
    assert points["ROPE"] == {"ROPE-math": 7, "ROPE-med": 5}
    assert points["BALL"] == {"BALL-med": 7}
    [overall] = outcome.unit_tables  # no groups: the overall table only
    lines = [(line.unit_id, line.rank, line.points, line.places, line.shared) for line in overall.lines]
    assert lines == [
        ("math", 1, Fraction(12), (1, 1), True),  # 1st + 2nd each: a shared rank
        ("med", 1, Fraction(12), (1, 1), True),
        ("cs", 3, Fraction(7), (1, 0), False),
    ]
