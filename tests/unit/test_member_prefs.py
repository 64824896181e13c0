"""Pure rules of a member's notification choices and the unread badge (chalicelib/domain/member_prefs.py)."""

from chalicelib.domain.member_prefs import masked, mutable_channels, unread_label
from chalicelib.domain.notify import Channel


def test_the_badge_reads_nothing_a_count_or_99_plus():
    assert [unread_label(n) for n in (-1, 0, 1, 99, 100, 5000)] == [None, None, "1", "99", "99+", "99+"]


def test_only_delivery_channels_can_be_muted_and_unknown_values_are_ignored():
    assert mutable_channels(["email", "in_app", "fax", "sms", "email"]) == frozenset({Channel.EMAIL, Channel.SMS})
    assert mutable_channels([]) == frozenset()


def test_addresses_are_masked_enough_to_recognise_them():
    assert masked(Channel.EMAIL, "zhang.san@example.edu.cn") == "z***@example.edu.cn"
    assert masked(Channel.SMS, "13812345678") == "138****5678"
    assert masked(Channel.SMS, "1234") == "****"
    assert masked(Channel.WECOM, "2014001") == "2014001"
