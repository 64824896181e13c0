"""A group stage may not send on more per group than its smallest group holds (stages.check_group_places): known at
the set-up once the entries are (group_places_problems) and at the draw, not only when the groups close."""

from __future__ import annotations

import pytest

from chalicelib.domain.competition.setup import Competition, CompetitionEntry, EntryKind, Stage, StageKind
from chalicelib.domain.competition.stages import StageError, check_group_places, draw_stage, group_places_problems


def _groups(groups: int, qualifiers: int) -> Stage:
    return Stage(stage_id="groups", kind=StageKind.GROUPS, name_zh="小组赛", groups=groups, qualifiers=qualifiers)


def _competition(entries: int, *stages: Stage) -> Competition:
    return Competition(
        event_id="ev",
        entry_kind=EntryKind.INDIVIDUAL,
        stages=stages,
        entries=tuple(CompetitionEntry(entry_id=f"e{n}", name=f"选手{n}", unit_id=f"u{n}") for n in range(entries)),
    )


KNOCKOUT = Stage(stage_id="ko", kind=StageKind.SINGLE_ELIMINATION, name_zh="淘汰赛")


@pytest.mark.parametrize(
    ("entries", "groups", "qualifiers", "smallest"),
    [(6, 2, 4, 3), (7, 2, 4, 3), (12, 4, 4, 3), (11, 4, 3, 2)],
)
def test_more_qualifiers_than_the_smallest_group_is_refused_with_the_numbers(entries, groups, qualifiers, smallest):
    with pytest.raises(StageError) as refused:
        check_group_places(_groups(groups, qualifiers), entries)
    assert refused.value.code == "qualifiers_exceed_group"
    assert refused.value.params == {"qualifiers": qualifiers, "size": smallest, "groups": groups, "entries": entries}


@pytest.mark.parametrize(("entries", "groups", "qualifiers"), [(6, 2, 3), (12, 4, 2), (9, 4, 2), (3, 2, 4), (0, 4, 2)])
def test_what_the_groups_hold_passes(entries, groups, qualifiers):
    # Every qualifier may go on (groups of 3, 3 qualifiers); fewer than two per group (3 entries in 2 groups, or no
    # entries yet) is the draw's own refusal (too_few_entries), not this one.
    check_group_places(_groups(groups, qualifiers), entries)


def test_the_set_up_names_the_stage_and_field():
    assert group_places_problems(_competition(8, _groups(2, 2), KNOCKOUT)) == []
    (problem,) = group_places_problems(_competition(6, _groups(2, 4), KNOCKOUT))
    assert (problem.code, problem.location) == ("qualifiers_exceed_group", ("stages", 0, "qualifiers"))
    assert problem.params == {"qualifiers": 4, "size": 3, "groups": 2, "entries": 6}
    # A later group stage gets the qualifiers of the one before: 6 from a round robin into 2 groups of 3.
    first = Stage(stage_id="rr", kind=StageKind.ROUND_ROBIN, name_zh="循环赛", qualifiers=6)
    (later,) = group_places_problems(_competition(10, first, _groups(2, 4), KNOCKOUT))
    assert later.location == ("stages", 1, "qualifiers") and later.params and later.params["size"] == 3


def test_the_draw_refuses_it_too():
    # A set-up stored before the rule, or entries that changed: the draw knows the group sizes.
    competition = _competition(6, _groups(2, 4), KNOCKOUT)
    with pytest.raises(StageError) as refused:
        draw_stage(competition, competition.stages[0], [entry.entry_id for entry in competition.entries], "seed")
    assert (refused.value.code, refused.value.params["size"]) == ("qualifiers_exceed_group", 3)
    drawn = draw_stage(_competition(8, _groups(2, 4), KNOCKOUT), _groups(2, 4), [f"e{n}" for n in range(8)], "seed")
    assert [len(group) for group in drawn.groups] == [4, 4]
