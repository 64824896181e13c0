"""企业微信 application messages: a notification becomes a text card from the university's 自建应用 to userid = 工号.

Off unless the deployment names its corporation, app and secret (``WECOM_*`` settings). What WeCom answers decides
the delivery (chalicelib.domain.wecom.failure_code): a userid WeCom does not know is final (``wecom_no_account``),
busy and rate limits are tried again later, a refused set-up (untrusted IP, wrong app) is final and named. Without
PUBLIC_BASE_URL a notification has no absolute link, so it goes as a text message instead of a card."""

from __future__ import annotations

from chalicelib.domain.notify import Channel, Outgoing, SendFailed
from chalicelib.domain.wecom import failure_code, plain_text, textcard
from chalicelib.i18n import N_, translate
from chalicelib.services.wecom import WecomClient, WecomError, client_for
from chalicelib.settings import Settings


class WecomSender:
    channel = Channel.WECOM

    def __init__(self, client: WecomClient, button: str) -> None:
        self._client, self._button = client, button

    def send(self, message: Outgoing) -> None:
        to, agent, key = message.address, self._client.agent_id, message.key
        if message.url.startswith(("https://", "http://")):
            body = textcard(
                touser=to, agent_id=agent, title=message.title, text=message.text, url=message.url,
                button=self._button, delivery_key=key,
            )  # fmt: skip
        else:  # no PUBLIC_BASE_URL, so no link to give: the words alone rather than a broken card
            body = plain_text(touser=to, agent_id=agent, title=message.title, text=message.text, delivery_key=key)
        try:
            unknown = self._client.send(body)
        except WecomError as refused:
            code, retryable = failure_code(refused.errcode)
            raise SendFailed(code, retryable, f"errcode {refused.errcode}") from None
        if message.address in unknown:
            raise SendFailed(*failure_code(81013), "invaliduser")


def sender(settings: Settings) -> WecomSender | None:
    client = client_for(settings)
    if client is None:
        return None
    return WecomSender(client, translate(N_("wecom.card_button"), settings.default_language))
