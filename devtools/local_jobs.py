"""The app's scheduled jobs, run locally at their rates (``chalice local`` and the dev server run none of them).

Every ``app.schedule`` function of chalicelib/jobs.py (drawing due lotteries, reminders, retrying deliveries ...) is
called through its Lambda handler with an EventBridge-shaped event: once at start, then every time its rate comes
round. ``make run`` starts this in a thread; ``python -m devtools.local_jobs --once`` runs each job once.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

_SECONDS = {"MINUTES": 60, "HOURS": 3600, "DAYS": 86400}


@dataclass(frozen=True)
class Job:
    name: str
    every: float  # seconds
    handler: Callable[[dict[str, Any], Any], Any]


def jobs() -> list[Job]:
    """The scheduled functions the app registers, with their rates."""
    from chalice.app import Rate, ScheduledEventConfig

    from app import app

    found = []
    for source in app.event_sources:
        if isinstance(source, ScheduledEventConfig) and isinstance(source.schedule_expression, Rate):
            rate = source.schedule_expression
            found.append(Job(source.name, rate.value * _SECONDS[rate.unit], app.handler_map[source.name]))
    return found


def scheduled_event(job: Job) -> dict[str, Any]:
    """An EventBridge scheduled event, as Lambda passes it."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "local",
        "resources": [f"local:rule/{job.name}"],
        "detail": {},
    }


def run_job(job: Job) -> Any:
    """Run one job; a failure is printed, not raised (the next round tries again, as EventBridge would)."""
    try:
        return job.handler(scheduled_event(job), None)
    except Exception as error:
        print(f"job {job.name}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return None


def run(stop: threading.Event, found: list[Job] | None = None) -> None:
    """Run every job now and then at its rate until ``stop`` is set."""
    found = jobs() if found is None else found
    due = dict.fromkeys((job.name for job in found), time.monotonic())
    while not stop.is_set():
        for job in found:
            if time.monotonic() >= due[job.name] and not stop.is_set():
                run_job(job)
                due[job.name] = time.monotonic() + job.every
        stop.wait(max(0.1, min(due.values()) - time.monotonic()))


def start() -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(stop,), name="local-jobs", daemon=True)
    thread.start()
    return thread, stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.local_jobs")
    parser.add_argument("--once", action="store_true", help="run each job once and stop")
    args = parser.parse_args(argv)
    from devtools.tables import use_local_credentials

    use_local_credentials()
    if args.once:
        for job in jobs():
            print(f"{job.name}: {run_job(job)}", flush=True)
        return 0
    stop = threading.Event()
    try:
        run(stop)
    except KeyboardInterrupt:
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
