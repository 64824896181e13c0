"""Counted words agree with their number in English (review fix: "1 players"): one rule in chalicelib.i18n,
``{count:plural:player|players}``, used by the messages that count people, teams, entries, places and attempts."""

from __future__ import annotations

import pytest

from chalicelib.i18n import catalogue, translate


def test_the_plural_rule_picks_the_form_by_the_number():
    assert translate("competition.public.count.individual", "en", count=1) == "1 player"
    assert translate("competition.public.count.individual", "en", count=0) == "0 players"
    assert translate("competition.public.count.individual", "en", count=12) == "12 players"
    # The other form may name the number again; Chinese needs no rule.
    assert translate("admin.import.rejected", "en", count=1).startswith("Nothing was imported. Fix this problem")
    assert "Fix these 3 problems" in translate("admin.import.rejected", "en", count=3)
    assert translate("competition.public.count.individual", "zh", count=1) == "1人"


@pytest.mark.parametrize(
    ("key", "one", "many"),
    [
        ("competition.public.count.team", "1 team", "2 teams"),
        ("competition.public.count.pair", "1 pair", "2 pairs"),
        ("competition.manage.entries_count", "1 entry", "2 entries"),
        ("competition.manage.draw.redraws", "redone 1 time", "redone 2 times"),
        ("competition.manage.meet.attempts", "1 attempt each", "2 attempts each"),
        ("competition.schedule.court_count", "1 match", "2 matches"),
        ("events.places.left", "1 place left", "2 places left"),
    ],
)
def test_counted_messages_agree_in_english(key, one, many):
    assert one in translate(key, "en", count=1) and many in translate(key, "en", count=2)


def test_every_plural_rule_in_the_catalogue_has_two_forms():
    for key, text in catalogue("en").items():
        for part in text.split(":plural:")[1:]:
            assert "|" in part.split("}")[0], key
