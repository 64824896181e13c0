"""The scheduler: every constraint it keeps, what it cannot place and why, determinism, and the checker catching
hand-made conflicts (chalicelib/domain/competition/schedule.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.domain.competition import schedule as sched
from chalicelib.domain.competition.elimination import GrandFinal, double_elimination, single_elimination
from chalicelib.domain.competition.schedule import (
    Court,
    Job,
    Options,
    Placement,
    Referee,
    Session,
    jobs_from_matches,
    schedule,
    schedule_conflicts,
)

DAY = datetime(2026, 12, 5, 9, 0)
COURTS = [Court("c1", "1号场"), Court("c2", "2号场")]
DAY_SESSION = [Session(DAY, DAY + timedelta(hours=8))]
NO_OPTIONS = Options()


def at(minutes: int) -> datetime:
    return DAY + timedelta(minutes=minutes)


def job(match_id: str, *entries: str, minutes: int = 30, units: tuple[str, ...] = (), **extra: object) -> Job:
    return Job(match_id=match_id, minutes=minutes, entries=entries, units=units, **extra)  # type: ignore[arg-type]


def kinds(conflicts: list[sched.Conflict]) -> list[str]:
    return [conflict.kind for conflict in conflicts]


def check(
    jobs: list[Job],
    plan: sched.Plan | dict[str, Placement],
    sessions: list[Session] = DAY_SESSION,
    options: Options = NO_OPTIONS,
) -> list[sched.Conflict]:
    """What the checker finds in a plan (or hand-made placements) on the two courts."""
    placed = plan.placed if isinstance(plan, sched.Plan) else plan
    return schedule_conflicts(jobs, placed, COURTS, sessions, options)


# --- the scheduler keeps every rule ----------------------------------------------------------------------------


def test_an_entry_is_never_on_two_courts_at_once() -> None:
    jobs = [job("m1", "a", "b"), job("m2", "a", "c"), job("m3", "d", "e")]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options())
    assert plan.placed["m1"].start == at(0) and plan.placed["m3"].start == at(0)
    assert plan.placed["m2"].start == at(30)  # "a" plays m1 first; court 2 is free but "a" is not
    assert check(jobs, plan) == []


def test_rest_between_an_entrys_matches() -> None:
    jobs = [job("m1", "a", "b"), job("m2", "a", "c")]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options(rest_minutes=20))
    assert plan.placed["m2"].start == at(50)
    assert check(jobs, plan, options=Options(rest_minutes=20)) == []


def test_a_court_holds_one_match_at_a_time() -> None:
    jobs = [job(f"m{i}", f"x{i}", f"y{i}") for i in range(5)]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options())
    starts = sorted((placement.court, placement.start) for placement in plan.placed.values())
    assert len(set(starts)) == 5
    assert [start for _, start in starts] == [at(0), at(30), at(60), at(0), at(30)]


def test_a_match_follows_the_matches_that_feed_it_with_rest() -> None:
    jobs = [job("sf1", "a", "b"), job("sf2", "c", "d", minutes=60), job("f", after=("sf1", "sf2"))]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options(rest_minutes=15))
    assert plan.placed["f"].start == at(75)  # sf2 ends at 60, its winner rests 15
    assert check(jobs, plan, options=Options(rest_minutes=15)) == []


def test_depth_orders_before_the_order_given() -> None:
    jobs = [job("f", after=("sf",)), job("sf", "a", "b")]
    plan = schedule(jobs, COURTS[:1], DAY_SESSION, Options())
    assert (plan.placed["sf"].start, plan.placed["f"].start) == (at(0), at(30))


def test_matches_stay_inside_the_sessions_of_their_court() -> None:
    sessions = [
        Session(DAY, DAY + timedelta(minutes=60), ("c1",)),
        Session(DAY + timedelta(minutes=120), DAY + timedelta(minutes=180)),
    ]
    jobs = [job(f"m{i}", f"x{i}", f"y{i}", minutes=40) for i in range(4)]
    plan = schedule(jobs, COURTS, sessions, Options())
    assert {mid: (p.court, p.start) for mid, p in plan.placed.items()} == {
        "m0": ("c1", at(0)),  # only court 1 opens in the morning, and holds one 40-minute match before 60
        "m1": ("c1", at(120)),
        "m2": ("c2", at(120)),
    }
    assert plan.unplaced == (sched.Unplaced("m3", sched.NO_COURT_TIME),)
    assert check(jobs, plan, sessions=sessions) == []


def test_referees_never_on_their_own_units_match_nor_on_two_at_once() -> None:
    referees = (Referee("r-law", "law"), Referee("r-cs", "cs"))
    jobs = [
        job("m1", "a", "b", units=("law", "math")),
        job("m2", "c", "d", units=("physics", "math")),
        job("m3", "e", "f", units=("cs", "art")),
    ]
    options = Options(referees=referees)
    plan = schedule(jobs, COURTS, DAY_SESSION, options)
    assert plan.placed["m1"].referee == "r-cs" and plan.placed["m3"].referee == "r-law"
    assert plan.placed["m2"].start == at(0) or plan.placed["m3"].start == at(0)
    assert len({(p.referee, p.start) for p in plan.placed.values()}) == 3
    assert check(jobs, plan, options=options) == []


def test_a_round_kept_together_is_not_interleaved_with_the_next() -> None:
    # Round 1: "a" plays twice, so with 20 minutes' rest its second match starts at 50; without "together" round
    # 2's match takes the free court at 30, inside round 1; with it, round 2 waits until round 1's last start.
    jobs = [job("r1-0", "a", "b", block="R1"), job("r1-1", "a", "c", block="R1"), job("r1-2", "d", "e", block="R1")]
    jobs.append(job("r2-1", "p", "q", round=2, block="R2"))
    loose = schedule(jobs, COURTS, DAY_SESSION, Options(rest_minutes=20))
    kept = schedule(jobs, COURTS, DAY_SESSION, Options(rest_minutes=20, together=True))
    assert (loose.placed["r1-1"].start, loose.placed["r2-1"].start) == (at(50), at(30))
    assert (kept.placed["r1-1"].start, kept.placed["r2-1"].start) == (at(50), at(50))
    assert check(jobs, kept, options=Options(rest_minutes=20, together=True)) == []
    assert [(c.kind, c.matches, c.detail) for c in check(jobs, loose, options=Options(together=True))] == [
        (sched.BLOCK_SPLIT, ("r2-1",), "R1")
    ]


# --- what it cannot place, and why -----------------------------------------------------------------------------


def test_too_long_for_any_session_is_left_out_with_its_followers() -> None:
    jobs = [job("long", "a", "b", minutes=600), job("next", after=("long",)), job("short", "c", "d")]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options())
    assert set(plan.placed) == {"short"}
    assert sorted((u.match_id, u.reason) for u in plan.unplaced) == [
        ("long", sched.NO_COURT_TIME),
        ("next", sched.AFTER_UNPLACED),
    ]


def test_no_room_left_in_the_day() -> None:
    jobs = [job(f"m{i}", f"x{i}", f"y{i}", minutes=60) for i in range(20)]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options())
    assert len(plan.placed) == 16 and [u.reason for u in plan.unplaced] == [sched.NO_COURT_TIME] * 4
    assert plan.end == at(480) and check(jobs, plan) == []


def test_no_referee_of_another_unit_leaves_the_match_out() -> None:
    jobs = [job("m1", "a", "b", units=("law", "cs"))]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options(referees=(Referee("r1", "law"),)))
    assert plan.placed == {} and plan.unplaced == (sched.Unplaced("m1", sched.NO_REFEREE),)


def test_a_dependency_cycle_is_refused_not_looped() -> None:
    jobs = [job("x", after=("y",)), job("y", after=("x",)), job("z", "a", "b")]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options())
    assert set(plan.placed) == {"z"}
    assert {(u.match_id, u.reason) for u in plan.unplaced} == {
        ("x", sched.DEPENDENCY_CYCLE),
        ("y", sched.DEPENDENCY_CYCLE),
    }


def test_no_courts_or_no_sessions() -> None:
    jobs = [job("m1", "a", "b")]
    assert schedule(jobs, [], DAY_SESSION, Options()).unplaced == (sched.Unplaced("m1", sched.NO_COURT_TIME),)
    assert schedule(jobs, COURTS, [], Options()).end is None


def test_repair_places_what_the_first_pass_left_out() -> None:
    # Court 1 is open 60 minutes, court 2 only 30. The first pass puts the short match on court 1 at 0, leaving no
    # 60 minutes anywhere for the long one; the repair pass places the long match first and both fit.
    sessions = [Session(DAY, at(60), ("c1",)), Session(DAY, at(30), ("c2",))]
    jobs = [job("short", "a", "b"), job("long", "c", "d", minutes=60)]
    plan = schedule(jobs, COURTS, sessions, Options())
    assert plan.unplaced == ()
    assert (plan.placed["long"], plan.placed["short"]) == (Placement("c1", at(0)), Placement("c2", at(0)))
    assert check(jobs, plan, sessions=sessions) == []


def test_the_same_input_gives_the_same_plan() -> None:
    jobs = [job(f"m{i}", f"e{i % 7}", f"e{(i * 3 + 1) % 7}", round=i % 3) for i in range(30)]
    options = Options(rest_minutes=10, referees=(Referee("r1", "u1"), Referee("r2", "u2")))
    plans = [schedule(jobs, COURTS, DAY_SESSION, options) for _ in range(3)]
    assert plans[0] == plans[1] == plans[2]


def test_the_only_referee_busy_elsewhere_waits_then_leaves_out() -> None:
    referees = (Referee("r1", "art"),)
    jobs = [job("m1", "a", "b", minutes=240), job("m2", "c", "d", minutes=240), job("m3", "e", "f", minutes=240)]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options(referees=referees))
    assert [(p.court, p.start, p.referee) for p in plan.placed.values()] == [("c1", at(0), "r1"), ("c1", at(240), "r1")]
    assert plan.unplaced == (sched.Unplaced("m3", sched.NO_REFEREE),)  # court 2 free all day, no referee for it


def test_a_match_tied_to_its_venue_uses_only_its_courts() -> None:
    jobs = [job("home-a", "a", "b", courts=("c2",)), job("home-c", "c", "d", courts=("c2",)), job("any", "e", "f")]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options())
    assert [(m, p.court, p.start) for m, p in plan.placed.items()] == [
        ("home-a", "c2", at(0)),
        ("home-c", "c2", at(30)),  # court 1 is free at 0, but not at c's venue
        ("any", "c1", at(0)),
    ]
    assert check(jobs, plan) == []
    moved = {**plan.placed, "home-c": Placement("c1", at(30))}
    assert [(c.kind, c.matches, c.detail) for c in check(jobs, moved)] == [(sched.WRONG_COURT, ("home-c",), "c1")]


# --- locked matches and postponed ones -------------------------------------------------------------------------


def test_fixed_placements_are_kept_and_planned_around() -> None:
    jobs = [job("locked", "a", "b"), job("m2", "a", "c"), job("m3", "d", "e"), job("f", after=("locked",))]
    fixed = {"locked": Placement("c2", at(60), "r9")}
    plan = schedule(jobs, COURTS, DAY_SESSION, Options(rest_minutes=10), fixed)
    assert plan.placed["locked"] == Placement("c2", at(60), "r9")
    assert plan.placed["m2"].start == at(0)  # "a" plays at 0-30, rests until 40, then the locked match at 60
    assert plan.placed["f"].start == at(100) and plan.unplaced == ()
    assert check(jobs, plan, options=Options(rest_minutes=10)) == []


def test_a_match_a_fixed_one_follows_must_end_in_time_or_is_left_out() -> None:
    jobs = [job("sf", "a", "b"), job("f", after=("sf",)), job("busy", "a", "x", minutes=60)]
    in_time = schedule(jobs[:2], COURTS, DAY_SESSION, Options(rest_minutes=10), {"f": Placement("c1", at(60))})
    assert in_time.placed["sf"].start == at(0) and in_time.unplaced == ()
    # "a" is locked in a 60-minute match from 0: the semi-final could start at 70 at the earliest, too late
    locked = {"f": Placement("c1", at(60)), "busy": Placement("c2", at(0))}
    late = schedule(jobs, COURTS, DAY_SESSION, Options(rest_minutes=10), locked)
    assert late.unplaced == (sched.Unplaced("sf", sched.NO_COURT_TIME),)
    assert "sf" not in late.placed and check(jobs, late, options=Options(rest_minutes=10)) == []


def test_a_fixed_placement_outside_the_sessions_is_kept_and_flagged_by_the_checker() -> None:
    jobs = [job("m1", "a", "b"), job("m2", "c", "d")]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options(), {"m1": Placement("c1", at(-60))})
    assert plan.placed["m1"].start == at(-60) and plan.placed["m2"].start == at(0)
    assert [(c.kind, c.matches) for c in check(jobs, plan)] == [(sched.OUTSIDE_SESSION, ("m1",))]


def test_a_postponed_match_is_not_placed_before_its_new_date() -> None:
    sessions = [Session(DAY, at(120)), Session(DAY + timedelta(days=7), DAY + timedelta(days=7, minutes=120))]
    jobs = [job("postponed", "a", "b", not_before=DAY + timedelta(days=3)), job("m2", "c", "d")]
    plan = schedule(jobs, COURTS, sessions, Options())
    assert plan.placed["postponed"].start == DAY + timedelta(days=7) and plan.placed["m2"].start == at(0)


# --- jobs from the engine's matches ----------------------------------------------------------------------------


def test_jobs_from_a_bracket_follow_their_sources_and_skip_byes() -> None:
    units = {f"e{i}": f"u{i % 3}" for i in range(6)}
    matches = single_elimination("ko", ["e0", None, "e4", "e3", "e2", "e5", None, "e1"], third_place=True)
    jobs = jobs_from_matches(matches, units, {"ko": 40})
    by_id = {j.match_id: j for j in jobs}
    assert all(j.minutes == 40 and j.block == f"ko:{j.round}" for j in jobs)
    assert sorted(by_id) == ["ko/3P", "ko/W1-2", "ko/W1-3", "ko/W2-1", "ko/W2-2", "ko/W3-1"]  # byes take no time
    assert by_id["ko/W1-2"].units == ("u1", "u0") and by_id["ko/W1-2"].entries == ("e4", "e3")
    assert by_id["ko/W2-1"].after == ("ko/W1-2",) and by_id["ko/W2-2"].after == ("ko/W1-3",)
    assert by_id["ko/W3-1"].after == ("ko/W2-1", "ko/W2-2") == by_id["ko/3P"].after
    plan = schedule(jobs, COURTS, DAY_SESSION, Options(rest_minutes=10))
    assert plan.unplaced == () and check(jobs, plan, options=Options(rest_minutes=10)) == []


def test_jobs_from_a_double_elimination_follow_losers_too() -> None:
    matches = double_elimination("de", ["a", "b", "c", "d"], GrandFinal.RESET)
    jobs = {j.match_id: j for j in jobs_from_matches(matches, {}, {"de": 30})}
    assert jobs["de/L1-1"].after == ("de/W1-1", "de/W1-2") and jobs["de/GF2"].after == ("de/GF1",)
    assert [jobs[m].block for m in ("de/W1-1", "de/L1-1", "de/GF1")] == ["de:1", "de:L1", "de:GF1"]
    plan = schedule(list(jobs.values()), COURTS, DAY_SESSION, Options(rest_minutes=10, together=True))
    assert plan.unplaced == () and plan.placed["de/GF2"].start == at(160)  # W1, then W2 and L1 together, L2, GF1
    assert check(list(jobs.values()), plan, options=Options(rest_minutes=10, together=True)) == []


def test_a_knockout_after_its_groups_follows_every_group_match() -> None:
    jobs = jobs_from_matches(
        [*single_elimination("groups", ["a", "b"]), *single_elimination("ko", ["c", "d"])],
        {},
        {"groups": 30, "ko": 30},
        {"ko": ["groups"]},
    )
    assert [j.after for j in jobs] == [(), ("groups/W1-1",)]


# --- the checker catches hand-made conflicts -------------------------------------------------------------------


def test_checker_flags_a_double_booked_entry_and_court() -> None:
    jobs = [job("m1", "a", "b"), job("m2", "a", "c"), job("m3", "d", "e")]
    placed = {"m1": Placement("c1", at(0)), "m2": Placement("c2", at(15)), "m3": Placement("c1", at(20))}
    assert [(c.kind, c.matches, c.detail) for c in check(jobs, placed)] == [
        (sched.COURT_DOUBLE_BOOKED, ("m1", "m3"), "c1"),
        (sched.ENTRY_DOUBLE_BOOKED, ("m1", "m2"), "a"),
    ]


def test_checker_flags_rest_too_short() -> None:
    jobs = [job("m1", "a", "b"), job("m2", "a", "c")]
    placed = {"m1": Placement("c1", at(0)), "m2": Placement("c1", at(40))}
    assert kinds(check(jobs, placed, options=Options(rest_minutes=10))) == []
    assert [(c.kind, c.detail) for c in check(jobs, placed, options=Options(rest_minutes=15))] == [
        (sched.REST_TOO_SHORT, "a")
    ]


def test_checker_flags_a_match_before_one_that_feeds_it() -> None:
    jobs = [job("sf", "a", "b"), job("f", after=("sf",))]
    early = {"sf": Placement("c1", at(30)), "f": Placement("c2", at(30))}
    tight = {"sf": Placement("c1", at(0)), "f": Placement("c2", at(35))}
    assert [(c.kind, c.matches) for c in check(jobs, early)] == [(sched.BEFORE_DEPENDENCY, ("sf", "f"))]
    assert kinds(check(jobs, tight, options=Options(rest_minutes=10))) == [sched.REST_TOO_SHORT]


def test_checker_flags_a_referee_of_their_own_unit_or_on_two_courts() -> None:
    options = Options(referees=(Referee("r1", "law"),))
    jobs = [job("m1", "a", "b", units=("law", "cs")), job("m2", "c", "d", units=("art", "cs"))]
    placed = {"m1": Placement("c1", at(0), "r1"), "m2": Placement("c2", at(10), "r1")}
    assert [(c.kind, c.matches) for c in check(jobs, placed, options=options)] == [
        (sched.REFEREE_DOUBLE_BOOKED, ("m1", "m2")),
        (sched.REFEREE_OWN_UNIT, ("m1",)),
    ]


@pytest.mark.parametrize(
    ("placement", "flagged"),
    [
        (Placement("c1", at(0)), False),
        (Placement("c1", at(-10)), True),  # before the day opens
        (Placement("c1", at(470)), True),  # runs past the close
        (Placement("c9", at(0)), True),  # no such court
    ],
)
def test_checker_flags_matches_outside_their_courts_sessions(placement: Placement, flagged: bool) -> None:
    conflicts = check([job("m1", "a", "b")], {"m1": placement})
    assert kinds(conflicts) == ([sched.OUTSIDE_SESSION] if flagged else [])


def test_checker_knows_a_session_for_some_courts_only() -> None:
    sessions = [Session(DAY, DAY + timedelta(hours=2), ("c2",))]
    conflicts = check([job("m1", "a", "b")], {"m1": Placement("c1", at(0))}, sessions=sessions)
    assert [(c.kind, c.detail) for c in conflicts] == [(sched.OUTSIDE_SESSION, "c1")]


def test_a_hand_move_of_a_scheduled_match_is_caught() -> None:
    jobs = [job(f"m{i}", f"e{i % 5}", f"e{(i + 2) % 5}") for i in range(10)]
    plan = schedule(jobs, COURTS, DAY_SESSION, Options(rest_minutes=10))
    assert check(jobs, plan, options=Options(rest_minutes=10)) == []
    moved = dict(plan.placed)
    moved["m1"] = plan.placed["m0"]._replace()  # dragged onto m0's court and time
    assert (sched.COURT_DOUBLE_BOOKED, ("m0", "m1")) in [(c.kind, c.matches) for c in check(jobs, moved)]


# --- the demo cup, as bench/schedule.py builds it ---------------------------------------------------------------


def test_the_demo_cup_fits_one_day_on_four_courts_without_conflicts() -> None:
    from bench.schedule import demo_cup_case

    jobs, courts, sessions, options = demo_cup_case()
    plan = schedule(jobs, courts, sessions, options)
    assert len(jobs) == 32 and plan.unplaced == ()  # 24 group ties, 4 + 2 + 1 knockout ties and the third place
    assert plan.end is not None and plan.end.date() == sessions[0].start.date() and plan.end <= sessions[-1].end
    assert schedule_conflicts(jobs, plan.placed, courts, sessions, options) == []
    knockout = [plan.placed[j.match_id].start for j in jobs if j.stage_id == "knockout"]
    group_ends = [plan.placed[j.match_id].start + timedelta(minutes=j.minutes) for j in jobs if j.stage_id == "groups"]
    assert min(knockout) >= max(group_ends) + timedelta(minutes=options.rest_minutes)


@pytest.mark.parametrize("seed", range(20))
def test_what_the_scheduler_makes_the_checker_passes(seed: int) -> None:
    """Random tournaments (entries, dependencies, venues, referees, sessions with gaps, blocks): whatever
    the scheduler places, the checker finds nothing wrong with, and every job is placed or said why not."""
    import random

    rng = random.Random(seed)
    entries = [f"e{i}" for i in range(rng.randint(4, 12))]
    jobs: list[Job] = []
    for i in range(rng.randint(5, 40)):
        pair = tuple(rng.sample(entries, 2))
        after = tuple(rng.sample([j.match_id for j in jobs], min(len(jobs), rng.randint(0, 2))))
        jobs.append(
            job(
                f"m{i}",
                *pair,
                minutes=rng.choice((20, 30, 45)),
                units=tuple(f"u{int(e[1:]) % 3}" for e in pair),
                after=after,
                block=f"b{i // 4}",
                courts=rng.choice(((), ("c1",), ("c2",))),
            )
        )
    sessions = [Session(at(0), at(240)), Session(at(300), at(600), ("c2",))]
    referees = tuple(Referee(f"r{i}", f"u{i}") for i in range(rng.randint(0, 3)))
    options = Options(rest_minutes=rng.choice((0, 10)), together=rng.random() < 0.5, referees=referees)
    plan = schedule(jobs, COURTS, sessions, options)
    assert len(plan.placed) + len(plan.unplaced) == len(jobs)
    assert check(jobs, plan, sessions=sessions, options=options) == []
    assert plan == schedule(jobs, COURTS, sessions, options)
