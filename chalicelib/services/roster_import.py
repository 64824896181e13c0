"""Importing a roster file: validate the whole file, check the admin may write every row's unit, then upsert.

The web route and ``devtools.import_roster`` (the command line) share ``check_roster``, so both apply the same
validation and the same policy before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.domain.access import Principal, can_import_into, require
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, Unit
from chalicelib.storage import Store
from chalicelib.storage.organisation import ImportOutcome

if TYPE_CHECKING:
    # The roster parser (large Unicode regexes, openpyxl) loads on the first import request, not at cold start.
    from chalicelib.domain.roster import RosterProblem, RosterResult


@dataclass(frozen=True)
class ImportReport:
    rows: int
    problems: tuple[RosterProblem, ...]
    outcome: ImportOutcome | None  # None when the file was rejected and nothing was written


def unit_lookup(units: list[Unit]) -> dict[str, str]:
    """Every way a roster may name a unit (Chinese name, short name, English name, id) to its id."""
    from chalicelib.domain.roster import unit_lookup_key

    lookup: dict[str, str] = {}
    for unit in units:
        for name in (unit.unit_id, unit.name_zh, unit.short_name, unit.name_en):
            if name:
                lookup[unit_lookup_key(name)] = unit.unit_id
    return lookup


def check_roster(store: Store, principal: Principal, data: bytes, filename: str) -> RosterResult:
    """Validate the whole file; if it is valid, require that ``principal`` may write every row's unit.

    A file with problems is returned as is (the admin sees every problem first); a valid file naming a unit the
    principal does not administer raises ``Forbidden``. Nothing is written either way.
    """
    units = store.units.children(SCHOOL_UNIT_ID)
    from chalicelib.domain.roster import parse_roster

    result = parse_roster(data, filename, unit_lookup(units), now().date())
    if result.ok:
        # All or nothing: a unit admin whose file names another unit writes no row at all.
        require(can_import_into(principal, {row.unit_id for row in result.rows}))
    return result


def import_roster(store: Store, principal: Principal, data: bytes, filename: str) -> ImportReport:
    result = check_roster(store, principal, data, filename)
    if not result.ok:
        return ImportReport(len(result.rows), result.problems, None)
    outcome = store.organisation.import_members(principal.staff_no, (row.to_member() for row in result.rows))
    return ImportReport(len(result.rows), (), outcome)
