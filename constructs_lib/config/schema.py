"""Building blocks for the typed model: the base class, v3's coercions, and markers for keys
that v3 accepts but we ignore or do not support yet.

v3 validates with ajv's ``coerceTypes: 'array'`` and compiles the coerced config. :class:`Base`
does the same to every field before pydantic sees it (:func:`coerce`): text where a number or a
boolean is wanted, numbers and booleans rendered as JavaScript renders them where text is wanted,
a scalar wrapped where a list is wanted and a one-item list unwrapped where a scalar is.
"""

from __future__ import annotations

import math
import types
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from constructs_lib.config.data import JsonObject, JsonValue

__all__ = [
    "Base",
    "CfnValue",
    "Coerced",
    "EnvMap",
    "Ignored",
    "ListOf",
    "NotSupported",
    "coerce",
    "is_intrinsic",
    "js_text",
    "json_kinds",
]


class Coerced(BaseModel):
    """A model whose fields get v3's ajv coercions before pydantic validates them."""

    @model_validator(mode="before")
    @classmethod
    def _ajv_coercions(cls, data: JsonValue) -> JsonValue:
        """v3's ajv coercions, field by field (after a subclass turned a short form into a mapping)."""
        if not isinstance(data, dict):
            return data
        fields = _fields_by_key(cls)
        return {k: coerce(v, fields[k]) if k in fields else v for k, v in data.items()}


class Base(Coerced):
    """Immutable, camelCase-aliased, unknown keys forbidden, v3's coercions applied."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        alias_generator=to_camel,
        arbitrary_types_allowed=True,
    )


@cache
def _fields_by_key(model: type[BaseModel]) -> dict[str, Any]:
    """Alias and name -> the field's annotation."""
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        out[name] = field.annotation
        if field.alias:
            out[field.alias] = field.annotation
    return out


def js_text(value: bool | float) -> str:
    """A number or boolean as JavaScript's ``"" + value`` renders it (5.0 -> "5", True -> "true")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        mantissa, _, exponent = repr(value).partition("e")
        return f"{mantissa}e{int(exponent):+d}" if exponent else mantissa
    return str(value)


def _members(annotation: Any) -> tuple[Any, ...]:
    """The alternatives of a union (``Annotated`` and ``Optional`` unwrapped), else the type."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        return tuple(m for arg in get_args(annotation) for m in _members(arg))
    return (annotation,)


_SCALARS: dict[Any, str] = {bool: "boolean", int: "integer", float: "number", str: "string"}


def json_kinds(annotation: Any) -> frozenset[str]:
    """The JSON types a field accepts: string, integer, number, boolean, array, object, null, any."""
    kinds: set[str] = set()
    for member in _members(annotation):
        origin = get_origin(member)
        if member is Any or member is object:
            kinds.add("any")
        elif member is type(None):
            kinds.add("null")
        elif member in _SCALARS:
            kinds.add(_SCALARS[member])
        elif origin is list or member is list:
            kinds.add("array")
        elif origin is Literal:
            # text values stay an enum (no coercion into them); a boolean or number literal
            # (``Literal[True]``) makes the field accept that type, so it is not turned into text
            kinds.add("enum")
            kinds.update(_SCALARS[type(v)] for v in get_args(member) if type(v) in (bool, int, float))
        else:
            kinds.add("object")  # a model, a mapping
    return frozenset(kinds)


#: what a text other than "true"/"false" becomes where only a boolean is wanted: pydantic refuses it
_NOT_BOOLEAN = object()


def _scalar(value: JsonValue, kinds: frozenset[str]) -> JsonValue:
    """ajv's table (lib/compile/validate/dataType.ts) for one wanted scalar type."""
    if "boolean" in kinds and not kinds & {"string", "integer", "number"}:
        if isinstance(value, str):
            # only these two: "yes", "1" or "True" stay text in v3, truthy whatever they say
            if value in ("true", "false"):
                return value == "true"
            return value if "enum" in kinds else _NOT_BOOLEAN
        return value
    if kinds & {"integer", "number"} and "string" not in kinds:
        return +value if isinstance(value, bool) and "boolean" not in kinds else value
    if (
        "string" in kinds
        and isinstance(value, bool | int | float)
        and not kinds & {"boolean", "integer", "number"}
    ):
        return js_text(value)
    return value


def coerce(value: JsonValue, annotation: Any) -> JsonValue:
    """``value`` as ajv ``coerceTypes: 'array'`` leaves it for a field typed ``annotation``."""
    kinds = json_kinds(annotation)
    if "any" in kinds or value is None:
        return value
    if isinstance(value, list):
        if "array" in kinds:
            item = _item_type(annotation)
            return [coerce(v, item) for v in value] if item is not None else value
        if len(value) == 1 and _unwraps(value[0], kinds):
            value = value[0]  # a one-item list where a scalar is wanted
        else:
            return value
    if isinstance(value, dict):
        mapped = _value_type(annotation)
        if mapped is None or is_intrinsic(value):
            return value
        return {k: coerce(v, mapped) for k, v in value.items()}
    if "array" in kinds and not _accepts(kinds, value):
        item = _item_type(annotation)
        return [coerce(value, item) if item is not None else value]
    return _scalar(value, kinds)


def _unwraps(item: JsonValue, kinds: frozenset[str]) -> bool:
    """Whether ajv unwraps ``[item]`` for these kinds: into a typed scalar, never into an enum's
    text alone (``tracing: [Active]`` stays a list, as in v3)."""
    typed = kinds & {"string", "integer", "number", "boolean"}
    if not typed or isinstance(item, list | dict):
        return False
    return not (
        "enum" in kinds and "string" not in kinds and isinstance(item, str) and item not in ("true", "false")
    )


def _accepts(kinds: frozenset[str], value: JsonValue) -> bool:
    """Whether ``value`` (a scalar) already has one of the accepted types."""
    if isinstance(value, bool):
        return "boolean" in kinds
    if isinstance(value, int):
        return bool(kinds & {"integer", "number"})
    if isinstance(value, float):
        return "number" in kinds
    return "string" in kinds


def _value_type(annotation: Any) -> Any:
    """The value type of the (single) ``dict[str, X]`` alternative, or None."""
    maps = [m for m in _members(annotation) if get_origin(m) is dict]
    return get_args(maps[0])[1] if len(maps) == 1 and get_args(maps[0]) else None


def _item_type(annotation: Any) -> Any:
    """The item type of the (single) list alternative, or None when there is none or several."""
    lists = [m for m in _members(annotation) if get_origin(m) is list]
    return get_args(lists[0])[0] if len(lists) == 1 and get_args(lists[0]) else None


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
    if isinstance(value, list) and len(value) == 1 and not isinstance(value[0], list):
        value = value[0]  # ajv unwraps a one-item list where text is wanted
    if is_intrinsic(value):
        return value
    if isinstance(value, bool | int | float):
        return js_text(value)
    if isinstance(value, str):
        return value
    raise PydanticCustomError("string_type", "expected text (or a CloudFormation intrinsic function)")


#: Text or a CloudFormation intrinsic; numbers and booleans become text like v3 does.
CfnValue = Annotated[str | JsonObject, BeforeValidator(_cfn_or_text)]

#: Environment variables: values coerced to text.
EnvMap = dict[str, CfnValue]
