"""``httpApi`` event: a route on the service's :class:`~constructs_lib.http_api.ServiceHttpApi`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def build(stack: Any, sites: Sequence[Any]) -> None:
    """Add each route; ``stack.http_api`` creates the service's API on first use."""
    for site in sites:
        stack.http_api.add_route(site.event.route_key, site.function, authorizer=site.event.authorizer)
