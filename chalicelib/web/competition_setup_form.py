"""The competition set-up form: a template (groups then knockout, a league, a judged contest, a meet ...), the match
format and the tie-break rules, read into the set-up document chalicelib.services.competition takes, each problem
noted next to its field; and the form filled in again from a stored set-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from chalicelib.domain.competition import scoring
from chalicelib.domain.competition.judging import tier_preset
from chalicelib.domain.competition.setup import Competition, LineupSettings, Stage, StageKind
from chalicelib.domain.competition.standings import PRESETS
from chalicelib.domain.records import EntryType, Event
from chalicelib.errors import InvalidInput
from chalicelib.i18n import N_, translate
from chalicelib.web.competition_common import number_text, preset_name, read_number, read_whole, typed_text
from chalicelib.web.forms import first_value
from chalicelib.web.manage_common import problem_messages

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
# The templates that end in a knockout, whose stage may have its own format (formats.py, issue 18 item 5).
KNOCKOUT_TEMPLATES = TEMPLATES[:3]
KNOCKOUT_FORMAT_FIELDS = ("ko_format", "ko_stop", "ko_final_format")
_DEFAULT_TEMPLATE = {"tournament": "groups_knockout", "meet": "meet", "contest": "judged"}
BLANK_ROWS = {"criteria": 2, "tiers": 1, "panels": 2, "disciplines": 1}
# The stages the templates make, named in both languages in the stored set-up.
_STAGE_NAMES = {
    "groups": N_("competition.manage.stage.groups"),
    "knockout": N_("competition.manage.stage.knockout"),
    "double": N_("competition.manage.stage.double"),
    "round_robin": N_("competition.manage.stage.round_robin"),
    "league": N_("competition.manage.stage.league"),
    "swiss": N_("competition.manage.stage.swiss"),
    "contest": N_("competition.manage.stage.contest"),
    "preliminary": N_("competition.manage.stage.preliminary"),
    "final": N_("competition.manage.stage.final"),
    "meet": N_("competition.manage.stage.meet"),
}
# A new judged contest's prizes: the preset's first, second and third prize, for 1, 2 and 3 people.
_BLANK_TIER_COUNTS = {"first": "1", "second": "2", "third": "3"}
SEPARATORS = re.compile(r"[\s,，、;；]+")

# ---- the set-up form ----------------------------------------------------------------------------------------------


def format_choices(language: str) -> list[tuple[str, str]]:
    formats = [*scoring.GAME_PRESETS.values(), *scoring.TIE_PRESETS.values()]
    return [(fmt.code, preset_name(fmt, language)) for fmt in formats]


def tiebreak_choices(language: str) -> list[tuple[str, str]]:
    return [(code, translate(rules.label, language) if rules.label else "") for code, rules in PRESETS.items()]


def blank_values(event: Event) -> dict:
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
        "ko_format": "",
        "ko_stop": "",
        "ko_final_format": "",
        **lineup_values(None),
        "seed_count": "",
        "rr_legs": "1",
        "lg_legs": "2",
        "lg_first_matchday": "",
        "lg_days_between": "7",
        "sw_rounds": "5",
        "aggregation": "drop_high_low",
        "exclude_own_unit": False,
        "tie_rule": "criteria",
        "rounding": "half_up",
        "finalists": "8",
        "criteria": [],
        "tiers": [
            {
                "name_zh": translate(tier.name, "zh"),
                "name_en": translate(tier.name, "en"),
                "count": _BLANK_TIER_COUNTS[tier.code],
                "share": "",
            }
            for tier in tier_preset("standard_without_merit")
        ],
        "panels": [],
        "place_points": "7,5,4,3,2,1",
        "fewer_entries": "all",
        "min_entries": "0",
        "disciplines": [],
    }


def template_of(competition: Competition) -> str | None:
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


def values_of(event: Event, competition: Competition) -> dict:
    """The set-up form filled in from a stored set-up."""
    values = {**blank_values(event), "match_format": competition.match_format, "tiebreak": competition.tiebreak}
    template = template_of(competition)
    values["template"] = template or ""
    if template is not None:
        values.update(_TEMPLATE_VALUES[template](competition.stages[0], competition.stages[-1], competition))
    values.update(lineup_values(competition.lineups))
    if template in KNOCKOUT_TEMPLATES:
        values.update(knockout_format_values(competition.stages[-1]))
        values["seed_count"] = number_text(competition.stages[0].seeds)  # the stage drawn with seeds
    return values


def lineup_values(settings: LineupSettings | None) -> dict:
    """The line-up fieldset of a team competition (issue 18 item 3) from its settings (None: the defaults)."""
    settings = settings or LineupSettings()
    return {
        "lu_required": settings.required,
        "lu_deadline": str(settings.deadline_minutes),
        "lu_max": "" if settings.max_rubbers is None else str(settings.max_rubbers),
        "lu_one_singles": settings.one_singles,
    }


def knockout_format_values(knockout: Stage) -> dict:
    """The knockout stage's own format as the form's three selects (blank: as the competition's)."""
    stop = "" if knockout.stop_when_decided is None else str(int(knockout.stop_when_decided))
    return {"ko_format": knockout.match_format or "", "ko_stop": stop, "ko_final_format": knockout.final_format or ""}


def _groups_knockout_values(first: Stage, last: Stage, _competition: Competition) -> dict:
    return {
        "gk_groups": str(first.groups),
        "gk_qualifiers": str(first.qualifiers),
        "gk_legs": str(first.legs),
        "gk_third_place": last.third_place,
    }


def _league_values(first: Stage, _last: Stage, _competition: Competition) -> dict:
    return {
        "lg_legs": str(first.legs),
        "lg_first_matchday": str(first.first_matchday or ""),
        "lg_days_between": str(first.days_between),
    }


def _judged_values(first: Stage, last: Stage, competition: Competition) -> dict:
    if not (first.judging and last.judging):
        return {}
    judging = first.judging
    return {
        "aggregation": judging.aggregation,
        "exclude_own_unit": judging.exclude_own_unit,
        "tie_rule": judging.tie_rule,
        "rounding": last.judging.rounding,
        "finalists": str(first.qualifiers) if len(competition.stages) > 1 else "0",
        "criteria": [
            {
                "name_zh": c.name_zh,
                "name_en": c.name_en or "",
                "weight": number_text(Decimal(str(c.weight)) * 100),
                "max_mark": number_text(c.max_mark),
            }
            for c in judging.criteria
        ],
        "tiers": [
            {
                "name_zh": t.name_zh,
                "name_en": t.name_en or "",
                "count": number_text(t.count),
                "share": number_text(Decimal(str(t.share)) * 100) if t.share else "",
            }
            for t in last.judging.tiers
        ],
        "panels": [
            {"name_zh": p.name_zh, "judges": " ".join(p.judges), "entries": " ".join(p.entries)} for p in judging.panels
        ],
    }


def _meet_values(first: Stage, _last: Stage, _competition: Competition) -> dict:
    if not first.meet:
        return {}
    return {
        "place_points": ",".join(str(points) for points in first.meet.place_points),
        "fewer_entries": first.meet.fewer_entries,
        "min_entries": str(first.meet.min_entries),
        "disciplines": [
            {
                "code": d.code,
                "name_zh": d.name_zh,
                "name_en": d.name_en or "",
                "measure": d.measure,
                "attempts": str(d.attempts),
                "final_after": "" if d.final_after is None else str(d.final_after),
                "min_mark": "" if d.min_mark is None else str(d.min_mark),
                "max_mark": "" if d.max_mark is None else str(d.max_mark),
                "event": d.event or "",
                "entries": list(d.entries),
            }
            for d in first.meet.disciplines
        ],
    }


# The form's values of each template, from its first and last stage.
_TEMPLATE_VALUES: dict[str, Callable[[Stage, Stage, Competition], dict]] = {
    "groups_knockout": _groups_knockout_values,
    "single_elimination": lambda first, _last, _c: {"se_third_place": first.third_place},
    "double_elimination": lambda first, _last, _c: {"de_grand_final": first.grand_final},
    "round_robin": lambda first, _last, _c: {"rr_legs": str(first.legs)},
    "league": _league_values,
    "swiss": lambda first, _last, _c: {"sw_rounds": str(first.rounds)},
    "judged": _judged_values,
    "meet": _meet_values,
}


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


def posted_setup(fields: dict[str, list[str]]) -> dict:
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
            *KNOCKOUT_FORMAT_FIELDS,
            "lu_form",
            "lu_deadline",
            "lu_max",
            "seed_count",
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
            "fewer_entries",
            "min_entries",
        )
    }
    values.update(
        {name: bool(first_value(fields, name)) for name in ("gk_third_place", "se_third_place", "lu_required",
                                                             "lu_one_singles", "exclude_own_unit")}
    )  # fmt: skip
    values["criteria"] = _rows(fields, "c", ("name_zh", "name_en", "weight", "max_mark"))
    values["tiers"] = _rows(fields, "t", ("name_zh", "name_en", "count", "share"))
    values["panels"] = _rows(fields, "p", ("name_zh", "judges", "entries"))
    discipline_columns = ("code", "name_zh", "name_en", "measure", "attempts", "min_mark", "max_mark", "event",
                          "final_after")  # fmt: skip
    disciplines = _rows(fields, "d", discipline_columns, selects=("measure", "event"))
    for row in disciplines:
        row["entries"] = [entry for entry in fields.get(f"d{row['index']}_entries", []) if entry]
    values["disciplines"] = disciplines
    return values


class SetupReader:
    """Reads the set-up form into the service's set-up document, noting each problem next to its field."""

    def __init__(self, values: dict, language: str):
        self.values = values
        self.language = language
        self.errors: dict[str, str] = {}

    def problem(self, field: str, message_id: str, **params: object) -> None:
        self.errors.setdefault(field, translate(message_id, self.language, **params))

    def whole(self, name: str, low: int, high: int, text: str | None = None) -> int:
        value = read_whole(self.values.get(name, "") if text is None else text)
        if value is None or not low <= value <= high:
            self.problem(name, N_("competition.manage.setup.whole"), low=low, high=high)
            return low
        return value

    def choice(self, name: str, allowed: Sequence[str]) -> str:
        value = self.values.get(name, "")
        if value not in allowed:
            self.problem(name, N_("competition.manage.setup.choose"))
            return allowed[0]
        return value

    def stage(self, stage_id: str, kind: StageKind, **settings) -> dict:
        names = {language: translate(_STAGE_NAMES[stage_id], language) for language in ("zh", "en")}
        return {"stage_id": stage_id, "kind": kind.value, "name_zh": names["zh"], "name_en": names["en"], **settings}

    def document(self) -> dict:
        template = self.choice("template", TEMPLATES)
        stages = getattr(self, f"_{template}")()
        # A judged contest or a meet has no matches: its form may leave these out, and the defaults stand.
        chosen = {name: self.values[name] for name in ("match_format", "tiebreak") if self.values[name]}
        if self.values.get("lu_form"):  # a team competition's line-up fieldset
            chosen["lineups"] = self._lineups()
        return {**chosen, "stages": stages}

    def _lineups(self) -> dict:
        maximum = self.values.get("lu_max", "")
        return {
            "required": self.values.get("lu_required", False),
            "deadline_minutes": self.whole("lu_deadline", 0, 1440),
            "max_rubbers": self.whole("lu_max", 1, 5) if typed_text(maximum) else None,
            "one_singles": self.values.get("lu_one_singles", False),
        }

    # One method per template, named after it.

    def _groups_knockout(self) -> list[dict]:
        groups = self.stage(
            "groups",
            StageKind.GROUPS,
            groups=self.whole("gk_groups", 1, 32),
            qualifiers=self.whole("gk_qualifiers", 1, 8),
            legs=self.whole("gk_legs", 1, 2),
            **self._seeds(),
        )
        third_place = self.values["gk_third_place"]
        knockout = self.stage("knockout", StageKind.SINGLE_ELIMINATION, third_place=third_place, **self._ko_format())
        return [groups, knockout]

    def _single_elimination(self) -> list[dict]:
        third_place = self.values["se_third_place"]
        own = {**self._ko_format(), **self._seeds()}
        return [self.stage("knockout", StageKind.SINGLE_ELIMINATION, third_place=third_place, **own)]

    def _double_elimination(self) -> list[dict]:
        grand_final = self.choice("de_grand_final", ("single", "reset", "none"))
        own = {**self._ko_format(), **self._seeds()}
        return [self.stage("double", StageKind.DOUBLE_ELIMINATION, grand_final=grand_final, **own)]

    def _ko_format(self) -> dict:
        """The knockout's own format, when chosen: its match format, when play stops, its final's format."""
        codes = ("", *scoring.GAME_PRESETS, *scoring.TIE_PRESETS)
        own: dict[str, object] = {}
        if fmt := self.choice("ko_format", codes):
            own["match_format"] = fmt
        if stop := self.choice("ko_stop", ("", "1", "0")):
            own["stop_when_decided"] = stop == "1"
        if final := self.choice("ko_final_format", codes):
            own["final_format"] = final
        return own

    def _seeds(self) -> dict:
        """How many entries the first stage draws as seeds (Stage.seeds); blank: the BWF's count for a knockout,
        every seed given for groups (stages.seed_count)."""
        if not typed_text(self.values.get("seed_count", "")):
            return {}
        return {"seeds": self.whole("seed_count", 0, 64)}

    def _round_robin(self) -> list[dict]:
        return [self.stage("round_robin", StageKind.ROUND_ROBIN, legs=self.whole("rr_legs", 1, 2))]

    def _league(self) -> list[dict]:
        first = typed_text(self.values["lg_first_matchday"])
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", first):
            self.problem("lg_first_matchday", N_("competition.manage.setup.date"))
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
        criteria, tiers, panels = self._criteria(), self._tiers(), self._panels()
        marking = {
            "criteria": criteria,
            "aggregation": self.choice("aggregation", ("drop_high_low", "mean", "closest_pair")),
            "tie_rule": self.choice("tie_rule", ("criteria", "shared", "lot")),
            "rounding": self.choice("rounding", ("half_up", "floor", "ceil")),
            "exclude_own_unit": self.values["exclude_own_unit"],  # judges do not mark their own unit's entries
        }
        finalists = self.whole("finalists", 0, 256)
        if not finalists:
            return [self.stage("contest", StageKind.JUDGED, judging={**marking, "tiers": tiers, "panels": panels})]
        preliminary = self.stage(
            "preliminary", StageKind.JUDGED, qualifiers=finalists, judging={**marking, "panels": panels}
        )
        return [preliminary, self.stage("final", StageKind.JUDGED, judging={**marking, "tiers": tiers})]

    def _criteria(self) -> list[dict]:
        criteria = []
        for number, row in enumerate(self.values["criteria"], start=1):
            weight, max_mark = read_number(row["weight"]), read_number(row["max_mark"] or "100")
            if not row["name_zh"] or weight is None or not 0 < weight <= 100 or max_mark is None or max_mark <= 0:
                self.problem("criteria", N_("competition.manage.setup.criterion_row"), row=number)
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
            self.problem("criteria", N_("competition.manage.setup.criteria_missing"))
        elif abs(sum(criterion["weight"] for criterion in criteria) - 1) > 1e-6:
            total = number_text(Decimal(str(sum(criterion["weight"] for criterion in criteria))) * 100)
            self.problem("criteria", N_("competition.manage.setup.weights"), total=total)
        return criteria

    def _tiers(self) -> list[dict]:
        tiers = []
        for number, row in enumerate(self.values["tiers"], start=1):
            count, share = read_whole(row["count"]), read_number(row["share"])
            if not row["name_zh"] or (count is None) == (share is None) or (share is not None and not 0 < share <= 100):
                self.problem("tiers", N_("competition.manage.setup.tier_row"), row=number)
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
        return tiers

    def _panels(self) -> list[dict]:
        panels = []
        for number, row in enumerate(self.values["panels"], start=1):
            judges = [judge.upper() for judge in SEPARATORS.split(typed_text(row["judges"])) if judge]
            if not judges:
                self.problem("panels", N_("competition.manage.setup.panel_row"), row=number)
                continue
            panels.append(
                {
                    "panel_id": f"p{number}",
                    "name_zh": row["name_zh"] or str(number),
                    "judges": judges,
                    "entries": [entry for entry in SEPARATORS.split(typed_text(row["entries"])) if entry],
                }
            )
        return panels

    def _meet(self) -> list[dict]:
        points = [read_whole(part) for part in SEPARATORS.split(typed_text(self.values["place_points"])) if part]
        if not points or None in points or len(points) > 12:
            self.problem("place_points", N_("competition.manage.setup.place_points_invalid"))
        disciplines = self._disciplines()
        if not disciplines:
            self.problem("disciplines", N_("competition.manage.setup.disciplines_missing"))
        meet = {"disciplines": disciplines, "place_points": [point for point in points if point is not None]}
        meet.update(self._fewer_entries())
        return [self.stage("meet", StageKind.MEASURED, meet=meet)]

    def _fewer_entries(self) -> dict[str, object]:
        """The meet's rule on places that score with few entries (unit_tables); left blank: every place scores."""
        rule = self.choice("fewer_entries", ("all", "minus_one")) if self.values.get("fewer_entries") else "all"
        minimum = self.whole("min_entries", 0, 12) if self.values.get("min_entries") else 0
        return {"fewer_entries": rule, "min_entries": minimum}

    def _disciplines(self) -> list[dict]:
        disciplines = []
        for number, row in enumerate(self.values["disciplines"], start=1):
            if not row["name_zh"] or row["measure"] not in ("time", "distance", "points"):
                self.problem("disciplines", N_("competition.manage.setup.discipline_row"), row=number)
                continue
            attempts = read_whole(row["attempts"] or "1")
            disciplines.append(
                {
                    "code": row["code"] or f"d{number}",
                    "name_zh": row["name_zh"],
                    "name_en": row["name_en"] or None,
                    "measure": row["measure"],
                    "attempts": attempts if attempts is not None else 0,
                    # a field event's final: after so many trials the best eight have the rest (field.py)
                    "final_after": (read_whole(row["final_after"]) or 0) if row["final_after"] else None,
                    # A plausible range of its own (marks.py; blank: the event's, found by its name), and the
                    # event code a set-up made through the API gave it, kept.
                    "min_mark": row["min_mark"] or None,
                    "max_mark": row["max_mark"] or None,
                    "event": row["event"] or None,
                    "entries": row["entries"],
                }
            )
        return disciplines


def setup_problems(error: InvalidInput, language: str) -> dict[str, str]:
    """The service's (or the set-up model's) problems under the part of the form they are about."""
    sections = ("criteria", "tiers", "panels", "disciplines", "place_points", "match_format", "tiebreak")
    stage_fields = {
        "match_format": "ko_format",
        "stop_when_decided": "ko_stop",
        "final_format": "ko_final_format",
        "qualifiers": "gk_qualifiers",  # more per group than the groups hold (stages.check_group_places)
    }
    problems: dict[str, str] = {}
    for raw, message in problem_messages(error, language):
        location = [str(part) for part in raw.get("loc", ())]
        if location[:1] == ["stages"] and location[-1] in stage_fields:  # the knockout's own format, the groups'
            problems.setdefault(stage_fields[location[-1]], message)
            continue
        section = next((name for name in sections if name in location), "setup")
        problems.setdefault(section, message)
    return problems


def kept_seeds(competition: Competition | None) -> dict[str, int]:
    """Seeds already given, kept through a new set-up (renumbered from 1 in their order)."""
    if competition is None:
        return {}
    seeded = sorted((entry for entry in competition.entries if entry.seed), key=lambda entry: entry.seed or 0)
    return {entry.entry_id: number for number, entry in enumerate(seeded, start=1)}


def kept_meet_settings(competition: Competition | None, document: dict[str, Any]) -> dict[str, Any]:
    """The form's meet with what the form does not show kept from the stored set-up: the meet's own settings (age
    bands, events, limit, merges, dropped entries, relay factor ...: chalicelib.domain.competition.meet_entries) and
    each discipline's (its group, rounds ...), found by its code. Relays are kept by configure (relays.kept_relays)."""
    stored = next((s.meet for s in competition.stages if s.meet), None) if competition else None
    if stored is None:
        return document
    before = stored.model_dump(mode="json")
    return {**document, "stages": [_kept_stage_meet(stage, before) for stage in document.get("stages") or ()]}


def _kept_stage_meet(stage: Any, before: dict[str, Any]) -> Any:
    """One stage of the form's set-up with its meet completed from the stored meet ``before`` (kept_meet_settings)."""
    meet = stage.get("meet") if isinstance(stage, dict) else None
    if not isinstance(meet, dict):
        return stage
    by_code = {d["code"]: d for d in before["disciplines"] if not d["relay"]}
    disciplines = [
        {**{k: v for k, v in by_code.get(d.get("code"), {}).items() if k not in d}, **d}
        for d in meet.get("disciplines") or ()
    ]
    kept = {k: v for k, v in before.items() if k not in meet and k != "disciplines"}
    return {**stage, "meet": {**kept, **meet, "disciplines": disciplines}}
