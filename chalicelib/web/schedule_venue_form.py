"""The venue form of the schedule page: the courts, the sessions they are open, how long a match takes, the rest
between matches, rounds kept together, referees, and for a league each team's home courts and the matchday times.

``VenueReader`` turns the posted fields into the venue document chalicelib.services.schedule.set_venue takes, each
problem noted under its part of the form (nothing is sent when there is one); ``venue_values`` fills the form in
again from a stored venue. Courts are named in the other fields by their number or either of their names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any, NamedTuple

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition.timetable import COURT_ID, DEFAULT_SLOT_MINUTES, Venue
from chalicelib.errors import InvalidInput
from chalicelib.i18n import N_, translate
from chalicelib.web.competition_common import read_whole, typed_text
from chalicelib.web.competition_setup_form import SEPARATORS
from chalicelib.web.forms import first_value
from chalicelib.web.manage_common import problem_messages

BLANK_COURTS = 2
BLANK_SESSIONS = 1
MAX_COURTS = 64
MAX_SESSIONS = 60
MAX_WINDOWS = 4
_COURT_ID = re.compile(COURT_ID)
# Where a problem the service finds in the venue goes on the form (the first part of its location).
_SECTIONS = {
    "courts": "courts",
    "sessions": "sessions",
    "slot_minutes": "slot_minutes",
    "rest_minutes": "rest_minutes",
    "home_venues": "homes",
    "matchday_times": "matchday",
}


class StageField(NamedTuple):
    """A stage of the competition whose matches take court time: its id and name on the form."""

    stage_id: str
    name: str


def _rows(fields: dict[str, list[str]], names: Sequence[str]) -> list[dict[str, str]]:
    columns = [fields.get(name, []) for name in names]
    count = max((len(column) for column in columns), default=0)
    return [
        {
            name: typed_text(column[index]) if index < len(column) else ""
            for name, column in zip(names, columns, strict=True)
        }
        for index in range(count)
    ]


def posted_venue(fields: dict[str, list[str]], stages: Sequence[StageField]) -> dict[str, Any]:
    """The venue form's values as posted (shown again with the problems)."""
    courts = _rows(fields, ("court_id", "court_name_zh", "court_name_en"))
    return {
        "courts": [
            {"court_id": r["court_id"], "name_zh": r["court_name_zh"], "name_en": r["court_name_en"]} for r in courts
        ],
        "sessions": [
            {
                "day": r["session_day"],
                "start": r["session_start"],
                "end": r["session_end"],
                "courts": r["session_courts"],
            }
            for r in _rows(fields, ("session_day", "session_start", "session_end", "session_courts"))
        ],
        "slot_minutes": first_value(fields, "slot_minutes"),
        "stage_minutes": {stage.stage_id: first_value(fields, f"slot_{stage.stage_id}") for stage in stages},
        "rest_minutes": first_value(fields, "rest_minutes"),
        "together": bool(first_value(fields, "together")),
        "referees": bool(first_value(fields, "referees")),
        "windows": [
            {"start": r["window_start"], "end": r["window_end"]} for r in _rows(fields, ("window_start", "window_end"))
        ],
        "homes": {r["home_entry"]: r["home_courts"] for r in _rows(fields, ("home_entry", "home_courts"))},
    }


def blank_values(first_day: date) -> dict[str, Any]:
    """A new venue's form: the slot length the scheduler assumes, no rest, the sessions on the event's first day."""
    return {
        "courts": [],
        "sessions": [],
        "slot_minutes": str(DEFAULT_SLOT_MINUTES),
        "stage_minutes": {},
        "rest_minutes": "0",
        "together": False,
        "referees": False,
        "windows": [],
        "homes": {},
        "first_day": first_day.isoformat(),
    }


def venue_values(venue: Venue, first_day: date) -> dict[str, Any]:
    """The form filled in from a stored venue."""
    names = {court.court_id: court.name_zh for court in venue.courts}

    def named(ids: Sequence[str]) -> str:
        return "、".join(names.get(court_id, court_id) for court_id in ids)

    return {
        "courts": [{"court_id": c.court_id, "name_zh": c.name_zh, "name_en": c.name_en or ""} for c in venue.courts],
        "sessions": [
            {
                "day": session.start.astimezone(CHINA_TZ).date().isoformat(),
                "start": session.start.astimezone(CHINA_TZ).strftime("%H:%M"),
                "end": session.end.astimezone(CHINA_TZ).strftime("%H:%M"),
                "courts": named(session.courts),
            }
            for session in venue.sessions
        ],
        "slot_minutes": str(venue.slot_minutes),
        "stage_minutes": {item.stage_id: str(item.minutes) for item in venue.stage_minutes},
        "rest_minutes": str(venue.rest_minutes),
        "together": venue.together,
        "referees": venue.referees,
        "windows": [{"start": w.start.strftime("%H:%M"), "end": w.end.strftime("%H:%M")} for w in venue.matchday_times],
        "homes": {home.entry_id: named(home.courts) for home in venue.home_venues},
        "first_day": first_day.isoformat(),
    }


def form_rows(values: dict[str, Any], bad_rows: dict[str, set[int]] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows the form shows: what is there and a few blank ones to add to (a blank session on the first day);
    each row ``bad`` when a problem is in it."""
    bad_rows = bad_rows or {}
    rows = {
        "courts": (values["courts"] + [{}] * BLANK_COURTS)[:MAX_COURTS],
        "sessions": (values["sessions"] + [{"day": values.get("first_day", "")}] * BLANK_SESSIONS)[:MAX_SESSIONS],
        "windows": (values["windows"] + [{}])[:MAX_WINDOWS],
    }
    return {
        section: [{**row, "bad": index in bad_rows.get(section, ())} for index, row in enumerate(found)]
        for section, found in rows.items()
    }


class VenueReader:
    """The posted venue read into the service's document; ``errors`` holds each problem under its form part."""

    def __init__(self, values: dict[str, Any], stages: Sequence[StageField], language: str, league: bool) -> None:
        self.values = values
        self.stages = stages
        self.language = language
        self.league = league
        self.errors: dict[str, str] = {}
        self.bad_rows: dict[str, set[int]] = {"courts": set(), "sessions": set(), "windows": set()}
        self._courts: dict[str, str] = {}  # a court's number or either name (casefolded) -> its number

    def _problem(self, field: str, message_id: str, **params: object) -> None:
        self.errors.setdefault(field, translate(message_id, self.language, **params))

    def _whole(self, field: str, text: str, low: int, high: int, blank: int | None = None) -> int | None:
        if not text and blank is not None:
            return blank
        number = read_whole(text)
        if number is None or not low <= number <= high:
            self._problem(field, "competition.manage.setup.whole", low=low, high=high)
            return None
        return number

    def document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "courts": self._read_courts(),
            "sessions": self._read_sessions(),
            "slot_minutes": self._whole("slot_minutes", self.values["slot_minutes"], 10, 600),
            "stage_minutes": self._read_stage_minutes(),
            "rest_minutes": self._whole("rest_minutes", self.values["rest_minutes"], 0, 240, blank=0),
            "together": self.values["together"],
            "referees": self.values["referees"],
        }
        if self.league:
            document["matchday_times"] = self._read_windows()
            document["home_venues"] = self._read_homes()
        if not document["sessions"] and not document.get("matchday_times"):
            self._problem("sessions", N_("competition.schedule.venue.sessions_missing"))
        return document

    def _row_problem(self, section: str, index: int, message_id: str, **params: object) -> None:
        self.bad_rows[section].add(index)
        self._problem(section if section != "windows" else "matchday", message_id, **params)

    def _read_courts(self) -> list[dict[str, Any]]:
        rows = [(index, row) for index, row in enumerate(self.values["courts"]) if any(row.values())]
        if not rows:
            self._problem("courts", N_("competition.schedule.venue.courts_missing"))
        taken = {row["court_id"] for _index, row in rows}
        fresh = (str(number) for number in range(1, MAX_COURTS * 2) if str(number) not in taken)
        courts = []
        for number, (index, row) in enumerate(rows, start=1):
            court_id = row["court_id"] or next(fresh)
            problem = _court_problem(court_id, row, set(self._courts.values()))
            if problem:
                self._row_problem("courts", index, problem, n=number, court=court_id)
            for name in (court_id, row["name_zh"], row["name_en"]):
                if name:
                    self._courts.setdefault(name.casefold(), court_id)
            courts.append({"court_id": court_id, "name_zh": row["name_zh"], "name_en": row["name_en"] or None})
        if len(courts) > MAX_COURTS:
            self._problem("courts", N_("competition.schedule.venue.too_many"), count=MAX_COURTS)
        return courts

    def _court_ids(self, field: str, text: str, index: int) -> list[str]:
        """Courts named in ``text`` (numbers or names, separated by spaces, commas or 、)."""
        found = []
        for name in (part for part in SEPARATORS.split(text) if part):
            court_id = self._courts.get(name.casefold())
            if court_id is None:
                self.bad_rows.setdefault(field, set()).add(index)
                self._problem(field, N_("competition.schedule.venue.unknown_court"), court=name)
            elif court_id not in found:
                found.append(court_id)
        return found

    def _read_sessions(self) -> list[dict[str, Any]]:
        sessions = []
        rows = [
            (i, row) for i, row in enumerate(self.values["sessions"]) if row["start"] or row["end"] or row["courts"]
        ]
        for number, (index, row) in enumerate(rows, start=1):
            day, start, end = _day(row["day"]), _clock(row["start"]), _clock(row["end"])
            if day is None or start is None or end is None or end <= start:
                self._row_problem("sessions", index, N_("competition.schedule.venue.session_invalid"), n=number)
                continue
            sessions.append(
                {
                    "start": datetime.combine(day, start, CHINA_TZ).isoformat(),
                    "end": datetime.combine(day, end, CHINA_TZ).isoformat(),
                    "courts": self._court_ids("sessions", row["courts"], index),
                }
            )
        if len(sessions) > MAX_SESSIONS:
            self._problem("sessions", N_("competition.schedule.venue.too_many"), count=MAX_SESSIONS)
        return sessions

    def _read_stage_minutes(self) -> list[dict[str, Any]]:
        found = []
        for stage in self.stages:
            text = self.values["stage_minutes"].get(stage.stage_id, "")
            minutes = self._whole(f"slot_{stage.stage_id}", text, 10, 600, blank=0) if text else None
            if minutes:
                found.append({"stage_id": stage.stage_id, "minutes": minutes})
        return found

    def _read_windows(self) -> list[dict[str, str]]:
        windows = []
        for index, row in enumerate(self.values["windows"]):
            if not (row["start"] or row["end"]):
                continue
            start, end = _clock(row["start"]), _clock(row["end"])
            if start is None or end is None or end <= start:
                self._row_problem("windows", index, N_("competition.schedule.venue.window_invalid"))
                continue
            windows.append({"start": start.isoformat(), "end": end.isoformat()})
        return windows[:MAX_WINDOWS]

    def _read_homes(self) -> list[dict[str, Any]]:
        homes = []
        for index, (entry_id, text) in enumerate(self.values["homes"].items()):
            courts = self._court_ids("homes", text, index)
            if entry_id and courts:
                homes.append({"entry_id": entry_id, "courts": courts})
        return homes


def _court_problem(court_id: str, row: dict[str, str], taken: set[str]) -> str | None:
    """What is wrong with a court's row (a message id), or None."""
    if not _COURT_ID.match(court_id):
        return N_("competition.schedule.venue.court_id_invalid")
    if not row["name_zh"] or len(row["name_zh"]) > 20 or len(row["name_en"]) > 40:
        return N_("competition.schedule.venue.court_name_missing")
    return N_("competition.schedule.venue.court_id_twice") if court_id in taken else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _clock(text: str) -> time | None:
    try:
        return time.fromisoformat(text).replace(second=0, microsecond=0)
    except ValueError:
        return None


def venue_problems(error: InvalidInput, language: str) -> dict[str, str]:
    """The service's problems with the venue under the part of the form they are about (a stage's slot length under
    its own field; anything else under the form)."""
    problems: dict[str, str] = {}
    for raw, message in problem_messages(error, language):
        location = [str(part) for part in raw.get("loc", ())]
        section = _SECTIONS.get(location[0], "venue") if location else "venue"
        problems.setdefault(section, message)
    return problems
