"""Field events with a final (chalicelib.domain.competition.field): three trials, the best eight get three more."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chalicelib.domain.competition import field
from chalicelib.domain.competition.judging import appearance_order
from chalicelib.domain.competition.setup import Discipline

SEED = "seed-2026"


def _discipline(n: int, **changes: object) -> Discipline:
    values = {
        "code": "MLJ",
        "name_zh": "男子跳远",
        "measure": "distance",
        "attempts": 6,
        "final_after": 3,
        "entries": tuple(f"a{i:02d}" for i in range(1, n + 1)),
        **changes,
    }
    return Discipline.model_validate(values)


def _entered(rows: dict[str, list[str | None]]) -> dict[str, dict[str, object]]:
    return {entry: {"attempts": attempts} for entry, attempts in rows.items()}


def _ten_after_three() -> dict[str, dict[str, object]]:
    """Ten long jumpers after three rounds: a01 best (6.10) ... a08 (5.40), a09 5.30, a10 fouls three times."""
    marks = {f"a{i:02d}": [f"{6.20 - i / 10:.2f}", "X", "5.00"] for i in range(1, 10)}
    marks["a10"] = ["X", "X", "X"]
    return _entered(marks)


def test_the_start_order_is_drawn_by_lot_from_the_recorded_seed_and_can_be_checked():
    discipline = _discipline(10)
    order = field.start_order(SEED, discipline)
    assert order == appearance_order(f"{SEED}:MLJ", discipline.entries)
    assert sorted(order) == sorted(discipline.entries)
    assert field.start_order(SEED, discipline) == order  # the same seed, the same order
    assert field.start_order("another", discipline) != order


def test_the_best_eight_after_three_trials_go_on_and_no_valid_mark_never_does():
    discipline = _discipline(10)
    going_on = field.finalists(field.Measure.DISTANCE, discipline.entries, _ten_after_three(), 3, 8)
    assert going_on == tuple(f"a{i:02d}" for i in range(1, 9))


def test_a_tie_for_eighth_broken_by_the_next_best_mark_else_all_tied_go_on():
    entered = _ten_after_three()
    entered["a09"] = {"attempts": ["5.40", "X", "5.00"]}  # the same best as a08 and the same next best
    discipline = _discipline(10)
    going_on = field.finalists(field.Measure.DISTANCE, discipline.entries, entered, 3, 8)
    assert going_on is not None and len(going_on) == 9 and {"a08", "a09"} <= set(going_on)
    entered["a09"] = {"attempts": ["5.40", "X", "4.90"]}  # the next best mark decides (TR 25.22)
    going_on = field.finalists(field.Measure.DISTANCE, discipline.entries, entered, 3, 8)
    assert going_on is not None and "a09" not in going_on and len(going_on) == 8


def test_eight_or_fewer_all_have_six_trials_and_an_athlete_still_to_jump_keeps_the_eight_unknown():
    small = _discipline(8)
    assert field.finalists(field.Measure.DISTANCE, small.entries, {}, 3, 8) == small.entries
    entered = _ten_after_three()
    entered["a05"] = {"attempts": ["5.70", "X"]}
    assert field.finalists(field.Measure.DISTANCE, _discipline(10).entries, entered, 3, 8) is None
    entered["a05"] = {"attempts": [], "status": "DNS"}  # a result code counts as done
    entered["a06"] = {"attempts": ["5.60", "r"]}  # so does a retirement
    assert field.finalists(field.Measure.DISTANCE, _discipline(10).entries, entered, 3, 8) is not None


def test_rounds_four_and_five_in_reverse_order_after_three_and_the_sixth_after_five():
    discipline = _discipline(10)
    entered = _ten_after_three()
    draw = field.start_order(SEED, discipline)
    assert field.round_order(discipline, SEED, entered, 1) == draw
    assert field.round_order(discipline, SEED, entered, 3) == draw
    reverse = [f"a{i:02d}" for i in range(8, 0, -1)]  # the leader a01 last
    assert field.round_order(discipline, SEED, entered, 4) == reverse
    # a08 jumps 6.50 in round 4 and a07 6.40 in round 5: the ranking after five puts a08 first, a07 second.
    entered["a08"] = {"attempts": ["5.40", "X", "5.00", "6.50", "X"]}
    entered["a07"] = {"attempts": ["5.50", "X", "5.00", "X", "6.40"]}
    assert field.round_order(discipline, SEED, entered, 5) == reverse  # still the ranking after three
    sixth = field.round_order(discipline, SEED, entered, 6)
    assert sixth[-2:] == ["a07", "a08"] and sixth[:6] == ["a06", "a05", "a04", "a03", "a02", "a01"]


def test_tied_athletes_keep_the_drawn_order_between_them_in_a_reverse_order():
    discipline = _discipline(4, final_size=2)
    entered = _entered({"a01": ["6.00"], "a02": ["5.00"], "a03": ["5.00"], "a04": ["4.00"]})
    entered = {entry: {"attempts": [*row["attempts"], "X", "X"]} for entry, row in entered.items()}  # type: ignore[misc]
    draw = field.start_order(SEED, discipline)
    order = field.round_order(discipline, SEED, entered, 4)
    assert order[-1] == "a01" and set(order) == {"a01", "a02", "a03"}  # the tie for 2nd: both go on
    tied = [entry for entry in draw if entry in {"a02", "a03"}]
    assert order[:2] == tied


def test_the_card_shows_each_round_its_order_and_the_standing_after_it():
    discipline = _discipline(10)
    card = field.card(discipline, SEED, _ten_after_three())
    assert card.finalists == tuple(f"a{i:02d}" for i in range(1, 9))
    assert [r.number for r in card.rounds] == [1, 2, 3, 4, 5, 6]
    assert card.rounds[2].complete and not card.rounds[3].complete
    assert card.rounds[0].standing[0].entry_id == "a01" and card.rounds[0].standing[-1].place is None
    assert len(card.rounds[3].order) == 8


def test_refusals_attempts_past_three_for_someone_out_of_the_eight_or_before_the_eight_are_known():
    discipline = _discipline(10)
    entered = _ten_after_three()
    refused = field.final_problem(discipline, entered, "a09", {"attempts": ["5.30", "X", "5.00", "6.00"]})
    assert refused is not None and refused.code == "field_final.not_in_final" and refused.index == 3
    assert refused.params == {"after": "3", "size": "8", "first": "4"}
    assert field.final_problem(discipline, entered, "a01", {"attempts": ["6.10", "X", "5.00", "6.00"]}) is None
    early = {**entered, "a10": {"attempts": ["X"]}}
    refused = field.final_problem(discipline, early, "a01", {"attempts": ["6.10", "X", "5.00", "6.00"]})
    assert refused is not None and refused.code == "field_final.not_ready" and refused.params["count"] == "1"
    # the first three of anyone may be entered before the final starts, whatever they are
    assert field.final_problem(discipline, early, "a10", {"attempts": ["X", "X"]}) is None


def test_a_correction_that_would_put_a_finalist_with_later_trials_out_of_the_eight_is_refused():
    discipline = _discipline(10)
    entered = _ten_after_three()
    entered["a08"] = {"attempts": ["5.40", "X", "5.00", "5.60"]}
    refused = field.final_problem(discipline, entered, "a09", {"attempts": ["5.90", "X", "5.00"]})
    assert refused is not None and refused.code == "field_final.would_change" and refused.params["count"] == "1"
    assert field.final_problem(discipline, entered, "a09", {"attempts": ["5.35", "X", "5.00"]}) is None


def test_a_discipline_without_a_final_is_never_refused_and_the_set_up_is_checked():
    plain = _discipline(10, final_after=None)
    assert not field.has_final(plain)
    assert field.final_problem(plain, {}, "a01", {"attempts": ["1", "2", "3", "4"]}) is None
    with pytest.raises(ValidationError, match="field event"):
        _discipline(10, measure="time")
    with pytest.raises(ValidationError, match="field event"):
        _discipline(10, attempts=3)
