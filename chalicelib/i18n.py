"""Languages and translated messages. Chinese first, English available.

The language of a request is chosen, in order, by ``?lang=``, the ``lang`` cookie (set when a person picks a
language on a page), the ``Accept-Language`` header, then the configured default.
"""

from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import Final

from chalicelib.domain.language import N_ as N_  # re-exported: pages and services mark ids with it too

LANGUAGES: Final = ("zh", "en")
DEFAULT_LANGUAGE: Final = "zh"
# The catalogues: chalicelib/locale/<locale>/LC_MESSAGES/messages.po (the source, edited by hand), compiled to
# messages.mo beside it (`python -m devtools.check_messages --compile`; `make test` fails when a .mo is stale).
LOCALE_DIR: Final = Path(__file__).parent / "locale"
CATALOGUE_LOCALES: Final = {"zh": "zh_CN", "en": "en"}


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """Message id -> text in ``language``, read from its compiled catalogue on first use (stdlib gettext, no Babel)."""
    import gettext

    locale = CATALOGUE_LOCALES.get(language)
    if locale is None:
        return {}
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.mo").open("rb") as compiled:
        messages: dict[str, str] = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    return {key: text for key, text in messages.items() if key and text}


def message_text(key: str, language: str) -> str | None:
    """The text of ``key`` in ``language`` without parameters filled in (Chinese when there is no English); None
    when the catalogue has no such message."""
    return catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)


def has_message(key: str) -> bool:
    """Whether the catalogues hold ``key`` (in Chinese, the language every message has)."""
    return key in catalogue(DEFAULT_LANGUAGE) or key in catalogue("en")


class _MessageFormatter(string.Formatter):
    """``str.format`` plus one rule for counted words: ``{count:plural:player|players}`` gives the first form for
    1 and the second otherwise, so an English message reads "1 player" and "3 players" (Chinese needs none)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith(PLURAL_SPEC):
            one, _, other = format_spec.removeprefix(PLURAL_SPEC).partition("|")
            return one if value == 1 else other
        return super().format_field(value, format_spec)


PLURAL_SPEC: Final = "plural:"
_FORMATTER: Final = _MessageFormatter()


def translate(key: str, language: str, **params: object) -> str:
    """The message for ``key`` in ``language`` (falling back to Chinese, then to the key itself); a counted word
    written ``{count:plural:entry|entries}`` agrees with its number (_MessageFormatter)."""
    template = message_text(key, language)
    if template is None:
        return key
    try:
        return _FORMATTER.format(template, **params)
    except (KeyError, IndexError):
        # A message whose parameters were not supplied is still better shown than lost.
        return template


def state_label(state: str, language: str) -> str:
    """A registration state (its value) in words (``chalicelib.domain.records.STATE_LABELS``)."""
    from chalicelib.domain.records import STATE_LABELS, RegistrationState

    return translate(STATE_LABELS[RegistrationState(state)], language)


def _accept_language_choice(header: str) -> str | None:
    """Best supported language from an Accept-Language header, honouring q-values."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(header.split(",")):
        fields = part.strip().split(";")
        tag = fields[0].strip().lower()
        if not tag:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if primary not in LANGUAGES or quality <= 0:
            continue
        candidate = (quality, -position, primary)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


def negotiate_language(
    query_lang: str | None,
    cookie_lang: str | None,
    accept_language: str | None,
    default: str = DEFAULT_LANGUAGE,
) -> str:
    for explicit in (query_lang, cookie_lang):
        if explicit and explicit.lower()[:2] in LANGUAGES:
            return explicit.lower()[:2]
    if accept_language:
        chosen = _accept_language_choice(accept_language)
        if chosen:
            return chosen
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def notification_text(notification, language: str) -> str:
    """A notification (``chalicelib.domain.records.Notification``) as one sentence in ``language``."""
    from chalicelib.domain.records import NOTIFICATION_MESSAGES

    return translate(
        NOTIFICATION_MESSAGES[notification.kind],
        language,
        title=notification.event_title,
        **{key: value for key, value in notification.details.items() if key != "title"},
    )


def answer_text(question, value: object, language: str = "zh") -> str:
    """An answer to a form's question (``chalicelib.domain.forms.answer_text``) in words, in ``language``."""
    from chalicelib.domain.forms import ANSWER_WORDS
    from chalicelib.domain.forms import answer_text as written

    return written(question, value, language, {word: translate(key, language) for word, key in ANSWER_WORDS.items()})
