"""A meet set up from its registrations (issue 19 item 1): the organiser's review and apply.

The rules are pure (chalicelib.domain.competition.meet_entries); this module reads the confirmed registrations and
their members, shows what they make, and writes the organiser's choices (merges, dropped entries) and the
disciplines through the competition's set-up (chalicelib.services.competition.configure: one conditional write
over the version the organiser reviewed). The events question of the registration form is written by the event
service that saves the form editor's questions (chalicelib.services.events.update_event).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain.access import Principal
from chalicelib.domain.competition import meet_entries as rules
from chalicelib.domain.competition.setup import (
    Competition,
    Discipline,
    Meet,
    MeetEvent,
    MeetMerge,
    Stage,
    StageKind,
)
from chalicelib.domain.event_rules import event_day
from chalicelib.domain.forms import Option, Question, QuestionKind
from chalicelib.domain.language import N_
from chalicelib.domain.records import Event, RegistrationState, Unit
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import translate
from chalicelib.services import competition as competition_service
from chalicelib.services import events as event_service
from chalicelib.services.competition import CompetitionState
from chalicelib.services.event_views import units as all_units
from chalicelib.storage import Store

EVENTS_QUESTION = rules.EVENTS_QUESTION


class MeetEntries(NamedTuple):
    """What the registrations make of a meet now, against its stored set-up."""

    event: Event
    state: CompetitionState
    stage: Stage
    meet: Meet
    generated: rules.Generated  # the disciplines named
    disciplines: tuple[Discipline, ...]  # the meet's disciplines once applied
    changed: frozenset[str]  # codes of disciplines new, gone or with other entries
    marked: tuple[str, ...]  # of those, the ones with marks entered: applying is refused
    names: Mapping[str, str]  # 工号 → name
    units: Mapping[str, str]  # 工号 → unit id
    has_question: bool  # the registration form asks for the events
    unit_records: Mapping[str, Unit]  # the union's units by id, to name the entrants' units

    @property
    def version(self) -> int:
        return self.state.version

    @property
    def removed(self) -> tuple[str, ...]:
        """Disciplines generated before that applying would remove (no registration makes them any more)."""
        generated = {d.code for d in self.generated.disciplines}
        before = {d.code for d in self.meet.disciplines if d.group is not None and not d.relay}
        return tuple(sorted((before - generated) & self.changed))


def _meet_stage(state: CompetitionState | None) -> Stage:
    stage = next((s for s in state.competition.stages if s.kind == StageKind.MEASURED), None) if state else None
    if stage is None or stage.meet is None:
        raise NotFound("meet_not_set_up")
    return stage


def _athletes(store: Store, event: Event) -> list[rules.Athlete]:
    """The confirmed registrations in the order they came, with their members' gender and birth date."""
    registrations = [r for r in store.registrations.for_event(event.event_id) if r.state == RegistrationState.CONFIRMED]
    registrations.sort(key=lambda r: r.registered_at)
    members = store.organisation.members_by_staff_no(r.staff_no for r in registrations)
    athletes = []
    for r in registrations:
        member = members.get(r.staff_no)
        chosen = r.answers.get(EVENTS_QUESTION) or ()
        athletes.append(
            rules.Athlete(
                staff_no=r.staff_no,
                name=r.name,
                unit_id=r.unit_id,
                gender=member.gender.value if member else "",
                birth_date=member.birth_date if member else None,
                events=tuple(str(code) for code in chosen) if isinstance(chosen, list | tuple) else (str(chosen),),
            )
        )
    return athletes


def _review(store: Store, event: Event, state: CompetitionState | None) -> MeetEntries:
    stage = _meet_stage(state)
    assert state is not None and stage.meet is not None  # _meet_stage: a meet is set up
    meet = stage.meet
    athletes = _athletes(store, event)
    generated = rules.generate(meet, athletes, event_day(event))
    named = tuple(rules.named(meet, d, translate) for d in generated.disciplines)
    generated = rules.Generated(named, generated.problems, generated.merged)
    disciplines = rules.replaced(meet, named)
    changed = frozenset(rules.changed_codes(meet, disciplines))
    performances = state.performances.get(stage.stage_id, {})
    marked = tuple(sorted(code for code in changed if performances.get(code)))
    has_question = any(q.question_id == EVENTS_QUESTION for q in event.form)
    return MeetEntries(
        event=event,
        state=state,
        stage=stage,
        meet=meet,
        generated=generated,
        disciplines=disciplines,
        changed=changed,
        marked=marked,
        names={a.staff_no: a.name for a in athletes},
        units={a.staff_no: a.unit_id for a in athletes},
        has_question=has_question,
        unit_records=all_units(store),
    )


def preview(store: Store, principal: Principal, event_id: str) -> MeetEntries:
    """The disciplines the registrations make now, the problems, and what applying would change (organisers)."""
    event, state = competition_service.managed(store, principal, event_id)
    return _review(store, event, state)


def problem_text(problem: rules.Problem, review: MeetEntries, language: str) -> str:
    """A problem in words: the athlete by name and 工号, a group by its name."""
    params: dict[str, Any] = {"name": problem.name or "", "staff_no": problem.staff_no or "", **problem.params}
    if "group" in problem.params:
        params["group_name"] = group_name(review.meet, str(problem.params["group"]), language)
        params["into_name"] = group_name(review.meet, str(problem.params.get("into") or ""), language)
    return translate(problem.code, language, **params)


def group_name(meet: Meet, group: str, language: str) -> str:
    """男子甲组 / Men's Group A; 女子 / Women (a group by gender only)."""
    if not group:
        return ""
    gender, _, band_code = group.partition("-")
    word = translate(rules.GENDER_WORDS.get(gender, rules.GENDER_WORDS["M"]), language)
    band = next((b for b in meet.bands if b.code == band_code), None)
    if band is None:
        return word
    band_name = band.name_zh if language == "zh" else band.name_en or band.name_zh
    return translate("meet_entries.group_name", language, gender=word, band=band_name)


def _check_version(state: CompetitionState, version: int | None) -> None:
    if version is not None and version != state.version:
        raise Conflict("competition_changed_meanwhile")


def _save_meet(
    store: Store, principal: Principal, review: MeetEntries, meet: Meet, version: int | None, at: datetime
) -> Competition:
    """The set-up with the meet changed, through configure (one conditional write; relays kept)."""
    _check_version(review.state, version)
    competition = review.state.competition
    stages = [
        stage.model_copy(update={"meet": meet}) if stage.stage_id == review.stage.stage_id else stage
        for stage in competition.stages
    ]
    setup = competition.model_copy(update={"stages": tuple(stages)}).model_dump(
        mode="json", exclude={"entries", "runs", "event_id", "entry_kind", "published", "published_at"}
    )
    setup["seeds"] = {e.entry_id: e.seed for e in competition.entries if e.seed}
    # The write is conditional on the version the review was built from, not on whatever configure reads again.
    return competition_service.configure(
        store, principal, review.event.event_id, setup, at, expected_version=review.state.version
    )


def apply(store: Store, principal: Principal, event_id: str, version: int | None, at: datetime) -> Competition:
    """Write the disciplines the registrations make. Refused while an athlete is over the limit or fits no age
    group (each named), when a discipline it would change already has marks, or when the set-up changed since
    the organiser's review (``version``)."""
    review = preview(store, principal, event_id)
    _check_version(review.state, version)
    blocking = [p for p in review.generated.problems if p.blocking]
    if blocking:
        over = [p for p in blocking if p.code == rules.OVER_LIMIT]
        code = N_("meet_entries_over_limit") if over else N_("meet_entries_blocked")
        who = "、".join(f"{p.name}（{p.staff_no}）" for p in (over or blocking))
        details = {"problems": [{"code": p.code, "staff_no": p.staff_no, **p.params} for p in blocking]}
        raise Conflict(code, details=details, names=who)
    if review.marked:
        raise Conflict("meet_entries_marked", details={"disciplines": list(review.marked)},
                       disciplines="、".join(review.marked))  # fmt: skip
    meet = review.meet.model_copy(update={"disciplines": review.disciplines})
    return _save_meet(store, principal, review, meet, version, at)


def _adjusted(
    store: Store,
    principal: Principal,
    event_id: str,
    version: int | None,
    at: datetime,
    change: Callable[[Meet], Meet],
) -> Competition:
    review = preview(store, principal, event_id)
    return _save_meet(store, principal, review, change(review.meet), version, at)


def merge(
    store: Store, principal: Principal, event_id: str, group: str, into: str, event: str | None,
    version: int | None, at: datetime,
) -> Competition:  # fmt: skip
    """Merge a group into another (丙组 into 乙组) for one event or all, kept in the set-up for every new run."""
    refusal = [{"type": N_("meet_entries.merge_invalid"), "loc": ("into",), "msg": into, "ctx": {}}]
    if group == into or group.partition("-")[0] != into.partition("-")[0]:
        raise InvalidInput(refusal)
    try:
        merged = MeetMerge(group=group, into=into, event=event)
    except ValueError as problem:
        raise InvalidInput(refusal) from problem

    def change(meet: Meet) -> Meet:
        kept = tuple(m for m in meet.merges if not (m.group == group and m.event == event))
        return meet.model_copy(update={"merges": (*kept, merged)})

    return _adjusted(store, principal, event_id, version, at, change)


def unmerge(
    store: Store, principal: Principal, event_id: str, group: str, event: str | None, version: int | None,
    at: datetime,
) -> Competition:  # fmt: skip
    def change(meet: Meet) -> Meet:
        return meet.model_copy(update={"merges": tuple(m for m in meet.merges if (m.group, m.event) != (group, event))})

    return _adjusted(store, principal, event_id, version, at, change)


def drop(
    store: Store, principal: Principal, event_id: str, staff_no: str, event: str, restore: bool,
    version: int | None, at: datetime,
) -> Competition:  # fmt: skip
    """Take an athlete out of an event (or back in, ``restore``), kept in the set-up for every new run."""
    key = rules.drop_key(staff_no, event)

    def change(meet: Meet) -> Meet:
        kept = tuple(k for k in meet.dropped if k != key)
        return meet.model_copy(update={"dropped": kept if restore else (*kept, key)})

    return _adjusted(store, principal, event_id, version, at, change)


def events_question(meet: Meet) -> Question:
    """The registration form's question whose options are the meet's events, at most the limit of them."""
    options = tuple(Option(e.code, e.name_zh, e.name_en) for e in meet.events)
    limit = meet.individual_limit
    return Question(
        question_id=EVENTS_QUESTION,
        kind=QuestionKind.MULTIPLE_CHOICE,
        label_zh=translate("meet_entries.question", "zh"),
        label_en=translate("meet_entries.question", "en"),
        required=True,
        options=options,
        max_choices=min(limit, len(options)) if limit else None,
    )


def add_events_question(store: Store, principal: Principal, event_id: str, at: datetime) -> Event:
    """Add (or bring up to date) the events question of the meet's registration form, through the form editor's
    service: a change members' answers forbid (an option someone chose taken away) is refused there."""
    event, state = competition_service.managed(store, principal, event_id)
    meet = _meet_stage(state).meet
    assert meet is not None  # _meet_stage
    if not meet.events:
        raise Conflict("meet_entries_no_events")
    question = events_question(meet)
    form = list(event.form)
    index = next((i for i, q in enumerate(form) if q.question_id == EVENTS_QUESTION), None)
    if index is None:
        form.append(question)
    else:
        form[index] = question._replace(label_zh=form[index].label_zh, label_en=form[index].label_en)
    return event_service.update_event(store, principal, event_id, {"form": tuple(form)}, True, at)


# The events the page offers (any other, such as a 趣味 event, through the set-up API's meet.events).
STANDARD_EVENTS: dict[str, tuple[str, str, int]] = {
    "100m": (N_("meet_entries.event.100m"), "time", 1),
    "200m": (N_("meet_entries.event.200m"), "time", 1),
    "400m": (N_("meet_entries.event.400m"), "time", 1),
    "800m": (N_("meet_entries.event.800m"), "time", 1),
    "1500m": (N_("meet_entries.event.1500m"), "time", 1),
    "long_jump": (N_("meet_entries.event.long_jump"), "distance", 3),
    "high_jump": (N_("meet_entries.event.high_jump"), "distance", 3),
    "standing_long_jump": (N_("meet_entries.event.standing_long_jump"), "distance", 3),
    "shot_put": (N_("meet_entries.event.shot_put"), "distance", 3),
}
BAND_NAMES = (
    N_("meet_entries.band.a"),
    N_("meet_entries.band.b"),
    N_("meet_entries.band.c"),
    N_("meet_entries.band.d"),
    N_("meet_entries.band.e"),
    N_("meet_entries.band.f"),
)


def set_rules(
    store: Store, principal: Principal, event_id: str, cuts: Sequence[int], limit: int | None,
    chosen: Sequence[str], by_age: Collection[str], version: int | None, at: datetime,
) -> Competition:  # fmt: skip
    """The meet's age bands (from the highest age of each but the last: 35, 45), its individual limit and which of
    the standard events members may choose (each in age groups or by gender only); events of its own it keeps."""
    try:
        bands = rules.bands_from_cuts(
            cuts, [translate(n, "zh") for n in BAND_NAMES], [translate(n, "en") for n in BAND_NAMES]
        ) if cuts else ()  # fmt: skip
    except ValueError as problem:
        refusal = [{"type": N_("meet_entries.cuts_invalid"), "loc": ("cuts",), "msg": str(problem), "ctx": {}}]
        raise InvalidInput(refusal) from problem

    def change(meet: Meet) -> Meet:
        before = {e.code: e for e in meet.events}
        standard = []
        for code in (c for c in STANDARD_EVENTS if c in chosen):
            name, measure, attempts = STANDARD_EVENTS[code]
            event = before.get(code) or MeetEvent(
                code=code, name_zh=translate(name, "zh"), name_en=translate(name, "en"), measure=measure,  # type: ignore[arg-type]
                attempts=attempts,
            )  # fmt: skip
            standard.append(event.model_copy(update={"by_age": code in by_age}))
        own = [e for e in meet.events if e.code not in STANDARD_EVENTS]
        return meet.model_copy(update={"bands": bands, "events": (*standard, *own), "individual_limit": limit})

    return _adjusted(store, principal, event_id, version, at, change)


def start_meet(store: Store, principal: Principal, event_id: str, at: datetime) -> Competition:
    """Set a meet event's competition up as one meet without disciplines yet (they come from the registrations),
    when it has none; 409 ``competition_exists`` otherwise."""
    event, state = competition_service.managed(store, principal, event_id)
    if state is not None:
        raise Conflict("meet_entries_competition_exists")
    name = N_("meet_entries.stage_name")
    stage = {"stage_id": "meet", "kind": "measured", "name_zh": translate(name, "zh"),
             "name_en": translate(name, "en"), "meet": {}}  # fmt: skip
    return competition_service.configure(store, principal, event.event_id, {"stages": [stage]}, at)
