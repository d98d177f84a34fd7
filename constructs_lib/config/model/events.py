"""``functions.<key>.events`` items: one wrapper model per event type of the registry, told
apart by their single key (``- httpApi: ...``), and the place of an event v3 ignores
(:class:`~constructs_lib.config.validate.IgnoredEvent`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar, Union

from pydantic import Discriminator, Field, Tag

from constructs_lib.config.data import JsonValue
from constructs_lib.config.schema import Base, NotSupported
from constructs_lib.config.validate import IGNORED_EVENT, IgnoredEvent
from constructs_lib.events import NOT_SUPPORTED_YET, REGISTRY

__all__ = ["EventItem"]


def _event_tag(value: JsonValue) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        tag = str(next(iter(value)))
        if tag == IGNORED_EVENT and not isinstance(value[tag], IgnoredEvent):
            return None  # only validation writes this type, never a user
        return tag
    if isinstance(value, _EventItemBase):
        return value.event_type
    return None


class _EventItemBase(Base):
    """What every event item has: its type (the key it was written under) and its model."""

    event_type: ClassVar[str]
    if TYPE_CHECKING:  # each wrapper declares its own ``body`` field, aliased to its type
        body: Base


def _event_wrapper(event_type: str, model: object) -> object:
    namespace: dict[str, object] = {
        "__annotations__": {"body": model, "event_type": ClassVar[str]},
        "body": Field(alias=event_type),
        "event_type": event_type,
        "__doc__": f"One ``{event_type}`` event.",
    }
    wrapper = type(f"{event_type[0].upper()}{event_type[1:]}EventItem", (_EventItemBase,), namespace)
    return Annotated[wrapper, Tag(event_type)]


_EVENT_TYPES: dict[str, object] = (
    {name: entry.model for name, entry in REGISTRY.items()}
    | {name: NotSupported for name in NOT_SUPPORTED_YET}
    | {IGNORED_EVENT: IgnoredEvent}
)

if TYPE_CHECKING:
    EventItem = _EventItemBase
else:
    EventItem = Annotated[
        Union[tuple(_event_wrapper(name, model) for name, model in _EVENT_TYPES.items())],  # noqa: UP007
        Discriminator(_event_tag),
    ]
