"""Per-event registration forms: questions an organiser adds, checked, and the answers members give, cleaned.

Organisers define the questions (``check_form`` reports what is wrong with them); members answer them through the
JSON API or an HTML form (``validate_answers`` returns clean answers and every problem at once). Problems are codes
with parameters, so the API and the pages can word them in either language. Storage and permissions are not handled
here; option limits are only listed (``limited_picks``) because counting them must be atomic in storage.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple, TypeGuard

from chalicelib.domain.language import N_

MAX_QUESTIONS = 30
MAX_OPTIONS = 50
TEXT_MAX_LENGTH = 200
LONG_TEXT_MAX_LENGTH = 2000
MAX_LABEL_LENGTH = 200


class QuestionKind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    DATE = "date"
    YES_NO = "yes_no"


class Option(NamedTuple):
    """One choice of a single or multiple choice question."""

    option_id: str  # short id, e.g. "L"
    label_zh: str
    label_en: str | None = None
    limit: int | None = None  # at most this many active registrations may pick it (e.g. T-shirt sizes)


class ShowIf(NamedTuple):
    """Show a question only when an earlier choice or yes/no question is visible and answered with one of ``values``.

    Single choice: its option id is in ``values``; multiple choice: any chosen option is; yes/no: "yes" or "no" is.
    """

    question_id: str
    values: tuple[str, ...]


class Question(NamedTuple):
    question_id: str  # ^[a-z][a-z0-9_]{0,29}$
    kind: QuestionKind
    label_zh: str
    label_en: str | None = None
    required: bool = False
    min_value: float | None = None  # number
    max_value: float | None = None  # number
    integer: bool = True  # number: whole numbers only
    max_length: int | None = None  # text (default 200) / long_text (default 2000); also the hard cap
    options: tuple[Option, ...] = ()
    max_choices: int | None = None  # multiple_choice
    show_if: ShowIf | None = None


class FormProblem(NamedTuple):
    """What is wrong with one question or answer; ``question_id`` is "" for the form as a whole."""

    question_id: str
    code: str
    params: dict[str, object]


_CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
_PARENT_KINDS = _CHOICE_KINDS | {QuestionKind.YES_NO}
_TEXT_CAPS = {QuestionKind.TEXT: TEXT_MAX_LENGTH, QuestionKind.LONG_TEXT: LONG_TEXT_MAX_LENGTH}

_QUESTION_ID = re.compile(r"[a-z][a-z0-9_]{0,29}")
_OPTION_ID = re.compile(r"[A-Za-z0-9_-]{1,20}")
# C0 and C1 controls other than \t and \n (\r is turned into \n first), and lone surrogates, which JSON allows but
# UTF-8 (and so DynamoDB) does not.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# After NFKC, so full-width digits and separators typed with a Chinese input method match too.
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", re.ASCII)

_YES = ("yes", "true", "1", "是", "on")  # "on": what a ticked HTML checkbox without a value sends
_NO = ("no", "false", "0", "否")
_YES_NO = dict.fromkeys(_YES, True) | dict.fromkeys(_NO, False)
# Integers beyond this lose precision as floats and are no one's real answer; DynamoDB numbers stop at 38 digits.
_NUMBER_LIMIT = 10**15
_NUMBER_TEXT_LIMIT = 64
_SHOWN_VALUE_LENGTH = 40

_NO_ANSWER = object()


# -- checking a form ---------------------------------------------------------------------------------------------------


def check_form(questions: Sequence[Question]) -> list[FormProblem]:
    """Every problem with an organiser's questions, in form order (form-level problems first)."""
    problems: list[FormProblem] = []
    if len(questions) > MAX_QUESTIONS:
        problems.append(FormProblem("", "too_many_questions", {"max": MAX_QUESTIONS}))
    all_ids = {q.question_id for q in questions if isinstance(q.question_id, str)}
    earlier: dict[str, Question] = {}
    for question in questions:
        problems.extend(_question_problems(question, earlier, all_ids))
        if isinstance(question.question_id, str):
            earlier.setdefault(question.question_id, question)
    return problems


def _question_problems(q: Question, earlier: Mapping[str, Question], all_ids: set[str]) -> list[FormProblem]:
    qid = q.question_id if isinstance(q.question_id, str) else str(q.question_id)
    problems: list[FormProblem] = []

    def add(code: str, **params: object) -> None:
        problems.append(FormProblem(qid, code, params))

    if not _is_id(_QUESTION_ID, q.question_id):
        add("bad_id")
    elif qid in earlier:
        add("duplicate_id")
    for field, label in (("label_zh", q.label_zh), ("label_en", q.label_en)):
        if not _label_ok(label, optional=field == "label_en"):
            add("bad_label", field=field, max=MAX_LABEL_LENGTH)
    try:
        kind = QuestionKind(q.kind)
    except ValueError:
        add("bad_kind")
        return problems

    if kind in _CHOICE_KINDS:
        problems.extend(_option_problems(qid, q.options))
    elif q.options:
        add("options_not_allowed")
    for code, params in [*_number_faults(q, kind), *_length_faults(q, kind), *_choices_faults(q, kind)]:
        add(code, **params)
    if q.show_if is not None:
        reason, value = _show_if_fault(q, q.show_if, earlier, all_ids)
        if reason:
            add("bad_show_if", parent=_shorten(str(q.show_if.question_id)), reason=reason, value=value)
    return problems


# A fault of one question's settings: (code, params) of a FormProblem.
_Fault = tuple[str, dict[str, object]]


def _number_faults(q: Question, kind: QuestionKind) -> list[_Fault]:
    if kind is QuestionKind.NUMBER:
        return [] if _range_ok(q.min_value, q.max_value) else [("bad_range", {"min": q.min_value, "max": q.max_value})]
    # A setting left over from another kind would be stored and shown back to the organiser; say so.
    faults: list[_Fault] = [
        ("setting_not_allowed", {"field": field})
        for field in ("min_value", "max_value")
        if getattr(q, field) is not None
    ]
    if q.integer is not True:
        faults.append(("setting_not_allowed", {"field": "integer"}))
    return faults


def _length_faults(q: Question, kind: QuestionKind) -> list[_Fault]:
    cap = _TEXT_CAPS.get(kind)
    if cap is not None:
        if q.max_length is not None and not _whole_between(q.max_length, 1, cap):
            return [("bad_max_length", {"max": cap})]
    elif q.max_length is not None:
        return [("setting_not_allowed", {"field": "max_length"})]
    return []


def _choices_faults(q: Question, kind: QuestionKind) -> list[_Fault]:
    if kind is QuestionKind.MULTIPLE_CHOICE:
        # With no options every limit is wrong; options_needed already says what to fix.
        if q.max_choices is not None and q.options and not _whole_between(q.max_choices, 1, len(q.options)):
            return [("bad_max_choices", {"max": len(q.options)})]
    elif q.max_choices is not None:
        return [("setting_not_allowed", {"field": "max_choices"})]
    return []


def _option_problems(qid: str, options: Sequence[Option]) -> list[FormProblem]:
    if not options:
        return [FormProblem(qid, "options_needed", {})]
    problems: list[FormProblem] = []
    if len(options) > MAX_OPTIONS:
        problems.append(FormProblem(qid, "too_many_options", {"max": MAX_OPTIONS}))
    seen: set[str] = set()
    for option in options:
        shown = _shorten(str(option.option_id))
        if not _is_id(_OPTION_ID, option.option_id):
            problems.append(FormProblem(qid, "bad_option", {"option": shown, "field": "option_id"}))
        elif option.option_id in seen:
            problems.append(FormProblem(qid, "duplicate_option", {"option": shown}))
        else:
            seen.add(option.option_id)
        for field, label in (("label_zh", option.label_zh), ("label_en", option.label_en)):
            if not _label_ok(label, optional=field == "label_en"):
                problems.append(FormProblem(qid, "bad_option", {"option": shown, "field": field}))
        if option.limit is not None and not _whole_between(option.limit, 1, None):
            problems.append(FormProblem(qid, "bad_limit", {"option": shown}))
    return problems


def _show_if_fault(
    q: Question, rule: ShowIf, earlier: Mapping[str, Question], all_ids: set[str]
) -> tuple[str, str | None]:
    """Why a question's show_if (``rule``) is wrong ("" if it is fine), and the offending value for
    "unknown_value"."""
    if rule.question_id == q.question_id:
        return "self", None
    parent = earlier.get(rule.question_id)
    if parent is None:
        return ("not_earlier" if rule.question_id in all_ids else "unknown_parent"), None
    if parent.kind not in _PARENT_KINDS:
        return "parent_kind", None
    if not isinstance(rule.values, tuple | list) or not rule.values:
        return "no_values", None
    allowed = {"yes", "no"} if parent.kind == QuestionKind.YES_NO else {option.option_id for option in parent.options}
    for value in rule.values:
        if value not in allowed:
            return "unknown_value", _shorten(str(value))
    return "", None


def _is_id(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _label_ok(label: object, *, optional: bool) -> bool:
    if label is None:
        return optional
    return isinstance(label, str) and bool(label.strip()) and len(label) <= MAX_LABEL_LENGTH


def _is_real(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _range_ok(low: object, high: object) -> bool:
    if low is None or high is None:
        return all(bound is None or _is_real(bound) for bound in (low, high))
    return _is_real(low) and _is_real(high) and low <= high


def _whole_between(value: object, low: int, high: int | None) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value and (high is None or value <= high)


# -- visibility ------------------------------------------------------------------------------------------------------


def visible_questions(questions: Sequence[Question], answers: Mapping[str, object]) -> list[Question]:
    """The questions shown for these clean answers; a question whose show_if parent is hidden is hidden too."""
    shown: set[str] = set()
    visible: list[Question] = []
    for question in questions:
        rule = question.show_if
        # Only earlier questions are in ``shown`` yet, so a rule naming itself or a later question never holds.
        if rule is None or (rule.question_id in shown and _rule_met(rule, answers.get(rule.question_id))):
            shown.add(question.question_id)
            visible.append(question)
    return visible


def _rule_met(rule: ShowIf, answer: object) -> bool:
    if isinstance(answer, bool):
        chosen: Sequence[object] = ("yes" if answer else "no",)
    elif isinstance(answer, str):
        chosen = (answer,)
    elif isinstance(answer, list | tuple):
        chosen = answer
    else:
        return False
    return any(value in rule.values for value in chosen)


# -- answers ---------------------------------------------------------------------------------------------------------

_VISIBLE, _HIDDEN, _UNDECIDED = "visible", "hidden", "undecided"


def validate_answers(
    questions: Sequence[Question], raw: Mapping[str, object]
) -> tuple[dict[str, object], list[FormProblem]]:
    """Clean answers (visible questions only, in form order) and problems (form order, then unknown keys sorted).

    ``raw`` may come from JSON (str, int, float, bool, list) or an HTML form (strings; lists for multiple choice).
    At most one problem is reported per question.
    """
    clean: dict[str, object] = {}
    problems: list[FormProblem] = []
    states: dict[str, str] = {}
    failed: set[str] = set()
    for question in questions:
        qid = question.question_id
        state = _visibility(question.show_if, states, clean, failed)
        states[qid] = state
        value = raw.get(qid)
        if state == _HIDDEN:
            if not _is_blank(value):
                problems.append(FormProblem(qid, "hidden_question", {}))
            continue
        answer, problem = _clean_answer(question, value)
        if problem is not None:
            problems.append(problem)
            failed.add(qid)
        elif answer is _NO_ANSWER:
            if question.required and state == _VISIBLE:
                problems.append(FormProblem(qid, "required", {}))
        elif state == _VISIBLE:
            clean[qid] = answer
    known = {question.question_id for question in questions}
    unknown = sorted(str(key) for key in raw if key not in known)
    problems.extend(FormProblem(key, "unknown_question", {}) for key in unknown)
    return clean, problems


def _visibility(rule: ShowIf | None, states: Mapping[str, str], clean: Mapping[str, object], failed: set[str]) -> str:
    """Whether a question is shown; undecided while its parent's answer is itself invalid.

    An undecided question's answer is still checked (so the member sees all problems at once) but is neither
    required nor reported as hidden: either would be noise until the parent's answer is fixed.
    """
    if rule is None:
        return _VISIBLE
    parent_state = states.get(rule.question_id, _HIDDEN)
    if parent_state != _VISIBLE:
        return parent_state
    if rule.question_id in failed:
        return _UNDECIDED
    return _VISIBLE if _rule_met(rule, clean.get(rule.question_id)) else _HIDDEN


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        # HTML forms send an empty string for an unticked group with a hidden fallback input.
        return all(item is None or (isinstance(item, str) and not item.strip()) for item in value)
    return False


def _clean_answer(q: Question, value: object) -> tuple[object, FormProblem | None]:
    if _is_blank(value):
        return _NO_ANSWER, None
    if isinstance(value, Mapping):
        return None, FormProblem(q.question_id, "bad_type", {})
    cleaner = _CLEANERS.get(q.kind)
    if cleaner is None:
        return None, FormProblem(q.question_id, "bad_type", {})
    answer, code, params = cleaner(q, value)
    if code:
        return None, FormProblem(q.question_id, code, params)
    return answer, None


# Each cleaner gets a non-blank value and returns (answer, "", {}) or (None, problem code, params).
_Cleaned = tuple[object, str, dict[str, object]]


def _clean_text(q: Question, value: object) -> _Cleaned:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, "bad_type", {}
    multiline = q.kind == QuestionKind.LONG_TEXT
    text = _clean_text_value(str(value), multiline=multiline)
    if not text:
        return _NO_ANSWER, "", {}
    cap = _TEXT_CAPS[QuestionKind(q.kind)]
    limit = q.max_length if _whole_between(q.max_length, 1, cap) else cap
    if len(text) > limit:
        return None, "too_long", {"max": limit}
    return text, "", {}


def plain_text(text: str) -> str:
    """A text of several lines as stored and sent: line breaks made ``\n``, control characters and lone surrogates
    removed, blanks around it trimmed (the long-text answer's rule; organiser messages use it too)."""
    return _clean_text_value(text, multiline=True)


def _clean_text_value(text: str, *, multiline: bool) -> str:
    # Browsers send textarea line breaks as \r\n; count and store them as one character.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL.sub("", text)
    if not multiline:
        text = text.replace("\n", " ")
    return text.strip()


def _clean_number(q: Question, value: object) -> _Cleaned:
    number, fault = _number_of(value)
    if fault:
        return None, fault, {}
    assert number is not None  # no fault: a number
    if q.integer and isinstance(number, float):
        if not number.is_integer():
            return None, "not_whole", {}
        number = int(number)
    too_low = q.min_value is not None and number < q.min_value
    too_high = q.max_value is not None and number > q.max_value
    if too_low or too_high or abs(number) > _NUMBER_LIMIT:
        return None, "out_of_range", {"min": q.min_value, "max": q.max_value}
    return (number if q.integer else float(number)), "", {}


def _number_of(value: object) -> tuple[int | float | None, str]:
    """The number an answer gives, or the code of why it gives none ("bad_type", "not_a_number")."""
    if isinstance(value, list | tuple):
        return None, "bad_type"
    if isinstance(value, bool):
        return None, "not_a_number"
    if isinstance(value, str):
        number = _parse_number(value)
    elif isinstance(value, int | float):
        number = value
    else:
        return None, "bad_type"
    if number is None or (isinstance(number, float) and not math.isfinite(number)):
        return None, "not_a_number"
    return number, ""


def _parse_number(text: str) -> int | float | None:
    text = unicodedata.normalize("NFKC", text).strip()
    # Long digit strings are no answer to a form question, and int() refuses over 4300 digits anyway.
    if len(text) > _NUMBER_TEXT_LIMIT or "_" in text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def _clean_single_choice(q: Question, value: object) -> _Cleaned:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, "bad_type", {}
    choice = str(value).strip()
    if choice not in {option.option_id for option in q.options}:
        return None, "unknown_option", {"value": _shorten(choice)}
    return choice, "", {}


def _clean_multiple_choice(q: Question, value: object) -> _Cleaned:
    if isinstance(value, list | tuple):
        items: Sequence[object] = value
    elif isinstance(value, str | int) and not isinstance(value, bool):
        items = (value,)
    else:
        return None, "bad_type", {}
    option_ids = {option.option_id for option in q.options}
    chosen: set[str] = set()
    for item in items:
        choice, fault = _choice_of(item, option_ids)
        if fault:
            return None, fault, {"value": _shorten(choice)} if fault == "unknown_option" else {}
        if choice:
            chosen.add(choice)
    if not chosen:
        return _NO_ANSWER, "", {}
    # Form order, so the same picks always store and display the same way; dict.fromkeys drops repeated ids.
    ordered = [option_id for option_id in dict.fromkeys(o.option_id for o in q.options) if option_id in chosen]
    if q.max_choices is not None and len(ordered) > q.max_choices:
        return None, "too_many_choices", {"max": q.max_choices}
    return ordered, "", {}


def _choice_of(item: object, option_ids: set[str]) -> tuple[str, str]:
    """(option id, "") for one picked item of a multiple choice, ("", "") for an empty one, or (the choice, fault)."""
    if item is None:
        return "", ""
    if isinstance(item, bool) or not isinstance(item, str | int):
        return "", "bad_type"
    choice = str(item).strip()
    if choice and choice not in option_ids:
        return choice, "unknown_option"
    return choice, ""


def _clean_date(q: Question, value: object) -> _Cleaned:
    if isinstance(value, list | tuple):
        return None, "bad_type", {}
    if not isinstance(value, str):
        return None, "bad_date", {}
    # Browsers without a date picker show a text box, where people type 2025/6/1 or 2025年6月1日.
    match = _DATE.fullmatch(unicodedata.normalize("NFKC", value).strip())
    if match is None:
        return None, "bad_date", {}
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None, "bad_date", {}
    return day.isoformat(), "", {}


def _clean_yes_no(q: Question, value: object) -> _Cleaned:
    if isinstance(value, bool):
        return value, "", {}
    if isinstance(value, list | tuple):
        return None, "bad_type", {}
    if isinstance(value, int) and value in (0, 1):
        return bool(value), "", {}
    if isinstance(value, str):
        answer = _YES_NO.get(unicodedata.normalize("NFKC", value).strip().casefold())
        if answer is not None:
            return answer, "", {}
    return None, "bad_yes_no", {}


_CLEANERS = {
    QuestionKind.TEXT: _clean_text,
    QuestionKind.LONG_TEXT: _clean_text,
    QuestionKind.NUMBER: _clean_number,
    QuestionKind.SINGLE_CHOICE: _clean_single_choice,
    QuestionKind.MULTIPLE_CHOICE: _clean_multiple_choice,
    QuestionKind.DATE: _clean_date,
    QuestionKind.YES_NO: _clean_yes_no,
}


def limited_picks(questions: Sequence[Question], answers: Mapping[str, object]) -> list[tuple[str, str, int]]:
    """(question_id, option_id, limit) for every chosen option that has a limit, in form order."""
    picks: list[tuple[str, str, int]] = []
    for question in questions:
        if question.kind not in _CHOICE_KINDS:
            continue
        answer = answers.get(question.question_id)
        chosen = {answer} if isinstance(answer, str) else set(answer) if isinstance(answer, list | tuple) else set()
        picks.extend(
            (question.question_id, option.option_id, option.limit)
            for option in question.options
            if option.limit is not None and option.option_id in chosen
        )
    return picks


# -- display ---------------------------------------------------------------------------------------------------------


# The words an answer is written with, as message ids: the caller passes their texts in the reader's language
# (chalicelib.i18n.answer_text does).
ANSWER_WORDS: dict[str, str] = {
    "yes": N_("forms.answer.yes"),
    "no": N_("forms.answer.no"),
    "separator": N_("forms.answer.separator"),  # between the items of a list answer: "、", ", "
}


def answer_text(question: Question, value: object, language: str, words: Mapping[str, str]) -> str:
    """An answer as people read it, for exports and pages; "" for no answer. ``words`` holds the texts of
    ANSWER_WORDS' keys in ``language``."""
    if value is None or value == "" or value == []:
        return ""
    english = language == "en"
    if isinstance(value, str) and question.kind == QuestionKind.YES_NO:
        value = _YES_NO.get(value.strip().casefold(), value)
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    if question.kind in _CHOICE_KINDS:
        return _choices_text(question, value, english, words["separator"])
    return _plain_text(value, words["separator"])


def _plain_text(value: object, separator: str) -> str:
    """A number, a list or a text answer as people read it."""
    if isinstance(value, int | float) or (hasattr(value, "as_integer_ratio") and not isinstance(value, str)):
        return _number_text(value)
    if isinstance(value, list | tuple):
        return separator.join(str(item) for item in value)
    return str(value)


def _choices_text(question: Question, value: object, english: bool, separator: str) -> str:
    chosen = value if isinstance(value, list | tuple) else (value,)
    options = {option.option_id: option for option in question.options}
    # An option the organiser removed after people chose it still shows, as its id.
    labels = [_option_label(options.get(str(item)), str(item), english) for item in chosen]
    return separator.join(labels)


def _option_label(option: Option | None, option_id: str, english: bool) -> str:
    if option is None:
        return option_id
    return (option.label_en or option.label_zh) if english else option.label_zh


def _number_text(value: object) -> str:
    """1.0 as "1", 2.5 as "2.5"; also takes the Decimals that DynamoDB returns."""
    if isinstance(value, int):
        return str(value)
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return str(value)
    if number.is_integer() and abs(number) <= _NUMBER_LIMIT:
        return str(int(number))
    return str(number)


# -- stored form -----------------------------------------------------------------------------------------------------


def form_to_data(questions: Sequence[Question]) -> list[dict[str, object]]:
    """JSON-ready questions, leaving out fields that are None or at their default."""
    return [_question_to_data(question) for question in questions]


def _question_to_data(q: Question) -> dict[str, object]:
    data: dict[str, object] = {"question_id": q.question_id, "kind": str(q.kind), "label_zh": q.label_zh}
    defaults = Question._field_defaults
    for field in ("label_en", "required", "min_value", "max_value", "integer", "max_length", "max_choices"):
        value = getattr(q, field)
        if value != defaults[field]:  # a min_value of 0 stays: its default is None, not False
            data[field] = value
    if q.options:
        data["options"] = [_option_to_data(option) for option in q.options]
    if q.show_if is not None:
        data["show_if"] = {"question_id": q.show_if.question_id, "values": list(q.show_if.values)}
    return data


def _option_to_data(option: Option) -> dict[str, object]:
    data: dict[str, object] = {"option_id": option.option_id, "label_zh": option.label_zh}
    if option.label_en is not None:
        data["label_en"] = option.label_en
    if option.limit is not None:
        data["limit"] = option.limit
    return data


def form_from_data(data: Sequence[Mapping[str, Any]]) -> tuple[Question, ...]:
    """Questions from ``form_to_data`` output (or stored JSON); missing optional keys take their defaults.

    Raises ValueError naming the question and key when the data has the wrong shape or types; whether the values
    make a good form is ``check_form``'s job.
    """
    if isinstance(data, str | bytes) or not isinstance(data, Sequence):
        raise ValueError("questions: expected a list")
    return tuple(_question_from_data(item, f"question {index}") for index, item in enumerate(data))


def _question_from_data(item: object, where: str) -> Question:
    if not isinstance(item, Mapping):
        raise ValueError(f"{where}: expected an object")
    kind_name = _required_text(item, "kind", where)
    try:
        kind = QuestionKind(kind_name)
    except ValueError:
        raise ValueError(f"{where}: unknown kind {_shorten(str(kind_name))!r}") from None
    options = _items(item, "options", where)
    show_if = item.get("show_if")
    return Question(
        question_id=_required_text(item, "question_id", where),
        kind=kind,
        label_zh=_required_text(item, "label_zh", where),
        label_en=_text(item, "label_en", where),
        required=_flag(item, "required", False, where),
        min_value=_number(item, "min_value", where),
        max_value=_number(item, "max_value", where),
        integer=_flag(item, "integer", True, where),
        max_length=_whole(item, "max_length", where),
        options=tuple(_option_from_data(option, f"{where} option {index}") for index, option in enumerate(options)),
        max_choices=_whole(item, "max_choices", where),
        show_if=None if show_if is None else _show_if_from_data(show_if, f"{where} show_if"),
    )


def _option_from_data(item: object, where: str) -> Option:
    if not isinstance(item, Mapping):
        raise ValueError(f"{where}: expected an object")
    return Option(
        option_id=_required_text(item, "option_id", where),
        label_zh=_required_text(item, "label_zh", where),
        label_en=_text(item, "label_en", where),
        limit=_whole(item, "limit", where),
    )


def _show_if_from_data(item: object, where: str) -> ShowIf:
    if not isinstance(item, Mapping):
        raise ValueError(f"{where}: expected an object")
    values = _items(item, "values", where)
    strings = tuple(value for value in values if isinstance(value, str))
    if len(strings) != len(values):
        raise ValueError(f"{where}: values must be strings")
    return ShowIf(question_id=_required_text(item, "question_id", where), values=strings)


def _text(item: Mapping[str, object], key: str, where: str) -> str | None:
    if item.get(key) is None:
        return None
    return _required_text(item, key, where)


def _required_text(item: Mapping[str, object], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{where}: {key} must be a string")
    return value


def _flag(item: Mapping[str, object], key: str, default: bool, where: str) -> bool:
    value = item.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValueError(f"{where}: {key} must be true or false")
    return value


def _number(item: Mapping[str, Any], key: str, where: str) -> int | float | None:
    value = item.get(key)
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    # DynamoDB hands numbers back as Decimal; there is no need to import decimal to take them.
    if hasattr(value, "as_integer_ratio") and not isinstance(value, bool | str):
        number = float(value)
        return int(value) if number.is_integer() else number
    raise ValueError(f"{where}: {key} must be a number")


def _whole(item: Mapping[str, object], key: str, where: str) -> int | None:
    value = _number(item, key, where)
    if value is None or isinstance(value, int):
        return value
    if value.is_integer():
        return int(value)
    raise ValueError(f"{where}: {key} must be a whole number")


def _items(item: Mapping[str, object], key: str, where: str) -> Sequence[object]:
    value = item.get(key)
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise ValueError(f"{where}: {key} must be a list")
    return value


def _shorten(text: str) -> str:
    """A value echoed back in a problem, cut short so a pasted essay does not flood the message."""
    return text if len(text) <= _SHOWN_VALUE_LENGTH else text[: _SHOWN_VALUE_LENGTH - 1] + "…"
