"""The organisers' list of an event's registrations: filtered by state and unit (the API's filter, through
chalicelib.services.manage_views), counted per unit, with entering a member and removing a registration."""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

from chalicelib.api.event_schemas import RegistrationListQuery, RemovalQuery
from chalicelib.api.registration_schemas import ScopeQuery
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.event_rules import RegistrationPhase, registration_phase, unit_summary
from chalicelib.domain.language import localized
from chalicelib.domain.records import (
    SERIES,
    Allocation,
    Event,
    Registration,
    RegistrationState,
    normalise_staff_no,
)
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.i18n import answer_text, translate
from chalicelib.services import events as event_service
from chalicelib.services import manage_views
from chalicelib.services import registration as registration_service
from chalicelib.services.manage_views import RegistrationsView
from chalicelib.services.placing import Outcome
from chalicelib.storage import Store, get_store
from chalicelib.web.forms import first_value, read_form_lists, redirect, validated
from chalicelib.web.manage_common import (
    MAX_FORM_FIELDS,
    done_message,
    error_message,
    local_text,
    problem_messages,
    state_labels,
)
from chalicelib.web.manage_labels import LABELS
from chalicelib.web.render import Pages

routes = Pages(__name__)


class MemberEntry(NamedTuple):
    """A posted 工号 and scope to enter a member for (organisers here, unit admins on the enter page), as typed, and
    the status and words of what is wrong with them, if anything."""

    form: dict[str, str]
    staff_no: str
    scope: str
    problem: tuple[int, str] | None
    outcome: Outcome | None = None  # entered (enter_member)
    refusal: Forbidden | Conflict | NotFound | InvalidInput | None = None  # the service refused (enter_member)


def read_member_entry(store: Store, fields: dict[str, list[str]], language: str) -> MemberEntry:
    typed = first_value(fields, "staff_no")
    staff_no = normalise_staff_no(typed)
    form = {"staff_no": typed, "scope": first_value(fields, "scope") or SERIES}
    entry = MemberEntry(form=form, staff_no=staff_no, scope=form["scope"], problem=None)
    if not staff_no:
        return entry._replace(problem=(400, translate("field.missing", language)))
    try:
        query = validated(ScopeQuery, {"scope": form["scope"]})
    except InvalidInput:
        return entry._replace(problem=(400, translate("not_found", language)))
    if not manage_views.is_member(store, staff_no):
        return entry._replace(problem=(404, translate("manage.regs.unknown_member", language, staff_no=staff_no)))
    return entry._replace(scope=query.scope)


def enter_member(
    store: Store, principal: Principal, event_id: str, fields: dict[str, list[str]], language: str
) -> MemberEntry:
    """Enter the posted member for the event (read_member_entry, then registration.add_for_member with no answers):
    the entry with its outcome, or with what is wrong with the form or the service's refusal, for the page to word."""
    entry = read_member_entry(store, fields, language)
    if entry.problem is not None:
        return entry
    try:
        outcome = registration_service.add_for_member(
            store, principal, event_id, entry.scope, entry.staff_no, {}, now()
        )
    except (Forbidden, Conflict, NotFound, InvalidInput) as refusal:
        if refusal.code == "already_registered":
            problem = (409, translate("manage.regs.already_registered", language, staff_no=entry.staff_no))
            return entry._replace(problem=problem)
        return entry._replace(refusal=refusal)
    return entry._replace(outcome=outcome)


def _answers(event: Event, registration: Registration, language: str) -> list[tuple[str, str]]:
    """The registration's answers to the event's form, as (question, answer) in words; unanswered ones left out."""
    answers = []
    for question in event.form:
        text = answer_text(question, registration.answers.get(question.question_id), language)
        if text:
            answers.append((localized(question, "label", language), text))
    return answers


def _row(event: Event, r: Registration, view: RegistrationsView, names: dict, scope_names: dict, language: str):
    pending_approval = event.allocation is Allocation.APPROVAL and r.state is RegistrationState.PENDING
    return {
        "registration": r,
        "unit": names.get(r.unit_id, r.unit_id),
        "scope": scope_names.get(r.scope, r.scope),
        "state": r.state.value,
        "position": view.selection.positions.get((r.scope, r.staff_no)),
        "registered_at": local_text(r.registered_at),
        "answers": _answers(event, r, language),
        "team": view.team_names.get(r.team_id or "", r.team_id) if r.team_id else None,
        "decide": pending_approval,
        # A pending approval is rejected (with its reason) rather than removed; a team's roster is the unit's.
        "removable": r.state.active and r.state is not RegistrationState.TEAM and not pending_approval,
    }


def _lottery(event: Event) -> dict | None:
    """A lottery event's draw: its commitment, when it was drawn, and whether it may be drawn now."""
    if event.allocation is not Allocation.LOTTERY:
        return None
    closed = registration_phase(event, now()) is RegistrationPhase.CLOSED
    return {
        "commitment": event.lottery_commitment,
        "drawn_at": local_text(event.lottery_drawn_at) if event.lottery_drawn_at else None,
        "can_draw": closed and event.lottery_drawn_at is None,
        "closed": closed,
    }


def _shown_states(event: Event, counts: Counter, chosen: RegistrationState | None) -> list[str]:
    """The states counted above the list: these always, the others when someone is in them."""
    always = {RegistrationState.CONFIRMED, RegistrationState.WAITING, RegistrationState.CANCELLED}
    always.add(RegistrationState.REMOVED)
    if event.allocation is not Allocation.FIRST_COME:
        always.add(RegistrationState.PENDING)
    return [s.value for s in RegistrationState if s in always or counts.get(s.value) or s is chosen]


def registrations_page(principal: Principal, store: Store, event: Event, status: int = 200, **context: Any):
    language = routes.language()
    query = validated(RegistrationListQuery, {"state": routes.query("state"), "unit_id": routes.query("unit")})
    view = manage_views.registrations_view(store, event, query.state, query.unit_id)
    everything = view.selection.everything
    names = {unit.unit_id: localized(unit, "name", language) for unit in view.units}
    scope_names = {SERIES: translate("manage.regs.series", language), **manage_views.session_labels(view.sessions)}
    rows = [_row(event, r, view, names, scope_names, language) for r in view.selection.found]
    counts = Counter(r.state.value for r in everything)
    summary = [
        {"unit": names.get(tally.unit_id, tally.unit_id), **tally._asdict()} for tally in unit_summary(everything)
    ]
    scopes = [(SERIES, scope_names[SERIES])]
    if event.single_sessions:
        scopes += [(s.session_id, scope_names[s.session_id]) for s in view.sessions]
    context = {"message": None, "add_form": {}, "add_error": None, "remove_errors": {}, "decide_errors": {}, **context}
    return routes.show_event(
        "manage_registrations.html",
        principal,
        event,
        status,
        rows=rows,
        counts={state.value: counts.get(state.value, 0) for state in RegistrationState},
        states=[state.value for state in RegistrationState],
        shown_states=_shown_states(event, counts, query.state),
        state_labels=state_labels(language, event.allocation),
        lottery=_lottery(event),
        state=query.state.value if query.state else "",
        unit=query.unit_id or "",
        unit_choices=sorted({r.unit_id for r in everything}, key=lambda unit_id: names.get(unit_id, unit_id)),
        unit_names=names,
        summary=summary,
        totals={name: sum(row[name] for row in summary) for name in ("registered", "confirmed", "waiting")},
        scopes=scopes,
        done=done_message(routes.query("done")),
        filtered=bool(query.state or query.unit_id),
        export_base=f"/api/events/{quote(event.event_id)}/export",
        labels=LABELS,
        **context,
    )


@routes.route("/admin/events/{event_id}/registrations", access=Access.UNIT_ADMIN)
def registrations(principal: Principal, event_id: str):
    store = get_store()
    event = event_service.managed_event(store, principal, event_id)
    return registrations_page(principal, store, event)


@routes.route("/admin/events/{event_id}/registrations/remove", methods=("POST",), access=Access.UNIT_ADMIN)
def registration_remove(principal: Principal, event_id: str):
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    event = event_service.managed_event(store, principal, event_id)
    language = routes.language()
    staff_no = normalise_staff_no(first_value(fields, "staff_no"))
    scope = first_value(fields, "scope") or SERIES
    key = f"{scope}/{staff_no}"
    try:
        query = validated(RemovalQuery, {"scope": scope, "reason": first_value(fields, "reason")})
    except InvalidInput as error:
        wrong_reason = any(raw.get("loc", ())[:1] == ("reason",) for raw in error.problems)
        problem = translate("manage.regs.reason_needed" if wrong_reason else "validation_failed", language)
        return registrations_page(principal, store, event, 400, remove_errors={key: problem}, message=problem)
    try:
        registration_service.remove(store, principal, event_id, query.scope, staff_no, query.reason, now())
    except (Conflict, NotFound) as error:
        problem = error_message(error, language)
        return registrations_page(principal, store, event, error.status, remove_errors={key: problem}, message=problem)
    return redirect(f"/admin/events/{quote(event_id)}/registrations?done=removed")


def _add_refusal(refusal: Forbidden | Conflict | NotFound | InvalidInput | None, language: str) -> tuple[int, str]:
    assert refusal is not None  # enter_member gives an outcome, a problem or the service's refusal
    if isinstance(refusal, Forbidden):
        raise refusal  # the error page, as for any request refused
    if isinstance(refusal, InvalidInput):
        return 400, "; ".join(message for _, message in problem_messages(refusal, language))
    return refusal.status, error_message(refusal, language)


@routes.route("/admin/events/{event_id}/registrations/add", methods=("POST",), access=Access.UNIT_ADMIN)
def registration_add(principal: Principal, event_id: str):
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    event = event_service.managed_event(store, principal, event_id)
    language = routes.language()
    entry = enter_member(store, principal, event_id, fields, language)
    if entry.outcome is None:
        status, problem = entry.problem or _add_refusal(entry.refusal, language)
        return registrations_page(principal, store, event, status, add_form=entry.form, add_error=problem)
    done = "added_waiting" if entry.outcome.registration.state is RegistrationState.WAITING else "added"
    return redirect(f"/admin/events/{quote(event_id)}/registrations?" + urlencode({"done": done}))
