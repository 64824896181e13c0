"""The organisers' schedule page of a competition (赛程编排): the venue (courts, open sessions, slot lengths, rest,
rounds together, referees; a league's home courts and matchday times), scheduling automatically, and the timetable,
per court, with every match's time, sides, stage and round, referee, lock and the rules it breaks in words; the
matches not placed and why. Each match can be moved (court and time), swapped with another, locked or unlocked,
taken off the timetable and, in a league, postponed to a date: each a small form post that comes back here with a
notice.

The page turns its forms into what chalicelib.services.schedule takes and shows its answer; the service decides who
may do what (the event's organisers) and checks every rule. A move that breaks a rule is kept and flagged (the
organiser knows things the app does not); a played match cannot be moved, which the page says in words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from chalice import Response

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.competition.model import Match
from chalicelib.domain.competition.setup import MATCH_KINDS, Competition, StageKind
from chalicelib.errors import BadRequest, Conflict, InvalidInput, NotFound
from chalicelib.i18n import N_, translate
from chalicelib.services import competition as competition_service
from chalicelib.services import schedule as schedule_service
from chalicelib.services.competition_export import last_rounds
from chalicelib.services.schedule import TimetableRow, TimetableView
from chalicelib.storage import Store, get_store
from chalicelib.web.competition_common import (
    WORDS,
    competition_path,
    item_name,
    refusal,
    round_label_of,
    typed_text,
)
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.manage_common import local_input, problem_messages
from chalicelib.web.render import Pages
from chalicelib.web.schedule_venue_form import (
    StageField,
    VenueReader,
    blank_values,
    form_rows,
    posted_venue,
    venue_problems,
    venue_values,
)

routes = Pages(__name__)

# The venue form posts a handful of fields per court, session and league team.
MAX_FORM_FIELDS = 2000
_DONE = {
    "venue": N_("competition.schedule.done.venue"),
    "auto": N_("competition.schedule.done.auto"),
    "move": N_("competition.schedule.done.move"),
    "swap": N_("competition.schedule.done.swap"),
    "lock": N_("competition.schedule.done.lock"),
    "unlock": N_("competition.schedule.done.unlock"),
    "unschedule": N_("competition.schedule.done.unschedule"),
    "postpone": N_("competition.schedule.done.postpone"),
}


def schedule_path(event_id: str, tail: str = "") -> str:
    return competition_path(event_id, f"/schedule{tail}")


def _anchor(key: str) -> str:
    return "m-" + key.replace("/", "-")


# ---- the timetable as the page shows it ---------------------------------------------------------------------------


def _time_text(moment: datetime | None) -> tuple[str, str]:
    """(HH:MM, the day as 12-05 周六 / Sat 5 Dec) of a start, in China time."""
    if moment is None:
        return "", ""
    local = moment.astimezone(CHINA_TZ)
    return local.strftime("%H:%M"), local.date().isoformat()


_STATUS = {"played": "done", "ready": "ready", "waiting": "waiting"}


def _match_row(event_id: str, row: TimetableRow, total_rounds: dict[str, int], language: str) -> dict[str, Any]:
    """One match of the timetable as a card shows it."""
    clock, day = _time_text(row.starts_at)
    status = _STATUS.get(row.status, "waiting")
    to_be_decided = translate("competition.manage.to_be_decided", language)
    round_label = round_label_of(row.stage, row.match, total_rounds, language)
    return {
        "key": row.key,
        "anchor": _anchor(row.key),
        "time": clock,
        "date": day,
        "court_id": row.court,
        "court": "",  # the court's name in the page's language, from the venue
        "home": row.home_name or to_be_decided,
        "away": row.away_name or to_be_decided,
        "stage": f"{item_name(row.stage, language)} · {round_label}",
        "referee": " ".join(part for part in (row.referee_name, row.referee) if part),
        "locked": row.locked,
        "postponed": row.postponed_to.isoformat() if row.postponed_to else "",
        "status": status,
        "status_text": translate(WORDS["status"][status], language),
        "played": status == "done",
        "league": row.stage.kind == StageKind.LEAGUE,
        "conflicts": [translate(kind, language) for kind in row.conflicts],
        "edit_href": schedule_path(event_id, f"?match={quote(row.key, safe='')}#{_anchor(row.key)}"),
        "starts_at": row.starts_at,
        "reason": "",
    }


def _by_time(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The placed matches by start, across the courts (the day too when they span several)."""
    several_days = len({row["date"] for row in rows}) > 1
    slots: list[dict[str, Any]] = []
    for row in sorted(rows, key=lambda row: (row["starts_at"], row["court"])):
        label = f"{row['date'][5:]} {row['time']}" if several_days else row["time"]
        if not slots or slots[-1]["label"] != label:
            slots.append({"label": label, "matches": []})
        slots[-1]["matches"].append(row)
    return slots


def _by_court(courts: Sequence[tuple[str, str]], rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each court with its matches in time order; a day heading where the day changes (a league, a two-day cup)."""
    columns = []
    several_days = len({row["date"] for row in rows}) > 1
    for court_id, name in courts:
        matches = sorted((row for row in rows if row["court_id"] == court_id), key=lambda row: row["starts_at"])
        day = None
        for row in matches:
            row["day_head"] = row["date"] if several_days and row["date"] != day else ""
            day = row["date"]
        columns.append({"id": court_id, "name": name, "matches": matches})
    return columns


def _page(
    principal: Principal,
    store: Store,
    event_id: str,
    status: int = 200,
    *,
    view: TimetableView | None = None,
    values: dict | None = None,
    errors: dict[str, str] | None = None,
    bad_rows: dict[str, set[int]] | None = None,
    message: str | None = None,
    edit: str | None = None,
    move: dict | None = None,
    move_errors: dict[str, str] | None = None,
    match_message: str | None = None,
) -> Response:
    language = routes.language()
    try:
        view = view or schedule_service.timetable(store, principal, event_id)
    except NotFound as error:
        if error.code != "competition_not_set_up":
            raise
        event, _state = competition_service.managed(store, principal, event_id)
        return routes.show_event(
            "schedule_manage.html", principal, event, competition=None, competition_href=competition_path(event_id)
        )
    timetable = _timetable(view, event_id, language, edit)
    edited = timetable.pop("edited")
    if edited is None and match_message:  # the match is gone (or never was): the notice goes on top
        message, match_message = match_message, None
    values = values or _stored_values(view)
    return routes.show_event(
        "schedule_manage.html",
        principal,
        view.event,
        status,
        competition=view.competition,
        action_path=schedule_path(event_id),
        competition_href=competition_path(event_id),
        has_venue=view.venue is not None,
        days_outside=", ".join(day.isoformat() for day in view.days_outside_event),
        **timetable,
        move=move or _move_defaults(edited),
        move_errors=move_errors or {},
        match_message=match_message,
        venue=_venue_form(view, values, bad_rows or {}, language),
        errors=errors or {},
        message=message,
        done=_DONE.get(routes.query("done") or ""),
        by_time=routes.query("view") == "time",
    )


def _stored_values(view: TimetableView) -> dict[str, Any]:
    first_day = view.event.starts_at.astimezone(CHINA_TZ).date()
    return venue_values(view.venue, first_day) if view.venue else blank_values(first_day)


def _timetable(view: TimetableView, event_id: str, language: str, edit: str | None) -> dict[str, Any]:
    """The timetable's part of the page: counts, the courts with their matches, the unplaced ones and why, the
    conflicts, and the match being changed (``edit``) with the choices its forms offer."""
    names = {court.court_id: item_name(court, language) for court in view.venue.courts} if view.venue else {}
    rows = _rows(view, event_id, names, language)
    placed = [row for row in rows if row["time"] and row["court_id"]]
    unplaced = [row for row in rows if not (row["time"] and row["court_id"])]
    labels = {row["key"]: _short_label(row) for row in rows}
    edited = next((row for row in rows if row["key"] == edit), None)
    return {
        "counts": {"placed": len(placed), "unplaced": len(unplaced), "conflicts": len(view.conflicts)},
        "courts": _by_court(list(names.items()), placed),
        "times": _by_time(placed),
        "unplaced": unplaced,
        "conflicts": _conflicts(view.conflicts, labels, language),
        "edited": edited,
        "edit": edited["key"] if edited else None,
        "court_choices": list(names.items()),
        "swap_choices": _swap_choices(placed, labels, edited),
    }


def _swap_choices(
    placed: Sequence[dict[str, Any]], labels: dict[str, str], edited: dict[str, Any] | None
) -> list[tuple[str, str]]:
    """The placed matches the one being changed can swap with."""
    if edited is None:
        return []
    return [(row["key"], labels[row["key"]]) for row in placed if row is not edited]


def _rows(view: TimetableView, event_id: str, names: dict[str, str], language: str) -> list[dict[str, Any]]:
    """Every match of the timetable as its card shows it, with its court's name and why it is not placed."""
    by_stage: dict[str, list[Match]] = {}
    for item in view.rows:
        by_stage.setdefault(item.stage.stage_id, []).append(item.match)
    rounds = {stage_id: last_rounds(matches) for stage_id, matches in by_stage.items()}
    rows = [_match_row(event_id, item, rounds[item.stage.stage_id], language) for item in view.rows]
    reasons = dict(view.unplaced)
    for row in rows:
        row["court"] = names.get(row["court_id"] or "", row["court_id"] or "")
        reason = reasons.get(row["key"])
        row["reason"] = translate(reason, language) if reason else ""
    return rows


def _venue_form(
    view: TimetableView, values: dict[str, Any], bad_rows: dict[str, set[int]], language: str
) -> dict[str, Any]:
    """The venue form: its values, its rows (blank ones to add to, those with a problem marked), a slot length per
    stage, and for a league each entry's home courts."""
    competition = view.competition
    league = any(stage.kind == StageKind.LEAGUE for stage in competition.stages)
    homes = [
        {
            "entry_id": entry.entry_id,
            "name": entry.name,
            "courts": values["homes"].get(entry.entry_id, ""),
            "bad": index in bad_rows.get("homes", ()),
        }
        for index, entry in enumerate(competition.entries)
    ]
    return {
        **values,
        **form_rows(values, bad_rows),
        "stages": [
            {"id": stage.stage_id, "name": stage.name, "value": values["stage_minutes"].get(stage.stage_id, "")}
            for stage in _stage_fields(competition, language)
        ],
        "league": league,
        "homes": homes if league else [],
    }


def _conflicts(found: Sequence[tuple[str, Sequence[str]]], labels: dict[str, str], language: str) -> list[dict]:
    """The conflicts by kind, in words, each with the matches in it (linked to their cards), each match once."""
    kinds: dict[str, list[str]] = {}
    for kind, keys in found:
        listed = kinds.setdefault(kind, [])
        listed.extend(key for key in keys if key not in listed)
    return [
        {
            "text": translate(kind, language),
            "matches": [{"anchor": _anchor(key), "label": labels.get(key, key)} for key in keys],
        }
        for kind, keys in kinds.items()
    ]


def _short_label(row: dict[str, Any]) -> str:
    """A match in a few words, for the swap list and the conflicts: 10:30 2号场 甲队 – 乙队."""
    where = " ".join(part for part in (row["date"][5:] if row["date"] else "", row["time"], row["court"]) if part)
    return f"{where} {row['home']} – {row['away']}".strip()


def _move_defaults(row: dict[str, Any] | None) -> dict[str, str]:
    if row is None:
        return {"court": "", "starts_at": "", "new_date": ""}
    return {"court": row["court_id"] or "", "starts_at": local_input(row["starts_at"]), "new_date": ""}


def _stage_fields(competition: Competition, language: str) -> list[StageField]:
    return [
        StageField(stage.stage_id, item_name(stage, language))
        for stage in competition.stages
        if stage.kind in MATCH_KINDS
    ]


# ---- the routes ---------------------------------------------------------------------------------------------------


@routes.route("/admin/events/{event_id}/competition/schedule", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def schedule_page(principal: Principal, event_id: str):
    """Plan the competition's day: the venue, scheduling automatically, moving, swapping and locking matches."""
    store = get_store()
    if routes.current_request.method == "GET":
        return _page(principal, store, event_id, edit=routes.query("match"))
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    handler = _ACTIONS.get(first_value(fields, "action"))
    if handler is None:
        raise BadRequest()
    return handler(principal, store, event_id, fields)


def _save_venue(principal: Principal, store: Store, event_id: str, fields: dict[str, list[str]]) -> Response:
    language = routes.language()
    view = schedule_service.timetable(store, principal, event_id)
    competition = view.competition
    stages = _stage_fields(competition, language)
    league = any(stage.kind == StageKind.LEAGUE for stage in competition.stages)
    values = posted_venue(fields, stages)
    reader = VenueReader(values, stages, language, league)
    document = reader.document()
    if reader.errors:
        problems, bad_rows = reader.errors, reader.bad_rows
        return _page(principal, store, event_id, 400, view=view, values=values, errors=problems, bad_rows=bad_rows)
    try:
        schedule_service.set_venue(store, principal, event_id, document, now())
    except InvalidInput as error:
        problems = venue_problems(error, language)
        return _page(principal, store, event_id, 400, view=view, values=values, errors=problems)
    except Conflict as error:
        return _page(principal, store, event_id, 409, view=view, values=values, message=refusal(error, language))
    return redirect(schedule_path(event_id, "?done=venue#venue"))


def _auto(principal: Principal, store: Store, event_id: str, _fields: dict[str, list[str]]) -> Response:
    try:
        schedule_service.auto_schedule(store, principal, event_id, now())
    except (Conflict, NotFound) as error:
        return _page(principal, store, event_id, error.status, message=refusal(error, routes.language()))
    return redirect(schedule_path(event_id, "?done=auto#timetable"))


def _starts_at(text: str) -> datetime | None:
    """A datetime-local input's value, in China time."""
    try:
        moment = datetime.fromisoformat(typed_text(text))
    except ValueError:
        return None
    return moment.replace(tzinfo=CHINA_TZ) if moment.tzinfo is None else None


def _new_date(text: str) -> date | None:
    try:
        return date.fromisoformat(typed_text(text))
    except ValueError:
        return None


def _move(store: Store, principal: Principal, event_id: str, key: str, fields: dict, language: str) -> dict:
    starts_at = _starts_at(first_value(fields, "starts_at"))
    if starts_at is None:
        return {"starts_at": translate("competition.schedule.time_invalid", language)}
    schedule_service.move(store, principal, event_id, key, first_value(fields, "court"), starts_at, now())
    return {}


def _swap(store: Store, principal: Principal, event_id: str, key: str, fields: dict, language: str) -> dict:
    other = first_value(fields, "other")
    if not other:
        return {"other": translate("competition.schedule.swap_choose", language)}
    schedule_service.swap(store, principal, event_id, key, other, now())
    return {}


def _postpone(store: Store, principal: Principal, event_id: str, key: str, fields: dict, language: str) -> dict:
    new_date = _new_date(first_value(fields, "new_date"))
    if new_date is None:
        return {"new_date": translate("competition.schedule.date_invalid", language)}
    schedule_service.postpone(store, principal, event_id, key, new_date, now())
    return {}


def _unschedule(store: Store, principal: Principal, event_id: str, key: str, _fields: dict, _language: str) -> dict:
    schedule_service.unschedule(store, principal, event_id, key, now())
    return {}


def _lock(store: Store, principal: Principal, event_id: str, key: str, fields: dict, _language: str) -> dict:
    schedule_service.set_locked(store, principal, event_id, key, first_value(fields, "action") == "lock", now())
    return {}


_MATCH_ACTIONS: dict[str, Callable[[Store, Principal, str, str, dict, str], dict]] = {
    "move": _move,
    "swap": _swap,
    "postpone": _postpone,
    "unschedule": _unschedule,
    "lock": _lock,
    "unlock": _lock,
}


def _match_action(principal: Principal, store: Store, event_id: str, fields: dict[str, list[str]]) -> Response:
    """Move, swap, lock, unlock, unschedule or postpone one match; back to it on the timetable, or its problems."""
    language = routes.language()
    action, key = first_value(fields, "action"), first_value(fields, "match")
    form = {name: first_value(fields, name) for name in ("court", "starts_at", "new_date")}
    try:
        problems = _MATCH_ACTIONS[action](store, principal, event_id, key, fields, language)
    except InvalidInput as error:
        problems = _move_problems(error, language)
    except (Conflict, NotFound) as error:
        message = refusal(error, language)
        return _page(principal, store, event_id, error.status, edit=key, move=form, match_message=message)
    if problems:
        return _page(principal, store, event_id, 400, edit=key, move=form, move_errors=problems)
    return redirect(schedule_path(event_id, f"?done={action}#{_anchor(key)}"))


def _move_problems(error: InvalidInput, language: str) -> dict[str, str]:
    fields = {"court": "court", "starts_at": "starts_at", "new_date": "new_date", "other": "other"}
    problems: dict[str, str] = {}
    for raw, message in problem_messages(error, language):
        location = [str(part) for part in raw.get("loc", ())]
        problems.setdefault(next((fields[part] for part in location if part in fields), "starts_at"), message)
    return problems


_ACTIONS: dict[str, Callable[[Principal, Store, str, dict[str, list[str]]], Response]] = {
    "venue": _save_venue,
    "auto": _auto,
    **{action: _match_action for action in _MATCH_ACTIONS},
}
