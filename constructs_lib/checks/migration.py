"""What deploying one template over another would do, resource by resource, offline.

The question behind the project's promise: taking a stack Serverless v3 made and deploying ours
over it, is anything replaced or deleted? CloudFormation replaces a resource when its logical ID or
type changes, or when a *create-only* property changes (the resource schemas, as shipped with
cfn-lint, list them). This module answers from the two templates alone; the ``diff`` command and
the in-place migration test both use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.defaults import DEFAULT_REGION

__all__ = ["STATEFUL_TYPES", "Change", "compare", "create_only_properties", "format_report"]

#: Resource types that hold data or identity: replacing or removing one loses it.
STATEFUL_TYPES = frozenset(
    {
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::GlobalTable",
        "AWS::S3::Bucket",
        "AWS::Logs::LogGroup",
        "AWS::Cognito::UserPool",
        "AWS::SQS::Queue",
        "AWS::Kinesis::Stream",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::EFS::FileSystem",
        "AWS::KMS::Key",
        "AWS::SecretsManager::Secret",
        "AWS::Events::EventBus",
        "AWS::ElastiCache::CacheCluster",
        # identity others pin: subscriptions to a topic, a layer version ARN in other stacks
        "AWS::SNS::Topic",
        "AWS::Lambda::LayerVersion",
    }
)

#: Resources v3 itself replaces on every code change and retains (old versions stay in Lambda).
_ROTATING_TYPES = frozenset({"AWS::Lambda::Version", "AWS::ApiGateway::Deployment"})


@dataclass(frozen=True)
class Change:
    logical_id: str
    type: str
    kind: str
    """``replace``, ``remove``, ``add``, ``update`` or ``rotate`` (a version/deployment v3 also renews)."""
    detail: str = ""

    @property
    def stateful(self) -> bool:
        return self.type in STATEFUL_TYPES

    @property
    def risky(self) -> bool:
        """Data would be lost: a stateful resource replaced or removed."""
        return self.stateful and self.kind in ("replace", "remove")


def create_only_properties(resource_type: str, region: str = DEFAULT_REGION) -> list[tuple[str, ...]]:
    """Property paths CloudFormation cannot change in place for ``resource_type``."""
    try:
        from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER
    except ImportError:  # cfn-lint is a dev dependency; without it only IDs and types are compared
        return []
    try:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, resource_type).schema
    except Exception:  # an unknown (custom) type
        return []
    out: list[tuple[str, ...]] = []
    for pointer in schema.get("createOnlyProperties", []):
        parts = pointer.split("/")[2:]  # "/properties/A/B" -> ("A", "B")
        if parts and "*" not in parts:
            out.append(tuple(parts))
    return out


def _at(value: JsonValue, path: tuple[str, ...]) -> JsonValue:
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def compare(old: JsonObject, new: JsonObject, *, region: str = DEFAULT_REGION) -> list[Change]:
    """Changes from ``old`` to ``new`` (full templates)."""
    changes: list[Change] = []
    old_res, new_res = old.get("Resources", {}), new.get("Resources", {})
    for lid, res in old_res.items():
        kind = res.get("Type", "")
        mine = new_res.get(lid)
        if mine is None:
            rotating = kind in _ROTATING_TYPES and any(
                r.get("Type") == kind for other, r in new_res.items() if other not in old_res
            )
            changes.append(Change(lid, kind, "rotate" if rotating else "remove"))
            continue
        if mine.get("Type") != kind:
            changes.append(Change(lid, kind, "replace", f"type {kind} -> {mine.get('Type')}"))
            continue
        old_props, new_props = res.get("Properties", {}) or {}, mine.get("Properties", {}) or {}
        replaced = [
            "/".join(path)
            for path in create_only_properties(kind, region)
            if json.dumps(_at(old_props, path), sort_keys=True)
            != json.dumps(_at(new_props, path), sort_keys=True)
        ]
        if replaced:  # a layer's Content too: a new version, and the old one is deleted
            changes.append(Change(lid, kind, "replace", "create-only: " + ", ".join(replaced)))
            continue
        updated = sorted(
            key
            for key in set(old_props) | set(new_props)
            if json.dumps(old_props.get(key), sort_keys=True)
            != json.dumps(new_props.get(key), sort_keys=True)
        )
        if updated:
            changes.append(Change(lid, kind, "update", ", ".join(updated)))
    for lid, res in new_res.items():
        if lid not in old_res:
            kind = res.get("Type", "")
            rotating = kind in _ROTATING_TYPES and any(
                r.get("Type") == kind for other, r in old_res.items() if other not in new_res
            )
            changes.append(Change(lid, kind, "rotate" if rotating else "add"))
    return changes


_ORDER = ("replace", "remove", "update", "add", "rotate")
_TITLES = {
    "replace": "replaced (CloudFormation creates a new one and deletes the old)",
    "remove": "removed (deleted from the stack)",
    "update": "updated in place",
    "add": "added",
    "rotate": "renewed as v3 renews them on every deploy (function versions, the REST API deployment)",
}


def format_report(changes: list[Change]) -> str:
    """Human-readable grouping, riskiest first."""
    if not changes:
        return "no changes"
    lines: list[str] = []
    for kind in _ORDER:
        group = [c for c in changes if c.kind == kind]
        if not group:
            continue
        lines.append(f"{_TITLES[kind]}:")
        for c in group:
            flag = "  !! DATA" if c.risky else ""
            detail = f"  ({c.detail})" if c.detail else ""
            lines.append(f"  {c.logical_id} [{c.type}]{detail}{flag}")
    return "\n".join(lines)
