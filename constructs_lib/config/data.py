"""The shapes of raw configuration data, named once for every module that reads or walks it."""

from __future__ import annotations

import json
import math
from typing import Any, TypeAlias

__all__ = ["JsonObject", "JsonValue", "Key", "KeyPath", "Scalar", "js_stringify"]

#: Any value a parsed YAML / JSON document (or a CloudFormation fragment) holds: text, number,
#: boolean, null, list or mapping, nested to any depth. ``Any`` on purpose: readers narrow it
#: with ``isinstance`` where they walk it, and pydantic validates it as given, without copying.
JsonValue: TypeAlias = Any
#: A single value: what a plain YAML scalar or a variable's literal is.
Scalar: TypeAlias = str | int | float | bool | None
#: A mapping of such values (a document, a resource, an intrinsic function).
JsonObject: TypeAlias = dict[str, JsonValue]
#: One step of a key path: a mapping key or a list index.
Key: TypeAlias = str | int
#: Where a value sits in a document: ``("functions", "api", "events", 0)``.
KeyPath: TypeAlias = tuple[Key, ...]


def _js_numbers(value: JsonValue) -> JsonValue:
    """Whole floats as the integers JavaScript prints (``1.0`` is ``1``), at any depth."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _js_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_js_numbers(v) for v in value]
    return value


def js_stringify(value: JsonValue, indent: str | None = None) -> str:
    """``JSON.stringify(value, null, indent)``: compact without ``indent``, non-ASCII kept,
    numbers as JavaScript prints them (what v3 and its plugins hash and write)."""
    if indent is None:
        return json.dumps(_js_numbers(value), separators=(",", ":"), ensure_ascii=False)
    return json.dumps(_js_numbers(value), indent=indent, ensure_ascii=False)
