"""Turning pydantic's validation errors into located, readable :class:`SchemaError` s, and v3's
``configValidationMode``: what v3 ignores (unknown keys, events it cannot read) is ignored here
too, with a located warning in ``warn`` mode (v3's default) and silently in ``off``."""

from __future__ import annotations

import types
import typing
from typing import Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from constructs_lib.config.data import JsonValue, KeyPath
from constructs_lib.config.schema import Base
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import IgnoredAsInV3, SchemaError, did_you_mean
from constructs_lib.events import NOT_SUPPORTED_YET, REGISTRY
from constructs_lib.events.sites import IGNORED_EVENT

__all__ = ["IGNORED_EVENT", "IgnoredEvent", "ValidationMode", "validate"]

#: v3's ``configValidationMode``: what keys and events v3 ignores do (see :func:`validate`).
ValidationMode = Literal["error", "warn", "off"]


#: How many times a model is validated again after ignoring what v3 ignores (each pass can reveal
#: errors that an ignored key hid, e.g. inside a union branch that now matches).
_PASSES = 4


class IgnoredEvent(Base):
    """An event item v3 ignores in ``warn``/``off`` mode: what was written, and why it is ignored."""

    written: JsonValue = None
    reason: str


M = typing.TypeVar("M", bound=BaseModel)


def _data_path(data: JsonValue, loc: tuple[int | str, ...]) -> KeyPath:
    """Keep the parts of pydantic's ``loc`` that are real keys of the data (drop union branch
    names and discriminator tags that pydantic inserts)."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, list):
            if isinstance(part, int) and part < len(node):
                out.append(part)
                node = node[part]
        elif isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
    return tuple(out)


def _models_in(annotation: object) -> list[type[BaseModel]]:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [m for arg in get_args(annotation) for m in _models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _container_item(annotation: object) -> list[object]:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _container_item(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [item for arg in get_args(annotation) for item in _container_item(arg)]
    if origin is dict:
        return [get_args(annotation)[1]]
    if origin is list:
        return [get_args(annotation)[0]]
    return []


def _allowed_keys(root: type[BaseModel], data: JsonValue, path: KeyPath) -> list[str]:
    """The keys the model accepts at ``path`` (for did-you-mean)."""
    candidates: list[object] = [root]
    node = data
    for part in path:
        nxt: list[object] = []
        if isinstance(node, list) and isinstance(part, int):
            node = node[part]
            if isinstance(node, dict) and len(node) == 1 and path and "events" in path:
                tag = next(iter(node))
                if tag in REGISTRY:
                    nxt = [REGISTRY[tag].model]
                    candidates = nxt
                    continue
            for c in candidates:
                nxt.extend(_container_item(c))
        elif isinstance(node, dict):
            node = node.get(part)
            for c in candidates:
                for model in _models_in(c):
                    field = next(
                        (f for name, f in model.model_fields.items() if (f.alias or name) == part),
                        None,
                    )
                    if field is not None:
                        nxt.append(field.annotation)
                if not _models_in(c):
                    nxt.extend(_container_item(c))
        candidates = nxt
    keys: list[str] = []
    for c in candidates:
        for model in _models_in(c):
            keys.extend(f.alias or n for n, f in model.model_fields.items() if not f.exclude)
    return keys


def _message(
    err: ErrorDetails, data: JsonValue, root: type[BaseModel], path: KeyPath
) -> tuple[str, str | None, KeyPath]:
    kind = err["type"]
    msg = str(err["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        parent = path[:-1] if path and path[-1] == key else path
        guess = did_you_mean(key, _allowed_keys(root, data, parent))
        return f"unknown key {key!r}", (f"did you mean {guess!r}?" if guess else None), (*parent, key)
    if kind == "not_supported":
        last = path[-1] if path else ""
        if len(path) >= 3 and path[-3] == "events" and isinstance(path[-2], int):
            return f"event type {last!r} is not supported yet", None, path
        return f"{last!r} is a Serverless v3 option that sls-cdk does not support yet", None, path
    if kind == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag", "")
        if tag in NOT_SUPPORTED_YET:
            return f"event type {tag!r} is not supported yet", None, path
        guess = did_you_mean(str(tag), [*REGISTRY, *NOT_SUPPORTED_YET])
        return f"unknown event type {tag!r}", (f"did you mean {guess!r}?" if guess else None), path
    if kind == "union_tag_not_found":
        node = _node(data, path)
        if isinstance(node, str) and node in REGISTRY:
            return (
                f"event {node!r} is a bare string, not a mapping",
                f"write '- {node}:' with the event's settings under it",
                path,
            )
        keys = ", ".join(map(repr, node)) if isinstance(node, dict) else _kind(node)
        return (
            f"an event must be a mapping with exactly one key, the event type (found {keys})",
            "check the indentation: the event's options go under its type "
            "('- httpApi:' then an indented 'path:')",
            path,
        )
    if kind == "missing":
        key = str(err["loc"][-1])
        return f"missing required key {key!r}", None, path
    if kind == "literal_error" and err.get("ctx", {}).get("expected"):
        return f"must be {err['ctx']['expected']}, not {err.get('input')!r}", None, path
    return msg[:1].lower() + msg[1:], None, path


def _kind(value: JsonValue) -> str:
    """What a value is, in the user's words (not Python's type names)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "a string" if isinstance(value, str) else "a list" if isinstance(value, list) else "a value"


def _node(data: JsonValue, path: KeyPath) -> JsonValue:
    for part in path:
        data = data[part]
    return data


def _event_item(path: KeyPath) -> bool:
    """``functions.<key>.events.<index>``."""
    return len(path) == 4 and path[0] == "functions" and path[2] == "events" and isinstance(path[3], int)


def _null_key(data: JsonValue, path: KeyPath) -> bool:
    """A mapping key set to null (``~``), other than an event's body: v3 never type-checks it (it
    takes null keys out before validating), and every compiler reads it as unset."""
    return (
        bool(path)
        and isinstance(path[-1], str)
        and not _event_item(path[:-1])
        and isinstance(_node(data, path[:-1]), dict)
        and _node(data, path) is None
    )


def _null_event(data: JsonValue, path: KeyPath) -> bool:
    """``- http: ~``: v3 takes the null out before validating, then no compiler sees the event."""
    return len(path) == 5 and _event_item(path[:4]) and _node(data, path) is None


def _ignorable(err: ErrorDetails, data: JsonValue, path: KeyPath) -> str | None:
    """What v3 does with the invalid part at ``path`` when it only warns, if it ignores it: the
    words for the warning; ``None`` when it stays an error (v3 would compile it, or AWS refuse)."""
    kind = err["type"]
    if kind == "extra_forbidden":
        return "ignored, as Serverless v3 ignores it"
    if not _event_item(path):
        return None
    if kind == "union_tag_invalid" and err.get("ctx", {}).get("tag") not in NOT_SUPPORTED_YET:
        return "Serverless v3 ignores it (no resources are made for it)"
    if kind == "union_tag_not_found":
        node = _node(data, path)
        if node is None:  # v3 keeps a null list item, and its compilers fail on it
            return None
        if not isinstance(node, dict) or not _compiled_keys(node):
            return "Serverless v3 ignores it (no resources are made for it)"
        if len(_compiled_keys(node)) == 1:
            others = ", ".join(repr(k) for k in node if k not in _compiled_keys(node))
            return f"Serverless v3 compiles its {_compiled_keys(node)[0]!r} and ignores {others}"
    return None


def _compiled_keys(event: dict[str, JsonValue]) -> list[str]:
    """The keys of a many-keyed event item that v3's compilers act on (``if (event.<type>)``)."""
    return [key for key in event if key in REGISTRY and event[key]]


def _ignore(data: JsonValue, path: KeyPath, reason: str) -> None:
    parent = _node(data, path[:-1])
    item = parent[path[-1]]
    if _event_item(path) and isinstance(item, dict) and _compiled_keys(item):
        key = _compiled_keys(item)[0]
        parent[path[-1]] = {key: item[key]}
    elif _event_item(path):
        parent[path[-1]] = {IGNORED_EVENT: IgnoredEvent(written=item, reason=reason)}
    elif isinstance(parent, dict):
        parent.pop(path[-1], None)


#: what pydantic says of a union branch the value was never meant for ("input should be a valid
#: dictionary" beside the real problem of the string form)
_TYPE_MISMATCH = frozenset({"dict_type", "model_type", "model_attributes_type", "list_type", "string_type"})


def _without_union_noise(errors: list[SchemaError], kinds: dict[int, str]) -> list[SchemaError]:
    """At a key where one union branch says what is wrong, the other branches' type mismatches
    are left out."""
    explained = {tuple(e.path) for e in errors if kinds[id(e)] not in _TYPE_MISMATCH}
    return [e for e in errors if kinds[id(e)] not in _TYPE_MISMATCH or tuple(e.path) not in explained]


def _position(problem: SchemaError) -> tuple[int, int]:
    where = problem.location
    return (where.line or 0, where.column or 0) if where else (0, 0)


def _under(path: KeyPath, done: set[KeyPath]) -> bool:
    return any(path[: len(prefix)] == prefix for prefix in done)


def validate(
    model: type[M], data: JsonValue, sources: SourceMap, *, unknown_keys: ValidationMode = "error"
) -> tuple[M, list[SchemaError]]:
    """Validate ``data`` into ``model``; return it with warnings, or raise all errors at once.

    ``unknown_keys`` is v3's ``configValidationMode``. ``error``: every problem is an error.
    ``warn`` (v3's default) and ``off``: what v3 ignores — unknown keys, events written as a bare
    string or of a type v3 does not know — is left out of ``data`` (events keep their place as
    :class:`IgnoredEvent`), with a located warning in ``warn``. Everything else stays an error:
    v3 would pass the value to AWS, and AWS refuse it, or v3 knows a key we cannot translate.
    """
    from constructs_lib.errors import ErrorGroup

    warnings: list[SchemaError] = []
    for attempt in range(_PASSES):
        settle = attempt < _PASSES - 1  # the last pass ignores nothing: what is left is reported
        try:
            return model.model_validate(data), sorted(warnings, key=_position)
        except ValidationError as exc:
            done: set[KeyPath] = set()  # ignored in this pass: errors inside them are moot
            errors: list[SchemaError] = []
            kinds: dict[int, str] = {}
            ignored = False
            for err in exc.errors():
                path = _data_path(data, tuple(err["loc"]))
                message, hint, path = _message(err, data, model, path)
                if _under(path, done):
                    continue
                if settle and _null_key(data, path):
                    _ignore(data, path, "")
                    done.add(path)
                    ignored = True
                    continue
                reason: str | None
                if _null_event(data, path):
                    message, hint, path = f"event {path[-1]!r} has no settings (null)", None, path[:-1]
                    reason = "Serverless v3 ignores it (no resources are made for it)"
                else:
                    reason = _ignorable(err, data, path)
                reason = None if unknown_keys == "error" or not settle else reason
                if reason is not None:
                    if unknown_keys == "warn":
                        warnings.append(
                            IgnoredAsInV3(
                                f"{message}: {reason}", location=sources.locate(path), path=path, hint=hint
                            )
                        )
                    _ignore(data, path, reason)
                    done.add(path)
                    ignored = True
                else:
                    problem = SchemaError(message, location=sources.locate(path), path=path, hint=hint)
                    errors.append(problem)
                    kinds[id(problem)] = err["type"]
            if errors or not ignored:
                ErrorGroup.raise_if_any(_without_union_noise(errors, kinds))
    raise AssertionError("unreachable: the last pass raises what it finds")  # pragma: no cover
