"""Competitions: the set-up item, matches keyed by the draw that made them, judges' marks and performances.

One event's competition is one partition, read with one query (a 256-entry double elimination is ~510 matches,
about 150 KB: two pages). The set-up item's ``version`` is the lock: a draw, a closed stage or a publication bumps
it, and every result, mark and performance is written in a transaction that checks it, so nothing is written into
a draw that was redone or a stage that was closed meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain.competition.marks import stored_attempt, stored_rule, stored_status
from chalicelib.domain.competition.model import Match
from chalicelib.storage.salvage import Salvage
from chalicelib.storage.tables import AuditTable, CompetitionTable
from chalicelib.storage.writes import LabelledTransaction

SETUP_ITEM = "comp"
TIMETABLE_ITEM = "sched"
_MATCH = "m#"
_MARKS = "k#"
_PERFORMANCE = "p#"
_ROUNDS = "r#"  # a discipline's rounds: heats, lanes, who went on (chalicelib.domain.competition.rounds)
_ROUND_MARK = "h#"  # an entry's marks in one round of a discipline

SETUP = "setup"
TIMETABLE = "timetable"


def match_item_key(stage_id: str, draw_id: str, match_id: str) -> str:
    return f"{_MATCH}{stage_id}#{draw_id}#{match_id}"


def marks_key(stage_id: str, entry_id: str, judge: str) -> str:
    return f"{_MARKS}{stage_id}#{entry_id}#{judge}"


def performance_key(stage_id: str, discipline: str, entry_id: str) -> str:
    return f"{_PERFORMANCE}{stage_id}#{discipline}#{entry_id}"


def rounds_key(stage_id: str, discipline: str) -> str:
    return f"{_ROUNDS}{stage_id}#{discipline}"


def round_mark_key(stage_id: str, discipline: str, round_code: str, entry_id: str) -> str:
    return f"{_ROUND_MARK}{stage_id}#{discipline}#{round_code}#{entry_id}"


def _performance_data(key: str, text: str) -> dict:
    """A performance's data with every attempt a mark or an attempt code (X, -, r) and its result code (DNS, DNF,
    DQ, NM) and rule reference checked (chalicelib.domain.competition.marks), so pages can show and rank it: one
    stored before marks had ranges
    (a 30-digit time) or otherwise damaged reads as no mark, logged (chalicelib.storage.salvage), instead of taking
    the results, the entry page, the workbook and the API down. Entering the attempts again replaces it."""
    fix = Salvage("competitions", key)
    data: dict[str, Any] = fix.data("data", text, _object, {})
    attempts = data.get("attempts", [])
    if not isinstance(attempts, list):
        attempts = fix.value("attempts", None, list, [])
    data["attempts"] = [
        None if value is None else fix.value(f"attempts.{index}", value, stored_attempt, None)
        for index, value in enumerate(attempts)
    ]
    for name, check in (("status", stored_status), ("rule", stored_rule)):  # result codes (issue 19), when set
        if name in data:
            data[name] = fix.optional(name, data[name], check)
            if data[name] is None:
                del data[name]
    fix.flag(data)
    return data


def _object(data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError("expected an object")
    return data


class StoredMatch(NamedTuple):
    stage_id: str
    draw_id: str
    match: Match
    version: int


class StoredMarks(NamedTuple):
    stage_id: str
    entry_id: str
    judge: str
    marks: dict
    updated_at: datetime


class StoredPerformance(NamedTuple):
    stage_id: str
    discipline: str
    entry_id: str
    data: dict
    updated_at: datetime
    updated_by: str | None


class StoredRounds(NamedTuple):
    """A discipline's rounds as stored (chalicelib.domain.competition.rounds.DisciplineRounds) and their version:
    drawing, closing and every mark entered in a round bump it, so a round is not closed over a mark being
    written."""

    stage_id: str
    discipline: str
    data: dict
    version: int


class StoredRoundMark(NamedTuple):
    stage_id: str
    discipline: str
    round_code: str
    entry_id: str
    data: dict  # as a performance: attempts, status, rule
    updated_at: datetime
    updated_by: str | None


@dataclass(frozen=True)
class CompetitionItems:
    """Everything stored for one event's competition, as read."""

    setup: dict
    version: int
    matches: list[StoredMatch] = field(default_factory=list)
    marks: list[StoredMarks] = field(default_factory=list)
    performances: list[StoredPerformance] = field(default_factory=list)
    timetable: dict | None = None  # the venue and the placements (chalicelib.domain.competition.timetable)
    timetable_version: int | None = None
    rounds: list[StoredRounds] = field(default_factory=list)
    round_marks: list[StoredRoundMark] = field(default_factory=list)


class Competitions:
    def get(self, event_id: str) -> CompetitionItems | None:
        setup: CompetitionTable | None = None
        timetable: CompetitionTable | None = None
        matches, marks, performances = [], [], []
        rounds: list[StoredRounds] = []
        round_marks: list[StoredRoundMark] = []
        for item in CompetitionTable.query(event_id, consistent_read=True):
            kind = item.item
            if kind == SETUP_ITEM:
                setup = item
            elif kind == TIMETABLE_ITEM:
                timetable = item
            elif kind.startswith(_MATCH):
                stage_id, draw_id, _match_id = kind[len(_MATCH) :].split("#", 2)
                matches.append(
                    StoredMatch(stage_id, draw_id, Match.from_dict(json.loads(item.data)), int(item.version))
                )
            elif kind.startswith(_MARKS):
                stage_id, entry_id, judge = kind[len(_MARKS) :].split("#", 2)
                marks.append(StoredMarks(stage_id, entry_id, judge, json.loads(item.data), item.updated_at))
            elif kind.startswith(_PERFORMANCE):
                stage_id, discipline, entry_id = kind[len(_PERFORMANCE) :].split("#", 2)
                data = _performance_data(f"{event_id}/{kind}", item.data)
                performances.append(
                    StoredPerformance(stage_id, discipline, entry_id, data, item.updated_at, item.updated_by)
                )
            elif kind.startswith(_ROUNDS):
                stage_id, discipline = kind[len(_ROUNDS) :].split("#", 1)
                rounds.append(StoredRounds(stage_id, discipline, json.loads(item.data), int(item.version)))
            elif kind.startswith(_ROUND_MARK):
                stage_id, discipline, code, entry_id = kind[len(_ROUND_MARK) :].split("#", 3)
                data = _performance_data(f"{event_id}/{kind}", item.data)
                round_marks.append(
                    StoredRoundMark(stage_id, discipline, code, entry_id, data, item.updated_at, item.updated_by)
                )
        if setup is None:
            return None
        return CompetitionItems(
            json.loads(setup.data),
            int(setup.version),
            matches,
            marks,
            performances,
            json.loads(timetable.data) if timetable else None,
            int(timetable.version) if timetable else None,
            rounds,
            round_marks,
        )

    def setup_version(self, event_id: str) -> tuple[dict[str, Any], int] | None:
        """The set-up alone (one GetItem), for pages that do not need the matches."""
        try:
            item = CompetitionTable.get(event_id, SETUP_ITEM, consistent_read=True)
        except CompetitionTable.DoesNotExist:
            return None
        return json.loads(item.data), int(item.version)

    def published_among(self, event_ids: Iterable[str]) -> set[str]:
        """Which of these events have published their competition: the set-ups alone, in one BatchGetItem per 100
        events (lists that link to results)."""
        keys = [(event_id, SETUP_ITEM) for event_id in dict.fromkeys(event_ids)]
        if not keys:
            return set()
        return {item.event_id for item in CompetitionTable.batch_get(keys) if json.loads(item.data).get("published")}

    @staticmethod
    def _setup_item(event_id: str, setup: dict, version: int, by: str, at: datetime) -> CompetitionTable:
        return CompetitionTable(
            event_id,
            SETUP_ITEM,
            data=_dump(setup),
            version=version,
            updated_at=at,
            updated_by=by,
        )

    def save_setup(
        self,
        event_id: str,
        setup: dict,
        expected_version: int | None,
        by: str,
        at: datetime,
        audit: AuditTable | None = None,
    ) -> int:
        """Write the set-up over the version it was made from (None: it must not exist yet). Returns the new
        version; raises TransactionFailed (label ``setup``) when someone else changed it first."""
        new_version = (expected_version or 0) + 1
        condition = (
            CompetitionTable.item.does_not_exist()
            if expected_version is None
            else CompetitionTable.version == expected_version
        )
        tx = LabelledTransaction()
        tx.put(SETUP, self._setup_item(event_id, setup, new_version, by, at), condition=condition)
        if audit is not None:
            tx.put("audit", audit)
        tx.commit()
        return new_version

    def save_timetable(
        self,
        event_id: str,
        data: dict,
        expected_version: int | None,
        by: str,
        at: datetime,
        audit: AuditTable | None = None,
    ) -> int:
        """Write the timetable (venue and placements) over the version it was read at (None: it must not exist yet).
        It has a version of its own: moving matches never conflicts with referees entering results (they check the
        set-up's). Returns the new version; raises TransactionFailed (label ``timetable``) when someone else changed
        it first."""
        new_version = (expected_version or 0) + 1
        condition = (
            CompetitionTable.item.does_not_exist()
            if expected_version is None
            else CompetitionTable.version == expected_version
        )
        item = CompetitionTable(
            event_id, TIMETABLE_ITEM, data=_dump(data), version=new_version, updated_at=at, updated_by=by
        )
        tx = LabelledTransaction()
        tx.put(TIMETABLE, item, condition=condition)
        if audit is not None:
            tx.put("audit", audit)
        tx.commit()
        return new_version

    def put_matches(self, event_id: str, stage_id: str, draw_id: str, matches: Iterable[Match], at: datetime) -> None:
        """Write a new draw's matches (under keys no one else points to yet, so a batch is safe: until the set-up
        names this draw nobody reads them)."""
        with CompetitionTable.batch_write() as batch:
            for match in matches:
                batch.save(
                    CompetitionTable(
                        event_id,
                        match_item_key(stage_id, draw_id, match.match_id),
                        data=_dump(match.to_dict()),
                        version=0,
                        updated_at=at,
                    )
                )

    def delete_draw(self, event_id: str, stage_id: str, draw_id: str) -> int:
        """Remove the matches of a draw that was replaced. Returns how many were deleted."""
        prefix = f"{_MATCH}{stage_id}#{draw_id}#"
        keys = [item.item for item in CompetitionTable.query(event_id, CompetitionTable.item.startswith(prefix))]
        with CompetitionTable.batch_write() as batch:
            for key in keys:
                batch.delete(CompetitionTable(event_id, key))
        return len(keys)

    def save_results(
        self,
        event_id: str,
        setup_version: int,
        changed: Sequence[tuple[str, str, Match, int]],
        by: str,
        at: datetime,
        audit: AuditTable | None = None,
    ) -> None:
        """Write changed matches (stage, draw, match, version read) in one transaction, each over the version it
        was read at, while the set-up is still the one read. Raises TransactionFailed otherwise."""
        tx = LabelledTransaction()
        tx.condition_check(
            SETUP, CompetitionTable, event_id, CompetitionTable.version == setup_version, range_key=SETUP_ITEM
        )
        for stage_id, draw_id, match, version in changed:
            tx.update(
                match.match_id,
                CompetitionTable(event_id, match_item_key(stage_id, draw_id, match.match_id)),
                actions=[
                    CompetitionTable.data.set(_dump(match.to_dict())),
                    CompetitionTable.version.set(version + 1),
                    CompetitionTable.updated_at.set(at),
                    CompetitionTable.updated_by.set(by),
                ],
                condition=CompetitionTable.version == version,
            )
        if audit is not None:
            tx.put("audit", audit)
        tx.commit()

    def put_marks(
        self, event_id: str, setup_version: int, stage_id: str, entry_id: str, judge: str, marks: dict, at: datetime
    ) -> None:
        """A judge's marks for an entry, while the set-up (the panel still open) is the one read."""
        item = CompetitionTable(event_id, marks_key(stage_id, entry_id, judge), data=_dump(marks), judge=judge,
                                updated_at=at, updated_by=judge)  # fmt: skip
        self._put_checked(event_id, setup_version, item)

    def put_performance(
        self, event_id: str, setup_version: int, stage_id: str, discipline: str, entry_id: str, data: dict, by: str,
        at: datetime,
    ) -> None:  # fmt: skip
        """A measured performance, while the set-up (the stage still open) is the one read."""
        item = CompetitionTable(event_id, performance_key(stage_id, discipline, entry_id), data=_dump(data),
                                updated_at=at, updated_by=by)  # fmt: skip
        self._put_checked(event_id, setup_version, item)

    def put_rounds(
        self, event_id: str, setup_version: int, stage_id: str, discipline: str, data: dict,
        expected_version: int | None, by: str, at: datetime, audit: AuditTable | None = None,
    ) -> int:  # fmt: skip
        """Write a discipline's rounds (a draw, a redraw, a close) over the version read (None: none yet), while the
        set-up is the one read. Returns the new version; raises TransactionFailed otherwise."""
        new_version = (expected_version or 0) + 1
        condition = (
            CompetitionTable.item.does_not_exist()
            if expected_version is None
            else CompetitionTable.version == expected_version
        )
        tx = LabelledTransaction()
        tx.condition_check(
            SETUP, CompetitionTable, event_id, CompetitionTable.version == setup_version, range_key=SETUP_ITEM
        )
        item = CompetitionTable(event_id, rounds_key(stage_id, discipline), data=_dump(data), version=new_version,
                                updated_at=at, updated_by=by)  # fmt: skip
        tx.put("rounds", item, condition=condition)
        if audit is not None:
            tx.put("audit", audit)
        tx.commit()
        return new_version

    def put_round_mark(
        self, event_id: str, setup_version: int, stage_id: str, discipline: str, round_code: str, entry_id: str,
        data: dict, rounds_version: int, by: str, at: datetime,
    ) -> None:  # fmt: skip
        """An entry's marks in a round, while the set-up and the discipline's rounds (the draw, the round open) are
        the ones read; bumps the rounds' version so a close made from an older read fails."""
        tx = LabelledTransaction()
        tx.condition_check(
            SETUP, CompetitionTable, event_id, CompetitionTable.version == setup_version, range_key=SETUP_ITEM
        )
        tx.update(
            "rounds",
            CompetitionTable(event_id, rounds_key(stage_id, discipline)),
            actions=[CompetitionTable.version.set(rounds_version + 1)],
            condition=CompetitionTable.version == rounds_version,
        )
        tx.put("item", CompetitionTable(event_id, round_mark_key(stage_id, discipline, round_code, entry_id),
                                        data=_dump(data), updated_at=at, updated_by=by))  # fmt: skip
        tx.commit()

    @staticmethod
    def _put_checked(event_id: str, setup_version: int, item: CompetitionTable) -> None:
        tx = LabelledTransaction()
        tx.condition_check(
            SETUP, CompetitionTable, event_id, CompetitionTable.version == setup_version, range_key=SETUP_ITEM
        )
        tx.put("item", item)
        tx.commit()


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
