"""Fair judging (issue 19 item 8): conflicts of interest, the trimmed mean with a judge excused, the order of
appearance drawn by lot and checkable, and the marks still missing before a panel closes."""

from __future__ import annotations

import hashlib

from chalicelib.domain.competition import fairness
from chalicelib.domain.competition.judging import (
    Aggregation,
    Excused,
    appearance_numbers,
    appearance_order,
    check_appearance_order,
    entry_aggregation,
    entry_people,
    excused_reason,
    missing_marks,
    own_entries,
)
from chalicelib.domain.competition.setup import Competition, CompetitionEntry, EntryKind
from chalicelib.domain.competition.stages import judged_outcome

CRITERIA = [{"code": "voice", "name_zh": "声音", "weight": 1, "max_mark": 100}]


def contest(exclude_own_unit: bool = False, aggregation: str = "drop_high_low") -> Competition:
    entries = (
        CompetitionEntry(entry_id="s1", name="独唱一", unit_id="art"),
        CompetitionEntry(entry_id="s2", name="独唱二", unit_id="cs"),
        CompetitionEntry(entry_id="p1", name="对唱", unit_id="law", members=("p1", "j3")),
    )
    stage = {
        "stage_id": "final",
        "kind": "judged",
        "name_zh": "决赛",
        "judging": {"criteria": CRITERIA, "aggregation": aggregation, "exclude_own_unit": exclude_own_unit},
    }
    competition = Competition(event_id="ev", entry_kind=EntryKind.INDIVIDUAL, stages=(stage,), entries=entries)
    return competition.with_run("final", state="drawn", entries=("s1", "s2", "p1"))


JUDGES = {"s1": "art", "j2": "cs", "j3": "law", "j4": "art"}  # s1 is a contestant named judge (refused at naming)


def test_a_judge_never_marks_an_entry_they_are_in_individual_or_pair():
    assert excused_reason("s1", "art", entry_people("s1"), "art", False) == Excused.OWN_ENTRY
    assert excused_reason("j3", "law", entry_people("p1", ("p1", "j3")), "law", False) == Excused.OWN_ENTRY
    assert excused_reason("j2", "cs", entry_people("s1"), "art", False) is None
    competition = contest()
    stage = competition.stages[0]
    assert fairness.excused(competition, stage, JUDGES, "j3") == {"p1": Excused.OWN_ENTRY}
    assert fairness.may_mark(competition, stage, JUDGES, "j3") == ["s1", "s2"]
    assert fairness.may_mark(competition, stage, JUDGES, "j2") == ["s1", "s2", "p1"]  # own unit allowed by default
    assert own_entries("j3", fairness.entry_people(competition)) == ["p1"]
    assert own_entries("j2", fairness.entry_people(competition)) == []


def test_own_unit_is_excused_only_when_the_contest_says_so():
    competition = contest(exclude_own_unit=True)
    stage = competition.stages[0]
    assert fairness.excused(competition, stage, JUDGES, "j2") == {"s2": Excused.OWN_UNIT}
    assert fairness.excused(competition, stage, JUDGES, "j4") == {"s1": Excused.OWN_UNIT}
    assert fairness.may_mark(competition, stage, JUDGES, "j4") == ["s2", "p1"]
    assert fairness.excused_counts(competition, stage, JUDGES) == {"s1": 2, "s2": 1, "p1": 1}


def test_the_trimmed_mean_adjusts_to_one_judge_fewer():
    # Three judges, one excused: nothing to trim, the two marks that exist are averaged.
    assert entry_aggregation(Aggregation.DROP_HIGH_LOW, 2, 1) == Aggregation.MEAN
    # Merely missing (nobody excused): the entry waits.
    assert entry_aggregation(Aggregation.DROP_HIGH_LOW, 2, 0) is None
    # Five judges, one excused: four marks, the highest and lowest still dropped.
    assert entry_aggregation(Aggregation.DROP_HIGH_LOW, 4, 1) == Aggregation.DROP_HIGH_LOW
    # The closest pair with one of three excused: the two marks are the pair.
    assert entry_aggregation(Aggregation.CLOSEST_PAIR, 2, 1) == Aggregation.MEAN
    assert entry_aggregation(Aggregation.CLOSEST_PAIR, 1, 1) is None
    assert entry_aggregation(Aggregation.CLOSEST_PAIR, 4, 0) is None
    competition = contest()
    judging_spec = competition.stages[0].judging
    assert judging_spec is not None
    marks = {
        "s1": {"j2": {"voice": 90}, "j3": {"voice": 80}, "j4": {"voice": 70}},
        "s2": {"j2": {"voice": 60}, "j3": {"voice": 90}, "j4": {"voice": 100}},
        "p1": {"j2": {"voice": 85}, "j4": {"voice": 90}},  # j3 is in it
    }
    outcome = judged_outcome(judging_spec, ["s1", "s2", "p1"], marks, "seed", {"p1": 1})
    scores = {line.entry_id: str(line.score) for line in outcome.judged}
    assert scores == {"s1": "80.00", "s2": "90.00", "p1": "87.50"}
    assert outcome.complete
    unexcused = judged_outcome(judging_spec, ["s1", "s2", "p1"], marks, "seed")
    assert not unexcused.complete


def test_the_order_of_appearance_is_drawn_reproducibly_and_can_be_checked():
    entries = [f"e{n}" for n in range(12)]
    order = appearance_order("c0ffee", entries)
    assert order == appearance_order("c0ffee", list(reversed(entries)))
    assert order == sorted(entries, key=lambda e: hashlib.sha256(f"c0ffee:{e}".encode()).hexdigest())
    assert check_appearance_order("c0ffee", order)
    assert not check_appearance_order("c0ffee", [order[1], order[0], *order[2:]])
    assert appearance_order("other", entries) != order
    numbers = appearance_numbers(order, entries)
    assert numbers[order[0]] == 1 and numbers[order[-1]] == 12
    assert appearance_numbers((), ["b", "a"]) == {"b": 1, "a": 2}


def test_missing_marks_list_who_owes_what():
    marked = {("j2", "s1"), ("j2", "s2"), ("j2", "p1"), ("j3", "s1")}
    judges = ["j2", "j3", "j4"]
    entries = ["s1", "s2", "p1"]
    owed = missing_marks(judges, entries, lambda judge, entry: not (judge == "j3" and entry == "p1"), marked)
    assert owed == {"j3": ["s2"], "j4": ["s1", "s2", "p1"]}
    competition = contest()
    stage = competition.stages[0]
    assert fairness.missing(competition, stage, {"j2": "cs", "j3": "law"}, marked) == {"j3": ["s2"]}


def test_the_set_up_form_carries_the_own_unit_setting_both_ways():
    from chalicelib.web.competition_setup_form import SetupReader, posted_setup

    fields = {
        "template": ["judged"],
        "finalists": ["0"],
        "c_name_zh": ["演唱"],
        "c_name_en": [""],
        "c_weight": ["100"],
        "c_max_mark": [""],
        "aggregation": ["mean"],
        "tie_rule": ["criteria"],
        "rounding": ["half_up"],
        "exclude_own_unit": ["1"],
    }
    for ticked in (True, False):
        posted = posted_setup(fields if ticked else {k: v for k, v in fields.items() if k != "exclude_own_unit"})
        reader = SetupReader(posted, "zh")
        document = reader.document()
        assert not reader.errors and document["stages"][0]["judging"]["exclude_own_unit"] is ticked
        competition = Competition(event_id="ev", entry_kind=EntryKind.INDIVIDUAL, stages=document["stages"])
        assert competition.stages[0].judging.exclude_own_unit is ticked
