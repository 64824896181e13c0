"""Members' notification choices and the unread count against DynamoDB Local (member_prefs, notifications)."""

from datetime import UTC, datetime, timedelta

from chalicelib.domain.member_prefs import MemberPrefs
from chalicelib.domain.notify import Channel
from chalicelib.domain.records import NotificationKind
from chalicelib.storage.member_prefs import MemberPrefsRepository
from chalicelib.storage.notifications import once_id
from tests.round_trips import round_trips

AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def test_a_member_who_never_chose_has_every_channel_on_and_has_seen_nothing(empty_store):
    prefs = MemberPrefsRepository()
    assert prefs.get("P0001") == MemberPrefs("P0001")
    assert prefs.muted_channels(["P0001", "P0002"]) == {}


def test_muted_channels_are_replaced_whole_and_read_in_batches_of_a_hundred(empty_store):
    prefs = MemberPrefsRepository()
    prefs.set_muted("P0001", [Channel.SMS, Channel.EMAIL], AT)
    prefs.set_muted("P0001", [Channel.SMS], AT)  # the form sends the whole choice: e-mail back on
    prefs.set_muted("P0002", [Channel.WECOM, Channel.IN_APP], AT)  # the app itself cannot be turned off
    prefs.set_muted("P0003", [Channel.EMAIL], AT)
    prefs.set_muted("P0003", [], AT)  # everything on again
    assert prefs.get("P0001").muted == frozenset({Channel.SMS})
    assert prefs.get("P0002").muted == frozenset({Channel.WECOM})
    assert prefs.get("P0003").muted == frozenset()
    many = [f"Q{n:04d}" for n in range(230)]
    for staff_no in many[::50]:
        prefs.set_muted(staff_no, [Channel.EMAIL], AT)
    with round_trips() as calls:
        found = prefs.muted_channels([*many, "P0001", "P0002", "P0003", "P0001"])
    assert found == {
        "P0001": frozenset({Channel.SMS}),
        "P0002": frozenset({Channel.WECOM}),
        **{staff_no: frozenset({Channel.EMAIL}) for staff_no in many[::50]},
    }
    assert calls.operations == ["BatchGetItem"] * 3, calls.operations  # 233 distinct keys


def test_seen_only_moves_forward_and_the_unread_count_reads_what_is_newer(empty_store):
    store, prefs = empty_store, MemberPrefsRepository()

    def notice(n: int, at: datetime, due: datetime | None = None):
        # ids of their moment (a reminder's: of when it was due, which may be before it was written)
        ident = once_id(f"test#{n}", due or at)
        return store.notifications.item("P0009", NotificationKind.PROMOTED, "ev-1", "羽毛球", at, None, ident)

    items = [notice(n, AT + timedelta(minutes=n)) for n in range(5)]
    store.notifications.put_many(items)
    ids = [item.notification_id for item in items]
    assert prefs.unread_count(prefs.get("P0009"), 100) == 5
    assert prefs.unread_count(prefs.get("P0009"), 3) == 3  # capped: reads no more than asked
    looked = AT + timedelta(minutes=2, seconds=30)
    assert prefs.mark_seen("P0009", looked) is True
    assert prefs.mark_seen("P0009", AT + timedelta(minutes=1)) is False  # an older page answering late
    assert prefs.mark_seen("P0009", looked) is False
    assert prefs.get("P0009").seen_at == looked
    assert prefs.unread_count(prefs.get("P0009"), 100) == 2
    # Written at most once, with the id of when they were due (half an hour before the member looked): the one
    # written before the look is seen, the one written after it is not, though its id sorts before what was shown.
    store.notifications.put_many([notice(5, AT, due=AT - timedelta(minutes=30))])
    store.notifications.put_many([notice(6, looked + timedelta(seconds=10), due=AT - timedelta(minutes=30))])
    assert once_id("test#6", AT - timedelta(minutes=30)) < ids[2]
    assert prefs.unread_count(prefs.get("P0009"), 100) == 3
    assert prefs.mark_seen("P0009", AT + timedelta(minutes=10)) is True
    assert prefs.unread_count(prefs.get("P0009"), 100) == 0
    assert prefs.unread_count(prefs.get("P0010"), 100) == 0
