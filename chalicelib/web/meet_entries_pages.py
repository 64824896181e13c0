"""按报名生成项目 / Disciplines from registrations (issue 19 item 1): the organiser's review of what the meet's
registrations make (groups by gender and age, their entrants, the problems), the merges and dropped entries, the
events question of the registration form, and applying the disciplines to the set-up."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.language import N_
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import translate
from chalicelib.services import events as event_service
from chalicelib.services import meet_entries as service
from chalicelib.storage import get_store
from chalicelib.web.competition_common import item_name, read_whole, refusal, typed_text
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.render import Pages

routes = Pages(__name__)
ALL = "all"
DONE = {
    "applied": N_("meet_entries.page.done.applied"),
    "question": N_("meet_entries.page.done.question"),
    "merged": N_("meet_entries.page.done.merged"),
    "unmerged": N_("meet_entries.page.done.unmerged"),
    "dropped": N_("meet_entries.page.done.dropped"),
    "restored": N_("meet_entries.page.done.restored"),
    "settings": N_("meet_entries.page.done.settings"),
    "started": N_("meet_entries.page.done.started"),
}


def meet_entries_path(event_id: str, done: str | None = None) -> str:
    path = f"/admin/events/{quote(event_id, safe='')}/competition/meet-entries"
    return f"{path}?done={quote(done)}" if done else path


def _ages(band: Any, language: str) -> str:
    if band.max_age is None:
        return translate("meet_entries.page.age_from", language, low=band.min_age)
    if band.min_age == 0:
        return translate("meet_entries.page.age_to", language, high=band.max_age)
    return f"{band.min_age}–{band.max_age}"


def _event_name(review: service.MeetEntries, code: str, language: str) -> str:
    event = next((e for e in review.meet.events if e.code == code), None)
    if event is None:
        return code
    return event.name_zh if language == "zh" else event.name_en or event.name_zh


def _discipline_rows(review: service.MeetEntries, language: str) -> list[dict[str, Any]]:
    rows = []
    for discipline in review.generated.disciplines:
        merged = review.generated.merged.get(discipline.code, "")
        rows.append(
            {
                "code": discipline.code,
                "event": discipline.code.split("-")[-1],
                "name": item_name(discipline, language),
                "count": len(discipline.entries),
                "entrants": [
                    {"staff_no": s, "label": f"{review.names.get(s, s)}（{s}）", "unit": review.units.get(s, "")}
                    for s in discipline.entries
                ],
                "merged": ", ".join(service.group_name(review.meet, g.strip(), language) for g in merged.split(","))
                if merged
                else "",
                "changed": discipline.code in review.changed,
                "marked": discipline.code in review.marked,
            }
        )
    return rows


def _groups(review: service.MeetEntries, language: str) -> list[tuple[str, str]]:
    """Every gender × band group, for the merge form's selects."""
    return [
        (f"{gender}-{band.code}", service.group_name(review.meet, f"{gender}-{band.code}", language))
        for gender in ("M", "F")
        for band in review.meet.bands
    ]


def _merges(review: service.MeetEntries, language: str) -> list[dict[str, str]]:
    meet = review.meet
    every = translate("meet_entries.page.all_events", language)
    return [
        {
            "group": m.group,
            "event": m.event or ALL,
            "text": translate(
                "meet_entries.page.merge_line",
                language,
                group=service.group_name(meet, m.group, language),
                into=service.group_name(meet, m.into, language),
                event=_event_name(review, m.event, language) if m.event else every,
            ),
        }
        for m in meet.merges
    ]


def _dropped(review: service.MeetEntries, language: str) -> list[dict[str, str]]:
    rows = []
    for key in review.meet.dropped:
        staff_no, _, event = key.partition("/")
        name = review.names.get(staff_no, staff_no)
        rows.append(
            {
                "staff_no": staff_no,
                "event": event,
                "text": f"{name}（{staff_no}） · {_event_name(review, event, language)}",
            }
        )
    return rows


def _rules(review: service.MeetEntries, language: str) -> dict[str, Any]:
    meet = review.meet
    events = {e.code: e for e in meet.events}
    return {
        "cuts": ",".join(str(b.max_age) for b in meet.bands if b.max_age is not None),
        "standard": [
            {
                "code": code,
                "name": translate(name, language),
                "chosen": code in events,
                "by_age": events[code].by_age if code in events else code.endswith("m"),
            }
            for code, (name, _measure, _attempts) in service.STANDARD_EVENTS.items()
        ],
        "bands": [{"name": item_name(b, language), "ages": _ages(b, language)} for b in meet.bands],
        "events": [
            {"name": _event_name(review, e.code, language), "by_age": e.by_age and bool(meet.bands)}
            for e in meet.events
        ],
        "limit": meet.individual_limit,
        "event_choices": [(e.code, _event_name(review, e.code, language)) for e in meet.events if e.by_age],
    }


def _page(
    principal: Principal, review: service.MeetEntries, status: int = 200, *, message: str | None = None
):  # fmt: skip
    language = routes.language()
    event_id = review.event.event_id
    problems = [
        {"text": service.problem_text(p, review, language), "blocking": p.blocking} for p in review.generated.problems
    ]
    return routes.show_event(
        "meet_entries.html",
        principal,
        review.event,
        status,
        **_rules(review, language),
        has_question=review.has_question,
        problems=problems,
        blocked=review.generated.blocked,
        disciplines=_discipline_rows(review, language),
        gone=list(review.removed),
        marked=list(review.marked),
        merges=_merges(review, language),
        dropped=_dropped(review, language),
        groups=_groups(review, language),
        unit_names={unit_id: item_name(unit, language) for unit_id, unit in review.unit_records.items()},
        version=str(review.version),
        action=meet_entries_path(event_id),
        back=f"/admin/events/{quote(event_id, safe='')}/edit",
        competition=f"/admin/events/{quote(event_id, safe='')}/competition",
        done=DONE.get(routes.query("done") or ""),
        message=message,
    )


def _version(fields: dict[str, list[str]]) -> int | None:
    text = first_value(fields, "version")
    return int(text) if text.isdigit() else None


def _act(principal: Principal, event_id: str, fields: dict[str, list[str]]) -> str:
    """Do what the organiser pressed; the word of the notice shown after it."""
    store = get_store()
    version = _version(fields)
    do = first_value(fields, "do")
    at = now()
    if do == "apply":
        service.apply(store, principal, event_id, version, at)
        return "applied"
    if do == "question":
        service.add_events_question(store, principal, event_id, at)
        return "question"
    if do in ("merge", "unmerge"):
        event = first_value(fields, "event")
        event_code = None if event in ("", ALL) else event
        if do == "merge":
            service.merge(store, principal, event_id, first_value(fields, "group"), first_value(fields, "into"),
                          event_code, version, at)  # fmt: skip
        else:
            service.unmerge(store, principal, event_id, first_value(fields, "group"), event_code, version, at)
        return do + "d"
    if do == "start":
        service.start_meet(store, principal, event_id, at)
        return "started"
    if do == "settings":
        _save_settings(principal, event_id, fields, version)
        return "settings"
    if do in ("drop", "restore"):
        entrant = first_value(fields, "entrant")
        service.drop(store, principal, event_id, entrant, first_value(fields, "event"), do == "restore", version, at)
        return "dropped" if do == "drop" else "restored"
    raise NotFound("not_found")


def _save_settings(principal: Principal, event_id: str, fields: dict[str, list[str]], version: int | None) -> None:
    cuts_text = typed_text(first_value(fields, "cuts")).replace("，", ",")
    parts = [part.strip() for part in cuts_text.split(",") if part.strip()]
    cuts = [read_whole(part) for part in parts]
    limit_text = typed_text(first_value(fields, "limit"))
    limit = read_whole(limit_text) if limit_text else None
    if None in cuts or (limit_text and (limit is None or not 1 <= limit <= 10)):
        code = N_("meet_entries.cuts_invalid") if None in cuts else N_("meet_entries.limit_invalid")
        raise InvalidInput([{"type": code, "loc": ("settings",), "msg": code, "ctx": {}}])
    chosen = fields.get("events", [])
    service.set_rules(get_store(), principal, event_id, [c for c in cuts if c is not None], limit, chosen,
                      set(fields.get("by_age", [])), version, now())  # fmt: skip


@routes.route("/admin/events/{event_id}/competition/meet-entries", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def meet_entries(principal: Principal, event_id: str):
    """The meet's disciplines as its registrations make them: review, merge, drop, apply (the event's organisers)."""
    store = get_store()
    request = routes.current_request
    if request.method == "GET":
        try:
            return _page(principal, service.preview(store, principal, event_id))
        except NotFound as error:
            if error.code != "meet_not_set_up":
                raise
            event = event_service.managed_event(store, principal, event_id)
            return routes.show_event("meet_entries_start.html", principal, event, action=meet_entries_path(event_id))
    fields = read_form_lists(request)
    language = routes.language()
    try:
        done = _act(principal, event_id, fields)
    except InvalidInput as error:
        texts = [translate(str(p.get("type")), language, **(p.get("ctx") or {})) for p in error.problems]
        return _page(principal, service.preview(store, principal, event_id), 400, message=" ".join(texts))
    except Conflict as error:
        return _page(principal, service.preview(store, principal, event_id), 409, message=refusal(error, language))
    return redirect(meet_entries_path(event_id, done))
