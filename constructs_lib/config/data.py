"""The shapes of raw configuration data, named once for every module that reads or walks it."""

from __future__ import annotations

from typing import Any, TypeAlias

__all__ = ["JsonObject", "JsonValue", "Key", "KeyPath", "Scalar"]

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
