"""Scheduled jobs (Lambda functions on an EventBridge schedule; ``chalice local`` does not run them).

Handlers import the services they need when they run, so that importing the app stays light.
"""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Rate

# Deployed, the template replaces this with the notifications table's stream (devtools/infra.py merges
# {"Fn::GetAtt": ["TableNotifications", "StreamArn"]} over it); locally devtools/stream_poller.py calls the handler.
NOTIFICATIONS_STREAM = "arn:aws-cn:dynamodb:cn-north-1:000000000000:table/notifications/stream/set-by-infra"
# Stream records per call: a page of a whole-union message; the function's timeout (.chalice/config.json) and the
# delivery lease (services/delivery.py LEASE) are sized for it.
DELIVERY_BATCH = 100


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
