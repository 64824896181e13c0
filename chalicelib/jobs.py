"""Scheduled jobs (Lambda functions on an EventBridge schedule; ``chalice local`` does not run them).

Handlers import the services they need when they run, so that importing the app stays light.
"""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Rate


def register_jobs(app: Chalice) -> None:
    @app.schedule(Rate(10, unit=Rate.MINUTES), name="draw_due_lotteries")
    def draw_due_lotteries(_event: Any) -> dict[str, list[str]]:
        """Lotteries are drawn within ten minutes of registration closing, if no organiser did it first."""
        from chalicelib.domain.calendar import now
        from chalicelib.services.lottery import draw_due_lotteries as run
        from chalicelib.storage import get_store

        return {"drawn": run(get_store(), now())}
