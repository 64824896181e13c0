"""Scheduled jobs (Lambda functions on an EventBridge schedule; ``chalice local`` does not run them).

Handlers import the services they need when they run, so that importing the app stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Chalice, Rate

# Deployed, the template replaces this with the notifications table's stream (devtools/infra.py merges
# {"Fn::GetAtt": ["TableNotifications", "StreamArn"]} over it); locally devtools/stream_poller.py calls the handler.
NOTIFICATIONS_STREAM = "arn:aws-cn:dynamodb:cn-north-1:000000000000:table/notifications/stream/set-by-infra"
# Stream records per call: a page of a whole-union message; the function's timeout (.chalice/config.json) and the
# delivery lease (services/delivery.py LEASE) are sized for it.
DELIVERY_BATCH = 100
# The tables whose changes the year's statistics recount (services/stats.py refresh_from_records): a consumer each,
# ``stats_from_<table>``, on the table's KEYS_ONLY stream (placeholders as above, the template puts the real ones in).
STATS_TABLES = ("registrations", "attendance", "competitions", "events", "members")
# Records per call: a batch of 100 keys recounts at most 100 events or members (60 s timeout, .chalice/config.json).
STATS_BATCH = 100


def stats_stream(table: str) -> str:
    """The placeholder ARN of ``table``'s stream that a stats consumer names (devtools/infra.py replaces it)."""
    return f"arn:aws-cn:dynamodb:cn-north-1:000000000000:table/{table}/stream/set-by-infra"


def refresh_stats(event: Any) -> dict[str, int]:
    """Recount the events, members' years and headcounts a batch of stream records names, and swap each one's
    contribution to the rollups (replaying a batch, or two at once, counts nothing twice: services/stats.py)."""
    from chalicelib.domain.calendar import now
    from chalicelib.services.stats import refresh_from_records
    from chalicelib.storage import get_store

    return dict(refresh_from_records(get_store(), event.to_dict()["Records"], now()))


def _stats_consumer(table: str) -> Callable[[Any], dict[str, int]]:
    """``refresh_stats`` under the name ``stats_from_<table>``: Lambda finds a function by its handler string,
    "app.<function's __name__>" (app.py makes each job's name a name of its module)."""

    def consumer(event: Any) -> dict[str, int]:
        return refresh_stats(event)

    consumer.__name__ = consumer.__qualname__ = f"stats_from_{table}"
    consumer.__doc__ = f"The year's statistics recount what the {table} table's stream names (refresh_stats)."
    return consumer


def register_jobs(app: Chalice) -> None:
    @app.on_dynamodb_record(
        NOTIFICATIONS_STREAM, batch_size=DELIVERY_BATCH, starting_position="TRIM_HORIZON", name="deliver_notifications"
    )
    def deliver_notifications(event: Any) -> dict[str, int]:
        """New notifications sent on the members' channels (企业微信, e-mail, SMS): services/delivery.py."""
        from chalicelib.domain.calendar import now
        from chalicelib.services.delivery import deliver_records
        from chalicelib.settings import get_settings
        from chalicelib.storage import get_store

        return dict(deliver_records(get_store(), get_settings(), event.to_dict()["Records"], now()))

    for table in STATS_TABLES:
        app.on_dynamodb_record(
            stats_stream(table), batch_size=STATS_BATCH, starting_position="TRIM_HORIZON", name=f"stats_from_{table}"
        )(_stats_consumer(table))

    @app.schedule(Rate(1, unit=Rate.MINUTES), name="retry_deliveries")
    def retry_deliveries(_event: Any) -> dict[str, int]:
        """Deliveries due again: retries after back-off, messages held by quiet hours, claims whose worker died."""
        from chalicelib.domain.calendar import now
        from chalicelib.services.delivery import retry_due
        from chalicelib.settings import get_settings
        from chalicelib.storage import get_store

        return dict(retry_due(get_store(), get_settings(), now()))

    @app.schedule(Rate(10, unit=Rate.MINUTES), name="draw_due_lotteries")
    def draw_due_lotteries(_event: Any) -> dict[str, list[str]]:
        """Lotteries are drawn within ten minutes of registration closing, if no organiser did it first."""
        from chalicelib.domain.calendar import now
        from chalicelib.services.lottery import draw_due_lotteries as run
        from chalicelib.storage import get_store

        return {"drawn": run(get_store(), now())}

    @app.schedule(Rate(10, unit=Rate.MINUTES), name="send_reminders")
    def send_reminders(_event: Any) -> dict[str, int]:
        """Reminders before events and class sessions, and the waiting lists told when registration closed
        (services/reminders.py): each written once, however often or in however many containers this runs."""
        from chalicelib.domain.calendar import now
        from chalicelib.services.reminders import send_due
        from chalicelib.storage import get_store

        return send_due(get_store(), now())
