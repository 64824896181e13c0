"""Recount a year's statistics from scratch and compare them with the stored rollups (issue 21 item 5).

    python -m devtools.rebuild_stats --year 2026 [--fix]

Works on the configured stage (APP_STAGE, TABLE_PREFIX, DYNAMODB_ENDPOINT, as for the app). Recounts every event of
the year, every member's year and the headcount (chalicelib/services/stats.py ``rebuild``), prints one line per
counter whose stored rollup differs from the recount, then a last line
``rebuild year=<year> events=<n> members=<n> differences=<n>``. ``--fix`` swaps every contribution that differs
and then adds to each rollup what it lacks against the stored contributions; it may run while the stream consumers
do (what they add meanwhile adds to the correction). A second run then reports ``differences=0``.

Exit codes: 0 done (differences are reported, not an error); 2 the settings are invalid.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from chalicelib.domain.calendar import now
from chalicelib.services.stats import rebuild
from chalicelib.settings import SettingsError, get_settings
from chalicelib.storage import get_store


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.rebuild_stats", description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=now().year, help="the China-time year (default: this one)")
    parser.add_argument("--fix", action="store_true", help="write the recount where it differs")
    arguments = parser.parse_args(argv)
    try:
        get_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    report = rebuild(get_store(), arguments.year, now(), fix=arguments.fix)
    for difference in report.differences:
        print(
            f"{difference.scope} {difference.item} {difference.counter}: "
            f"stored={difference.stored} recounted={difference.recounted}" + (" (fixed)" if arguments.fix else "")
        )
    print(f"recounted in {report.seconds} s" + (", fixed" if arguments.fix else ""))
    print(
        f"rebuild year={report.year} events={report.events} members={report.members} "
        f"differences={len(report.differences)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
