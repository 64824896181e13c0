"""A meet's disciplines generated from its registrations (chalicelib.domain.competition.meet_entries)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.competition import meet_entries as rules
from chalicelib.domain.competition.setup import Discipline, Meet, MeetBand, MeetEvent, MeetMerge
from chalicelib.i18n import translate

DAY = date(2026, 10, 24)
BANDS = (
    MeetBand(code="A", name_zh="甲组", name_en="Group A", max_age=35),
    MeetBand(code="B", name_zh="乙组", name_en="Group B", min_age=36, max_age=45),
    MeetBand(code="C", name_zh="丙组", name_en="Group C", min_age=46),
)
EVENTS = (
    MeetEvent(code="100m", name_zh="100米", name_en="100 m", measure="time"),
    MeetEvent(code="long_jump", name_zh="跳远", name_en="long jump", measure="distance", attempts=3, by_age=False),
    MeetEvent(code="shot_put", name_zh="铅球", name_en="shot put", measure="distance", attempts=3, by_age=False),
    MeetEvent(code="tug", name_zh="趣味跳绳", name_en="rope skipping", measure="points", genders=("F",)),
)
MEET = Meet(bands=BANDS, events=EVENTS, individual_limit=2)


def athlete(staff_no: str, gender: str, born: date | None, *events: str) -> rules.Athlete:
    return rules.Athlete(staff_no, f"N{staff_no}", "cs", gender, born, events)


def codes(generated: rules.Generated) -> dict[str, tuple[str, ...]]:
    return {d.code: d.entries for d in generated.disciplines}


def test_groups_by_gender_and_age_on_the_meet_day_birthdays_on_the_day_count():
    people = [
        athlete("1", "M", date(1991, 10, 24), "100m"),  # 35 on the day: 甲组
        athlete("2", "M", date(1990, 10, 24), "100m"),  # 36 on the day (birthday): 乙组
        athlete("3", "M", date(1990, 10, 25), "100m"),  # 35 still: 甲组
        athlete("4", "F", date(1970, 1, 1), "100m", "long_jump"),  # 56: 丙组; long jump by gender only
        athlete("5", "M", date(1980, 3, 1), "long_jump"),
        athlete("6", "F", date(1999, 3, 1), "long_jump"),
    ]
    generated = rules.generate(MEET, people, DAY)
    assert codes(generated) == {
        "M-A-100m": ("1", "3"),
        "M-B-100m": ("2",),
        "F-C-100m": ("4",),
        "M-long_jump": ("5",),
        "F-long_jump": ("4", "6"),
    }
    by_code = {d.code: d for d in generated.disciplines}
    assert by_code["M-A-100m"].group == "M-A" and by_code["M-A-100m"].event == "100m"
    assert by_code["F-long_jump"].attempts == 3 and by_code["F-long_jump"].measure == "distance"
    lone = [p for p in generated.problems if p.code in (rules.LONE_ENTRANT, rules.LONE_ALONE)]
    # 乙组 100 m has one man, 甲组 beside it has two; 丙组 women alone with no other women's band.
    assert {(p.code, p.params["group"], p.params["into"]) for p in lone} == {
        (rules.LONE_ENTRANT, "M-B", "M-A"),
        (rules.LONE_ALONE, "F-C", ""),
    }
    assert not generated.blocked


def test_an_athlete_over_the_limit_is_named_with_their_events_and_blocks():
    people = [athlete("7", "M", date(1990, 1, 1), "100m", "long_jump", "shot_put")]
    generated = rules.generate(MEET, people, DAY)
    (problem,) = [p for p in generated.problems if p.code == rules.OVER_LIMIT]
    assert problem.staff_no == "7" and problem.blocking and generated.blocked
    assert problem.params["events_zh"] == "100米、跳远、铅球" and problem.params["count"] == 3
    text = translate(problem.code, "en", name=problem.name, staff_no=problem.staff_no, **problem.params)
    assert (
        text == "N7 (7) entered 3 individual events (100 m, long jump, shot put): at most 2 each (relays not counted)"
    )
    # Dropping one of the three settles it, and the drop is kept.
    dropped = MEET.model_copy(update={"dropped": (rules.drop_key("7", "shot_put"),)})
    again = rules.generate(dropped, people, DAY)
    assert not again.blocked and "M-shot_put" not in codes(again)


def test_merges_follow_a_chain_and_only_their_event():
    people = [
        athlete("1", "M", date(1995, 1, 1), "100m"),
        athlete("2", "M", date(1985, 1, 1), "100m"),
        athlete("3", "M", date(1970, 1, 1), "100m"),
    ]
    merges = (MeetMerge(group="M-C", into="M-B"), MeetMerge(group="M-B", into="M-A", event="100m"))
    generated = rules.generate(MEET.model_copy(update={"merges": merges}), people, DAY)
    assert codes(generated) == {"M-A-100m": ("1", "2", "3")}
    assert generated.merged["M-A-100m"] == "M-C, M-B"
    # A merge back is ignored rather than looping.
    loop = (MeetMerge(group="M-C", into="M-B"), MeetMerge(group="M-B", into="M-C"))
    assert rules.merged_group(MEET.model_copy(update={"merges": loop}), "M-C", "100m") == "M-B"


def test_problems_unknown_event_gender_missing_band_and_birth_date():
    meet = MEET.model_copy(update={"bands": BANDS[:2]})  # nobody over 45
    people = [
        athlete("1", "M", date(1970, 1, 1), "100m"),
        athlete("2", "M", None, "100m"),
        athlete("3", "M", date(1990, 1, 1), "tug", "javelin"),
    ]
    generated = rules.generate(meet, people, DAY)
    found = {(p.code, p.staff_no) for p in generated.problems}
    assert found == {
        (rules.NO_BAND, "1"),
        (rules.NO_BIRTH_DATE, "2"),
        (rules.NOT_FOR_GENDER, "3"),
        (rules.UNKNOWN_EVENT, "3"),
    }
    assert generated.disciplines == () and generated.blocked
    no_band = next(p for p in generated.problems if p.code == rules.NO_BAND)
    assert translate(no_band.code, "zh", name="N1", staff_no="1", **no_band.params) == (
        "N1（1）比赛日 56 岁，没有对应的年龄组（100米）"
    )


def test_names_from_catalogue_words_and_a_rerun_keeps_settings_and_hand_typed_disciplines():
    generated = rules.generate(MEET, [athlete("1", "M", date(1995, 1, 1), "100m", "long_jump")], DAY)
    names = {d.code: rules.named(MEET, d, translate) for d in generated.disciplines}
    assert (names["M-A-100m"].name_zh, names["M-A-100m"].name_en) == ("男子甲组100米", "Men's Group A 100 m")
    assert (names["M-long_jump"].name_zh, names["M-long_jump"].name_en) == ("男子跳远", "Men's long jump")
    relay = Discipline(code="M4X100", name_zh="男子4×100米接力", measure="time", relay=True, entries=("M4X100-cs",))
    typed = Discipline(code="fun", name_zh="趣味赛", measure="points", entries=("9",))
    old = Discipline(code="M-A-100m", name_zh="x", measure="time", group="M-A", lanes=8, entries=("1", "2"))
    gone = Discipline(code="M-B-100m", name_zh="y", measure="time", group="M-B", entries=("5",))
    meet = MEET.model_copy(update={"disciplines": (old, gone, relay, typed)})
    after = rules.replaced(meet, list(names.values()))
    assert [d.code for d in after] == ["M-A-100m", "M-long_jump", "M4X100", "fun"]
    assert after[0].lanes == 8 and after[0].entries == ("1",) and after[0].name_zh == "x"  # the organiser's name
    assert rules.changed_codes(meet, after) == {"M-A-100m", "M-B-100m", "M-long_jump"}


def test_a_discipline_of_its_own_code_keeps_it_and_its_entrants_order():
    """A meet set up by hand with codes of its own (M100Y, its group and event given) is made again in place: the
    code, names and the order of the entrants stay, a newcomer comes last."""
    bands = (MeetBand(code="Y", name_zh="青年组", max_age=39), MeetBand(code="M", name_zh="中年组", min_age=40))
    own = Discipline(code="M100Y", name_zh="男子青年组100米", measure="time", group="M-Y", event="100m",
                     entries=("2", "1"))  # fmt: skip
    meet = Meet(bands=bands, events=EVENTS[:1], disciplines=(own,))
    people = [athlete(n, "M", date(1995, 1, 1), "100m") for n in ("1", "2", "3")]
    (made,) = rules.replaced(meet, rules.generate(meet, people, DAY).disciplines)
    assert (made.code, made.name_zh, made.entries) == ("M100Y", "男子青年组100米", ("2", "1", "3"))
    again = rules.replaced(meet, rules.generate(meet, people[:2], DAY).disciplines)
    assert rules.changed_codes(meet, again) == set()


def test_bands_from_the_highest_age_of_each():
    bands = rules.bands_from_cuts([35, 45], ["甲组", "乙组", "丙组"], ["Group A", "Group B", "Group C"])
    assert [(b.code, b.name_zh, b.min_age, b.max_age) for b in bands] == [
        ("A", "甲组", 0, 35),
        ("B", "乙组", 36, 45),
        ("C", "丙组", 46, None),
    ]
    for cuts in ([45, 35], [35, 35], [20, 30, 40, 50, 60, 70]):
        with pytest.raises(ValueError):
            rules.bands_from_cuts(cuts, ["x"] * 9, ["x"] * 9)
