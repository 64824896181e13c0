"""README.md tells the truth: its sample ``make run`` output and the numbers its prose states are what the code
prints and loads (issue 16, item 9). Units, members, events and accounts are counted from the demo's fixture files
(devtools/demo/); the counts of what the services made of them (registrations, teams, check-ins ...) need the loaded
union: tests/integration/test_demo_loaded.py holds README's counts line equal to what ``make run`` counts there."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from chalicelib.storage.tables import TABLES
from devtools import devserver, run
from devtools.demo.loader import DemoOrganisation, read_events, read_organisation

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The sample output shows a run in 2026; the demo accounts' 工号 follow the load year (the README says so).
SAMPLE_DAY = date(2026, 9, 1)


@pytest.fixture(scope="module")
def union() -> DemoOrganisation:
    return read_organisation(SAMPLE_DAY)


def shown_counts() -> dict[str, int]:
    """The counts README's sample shows on its "Demo union seeded:" line, in their order."""
    line = re.search(r"^Demo union seeded: (.*)$", README, flags=re.MULTILINE).group(1)
    return {name: int(count) for count, name in (part.split(" ") for part in line.split(", "))}


def test_the_shown_counts_of_the_organisation_and_events_are_the_fixture_files(union):
    counts = shown_counts()
    assert list(counts) == [
        "units",
        "members",
        "events",
        "accounts",
        "registrations",
        "teams",
        "unit_places",
        "draws",
        "check_ins",
        "event_roles",
        "officials",
        "competitions",
    ]
    assert (counts["units"], counts["members"], counts["accounts"]) == (
        len(union.units),
        len(union.members),
        len(union.accounts),
    )
    assert counts["events"] == len(read_events(SAMPLE_DAY))


def sample_output() -> str:
    """The fenced block of README.md that starts with make run's first line."""
    blocks = re.findall(r"^```\n(DynamoDB Local:.*?)^```$", README, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, "README.md has one sample of make run's output"
    return blocks[0]


def test_the_sample_make_run_output_is_what_make_run_prints(union):
    shown = sample_output()
    seconds = float(re.search(r"is running \(([\d.]+)s to start\)", shown).group(1))
    # The sample machine's number of worker processes (one per core by default).
    workers = int(re.search(r"^Serving with (\d+) worker processes", shown, flags=re.MULTILINE).group(1))
    expected = "\n".join(
        [
            run.database_line("http://127.0.0.1:8001", ".../.data/dynamodb", len(TABLES)),
            run.seeded_line(shown_counts()),
            run.running_text("127.0.0.1", 8000, seconds),
            "Demo accounts (工号 / password):",
            *(run.account_line(account) for account in union.accounts),
            devserver.workers_line(workers),
            "Press Ctrl-C to stop.",
            "",
        ]
    )
    assert shown == expected


def test_the_prose_counts_the_demo_union_as_it_is_loaded(union):
    counts = shown_counts()
    # "示范大学工会 with 26 sub-unions over three campuses, 360 members, and 25 events of every kind"
    found = re.search(r"with (\d+) sub-unions over three campuses, (\d+) members,\s+and (\d+) events", README)
    assert found, "README.md describes the demo union's size"
    assert tuple(int(number) for number in found.groups()) == (
        counts["units"] - 1,  # the school union itself is not a sub-union
        counts["members"],
        counts["events"],
    )


def test_the_make_targets_the_readme_names_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    named = set(re.findall(r"`make ([a-z-]+)`", README)) | set(re.findall(r"^make ([a-z-]+)\s", README, re.MULTILINE))
    assert named and named <= targets, f"README.md names make targets the Makefile lacks: {named - targets}"
