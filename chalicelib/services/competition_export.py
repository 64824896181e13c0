"""An event's competition as a workbook organisers download, and the words its score sheets share with it.

Pure: the competition as read (chalicelib.services.competition.CompetitionState) and each stage's outcome in,
bytes out; the caller reads storage, checks who may download and sends the headers. The workbook has four sheets:

* 抽签表 (draw): per stage its groups, or its bracket's first-round positions with seeds and byes, or its entries,
  and the draw's recorded seed, time and who drew it, so that anyone can re-run the draw and check it;
* 赛程成绩 (matches): every match of every stage with its result as referees entered it (games, rubbers, walkovers
  and retirements);
* 名次 (standings): group tables with the reason behind each tie-break, knockout placings, judged rankings, meet
  placings per discipline and unit team totals;
* 获奖名单 (awards): judged awards and the final placings of finished stages;
* and a meet's unit tables, a sheet each (男子甲组团体总分 ... 总团体总分; services/unit_tables_views.py).

Headers and labels follow the request's language (Chinese by default); names are as entered. Every cell goes
through chalicelib.domain.cells.safe_cell as it is written: nothing a person typed runs as a formula or breaks the file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from chalicelib.domain.cells import XLSX_TIME_FORMAT, xlsx_cell
from chalicelib.domain.competition import elimination, formats, scoring, standings
from chalicelib.domain.competition.measured import Measure, format_mark
from chalicelib.domain.competition.model import LOSER_OF, WINNER_OF, Match, MatchStatus, Outcome, Result, Slot
from chalicelib.domain.competition.setup import (
    KNOCKOUT_KINDS,
    MATCH_KINDS,
    TABLE_KINDS,
    Competition,
    Stage,
    StageKind,
    StageState,
)
from chalicelib.domain.competition.stages import GroupTable, StageOutcome
from chalicelib.domain.competition.standings import CRITERION_LABELS, Criterion, Standing, TieReason
from chalicelib.domain.records import Event
from chalicelib.i18n import N_, translate
from chalicelib.services.registration_export import china_time, column_widths
from chalicelib.services.registration_export import export_filename as _named_export

if TYPE_CHECKING:  # types only: this module stays free of storage, and openpyxl loads when a workbook is made
    from openpyxl.styles import Font
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from chalicelib.services.competition import CompetitionState

_DOUBLE_ELIMINATION_BRACKETS = {
    elimination.WINNERS: N_("competition.export.bracket.winners"),
    elimination.LOSERS: N_("competition.export.bracket.losers"),
    elimination.GRAND_FINAL: N_("competition.export.bracket.grand_final"),
}
# The engine's round keys (elimination.round_names) other than round_of_<n> and round_<n>.
_ROUND_NAMES = {
    "final": N_("competition.export.round.final"),
    "semi_final": N_("competition.export.round.semi_final"),
    "quarter_final": N_("competition.export.round.quarter_final"),
    "grand_final": N_("competition.export.round.grand_final"),
    "grand_final_reset": N_("competition.export.round.grand_final_reset"),
    "third_place": N_("competition.export.round.third_place"),
}
_KIND_NAMES = {
    StageKind.SINGLE_ELIMINATION: N_("competition.export.kind.single_elimination"),
    StageKind.DOUBLE_ELIMINATION: N_("competition.export.kind.double_elimination"),
    StageKind.ROUND_ROBIN: N_("competition.export.kind.round_robin"),
    StageKind.GROUPS: N_("competition.export.kind.groups"),
    StageKind.SWISS: N_("competition.export.kind.swiss"),
    StageKind.LEAGUE: N_("competition.export.kind.league"),
    StageKind.JUDGED: N_("competition.export.kind.judged"),
    StageKind.MEASURED: N_("competition.export.kind.measured"),
}
_OUTCOMES = {
    Outcome.WALKOVER: N_("competition.export.outcome.walkover"),
    Outcome.RETIRED: N_("competition.export.outcome.retired"),
}
_STATUSES = {
    MatchStatus.WAITING: N_("competition.export.status.waiting"),
    MatchStatus.READY: N_("competition.export.status.ready"),
    MatchStatus.DONE: N_("competition.export.status.done"),
    MatchStatus.BYE: N_("competition.export.status.bye"),
    MatchStatus.VOID: N_("competition.export.status.void"),
}
_PODIUM = {
    1: N_("competition.export.place.1"),
    2: N_("competition.export.place.2"),
    3: N_("competition.export.place.3"),
}
# Column headers by the keys the sheets list them with (MATCH_COLUMNS, AWARD_COLUMNS, the standings' columns ...).
_COLUMNS = {
    "group": N_("competition.export.col.group"),
    "number": N_("competition.export.col.number"),
    "entry": N_("competition.export.col.entry"),
    "unit": N_("competition.export.col.unit"),
    "seed": N_("competition.export.col.seed"),
    "qualified": N_("competition.export.col.qualified"),
    "position": N_("competition.export.col.position"),
    "first_match": N_("competition.export.col.first_match"),
    "discipline": N_("competition.export.col.discipline"),
    "panel": N_("competition.export.col.panel"),
    "stage": N_("competition.export.col.stage"),
    "bracket": N_("competition.export.col.bracket"),
    "round": N_("competition.export.col.round"),
    "match": N_("competition.export.col.match"),
    "home": N_("competition.export.col.home"),
    "home_unit": N_("competition.export.col.home_unit"),
    "away": N_("competition.export.col.away"),
    "away_unit": N_("competition.export.col.away_unit"),
    "score": N_("competition.export.col.score"),
    "games": N_("competition.export.col.games"),
    "rubbers": N_("competition.export.col.rubbers"),
    "winner": N_("competition.export.col.winner"),
    "outcome": N_("competition.export.col.outcome"),
    "status": N_("competition.export.col.status"),
    "when": N_("competition.export.col.when"),
    "court": N_("competition.export.col.court"),
    "rank": N_("competition.export.col.rank"),
    "played": N_("competition.export.col.played"),
    "won": N_("competition.export.col.won"),
    "drawn": N_("competition.export.col.drawn"),
    "lost": N_("competition.export.col.lost"),
    "match_points": N_("competition.export.col.match_points"),
    "rubbers_for": N_("competition.export.col.rubbers_for"),
    "rubbers_against": N_("competition.export.col.rubbers_against"),
    "games_for": N_("competition.export.col.games_for"),
    "games_against": N_("competition.export.col.games_against"),
    "points_for": N_("competition.export.col.points_for"),
    "points_against": N_("competition.export.col.points_against"),
    "fair_play": N_("competition.export.col.fair_play"),
    "reason": N_("competition.export.col.reason"),
    "judged_score": N_("competition.export.col.judged_score"),
    "judges": N_("competition.export.col.judges"),
    "award": N_("competition.export.col.award"),
    "mark": N_("competition.export.col.mark"),
    "place_points": N_("competition.export.col.place_points"),
    "total": N_("competition.export.col.total"),
    "item": N_("competition.export.col.item"),
    "result": N_("competition.export.col.result"),
}

# A sheet made of blocks: each row is (style, cells); "title" and "header" rows are bold, titles do not widen columns.
type Row = tuple[str, list[object]]


def local(zh: str, en: str | None, language: str) -> str:
    """A name given in Chinese and optionally English, in ``language``."""
    return zh if language == "zh" else (en or zh)


def stage_name(stage: Stage, language: str) -> str:
    return local(stage.name_zh, stage.name_en, language)


def as_number(value: Fraction | int) -> int | float:
    """Place points or a unit total as a spreadsheet number: whole numbers stay whole (shared places give halves)."""
    if value == int(value):
        return int(value)
    return round(float(value), 2)


# ---- the words of a match ----------------------------------------------------------------------------------------


def last_rounds(matches: Iterable[Match]) -> dict[str, int]:
    """The last round of each bracket of a stage (round names count back from it: final, semi-final ...)."""
    rounds: dict[str, int] = {}
    for match in matches:
        rounds[match.bracket] = max(rounds.get(match.bracket, 0), match.round)
    return rounds


def round_label(match: Match, rounds: Mapping[str, int], language: str) -> str:
    """A round as people name it (决赛, 半决赛, 16强赛, 第2轮 ...), from the engine's keys (elimination.round_names)."""
    if match.bracket not in (elimination.WINNERS, elimination.LOSERS, elimination.GRAND_FINAL, elimination.THIRD_PLACE):
        return translate("competition.export.round.round", language, n=match.round)
    key = elimination.round_names(match.bracket, match.round, max(rounds.get(match.bracket, 1), match.round))
    if key.startswith("round_of_"):
        return translate("competition.export.round.round_of", language, n=key.removeprefix("round_of_"))
    if key.startswith("round_"):
        return translate("competition.export.round.round", language, n=key.removeprefix("round_"))
    return translate(_ROUND_NAMES[key], language)


def bracket_label(stage: Stage, bracket: str, language: str) -> str:
    """Where a match sits: a group, the winners' or losers' bracket, the grand final, the main draw ..."""
    if stage.kind == StageKind.GROUPS:
        return translate("competition.export.bracket.group", language, group=bracket)
    if stage.kind == StageKind.DOUBLE_ELIMINATION:
        return translate(_DOUBLE_ELIMINATION_BRACKETS.get(bracket, "competition.export.bracket.main"), language)
    if stage.kind == StageKind.SINGLE_ELIMINATION:
        return translate(
            "competition.export.bracket.main", language
        )  # the third-place match too: its round says what it is
    return translate(_KIND_NAMES[stage.kind], language)


def side_text(slot: Slot, names: Mapping[str, str], language: str) -> str:
    """Who plays on one side: a name, a bye, or where the entry will come from (W1-2 胜者)."""
    if slot.entry is not None:
        return names.get(slot.entry, slot.entry)
    if slot.bye:
        return translate("competition.export.bye", language)
    source = slot.source or ""
    if source.startswith(WINNER_OF):
        return translate("competition.export.winner_of", language, match=source.removeprefix(WINNER_OF))
    if source.startswith(LOSER_OF):
        return translate("competition.export.loser_of", language, match=source.removeprefix(LOSER_OF))
    return translate("competition.export.tbd", language)


def games_text(games: Sequence[tuple[int, int]]) -> str:
    """Per-game points from the home side's view: "21-15 19-21 21-17"."""
    return " ".join(f"{home}-{away}" for home, away in games)


def rubbers_text(result: Result, match_format: scoring.MatchFormat, language: str) -> str:
    """A team tie's rubbers in order with their names: "男单 2-1（21-15 19-21 21-17）；女单 2-0 弃权 ..."; the
    rubbers a tie stopped before (decided already) are not in the result and not listed."""
    if not result.rubbers or not isinstance(match_format, scoring.TieFormat):
        return ""
    parts = []
    for spec, rubber in zip(match_format.rubbers, result.rubbers, strict=False):
        name = translate(spec.name, language, **spec.name_params())
        score = f"{rubber.home}-{rubber.away}"
        if rubber.outcome == Outcome.WALKOVER:  # no games to show
            parts.append(f"{name} {score} {translate('competition.export.walkover', language)}")
            continue
        played = translate(
            "competition.export.rubber", language, name=name, score=score, games=games_text(rubber.games)
        )
        parts.append(
            f"{played} {translate('competition.export.retired', language)}"
            if rubber.outcome == Outcome.RETIRED
            else played
        )
    return translate("competition.export.separator", language).join(parts)


def outcome_text(match: Match, names: Mapping[str, str], language: str) -> str:
    """How a decided match ended other than by play: a walkover or a retirement (naming who), a bye."""
    if match.status == MatchStatus.BYE:
        return translate("competition.export.bye", language)
    result = match.result
    if result is None or result.outcome == Outcome.PLAYED or match.loser is None:
        return ""
    return translate(_OUTCOMES[result.outcome], language, loser=names.get(match.loser, match.loser))


def winner_text(match: Match, names: Mapping[str, str], language: str) -> str:
    if match.status == MatchStatus.DONE and match.result is not None and match.result.winner is None:
        return translate("competition.export.draw", language)
    return names.get(match.winner, match.winner) if match.winner else ""


def reason_text(reason: TieReason | None, names: Mapping[str, str], language: str) -> str:
    """Why an entry is ranked right above the next: "相互间胜负 1 对 0，列 乙 之前", and which entries' matches
    counted when only those among the tied did ("（只计 甲、乙、丙 之间的比赛）")."""
    if reason is None:
        return ""
    against = names.get(reason.against, reason.against)
    if reason.rule == Criterion.LOT:
        return translate(
            "competition.export.reason.lot",
            language,
            against=against,
            value=reason.value,
            against_value=reason.against_value,
        )
    sentence = translate(
        "competition.export.reason.rule",
        language,
        rule=translate(CRITERION_LABELS[reason.rule], language),
        value=reason.value,
        against_value=reason.against_value,
        against=against,
    )
    if reason.among_tied_only and len(reason.among) > 2:
        among = translate("competition.export.list_separator", language).join(
            names.get(entry, entry) for entry in reason.among
        )
        sentence += translate("competition.export.reason.among", language, among=among)
    return sentence


def place_label(place: int, language: str) -> str:
    """冠军, 亚军, 季军, then 第4名 ..."""
    return (
        translate(_PODIUM[place], language)
        if place in _PODIUM
        else translate("competition.export.place.n", language, n=place)
    )


# ---- the workbook ------------------------------------------------------------------------------------------------


class _Book(NamedTuple):
    """What every sheet reads: the competition, its stages' outcomes and names in the request's language."""

    state: CompetitionState
    outcomes: Mapping[str, StageOutcome]
    units: Mapping[str, str]  # unit id → name
    people: Mapping[str, str]  # 工号 → name, for who drew
    language: str
    entry_names: Mapping[str, str]
    entry_units: Mapping[str, str]  # entry id → unit id

    @property
    def competition(self) -> Competition:
        return self.state.competition

    def translate(self, key: str, **params: object) -> str:
        return translate(key, self.language, **params)

    def headers(self, *keys: str) -> list[object]:
        return [self.translate(_COLUMNS[key]) for key in keys]

    def name(self, entry_id: str | None) -> str:
        return self.entry_names.get(entry_id, entry_id) if entry_id else ""

    def unit_of(self, entry_id: str | None) -> str:
        unit_id = self.entry_units.get(entry_id or "", "")
        return self.units.get(unit_id, unit_id)

    def not_started(self, stage: Stage) -> str:
        """尚未抽签 for a stage that is drawn, 尚未开始 for a judged round or a meet (they are opened instead)."""
        return self.translate(
            "competition.export.not_drawn" if stage.kind in MATCH_KINDS else "competition.export.not_open"
        )

    def stage_title(self, stage: Stage) -> str:
        return self.translate(
            "competition.export.stage_title",
            name=stage_name(stage, self.language),
            kind=self.translate(_KIND_NAMES[stage.kind]),
        )


def competition_xlsx(
    state: CompetitionState,
    outcomes: Mapping[str, StageOutcome],
    unit_names: Mapping[str, str],
    people: Mapping[str, str],
    language: str,
) -> bytes:
    """The workbook (see the module's docstring). ``outcomes``: each stage that has been drawn or opened, by id
    (chalicelib.services.competition.outcome); stages without one are listed as not drawn yet."""
    # Imported here: openpyxl is slow to import and only exports need it (Lambda cold start).
    from openpyxl import Workbook

    book = _Book(state, outcomes, unit_names, people, language, state.entry_names(), state.entry_units())
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook starts with
    _block_sheet(workbook, book.translate("competition.export.sheet.draw"), draw_rows(book))
    _table_sheet(
        workbook, book.translate("competition.export.sheet.matches"), book.headers(*MATCH_COLUMNS), match_rows(book)
    )
    _block_sheet(workbook, book.translate("competition.export.sheet.standings"), standing_rows(book))
    _table_sheet(
        workbook, book.translate("competition.export.sheet.awards"), book.headers(*AWARD_COLUMNS), award_rows(book)
    )
    from chalicelib.services.unit_tables_views import unit_sheets  # it reads this module's numbers

    for title, rows in unit_sheets(book.competition, outcomes, unit_names, language):  # 团体总分: a sheet per table
        _block_sheet(workbook, title, rows)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def export_filename(event: Event, language: str) -> str:
    """E.g. "比赛成绩-第八届教职工羽毛球团体赛.xlsx" (the registration export's naming rules)."""
    return _named_export(event, "xlsx", prefix=translate("competition.export.filename", language))


def _write(sheet: Any, row: int, cells: Sequence[object], bold: Font | None = None) -> None:
    """One row's cells (row numbers from 1), written one by one: a whole-row lookup would scan the sheet.
    ``sheet``: an openpyxl Worksheet, typed Any because its stubs do not take the ``object`` safe_cell returns."""
    for column, value in enumerate(cells, start=1):
        cell = sheet.cell(row=row, column=column, value=xlsx_cell(value))
        if isinstance(cell.value, float):
            cell.number_format = "0.00"
        elif isinstance(cell.value, datetime):  # a time: a date cell in China time (chalicelib.domain.cells)
            cell.number_format = XLSX_TIME_FORMAT
        if bold is not None:
            cell.font = bold


def _widths(sheet: Worksheet, headers: Sequence[object], rows: Sequence[Sequence[object]]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(column_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _table_sheet(workbook: Workbook, title: str, headers: Sequence[object], rows: Sequence[Sequence[object]]) -> None:
    """One table: a bold header row, frozen, with a filter."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    _write(sheet, 1, headers, Font(bold=True))
    for number, row in enumerate(rows, start=2):
        _write(sheet, number, row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    _widths(sheet, headers, rows)


def _block_sheet(workbook: Workbook, title: str, rows: Sequence[Row]) -> None:
    """Blocks one under the other (a stage, a group, a discipline), each a bold title and a table."""
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title)
    fonts = {"title": Font(bold=True, size=12), "header": Font(bold=True)}
    for number, (style, cells) in enumerate(rows, start=1):
        _write(sheet, number, cells, fonts.get(style))
    measured = [cells for style, cells in rows if style != "title"]
    _widths(sheet, [""] * max((len(cells) for cells in measured), default=0), measured)


# ---- 抽签表: the draw ---------------------------------------------------------------------------------------------


def draw_rows(book: _Book) -> list[Row]:
    rows: list[Row] = []
    for stage in book.competition.stages:
        run = book.competition.run(stage.stage_id)
        rows.append(("title", [book.stage_title(stage)]))
        if run.state == StageState.PENDING:
            rows += [("data", [book.not_started(stage)]), ("data", [])]
            continue
        rows.append(("data", _draw_record(book, stage)))
        rows += _drawn_entries(book, stage)
        rows.append(("data", []))
    return rows


def _draw_record(book: _Book, stage: Stage) -> list[object]:
    """The recorded seed (anyone can re-run the draw from it), when and by whom, and how often it was redone."""
    run = book.competition.run(stage.stage_id)
    by = run.drawn_by or ""
    who = book.translate("competition.export.person", name=book.people[by], staff_no=by) if by in book.people else by
    return [
        book.translate("competition.export.draw.seed"), run.seed or "",
        book.translate("competition.export.draw.drawn_at"), run.drawn_at or "",
        book.translate("competition.export.draw.drawn_by"), who,
        book.translate("competition.export.draw.redraws"), run.redraws,
    ]  # fmt: skip


def _drawn_entries(book: _Book, stage: Stage) -> list[Row]:
    """The draw sheet's rows: who is where, by the stage's kind."""
    if stage.kind in KNOCKOUT_KINDS:
        return _drawn_knockout_rows(book, stage)
    return _DRAWN_ROWS.get(stage.kind, _drawn_listed_rows)(book, stage)


def _seed_column(book: _Book, stage: Stage) -> str:
    return "seed" if book.competition.previous_stage(stage.stage_id) is None else "qualified"


def _drawn_group_rows(book: _Book, stage: Stage) -> list[Row]:
    run = book.competition.run(stage.stage_id)
    qualified = _qualified_as(book, stage)
    rows: list[Row] = [("header", book.headers("group", "number", "entry", "unit", _seed_column(book, stage)))]
    tables = book.outcomes[stage.stage_id].tables if stage.stage_id in book.outcomes else []
    for table, members in zip(tables, run.groups, strict=False):
        label = book.translate("competition.export.bracket.group", group=table.group)
        rows += [
            ("data", [label, number, book.name(entry), book.unit_of(entry), qualified(entry)])
            for number, entry in enumerate(members, start=1)
        ]
    return rows


def _drawn_knockout_rows(book: _Book, stage: Stage) -> list[Row]:
    run = book.competition.run(stage.stage_id)
    qualified = _qualified_as(book, stage)
    rows: list[Row] = [("header", book.headers("position", "entry", "unit", _seed_column(book, stage), "first_match"))]
    for position, entry in enumerate(run.line, start=1):
        match = first_round_match(position)
        if entry is None:
            rows.append(("data", [position, book.translate("competition.export.bye"), "", "", match]))
        else:
            rows.append(("data", [position, book.name(entry), book.unit_of(entry), qualified(entry), match]))
    return rows


def _drawn_measured_rows(book: _Book, stage: Stage) -> list[Row]:
    assert stage.meet is not None
    rows: list[Row] = [("header", book.headers("discipline", "number", "entry", "unit"))]
    for discipline in stage.meet.disciplines:
        name = local(discipline.name_zh, discipline.name_en, book.language)
        rows += [
            ("data", [name, number, book.name(entry), book.unit_of(entry)])
            for number, entry in enumerate(discipline.entries, start=1)
        ]
    return rows


def _drawn_judged_rows(book: _Book, stage: Stage) -> list[Row]:
    assert stage.judging is not None
    run = book.competition.run(stage.stage_id)
    panels = stage.judging.panels
    rows: list[Row] = [("header", book.headers("number", "entry", "unit", *(("panel",) if panels else ())))]
    for number, entry in enumerate(run.entries, start=1):
        panel = [
            book.translate("competition.export.list_separator").join(p.name_zh for p in panels if entry in p.entries)
        ] if panels else []  # fmt: skip
        rows.append(("data", [number, book.name(entry), book.unit_of(entry), *panel]))
    return rows


def _drawn_listed_rows(book: _Book, stage: Stage) -> list[Row]:
    """Round robin and Swiss: the entries in their drawn order."""
    run = book.competition.run(stage.stage_id)
    qualified = _qualified_as(book, stage)
    rows: list[Row] = [("header", book.headers("number", "entry", "unit", _seed_column(book, stage)))]
    rows += [
        ("data", [number, book.name(entry), book.unit_of(entry), qualified(entry)])
        for number, entry in enumerate(run.entries, start=1)
    ]
    return rows


_DRAWN_ROWS: dict[StageKind, Callable[[_Book, Stage], list[Row]]] = {
    StageKind.GROUPS: _drawn_group_rows,
    StageKind.MEASURED: _drawn_measured_rows,
    StageKind.JUDGED: _drawn_judged_rows,
}


def _qualified_as(book: _Book, stage: Stage) -> Callable[[str], object]:
    """An entry's seed in the first stage; in a later stage the place it qualified from (A1, B2 ... after groups,
    the rank in the previous stage otherwise)."""
    previous = book.competition.previous_stage(stage.stage_id)
    if previous is None:
        seeds = {entry.entry_id: entry.seed for entry in book.competition.entries}
        return lambda entry: seeds.get(entry) or ""
    outcome = book.outcomes.get(previous.stage_id)
    if previous.kind == StageKind.GROUPS and outcome is not None:
        places = {row.entry_id: f"{table.group}{row.rank}" for table in outcome.tables for row in table.rows}
        return lambda entry: places.get(entry, "")
    ranking = book.competition.run(previous.stage_id).ranking
    ranks = {entry: book.translate("competition.export.place.n", n=rank) for rank, entry in enumerate(ranking, start=1)}
    return lambda entry: ranks.get(entry, "")


def first_round_match(position: int) -> str:
    """The first-round match of a bracket position, counted from 1 (positions 1 and 2 play W1-1)."""
    return f"{elimination.WINNERS}1-{(position + 1) // 2}"


# ---- 赛程成绩: every match -----------------------------------------------------------------------------------------

MATCH_COLUMNS = (
    "stage", "bracket", "round", "match", "home", "home_unit", "away", "away_unit", "score", "games", "rubbers",
    "winner", "outcome", "status", "when", "court",
)  # fmt: skip


def match_rows(book: _Book) -> list[list[object]]:
    names = book.entry_names
    rows: list[list[object]] = []
    for stage in book.competition.stages:
        matches = book.state.stage_matches(stage.stage_id)
        rounds = last_rounds(matches)
        for match in matches:
            result = match.result
            rows.append([
                stage_name(stage, book.language),
                bracket_label(stage, match.bracket, book.language),
                round_label(match, rounds, book.language),
                match.match_id,
                side_text(match.home, names, book.language),
                book.unit_of(match.home.entry),
                side_text(match.away, names, book.language),
                book.unit_of(match.away.entry),
                f"{result.home}-{result.away}" if result else "",
                games_text(result.games) if result else "",
                rubbers_text(result, formats.match_format(book.competition, match), book.language) if result else "",
                winner_text(match, names, book.language),
                outcome_text(match, names, book.language),
                book.translate(_STATUSES[match.status]),
                match_when(match),
                match.court or "",
            ])  # fmt: skip
    return rows


def match_when(match: Match) -> datetime | str:
    """When a match is scheduled, as the workbook's cell: its start time (a date cell) or its league matchday; blank
    when not set."""
    if match.starts_at:
        return datetime.fromisoformat(match.starts_at)
    return match.matchday or ""


def match_time(match: Match) -> str:
    """``match_when`` as text (China time), for pages."""
    when = match_when(match)
    return china_time(when) if isinstance(when, datetime) else when


# ---- 名次: standings, placings, rankings, unit totals -------------------------------------------------------------


def standing_rows(book: _Book) -> list[Row]:
    rows: list[Row] = []
    for stage in book.competition.stages:
        outcome = book.outcomes.get(stage.stage_id)
        title = book.stage_title(stage)
        if outcome is None:
            rows += [("title", [title]), ("data", [book.not_started(stage)]), ("data", [])]
            continue
        if not outcome.complete:
            title += book.translate("competition.export.provisional")
        rows.append(("title", [title]))
        if stage.kind in TABLE_KINDS:
            for table in outcome.tables:
                rows += _table_rows(book, stage, table)
        elif stage.kind in KNOCKOUT_KINDS:
            rows.append(("header", book.headers("rank", "entry", "unit")))
            rows += [("data", [place, book.name(entry), book.unit_of(entry)]) for place, entry in outcome.placings]
        elif stage.kind == StageKind.JUDGED:
            rows += _judged_rows(book, stage, outcome)
        else:
            rows += _meet_rows(book, outcome)
        rows.append(("data", []))
    return rows


def _team_ties(book: _Book) -> bool:
    return isinstance(scoring.format_by_code(book.competition.match_format), scoring.TieFormat)


def _table_rows(book: _Book, stage: Stage, table: GroupTable) -> list[Row]:
    ties = _team_ties(book)
    rubbers = ("rubbers_for", "rubbers_against") if ties else ()
    fair = ("fair_play",) if standings.shows_fair_play(standings.PRESETS[book.competition.tiebreak], table.rows) else ()
    columns = ("rank", "entry", "unit", "played", "won", "drawn", "lost", "match_points", *rubbers,
               "games_for", "games_against", "points_for", "points_against", *fair, "reason")  # fmt: skip
    rows: list[Row] = []
    if table.group:
        rows.append(("header", [book.translate("competition.export.bracket.group", group=table.group)]))
    rows.append(("header", book.headers(*columns)))
    names = book.entry_names
    for row in table.rows:
        rows.append(("data", _standing_cells(book, row, ties, names, bool(fair))))
    return rows


def _standing_cells(book: _Book, row: Standing, ties: bool, names: Mapping[str, str], fair: bool) -> list[object]:
    rubbers = [row.rubbers_for, row.rubbers_against] if ties else []
    return [
        row.rank, book.name(row.entry_id), book.unit_of(row.entry_id), row.played, row.won, row.drawn, row.lost,
        row.match_points, *rubbers, row.games_for, row.games_against, row.points_for, row.points_against,
        *([row.fair_play] if fair else []), reason_text(row.reason, names, book.language),
    ]  # fmt: skip


def _judged_rows(book: _Book, stage: Stage, outcome: StageOutcome) -> list[Row]:
    tiers = _tier_names(stage, book.language)
    rows: list[Row] = [("header", book.headers("rank", "entry", "unit", "judged_score", "judges", "award"))]
    for line in outcome.judged:
        if line.score is None:
            rows.append(
                (
                    "data",
                    [
                        "",
                        book.name(line.entry_id),
                        book.unit_of(line.entry_id),
                        book.translate("competition.export.unmarked"),
                    ],
                )
            )
            continue
        award = tiers.get(line.award or "", "")
        cells = [line.rank, book.name(line.entry_id), book.unit_of(line.entry_id), float(line.score), line.judges]
        rows.append(("data", [*cells, award]))
    return rows


def _tier_names(stage: Stage, language: str) -> dict[str, str]:
    tiers = stage.judging.tiers if stage.judging else ()
    return {tier.code: local(tier.name_zh, tier.name_en, language) for tier in tiers}


def _meet_rows(book: _Book, outcome: StageOutcome) -> list[Row]:
    rows: list[Row] = []
    for result in outcome.disciplines:
        rows.append(("header", [local(result.discipline.name_zh, result.discipline.name_en, book.language)]))
        rows.append(("header", book.headers("rank", "entry", "unit", "mark", "place_points")))
        measure = Measure(result.discipline.measure)
        for placing in result.placings:
            if placing.mark is not None:
                mark = format_mark(measure, placing.mark)
            else:  # DNS, DNF, DQ, NM as officials write them (marks.py); nothing entered yet: the catalogue's word
                mark = placing.status or book.translate("competition.export.no_mark")
            points = as_number(result.points[placing.entry_id]) if placing.entry_id in result.points else ""
            cells = [placing.place or "", book.name(placing.entry_id), book.unit_of(placing.entry_id), mark, points]
            rows.append(("data", cells))
    if outcome.units:
        depth = max(len(line.places) for line in outcome.units)
        rows.append(("header", [book.translate("competition.export.team_total")]))
        places = [book.translate("competition.export.col.places", n=place) for place in range(1, depth + 1)]
        rows.append(("header", [*book.headers("rank", "unit", "total"), *places]))
        for line in outcome.units:
            counts = [*line.places, *[0] * (depth - len(line.places))]
            rows.append(("data", [line.rank, book.units.get(line.unit_id, line.unit_id), as_number(line.points),
                                  *counts]))  # fmt: skip
    return rows


# ---- 获奖名单: awards and final placings ----------------------------------------------------------------------------

AWARD_COLUMNS = ("stage", "item", "award", "rank", "entry", "unit", "result")


def award_rows(book: _Book) -> list[list[object]]:
    """Judged stages' awards, a meet's scoring places and unit totals, and the last stage's final placings, for
    the stages that are finished; a stage still running says so instead of showing places that may change."""
    rows: list[list[object]] = []
    last = book.competition.stages[-1]
    for stage in book.competition.stages:
        awarding = (
            stage is last
            or stage.kind == StageKind.MEASURED
            or (stage.kind == StageKind.JUDGED and stage.judging is not None and stage.judging.tiers)
        )
        if not awarding:
            continue
        name = stage_name(stage, book.language)
        outcome = book.outcomes.get(stage.stage_id)
        if outcome is None or not outcome.complete:
            rows.append([name, "", book.translate("competition.export.not_finished")])
        elif stage.kind == StageKind.JUDGED:
            rows += _judged_awards(book, stage, outcome, final=stage is last)
        elif stage.kind == StageKind.MEASURED:
            rows += _meet_awards(book, stage, outcome)
        elif stage.kind in MATCH_KINDS:
            item = book.translate("competition.export.final_placings")
            placed = outcome.placings or [(rank, entry) for rank, entry in enumerate(outcome.ranking, start=1)]
            rows += [
                [name, item, place_label(place, book.language), place, book.name(entry), book.unit_of(entry), ""]
                for place, entry in placed
            ]
    return rows


def _judged_awards(book: _Book, stage: Stage, outcome: StageOutcome, final: bool) -> list[list[object]]:
    """Awarded entries (or, in a final without award tiers, everyone's place) with their scores."""
    name = stage_name(stage, book.language)
    tiers = _tier_names(stage, book.language)
    rows = []
    for line in outcome.judged:
        if line.award:
            award = tiers.get(line.award, line.award)
        elif final and not tiers:
            award = place_label(line.rank, book.language)
        else:
            continue
        score = float(line.score) if line.score is not None else ""
        rows.append([name, "", award, line.rank, book.name(line.entry_id), book.unit_of(line.entry_id), score])
    return rows


def _meet_awards(book: _Book, stage: Stage, outcome: StageOutcome) -> list[list[object]]:
    """Every place that scored in each discipline, then the unit team totals (团体总分)."""
    name = stage_name(stage, book.language)
    rows: list[list[object]] = []
    for result in outcome.disciplines:
        item = local(result.discipline.name_zh, result.discipline.name_en, book.language)
        measure = Measure(result.discipline.measure)
        for placing in result.placings:
            if placing.entry_id in result.points and placing.place is not None and placing.mark is not None:
                rows.append([
                    name, item, place_label(placing.place, book.language), placing.place,
                    book.name(placing.entry_id), book.unit_of(placing.entry_id), format_mark(measure, placing.mark),
                ])  # fmt: skip
    item = book.translate("competition.export.team_total")
    for line in outcome.units:
        unit = book.units.get(line.unit_id, line.unit_id)
        rows.append([name, item, place_label(line.rank, book.language), line.rank, "", unit, as_number(line.points)])
    return rows
