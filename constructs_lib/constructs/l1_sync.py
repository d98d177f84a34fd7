"""Typed L1 properties set after construction survive synthesis.

A function's properties are written once as raw CloudFormation (v3's values, v3's order; see
:mod:`~constructs_lib.constructs.function`), which CDK merges over the typed ones. Without this
module a later ``cfn_function.memory_size = 2048`` (by the user, or by an Aspect) would be hidden
by that override. The typed properties are rendered once when the construct is made (the
baseline) and again once every mutating Aspect has run; each property that differs is what
someone set on purpose and goes into the override, and a removed one is deleted. Tags applied
with ``Tags.of(...)`` are merged with the resource's own (see :func:`merge_tags`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsii
from aws_cdk import Aspects, CfnResource, IAspect
from constructs import IConstruct

__all__ = ["AFTER_MUTATIONS", "TypedProperties", "keep_tags", "merge_tags"]

#: after the mutating and default Aspects (user Aspects default to 500), before read-only ones:
#: ``AspectPriority.READONLY - 1``, written out (no jsii call at import; a test checks it)
AFTER_MUTATIONS = 999

_MISSING = object()


def merge_tags(own: Any, applied: Any) -> Any:
    """The resource's own ``Tags`` (in their order) with ``Tags.of`` ones merged: an applied tag
    replaces the own tag of the same key (CDK's aspect tags outrank a resource's initial tags),
    the others follow in CDK's order. Lists of ``Key``/``Value``, or maps (``AWS::ApiGatewayV2::*``)."""
    if not applied:
        return own
    if isinstance(applied, dict):
        return {**(own if isinstance(own, dict) else {}), **applied}
    values = {t["Key"]: t for t in applied if isinstance(t, dict) and "Key" in t}
    merged: list[Any] = []
    for tag in own or []:
        key = tag.get("Key") if isinstance(tag, dict) else None
        merged.append(values.pop(key) if key in values else tag)
    merged.extend(values.values())
    return merged


def _render(resource: CfnResource) -> dict[str, Any]:
    return dict(resource._render_properties(resource._cfn_properties))


class TypedProperties:
    """Watches one L1 whose properties are also given as a raw override.

    :param resource: the L1.
    :param overridden: the raw ``Properties`` override (kept in sync with what is written).
    :param changed: called with the properties that changed (after they are written).
    """

    def __init__(
        self,
        resource: CfnResource,
        overridden: dict[str, Any],
        changed: Callable[[dict[str, Any]], None] | None = None,
        *,
        typed: bool = True,
    ) -> None:
        self._resource = resource
        self._overridden = overridden
        self._changed = changed
        self._typed = typed
        self._baseline = _render(resource) if typed else {}
        # on the L1 itself: CDK orders Aspects by priority per node, so a user's reaches it first
        Aspects.of(resource).add(_Sync(resource, self), priority=AFTER_MUTATIONS)

    def sync(self) -> None:
        """Write what was set since the baseline into the override."""
        rendered = _render(self._resource)
        changes: dict[str, Any] = {}
        for key, value in rendered.items() if self._typed else ():
            if key == "Tags":
                continue
            if self._baseline.get(key, _MISSING) != value:
                changes[key] = value
        for key in self._baseline if self._typed else ():
            if key not in rendered and key != "Tags":
                changes[key] = None
        merged_by_resources = getattr(self._resource, "sls_tags_merged", False)  # resources.py's
        tags = merge_tags(self._overridden.get("Tags"), rendered.get("Tags"))
        if tags is not self._overridden.get("Tags") and not merged_by_resources:
            changes["Tags"] = tags
        for key, value in changes.items():
            if value is None:
                self._overridden.pop(key, None)
                self._resource.add_property_deletion_override(key)
            else:
                self._overridden[key] = value
                self._resource.add_property_override(key, value)
        if changes and self._changed is not None:
            self._changed(changes)


def keep_tags(resource: CfnResource, own: Any) -> None:
    """``resource``'s own ``Tags`` are a raw override: ``Tags.of(...)`` ones are merged into them."""
    TypedProperties(resource, {"Tags": own}, typed=False)


@jsii.implements(IAspect)
class _Sync:
    def __init__(self, owner: IConstruct, properties: TypedProperties) -> None:
        self._owner = owner
        self._properties = properties

    def visit(self, node: IConstruct) -> None:
        if node is self._owner:
            self._properties.sync()
