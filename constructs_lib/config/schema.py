"""Building blocks for the typed model: the base class, lenient coercions, and markers for keys
that v3 accepts but we ignore or do not support yet.

Pydantic's lax mode already coerces ``"512"`` to 512 the way v3's validator does; the helpers here
add the rest of v3's leniency (a scalar where a list is expected, environment values as text).
"""

from __future__ import annotations

from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from constructs_lib.config.data import JsonObject, JsonValue

__all__ = [
    "Base",
    "CfnValue",
    "EnvMap",
    "Ignored",
    "ListOf",
    "NotSupported",
    "is_intrinsic",
]


class Base(BaseModel):
    """Immutable, camelCase-aliased, unknown keys forbidden."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        alias_generator=to_camel,
        arbitrary_types_allowed=True,
    )


def is_intrinsic(value: JsonValue) -> bool:
    """A CloudFormation intrinsic (``{"Ref": ..}``, ``{"Fn::GetAtt": ..}``...)."""
    return (
        isinstance(value, dict)
        and len(value) == 1
        and isinstance(next(iter(value)), str)
        and (next(iter(value)) in ("Ref", "Condition") or next(iter(value)).startswith("Fn::"))
    )


def _not_supported(value: JsonValue) -> JsonValue:
    raise PydanticCustomError("not_supported", "this Serverless v3 option is not supported yet")


#: A key v3 knows that we do not translate yet: using it is a clear error, never silently dropped.
NotSupported = Annotated[JsonValue, AfterValidator(_not_supported)]

#: A key v3 accepts that never changes the template (app, org, frameworkVersion...).
Ignored = JsonValue


def _to_list(value: JsonValue) -> JsonValue:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


_T = TypeVar("_T")

#: ``ListOf[str]``: a list, where v3 also accepts a single value.
ListOf = Annotated[list[_T], BeforeValidator(_to_list)]


def _cfn_or_text(value: JsonValue) -> JsonValue:
    if is_intrinsic(value):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, str):
        return value
    raise PydanticCustomError("string_type", "expected text (or a CloudFormation intrinsic function)")


#: Text or a CloudFormation intrinsic; numbers and booleans become text like v3 does.
CfnValue = Annotated[str | JsonObject, BeforeValidator(_cfn_or_text)]

#: Environment variables: values coerced to text.
EnvMap = dict[str, CfnValue]
