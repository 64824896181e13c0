"""Senders of notifications outside the app, one module per channel, each off until the deployment configures it.

A channel module exposes ``sender(settings) -> Sender | None`` (None: not configured); ``configured`` imports only
the modules of channels listed in ``CHANNEL_MODULES``, when delivery first needs them (Lambda cold start)."""

from __future__ import annotations

import importlib
from typing import Protocol

from chalicelib.domain.notify import Channel, Outgoing
from chalicelib.settings import Settings


class Sender(Protocol):
    channel: Channel

    def send(self, message: Outgoing) -> None:
        """Deliver ``message`` or raise ``chalicelib.domain.notify.SendFailed``."""


# Each channel part adds its module here when it lands.
CHANNEL_MODULES: dict[Channel, str] = {
    Channel.WECOM: "chalicelib.services.channels.wecom",
    Channel.EMAIL: "chalicelib.services.channels.email",
    Channel.SMS: "chalicelib.services.channels.sms",
}


def configured(settings: Settings) -> dict[Channel, Sender]:
    """The senders of the channels this deployment has configured."""
    found: dict[Channel, Sender] = {}
    for channel, module_name in CHANNEL_MODULES.items():
        sender = importlib.import_module(module_name).sender(settings)
        if sender is not None:
            found[channel] = sender
    return found
