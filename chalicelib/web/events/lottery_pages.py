"""A lottery event's draw: the commitment, the seed and the order, and how to check it.

Who sees what: the commitment, the seed and the counts are public (on the event page too): they say nothing about
anyone, and a draw is only worth checking if anybody can check it. The applicant list names people by 工号, which
is personal data inside the university: it and the JSON download are for signed-in members only, as the JSON
API's GET /api/events/{id}/draw is. Names are never published, only 工号, units and priority tiers.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any
from urllib.parse import quote

from chalice import Response

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.event_rules import RegistrationPhase, registration_phase
from chalicelib.domain.lottery import Applicant, draw_key, draw_order
from chalicelib.domain.records import Event, Unit
from chalicelib.i18n import translate
from chalicelib.services import event_views
from chalicelib.services.organisation_views import unit_name
from chalicelib.storage import get_store
from chalicelib.web.events.wording import event_path, how_places, title
from chalicelib.web.render import Pages, format_when

routes = Pages(__name__)

LISTED_DRAW = 300  # the lottery page lists the draw order up to this many; the JSON download has them all


def _draw_filename(event: Event) -> str:
    return "draw-" + re.sub(r"[^A-Za-z0-9_-]", "", event.event_id) + ".json"


def _own_draw(event: Event, data: dict[str, Any], order: list[Applicant], staff_no: str, language: str):
    """The signed-in member's result, rank and draw key, or None when they did not apply."""
    rank = next((number for number, a in enumerate(order, start=1) if a.staff_no == staff_no), None)
    if rank is None:
        return None
    applicant = order[rank - 1]
    if staff_no in data["winners"]:
        result, tone = translate("alloc.member.lottery.you_won", language), "ok"
    elif staff_no in data["waiting"] and event.waiting_list:
        position = data["waiting"].index(staff_no) + 1
        result, tone = translate("alloc.member.lottery.you_wait", language, position=position), "warn"
    else:
        result, tone = translate("alloc.member.lottery.you_lost", language), "off"
    return {
        "result": result,
        "tone": tone,
        "rank": translate("alloc.member.lottery.your_rank", language, rank=rank, count=len(order), tier=applicant.tier),
        "key_label": translate("alloc.member.lottery.your_key", language, staff_no=staff_no),
        "key": draw_key(data["seed"], staff_no),
    }


def _draw_rows(event: Event, data: dict[str, Any], order: list[Applicant], units: dict[str, Unit], viewer: str, lang):
    winners = set(data["winners"])
    waiting = {staff_no: number for number, staff_no in enumerate(data["waiting"], start=1)}
    rows = []
    for rank, applicant in enumerate(order[:LISTED_DRAW], start=1):
        if applicant.staff_no in winners:
            result, tone = translate("alloc.member.lottery.result.won", lang), "ok"
        elif applicant.staff_no in waiting and event.waiting_list:
            position = waiting[applicant.staff_no]
            result, tone = translate("alloc.member.lottery.result.waiting", lang, position=position), "warn"
        else:
            result, tone = translate("alloc.member.lottery.result.not_drawn", lang), "off"
        rows.append(
            {
                "rank": rank,
                "staff_no": applicant.staff_no,
                "unit": unit_name(units.get(applicant.unit_id), applicant.unit_id, lang),
                "tier": applicant.tier,
                "key": draw_key(data["seed"], applicant.staff_no)[:16],
                "result": result,
                "tone": tone,
                "mine": applicant.staff_no == viewer,
            }
        )
    return rows


def _drawn(data: dict[str, Any], units: dict[str, Unit], language: str) -> tuple[list[Applicant], dict[str, Any]]:
    """The draw's order and what the page says of a published draw."""
    applicants = [Applicant(a["staff_no"], a["unit_id"], int(a["tier"])) for a in data["applicants"]]
    unit_of = {a.staff_no: a.unit_id for a in applicants}
    drawn_per_unit = Counter(unit_of[staff_no] for staff_no in data["winners"])
    quotas = [
        (unit_name(units.get(unit_id), unit_id, language), quota, drawn_per_unit[unit_id])
        for unit_id, quota in sorted((data.get("quotas") or {}).items())
    ]
    facts = {
        "applicants": len(applicants),
        "places": data["capacity"],
        "winners": len(data["winners"]),
        "waiting": len(data["waiting"]),
        "seed": data["seed"],
        "applicants_sha256": data["applicants_sha256"],
        "quotas": quotas,
    }
    return draw_order(data["seed"], applicants), facts


@routes.route("/events/{event_id}/lottery", access=Access.PUBLIC)
def lottery_page(principal: Principal, event_id: str):
    language = routes.language()
    at = now()
    view = event_views.lottery_view(get_store(), principal, event_id)
    event, data = view.event, view.data
    path = event_path(event.event_id)
    # What was shown before the draw: the event's commitment (the sealed draw's is the same).
    commitment = event.lottery_commitment or view.commitment or ""
    context: dict[str, Any] = {
        "title": title(event, language),
        "event_href": path,
        "commitment": commitment,
        "closes": format_when(event.registration_closes_at or event.starts_at, language),
        "phase_open": registration_phase(event, at) is RegistrationPhase.OPEN,
        "how": how_places(event, language),
        "json_href": path + "/lottery.json",
        "signin_href": "/signin?next=" + quote(path + "/lottery", safe="/"),
        "file": _draw_filename(event),
        "command": f"python -m devtools.verify_lottery {_draw_filename(event)} --commitment {commitment}",
        "drawn": data is not None,
        "mine": None,
        "order": [],
        "more": 0,
    }
    if data is None:
        context.update(applicants=event.pending_count, places=event.capacity)
        return routes.show("event_lottery.html", principal, **context)
    order, facts = _drawn(data, view.units, language)
    context.update(
        facts,
        waiting_list=event.waiting_list,
        drawn_at=format_when(view.drawn_at, language) if view.drawn_at else "",
    )
    if principal.signed_in:
        context.update(
            mine=_own_draw(event, data, order, principal.member_no, language),
            order=_draw_rows(event, data, order, view.units, principal.member_no, language),
            more=max(len(order) - LISTED_DRAW, 0),
        )
    return routes.show("event_lottery.html", principal, **context)


@routes.route("/events/{event_id}/lottery.json", access=Access.MEMBER)
def lottery_json(principal: Principal, event_id: str):
    """The published draw as a file, for ``python -m devtools.verify_lottery`` (members only: it lists 工号)."""
    event, data = event_views.published_draw(get_store(), principal, event_id)
    filename = _draw_filename(event)
    return Response(
        body=json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        status_code=200,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
