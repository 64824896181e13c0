"""WeChat's own scanner on the check-in station: the signed ``wx.config`` a station page opened inside WeChat asks
for before it may call ``wx.scanQRCode`` (chalicelib.services.wechat_mp; off unless the deployment configures an
Official Account, docs/deploy.md)."""

from typing import Annotated

from pydantic import Field

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.errors import BadRequest
from chalicelib.http.edge import from_own_site
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import ApiModel, QueryModel
from chalicelib.services import checkin as checkin_service
from chalicelib.services import wechat_mp
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="checkin")


class WechatConfigQuery(QueryModel):
    url: Annotated[str, Field(min_length=8, max_length=2048, pattern=r"^https?://[^\s]+$")] = Field(
        description="The station page's own address as the browser shows it (what follows '#' is not signed)."
    )


class WechatConfigOut(ApiModel):
    app_id: str = Field(description="The Official Account's AppID (wx.config appId).")
    timestamp: int = Field(description="Seconds since 1970 (wx.config timestamp).")
    nonce_str: str = Field(description="A fresh random string (wx.config nonceStr).")
    signature: str = Field(description="SHA-1 over jsapi_ticket, noncestr, timestamp and url (wx.config signature).")


@routes.route(
    "/events/{event_id}/checkin/wechat-config",
    access=Access.MEMBER,
    summary="Sign wx.config for a station page inside WeChat",
    query=WechatConfigQuery,
    response=WechatConfigOut,
    errors=(400, 404, 503),
)
def wechat_config(principal: Principal, event_id: str, query: WechatConfigQuery) -> WechatConfigOut:
    """For whoever may open the event's station (its organisers and check-in staff). The URL must be a page of this
    site (the configured public address, or the host the request came to). 404 ``wechat.off`` when the deployment
    has no Official Account; 503 ``wechat.refused`` (with WeChat's ``errcode``) or ``wechat.unreachable`` when
    WeChat does not hand out a ticket."""
    checkin_service.station(get_store(), principal, event_id)
    if not from_own_site(routes.current_request, query.url):
        raise BadRequest("wechat.foreign_url")
    config = wechat_mp.js_config(get_settings(), query.url, int(now().timestamp()))
    return WechatConfigOut(
        app_id=config.app_id, timestamp=config.timestamp, nonce_str=config.nonce_str, signature=config.signature
    )
