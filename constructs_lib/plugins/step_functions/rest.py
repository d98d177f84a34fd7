"""The state machines' ``http`` methods on the service's REST API, added while the API is
compiled (before its deployment, which waits for them and is named after them)."""

from __future__ import annotations

from typing import Any

from constructs_lib.events.http.resources import add_resources
from constructs_lib.events.http.rest_api import REST_API, RestApi
from constructs_lib.loader.service import LoadedService
from constructs_lib.plugins.step_functions.compile import machine_http_events
from constructs_lib.plugins.step_functions.http import ROLE, http_parts, http_paths

__all__ = ["add_machine_methods", "has_http_events"]


def _events(service: LoadedService) -> Any:
    names = {key: fn.name for key, fn in service.functions.items()}
    return machine_http_events(
        service.data, service.sources, service.model, names, (service.stage, service.region)
    )


def has_http_events(service: LoadedService) -> bool:
    return _events(service) is not None


def _plugins_own_api(api: RestApi) -> None:
    """Without functions' ``http`` events v3 makes no REST API: the plugin's ``compileRestApi``
    does, with only its name, endpoint configuration and resource policy."""
    definition = api.ctx.raw.get(REST_API)
    if definition is None:
        return
    props = definition["Properties"]
    kept = {k: props[k] for k in ("Name", "EndpointConfiguration") if k in props}
    if props.get("Policy"):
        kept["Policy"] = props["Policy"]
    props.clear()
    props.update(kept)


def add_machine_methods(api: RestApi) -> None:
    """The plugin's resources, methods, CORS preflights and role (none without such events)."""
    found = _events(api.ctx.service)
    if found is None:
        return
    events, ctx = found
    if api.owned and not api.ctx.service.sites.get("http"):
        _plugins_own_api(api)
    add_resources(api, http_paths(events))
    provider = api.ctx.service.data.get("provider")
    gateway = provider.get("apiGateway") if isinstance(provider, dict) else None
    timeout = gateway.get("timeoutInMillis") if isinstance(gateway, dict) else None
    parts = http_parts(events, ctx, timeout, api.resource_ids, api.ref)
    for logical_id, definition in parts.methods.items():
        api.add(logical_id, definition)
        api.method_ids.append(logical_id)
    for logical_id, definition in parts.preflights.items():
        api.add(logical_id, definition)
    if parts.role is not None:
        api.add(ROLE, parts.role)
