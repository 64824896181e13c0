"""A format per stage (issue 18 item 5): five rubbers played in full in the groups, stopped at three wins in the
knockout; a best-of-three stage with a best-of-five final; what a set-up may not do."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chalicelib.domain.competition.elimination import double_elimination, single_elimination
from chalicelib.domain.competition.formats import format_problems, is_final, match_format, stage_format
from chalicelib.domain.competition.model import HOME, Slot, new_match
from chalicelib.domain.competition.scoring import GAME_PRESETS, TIE_PRESETS, ScoreInvalid, result_from_input
from chalicelib.domain.competition.setup import Competition, Stage, StageRun

WON = {"games": [[21, 15], [21, 17]]}
LOST = {"games": [[15, 21], [17, 21]]}
THREE_NIL = {"rubbers": [WON, WON, WON, None, None]}
LINE = ("a", "b", "c", "d", "e", "f", "g", "h")


def _cup(**knockout: object) -> Competition:
    """Sixteen-team badminton cup: groups of four, the top two to an eight-team knockout (five rubbers a tie)."""
    groups = {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 4, "qualifiers": 2}
    ko = {"stage_id": "knockout", "kind": "single_elimination", "name_zh": "淘汰赛", "third_place": True, **knockout}
    return Competition.model_validate(
        {
            "event_id": "e1",
            "entry_kind": "team",
            "match_format": "badminton_5",
            "stages": [groups, ko],
            "runs": {"knockout": StageRun(line=LINE)},
        }
    )


def _group_match():
    return new_match("groups", "A1-1", "A", 1, 1, Slot(entry="a"), Slot(entry="b"))


def _knockout(competition: Competition) -> dict:
    return {match.match_id: match for match in single_elimination("knockout", LINE, third_place=True)}


def test_a_three_nil_tie_is_accepted_in_a_stop_when_decided_knockout_and_refused_in_the_groups():
    cup = _cup(stop_when_decided=True)
    quarter = _knockout(cup)["W1-1"]
    result = result_from_input(match_format(cup, quarter), THREE_NIL)
    assert (result.home, result.away, result.winner, len(result.rubbers)) == (3, 0, HOME, 3)
    with pytest.raises(ScoreInvalid) as refused:
        result_from_input(match_format(cup, _group_match()), THREE_NIL)
    assert refused.value.code == "not_decided"  # the groups play all five rubbers
    all_five = result_from_input(match_format(cup, _group_match()), {"rubbers": [WON, WON, WON, LOST, LOST]})
    assert (all_five.home, all_five.away) == (3, 2)


def test_without_a_stage_format_every_match_plays_the_competitions():
    cup = _cup()
    assert match_format(cup, _knockout(cup)["W1-1"]) is TIE_PRESETS["badminton_5"]
    assert stage_format(cup, cup.stages[0]) is TIE_PRESETS["badminton_5"]
    with pytest.raises(ScoreInvalid):
        result_from_input(match_format(cup, _knockout(cup)["W1-1"]), THREE_NIL)


def test_a_stop_when_decided_knockout_refuses_a_rubber_after_the_decision():
    cup = _cup(stop_when_decided=True)
    fmt = match_format(cup, _knockout(cup)["W2-1"])
    assert fmt.code == "badminton_5" and fmt.stop_when_decided
    with pytest.raises(ScoreInvalid) as refused:
        result_from_input(fmt, {"rubbers": [WON, WON, WON, LOST, None]})
    assert refused.value.code == "played_after_decided" and refused.value.rubber == "WD"


def test_a_best_of_three_stage_with_a_best_of_five_final():
    singles = Competition.model_validate(
        {
            "event_id": "e1",
            "entry_kind": "individual",
            "match_format": "table_tennis_bo3",
            "stages": [
                {
                    "stage_id": "knockout",
                    "kind": "single_elimination",
                    "name_zh": "淘汰赛",
                    "third_place": True,
                    "final_format": "table_tennis",
                }
            ],
            "runs": {"knockout": StageRun(line=LINE)},
        }
    )
    matches = _knockout(singles)
    stage = singles.stages[0]
    finals = [m.match_id for m in matches.values() if is_final(stage, singles.run("knockout"), m)]
    assert finals == ["W3-1"]
    assert match_format(singles, matches["W3-1"]).best_of == 5
    assert {match_format(singles, matches[m]).best_of for m in ("W1-1", "W2-2", "3P")} == {3}
    decider = {"games": [[11, 5], [5, 11], [11, 7], [7, 11], [11, 9]]}
    assert result_from_input(match_format(singles, matches["W3-1"]), decider).home == 3
    with pytest.raises(ScoreInvalid):
        result_from_input(match_format(singles, matches["W2-1"]), decider)


def test_a_double_eliminations_final_is_its_grand_final():
    stage = Stage.model_validate(
        {"stage_id": "double", "kind": "double_elimination", "name_zh": "双败", "final_format": "table_tennis"}
    )
    run = StageRun(line=LINE[:4])
    finals = [m.match_id for m in double_elimination("double", LINE[:4], "reset") if is_final(stage, run, m)]
    assert finals == ["GF1", "GF2"]


def test_set_up_problems_name_the_stage_and_field():
    def problems(**knockout: object) -> list[tuple]:
        return [(p.code, p.location, p.value) for p in format_problems(_cup(**knockout))]

    assert problems(stop_when_decided=True, final_format="badminton_3") == []
    assert problems(match_format="croquet") == [("unknown_match_format", ("stages", 1, "match_format"), "croquet")]
    assert problems(final_format="badminton") == [("stage_format_kind", ("stages", 1, "final_format"), "badminton")]
    football = _cup().model_copy(update={"match_format": "football"})
    assert football.stages[1].stop_when_decided is None and format_problems(football) == []
    football_stop = _cup(stop_when_decided=False).model_copy(update={"match_format": "football"})
    assert [p.code for p in format_problems(football_stop)] == ["stop_without_games"]
    unknown = _cup().model_copy(update={"match_format": "croquet"})
    assert [(p.code, p.location) for p in format_problems(unknown)] == [("unknown_match_format", ("match_format",))]
    assert GAME_PRESETS["football"].code == "football"


@pytest.mark.parametrize(
    ("kind", "extra", "field"),
    [
        ("groups", {"groups": 2}, {"final_format": "badminton"}),
        ("judged", {"judging": {"criteria": [{"code": "c", "name_zh": "分", "weight": 1}]}}, {"match_format": "x"}),
        ("judged", {"judging": {"criteria": [{"code": "c", "name_zh": "分", "weight": 1}]}}, {"stop_when_decided": 1}),
    ],
)
def test_a_stage_format_only_where_it_can_be_played(kind, extra, field):
    with pytest.raises(ValidationError):
        Stage.model_validate({"stage_id": "s", "kind": kind, "name_zh": "阶段", **extra, **field})
    Stage.model_validate({"stage_id": "s", "kind": kind, "name_zh": "阶段", **extra})
