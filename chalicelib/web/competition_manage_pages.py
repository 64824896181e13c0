"""Organiser, referee and judge pages of a competition: the set-up (a template, the match format, the tie-break
rules), seeds, each stage's draw and its closing, officials and publishing (organisers); score entry (organisers and
the event's referees); a judge's marking sheet; attempts in a meet.

Forms are plain HTML posts. The pages turn them into what chalicelib.services.competition takes and show its answer;
the service decides who may do what and checks every rule, so a page never allows more than the API. Its refusals
are shown on the page in the reader's language, next to the field when there is one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import zip_longest
from typing import Any
from urllib.parse import quote

from chalice import Response

from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.domain.competition import measured, scoring
from chalicelib.domain.competition.draws import group_names
from chalicelib.domain.competition.model import AWAY, HOME, LOSER_OF, Match, MatchStatus, Outcome, Result
from chalicelib.domain.competition.progress import started
from chalicelib.domain.competition.setup import MATCH_KINDS, Competition, Stage, StageKind, StageState
from chalicelib.domain.competition.standings import PRESETS
from chalicelib.domain.records import EntryType, Event
from chalicelib.errors import BadRequest, Conflict, InvalidInput, NotFound
from chalicelib.i18n import MESSAGES, translate
from chalicelib.services import competition as competition_service
from chalicelib.services.competition_export import last_rounds, round_label
from chalicelib.services.competition_export import text as export_text
from chalicelib.storage import Store, get_store
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.manage_pages import error_message, event_title, local_text, problem_messages
from chalicelib.web.render import Pages, format_when, unit_names

routes = Pages(__name__)

# A meet's set-up form ticks its entrants per discipline: a few thousand fields for a large meet.
MAX_FORM_FIELDS = 5000
TEMPLATES = (
    "groups_knockout",
    "single_elimination",
    "double_elimination",
    "round_robin",
    "league",
    "swiss",
    "judged",
    "meet",
)
MATCH_TEMPLATES = TEMPLATES[:6]
_DEFAULT_TEMPLATE = {"tournament": "groups_knockout", "meet": "meet", "contest": "judged"}
_BLANK_ROWS = {"criteria": 2, "tiers": 1, "panels": 2, "disciplines": 2}
_OUTCOMES = ("played", "walkover_home", "walkover_away", "retired_home", "retired_away")
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_DONE = {
    action: f"competition.manage.done.{action}"
    for action in (
        "setup",
        "seeds",
        "draw",
        "open",
        "close",
        "next_round",
        "publish",
        "unpublish",
        "official_add",
        "official_remove",
        "result",
        "marks",
        "attempts",
    )
}


# ---- helpers ------------------------------------------------------------------------------------------------------


def _name(item, language: str) -> str:
    """A set-up item's name (a stage, a discipline, a criterion, an award) in ``language``."""
    return item.name_zh if language == "zh" else (item.name_en or item.name_zh)


def _text(value: str) -> str:
    """A typed value with full-width digits and punctuation (a Chinese input method's) read as ASCII."""
    return unicodedata.normalize("NFKC", value or "").strip()


def _whole(text: str) -> int | None:
    text = _text(text)
    return int(text) if text.isdigit() else None


def _number(text: str) -> float | None:
    try:
        value = float(_text(text))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _number_text(value: float | Decimal | Fraction | None) -> str:
    """A number as a form or a table shows it: 40, 92.5, 4.33 (a fraction to two decimals)."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        value = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))
    text = format(Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _refusal(error: Conflict | NotFound, language: str) -> str:
    """The service's refusal in words; a code without a message still says what was refused."""
    if error.code in MESSAGES:
        message = error_message(error, language)
    else:
        message = translate("competition.manage.refused", language, code=error.code)
    matches = (error.details or {}).get("matches") if isinstance(error.details, dict) else None
    if error.code == "dependents_played" and matches:
        message += " " + translate("competition.manage.refused_matches", language, matches="、".join(matches))
    return message


def _competition_path(event_id: str, tail: str = "") -> str:
    return f"/admin/events/{quote(event_id, safe='')}/competition{tail}"


def _match_path(event_id: str, stage_id: str, match_id: str) -> str:
    return _competition_path(event_id, f"/stages/{quote(stage_id, safe='')}/matches/{quote(match_id, safe='')}")


def _discipline_path(event_id: str, stage_id: str, code: str) -> str:
    return _competition_path(event_id, f"/stages/{quote(stage_id, safe='')}/disciplines/{quote(code, safe='')}")


def _referee_path(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}/referee"


def _judging_path(event_id: str, stage_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}/judging/{quote(stage_id, safe='')}"


def _done() -> str | None:
    return _DONE.get(routes.query("done") or "")


# ---- matches as the pages show them -------------------------------------------------------------------------------


def _side(match: Match, side: str, names: dict[str, str], units: dict[str, str], language: str) -> dict:
    """One side of a match: its entry and unit, a bye, or where its entry will come from (W1-2 的胜者)."""
    slot = match.slot(side)
    if slot.entry:
        return {"name": names.get(slot.entry, slot.entry), "unit": units.get(slot.entry, ""), "known": True}
    if slot.bye:
        return {"name": translate("competition.manage.bye", language), "unit": "", "known": False}
    if slot.source:
        key = "loser_of" if slot.source.startswith(LOSER_OF) else "winner_of"
        label = translate(f"competition.manage.{key}", language, match=slot.source[2:])
        return {"name": label, "unit": "", "known": False}
    return {"name": translate("competition.manage.to_be_decided", language), "unit": "", "known": False}


def _result_text(result: Result | None, language: str) -> str:
    """A result on one line: ``2–1（21–15 19–21 21–17）``, ``2–0 弃权``, ``3–1``."""
    if result is None:
        return ""
    text = f"{result.home}–{result.away}"
    if result.games:
        text += "（" + " ".join(f"{home}–{away}" for home, away in result.games) + "）"
    if result.outcome != Outcome.PLAYED:
        text += " " + translate(f"competition.manage.outcome.{result.outcome.value}", language)
    return text


def _round_label(stage: Stage, match: Match, total_rounds: Mapping[str, int], language: str) -> str:
    """第 2 轮, A 组 第 1 轮, 半决赛, 败者组 第 3 轮, 总决赛 ... for a list of matches grouped by round."""
    if stage.kind in (StageKind.SINGLE_ELIMINATION, StageKind.DOUBLE_ELIMINATION):
        label = round_label(match, total_rounds, language)
        if match.bracket == "L":
            label = translate("competition.manage.bracket.losers", language, round=label)
        return label
    # Not round_label: a twelfth group is lettered "L" and is no losers' bracket.
    label = export_text("round.round", language, n=match.round)
    if stage.kind == StageKind.GROUPS:
        label = translate("competition.manage.group", language, group=match.bracket) + " " + label
    if match.leg > 1:
        label += " " + translate("competition.manage.second_leg", language)
    if match.matchday:
        label += f" · {match.matchday}"
    return label


def _match_rounds(
    event_id: str, stage: Stage, matches: Sequence[Match], names: dict[str, str], units: dict[str, str], language: str
) -> list[dict]:
    """A stage's matches grouped by round, each with its sides, its result and the way to enter it."""
    total_rounds = last_rounds(matches)
    rounds: list[dict] = []
    for match in matches:
        label = _round_label(stage, match, total_rounds, language)
        if not rounds or rounds[-1]["label"] != label:
            rounds.append({"label": label, "matches": []})
        rounds[-1]["matches"].append(_match_row(event_id, match, names, units, language))
    return rounds


def _match_row(event_id: str, match: Match, names: dict[str, str], units: dict[str, str], language: str) -> dict:
    return {
        "id": match.match_id,
        "status": match.status.value,
        "home": _side(match, HOME, names, units, language),
        "away": _side(match, AWAY, names, units, language),
        "winner": HOME if match.winner and match.winner == match.home.entry else (AWAY if match.winner else None),
        "result": _result_text(match.result, language),
        "href": _match_path(event_id, match.stage_id, match.match_id)
        if match.status in (MatchStatus.READY, MatchStatus.DONE)
        else None,
        "court": match.court,
        "starts_at": match.starts_at,
    }


# ---- the set-up form ----------------------------------------------------------------------------------------------


def _format_choices(language: str) -> list[tuple[str, str]]:
    formats = [*scoring.GAME_PRESETS.values(), *scoring.TIE_PRESETS.values()]
    return [(fmt.code, fmt.name_zh if language == "zh" else fmt.name_en) for fmt in formats]


def _tiebreak_choices(language: str) -> list[tuple[str, str]]:
    return [(code, rules.label_zh if language == "zh" else rules.label_en) for code, rules in PRESETS.items()]


def _blank_values(event: Event) -> dict:
    team = event.entry_type == EntryType.TEAM
    return {
        "template": _DEFAULT_TEMPLATE.get(event.format.value, "groups_knockout"),
        "match_format": "badminton_3" if team else "badminton",
        "tiebreak": "badminton_team" if team else "badminton",
        "gk_groups": "4",
        "gk_qualifiers": "2",
        "gk_legs": "1",
        "gk_third_place": False,
        "se_third_place": False,
        "de_grand_final": "single",
        "rr_legs": "1",
        "lg_legs": "2",
        "lg_first_matchday": "",
        "lg_days_between": "7",
        "sw_rounds": "5",
        "aggregation": "drop_high_low",
        "tie_rule": "criteria",
        "rounding": "half_up",
        "finalists": "8",
        "criteria": [],
        "tiers": [
            {"name_zh": name_zh, "name_en": name_en, "count": count, "share": ""}
            for name_zh, name_en, count in (
                ("一等奖", "First prize", "1"),
                ("二等奖", "Second prize", "2"),
                ("三等奖", "Third prize", "3"),
            )
        ],
        "panels": [],
        "place_points": "7,5,4,3,2,1",
        "disciplines": [],
    }


def _template_of(competition: Competition) -> str | None:
    """Which of the page's templates a stored set-up is (None: one made through the API in another shape)."""
    kinds = [stage.kind for stage in competition.stages]
    shapes = {
        (StageKind.GROUPS, StageKind.SINGLE_ELIMINATION): "groups_knockout",
        (StageKind.SINGLE_ELIMINATION,): "single_elimination",
        (StageKind.DOUBLE_ELIMINATION,): "double_elimination",
        (StageKind.ROUND_ROBIN,): "round_robin",
        (StageKind.LEAGUE,): "league",
        (StageKind.SWISS,): "swiss",
        (StageKind.JUDGED,): "judged",
        (StageKind.JUDGED, StageKind.JUDGED): "judged",
        (StageKind.MEASURED,): "meet",
    }
    return shapes.get(tuple(kinds))


def _values_of(event: Event, competition: Competition) -> dict:
    """The set-up form filled in from a stored set-up."""
    values = {**_blank_values(event), "match_format": competition.match_format, "tiebreak": competition.tiebreak}
    template = _template_of(competition)
    values["template"] = template or ""
    first, last = competition.stages[0], competition.stages[-1]
    if template == "groups_knockout":
        values.update(
            gk_groups=str(first.groups),
            gk_qualifiers=str(first.qualifiers),
            gk_legs=str(first.legs),
            gk_third_place=last.third_place,
        )
    elif template == "single_elimination":
        values["se_third_place"] = first.third_place
    elif template == "double_elimination":
        values["de_grand_final"] = first.grand_final
    elif template == "round_robin":
        values["rr_legs"] = str(first.legs)
    elif template == "league":
        values.update(
            lg_legs=str(first.legs),
            lg_first_matchday=str(first.first_matchday or ""),
            lg_days_between=str(first.days_between),
        )
    elif template == "swiss":
        values["sw_rounds"] = str(first.rounds)
    elif template == "judged" and first.judging and last.judging:
        judging = first.judging
        values.update(
            aggregation=judging.aggregation,
            tie_rule=judging.tie_rule,
            rounding=last.judging.rounding,
            finalists=str(first.qualifiers) if len(competition.stages) > 1 else "0",
            criteria=[
                {
                    "name_zh": c.name_zh,
                    "name_en": c.name_en or "",
                    "weight": _number_text(Decimal(str(c.weight)) * 100),
                    "max_mark": _number_text(c.max_mark),
                }
                for c in judging.criteria
            ],
            tiers=[
                {
                    "name_zh": t.name_zh,
                    "name_en": t.name_en or "",
                    "count": _number_text(t.count),
                    "share": _number_text(Decimal(str(t.share)) * 100) if t.share else "",
                }
                for t in last.judging.tiers
            ],
            panels=[
                {"name_zh": p.name_zh, "judges": " ".join(p.judges), "entries": " ".join(p.entries)}
                for p in judging.panels
            ],
        )
    elif template == "meet" and first.meet:
        values.update(
            place_points=",".join(str(points) for points in first.meet.place_points),
            disciplines=[
                {
                    "code": d.code,
                    "name_zh": d.name_zh,
                    "name_en": d.name_en or "",
                    "measure": d.measure,
                    "attempts": str(d.attempts),
                    "entries": list(d.entries),
                }
                for d in first.meet.disciplines
            ],
        )
    return values


def _rows(fields: dict[str, list[str]], prefix: str, names: Sequence[str], selects: Sequence[str] = ()) -> list[dict]:
    """Table rows posted as one list per column (``c_name_zh``, ``c_weight`` ...). Rows left blank are dropped; a
    ``selects`` column always posts a value, so it does not make a row filled in."""
    columns = [fields.get(f"{prefix}_{name}", []) for name in names]
    rows = []
    for index, cells in enumerate(zip_longest(*columns, fillvalue="")):
        row = dict(zip(names, (cell.strip() for cell in cells), strict=True))
        if any(value for name, value in row.items() if name not in selects):
            rows.append({**row, "index": index})
    return rows


def _posted_setup(fields: dict[str, list[str]]) -> dict:
    values: dict[str, Any] = {
        name: first_value(fields, name)
        for name in (
            "template",
            "match_format",
            "tiebreak",
            "gk_groups",
            "gk_qualifiers",
            "gk_legs",
            "de_grand_final",
            "rr_legs",
            "lg_legs",
            "lg_first_matchday",
            "lg_days_between",
            "sw_rounds",
            "aggregation",
            "tie_rule",
            "rounding",
            "finalists",
            "place_points",
        )
    }
    values.update({name: bool(first_value(fields, name)) for name in ("gk_third_place", "se_third_place")})
    values["criteria"] = _rows(fields, "c", ("name_zh", "name_en", "weight", "max_mark"))
    values["tiers"] = _rows(fields, "t", ("name_zh", "name_en", "count", "share"))
    values["panels"] = _rows(fields, "p", ("name_zh", "judges", "entries"))
    disciplines = _rows(fields, "d", ("code", "name_zh", "name_en", "measure", "attempts"), selects=("measure",))
    for row in disciplines:
        row["entries"] = [entry for entry in fields.get(f"d{row['index']}_entries", []) if entry]
    values["disciplines"] = disciplines
    return values


class _SetupReader:
    """Reads the set-up form into the service's set-up document, noting each problem next to its field."""

    def __init__(self, values: dict, language: str):
        self.values = values
        self.language = language
        self.errors: dict[str, str] = {}

    def problem(self, field: str, key: str, **params: object) -> None:
        self.errors.setdefault(field, translate(f"competition.manage.setup.{key}", self.language, **params))

    def whole(self, name: str, low: int, high: int, text: str | None = None) -> int:
        value = _whole(self.values.get(name, "") if text is None else text)
        if value is None or not low <= value <= high:
            self.problem(name, "whole", low=low, high=high)
            return low
        return value

    def choice(self, name: str, allowed: Sequence[str]) -> str:
        value = self.values.get(name, "")
        if value not in allowed:
            self.problem(name, "choose")
            return allowed[0]
        return value

    def stage(self, stage_id: str, kind: StageKind, **settings) -> dict:
        names = {language: translate(f"competition.manage.stage.{stage_id}", language) for language in ("zh", "en")}
        return {"stage_id": stage_id, "kind": kind.value, "name_zh": names["zh"], "name_en": names["en"], **settings}

    def document(self) -> dict:
        template = self.choice("template", TEMPLATES)
        stages = getattr(self, f"_{template}")()
        # A judged contest or a meet has no matches: its form may leave these out, and the defaults stand.
        chosen = {name: self.values[name] for name in ("match_format", "tiebreak") if self.values[name]}
        return {**chosen, "stages": stages}

    # One method per template, named after it.

    def _groups_knockout(self) -> list[dict]:
        groups = self.stage(
            "groups",
            StageKind.GROUPS,
            groups=self.whole("gk_groups", 1, 32),
            qualifiers=self.whole("gk_qualifiers", 1, 8),
            legs=self.whole("gk_legs", 1, 2),
        )
        knockout = self.stage("knockout", StageKind.SINGLE_ELIMINATION, third_place=self.values["gk_third_place"])
        return [groups, knockout]

    def _single_elimination(self) -> list[dict]:
        return [self.stage("knockout", StageKind.SINGLE_ELIMINATION, third_place=self.values["se_third_place"])]

    def _double_elimination(self) -> list[dict]:
        grand_final = self.choice("de_grand_final", ("single", "reset", "none"))
        return [self.stage("double", StageKind.DOUBLE_ELIMINATION, grand_final=grand_final)]

    def _round_robin(self) -> list[dict]:
        return [self.stage("round_robin", StageKind.ROUND_ROBIN, legs=self.whole("rr_legs", 1, 2))]

    def _league(self) -> list[dict]:
        first = _text(self.values["lg_first_matchday"])
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", first):
            self.problem("lg_first_matchday", "date")
        league = self.stage(
            "league",
            StageKind.LEAGUE,
            legs=self.whole("lg_legs", 1, 2),
            days_between=self.whole("lg_days_between", 1, 60),
        )
        return [{**league, "first_matchday": first or None}]

    def _swiss(self) -> list[dict]:
        return [self.stage("swiss", StageKind.SWISS, rounds=self.whole("sw_rounds", 1, 20))]

    def _judged(self) -> list[dict]:
        criteria = []
        for number, row in enumerate(self.values["criteria"], start=1):
            weight, max_mark = _number(row["weight"]), _number(row["max_mark"] or "100")
            if not row["name_zh"] or weight is None or not 0 < weight <= 100 or max_mark is None or max_mark <= 0:
                self.problem("criteria", "criterion_row", row=number)
                continue
            criteria.append(
                {
                    "code": f"c{number}",
                    "name_zh": row["name_zh"],
                    "name_en": row["name_en"] or None,
                    "weight": round(weight / 100, 6),
                    "max_mark": max_mark,
                }
            )
        if not criteria:
            self.problem("criteria", "criteria_missing")
        elif abs(sum(criterion["weight"] for criterion in criteria) - 1) > 1e-6:
            total = _number_text(Decimal(str(sum(criterion["weight"] for criterion in criteria))) * 100)
            self.problem("criteria", "weights", total=total)
        tiers = []
        for number, row in enumerate(self.values["tiers"], start=1):
            count, share = _whole(row["count"]), _number(row["share"])
            if not row["name_zh"] or (count is None) == (share is None) or (share is not None and not 0 < share <= 100):
                self.problem("tiers", "tier_row", row=number)
                continue
            tiers.append(
                {
                    "code": f"t{number}",
                    "name_zh": row["name_zh"],
                    "name_en": row["name_en"] or None,
                    "count": count,
                    "share": round(share / 100, 6) if share is not None else None,
                }
            )
        panels = []
        for number, row in enumerate(self.values["panels"], start=1):
            judges = [judge.upper() for judge in _SEPARATORS.split(_text(row["judges"])) if judge]
            if not judges:
                self.problem("panels", "panel_row", row=number)
                continue
            panels.append(
                {
                    "panel_id": f"p{number}",
                    "name_zh": row["name_zh"] or str(number),
                    "judges": judges,
                    "entries": [entry for entry in _SEPARATORS.split(_text(row["entries"])) if entry],
                }
            )
        marking = {
            "criteria": criteria,
            "aggregation": self.choice("aggregation", ("drop_high_low", "mean", "closest_pair")),
            "tie_rule": self.choice("tie_rule", ("criteria", "shared", "lot")),
            "rounding": self.choice("rounding", ("half_up", "floor", "ceil")),
        }
        finalists = self.whole("finalists", 0, 256)
        if not finalists:
            return [self.stage("contest", StageKind.JUDGED, judging={**marking, "tiers": tiers, "panels": panels})]
        preliminary = self.stage(
            "preliminary", StageKind.JUDGED, qualifiers=finalists, judging={**marking, "panels": panels}
        )
        return [preliminary, self.stage("final", StageKind.JUDGED, judging={**marking, "tiers": tiers})]

    def _meet(self) -> list[dict]:
        points = [_whole(part) for part in _SEPARATORS.split(_text(self.values["place_points"])) if part]
        if not points or None in points or len(points) > 12:
            self.problem("place_points", "place_points_invalid")
        disciplines = []
        for number, row in enumerate(self.values["disciplines"], start=1):
            if not row["name_zh"] or row["measure"] not in ("time", "distance", "points"):
                self.problem("disciplines", "discipline_row", row=number)
                continue
            attempts = _whole(row["attempts"] or "1")
            disciplines.append(
                {
                    "code": row["code"] or f"d{number}",
                    "name_zh": row["name_zh"],
                    "name_en": row["name_en"] or None,
                    "measure": row["measure"],
                    "attempts": attempts if attempts is not None else 0,
                    "entries": row["entries"],
                }
            )
        if not disciplines:
            self.problem("disciplines", "disciplines_missing")
        meet = {"disciplines": disciplines, "place_points": [point for point in points if point is not None]}
        return [self.stage("meet", StageKind.MEASURED, meet=meet)]


def _setup_problems(error: InvalidInput, language: str) -> dict[str, str]:
    """The service's (or the set-up model's) problems under the part of the form they are about."""
    sections = ("criteria", "tiers", "panels", "disciplines", "place_points", "match_format", "tiebreak")
    problems: dict[str, str] = {}
    for raw, message in problem_messages(error, language):
        location = [str(part) for part in raw.get("loc", ())]
        section = next((name for name in sections if name in location), "setup")
        problems.setdefault(section, message)
    return problems


def _kept_seeds(competition: Competition | None) -> dict[str, int]:
    """Seeds already given, kept through a new set-up (renumbered from 1 in their order)."""
    if competition is None:
        return {}
    seeded = sorted((entry for entry in competition.entries if entry.seed), key=lambda entry: entry.seed or 0)
    return {entry.entry_id: number for number, entry in enumerate(seeded, start=1)}


# ---- the competition page -----------------------------------------------------------------------------------------


def _stage_card(
    event_id: str, state: competition_service.CompetitionState, stage: Stage, names: dict, units: dict, language: str
) -> dict:
    """A stage with its state, draw record, the actions it allows now, and its matches, tables or results."""
    competition = state.competition
    run = competition.run(stage.stage_id)
    previous = competition.previous_stage(stage.stage_id)
    ready_to_start = previous is None or competition.run(previous.stage_id).state == StageState.CLOSED
    matches = state.stage_matches(stage.stage_id)
    card: dict = {
        "stage": stage,
        "name": _name(stage, language),
        "kind": translate(f"competition.manage.kind.{stage.kind.value}", language),
        "state": run.state.value,
        "run": run,
        "drawn_at": local_text(run.drawn_at),
        "matches_kind": stage.kind in MATCH_KINDS,
        "groups": [
            {"name": name, "entries": [names.get(entry, entry) for entry in members]}
            for name, members in zip(group_names(len(run.groups)), run.groups, strict=True)
        ],
    }
    if stage.kind in MATCH_KINDS:
        card.update(
            can_draw=run.state != StageState.CLOSED and ready_to_start and not started(matches),
            can_close=run.state == StageState.DRAWN,
            can_next_round=stage.kind == StageKind.SWISS and run.state == StageState.DRAWN,
            rounds=_match_rounds(event_id, stage, matches, names, units, language),
            match_count=len(matches),
        )
    else:
        card.update(
            can_open=run.state == StageState.PENDING and previous is None,
            can_close=run.state == StageState.DRAWN,
        )
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
        awards = {tier.code: _name(tier, language) for tier in stage.judging.tiers}
        card["judged"] = [
            {
                "line": line,
                "name": names.get(line.entry_id, line.entry_id),
                "unit": units.get(line.entry_id, ""),
                "score": f"{line.score:.2f}" if line.score is not None else "",
                "award": awards.get(line.award or "", ""),
            }
            for line in result.judged
        ]
    if stage.kind == StageKind.MEASURED and stage.meet:
        entered = state.performances.get(stage.stage_id, {})
        card["disciplines"] = [
            {
                "name": _name(discipline, language),
                "code": discipline.code,
                "entered": sum(entry in entered.get(discipline.code, {}) for entry in discipline.entries),
                "entries": len(discipline.entries),
                "href": _discipline_path(event_id, stage.stage_id, discipline.code),
            }
            for discipline in stage.meet.disciplines
        ]
    return card


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
) -> Response:
    language = routes.language()
    event, state = competition_service.managed(store, principal, event_id)
    units_by_id = unit_names(store, language)
    competition = state.competition if state else None
    editable = competition is None or all(run.state == StageState.PENDING for run in competition.runs.values())
    if state is not None and competition is not None:
        entries = list(competition.entries)
        names, units = state.entry_names(), {e: units_by_id.get(u, u) for e, u in state.entry_units().items()}
    else:
        entries = competition_service.event_entries(store, event)
        names = {entry.entry_id: entry.name for entry in entries}
        units = {entry.entry_id: units_by_id.get(entry.unit_id, entry.unit_id) for entry in entries}
    values = values or (_values_of(event, competition) if competition else _blank_values(event))
    rows = {name: list(values[name]) for name in _BLANK_ROWS}
    for name, blanks in _BLANK_ROWS.items():
        rows[name] += [{}] * blanks
    officials = [
        {
            "role": role,
            "unit": units_by_id.get(role.unit_id, role.unit_id),
            "roles": sorted(set(role.roles) & set(competition_service.OFFICIAL_ROLES)),
        }
        for role in competition_service.officials(store, principal, event_id)
    ]
    stages = (
        [_stage_card(event_id, state, stage, names, units, language) for stage in competition.stages]
        if state and competition
        else []
    )
    return routes.show(
        "competition_manage.html",
        principal,
        status,
        event=event,
        title=event_title(event, language),
        competition=competition,
        shape=_template_of(competition) if competition else None,
        editable=editable,
        stages=stages,
        entries=[{"entry": entry, "name": entry.name, "unit": units.get(entry.entry_id, "")} for entry in entries],
        show_ids=event.entry_type != EntryType.TEAM,  # a member's 工号 (panels name entries by it), not a team's id
        values=values,
        rows=rows,
        errors=errors or {},
        templates=TEMPLATES,
        match_templates=MATCH_TEMPLATES,
        format_choices=_format_choices(language),
        format_name=dict(_format_choices(language)),
        tiebreak_choices=_tiebreak_choices(language),
        tiebreak_name=dict(_tiebreak_choices(language)),
        seed_errors=seed_errors or {},
        officials=officials,
        official_form=official_form or {"staff_no": "", "role": competition_service.REFEREE_ROLE},
        official_errors=official_errors or {},
        message=message,
        done=_done(),
    )


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
    values = _posted_setup(fields)
    reader = _SetupReader(values, language)
    document = reader.document()
    if reader.errors:
        return _competition_page(principal, store, event_id, 400, values=values, errors=reader.errors)
    _event, state = competition_service.managed(store, principal, event_id)
    document["seeds"] = _kept_seeds(state.competition if state else None)
    try:
        competition_service.configure(store, principal, event_id, document, now())
    except InvalidInput as error:
        problems = _setup_problems(error, language)
        return _competition_page(principal, store, event_id, 400, values=values, errors=problems)
    except Conflict as error:
        return _competition_page(principal, store, event_id, 409, values=values, message=_refusal(error, language))
    return redirect(_competition_path(event_id, "?done=setup"))


def _save_seeds(principal: Principal, store: Store, event_id: str, fields: dict, _action: str):
    language = routes.language()
    seeds: dict[str, int] = {}
    problems: dict[str, str] = {}
    for entry_id, text in zip(fields.get("entry", []), fields.get("seed", []), strict=False):
        if not _text(text):
            continue
        seed = _whole(text)
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
            return _competition_page(principal, store, event_id, error.status, message=_refusal(error, language))
        else:
            return redirect(_competition_path(event_id, "?done=seeds#entries"))
    return _competition_page(principal, store, event_id, 400, seed_errors=problems)


def _stage_action(principal: Principal, store: Store, event_id: str, fields: dict, action: str):
    stage_id = first_value(fields, "stage")
    act: dict[str, Callable] = {
        "draw": competition_service.draw,
        "open": competition_service.open_stage,
        "close": competition_service.close_stage,
        "next_round": competition_service.next_round,
    }
    try:
        act[action](store, principal, event_id, stage_id, now())
    except (Conflict, NotFound) as error:
        message = _refusal(error, routes.language())
        return _competition_page(principal, store, event_id, error.status, message=message)
    return redirect(_competition_path(event_id, f"?done={action}#stage-{quote(stage_id, safe='')}"))


def _publish(principal: Principal, store: Store, event_id: str, fields: dict, action: str):
    try:
        competition_service.publish(store, principal, event_id, action == "publish", now())
    except (Conflict, NotFound) as error:
        message = _refusal(error, routes.language())
        return _competition_page(principal, store, event_id, error.status, message=message)
    return redirect(_competition_path(event_id, f"?done={action}"))


def _officials(principal: Principal, store: Store, event_id: str, fields: dict, action: str):
    language = routes.language()
    form = {"staff_no": first_value(fields, "staff_no"), "role": first_value(fields, "role")}
    try:
        if action == "official_add":
            competition_service.name_official(store, principal, event_id, form["staff_no"], form["role"], now())
        else:
            competition_service.remove_official(store, principal, event_id, form["staff_no"], form["role"], now())
    except InvalidInput as error:
        problems: dict[str, str] = {}
        for raw, message in problem_messages(error, language):
            problems.setdefault(str(raw.get("loc", ("staff_no",))[0]), message)
        return _competition_page(principal, store, event_id, 400, official_form=form, official_errors=problems)
    except NotFound:
        message = translate("competition.manage.officials.not_official", language)
        return _competition_page(principal, store, event_id, 404, message=message)
    return redirect(_competition_path(event_id, f"?done={action}#officials"))


_ACTIONS: dict[str, Callable] = {
    "setup": _save_setup,
    "seeds": _save_seeds,
    "draw": _stage_action,
    "open": _stage_action,
    "close": _stage_action,
    "next_round": _stage_action,
    "publish": _publish,
    "unpublish": _publish,
    "official_add": _officials,
    "official_remove": _officials,
}


# ---- score entry --------------------------------------------------------------------------------------------------


def _outcome_code(result: Result) -> str:
    if result.outcome == Outcome.WALKOVER:
        return f"walkover_{result.winner}"
    if result.outcome == Outcome.RETIRED:
        return f"retired_{AWAY if result.winner == HOME else HOME}"
    return "played"


def _game_rows(result: Result | None, count: int) -> list[tuple[str, str]]:
    games = [(str(home), str(away)) for home, away in (result.games if result else ())]
    return games + [("", "")] * (count - len(games))


def _score_values(fmt: scoring.MatchFormat, result: Result | None) -> dict:
    """The score form filled in from a recorded result (blank for a match not played)."""
    if isinstance(fmt, scoring.TieFormat):
        played = list(result.rubbers) if result else []
        return {
            "outcome": _outcome_code(result) if result else "played",
            "rubbers": [
                {
                    "outcome": _outcome_code(rubber) if rubber else "played",
                    "games": _game_rows(rubber, fmt.game.best_of),
                }
                for rubber in (played + [None] * (len(fmt.rubbers) - len(played)))
            ],
        }
    if isinstance(fmt, scoring.ScoreFormat):
        score = [(str(result.home), str(result.away))] if result and result.outcome == Outcome.PLAYED else [("", "")]
        return {"outcome": _outcome_code(result) if result else "played", "games": score}
    return {"outcome": _outcome_code(result) if result else "played", "games": _game_rows(result, fmt.best_of)}


def _outcome_payload(code: str) -> dict:
    kind, _, side = code.partition("_")
    if kind == "walkover":
        return {"outcome": "walkover", "winner": side}
    if kind == "retired":
        return {"outcome": "retired", "retired": side}
    return {}


class _ScoreReader:
    """Reads a posted score form into a result as the service takes it, noting unreadable numbers per game."""

    def __init__(self, fields: dict[str, list[str]], language: str):
        self.fields = fields
        self.language = language
        self.errors: dict[str, str] = {}

    def outcome(self, name: str, allowed: Sequence[str]) -> str:
        code = first_value(self.fields, name) or "played"
        if code not in allowed:
            self.errors.setdefault("form", translate("field.bad_outcome", self.language))
            return "played"
        return code

    def games(self, prefix: str) -> tuple[list[list[int]], list[tuple[str, str]]]:
        """The games typed (rows left blank are skipped) and the rows as typed, to show again."""
        typed = list(
            zip_longest(self.fields.get(f"{prefix}home", []), self.fields.get(f"{prefix}away", []), fillvalue="")
        )
        games = []
        for number, (home, away) in enumerate(typed, start=1):
            if not _text(home) and not _text(away):
                continue
            home_points, away_points = _whole(home), _whole(away)
            if home_points is None or away_points is None:
                message = translate("field.game_invalid", self.language)
                self.errors.setdefault(f"{prefix}game_{number}", message)
                continue
            games.append([home_points, away_points])
        return games, [(home.strip(), away.strip()) for home, away in typed]

    def read(self, fmt: scoring.MatchFormat) -> tuple[dict, dict]:
        """(the payload for the service, the form's values to show again)."""
        if isinstance(fmt, scoring.TieFormat):
            outcome = self.outcome("outcome", _OUTCOMES[:3])
            rubbers, shown = [], []
            for index in range(len(fmt.rubbers)):
                rubber_outcome = self.outcome(f"r{index}_outcome", _OUTCOMES)
                games, typed = self.games(f"r{index}_")
                shown.append({"outcome": rubber_outcome, "games": typed})
                unplayed = not games and rubber_outcome == "played"
                rubbers.append(None if unplayed else {"games": games, **_outcome_payload(rubber_outcome)})
            payload = _outcome_payload(outcome) if outcome != "played" else {"rubbers": rubbers}
            return payload, {"outcome": outcome, "rubbers": shown}
        games, typed = self.games("")
        if isinstance(fmt, scoring.ScoreFormat):
            outcome = self.outcome("outcome", _OUTCOMES[:3])
            if outcome == "played" and not games:
                # A blank score is not 0–0: a draw has to be typed.
                self.errors.setdefault("game_1", translate("field.score_invalid", self.language))
            payload = _outcome_payload(outcome) or {"score": games[0] if games else None}
            return payload, {"outcome": outcome, "games": typed}
        outcome = self.outcome("outcome", _OUTCOMES)
        return {"games": games, **_outcome_payload(outcome)}, {"outcome": outcome, "games": typed}


def _score_problems(error: InvalidInput, fmt: scoring.MatchFormat, language: str) -> dict[str, str]:
    """The service's score problems next to the game (and rubber) they are about."""
    rubbers = [rubber.code for rubber in fmt.rubbers] if isinstance(fmt, scoring.TieFormat) else []
    problems: dict[str, str] = {}
    for raw, message in problem_messages(error, language):
        where = raw.get("ctx") or {}
        prefix = f"r{rubbers.index(where['rubber'])}_" if where.get("rubber") in rubbers else ""
        field = f"{prefix}game_{where['game']}" if where.get("game") else (f"{prefix}rubber" if prefix else "form")
        problems.setdefault(field, message)
    return problems


def _score_page(
    principal: Principal,
    state: competition_service.CompetitionState,
    stage: Stage,
    match: Match,
    status: int = 200,
    *,
    values: dict | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
):
    language = routes.language()
    store = get_store()
    competition = state.competition
    fmt = scoring.format_by_code(competition.match_format)
    units_by_id = unit_names(store, language)
    units = {entry: units_by_id.get(unit, unit) for entry, unit in state.entry_units().items()}
    names = state.entry_names()
    event = state.event
    organiser = can_manage_event(principal, event.owner_unit_id)
    kind = (
        "tie" if isinstance(fmt, scoring.TieFormat) else ("score" if isinstance(fmt, scoring.ScoreFormat) else "games")
    )
    total_rounds = {
        match.bracket: max(m.round for m in state.stage_matches(stage.stage_id) if m.bracket == match.bracket)
    }
    return routes.show(
        "competition_manage_match.html",
        principal,
        status,
        event=event,
        title=event_title(event, language),
        stage_name=_name(stage, language),
        round_label=_round_label(stage, match, total_rounds, language),
        match=_match_row(event.event_id, match, names, units, language),
        recorded=match.status == MatchStatus.DONE,
        closed=competition.run(stage.stage_id).state == StageState.CLOSED,
        kind=kind,
        fmt=fmt,
        format_name=fmt.name_zh if language == "zh" else fmt.name_en,
        rubbers=[_name(rubber, language) for rubber in fmt.rubbers] if isinstance(fmt, scoring.TieFormat) else [],
        outcomes=_OUTCOMES if kind == "games" else _OUTCOMES[:3],
        rubber_outcomes=_OUTCOMES,
        values=values or _score_values(fmt, match.result),
        errors=errors or {},
        message=message,
        back=_competition_path(event.event_id, f"#stage-{stage.stage_id}")
        if organiser
        else _referee_path(event.event_id),
        action=_match_path(event.event_id, stage.stage_id, match.match_id),
    )


def _refereed_match(store: Store, principal: Principal, event_id: str, stage_id: str, match_id: str):
    state = competition_service.refereeing(store, principal, event_id)
    stage = state.competition.stage(stage_id)
    match = next((m for m in state.stage_matches(stage_id) if m.match_id == match_id), None)
    if stage is None or match is None:
        raise NotFound("match_not_found")
    return state, stage, match


@routes.route(
    "/admin/events/{event_id}/competition/stages/{stage_id}/matches/{match_id}",
    methods=("GET", "POST"),
    access=Access.MEMBER,
)
def match_score(principal: Principal, event_id: str, stage_id: str, match_id: str):
    """Enter (or correct) a match's score: organisers and the event's referees."""
    store = get_store()
    state, stage, match = _refereed_match(store, principal, event_id, stage_id, match_id)
    if routes.current_request.method == "GET":
        return _score_page(principal, state, stage, match)
    language = routes.language()
    fields = read_form_lists(routes.current_request)
    fmt = scoring.format_by_code(state.competition.match_format)
    reader = _ScoreReader(fields, language)
    payload, values = reader.read(fmt)
    if reader.errors:
        return _score_page(principal, state, stage, match, 400, values=values, errors=reader.errors)
    payload["correct"] = first_value(fields, "correct") == "1"
    try:
        competition_service.enter_result(store, principal, event_id, stage_id, match_id, payload, now())
    except InvalidInput as error:
        errors = _score_problems(error, fmt, language)
        return _score_page(principal, state, stage, match, 400, values=values, errors=errors)
    except (Conflict, NotFound) as error:
        state, stage, match = _refereed_match(store, principal, event_id, stage_id, match_id)
        message = _refusal(error, language)
        return _score_page(principal, state, stage, match, error.status, values=values, message=message)
    if can_manage_event(principal, state.event.owner_unit_id):
        return redirect(_competition_path(event_id, f"?done=result#stage-{quote(stage_id, safe='')}"))
    return redirect(_referee_path(event_id) + "?done=result")


# ---- the referee's matches ----------------------------------------------------------------------------------------


@routes.route("/events/{event_id}/referee", access=Access.MEMBER)
def referee_page(principal: Principal, event_id: str):
    """The matches of the event a referee can score now (both sides known) and those already scored."""
    language = routes.language()
    store = get_store()
    state = competition_service.refereeing(store, principal, event_id)
    units_by_id = unit_names(store, language)
    units = {entry: units_by_id.get(unit, unit) for entry, unit in state.entry_units().items()}
    names = state.entry_names()
    stages: list[dict[str, Any]] = []
    for stage in state.competition.stages:
        run = state.competition.run(stage.stage_id)
        if run.state != StageState.DRAWN:
            continue
        if stage.kind == StageKind.MEASURED and stage.meet:
            links = [
                {"name": _name(d, language), "href": _discipline_path(event_id, stage.stage_id, d.code)}
                for d in stage.meet.disciplines
            ]
            stages.append({"name": _name(stage, language), "disciplines": links})
            continue
        if stage.kind not in MATCH_KINDS:
            continue
        shown = [m for m in state.stage_matches(stage.stage_id) if m.status in (MatchStatus.READY, MatchStatus.DONE)]
        rounds = _match_rounds(event_id, stage, shown, names, units, language)
        ready = sum(match.status == MatchStatus.READY for match in shown)
        stages.append({"name": _name(stage, language), "rounds": rounds, "ready": ready})
    return routes.show(
        "competition_manage_referee.html",
        principal,
        event=state.event,
        title=event_title(state.event, language),
        stages=stages,
        done=_done(),
    )


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
    sheet = []
    for entry in entries:
        saved = {code: _number_text(mark) for code, mark in own.get(entry, {}).items()}
        sheet.append(
            {
                "entry": entry,
                "name": names.get(entry, entry),
                "unit": units_by_id.get(units.get(entry, ""), ""),
                "saved": entry in own,
                "marks": (typed or {}).get(entry) or saved,
                "errors": (errors or {}).get(entry, {}),
            }
        )
    criteria = [
        {
            "code": c.code,
            "name": _name(c, language),
            "weight": _number_text(Decimal(str(c.weight)) * 100),
            "max": _number_text(c.max_mark),
        }
        for c in stage.judging.criteria
    ]
    return routes.show(
        "competition_manage_judging.html",
        principal,
        status,
        event=state.event,
        title=event_title(state.event, language),
        stage_name=_name(stage, language),
        criteria=criteria,
        sheet=sheet,
        marked=sum(row["saved"] for row in sheet),
        open=open_for_marks,
        pending=run.state == StageState.PENDING,
        message=message,
        done=_done(),
        action=_judging_path(event_id, stage_id),
    )


@routes.route("/events/{event_id}/judging/{stage_id}", methods=("GET", "POST"), access=Access.MEMBER)
def judging_page(principal: Principal, event_id: str, stage_id: str):
    """A judge's marks for the entries assigned to them, one form per entry; never another judge's marks."""
    store = get_store()
    if routes.current_request.method == "GET":
        return _judging_page(principal, store, event_id, stage_id)
    language = routes.language()
    fields = read_form_lists(routes.current_request)
    entry = first_value(fields, "entry")
    _state, stage, _run, _entries, _own = competition_service.judge_sheet(store, principal, event_id, stage_id)
    assert stage.judging is not None
    typed = {c.code: first_value(fields, f"m_{c.code}") for c in stage.judging.criteria}
    marks, problems = {}, {}
    for criterion in stage.judging.criteria:
        mark = _number(typed[criterion.code])
        if mark is None:
            max_mark = _number_text(criterion.max_mark)
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
                max_mark = _number_text(named.max_mark) if named else ""
                problems[code] = translate("competition.manage.judging.mark", language, max=max_mark)
        except (Conflict, NotFound) as error:
            return _judging_page(principal, store, event_id, stage_id, error.status, message=_refusal(error, language))
        else:
            anchor = quote(entry, safe="")
            return redirect(_judging_path(event_id, stage_id) + f"?done=marks#entry-{anchor}")
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
    state = competition_service.refereeing(store, principal, event_id)
    stage = state.competition.stage(stage_id)
    discipline = next((d for d in stage.meet.disciplines if d.code == code), None) if stage and stage.meet else None
    if stage is None or discipline is None:
        raise NotFound("discipline_not_found")
    measure = measured.Measure(discipline.measure)
    names = state.entry_names()
    units_by_id = unit_names(store, language)
    units = {entry: units_by_id.get(unit, unit) for entry, unit in state.entry_units().items()}
    entered = state.performances.get(stage_id, {}).get(code, {})
    rows = []
    for entry in discipline.entries:
        saved = [
            measured.format_mark(measure, Decimal(v)) if v else "" for v in entered.get(entry, {}).get("attempts", [])
        ]
        shown = (typed or {}).get(entry) or saved
        rows.append(
            {
                "entry": entry,
                "name": names.get(entry, entry),
                "unit": units.get(entry, ""),
                "attempts": shown + [""] * (discipline.attempts - len(shown)),
                "saved": entry in entered,
                "errors": (errors or {}).get(entry, {}),
            }
        )
    result = next(r for r in competition_service.outcome(state, stage).disciplines if r.discipline.code == code)
    placings = [
        {
            "place": placing.place,
            "name": names.get(placing.entry_id, placing.entry_id),
            "unit": units.get(placing.entry_id, ""),
            "mark": measured.format_mark(measure, placing.mark) if placing.mark is not None else "",
            "points": _number_text(result.points.get(placing.entry_id)),
        }
        for placing in result.placings
        if placing.entry_id in entered
    ]
    organiser = can_manage_event(principal, state.event.owner_unit_id)
    return routes.show(
        "competition_manage_discipline.html",
        principal,
        status,
        event=state.event,
        title=event_title(state.event, language),
        stage_name=_name(stage, language),
        discipline=discipline,
        discipline_name=_name(discipline, language),
        rows=rows,
        placings=placings,
        open=state.competition.run(stage_id).state == StageState.DRAWN,
        message=message,
        done=_done(),
        action=_discipline_path(event_id, stage_id, code),
        back=_competition_path(event_id, f"#stage-{stage_id}") if organiser else _referee_path(event_id),
    )


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
        competition_service.enter_performance(store, principal, event_id, stage_id, discipline, entry, attempts, now())
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
            message=_refusal(error, language),
        )
    return redirect(_discipline_path(event_id, stage_id, discipline) + f"?done=attempts#entry-{quote(entry, safe='')}")


# ---- the member's duties ------------------------------------------------------------------------------------------


def official_duties(store: Store, principal: Principal, language: str) -> list[dict]:
    """The events the member referees or judges, with the way to their matches and marking sheets (for /me/duties)."""
    rows = []
    for role, event in sorted(competition_service.duties(store, principal), key=lambda pair: pair[1].starts_at):
        links = []
        if competition_service.REFEREE_ROLE in role.roles:
            links.append(
                {
                    "label": translate("competition.manage.duties.matches", language),
                    "href": _referee_path(event.event_id),
                }
            )
        if competition_service.JUDGE_ROLE in role.roles:
            links += [
                {
                    "label": translate("competition.manage.duties.marks", language, stage=_name(stage, language)),
                    "href": _judging_path(event.event_id, stage.stage_id),
                }
                for stage in competition_service.judged_stages(store, event.event_id)
            ]
        rows.append(
            {
                "title": event_title(event, language),
                "when": format_when(event.starts_at, language),
                "roles": [
                    translate(f"competition.manage.role.{name}", language)
                    for name in competition_service.OFFICIAL_ROLES
                    if name in role.roles
                ],
                "links": links,
            }
        )
    return rows
