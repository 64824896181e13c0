"""The demo union as data, sixth section: its history, last year's and this year's finished events (issue 21, item
6), so that the year's numbers (the dashboard, a member's year, the workbook) show something real.

``history.json`` names each event by its year (-1: last year, 0: this year), its first day ("MM-DD") and the same
fields as ``events.json`` (registration opens 14 days and closes 2 days before the start unless given). This year's
events that would not have ended a week before ``today`` are left out (early in a year there is less history), so
the file stays right whatever day it is loaded on.

Who took part is drawn from the organisation, the same on every load (``random.Random`` seeded by the event's id):
``people.take`` members the event admits register themselves (more keen members from the units that
``unit_weights`` weighs more; the demo accounts only when named in ``people.with``, first), ``people.cancel`` of
those holding a place cancel before the close (the first on the waiting list moves up), and ``people.turnout``
per cent of the confirmed check in (of a class: at each session). A ``competition`` is a judged contest of the
registered members: its judges mark everyone, the stage closes with first, second and third prizes and the results
are published. Everything goes through the services, each action at its moment on the demo's ``Timeline``.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.domain.access import UNION_ADMIN_ROLE
from chalicelib.domain.records import SERIES, Event, Member

if TYPE_CHECKING:
    from chalicelib.storage import Store
    from devtools.demo.loader import DemoEvent, DemoOrganisation, Timeline

HISTORY = Path(__file__).resolve().parent / "history.json"

# This year's events must have ended this long before today to be part of the history.
SETTLED = timedelta(days=7)

_OPENS = {"days_before": 14, "time": "09:00"}
_CLOSES = {"days_before": 2, "time": "17:00"}

_CRITERIA = [
    {"code": "content", "name_zh": "内容", "name_en": "Content", "weight": 0.4},
    {"code": "delivery", "name_zh": "表现", "name_en": "Delivery", "weight": 0.4},
    {"code": "presence", "name_zh": "台风", "name_en": "Stage presence", "weight": 0.2},
]
_TIERS = [
    {"code": "first", "name_zh": "一等奖", "name_en": "First prize", "count": 1},
    {"code": "second", "name_zh": "二等奖", "name_en": "Second prize", "count": 2},
    {"code": "third", "name_zh": "三等奖", "name_en": "Third prize", "count": 3},
]


@dataclass(frozen=True)
class HistoryEvent:
    planned: DemoEvent
    people: dict[str, Any]
    competition: dict[str, Any] | None


def years(today: date) -> tuple[int, int]:
    """The years the history fills: last year and this year."""
    return today.year - 1, today.year


def read_history(today: date, path: Path = HISTORY) -> tuple[HistoryEvent, ...]:
    """The history's events as planned on ``today`` (no I/O besides reading the file)."""
    from devtools.demo.loader import _event

    data = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for row in data["events"]:
        month, day = (int(part) for part in row["date"].split("-"))
        start = date(today.year + row["year"], month, day)
        if start + timedelta(days=row["ends"]["days_after"]) > today - SETTLED:
            continue
        spec = {"registration_opens": _OPENS, "registration_closes": _CLOSES, **row, "day": (start - today).days}
        found.append(HistoryEvent(_event(spec, {}, today), row["people"], row.get("competition")))
    return tuple(found)


def unit_weights(path: Path = HISTORY) -> dict[str, float]:
    return dict(json.loads(path.read_text(encoding="utf-8"))["unit_weights"])


def plan_history(store: Store, organisation: DemoOrganisation, today: date, timeline: Timeline) -> None:
    """Plan the history's events, registrations, cancellations, check-ins and contests on ``timeline``."""
    from devtools.demo.loader import plan_events, union_admin

    history = read_history(today)
    acting = union_admin(organisation)
    for year in years(today):
        planned = tuple(h.planned for h in history if h.planned.event.starts_at.year == year)
        if planned:
            plan_events(store, acting, planned, timeline)
    people = _People(store, organisation, unit_weights())
    for item in history:
        people.plan(item, timeline)


class _People:
    """Who registered for, cancelled, came to and competed in each history event."""

    def __init__(self, store: Store, organisation: DemoOrganisation, weights: dict[str, float]) -> None:
        self.store, self.weights = store, weights
        members = {m.staff_no: m for m in organisation.members}
        self.by_key = {key: members[staff_no] for key, staff_no in organisation.staff_no_of.items()}
        self.key_of = {staff_no: key for key, staff_no in organisation.staff_no_of.items()}
        self.accounts = {account.staff_no for account in organisation.accounts}
        self.admin = next(m for m in organisation.members if UNION_ADMIN_ROLE in m.roles)

    def plan(self, item: HistoryEvent, timeline: Timeline) -> None:
        from devtools.demo.entries import plan_registrations

        event, people = item.planned.event, item.people
        rng = random.Random(event.event_id)
        judges = set((item.competition or {}).get("judges", ()))
        chosen = self._chosen(event, people, judges, rng)
        keys = [self._key(m) for m in chosen]
        gap = 37  # minutes between registrations, all in within a day or so of the opening
        plan_registrations(self.store, event, [[key, 3 + i * gap, {}] for i, key in enumerate(keys)], {
            k: self.by_key[k] for k in keys
        }, timeline)  # fmt: skip
        capacity = event.capacity if event.capacity is not None else len(chosen)
        holding = chosen[:capacity]
        cancelled = rng.sample(holding, min(people.get("cancel", 0), len(holding)))
        assert event.registration_closes_at is not None
        for number, member in enumerate(cancelled):
            when = event.registration_closes_at - timedelta(days=1, minutes=-number * 11)
            timeline.plan(when, self._cancelling(event, member))
        confirmed = [m for m in chosen if m not in cancelled][:capacity]
        self._plan_check_ins(item, confirmed, people.get("turnout", 100), rng, timeline)
        if item.competition is not None:
            self._plan_contest(item, [self._key(m) for m in confirmed], timeline)

    def _key(self, member: Member) -> str:
        return self.key_of[member.staff_no]

    def _chosen(self, event: Event, people: dict[str, Any], judges: set[str], rng: random.Random) -> list[Member]:
        """The named members first, then ``take`` in all: members the event admits, weighted by their unit."""
        from chalicelib.domain.event_rules import ineligibility

        named = [self.by_key[key] for key in people.get("with", ())]
        pool = [
            m
            for key, m in sorted(self.by_key.items())
            if key not in judges
            and m.staff_no not in self.accounts
            and ineligibility(event, m) is None
            and m not in named
        ]
        # Weighted sampling without replacement: each member's key rng^(1/weight), largest first.
        ranked = sorted(pool, key=lambda m: rng.random() ** (1 / self.weights.get(m.unit_id, 1.0)), reverse=True)
        return [*named, *ranked[: max(people["take"] - len(named), 0)]]

    def _cancelling(self, event: Event, member: Member) -> Any:
        from chalicelib.services.registration import cancel
        from devtools.demo.entries import member_principal

        return lambda at: cancel(self.store, member_principal(member), event.event_id, SERIES, at)

    def _plan_check_ins(
        self, item: HistoryEvent, confirmed: list[Member], turnout: int, rng: random.Random, timeline: Timeline
    ) -> None:
        """The organiser checks in ``turnout`` per cent of the confirmed (at each session of a class)."""
        event = item.planned.event
        sessions = item.planned.sessions
        points = (
            [(f"s{n:02d}", s["starts_at"]) for n, s in enumerate(sessions, start=1)]
            if sessions
            else [("entry", event.starts_at)]
        )
        for point, starts_at in points:
            for member in confirmed:
                if rng.randrange(100) < turnout:
                    at = starts_at + timedelta(minutes=rng.randrange(-15, 20))
                    timeline.plan(at, self._scanning(event, member, point))

    def _scanning(self, event: Event, member: Member, point: str) -> Any:
        from chalicelib.services.checkin import Scan, check_in
        from devtools.demo.entries import member_principal

        scan_id = hashlib.sha256(f"{event.event_id} {point} {member.staff_no}".encode()).hexdigest()[:32]

        def scan(at: datetime) -> object:
            found = Scan(scan_id, point, staff_no=member.staff_no)
            result = check_in(self.store, member_principal(self.admin), event.event_id, found, "签到台", at)
            assert result.verdict.value == "admitted", (event.event_id, member.staff_no, point, result.verdict)
            return result

        return scan

    def _plan_contest(self, item: HistoryEvent, entrants: list[str], timeline: Timeline) -> None:
        """A one-stage judged contest of ``entrants`` (members' keys): the judges named three days before, the
        stage set up and opened the day before, marked, closed with prizes and published on the evening."""
        from devtools.demo.contests import _Steps
        from devtools.demo.loader import at_time

        event, spec = item.planned.event, item.competition
        assert spec is not None
        judges = spec["judges"]
        setup = {
            "stages": [
                {
                    "stage_id": "final",
                    "kind": "judged",
                    "name_zh": "决赛",
                    "name_en": "Final",
                    "judging": {
                        "criteria": _CRITERIA,
                        "aggregation": "mean",
                        "tiers": _TIERS,
                        "panels": [{"panel_id": "final", "name_zh": "评委组", "judges": judges, "entries": entrants}],
                    },
                }
            ]
        }
        rng = random.Random(spec["seed"])
        strength = {key: rng.uniform(80, 95) for key in entrants}
        close = event.ends_at - timedelta(minutes=20)
        steps = [
            ({"do": "configure"}, at_time(event.starts_at.date() - timedelta(days=1), "14:00")),
            ({"do": "open", "stage": "final", "seed": spec["seed"]}, at_time(event.starts_at.date(), "08:00")),
            *(
                (
                    {
                        "do": "marks",
                        "stage": "final",
                        "by": judge,
                        "marks": {
                            key: {c["code"]: round(strength[key] + rng.uniform(-3, 3), 1) for c in _CRITERIA}
                            for key in entrants
                        },
                    },
                    close - timedelta(minutes=10),
                )
                for judge in judges
            ),
            ({"do": "close", "stage": "final"}, close),
            ({"do": "publish"}, close + timedelta(minutes=5)),
        ]
        contest = {"setup": setup, "steps": [step for step, _ in steps]}
        runner = _Steps(self.store, event, self.by_key, self.admin, contest)
        from chalicelib.services.competition_officials import name_official
        from devtools.demo.entries import member_principal

        acting = member_principal(self.admin)
        named_at = at_time(event.starts_at.date() - timedelta(days=3), "10:00")
        for judge in judges:
            staff_no = self.by_key[judge].staff_no
            timeline.plan(
                named_at,
                lambda at, staff_no=staff_no: name_official(self.store, acting, event.event_id, staff_no, "judge", at),
            )
        for step, at in steps:
            timeline.plan(at, runner.action(step))
