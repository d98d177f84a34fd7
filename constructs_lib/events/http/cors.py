"""CORS (v3's ``getCors`` in ``validate.js`` and ``cors.js``): each event's settings, merged per
path into one preflight ``ApiGatewayMethod<Path>Options`` (a MOCK integration answering 200)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from constructs_lib.config.model import API_CORS_DEFAULT_HEADERS
from constructs_lib.events.http import HttpCors, HttpEvent, plan
from constructs_lib.events.http.rest_api import RestApi

if TYPE_CHECKING:
    from constructs_lib.events.http.methods import Method

__all__ = ["add_preflight_methods", "event_cors"]


def _union(*lists: list[Any] | None) -> list[Any]:
    out: list[Any] = []
    for items in lists:
        for item in items or []:
            if item not in out:
                out.append(item)
    return out


def event_cors(event: HttpEvent) -> dict[str, Any]:
    """v3's ``getCors``: defaults, the event's own methods, OPTIONS."""
    method = event.method.upper()
    cors: dict[str, Any] = {
        "origin": "*",
        "methods": ["OPTIONS"],
        "headers": list(API_CORS_DEFAULT_HEADERS),
        "allowCredentials": False,
    }
    if isinstance(event.cors, HttpCors):
        given = event.cors.model_dump(by_alias=True, exclude_none=True)
        if "origins" in given:
            del cors["origin"]
        cors.update(given)
        cors["methods"] = list(cors.get("methods") or [])
        cors["allowCredentials"] = bool(cors.get("allowCredentials"))
        headers = given.get("headers")
        if isinstance(headers, str):
            headers = [headers]
        cors["headers"] = headers or list(API_CORS_DEFAULT_HEADERS)
        if "OPTIONS" not in cors["methods"]:
            cors["methods"].append("OPTIONS")
        if method not in cors["methods"]:
            cors["methods"].append(method)
    else:
        cors["methods"].append(method)
    return cors


def _preflights(methods: Iterable[Method]) -> dict[str, dict[str, Any]]:
    """Path -> the CORS settings of all its events, merged."""
    preflight: dict[str, dict[str, Any]] = {}
    for method in methods:
        cors = method.cors
        if cors is None:
            continue
        merged = preflight.setdefault(method.event.path, {})
        merged["headers"] = _union(cors["headers"], merged.get("headers"))
        merged["methods"] = _union(cors["methods"], merged.get("methods"))
        merged["origins"] = _union(cors.get("origins"), merged.get("origins"))
        merged["origin"] = cors.get("origin")
        merged["allowCredentials"] = merged.get("allowCredentials") or cors["allowCredentials"]
        if cors.get("maxAge"):
            merged["maxAge"] = cors["maxAge"]
        if cors.get("cacheControl"):
            merged["cacheControl"] = cors["cacheControl"]
    return preflight


def _origins(config: dict[str, Any]) -> tuple[str | None, list[str] | None]:
    """The origin the preflight answers and, with several, all of them."""
    origin = config.get("origin")
    origins = config.get("origins") or None
    if origin and "," in origin:
        origins = [o.strip() for o in origin.split(",")]
    if origins:
        origin = origins[0]
    return origin, origins


def _headers(config: dict[str, Any], origin: str | None) -> dict[str, str]:
    headers = {
        "Access-Control-Allow-Origin": f"'{origin}'",
        "Access-Control-Allow-Headers": f"'{','.join(config['headers'])}'",
        "Access-Control-Allow-Methods": f"'{','.join(config['methods'])}'",
    }
    if config.get("allowCredentials"):
        headers["Access-Control-Allow-Credentials"] = "'true'"
    if config.get("maxAge"):
        headers["Access-Control-Max-Age"] = f"'{config['maxAge']}'"
    if config.get("cacheControl"):
        headers["Cache-Control"] = f"'{config['cacheControl']}'"
    if "ANY" in config["methods"]:
        headers["Access-Control-Allow-Methods"] = headers["Access-Control-Allow-Methods"].replace(
            "ANY", plan.ANY_METHODS, 1
        )
    return headers


def _origin_template(origins: list[str] | None) -> str:
    """With several origins, the response names the one that asked (when it matches one)."""
    if not origins:
        return ""
    patterns = [o.replace(".", "[.]").replace("*", ".+", 1) for o in origins]
    return (
        '#set($origin = $input.params("Origin"))\n'
        '#if($origin == "") #set($origin = $input.params("origin")) #end\n'
        "#if("
        + " || ".join(f'$origin.matches("{p}")' for p in patterns)
        + ") #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin) #end"
    )


def _add_preflight(api: RestApi, path: str, config: dict[str, Any]) -> None:
    method_id = plan.method_logical_id(path, "options")
    origin, origins = _origins(config)
    headers = _headers(config, origin)
    api.method_ids.append(method_id)
    api.add(
        method_id, plan.preflight_method(headers, _origin_template(origins), api.resource_ids[path], api.ref)
    )


def add_preflight_methods(api: RestApi, methods: Iterable[Method]) -> None:
    """One ``OPTIONS`` method per path with CORS, in the order the paths first appear."""
    for path, config in _preflights(methods).items():
        _add_preflight(api, path, config)
