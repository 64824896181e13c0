"""The timetable (chalicelib/domain/competition/timetable.py) against the real scheduler: the venue's bounds, a
competition's matches turned into jobs and placed with every rule kept, locked and played matches kept, a postponed
league match moved on or after its new date at its home courts, and moves by hand flagged."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from bench.schedule import groups_then_knockout
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition import schedule as sched
from chalicelib.domain.competition import timetable as tt
from chalicelib.domain.competition.model import Match, MatchStatus
from chalicelib.domain.competition.round_robin import league_fixtures
from chalicelib.domain.competition.schedule import Referee, job_id
from chalicelib.domain.competition.setup import Competition

DAY = datetime(2026, 12, 5, tzinfo=CHINA_TZ)


def clock(hours: float, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, minutes=round(hours * 60))


def venue(**extra: Any) -> tt.Venue:
    data: dict[str, Any] = {
        "courts": [{"court_id": f"c{i}", "name_zh": f"{i}号场"} for i in range(1, 5)],
        "sessions": [
            {"start": clock(8.5).isoformat(), "end": clock(12).isoformat()},
            {"start": clock(13).isoformat(), "end": clock(18.5).isoformat()},
        ],
        "slot_minutes": 50,
        "rest_minutes": 20,
    }
    return tt.Venue.model_validate({**data, **extra})


def cup() -> tuple[Competition, dict[str, list[Match]]]:
    """Sixteen teams of eight units, four groups of four, then an eight-team knockout with a third-place match."""
    entries = [{"entry_id": f"t{i:02d}", "name": f"队{i:02d}", "unit_id": f"u{i % 8}"} for i in range(16)]
    matches = groups_then_knockout(entries, 4, {"t00": 1, "t01": 2}, "timetable-test")
    stages = [
        {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 4, "qualifiers": 2},
        {"stage_id": "knockout", "kind": "single_elimination", "name_zh": "淘汰赛", "third_place": True},
    ]
    competition = Competition.model_validate(
        {"event_id": "ev", "entry_kind": "team", "stages": stages, "entries": entries}
    )
    by_stage: dict[str, list[Match]] = defaultdict(list)
    for match in matches:
        by_stage[match.stage_id].append(match)
    return competition, dict(by_stage)


def spans(placements: dict[str, tt.MatchPlacement], minutes: int = 50) -> dict[str, tuple[datetime, datetime]]:
    return {
        key: (p.starts_at, p.starts_at + timedelta(minutes=minutes))
        for key, p in placements.items()
        if p.starts_at is not None
    }


def by_key(matches: dict[str, list[Match]]) -> dict[str, Match]:
    return {job_id(match): match for stage in matches.values() for match in stage}


# --- the venue ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"courts": []},
        {"courts": [{"court_id": "c1", "name_zh": "1号场"}, {"court_id": "c1", "name_zh": "又一个"}]},
        {"sessions": [{"start": clock(12).isoformat(), "end": clock(8).isoformat()}]},
        {"sessions": [{"start": clock(8).isoformat(), "end": clock(8, day=1).isoformat()}]},
        {"sessions": [{"start": "2026-12-05T08:00:00", "end": "2026-12-05T12:00:00"}]},  # no zone
        {"sessions": [{"start": clock(8).isoformat(), "end": clock(9).isoformat(), "courts": ["c9"]}]},
        {"sessions": []},
        {"slot_minutes": 5},
        {"rest_minutes": 241},
        {"unknown": 1},
    ],
)
def test_a_venue_that_cannot_be_played_is_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        venue(**change)


def test_slot_minutes_per_stage_else_one_for_all() -> None:
    place = venue(stage_minutes=[{"stage_id": "knockout", "minutes": 70}])
    assert place.minutes("knockout") == 70 and place.minutes("groups") == 50


# --- scheduling a competition -------------------------------------------------------------------------------------


def test_the_cup_fits_one_day_on_four_courts_with_every_rule_kept() -> None:
    competition, matches = cup()
    place = venue(together=True)
    done = tt.planned(competition, matches, place, {}, (), clock(0))
    assert done.unplaced == () and len(done.placements) == 32
    assert tt.conflicts(competition, matches, place, done.placements, ()) == []
    times = spans(done.placements)
    assert max(end for _, end in times.values()) <= clock(18.5)
    # no entry on two courts at once, and 20 minutes' rest between its matches
    played: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for key, match in by_key(matches).items():
        for entry in match.entries:
            played[entry].append(times[key])
    for entry_spans in played.values():
        entry_spans.sort()
        for (_, end), (start, _) in itertools.pairwise(entry_spans):
            assert start >= end + timedelta(minutes=20)
    # every knockout match after every group match (and its rest)
    last_group = max(end for key, (_, end) in times.items() if key.startswith("groups/"))
    assert min(start for key, (start, _) in times.items() if key.startswith("knockout/")) >= last_group
    # rounds kept together: no match of another round starts inside a round
    rounds: dict[tuple[str, int], list[datetime]] = defaultdict(list)
    for key, match in by_key(matches).items():
        rounds[(match.stage_id, match.round if match.bracket != "3P" else 3)].append(times[key][0])
    ordered = sorted(rounds.values(), key=min)
    for before, after in itertools.pairwise(ordered):
        assert max(before) <= min(after)


def test_referees_are_never_on_their_own_units_match() -> None:
    competition, matches = cup()
    referees = [Referee(f"202400{i}", f"u{i}") for i in range(8)]
    place = venue(referees=True)
    done = tt.planned(competition, matches, place, {}, referees, clock(0))
    assert done.unplaced == ()
    units = {entry.entry_id: entry.unit_id for entry in competition.entries}
    unit_of = {referee.referee_id: referee.unit_id for referee in referees}
    for key, match in by_key(matches).items():
        referee = done.placements[key].referee
        assert referee is not None
        assert unit_of[referee] not in {units[entry] for entry in match.entries}
    assert tt.conflicts(competition, matches, place, done.placements, referees) == []
    # without the option, nobody is assigned
    assert all(
        p.referee is None for p in tt.planned(competition, matches, venue(), {}, referees, clock(0)).placements.values()
    )


def test_locked_and_played_matches_are_kept_and_nothing_goes_before_now() -> None:
    competition, matches = cup()
    place = venue()
    first = tt.planned(competition, matches, place, {}, (), clock(0)).placements
    keys = sorted(key for key in first if key.startswith("groups/"))
    locked_key, played_key = keys[0], keys[1]
    placements = dict(first)
    placements[locked_key] = tt.MatchPlacement(court="c4", starts_at=clock(17), locked=True)
    placements[played_key] = first[played_key]
    group_matches = [m._replace(status=MatchStatus.DONE) if job_id(m) == played_key else m for m in matches["groups"]]
    replayed = {**matches, "groups": group_matches}
    again = tt.planned(competition, replayed, place, placements, (), clock(0))
    assert again.placements[locked_key] == placements[locked_key]
    assert again.placements[played_key] == first[played_key]
    # rescheduled at 10:00: what started before stays, the rest starts from 10:00 on
    later = tt.planned(competition, matches, place, first, (), clock(10))
    for key, placement in later.placements.items():
        assert placement.starts_at is not None
        if first[key].starts_at <= clock(10):  # type: ignore[operator]
            assert placement == first[key]
        else:
            assert placement.starts_at >= clock(10)


def test_moves_that_break_a_rule_are_flagged() -> None:
    competition, matches = cup()
    place = venue()
    placements = dict(tt.planned(competition, matches, place, {}, (), clock(0)).placements)
    group = [job_id(m) for m in matches["groups"]]
    one, two = group[0], group[1]
    placements[two] = placements[one].model_copy(update={"locked": True})  # same court, same time
    placements[group[2]] = tt.MatchPlacement(court="c1", starts_at=clock(20), locked=True)  # after closing time
    found = tt.conflicts(competition, matches, place, placements, ())
    kinds = tt.conflicts_by_match(found)
    assert sched.COURT_DOUBLE_BOOKED in kinds[one] and sched.COURT_DOUBLE_BOOKED in kinds[two]
    # after closing time, and after the knockout it feeds has started
    assert sorted(kinds[group[2]]) == [sched.BEFORE_DEPENDENCY, sched.OUTSIDE_SESSION]


def test_a_postponed_league_match_moves_on_or_after_its_new_date_at_the_home_courts() -> None:
    ids = [f"t{i}" for i in range(4)]
    entries = [{"entry_id": entry, "name": entry, "unit_id": f"u{i}"} for i, entry in enumerate(ids)]
    stage = {"stage_id": "league", "kind": "league", "name_zh": "联赛", "first_matchday": "2026-09-05",
             "days_between": 7}  # fmt: skip
    competition = Competition.model_validate(
        {"event_id": "ev", "entry_kind": "team", "stages": [stage], "entries": entries, "match_format": "football",
         "tiebreak": "football_fifa"}
    )  # fmt: skip
    matches = {"league": league_fixtures("league", ids, 1, date(2026, 9, 5), 7)}
    homes = [{"entry_id": entry, "courts": [f"p{i}"]} for i, entry in enumerate(ids)]
    place = tt.Venue.model_validate(
        {
            "courts": [{"court_id": f"p{i}", "name_zh": f"{i}号球场"} for i in range(4)],
            "matchday_times": [{"start": "15:00", "end": "18:00"}],
            "slot_minutes": 120,
            "home_venues": homes,
        }
    )
    first = tt.planned(competition, matches, place, {}, (), datetime(2026, 9, 1, tzinfo=CHINA_TZ))
    assert first.unplaced == ()
    games = by_key(matches)
    for key, placement in first.placements.items():
        match = games[key]
        assert placement.court == f"p{ids.index(match.home.entry or '')}"
        assert placement.starts_at == datetime.combine(date.fromisoformat(match.matchday or ""), datetime.min.time(),
                                                       CHINA_TZ) + timedelta(hours=15)  # fmt: skip
    moved = sorted(first.placements)[0]
    placements = {**first.placements, moved: tt.MatchPlacement(postponed_to=date(2026, 10, 1))}
    again = tt.planned(competition, matches, place, placements, (), datetime(2026, 9, 1, tzinfo=CHINA_TZ))
    placement = again.placements[moved]
    assert placement.starts_at == datetime(2026, 10, 1, 15, tzinfo=CHINA_TZ)
    assert placement.court == f"p{ids.index(games[moved].home.entry or '')}"
    assert placement.postponed_to == date(2026, 10, 1)
    # at an away ground it is flagged
    elsewhere = {
        **again.placements,
        moved: placement.model_copy(update={"court": "p3" if placement.court != "p3" else "p0"}),
    }
    assert tt.conflicts_by_match(tt.conflicts(competition, matches, place, elsewhere, ()))[moved] == [sched.WRONG_COURT]


def test_the_overlay_shows_court_names_and_china_times() -> None:
    competition, matches = cup()
    place = venue()
    placements = tt.planned(competition, matches, place, {}, (), clock(0)).placements
    shown = tt.overlay(matches["groups"], place, placements)
    first = shown[0]
    assert first.court is not None and first.court.endswith("号场")
    assert first.starts_at == placements[job_id(first)].starts_at.isoformat()  # type: ignore[union-attr]
    assert tt.overlay(matches["groups"], None, placements) == matches["groups"]
