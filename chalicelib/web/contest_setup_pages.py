"""项目设置 (issue 19 item 7): the organiser sets up a skill contest's categories and events on one page, each event
with its cap per unit, who may enter, its judges (a panel of its own), its criteria and award tiers and whether a
preliminary sends its best to a final; and the units' ranking rule with 优秀组织奖. Saved through
chalicelib.services.competition.configure (refused once an event has started; the units' entrants are kept)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.setup import Competition, ContestEvent
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.http.middleware import field_problems
from chalicelib.services import competition as competition_service
from chalicelib.storage import get_store
from chalicelib.web.competition_common import refusal
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.render import Pages

routes = Pages(__name__)
MAX_EVENTS = 40
_LINE = re.compile(r"^(.+?)\s+([0-9.]+)$")


def setup_path(event_id: str) -> str:
    return f"/admin/events/{quote(event_id, safe='')}/contest-setup"


def _event_values(contest: ContestEvent, competition: Competition) -> dict[str, str]:
    chain = competition.chain(contest.code)
    judging = chain[-1].judging if chain else None
    panels = judging.panels if judging else ()
    return {
        "code": contest.code,
        "category": contest.category,
        "category_zh": contest.category_zh,
        "category_en": contest.category_en or "",
        "name_zh": contest.name_zh,
        "name_en": contest.name_en or "",
        "cap": str(contest.cap_per_unit or ""),
        "gender": contest.gender or "",
        "judges": " ".join(judge for panel in panels[:1] for judge in panel.judges),
        "criteria": "\n".join(f"{c.name_zh} {c.weight:g}" for c in (judging.criteria if judging else ())),
        "tiers": "\n".join(f"{t.name_zh} {t.count or 0}" for t in (judging.tiers if judging else ())),
        "qualifiers": str(chain[0].qualifiers) if len(chain) > 1 else "",
    }


def _stored_values(competition: Competition | None) -> tuple[list[dict[str, str]], dict[str, str]]:
    if competition is None or not competition.contests:
        return [], {"points": "5 3 1", "rule": "points", "per_event": "1", "top": "3", "min_events": "0"}
    rule = competition.unit_awards
    awards = {
        "points": " ".join(str(row.points) for row in rule.tier_points) if rule else "",
        "rule": rule.rule if rule else "points",
        "per_event": str(rule.participation_points if rule else 1),
        "top": str(rule.top if rule else 3),
        "min_events": str(rule.min_events if rule else 0),
    }
    return [_event_values(contest, competition) for contest in competition.contests], awards


_EVENT_FIELDS = ("code", "category", "category_zh", "category_en", "name_zh", "name_en", "cap", "gender", "judges",
                 "criteria", "tiers", "qualifiers")  # fmt: skip
_AWARD_FIELDS = ("points", "rule", "per_event", "top", "min_events")


def _posted(fields: dict[str, list[str]]) -> tuple[list[dict[str, str]], dict[str, str]]:
    events = []
    for index in range(MAX_EVENTS + 1):
        values = {name: first_value(fields, f"e{index}.{name}").strip() for name in _EVENT_FIELDS}
        if first_value(fields, f"e{index}.remove") or not (values["code"] or values["name_zh"]):
            continue
        events.append(values)
    return events, {name: first_value(fields, f"a.{name}").strip() for name in _AWARD_FIELDS}


def _lines(text: str) -> list[tuple[str, str]]:
    """ "名称 数" lines (a criterion's weight, a tier's count); a line without a number keeps it empty."""
    found = []
    for line in (line.strip() for line in text.splitlines()):
        if line:
            match = _LINE.match(line)
            found.append((match.group(1), match.group(2)) if match else (line, ""))
    return found


def _judging(values: dict[str, str], tiers: bool) -> dict[str, Any]:
    criteria = [
        {"code": f"c{n}", "name_zh": name, "weight": weight or "0"}
        for n, (name, weight) in enumerate(_lines(values["criteria"]), start=1)
    ]
    judging: dict[str, Any] = {"criteria": criteria, "aggregation": "mean"}
    if tiers:
        judging["tiers"] = [
            {"code": f"t{n}", "name_zh": name, "count": count or None}
            for n, (name, count) in enumerate(_lines(values["tiers"]), start=1)
        ]
    judges = values["judges"].split()
    if judges:
        judging["panels"] = [{"panel_id": "p", "name_zh": values["name_zh"] or "评委组", "judges": judges}]
    return judging


def _stages(values: dict[str, str]) -> list[dict[str, Any]]:
    code, name = values["code"], values["name_zh"] or values["code"]
    stage_id = code.lower()
    base = {"kind": "judged", "contest": code}
    if values["qualifiers"]:
        return [
            {**base, "stage_id": f"{stage_id}-pre"[:24], "name_zh": f"{name} 初赛"[:40],
             "qualifiers": values["qualifiers"], "judging": _judging(values, False)},
            {**base, "stage_id": f"{stage_id}-final"[:24], "name_zh": f"{name} 决赛"[:40],
             "judging": _judging(values, True)},
        ]  # fmt: skip
    return [{**base, "stage_id": stage_id, "name_zh": name[:40], "judging": _judging(values, True)}]


def document(events: list[dict[str, str]], awards: dict[str, str]) -> dict[str, Any]:
    """The set-up the page's fields describe (checked by the engine's models when saved)."""
    contests = [
        {
            "code": v["code"],
            "category": v["category"],
            "category_zh": v["category_zh"],
            "category_en": v["category_en"] or None,
            "name_zh": v["name_zh"],
            "name_en": v["name_en"] or None,
            "cap_per_unit": v["cap"] or None,
            "gender": v["gender"] or None,
        }
        for v in events
    ]
    points = awards["points"].split()
    unit_awards = {
        "tier_points": [{"tier": f"t{n}", "points": p} for n, p in enumerate(points, start=1)],
        "rule": awards["rule"] or "points",
        "participation_points": awards["per_event"] or 1,
        "top": awards["top"] or 0,
        "min_events": awards["min_events"] or 0,
    }
    stages = [stage for values in events for stage in _stages(values)]
    return {"stages": stages, "contests": contests, "unit_awards": unit_awards}


def _page(principal: Principal, event_id: str, status: int = 200, **context: Any):
    store = get_store()
    event, state = competition_service.managed(store, principal, event_id)
    stored_events, stored_awards = _stored_values(state.competition if state else None)
    events = context.pop("events", None) or stored_events
    return routes.show_event(
        "contest_setup.html",
        principal,
        event,
        status,
        events=[*events, dict.fromkeys(_EVENT_FIELDS, "")],
        awards=context.pop("awards", None) or stored_awards,
        action=setup_path(event_id),
        done=routes.query("done"),
        entries_href=f"/admin/events/{quote(event_id, safe='')}/contest-entries",
        results_href=f"/events/{quote(event_id, safe='')}/competition/contest",
        **context,
    )


@routes.route("/admin/events/{event_id}/contest-setup", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def contest_setup(principal: Principal, event_id: str):
    """The contest's categories and events with their judges, criteria, tiers and caps, and the units' award rule."""
    if routes.current_request.method == "GET":
        return _page(principal, event_id)
    events, awards = _posted(read_form_lists(routes.current_request, 40 * 16))
    language = routes.language()
    try:
        competition_service.configure(get_store(), principal, event_id, document(events, awards), now())
    except InvalidInput as error:
        problems = [f"{p.field}: {p.message}" if p.field else p.message for p in field_problems(error, language)]
        return _page(principal, event_id, 400, events=events, awards=awards, problems=problems)
    except Conflict as error:
        return _page(principal, event_id, 409, events=events, awards=awards, message=refusal(error, language))
    return redirect(setup_path(event_id) + "?done=saved")
