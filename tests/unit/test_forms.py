"""Registration forms: checking organisers' questions, cleaning members' answers, storing and showing them."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from chalicelib.domain.forms import (
    LONG_TEXT_MAX_LENGTH,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    TEXT_MAX_LENGTH,
    FormProblem,
    Option,
    Question,
    QuestionKind,
    ShowIf,
    check_form,
    form_from_data,
    form_to_data,
    limited_picks,
    validate_answers,
    visible_questions,
)
from chalicelib.i18n import answer_text

K = QuestionKind

FORM = (
    Question("name", K.TEXT, "姓名", "Name", required=True, max_length=20),
    Question("bio", K.LONG_TEXT, "个人简介", "About you"),
    Question("age", K.NUMBER, "年龄", "Age", required=True, min_value=18, max_value=70),
    Question("weight", K.NUMBER, "体重（公斤）", integer=False, min_value=30, max_value=200),
    Question(
        "size",
        K.SINGLE_CHOICE,
        "T恤尺码",
        "T-shirt size",
        options=(Option("S", "小号", "Small", limit=2), Option("M", "中号"), Option("L", "大号", "Large", limit=5)),
    ),
    Question(
        "events",
        K.MULTIPLE_CHOICE,
        "参加项目",
        "Events",
        options=(
            Option("run", "跑步", "Running", limit=10),
            Option("swim", "游泳"),
            Option("jump", "跳远", "Long jump"),
        ),
        max_choices=2,
    ),
    Question("birthday", K.DATE, "出生日期"),
    Question("drive", K.YES_NO, "是否自驾", "Driving?"),
    Question("plate", K.TEXT, "车牌号", required=True, show_if=ShowIf("drive", ("yes",))),
    Question(
        "car",
        K.SINGLE_CHOICE,
        "车型",
        options=(Option("ev", "电动车", limit=3), Option("gas", "燃油车")),
        show_if=ShowIf("drive", ("yes",)),
    ),
    Question("charger", K.YES_NO, "需要充电桩", required=True, show_if=ShowIf("car", ("ev",))),
    Question("swim_level", K.TEXT, "游泳水平", show_if=ShowIf("events", ("swim",))),
)

HTML_ANSWERS = {
    "name": "  张三 ",
    "bio": "热爱运动\r\n喜欢跑步",
    "age": "35",
    "weight": "62.5",
    "size": "L",
    "events": ["jump", "run"],
    "birthday": "1990-05-04",
    "drive": "on",
    "plate": "京A12345",
    "car": "ev",
    "charger": "是",
    "swim_level": "",
}
JSON_ANSWERS = {
    "name": "张三",
    "bio": "热爱运动\n喜欢跑步",
    "age": 35,
    "weight": 62.5,
    "size": "L",
    "events": ["run", "jump"],
    "birthday": "1990-05-04",
    "drive": True,
    "plate": "京A12345",
    "car": "ev",
    "charger": True,
}
# Answers sent as JSON in the form's own types are already clean: they come back as they went in.
CLEAN = copy.deepcopy(JSON_ANSWERS)


def question(kind: QuestionKind = K.TEXT, **fields: object) -> Question:
    """A one-off question; choice kinds get two options unless told otherwise."""
    if kind in (K.SINGLE_CHOICE, K.MULTIPLE_CHOICE):
        fields.setdefault("options", (Option("A", "甲"), Option("B", "乙")))
    return Question(fields.pop("question_id", "q"), kind, fields.pop("label_zh", "问题"), **fields)


def codes(problems: list[FormProblem]) -> list[tuple[str, str]]:
    return [(problem.question_id, problem.code) for problem in problems]


def answer(q: Question, value: object) -> tuple[dict[str, object], list[FormProblem]]:
    return validate_answers([q], {q.question_id: value})


# -- check_form ------------------------------------------------------------------------------------------------------


def test_sample_form_is_valid():
    assert check_form(FORM) == []


def test_empty_form_is_valid():
    assert check_form([]) == []


@pytest.mark.parametrize("question_id", ["a", "name", "t_shirt_2", "a" * 30])
def test_good_question_ids(question_id):
    assert check_form([question(question_id=question_id)]) == []


@pytest.mark.parametrize("question_id", ["", "Name", "1st", "_a", "a-b", "a b", "名字", "a" * 31, "a\n", None])
def test_bad_question_ids(question_id):
    assert codes(check_form([question(question_id=question_id)])) == [(str(question_id), "bad_id")]


def test_duplicate_id_is_reported_on_the_repeat():
    problems = check_form([question(question_id="x"), question(question_id="y"), question(question_id="x")])
    assert problems == [FormProblem("x", "duplicate_id", {})]


def test_too_many_questions_is_a_form_level_problem():
    questions = [question(question_id=f"q{n}") for n in range(MAX_QUESTIONS + 1)]
    assert check_form(questions) == [FormProblem("", "too_many_questions", {"max": MAX_QUESTIONS})]
    assert check_form(questions[:MAX_QUESTIONS]) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"label_zh": ""}, "label_zh"),
        ({"label_zh": "  \u3000"}, "label_zh"),
        ({"label_zh": "题" * 201}, "label_zh"),
        ({"label_zh": "题" * 10_000}, "label_zh"),
        ({"label_zh": None}, "label_zh"),
        ({"label_en": ""}, "label_en"),
        ({"label_en": "x" * 201}, "label_en"),
    ],
)
def test_bad_labels(fields, field):
    assert check_form([question(**fields)]) == [FormProblem("q", "bad_label", {"field": field, "max": 200})]


def test_labels_of_200_characters_and_html_are_accepted_verbatim():
    q = question(label_zh="题" * 200, label_en="<b>Size</b> & <script>x</script>")
    assert check_form([q]) == []


@pytest.mark.parametrize("kind", [K.SINGLE_CHOICE, K.MULTIPLE_CHOICE])
def test_choice_questions_need_options(kind):
    assert check_form([question(kind, options=())]) == [FormProblem("q", "options_needed", {})]


def test_option_count_is_capped():
    options = tuple(Option(f"o{n}", f"选项{n}") for n in range(MAX_OPTIONS + 1))
    assert check_form([question(K.SINGLE_CHOICE, options=options)]) == [
        FormProblem("q", "too_many_options", {"max": MAX_OPTIONS})
    ]
    assert check_form([question(K.SINGLE_CHOICE, options=options[:MAX_OPTIONS])]) == []


def test_duplicate_option_ids():
    q = question(K.MULTIPLE_CHOICE, options=(Option("A", "甲"), Option("B", "乙"), Option("A", "丙")))
    assert check_form([q]) == [FormProblem("q", "duplicate_option", {"option": "A"})]


@pytest.mark.parametrize(
    ("option", "field"),
    [
        (Option("", "甲"), "option_id"),
        (Option("a b", "甲"), "option_id"),
        (Option("x" * 21, "甲"), "option_id"),
        (Option("尺码", "甲"), "option_id"),
        (Option("A", ""), "label_zh"),
        (Option("A", "甲", " "), "label_en"),
        (Option("A", "甲" * 201), "label_zh"),
    ],
)
def test_bad_options(option, field):
    q = question(K.SINGLE_CHOICE, options=(option, Option("Z", "乙")))
    assert check_form([q]) == [FormProblem("q", "bad_option", {"option": option.option_id, "field": field})]


def test_good_option_ids():
    options = (Option("L", "大"), Option("x-1_Y", "甲"), Option("9" * 20, "乙"))
    assert check_form([question(K.SINGLE_CHOICE, options=options)]) == []


@pytest.mark.parametrize("limit", [0, -1, True, 1.5, "3"])
def test_bad_option_limits(limit):
    q = question(K.SINGLE_CHOICE, options=(Option("A", "甲", limit=limit), Option("B", "乙", limit=1)))
    assert check_form([q]) == [FormProblem("q", "bad_limit", {"option": "A"})]


@pytest.mark.parametrize("kind", [K.TEXT, K.LONG_TEXT, K.NUMBER, K.DATE, K.YES_NO])
def test_options_only_on_choice_questions(kind):
    q = Question("q", kind, "问题", options=(Option("A", "甲"),))
    assert check_form([q]) == [FormProblem("q", "options_not_allowed", {})]


@pytest.mark.parametrize(
    ("low", "high"),
    [(10, 1), (0.5, 0.4), (float("nan"), None), (None, float("inf")), ("1", None), (True, None)],
)
def test_bad_number_ranges(low, high):
    problems = check_form([question(K.NUMBER, min_value=low, max_value=high)])
    assert codes(problems) == [("q", "bad_range")]
    assert problems[0].params["max"] is high


@pytest.mark.parametrize(("low", "high"), [(1, 1), (None, 5), (-3.5, None), (0, 0.5)])
def test_good_number_ranges(low, high):
    assert check_form([question(K.NUMBER, min_value=low, max_value=high)]) == []


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        (K.TEXT, {"min_value": 1}, "min_value"),
        (K.DATE, {"max_value": 1}, "max_value"),
        (K.DATE, {"integer": False}, "integer"),
        (K.NUMBER, {"max_length": 10}, "max_length"),
        (K.SINGLE_CHOICE, {"max_choices": 1}, "max_choices"),
    ],
)
def test_settings_of_other_kinds_are_not_allowed(kind, fields, field):
    assert check_form([question(kind, **fields)]) == [FormProblem("q", "setting_not_allowed", {"field": field})]


@pytest.mark.parametrize("max_choices", [0, 3, True, 1.0])
def test_bad_max_choices(max_choices):
    q = question(K.MULTIPLE_CHOICE, max_choices=max_choices)
    assert check_form([q]) == [FormProblem("q", "bad_max_choices", {"max": 2})]


def test_max_choices_up_to_the_option_count():
    questions = [
        question(K.MULTIPLE_CHOICE, max_choices=1),
        question(K.MULTIPLE_CHOICE, question_id="r", max_choices=2),
    ]
    assert check_form(questions) == []


def test_max_choices_is_not_reported_twice_when_options_are_missing():
    assert codes(check_form([question(K.MULTIPLE_CHOICE, options=(), max_choices=2)])) == [("q", "options_needed")]


@pytest.mark.parametrize(
    ("kind", "max_length", "cap"),
    [
        (K.TEXT, 0, TEXT_MAX_LENGTH),
        (K.TEXT, TEXT_MAX_LENGTH + 1, TEXT_MAX_LENGTH),
        (K.LONG_TEXT, LONG_TEXT_MAX_LENGTH + 1, LONG_TEXT_MAX_LENGTH),
        (K.LONG_TEXT, "100", LONG_TEXT_MAX_LENGTH),
    ],
)
def test_bad_max_length(kind, max_length, cap):
    assert check_form([question(kind, max_length=max_length)]) == [FormProblem("q", "bad_max_length", {"max": cap})]


def test_max_length_up_to_the_cap():
    assert check_form([question(K.TEXT, max_length=1), question(K.LONG_TEXT, question_id="r", max_length=2000)]) == []


def test_unknown_kind():
    assert codes(check_form([Question("q", "essay", "问题")])) == [("q", "bad_kind")]


def show_if_problem(parent: Question, rule: ShowIf, *, after: bool = False) -> dict | None:
    child = question(K.TEXT, question_id="child", show_if=rule)
    problems = check_form([child, parent] if after else [parent, child])
    assert all(problem.code == "bad_show_if" for problem in problems)
    return problems[0].params if problems else None


def test_show_if_on_earlier_choice_questions_is_valid():
    assert show_if_problem(question(K.SINGLE_CHOICE, question_id="p"), ShowIf("p", ("A",))) is None
    assert show_if_problem(question(K.MULTIPLE_CHOICE, question_id="p"), ShowIf("p", ("A", "B"))) is None
    assert show_if_problem(question(K.YES_NO, question_id="p"), ShowIf("p", ("no",))) is None


def test_show_if_problems():
    choice = question(K.SINGLE_CHOICE, question_id="p")
    yes_no = question(K.YES_NO, question_id="p")
    text = question(K.TEXT, question_id="p")
    assert show_if_problem(choice, ShowIf("child", ("A",))) == {"parent": "child", "reason": "self", "value": None}
    assert show_if_problem(choice, ShowIf("p", ("A",)), after=True) == {
        "parent": "p",
        "reason": "not_earlier",
        "value": None,
    }
    assert show_if_problem(choice, ShowIf("nope", ("A",)))["reason"] == "unknown_parent"
    assert show_if_problem(text, ShowIf("p", ("A",)))["reason"] == "parent_kind"
    assert show_if_problem(choice, ShowIf("p", ()))["reason"] == "no_values"
    assert show_if_problem(choice, ShowIf("p", ("A", "C"))) == {"parent": "p", "reason": "unknown_value", "value": "C"}
    assert show_if_problem(choice, ShowIf("p", ("yes",)))["value"] == "yes"
    assert show_if_problem(yes_no, ShowIf("p", ("maybe",)))["value"] == "maybe"
    assert show_if_problem(yes_no, ShowIf("p", ("A",)))["reason"] == "unknown_value"


def test_every_problem_of_a_question_is_reported():
    q = Question("Bad", K.MULTIPLE_CHOICE, "", options=(Option("A", "甲", limit=0),), max_choices=5, max_length=3)
    assert [problem.code for problem in check_form([q])] == [
        "bad_id",
        "bad_label",
        "bad_limit",
        "setting_not_allowed",
        "bad_max_choices",
    ]


def test_check_form_reads_the_stored_form():
    assert check_form(form_from_data(form_to_data(FORM))) == []


# -- visible_questions -----------------------------------------------------------------------------------------------


def ids(questions: list[Question]) -> list[str]:
    return [q.question_id for q in questions]


ALWAYS = ["name", "bio", "age", "weight", "size", "events", "birthday", "drive"]


def test_questions_with_show_if_are_hidden_until_their_parent_matches():
    assert ids(visible_questions(FORM, {})) == ALWAYS
    assert ids(visible_questions(FORM, {"drive": False})) == ALWAYS


def test_show_if_chain():
    assert ids(visible_questions(FORM, {"drive": True})) == [*ALWAYS, "plate", "car"]
    assert ids(visible_questions(FORM, {"drive": True, "car": "gas"})) == [*ALWAYS, "plate", "car"]
    assert ids(visible_questions(FORM, {"drive": True, "car": "ev"})) == [*ALWAYS, "plate", "car", "charger"]


def test_hidden_parent_hides_its_child_even_if_the_parent_was_answered():
    assert ids(visible_questions(FORM, {"drive": False, "car": "ev"})) == ALWAYS


def test_multiple_choice_parent_shows_when_any_pick_matches():
    assert ids(visible_questions(FORM, {"events": ["run", "swim"]}))[-1] == "swim_level"
    assert "swim_level" not in ids(visible_questions(FORM, {"events": ["run", "jump"]}))


def test_show_if_on_a_later_question_never_shows():
    questions = [
        question(K.TEXT, question_id="child", show_if=ShowIf("p", ("A",))),
        question(K.SINGLE_CHOICE, question_id="p"),
    ]
    assert ids(visible_questions(questions, {"p": "A"})) == ["p"]


# -- validate_answers: whole forms -----------------------------------------------------------------------------------


def test_html_form_answers_are_cleaned():
    assert validate_answers(FORM, HTML_ANSWERS) == (CLEAN, [])


def test_json_answers_are_cleaned():
    assert validate_answers(FORM, JSON_ANSWERS) == (CLEAN, [])


def test_clean_answers_validate_to_themselves():
    assert validate_answers(FORM, CLEAN) == (CLEAN, [])


def test_only_required_visible_questions_must_be_answered():
    clean, problems = validate_answers(FORM, {"name": "", "age": None, "events": [], "drive": "no"})
    assert clean == {"drive": False}
    assert problems == [FormProblem("name", "required", {}), FormProblem("age", "required", {})]


def test_required_child_of_a_visible_parent_must_be_answered():
    _, problems = validate_answers(FORM, {"name": "张三", "age": "40", "drive": "yes", "car": "ev"})
    assert codes(problems) == [("plate", "required"), ("charger", "required")]


def test_a_no_counts_as_an_answer_to_a_required_yes_no():
    clean, problems = validate_answers(FORM, {**CLEAN, "charger": False})
    assert problems == []
    assert clean["charger"] is False


def test_answering_a_hidden_question_is_a_problem():
    clean, problems = validate_answers(FORM, {**CLEAN, "drive": False})
    # charger is hidden because its parent car is: answering it is a problem too.
    assert codes(problems) == [("plate", "hidden_question"), ("car", "hidden_question"), ("charger", "hidden_question")]
    assert clean == {key: value for key, value in CLEAN.items() if key not in ("plate", "car", "charger")} | {
        "drive": False
    }


def test_answering_a_question_hidden_by_a_hidden_parent_is_a_problem():
    answers = {"name": "张三", "age": 30, "charger": "yes"}
    assert validate_answers(FORM, answers) == (
        {"name": "张三", "age": 30},
        [FormProblem("charger", "hidden_question", {})],
    )


def test_blank_answers_to_hidden_questions_are_ignored():
    # An HTML form posts every input, shown or not.
    answers = {"name": "张三", "age": "30", "drive": "", "plate": "", "car": "", "charger": [""], "swim_level": " "}
    assert validate_answers(FORM, answers) == ({"name": "张三", "age": 30}, [])


def test_children_of_an_invalid_parent_are_checked_but_not_required_or_hidden():
    answers = {"name": "张三", "age": 30, "drive": "maybe", "plate": "京" * 300}
    clean, problems = validate_answers(FORM, answers)
    assert problems == [
        FormProblem("drive", "bad_yes_no", {}),
        FormProblem("plate", "too_long", {"max": TEXT_MAX_LENGTH}),
    ]
    assert clean == {"name": "张三", "age": 30}


def test_valid_child_of_an_invalid_parent_is_left_out_without_a_problem():
    clean, problems = validate_answers(FORM, {"name": "张三", "age": 30, "drive": "maybe", "plate": "京A1"})
    assert codes(problems) == [("drive", "bad_yes_no")]
    assert "plate" not in clean


def test_problems_come_in_form_order_and_unknown_keys_last_sorted():
    answers = {"zeta": 1, "size": "XXL", "alpha": "x", "name": "", "age": "old"}
    assert codes(validate_answers(FORM, answers)[1]) == [
        ("name", "required"),
        ("age", "not_a_number"),
        ("size", "unknown_option"),
        ("alpha", "unknown_question"),
        ("zeta", "unknown_question"),
    ]


def test_clean_answers_follow_form_order():
    clean, _ = validate_answers(FORM, dict(reversed(JSON_ANSWERS.items())))
    assert list(clean) == list(CLEAN)


# -- validate_answers: text ------------------------------------------------------------------------------------------


def test_text_is_stripped_and_kept_otherwise():
    assert answer(question(K.TEXT), "  王 小明\t ")[0] == {"q": "王 小明"}


def test_text_keeps_html_verbatim():
    script = '<script>alert("x")</script> & <b>'
    assert answer(question(K.TEXT), script) == ({"q": script}, [])
    assert answer(question(K.LONG_TEXT), script + "\n" + script) == ({"q": script + "\n" + script}, [])


def test_single_line_text_turns_line_breaks_into_spaces():
    assert answer(question(K.TEXT), "京A\r\n12345")[0] == {"q": "京A 12345"}


def test_long_text_keeps_inner_line_breaks_and_tabs():
    assert answer(question(K.LONG_TEXT), "\n第一行\r\n\t第二行\r第三行\u2028末行\n\n")[0] == {
        "q": "第一行\n\t第二行\n第三行\n末行"
    }


def test_control_characters_and_lone_surrogates_are_removed():
    assert answer(question(K.TEXT), "a\x00b\x1bc\x7fd\x85e\ud800f")[0] == {"q": "abcdef"}


def test_text_of_only_spaces_or_controls_is_no_answer():
    assert answer(question(K.TEXT, required=True), " \x00\u3000\n") == ({}, [FormProblem("q", "required", {})])


def test_numbers_are_accepted_as_text():
    assert answer(question(K.TEXT), 2011042)[0] == {"q": "2011042"}


@pytest.mark.parametrize("value", [True, {"a": 1}, ["a"], ("a",)])
def test_text_rejects_other_types(value):
    assert answer(question(K.TEXT), value) == ({}, [FormProblem("q", "bad_type", {})])


@pytest.mark.parametrize(
    ("kind", "max_length", "limit"),
    [(K.TEXT, None, TEXT_MAX_LENGTH), (K.LONG_TEXT, None, LONG_TEXT_MAX_LENGTH), (K.TEXT, 20, 20)],
)
def test_text_length_limit(kind, max_length, limit):
    q = question(kind, max_length=max_length)
    assert answer(q, "字" * limit) == ({"q": "字" * limit}, [])
    assert answer(q, "字" * (limit + 1)) == ({}, [FormProblem("q", "too_long", {"max": limit})])


@pytest.mark.parametrize("kind", [K.TEXT, K.LONG_TEXT])
def test_an_answer_of_10000_characters_is_too_long(kind):
    assert codes(answer(question(kind), "x" * 10_000)[1]) == [("q", "too_long")]


def test_length_is_counted_after_line_breaks_are_normalised():
    text = "一\r\n" * 999 + "一"  # 2998 characters as a browser sends them, 1999 as stored
    assert answer(question(K.LONG_TEXT), text) == ({"q": "一\n" * 999 + "一"}, [])


def test_a_max_length_above_the_cap_is_capped():
    q = question(K.TEXT, max_length=10_000)
    assert answer(q, "x" * 201)[1] == [FormProblem("q", "too_long", {"max": TEXT_MAX_LENGTH})]


# -- validate_answers: numbers ---------------------------------------------------------------------------------------

AGE = question(K.NUMBER, min_value=18, max_value=70)


@pytest.mark.parametrize("value", ["42", " 42 ", "+42", "４２", "42.0", "4.2e1", 42, 42.0])
def test_whole_numbers(value):
    clean, problems = answer(AGE, value)
    assert problems == []
    assert clean == {"q": 42}
    assert type(clean["q"]) is int


@pytest.mark.parametrize(
    "value", ["abc", "42岁", "1,000", "1_000", "nan", "inf", "-Infinity", float("nan"), float("inf"), True, "9" * 100]
)
def test_not_a_number(value):
    assert answer(AGE, value) == ({}, [FormProblem("q", "not_a_number", {})])


@pytest.mark.parametrize("value", [42.5, "42.5", "4.25e1"])
def test_not_whole(value):
    assert answer(AGE, value) == ({}, [FormProblem("q", "not_whole", {})])


@pytest.mark.parametrize("value", [17, "71", 70.0000001, -5])
def test_out_of_range(value):
    assert answer(question(K.NUMBER, integer=False, min_value=18, max_value=70), value)[1] == [
        FormProblem("q", "out_of_range", {"min": 18, "max": 70})
    ]


def test_range_bounds_are_inclusive():
    assert answer(AGE, 18)[0] == {"q": 18}
    assert answer(AGE, "70")[0] == {"q": 70}


def test_open_ended_range_reports_none_for_the_missing_bound():
    assert answer(question(K.NUMBER, min_value=0), -1)[1] == [FormProblem("q", "out_of_range", {"min": 0, "max": None})]


def test_absurdly_large_numbers_are_out_of_range_even_without_bounds():
    assert codes(answer(question(K.NUMBER), 10**20)[1]) == [("q", "out_of_range")]
    assert codes(answer(question(K.NUMBER), "1e300")[1]) == [("q", "out_of_range")]
    assert answer(question(K.NUMBER), 10**15) == ({"q": 10**15}, [])


def test_decimal_numbers_are_floats():
    q = question(K.NUMBER, integer=False, min_value=30, max_value=200)
    assert answer(q, "62.5")[0] == {"q": 62.5}
    clean, _ = answer(q, 62)
    assert clean == {"q": 62.0}
    assert type(clean["q"]) is float


def test_zero_is_an_answer():
    assert answer(question(K.NUMBER, required=True), 0) == ({"q": 0}, [])
    assert answer(question(K.NUMBER, required=True), "0") == ({"q": 0}, [])


@pytest.mark.parametrize("value", [[1], {"n": 1}])
def test_numbers_reject_containers(value):
    assert answer(AGE, value) == ({}, [FormProblem("q", "bad_type", {})])


# -- validate_answers: choices ---------------------------------------------------------------------------------------

SIZE = FORM[4]
EVENTS = FORM[5]


@pytest.mark.parametrize("value", ["S", " S ", "S\n"])
def test_single_choice(value):
    assert answer(SIZE, value) == ({"size": "S"}, [])


def test_option_ids_may_arrive_as_json_numbers():
    q = question(K.SINGLE_CHOICE, options=(Option("1", "一"), Option("2", "二")))
    assert answer(q, 2) == ({"q": "2"}, [])


def test_option_ids_are_case_sensitive():
    assert answer(SIZE, "s") == ({}, [FormProblem("size", "unknown_option", {"value": "s"})])


def test_an_unknown_option_is_shown_shortened():
    [problem] = answer(SIZE, "X" * 1000)[1]
    assert problem.code == "unknown_option"
    assert len(problem.params["value"]) == 40
    assert problem.params["value"].endswith("…")


@pytest.mark.parametrize("value", [["S"], True, {"S": 1}, 1.5])
def test_single_choice_rejects_other_types(value):
    assert answer(SIZE, value) == ({}, [FormProblem("size", "bad_type", {})])


@pytest.mark.parametrize(
    ("value", "chosen"),
    [
        (["jump", "run"], ["run", "jump"]),
        (["run", "run", " run "], ["run"]),
        ("swim", ["swim"]),
        (("swim", ""), ["swim"]),
        (["", "jump", None], ["jump"]),
    ],
)
def test_multiple_choice(value, chosen):
    assert answer(EVENTS, value) == ({"events": chosen}, [])


@pytest.mark.parametrize("value", [[], [""], ["", " "], "", None])
def test_empty_multiple_choice_is_no_answer(value):
    assert answer(EVENTS, value) == ({}, [])
    assert answer(EVENTS._replace(required=True), value) == ({}, [FormProblem("events", "required", {})])


def test_too_many_choices():
    assert answer(EVENTS, ["run", "swim", "jump"]) == ({}, [FormProblem("events", "too_many_choices", {"max": 2})])


def test_duplicates_do_not_count_towards_max_choices():
    assert answer(EVENTS, ["run", "swim", "swim"]) == ({"events": ["run", "swim"]}, [])


def test_multiple_choice_unknown_option():
    assert answer(EVENTS, ["run", "fly"]) == ({}, [FormProblem("events", "unknown_option", {"value": "fly"})])


@pytest.mark.parametrize("value", [[["run"]], [{"id": "run"}], ["run", True], {"run": True}, True])
def test_multiple_choice_rejects_other_types(value):
    assert answer(EVENTS, value) == ({}, [FormProblem("events", "bad_type", {})])


# -- validate_answers: dates and yes/no ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["2025-06-01", " 2025-06-01 ", "2025/6/1", "2025.06.01", "2025-6-1", "2025年6月1日", "２０２５－０６－０１"],
)
def test_dates(value):
    assert answer(question(K.DATE), value) == ({"q": "2025-06-01"}, [])


@pytest.mark.parametrize(
    "value",
    [
        "2025-02-30",
        "2025-13-01",
        "0000-01-01",
        "01/06/2025",
        "20250601",
        "2025-W22-7",
        "明天",
        "2025-06-01T08:00",
        20250601,
    ],
)
def test_bad_dates(value):
    assert answer(question(K.DATE), value) == ({}, [FormProblem("q", "bad_date", {})])


def test_dates_reject_lists():
    assert answer(question(K.DATE), ["2025-06-01"]) == ({}, [FormProblem("q", "bad_type", {})])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("YES", True),
        ("no", False),
        ("true", True),
        ("False", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
        ("是", True),
        ("否", False),
        ("on", True),
    ],
)
def test_yes_no(value, expected):
    clean, problems = answer(question(K.YES_NO), value)
    assert problems == []
    assert clean["q"] is expected


@pytest.mark.parametrize("value", ["maybe", "off", "2", 2, 0.5, "对"])
def test_bad_yes_no(value):
    assert answer(question(K.YES_NO), value) == ({}, [FormProblem("q", "bad_yes_no", {})])


@pytest.mark.parametrize("value", [["yes"], {"yes": True}])
def test_yes_no_rejects_containers(value):
    assert answer(question(K.YES_NO), value) == ({}, [FormProblem("q", "bad_type", {})])


def test_unchecked_required_checkbox_is_required():
    assert answer(question(K.YES_NO, required=True), None) == ({}, [FormProblem("q", "required", {})])


# -- limited_picks ---------------------------------------------------------------------------------------------------


def test_limited_picks_in_form_order():
    assert limited_picks(FORM, CLEAN) == [("size", "L", 5), ("events", "run", 10), ("car", "ev", 3)]


def test_picks_without_limits_are_left_out():
    assert limited_picks(FORM, {"size": "M", "events": ["swim", "jump"], "car": "gas"}) == []
    assert limited_picks(FORM, {}) == []


def test_picks_within_a_question_follow_option_order():
    q = question(K.MULTIPLE_CHOICE, options=(Option("A", "甲", limit=1), Option("B", "乙", limit=2)))
    assert limited_picks([q], {"q": ["B", "A"]}) == [("q", "A", 1), ("q", "B", 2)]


# -- form_to_data / form_from_data -----------------------------------------------------------------------------------


def test_round_trip_of_the_sample_form():
    assert form_from_data(form_to_data(FORM)) == FORM


def test_round_trip_through_json():
    assert form_from_data(json.loads(json.dumps(form_to_data(FORM), ensure_ascii=False))) == FORM


def test_round_trip_of_every_field():
    full = Question(
        "q",
        K.NUMBER,
        "问题",
        "Question",
        required=True,
        min_value=0,
        max_value=9.5,
        integer=False,
        max_length=10,
        options=(Option("A", "甲", "A", limit=1),),
        max_choices=1,
        show_if=ShowIf("p", ("x", "y")),
    )
    data = form_to_data([full])
    assert set(data[0]) == set(Question._fields)
    assert form_from_data(data) == (full,)


def test_defaults_are_left_out():
    assert form_to_data([Question("q", K.TEXT, "问题")]) == [{"question_id": "q", "kind": "text", "label_zh": "问题"}]
    assert form_to_data([SIZE])[0]["options"][1] == {"option_id": "M", "label_zh": "中号"}


def test_zero_and_false_are_kept_when_they_are_not_the_default():
    [data] = form_to_data([Question("q", K.NUMBER, "问题", min_value=0, max_value=0, integer=False)])
    assert data["min_value"] == 0
    assert data["max_value"] == 0
    assert data["integer"] is False


def test_kind_is_stored_as_plain_text():
    [data] = form_to_data([SIZE])
    assert type(data["kind"]) is str
    assert data["kind"] == "single_choice"


def test_from_data_takes_missing_and_null_optional_keys_as_defaults():
    data = [{"question_id": "q", "kind": "yes_no", "label_zh": "问题", "label_en": None, "options": None, "extra": 1}]
    assert form_from_data(data) == (Question("q", K.YES_NO, "问题"),)


def test_from_data_takes_dynamodb_decimals():
    data = [
        {
            "question_id": "q",
            "kind": "number",
            "label_zh": "问题",
            "min_value": Decimal("1"),
            "max_value": Decimal("2.5"),
            "max_length": Decimal("10"),
        }
    ]
    [q] = form_from_data(data)
    assert (q.min_value, q.max_value, q.max_length) == (1, 2.5, 10)
    assert type(q.min_value) is int
    assert type(q.max_length) is int


@pytest.mark.parametrize(
    "data",
    [
        "not a list",
        [["q", "text", "问题"]],
        [{"kind": "text", "label_zh": "问题"}],
        [{"question_id": "q", "kind": "essay", "label_zh": "问题"}],
        [{"question_id": "q", "kind": "text"}],
        [{"question_id": "q", "kind": "text", "label_zh": "问题", "required": "yes"}],
        [{"question_id": "q", "kind": "number", "label_zh": "问题", "min_value": "1"}],
        [{"question_id": "q", "kind": "text", "label_zh": "问题", "max_length": 2.5}],
        [{"question_id": "q", "kind": "single_choice", "label_zh": "问题", "options": "A"}],
        [{"question_id": "q", "kind": "single_choice", "label_zh": "问题", "options": [{"option_id": "A"}]}],
        [{"question_id": "q", "kind": "text", "label_zh": "问题", "show_if": {"question_id": "p", "values": [1]}}],
        [{"question_id": "q", "kind": "text", "label_zh": "问题", "show_if": "p"}],
    ],
)
def test_from_data_rejects_bad_shapes(data):
    with pytest.raises(ValueError, match=r"question"):
        form_from_data(data)


# -- answer_text -----------------------------------------------------------------------------------------------------


def test_answer_text_for_a_whole_submission():
    zh = {q.question_id: answer_text(q, CLEAN.get(q.question_id)) for q in FORM}
    en = {q.question_id: answer_text(q, CLEAN.get(q.question_id), "en") for q in FORM}
    assert zh == {
        "name": "张三",
        "bio": "热爱运动\n喜欢跑步",
        "age": "35",
        "weight": "62.5",
        "size": "大号",
        "events": "跑步、跳远",
        "birthday": "1990-05-04",
        "drive": "是",
        "plate": "京A12345",
        "car": "电动车",
        "charger": "是",
        "swim_level": "",
    }
    assert en["size"] == "Large"
    assert en["events"] == "Running, Long jump"
    assert en["drive"] == "Yes"
    assert en["car"] == "电动车"  # no English label: the Chinese one


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [(True, "是", "Yes"), (False, "否", "No"), ("yes", "是", "Yes"), ("no", "否", "No"), (None, "", "")],
)
def test_answer_text_yes_no(value, zh, en):
    q = question(K.YES_NO)
    assert answer_text(q, value) == zh
    assert answer_text(q, value, "en") == en


def test_answer_text_falls_back_to_the_label_zh_per_option():
    assert answer_text(EVENTS, ["run", "swim"], "en") == "Running, 游泳"
    assert answer_text(EVENTS, ["run", "swim"]) == "跑步、游泳"


def test_answer_text_shows_a_removed_option_as_its_id():
    assert answer_text(SIZE, "XXL") == "XXL"
    assert answer_text(EVENTS, ["run", "fly"]) == "跑步、fly"


@pytest.mark.parametrize(
    ("value", "text"),
    [(3, "3"), (3.0, "3"), (-0.5, "-0.5"), (62.5, "62.5"), (Decimal("3"), "3"), (Decimal("2.50"), "2.5"), (0, "0")],
)
def test_answer_text_numbers(value, text):
    assert answer_text(question(K.NUMBER), value) == text


def test_answer_text_keeps_text_verbatim():
    assert answer_text(question(K.TEXT), "<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert answer_text(question(K.DATE), "2025-06-01", "en") == "2025-06-01"


def test_answer_text_of_no_answer_is_empty():
    assert answer_text(EVENTS, []) == ""
    assert answer_text(question(K.TEXT), "") == ""
