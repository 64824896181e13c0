"""Certificates (奖状) and results booklets (成绩册) of competitions, read through the services (issue 19 item 9).

A certificate is one award of a competition (chalicelib.services.competition_views.awards: a judged stage's tier, a
meet discipline's place, a knockout's or table's podium place) made out to its entry. Who sees which: the event's
organisers all of them (published or not); once the competition is published, a unit admin those of their units'
entries and a member their own (as a member, a pair's member or on a team's roster); nobody else any.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple

from chalicelib.domain.access import Principal, can_manage_event
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition.setup import CompetitionEntry, EntryKind, Meet
from chalicelib.domain.language import localized
from chalicelib.domain.records import COMPETITION_FORMATS, Event
from chalicelib.errors import NotFound
from chalicelib.i18n import translate
from chalicelib.services import competition as competition_service
from chalicelib.services.competition import CompetitionState
from chalicelib.services.competition_views import Award, awards
from chalicelib.services.event_views import registrations_with_events
from chalicelib.services.organisation_views import unit_names
from chalicelib.services.unit_tables_views import table_title
from chalicelib.storage import Store


class Certificate(NamedTuple):
    """One certificate as printed: who (entry name, its unit's name), for what (event, stage, discipline, the tier's
    name or the place), when (the event's last day in China time) and from whom (the organising unit's name)."""

    event_id: str
    entry_id: str
    name: str
    unit: str
    event_title: str
    stage: str
    discipline: str
    tier: str  # the award tier's name ("一等奖"); "" for a place
    place: int | None  # a meet discipline's place or a final place; None for a tier
    podium: bool  # a knockout's or table's final place (冠军, 亚军, 季军) rather than a discipline's place
    day: date
    organiser: str
    person: bool  # made out to a member (兹授予 … 同志), not to a pair or team


class EventCertificates(NamedTuple):
    """The certificates of one event the reader may see, and whether they see all of them (the organisers)."""

    event: Event
    certificates: list[Certificate]
    organiser: bool


def _mine(staff_no: str | None, entry: CompetitionEntry | None, entry_id: str) -> bool:
    """Whether the entry is the member's own: theirs, their pair's or their team's."""
    return staff_no is not None and (entry_id == staff_no or (entry is not None and staff_no in entry.members))


def _may_see(principal: Principal, entry: CompetitionEntry | None, award: Award) -> bool:
    """A member's own award, a unit admin's units' entries' awards and their units' places in a unit table."""
    if award.unit_table is not None or award.organisation is not None:  # made out to a unit
        return award.entry_id in principal.admin_of
    return _mine(principal.staff_no, entry, award.entry_id) or (
        entry is not None and entry.unit_id in principal.admin_of
    )


def event_day(event: Event) -> date:
    """The day a certificate is dated: the event's last day in China time."""
    return event.ends_at.astimezone(CHINA_TZ).date()


def _certificate(state: CompetitionState, award: Award, units: dict[str, str], language: str) -> Certificate:
    entry_units = state.entry_units()
    tier = ""
    if award.tier is not None and award.stage.judging is not None:
        tier = next(localized(t, "name", language) for t in award.stage.judging.tiers if t.code == award.tier)
    if award.unit_table is not None and award.stage.meet is not None:  # a unit's place in a unit table
        return _unit_certificate(state, award, award.stage.meet, units, language)
    if award.organisation is not None:  # a skill contest's 优秀组织奖, made out to the unit
        unit = units.get(award.entry_id, award.entry_id)
        return Certificate(
            event_id=state.event.event_id, entry_id=award.entry_id, name=unit, unit=unit,
            event_title=localized(state.event, "title", language), stage="",
            discipline=translate("contest.results.units", language),
            tier=localized(award.organisation, "name", language),
            place=None, podium=False, day=event_day(state.event),
            organiser=units.get(state.event.owner_unit_id, state.event.owner_unit_id), person=False,
        )  # fmt: skip
    unit_id = entry_units.get(award.entry_id, "")
    return Certificate(
        event_id=state.event.event_id,
        entry_id=award.entry_id,
        name=state.entry_names().get(award.entry_id, award.entry_id),
        unit=units.get(unit_id, unit_id),
        event_title=localized(state.event, "title", language),
        stage=localized(award.stage, "name", language),
        discipline=localized(award.discipline, "name", language) if award.discipline is not None else "",
        tier=tier,
        place=None if award.tier is not None else award.place,
        podium=award.tier is None and award.discipline is None,
        day=event_day(state.event),
        organiser=units.get(state.event.owner_unit_id, state.event.owner_unit_id),
        person=state.competition.entry_kind == EntryKind.INDIVIDUAL
        and not (award.discipline is not None and award.discipline.relay),  # a meet's relay team or boat crew
    )


def _unit_certificate(
    state: CompetitionState, award: Award, meet: Meet, units: dict[str, str], language: str
) -> Certificate:
    """A unit's place in a meet's unit table (团体总分第一名), made out to the unit."""
    assert award.unit_table is not None
    unit = units.get(award.entry_id, award.entry_id)
    return Certificate(
        event_id=state.event.event_id,
        entry_id=award.entry_id,
        name=unit,
        unit=unit,
        event_title=localized(state.event, "title", language),
        stage=localized(award.stage, "name", language),
        discipline=table_title(meet, award.unit_table, language, award.sole_table),
        tier="",
        place=award.place,
        podium=False,
        day=event_day(state.event),
        organiser=units.get(state.event.owner_unit_id, state.event.owner_unit_id),
        person=False,
    )


def _shown(
    state: CompetitionState, principal: Principal, units: dict[str, str], language: str, everyone: bool
) -> list[Certificate]:
    entries = {entry.entry_id: entry for entry in state.competition.entries}
    return [
        _certificate(state, award, units, language)
        for award in awards(state)
        if everyone or _may_see(principal, entries.get(award.entry_id), award)
    ]


def event_certificates(
    store: Store, principal: Principal, event_id: str, language: str, entry_id: str | None = None
) -> EventCertificates:
    """An event's certificates the reader may see (all for its organisers), or one entry's (``entry_id``: 404 when
    it has none the reader may see). 404 for a competition not set up, or not published to a reader who is not an
    organiser or official."""
    state = competition_service.view(store, principal, event_id)
    organiser = can_manage_event(principal, state.event.owner_unit_id)
    shown = _shown(state, principal, unit_names(store, language), language, organiser)
    if entry_id is not None:
        shown = [certificate for certificate in shown if certificate.entry_id == entry_id]
        if not shown:
            raise NotFound("certificate_not_found")
    return EventCertificates(state.event, shown, organiser)


def member_certificates(store: Store, principal: Principal, language: str) -> list[Certificate]:
    """The signed-in member's own certificates across the events they registered for whose competitions are
    published, newest event first (one competition read per such event)."""
    return member_awards(store, principal.member_no, _events(registrations_with_events(store, principal, ())), language)


def member_awards(store: Store, staff_no: str, events: Iterable[Event], language: str) -> list[Certificate]:
    """The certificates of member ``staff_no`` in the published competitions of ``events`` (a member's year reads
    them for any member it may show; one competition read per event that has a competition), in the given order."""
    units: dict[str, str] | None = None
    found: list[Certificate] = []
    for event in _competing(events):
        state = competition_service.load(store, event)
        if state is None or not state.competition.published:
            continue
        entries = {entry.entry_id: entry for entry in state.competition.entries}
        own = [award for award in awards(state) if _mine(staff_no, entries.get(award.entry_id), award.entry_id)]
        if own:
            units = units if units is not None else unit_names(store, language)
            found.extend(_certificate(state, award, units, language) for award in own)
    return found


def _events(mine: Iterable[tuple[object, object, Event]]) -> list[Event]:
    """The distinct events of the member's registrations, the latest first."""
    events = {event.event_id: event for _registration, _position, event in mine}
    return sorted(_competing(events.values()), key=lambda event: event.ends_at, reverse=True)


def _competing(events: Iterable[Event]) -> list[Event]:
    """The events that have a competition (a tournament, a meet, a contest): the only ones worth a read."""
    return [event for event in events if event.format in COMPETITION_FORMATS]


def won_events(store: Store, principal: Principal, events: Iterable[Event], at: datetime) -> set[str]:
    """The events among ``events`` (the member's, already read) in whose published competitions they won an award:
    where their registrations page links to their certificates. Only competitions whose event is over are read (one
    read each): certificates are for results that are final."""
    won = set()
    over = [event for event in _competing({event.event_id: event for event in events}.values()) if event.ends_at < at]
    for event in over:
        state = competition_service.load(store, event)
        if state is None or not state.competition.published:
            continue
        entries = {entry.entry_id: entry for entry in state.competition.entries}
        if any(_mine(principal.staff_no, entries.get(a.entry_id), a.entry_id) for a in awards(state)):
            won.add(event.event_id)
    return won
