"""The API schema names only tie-break presets and match formats that exist (issue 18 item 7)."""

import re

from chalicelib.api.competition_schemas import SetupIn
from chalicelib.domain.competition.scoring import GAME_PRESETS, TIE_PRESETS
from chalicelib.domain.competition.setup import CODE
from chalicelib.domain.competition.standings import PRESETS


def test_setup_examples_are_the_presets():
    properties = SetupIn.model_json_schema()["properties"]
    assert properties["tiebreak"]["examples"] == list(PRESETS)
    assert properties["match_format"]["examples"] == [*GAME_PRESETS, *TIE_PRESETS]
    assert "football_fifa" in properties["tiebreak"]["description"]
    for missing in ("ittf", "fivb"):
        assert missing not in properties["tiebreak"]["description"].split(", ")
        assert missing not in properties["tiebreak"]["examples"]


def test_every_example_is_a_valid_code():
    for code in [*PRESETS, *GAME_PRESETS, *TIE_PRESETS]:
        assert re.fullmatch(CODE, code) and len(code) <= 32, code
