"""Line-ups of team ties against DynamoDB Local (issue 18 item 3): a captain's line-up hidden from the other side
until both are in, the rules refused per position, two people of one team racing (one wins, the other is told),
the deadline before the match's start, and who may submit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import EntryType, EventFormat, EventKind
from chalicelib.errors import Conflict, Forbidden, InvalidInput
from chalicelib.services import competition as competition_service
from chalicelib.services import lineups as service
from chalicelib.services import teams as team_service
from tests.integration.test_registration import ADMIN, in_threads, open_event

ANYONE = Principal()


def _members(members, unit):
    return [m for m in members if m.unit_id == unit][:6]


@pytest.fixture
def tie(union):
    """A published mixed-team badminton final (MD/WD/XD) between a cs team and a math team."""
    store, members = union
    event = open_event(
        store, capacity=8, kind=EventKind.SPORTS, format=EventFormat.TOURNAMENT, title_zh="混合团体赛",
        entry_type=EntryType.TEAM,
    )  # fmt: skip
    teams = {}
    for unit in ("cs", "math"):
        roster = [m.staff_no for m in _members(members, unit)]
        teams[unit] = team_service.enter_team(store, ADMIN, event, unit, f"{unit}队", roster, roster[0], now())
    final = [{"stage_id": "final", "kind": "single_elimination", "name_zh": "决赛"}]
    competition_service.configure(
        store, ADMIN, event.event_id, {"match_format": "badminton_mixed_3", "tiebreak": "badminton_team",
                                       "stages": final}, now()
    )  # fmt: skip
    (match,) = competition_service.draw(store, ADMIN, event.event_id, "final", now()).stage_matches("final")
    competition_service.publish(store, ADMIN, event.event_id, True, now())
    sides = {("home" if match.home.entry == team.team_id else "away"): team for team in teams.values()}
    return store, members, event, match, sides


def _lineup(store, team):
    """A valid mixed line-up of a team of three men and three women: MD m1 m2, WD f1 f2, XD m3 f1."""
    roster = [store.members.get(staff_no) for staff_no in team.roster]
    men = [m.staff_no for m in roster if m.gender.value == "M"]
    women = [m.staff_no for m in roster if m.gender.value == "F"]
    return {"MD": [men[0], men[1]], "WD": [women[0], women[1]], "XD": [men[2], women[0]]}


def captain(team):
    return Principal(staff_no=team.captain, unit_id=team.unit_id)


def test_a_captains_line_up_is_hidden_from_the_other_side_until_both_are_in(tie):
    store, _members, event, match, sides = tie
    home, away = sides["home"], sides["away"]
    args = (event.event_id, "final", match.match_id)
    given = service.submit(store, captain(home), *args, "home", _lineup(store, home), None, now())
    assert given.sides["home"].submitted and given.sides["home"].shown
    assert given.sides["home"].version == 1
    # The other captain sees that it is in, not who plays.
    seen = service.tie_lineups(store, captain(away), *args, now())
    assert seen.sides["home"].submitted and not seen.sides["home"].shown and seen.sides["home"].players == {}
    assert seen.sides["away"].may_submit and not seen.sides["home"].may_submit
    # The organiser (and referees) see it at once.
    assert service.tie_lineups(store, ADMIN, *args, now()).sides["home"].players["MD"] == tuple(
        _lineup(store, home)["MD"]
    )
    service.submit(store, captain(away), *args, "away", _lineup(store, away), None, now())
    both = service.tie_lineups(store, captain(away), *args, now())
    assert both.sides["home"].shown and both.sides["home"].players["WD"] == tuple(_lineup(store, home)["WD"])
    names = both.rubber_names()
    assert set(names) == {"MD", "WD", "XD"} and set(names["XD"]) == {"home", "away"}
    assert " / " in names["MD"]["home"]
    audit = [entry.action for entry in store.audit.for_unit(home.unit_id, limit=20)]
    assert "competition.lineup" in audit


def test_a_bad_line_up_is_refused_per_position_and_nothing_is_written(tie):
    store, _members, event, match, sides = tie
    home, away = sides["home"], sides["away"]
    lineup = _lineup(store, home)
    lineup["MD"] = [lineup["MD"][0], away.roster[0]]  # not on the home roster
    lineup["XD"] = [lineup["WD"][0], lineup["WD"][1]]  # two women
    with pytest.raises(InvalidInput) as refused:
        service.submit(store, captain(home), event.event_id, "final", match.match_id, "home", lineup, None, now())
    assert [(p["type"], p["loc"]) for p in refused.value.problems] == [
        ("lineup.not_rostered", ("players", "MD")),
        ("lineup.gender_mixed", ("players", "XD")),
    ]
    assert store.lineups.for_match(event.event_id, "final", match.match_id) == {}


def test_two_of_one_team_racing_one_wins_and_the_other_is_told(tie):
    store, _members, event, match, sides = tie
    home = sides["home"]
    args = (event.event_id, "final", match.match_id, "home")
    first = service.submit(store, captain(home), *args, _lineup(store, home), None, now())
    version = first.sides["home"].version
    changed = _lineup(store, home)
    swapped = {**changed, "MD": list(reversed(changed["MD"]))}
    unit_admin = Principal(staff_no="A0001", unit_id="school", union_admin=True)
    results = in_threads(
        [
            lambda: service.submit(store, captain(home), *args, changed, version, now()),
            lambda: service.submit(store, unit_admin, *args, swapped, version, now()),
        ]
    )
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(refused) == 1 and refused[0].code == "lineup_changed_meanwhile", results
    assert len([r for r in results if isinstance(r, service.TieLineups)]) == 1
    assert store.lineups.for_match(event.event_id, "final", match.match_id)["home"].version == 2
    # A change over a version that is no longer the stored one is refused too.
    with pytest.raises(Conflict) as stale:
        service.submit(store, captain(home), *args, changed, version, now())
    assert stale.value.code == "lineup_changed_meanwhile"


def test_the_deadline_before_the_start_closes_line_ups_and_shows_them(tie):
    store, _members, event, match, sides = tie
    home, away = sides["home"], sides["away"]
    service.submit(store, captain(home), event.event_id, "final", match.match_id, "home", _lineup(store, home), None,
                   now())  # fmt: skip
    run = competition_service.view(store, ADMIN, event.event_id).competition.run("final")
    starts = now() + timedelta(minutes=20)  # 30 minutes before is the default deadline: passed
    store.competitions.put_matches(event.event_id, "final", run.draw_id, [match._replace(starts_at=starts.isoformat())],
                                   now())  # fmt: skip
    with pytest.raises(Conflict) as late:
        service.submit(store, captain(away), event.event_id, "final", match.match_id, "away", _lineup(store, away),
                       None, now())  # fmt: skip
    assert late.value.code == "lineup_deadline_passed"
    seen = service.tie_lineups(store, captain(away), event.event_id, "final", match.match_id, now())
    assert seen.closed and seen.closes_at == starts - timedelta(minutes=30)
    assert seen.sides["home"].shown and not seen.sides["away"].submitted
    # An hour before, it was still open.
    early = service.tie_lineups(store, captain(away), event.event_id, "final", match.match_id,
                                starts - timedelta(hours=1))  # fmt: skip
    assert not early.closed and not early.sides["home"].shown


def test_only_the_captain_the_units_admins_and_the_organisers_submit(tie):
    store, _members, event, match, sides = tie
    home, away = sides["home"], sides["away"]
    player = Principal(staff_no=home.roster[1], unit_id=home.unit_id)
    other_unit_admin = Principal(staff_no="M0002", unit_id="med", admin_of=frozenset({"med"}))
    for who in (player, other_unit_admin, captain(away)):
        with pytest.raises(Forbidden):
            service.submit(store, who, event.event_id, "final", match.match_id, "home", _lineup(store, home), None,
                           now())  # fmt: skip
    unit_admin = Principal(staff_no="M0002", unit_id="med", admin_of=frozenset({home.unit_id}))
    done = service.submit(store, unit_admin, event.event_id, "final", match.match_id, "home", _lineup(store, home),
                          None, now())  # fmt: skip
    assert done.sides["home"].submitted
    # The public sees that one side is in, not who.
    public = service.tie_lineups(store, ANYONE, event.event_id, "final", match.match_id, now())
    assert public.sides["home"].submitted and not public.sides["home"].shown
    state = competition_service.view(store, ADMIN, event.event_id)
    assert service.event_lineups(store, state) == {("final", match.match_id): frozenset({"home"})}
