"""Marks as officials write them (issue 19 item 4): result codes beside marks, and plausible ranges per discipline.

What an official may type in an attempt's box, besides a mark (``measured.parse_mark``)
    For the whole performance (typed alone, the other boxes blank), stored as ``status``:

    ======  ==============================  ==========================================
    code    meaning                         also accepted
    ======  ==============================  ==========================================
    DNS     did not start                   弃权, 未参赛, 缺赛
    DNF     did not finish                  未完成, 未跑完
    DQ      disqualified, optionally with   取消资格, 失格; ``DQ TR 17.3``, ``取消资格 TR16.8``
            a rule reference (≤ 20 chars)
    NM      no mark                         无成绩
    ======  ==============================  ==========================================

    For one attempt in a field event (a distance or points, never a time), stored in ``attempts``:

    ======  ==============================  ==========================================
    X       a foul (failed attempt)         x, ×, ✕, 犯规, 失败
    \\-      a pass (attempt not taken)      －, –, —, 免跳, 免掷, 免试
    r       retired (no further attempts)   R, 退出, 退赛
    ======  ==============================  ==========================================

    Upper or lower case and full-width letters from a Chinese input method are read alike (NFKC, then case folded).
    A performance whose attempts hold no valid mark (all fouls, passes or blank, as blank meant before codes) is NM.

Ranking
    Entries with a mark are placed (``measured``); the others are unplaced and listed after them in the order of
    ``measured.UNPLACED_ORDER``: NM (competed, no valid mark), DNF (started, did not finish), DQ, DNS, then those
    with no result entered yet; within one code by entry id. Unplaced entries score no place points and no unit points.

Stored data
    ``{"attempts": ["12.34" | "X" | "-" | "r" | null, ...], "status": "DNS" | "DNF" | "DQ" | "NM", "rule": "..."}``;
    data stored before codes (marks and nulls, no status) reads unchanged. ``stored_attempt`` and ``stored_status``
    check what is read, so a damaged value is salvaged rather than shown.

Plausible ranges
    A discipline may set ``min_mark``/``max_mark``; otherwise its ``event`` code, or failing that its name (``男子
    100 米``, ``Women's long jump``), picks a row of ``EVENT_RANGES``. Times: the lower bound is the outright (men's)
    World Athletics world record (worldathletics.org/records/by-category/world-records, as of 2025; swimming: World
    Aquatics long-course records), the upper bound a slow walk at 1 m/s (3.6 km/h: 100 s for a 100 m, so an older
    runner's 1:02 still counts; a swimmer 3 s a metre).
    Distances: the upper bound is the outright world record, the lower a short effort that still counts. A mark
    outside its range is refused, naming the range; a discipline matching no row keeps the general ``MAX_MARKS``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.competition.measured import (
    MarkInvalid,
    Measure,
    format_mark,
    parse_mark,
    stored_mark,
)

DNS, DNF, DQ, NM = "DNS", "DNF", "DQ", "NM"
FOUL, PASS, RETIRED = "X", "-", "r"
STATUSES = (DNS, DNF, DQ, NM)
ATTEMPT_CODES = (FOUL, PASS, RETIRED)
MAX_RULE = 20

# What officials type (after NFKC and case folding) → the code stored.
_WORDS: dict[str, str] = {
    "dns": DNS, "弃权": DNS, "未参赛": DNS, "缺赛": DNS,
    "dnf": DNF, "未完成": DNF, "未跑完": DNF,
    "dq": DQ, "取消资格": DQ, "失格": DQ,
    "nm": NM, "无成绩": NM,
    "x": FOUL, "×": FOUL, "✕": FOUL, "犯规": FOUL, "失败": FOUL,
    "-": PASS, "–": PASS, "—": PASS, "免跳": PASS, "免掷": PASS, "免试": PASS,
    "r": RETIRED, "退出": RETIRED, "退赛": RETIRED,
}  # fmt: skip
_DQ_WITH_RULE = re.compile(r"(dq|取消资格|失格)[\s:：(（]+([^()（）]{1,40}?)[)）]?", re.IGNORECASE)
_WORDISH = re.compile(r"[^0-9.:\s]")
_RULE = re.compile(r"[A-Za-z0-9 .\-/]{1,20}")


class Performance(NamedTuple):
    """What was entered for one entrant: attempts (marks as stored text, attempt codes, or None) or a status."""

    attempts: tuple[str | None, ...] = ()
    status: str | None = None
    rule: str | None = None

    def data(self) -> dict[str, object]:
        data: dict[str, object] = {"attempts": list(self.attempts)}
        if self.status:
            data["status"] = self.status
        if self.rule:
            data["rule"] = self.rule
        return data


def _code_of(written: str) -> str | None:
    return _WORDS.get(written.casefold())


def _status_of(written: str, index: int) -> tuple[str, str | None] | None:
    """The performance status typed in ``written`` (and a DQ's rule reference), or None if it is not one."""
    code = _code_of(written)
    if code in STATUSES:
        return code, None
    matched = _DQ_WITH_RULE.fullmatch(written)
    if matched is None:
        return None
    rule = matched[2].strip()
    if not _RULE.fullmatch(rule):
        message = f"{written!r}: a rule reference is up to {MAX_RULE} letters and digits"
        raise MarkInvalid("rule_reference", message, index=index)
    return DQ, rule


def parse_performance(
    measure: Measure, texts: Sequence[str | None], bounds: tuple[Decimal, Decimal] | None = None
) -> Performance:
    """What the official typed in a performance's boxes: marks (each within ``bounds``, see ``mark_range``),
    attempt codes, or one status alone. Raises ``MarkInvalid`` with ``index`` set (the attempt) for anything else."""
    written = [unicodedata.normalize("NFKC", text or "").strip() for text in texts]
    statuses = [(index, found) for index, text in enumerate(written) if text and (found := _status_of(text, index))]
    if statuses:
        index, (status, rule) = statuses[0]
        if sum(1 for text in written if text) > 1:
            raise MarkInvalid("status_alone", f"{status} is written alone, the other attempts blank", index=index)
        return Performance((), status, rule)
    attempts: list[str | None] = []
    for index, text in enumerate(written):
        attempts.append(_attempt(measure, text, index, attempts, bounds))
    return Performance(tuple(attempts))


def _attempt(
    measure: Measure, text: str, index: int, before: Sequence[str | None], bounds: tuple[Decimal, Decimal] | None
) -> str | None:
    if RETIRED in before and text:
        raise MarkInvalid("after_retired", "no attempt after the athlete retired (r)", index=index)
    if not text:
        return None
    code = _code_of(text)
    if code in ATTEMPT_CODES:
        if measure == Measure.TIME:
            raise MarkInvalid("attempt_code_time", f"{text!r}: X, - and r are for field events", index=index)
        return code
    try:
        mark = parse_mark(measure, text)
        check_range(measure, bounds, mark)
    except MarkInvalid as problem:  # a mark mistyped (12.3.4) keeps its message; a word gets the list of codes
        code = "attempt_format" if problem.code == "mark_format" and _WORDISH.search(text) else problem.code
        context = problem.context
        if code == "mark_too_large" and bounds is not None:  # 999999 for a 100 m: name the discipline's range
            code, context = f"mark_implausible_{measure}", bounds_context(bounds)
        raise MarkInvalid(code, str(problem), index=index, context=context) from problem
    return str(mark)


def field_problem(problem: MarkInvalid, typed: Sequence[str | None], names: Mapping[str, str]) -> dict[str, Any]:
    """A refusal of ``parse_performance`` as a field problem at ``attempts.<n>`` (chalicelib.errors.InvalidInput),
    its context naming the input, a range's bounds and ``names`` (the discipline's, which the range message uses)."""
    index = problem.index or 0
    context = {"input": typed[index] if index < len(typed) else "", **problem.context, **names}
    return {"type": problem.code, "loc": ("attempts", index), "msg": str(problem), "ctx": context}


def meet_marks(
    entered: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> tuple[dict[str, dict[str, list[Decimal | None]]], dict[str, dict[str, str]]]:
    """Stored performances (discipline → entry → data) as ``stages.measured_outcome`` ranks them: each entry's
    attempts as marks (codes and blanks: None), and the codes of the entries with no valid mark (``status_of``)."""
    performances = {
        discipline: {entry: [attempt_mark(value) for value in data.get("attempts", [])] for entry, data in rows.items()}
        for discipline, rows in entered.items()
    }
    statuses = {
        discipline: {entry: code for entry, data in rows.items() if (code := status_of(data))}
        for discipline, rows in entered.items()
    }
    return performances, statuses


def attempt_mark(value: str | None) -> Decimal | None:
    """An attempt as ranking sees it: its mark, or None for a code or a blank."""
    return None if value is None or value in ATTEMPT_CODES else Decimal(value)


def attempt_text(measure: Measure, value: str | None) -> str:
    """An attempt as results show it: ``1:02.35``, ``X``, ``-``, ``r`` or blank."""
    if value is None:
        return ""
    return value if value in ATTEMPT_CODES else format_mark(measure, Decimal(value))


def performance_texts(measure: Measure, data: Mapping[str, object]) -> list[str]:
    """A stored performance as an official would type it again: its result code (``DQ TR 17.3``) alone, or each
    attempt (``attempt_text``)."""
    status = data.get("status")
    if isinstance(status, str):
        rule = data.get("rule")
        return [f"{status} {rule}" if isinstance(rule, str) and rule else status]
    attempts = data.get("attempts")
    return [attempt_text(measure, value) for value in attempts] if isinstance(attempts, list) else []


def stored_attempt(value: object) -> str:
    """An attempt as stored: an attempt code or a mark (``measured.stored_mark``); raises ``MarkInvalid`` else."""
    return value if isinstance(value, str) and value in ATTEMPT_CODES else stored_mark(value)


def stored_status(value: object) -> str:
    if not isinstance(value, str) or value not in STATUSES:
        raise MarkInvalid("status", f"{value!r} is not a result code")
    return value


def stored_rule(value: object) -> str:
    if not isinstance(value, str) or not _RULE.fullmatch(value):
        raise MarkInvalid("rule_reference", f"{value!r} is not a rule reference")
    return value


def status_of(data: Mapping[str, object] | None) -> str | None:
    """The code of an entered performance with no valid mark (its status, else NM); None when it has a mark or
    nothing was entered."""
    if data is None:
        return None
    status = data.get("status")
    if isinstance(status, str) and status in STATUSES:
        return status
    attempts = data.get("attempts")
    marks = [value for value in attempts if attempt_mark(value) is not None] if isinstance(attempts, list) else []
    return None if marks else NM


# ---- plausible ranges ------------------------------------------------------------------------------------------


class EventRange(NamedTuple):
    event: str
    measure: Measure
    low: Decimal
    high: Decimal
    source: str


def _run(event: str, metres: int, record: str, source: str) -> EventRange:
    return EventRange(event, Measure.TIME, Decimal(record), Decimal(metres), source)


def _swim(event: str, metres: int, record: str, source: str) -> EventRange:
    return EventRange(event, Measure.TIME, Decimal(record), Decimal(metres) * 3, source)


def _field(event: str, low: str, record: str, source: str) -> EventRange:
    return EventRange(event, Measure.DISTANCE, Decimal(low), Decimal(record), source)


EVENT_RANGES: dict[str, EventRange] = {
    row.event: row
    for row in (
        _run("100m", 100, "9.58", "WR Usain Bolt, Berlin 2009"),
        _run("200m", 200, "19.19", "WR Usain Bolt, Berlin 2009"),
        _run("400m", 400, "43.03", "WR Wayde van Niekerk, Rio 2016"),
        _run("800m", 800, "100.91", "WR David Rudisha, London 2012 (1:40.91)"),
        _run("1500m", 1500, "206.00", "WR Hicham El Guerrouj, Rome 1998 (3:26.00)"),
        _run("5000m", 5000, "755.36", "WR Joshua Cheptegei, Monaco 2020 (12:35.36)"),
        _run("10000m", 10000, "1571.00", "WR Joshua Cheptegei, Valencia 2020 (26:11.00)"),
        _run("100mh", 100, "12.12", "WR Tobi Amusan, Eugene 2022"),
        _run("110mh", 110, "12.80", "WR Aries Merritt, Brussels 2012"),
        _run("400mh", 400, "45.94", "WR Karsten Warholm, Tokyo 2021"),
        _run("4x100m", 400, "36.84", "WR Jamaica, London 2012"),
        _run("4x400m", 1600, "174.29", "WR United States, Stuttgart 1993 (2:54.29)"),
        _field("long_jump", "1.00", "8.95", "WR Mike Powell, Tokyo 1991"),
        _field("triple_jump", "3.00", "18.29", "WR Jonathan Edwards, Gothenburg 1995"),
        _field("high_jump", "0.50", "2.45", "WR Javier Sotomayor, Salamanca 1993"),
        _field("pole_vault", "1.00", "6.30", "WR Armand Duplantis, Tokyo 2025"),
        _field("standing_long_jump", "0.30", "3.73", "best on record: Byron Jones, 2015 (no WA event)"),
        _field("shot_put", "1.00", "23.56", "WR Ryan Crouser, Los Angeles 2023"),
        _field("discus", "2.00", "76.80", "WR (women) Gabriele Reinsch, Neubrandenburg 1988"),
        _field("javelin", "2.00", "98.48", "WR Jan Železný, Jena 1996"),
        _field("hammer", "2.00", "86.74", "WR Yuriy Sedykh, Stuttgart 1986"),
        _swim("swim_50m_free", 50, "20.91", "World Aquatics LCM WR César Cielo, 2009"),
        _swim("swim_100m_free", 100, "46.40", "World Aquatics LCM WR Pan Zhanle, Paris 2024"),
    )
}
EVENTS = tuple(EVENT_RANGES)

# A discipline's name → its event, tried in order (NFKC, case folded, spaces removed); the first match wins.
_NAMES: tuple[tuple[str, str], ...] = (
    (r"(游泳|swim).*(50m|50米)|(50m|50米).*(自由泳|free)", "swim_50m_free"),
    (r"(游泳|swim).*(100m|100米)|(100m|100米).*(自由泳|free)", "swim_100m_free"),
    (r"4[x×*]100(m|米)", "4x100m"),
    (r"4[x×*]400(m|米)", "4x400m"),
    (r"100(m|米)(栏|hurdles)", "100mh"),
    (r"110(m|米)(栏|hurdles)", "110mh"),
    (r"400(m|米)(栏|hurdles)", "400mh"),
    (r"(^|[^0-9])10000(m|米)", "10000m"),
    (r"(^|[^0-9])5000(m|米)", "5000m"),
    (r"(^|[^0-9])1500(m|米)", "1500m"),
    (r"(^|[^0-9])800(m|米)", "800m"),
    (r"(^|[^0-9x×])400(m|米)", "400m"),
    (r"(^|[^0-9])200(m|米)", "200m"),
    (r"(^|[^0-9x×])100(m|米)", "100m"),
    (r"立定跳远|standinglongjump", "standing_long_jump"),
    (r"三级跳远|triplejump", "triple_jump"),
    (r"撑竿跳高|撑杆跳高|polevault", "pole_vault"),
    (r"跳远|longjump", "long_jump"),
    (r"跳高|highjump", "high_jump"),
    (r"铅球|shotput", "shot_put"),
    (r"铁饼|discus", "discus"),
    (r"标枪|javelin", "javelin"),
    (r"链球|hammer", "hammer"),
)
_NOT_RUNNING = re.compile(r"龙舟|dragon|趣味|接力棒|袋鼠|跳绳|拔河|游泳|swim")


def event_of(measure: Measure, name_zh: str, name_en: str | None = None) -> str | None:
    """The event a discipline's names say it is (``男子青年组 100 米`` → ``100m``), if it is one of the table's and
    of the same measure; None for a dragon boat, a fun game or anything else."""
    for name in (name_zh, name_en or ""):
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name).casefold())
        for pattern, event in _NAMES:
            is_swim = event.startswith("swim")
            if re.search(pattern, text) and (is_swim or not _NOT_RUNNING.search(text)):
                return event if EVENT_RANGES[event].measure == measure else None
    return None


def mark_range(
    measure: Measure, event: str | None, name_zh: str, name_en: str | None = None,
    min_mark: Decimal | None = None, max_mark: Decimal | None = None,
) -> tuple[Decimal, Decimal] | None:  # fmt: skip
    """The plausible range of a discipline's marks: its own bounds over its event's (by code, else by name)."""
    row = EVENT_RANGES.get(event or "") or EVENT_RANGES.get(event_of(measure, name_zh, name_en) or "")
    if row is not None and row.measure != measure:
        row = None
    if row is None and min_mark is None and max_mark is None:
        return None
    low = min_mark if min_mark is not None else (row.low if row else Decimal(0))
    high = max_mark if max_mark is not None else (row.high if row else Decimal(100_000))
    return low, high


class Ranged(Protocol):
    """What ``discipline_range`` reads of a discipline (chalicelib.domain.competition.setup.Discipline)."""

    @property
    def measure(self) -> str: ...
    @property
    def event(self) -> str | None: ...
    @property
    def name_zh(self) -> str: ...
    @property
    def name_en(self) -> str | None: ...
    @property
    def min_mark(self) -> Decimal | None: ...
    @property
    def max_mark(self) -> Decimal | None: ...


def discipline_range(discipline: Ranged) -> tuple[Decimal, Decimal] | None:
    """A discipline's plausible range (``mark_range`` of its fields): the one rule page, API and imports use."""
    return mark_range(Measure(discipline.measure), discipline.event, discipline.name_zh, discipline.name_en,
                      discipline.min_mark, discipline.max_mark)  # fmt: skip


def check_range(measure: Measure, bounds: tuple[Decimal, Decimal] | None, mark: Decimal) -> None:
    """Raises ``MarkInvalid("mark_implausible_<measure>")`` (its context: ``low``, ``high``) for a mark outside."""
    if bounds is None:
        return
    low, high = bounds
    if not low <= mark <= high:
        message = f"{mark} is outside {low}..{high}"
        raise MarkInvalid(f"mark_implausible_{measure}", message, context=bounds_context(bounds))


def bounds_context(bounds: tuple[Decimal, Decimal]) -> dict[str, str]:
    return {name: f"{value.normalize():f}" for name, value in zip(("low", "high"), bounds, strict=True)}


def range_source(event: str) -> str:
    return EVENT_RANGES[event].source
