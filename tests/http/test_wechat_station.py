"""WeChat's own scanner on the station: the signed wx.config (GET /api/events/{id}/checkin/wechat-config) against a
local server speaking WeChat's token and getticket protocol (tests/wechat_fake.py), through the test client."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote

import pytest

from chalicelib.domain.wechat import jsapi_signature
from chalicelib.services import wechat_mp
from chalicelib.settings import get_settings
from chalicelib.web.assets import asset_url
from tests.factories import published_event
from tests.http.browsing import HOST, get_page
from tests.wechat_fake import APP_ID, APP_SECRET, TICKET_PATH, TOKEN_PATH, FakeWechat, serving

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 "
    "Mobile Safari/537.36 XWEB/1160065 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI"
)
SETTINGS = ("WECHAT_MP_APP_ID", "WECHAT_MP_APP_SECRET", "WECHAT_API_BASE")


def _configure(values: dict[str, str] | None) -> None:
    for name in SETTINGS:
        os.environ.pop(name, None)
    os.environ.update(values or {})
    get_settings.cache_clear()
    wechat_mp._client.cache_clear()


@pytest.fixture
def wechat():
    """The deployment configured with an Official Account whose API is the local fake."""
    with serving(FakeWechat()) as fake:
        _configure({"WECHAT_MP_APP_ID": APP_ID, "WECHAT_MP_APP_SECRET": APP_SECRET, "WECHAT_API_BASE": fake.base_url})
        try:
            yield fake
        finally:
            _configure(None)


@pytest.fixture(scope="module")
def event(organiser):
    return published_event(organiser, days=3, owner_unit_id="cs", title_zh="微信扫码讲座", capacity=20)


def _config(client, caller, event_id, url):
    return get_page(client, f"/api/events/{event_id}/checkin/wechat-config?url={quote(url, safe='')}", caller)


def _body(response):
    return json.loads(response.body)


def test_staff_get_a_signature_wechat_accepts_and_one_token_serves_them_all(client, callers, event, wechat):
    page = f"https://{HOST}/events/{event.event_id}/checkin?point=entry"
    answers = [_body(_config(client, callers["unit_admin"], event.event_id, page + "#scan")) for _ in range(5)]
    assert wechat.requests == {TOKEN_PATH: 1, TICKET_PATH: 1}
    for answer in answers:
        assert set(answer) == {"app_id", "timestamp", "nonce_str", "signature"} and answer["app_id"] == APP_ID
        # What WeChat recomputes from the ticket it issued (the fragment is not signed).
        assert answer["signature"] == jsapi_signature(wechat.ticket, answer["nonce_str"], answer["timestamp"], page)
    assert len({a["nonce_str"] for a in answers}) == 5
    assert _config(client, callers["union_admin"], event.event_id, page).status_code == 200


def test_only_whoever_may_open_the_station_and_only_for_this_sites_pages(client, callers, event, wechat):
    page = f"https://{HOST}/events/{event.event_id}/checkin"
    assert _config(client, callers["member"], event.event_id, page).status_code == 403
    assert _config(client, callers["other_unit_admin"], event.event_id, page).status_code == 403
    assert _config(client, callers["anonymous"], event.event_id, page).status_code == 401
    assert _config(client, callers["unit_admin"], "ev-nosuchevent", page).status_code == 404
    for foreign in (
        f"https://evil.example.com/events/{event.event_id}/checkin",
        f"https://{HOST}.evil.example.com/events/x",
        f"https://{HOST}:8443/events/x",
        "javascript:alert(1)",
    ):
        refused = _config(client, callers["unit_admin"], event.event_id, foreign)
        assert refused.status_code == 400, foreign
    assert _body(refused)["error"]["code"] == "validation_failed"  # not even a URL
    foreign = _body(_config(client, callers["unit_admin"], event.event_id, "https://evil.example.com/x"))
    assert foreign["error"]["code"] == "wechat.foreign_url" and foreign["error"]["message"] == "只能为本站的页面签名。"
    too_long = _config(client, callers["unit_admin"], event.event_id, page + "?x=" + "a" * 2100)
    assert too_long.status_code == 400
    assert wechat.requests == {}  # nothing refused here cost a call to WeChat


def test_a_token_wechat_dropped_is_renewed_and_quota_is_a_clear_503(client, callers, event, wechat):
    page = f"https://{HOST}/events/{event.event_id}/checkin"
    assert _config(client, callers["unit_admin"], event.event_id, page).status_code == 200
    wechat.revoke_tokens()
    wechat_mp._client.cache_clear()  # a new container, as after a cold start: its ticket fetch meets 40001 once
    wechat.refuse(TICKET_PATH, 40001)
    renewed = _body(_config(client, callers["unit_admin"], event.event_id, page))
    assert renewed["signature"] == jsapi_signature(wechat.ticket, renewed["nonce_str"], renewed["timestamp"], page)
    assert wechat.requests == {TOKEN_PATH: 3, TICKET_PATH: 3}

    wechat_mp._client.cache_clear()
    wechat.refuse(TICKET_PATH, 45009)
    busy = _config(client, callers["unit_admin"], event.event_id, page)
    error = _body(busy)["error"]
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert error["code"] == "wechat.refused" and error["details"] == {"errcode": 45009}
    assert "45009" in error["message"] and "微信" in error["message"]
    wechat.refuse(TICKET_PATH, -1)
    english = get_page(
        client,
        f"/api/events/{event.event_id}/checkin/wechat-config?url={quote(page, safe='')}",
        callers["unit_admin"],
        **{"Accept-Language": "en"},
    )
    assert english.status_code == 503 and "WeChat" in _body(english)["error"]["message"]
    assert APP_SECRET not in busy.body.decode()


def test_off_unless_configured(client, callers, event):
    _configure(None)
    page = f"https://{HOST}/events/{event.event_id}/checkin"
    off = _config(client, callers["unit_admin"], event.event_id, page)
    assert off.status_code == 404 and _body(off)["error"]["code"] == "wechat.off"


# ---- the station page ------------------------------------------------------------------------------------------

CHROME_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile"


def _station(client, caller, event_id, user_agent, lang="zh"):
    return get_page(client, f"/events/{event_id}/checkin?lang={lang}", caller, **{"User-Agent": user_agent})


def _station_config(html):
    return json.loads(html.split('id="station-config">', 1)[1].split("</script>", 1)[0])


def _scripts(html):
    return re.findall(r'<script src="([^"]+)"', html)


def test_the_station_loads_the_wechat_scanner_only_inside_wechat(client, callers, event, wechat):
    page = _station(client, callers["unit_admin"], event.event_id, WECHAT_UA)
    html = page.body.decode()
    assert page.status_code == 200
    scripts = _scripts(html)
    assert asset_url("vendor/jweixin.js") in scripts and asset_url("checkin_wechat.js") in scripts
    assert scripts.index(asset_url("checkin_station.js")) < scripts.index(asset_url("checkin_wechat.js"))
    assert scripts.index(asset_url("vendor/jweixin.js")) < scripts.index(asset_url("checkin_wechat.js"))
    assert '<button id="wechat-scan" class="button" type="button" hidden>微信扫一扫</button>' in html
    assert _station_config(html)["wechat"] == {"failed": "微信扫一扫暂不可用，请用扫码枪、摄像头或输入工号签到。"}
    assert "res.wx.qq.com" not in html and "https://" not in html  # nothing from another host
    english = _station(client, callers["unit_admin"], event.event_id, WECHAT_UA, lang="en").body.decode()
    assert ">Scan with WeChat</button>" in english and "WeChat scanning" in _station_config(english)["wechat"]["failed"]
    # The vendored SDK is served by the app itself.
    served = client.http.get(asset_url("vendor/jweixin.js"))
    assert served.status_code == 200 and served.body.startswith(b"// from http://res.wx.qq.com/open/js/jweixin-1.6.0")

    # Another browser: nothing of it.
    other = _station(client, callers["unit_admin"], event.event_id, CHROME_UA).body.decode()
    assert "wechat" not in other.lower() and "jweixin" not in other
    assert "wechat" not in _station_config(other)
    assert wechat.requests == {}  # showing the page costs no call to WeChat


def test_not_configured_nothing_of_it_even_inside_wechat(client, callers, event):
    _configure(None)
    html = _station(client, callers["unit_admin"], event.event_id, WECHAT_UA).body.decode()
    assert "wechat" not in html.lower() and "jweixin" not in html and "wechat" not in _station_config(html)
