"""Resources written as v3's raw CloudFormation JSON, mutable until synthesis.

Event sources compile the way v3's plugins do: they build plain dicts, and later events may merge
into a resource an earlier one made (an SNS topic gains a subscription per function). Once all
are compiled, each dict becomes a ``CfnResource``; ``None`` values are dropped, as v3 drops
``undefined`` and strips ``null`` properties. Logical IDs are exactly the dict keys.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnResource
from constructs import Construct

from constructs_lib.config.lodash import lodash_merge
from constructs_lib.constructs.placement import stack_of
from constructs_lib.constructs.resources import set_depends_on

__all__ = ["RawResources", "invoke_permission", "lodash_merge", "strip_none"]


def strip_none(value: Any) -> Any:
    """A copy without ``None`` values (v3's ``undefined`` / stripped ``null``)."""
    if isinstance(value, dict):
        return {k: strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_none(v) for v in value]
    return value


def invoke_permission(
    function_name: Any,
    principal: Any,
    *,
    source_arn: Any = None,
    depends_on: Any = None,
    action: str = "lambda:InvokeFunction",
    **more: Any,
) -> dict[str, Any]:
    """The ``AWS::Lambda::Permission`` an event source needs to invoke a function, in v3's shape:
    FunctionName, Action, Principal, SourceArn, then ``more`` (``SourceAccount=...``). ``None``
    (no source, no dependency) is dropped when the resource is rendered."""
    return {
        "Type": "AWS::Lambda::Permission",
        "DependsOn": depends_on,
        "Properties": {
            "FunctionName": function_name,
            "Action": action,
            "Principal": principal,
            "SourceArn": source_arn,
            **more,
        },
    }


class RawResources(Construct):
    """The stack's raw resources by logical ID. Event builders add and merge dicts; :meth:`render`
    (called once every event is compiled, before ``resources`` merge) turns them into
    ``CfnResource`` constructs with exactly those logical IDs."""

    def __init__(self, scope: Construct, id_: str = "Events") -> None:
        super().__init__(scope, id_)
        self.definitions: dict[str, dict[str, Any]] = {}
        self.resources: dict[str, CfnResource] = {}

    def get(self, logical_id: str) -> dict[str, Any] | None:
        return self.definitions.get(logical_id)

    def add(self, logical_id: str, definition: dict[str, Any]) -> dict[str, Any]:
        """Add (or, like v3's ``_.merge``, merge into) a resource; returns the live dict."""
        if logical_id in self.resources:
            raise RuntimeError(f"{logical_id}: raw resources are already rendered")
        existing = self.definitions.get(logical_id)
        if existing is not None:
            return lodash_merge(existing, definition)  # type: ignore[no-any-return]
        self.definitions[logical_id] = definition
        return definition

    def render(self) -> None:
        for logical_id, definition in self.definitions.items():
            if logical_id in self.resources:
                continue
            resource = CfnResource(
                stack_of(self),  # directly under the stack: the construct ID is the logical ID
                logical_id,
                type=definition["Type"],
                properties=strip_none(definition.get("Properties")) or None,
            )
            for attribute in ("Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "Version"):
                if definition.get(attribute) is not None:
                    resource.add_override(attribute, definition[attribute])
            value = definition.get("DependsOn")
            ids = [value] if isinstance(value, str) else [v for v in value or [] if v]
            if ids:
                set_depends_on(resource, ids)
            resource.sls_raw_definition = strip_none(definition)  # type: ignore[attr-defined]  # resources merge into it
            self.resources[logical_id] = resource
