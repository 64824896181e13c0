import pytest

from chalicelib.i18n import catalogue, has_message, message_text, negotiate_language, translate


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
    assert len(catalogue("zh")) > 1000
    assert catalogue("zh").keys() == catalogue("en").keys()


def test_has_message_and_message_text_read_the_catalogues():
    assert message_text("not_found", "zh") == catalogue("zh")["not_found"] != catalogue("en")["not_found"]
    assert message_text("not_found", "en") == catalogue("en")["not_found"]
    assert has_message("not_found") and not has_message("no.such.key")
    assert message_text("no.such.key", "zh") is None and message_text("no.such.key", "en") is None


def test_english_falls_back_to_chinese_then_to_the_id(monkeypatch):
    monkeypatch.delitem(catalogue("en"), "not_found")
    assert translate("not_found", "en") == catalogue("zh")["not_found"] == translate("not_found", "zh")
    assert translate("not_found", "fr") == translate("not_found", "zh")


def test_catalogues_load_per_language_on_first_use_and_the_app_imports_without_babel():
    import subprocess
    import sys

    probe = (
        "import sys, app\n"
        "from chalicelib.i18n import catalogue, translate\n"
        "print(catalogue.cache_info().currsize, 'babel' in sys.modules)\n"
        "translate('not_found', 'zh')\n"
        "print(catalogue.cache_info().currsize)\n"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert found.stdout.split() == ["0", "False", "1"]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_templates_have_gettext_and_trans_in_the_page_language(language):
    import functools

    from chalicelib.web.render import _environment

    template = _environment().from_string(
        "{{ _('method_not_allowed', method='PUT') }}|{% trans %}not_found{% endtrans %}|{{ t('not_found') }}"
    )
    rendered = template.render(lang=language, t=functools.partial(translate, language=language))
    not_found = translate("not_found", language)
    assert rendered == f"{translate('method_not_allowed', language, method='PUT')}|{not_found}|{not_found}"
    assert "PUT" in rendered
