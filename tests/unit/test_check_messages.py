"""devtools/check_messages.py: extracting message ids, comparing them with the catalogues, stale .mo files."""

import io
import shutil

import pytest

from devtools import check_messages
from devtools.check_messages import Family, compare, extract_jinja, extract_python

KEYWORDS = check_messages.KEYWORDS


def python_ids(source: str) -> list[str]:
    return [message for _, _, message, _ in extract_python(io.BytesIO(source.encode()), KEYWORDS, [], {})]


def template_ids(source: str) -> list[str]:
    return [message for _, _, message, _ in extract_jinja(io.BytesIO(source.encode()), KEYWORDS, [], {})]


def test_python_extraction_takes_literal_ids_and_each_branch_of_a_conditional():
    source = """
from chalicelib import errors
from chalicelib.i18n import N_, translate

LABELS = {"a": N_("kind.a")}
translate("plain", "zh")
translate("when.yes" if ok else "when.no", language, count=1)
translate(chosen or "fallback", "en")
raise errors.Conflict("already_registered", question=q)
raise NotFound()

class PayloadTooLarge(AppError):
    default_code = "body_too_large"
"""
    assert sorted(python_ids(source)) == sorted(
        ["kind.a", "plain", "when.yes", "when.no", "fallback", "already_registered", "body_too_large"]
    )


def test_python_extraction_skips_ids_built_at_run_time_and_prefixing_helpers():
    source = """
translate(f"event.kind.{kind}", language)
translate("manage.status." + status, language)
translate(key, language)
self.t("bye")
book.t("list_separator")
"""
    assert python_ids(source) == []


def test_template_extraction_finds_t_gettext_and_trans_blocks():
    source = """
<h1>{{ t('events.title') }}</h1>
<p>{{ t('a.yes' if ok else 'a.no', n=3) }} {{ _('via.alias') }} {% trans %}via.trans{% endtrans %}</p>
<p>{{ t('x.' ~ kind) }} {{ localized(event, 'title', lang) }}</p>
"""
    assert sorted(template_ids(source)) == sorted(["events.title", "a.yes", "a.no", "via.alias", "via.trans"])


def test_compare_reports_missing_untranslated_unused_and_run_time_families(tmp_path):
    (tmp_path / "pages.py").write_text('translate(f"status.{state}", language)\n')
    catalogues = {
        "zh_CN": {"used": "用", "status.open": "开放", "orphan": "孤", "half": "半"},
        "en": {"used": "Used", "status.open": "Open", "orphan": "Orphan", "half": ""},
    }
    families = [Family("status.", "pages.py"), Family("gone.", "pages.py")]
    report = compare({"used", "half", "new.id"}, catalogues, families, root=tmp_path)
    assert report.missing == {"zh_CN": ["new.id"], "en": ["half", "new.id"]}
    assert report.unused == ["orphan"]
    assert report.runtime == {families[0]: ["status.open"], families[1]: []}
    assert report.stale_families == [families[1]]
    assert report.failed(strict_unused=False)


def test_unused_ids_and_stale_families_fail_only_when_strict(tmp_path):
    catalogues = {"zh_CN": {"used": "用", "orphan": "孤"}, "en": {"used": "Used", "orphan": "Orphan"}}
    report = compare({"used"}, catalogues, [Family("gone.", "nowhere.py")], root=tmp_path)
    assert report.missing == {"zh_CN": [], "en": []}
    assert not report.failed(strict_unused=False)
    assert report.failed(strict_unused=True)


def test_the_longest_family_prefix_counts_an_id(tmp_path):
    (tmp_path / "a.py").write_text('f"manage.{x}" f"manage.state.{y}"')
    broad, narrow = Family("manage.", "a.py"), Family("manage.state.", "a.py")
    report = compare(set(), {"en": {"manage.state.open": "Open"}}, [broad, narrow], root=tmp_path)
    assert report.runtime == {broad: [], narrow: ["manage.state.open"]}


def test_families_file_is_read_without_comments(tmp_path):
    listing = tmp_path / "runtime_ids.txt"
    listing.write_text("# header\nfield.   chalicelib/http/middleware.py  # pydantic types\n\n")
    assert check_messages.read_families(listing) == [Family("field.", "chalicelib/http/middleware.py")]


def test_a_compiled_catalogue_is_stale_until_recompiled(tmp_path, monkeypatch):
    shutil.copytree(check_messages.LOCALE_DIR, tmp_path / "locale")
    monkeypatch.setattr(check_messages, "ROOT", tmp_path)
    locale_dir = tmp_path / "locale"
    assert check_messages.stale_compiled(locale_dir) == []
    po = locale_dir / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "brand.new"\nmsgstr "Brand new"\n', encoding="utf-8")
    assert check_messages.stale_compiled(locale_dir) == [po.with_suffix(".mo")]
    check_messages.compile_all(locale_dir)
    assert check_messages.stale_compiled(locale_dir) == []


@pytest.mark.parametrize("locale", check_messages.LOCALES)
def test_the_shipped_catalogues_have_no_message_without_text(locale):
    messages = check_messages.read_catalogue(check_messages.LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po")
    assert len(messages) > 1000
    assert [key for key, text in messages.items() if not text] == []


def test_adding_a_message_appends_it_to_both_catalogues_and_compiles_them(tmp_path, monkeypatch):
    shutil.copytree(check_messages.LOCALE_DIR, tmp_path / "locale")
    monkeypatch.setattr(check_messages, "ROOT", tmp_path)
    locale_dir = tmp_path / "locale"
    check_messages.add_message("demo.greeting", {"zh_CN": "你好，{name}", "en": "Hello, {name}"}, locale_dir)
    en = locale_dir / "en" / "LC_MESSAGES" / "messages.po"
    assert en.read_text(encoding="utf-8").endswith(
        '\n\n#, python-brace-format\nmsgid "demo.greeting"\nmsgstr "Hello, {name}"\n'
    )
    assert check_messages.read_catalogue(locale_dir / "zh_CN" / "LC_MESSAGES" / "messages.po")["demo.greeting"] == (
        "你好，{name}"
    )
    assert check_messages.stale_compiled(locale_dir) == []
    with pytest.raises(ValueError, match="already"):
        check_messages.add_message("demo.greeting", {"zh_CN": "再", "en": "Again"}, locale_dir)
    with pytest.raises(ValueError, match="no en text"):
        check_messages.add_message("demo.other", {"zh_CN": "只有中文", "en": ""}, locale_dir)
