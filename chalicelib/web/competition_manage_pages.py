"""Organiser, referee and judge pages of a competition: the set-up (a template, the match format, the tie-break
rules), seeds, each stage's draw and its closing, officials and publishing (organisers); score entry (organisers and
the event's referees); a judge's marking sheet; attempts in a meet.

Forms are plain HTML posts. The pages turn them into what chalicelib.services.competition takes and show its answer;
the service decides who may do what and checks every rule, so a page never allows more than the API. Its refusals
are shown on the page in the reader's language, next to the field when there is one.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from chalice import Response

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.draws import default_seed_count, group_names
from chalicelib.domain.competition.groups import unit_clashes
from chalicelib.domain.competition.progress import started
from chalicelib.domain.competition.setup import MATCH_KINDS, Competition, Stage, StageKind, StageState
from chalicelib.domain.competition.stages import StageOutcome
from chalicelib.domain.records import EntryType
from chalicelib.errors import BadRequest, Conflict, InvalidInput, NotFound
from chalicelib.i18n import N_, translate
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_fairness, competition_officials, competition_views
from chalicelib.storage import Store, get_store
from chalicelib.web.competition_common import (
    WORDS,
    competition_path,
    discipline_path,
    done_key,
    item_name,
    judging_path,
    match_rounds,
    read_whole,
    referee_path,
    refusal,
    typed_text,
)
from chalicelib.web.competition_judging_pages import judged_card, missing_marks_lines
from chalicelib.web.competition_setup_form import (
    BLANK_ROWS,
    KNOCKOUT_TEMPLATES,
    MATCH_TEMPLATES,
    TEMPLATES,
    SetupReader,
    blank_values,
    format_choices,
    kept_meet_settings,
    kept_seeds,
    posted_setup,
    setup_problems,
    template_of,
    tiebreak_choices,
    values_of,
)
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.lineup_pages import mark_lineups
from chalicelib.web.manage_common import event_title, local_text, problem_messages
from chalicelib.web.render import Pages, format_when

routes = Pages(__name__)

# A meet's set-up form ticks its entrants per discipline: a few thousand fields for a large meet.
MAX_FORM_FIELDS = 5000
_KIND_NAMES = {
    StageKind.SINGLE_ELIMINATION: N_("competition.manage.kind.single_elimination"),
    StageKind.DOUBLE_ELIMINATION: N_("competition.manage.kind.double_elimination"),
    StageKind.ROUND_ROBIN: N_("competition.manage.kind.round_robin"),
    StageKind.GROUPS: N_("competition.manage.kind.groups"),
    StageKind.SWISS: N_("competition.manage.kind.swiss"),
    StageKind.LEAGUE: N_("competition.manage.kind.league"),
    StageKind.JUDGED: N_("competition.manage.kind.judged"),
    StageKind.MEASURED: N_("competition.manage.kind.measured"),
}

# ---- the competition page -----------------------------------------------------------------------------------------


def _stage_card(
    event_id: str, state: competition_service.CompetitionState, stage: Stage, names: dict, units: dict, language: str
) -> dict:
    """A stage with its state, draw record, the actions it allows now, and its matches, tables or results."""
    run = state.competition.run(stage.stage_id)
    card: dict = {
        "stage": stage,
        "name": item_name(stage, language),
        "kind": translate(_KIND_NAMES[stage.kind], language),
        "state": run.state.value,
        "run": run,
        "drawn_at": local_text(run.drawn_at),
        "matches_kind": stage.kind in MATCH_KINDS,
        "groups": [
            {"name": name, "entries": [names.get(entry, entry) for entry in members]}
            for name, members in zip(group_names(len(run.groups)), run.groups, strict=True)
        ],
        "unit_clashes": _unit_clashes(state, stage, names),
        **_stage_actions(event_id, state, stage, names, units, language),
    }
    if stage.kind == StageKind.JUDGED and stage.judging:
        card.update(judged_card(state, stage, names))  # the order of appearance drawn by lot
    if stage.kind == StageKind.MEASURED and stage.meet:  # listed before the meet starts too: rounds are set there
        card["disciplines"] = _discipline_rows(event_id, state, stage, language)
    if run.state == StageState.PENDING:
        return card
    result = competition_service.outcome(state, stage)
    if stage.kind in MATCH_KINDS and result.tables:
        card["tables"] = [
            {
                "group": table.group,
                "rows": [{"row": row, "name": names.get(row.entry_id, row.entry_id)} for row in table.rows],
            }
            for table in result.tables
        ]
    if stage.kind == StageKind.JUDGED and stage.judging:
        card["judged"] = _judged_lines(stage, result, names, units, language)
    return card


def _unit_clashes(state: competition_service.CompetitionState, stage: Stage, names: dict) -> list[tuple[str, str]]:
    """A knockout after groups: its first-round pairs of one unit, which the group places left no way to avoid (the
    crossing keeps units apart wherever it can, groups.separate_units), by name."""
    previous = state.competition.previous_stage(stage.stage_id)
    if previous is None or previous.kind != StageKind.GROUPS:
        return []
    line = state.competition.run(stage.stage_id).line
    return [(names.get(a, a), names.get(b, b)) for a, b in unit_clashes(line, state.entry_units())]


def _stage_actions(
    event_id: str, state: competition_service.CompetitionState, stage: Stage, names: dict, units: dict, language: str
) -> dict:
    """What the organiser may do with a stage now (draw, open, close, pair the next round) and its matches."""
    competition = state.competition
    run = competition.run(stage.stage_id)
    previous = competition.previous_stage(stage.stage_id)
    if stage.kind not in MATCH_KINDS:
        return {
            "can_open": run.state == StageState.PENDING and previous is None,
            "can_close": run.state == StageState.DRAWN,
        }
    ready_to_start = previous is None or competition.run(previous.stage_id).state == StageState.CLOSED
    matches = state.stage_matches(stage.stage_id)
    return {
        "can_draw": run.state != StageState.CLOSED and ready_to_start and not started(matches),
        "can_close": run.state == StageState.DRAWN,
        "can_next_round": stage.kind == StageKind.SWISS and run.state == StageState.DRAWN,
        "rounds": match_rounds(event_id, stage, matches, names, units, language),
        "match_count": len(matches),
    }


def _judged_lines(stage: Stage, result: StageOutcome, names: dict, units: dict, language: str) -> list[dict]:
    assert stage.judging is not None
    awards = {tier.code: item_name(tier, language) for tier in stage.judging.tiers}
    return [
        {
            "line": line,
            "name": names.get(line.entry_id, line.entry_id),
            "unit": units.get(line.entry_id, ""),
            "score": f"{line.score:.2f}" if line.score is not None else "",
            "award": awards.get(line.award or "", ""),
        }
        for line in result.judged
    ]


def _discipline_rows(event_id: str, state: competition_service.CompetitionState, stage: Stage, language: str):
    assert stage.meet is not None
    entered = state.performances.get(stage.stage_id, {})
    return [
        {
            "name": item_name(discipline, language),
            "code": discipline.code,
            "entered": sum(entry in entered.get(discipline.code, {}) for entry in discipline.entries),
            "entries": len(discipline.entries),
            # a discipline run in heats and finals: its rounds' page (chalicelib.web.meet_round_pages)
            "href": discipline_path(event_id, stage.stage_id, discipline.code)
            + ("/rounds" if discipline.rounds else ""),
        }
        for discipline in stage.meet.disciplines
    ]


def _plays_matches(competition: Competition | None) -> bool:
    """Whether the competition has a stage of matches (courts, times, a board), whatever template or the API set
    it up."""
    return competition is not None and any(stage.kind in MATCH_KINDS for stage in competition.stages)


def _competition_page(
    principal: Principal,
    store: Store,
    event_id: str,
    status: int = 200,
    *,
    values: dict | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    seed_errors: dict[str, str] | None = None,
    official_form: dict | None = None,
    official_errors: dict[str, str] | None = None,
    close_warning: dict | None = None,
) -> Response:
    language = routes.language()
    view = competition_views.managed_competition(store, principal, event_id, language)
    event, state = view.event, view.state
    competition = state.competition if state else None
    values = values or (values_of(event, competition) if competition else blank_values(event))
    stages = (
        [_stage_card(event_id, state, s, view.names, view.units, language) for s in competition.stages]
        if (state and competition)
        else []
    )
    if state is not None:
        mark_lineups(state, stages)  # each team tie's line-ups: how many are in, and the link
    return routes.show_event(
        "competition_manage.html",
        principal,
        event,
        status,
        words=WORDS,
        competition=competition,
        shape=template_of(competition) if competition else None,
        plays_matches=_plays_matches(competition),
        editable=competition is None or all(run.state == StageState.PENDING for run in competition.runs.values()),
        stages=stages,
        entries=[{"entry": e, "name": e.name, "unit": view.units.get(e.entry_id, "")} for e in view.entries],
        bwf_seeds=default_seed_count(len(view.entries)),  # the set-up form's hint: the seeds a knockout draws now
        show_ids=event.entry_type != EntryType.TEAM,  # a member's 工号 (panels name entries by it), not a team's id
        values=values,
        rows={name: [*values[name], *[{}] * blanks] for name, blanks in BLANK_ROWS.items()},
        templates=TEMPLATES,
        match_templates=MATCH_TEMPLATES,
        knockout_templates=KNOCKOUT_TEMPLATES,
        format_choices=format_choices(language),
        format_name=dict(format_choices(language)),
        tiebreak_choices=tiebreak_choices(language),
        tiebreak_name=dict(tiebreak_choices(language)),
        officials=view.officials,
        official_form=official_form or {"staff_no": "", "role": competition_service.REFEREE_ROLE},
        **_problems(errors, seed_errors, official_errors),
        message=message,
        close_warning=close_warning,
        done=done_key(routes),
    )


def _problems(
    errors: dict[str, str] | None, seed_errors: dict[str, str] | None, official_errors: dict[str, str] | None
) -> dict[str, dict[str, str]]:
    return {"errors": errors or {}, "seed_errors": seed_errors or {}, "official_errors": official_errors or {}}


@routes.route("/admin/events/{event_id}/competition", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def competition_page(principal: Principal, event_id: str):
    """Set up the event's competition, seed it, run its stages, name its officials and publish it."""
    store = get_store()
    if routes.current_request.method == "GET":
        return _competition_page(principal, store, event_id)
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    action = first_value(fields, "action")
    handler = _ACTIONS.get(action)
    if handler is None:
        raise BadRequest()
    return handler(principal, store, event_id, fields, action)


def _save_setup(principal: Principal, store: Store, event_id: str, fields: dict, _action: str):
    language = routes.language()
    values = posted_setup(fields)
    reader = SetupReader(values, language)
    document = reader.document()
    if reader.errors:
        return _competition_page(principal, store, event_id, 400, values=values, errors=reader.errors)
    _event, state = competition_service.managed(store, principal, event_id)
    document = kept_meet_settings(state.competition if state else None, document)
    document["seeds"] = kept_seeds(state.competition if state else None)
    try:
        competition_service.configure(store, principal, event_id, document, now())
    except InvalidInput as error:
        problems = setup_problems(error, language)
        return _competition_page(principal, store, event_id, 400, values=values, errors=problems)
    except Conflict as error:
        return _competition_page(principal, store, event_id, 409, values=values, message=refusal(error, language))
    return redirect(competition_path(event_id, "?done=setup"))


def _save_seeds(principal: Principal, store: Store, event_id: str, fields: dict, _action: str):
    language = routes.language()
    seeds: dict[str, int] = {}
    problems: dict[str, str] = {}
    for entry_id, text in zip(fields.get("entry", []), fields.get("seed", []), strict=False):
        if not typed_text(text):
            continue
        seed = read_whole(text)
        if seed is None or not 1 <= seed <= 64:
            problems[entry_id] = translate("competition.manage.setup.whole", language, low=1, high=64)
        else:
            seeds[entry_id] = seed
    if not problems:
        try:
            competition_service.set_seeds(store, principal, event_id, seeds, now())
        except InvalidInput as error:
            problems = {"seeds": "；".join(message for _raw, message in problem_messages(error, language))}
        except (Conflict, NotFound) as error:
            return _competition_page(principal, store, event_id, error.status, message=refusal(error, language))
        else:
            return redirect(competition_path(event_id, "?done=seeds#entries"))
    return _competition_page(principal, store, event_id, 400, seed_errors=problems)


def _stage_action(principal: Principal, store: Store, event_id: str, fields: dict, action: str):
    stage_id = first_value(fields, "stage")
    if action == "close" and first_value(fields, "confirm") != "1":  # a judged panel with marks missing: warn first
        warning = missing_marks_lines(store, principal, event_id, stage_id, routes.language())
        if warning:
            return _competition_page(
                principal, store, event_id, 409, close_warning={"stage": stage_id, "lines": warning}
            )
    act: dict[str, Callable] = {
        "draw": competition_service.draw,
        "open": competition_service.open_stage,
        "close": competition_service.close_stage,
        "next_round": competition_service.next_round,
        "order": competition_fairness.draw_order,
    }
    try:
        act[action](store, principal, event_id, stage_id, now())
    except (Conflict, NotFound) as error:
        message = refusal(error, routes.language())
        return _competition_page(principal, store, event_id, error.status, message=message)
    return redirect(competition_path(event_id, f"?done={action}#stage-{quote(stage_id, safe='')}"))


def _publish(principal: Principal, store: Store, event_id: str, fields: dict, action: str):
    try:
        competition_service.publish(store, principal, event_id, action == "publish", now())
    except (Conflict, NotFound) as error:
        message = refusal(error, routes.language())
        return _competition_page(principal, store, event_id, error.status, message=message)
    return redirect(competition_path(event_id, f"?done={action}"))


def _officials(principal: Principal, store: Store, event_id: str, fields: dict, action: str):
    language = routes.language()
    form = {"staff_no": first_value(fields, "staff_no"), "role": first_value(fields, "role")}
    try:
        if action == "official_add":
            competition_officials.name_official(store, principal, event_id, form["staff_no"], form["role"], now())
        else:
            competition_officials.remove_official(store, principal, event_id, form["staff_no"], form["role"], now())
    except InvalidInput as error:
        problems: dict[str, str] = {}
        for raw, message in problem_messages(error, language):
            problems.setdefault(str(raw.get("loc", ("staff_no",))[0]), message)
        return _competition_page(principal, store, event_id, 400, official_form=form, official_errors=problems)
    except NotFound:
        message = translate("competition.manage.officials.not_official", language)
        return _competition_page(principal, store, event_id, 404, message=message)
    return redirect(competition_path(event_id, f"?done={action}#officials"))


_ACTIONS: dict[str, Callable] = {
    "setup": _save_setup,
    "seeds": _save_seeds,
    "draw": _stage_action,
    "open": _stage_action,
    "close": _stage_action,
    "next_round": _stage_action,
    "order": _stage_action,
    "publish": _publish,
    "unpublish": _publish,
    "official_add": _officials,
    "official_remove": _officials,
}


# ---- the member's duties ------------------------------------------------------------------------------------------


def official_duties(store: Store, principal: Principal, language: str) -> list[dict]:
    """The events the member referees or judges, with the way to their matches and marking sheets (for /me/duties)."""
    rows = []
    for role, event in sorted(competition_officials.duties(store, principal), key=lambda pair: pair[1].starts_at):
        links = []
        if competition_service.REFEREE_ROLE in role.roles:
            links.append(
                {
                    "label": translate("competition.manage.duties.matches", language),
                    "href": referee_path(event.event_id),
                }
            )
        if competition_service.JUDGE_ROLE in role.roles:
            links += [
                {
                    "label": translate("competition.manage.duties.marks", language, stage=item_name(stage, language)),
                    "href": judging_path(event.event_id, stage.stage_id),
                }
                for stage in competition_officials.judged_stages(store, event.event_id)
            ]
        rows.append(
            {
                "title": event_title(event, language),
                "when": format_when(event.starts_at, language),
                "roles": [
                    translate(WORDS["role"][name], language)
                    for name in competition_service.OFFICIAL_ROLES
                    if name in role.roles
                ],
                "links": links,
            }
        )
    return rows
