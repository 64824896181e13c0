"""How many entries a draw seeds: the BWF's count by default, the stage's own when the organiser sets it (issue 18
item 7). BWF General Competition Regulations 13.4: 2 seeds under 16 entries, 4 for 16–31, 8 for 32–63, 16 from 64."""

import pytest

from chalicelib.domain.competition.draws import default_seed_count


@pytest.mark.parametrize(
    ("entries", "seeds"),
    [(0, 0), (1, 0), (2, 2), (8, 2), (15, 2), (16, 4), (31, 4), (32, 8), (63, 8), (64, 16), (256, 16)],
)
def test_default_seed_count_is_the_bwf_table(entries, seeds):
    assert default_seed_count(entries) == seeds
