import pytest

from chalicelib.i18n import MESSAGES, negotiate_language, translate


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        (None, None, None, "zh"),
        ("en", None, "zh-CN", "en"),
        (None, "en", "zh-CN", "en"),
        ("zh", "en", "en", "zh"),
        (None, None, "en-US,en;q=0.9", "en"),
        (None, None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        (None, None, "fr-FR, en;q=0.5, zh;q=0.7", "zh"),
        (None, None, "en;q=0, zh;q=0.1", "zh"),
        (None, None, "de, fr", "zh"),
        ("xx", None, "en", "en"),
        (None, None, "en;q=abc, zh", "zh"),
    ],
)
def test_language_follows_query_then_cookie_then_header(query, cookie, header, expected):
    assert negotiate_language(query, cookie, header) == expected


def test_default_language_is_used_when_nothing_is_asked():
    assert negotiate_language(None, None, None, default="en") == "en"
    assert negotiate_language(None, None, None, default="fr") == "zh"


def test_translate_fills_parameters_and_falls_back():
    assert translate("method_not_allowed", "en", method="PUT") == "PUT is not supported at this address."
    assert "PUT" in translate("method_not_allowed", "zh", method="PUT")
    assert translate("no.such.key", "en") == "no.such.key"
    # A missing parameter leaves the template rather than failing the request that reports an error.
    assert translate("method_not_allowed", "en") == "{method} is not supported at this address."


def test_every_message_has_both_languages():
    incomplete = [key for key, entry in MESSAGES.items() if set(entry) != {"zh", "en"} or not all(entry.values())]
    assert incomplete == []
