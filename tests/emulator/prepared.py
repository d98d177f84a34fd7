"""Resources outside a stack, prepared by a test with the identifiers a reference case names.

A case names what the user already has by ARN (an ALB listener ``.../app/my-lb/<id>/<id>``), and
v3 derives names from those ids (a target group's name is a hash over the load balancer's id), so
the prepared resource must carry them: a load balancer or listener created with the tag
``emulator:id`` gets that id in its ARN where moto would draw a random one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["TAG", "register"]

TAG = "emulator:id"
_CHOSEN = threading.local()  # the server answers each request in its own thread


def _with_chosen_id(create: Callable[..., Any]) -> Callable[..., Any]:
    def create_with_chosen_id(self: Any, *args: Any, **kwargs: Any) -> Any:
        chosen = [t["Value"] for t in kwargs.get("tags") or [] if t.get("Key") == TAG]
        _CHOSEN.id = chosen[0] if chosen else None
        try:
            return create(self, *args, **kwargs)
        finally:
            _CHOSEN.id = None

    return create_with_chosen_id


def register() -> None:
    """A creation carrying the tag draws its one random id as the chosen one (in its thread only)."""
    from moto.elbv2.models import ELBv2Backend
    from moto.moto_api._internal import mock_random

    draw = mock_random.get_random_hex

    def get_random_hex(length: int = 8) -> str:
        chosen = getattr(_CHOSEN, "id", None)
        return str(chosen) if chosen else draw(length)

    mock_random.get_random_hex = get_random_hex  # type: ignore[method-assign]
    ELBv2Backend.create_load_balancer = _with_chosen_id(ELBv2Backend.create_load_balancer)  # type: ignore[method-assign]
    ELBv2Backend.create_listener = _with_chosen_id(ELBv2Backend.create_listener)  # type: ignore[method-assign]
