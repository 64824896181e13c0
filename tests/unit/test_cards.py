"""Cards in a football result (FIFA fair-play points, issue 18 item 7): as a referee or the API enters them."""

import pytest

from chalicelib.api.competition_schemas import ResultIn
from chalicelib.domain.competition.model import AWAY, Cards
from chalicelib.domain.competition.scoring import ScoreInvalid, cards_from_input, format_by_code, result_from_input


def test_a_football_score_with_cards():
    result = result_from_input(
        format_by_code("football"), {"score": [0, 1], "cards": {"home": {"yellow": 2, "indirect_red": 1}, "away": {}}}
    )
    assert (result.home, result.away, result.winner) == (0, 1, AWAY)
    assert result.cards == (Cards(yellow=2, indirect_red=1), Cards())
    assert [cards.fair_play for cards in result.cards] == [-5, 0]


def test_cards_left_out_are_none_and_sides_left_out_are_empty():
    assert result_from_input(format_by_code("football"), {"score": [1, 1]}).cards is None
    assert cards_from_input(None) is None
    assert cards_from_input({"away": {"direct_red": 1}}) == (Cards(), Cards(direct_red=1))


@pytest.mark.parametrize(
    "cards",
    [
        [1, 2],
        {"home": {"yellow": 1}, "visitors": {}},
        {"home": {"green": 1}},
        {"home": {"yellow": -1}},
        {"home": {"yellow": 1.5}},
        {"home": {"yellow": True}},
        {"home": {"yellow": 100}},
        {"home": [1]},
    ],
)
def test_cards_not_counted_per_side_and_kind_are_refused(cards):
    with pytest.raises(ScoreInvalid) as refused:
        result_from_input(format_by_code("football"), {"score": [1, 0], "cards": cards})
    assert refused.value.code == "cards_invalid"


def test_cards_where_the_match_has_games_are_refused():
    with pytest.raises(ScoreInvalid) as refused:
        result_from_input(
            format_by_code("badminton"), {"games": [[21, 10], [21, 12]], "cards": {"home": {"yellow": 1}}}
        )
    assert refused.value.code == "cards_invalid"


def test_the_api_reads_cards_and_passes_them_on():
    body = ResultIn.model_validate({"score": [2, 2], "cards": {"home": {"yellow": 2}, "away": {"yellow": 3}}})
    payload = body.model_dump(mode="json", exclude_none=True)
    result = result_from_input(format_by_code("football"), payload)
    assert result.cards == (Cards(yellow=2), Cards(yellow=3))
    with pytest.raises(ValueError, match="less than or equal to 99"):
        ResultIn.model_validate({"score": [2, 2], "cards": {"home": {"yellow": 100}}})
