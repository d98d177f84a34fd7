"""Resources written as v3's raw CloudFormation JSON, mutable until synthesis.

Event sources compile the way v3's plugins do: they build plain dicts, and later events may merge
into a resource an earlier one made (an SNS topic gains a subscription per function). Once all
are compiled, each dict becomes a ``CfnResource``; ``None`` values are dropped, as v3 drops
``undefined`` and strips ``null`` properties. Logical IDs are exactly the dict keys.

A raw resource of a type CloudFormation tags (:func:`~constructs_lib.checks.permissions.schema_tagging`)
is a :class:`TaggableResource`, so CDK's ``Tags`` aspect reaches it as it reaches an L1.
"""

from __future__ import annotations

import re
from typing import Any

import jsii
from aws_cdk import CfnResource, IStableAnyProducer, ITaggableV2, Stack, TagManager, TagType
from constructs import Construct

from constructs_lib.checks.permissions import schema_tagging
from constructs_lib.config.lodash import lodash_merge
from constructs_lib.constructs.placement import stack_of
from constructs_lib.constructs.resources import set_depends_on

__all__ = [
    "RawResources",
    "TaggableResource",
    "invoke_permission",
    "lodash_merge",
    "raw_resource",
    "strip_none",
]


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


_TAG_TYPES = {"list": TagType.KEY_VALUE, "map": TagType.MAP, "asg": TagType.AUTOSCALING_GROUP}
#: CDK's priority for the tags a resource is created with (``TagManager``'s external tags):
#: ``Tags.of`` adds at 100 and removes at 200, so it wins over them unless told a lower priority
_OWN_PRIORITY = 50
#: the value the manager holds for each own tag: still there at render = the own tag stands
_OWN = "\u0000sls-cdk:own-tag"
_ABSENT: Any = object()  # no tag property at all
_UNESCAPED_DOT = re.compile(r"(?<!\\)\.")


def _is_intrinsic(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and len(value) == 1
        and (next(iter(value)) in ("Ref", "Condition") or str(next(iter(value))).startswith("Fn::"))
    )


@jsii.implements(ITaggableV2)
class TaggableResource(CfnResource):
    """A raw resource of a taggable type with a ``cdkTagManager``, so ``Tags.of(...)`` tags it.

    Its own tags (the tag property as written, overrides included) keep their place and values,
    intrinsics too. As for an L1 created with tags, a tag CDK applies at a priority of at least 50
    (``Tags.of`` adds at 100) replaces the own tag of its key, in place; a removal drops it; CDK's
    other tags follow, sorted by key as CDK renders them. Include/exclude resource types and
    priorities are the ``TagManager``'s. With no CDK tag the properties are exactly as given."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        resource_type: str,
        properties: dict[str, Any] | None,
        tagging: tuple[str, str],
    ) -> None:
        super().__init__(scope, construct_id, type=resource_type, properties=properties)
        self._sls_properties = dict(properties or {})
        self._sls_tag_property, self._sls_tag_format = tagging
        #: what CDK's raw overrides would hold at ``Properties.<tag property>`` (None: deleted)
        self._sls_tag_override: Any = _ABSENT
        self._sls_own_tags: Any = self._sls_properties.get(self._sls_tag_property, _ABSENT)
        self._sls_manager: TagManager | None = None  # made when CDK first asks (an aspect runs)

    @property
    def cdk_tag_manager(self) -> TagManager:
        if self._sls_manager is None:
            self._sls_manager = TagManager(
                _TAG_TYPES[self._sls_tag_format],
                self.cfn_resource_type,
                tag_property_name=self._sls_tag_property,
            )
            self._sls_seed()
        return self._sls_manager

    def _sls_seed(self) -> None:
        """The manager holds each own tag's key at CDK's priority for given tags, so CDK's
        priorities decide between them and what aspects apply."""
        if self._sls_manager is not None:
            for key in self._sls_own_keys():
                self._sls_manager.set_tag(key, _OWN, _OWN_PRIORITY)

    def _sls_mergeable(self) -> bool:
        """Whether the own tags are literal entries CDK's can be merged with."""
        own = self._sls_own_tags
        if self._sls_tag_format == "map":
            return isinstance(own, dict) and not _is_intrinsic(own)
        return isinstance(own, list)

    def _sls_own_keys(self) -> list[str]:
        own = self._sls_own_tags
        if not self._sls_mergeable():
            return []
        if isinstance(own, dict):
            return [key for key in own if isinstance(key, str)]
        return [tag["Key"] for tag in own if isinstance(tag, dict) and isinstance(tag.get("Key"), str)]

    def add_override(self, path: str, value: Any) -> None:
        """An override of the tag property (a ``resources`` merge, ``add_property_override``)
        is kept here, as CDK keeps raw overrides, and merged into the own tags as CDK merges them
        into the template, so CDK's tags are merged with the result; others are CDK's."""
        parts = [part.replace("\\.", ".") for part in _UNESCAPED_DOT.split(path)]
        if parts[0] != "Properties" or (len(parts) == 1 and not isinstance(value, dict)):
            super().add_override(path, value)
            return
        if len(parts) == 1:  # the whole Properties object: its tag property is ours
            rest = {k: v for k, v in value.items() if k != self._sls_tag_property}
            self._sls_tag_override = _containers_copied(value.get(self._sls_tag_property, _ABSENT))
            super().add_override(path, rest)
        elif parts[1] != self._sls_tag_property:
            super().add_override(path, value)
            return
        elif len(parts) == 2:
            self._sls_tag_override = _containers_copied(value)
        else:
            if not isinstance(self._sls_tag_override, dict):
                self._sls_tag_override = {}
            node = self._sls_tag_override
            for part in parts[2:-1]:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
            node[parts[-1]] = _containers_copied(value)
        self._sls_own_tags = _merged_override(
            self._sls_properties.get(self._sls_tag_property, _ABSENT), self._sls_tag_override
        )
        self._sls_seed()

    @property
    def _cfn_properties(self) -> Any:
        tags = self._sls_tags()
        if tags is self._sls_properties.get(self._sls_tag_property, _ABSENT):
            return self._sls_properties
        properties = dict(self._sls_properties)
        if tags is _ABSENT:
            properties.pop(self._sls_tag_property, None)
        else:
            properties[self._sls_tag_property] = tags
        return properties

    def _sls_tags(self) -> Any:
        """The tag property to render: the own tags with CDK's merged in."""
        own = self._sls_own_tags
        if self._sls_manager is None:
            return own  # no aspect asked: no CDK tag
        rendered = self._sls_manager.render_tags()
        if self._sls_tag_format == "map":
            applied = {key: {"Key": key, "Value": value} for key, value in (rendered or {}).items()}
        else:
            applied = {tag["Key"]: tag for tag in map(cfn_tag, rendered or [])}
        keys = set(self._sls_own_keys())
        # an own tag an override took away after the manager was made
        applied = {k: tag for k, tag in applied.items() if k in keys or tag["Value"] != _OWN}
        if set(applied) == keys and all(tag["Value"] == _OWN for tag in applied.values()):
            return own  # nothing applied through CDK
        if own is not _ABSENT and not self._sls_mergeable():
            logical_id = Stack.of(self).resolve(self.logical_id)
            raise ValueError(
                f"resource {logical_id}: CDK tags cannot be merged with its {self._sls_tag_property} "
                f"written as {own!r} (for an L1, CDK refuses a tag property that is one intrinsic too)"
            )
        added = [tag for key, tag in applied.items() if key not in keys]
        if self._sls_tag_format == "map":
            merged = {}
            for key, value in (own if own is not _ABSENT else {}).items():
                if key not in keys or key in applied:
                    merged[key] = (
                        value if key not in keys or applied[key]["Value"] == _OWN else applied[key]["Value"]
                    )
            merged.update((tag["Key"], tag["Value"]) for tag in added)
            return merged
        entries = []
        for tag in own if own is not _ABSENT else []:
            key = tag.get("Key") if isinstance(tag, dict) else None
            if key not in keys:
                entries.append(tag)  # an intrinsic entry or a computed key: as written
            elif key in applied:
                entries.append(tag if applied[key]["Value"] == _OWN else {**tag, **applied[key]})
        return entries + added


@jsii.implements(IStableAnyProducer)
class TagsWithCdks:
    """An L1's tags written by a ``resources`` merge, with CDK's (a raw override would replace
    them): a rendered tag that is not one the L1 was given (same key and value) replaces the
    written tag of its key in place, or follows; a given key CDK removed goes."""

    def __init__(
        self, resource: CfnResource, manager: TagManager, given: list[Any], written: list[Any]
    ) -> None:
        self._resource, self._manager, self._given, self._written = resource, manager, given, written

    def produce(self) -> Any:
        rendered = Stack.of(self._resource).resolve(self._manager.render_tags()) or []
        rendered = [cfn_tag(tag) for tag in rendered]
        given = {(t.get("Key"), repr(t.get("Value"))) for t in self._given if isinstance(t, dict)}
        applied = {t["Key"]: t for t in rendered if (t["Key"], repr(t["Value"])) not in given}
        removed = {key for key, _ in given} - {t["Key"] for t in rendered}
        if not applied and not removed:
            return self._written
        tags, keys = [], set()
        for tag in self._written:
            key = tag.get("Key") if isinstance(tag, dict) else None
            keys.add(key)
            if key in applied:
                tags.append({**tag, **applied[key]})
            elif key not in removed:
                tags.append(tag)
        return tags + [tag for key, tag in applied.items() if key not in keys]


def cfn_tag(tag: dict[str, Any]) -> dict[str, Any]:
    """A tag CDK's manager rendered, in CloudFormation's spelling (its standard and ASG formatters
    write an L1's camelCase)."""
    if "key" not in tag:
        return {"Key": tag["Key"], "Value": tag["Value"]}
    if "propagateAtLaunch" in tag:
        return {"Key": tag["key"], "Value": tag["value"], "PropagateAtLaunch": tag["propagateAtLaunch"]}
    return {"Key": tag["key"], "Value": tag["value"]}


#: CDK's deepMerge starts over rather than merge into (or with) an object of one of these keys
_MERGE_EXCLUDE_KEYS = {
    "Ref", "Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::GetAtt", "Fn::GetAZs", "Fn::ImportValue",
    "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::Transform", "Fn::And", "Fn::Equals",
    "Fn::If", "Fn::Not", "Fn::Or",
}  # fmt: skip


def _containers_copied(value: Any) -> Any:
    """``value`` with its dicts and lists copied (kept and merged into; the caller's stay as given)."""
    if isinstance(value, dict):
        return {k: _containers_copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_containers_copied(v) for v in value]
    return value


def _merged_override(own: Any, override: Any) -> Any:
    """The tag property once CDK merges the raw override into the template (its ``deepMerge``):
    None deletes, an object merges key by key (an array's keys are its indexes), anything else
    replaces; an object (or array) left empty is dropped."""
    if override is _ABSENT:
        return own
    holder = {"tags": _containers_copied(own)} if own is not _ABSENT else {}
    _deep_merge(holder, {"tags": override})
    return holder.get("tags", _ABSENT)


def _excluded(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _MERGE_EXCLUDE_KEYS


def _deep_merge(target: dict[Any, Any] | list[Any], source: dict[Any, Any]) -> None:
    def get(key: Any) -> Any:
        if isinstance(target, dict):
            return target.get(key)
        index = int(key) if str(key).isdigit() else len(target)
        return target[index] if index < len(target) else None

    def put(key: Any, value: Any) -> None:
        if isinstance(target, dict):
            target[key] = value
        elif str(key).isdigit():  # JavaScript sets an array's index (holes are nulls)
            target.extend([None] * (int(key) + 1 - len(target)))
            target[int(key)] = value

    def drop(key: Any) -> None:
        if isinstance(target, dict):
            target.pop(key, None)
        elif str(key).isdigit() and int(key) < len(target):
            target[int(key)] = None  # ``delete array[i]`` leaves a hole

    for key, value in source.items():
        if isinstance(value, dict):
            current = get(key)
            if not isinstance(current, dict | list) or _excluded(current) or _excluded(value):
                current = {}
                put(key, current)
            _deep_merge(current, value)
            if not current:
                drop(key)
        elif value is None:
            drop(key)
        else:
            put(key, value)


def raw_resource(
    scope: Construct, construct_id: str, *, resource_type: str, properties: dict[str, Any] | None
) -> CfnResource:
    """A ``CfnResource`` of raw CloudFormation: a :class:`TaggableResource` when the type takes tags."""
    tagging = schema_tagging(resource_type)
    if tagging is None:
        return CfnResource(scope, construct_id, type=resource_type, properties=properties)
    return TaggableResource(
        scope, construct_id, resource_type=resource_type, properties=properties, tagging=tagging
    )


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
            resource = raw_resource(
                stack_of(self),  # directly under the stack: the construct ID is the logical ID
                logical_id,
                resource_type=definition["Type"],
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
