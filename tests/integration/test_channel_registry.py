"""Delivery finds each channel through the registry (chalicelib.services.channels.CHANNEL_MODULES): a channel is in
``configured`` exactly when its settings are set."""

from chalicelib.domain.notify import Channel
from chalicelib.services.channels import CHANNEL_MODULES, configured
from chalicelib.settings import Settings
from tests.sms_fake import FakeAliyunSms, serving, settings_for


def test_sms_is_registered_and_configured_only_when_set():
    assert CHANNEL_MODULES[Channel.SMS] == "chalicelib.services.channels.sms"
    assert Channel.SMS not in configured(Settings())
    with serving(FakeAliyunSms()) as provider:
        assert configured(Settings.from_env(settings_for(provider)))[Channel.SMS].channel is Channel.SMS
