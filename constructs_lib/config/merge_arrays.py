"""v3's ``mergeArrays`` and the shape rules of its ``setFunctionNames`` (lib/classes/service.js),
run once variables are resolved and before validation.

``functions`` and ``resources`` written as a list (of mappings, of ``${file()}`` includes, or a
``${file()}`` whose file is a list) are lodash-merged left to right into one mapping: later scalars
win, mappings merge key by key, lists index by index, falsy entries (``~``, ``false``, ``0``,
``""``) are skipped, and any other non-mapping entry is an error. Then a ``null`` function is
deleted and a function that is not a mapping is an error.

Locations follow the values: after the merge ``functions.two.timeout`` is located where the entry
that last wrote it was written, in serverless.yml or in the file an entry included.
"""

from __future__ import annotations

import math

from constructs_lib.config.data import JsonObject, JsonValue, KeyPath
from constructs_lib.config.lodash import merge_json
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import ConfigError, ErrorGroup, SlsCdkError, format_path

__all__ = ["MERGED_KEYS", "merge_arrays"]

#: The top-level keys v3 merges when they are lists, in its order.
MERGED_KEYS = ("resources", "functions")


def merge_arrays(data: JsonObject, sources: SourceMap) -> list[SlsCdkError]:
    """Merge ``data``'s list-valued ``functions``/``resources`` in place (and move their
    locations in ``sources``), then drop ``null`` functions. Returns the warnings; raises every
    error together."""
    errors: list[SlsCdkError] = []
    warnings: list[SlsCdkError] = []
    for key in MERGED_KEYS:
        value = data.get(key)
        if isinstance(value, list):
            data[key] = _merged(key, value, sources, errors, warnings)
    functions = data.get("functions")
    if isinstance(functions, dict):
        errors.extend(_function_shapes(functions, sources))
    ErrorGroup.raise_if_any(errors)
    return warnings


def _merged(
    key: str,
    entries: list[JsonValue],
    sources: SourceMap,
    errors: list[SlsCdkError],
    warnings: list[SlsCdkError],
) -> JsonObject:
    """``entries.reduce((memo, value) => _.merge(memo, value), {})``, skipping falsy entries."""
    merged: JsonObject = {}
    used: list[int] = []
    for index, entry in enumerate(entries):
        if _falsy(entry):
            continue
        if not isinstance(entry, dict | list):
            errors.append(_non_object(sources, key, index, entry))
            continue

        def dropped(rel: KeyPath, index: int = index) -> None:
            warnings.append(_dropped_key(sources, (key, index, *rel)))

        if isinstance(entry, list):
            warnings.append(_list_entry(sources, key, index))
        merge_json(merged, entry, dropped)
        used.append(index)
    _relocate(sources, (key,), merged, used)
    return merged


def _function_shapes(functions: JsonObject, sources: SourceMap) -> list[SlsCdkError]:
    """``setFunctionNames``: a ``null`` function is deleted, any other non-mapping is an error."""
    errors: list[SlsCdkError] = []
    for name in [name for name, fn in functions.items() if fn is None]:
        del functions[name]
    for name, fn in functions.items():
        if not isinstance(fn, dict):
            errors.append(
                ConfigError(
                    f"function {name!r} must be a mapping (handler, events...), "
                    f"not {'a list' if isinstance(fn, list) else repr(fn)}",
                    location=sources.locate(("functions", name)),
                    path=("functions", name),
                    hint=f"write {name}: {{handler: ...}}, or {name}: ~ to remove the function",
                )
            )
    _relocate(sources, ("functions",), functions, None)
    return errors


def _relocate(sources: SourceMap, prefix: KeyPath, value: JsonValue, entries: list[int] | None) -> None:
    """Put back the locations under ``prefix`` that ``value`` still holds. With ``entries`` (the
    list indexes merged, in order) entry ``i``'s ``(i, "two", ...)`` becomes ``("two", ...)``, a
    later entry's location replacing an earlier one's, as its value does."""
    taken = sources.take(prefix)
    n = len(prefix)
    if entries is not None:
        rank: dict[str | int, int] = {index: order for order, index in enumerate(entries)}
        ranked = [
            (rank[path[n]], (*prefix, str(path[n + 1]), *path[n + 2 :]), loc)
            for path, loc in taken
            if len(path) > n + 1 and path[n] in rank
        ]
        taken = [(path, loc) for _, path, loc in sorted(ranked, key=lambda item: item[0])]
    for path, loc in taken:
        if _holds(value, path[n:]):
            sources.add(path, loc)


def _holds(value: JsonValue, path: KeyPath) -> bool:
    """``value`` has something at ``path`` (text keys in mappings, indexes in lists)."""
    for key in path:
        in_mapping = isinstance(value, dict) and isinstance(key, str) and key in value
        in_list = isinstance(value, list) and isinstance(key, int) and key < len(value)
        if not (in_mapping or in_list):
            return False
        value = value[key]
    return True


def _dropped_key(sources: SourceMap, path: KeyPath) -> SlsCdkError:
    return ConfigError(
        f"{path[-1]!r} is ignored: it merges into a list an earlier {path[0]} entry wrote at "
        f"{format_path(path[:1] + path[2:-1])}, and only the list's indexes can be merged there",
        location=sources.locate(path),
        path=path,
        hint="write a list here too (entries merge index by index), or rename the key",
    )


def _non_object(sources: SourceMap, key: str, index: int, entry: JsonValue) -> SlsCdkError:
    named_file = isinstance(entry, str) and entry.endswith((".yml", ".yaml", ".json"))
    return ConfigError(
        f"non-object value specified in {key} array: {_js_text(entry)}",
        location=sources.locate((key, index)),
        path=(key, index),
        hint=f"to include a file write ${{file({entry})}}"
        if named_file
        else f"each entry of a {key} list is a mapping (or a ${{file(...)}} holding one)",
    )


def _list_entry(sources: SourceMap, key: str, index: int) -> SlsCdkError:
    return ConfigError(
        f"this {key} entry is itself a list: v3 merges it as a mapping with keys '0', '1'...",
        location=sources.locate((key, index)),
        path=(key, index),
        hint="make the entry (or the file it includes) a mapping, or list its items in the outer list",
    )


def _falsy(value: JsonValue) -> bool:
    """JavaScript's falsy values as YAML gives them."""
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is None or value is False or value == 0 or value == ""


def _js_text(value: JsonValue) -> str:
    """``${value}`` in JavaScript, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
