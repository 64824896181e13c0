"""JSON routes of a member's notification choices (issue 20): GET/PUT /api/me/notify-settings."""

from typing import Literal

from pydantic import Field

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.notify import Channel
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import ApiModel, InputModel
from chalicelib.services import notify_views
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="notifications")

ChannelName = Literal["wecom", "email", "sms"]


class NotifySettingsIn(InputModel):
    """The channels to keep on; every other configured channel is turned off. The app itself is always on."""

    enabled: list[ChannelName] = Field(max_length=3)


class ChannelChoiceOut(ApiModel):
    channel: ChannelName
    enabled: bool
    address: str | None = Field(description="masked: z***@example.edu.cn, 138****5678, the 工号 for 企业微信")
    problem: Literal["no_address", "invalid_address"] | None


class NotifySettingsOut(ApiModel):
    in_app: Literal[True] = True
    channels: list[ChannelChoiceOut]


def _out(view: notify_views.NotifySettings) -> NotifySettingsOut:
    return NotifySettingsOut(
        channels=[
            ChannelChoiceOut(
                channel=choice.channel.value,  # type: ignore[arg-type]
                enabled=choice.enabled,
                address=choice.address,
                problem=choice.problem,  # type: ignore[arg-type]
            )
            for choice in view.channels
        ]
    )


@routes.route(
    "/me/notify-settings",
    access=Access.MEMBER,
    summary="My notification channels: each one this deployment sends on, on or off, with my address for it",
    response=NotifySettingsOut,
)
def my_notify_settings(principal: Principal) -> NotifySettingsOut:
    return _out(notify_views.notify_settings(get_store(), get_settings(), principal))


@routes.route(
    "/me/notify-settings",
    "PUT",
    access=Access.MEMBER,
    summary="Choose my notification channels (the whole choice: the channels left out are turned off)",
    body=NotifySettingsIn,
    response=NotifySettingsOut,
)
def save_my_notify_settings(principal: Principal, body: NotifySettingsIn) -> NotifySettingsOut:
    enabled = [Channel(name) for name in body.enabled]
    return _out(notify_views.save_notify_settings(get_store(), get_settings(), principal, enabled, now()))
