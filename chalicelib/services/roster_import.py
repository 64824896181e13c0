"""Importing a roster file: validate the whole file, check the admin may make every row's change, then upsert.

The web route and ``devtools.import_roster`` (the command line) share ``check_roster``, so both apply the same
validation and the same member change policy (chalicelib.domain.access) before anything is written: a row the
importer may not make (a member of another unit, a union admin, someone whose admin rights 离职 would end, ...) is
a problem of the file like any other, reported with its row and reason, and nothing at all is written.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from chalicelib.domain.access import MemberChange, MemberChangeRefusal, Principal, member_change_refusal
from chalicelib.domain.calendar import now
from chalicelib.domain.language import localized_text
from chalicelib.domain.records import SCHOOL_UNIT_ID, Member, MemberStatus, Unit
from chalicelib.i18n import N_, translate
from chalicelib.storage import Store
from chalicelib.storage.organisation import MEMBER_FIELDS, ImportOutcome

if TYPE_CHECKING:
    # The roster parser (large Unicode regexes, openpyxl) loads on the first import request, not at cold start.
    from chalicelib.domain.roster import RosterProblem, RosterResult, RosterRow
    from chalicelib.domain.xlsx_guard import XlsxRefused

# Refused rows reported one by one; beyond this, one line counts the rest (as the parser does for its problems).
MAX_REPORTED_REFUSALS = 500
REFUSED_PREFIX = "member_change."  # the codes of rows the importer may not change start with this

# Why a row is refused, as the reason in "row {row}, {column}: {reason}".
_REFUSAL_REASONS: dict[MemberChangeRefusal, str] = {
    MemberChangeRefusal.MEMBER_UNIT: N_("roster.refused.member_unit"),
    MemberChangeRefusal.TARGET_UNIT: N_("roster.refused.target_unit"),
    MemberChangeRefusal.UNION_ADMIN: N_("roster.refused.union_admin"),
    MemberChangeRefusal.APPOINT: N_("roster.refused.appoint"),
    MemberChangeRefusal.ADMIN_ELSEWHERE: N_("roster.refused.admin_elsewhere"),
    MemberChangeRefusal.OWN_RIGHTS: N_("roster.refused.own_rights"),
    MemberChangeRefusal.LAST_UNION_ADMIN: N_("roster.refused.last_union_admin"),
}


class ImportReport(NamedTuple):
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


def row_change(stored: Member | None, row: Member) -> MemberChange:
    """What importing ``row`` changes about the stored member (everything, for a new member)."""
    return MemberChange(
        fields={
            name: getattr(row, name)
            for name in MEMBER_FIELDS
            if stored is None or getattr(stored, name) != getattr(row, name)
        }
    )


def import_permit(principal: Principal) -> Callable[[Member | None, Member], bool]:
    """The member change policy as the store asks it again just before writing each batch of rows."""
    return lambda stored, row: member_change_refusal(principal, stored, row_change(stored, row)) is None


def problem_text(problem: RosterProblem, language: str) -> str:
    """A problem of a roster file in words: a cell's as "row N, column: what is wrong", the column named as the
    file's header would name it."""
    from chalicelib.domain.roster import COLUMN_HEADERS

    text = translate(problem.message, language, **problem.params)
    if not problem.in_cell:
        return text
    column = localized_text(*COLUMN_HEADERS[problem.column], language)
    return translate("roster.row", language, row=problem.row, column=column, problem=text)


def _refusal_problem(row: RosterRow, refusal: MemberChangeRefusal) -> RosterProblem:
    from chalicelib.domain.roster import RosterProblem

    column = "unit" if refusal is MemberChangeRefusal.TARGET_UNIT else "staff_no"
    value = row.unit_id if column == "unit" else row.staff_no
    reason = _REFUSAL_REASONS[refusal]
    return RosterProblem(row.row_number, column, refusal.value, reason, {"staff_no": row.staff_no}, value, in_cell=True)


def refused_rows(store: Store, principal: Principal, rows: Sequence[RosterRow]) -> list[RosterProblem]:
    """A problem for every row ``principal`` may not import, decided by the member change policy."""
    from chalicelib.domain.roster import RosterProblem

    if principal.union_admin:
        # A union admin administers every unit: only 离职 can be refused (their own, the last union admin's).
        rows = [row for row in rows if row.status is MemberStatus.LEFT]
    stored = store.organisation.members_by_staff_no(row.staff_no for row in rows)
    problems: list[RosterProblem] = []
    hidden = 0
    for row in rows:
        member = row.to_member()
        before = stored.get(row.staff_no)
        refusal = member_change_refusal(principal, before, row_change(before, member))
        if refusal is None:
            continue
        if len(problems) < MAX_REPORTED_REFUSALS:
            problems.append(_refusal_problem(row, refusal))
        else:
            hidden += 1
    if hidden:
        more = N_("roster.refused.more")
        problems.append(RosterProblem(0, "", f"{REFUSED_PREFIX}more", more, {"count": f"{hidden:,}"}))
    return problems


def check_roster(store: Store, principal: Principal, data: bytes, filename: str) -> RosterResult:
    """Validate the whole file and decide every valid row by the member change policy; write nothing.

    The result's problems are the file's problems and the rows ``principal`` may not import, in row order: the
    admin sees everything that stops the import at once. Any problem means nothing may be written.
    """
    units = store.units.children(SCHOOL_UNIT_ID)
    from chalicelib.domain.roster import RosterResult, parse_roster
    from chalicelib.domain.xlsx_guard import XlsxRefused

    try:
        result = parse_roster(data, filename, unit_lookup(units), now().date())
    except XlsxRefused as too_large:
        return RosterResult((), (spreadsheet_problem(too_large),))
    refused = refused_rows(store, principal, result.rows)
    if not refused:
        return result
    # In row order; the counts of problems not shown (row 0 when there are rows) stay at the end.
    problems = sorted((*result.problems, *refused), key=lambda problem: problem.row or math.inf)
    return RosterResult(result.rows, tuple(problems))


def spreadsheet_problem(refused: XlsxRefused) -> RosterProblem:
    """A sheet past a limit (chalicelib.domain.xlsx_guard) as the file's problem."""
    from chalicelib.domain.roster import RosterProblem, refusal_message

    key, params = refusal_message(refused)
    return RosterProblem(0, "", refused.code, key, params)


def is_refusal(problem: RosterProblem) -> bool:
    """Whether the problem is a row the importer may not change (not a fault of the file)."""
    return problem.code.startswith(REFUSED_PREFIX)


def import_roster(store: Store, principal: Principal, data: bytes, filename: str) -> ImportReport:
    result = check_roster(store, principal, data, filename)
    if not result.ok:
        return ImportReport(len(result.rows), result.problems, None)
    members = (row.to_member() for row in result.rows)
    outcome = store.organisation.import_members(principal.member_no, members, permit=import_permit(principal))
    return ImportReport(len(result.rows), (), outcome)
