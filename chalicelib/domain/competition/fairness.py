"""Fair judging in a set-up competition (issue 19 item 8): who may mark which entry of a judged stage, what is
still owed before its panel closes, and how many judges each entry lost to a conflict of interest. The rules
themselves (a judge never marks their own entry, optionally not their unit's; the trimmed mean adjusting; the order
of appearance) are in chalicelib.domain.competition.judging; this module applies them to a ``Competition``."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from chalicelib.domain.competition import judging
from chalicelib.domain.competition.setup import Competition, Stage


def entry_people(competition: Competition) -> dict[str, frozenset[str]]:
    """Entry → the 工号 of everyone in it."""
    return {entry.entry_id: judging.entry_people(entry.entry_id, entry.members) for entry in competition.entries}


def stage_judges(stage: Stage, judges: Collection[str]) -> list[str]:
    """Who marks a judged stage: its panels' judges, or every judge of the event (``judges``) without panels."""
    assert stage.judging is not None
    if stage.judging.panels:
        return list(dict.fromkeys(judge for panel in stage.judging.panels for judge in panel.judges))
    return sorted(judges)


def excused(
    competition: Competition, stage: Stage, judges: Mapping[str, str], judge: str
) -> dict[str, judging.Excused]:
    """The stage's entries ``judge`` may not mark, and why (``judges``: 工号 → unit of the event's judges)."""
    assert stage.judging is not None
    units = {entry.entry_id: entry.unit_id for entry in competition.entries}
    people = entry_people(competition)
    found = {}
    for entry_id in competition.run(stage.stage_id).entries:
        reason = judging.excused_reason(
            judge,
            judges.get(judge),
            people.get(entry_id, frozenset({entry_id})),
            units.get(entry_id),
            stage.judging.exclude_own_unit,
        )
        if reason is not None:
            found[entry_id] = reason
    return found


def may_mark(competition: Competition, stage: Stage, judges: Mapping[str, str], judge: str) -> list[str]:
    """The stage's entries ``judge`` marks, in the stage's order: assigned to them and not excused."""
    assert stage.judging is not None
    barred = excused(competition, stage, judges, judge)
    entries = competition.run(stage.stage_id).entries
    return [entry for entry in entries if stage.judging.judges_entry(judge, entry) and entry not in barred]


def missing(
    competition: Competition, stage: Stage, judges: Mapping[str, str], marked: Collection[tuple[str, str]]
) -> dict[str, list[str]]:
    """Judge → the entries they may mark and have not (``marked``: (judge, entry) pairs marked)."""
    may = {judge: set(may_mark(competition, stage, judges, judge)) for judge in stage_judges(stage, judges)}
    entries = competition.run(stage.stage_id).entries
    return judging.missing_marks(list(may), entries, lambda judge, entry: entry in may[judge], marked)


def excused_counts(competition: Competition, stage: Stage, judges: Mapping[str, str]) -> dict[str, int]:
    """Entry → how many of the judges who would mark it may not (the trimmed rule adjusts: entry_aggregation)."""
    assert stage.judging is not None
    counts: dict[str, int] = {}
    for judge in stage_judges(stage, judges):
        for entry_id in excused(competition, stage, judges, judge):
            if stage.judging.judges_entry(judge, entry_id):
                counts[entry_id] = counts.get(entry_id, 0) + 1
    return counts
