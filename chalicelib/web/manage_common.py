"""What the organisers' pages share: the form size they read, times and numbers as a form shows them, an event's
title, and a refusal, problem or ``?done=`` in words (chalicelib.web.manage_pages, manage_form_pages,
manage_registration_pages, allocation_pages, checkin_manage_pages, station_pages and the competition pages use them).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.language import localized
from chalicelib.domain.records import Allocation, Event, RegistrationState
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import N_, state_label, translate
from chalicelib.web.manage_labels import PENDING, REFUSAL, STATUS

# The form editor posts a dozen fields per question row and the audience picker one per chosen unit: more than
# chalicelib.web.forms.read_form takes, and it keeps only the first value of a multiple select.
MAX_FORM_FIELDS = 500
_SHOWN_TEXT = 40
DONE = {
    "created": N_("manage.done.created"),
    "saved": N_("manage.done.saved"),
    "status": N_("manage.done.status"),
    "form": N_("manage.done.form"),
    "removed": N_("manage.done.removed"),
    "added": N_("manage.done.added"),
    "added_waiting": N_("manage.done.added_waiting"),
    "approved": N_("alloc.manage.done.approved"),
    "rejected": N_("alloc.manage.done.rejected"),
    "drawn": N_("alloc.manage.done.drawn"),
}


def shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_TEXT else text[: _SHOWN_TEXT - 1] + "…"


def local_input(moment: datetime | None) -> str:
    """A time as a ``datetime-local`` input shows it, in China time."""
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%dT%H:%M") if moment else ""


def local_text(moment: datetime | None) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def event_title(event: Event, language: str) -> str:
    return localized(event, "title", language)


def done_message(done: str | None) -> str | None:
    """The message of a ``?done=`` after a change (its id); ``done`` is the query parameter's value."""
    return DONE.get(done or "")


def error_message(error: Conflict | NotFound, language: str, **extra: object) -> str:
    params = {**error.params, **extra}
    if error.code == "invalid_transition":
        for name in ("current", "target"):
            label = STATUS.get(str(params.get(name)))
            if label is not None:
                params[name] = translate(label, language)
    return translate(error.code, language, **params)


def refusals(error: Conflict, event: Event, language: str) -> list[str]:
    """Why a change was refused, in words (``details["refusals"]`` of ``Conflict("change_refused")``)."""
    counts = {"confirmed": event.confirmed_count, "waiting": event.waiting_count}
    codes = (error.details or {}).get("refusals", ())
    return [translate(REFUSAL.get(code, code), language, **counts) for code in codes]


def state_labels(language: str, allocation: Allocation | None = None) -> dict[str, str]:
    """Every registration state in words (the allocation states' labels are under ``alloc.manage.state.``); pending
    is named after what it waits for when the event's ``allocation`` is given."""
    labels = {state.value: state_label(state.value, language) for state in RegistrationState}
    if allocation in PENDING:
        labels[RegistrationState.PENDING.value] = translate(PENDING[allocation], language)
    return labels


def problem_messages(error: InvalidInput, language: str) -> list[tuple[Mapping[str, Any], str]]:
    """Each raw problem with its message in ``language`` (the API's wording)."""
    from chalicelib.http.middleware import field_problems  # as chalicelib.web.forms does

    return list(zip(error.problems, (problem.message for problem in field_problems(error, language)), strict=True))
