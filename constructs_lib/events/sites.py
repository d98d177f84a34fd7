"""What every event type's ``check`` and ``build`` receive: the sites of its events and a context.

A *site* is one event of one function. Sites are computed once per service (by the loader, from
the effective functions) in the order v3 compiles them, so per-type counters and logical IDs
come out the same in ``check`` and in ``build``. Importing this module never loads aws_cdk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from constructs_lib.errors import ConfigError, SlsCdkError

if TYPE_CHECKING:
    from constructs_lib.config.model import EffectiveFunction, Service
    from constructs_lib.config.source import SourceMap

__all__ = ["IGNORED_EVENT", "CheckContext", "EventSite", "Path", "event_sites"]

#: The type of an event item v3 ignores (a bare string, an unknown type; see
#: :func:`constructs_lib.config.validate.validate`): it keeps its place among the function's
#: events (v3 numbers some resources by that place) and has no site.
IGNORED_EVENT = "__ignored__"

E = TypeVar("E")
#: A key path into serverless.yml, e.g. ``("functions", "hello", "events", 0, "http")``.
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class EventSite(Generic[E]):
    """One event of one function."""

    key: str
    """The function's key under ``functions:``."""
    event_type: str
    event: E
    index: int
    """Position among all events of the function (0-based)."""
    ordinal: int
    """Position among the function's events of this type (1-based), as v3's counters."""

    @property
    def path(self) -> Path:
        """Where the event is written: ``functions.<key>.events.<index>.<type>``."""
        return ("functions", self.key, "events", self.index, self.event_type)


def event_sites(functions: Mapping[str, EffectiveFunction]) -> dict[str, tuple[EventSite[Any], ...]]:
    """Every function's events grouped by type, functions and events in the order written."""
    sites: dict[str, list[EventSite[Any]]] = {}
    for key, fn in functions.items():
        counts: dict[str, int] = {}
        for index, (event_type, event) in enumerate(fn.events):
            if event_type == IGNORED_EVENT:
                continue
            counts[event_type] = counts.get(event_type, 0) + 1
            sites.setdefault(event_type, []).append(
                EventSite(key, event_type, event, index, counts[event_type])
            )
    return {event_type: tuple(group) for event_type, group in sites.items()}


@dataclass(frozen=True)
class CheckContext:
    """What an event type's ``check`` may read: the typed service, its effective functions (stage,
    defaults and provider settings applied), and the source map that locates a key path."""

    service: Service
    functions: Mapping[str, EffectiveFunction]
    stage: str
    region: str
    sources: SourceMap

    def error(self, message: str, path: Sequence[str | int], *, hint: str | None = None) -> SlsCdkError:
        """A user error located at ``path`` in serverless.yml."""
        where = tuple(path)
        return ConfigError(message, location=self.sources.locate(where), path=where, hint=hint)

    def owned_elsewhere(
        self, holder: object, settings: Sequence[tuple[str, str]], prefix: Path, api: str, owner: str
    ) -> list[SlsCdkError]:
        """One error per setting of ``holder`` that configures ``api`` itself while ``owner`` (an
        ``...ApiId`` key) says another stack owns that API (v3 ignored them silently)."""
        return [
            self.error(
                f"{key} configures the {api} itself, which {owner} says another stack owns",
                (*prefix, key),
                hint="set it where that API is defined (v3 ignored it here)",
            )
            for attribute, key in settings
            if getattr(holder, attribute) is not None
        ]
