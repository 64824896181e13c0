"""How many entries a draw seeds: the BWF's count by default, the stage's own when the organiser sets it (issue 18
item 7). BWF General Competition Regulations 13.4: 2 seeds under 16 entries, 4 for 16–31, 8 for 32–63, 16 from 64."""

import pytest

from chalicelib.domain.competition.draws import default_seed_count
from chalicelib.domain.competition.setup import Competition, CompetitionEntry, EntryKind, Stage, StageKind
from chalicelib.domain.competition.stages import draw_stage, seed_count


@pytest.mark.parametrize(
    ("entries", "seeds"),
    [(0, 0), (1, 0), (2, 2), (8, 2), (15, 2), (16, 4), (31, 4), (32, 8), (63, 8), (64, 16), (256, 16)],
)
def test_default_seed_count_is_the_bwf_table(entries, seeds):
    assert default_seed_count(entries) == seeds


def _stage(kind=StageKind.SINGLE_ELIMINATION, seeds=None, **more):
    return Stage(stage_id="ko", kind=kind, name_zh="淘汰赛", seeds=seeds, **more)


def test_seed_count_override_and_kinds():
    assert seed_count(_stage(), 20) == 4
    assert seed_count(_stage(seeds=8), 20) == 8
    assert seed_count(_stage(seeds=0), 20) == 0
    assert seed_count(_stage(seeds=64), 20) == 20  # never more seeds than entries
    # A first stage of groups keeps every seed the organiser gave, unless the stage says how many.
    assert seed_count(_stage(StageKind.GROUPS, groups=4), 20) is None
    assert seed_count(_stage(StageKind.GROUPS, groups=4, seeds=4), 20) == 4


def _competition(stage: Stage) -> Competition:
    entries = tuple(
        CompetitionEntry(entry_id=f"e{n}", name=f"E{n}", unit_id=f"u{n}", seed=n if n <= 4 else None)
        for n in range(1, 9)
    )
    return Competition(event_id="ev", entry_kind=EntryKind.INDIVIDUAL, stages=(stage,), entries=entries)


def _third_and_fourth_places(stage: Stage, draw_seed: str) -> set[int]:
    line = draw_stage(_competition(stage), stage, [f"e{n}" for n in range(1, 9)], draw_seed).line
    return {line.index("e3") + 1, line.index("e4") + 1}


def test_eight_entries_seed_two_unless_the_stage_seeds_more():
    """Eight entries, seeds 1–4 given: by default seeds 3 and 4 are drawn as unseeded entries (anywhere free); with
    the stage's override of 4 they take positions 3 and 6, as seeds 3–4 of a draw of eight do."""
    draw_seeds = [f"draw-{n}" for n in range(6)]
    overridden = [_third_and_fourth_places(_stage(seeds=4), seed) for seed in draw_seeds]
    assert all(places == {3, 6} for places in overridden)
    by_default = [_third_and_fourth_places(_stage(), seed) for seed in draw_seeds]
    assert any(places != {3, 6} for places in by_default)
    for seed in draw_seeds:  # seeds 1 and 2 stay at the ends either way
        line = draw_stage(_competition(_stage()), _stage(), [f"e{n}" for n in range(1, 9)], seed).line
        assert (line[0], line[-1]) == ("e1", "e2")
