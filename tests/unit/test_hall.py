"""The contest screen's rules (issue 19 item 8, chalicelib.domain.competition.hall): a score may be revealed once
every judge has marked the contestant, while the stage is open; the screen shows only revealed scores (all once the
stage closes); on stage is the first in the order of appearance not revealed yet; equal scores share a place."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.domain.competition.hall import hall, public_order, reveal_problem, revealed_after, shown
from chalicelib.domain.competition.setup import StageRun, StageState

ENTRIES = ("a", "b", "c", "d")
NUMBERS = {"c": 1, "a": 2, "d": 3, "b": 4}  # drawn by lot: c appears first


def _run(state=StageState.DRAWN, revealed=()):
    return StageRun(state=state, entries=ENTRIES, revealed=revealed)


def test_a_score_is_revealed_only_once_every_judge_has_marked_while_the_stage_is_open():
    assert reveal_problem(_run(), "a", [], Decimal("90")) is None
    missing = reveal_problem(_run(), "a", ["j2"], Decimal("90"))
    assert missing is not None and missing.code == "reveal_marks_missing"
    unscored = reveal_problem(_run(), "a", [], None)
    assert unscored is not None and unscored.code == "reveal_marks_missing"
    pending = reveal_problem(_run(StageState.PENDING), "a", [], Decimal("90"))
    assert pending is not None and pending.code == "stage_not_open"
    closed = reveal_problem(_run(StageState.CLOSED), "a", [], Decimal("90"))
    assert closed is not None and closed.code == "stage_closed"
    stranger = reveal_problem(_run(), "z", [], Decimal("90"))
    assert stranger is not None and stranger.code == "entry_not_in_stage"


def test_reveals_keep_their_order_and_revealing_again_changes_nothing():
    run = _run(revealed=("c",))
    assert revealed_after(run, "a") == ("c", "a")
    assert revealed_after(run, "c") == ("c",)
    assert shown(run) == {"c"}
    assert shown(_run(StageState.CLOSED, revealed=("c",))) == set(ENTRIES)


def test_the_screen_hides_scores_until_revealed_and_follows_the_order_of_appearance():
    scores = {"a": Decimal("91.5"), "b": Decimal("88"), "c": Decimal("91.5"), "d": None}
    before = hall(_run(), NUMBERS, scores)
    assert [line.entry_id for line in before.lines] == ["c", "a", "d", "b"]
    assert all(line.score is None for line in before.lines)  # marked, but nothing revealed yet
    assert before.on_stage is not None and before.on_stage.entry_id == "c"
    assert before.next is not None and before.next.entry_id == "a"
    assert before.latest is None and before.standings == []

    after = hall(_run(revealed=("c", "a")), NUMBERS, scores)
    assert {line.entry_id: line.score for line in after.lines} == {
        "c": Decimal("91.5"),
        "a": Decimal("91.5"),
        "d": None,
        "b": None,  # b is marked (88) but not revealed: hidden
    }
    assert after.on_stage is not None and after.on_stage.entry_id == "d"
    assert after.next is not None and after.next.entry_id == "b"
    assert after.latest is not None and after.latest.entry_id == "a"
    assert [(line.entry_id, line.place) for line in after.standings] == [("c", 1), ("a", 1)]  # equal scores share


def test_a_closed_stage_shows_every_score_with_places_and_nobody_on_stage():
    scores = {"a": Decimal("91.5"), "b": Decimal("88"), "c": Decimal("95"), "d": Decimal("88")}
    over = hall(_run(StageState.CLOSED), NUMBERS, scores)
    assert over.on_stage is None and over.next is None and over.latest is None
    assert [(line.entry_id, line.place) for line in over.standings] == [("c", 1), ("a", 2), ("d", 3), ("b", 3)]


def test_a_stage_not_open_yet_has_nobody_on_stage():
    waiting = hall(_run(StageState.PENDING), NUMBERS, {})
    assert waiting.on_stage is None and [line.number for line in waiting.lines] == [1, 2, 3, 4]


def test_the_public_list_gives_away_no_hidden_score_by_its_order():
    ranked = ["b", "c", "a", "d"]  # b marked best, but only c and a are revealed
    assert public_order(_run(revealed=("c", "a")), ranked, NUMBERS) == [
        ("c", True),
        ("a", True),
        ("d", False),  # by number of appearance: d is No. 3, b No. 4
        ("b", False),
    ]
    assert public_order(_run(StageState.CLOSED), ranked, NUMBERS) == [(e, True) for e in ranked]
