"""Score entry (organisers and the event's referees) and the referee's list of matches."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest
from typing import Any
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.domain.competition import scoring
from chalicelib.domain.competition.formats import match_format
from chalicelib.domain.competition.model import AWAY, CARD_KINDS, HOME, Cards, Match, MatchStatus, Outcome, Result
from chalicelib.domain.competition.setup import MATCH_KINDS, Stage, StageKind, StageState
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import translate
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_views
from chalicelib.services import lineups as lineup_service
from chalicelib.storage import Store, get_store
from chalicelib.web.competition_common import (
    WORDS,
    competition_path,
    discipline_path,
    done_key,
    item_name,
    match_path,
    match_rounds,
    match_row,
    preset_name,
    read_whole,
    referee_path,
    refusal,
    round_label_of,
    typed_text,
)
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.links import lineup_path
from chalicelib.web.manage_common import problem_messages
from chalicelib.web.render import Pages

routes = Pages(__name__)

OUTCOMES = ("played", "walkover_home", "walkover_away", "retired_home", "retired_away")


# ---- score entry --------------------------------------------------------------------------------------------------


def _outcome_code(result: Result) -> str:
    if result.outcome == Outcome.WALKOVER:
        return f"walkover_{result.winner}"
    if result.outcome == Outcome.RETIRED:
        return f"retired_{AWAY if result.winner == HOME else HOME}"
    return "played"


def _game_rows(result: Result | None, count: int) -> list[tuple[str, str]]:
    games = [(str(home), str(away)) for home, away in (result.games if result else ())]
    return games + [("", "")] * (count - len(games))


def _score_values(fmt: scoring.MatchFormat, result: Result | None) -> dict:
    """The score form filled in from a recorded result (blank for a match not played)."""
    if isinstance(fmt, scoring.TieFormat):
        played = list(result.rubbers) if result else []
        return {
            "outcome": _outcome_code(result) if result else "played",
            "rubbers": [
                {
                    "outcome": _outcome_code(rubber) if rubber else "played",
                    "games": _game_rows(rubber, fmt.game.best_of),
                }
                for rubber in (played + [None] * (len(fmt.rubbers) - len(played)))
            ],
        }
    if isinstance(fmt, scoring.ScoreFormat):
        score = [(str(result.home), str(result.away))] if result and result.outcome == Outcome.PLAYED else [("", "")]
        values = {"outcome": _outcome_code(result) if result else "played", "games": score}
        if _has_cards(fmt):
            values["cards"] = _card_rows(result.cards if result else None)
        return values
    return {"outcome": _outcome_code(result) if result else "played", "games": _game_rows(result, fmt.best_of)}


def _card_rows(cards: tuple[Cards, Cards] | None) -> list[tuple[str, ...]]:
    """The cards part of the score form: (kind, home, away) per kind, blank where none."""
    return [(kind, *((str(getattr(side, kind) or "") for side in cards) if cards else ("", ""))) for kind in CARD_KINDS]


def _has_cards(fmt: scoring.MatchFormat) -> bool:
    """Whether the score form asks for the cards shown (football: FIFA's fair-play points)."""
    return isinstance(fmt, scoring.ScoreFormat) and fmt.score_unit == scoring.ScoreUnit.GOALS


def _outcome_payload(code: str) -> dict:
    kind, _, side = code.partition("_")
    if kind == "walkover":
        return {"outcome": "walkover", "winner": side}
    if kind == "retired":
        return {"outcome": "retired", "retired": side}
    return {}


class _ScoreReader:
    """Reads a posted score form into a result as the service takes it, noting unreadable numbers per game."""

    def __init__(self, fields: dict[str, list[str]], language: str):
        self.fields = fields
        self.language = language
        self.errors: dict[str, str] = {}

    def outcome(self, name: str, allowed: Sequence[str]) -> str:
        code = first_value(self.fields, name) or "played"
        if code not in allowed:
            self.errors.setdefault("form", translate("field.bad_outcome", self.language))
            return "played"
        return code

    def games(self, prefix: str) -> tuple[list[list[int]], list[tuple[str, str]]]:
        """The games typed (rows left blank are skipped) and the rows as typed, to show again."""
        typed = list(
            zip_longest(self.fields.get(f"{prefix}home", []), self.fields.get(f"{prefix}away", []), fillvalue="")
        )
        games = []
        for number, (home, away) in enumerate(typed, start=1):
            if not typed_text(home) and not typed_text(away):
                continue
            home_points, away_points = read_whole(home), read_whole(away)
            if home_points is None or away_points is None:
                message = translate("field.game_invalid", self.language)
                self.errors.setdefault(f"{prefix}game_{number}", message)
                continue
            games.append([home_points, away_points])
        return games, [(home.strip(), away.strip()) for home, away in typed]

    def cards(self) -> tuple[dict[str, dict[str, int]], list[tuple[str, ...]]]:
        """The cards typed per side and kind (blank: none), and the rows as typed, to show again."""
        cards: dict[str, dict[str, int]] = {HOME: {}, AWAY: {}}
        rows = []
        for kind in CARD_KINDS:
            typed = [(first_value(self.fields, f"card_{kind}_{side}") or "").strip() for side in (HOME, AWAY)]
            rows.append((kind, *typed))
            for side, text in zip((HOME, AWAY), typed, strict=True):
                count = read_whole(text) if typed_text(text) else 0
                if count is None:
                    self.errors.setdefault("cards", translate("field.cards_invalid", self.language))
                elif count:
                    cards[side][kind] = count
        return ({side: counts for side, counts in cards.items() if counts}, rows)

    def read(self, fmt: scoring.MatchFormat) -> tuple[dict, dict]:
        """(the payload for the service, the form's values to show again)."""
        if isinstance(fmt, scoring.TieFormat):
            outcome = self.outcome("outcome", OUTCOMES[:3])
            rubbers, shown = [], []
            for index in range(len(fmt.rubbers)):
                rubber_outcome = self.outcome(f"r{index}_outcome", OUTCOMES)
                games, typed = self.games(f"r{index}_")
                shown.append({"outcome": rubber_outcome, "games": typed})
                unplayed = not games and rubber_outcome == "played"
                rubbers.append(None if unplayed else {"games": games, **_outcome_payload(rubber_outcome)})
            payload = _outcome_payload(outcome) if outcome != "played" else {"rubbers": rubbers}
            return payload, {"outcome": outcome, "rubbers": shown}
        games, typed = self.games("")
        if isinstance(fmt, scoring.ScoreFormat):
            outcome = self.outcome("outcome", OUTCOMES[:3])
            if outcome == "played" and not games:
                # A blank score is not 0–0: a draw has to be typed.
                self.errors.setdefault("game_1", translate("field.score_invalid", self.language))
            payload = _outcome_payload(outcome) or {"score": games[0] if games else None}
            values: dict[str, Any] = {"outcome": outcome, "games": typed}
            if _has_cards(fmt):
                cards, values["cards"] = self.cards()
                if cards and "score" in payload:
                    payload["cards"] = cards
            return payload, values
        outcome = self.outcome("outcome", OUTCOMES)
        return {"games": games, **_outcome_payload(outcome)}, {"outcome": outcome, "games": typed}


def _score_problems(error: InvalidInput, fmt: scoring.MatchFormat, language: str) -> dict[str, str]:
    """The service's score problems next to the game (and rubber) they are about."""
    rubbers = [rubber.code for rubber in fmt.rubbers] if isinstance(fmt, scoring.TieFormat) else []
    problems: dict[str, str] = {}
    for raw, message in problem_messages(error, language):
        where = raw.get("ctx") or {}
        prefix = f"r{rubbers.index(where['rubber'])}_" if where.get("rubber") in rubbers else ""
        field = f"{prefix}game_{where['game']}" if where.get("game") else (f"{prefix}rubber" if prefix else "form")
        problems.setdefault(field, message)
    return problems


def _score_page(
    principal: Principal,
    state: competition_service.CompetitionState,
    stage: Stage,
    match: Match,
    status: int = 200,
    *,
    values: dict | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
):
    language = routes.language()
    store = get_store()
    competition = state.competition
    fmt = match_format(competition, match)
    units = competition_views.entry_unit_names(store, state, language)
    names = state.entry_names()
    event = state.event
    organiser = can_manage_event(principal, event.owner_unit_id)
    kind = (
        "tie" if isinstance(fmt, scoring.TieFormat) else ("score" if isinstance(fmt, scoring.ScoreFormat) else "games")
    )
    total_rounds = {
        match.bracket: max(m.round for m in state.stage_matches(stage.stage_id) if m.bracket == match.bracket)
    }
    return routes.show_event(
        "competition_manage_match.html",
        principal,
        event,
        status,
        words=WORDS,
        stage_name=item_name(stage, language),
        round_label=round_label_of(stage, match, total_rounds, language),
        match=match_row(event.event_id, match, names, units, language),
        recorded=match.status == MatchStatus.DONE,
        closed=competition.run(stage.stage_id).state == StageState.CLOSED,
        kind=kind,
        fmt=fmt,
        format_name=preset_name(fmt, language),
        rubbers=[preset_name(rubber, language) for rubber in fmt.rubbers] if isinstance(fmt, scoring.TieFormat) else [],
        lineups=_lineups(store, principal, state, match),
        outcomes=OUTCOMES if kind == "games" else OUTCOMES[:3],
        rubber_outcomes=OUTCOMES,
        values=values or _score_values(fmt, match.result),
        errors=errors or {},
        message=message,
        back=competition_path(event.event_id, f"#stage-{stage.stage_id}")
        if organiser
        else referee_path(event.event_id),
        action=match_path(event.event_id, stage.stage_id, match.match_id),
    )


def _lineups(
    store: Store, principal: Principal, state: competition_service.CompetitionState, match: Match
) -> dict | None:
    """A team tie's line-ups on the score form: each rubber's players per side (referees see both), and the link
    to the line-up page; None for other matches."""
    tie = lineup_service.for_match(store, principal, state, match, now())
    if tie is None:
        return None
    names = tie.rubber_names()
    return {
        "players": [names.get(rubber.code, {}) for rubber in tie.fmt.rubbers],
        "missing": "、".join(
            state.entry_names().get(lineup.team.team_id, "") if lineup.team else side
            for side, lineup in tie.sides.items()
            if not lineup.submitted
        ),
        "href": lineup_path(state.event.event_id, match.stage_id, match.match_id),
    }


@routes.route(
    "/admin/events/{event_id}/competition/stages/{stage_id}/matches/{match_id}",
    methods=("GET", "POST"),
    access=Access.MEMBER,
)
def match_score(principal: Principal, event_id: str, stage_id: str, match_id: str):
    """Enter (or correct) a match's score: organisers and the event's referees."""
    store = get_store()
    state, stage, match = competition_views.refereed_match(store, principal, event_id, stage_id, match_id)
    if routes.current_request.method == "GET":
        return _score_page(principal, state, stage, match)
    language = routes.language()
    fields = read_form_lists(routes.current_request)
    fmt = match_format(state.competition, match)
    reader = _ScoreReader(fields, language)
    payload, values = reader.read(fmt)
    if reader.errors:
        return _score_page(principal, state, stage, match, 400, values=values, errors=reader.errors)
    payload["correct"] = first_value(fields, "correct") == "1"
    try:
        competition_service.enter_result(store, principal, event_id, stage_id, match_id, payload, now())
    except InvalidInput as error:
        errors = _score_problems(error, fmt, language)
        return _score_page(principal, state, stage, match, 400, values=values, errors=errors)
    except (Conflict, NotFound) as error:
        state, stage, match = competition_views.refereed_match(store, principal, event_id, stage_id, match_id)
        message = refusal(error, language)
        return _score_page(principal, state, stage, match, error.status, values=values, message=message)
    if can_manage_event(principal, state.event.owner_unit_id):
        return redirect(competition_path(event_id, f"?done=result#stage-{quote(stage_id, safe='')}"))
    return redirect(referee_path(event_id) + "?done=result")


# ---- the referee's matches ----------------------------------------------------------------------------------------


@routes.route("/events/{event_id}/referee", access=Access.MEMBER)
def referee_page(principal: Principal, event_id: str):
    """The matches of the event a referee can score now (both sides known) and those already scored."""
    language = routes.language()
    store = get_store()
    state = competition_service.refereeing(store, principal, event_id)
    units = competition_views.entry_unit_names(store, state, language)
    names = state.entry_names()
    stages: list[dict[str, Any]] = []
    for stage in state.competition.stages:
        run = state.competition.run(stage.stage_id)
        if run.state != StageState.DRAWN:
            continue
        if stage.kind == StageKind.MEASURED and stage.meet:
            links = [
                {"name": item_name(d, language), "href": discipline_path(event_id, stage.stage_id, d.code)}
                for d in stage.meet.disciplines
            ]
            stages.append({"name": item_name(stage, language), "disciplines": links})
            continue
        if stage.kind not in MATCH_KINDS:
            continue
        shown = [m for m in state.stage_matches(stage.stage_id) if m.status in (MatchStatus.READY, MatchStatus.DONE)]
        rounds = match_rounds(event_id, stage, shown, names, units, language)
        ready = sum(match.status == MatchStatus.READY for match in shown)
        stages.append({"name": item_name(stage, language), "rounds": rounds, "ready": ready})
    return routes.show_event(
        "competition_manage_referee.html",
        principal,
        state.event,
        stages=stages,
        done=done_key(routes),
    )
