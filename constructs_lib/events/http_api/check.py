"""``httpApi`` checks at load (no CDK): what API Gateway or the template would refuse. They run
only when the service has ``httpApi`` events, as its HTTP API is made only then."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib import naming
from constructs_lib.errors import SlsCdkError
from constructs_lib.events.http_api import HttpApiEvent, RouteAuthorizer
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check"]


def _route_collisions(sites: Sequence[EventSite[HttpApiEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    """Routes must be unique, also after v3 turns them into logical IDs (``/users/{id}`` and
    ``/users/{ID}`` collide: v3 silently kept one)."""
    errors: list[SlsCdkError] = []
    seen: dict[str, tuple[str, str]] = {}
    for site in sites:
        route = site.event.route_key
        logical_id = naming.http_api_route_logical_id(route)
        if logical_id not in seen:
            seen[logical_id] = (route, site.key)
            continue
        other_route, other_fn = seen[logical_id]
        problem = (
            f"duplicate HTTP API route {route!r} (also in function {other_fn!r})"
            if other_route == route
            else f"routes {other_route!r} (function {other_fn!r}) and {route!r} would share the "
            f"logical ID {logical_id}"
        )
        errors.append(ctx.error(problem, site.path))
    return errors


def _api_problems(ctx: CheckContext) -> list[SlsCdkError]:
    """``provider.httpApi`` and ``provider.logs.httpApi``: access logs need our own API's stage, and
    a request authorizer's ``functionName`` is a function of the service."""
    provider = ctx.service.provider
    config = provider.http_api
    if config is None:
        return []
    errors: list[SlsCdkError] = []
    if provider.logs and provider.logs.http_api and config.id is not None:
        errors.append(
            ctx.error(
                "access logs belong to the HTTP API's stage, which provider.httpApi.id says another "
                "stack owns",
                ("provider", "logs", "httpApi"),
            )
        )
    for key, authorizer in config.authorizers.items():
        name = authorizer.function_name
        if authorizer.type == "request" and name and name not in ctx.functions:
            errors.append(
                ctx.error(
                    f"function {name!r} of HTTP API authorizer {key!r} is not in this service",
                    ("provider", "httpApi", "authorizers", key, "functionName"),
                )
            )
    return errors


def _authorizer_problem(site: EventSite[HttpApiEvent], ctx: CheckContext) -> SlsCdkError | None:
    """A route's authorizer: an ``id`` of the external API's, or the name of one we make."""
    authorizer = site.event.authorizer
    if not isinstance(authorizer, RouteAuthorizer) or authorizer.type == "aws_iam":
        return None
    config = ctx.service.provider.http_api
    where = ("functions", site.key, "events")
    if authorizer.id is not None:
        if config is not None and config.id is not None:
            return None
        return ctx.error(
            "a route authorizer 'id' names an authorizer of an external HTTP API; "
            "this service's API is its own (set provider.httpApi.id, or use 'name')",
            where,
        )
    if config is not None and authorizer.name in config.authorizers:
        return None
    return ctx.error(
        f"route authorizer {authorizer.name!r} is not one of provider.httpApi.authorizers", where
    )


def check(sites: Sequence[EventSite[HttpApiEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    routes = [problem for problem in (_authorizer_problem(site, ctx) for site in sites) if problem]
    return [*_api_problems(ctx), *routes, *_route_collisions(sites, ctx)]
