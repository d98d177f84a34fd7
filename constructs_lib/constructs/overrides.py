"""Property overrides the ``resources:`` merge can see.

CDK keeps a construct's ``add_property_override`` values where Python cannot read them back, so a
``resources.Resources.<id>`` entry would be merged against the typed properties only, and a list
set by override (a layer's ``CompatibleRuntimes``, an authorizer's ``IdentitySource``) replaced
instead of merged index by index as v3's lodash merge does. :func:`override_property` overrides
and remembers; :mod:`constructs_lib.constructs.resources` merges into what it remembered.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnResource

__all__ = ["override_property", "recorded_overrides"]


def override_property(resource: CfnResource, path: str, value: Any) -> None:
    """``resource.add_property_override(path, value)``, remembered (``path`` may be dotted)."""
    resource.add_property_override(path, value)
    recorded = recorded_overrides(resource)
    keys = path.split(".")
    node = recorded
    for key in keys[:-1]:
        child = node.get(key)
        node = node.setdefault(key, {}) if not isinstance(child, dict) else child
    node[keys[-1]] = value
    resource.sls_property_overrides = recorded  # type: ignore[attr-defined]


def recorded_overrides(resource: CfnResource) -> dict[str, Any]:
    """What :func:`override_property` (or a construct itself) recorded for ``resource``."""
    recorded = getattr(resource, "sls_property_overrides", None)
    return recorded if isinstance(recorded, dict) else {}
