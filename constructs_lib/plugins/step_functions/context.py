"""What the plugin reads of the service besides its own keys: stage, region, the functions (keys,
logical IDs, names) and the provider's tags and role settings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from constructs_lib import naming
from constructs_lib.config.data import JsonValue, js_stringify

__all__ = ["Context", "is_intrinsic", "md5", "normalized"]


def md5(value: JsonValue) -> str:
    """``md5(JSON.stringify(value))`` in hex, as the plugin names parameters, policies and targets."""
    return hashlib.md5(js_stringify(value).encode()).hexdigest()


def is_intrinsic(value: JsonValue) -> bool:
    """The plugin's ``isIntrinsic``: an object with some ``Ref`` or ``Fn::`` key."""
    return isinstance(value, dict) and any(k == "Ref" or k.startswith("Fn::") for k in value)


def normalized(name: str) -> str:
    """v3's ``getNormalizedFunctionName`` (the plugin's ``generateLogicalId``)."""
    return naming.normalized_resource_name(name)


@dataclass(frozen=True)
class Context:
    """``functions``: function key -> its deployed name when it is text (v3 fills in the default
    ``<service>-<stage>-<key>``), else None."""

    service: str
    stage: str
    region: str
    functions: dict[str, str | None]
    provider_tags: dict[str, Any] | None = None
    permissions_boundary: JsonValue = None
    role_path: str | None = None
    #: function key -> its own ``timeout`` as written (None: the provider's ``timeout``)
    timeouts: dict[str, int | None] = field(default_factory=dict)
    provider_timeout: int = 6
    #: logical IDs v3 has compiled before the plugin runs (functions, versions, log groups...)
    compiled: frozenset[str] = field(default_factory=frozenset)

    def translate(self, value: JsonValue) -> JsonValue:
        """``translateLocalFunctionNames``: a ``Ref`` / ``Fn::GetAtt`` naming a function key
        names its ``<F>LambdaFunction`` instead."""

        def logical(target: JsonValue) -> JsonValue:
            if isinstance(target, str) and target not in self.compiled and target in self.functions:
                return naming.lambda_logical_id(target)
            return target

        if isinstance(value, dict) and "Ref" in value:
            return {"Ref": logical(value["Ref"])}
        if isinstance(value, dict) and "Fn::GetAtt" in value:
            att = value["Fn::GetAtt"]
            if isinstance(att, list) and len(att) >= 2:
                return {"Fn::GetAtt": [logical(att[0]), att[1]]}
            if isinstance(att, list) and len(att) == 1:
                return {"Fn::GetAtt": [logical(att[0]), None]}
        return value

    def function_name(self, ref: JsonValue) -> str | None:
        """``resolveLambdaFunctionName``: the deployed name of the function a ``Ref`` names (by
        key or logical ID), when it is text."""
        if not isinstance(ref, dict) or "Ref" not in ref:
            return None
        target = ref["Ref"]
        key = target if isinstance(target, str) and target in self.functions else None
        if key is None:
            key = next((k for k in self.functions if naming.lambda_logical_id(k) == target), None)
        return self.functions.get(key) if key is not None else None
