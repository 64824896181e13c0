"""Which match format a match is played in: its stage's own, else the competition's (issue 18 item 5).

A competition names one match format (``Competition.match_format``, a ``scoring`` preset code). A stage may name
its own (``Stage.match_format``): a best-of-three group stage, then a best-of-five knockout. A stage may also change
when play stops (``Stage.stop_when_decided``): the Sudirman and Thomas Cup practice plays all five rubbers of a
badminton tie in the groups (every rubber counts in the table) but stops at three wins in the knockout, where only
the winner goes on. A knockout may play its final in another format still (``Stage.final_format``): the final of a
single elimination (the last round of its bracket), or the grand final of a double elimination (the winners'
bracket final when it has none). The third-place match keeps the stage's format.

A stage's format is of the same kind as the competition's: a team tie stays a team tie, games stay games, a score
stays a score (a table, a score sheet and the result form are laid out by that kind). ``format_problems`` lists
what a set-up gets wrong, for the service to refuse before anything is written.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from chalicelib.domain.competition.elimination import GRAND_FINAL, WINNERS, round_count
from chalicelib.domain.competition.model import Match
from chalicelib.domain.competition.scoring import MatchFormat, ScoreFormat, ScoreInvalid, format_by_code
from chalicelib.domain.competition.setup import Competition, Stage, StageKind, StageRun


class FormatProblem(NamedTuple):
    """A set-up's format problem: ``code`` a field problem type (chalicelib.http.field_messages), ``location``
    the field, ``params`` what its message names (stages.group_places_problems: the numbers)."""

    code: str
    location: tuple[str | int, ...]
    value: str
    params: dict[str, object] | None = None


def _with_stop(fmt: MatchFormat, stop_when_decided: bool | None) -> MatchFormat:
    if stop_when_decided is None or isinstance(fmt, ScoreFormat) or fmt.stop_when_decided == stop_when_decided:
        return fmt
    return replace(fmt, stop_when_decided=stop_when_decided)


def stage_format(competition: Competition, stage: Stage) -> MatchFormat:
    """The format of a stage's matches (its final aside): the stage's own code, else the competition's, with the
    stage's ``stop_when_decided``."""
    return _with_stop(format_by_code(stage.match_format or competition.match_format), stage.stop_when_decided)


def is_final(stage: Stage, run: StageRun, match: Match) -> bool:
    """Whether a match is the final of a knockout stage (as drawn: the bracket's size is the run's line)."""
    if stage.kind == StageKind.DOUBLE_ELIMINATION and stage.grand_final != "none":
        return match.bracket == GRAND_FINAL
    if stage.kind not in (StageKind.SINGLE_ELIMINATION, StageKind.DOUBLE_ELIMINATION) or len(run.line) < 2:
        return False
    return match.bracket == WINNERS and match.round == round_count(len(run.line))


def match_format(competition: Competition, match: Match) -> MatchFormat:
    """The format a match is scored in: its stage's, or the stage's final format for a knockout's final."""
    stage = competition.stage(match.stage_id)
    if stage is None:
        return format_by_code(competition.match_format)
    if stage.final_format and is_final(stage, competition.run(stage.stage_id), match):
        return _with_stop(format_by_code(stage.final_format), stage.stop_when_decided)
    return stage_format(competition, stage)


def _known(code: str) -> MatchFormat | None:
    try:
        return format_by_code(code)
    except ScoreInvalid:
        return None


def format_problems(competition: Competition) -> list[FormatProblem]:
    """What is wrong with the match formats of a set-up: an unknown code (the competition's or a stage's), a stage
    format of another kind than the competition's, a ``stop_when_decided`` for a format scored without games."""
    base = _known(competition.match_format)
    if base is None:
        return [FormatProblem("unknown_match_format", ("match_format",), competition.match_format)]
    problems = []
    for index, stage in enumerate(competition.stages):
        for field in ("match_format", "final_format"):
            code = getattr(stage, field)
            fmt = _known(code) if code else base
            if fmt is None:
                problems.append(FormatProblem("unknown_match_format", ("stages", index, field), code))
            elif type(fmt) is not type(base):
                problems.append(FormatProblem("stage_format_kind", ("stages", index, field), code))
        own = _known(stage.match_format or competition.match_format)
        if stage.stop_when_decided is not None and isinstance(own, ScoreFormat):
            problems.append(FormatProblem("stop_without_games", ("stages", index, "stop_when_decided"), own.code))
    return problems
