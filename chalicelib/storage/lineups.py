"""Line-ups of team ties, in the event's competition partition (chalicelib.storage.tables.CompetitionTable).

``l#<stage>#<match>#<side>``: one side's line-up of one tie (JSON: the team, the players per position, who gave it
and when), ``version`` bumped on every change. A tie's two sides are one Query (``begins_with`` on
``l#<stage>#<match>#``), the whole event's another (``begins_with`` on ``l#``). A line-up is written over the
version it was read at (a new one only where none exists), so of two captains or admins of one team submitting at
once one wins and the other is told; the service checks the deadline before writing.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import NamedTuple

from chalicelib.storage.tables import AuditTable, CompetitionTable
from chalicelib.storage.writes import LabelledTransaction

_LINEUP = "l#"
LINEUP = "lineup"  # the transaction label of the line-up's write


def lineup_key(stage_id: str, match_id: str, side: str) -> str:
    return f"{_LINEUP}{stage_id}#{match_id}#{side}"


class StoredLineup(NamedTuple):
    stage_id: str
    match_id: str
    side: str
    entry_id: str  # the team it was given for (a redone draw may put another team in the slot)
    players: dict[str, tuple[str, ...]]  # position (rubber code or order letter) → 工号s
    version: int
    updated_at: datetime
    updated_by: str | None


def _record(item: CompetitionTable) -> StoredLineup:
    stage_id, match_id, side = item.item[len(_LINEUP) :].split("#", 2)
    data = json.loads(item.data)
    players = {code: tuple(str(staff_no) for staff_no in named) for code, named in data.get("players", {}).items()}
    return StoredLineup(
        stage_id, match_id, side, str(data.get("entry_id", "")), players, int(item.version), item.updated_at,
        item.updated_by,
    )  # fmt: skip


class Lineups:
    def for_match(self, event_id: str, stage_id: str, match_id: str) -> dict[str, StoredLineup]:
        """A tie's line-ups by side (one Query)."""
        prefix = f"{_LINEUP}{stage_id}#{match_id}#"
        query = CompetitionTable.query(event_id, CompetitionTable.item.startswith(prefix), consistent_read=True)
        return {lineup.side: lineup for lineup in map(_record, query)}

    def for_event(self, event_id: str) -> list[StoredLineup]:
        """Every line-up of the event's competition (one Query, paged by PynamoDB)."""
        query = CompetitionTable.query(event_id, CompetitionTable.item.startswith(_LINEUP), consistent_read=True)
        return [_record(item) for item in query]

    def put(
        self,
        event_id: str,
        lineup: StoredLineup,
        expected_version: int | None,
        at: datetime,
        audit: AuditTable | None = None,
    ) -> int:
        """Write a side's line-up over the version read (None: none may exist yet), with its audit entry. Returns
        the new version; raises TransactionFailed (label ``lineup``) when someone changed it meanwhile."""
        new_version = (expected_version or 0) + 1
        data = {"entry_id": lineup.entry_id, "players": {code: list(named) for code, named in lineup.players.items()}}
        item = CompetitionTable(
            event_id,
            lineup_key(lineup.stage_id, lineup.match_id, lineup.side),
            data=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
            version=new_version,
            updated_at=at,
            updated_by=lineup.updated_by,
        )
        condition = (
            CompetitionTable.item.does_not_exist()
            if expected_version is None
            else CompetitionTable.version == expected_version
        )
        tx = LabelledTransaction()
        tx.put(LINEUP, item, condition=condition)
        if audit is not None:
            tx.put("audit", audit)
        tx.commit()
        return new_version
