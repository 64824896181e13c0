"""What the crossing after groups cannot avoid is told to the organiser (issue 18 item 4): three groups of two
qualifiers cross as "A1 – bye, B2 – C2, C1 – A2, bye – B1", so when the winner of group C and the runner-up of
group A are of one unit they meet in the first round whatever the draw does (tests/unit/test_crossing_units.py).
Drawn through the service: the draw's audit entry names the pair, and the organiser's stage card says so."""

from __future__ import annotations

from html import unescape

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.competition.model import MatchStatus
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.services import competition as competition_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page
from tests.http.test_competition_api import LOSS, WIN, _event, _organiser, _spare

STAGES = [
    {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 3, "qualifiers": 2},
    {"stage_id": "ko", "kind": "single_elimination", "name_zh": "淘汰赛"},
]


@pytest.fixture(scope="module")
def crossed(demo_union, callers) -> dict:
    """Six players, two of the computer science unit: drawn into groups A and C, the one in C wins its group and the
    one in A is second; the groups close and the knockout is drawn by the crossing."""
    same = _spare(demo_union, callers, "cs")[-2:]
    others = [_spare(demo_union, callers, unit)[-1] for unit in ("mech", "ee", "civil", "chem")]
    event_id = _event(callers, "羽毛球单打（同单位首轮）", EventKind.SPORTS, EventFormat.TOURNAMENT, [*same, *others])
    store, organiser = get_store(), _organiser(callers)
    setup = {"match_format": "badminton", "tiebreak": "badminton", "stages": STAGES}
    competition_service.configure(store, organiser, event_id, setup, now())
    cs = {member.staff_no for member in same}
    for attempt in range(60):  # the groups draw keeps one unit apart; redrawn until they are in groups A and C
        state = competition_service.draw(store, organiser, event_id, "groups", now(), seed=f"clash-{attempt}")
        groups = state.competition.run("groups").groups
        if {entry for entry in groups[0] + groups[2] if entry in cs} == cs:
            break
    else:
        pytest.fail("no draw put the two players of one unit in groups A and C")
    winner_c = next(entry for entry in groups[2] if entry in cs)
    second_a = next(entry for entry in groups[0] if entry in cs)
    for match in state.stage_matches("groups"):
        assert match.status == MatchStatus.READY
        home_wins = match.home.entry == winner_c or (match.away.entry == second_a)
        payload = WIN if home_wins else LOSS
        competition_service.enter_result(store, organiser, event_id, "groups", match.match_id, payload, now())
    competition_service.close_stage(store, organiser, event_id, "groups", now())
    names = {member.staff_no: member.name for member in [*same, *others]}
    return {"event_id": event_id, "pair": (winner_c, second_a), "names": names}


def test_the_draws_audit_entry_names_the_unavoidable_pair(crossed):
    store = get_store()
    event = store.events.get(crossed["event_id"])
    assert event is not None
    draws = [
        entry
        for entry in store.audit.for_unit(event.owner_unit_id, limit=50)
        if entry.target == crossed["event_id"] and entry.action == "competition.draw"
    ]
    knockout = next(entry for entry in draws if entry.after and entry.after["stage"] == "ko")
    assert knockout.after is not None and knockout.after["unit_clashes"] == [list(crossed["pair"])]
    groups = next(entry for entry in draws if entry.after and entry.after["stage"] == "groups")
    assert "unit_clashes" not in (groups.after or {})  # nothing to report for the groups


@pytest.mark.parametrize(
    ("query", "notice"),
    [("", "同单位的两队首轮相遇：小组名次无法避免"), ("?lang=en", "Two teams of one unit meet in the first round")],
)
def test_the_organisers_stage_card_says_which_pair(client, callers, crossed, query, notice):
    html = unescape(get_page(client, f"/admin/events/{crossed['event_id']}/competition{query}", callers["union_admin"])
                    .body.decode())  # fmt: skip
    start = html.index('id="unit-clashes-ko"')
    box = html[start : html.index("</div>", start)]
    home, away = (crossed["names"][entry] for entry in crossed["pair"])
    assert notice in box and f"{home} — {away}" in box
    assert 'id="unit-clashes-groups"' not in html
