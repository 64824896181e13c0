"""Public competition pages: brackets, group tables, schedules, results, unit totals and awards.

One page per event's competition, a tab per stage (``?stage=``). What the public may see is decided by
chalicelib.services.competition.view (published competitions; organisers and officials also see unpublished ones,
under a banner); what a stage shows comes from its outcome (chalicelib.domain.competition.stages), worded here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import groupby
from typing import Any, NamedTuple
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition import elimination, hall
from chalicelib.domain.competition.formats import match_format, stage_format
from chalicelib.domain.competition.judging import CENT, judge_total
from chalicelib.domain.competition.measured import Measure, format_mark
from chalicelib.domain.competition.model import AWAY, HOME, Match, MatchStatus, Outcome
from chalicelib.domain.competition.scoring import GameUnit, ScoreUnit, TieFormat
from chalicelib.domain.competition.setup import (
    KNOCKOUT_KINDS,
    MATCH_KINDS,
    TABLE_KINDS,
    Competition,
    EntryKind,
    Stage,
    StageKind,
    StageState,
)
from chalicelib.domain.competition.stages import JudgedLine, StageOutcome, judging_criteria
from chalicelib.domain.competition.standings import (
    CRITERION_LABELS,
    HEAD_TO_HEAD_CRITERIA,
    PRESETS,
    Criterion,
    Standing,
    TieBreakRules,
    shows_fair_play,
)
from chalicelib.domain.language import localized
from chalicelib.domain.records import Event
from chalicelib.i18n import N_, translate
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_fairness, competition_views
from chalicelib.services.competition import CompetitionState
from chalicelib.services.unit_tables_views import scoring_rules, unit_tables
from chalicelib.storage import get_store
from chalicelib.web.bracket_svg import BracketWords, bracket_columns, bracket_svg
from chalicelib.web.links import board_href, entry_href, order_of_play_href
from chalicelib.web.render import Pages, format_when

routes = Pages(__name__)

_STAGE_STATES = {
    StageState.PENDING: N_("competition.public.stage_state.pending"),
    StageState.DRAWN: N_("competition.public.stage_state.drawn"),
    StageState.CLOSED: N_("competition.public.stage_state.closed"),
}
# elimination.round_names' keys other than round_of_<n> and round_<n> (worded with their number).
_ROUND_NAMES = {
    "quarter_final": N_("competition.public.round.quarter_final"),
    "semi_final": N_("competition.public.round.semi_final"),
    "final": N_("competition.public.round.final"),
    "third_place": N_("competition.public.round.third_place"),
    "grand_final": N_("competition.public.round.grand_final"),
    "grand_final_reset": N_("competition.public.round.grand_final_reset"),
}
_ENTRY_COUNTS = {
    EntryKind.INDIVIDUAL: N_("competition.public.count.individual"),
    EntryKind.PAIR: N_("competition.public.count.pair"),
    EntryKind.TEAM: N_("competition.public.count.team"),
}
_AGGREGATIONS = {
    "mean": N_("competition.public.aggregation.mean"),
    "drop_high_low": N_("competition.public.aggregation.drop_high_low"),
    "closest_pair": N_("competition.public.aggregation.closest_pair"),
}
_MEASURES = {
    Measure.TIME: N_("competition.public.measure.time"),
    Measure.DISTANCE: N_("competition.public.measure.distance"),
    Measure.POINTS: N_("competition.public.measure.points"),
}
_PLACES = {
    1: N_("competition.public.place.1"),
    2: N_("competition.public.place.2"),
    3: N_("competition.public.place.3"),
}
SUMMARY_PLACES = 8  # the final placings at the top list this many places
# A stage whose matches are all played is over without being closed: a bracket's final or a round robin's last
# fixture decides it. A Swiss stage is not (its next round is paired from the table), nor are groups (they close
# into the knockout), judged rounds or meets (marks may still come in until they are closed).
_OVER_WHEN_PLAYED = KNOCKOUT_KINDS | {StageKind.ROUND_ROBIN, StageKind.LEAGUE}
_ZH_COUNTS = "两三四五六七八九十"


def _title(event: Event, language: str) -> str:
    return localized(event, "title", language)


def _event_path(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}"


def _named(thing: Any, language: str) -> str:
    """A stage's, tier's or discipline's name in ``language`` (Chinese when it has no English name)."""
    return localized(thing, "name", language)


def _signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _number(value: Fraction | Decimal | int) -> str:
    """Points as people write them: 7, 4.5, 3.33."""
    if Fraction(value).denominator == 1:
        return str(int(value))
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _count_word(count: int, language: str) -> str:
    if language == "zh" and 2 <= count <= 10:
        return _ZH_COUNTS[count - 2]
    return str(count)


def _current_stage(competition: Competition) -> Stage:
    """The stage a visitor most likely wants: the latest one that has started, else the first."""
    started = [stage for stage in competition.stages if competition.run(stage.stage_id).state != StageState.PENDING]
    return started[-1] if started else competition.stages[0]


@routes.route("/events/{event_id}/competition", access=Access.PUBLIC)
def competition_page(principal: Principal, event_id: str):
    """The draw, schedule and results of an event's competition, stage by stage, with the final placings or
    award list on top once it is over."""
    language = routes.language()
    shown = competition_views.public_competition(get_store(), principal, event_id, language)
    state = shown.state
    if state is None:
        return routes.show(
            "competition_public_missing.html",
            principal,
            status=404,
            title=_title(shown.event, language),
            event_href=_event_path(shown.event.event_id),
        )
    competition = state.competition
    chosen = competition.stage(routes.query("stage") or "") or _current_stage(competition)
    view = _View(state, language, shown.unit_names)
    page_path = _event_path(event_id) + "/competition"
    view.step = _Step(f"{page_path}?stage={quote(chosen.stage_id, safe='')}", _round_query(routes.query("round")))
    tabs = [
        {
            "name": _named(stage, language),
            "href": f"{page_path}?stage={quote(stage.stage_id, safe='')}",
            "current": stage.stage_id == chosen.stage_id,
            "state": translate(_STAGE_STATES[view.state_of(stage)], language),
        }
        for stage in competition.stages
    ]
    return routes.show(
        "competition_public.html",
        principal,
        title=_title(state.event, language),
        event_href=_event_path(event_id),
        published=competition.published,
        step_round=view.step.round,
        manage_href=f"/admin{page_path}" if can_manage_event(principal, state.event.owner_unit_id) else None,
        # A tournament day's pages, where the competition has matches (not a judged contest or a meet).
        day_links={"board": board_href(event_id), "order": order_of_play_href(event_id)}
        if any(stage.kind in MATCH_KINDS for stage in competition.stages)
        else None,
        tabs=tabs if len(tabs) > 1 else [],
        contest_href=f"{page_path}/contest" if competition.contests else None,  # a skill contest's events (item 7)
        final=view.final(),
        stage=view.stage(chosen),
    )


STEP_COLUMNS = 2  # rounds a phone sees at a time


class _Step(NamedTuple):
    """A phone's window on a bracket: the stage's address and the first round asked for (``?round=``, 1-based)."""

    href: str
    round: int | None = None


def _round_query(value: str | None) -> int | None:
    """A round asked for in the address: a number (past the last round: the last ones), or nothing."""
    return min(int(value), 64) if value and value.isdigit() and len(value) <= 4 and int(value) > 0 else None


def _current_column(matches: Sequence[Match]) -> int:
    """The first column a phone is shown: the earliest round with a match to play in the winners' bracket."""
    waiting = [m.round for m in matches if m.bracket == elimination.WINNERS and m.status == MatchStatus.READY]
    if waiting:
        return min(waiting) - 1
    return 0 if all(m.status != MatchStatus.DONE for m in matches) else 64


def _stepped(matches: Sequence[Match], step: _Step) -> tuple[int, int]:
    """The window's first column (0-based) and how many columns the bracket has."""
    columns = bracket_columns(matches)
    first = step.round - 1 if step.round else _current_column(matches)
    return max(0, min(first, columns - STEP_COLUMNS)), columns


class _View:
    """One competition worded for the page in one language."""

    step = _Step("")

    def __init__(self, state: CompetitionState, language: str, units: Mapping[str, str]) -> None:
        self.state = state
        self.competition = state.competition
        self.language = language
        self.unit_names = units
        self.names = state.entry_names()
        self.entry_units = {entry: units.get(unit, unit) for entry, unit in state.entry_units().items()}
        self.rules: TieBreakRules = PRESETS[self.competition.tiebreak]
        self._outcomes: dict[str, StageOutcome] = {}

    def outcome(self, stage: Stage) -> StageOutcome:
        if stage.stage_id not in self._outcomes:
            self._outcomes[stage.stage_id] = competition_service.outcome(self.state, stage)
        return self._outcomes[stage.stage_id]

    def state_of(self, stage: Stage) -> StageState:
        """A stage's state as visitors see it: over once closed, or once every match of a stage that ends when
        played (a knockout, a round robin, a league) has been played."""
        state = self.competition.run(stage.stage_id).state
        played_out = (
            state == StageState.DRAWN
            and stage.kind in _OVER_WHEN_PLAYED
            and bool(self.state.stage_matches(stage.stage_id))
            and self.outcome(stage).complete
        )
        return StageState.CLOSED if played_out else state

    def fixtures_href(self, entry_id: str | None) -> str | None:
        """An entry's fixtures page; None for a side not known yet."""
        return entry_href(self.state.event.event_id, entry_id) if entry_id else None

    def entry(self, entry_id: str) -> dict[str, str]:
        """An entry's name, unit and fixtures page (linked where the page lists matches: tables, placings)."""
        return {
            "name": self.names.get(entry_id, entry_id),
            "unit": self.entry_units.get(entry_id, ""),
            "href": entry_href(self.state.event.event_id, entry_id),
        }

    # ---- a stage ------------------------------------------------------------------------------------------------

    def stage(self, stage: Stage) -> dict[str, Any]:
        run = self.competition.run(stage.stage_id)
        shown: dict[str, Any] = {"id": stage.stage_id, "name": _named(stage, self.language)}
        if stage.kind == StageKind.JUDGED:  # its contest screen in the hall (hall_pages.py)
            shown["hall_href"] = f"{_event_path(self.state.event.event_id)}/competition/hall/{quote(stage.stage_id)}"
        if stage.kind == StageKind.JUDGED and run.order:  # the order of appearance, published once drawn
            numbers = competition_fairness.numbers(self.state, stage)
            shown["order"] = [{"number": numbers[e], **self.entry(e)} for e in run.order if e in numbers]
            shown["order_seed"] = run.order_seed
        if run.state == StageState.PENDING:
            return {**shown, "kind": "pending"}
        if stage.kind in KNOCKOUT_KINDS:
            return {**shown, "kind": "knockout", **self.knockout(stage)}
        if stage.kind in TABLE_KINDS:
            return {**shown, "kind": "table", **self.tables(stage)}
        if stage.kind == StageKind.JUDGED:
            return {**shown, "kind": "judged", **self.judged(stage)}
        return {**shown, "kind": "measured", **self.measured(stage)}

    # ---- matches ------------------------------------------------------------------------------------------------

    def round_title(self, bracket: str, round_: int, rounds: int) -> str:
        key = elimination.round_names(bracket, round_, rounds)
        if key.startswith("round_of_"):
            return translate("competition.public.round.round_of", self.language, count=key.removeprefix("round_of_"))
        if key.startswith("round_"):
            return translate("competition.public.round.number", self.language, number=key.removeprefix("round_"))
        return translate(_ROUND_NAMES[key], self.language)

    def bracket_words(self) -> BracketWords:
        return BracketWords(
            bye=translate("competition.public.bye", self.language),
            to_be_decided=translate("competition.public.to_be_decided", self.language),
            winner_of=translate("competition.public.winner_of", self.language),
            loser_of=translate("competition.public.loser_of", self.language),
            walkover=translate("competition.public.walkover", self.language),
            retired=translate("competition.public.retired", self.language),
            winners_bracket=translate("competition.public.bracket.winners", self.language),
            losers_bracket=translate("competition.public.bracket.losers", self.language),
            round_name=self.round_title,
        )

    def knockout(self, stage: Stage) -> dict[str, Any]:
        from markupsafe import Markup  # comes with jinja2, which renders the page anyway

        matches = self.state.stage_matches(stage.stage_id)
        label = translate("competition.public.bracket.label", self.language, stage=_named(stage, self.language))
        words = self.bracket_words()
        seeds = {entry.entry_id: entry.seed for entry in self.competition.entries if entry.seed}
        svg = bracket_svg(matches, self.names, words, label, seeds)
        first, columns = _stepped(matches, self.step)
        window = bracket_svg(matches, self.names, words, label, seeds, (first, STEP_COLUMNS))
        steps = {
            "previous": f"{self.step.href}&round={first}" if first > 0 else None,
            "next": f"{self.step.href}&round={first + 2}" if first + STEP_COLUMNS < columns else None,
        }
        last_round: dict[str, int] = {}
        for match in matches:
            last_round[match.bracket] = max(last_round.get(match.bracket, 0), match.round)
        rounds = []
        # The service lists a stage's matches bracket by bracket, round by round.
        for (bracket, round_), in_round in groupby(matches, key=lambda m: (m.bracket, m.round)):
            title = self.round_title(bracket, round_, last_round[bracket])
            if bracket == elimination.LOSERS:
                title = translate("competition.public.bracket.losers", self.language) + f" · {title}"
            rounds.append(
                {"title": title, "matches": [self.match(m) for m in in_round if m.status != MatchStatus.VOID]}
            )
        stepped = {"window": Markup(window), **steps} if columns > STEP_COLUMNS else None
        return {"svg": Markup(svg), "stepped": stepped, "rounds": [r for r in rounds if r["matches"]]}

    def side(self, match: Match, side: str) -> str:
        slot = match.slot(side)
        if slot.entry:
            return self.names.get(slot.entry, slot.entry)
        return (
            translate("competition.public.bye", self.language)
            if slot.bye
            else translate("competition.public.to_be_decided", self.language)
        )

    def match(self, match: Match) -> dict[str, Any]:
        result = match.result if match.status == MatchStatus.DONE else None
        shown: dict[str, Any] = {
            "id": match.match_id,
            "home": self.side(match, HOME),
            "away": self.side(match, AWAY),
            "home_unit": self.entry_units.get(match.home.entry or "", ""),
            "away_unit": self.entry_units.get(match.away.entry or "", ""),
            "home_href": self.fixtures_href(match.home.entry),
            "away_href": self.fixtures_href(match.away.entry),
            "winner": match.winner and (HOME if match.winner == match.home.entry else AWAY),
            "score": f"{result.home} : {result.away}" if result else None,
            "bye": match.status == MatchStatus.BYE,
            "note": None,
            "games": [],
            "schedule": self.schedule(match),
        }
        if result is None:
            return shown
        if result.outcome != Outcome.PLAYED:
            shown["note"] = translate(
                "competition.public.walkover" if result.outcome == Outcome.WALKOVER else "competition.public.retired",
                self.language,
            )
        shown["games"] = [self.games(result.games)] if result.games else []
        if result.rubbers:
            fmt = match_format(self.competition, match)
            specs = fmt.rubbers if isinstance(fmt, TieFormat) else ()
            shown["games"] = [
                f"{translate(spec.name, self.language, **spec.name_params())} {self.games(rubber.games)}".strip()
                for spec, rubber in zip(specs, result.rubbers, strict=False)
            ]
        return shown

    @staticmethod
    def games(games: Sequence[tuple[int, int]]) -> str:
        return " ".join(f"{home}–{away}" for home, away in games)

    def schedule(self, match: Match) -> str:
        parts = []
        if match.starts_at:
            moment = datetime.fromisoformat(match.starts_at)
            parts.append(format_when(moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ), self.language))
        elif match.matchday:
            parts.append(match.matchday)
        if match.court:
            parts.append(translate("competition.public.court", self.language, court=match.court))
        return " · ".join(parts)

    def fixtures(self, matches: Sequence[Match]) -> list[dict[str, Any]]:
        """Round-robin fixtures by round, with each round's matchday when it has one."""
        rounds = []
        for round_, in_round in groupby(sorted(matches, key=lambda m: (m.round, m.order)), key=lambda m: m.round):
            listed = list(in_round)
            days = {m.matchday for m in listed if m.matchday}
            title = translate("competition.public.round.number", self.language, number=round_)
            rounds.append(
                {
                    "title": f"{title} · {days.pop()}" if len(days) == 1 else title,
                    "matches": [self.match(match) for match in listed],
                }
            )
        return rounds

    # ---- tables -------------------------------------------------------------------------------------------------

    def tables(self, stage: Stage) -> dict[str, Any]:
        outcome = self.outcome(stage)
        matches = self.state.stage_matches(stage.stage_id)
        rows = [row for table in outcome.tables for row in table.rows]
        fmt = stage_format(self.competition, stage)
        columns = {
            "drawn": bool(self.rules.points.draw) or any(row.drawn for row in rows),
            "rubbers": any(row.rubbers_for or row.rubbers_against for row in rows),
            "games": self.rules.counts_games,
            "sets": fmt.game_unit is GameUnit.SETS,
            "goals": fmt.score_unit is ScoreUnit.GOALS,
            "fair_play": shows_fair_play(self.rules, rows),
        }
        qualified = set(self.competition.run(stage.stage_id).qualified)
        tables = []
        for table in outcome.tables:
            group_matches = [m for m in matches if not table.group or m.bracket == table.group]
            tables.append(
                {
                    "title": translate("competition.public.group", self.language, name=table.group)
                    if table.group
                    else "",
                    "rows": [self.standing(row, qualified) for row in table.rows],
                    "reasons": self.reasons(table.rows),
                    "rounds": self.fixtures(group_matches),
                }
            )
        rules = translate(self.rules.label, self.language)
        return {"tables": tables, "columns": columns, "rules": rules}

    def standing(self, row: Standing, qualified: set[str]) -> dict[str, Any]:
        return {
            **self.entry(row.entry_id),
            "rank": row.rank,
            "played": row.played,
            "won": row.won,
            "drawn": row.drawn,
            "lost": row.lost,
            "points": row.match_points,
            "rubbers": _signed(row.rubbers_for - row.rubbers_against),
            "games": _signed(row.games_for - row.games_against),
            "games_detail": f"{row.games_for}:{row.games_against}",
            "points_diff": _signed(row.points_for - row.points_against),
            "points_detail": f"{row.points_for}:{row.points_against}",
            "fair_play": row.fair_play,
            "qualified": row.entry_id in qualified,
        }

    def reasons(self, rows: Sequence[Standing]) -> list[str]:
        """The tie-breaks of a table in words, one sentence per rule that separated entries level before it."""
        separated: dict[tuple[Criterion, tuple[str, ...]], dict[str, str]] = {}
        tied_only: dict[tuple[Criterion, tuple[str, ...]], bool] = {}
        for row in rows:
            reason = row.reason
            if reason is None:
                continue
            key = (reason.rule, reason.among)
            values = separated.setdefault(key, {})
            values.setdefault(row.entry_id, reason.value)
            values.setdefault(reason.against, reason.against_value)
            tied_only[key] = reason.among_tied_only
        return [
            self.reason(rule, among, values, tied_only[(rule, among)]) for (rule, among), values in separated.items()
        ]

    def reason(self, rule: Criterion, among: tuple[str, ...], values: Mapping[str, str], tied_only: bool) -> str:
        separator = "、" if self.language == "zh" else ", "
        names = separator.join(self.names.get(entry, entry) for entry in among)
        if rule == Criterion.LOT:
            return translate("competition.public.reason.lot", self.language, names=names)
        label = translate(CRITERION_LABELS[rule], self.language)
        if len(among) == 2:
            above, below = among
            sentence = translate(
                "competition.public.reason.pair",
                self.language,
                above=self.names.get(above, above),
                below=self.names.get(below, below),
                rule=label,
                value=values.get(above, ""),
                against=values.get(below, ""),
            )
        else:
            count = translate(
                _ENTRY_COUNTS[self.competition.entry_kind], self.language, count=_count_word(len(among), self.language)
            )
            figures = separator.join(f"{self.names.get(entry, entry)} {value}" for entry, value in values.items())
            first = translate(CRITERION_LABELS[self.rules.criteria[0]], self.language)
            sentence = translate(
                "competition.public.reason.group",
                self.language,
                names=names,
                count=count,
                first=first,
                rule=label,
                values=figures,
            )
        if tied_only and rule not in HEAD_TO_HEAD_CRITERIA:
            sentence += translate("competition.public.reason.among_only", self.language)
        return sentence

    # ---- judged -------------------------------------------------------------------------------------------------

    def judged(self, stage: Stage) -> dict[str, Any]:
        assert stage.judging is not None  # the set-up requires it of a judged stage
        outcome = self.outcome(stage)
        run = self.competition.run(stage.stage_id)
        closed = run.state == StageState.CLOSED
        awards = {tier.code: _named(tier, self.language) for tier in stage.judging.tiers}
        qualified = set(run.qualified)
        # Judges' own marks are secret until the round closes; then they are shown by number, not by name.
        marks = self.state.stage_marks(stage.stage_id) if closed else {}
        judges = sorted({judge for by_judge in marks.values() for judge in by_judge})
        criteria = judging_criteria(stage.judging)

        def judge_mark(entry_id: str, judge: str) -> str:
            given = marks.get(entry_id, {}).get(judge)
            if given is None:
                return ""
            total = judge_total(criteria, {code: Decimal(str(mark)) for code, mark in given.items()})
            return f"{total.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"

        # Scores as the hall screen shows them (hall.py, and the API): revealed ones, every one once the round closes.
        by_entry = {line.entry_id: line for line in outcome.judged}
        numbers = competition_fairness.numbers(self.state, stage)
        lines = [
            {
                **self.entry(entry),
                **self.judged_figures(by_entry[entry], shown, awards),
                "finalist": entry in qualified,
                "marks": [judge_mark(entry, judge) for judge in judges],
            }
            for entry, shown in hall.public_order(run, list(by_entry), numbers)
        ]
        return {
            "lines": lines,
            "judges": [
                translate("competition.public.judge", self.language, number=number)
                for number in range(1, len(judges) + 1)
            ],
            "marks_hidden": not closed,
            "aggregation": translate(_AGGREGATIONS[stage.judging.aggregation], self.language),
            "has_finalists": bool(qualified),
        }

    def judged_figures(self, line: JudgedLine, shown: bool, awards: Mapping[str, str]) -> dict[str, Any]:
        """Rank, score and award of a judged line, or "to come" for a score not revealed yet."""
        if not shown:
            return {"rank": "—", "score": translate("hall.waiting", self.language), "award": ""}
        unmarked = translate("competition.public.unmarked", self.language)
        return {
            "rank": line.rank or "—",
            "score": f"{line.score:.2f}" if line.score is not None else unmarked,
            "award": awards.get(line.award or "", ""),
        }

    # ---- measured -----------------------------------------------------------------------------------------------

    def mark(self, measure: Measure, mark: Decimal | None, status: str | None = None) -> str:
        if mark is None:  # DNS, DNF, DQ, NM as officials write them (marks.py); else nothing entered yet
            return status or translate("competition.public.no_mark", self.language)
        return translate(_MEASURES[measure], self.language, mark=format_mark(measure, mark))

    def measured(self, stage: Stage) -> dict[str, Any]:
        assert stage.meet is not None  # the set-up requires it of a measured stage
        outcome = self.outcome(stage)
        disciplines = []
        for result in outcome.disciplines:
            measure = Measure(result.discipline.measure)
            rows = [
                {
                    **self.entry(placing.entry_id),
                    "place": placing.place or "—",
                    "mark": self.mark(measure, placing.mark, placing.status),
                    "points": _number(result.points[placing.entry_id]) if placing.entry_id in result.points else "",
                }
                for placing in result.placings
            ]
            path = f"{_event_path(self.state.event.event_id)}/competition/stages/{quote(stage.stage_id)}/disciplines"
            rounds = f"{path}/{quote(result.discipline.code)}/rounds" if result.discipline.rounds else None
            disciplines.append({"name": _named(result.discipline, self.language), "rows": rows, "rounds_href": rounds})
        depth = len(stage.meet.place_points)
        relays = any(discipline.relay for discipline in stage.meet.disciplines)
        tables = unit_tables(stage.meet, outcome, self.unit_names, self.language)
        return {
            "disciplines": disciplines,
            "unit_tables": tables,
            "scoring_rules": scoring_rules(stage.meet, self.language),
            "place_columns": [
                translate("competition.public.place_n", self.language, place=place) for place in range(1, depth + 1)
            ],
            "place_points": "-".join(str(points) for points in stage.meet.place_points),
            "relay_factor": stage.meet.relay_factor if relays and stage.meet.relay_factor > 1 else None,
            # heats and finals (issue 19 item 2): the meet's programme of rounds (竞赛日程)
            "programme_href": f"{_event_path(self.state.event.event_id)}/competition/programme"
            if any(d.rounds for d in stage.meet.disciplines)
            else None,
        }

    # ---- the end ------------------------------------------------------------------------------------------------

    def final(self) -> dict[str, Any] | None:
        """The final placings (knockout, table) or award list (judged) once the last stage is over; None before.
        A meet has none: it is one stage, whose unit totals head its results anyway; nor do groups that end a
        competition (their tables are the result)."""
        last = self.competition.stages[-1]
        if last.kind in (StageKind.GROUPS, StageKind.MEASURED) or self.state_of(last) != StageState.CLOSED:
            return None
        outcome = self.outcome(last)
        if last.kind == StageKind.JUDGED:
            return {"kind": "awards", "awards": self.award_list(last, outcome)}
        if last.kind in KNOCKOUT_KINDS:
            placed = [(place, entry) for place, entry in outcome.placings if place <= SUMMARY_PLACES]
        else:
            placed = [(row.rank, row.entry_id) for row in outcome.tables[0].rows[:SUMMARY_PLACES]]
        rows = [
            {
                "place": place,
                "title": translate(_PLACES[place], self.language) if place in _PLACES else "",
                **self.entry(entry),
            }
            for place, entry in placed
        ]
        return {"kind": "placings", "rows": rows}

    def award_list(self, stage: Stage, outcome: StageOutcome) -> list[dict[str, Any]]:
        assert stage.judging is not None
        by_award: dict[str, list[dict[str, str]]] = {}
        for line in outcome.judged:
            if line.award:
                by_award.setdefault(line.award, []).append(self.entry(line.entry_id))
        return [
            {"award": _named(tier, self.language), "entries": by_award[tier.code]}
            for tier in stage.judging.tiers
            if tier.code in by_award
        ]
