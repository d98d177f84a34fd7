"""lodash's ``_.merge``, the one merge v3 uses, in the two forms this project needs. No CDK here:
the loader (``functions``/``resources`` lists) and the constructs (merging into generated
resources) both import it.

* :func:`lodash_merge` is for CloudFormation fragments built in Python, where ``None`` stands for
  JavaScript's ``undefined`` and is skipped.
* :func:`merge_json` is ``_.merge`` on parsed YAML, where ``null`` is a value like any other: it
  replaces what was there (``gone: ~`` in a later entry makes the function ``null``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from constructs_lib.config.data import JsonValue, Key, KeyPath

__all__ = ["lodash_merge", "merge_json"]

#: A JavaScript array index written as an object key ("0", "12"; not "01" or "-1").
_INDEX = re.compile(r"^(?:0|[1-9][0-9]*)$")


def lodash_merge(target: Any, source: Any) -> Any:
    """lodash ``_.merge``: objects key by key, arrays index by index, ``None`` (undefined) skipped."""
    if isinstance(target, dict) and isinstance(source, dict):
        for key, value in source.items():
            if value is None:
                continue
            target[key] = lodash_merge(target.get(key), value) if key in target else value
        return target
    if isinstance(target, list) and isinstance(source, list):
        for i, value in enumerate(source):
            if value is None:
                continue
            if i < len(target):
                target[i] = lodash_merge(target[i], value)
            else:
                target.append(value)
        return target
    return source


def merge_json(
    target: dict[str, JsonValue] | list[JsonValue],
    source: dict[str, JsonValue] | list[JsonValue],
    dropped: Callable[[KeyPath], None] | None = None,
    _path: KeyPath = (),
) -> None:
    """``_.merge(target, source)`` on JSON data, in place, as lodash 4 does it.

    Each key (or index) of ``source`` is merged into the same key of ``target``: a mapping into a
    mapping or a list key by key, a list into a list index by index, anything else (``null``
    included) replaces the value; a mapping or a list meeting anything else starts as a fresh copy.
    A list source merged into a mapping target gives keys "0", "1"... A mapping merged into a list
    can only reach its indexes (JavaScript gives the array other properties, which no JSON shows):
    ``dropped`` is told the source path of every other key (and of an index past the end, which
    JavaScript would reach through holes)."""
    items = source.items() if isinstance(source, dict) else enumerate(source)
    for key, value in items:
        slot = _slot(target, key)
        if slot is None:
            if dropped is not None:
                dropped((*_path, key))
            continue
        current = _get(target, slot)
        if isinstance(value, dict) and isinstance(current, dict | list):
            merge_json(current, value, dropped, (*_path, key))
            continue
        if isinstance(value, list) and isinstance(current, list):
            merge_json(current, value, dropped, (*_path, key))
            continue
        if isinstance(value, dict | list):
            fresh: dict[str, JsonValue] | list[JsonValue] = {} if isinstance(value, dict) else []
            merge_json(fresh, value, dropped, (*_path, key))
            value = fresh
        _put(target, slot, value)


def _slot(target: dict[str, JsonValue] | list[JsonValue], key: Key) -> Key | None:
    """``key`` as ``target`` names it: text in a mapping, an index in a list (None: no index)."""
    if isinstance(target, dict):
        return str(key)
    if isinstance(key, int):
        return key
    # JavaScript would also set an index past the end, leaving holes; that is refused as dropped
    return int(key) if _INDEX.match(key) and int(key) <= len(target) else None


def _get(target: dict[str, JsonValue] | list[JsonValue], slot: Key) -> JsonValue:
    if isinstance(target, dict):
        return target.get(str(slot))
    index = int(slot)
    return target[index] if index < len(target) else None


def _put(target: dict[str, JsonValue] | list[JsonValue], slot: Key, value: JsonValue) -> None:
    if isinstance(target, dict):
        target[str(slot)] = value
        return
    index = int(slot)
    if index < len(target):
        target[index] = value
    else:
        target.append(value)
