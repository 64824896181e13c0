"""A judge's marking sheet and the attempts in a meet's discipline."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.domain.competition import fairness, marks, measured
from chalicelib.domain.competition.judging import Excused
from chalicelib.domain.competition.setup import Discipline, Stage, StageState
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import N_, translate
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_fairness, competition_officials, competition_views
from chalicelib.services import meet as meet_service
from chalicelib.services.organisation_views import unit_names
from chalicelib.storage import Store, get_store
from chalicelib.web import field_card
from chalicelib.web.competition_common import (
    WORDS,
    competition_path,
    discipline_path,
    done_key,
    item_name,
    judging_path,
    number_text,
    read_number,
    referee_path,
    refusal,
)
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.manage_common import problem_messages
from chalicelib.web.render import Pages

routes = Pages(__name__)
EXCUSED_REASONS = {
    Excused.OWN_ENTRY: N_("competition.judging.excused.own_entry"),
    Excused.OWN_UNIT: N_("competition.judging.excused.own_unit"),
}
RANGE_MESSAGES = {
    "time": N_("field.mark_implausible_time"),
    "distance": N_("field.mark_implausible_distance"),
    "points": N_("field.mark_implausible_points"),
}


# ---- the judge's marking sheet ------------------------------------------------------------------------------------


def _judging_page(
    principal: Principal,
    store: Store,
    event_id: str,
    stage_id: str,
    status: int = 200,
    *,
    typed: dict[str, dict[str, str]] | None = None,
    errors: dict[str, dict[str, str]] | None = None,
    message: str | None = None,
):
    language = routes.language()
    state, stage, run, entries, own = competition_service.judge_sheet(store, principal, event_id, stage_id)
    assert stage.judging is not None  # judge_sheet answers for judged stages only
    names = state.entry_names()
    units_by_id = unit_names(store, language)
    units = state.entry_units()
    open_for_marks = run.state == StageState.DRAWN and not run.panel_closed
    # Judges see contestants by number until the panel closes: no name, no unit (issue 19 item 8).
    numbers = competition_fairness.numbers(state, stage)
    sheet = []
    for entry in sorted(entries, key=lambda entry: numbers.get(entry, 0)):
        saved = {code: number_text(mark) for code, mark in own.get(entry, {}).items()}
        sheet.append(
            {
                "entry": entry,
                "number": numbers.get(entry),
                "name": names.get(entry, entry) if run.panel_closed else None,
                "unit": units_by_id.get(units.get(entry, ""), "") if run.panel_closed else None,
                "saved": entry in own,
                "marks": (typed or {}).get(entry) or saved,
                "errors": (errors or {}).get(entry, {}),
            }
        )
    criteria = [
        {
            "code": c.code,
            "name": item_name(c, language),
            "weight": number_text(Decimal(str(c.weight)) * 100),
            "max": number_text(c.max_mark),
        }
        for c in stage.judging.criteria
    ]
    return routes.show_event(
        "competition_manage_judging.html",
        principal,
        state.event,
        status,
        stage_name=item_name(stage, language),
        criteria=criteria,
        sheet=sheet,
        excused=_excused_rows(state, stage, principal.staff_no or "", numbers, names if run.panel_closed else {}),
        marked=sum(row["saved"] for row in sheet),
        open=open_for_marks,
        pending=run.state == StageState.PENDING,
        message=message,
        done=done_key(routes),
        action=judging_path(event_id, stage_id),
    )


def judged_card(state: competition_service.CompetitionState, stage: Stage, names: dict) -> dict:
    """The organiser's view of a judged stage's order of appearance: the drawn order with numbers, its seed, and
    whether it may be drawn (again): until the stage's first mark."""
    run = state.competition.run(stage.stage_id)
    numbers = competition_fairness.numbers(state, stage)
    marked = any(item.stage_id == stage.stage_id for item in state.marks)
    return {
        "order": [
            {"number": numbers[entry], "name": names.get(entry, entry)} for entry in run.order if entry in numbers
        ],
        "order_seed": run.order_seed,
        "can_draw_order": run.state != StageState.CLOSED and not marked,
    }


def missing_marks_lines(store: Store, principal: Principal, event_id: str, stage_id: str, language: str) -> list[str]:
    """Closing a judged panel with marks missing: one line per judge naming the numbers they have not marked
    (empty: nothing missing, or not a judged stage)."""
    _event, state = competition_service.managed(store, principal, event_id)
    stage = state.competition.stage(stage_id) if state else None
    if state is None or stage is None or stage.judging is None:
        return []
    missing = competition_fairness.missing_marks(state, stage)
    if not missing:
        return []
    numbers = competition_fairness.numbers(state, stage)
    judges = {role.staff_no: role.name for role in competition_officials.officials(store, principal, event_id)}
    separator = "、" if language == "zh" else ", "
    return [
        translate(
            "competition.judging.missing.line",
            language,
            judge=f"{judges.get(judge, judge)}（{judge}）"
            if language == "zh"
            else f"{judges.get(judge, judge)} ({judge})",
            numbers=separator.join(translate("competition.judging.number", language, number=numbers[e]) for e in owed),
        )
        for judge, owed in missing.items()
    ]


def _excused_rows(
    state: competition_service.CompetitionState, stage: Stage, judge: str, numbers: dict[str, int], names: dict
) -> list[dict]:
    """The entries this judge does not mark, by number, and why (their own entry; their unit's)."""
    excused = fairness.excused(state.competition, stage, state.judges, judge)
    return [
        {"number": numbers.get(entry), "name": names.get(entry), "reason": EXCUSED_REASONS[reason]}
        for entry, reason in sorted(excused.items(), key=lambda item: numbers.get(item[0], 0))
    ]


@routes.route("/events/{event_id}/judging/{stage_id}", methods=("GET", "POST"), access=Access.MEMBER)
def judging_page(principal: Principal, event_id: str, stage_id: str):
    """A judge's marks for the entries assigned to them, one form per entry; never another judge's marks."""
    store = get_store()
    if routes.current_request.method == "GET":
        return _judging_page(principal, store, event_id, stage_id)
    language = routes.language()
    fields = read_form_lists(routes.current_request)
    state, stage, _run, _entries, _own = competition_service.judge_sheet(store, principal, event_id, stage_id)
    assert stage.judging is not None
    # The sheet names contestants by number only: the form gives the number (an entry's id may be a 工号).
    by_number = {str(number): entry for entry, number in competition_fairness.numbers(state, stage).items()}
    number = first_value(fields, "number")
    entry = by_number.get(number, "")
    typed = {c.code: first_value(fields, f"m_{c.code}") for c in stage.judging.criteria}
    marks, problems = {}, {}
    for criterion in stage.judging.criteria:
        mark = read_number(typed[criterion.code])
        if mark is None:
            max_mark = number_text(criterion.max_mark)
            problems[criterion.code] = translate("competition.manage.judging.mark", language, max=max_mark)
        else:
            marks[criterion.code] = mark
    if not problems:
        try:
            competition_service.submit_marks(store, principal, event_id, stage_id, entry, marks, now())
        except InvalidInput as error:
            for raw in error.problems:
                code = str(raw.get("loc", ("", ""))[-1])
                named = next((c for c in stage.judging.criteria if c.code == code), None)
                max_mark = number_text(named.max_mark) if named else ""
                problems[code] = translate("competition.manage.judging.mark", language, max=max_mark)
        except (Conflict, NotFound) as error:
            return _judging_page(principal, store, event_id, stage_id, error.status, message=refusal(error, language))
        else:
            return redirect(judging_path(event_id, stage_id) + f"?done=marks#entry-{quote(number, safe='')}")
    return _judging_page(principal, store, event_id, stage_id, 400, typed={entry: typed}, errors={entry: problems})


# ---- attempts in a meet -------------------------------------------------------------------------------------------


def _discipline_page(
    principal: Principal,
    store: Store,
    event_id: str,
    stage_id: str,
    code: str,
    status: int = 200,
    *,
    typed: dict[str, list[str]] | None = None,
    errors: dict[str, dict[int, str]] | None = None,
    message: str | None = None,
):
    language = routes.language()
    sheet = competition_views.discipline_sheet(store, principal, event_id, stage_id, code, language)
    state, stage, discipline = sheet.state, sheet.stage, sheet.discipline
    if discipline.rounds:  # run in heats and finals: its marks are entered on its rounds' page
        return redirect(discipline_path(event_id, stage_id, code) + "/rounds")
    organiser = can_manage_event(principal, state.event.owner_unit_id)
    field = field_card.field_view(sheet)
    return routes.show_event(
        "competition_manage_discipline.html",
        principal,
        state.event,
        status,
        words=WORDS,
        stage_name=item_name(stage, language),
        discipline=discipline,
        discipline_name=item_name(discipline, language),
        mark_range=_range_hint(discipline),
        rows=field_card.in_draw_order(_attempt_rows(sheet, typed or {}, errors or {}), field),
        field=field,
        placings=_placings(sheet),
        open=state.competition.run(stage_id).state == StageState.DRAWN,
        message=message,
        done=done_key(routes),
        action=discipline_path(event_id, stage_id, code),
        # heats and finals can be set by the organiser before anything is drawn (meet_round_pages)
        rounds_href=discipline_path(event_id, stage_id, code) + "/rounds"
        if organiser
        and discipline.measure == "time"
        and not any(r.state != StageState.PENDING for r in state.competition.runs.values())
        else None,
        back=competition_path(event_id, f"#stage-{stage_id}") if organiser else referee_path(event_id),
    )


def _range_hint(discipline: Discipline) -> dict[str, str] | None:
    """The discipline's plausible range as its refusal names it (field.mark_implausible_<measure>)."""
    bounds = marks.discipline_range(discipline)
    if bounds is None:
        return None
    context = marks.bounds_context(bounds)
    return {"id": RANGE_MESSAGES[discipline.measure], **context, "discipline_zh": discipline.name_zh,
            "discipline_en": discipline.name_en or discipline.name_zh}  # fmt: skip


def _attempt_rows(
    sheet: competition_views.DisciplineSheet, typed: dict[str, list[str]], errors: dict[str, dict[int, str]]
) -> list[dict]:
    """A row per entrant: the attempts saved (or typed, after a refusal), blank up to the discipline's number."""
    measure = measured.Measure(sheet.discipline.measure)
    rows = []
    for entry in sheet.discipline.entries:
        saved = marks.performance_texts(measure, sheet.entered.get(entry, {}))
        shown = typed.get(entry) or saved
        rows.append(
            {
                "entry": entry,
                "name": sheet.names.get(entry, entry),
                "unit": sheet.units.get(entry, ""),
                "attempts": shown + [""] * (sheet.discipline.attempts - len(shown)),
                "saved": entry in sheet.entered,
                "errors": errors.get(entry, {}),
            }
        )
    return rows


def _placings(sheet: competition_views.DisciplineSheet) -> list[dict]:
    """The placings so far of the entrants with a performance entered."""
    measure = measured.Measure(sheet.discipline.measure)
    return [
        {
            "place": placing.place,
            "name": sheet.names.get(placing.entry_id, placing.entry_id),
            "unit": sheet.units.get(placing.entry_id, ""),
            "mark": measured.format_mark(measure, placing.mark) if placing.mark is not None else placing.status or "",
            "points": number_text(sheet.result.points.get(placing.entry_id)),
        }
        for placing in sheet.result.placings
        if placing.entry_id in sheet.entered
    ]


@routes.route(
    "/admin/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}",
    methods=("GET", "POST"),
    access=Access.MEMBER,
)
def discipline_page(principal: Principal, event_id: str, stage_id: str, discipline: str):
    """Each entrant's attempts in a measured discipline (12.34, 1:02.35, 5.62), with the placings so far."""
    store = get_store()
    if routes.current_request.method == "GET":
        return _discipline_page(principal, store, event_id, stage_id, discipline)
    language = routes.language()
    fields = read_form_lists(routes.current_request)
    entry = first_value(fields, "entry")
    attempts = [value.strip() for value in fields.get("attempt", [])]
    try:
        meet_service.enter_performance(store, principal, event_id, stage_id, discipline, entry, attempts, now())
    except InvalidInput as error:
        problems: dict[int, str] = {}
        for raw, message in problem_messages(error, language):
            location = raw.get("loc", ())
            problems.setdefault(location[1] if len(location) > 1 and isinstance(location[1], int) else 0, message)
        return _discipline_page(
            principal, store, event_id, stage_id, discipline, 400, typed={entry: attempts}, errors={entry: problems}
        )
    except (Conflict, NotFound) as error:
        return _discipline_page(
            principal,
            store,
            event_id,
            stage_id,
            discipline,
            error.status,
            typed={entry: attempts},
            message=refusal(error, language),
        )
    return redirect(discipline_path(event_id, stage_id, discipline) + f"?done=attempts#entry-{quote(entry, safe='')}")
