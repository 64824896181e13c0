"""The demo cup's line-ups (issue 18 item 3): the organisers' desk took both sides' line-ups of the four
quarter-finals through the line-up service, so the referee's form, the score sheets and the line-up pages have
names to show; each one keeps every rule of the mixed team tie."""

from __future__ import annotations

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition import lineups as rules
from chalicelib.domain.competition.scoring import TIE_PRESETS
from chalicelib.domain.records import SCHOOL_UNIT_ID
from chalicelib.services import competition as competition_service
from chalicelib.services import lineups as lineup_service
from chalicelib.storage import get_store

CUP = "ev-01J6NJV89079VVCN85WE2NGK18"
ANYONE = Principal()


def test_the_cup_quarter_finals_have_both_line_ups_and_they_keep_the_rules(restored_demo):
    store = get_store()
    given = store.lineups.for_event(CUP)
    # Every quarter-final side but a team that cannot field two men (附属医院二队 has one): its side stays missing.
    state = competition_service.view(store, Principal(staff_no="nobody", unit_id=SCHOOL_UNIT_ID, union_admin=True), CUP)
    quarters = [m for m in state.stage_matches("knockout") if m.bracket == "W" and m.round == 1]
    names = state.entry_names()
    missing = [names[m.slot(side).entry or ""] for m in quarters for side in ("home", "away")
               if (m.match_id, side) not in {(lineup.match_id, lineup.side) for lineup in given}]  # fmt: skip
    assert len(given) == 7 and missing == ["附属医院二队"]
    fmt = TIE_PRESETS["badminton_mixed_3"]
    for lineup in given:
        team = store.teams.get(CUP, lineup.entry_id)
        assert team is not None
        members = {staff_no: store.members.get(staff_no) for staff_no in team.roster}
        roster = {s: rules.Player(s, m.name, m.gender.value) for s, m in members.items() if m is not None}
        assert rules.lineup_problems(fmt, lineup.side, lineup.players, roster, rules.rules_for(fmt, None)) == []
    # The cup is published and played: everyone sees both sides of a quarter-final, with names.
    both = next(m.match_id for m in quarters if sum(lineup.match_id == m.match_id for lineup in given) == 2)
    tie = lineup_service.tie_lineups(store, ANYONE, CUP, "knockout", both, now())
    assert tie.closed and all(side.shown for side in tie.sides.values())
    shown = tie.rubber_names()
    assert set(shown) == {"MD", "WD", "XD"} and all(" / " in shown[code]["home"] for code in shown)
    # The score sheets' names come from the same line-ups (the organisers read them all at once).
    assert lineup_service.officials_names(store, state)[("knockout", both)] == shown
