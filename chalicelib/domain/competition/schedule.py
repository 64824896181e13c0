"""The order of play: each match on a court at a time, and every way a schedule breaks the rules.

Input is a list of ``Job`` s (one per match that is played: its entries and their units, its stage, round and group,
the matches it must follow, how long it takes and, where asked, the block it is kept together with), the courts and
the sessions they are open, and ``Options`` (minimum rest between an entry's matches, blocks kept together,
referees). ``schedule`` places the jobs by a greedy list schedule: in priority order (dependency depth, then round,
then the order given), each job goes to the earliest time and the first court where the court is open and free,
its entries have had their rest, the matches it follows have ended (plus the rest: their winners play on) and, with
referees, one not of either side's unit is free. A repair pass then moves the jobs it could not place to the front
of their depth and schedules again, keeping the better plan (fewer left out, then the earlier end).
Placements given as ``fixed`` (locked by hand, or already played) are booked first and kept; a match a fixed one
follows must end in time for it. A job's ``not_before`` holds a postponed match back until its new date.
``schedule_conflicts`` checks any schedule, hand-edited ones included, against the same rules.

Measured (``python -m bench.schedule``, docs/benchmarks.md): 200 matches on 8 courts in about 50 ms, and the
demo cup (16 teams, 4 courts) within one day, with no conflicts. Everything here is pure: no storage, no clock.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from chalicelib.domain.competition.model import LOSER_OF, WINNER_OF, Match, MatchStatus
from chalicelib.domain.language import N_

# Why a job could not be placed (``Unplaced.reason``), message ids.
NO_COURT_TIME = N_("schedule_no_court_time")  # no open court time left that fits it with its rest
NO_REFEREE = N_("schedule_no_referee")  # court time, but no referee of another unit free then
AFTER_UNPLACED = N_("schedule_after_unplaced")  # a match it must follow was not placed
DEPENDENCY_CYCLE = N_("schedule_dependency_cycle")  # it follows itself through other matches

# What ``schedule_conflicts`` flags (``Conflict.kind``), message ids.
ENTRY_DOUBLE_BOOKED = N_("schedule_entry_double_booked")
COURT_DOUBLE_BOOKED = N_("schedule_court_double_booked")
REST_TOO_SHORT = N_("schedule_rest_too_short")
BEFORE_DEPENDENCY = N_("schedule_before_dependency")
REFEREE_OWN_UNIT = N_("schedule_referee_own_unit")
REFEREE_DOUBLE_BOOKED = N_("schedule_referee_double_booked")
OUTSIDE_SESSION = N_("schedule_outside_session")
WRONG_COURT = N_("schedule_wrong_court")
BLOCK_SPLIT = N_("schedule_block_split")

REPAIR_ROUNDS = 3
_OWN_BLOCKS = {"L": "L", "GF": "GF"}  # brackets whose rounds are blocks of their own (model.Match.bracket)


class Court(NamedTuple):
    court_id: str
    name: str = ""


class Session(NamedTuple):
    """A time the venue's courts are open; ``courts`` empty means every court."""

    start: datetime
    end: datetime
    courts: tuple[str, ...] = ()


class Referee(NamedTuple):
    referee_id: str
    unit_id: str


class Job(NamedTuple):
    """A match to schedule. ``entries``/``units`` are the sides known so far; ``after`` the matches it must follow
    (where its entries come from, or the group matches that feed its knockout); ``block`` a key (a round, a tie)
    whose matches are kept together when ``Options.together`` is set."""

    match_id: str
    minutes: int
    stage_id: str = ""
    round: int = 1
    group: str = ""
    entries: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    block: str = ""
    not_before: datetime | None = None  # e.g. a postponed match, not before its new date
    courts: tuple[str, ...] = ()  # the courts it may use (a league match at the home team's venue); () = any


class Options(NamedTuple):
    rest_minutes: int = 0
    together: bool = False  # keep each block's matches together: no other block's match starts inside it
    referees: tuple[Referee, ...] = ()  # empty: matches need no referee from this schedule


class Placement(NamedTuple):
    court: str
    start: datetime
    referee: str | None = None


class Unplaced(NamedTuple):
    match_id: str
    reason: str


class Plan(NamedTuple):
    placed: dict[str, Placement]
    unplaced: tuple[Unplaced, ...]
    end: datetime | None  # when the last placed match ends


class Conflict(NamedTuple):
    kind: str
    matches: tuple[str, ...]
    detail: str = ""


# --- building jobs from the engine's matches ------------------------------------------------------------------


def jobs_from_matches(
    matches: Iterable[Match],
    units: Mapping[str, str],
    minutes: Mapping[str, int],
    feeds: Mapping[str, Sequence[str]] | None = None,
) -> list[Job]:
    """One job per match that is played (a bye or void match takes no time), named by ``job_id``. ``units`` maps
    entry to unit, ``minutes`` stage to slot length, ``feeds`` a stage to the stages whose matches it must follow (a
    knockout after its groups). A match's W:/L: sources become ``after``; a match fed by a bye follows what fed the
    bye instead. Each job's block is its stage and round: every group's round 1 together, the winners' bracket's
    rounds with the third-place match beside the final, the losers' bracket's and the grand final's apart."""
    matches = list(matches)
    by_id = {job_id(match): match for match in matches}
    played = [match for match in matches if match.status not in (MatchStatus.BYE, MatchStatus.VOID)]
    by_stage: dict[str, list[str]] = {}
    for match in played:
        by_stage.setdefault(match.stage_id, []).append(job_id(match))
    jobs = []
    for match in played:
        after = _sources(match, by_id, set())
        for stage in (feeds or {}).get(match.stage_id, ()):
            after.extend(by_stage.get(stage, ()))
        jobs.append(
            Job(
                match_id=job_id(match),
                minutes=minutes[match.stage_id],
                stage_id=match.stage_id,
                round=match.round,
                group=match.bracket,
                entries=match.entries,
                units=tuple(units[entry] for entry in match.entries if entry in units),
                after=tuple(dict.fromkeys(after)),
                block=f"{match.stage_id}:{_OWN_BLOCKS.get(match.bracket, '')}{match.round}",
            )
        )
    return jobs


def job_id(match: Match) -> str:
    """A match's job id, ``<stage_id>/<match_id>``: match ids are unique only within their stage (group W's first
    match and the knockout's are both ``W1-1``)."""
    return f"{match.stage_id}/{match.match_id}"


def _sources(match: Match, by_id: Mapping[str, Match], seen: set[str]) -> list[str]:
    found = []
    for slot in (match.home, match.away):
        source = slot.source or ""
        if not source.startswith((WINNER_OF, LOSER_OF)):
            continue
        feeder = by_id.get(f"{match.stage_id}/{source[2:]}")
        if feeder is None or job_id(feeder) in seen:
            continue
        seen.add(job_id(feeder))
        if feeder.status in (MatchStatus.BYE, MatchStatus.VOID):
            found.extend(_sources(feeder, by_id, seen))
        else:
            found.append(job_id(feeder))
    return found


# --- the scheduler ---------------------------------------------------------------------------------------------


@dataclass
class _Board:
    """What is booked so far, in minutes from the first session's start."""

    open: dict[str, list[tuple[int, int]]]  # court -> its open times
    courts: list[str]
    rest: int
    referees: tuple[Referee, ...]
    court_busy: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    entry_busy: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    referee_busy: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    not_before: dict[str, int] = field(default_factory=dict)  # job -> its earliest start (Job.not_before)
    deadline: dict[str, int] = field(default_factory=dict)  # job -> when it must end: a fixed match follows it
    ends: dict[str, int] = field(default_factory=dict)
    slots: dict[str, tuple[str, int, str | None]] = field(default_factory=dict)

    def copy(self) -> _Board:
        """The same bookings, in lists of its own (the open times are shared: never changed)."""
        return _Board(
            self.open,
            self.courts,
            self.rest,
            self.referees,
            {court: list(spans) for court, spans in self.court_busy.items()},
            {entry: list(spans) for entry, spans in self.entry_busy.items()},
            {referee: list(spans) for referee, spans in self.referee_busy.items()},
            self.not_before,
            self.deadline,
            dict(self.ends),
            dict(self.slots),
        )

    def candidates(self, job: Job, earliest: int) -> list[int]:
        times = {earliest}
        times.update(start for spans in self.open.values() for start, _ in spans)
        times.update(end for spans in self.court_busy.values() for _, end in spans)
        times.update(end + self.rest for entry in job.entries for _, end in self.entry_busy.get(entry, ()))
        times.update(end for spans in self.referee_busy.values() for _, end in spans)
        return sorted(time for time in times if time >= earliest)

    def courts_of(self, job: Job) -> list[str]:
        return [court for court in self.courts if court in job.courts] if job.courts else self.courts

    def court_fits(self, court: str, start: int, end: int) -> bool:
        if not any(begin <= start and end <= close for begin, close in self.open.get(court, ())):
            return False
        booked = self.court_busy.get(court, [])  # sorted, never overlapping: only the last one starting before
        before = bisect_left(booked, (end,))  # ``end`` can overlap
        return before == 0 or booked[before - 1][1] <= start

    def entries_free(self, job: Job, start: int, end: int) -> bool:
        rest = self.rest
        return not any(
            _overlap(start - rest, end + rest, begin, close)
            for entry in job.entries
            for begin, close in self.entry_busy.get(entry, ())
        )

    def referee_for(self, job: Job, start: int, end: int) -> str | None:
        """The free referee of neither side's unit with the fewest matches so far (then by id)."""
        free = [
            referee.referee_id
            for referee in self.referees
            if referee.unit_id not in job.units
            and not any(_overlap(start, end, b, c) for b, c in self.referee_busy.get(referee.referee_id, ()))
        ]
        return min(free, key=lambda ref: (len(self.referee_busy.get(ref, ())), ref)) if free else None

    def place(self, job: Job, earliest: int) -> str | None:
        """Book ``job`` at the first time from ``earliest`` that fits; None, or why nothing did: no referee when a
        court and the entries were free at some time but no referee was, else no court time."""
        reason, latest = NO_COURT_TIME, self.deadline.get(job.match_id)
        for start in self.candidates(job, earliest):
            end = start + job.minutes
            if latest is not None and end > latest:
                break
            if not self.entries_free(job, start, end):
                continue
            court = next((court for court in self.courts_of(job) if self.court_fits(court, start, end)), None)
            if court is None:
                continue
            referee = self.referee_for(job, start, end) if self.referees else None
            if self.referees and referee is None:
                reason = NO_REFEREE
                continue
            self.book(job, court, start, referee)
            return None
        return reason

    def book(self, job: Job, court: str, start: int, referee: str | None) -> None:
        span = (start, start + job.minutes)
        insort(self.court_busy.setdefault(court, []), span)
        for entry in job.entries:
            self.entry_busy.setdefault(entry, []).append(span)
        if referee is not None:
            self.referee_busy.setdefault(referee, []).append(span)
        self.ends[job.match_id] = span[1]
        self.slots[job.match_id] = (court, start, referee)


def _ids(jobs: Sequence[Job]) -> set[str]:
    return {job.match_id for job in jobs}


def _overlap(start: int, end: int, begin: int, close: int) -> bool:
    return start < close and begin < end


def _minutes(moment: datetime, epoch: datetime) -> int:
    return int((moment - epoch).total_seconds() // 60)


def _open_times(
    courts: Sequence[Court], sessions: Sequence[Session], epoch: datetime
) -> dict[str, list[tuple[int, int]]]:
    known = [court.court_id for court in courts]
    open_times: dict[str, list[tuple[int, int]]] = {court: [] for court in known}
    for session in sessions:
        for court in session.courts or known:
            if court in open_times:
                open_times[court].append((_minutes(session.start, epoch), _minutes(session.end, epoch)))
    return open_times


def _depths(jobs: Sequence[Job]) -> dict[str, int | None]:
    """Each job's longest chain of matches it follows (0: follows none); None inside a cycle."""
    by_id = {job.match_id: job for job in jobs}
    depth: dict[str, int | None] = {}
    for job in jobs:
        stack, visiting = [(job.match_id, False)], set()
        while stack:
            match_id, done = stack.pop()
            if done:
                visiting.discard(match_id)
                parents = [depth.get(dep, 0) for dep in by_id[match_id].after if dep in by_id]
                depth[match_id] = None if None in parents else 1 + max((p or 0 for p in parents), default=-1)
                continue
            if match_id in depth:
                continue
            if match_id in visiting:
                depth[match_id] = None
                continue
            visiting.add(match_id)
            stack.append((match_id, True))
            stack.extend((dep, False) for dep in by_id[match_id].after if dep in by_id and dep not in depth)
    return depth


def _order(jobs: Sequence[Job], depth: Mapping[str, int | None], first: set[str], together: bool) -> list[Job]:
    """Priority order: dependency depth, then jobs to repair first, then round, then as given; with ``together``
    the jobs of one block follow each other (blocks ordered by their first job)."""
    index = {job.match_id: i for i, job in enumerate(jobs)}

    def key(job: Job) -> tuple[int, int, int, int]:
        return (depth[job.match_id] or 0, job.match_id not in first, job.round, index[job.match_id])

    ordered = sorted((job for job in jobs if depth[job.match_id] is not None), key=key)
    if not together:
        return ordered
    block_rank: dict[str, int] = {}
    for rank, job in enumerate(ordered):
        block_rank.setdefault(job.block or job.match_id, rank)
    return sorted(ordered, key=lambda job: (block_rank[job.block or job.match_id], key(job)))


def _run(ids: set[str], board: _Board, order: Sequence[Job], together: bool) -> list[Unplaced]:
    unplaced: list[Unplaced] = []
    floor, block, block_max = 0, None, 0
    for job in order:
        if together and (job.block or job.match_id) != block:
            block, floor = job.block or job.match_id, max(floor, block_max)
        if any(dep in ids and dep not in board.ends for dep in job.after):
            unplaced.append(Unplaced(job.match_id, AFTER_UNPLACED))
            continue
        earliest = max([floor, board.not_before.get(job.match_id, floor)])
        earliest = max([earliest, *(board.ends[dep] + board.rest for dep in job.after if dep in board.ends)])
        reason = board.place(job, earliest)
        if reason is not None:
            unplaced.append(Unplaced(job.match_id, reason))
            continue
        block_max = max(block_max, board.slots[job.match_id][1])
    return unplaced


def schedule(
    jobs: Sequence[Job],
    courts: Sequence[Court],
    sessions: Sequence[Session],
    options: Options,
    fixed: Mapping[str, Placement] | None = None,
) -> Plan:
    """Place ``jobs`` on ``courts`` within ``sessions``; the same input always gives the same plan. ``fixed`` are
    placements kept as they are (matches locked or already played, set by hand): booked first, as given, and the
    other jobs planned around them; they are in the plan but not checked (``schedule_conflicts`` does that)."""
    fixed = {match_id: placement for match_id, placement in (fixed or {}).items() if match_id in _ids(jobs)}
    if not sessions or not courts:
        return Plan(
            dict(fixed), tuple(Unplaced(j.match_id, NO_COURT_TIME) for j in jobs if j.match_id not in fixed), None
        )
    epoch = min([session.start for session in sessions] + [placement.start for placement in fixed.values()])
    depth = _depths(jobs)
    cycles = [
        Unplaced(j.match_id, DEPENDENCY_CYCLE) for j in jobs if depth[j.match_id] is None and j.match_id not in fixed
    ]
    board, unplaced = _repaired(jobs, depth, _start_board(jobs, courts, sessions, options, fixed, epoch), options)
    placed = {
        match_id: Placement(court, epoch + timedelta(minutes=start), referee)
        for match_id, (court, start, referee) in board.slots.items()
    }
    end = epoch + timedelta(minutes=max(board.ends.values())) if board.ends else None
    return Plan({**placed, **fixed}, tuple(cycles + unplaced), end)


def _start_board(
    jobs: Sequence[Job],
    courts: Sequence[Court],
    sessions: Sequence[Session],
    options: Options,
    fixed: Mapping[str, Placement],
    epoch: datetime,
) -> _Board:
    """The board before any job is placed: the courts' open times, the fixed placements booked."""
    board = _Board(_open_times(courts, sessions, epoch), [court.court_id for court in courts], options.rest_minutes,
                   options.referees)  # fmt: skip
    board.not_before = {job.match_id: _minutes(job.not_before, epoch) for job in jobs if job.not_before is not None}
    for job in jobs:
        if job.match_id in fixed:
            placement = fixed[job.match_id]
            board.book(job, placement.court, _minutes(placement.start, epoch), placement.referee)
            for dep in job.after:
                latest = board.ends[job.match_id] - job.minutes - options.rest_minutes
                board.deadline[dep] = min(board.deadline.get(dep, latest), latest)
    return board


def _repaired(
    jobs: Sequence[Job], depth: Mapping[str, int | None], start: _Board, options: Options
) -> tuple[_Board, list[Unplaced]]:
    """The greedy pass, then up to ``REPAIR_ROUNDS`` more with the jobs left out moved to the front of their depth;
    the best plan: fewest left out, then the earliest end, then the first made."""
    ids = _ids(jobs)
    todo = [job for job in jobs if job.match_id not in start.ends]
    best: tuple[tuple[int, int], _Board, list[Unplaced]] | None = None
    first: set[str] = set()
    for _ in range(1 + REPAIR_ROUNDS):
        board = start.copy()
        unplaced = _run(ids, board, _order(todo, depth, first, options.together), options.together)
        score = (len(unplaced), max(board.ends.values(), default=0))
        if best is None or score < best[0]:
            best = (score, board, unplaced)
        repair = {miss.match_id for miss in unplaced if miss.reason in (NO_COURT_TIME, NO_REFEREE)}
        if not repair or repair <= first:
            break
        first |= repair
    assert best is not None
    return best[1], best[2]


# --- the checker -----------------------------------------------------------------------------------------------

Span = tuple[datetime, datetime]


def schedule_conflicts(
    jobs: Sequence[Job],
    placed: Mapping[str, Placement],
    courts: Sequence[Court],
    sessions: Sequence[Session],
    options: Options,
) -> list[Conflict]:
    """Every rule ``placed`` breaks (a schedule as made or as edited by hand), in a stable order. Matches without a
    placement are not checked; a referee not in ``options.referees`` counts as of no unit."""
    spans = {
        job.match_id: (placed[job.match_id].start, placed[job.match_id].start + timedelta(minutes=job.minutes))
        for job in jobs
        if job.match_id in placed
    }
    rest = timedelta(minutes=options.rest_minutes)
    by_court = _grouped((placed[match_id].court, match_id) for match_id in spans)
    by_entry = _grouped((entry, job.match_id) for job in jobs if job.match_id in spans for entry in job.entries)
    by_referee = _grouped((placed[m].referee, m) for m in spans if placed[m].referee is not None)
    found = [
        *_outside_sessions(spans, placed, courts, sessions),
        *(Conflict(COURT_DOUBLE_BOOKED, pair, court) for court, pair, _ in _close(by_court, spans, timedelta(0))),
        *(Conflict(REFEREE_DOUBLE_BOOKED, pair, ref) for ref, pair, _ in _close(by_referee, spans, timedelta(0))),
        *(
            Conflict(ENTRY_DOUBLE_BOOKED if overlap else REST_TOO_SHORT, pair, entry)
            for entry, pair, overlap in _close(by_entry, spans, rest)
        ),
        *_dependency_conflicts(jobs, spans, rest),
        *_referee_units(jobs, placed, options.referees),
        *_wrong_courts(jobs, placed),
    ]
    if options.together:
        found.extend(_split_blocks(jobs, spans))
    return sorted(set(found), key=lambda conflict: (conflict.kind, conflict.matches, conflict.detail))


def _grouped(pairs: Iterable[tuple[str | None, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, match_id in pairs:
        if key is not None:
            grouped.setdefault(key, []).append(match_id)
    return grouped


def _close(
    grouped: Mapping[str, list[str]], spans: Mapping[str, Span], gap: timedelta
) -> Iterable[tuple[str, tuple[str, str], bool]]:
    """Each pair of matches of one key (court, entry, referee) less than ``gap`` apart, and whether they overlap."""
    for key, match_ids in grouped.items():
        ordered = sorted(match_ids, key=lambda match_id: (spans[match_id], match_id))
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                if spans[second][0] >= spans[first][1] + gap:
                    break
                yield key, (first, second), spans[second][0] < spans[first][1]


def _outside_sessions(
    spans: Mapping[str, Span], placed: Mapping[str, Placement], courts: Sequence[Court], sessions: Sequence[Session]
) -> list[Conflict]:
    known = {court.court_id for court in courts}
    found = []
    for match_id, (start, end) in spans.items():
        court = placed[match_id].court
        inside = court in known and any(
            session.start <= start and end <= session.end and (not session.courts or court in session.courts)
            for session in sessions
        )
        if not inside:
            found.append(Conflict(OUTSIDE_SESSION, (match_id,), court))
    return found


def _dependency_conflicts(jobs: Sequence[Job], spans: Mapping[str, Span], rest: timedelta) -> list[Conflict]:
    """A match that starts before a match it follows has ended, or within the rest after it (its winner plays on)."""
    found = []
    for job in jobs:
        if job.match_id not in spans:
            continue
        start = spans[job.match_id][0]
        for dep in job.after:
            if dep not in spans:
                continue
            if start < spans[dep][1]:
                found.append(Conflict(BEFORE_DEPENDENCY, (dep, job.match_id)))
            elif start < spans[dep][1] + rest:
                found.append(Conflict(REST_TOO_SHORT, (dep, job.match_id)))
    return found


def _wrong_courts(jobs: Sequence[Job], placed: Mapping[str, Placement]) -> list[Conflict]:
    """Matches on a court they may not use (``Job.courts``)."""
    return [
        Conflict(WRONG_COURT, (job.match_id,), placed[job.match_id].court)
        for job in jobs
        if job.courts and job.match_id in placed and placed[job.match_id].court not in job.courts
    ]


def _referee_units(jobs: Sequence[Job], placed: Mapping[str, Placement], referees: Sequence[Referee]) -> list[Conflict]:
    unit = {referee.referee_id: referee.unit_id for referee in referees}
    return [
        Conflict(REFEREE_OWN_UNIT, (job.match_id,), placed[job.match_id].referee or "")
        for job in jobs
        if job.match_id in placed and unit.get(placed[job.match_id].referee or "") in job.units
    ]


def _split_blocks(jobs: Sequence[Job], spans: Mapping[str, Span]) -> list[Conflict]:
    """Blocks that interleave: a match of another block starts strictly inside a block's first and last start."""
    starts: dict[str, list[datetime]] = {}
    for job in jobs:
        if job.match_id in spans:
            starts.setdefault(job.block or job.match_id, []).append(spans[job.match_id][0])
    found = []
    for job in jobs:
        if job.match_id not in spans:
            continue
        own, start = job.block or job.match_id, spans[job.match_id][0]
        for block, times in starts.items():
            if block != own and min(times) < start < max(times):
                found.append(Conflict(BLOCK_SPLIT, (job.match_id,), block))
    return found
