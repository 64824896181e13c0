"""The iCalendar writer (chalicelib.domain.ics), read back with the icalendar library as a calendar app would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.ics import CalendarEntry, calendar, escape_text, fold, uid

STAMP = datetime(2026, 11, 1, 2, 3, 4, tzinfo=UTC)


def _entry(**more: object) -> CalendarEntry:
    fields: dict[str, object] = {
        "uid": uid("E1"),
        "starts_at": datetime(2026, 11, 28, 14, 0, tzinfo=CHINA_TZ),
        "ends_at": datetime(2026, 11, 28, 16, 30, tzinfo=CHINA_TZ),
        "summary": "教职工羽毛球赛",
    }
    fields.update(more)
    return CalendarEntry(**fields)  # type: ignore[arg-type]


def _events(text: str) -> list[icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(text)
    return list(parsed.walk("VEVENT"))


def test_two_pm_in_china_is_six_utc_and_the_zone_is_declared() -> None:
    text = calendar([_entry()], name="工会活动", stamp=STAMP)
    (event,) = _events(text)
    start = event.decoded("DTSTART")
    assert start.astimezone(UTC) == datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2026, 11, 28, 8, 30, tzinfo=UTC)
    assert "DTSTART;TZID=Asia/Shanghai:20261128T140000\r\n" in text
    assert "DTSTAMP:20261101T020304Z\r\n" in text
    zone = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")[0]
    assert str(zone["TZID"]) == "Asia/Shanghai"
    standard = zone.walk("STANDARD")[0]
    assert standard.decoded("TZOFFSETTO") == timedelta(hours=8)
    assert str(event["UID"]) == "E1@union-events"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_every_line_ends_with_crlf_and_none_is_longer_than_75_octets() -> None:
    long_title = "第三十七届教职工运动会暨“健康校园，快乐工作”主题活动；男子组、女子组，混合团体接力" * 3
    text = calendar(
        [_entry(summary=long_title, description="说明\n" * 40, url="https://u.example.edu/events/E1")],
        name="日历",
        stamp=STAMP,
    )
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
        line.encode("utf-8").decode("utf-8")  # no character cut in two
    (event,) = _events(text)
    assert str(event["SUMMARY"]) == long_title
    assert str(event["DESCRIPTION"]) == "说明\n" * 40


def test_commas_semicolons_backslashes_and_newlines_in_chinese_titles_survive() -> None:
    title = "乒乓球赛，第一轮; 2号场\\A区\n下午场"
    location = "体育馆,3楼;东侧"
    text = calendar([_entry(summary=title, location=location)], name="名,字;", stamp=STAMP)
    (event,) = _events(text)
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == location
    assert "\r\nX-WR-CALNAME:名\\,字\\;\r\n" in text  # the library keeps unknown properties raw
    # One property per line: the title could not start a new one.
    assert text.count("\r\nSUMMARY:") == 1


def test_control_characters_cannot_inject_properties() -> None:
    text = calendar(
        [_entry(summary="a\rBEGIN:VEVENT\x00", url="https://x/\r\nSTATUS:CANCELLED")], name="n", stamp=STAMP
    )
    assert text.split("\r\n").count("BEGIN:VEVENT") == 1
    (event,) = _events(text)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == "https://x/STATUS:CANCELLED"


def test_cancelled_and_tentative_entries() -> None:
    text = calendar(
        [_entry(uid=uid("E1"), cancelled=True), _entry(uid=uid("E2", "s01"), tentative=True)], name="n", stamp=STAMP
    )
    first, second = _events(text)
    assert str(first["STATUS"]) == "CANCELLED"
    assert str(second["STATUS"]) == "TENTATIVE"
    assert str(second["UID"]) == "E2-s01@union-events"


def test_feed_asks_for_a_refresh_and_an_end_before_the_start_is_mended() -> None:
    start = datetime(2026, 11, 28, 14, 0, tzinfo=CHINA_TZ)
    text = calendar([_entry(starts_at=start, ends_at=start - timedelta(hours=1))], name="n", stamp=STAMP, feed=True)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    (event,) = _events(text)
    assert event.decoded("DTEND") == event.decoded("DTSTART")


def test_fold_and_escape_directly() -> None:
    assert fold("SUMMARY:short") == "SUMMARY:short"
    folded = fold("X:" + "汉" * 40)  # 3 octets each: 122 octets
    parts = folded.split("\r\n ")
    assert len(parts) == 2
    assert "".join(parts) == "X:" + "汉" * 40
    assert all(len(part.encode()) <= 74 for part in parts[1:])
    assert escape_text("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"
