"""Entries by event for a multi-event skill contest (issue 19 item 7, 报名（按项目）): a unit admin's one page listing
every category and event with the unit's cap and entrants, to enter members of the unit in an event (answering the
event's registration form for those not yet registered) and to withdraw them; the union's admins and the event's
organisers choose the unit. The rules are chalicelib.services.contests'."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.contests import last_stage
from chalicelib.domain.competition.setup import Competition, Stage, StageState
from chalicelib.domain.records import SERIES, Event
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.i18n import N_, translate
from chalicelib.services import competition_views
from chalicelib.services import contests as service
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from chalicelib.web.competition_common import item_name, refusal
from chalicelib.web.events.register_pages import (
    MAX_REGISTRATION_FIELDS,
    _answer_errors,
    _question_views,
    _raw_answers,
)
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.render import Pages

routes = Pages(__name__)


def entries_path(event_id: str, unit_id: str | None = None, **query: str) -> str:
    path = f"/admin/events/{quote(event_id, safe='')}/contest-entries"
    params = {**({"unit": unit_id} if unit_id else {}), **query}
    return f"{path}?{urlencode(params)}" if params else path


def _event_card(view: service.ContestEntries, contest: Any, language: str) -> dict[str, Any]:
    entrants = view.unit_entrants(contest)
    count = len(entrants)
    cap = contest.cap_per_unit
    return {
        "code": contest.code,
        "name": item_name(contest, language),
        "count": count,
        "cap": cap,
        "full": cap is not None and count >= cap,
        "open": view.is_open(contest),
        "total": len(contest.entries),
        "gender": contest.gender,
        "entrants": [(staff_no, view.names.get(staff_no, staff_no)) for staff_no in entrants],
    }


def _page(
    principal: Principal, view: service.ContestEntries, status: int = 200, *, chosen: str = "", member: str = "",
    values: dict[str, list[str]] | None = None, errors: dict[str, str] | None = None, message: str | None = None,
):  # fmt: skip
    language = routes.language()
    event = view.event
    categories = [
        {
            "code": category.code,
            "name": category.name_en if language == "en" and category.name_en else category.name_zh,
            "events": [_event_card(view, contest, language) for contest in category.events],
        }
        for category in view.categories
    ]
    units = [(unit.unit_id, item_name(unit, language)) for unit in view.units]
    unit_names = dict(units)
    questions = _question_views(event, [SERIES], SERIES, values or {}, errors or {}, {}, language)
    return routes.show_event(
        "contest_entries.html",
        principal,
        event,
        status,
        categories=categories,
        units=units,
        unit_id=view.unit_id,
        unit_name=unit_names.get(view.unit_id or "", ""),
        members=[(m.staff_no, f"{m.name}（{m.staff_no}）", m.staff_no in view.registered) for m in view.members],
        questions=questions,
        chosen=chosen or routes.query("event") or "",
        member=member,
        action=entries_path(event.event_id, view.unit_id),
        self_path=entries_path(event.event_id),
        done=routes.query("done"),
        message=message,
        back=f"/admin/events/{quote(event.event_id, safe='')}/edit" if view.manages_event else "/admin/entries",
        results=results_path(event.event_id) if view.categories else None,
        setup=f"/admin/events/{quote(event.event_id, safe='')}/contest-setup" if view.manages_event else None,
    )


def _not_set_up(principal: Principal, event_id: str):
    event = registration_service.visible_event(get_store(), principal, event_id)
    organiser = can_manage_event(principal, event.owner_unit_id)
    return routes.show_event(
        "contest_entries.html", principal, event, categories=[], units=[], unit_id=None, unit_name="", members=[],
        questions=[], chosen="", member="", action="", self_path="", done=None,
        message=translate("contest.entries.not_set_up", routes.language()),
        back=f"/admin/events/{quote(event_id, safe='')}/edit" if organiser else "/admin/entries",
        results=None, setup=f"/admin/events/{quote(event_id, safe='')}/contest-setup" if organiser else None,
    )  # fmt: skip


def _invalid_words(error: InvalidInput, event: Event, language: str) -> tuple[dict[str, str], str]:
    """The form's problems next to their questions, and the message above the form (no member chosen; problems with
    no question; else: check the form)."""
    answers, general = _answer_errors(error, event, language)
    if any(tuple(p.get("loc") or ()) == ("staff_no",) for p in error.problems):
        return answers, translate("contest.entries.choose_member", language)
    return answers, " ".join(general) or translate("contest.entries.check", language)


@routes.route("/admin/events/{event_id}/contest-entries", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def contest_entries(principal: Principal, event_id: str):
    """Every category and event with the unit's cap and entrants; a form to enter a member of the unit in an event
    (with the registration form's questions for a member not yet registered); a button to withdraw each entrant."""
    store = get_store()
    request = routes.current_request
    if request.method == "GET":
        try:
            view = service.contest_entries(store, principal, event_id, routes.query("unit"))
        except NotFound as missing:  # a judged contest of one event (the singers'): nothing to enter by event
            if missing.code != "contest_not_set_up":
                raise
            return _not_set_up(principal, event_id)
        return _page(principal, view)
    fields = read_form_lists(request, MAX_REGISTRATION_FIELDS)
    code, staff_no, unit_id = (first_value(fields, name) for name in ("contest", "staff_no", "unit"))
    language = routes.language()
    view = service.contest_entries(store, principal, event_id, unit_id or None)
    try:
        if first_value(fields, "do") == "withdraw":
            service.withdraw(store, principal, event_id, code, staff_no, now())
            return redirect(entries_path(event_id, view.unit_id, done="withdrawn"))
        if not staff_no:
            raise InvalidInput([{"type": "missing", "loc": ("staff_no",), "msg": "staff_no"}])
        service.enter(store, principal, event_id, code, staff_no, _raw_answers(view.event, fields), now())
    except InvalidInput as error:
        answers, message = _invalid_words(error, view.event, language)
        return _page(principal, view, 400, chosen=code, member=staff_no, values=fields, errors=answers,
                     message=message)  # fmt: skip
    except (Conflict, NotFound, Forbidden) as error:
        if isinstance(error, Forbidden) and not error.code.startswith("contest."):
            raise
        status = 403 if isinstance(error, Forbidden) else error.status
        return _page(principal, view, status, chosen=code, member=staff_no, values=fields,
                     message=refusal(error, language))  # type: ignore[arg-type]  # fmt: skip
    return redirect(entries_path(event_id, view.unit_id, done="entered"))


# ---- the contest's events and results (public) -----------------------------------------------------------------

_RULES = {
    "points": N_("contest.results.rule.points"),
    "participation": N_("contest.results.rule.participation"),
    "both": N_("contest.results.rule.both"),
}
_STATES = {
    StageState.PENDING: N_("competition.public.stage_state.pending"),
    StageState.DRAWN: N_("competition.public.stage_state.drawn"),
    StageState.CLOSED: N_("competition.public.stage_state.closed"),
}


def results_path(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}/competition/contest"


def _tier_names(stage: Stage | None, language: str) -> dict[str, str]:
    tiers = stage.judging.tiers if stage is not None and stage.judging is not None else ()
    return {tier.code: item_name(tier, language) for tier in tiers}


def _rule_words(competition: Competition, tier_names: dict[str, str], language: str) -> list[str]:
    rule = competition.unit_awards
    if rule is None:
        return []
    points = "、".join(f"{tier_names.get(row.tier, row.tier)} {row.points}" for row in rule.tier_points)
    award = item_name(rule, language)
    lines = [translate(_RULES[rule.rule], language, points=points or "—", per_event=rule.participation_points)]
    lines.append(translate("contest.results.rule.top", language, top=rule.top, award=award))
    if rule.min_events:
        lines.append(translate("contest.results.rule.min_events", language, n=rule.min_events, award=award))
    return lines


def _event_view(shown: service.EventResult, event_id: str, names: dict[str, str], units: dict[str, str],
                entry_units: dict[str, str], language: str) -> dict[str, Any]:  # fmt: skip
    contest = shown.contest
    stages = [
        {
            "name": item_name(stage, language),
            "state": translate(_STATES[shown.state_of(stage)], language),
            "href": f"/events/{quote(event_id, safe='')}/competition?stage={quote(stage.stage_id, safe='')}",
        }
        for stage, _outcome in shown.stages
    ]
    awards: dict[str, list[str]] = {}
    if shown.closed and shown.stages:
        last, outcome = shown.stages[-1]
        tiers = _tier_names(last, language)
        for line in outcome.judged:
            if line.award:
                unit = units.get(entry_units.get(line.entry_id, ""), "")
                who = f"{names.get(line.entry_id, line.entry_id)}（{unit}）" if unit else names.get(line.entry_id, "")
                awards.setdefault(tiers.get(line.award, line.award), []).append(who)
    return {"code": contest.code, "name": item_name(contest, language), "entrants": len(contest.entries),
            "stages": stages, "awards": list(awards.items()), "closed": shown.closed}  # fmt: skip


@routes.route("/events/{event_id}/competition/contest", access=Access.PUBLIC)
def contest_results(principal: Principal, event_id: str):
    """A multi-event contest's categories and events with each event's stages and awards, and the units' ranking
    with 优秀组织奖 by the set-up's stated rule."""
    language = routes.language()
    shown = competition_views.public_competition(get_store(), principal, event_id, language)
    if shown.state is None or not shown.state.competition.contests:
        raise NotFound("contest_not_set_up")
    state = shown.state
    found = service.results(state)
    competition = found.competition
    names = state.entry_names()
    entry_units = state.entry_units()
    first_last = last_stage(competition, competition.contests[0])
    tier_names = _tier_names(first_last, language)
    categories = [
        {
            "name": category.name_en if language == "en" and category.name_en else category.name_zh,
            "events": [
                _event_view(found.events[c.code], event_id, names, shown.unit_names, entry_units, language)
                for c in category.events
            ],
        }
        for category in found.categories
    ]
    units = [
        {
            "rank": line.rank,
            "unit": shown.unit_names.get(line.unit_id, line.unit_id),
            "points": line.points,
            "tiers": "、".join(f"{tier_names.get(code, code)} {n}" for code, n in line.tiers.items()),
            "entrants": line.entrants,
            "events": line.events,
            "award": line.award,
        }
        for line in found.units
    ]
    rule = competition.unit_awards
    return routes.show_event(
        "contest_results.html",
        principal,
        state.event,
        categories=categories,
        units=units,
        total_events=len(competition.contests),
        rules=_rule_words(competition, tier_names, language),
        award=item_name(rule, language) if rule else translate("contest.results.award", language),
        competition_href=f"/events/{quote(event_id, safe='')}/competition",
        entries_href=entries_path(event_id) if principal.admin_of or principal.union_admin else None,
    )
