"""Roster import throughput: a realistic 5,000-member roster across 40 sub-unions, imported into DynamoDB Local.

Starts DynamoDB Local in memory on a free port (stopped again however the run ends), creates the tables under a
bench prefix, the school union with 40 sub-unions and a union admin to act as, then builds the roster in memory as
a hand-made sheet would come: a title row above Chinese headers, names padded with full-width spaces, birth dates in
several formats, phones with and without spaces or +86, short and full unit names. It times, on the same path as
``python -m devtools.import_roster``: (a) parsing and validation, (b) the first import (parse + batched writes),
(c) the same file again, which must leave every member unchanged. The last line is ``rows_per_s=<n>`` for (b).

    python -m bench.import_roster [--rows 5000]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import signal
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta

from bench.people import (
    CAMPUS_EAST,
    CAMPUS_MAIN,
    CAMPUS_SOUTH,
    MOBILE_PREFIXES,
    SUB_UNIONS,
    SubUnion,
    build_units,
    draw_name,
    years_before,
)
from chalicelib.domain.calendar import now
from chalicelib.domain.records import Gender, Member, Unit
from chalicelib.services.identity import principal_for
from chalicelib.services.roster_import import check_roster
from chalicelib.storage import get_store
from chalicelib.storage.organisation import ImportOutcome
from devtools import dynamodb_local
from devtools.import_roster import ProgressBar, write_rows
from devtools.tables import use_database

TABLE_PREFIX = "union-events-bench-"
ADMIN_STAFF_NO = "U0001"
SEED = 20_261_101
UNITS = 40

# The demo's 26 sub-unions and 14 more, so the bench has the 40 units of a large comprehensive university.
_MAIN, _EAST, _SOUTH = CAMPUS_MAIN, CAMPUS_EAST, CAMPUS_SOUTH
_MORE_SUB_UNIONS = (
    SubUnion("energy", "能源与动力工程学院", "能源学院", "School of Energy and Power Engineering", _MAIN, 14, 0.20),
    SubUnion("optics", "光学与电子信息学院", "光电学院", "School of Optoelectronics", _MAIN, 14, 0.25),
    SubUnion("arch", "建筑与城市规划学院", "建规学院", "School of Architecture and Urban Planning", _EAST, 10, 0.40),
    SubUnion("env", "环境科学与工程学院", "环境学院", "School of Environmental Engineering", _EAST, 10, 0.40),
    SubUnion("software", "软件学院", "软件学院", "School of Software Engineering", _MAIN, 10, 0.30),
    SubUnion("journalism", "新闻与信息传播学院", "新闻学院", "School of Journalism", _SOUTH, 8, 0.60),
    SubUnion("public-admin", "公共管理学院", "公管学院", "School of Public Administration", _SOUTH, 10, 0.50),
    SubUnion("education", "教育科学研究院", "教科院", "Institute of Education", _SOUTH, 6, 0.60),
    SubUnion("pharmacy", "药学院", "药学院", "School of Pharmacy", _EAST, 10, 0.55),
    SubUnion("nursing", "护理学院", "护理学院", "School of Nursing", _EAST, 8, 0.85),
    SubUnion("public-health", "公共卫生学院", "公卫学院", "School of Public Health", _EAST, 10, 0.55),
    SubUnion("naval", "船舶与海洋工程学院", "船海学院", "School of Naval Architecture", _MAIN, 8, 0.15),
    SubUnion("aero", "航空航天学院", "航天学院", "School of Aerospace Engineering", _MAIN, 8, 0.15),
    SubUnion("archives", "档案馆", "档案馆", "University Archives", _MAIN, 4, 0.70),
)  # fmt: skip
BENCH_SUB_UNIONS = (*SUB_UNIONS, *_MORE_SUB_UNIONS)[:UNITS]

# Names of Uyghur, Kazakh and other members, written with the middle dot in its many typed variants.
_TRANSLITERATED = (
    ("买买提·艾力", Gender.MALE),
    ("阿不都·热合曼", Gender.MALE),
    ("努尔兰·别克", Gender.MALE),
    ("古丽娜尔·吐尔逊", Gender.FEMALE),
    ("阿依古丽·买买提", Gender.FEMALE),
    ("热依拉·阿不都", Gender.FEMALE),
)
_DOT_VARIANTS = ("·", "•", "・", ".", "‧")

HEADER = ("序号", "工号", "姓名", "性别", "出生日期", "二级工会", "手机号", "邮箱", "状态", "备注")


def bench_units() -> list[Unit]:
    return list(build_units(BENCH_SUB_UNIONS))


def _birth_text(rng: random.Random, born: date) -> str:
    style = rng.choices(range(6), weights=(40, 20, 10, 15, 10, 5))[0]
    if style == 0:
        return born.isoformat()  # 1985-03-07
    if style == 1:
        return f"{born.year}/{born.month}/{born.day}"  # 1985/3/7, Excel's default in a Chinese locale
    if style == 2:
        return f"{born.year}.{born.month:02d}.{born.day:02d}"  # 1985.03.07
    if style == 3:
        return f"{born.year}年{born.month}月{born.day}日"  # 1985年3月7日
    if style == 4:
        return f"{born:%Y%m%d}"  # 19850307, typed into a number cell
    return f"{born.isoformat()} 00:00:00"  # a date cell exported with its time


def _phone_text(rng: random.Random, taken: set[str]) -> str:
    kind = rng.random()
    if kind < 0.08:
        return ""
    if kind < 0.15:
        return f"027-87{rng.randrange(10**6):06d}"  # an office landline
    mobile = ""
    while not mobile or mobile in taken:
        mobile = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    taken.add(mobile)
    style = rng.random()
    if style < 0.75:
        return mobile
    if style < 0.88:
        return f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    if style < 0.95:
        return f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
    return f"+86 {mobile}"


@dataclass(frozen=True)
class Roster:
    data: bytes
    rows: int
    women: int


def build_roster(rows: int, today: date) -> Roster:
    """A hand-made-looking CSV (UTF-8 with BOM, as Excel saves it) of ``rows`` members; deterministic."""
    rng = random.Random(SEED)
    weights = [sub.headcount for sub in BENCH_SUB_UNIONS]
    seq_by_year: dict[int, int] = {}
    phones: set[str] = set()
    women = 0
    sheet = io.StringIO()
    writer = csv.writer(sheet, lineterminator="\r\n")
    writer.writerow(["示范大学工会会员名册（二〇二六年度）"])
    writer.writerow(HEADER)
    for index in range(1, rows + 1):
        sub = rng.choices(BENCH_SUB_UNIONS, weights)[0]
        roll = rng.random()
        if roll < 0.08:
            status, age = "退休", rng.randint(60, 75)
            service = age - rng.randint(22, 30)
        elif roll < 0.09:
            status, age = "离职", rng.randint(26, 50)
            service = rng.randint(1, max(1, age - 25))
        else:
            status, age = rng.choice(("在职", "在职", "")), round(rng.triangular(23, 60, 38))
            service = rng.randint(0, age - 23)
        gender = Gender.FEMALE if rng.random() < sub.women_share else Gender.MALE
        if rng.random() < 0.005:
            name, gender = rng.choice(_TRANSLITERATED)
            name = name.replace("·", rng.choice(_DOT_VARIANTS))
        else:
            name = draw_name(rng, gender, age)
            if len(name) == 2 and rng.random() < 0.3:
                name = name[0] + rng.choice(("\u3000", "  ")) + name[1]  # padded to line up with three-character names
        women += gender is Gender.FEMALE
        # Mostly 男/女; a few sheets come from systems that export M/F.
        gender_text = ("女" if gender is Gender.FEMALE else "男") if rng.random() < 0.95 else gender.value
        born = years_before(today, age) - timedelta(days=rng.randint(1, 364))
        hire_year = today.year - service
        seq = seq_by_year[hire_year] = seq_by_year.get(hire_year, 0) + 1
        staff_no = f"{hire_year}{seq:04d}"
        unit_name = f"{sub.department_zh}分工会" if rng.random() < 0.7 else sub.short_name
        email = rng.choice((f"{staff_no}@demo.edu.cn", f"{staff_no}@DEMO.EDU.CN", "", ""))
        remark = rng.choice(("",) * 30 + ("工会小组长", "兼职", "外聘"))
        writer.writerow(
            [
                index,
                staff_no,
                name,
                gender_text,
                _birth_text(rng, born),
                unit_name,
                _phone_text(rng, phones),
                email,
                status,
                remark,
            ]
        )
    return Roster(("\ufeff" + sheet.getvalue()).encode("utf-8"), rows, women)


def _line(phase: str, rows: int, seconds: float, note: str = "") -> str:
    return f"{phase:<24} {rows:>7,} {seconds:>9.2f} {rows / seconds:>10,.0f}  {note}".rstrip()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(rows: int) -> int:
    # A SIGTERM (a CI timeout, kill) takes the same path as Ctrl-C, so the finally below still stops Java.
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.perf_counter()
    server = dynamodb_local.start(dynamodb_local.free_port())
    try:
        return _measure(server.endpoint, rows, time.perf_counter() - started)
    finally:
        server.stop()


def _measure(endpoint: str, rows: int, start_seconds: float) -> int:
    use_database(endpoint, TABLE_PREFIX, stage="dev")
    store = get_store()
    today = now().date()
    units = bench_units()
    store.units.put_many(units)
    admin = Member(
        ADMIN_STAFF_NO,
        "周建华",
        Gender.MALE,
        years_before(today, 48),
        "admin",
        roles=frozenset({"union_admin"}),
    )
    store.members.put_many([admin])
    principal = principal_for(store.members.get(ADMIN_STAFF_NO))

    roster = build_roster(rows, today)
    filename = "会员名册.csv"
    print(
        f"DynamoDB Local {endpoint} (started in {start_seconds:.1f} s, in memory); tables {TABLE_PREFIX}*\n"
        f"roster: {roster.rows:,} rows across {len(units) - 1} sub-unions, {roster.women / roster.rows:.0%} women, "
        f"{len(roster.data) / 1024:,.0f} KB CSV; acting as union admin {ADMIN_STAFF_NO}",
        flush=True,
    )

    def timed_import() -> tuple[float, float, ImportOutcome]:
        began = time.perf_counter()
        result = check_roster(store, principal, roster.data, filename)
        if not result.ok:
            shown = "\n".join(problem.message_en for problem in result.problems[:10])
            raise SystemExit(f"the generated roster was rejected:\n{shown}")
        checked = time.perf_counter()
        outcome = write_rows(store, ADMIN_STAFF_NO, result.rows, ProgressBar(sys.stderr))
        return checked - began, time.perf_counter() - checked, outcome

    parse_s, write_s, first = timed_import()
    reparse_s, rewrite_s, again = timed_import()

    stored = sum(1 for unit in units for _ in store.members.in_unit(unit.unit_id))
    expected_first = ImportOutcome(roster.rows, 0, 0)
    expected_again = ImportOutcome(0, 0, roster.rows)
    if first != expected_first or again != expected_again or stored != roster.rows + 1:
        print(f"unexpected: first {first}, again {again}, {stored:,} members stored", file=sys.stderr)
        return 1

    def counts(outcome: ImportOutcome) -> str:
        return f"{outcome.created:,} created / {outcome.updated:,} updated / {outcome.unchanged:,} unchanged"

    print(f"{'phase':<24} {'rows':>7} {'seconds':>9} {'rows/s':>10}")
    print(_line("(a) parse + validate", roster.rows, parse_s))
    print(_line("    writes alone", roster.rows, write_s))
    print(_line("(b) import", roster.rows, parse_s + write_s, counts(first)))
    print(_line("(c) re-import", roster.rows, reparse_s + rewrite_s, counts(again)))
    print(_line("    re-import writes", roster.rows, rewrite_s))
    print(f"{stored:,} members stored ({roster.rows:,} imported and the acting admin)")
    print(f"rows_per_s={roster.rows / (parse_s + write_s):.0f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    try:
        return run(args.rows)
    except dynamodb_local.LauncherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
