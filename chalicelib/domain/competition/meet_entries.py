"""A meet set up from its registrations (issue 19 item 1): the events members chose on the registration form become
disciplines by gender and age group, each with its entries, and what stands in the way is listed.

The meet's set-up (chalicelib.domain.competition.setup.Meet) names its age bands (甲组 ≤35, 乙组 36–45, 丙组 ≥46, by
age on the meet day), the events members may choose (each run in the age bands or by gender only), at most how many
individual events one athlete may enter (relays are on top: units enter those, chalicelib.domain.competition.relays),
the organiser's merges (丙组 into 乙组 when too few) and the entries the organiser dropped. ``generate`` turns the
confirmed registrations into disciplines (codes ``M-A-100m``, ``F-long_jump``; names 男子甲组100米 / Men's Group A
100 m) and problems, each a message id with its parameters. Pure: the service (chalicelib.services.meet_entries)
reads the registrations and members and writes the result through the competition's set-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import NamedTuple

from chalicelib.domain.competition.marks import EVENTS
from chalicelib.domain.competition.measured import age_on
from chalicelib.domain.competition.setup import Discipline, Meet, MeetBand, MeetEvent
from chalicelib.domain.language import N_

GENDER_WORDS = {"M": N_("competition.gender.men"), "F": N_("competition.gender.women")}
EVENTS_QUESTION = "events"  # the registration form's question whose options are the meet's events

OVER_LIMIT = N_("meet_entries.over_limit")
NO_BAND = N_("meet_entries.no_band")
NO_BIRTH_DATE = N_("meet_entries.no_birth_date")
UNKNOWN_EVENT = N_("meet_entries.unknown_event")
NOT_FOR_GENDER = N_("meet_entries.not_for_gender")
LONE_ENTRANT = N_("meet_entries.lone_entrant")  # with the neighbouring group to merge it into
LONE_ALONE = N_("meet_entries.lone_alone")  # no neighbouring group has entrants
# What must be settled before the entries are applied (an athlete over the limit, one who fits no age band); the
# other problems are told, and the entries they concern left out.
BLOCKING = frozenset({OVER_LIMIT, NO_BAND, NO_BIRTH_DATE})

Translate = Callable[..., str]  # (message id, language, **params) → text: chalicelib.i18n.translate


class Athlete(NamedTuple):
    """A confirmed registration as generation reads it: the member's gender (M/F), birth date and unit, and the
    option ids they ticked in the events question."""

    staff_no: str
    name: str
    unit_id: str
    gender: str
    birth_date: date | None
    events: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    code: str  # a message id (meet_entries.*)
    staff_no: str | None = None
    name: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        return self.code in BLOCKING


class Generated(NamedTuple):
    disciplines: tuple[Discipline, ...]  # the generated ones, in the meet's event order, then gender, then band
    problems: tuple[Problem, ...]
    merged: Mapping[str, str]  # discipline code → the code of the group it was merged from ("M-B-100m" ← "M-C")

    @property
    def blocked(self) -> bool:
        return any(problem.blocking for problem in self.problems)


def drop_key(staff_no: str, event: str) -> str:
    return f"{staff_no}/{event}"


def discipline_code(group: str, event: str) -> str:
    return f"{group}-{event}"


def band_of(bands: Sequence[MeetBand], age: int) -> MeetBand | None:
    return next((band for band in bands if band.min_age <= age and (band.max_age is None or age <= band.max_age)), None)


def merged_group(meet: Meet, group: str, event: str) -> str:
    """Where a group's entrants of an event compete after the organiser's merges (followed along a chain, C into B
    into A; a merge back into a group already passed is ignored)."""
    seen = {group}
    while True:
        merge = next(
            (m for m in meet.merges if m.group == group and m.event in (None, event) and m.into not in seen), None
        )
        if merge is None:
            return group
        group = merge.into
        seen.add(group)


def generate(meet: Meet, athletes: Iterable[Athlete], on: date) -> Generated:
    """The disciplines the registrations make (entries in registration order) and every problem, at once."""
    events = {event.code: event for event in meet.events}
    problems: list[Problem] = []
    picked: dict[tuple[str, str], list[str]] = {}  # (event, group) → staff numbers
    for athlete in athletes:
        chosen = [code for code in athlete.events if drop_key(athlete.staff_no, code) not in meet.dropped]
        problems.extend(_limit_problems(meet, athlete, [events[c] for c in chosen if c in events]))
        for code in chosen:
            group, problem = _group(meet, events.get(code), athlete, code, on)
            if problem is not None:
                problems.append(problem)
            if group is not None:
                picked.setdefault((code, merged_group(meet, group, code)), []).append(athlete.staff_no)
    disciplines, merged = _disciplines(meet, picked)
    problems.extend(_lone_problems(meet, picked))
    return Generated(tuple(disciplines), tuple(problems), merged)


def _limit_problems(meet: Meet, athlete: Athlete, chosen: Sequence[MeetEvent]) -> list[Problem]:
    if meet.individual_limit is None or len(chosen) <= meet.individual_limit:
        return []
    params = {
        "limit": meet.individual_limit,
        "count": len(chosen),
        "events_zh": "、".join(event.name_zh for event in chosen),
        "events_en": ", ".join(event.name_en or event.name_zh for event in chosen),
    }
    return [Problem(OVER_LIMIT, athlete.staff_no, athlete.name, params)]


def _group(
    meet: Meet, event: MeetEvent | None, athlete: Athlete, code: str, on: date
) -> tuple[str | None, Problem | None]:
    """The group an athlete runs an event in, or why none."""
    if event is None:
        return None, Problem(UNKNOWN_EVENT, athlete.staff_no, athlete.name, {"event": code})
    names = {"event_zh": event.name_zh, "event_en": event.name_en or event.name_zh}
    if athlete.gender not in event.genders:
        return None, Problem(NOT_FOR_GENDER, athlete.staff_no, athlete.name, names)
    if not event.by_age or not meet.bands:
        return athlete.gender, None
    if athlete.birth_date is None:
        return None, Problem(NO_BIRTH_DATE, athlete.staff_no, athlete.name)
    age = age_on(athlete.birth_date, on)
    band = band_of(meet.bands, age)
    if band is None:
        return None, Problem(NO_BAND, athlete.staff_no, athlete.name, {**names, "age": age})
    return f"{athlete.gender}-{band.code}", None


def _disciplines(meet: Meet, picked: Mapping[tuple[str, str], list[str]]) -> tuple[list[Discipline], dict[str, str]]:
    disciplines: list[Discipline] = []
    merged: dict[str, str] = {}
    for event in meet.events:
        for group in sorted((g for e, g in picked if e == event.code), key=lambda g: group_order(meet, g)):
            code = discipline_code(group, event.code)
            disciplines.append(
                Discipline(
                    code=code,
                    name_zh=code,  # named by ``named`` (the service's catalogue words)
                    measure=event.measure,
                    attempts=event.attempts,
                    event=event.code if event.code in EVENTS else None,
                    group=group,
                    entries=tuple(picked[(event.code, group)]),
                )
            )
            sources = [m.group for m in meet.merges if merged_group(meet, m.group, event.code) == group]
            if sources:
                merged[code] = ", ".join(sources)
    return disciplines, merged


def group_order(meet: Meet, group: str) -> tuple[int, int]:
    """Men before women, then the bands in the meet's order."""
    gender, _, band = group.partition("-")
    codes = [b.code for b in meet.bands]
    return (0 if gender == "M" else 1, codes.index(band) if band in codes else -1)


def _lone_problems(meet: Meet, picked: Mapping[tuple[str, str], list[str]]) -> list[Problem]:
    """A group of one entrant, with the neighbouring band of the same gender it could be merged into."""
    problems = []
    events = {event.code: event for event in meet.events}
    for (code, group), entrants in picked.items():
        gender, _, band = group.partition("-")
        if len(entrants) != 1 or not band:
            continue
        into = _neighbour(meet, gender, band, {g for e, g in picked if e == code})
        event = events[code]
        problems.append(
            Problem(
                LONE_ENTRANT if into else LONE_ALONE,
                params={
                    "group": group,
                    "into": into or "",
                    "event": code,
                    "event_zh": event.name_zh,
                    "event_en": event.name_en or event.name_zh,
                },
            )
        )
    return problems


def _neighbour(meet: Meet, gender: str, band: str, groups: set[str]) -> str | None:
    """The nearest band of the same gender that has entrants (the younger first), as a group code."""
    codes = [b.code for b in meet.bands]
    index = codes.index(band) if band in codes else -1
    for other in sorted(range(len(codes)), key=lambda i: (abs(i - index), i)):
        group = f"{gender}-{codes[other]}"
        if other != index and group in groups:
            return group
    return None


def named(meet: Meet, discipline: Discipline, translate: Translate) -> Discipline:
    """A generated discipline with its names: 男子甲组100米 / Men's Group A 100 m; 女子跳远 / Women's Long jump."""
    event_code = discipline.code.split("-")[-1]
    event = next((e for e in meet.events if e.code == event_code), None)
    group = discipline.group or ""
    gender, _, band_code = group.partition("-")
    band = next((b for b in meet.bands if b.code == band_code), None)
    names = {}
    for language in ("zh", "en"):
        event_name = "" if event is None else (event.name_zh if language == "zh" else event.name_en or event.name_zh)
        band_name = "" if band is None else (band.name_zh if language == "zh" else band.name_en or band.name_zh)
        key = N_("meet_entries.discipline_name") if band else N_("meet_entries.discipline_name_gender")
        gender_word = translate(GENDER_WORDS.get(gender, GENDER_WORDS["M"]), language)
        names[language] = translate(key, language, gender=gender_word, band=band_name, event=event_name).strip()
    return discipline.model_copy(update={"name_zh": names["zh"][:40], "name_en": names["en"][:80]})


def event_of(discipline: Discipline) -> str | None:
    """The meet event a discipline of a group is: its ``event`` code, else the tail of its generated code."""
    if discipline.group is None:
        return None
    prefix = f"{discipline.group}-"
    return discipline.event or (discipline.code[len(prefix) :] if discipline.code.startswith(prefix) else None)


def replaced(meet: Meet, generated: Sequence[Discipline]) -> tuple[Discipline, ...]:
    """The meet's disciplines with the generated ones in place of those of the same group and event before (relays
    and disciplines typed by hand stay). A discipline made again keeps what the organiser gave it (its code and
    names, lanes, range ...) and the order of the entrants it had; newcomers come after them."""
    before: dict[tuple[str | None, str | None], Discipline] = {
        (d.group, event_of(d)): d for d in meet.disciplines if d.group is not None and not d.relay
    }
    kept = [d for d in meet.disciplines if d.group is None or d.relay]
    made = []
    for discipline in generated:
        previous = before.get((discipline.group, event_of(discipline)))
        if previous is not None:
            new = set(discipline.entries)
            order = [e for e in previous.entries if e in new]
            entries = (*order, *(e for e in discipline.entries if e not in set(order)))
            discipline = previous.model_copy(update={"entries": entries})
        made.append(discipline)
    return (*made, *kept)


def changed_codes(meet: Meet, disciplines: Sequence[Discipline]) -> set[str]:
    """The codes of disciplines that are new, gone or have other entries in ``disciplines`` than in the meet."""
    before = {d.code: d.entries for d in meet.disciplines}
    after = {d.code: d.entries for d in disciplines}
    return {code for code in before.keys() | after.keys() if before.get(code) != after.get(code)}


BAND_LETTERS = "ABCDEF"


def bands_from_cuts(cuts: Sequence[int], names_zh: Sequence[str], names_en: Sequence[str]) -> tuple[MeetBand, ...]:
    """Age bands from the highest age of each but the last (35, 45 → ≤35, 36–45, ≥46), named in order (甲组 / Group A
    ...). Raises ValueError for cuts that are not rising or more bands than names."""
    ordered = list(cuts)
    if any(b <= a for a, b in pairwise(ordered)) or len(ordered) >= len(BAND_LETTERS):
        raise ValueError("age cuts must rise, at most five")
    if len(ordered) + 1 > min(len(names_zh), len(names_en)):
        raise ValueError("not enough band names")
    lows = [0, *(cut + 1 for cut in ordered)]
    highs: list[int | None] = [*ordered, None]
    return tuple(
        MeetBand(code=BAND_LETTERS[i], name_zh=names_zh[i], name_en=names_en[i], min_age=low, max_age=high)
        for i, (low, high) in enumerate(zip(lows, highs, strict=True))
    )
