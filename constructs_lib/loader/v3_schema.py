"""What v3's schema flags but v3 compiles anyway: a warning in ``warn`` mode (v3's words), nothing
in ``off``, an error in ``error`` (v3 refuses it there too).

Only forms that really deploy belong here; what v3 would pass on and AWS refuse is an error in
every mode, and what v3 ignores is :mod:`constructs_lib.config.validate`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from constructs_lib.config.data import JsonValue, KeyPath
from constructs_lib.config.model import Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import SchemaError, SlsCdkError

__all__ = ["V3SchemaWarning", "v3_schema_findings"]

#: the string forms of v3's ``http`` and ``httpApi`` events (``METHOD /path`` or ``*``)
_STRING_EVENT = {
    "http": re.compile(r"\*|(GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE|ANY) (/\S*)", re.I),
    "httpApi": re.compile(r"\*|(ANY|GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE) (/\S*)", re.I),
}


class V3SchemaWarning(SchemaError):
    """A warning, not raised: v3's schema flags the value, v3 compiles it all the same."""

    code = "V3_SCHEMA_WARNING"


def _string_events(data: JsonValue) -> Iterator[tuple[KeyPath, str]]:
    functions = data.get("functions") if isinstance(data, dict) else None
    for key, fn in (functions or {}).items():
        events = fn.get("events") if isinstance(fn, dict) else None
        for index, event in enumerate(events if isinstance(events, list) else []):
            if isinstance(event, dict) and len(event) == 1:
                ((kind, value),) = event.items()
                pattern = _STRING_EVENT.get(kind)
                if pattern and isinstance(value, str) and not pattern.fullmatch(value):
                    yield (
                        ("functions", key, "events", index, kind),
                        (
                            f"{kind} {value!r} is not 'METHOD /path' (Serverless v3 warns and compiles it, "
                            "the path taken as written)"
                        ),
                    )


def _typeless_overrides(model: Service) -> Iterator[tuple[KeyPath, str]]:
    for logical_id, definition in (model.resources.resources if model.resources else {}).items():
        if "Type" not in definition:
            yield (
                ("resources", "Resources", logical_id),
                (
                    f"resource {logical_id!r} has no Type: it is merged into the resource of that name "
                    "the stack makes (Serverless v3 warns: must have required property 'Type')"
                ),
            )


def v3_schema_findings(
    model: Service, data: JsonValue, sources: SourceMap, mode: ValidationMode
) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
    """``(warnings, errors)`` for ``mode`` (the service's configValidationMode, ``--strict`` applied)."""
    if mode == "off":
        return [], []
    found = [*_string_events(data), *_typeless_overrides(model)]
    kind = V3SchemaWarning if mode == "warn" else SchemaError
    problems: list[SlsCdkError] = [
        kind(message, location=sources.locate(path), path=path) for path, message in found
    ]
    return (problems, []) if mode == "warn" else ([], problems)
