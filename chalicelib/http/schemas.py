"""Response shapes shared by every route (the error envelope), as pydantic models so OpenAPI shows them."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from chalicelib.domain.calendar import CHINA_TZ


class ApiModel(BaseModel):
    """Base of every request and response model: validators are built on first use, not at import, which keeps
    Lambda cold starts short as the number of routes grows."""

    model_config = ConfigDict(defer_build=True)


def admits_null(schema: dict[str, Any]) -> bool:
    """Whether a property's JSON schema accepts ``null``."""
    if schema.get("type") == "null" or "null" in (schema.get("type") or ()):
        return True
    return any(admits_null(option) for option in schema.get("anyOf", ()))


def _no_null_defaults(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """A field that may be left out but must not be null has ``default=None`` only as "absent": OpenAPI does not
    advertise that default, since sending it is refused."""
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None and not admits_null(prop):
            del prop["default"]


# The default of a field that may be left out but not cleared (typed without ``None``): absent reads as None and
# is not among the fields set; a null sent is a 400, since pydantic checks what is sent, never the default.
UNSET: Any = None


class InputModel(ApiModel):
    """Base of every request body, query and page form model (one rule for all input):

    - unknown fields are refused (``extra="forbid"`` → 400 with the field named), never silently dropped;
    - ``null`` is refused wherever the field's type does not include ``None`` (400 for that field, before anything
      is written). A field that may be left out of a PATCH but must not be cleared is typed without ``None`` and
      given ``default=None``: pydantic does not validate defaults, so an absent field reads ``None`` (and is not
      in ``model_fields_set``), while an explicit ``null`` is refused as a wrong type. Type a field ``X | None``
      only where ``null`` is meaningful and harmless (it clears an optional value, or means "not given").
    """

    model_config = ConfigDict(defer_build=True, extra="forbid", json_schema_extra=_no_null_defaults)

    @model_validator(mode="wrap")
    @classmethod
    def _null_is_its_own_problem(cls, data: Any, handler: Any) -> Any:
        """A null where null is not allowed is reported as ``null`` ("must not be empty"), not as a wrong type."""
        try:
            return handler(data)
        except ValidationError as error:
            problems = error.errors(include_url=False)
            if not any(_refused_null(problem) for problem in problems):
                raise
            details: list[InitErrorDetails] = [
                {
                    "type": PydanticCustomError("null", "must not be null")
                    if _refused_null(problem)
                    else PydanticCustomError(problem["type"], problem["msg"], problem.get("ctx")),
                    "loc": problem["loc"],
                    "input": problem.get("input"),
                }
                for problem in problems
            ]
            raise ValidationError.from_exception_data(error.title, details) from None


def _refused_null(problem: Any) -> bool:
    return problem.get("input", ...) is None and problem["type"] not in ("missing", "null")


# A reference to a unit in a body or query (units are created with NewUnit's stricter pattern): never empty, never
# longer than a key DynamoDB can hold.
UnitId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]

# Query parameters every route understands without declaring them (language negotiation, chalicelib.i18n).
COMMON_QUERY_PARAMETERS = frozenset({"lang"})


class QueryModel(InputModel):
    """Base of query-string models: unknown parameters are refused like unknown body fields, except the ones every
    page and route takes (``?lang=``)."""

    @model_validator(mode="before")
    @classmethod
    def _without_common_parameters(cls, data: Any) -> Any:
        if isinstance(data, dict) and not COMMON_QUERY_PARAMETERS.isdisjoint(data):
            return {name: value for name, value in data.items() if name not in COMMON_QUERY_PARAMETERS}
        return data


class FieldProblem(ApiModel):
    field: str = Field(description="Dotted path of the offending input, e.g. 'body.capacity'.")
    problem: str = Field(description="Machine-readable problem type, e.g. 'missing'.")
    message: str = Field(description="The problem in the request's language.")
    rubber: str | None = Field(default=None, description="A score inside a team tie: the rubber's code, e.g. 'MD'.")
    rubber_number: int | None = Field(default=None, description="That rubber's place in the tie, from 1.")
    rubber_name: str | None = Field(default=None, description="That rubber's name in the request's language.")
    game: int | None = Field(default=None, description="A score: the number of the game it is about, from 1.")
    score: str | None = Field(default=None, description="That game's score as given, home:away, e.g. '21:20'.")


class ErrorObject(ApiModel):
    code: str = Field(description="Stable machine-readable error code, e.g. 'not_found'.")
    message: str = Field(description="Human-readable message in the request's language (zh or en).")
    details: Any = Field(default=None, description="Per-field problems for validation errors, else extra facts.")
    request_id: str = Field(description="Quote this when reporting a problem.")


class ErrorResponse(ApiModel):
    error: ErrorObject


def _china_time_if_naive(moment: datetime) -> datetime:
    """Times typed without an offset (a page's datetime-local input) are China time."""
    return moment.replace(tzinfo=CHINA_TZ) if moment.tzinfo is None else moment


Moment = Annotated[datetime, AfterValidator(_china_time_if_naive)]
