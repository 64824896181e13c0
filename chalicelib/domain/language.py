"""Picking the text of a record in a person's language: the one rule for fields stored as ``<name>_zh``/``<name>_en``.

Chinese is always there; English is optional and falls back to Chinese.
"""

from __future__ import annotations

from typing import Any


def N_(key: str) -> str:
    """Marks a message id written in a table for extraction (gettext_noop): ids are never built at run time. It lives
    in the domain, which names message ids and depends on nothing but the standard library; chalicelib.i18n
    re-exports it."""
    return key


def localized_text(zh: str, en: str | None, language: str) -> str:
    """``zh`` for Chinese readers; ``en`` for everyone else, or ``zh`` when there is no English text."""
    return zh if language == "zh" else (en or zh)


def localized(record: Any, field: str, language: str) -> str:
    """``record.<field>_zh`` or ``<field>_en`` by :func:`localized_text`, e.g. ``localized(event, "title", lang)``."""
    return localized_text(getattr(record, f"{field}_zh"), getattr(record, f"{field}_en", None), language)
