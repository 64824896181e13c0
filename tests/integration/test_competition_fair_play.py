"""Cards in football results against DynamoDB Local: entered with the score, stored with the result, and counted
as FIFA's fair-play points when everything else is level (issue 18 item 7)."""

from __future__ import annotations

from chalicelib.domain.calendar import now
from chalicelib.domain.competition.model import Cards, MatchStatus
from chalicelib.domain.competition.standings import Criterion
from chalicelib.services import competition as service
from tests.integration.test_competition import state, tournament
from tests.integration.test_registration import ADMIN

LEAGUE = [{"stage_id": "league", "kind": "round_robin", "name_zh": "循环赛"}]


def test_three_teams_level_on_everything_are_ranked_by_their_cards(union):
    store, members = union
    event = tournament(store, members, 3)
    setup = {"match_format": "football", "tiebreak": "football_fifa", "stages": LEAGUE}
    service.configure(store, ADMIN, event.event_id, setup, now())
    service.draw(store, ADMIN, event.event_id, "league", now())
    # Every match 1-1, so points, goals and head-to-head leave all three level; the n-th team (by id) is shown n
    # yellow cards in each of its matches, so the cards alone decide: 0, -2, -4.
    matches = state(store, event).stage_matches("league")
    assert len(matches) == 3 and all(match.status == MatchStatus.READY for match in matches)
    teams = sorted({entry for match in matches for entry in (match.home.entry, match.away.entry) if entry})
    for match in matches:
        yellows = [teams.index(entry or "") for entry in (match.home.entry, match.away.entry)]
        cards = {"home": {"yellow": yellows[0]}, "away": {"yellow": yellows[1]}}
        payload = {"score": [1, 1], "cards": cards}
        service.enter_result(store, ADMIN, event.event_id, "league", match.match_id, payload, now())
    stored = state(store, event).stage_matches("league")
    assert all(match.result is not None and match.result.cards is not None for match in stored)
    first = stored[0]
    assert first.result is not None
    assert first.result.cards == tuple(Cards(yellow=teams.index(e or "")) for e in (first.home.entry, first.away.entry))
    competition_state = state(store, event)
    outcome = service.outcome(competition_state, competition_state.competition.stages[0])
    rows = outcome.tables[0].rows
    assert [row.entry_id for row in rows] == teams
    assert [(row.match_points, row.points_for, row.points_against, row.fair_play) for row in rows] == [
        (2, 2, 2, 0),
        (2, 2, 2, -2),
        (2, 2, 2, -4),
    ]
    assert [row.reason.rule if row.reason else None for row in rows] == [Criterion.FAIR_PLAY, Criterion.FAIR_PLAY, None]
