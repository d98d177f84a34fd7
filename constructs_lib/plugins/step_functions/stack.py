"""The plugin's resources and outputs added to a service stack (raw CloudFormation, merged like
v3's plugins merge theirs, before ``resources:`` is applied)."""

from __future__ import annotations

from typing import Any

from constructs_lib.constructs.raw import RawResources
from constructs_lib.loader.service import LoadedService
from constructs_lib.plugins.step_functions.compile import plugin_output

__all__ = ["add_step_functions", "keep_empty_depends_on"]


def add_step_functions(service: LoadedService, raw: RawResources, add_output: Any) -> list[str]:
    """Adds what the plugin makes; returns the logical IDs whose ``DependsOn`` is an empty list
    (the plugin writes ``[]`` for a machine with its own role), to keep once rendered."""
    names = {key: fn.name for key, fn in service.functions.items()}
    out = plugin_output(service.data, service.sources, service.model, names, (service.stage, service.region))
    if out is None:
        return []
    for logical_id, resource in out.resources.items():
        raw.add(logical_id, resource)
    for key, value, description in out.outputs:
        add_output(key, value, description)
    return [lid for lid, resource in out.resources.items() if resource.get("DependsOn") == []]


def keep_empty_depends_on(raw: RawResources, logical_ids: list[str]) -> None:
    for logical_id in logical_ids:
        raw.resources[logical_id].add_override("DependsOn", [])
