"""Compose references across regions, bound late: each ``{"Fn::ImportValue": name}`` of a loaded
service swapped for what the app wires instead (CDK's cross-region reader).

The swap walks what the loader made (the model, every function as v3 computes it, the resolved
configuration) instead of validating the configuration again: what plugins added after
validation (warmer functions and roles, layers and handlers a packaging plugin rewrote) stays.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from constructs_lib.events.sites import event_sites
from constructs_lib.loader.service import LoadedService

__all__ = ["rebind_imports"]


def _swapped(value: Any, replacements: Mapping[str, Any]) -> Any:
    """``value`` with the imports in ``replacements`` swapped, through dicts, lists, tuples,
    dataclasses and pydantic models (copied, not validated again: the values are CDK's)."""
    if isinstance(value, dict):
        if set(value) == {"Fn::ImportValue"} and value["Fn::ImportValue"] in replacements:
            return replacements[value["Fn::ImportValue"]]
        return {k: _swapped(v, replacements) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_swapped(v, replacements) for v in value)
    if isinstance(value, BaseModel):
        fields = {k: getattr(value, k) for k in type(value).model_fields}
        changed = {k: new for k, v in fields.items() if (new := _swapped(v, replacements)) is not v}
        return value.model_copy(update=changed) if changed else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.init}
        changed = {k: new for k, v in fields.items() if (new := _swapped(v, replacements)) is not v}
        return dataclasses.replace(value, **changed) if changed else value
    return value


def rebind_imports(service: LoadedService, replacements: Mapping[str, Any]) -> LoadedService:
    """``service`` with each ``{"Fn::ImportValue": name}`` in ``replacements`` swapped in its
    model, functions, event sites and resolved configuration."""
    functions = {key: _swapped(fn, replacements) for key, fn in service.functions.items()}
    return dataclasses.replace(
        service,
        model=_swapped(service.model, replacements),
        data=_swapped(service.data, replacements),
        functions=functions,
        sites=event_sites(functions),
    )
