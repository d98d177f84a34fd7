"""A state machine's ``DefinitionString`` as ``compileStateMachines`` writes it: the definition as
JSON (2-space indent), each intrinsic inside replaced by ``${<md5 of it>}`` and passed as an
``Fn::Sub`` parameter, ``#{AWS::Region}``-style pseudo parameters turned into ``${AWS::Region}``, a
``Ref`` to a function with a text name written as its static ARN (the plugin's fix of #470), a
Wait state's ``Seconds`` unquoted."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator

from constructs_lib.config.data import JsonObject, JsonValue, js_stringify
from constructs_lib.plugins.step_functions.context import Context, is_intrinsic, md5

__all__ = ["definition_string"]

_PSEUDO = re.compile(r"#\{([^}]+)\}")
_STATIC_ARN = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"


def _intrinsics(node: JsonValue) -> Iterator[tuple[str, JsonValue, bool]]:
    """``getIntrinsicFunctions``: ``(parameter, intrinsic, unquote)`` of every intrinsic, each
    replaced in ``node`` (mutated) by ``${parameter}``."""
    if isinstance(node, dict):
        items: list[tuple[str | int, JsonValue]] = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return
    for key, value in items:
        if isinstance(value, list):
            for i, element in enumerate(value):
                if is_intrinsic(element):
                    name = md5(element)
                    value[i] = f"${{{name}}}"
                    yield name, element, False
                else:
                    yield from _intrinsics(element)
        elif is_intrinsic(value):
            name = md5(value)
            node[key] = f"${{{name}}}"
            yield name, value, isinstance(node, dict) and node.get("Type") == "Wait" and key == "Seconds"
        elif isinstance(value, dict):
            yield from _intrinsics(value)


def _pseudo_parameters(definition: JsonValue) -> tuple[bool, JsonValue]:
    text = js_stringify(definition)
    if not _PSEUDO.search(text):
        return False, definition
    return True, json.loads(_PSEUDO.sub(lambda m: "${" + m.group(1) + "}", text))


def definition_string(definition: str | JsonObject, ctx: Context) -> JsonValue:
    """The ``DefinitionString`` property of one state machine."""
    if isinstance(definition, str):  # JSON.stringify of the text, line breaks taken out
        return re.sub(r"\\n|\\r", "", js_stringify(definition))
    working = copy.deepcopy(definition)
    mappings = list(_intrinsics(working))
    replaced, working = _pseudo_parameters(working)
    text = js_stringify(working, indent="  ")
    if not replaced and not mappings:
        return text
    if not mappings:
        return {"Fn::Sub": text}
    for name, _value, unquote in mappings:
        if unquote:
            text = text.replace(f'"${{{name}}}"', f"${{{name}}}")
    params: dict[str, JsonValue] = {}
    for name, value, _unquote in mappings:
        translated = ctx.translate(value)
        function_name = ctx.function_name(translated)
        if function_name is not None:
            text = text.replace(f"${{{name}}}", _STATIC_ARN + function_name)
        else:
            params[name] = translated
    return {"Fn::Sub": [text, params]} if params else {"Fn::Sub": text}
