"""``resources:``: raw CloudFormation merged into a service stack the way v3 merges it.

v3 runs lodash's ``_.merge(compiledTemplate, resources)`` after everything is compiled, so:

* a new logical ID adds a resource (or output, condition, mapping, parameter) as written;
* an existing logical ID deep-merges into the generated resource: objects key by key, arrays
  index by index, ``null`` removes a property (v3 then strips null properties);
* ``resources.extensions`` is applied afterwards: ``Properties``/``Metadata`` are assigned key by
  key, ``DependsOn`` is appended to, the policies and ``Condition`` are replaced.

Merging into a generated resource is :func:`~constructs_lib.constructs.raw.lodash_merge` of each
top-level property (attribute) into what was generated (a raw resource's dict, or a typed L1's
rendered properties and the property overrides its construct records as ``sls_property_overrides``),
written back whole with ``add_override``, so lists stay lists; logical IDs are never changed.

The section is checked at load (:mod:`constructs_lib.loader.resources_check`). What the loader
cannot decide is whether an event builder made a name (a ``Type``-less entry, a ``Value``-less
output or an extension naming a resource the events may have built): that is decided here, against
the built stack, and a miss is a :class:`ResourceMergeError`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import jsii
from aws_cdk import (
    CfnCondition,
    CfnMapping,
    CfnOutput,
    CfnParameter,
    CfnResource,
    ICfnConditionExpression,
    IResolvable,
    IResolveContext,
    Lazy,
    ResolutionTypeHint,
    Stack,
    TagManager,
    Token,
)
from constructs import Construct

from constructs_lib.checks.permissions import schema_tagging
from constructs_lib.config.model import ResourcesSection
from constructs_lib.constructs.overrides import recorded_overrides
from constructs_lib.errors import SlsCdkError
from constructs_lib.loader.resources_check import PARAMETER_KEYS

__all__ = ["ResourceMergeError", "depends_on", "merge_resources", "set_depends_on"]


class ResourceMergeError(SlsCdkError):
    """``resources`` names something only the built stack can confirm, and the stack lacks it.

    The loader decides every name the ``constructs/`` layer makes; a name an event builder may make
    (from ARNs, paths, hashes) is decided here, after building, as v3 decides it after compiling."""

    code = "RESOURCE_MERGE_ERROR"


def set_depends_on(resource: CfnResource, ids: list[str]) -> None:
    """Write ``DependsOn`` as raw logical IDs and remember it (``extensions`` append to it)."""
    resource.sls_depends_on = list(ids)  # type: ignore[attr-defined]
    if ids:
        resource.add_override("DependsOn", list(ids))
    else:
        resource.add_deletion_override("DependsOn")


def depends_on(resource: CfnResource) -> list[str]:
    return list(getattr(resource, "sls_depends_on", []))


@jsii.implements(ICfnConditionExpression, IResolvable)
class _RawCondition:
    """A condition expression given as raw CloudFormation (``Fn::Equals`` ...)."""

    def __init__(self, expression: Any) -> None:
        self._expression = expression

    @property
    def creation_stack(self) -> list[str]:
        return []

    @property
    def type_hint(self) -> ResolutionTypeHint | None:
        return None

    def resolve(self, context: IResolveContext) -> Any:
        return self._expression

    def to_string(self) -> str:
        return Token.as_string(self)


def _escape(key: str) -> str:
    return key.replace(".", "\\.")


def _leaves(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    """``(override path, value)`` per leaf of nested objects; a list is a leaf (written whole)."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(f"{prefix}.{_escape(str(key))}", item)
    else:
        yield prefix, value


def _generated(stack: Stack) -> tuple[dict[str, CfnResource], dict[str, CfnOutput]]:
    resources: dict[str, CfnResource] = {}
    outputs: dict[str, CfnOutput] = {}
    for child in stack.node.find_all():
        if isinstance(child, CfnResource):
            resources[stack.resolve(child.logical_id)] = child
        elif isinstance(child, CfnOutput):
            outputs[stack.resolve(child.logical_id)] = child
    return resources, outputs


def merge_resources(stack: Stack, section: ResourcesSection, *, scope: Construct | None = None) -> None:
    """Merge ``section`` into ``stack`` (call it after everything else is in the stack)."""
    scope = scope or Construct(stack, "Resources")
    resources, outputs = _generated(stack)

    if section.description is not None:
        stack.template_options.description = section.description
    if section.aws_template_format_version is not None:
        stack.template_options.template_format_version = section.aws_template_format_version
    if section.metadata:
        stack.template_options.metadata = {**(stack.template_options.metadata or {}), **section.metadata}
    if section.transform is not None:
        for name in section.transform if isinstance(section.transform, list) else [section.transform]:
            stack.add_transform(name)

    for name, expression in section.conditions.items():
        CfnCondition(scope, f"Condition{name}", expression=_RawCondition(expression)).override_logical_id(
            name
        )
    for name, mapping in section.mappings.items():
        CfnMapping(scope, f"Mapping{name}", mapping=mapping).override_logical_id(name)
    for name, spec in section.parameters.items():
        _parameter(scope, name, spec)

    for logical_id, definition in section.resources.items():
        existing = resources.get(logical_id)
        if existing is None:
            resources[logical_id] = _new_resource(scope, logical_id, definition)
        else:
            _merge_into(existing, logical_id, definition)

    for logical_id, definition in section.outputs.items():
        out = outputs.get(logical_id)
        if out is None:
            _new_output(scope, logical_id, definition)
        else:
            _merge_output(out, definition)

    for logical_id, attributes in section.extensions.items():
        target = resources.get(logical_id)
        if target is None:
            raise ResourceMergeError(
                f"cannot extend {logical_id!r}: no such resource in the generated stack",
                path=("resources", "extensions", logical_id),
            )
        _extend(target, attributes)


def _new_resource(scope: Construct, logical_id: str, definition: dict[str, Any]) -> CfnResource:
    if "Type" not in definition:
        raise ResourceMergeError(
            f"resource {logical_id!r} has no Type", path=("resources", "Resources", logical_id)
        )
    from constructs_lib.constructs.raw import raw_resource  # raw.py imports this module

    resource = raw_resource(  # tagged by CDK's Tags aspect when the type takes tags
        scope,
        f"Resource{logical_id}",
        resource_type=definition["Type"],
        properties=definition.get("Properties"),
    )
    resource.override_logical_id(logical_id)
    for attribute, value in definition.items():
        if attribute in ("Type", "Properties"):
            continue
        if attribute == "DependsOn":
            set_depends_on(resource, [value] if isinstance(value, str) else list(value))
        else:
            resource.add_override(attribute, value)
    return resource


_NULL = object()  # a ``null`` in ``resources``: v3 assigns it, then strips null properties


def _nulls_marked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _NULL if v is None else _nulls_marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nulls_marked(v) for v in value]
    return value


def _nulls_dropped(prefix: str, value: Any, deleted: list[str]) -> Any:
    """``value`` without the marked nulls; their override paths are added to ``deleted``."""
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            path = f"{prefix}.{_escape(str(key))}"
            if item is _NULL:
                deleted.append(path)
            else:
                kept[key] = _nulls_dropped(path, item, deleted)
        return kept
    if isinstance(value, list):
        return [
            None if v is _NULL else _nulls_dropped(f"{prefix}.{i}", v, deleted) for i, v in enumerate(value)
        ]
    return value


def _generated_attributes(resource: CfnResource) -> dict[str, Any]:
    """What the stack renders for ``resource`` as far as its typed properties show it."""
    raw = getattr(resource, "sls_raw_definition", None)
    if raw is not None:
        return copy.deepcopy(raw)
    properties = Stack.of(resource).resolve(resource._render_properties(resource._cfn_properties))
    properties = dict(properties) if isinstance(properties, dict) else {}
    # properties the constructs set as overrides (override_property, one jsii round trip, or lazy)
    overrides = recorded_overrides(resource)
    if overrides:
        resolved = Stack.of(resource).resolve(dict(overrides))
        _deep_update(properties, {k: v for k, v in resolved.items() if v is not None})
    return {"Properties": properties}


def _deep_update(base: dict[str, Any], overrides: dict[str, Any]) -> None:
    """``add_property_override`` semantics: a nested override replaces only its own key."""
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_update(base[key], value)
        else:
            base[key] = value


def _merge_into(resource: CfnResource, logical_id: str, definition: dict[str, Any]) -> None:
    """lodash ``_.merge`` of ``definition`` into the generated resource: each top-level property
    (or attribute) is merged with :func:`lodash_merge` against what was generated and written whole,
    so lists merge index by index and stay lists."""
    from constructs_lib.constructs.raw import lodash_merge

    generated = _generated_attributes(resource)
    for attribute, value in definition.items():
        if attribute == "DependsOn":
            merged = depends_on(resource)
            for index, item in enumerate([value] if isinstance(value, str) else value):
                if index < len(merged):
                    merged[index] = item
                else:
                    merged.append(item)
            set_depends_on(resource, merged)
            continue
        if value is None:
            resource.add_deletion_override(attribute)
            continue
        if attribute == "Properties" and isinstance(value, dict):
            base = generated.get("Properties") or {}
            items = [(f"Properties.{_escape(str(k))}", base.get(k), v) for k, v in value.items()]
        else:
            items = [(attribute, generated.get(attribute), value)]
        for path, current, item in items:
            if item is None:
                resource.add_deletion_override(path)
                continue
            deleted: list[str] = []
            merged_value = _nulls_dropped(
                path, lodash_merge(copy.deepcopy(current), _nulls_marked(item)), deleted
            )
            if isinstance(merged_value, dict) and not isinstance(current, dict):
                for leaf_path, leaf in _leaves(path, merged_value):
                    resource.add_override(leaf_path, leaf)
            elif not any(gone.startswith(f"{path}.") for gone in deleted):
                resource.add_override(path, _with_cdk_tags(resource, path, current, merged_value))
            else:
                resource.add_override(path, merged_value)
            for gone in deleted:
                resource.add_deletion_override(gone)


def _extend(resource: CfnResource, attributes: dict[str, Any]) -> None:
    for attribute, value in attributes.items():
        if attribute in ("Properties", "Metadata"):
            for key, item in value.items():
                path = f"{attribute}.{_escape(key)}"
                resource.add_override(path, _with_cdk_tags(resource, path, None, item))
        elif attribute == "DependsOn":
            set_depends_on(
                resource, depends_on(resource) + ([value] if isinstance(value, str) else list(value))
            )
        else:
            resource.add_override(attribute, value)


def _with_cdk_tags(resource: CfnResource, path: str, given: Any, value: Any) -> Any:
    """``value`` to write at ``path``; at an L1's list of tags, merged with the tags CDK's aspects
    give it, at synthesis (a raw override replaces a list whole; a map is merged key by key, and
    a raw resource merges its own, see :class:`~constructs_lib.constructs.raw.TaggableResource`)."""
    from constructs_lib.constructs.raw import TaggableResource, TagsWithCdks

    tagging = schema_tagging(resource.cfn_resource_type)
    if tagging is None or tagging[1] == "map" or path != f"Properties.{_escape(tagging[0])}":
        return value
    manager = TagManager.of(resource)
    if manager is None or isinstance(resource, TaggableResource) or not isinstance(value, list):
        return value
    if given is None:  # an extension: what the L1 was given
        given = _generated_attributes(resource).get("Properties", {}).get(tagging[0])
    resource.sls_tags_merged = True  # type: ignore[attr-defined]  # l1_sync leaves its tags to this
    return Lazy.any(TagsWithCdks(resource, manager, given if isinstance(given, list) else [], value))


def _raw_text(value: Any) -> Any:
    return Token.as_string(value) if isinstance(value, dict | list) else value


def _new_output(scope: Construct, logical_id: str, definition: dict[str, Any]) -> None:
    if "Value" not in definition:
        raise ResourceMergeError(
            f"output {logical_id!r} has no Value", path=("resources", "Outputs", logical_id)
        )
    export = (definition.get("Export") or {}).get("Name")
    out = CfnOutput(
        scope,
        f"Output{logical_id}",
        value=_raw_text(definition["Value"]),
        description=definition.get("Description"),
        export_name=_raw_text(export) if export is not None else None,
    )
    out.override_logical_id(logical_id)
    out.sls_raw_value = definition["Value"]  # type: ignore[attr-defined]  # compose reads it
    if "Condition" in definition:
        out.condition = _condition_ref(scope, definition["Condition"])


def _merge_output(out: CfnOutput, definition: dict[str, Any]) -> None:
    if "Value" in definition:
        out.value = _raw_text(definition["Value"])
        out.sls_raw_value = definition["Value"]  # type: ignore[attr-defined]
    if "Description" in definition:
        out.description = definition["Description"]
    export = (definition.get("Export") or {}).get("Name")
    if export is not None:
        out.export_name = _raw_text(export)
    if "Condition" in definition:
        out.condition = _condition_ref(out, definition["Condition"])


def _condition_ref(scope: Construct, name: str) -> CfnCondition:
    stack = Stack.of(scope)
    for child in stack.node.find_all():
        if isinstance(child, CfnCondition) and stack.resolve(child.logical_id) == name:
            return child
    # the loader checks every output condition against resources.Conditions
    raise ValueError(f"condition {name!r} is not defined in resources.Conditions (run check_resources)")


#: ``AllowedValues`` -> ``allowed_values``: CloudFormation's parameter keys as CfnParameter's arguments
_PARAMETER_ARGUMENTS = {key: re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower() for key in PARAMETER_KEYS}


def _parameter(scope: Construct, name: str, spec: dict[str, Any]) -> None:
    unknown = [key for key in spec if key not in _PARAMETER_ARGUMENTS]
    if unknown:  # the loader reports these with their line
        raise ValueError(f"parameter {name!r}: unknown key {unknown[0]!r} (run check_resources)")
    CfnParameter(
        scope, f"Parameter{name}", **{_PARAMETER_ARGUMENTS[k]: v for k, v in spec.items()}
    ).override_logical_id(name)
