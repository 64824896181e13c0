"""The unread count looks back ONCE_ID_MAX_AGE for notifications whose id is older than their write (once_id): it
must cover every writer of such ids, or a reminder written after the member looked would never count as unread."""

from datetime import UTC, datetime, timedelta

from chalicelib.domain.organiser_messages import MESSAGE_ID_MAX_AGE
from chalicelib.domain.reminders import CATCH_UP, WAITLIST_CATCH_UP
from chalicelib.storage.notifications import ONCE_ID_MAX_AGE, notification_id_at, once_id


def test_the_look_back_covers_every_writer_of_backdated_ids_with_an_hour_to_spare():
    for backdated_by in (CATCH_UP, WAITLIST_CATCH_UP, MESSAGE_ID_MAX_AGE):
        assert backdated_by + timedelta(hours=1) <= ONCE_ID_MAX_AGE


def test_the_range_start_sorts_before_every_id_of_that_moment_and_after_earlier_ones():
    moment = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
    start = notification_id_at(moment)
    assert start <= once_id("reminder#x", moment) < once_id("reminder#x", moment + timedelta(milliseconds=1))
    assert once_id("reminder#y", moment - timedelta(milliseconds=1)) < start
