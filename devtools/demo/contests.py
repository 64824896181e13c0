"""The demo union as data, fifth section: its competitions played, through the organisers', referees' and judges'
services (``competitions.json``, each event's ``competition``).

``setup`` is what the organiser configures (stages, formats, panels, the meet's disciplines; seeds by entry);
``steps`` is what happened, each at a day (from the event's first day) and a time: ``configure``, ``draw`` a stage
or ``open`` it (with the seed, and the draw id, the demo keeps fixed so that its keys stay the same), ``venue``
(the organiser's courts, "1号场" …, and the sessions they are open, ``[day, "HH:MM", "HH:MM"]``, with the slot and
rest minutes; chalicelib.services.schedule.set_venue), ``auto_schedule`` (the scheduler places every match not
played or started, from that moment on), ``lineups`` (both sides' line-ups of the named team ties, taken by the
organisers: chalicelib.services.lineups), ``result`` (a referee enters a match's rubbers), ``marks`` (a judge marks
their entries), ``performances`` (a discipline's attempts), ``close`` a stage (which draws the knockout after the
groups, under a fixed draw id), ``publish``; a meet's heats and finals: ``round_draw``, ``round_marks``,
``round_close`` (devtools/demo/rounds.py). Members are named by their key in ``organisation.json`` ("cs-3"),
teams by their fixed ids.

The meet's relays (``relays``: their disciplines, set up with the rest, and each unit's team) are entered by the
units' admins through chalicelib.services.relays at the ``relays`` step; so are the dragon boat crews of the 龙舟赛
(a relay discipline with ``crew_roles``: paddlers, a drummer and a helm, ``crew``).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.domain.access import UNION_ADMIN_ROLE
from devtools.demo import rounds

if TYPE_CHECKING:
    from chalicelib.domain.access import Principal
    from chalicelib.domain.records import Event, Member
    from chalicelib.storage import Store
    from devtools.demo.loader import DemoEvent, DemoOrganisation, Timeline

COMPETITIONS = Path(__file__).resolve().parent / "competitions.json"

Action = Any  # Callable[[datetime], object]


def plan_competitions(
    store: Store,
    organisation: DemoOrganisation,
    events: tuple[DemoEvent, ...],
    timeline: Timeline,
    path: Path = COMPETITIONS,
) -> None:
    """Plan every step of the file's competitions on ``timeline``."""
    from devtools.demo.loader import at_time

    planned = {demo.event.event_id: demo.event for demo in events}
    members = {m.staff_no: m for m in organisation.members}
    by_key = {key: members[staff_no] for key, staff_no in organisation.staff_no_of.items()}
    admin = next(m for m in organisation.members if UNION_ADMIN_ROLE in m.roles)
    for block in json.loads(path.read_text(encoding="utf-8"))["events"]:
        contest = block.get("competition")
        if contest is None:
            continue
        event = planned[block["event"]]
        steps = _Steps(store, event, by_key, admin, contest)
        for step in contest["steps"]:
            day, clock = step["at"]
            timeline.plan(at_time(event.starts_at.date() + timedelta(days=day), clock), steps.action(step))


class _Steps:
    """One event's competition steps as timeline actions."""

    def __init__(
        self, store: Store, event: Event, by_key: dict[str, Member], admin: Member, contest: dict[str, Any]
    ) -> None:
        from devtools.demo.entries import member_principal

        self.store, self.event_id, self.by_key, self.contest = store, event.event_id, by_key, contest
        self.first_day = event.starts_at.date()
        self.admin: Principal = member_principal(admin)
        self.principal = lambda key: member_principal(by_key[key])

    def entry(self, key: str) -> str:
        """A member's 工号 from their key; a team's or relay team's id as it is."""
        member = self.by_key.get(key)
        return member.staff_no if member else key

    def action(self, step: dict[str, Any]) -> Action:
        return getattr(self, f"_{step['do']}")(step)

    def _configure(self, _step: dict[str, Any]) -> Action:
        from chalicelib.services.competition import configure

        setup = _with_relays(_with_staff_nos(self.contest["setup"], self.entry), self.contest.get("relays"))
        setup = rounds.with_round_days(setup, self.first_day)
        return lambda at: configure(self.store, self.admin, self.event_id, setup, at)

    def _relays(self, _step: dict[str, Any]) -> Action:
        """Each unit's relay teams, entered by the unit's admin (the union's admin for a unit without one) through
        the relay service: its first active men (men's relays) or women (women's relays) by 工号 run the legs."""
        from chalicelib.services.relays import enter_team
        from devtools.demo.entries import member_principal

        relays = self.contest["relays"]
        teams = {entry["entry_id"]: entry for entry in relays["entries"]}
        admins = {unit: m for m in self.by_key.values() for unit in sorted(m.admin_units)}

        def enter(at: datetime) -> None:
            for discipline in relays["disciplines"]:
                gender = "F" if (discipline.get("relay_rule") or {}).get("min_women") else "M"
                for entry_id in discipline["entries"]:
                    team = teams[entry_id]
                    unit = team["unit_id"]
                    women, men = (self._active(unit, sex) for sex in ("F", "M"))
                    by = member_principal(admins[unit]) if unit in admins else self.admin
                    legs, roles = (women if gender == "F" else men)[: discipline.get("legs", 4)], list[str]()
                    if discipline.get("crew_roles"):
                        legs, roles = crew(discipline, women, men)
                    code = discipline["code"]
                    entered = enter_team(
                        self.store, by, self.event_id, code, unit, legs, [], None, at, name=team["name"], roles=roles
                    )
                    assert entered.entry_id == entry_id, (entered.entry_id, entry_id)

        return enter

    def _contest_entries(self, step: dict[str, Any]) -> Action:
        """A skill contest's entrants (``entries``: event code → members' keys), each entered by their unit's admin
        (the union's admin for a unit without one) through chalicelib.services.contests, answering the event's
        registration form for them (``answers``) when they are not registered yet."""
        from chalicelib.services.contests import enter
        from devtools.demo.entries import member_principal

        admins = {unit: m for m in self.by_key.values() for unit in sorted(m.admin_units)}

        def enter_all(at: datetime) -> None:
            for code, keys in step["entries"].items():
                for key in keys:
                    member = self.by_key[key]
                    by = member_principal(admins[member.unit_id]) if member.unit_id in admins else self.admin
                    enter(self.store, by, self.event_id, code, member.staff_no, step.get("answers", {}), at)

        return enter_all

    def _active(self, unit: str, gender: str) -> list[str]:
        """A unit's active members of a gender, by 工号."""
        return sorted(
            m.staff_no
            for m in self.by_key.values()
            if m.unit_id == unit and m.gender.value == gender and m.status.value == "active"
        )

    def _meet_entries(self, _step: dict[str, Any]) -> Action:
        """The meet's disciplines made from the registrations' chosen events by the organiser's review
        (chalicelib.services.meet_entries): each member in the discipline of their gender and age group on the meet
        day; the set-up's disciplines name their group and event, so their codes, names and rounds stay."""
        from chalicelib.services.meet_entries import apply, preview

        def generate(at: datetime) -> None:
            review = preview(self.store, self.admin, self.event_id)
            assert not review.generated.problems and not review.changed, (review.generated.problems, review.changed)
            apply(self.store, self.admin, self.event_id, review.version, at)

        return generate

    def _draw(self, step: dict[str, Any]) -> Action:
        from chalicelib.services.competition import draw

        seed, draw_id = step["seed"], step["draw_id"]
        return lambda at: draw(self.store, self.admin, self.event_id, step["stage"], at, seed=seed, draw_id=draw_id)

    def _open(self, step: dict[str, Any]) -> Action:
        from chalicelib.services.competition import open_stage

        return lambda at: open_stage(self.store, self.admin, self.event_id, step["stage"], at, seed=step["seed"])

    def _venue(self, step: dict[str, Any]) -> Action:
        from chalicelib.services.schedule import set_venue

        def set_up(at: datetime) -> None:
            first_day = self.store.events.get(self.event_id, consistent=True).starts_at.date()  # type: ignore[union-attr]
            venue = {
                "courts": [
                    {"court_id": f"c{number}", "name_zh": name, "name_en": f"Court {number}"}
                    for number, name in enumerate(step["courts"], start=1)
                ],
                "sessions": [
                    {"start": _at(first_day, day, start).isoformat(), "end": _at(first_day, day, end).isoformat()}
                    for day, start, end in step["sessions"]
                ],
                **{key: step[key] for key in ("slot_minutes", "rest_minutes", "together") if key in step},
            }
            set_venue(self.store, self.admin, self.event_id, venue, at)

        return set_up

    def _auto_schedule(self, _step: dict[str, Any]) -> Action:
        from chalicelib.services.schedule import auto_schedule

        return lambda at: auto_schedule(self.store, self.admin, self.event_id, at)

    def _result(self, step: dict[str, Any]) -> Action:
        from chalicelib.services.competition import enter_result

        payload = {"rubbers": [None if games is None else {"games": games} for games in step["rubbers"]]}
        referee = self.principal(step["by"])
        stage, match = step["stage"], step["match"]
        return lambda at: enter_result(self.store, referee, self.event_id, stage, match, payload, at)

    def _marks(self, step: dict[str, Any]) -> Action:
        from chalicelib.services.competition import submit_marks

        judge = self.principal(step["by"])

        def mark(at: datetime) -> None:
            for entry, marks in step["marks"].items():
                submit_marks(self.store, judge, self.event_id, step["stage"], self.entry(entry), marks, at)

        return mark

    def _performances(self, step: dict[str, Any]) -> Action:
        from chalicelib.services.meet import enter_performance

        def enter(at: datetime) -> None:
            for entry, attempts in step["attempts"].items():
                enter_performance(self.store, self.admin, self.event_id, step["stage"], step["discipline"],
                                  self.entry(entry), attempts, at)  # fmt: skip

        return enter

    def _round_draw(self, step: dict[str, Any]) -> Action:
        return rounds.draw(self.store, self.admin, self.event_id, step, self.entry)

    def _round_marks(self, step: dict[str, Any]) -> Action:
        return rounds.marks(self.store, self.admin, self.event_id, step, self.entry)

    def _round_close(self, step: dict[str, Any]) -> Action:
        return rounds.close(self.store, self.admin, self.event_id, step)

    def _lineups(self, step: dict[str, Any]) -> Action:
        """The organisers' desk takes both sides' line-ups of each named tie (chalicelib.services.lineups): each
        team plays its first two men in the men's doubles, its first two women in the women's doubles and its
        third man (else its first) with its third woman (else its first) in the mixed doubles. A team without two
        men or two women cannot field the tie's doubles and gives none (附属医院二队 has one man)."""
        from chalicelib.services.lineups import submit, tie_lineups

        def give(at: datetime) -> None:
            for match in step["matches"]:
                tie = tie_lineups(self.store, self.admin, self.event_id, step["stage"], match, at)
                for side, lineup in tie.sides.items():
                    assert lineup.team is not None, (match, side)
                    players = _mixed_lineup(self.store, lineup.team.roster)
                    if players is not None:
                        submit(self.store, self.admin, self.event_id, step["stage"], match, side, players, None,
                               at)  # fmt: skip

        return give

    def _close(self, step: dict[str, Any]) -> Action:
        from chalicelib.services.competition import close_stage

        draw_id = step.get("draw_id")
        return lambda at: close_stage(self.store, self.admin, self.event_id, step["stage"], at, draw_id=draw_id)

    def _publish(self, _step: dict[str, Any]) -> Action:
        from chalicelib.services.competition import publish

        return lambda at: publish(self.store, self.admin, self.event_id, True, at)


def crew(discipline: dict[str, Any], women: list[str], men: list[str]) -> tuple[list[str], list[str]]:
    """A unit's dragon boat crew from its active women and men (by 工号): the rule's least number of women paddlers
    (more when the men run out), men for the other seats, then the drummer and helm from those left, men first."""
    legs = discipline["legs"]
    least = max((discipline.get("relay_rule") or {}).get("min_women", 0), legs - len(men))
    paddlers = women[:least] + men[: legs - least]
    left = men[legs - least :] + women[least:]
    return paddlers, left[: len(discipline["crew_roles"])]


def _mixed_lineup(store: Store, roster: tuple[str, ...]) -> dict[str, list[str]] | None:
    """A mixed team tie's line-up (MD, WD, XD) from a roster, by gender in the roster's order; None for a roster
    without two men and two women."""
    genders = {staff_no: store.members.get(staff_no) for staff_no in roster}
    men = [s for s, member in genders.items() if member is not None and member.gender.value == "M"]
    women = [s for s, member in genders.items() if member is not None and member.gender.value == "F"]
    if len(men) < 2 or len(women) < 2:
        return None
    third_man = men[2] if len(men) > 2 else men[0]
    third_woman = women[2] if len(women) > 2 else women[0]
    return {"MD": men[:2], "WD": women[:2], "XD": [third_man, third_woman]}


def _with_staff_nos(setup: dict[str, Any], entry: Any) -> dict[str, Any]:
    """The set-up with the members' keys in its panels and disciplines turned into their 工号."""
    stages = []
    for stage in setup["stages"]:
        stage = dict(stage)
        if stage.get("judging"):
            panels = [
                {
                    **panel,
                    "judges": [entry(j) for j in panel["judges"]],
                    "entries": [entry(e) for e in panel["entries"]],
                }
                for panel in stage["judging"].get("panels", ())
            ]
            stage["judging"] = {**stage["judging"], "panels": panels}
        if stage.get("meet"):
            disciplines = [{**d, "entries": [entry(e) for e in d["entries"]]} for d in stage["meet"]["disciplines"]]
            stage["meet"] = {**stage["meet"], "disciplines": disciplines}
        stages.append(stage)
    return {**setup, "stages": stages}


def _at(first_day: date, day: int, clock: str) -> datetime:
    """``clock`` on the event's ``day`` (0: its first), China time."""
    from devtools.demo.loader import at_time

    return at_time(first_day + timedelta(days=day), clock)


def _with_relays(setup: dict[str, Any], relays: dict[str, Any] | None) -> dict[str, Any]:
    """The set-up with the meet's relays as disciplines without teams yet (the units enter them: ``relays``)."""
    if not relays:
        return setup
    added = [{**d, "entries": []} for d in relays["disciplines"]]
    stages = [
        {**stage, "meet": {**stage["meet"], "disciplines": [*stage["meet"]["disciplines"], *added]}}
        if stage.get("meet")
        else stage
        for stage in setup["stages"]
    ]
    return {**setup, "stages": stages}
