"""Line-ups of team ties (issue 18 item 3): a side's captain, an admin of its unit or the event's organisers give
who plays which rubber before the deadline; everyone reads them as the visibility rule allows.

The rules are pure (chalicelib.domain.competition.lineups). Each side's line-up is one item written over the
version it was read at (chalicelib.storage.lineups): of two people of one team submitting at once one wins and the
other is told (``lineup_changed_meanwhile``); after the deadline nothing is written (``lineup_deadline_passed``).
Every submission is audited with the line-up before and after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain.access import Principal, administers, can_manage_event
from chalicelib.domain.competition import lineups as rules
from chalicelib.domain.competition.formats import match_format
from chalicelib.domain.competition.model import AWAY, HOME, Match, MatchStatus
from chalicelib.domain.competition.scoring import TieFormat
from chalicelib.domain.records import MemberStatus, Team, TeamState
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services.competition import REFEREE_ROLE, CompetitionState, view
from chalicelib.services.teams import may_see_team
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item
from chalicelib.storage.lineups import StoredLineup
from chalicelib.storage.writes import TransactionFailed

SIDES = (HOME, AWAY)
MAX_PLAYERS = 2  # per position: a doubles pair


@dataclass(frozen=True)
class SideLineup:
    """One side of a tie as the viewer may see it. ``players``: the line-up when shown (position → 工号s), else
    empty; ``names``: 工号 → name for the shown players and, for who may submit, the roster."""

    side: str
    team: Team | None
    submitted: bool
    shown: bool
    may_submit: bool
    version: int | None  # the stored version when the viewer may submit (for the form), else None
    players: dict[str, tuple[str, ...]] = field(default_factory=dict)
    roster: tuple[rules.Player, ...] = ()  # for who may submit

    def rubber_players(self, fmt: TieFormat) -> dict[str, tuple[str, ...]]:
        return rules.rubber_players(fmt, self.side, self.players) if self.shown else {}


class TieLineups(NamedTuple):
    state: CompetitionState
    match: Match
    fmt: TieFormat
    closes_at: datetime | None
    closed: bool
    official: bool
    sides: dict[str, SideLineup]
    names: dict[str, str]  # 工号 → name of every player shown or offered

    @property
    def required(self) -> bool:
        settings = self.state.competition.lineups
        return bool(settings and settings.required)

    def rubber_names(self) -> dict[str, dict[str, str]]:
        """Each rubber's players' names per side, where shown (rubber code → side → "name / name")."""
        found: dict[str, dict[str, str]] = {}
        for side, lineup in self.sides.items():
            for code, players in lineup.rubber_players(self.fmt).items():
                found.setdefault(code, {})[side] = " / ".join(self.names.get(p, p) for p in players)
        return found


def _starts_at(match: Match) -> datetime | None:
    return datetime.fromisoformat(match.starts_at) if match.starts_at else None


def _is_official(store: Store, principal: Principal, state: CompetitionState) -> bool:
    """Organisers and referees see both line-ups always: the referee calls the players to the table."""
    event = state.event
    if can_manage_event(principal, event.owner_unit_id):
        return True
    role = store.event_roles.get(event.event_id, principal.staff_no or "") if principal.signed_in else None
    return bool(role and REFEREE_ROLE in role.roles)


def may_submit(principal: Principal, state: CompetitionState, team: Team | None) -> bool:
    """The team's captain, an admin of its unit, the event's organisers; a withdrawn team gives none."""
    if team is None or team.state is not TeamState.ENTERED or not principal.signed_in:
        return False
    return (
        can_manage_event(principal, state.event.owner_unit_id)
        or administers(principal, team.unit_id)
        or (principal.staff_no is not None and principal.staff_no == team.captain)
    )


def _roster(store: Store, team: Team, cache: dict[str, rules.Player]) -> tuple[rules.Player, ...]:
    players = []
    for staff_no in team.roster:
        if staff_no not in cache:
            member = store.members.get(staff_no)
            if member is None:
                continue
            cache[staff_no] = rules.Player(
                staff_no, member.name, member.gender.value, active=member.status == MemberStatus.ACTIVE
            )
        players.append(cache[staff_no])
    return tuple(players)


def _tie(state: CompetitionState, stage_id: str, match_id: str) -> tuple[Match, TieFormat]:
    match = next((m for m in state.stage_matches(stage_id) if m.match_id == match_id), None)
    if match is None:
        raise NotFound("match_not_found")
    fmt = match_format(state.competition, match)
    if not isinstance(fmt, TieFormat):
        raise NotFound("not_a_team_tie")
    return match, fmt


def _side_lineup(
    store: Store, principal: Principal, state: CompetitionState, match: Match, side: str,
    stored: StoredLineup | None, is_closed: bool, official: bool, own_sides: frozenset[str], submitted: frozenset[str],
    cache: dict[str, rules.Player],
) -> SideLineup:  # fmt: skip
    entry_id = match.slot(side).entry
    team = store.teams.get(state.event.event_id, entry_id) if entry_id else None
    submitting = may_submit(principal, state, team) and not is_closed
    seen = rules.shown(side, submitted, own_sides, official, is_closed)
    roster = _roster(store, team, cache) if team is not None and (submitting or seen) else ()
    return SideLineup(
        side=side,
        team=team,
        submitted=side in submitted,
        shown=seen,
        may_submit=submitting,
        version=stored.version if stored is not None and submitting else None,
        players=dict(stored.players) if stored is not None and seen else {},
        roster=roster if submitting else (),
    )


def _read(store: Store, principal: Principal, state: CompetitionState, match: Match, fmt: TieFormat,
          at: datetime) -> TieLineups:  # fmt: skip
    event_id = state.event.event_id
    stored = {
        side: lineup
        for side, lineup in store.lineups.for_match(event_id, match.stage_id, match.match_id).items()
        if side in SIDES and lineup.entry_id == match.slot(side).entry
    }
    closes_at = rules.deadline(_starts_at(match), state.competition.lineups)
    is_closed = rules.closed(at, closes_at, match.status in (MatchStatus.DONE, MatchStatus.BYE))
    official = _is_official(store, principal, state)
    teams = {side: store.teams.get(event_id, entry) for side in SIDES if (entry := match.slot(side).entry)}
    own_sides = frozenset(side for side, team in teams.items() if team and may_see_team(principal, state.event, team))
    cache: dict[str, rules.Player] = {}
    sides = {
        side: _side_lineup(
            store,
            principal,
            state,
            match,
            side,
            stored.get(side),
            is_closed,
            official,
            own_sides,
            frozenset(stored),
            cache,
        )
        for side in SIDES
    }
    names = {player.staff_no: player.name for player in cache.values()}
    return TieLineups(state, match, fmt, closes_at, is_closed, official, sides, names)


def tie_lineups(
    store: Store, principal: Principal, event_id: str, stage_id: str, match_id: str, at: datetime
) -> TieLineups:
    """A tie's line-ups as the caller may see them, with what they may submit."""
    state = view(store, principal, event_id)
    match, fmt = _tie(state, stage_id, match_id)
    return _read(store, principal, state, match, fmt, at)


def _problems(found: Iterable[rules.LineupProblem]) -> list[dict[str, object]]:
    return [
        {"type": problem.code, "loc": ("players", problem.position), "msg": problem.code, "ctx": problem.params}
        for problem in found
    ]


def submit(
    store: Store,
    principal: Principal,
    event_id: str,
    stage_id: str,
    match_id: str,
    side: str,
    players: Mapping[str, list[str]],
    version: int | None,
    at: datetime,
) -> TieLineups:
    """Give or change a side's line-up. ``version``: the line-up as the submitter saw it (None: none yet); a
    change made meanwhile is refused rather than overwritten."""
    if side not in SIDES:
        raise NotFound("lineup_side_unknown")
    state = view(store, principal, event_id)
    match, fmt = _tie(state, stage_id, match_id)
    before = _read(store, principal, state, match, fmt, at)
    own = before.sides[side]
    team = _submitting_team(principal, state, own, before.closed)
    stored = store.lineups.for_match(event_id, stage_id, match_id).get(side)
    current = stored if stored is not None and stored.entry_id == team.team_id else None
    if version != (current.version if current else None):
        raise Conflict("lineup_changed_meanwhile")
    lineup = {code: tuple(str(p).strip() for p in named) for code, named in players.items()}
    roster = {player.staff_no: player for player in own.roster}
    checks = rules.rules_for(fmt, state.competition.lineups)
    played = _played(fmt, side, match, current)
    found = rules.lineup_problems(fmt, side, lineup, roster, checks, played)
    if found:
        raise InvalidInput(_problems(found))
    written = StoredLineup(stage_id, match_id, side, team.team_id, lineup, 0, at, principal.staff_no)
    audit = _audit(principal, team, f"{event_id}/{stage_id}/{match_id}/{side}", current, lineup)
    try:
        # A stored line-up of a team no longer in the slot (a redone draw) is replaced over its own version.
        expected = stored.version if stored is not None else None
        store.lineups.put(event_id, written, expected, at, audit)
    except TransactionFailed as failure:
        raise Conflict("lineup_changed_meanwhile") from failure
    return _read(store, principal, state, match, fmt, at)


def _submitting_team(principal: Principal, state: CompetitionState, own: SideLineup, is_closed: bool) -> Team:
    if own.team is None:
        raise Conflict("lineup_team_unknown")
    if not may_submit(principal, state, own.team):
        raise Forbidden()
    if is_closed:
        raise Conflict("lineup_deadline_passed")
    return own.team


def _audit(principal: Principal, team: Team, target: str, current: StoredLineup | None, lineup: rules.Lineup) -> Any:
    before = {"players": {code: list(named) for code, named in current.players.items()}} if current else None
    after = {"team": team.team_id, "players": {code: list(named) for code, named in lineup.items()}}
    return audit_item(team.unit_id, principal.member_no, "competition.lineup", target, before=before, after=after)


def _played(fmt: TieFormat, side: str, match: Match, current: StoredLineup | None) -> dict[str, tuple[str, ...]]:
    """The rubbers already played, with their players as given: they may not change."""
    if current is None or match.result is None:
        return {}
    given = rules.rubber_players(fmt, side, current.players)
    done = [rubber.code for rubber in fmt.rubbers[: len(match.result.rubbers)]]
    return {code: given[code] for code in done if code in given}


def event_lineups(store: Store, state: CompetitionState) -> dict[tuple[str, str], frozenset[str]]:
    """Which sides have given their line-up, per tie (stage, match), for the organiser's list and the team's ties
    (one Query); a line-up given for a team no longer in the slot does not count."""
    matches = {(m.stage_id, m.match_id): m for stage in state.matches.values() for m in stage}
    found: dict[tuple[str, str], set[str]] = {}
    for lineup in store.lineups.for_event(state.event.event_id):
        match = matches.get((lineup.stage_id, lineup.match_id))
        if match is not None and lineup.side in SIDES and match.slot(lineup.side).entry == lineup.entry_id:
            found.setdefault((lineup.stage_id, lineup.match_id), set()).add(lineup.side)
    return {key: frozenset(sides) for key, sides in found.items()}


def for_match(
    store: Store, principal: Principal, state: CompetitionState, match: Match, at: datetime
) -> TieLineups | None:
    """A tie's line-ups for a page that has read the competition already (the score form); None for a match that
    is not a team tie."""
    fmt = match_format(state.competition, match)
    if not isinstance(fmt, TieFormat):
        return None
    return _read(store, principal, state, match, fmt, at)


def _member_name(store: Store, staff_no: str, cache: dict[str, str]) -> str:
    if staff_no not in cache:
        member = store.members.get(staff_no)
        cache[staff_no] = member.name if member else staff_no
    return cache[staff_no]


def officials_names(store: Store, state: CompetitionState) -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    """Each tie's rubbers' players' names per side, for the officials' pages (score sheets): (stage, match) →
    rubber code → side → "name / name". Only line-ups given for the teams now in the slots count."""
    matches = {(m.stage_id, m.match_id): m for stage in state.matches.values() for m in stage}
    cache: dict[str, str] = {}
    found: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    for lineup in store.lineups.for_event(state.event.event_id):
        key = (lineup.stage_id, lineup.match_id)
        match = matches.get(key)
        if match is None or lineup.side not in SIDES or match.slot(lineup.side).entry != lineup.entry_id:
            continue
        fmt = match_format(state.competition, match)
        if not isinstance(fmt, TieFormat):
            continue
        for code, players in rules.rubber_players(fmt, lineup.side, lineup.players).items():
            text = " / ".join(_member_name(store, staff_no, cache) for staff_no in players)
            found.setdefault(key, {}).setdefault(code, {})[lineup.side] = text
    return found
