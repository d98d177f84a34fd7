"""``websocket`` checks at load (no CDK): one integration per route (also after v3 turns routes
into logical IDs), authorizers that name a function of the service, and no API settings when
``provider.apiGateway.websocketApiId`` says another stack owns the API."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib import naming
from constructs_lib.errors import SlsCdkError
from constructs_lib.events.sites import CheckContext, EventSite
from constructs_lib.events.websocket import WebsocketEvent

__all__ = ["check"]

_API_SETTINGS = (
    ("websockets_api_name", "websocketsApiName"),
    ("websockets_api_route_selection_expression", "websocketsApiRouteSelectionExpression"),
)


def _route_problem(
    site: EventSite[WebsocketEvent], ctx: CheckContext, seen: dict[str, tuple[str, str]]
) -> SlsCdkError | None:
    """``<Route>WebsocketsRoute`` is one resource: routes must not share it, nor functions a route
    (v3 silently kept one). ``seen``: route logical ID -> (route, function) of the events before."""
    route = site.event.route
    logical_id = naming.websockets_route_logical_id(route)
    other_route, other = seen.get(logical_id, (route, site.key))
    seen[logical_id] = (route, site.key)
    if other_route != route:
        return ctx.error(
            f"websocket routes {other_route!r} and {route!r} would share the logical ID "
            f"{logical_id} (v3 silently kept one)",
            site.path,
        )
    if other != site.key:
        return ctx.error(
            f"websocket route {route!r} is also bound to function {other!r}; "
            "a route has one integration (v3 silently kept the last)",
            site.path,
        )
    return None


def _authorizer_problem(site: EventSite[WebsocketEvent], ctx: CheckContext) -> SlsCdkError | None:
    auth = site.event.authorizer
    if auth is None or auth.arn is not None or auth.name in ctx.functions:
        return None
    return ctx.error(
        f"websocket authorizer {auth.name!r} is not a function of this service",
        (*site.path, "authorizer"),
        hint="name a function of this service, or give the authorizer's 'arn'",
    )


def _external_api_problems(ctx: CheckContext) -> list[SlsCdkError]:
    """With ``provider.apiGateway.websocketApiId`` the API and its stage belong to another stack."""
    provider = ctx.service.provider
    gateway = provider.api_gateway
    if gateway is None or gateway.websocket_api_id is None:
        return []
    errors = ctx.owned_elsewhere(
        provider, _API_SETTINGS, ("provider",), "WebSocket API", "apiGateway.websocketApiId"
    )
    if provider.logs is not None and provider.logs.websocket:
        errors.append(
            ctx.error(
                "websocket logs belong to the API's stage, which apiGateway.websocketApiId says another "
                "stack owns",
                ("provider", "logs", "websocket"),
            )
        )
    return errors


def check(sites: Sequence[EventSite[WebsocketEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    errors: list[SlsCdkError] = []
    seen: dict[str, tuple[str, str]] = {}
    for site in sites:
        for problem in (_route_problem(site, ctx, seen), _authorizer_problem(site, ctx)):
            if problem is not None:
                errors.append(problem)
    return [*errors, *_external_api_problems(ctx)]
