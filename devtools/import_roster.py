"""Import a member roster (XLSX or CSV) from the command line, acting as an admin identified by 工号.

    python -m devtools.import_roster FILE --as 工号 [--dry-run]

Works on the configured stage (APP_STAGE, TABLE_PREFIX, DYNAMODB_ENDPOINT, as for the app) and applies the same
checks as an upload on the web: the acting admin must be a member who may sign in and administers a unit; the whole
file is validated first (any problem: the row-by-row report is printed and nothing is written); every row must be a
change the member change policy allows the admin (chalicelib.domain.access: a unit admin imports members of their
own units only, never a union admin, never sets themselves 离职), else the rows are reported and nothing is
written. Members are upserted by 工号, so running the same file again changes nothing,
and re-running after an interruption finishes the job. Progress goes to stderr, reports and the summary to stdout.

Exit codes: 0 imported (with --dry-run: the file is valid and may be imported); 1 the file has problems;
2 the acting admin is unknown or may not import this file; 3 the database failed part-way (run again to finish).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from pynamodb.exceptions import PynamoDBException

from chalicelib.domain.access import Access, may_enter
from chalicelib.domain.records import Member
from chalicelib.domain.roster import COLUMN_NAMES, RosterProblem, RosterRow
from chalicelib.errors import Conflict
from chalicelib.i18n import translate
from chalicelib.services.identity import may_sign_in, principal_for
from chalicelib.services.roster_import import check_roster, import_permit, is_refusal, problem_text
from chalicelib.settings import SettingsError, get_settings
from chalicelib.storage import Store, get_store
from chalicelib.storage.organisation import ImportOutcome

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_REFUSED = 2
EXIT_FAILED = 3

# Rows per call of the organisation's batched upsert: large enough to keep DynamoDB batches full, small enough for
# the progress bar to move. Each call writes its own roster.import audit entry per unit it touched.
CHUNK_ROWS = 500

Progress = Callable[[int, int], None]  # (rows written so far, rows in the file)


class ProgressBar:
    """``[#####.....] 2,000/5,000 rows 1,234 rows/s`` on a stream: redrawn in place on a terminal, a line per
    update otherwise (logs, CI). The rate counts from the first update, i.e. from the start of the writes."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.started: float | None = None
        self.interactive = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        clock = time.perf_counter()
        if self.started is None:
            self.started = clock
        elapsed = clock - self.started
        filled = self.width * done // total if total else self.width
        rate = f"{done / elapsed:,.0f} rows/s" if elapsed > 0 and done else "- rows/s"
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{total:,} rows {rate}"
        if self.interactive:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        elif done:
            self.stream.write(line + "\n")
        self.stream.flush()


def _where(problem: RosterProblem) -> str:
    if problem.row == 0:
        return "文件 file"
    if not problem.column:
        return f"第 {problem.row} 行 row {problem.row}"
    zh, en = (translate(COLUMN_NAMES[problem.column], language) for language in ("zh", "en"))
    return f"第 {problem.row} 行 row {problem.row}，列 column “{zh}” {en}"


def format_report(problems: tuple[RosterProblem, ...]) -> str:
    """Every problem: where it is (row and column), what is wrong in Chinese and English, and the value found."""
    lines = [
        f"文件未通过检查，未写入任何数据；共 {len(problems):,} 个问题：",
        f"The file was rejected and nothing was written; {len(problems):,} problem(s):",
    ]
    for problem in problems:
        lines.append("")
        where = _where(problem)
        lines.append(f"{where}（值 value: “{problem.value}”）" if problem.value else where)
        lines.append(f"  {problem_text(problem, 'zh')}")
        lines.append(f"  {problem_text(problem, 'en')}")
    return "\n".join(lines)


def _units_summary(rows: tuple[RosterRow, ...]) -> str:
    counts = Counter(row.unit_id for row in rows)
    return ", ".join(f"{unit_id} {count:,}" for unit_id, count in sorted(counts.items()))


class ImportInterrupted(Exception):
    """The database failed part-way; ``written`` rows (whole chunks) were stored, the cause is chained."""

    def __init__(self, written: int) -> None:
        super().__init__(f"import stopped after {written} rows")
        self.written = written


def write_rows(
    store: Store,
    actor: str,
    rows: Sequence[RosterRow],
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    permit: Callable[[Member | None, Member], bool] | None = None,
) -> ImportOutcome:
    """Upsert checked rows through the organisation's batched, idempotent import, a chunk at a time, reporting
    progress after each chunk; the counts are summed over the chunks. ``permit``: the member change policy, asked
    again against what is stored just before each batch is written (see ``Organisation.import_members``)."""
    total = len(rows)
    created = updated = unchanged = 0
    if progress is not None:
        progress(0, total)
    for start in range(0, total, chunk_rows):
        chunk = rows[start : start + chunk_rows]
        try:
            outcome = store.organisation.import_members(actor, (row.to_member() for row in chunk), permit=permit)
        except PynamoDBException as error:
            raise ImportInterrupted(start) from error
        created += outcome.created
        updated += outcome.updated
        unchanged += outcome.unchanged
        if progress is not None:
            progress(start + len(chunk), total)
    return ImportOutcome(created, updated, unchanged)


def run_import(
    store: Store,
    actor_staff_no: str,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    *,
    chunk_rows: int = CHUNK_ROWS,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Check and (unless ``dry_run``) import a roster file as the member ``actor_staff_no``; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    staff_no = actor_staff_no.strip().upper()
    member = store.members.get(staff_no)
    if not may_sign_in(member):
        print(
            f"找不到可登录的会员“{staff_no}”，无法以其身份导入 / no member {staff_no!r} who may sign in; "
            "cannot import as them",
            file=err,
        )
        return EXIT_REFUSED
    principal = principal_for(member)
    if not may_enter(principal, Access.UNIT_ADMIN):
        print(
            f"{staff_no}（{member.name}）不是管理员，不能导入会员名册 / {staff_no} is not an admin and may not import "
            "rosters",
            file=err,
        )
        return EXIT_REFUSED

    result = check_roster(store, principal, data, filename)
    if not result.ok:
        print(format_report(result.problems), file=out)
        refused = sum(1 for problem in result.problems if is_refusal(problem))
        if not refused:
            return EXIT_INVALID
        scope = "全部 all" if principal.union_admin else ", ".join(sorted(principal.admin_of)) or "-"
        print(
            f"{staff_no}（{member.name}，管理 {scope}）无权导入文件中的 {refused:,} 行（见上方报告）；未写入任何数据 / "
            f"{staff_no} (administers {scope}) may not import {refused:,} row(s) of the file (see the report); "
            "nothing was written",
            file=err,
        )
        return EXIT_REFUSED

    rows = result.rows
    total = len(rows)
    if dry_run:
        print(
            f"检查通过（试运行，未写入）：{total:,} 行 / dry run: {total:,} rows are valid and may be imported by "
            f"{staff_no}; nothing was written ({_units_summary(rows)})",
            file=out,
        )
        return EXIT_OK

    started = time.perf_counter()
    try:
        outcome = write_rows(store, member.staff_no, rows, progress, chunk_rows, import_permit(principal))
    except Conflict:
        print(
            "\n导入期间有会员被他人修改，部分行已不能由您导入；导入已停止，请重新运行查看报告 / members were changed "
            "by someone else during the import and some rows may no longer be imported by you; the import stopped: "
            "run the same command again to see the report",
            file=err,
        )
        return EXIT_REFUSED
    except ImportInterrupted as stopped:
        error = stopped.__cause__
        print(
            f"\n导入在第 {stopped.written:,} 行后中断：重新运行同一命令即可完成导入 / the import stopped after "
            f"{stopped.written:,} rows ({type(error).__name__}: {error}); run the same command again to finish "
            "(rows already written are left as they are)",
            file=err,
        )
        return EXIT_FAILED
    elapsed = time.perf_counter() - started
    created, updated, unchanged = f"{outcome.created:,}", f"{outcome.updated:,}", f"{outcome.unchanged:,}"
    print(
        f"导入完成：新增 {created}，更新 {updated}，未变 {unchanged}（共 {total:,} 行，{elapsed:.1f} 秒） / "
        f"imported {total:,} rows: {created} created, {updated} updated, {unchanged} unchanged in {elapsed:.1f} s",
        file=out,
    )
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.import_roster", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="the roster: .xlsx or .csv (UTF-8 or GBK)")
    parser.add_argument("--as", dest="actor", required=True, metavar="工号", help="staff number of the acting admin")
    parser.add_argument("--dry-run", action="store_true", help="check the file and the permissions; write nothing")
    args = parser.parse_args(argv)
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"无法读取文件 / cannot read {args.file}: {error.strerror or error}", file=sys.stderr)
        return EXIT_REFUSED

    try:
        settings = get_settings()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_REFUSED
    where = settings.dynamodb_endpoint or f"DynamoDB {settings.aws_region}"
    print(f"stage {settings.stage}: tables {settings.table_prefix}* on {where}", file=sys.stderr)
    try:
        return run_import(
            get_store(),
            args.actor,
            data,
            args.file.name,
            dry_run=args.dry_run,
            progress=ProgressBar(sys.stderr),
        )
    except PynamoDBException as error:
        # Reading the admin or the units failed; nothing was written.
        print(f"数据库不可用 / the database did not answer ({where}): {error}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
