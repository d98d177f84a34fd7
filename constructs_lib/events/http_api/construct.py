"""``httpApi`` event: a route on the service's :class:`~constructs_lib.http_api.ServiceHttpApi`."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.http_api import HttpApiEvent
from constructs_lib.events.sites import EventSite


def build(ctx: BuildContext, sites: Sequence[EventSite[HttpApiEvent]]) -> None:
    """Add each route; ``stack.http_api`` creates the service's API on first use."""
    for site in sites:
        ctx.http_api.add_route(site.event.route_key, ctx.function(site), authorizer=site.event.authorizer)
