"""A meet's unit tables (团体总分 per age group, per gender and overall; chalicelib.domain.competition.unit_tables) as
the competition page, the results booklet and the workbook show them: a title, and per unit its rank, points,
counts of 1st, 2nd ... places and, when points were equal, why its rank is what it is."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from chalicelib.domain.competition.measured import GENDER_NAMES
from chalicelib.domain.competition.setup import Competition, Meet
from chalicelib.domain.competition.stages import StageOutcome
from chalicelib.domain.competition.unit_tables import UnitLine, UnitTable, gender_of
from chalicelib.i18n import N_, translate

TABLE_OVERALL = N_("competition.units.table_overall")
TABLE_OF = N_("competition.units.table_of")
DECIDED_BY = N_("competition.units.decided_by")
SHARED = N_("competition.units.shared")
RULE_MINUS_ONE = N_("competition.units.rule.minus_one")
RULE_MIN_ENTRIES = N_("competition.units.rule.min_entries")
PLACE_COLUMN = N_("competition.export.col.places")
UNIT_COLUMNS = (
    N_("competition.public.col.rank"),
    N_("competition.public.col.unit"),
    N_("competition.public.col.total"),
    N_("competition.units.col.note"),
)


def points_text(value: Fraction) -> str:
    """Points as people write them: 7, 4.5, 3.33."""
    if value.denominator == 1:
        return str(int(value))
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def group_name(meet: Meet, code: str, language: str) -> str:
    """男子甲组 / Men Group A for a group code (M-A), 男子 / Men for a gender; the code for one the meet does not
    name."""
    gender = gender_of(code)
    if gender is None:
        return code
    word = translate(GENDER_NAMES[gender], language)
    band = next((band for band in meet.bands if f"{gender}-{band.code}" == code), None)
    if band is None:
        return word if code == gender else code
    band_name = band.name_zh if language == "zh" else band.name_en or band.name_zh
    return f"{word}{band_name}" if language == "zh" else f"{word} {band_name}"


def table_title(meet: Meet, table: UnitTable, language: str, only: bool = False) -> str:
    """The heading of a unit table; the overall table of a meet with no other is simply 团体总分."""
    if table.scope == "overall":
        return translate(N_("competition.public.unit_totals") if only else TABLE_OVERALL, language)
    return translate(TABLE_OF, language, group=group_name(meet, table.code, language))


def tie_note(line: UnitLine, language: str) -> str:
    if line.shared:
        return translate(SHARED, language)
    if line.decided_by is not None:
        return translate(DECIDED_BY, language, place=line.decided_by)
    return ""


def scoring_rules(meet: Meet, language: str) -> list[str]:
    """The meet's rules on places that score with few entries, in words (none: every place of the table scores)."""
    rules = []
    if meet.fewer_entries == "minus_one":
        rules.append(translate(RULE_MINUS_ONE, language, places=len(meet.place_points)))
    if meet.min_entries:
        rules.append(translate(RULE_MIN_ENTRIES, language, count=meet.min_entries))
    return rules


def place_depth(meet: Meet) -> int:
    """How many place columns a unit table shows: the places of the meet's points table."""
    return len(meet.place_points)


def unit_tables(
    meet: Meet, outcome: StageOutcome, unit_names: Mapping[str, str], language: str
) -> list[dict[str, Any]]:
    """Every unit table of a meet's outcome, titled, with its rows."""
    depth = place_depth(meet)
    only = len(outcome.unit_tables) == 1
    return [
        {
            "id": f"units-{table.scope}-{table.code}".rstrip("-"),
            "title": table_title(meet, table, language, only),
            "rows": [
                {
                    "rank": line.rank,
                    "unit": unit_names.get(line.unit_id, line.unit_id),
                    "points": points_text(line.points),
                    "places": [*line.places[:depth], *[0] * (depth - len(line.places))],
                    "note": tie_note(line, language),
                }
                for line in table.lines
            ],
        }
        for table in outcome.unit_tables
    ]


# ---- the workbook: a sheet per unit table ----------------------------------------------------------------------

SHEET_NAME_MAX = 31  # Excel's limit on a sheet's name
_NOT_IN_SHEET_NAMES = str.maketrans({character: " " for character in "[]:*?/\\"})


def _sheet_name(title: str, taken: set[str]) -> str:
    name = title.translate(_NOT_IN_SHEET_NAMES)[:SHEET_NAME_MAX]
    number = 2
    while name in taken:
        suffix = f" {number}"
        name = name[: SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def unit_sheets(
    competition: Competition, outcomes: Mapping[str, StageOutcome], unit_names: Mapping[str, str], language: str
) -> list[tuple[str, list[tuple[str, list[object]]]]]:
    """The workbook's unit tables: one sheet per table of every meet (titled as the page titles it), its rows a
    title, the scoring rules, a header and a line per unit (points and place counts as numbers)."""
    from chalicelib.services.competition_export import as_number  # the workbook's own numbers

    taken: set[str] = set()
    sheets = []
    for stage in competition.stages:
        outcome = outcomes.get(stage.stage_id)
        if stage.meet is None or outcome is None:
            continue
        depth = place_depth(stage.meet)
        places = [translate(PLACE_COLUMN, language, n=place) for place in range(1, depth + 1)]
        header = [translate(key, language) for key in UNIT_COLUMNS]
        only = len(outcome.unit_tables) == 1
        for table in outcome.unit_tables:
            title = table_title(stage.meet, table, language, only)
            rows: list[tuple[str, list[object]]] = [("title", [title])]
            rows += [("data", [rule]) for rule in scoring_rules(stage.meet, language)]
            rows.append(("header", [*header[:3], *places, header[3]]))
            for line in table.lines:
                counts = [*line.places[:depth], *[0] * (depth - len(line.places))]
                unit = unit_names.get(line.unit_id, line.unit_id)
                cells: list[object] = [
                    line.rank,
                    unit,
                    as_number(line.points),
                    *counts,
                    tie_note(line, language) or None,
                ]
                rows.append(("data", cells))
            sheets.append((_sheet_name(title, taken), rows))
    return sheets
