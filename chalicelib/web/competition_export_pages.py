"""Competition downloads and printouts: the organisers' workbook (draw sheet, matches and results, standings, award
list) and the score sheets referees and judges fill in by hand at the venue.

Score sheets print on A4 portrait, two match sheets to a page; a judge's marking sheet and a meet's recording sheet
take a page each. They are made for the matches still to be played (ready, or waiting for a previous match), so
an organiser prints a round's sheets before it starts and hands them out with the courts.
"""

from typing import Annotated
from urllib.parse import quote, urlencode

from chalice import Response
from pydantic import Field

from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.competition import fairness, scoring
from chalicelib.domain.competition.formats import match_format, stage_format
from chalicelib.domain.competition.model import Match, MatchStatus
from chalicelib.domain.competition.setup import MATCH_KINDS, EntryKind, Stage, StageKind, StageState
from chalicelib.domain.language import localized
from chalicelib.domain.records import StaffRole
from chalicelib.errors import NotFound
from chalicelib.http.media import XLSX_TYPE
from chalicelib.http.schemas import QueryModel
from chalicelib.i18n import N_, translate
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_export as export
from chalicelib.services import competition_views
from chalicelib.services import lineups as lineup_service
from chalicelib.services.competition import JUDGE_ROLE, CompetitionState
from chalicelib.services.registration_export import content_disposition
from chalicelib.storage import Store, get_store
from chalicelib.web.competition_common import preset_name
from chalicelib.web.forms import validated
from chalicelib.web.manage_common import event_title
from chalicelib.web.render import Pages

routes = Pages(__name__)

# A game's tally grid has a box per point up to the cap, or this many past the target where there is no cap (room
# for a deuce; a longer one is written on past the grid).
DEUCE_ROOM = 5
SHEETS_PER_PAGE = 2
TO_PLAY = (MatchStatus.READY, MatchStatus.WAITING)
_BRACKETED = (StageKind.GROUPS, StageKind.DOUBLE_ELIMINATION)
# The words the score sheets look up by a set-up value (``t(sheet_words.measure[...])``).
SHEET_WORDS = {
    "aggregation": {
        "mean": N_("competition.export.sheets.aggregation.mean"),
        "drop_high_low": N_("competition.export.sheets.aggregation.drop_high_low"),
        "closest_pair": N_("competition.export.sheets.aggregation.closest_pair"),
    },
    "measure": {
        "time": N_("competition.export.sheets.measure.time"),
        "distance": N_("competition.export.sheets.measure.distance"),
        "points": N_("competition.export.sheets.measure.points"),
    },
}


class SheetQuery(QueryModel):
    """The printable sheets' filter (the page passes only these two parameters)."""

    stage: Annotated[str | None, Field(max_length=24)] = None
    round: Annotated[int | None, Field(ge=1, le=64)] = None


def _competition_path(event_id: str, tail: str = "") -> str:
    return f"/admin/events/{quote(event_id)}/competition{tail}"


# ---- the workbook ---------------------------------------------------------------------------------------------------


@routes.route("/admin/events/{event_id}/competition/export.xlsx", access=Access.UNIT_ADMIN)
def competition_workbook(principal: Principal, event_id: str):
    """Draw sheet, matches and results, standings and awards in one XLSX (the event's organisers only)."""
    workbook = competition_views.workbook(get_store(), principal, event_id, routes.language())
    disposition = content_disposition(workbook.filename)
    return Response(body=workbook.body, headers={"Content-Type": XLSX_TYPE, "Content-Disposition": disposition})


# ---- score sheets ---------------------------------------------------------------------------------------------------


@routes.route("/admin/events/{event_id}/competition/score-sheets", access=Access.MEMBER)
def score_sheets(principal: Principal, event_id: str):
    """Printable sheets for one stage (``?stage=``, the current one by default), optionally one round (``?round=``):
    a match sheet per match still to play, a marking sheet per judge, or a recording sheet per discipline. For the
    event's organisers and referees."""
    query = validated(SheetQuery, {"stage": routes.query("stage"), "round": routes.query("round")})
    language = routes.language()
    store = get_store()
    state = competition_service.refereeing(store, principal, event_id)
    competition = state.competition
    stage = competition.stage(query.stage) if query.stage else _current_stage(state)
    if stage is None:
        raise NotFound("stage_not_found")
    path = _competition_path(event_id, "/score-sheets")
    context = _sheets_context(store, state, stage, query, path, language)
    event = state.event
    organiser = can_manage_event(principal, event.owner_unit_id)
    return routes.show(
        "competition_export_score_sheets.html",
        principal,
        sheet_words=SHEET_WORDS,
        title=event_title(event, language),
        stage=stage,
        stage_name=export.stage_name(stage, language),
        drawn=competition.run(stage.stage_id).state != StageState.PENDING,
        entries_known=_stage_entries(state, stage) is not None,
        team=competition.entry_kind == EntryKind.TEAM,
        chosen_round=query.round,
        stage_links=[
            {
                "name": export.stage_name(other, language),
                "href": f"{path}?{urlencode({'stage': other.stage_id})}",
                "current": other.stage_id == stage.stage_id,
            }
            for other in competition.stages
        ],
        all_rounds_href=f"{path}?{urlencode({'stage': stage.stage_id})}",
        back_href=_competition_path(event_id) if organiser else f"/events/{quote(event_id)}/referee",
        workbook_href=_competition_path(event_id, "/export.xlsx") if organiser else None,
        **context,
    )


def _sheets_context(
    store: Store, state: CompetitionState, stage: Stage, query: SheetQuery, path: str, language: str
) -> dict:
    """The sheets of a stage: match sheets two to a page (and the rounds to choose from), a marking sheet per
    judge, or a recording sheet per discipline."""
    names = state.entry_names()
    unit_of = competition_views.entry_unit_names(store, state, language)
    context: dict = {"pages": [], "judge_sheets": [], "discipline_sheets": [], "rounds": []}
    if stage.kind in MATCH_KINDS:
        playing = [m for m in state.stage_matches(stage.stage_id) if m.status in TO_PLAY]
        context["rounds"] = [
            {"number": number, "href": f"{path}?{urlencode({'stage': stage.stage_id, 'round': number})}"}
            for number in sorted({m.round for m in playing})
        ]
        chosen = [m for m in playing if query.round is None or m.round == query.round]
        rounds = export.last_rounds(state.stage_matches(stage.stage_id))
        # Each sheet prints its match's format: the stage's, or a knockout final's own (formats.match_format).
        sheets = []
        # Each rubber's players where the line-ups are in (the officials see both sides).
        players = lineup_service.officials_names(store, state) if state.competition.entry_kind == EntryKind.TEAM else {}
        for m in chosen:
            fmt = match_format(state.competition, m)
            layout = _format_layout(fmt, language)
            sheet = _match_sheet(stage, m, rounds, names, unit_of, layout, language)
            if isinstance(fmt, scoring.TieFormat):
                named = players.get((m.stage_id, m.match_id), {})
                sheet["players"] = [named.get(rubber.code, {}) for rubber in fmt.rubbers]
            sheets.append(sheet)
        context["pages"] = [sheets[i : i + SHEETS_PER_PAGE] for i in range(0, len(sheets), SHEETS_PER_PAGE)]
        context["layout"] = _format_layout(stage_format(state.competition, stage), language)
    elif stage.kind == StageKind.JUDGED:
        staff = competition_views.event_staff(store, state)
        context["judge_sheets"] = _judge_sheets(staff, state, stage, names, unit_of, language)
    else:
        context["discipline_sheets"] = _discipline_sheets(stage, names, unit_of, language)
    return context


def _current_stage(state: CompetitionState) -> Stage:
    """The first stage not closed yet (the last one once all are)."""
    stages = state.competition.stages
    return next((s for s in stages if state.competition.run(s.stage_id).state != StageState.CLOSED), stages[-1])


def _stage_entries(state: CompetitionState, stage: Stage) -> list[str] | None:
    """Who takes part in a stage: its entries once open; the competition's for a first stage not open yet; None
    for a later stage whose entries the previous stage has not decided."""
    run = state.competition.run(stage.stage_id)
    if run.entries:
        return list(run.entries)
    if state.competition.previous_stage(stage.stage_id) is None:
        return [entry.entry_id for entry in state.competition.entries]
    return None


def _format_layout(fmt: scoring.MatchFormat, language: str) -> dict:
    """What every match sheet of the competition's format prints: its name, then a tally grid per game, a row per
    rubber of a team tie (with the line-up letters where the format fixes them), or a plain score."""
    layout: dict = {"name": preset_name(fmt, language)}
    if isinstance(fmt, scoring.GameFormat):
        layout["kind"] = "games"
        layout["games"] = [
            {"number": number, "columns": fmt.cap or fmt.target(number == fmt.best_of) + DEUCE_ROOM,
             "target": fmt.target(number == fmt.best_of)}
            for number in range(1, fmt.best_of + 1)
        ]  # fmt: skip
    elif isinstance(fmt, scoring.TieFormat):
        layout["kind"] = "tie"
        layout["games"] = list(range(1, fmt.game.best_of + 1))
        layout["rubbers"] = [{"name": preset_name(r, language), "players": r.players} for r in fmt.rubbers]
        layout["wins_needed"] = fmt.wins_needed
        layout["stop_when_decided"] = fmt.stop_when_decided
        home_letters = sorted({letter for r in fmt.rubbers for letter in r.home_label})
        away_letters = sorted({letter for r in fmt.rubbers for letter in r.away_label})
        layout["lineup"] = {"home": home_letters, "away": away_letters} if home_letters else None
    else:
        layout["kind"] = "score"
    return layout


def _match_sheet(
    stage: Stage,
    match: Match,
    rounds: dict[str, int],
    names: dict[str, str],
    units: dict[str, str],
    layout: dict,
    language: str,
) -> dict:
    sides = {}
    for side, slot in (("home", match.home), ("away", match.away)):
        sides[side] = {
            "name": export.side_text(slot, names, language),
            "unit": units.get(slot.entry or "", ""),
            "known": slot.entry is not None,
        }
    return {
        "match_id": match.match_id,
        # Only groups and a double elimination's brackets say more than the stage's name does.
        "bracket": export.bracket_label(stage, match.bracket, language) if stage.kind in _BRACKETED else None,
        "round": export.round_label(match, rounds, language),
        "court": match.court or "",
        "when": export.match_time(match),
        "layout": layout,
        **sides,
    }


def _judge_entries(state: CompetitionState, stage: Stage, judge: str, entries: list[str]) -> list[str]:
    """The entries a judge marks: their panel's, never their own (nor their unit's when the contest says so):
    fairness.excused, as on their online sheet."""
    assert stage.judging is not None
    excused = fairness.excused(state.competition, stage, state.judges, judge)
    return [entry for entry in entries if stage.judging.judges_entry(judge, entry) and entry not in excused]


def _judge_sheets(
    roles: list[StaffRole],
    state: CompetitionState,
    stage: Stage,
    names: dict[str, str],
    units: dict[str, str],
    language: str,
) -> list[dict]:
    """A marking sheet per judge with their entries: the judges of each panel, or every judge of the event when
    the stage has no panels; one unnamed sheet when no judge has been named yet."""
    judging = stage.judging
    assert judging is not None
    entries = _stage_entries(state, stage) or []
    judge_names = {role.staff_no: role.name for role in roles}
    if judging.panels:
        judges: list[tuple[str, str | None]] = [
            (judge, panel.name_zh) for panel in judging.panels for judge in panel.judges
        ]
    else:
        judges = [(role.staff_no, None) for role in roles if JUDGE_ROLE in role.roles]
    criteria = [
        {"name": localized(c, "name", language), "weight": f"{c.weight:.0%}", "max": f"{c.max_mark:g}"}
        for c in judging.criteria
    ]
    common = {"criteria": criteria, "aggregation": judging.aggregation}

    if not judges:
        rows = _entry_rows(entries, names, units)
        return [{"judge": None, "panel": None, "entries": rows, **common}]
    return [
        {
            "judge": translate("competition.export.person", language, name=judge_names[judge], staff_no=judge)
            if judge in judge_names
            else judge,
            "panel": panel,
            "entries": _entry_rows(_judge_entries(state, stage, judge, entries), names, units),
            **common,
        }
        for judge, panel in judges
    ]


def _discipline_sheets(stage: Stage, names: dict[str, str], units: dict[str, str], language: str) -> list[dict]:
    """A recording sheet per discipline of a meet: each entrant's attempts, best mark and place."""
    assert stage.meet is not None
    return [
        {
            "name": localized(d, "name", language),
            "measure": d.measure,
            "attempts": list(range(1, d.attempts + 1)),
            "entries": _entry_rows(list(d.entries), names, units),
        }
        for d in stage.meet.disciplines
    ]


def _entry_rows(entries: list[str], names: dict[str, str], units: dict[str, str]) -> list[dict]:
    return [
        {"number": number, "name": names.get(entry, entry), "unit": units.get(entry, "")}
        for number, entry in enumerate(entries, start=1)
    ]
