"""The JS-SDK signature against the worked example of WeChat's documentation (附录1 JS-SDK使用权限签名算法)."""

import hashlib

from chalicelib.domain.wechat import inside_wechat, jsapi_signature, signed_url

# The documentation's example: noncestr, jsapi_ticket, timestamp and url, and the signature it gives.
TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
NONCE = "Wm3WZYTPz0wzccnW"
TIMESTAMP = 1414587457


def test_the_documented_example():
    assert jsapi_signature(TICKET, NONCE, TIMESTAMP, "http://mp.weixin.qq.com?params=value") == (
        "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
    )
    # The older edition of the same appendix signs the URL without a query.
    assert jsapi_signature(TICKET, NONCE, TIMESTAMP, "http://mp.weixin.qq.com") == (
        "f4d90daf4b3bca3078ab155816175ba34c443a7b"
    )


def test_the_fragment_is_not_signed_and_nothing_is_escaped():
    url = "https://union.example.edu.cn/events/e1/checkin?point=s1&lang=en"
    assert signed_url(url + "#camera") == url
    assert jsapi_signature(TICKET, NONCE, TIMESTAMP, url + "#camera#again") == jsapi_signature(
        TICKET, NONCE, TIMESTAMP, url
    )
    string1 = f"jsapi_ticket={TICKET}&noncestr={NONCE}&timestamp={TIMESTAMP}&url={url}"
    assert jsapi_signature(TICKET, NONCE, TIMESTAMP, url) == hashlib.sha1(string1.encode()).hexdigest()
    # Each field counts.
    assert jsapi_signature(TICKET, NONCE, TIMESTAMP + 1, url) != jsapi_signature(TICKET, NONCE, TIMESTAMP, url)
    assert jsapi_signature(TICKET, NONCE + "x", TIMESTAMP, url) != jsapi_signature(TICKET, NONCE, TIMESTAMP, url)


def test_inside_wechat_is_the_in_app_browser_only():
    android = (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
        "Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) "
        "WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
    )
    ios = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148 MicroMessenger/8.0.44(0x18002c2d) NetType/WIFI Language/zh_CN"
    )
    assert inside_wechat(android) and inside_wechat(ios)
    assert not inside_wechat("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Version/17.1 Mobile Safari/604.1")
    assert not inside_wechat(None) and not inside_wechat("")
    wecom = (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
        "Chrome/116.0 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 NetType/WIFI Language/zh"
    )
    assert not inside_wechat(wecom)  # WeCom's JS-SDK does not take an Official Account's signature
