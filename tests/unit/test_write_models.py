"""Every write model (API bodies and queries, page forms, and the models nested in them) refuses null where its field
cannot be empty, refuses unknown fields, and bounds its numbers; measured marks have plausible ranges."""

from __future__ import annotations

import types
import typing
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from chalicelib.api import api_route_groups
from chalicelib.domain.competition.measured import MAX_MARKS, MarkInvalid, Measure, parse_mark
from chalicelib.domain.records import Member, Unit
from chalicelib.http.schemas import InputModel, QueryModel


def _page_models() -> list[type[BaseModel]]:
    from chalicelib.web.competition_export_pages import SheetQuery
    from chalicelib.web.station_pages import TicketCheckInForm

    return [SheetQuery, TicketCheckInForm]


def _operation_models() -> list[tuple[str, type[BaseModel]]]:
    found = []
    for group in api_route_groups():
        for op in group.operations:
            found += [("query", op.query_model)] if op.query_model else []
            found += [("body", op.body_model)] if op.body_model else []
    return found


def _nested(model: type[BaseModel], seen: set[type[BaseModel]]) -> None:
    """``model`` and every model its fields hold (lists, dicts, unions of them)."""
    if model in seen:
        return
    seen.add(model)

    def walk(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _nested(annotation, seen)
        for argument in typing.get_args(annotation):
            walk(argument)

    for field in model.model_fields.values():
        walk(field.annotation)


def _write_models() -> list[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    for _, model in _operation_models():
        _nested(model, seen)
    for model in _page_models():
        _nested(model, seen)
    return sorted(seen, key=lambda model: f"{model.__module__}.{model.__qualname__}")


WRITE_MODELS = _write_models()


def _admits_null(annotation) -> bool:
    if annotation is None or annotation is type(None):
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_admits_null(argument) for argument in typing.get_args(annotation))
    return origin is typing.Literal and None in typing.get_args(annotation)


def _not_nullable(model: type[BaseModel]) -> list[str]:
    return [name for name, field in model.model_fields.items() if not _admits_null(field.annotation)]


def _problems(model: type[BaseModel], data: dict) -> dict[tuple, str]:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return {tuple(problem["loc"]): problem["type"] for problem in error.errors()}
    return {}


def test_the_walk_finds_every_kind_of_write_model():
    names = {model.__name__ for model in WRITE_MODELS}
    # bodies, queries, page forms, and models nested in bodies
    assert {"MemberChanges", "UnitChanges", "NewEvent", "EventChanges", "MemberSearch", "SheetQuery"} <= names
    assert {"TicketCheckInForm", "QuestionIn", "AudienceIn", "TeamRuleIn", "OfflineScanIn", "RubberIn"} <= names
    assert len(WRITE_MODELS) >= 45


@pytest.mark.parametrize("model", WRITE_MODELS, ids=lambda model: model.__name__)
def test_every_write_model_refuses_unknown_fields(model):
    assert model.model_config.get("extra") == "forbid", f"{model.__name__} does not refuse unknown fields"
    assert _problems(model, {"surely_not_a_field": 1})[("surely_not_a_field",)] == "extra_forbidden"


@pytest.mark.parametrize("model", WRITE_MODELS, ids=lambda model: model.__name__)
def test_every_non_nullable_field_refuses_null_as_its_own_problem(model):
    # The engine's own set-up models (chalicelib.domain) refuse null as a wrong type; inside a request they are
    # validated within an InputModel, which reports it as "null" too.
    for name in _not_nullable(model):
        problem = _problems(model, {name: None}).get((name,))
        if issubclass(model, InputModel):
            assert problem == "null", f"{model.__name__}.{name}: null gave {problem}"
        else:
            assert problem is not None and problem != "missing", f"{model.__name__}.{name}: null gave {problem}"


def test_api_models_derive_from_the_shared_bases():
    for where, model in _operation_models():
        assert issubclass(model, QueryModel if where == "query" else InputModel), model.__name__
    for model in WRITE_MODELS:
        if model.__module__.startswith("chalicelib.domain"):
            continue  # the engine's own set-up models (frozen, extra="forbid") are checked above
        assert issubclass(model, InputModel), model.__name__


def test_null_inside_a_nested_engine_model_is_reported_as_null():
    from chalicelib.api.competition_schemas import SetupIn

    problems = _problems(SetupIn, {"stages": [{"stage_id": None}]})
    assert problems[("stages", 0, "stage_id")] == "null"


def test_query_models_take_the_language_parameter_and_nothing_else_unknown():
    from chalicelib.api.organisation import MemberSearch

    assert MemberSearch.model_validate({"lang": "en", "q": "20"}).q == "20"
    assert _problems(MemberSearch, {"lang": "en", "sort": "name"}) == {("sort",): "extra_forbidden"}


@pytest.mark.parametrize(
    ("changes", "record"),
    [("MemberChanges", Member), ("UnitChanges", Unit)],
)
def test_a_patch_clears_only_what_the_record_may_lack(changes, record):
    """A PATCH field that accepts null must be optional in the record it changes (else null would be stored)."""
    from chalicelib.api import organisation

    model = getattr(organisation, changes)
    hints = typing.get_type_hints(record)
    optional = {name for name in record._fields if _admits_null(hints[name])}
    nullable = set(model.model_fields) - set(_not_nullable(model))
    assert nullable <= optional, nullable - optional
    assert model.model_validate({}).model_dump(exclude_unset=True) == {}


def test_event_facts_may_change_but_not_be_cleared():
    from chalicelib.api.event_schemas import EventChanges

    for name in ("kind", "format", "title_zh", "description_zh", "starts_at", "ends_at", "allocation"):
        assert _problems(EventChanges, {name: None}) == {(name,): "null"}
    assert EventChanges.model_validate({"title_en": None, "capacity": None}).changes() == {
        "title_en": None,
        "capacity": None,
    }


def test_member_changes_refuse_null_wrong_types_and_empty_units():
    from chalicelib.api.organisation import MemberChanges

    assert _problems(MemberChanges, {"status": None, "name": None, "gender": None}) == {
        ("status",): "null",
        ("name",): "null",
        ("gender",): "null",
    }
    assert _problems(MemberChanges, {"status": 3, "birth_date": "1800-01-01", "unit_id": ""}) == {
        ("status",): "enum",
        ("birth_date",): "greater_than_equal",
        ("unit_id",): "string_too_short",
    }
    assert MemberChanges.model_validate({"phone": None}).model_dump(exclude_unset=True) == {"phone": None}


def test_owner_unit_must_be_a_unit_id():
    from chalicelib.api.event_schemas import NewEvent

    assert _problems(NewEvent, {"owner_unit_id": ""})[("owner_unit_id",)] == "string_too_short"
    assert _problems(NewEvent, {"owner_unit_id": "x" * 41})[("owner_unit_id",)] == "string_too_long"


def test_null_problems_are_translated():
    from chalicelib.api.organisation import MemberChanges
    from chalicelib.errors import InvalidInput
    from chalicelib.http.middleware import field_problems

    try:
        MemberChanges.model_validate({"status": None})
    except ValidationError as error:
        invalid = InvalidInput(error.errors(include_url=False))
    [zh] = field_problems(invalid, "zh")
    [en] = field_problems(invalid, "en")
    assert (zh.field, zh.problem, zh.message) == ("status", "null", "不能为空")
    assert en.message == "Must not be empty (null)"


def test_openapi_does_not_advertise_null_defaults_it_refuses():
    from chalicelib.api.organisation import MemberChanges

    properties = MemberChanges.model_json_schema()["properties"]
    assert "default" not in properties["status"] and properties["status"].get("anyOf") is None
    assert properties["phone"]["default"] is None  # phone may be cleared


def test_numbers_in_write_models_are_bounded():
    from chalicelib.api.event_schemas import QuestionIn, TeamChanges

    assert _problems(QuestionIn, {"question_id": "q", "kind": "number", "label_zh": "x", "max_value": 1e300}) == {
        ("max_value",): "less_than_equal"
    }
    assert ("version",) in _problems(TeamChanges, {"roster": ["1"], "version": 10**30})


@pytest.mark.parametrize(
    ("measure", "text", "value"),
    [("time", "23:59:59.99", Decimal("86399.99")), ("distance", "100000", 100_000), ("points", "99999.5", None)],
)
def test_marks_up_to_their_range_are_accepted(measure, text, value):
    mark = parse_mark(Measure(measure), text)
    assert mark <= MAX_MARKS[Measure(measure)]
    if value is not None:
        assert mark == value


@pytest.mark.parametrize(
    ("measure", "text"),
    [
        ("time", "24:00:00.01"),
        ("time", "1" * 30),
        ("time", "9" * 30 + ":00"),
        ("distance", "100000.01"),
        ("distance", "1" * 30),
        ("points", "123456789012345678901234567890"),
    ],
)
def test_marks_past_their_range_are_refused(measure, text):
    with pytest.raises(MarkInvalid) as refused:
        parse_mark(Measure(measure), text)
    assert refused.value.code == "mark_too_large"


@pytest.mark.parametrize("offline", [False, True])
def test_a_scan_names_its_member_by_exactly_one_of_code_and_staff_no(offline):
    from chalicelib.api.checkin_schemas import OfflineScanIn, ScanIn

    model, extra = (OfflineScanIn, {"at": "2026-03-01T09:00:00+08:00"}) if offline else (ScanIn, {})
    scan = {"point": "entry", "scan_id": "scan-0001", **extra}
    for named in ({}, {"code": "c0de", "staff_no": "20010001"}):
        with pytest.raises(ValidationError) as refused:
            model.model_validate({**scan, **named})
        assert [problem["type"] for problem in refused.value.errors()] == ["code_or_staff_no"]
    assert model.model_validate({**scan, "code": "c0de"}).code == "c0de"
    assert model.model_validate({**scan, "staff_no": "20010001"}).staff_no == "20010001"
