"""How many worker processes WORKERS asks for (devtools/devserver.py worker_count): unset means one per core; a
whole number from 1 to 4 per core is taken; anything else is an error that says what is allowed."""

from __future__ import annotations

import pytest

from devtools.devserver import WORKERS_PER_CORE_LIMIT, WorkerCountError, worker_count, workers_line


@pytest.mark.parametrize("value", [None, "", "  "])
def test_unset_means_one_worker_per_core(value):
    assert worker_count(value, cores=2) == 2
    assert worker_count(value, cores=6) == 6


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("2", 2), (" 3 ", 3), ("8", 8)])
def test_a_whole_number_up_to_the_limit_is_taken(value, expected):
    assert worker_count(value, cores=2) == expected


@pytest.mark.parametrize("value", ["0", "-1", "abc", "2.5", "1e2", "999", "9", "٢"])
def test_anything_else_is_refused_saying_what_is_allowed(value):
    with pytest.raises(WorkerCountError) as raised:
        worker_count(value, cores=2)
    message = str(raised.value)
    assert f"from 1 to {2 * WORKERS_PER_CORE_LIMIT}" in message
    assert repr(value) in message


def test_the_console_line_names_the_count_and_how_to_debug():
    assert workers_line(2) == "Serving with 2 worker processes (WORKERS=2; WORKERS=1 to debug)"
    assert "WORKERS=1" in workers_line(1) and "pdb" in workers_line(1)
