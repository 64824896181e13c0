"""The engine at scale gives the same answers as before it was made faster (issue 18 item 8): a result recorded
with a feed index built once for the stage changes exactly what it changes without one, and seeded draws of every
shape (256 and 1,024 entries with units and seeds, byes, entries without a unit) put every entry where the draw
made before the speed-up put it (the digests below were taken from that draw)."""

from __future__ import annotations

import hashlib
import json
import random

import pytest

from chalicelib.domain.competition.draws import draw_bracket, draw_rng
from chalicelib.domain.competition.elimination import GrandFinal, double_elimination
from chalicelib.domain.competition.model import AWAY, HOME, Entry, MatchStatus, Result
from chalicelib.domain.competition.progress import feeds, record, settle

HOME_WINS = Result(2, 0, HOME, games=((21, 10), (21, 12)))
AWAY_WINS = Result(0, 2, AWAY, games=((10, 21), (12, 21)))


def entries(size: int, units: int, seeds: int) -> list[Entry]:
    """``size`` entries, every fifth without a unit, the first ``seeds`` seeded."""
    return [
        Entry(f"e{i:04d}", f"n{i}", f"u{i % units}" if units and i % 5 else "", i + 1 if i < seeds else None)
        for i in range(size)
    ]


# (entries, units, seeds, draw seed) → sha256 of the drawn line, from the draw before the speed-up.
DRAWN = [
    (256, 32, 16, "a", "d2d40db8e36b264b"),
    (256, 32, 16, "b", "f812d6ac1e6150fc"),
    (1024, 128, 16, "a", "395bc08ad70f8098"),
    (1024, 128, 16, "b", "63f0ba18afe75357"),
    (200, 7, 8, "a", "d88616534c53e5af"),
    (200, 7, 8, "b", "88d159cf0b460721"),
    (77, 0, 0, "a", "c88448ab4f426838"),
    (77, 0, 0, "b", "b15eebdaa367de63"),
    (33, 5, 4, "a", "84bcb5eafd602cf7"),
    (33, 5, 4, "b", "3662abfc66b3d3a9"),
    (1000, 300, 32, "a", "f08a956a6b4c55a2"),
    (1000, 300, 32, "b", "0387e5ca0482fdb8"),
]


@pytest.mark.parametrize(("size", "units", "seeds", "seed", "digest"), DRAWN)
def test_seeded_draws_are_the_draws_made_before_the_speed_up(size, units, seeds, seed, digest):
    line = draw_bracket(entries(size, units, seeds), draw_rng(seed, "bracket"))
    assert sorted(entry for entry in line if entry) == sorted(entry.entry_id for entry in entries(size, 0, 0))
    assert hashlib.sha256(json.dumps(line).encode()).hexdigest()[:16] == digest


def test_a_feed_index_built_once_changes_exactly_what_recording_without_one_changes():
    line = draw_bracket(entries(96, 12, 8), draw_rng("feeds", "bracket"))
    by_id = {match.match_id: match for match in double_elimination("d", line, GrandFinal.RESET)}
    by_id.update(settle(by_id))
    fed = feeds(by_id)
    rng = random.Random(96)
    steps = 0
    while ready := [match for match in by_id.values() if match.status == MatchStatus.READY]:
        result = rng.choice((HOME_WINS, AWAY_WINS))
        with_index = record(by_id, ready[0].match_id, result, fed)
        assert with_index == record(by_id, ready[0].match_id, result)
        by_id.update(with_index)
        steps += 1
    assert steps in (2 * 96 - 2, 2 * 96 - 1)  # every match played, the reset only when the away side won
