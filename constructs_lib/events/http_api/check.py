"""``httpApi`` checks at load (no CDK): what API Gateway or the template would refuse."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib import naming
from constructs_lib.errors import SlsCdkError
from constructs_lib.events.http_api import HttpApiEvent
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


def check(sites: Sequence[EventSite[HttpApiEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    return _route_collisions(sites, ctx)
