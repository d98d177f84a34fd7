"""Turning pydantic's validation errors into located, readable :class:`SchemaError` s."""

from __future__ import annotations

import types
import typing
from typing import Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from constructs_lib.config.data import JsonValue, KeyPath
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import SchemaError, did_you_mean
from constructs_lib.events import NOT_SUPPORTED_YET, REGISTRY

__all__ = ["ValidationMode", "validate"]

#: v3's ``configValidationMode``: what unknown keys do (see :func:`validate`).
ValidationMode = Literal["error", "warn", "off"]

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
        node = data
        for part in path:
            node = node[part]
        keys = ", ".join(map(repr, node)) if isinstance(node, dict) else type(node).__name__
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


def _remove(data: JsonValue, path: KeyPath) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    if isinstance(node, dict):
        node.pop(path[-1], None)


def validate(
    model: type[M], data: JsonValue, sources: SourceMap, *, unknown_keys: ValidationMode = "error"
) -> tuple[M, list[SchemaError]]:
    """Validate ``data`` into ``model``; return it with warnings, or raise all errors at once.

    ``unknown_keys`` follows v3's ``configValidationMode``: ``error``, ``warn`` (unknown keys are
    reported as warnings and dropped) or ``off`` (dropped silently, as the user asked).
    """
    from constructs_lib.errors import ErrorGroup

    warnings: list[SchemaError] = []
    for _ in range(2):
        try:
            return model.model_validate(data), warnings
        except ValidationError as exc:
            errors: list[SchemaError] = []
            dropped = False
            for err in exc.errors():
                path = _data_path(data, tuple(err["loc"]))
                message, hint, path = _message(err, data, model, path)
                problem = SchemaError(message, location=sources.locate(path), path=path, hint=hint)
                if err["type"] == "extra_forbidden" and unknown_keys != "error":
                    if unknown_keys == "warn":
                        warnings.append(problem)
                    _remove(data, path)
                    dropped = True
                else:
                    errors.append(problem)
            if errors or not dropped:
                ErrorGroup.raise_if_any(errors)
    raise AssertionError("unreachable")  # pragma: no cover
