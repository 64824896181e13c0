"""An organiser's message with HTML in it, as long as a message may be, through delivery on every channel (issue 20,
"Bad input"): services/organiser_messages.send writes it as typed, services/delivery.py sends it to the local
企业微信 (tests/wecom_fake.py), SMTP relay (tests/smtp_server.py) and Alibaba Cloud SMS (tests/sms_fake.py). The
card stays within 企业微信's byte limits with the markup escaped, the e-mail's text part keeps what was typed and its
HTML part escapes it, the SMS carries only the template's title and link; each arrives once, and delivering the same
notifications again sends nothing twice. A 10,000-character message is refused before anything is written."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.notify import Channel, DeliveryState, delivery_key
from chalicelib.domain.organiser_messages import TEXT_MAX_CHARS, Audience, AudienceKind
from chalicelib.domain.records import SCHOOL_UNIT_ID, Gender, Member, NotificationKind
from chalicelib.domain.wecom import DESCRIPTION_MAX_BYTES
from chalicelib.errors import InvalidInput
from chalicelib.services import delivery, registration
from chalicelib.services import organiser_messages as service
from chalicelib.services.channels import configured
from chalicelib.settings import Settings
from tests import sms_fake, smtp_server, wecom_fake
from tests.factories import published_event

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=CHINA_TZ)  # outside quiet hours
ADMIN = Principal(staff_no="H0000", unit_id=SCHOOL_UNIT_ID, union_admin=True, name="校工会")
STAFF = "H0001"
MARKUP = '<script>alert("x")</script><b>周六</b> & 集合'
TEXT = MARKUP + "请" * (TEXT_MAX_CHARS - len(MARKUP))  # as long as a message may be


@pytest.fixture
def servers():
    with (
        wecom_fake.serving(wecom_fake.FakeWecom([STAFF])) as wecom,
        smtp_server.serving() as smtp,
        sms_fake.serving(sms_fake.FakeAliyunSms()) as sms,
    ):
        env = {**wecom_fake.settings_env(wecom), **smtp.environment(), **sms_fake.settings_for(sms)}
        settings = Settings.from_env({**env, "PUBLIC_BASE_URL": "https://union.example.edu.cn"})
        senders = configured(settings)
        assert set(senders) == {Channel.WECOM, Channel.EMAIL, Channel.SMS}
        yield settings, senders, wecom, smtp, sms


def test_a_message_with_markup_at_full_length_reaches_each_channel_once_escaped(union, servers):
    store, _ = union
    settings, senders, wecom, smtp, sms = servers
    member = Member(STAFF, "会员甲", Gender.FEMALE, date(1986, 5, 1), "cs", email="h0001@example.edu.cn",
                    phone="13812345678")  # fmt: skip
    store.members.put_many([member])
    event = published_event(ADMIN, store=store, owner_unit_id=SCHOOL_UNIT_ID, capacity=5, title_zh="教职工合唱比赛")
    registration.register(store, Principal(staff_no=STAFF, unit_id="cs"), event.event_id, "series", {}, now())
    audience = Audience(AudienceKind.CONFIRMED, event_id=event.event_id)
    sent = service.send(store, ADMIN, audience, TEXT, sortable_id("om-"), now())
    assert sent.count == 1
    (notice,) = [n for n in store.notifications.for_member(STAFF) if n.kind is NotificationKind.ORGANISER_MESSAGE]
    assert notice.details["text"] == TEXT  # kept as typed: every page and channel escapes it where it shows

    delivery.deliver(store, settings, [notice], NOON, senders)
    key = delivery_key(STAFF, notice.notification_id)
    for channel in (Channel.WECOM, Channel.EMAIL, Channel.SMS):
        found = store.deliveries.get(key, channel)
        assert found is not None and (found.state, channel) == (DeliveryState.SENT, channel), found

    (card,) = wecom.delivered_to(STAFF)
    description = card["textcard"]["description"]
    assert len(description.encode()) <= DESCRIPTION_MAX_BYTES
    assert "<script>" not in description and "&lt;script&gt;" in description

    (mail,) = smtp.wait_for(1)
    assert mail["Subject"] == "教职工合唱比赛"
    assert TEXT in mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html

    (text,) = sms.sent
    assert text.phone == "13812345678" and set(text.params) == {"title", "link"}
    assert "<" not in "".join(text.params.values())

    # The same notifications delivered again (the stream read twice): nothing is sent a second time.
    delivery.deliver(store, settings, [notice], NOON, senders)
    assert (len(wecom.messages), len(smtp.messages), len(sms.sent)) == (1, 1, 1)


def test_a_message_of_ten_thousand_characters_is_refused_and_nothing_is_written(union):
    store, _ = union
    store.members.put_many([Member("H0002", "会员乙", Gender.FEMALE, date(1986, 5, 1), "cs")])
    event = published_event(ADMIN, store=store, owner_unit_id=SCHOOL_UNIT_ID, capacity=5)
    registration.register(store, Principal(staff_no="H0002", unit_id="cs"), event.event_id, "series", {}, now())
    audience = Audience(AudienceKind.CONFIRMED, event_id=event.event_id)
    with pytest.raises(InvalidInput):
        service.send(store, ADMIN, audience, "长" * 10_000, sortable_id("om-"), now())
    assert not [n for n in store.notifications.for_member("H0002") if n.kind is NotificationKind.ORGANISER_MESSAGE]
