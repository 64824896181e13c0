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


def months_from(moment: datetime, count: int) -> list[str]:
    """``count`` consecutive calendar months starting with the month of ``moment``."""
    local = moment.astimezone(CHINA_TZ)
    year, month = local.year, local.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def months_before(moment: datetime, count: int) -> list[str]:
    """The month of ``moment`` and the ``count - 1`` months before it, newest first."""
    local = moment.astimezone(CHINA_TZ)
    year, month = local.year, local.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months
