"""Time in the union's world: China Standard Time (no daylight saving), and calendar months for listings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def now() -> datetime:
    return datetime.now(CHINA_TZ)


def calendar_month(moment: datetime) -> str:
    """The month an event is listed under, in China time, e.g. ``"2026-11"``."""
    local = moment.astimezone(CHINA_TZ)
    return f"{local.year:04d}-{local.month:02d}"


def _months(moment: datetime, count: int, step: int) -> list[str]:
    """``count`` calendar months from the month of ``moment``, ``step`` months apart (1: onwards, -1: backwards)."""
    local = moment.astimezone(CHINA_TZ)
    first = local.year * 12 + local.month - 1  # months since year 0
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, first + step * count, step)]


def months_from(moment: datetime, count: int) -> list[str]:
    """``count`` consecutive calendar months starting with the month of ``moment``."""
    return _months(moment, count, 1)


def months_before(moment: datetime, count: int) -> list[str]:
    """The month of ``moment`` and the ``count - 1`` months before it, newest first."""
    return _months(moment, count, -1)
