"""``httpApi`` event: a route on the service's :class:`~constructs_lib.http_api.ServiceHttpApi`."""

from __future__ import annotations

from typing import Any

from . import HttpApiEvent


def build(ctx: Any, function: Any, event: HttpApiEvent, index: int) -> None:
    """Add the route; ``ctx.http_api`` creates the service's API on first use."""
    ctx.http_api.add_route(event.route_key, function)
