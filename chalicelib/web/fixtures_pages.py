"""A tournament day's pages: the court board (a hall screen per court and an overview of every court, refreshing
itself without scripts), an entry's fixtures, and the printable order of play per court.

Who may see them is the public competition page's rule (chalicelib.services.competition.view: published
competitions for everyone, unpublished ones for organisers and officials); what they show comes from
chalicelib.services.fixtures_views, worded here with the competition pages' helpers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import groupby
from typing import Any
from urllib.parse import quote, unquote

from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.competition.board import start_of
from chalicelib.domain.competition.formats import match_format
from chalicelib.domain.competition.model import AWAY, HOME, Match, MatchStatus
from chalicelib.domain.competition.schedule import job_id
from chalicelib.domain.competition.scoring import TieFormat
from chalicelib.domain.competition.setup import Stage
from chalicelib.domain.language import localized
from chalicelib.i18n import N_, translate
from chalicelib.services import fixtures_views
from chalicelib.services.competition_export import last_rounds
from chalicelib.services.fixtures_views import Shown
from chalicelib.storage import get_store
from chalicelib.web.competition_common import match_row, round_label_of
from chalicelib.web.links import board_href, competition_href, entry_href, lineup_path, order_of_play_href
from chalicelib.web.render import Pages, format_when

routes = Pages(__name__)

_OUTCOMES = {
    "won": N_("fixtures.outcome.won"),
    "lost": N_("fixtures.outcome.lost"),
    "drawn": N_("fixtures.outcome.drawn"),
}
REFRESH_SECONDS = 30  # how often a court board reloads itself (<meta http-equiv="refresh">, no script)


def _missing(principal: Principal, shown: Shown, language: str):
    """The competition is not set up or not published: the public page's friendly 404."""
    return routes.show(
        "competition_public_missing.html",
        principal,
        status=404,
        title=localized(shown.event, "title", language),
        event_href=f"/events/{quote(shown.event.event_id, safe='')}",
    )


def _clock(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%H:%M")


class _Words:
    """Matches worded for these pages in one language: sides with their units and fixtures links, stage and round,
    time, court and result."""

    def __init__(self, shown: Shown, language: str) -> None:
        assert shown.state is not None
        self.state = shown.state
        self.event_id = shown.event.event_id
        self.language = language
        self.names = shown.state.entry_names()
        self.units = {e: shown.unit_names.get(u, u) for e, u in shown.state.entry_units().items()}
        self.stages: dict[str, Stage] = {stage.stage_id: stage for stage in shown.state.competition.stages}
        self.court_labels = shown.court_labels(language)
        self.rounds = {stage_id: last_rounds(self.state.stage_matches(stage_id)) for stage_id in self.stages}

    def court(self, court: str | None) -> str:
        """A court's name in the page's language (the venue's English name on English pages, where it has one)."""
        return self.court_labels.get(court, court) if court else ""

    def stage_round(self, match: Match) -> str:
        """小组赛 · A 组 第 1 轮, 淘汰赛 · 半决赛."""
        stage = self.stages[match.stage_id]
        label = round_label_of(stage, match, self.rounds[match.stage_id], self.language)
        return f"{localized(stage, 'name', self.language)} · {label}"

    def match(self, match: Match) -> dict[str, Any]:
        row = match_row(self.event_id, match, self.names, self.units, self.language)
        start = start_of(match)
        for side in (HOME, AWAY):
            entry = match.slot(side).entry
            row[side]["href"] = entry_href(self.event_id, entry) if entry else None
        return {
            **row,
            "round": self.stage_round(match),
            "time": _clock(start) if start else "",
            "when": format_when(start, self.language) if start else (match.matchday or ""),
            # format_when's patterns end with the time: what comes before it is the day (11月28日 周六, Sat 28 Nov).
            "day": format_when(start, self.language).rsplit(" ", 1)[0] if start else "",
            "court_href": board_href(self.event_id, match.court) if match.court else None,
            "court": self.court(match.court),
            "done": match.status == MatchStatus.DONE,
            # A team tie's line-ups (issue 18 item 3): its form for the captains, the names once shown.
            "lineup_href": self.lineup_href(match),
            "lineup_label": translate("lineup.score.link", self.language),
        }

    def lineup_href(self, match: Match) -> str | None:
        """The line-up page of a team tie whose two teams are known; None for any other match."""
        if not (match.home.entry and match.away.entry):
            return None
        if not isinstance(match_format(self.state.competition, match), TieFormat):
            return None
        return lineup_path(self.event_id, match.stage_id, match.match_id)

    def versus(self, match: Match, entry_id: str) -> dict[str, Any]:
        """A match from one entry's side: the opponent, and won, lost or drawn once played."""
        shown = self.match(match)
        mine = HOME if match.home.entry == entry_id else AWAY
        other = AWAY if mine == HOME else HOME
        outcome = ""
        if match.status == MatchStatus.DONE:
            outcome = "won" if match.winner == entry_id else ("drawn" if match.winner is None else "lost")
        return {
            **shown,
            "opponent": shown[other],
            "outcome": outcome,
            "outcome_label": translate(_OUTCOMES[outcome], self.language) if outcome else "",
        }


@routes.route("/events/{event_id}/competition/board", access=Access.PUBLIC)
def board_overview(principal: Principal, event_id: str):
    """Every court on one screen (now playing and next on each), with a big link to each court's own board."""
    return _board(principal, event_id, None)


@routes.route("/events/{event_id}/competition/board/{court}", access=Access.PUBLIC)
def court_board(principal: Principal, event_id: str, court: str):
    """One court's hall screen: now playing and the next matches, in type that reads from across the hall."""
    return _board(principal, event_id, _decoded(court))


_ESCAPED = re.compile(r"%[0-9A-Fa-f]{2}")


def _decoded(court: str) -> str:
    """A court from the path as typed (1号场): Chalice's local server and API Gateway's REST API pass a path
    parameter still percent-encoded; one that arrives decoded has no escapes left to undo."""
    return unquote(court) if _ESCAPED.search(court) else court


def _board(principal: Principal, event_id: str, court: str | None):
    language = routes.language()
    at = now()
    shown_board = fixtures_views.court_board(get_store(), principal, event_id, court, at, language)
    shown = shown_board.shown
    if shown.state is None:
        return _missing(principal, shown, language)
    words = _Words(shown, language)
    boards = [
        {
            "court": words.court(b.court),
            "href": board_href(event_id, b.court),
            "now": words.match(b.now) if b.now else None,
            "next": [words.match(m) for m in b.next],
            "last": words.match(b.last) if b.last else None,
        }
        for b in shown_board.boards
    ]
    return routes.show(
        "court_board.html",
        principal,
        title=localized(shown.event, "title", language),
        court=words.court(court),
        boards=boards,
        courts=[{"name": words.court(name), "href": board_href(event_id, name)} for name in shown_board.courts],
        clock=_clock(at),
        refresh=REFRESH_SECONDS,
        overview_href=board_href(event_id),
        competition_href=competition_href(event_id),
        published=shown.state.competition.published,
    )


@routes.route("/events/{event_id}/competition/entries/{entry_id}", access=Access.PUBLIC)
def entry_fixtures(principal: Principal, event_id: str, entry_id: str):
    """A team's (pair's, member's) fixtures: every match across stages in time order, with court and result."""
    language = routes.language()
    fixtures = fixtures_views.entry_fixtures(get_store(), principal, event_id, entry_id, language)
    shown = fixtures.shown
    if shown.state is None or fixtures.entry is None:
        return _missing(principal, shown, language)
    words = _Words(shown, language)
    entry = fixtures.entry
    return routes.show(
        "competition_fixtures.html",
        principal,
        title=localized(shown.event, "title", language),
        name=entry.name,
        unit=words.units.get(entry.entry_id, ""),
        rows=[words.versus(match, entry.entry_id) for match in fixtures.matches],
        competition_href=competition_href(event_id),
        board_href=board_href(event_id),
        published=shown.state.competition.published,
    )


@routes.route("/events/{event_id}/competition/order-of-play", access=Access.PUBLIC)
def order_of_play(principal: Principal, event_id: str):
    """The order of play per court, to print on A4 (a court a page): time, match, stage and round, sides, and blank
    referee and result columns to write in; ``?court=`` for one court."""
    language = routes.language()
    court = routes.query("court")
    plan = fixtures_views.order_of_play(get_store(), principal, event_id, court, language)
    shown = plan.shown
    organiser = can_manage_event(principal, shown.event.owner_unit_id)
    if shown.state is None and not organiser:
        return _missing(principal, shown, language)
    # The organisers reach this page from their hub before the competition is set up: it says nothing is on a court.
    words = _Words(shown, language) if shown.state is not None else None
    return routes.show(
        "competition_order_of_play.html",
        principal,
        title=localized(shown.event, "title", language),
        court=court,
        courts=[_court_sheet(words, name, matches, plan.referees) for name, matches in plan.courts] if words else [],
        choices=[
            {"name": words.court(name) if words else name, "href": order_of_play_href(event_id, name), "id": name}
            for name in plan.all_courts
        ],
        all_href=order_of_play_href(event_id),
        competition_href=competition_href(event_id),
        manage_href=f"/admin{competition_href(event_id)}" if organiser else None,
        published=shown.state is None or shown.state.competition.published,
    )


def _court_sheet(words: _Words, court: str, matches: Sequence[Match], referees: Mapping[str, str]) -> dict[str, Any]:
    """One court's sheet: its matches by day (a heading per day when the court plays on more than one), each with
    the referee the timetable names (blank to write in otherwise)."""
    rows = [{**words.match(match), "referee": referees.get(job_id(match), "")} for match in matches]
    days = [{"day": day, "rows": list(day_rows)} for day, day_rows in groupby(rows, key=lambda row: row["day"])]
    return {"court": words.court(court), "days": days, "count": len(rows)}
