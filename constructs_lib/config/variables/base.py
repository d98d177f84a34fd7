"""What a variable source plug-in sees: the reference it is asked for (:class:`Address`), the
world outside the file (:class:`ResolveContext`), and :data:`MISSING` for "no value here"."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeAlias

from constructs_lib.config.aws_lookup import AwsLookup
from constructs_lib.config.data import JsonValue, KeyPath
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import SlsCdkError

if TYPE_CHECKING:
    from constructs_lib.config.variables.engine import Resolver

__all__ = ["MISSING", "Address", "FileContent", "ResolveContext", "Source"]


class _Missing:
    """The type of :data:`MISSING`."""

    def __repr__(self) -> str:
        return "MISSING"


#: A source's answer when it has no value (so the next fallback is tried).
MISSING: Final[JsonValue] = _Missing()


@dataclass(frozen=True)
class Address:
    """A source reference with its address and params already resolved."""

    type: str
    address: str | None
    params: tuple[JsonValue, ...]
    text: str  # how the user wrote the whole variable, for messages


@dataclass
class ResolveContext:
    """Everything outside the file that variables may read."""

    service_dir: Path
    project_root: Path
    """The folder ``${file()}`` may read from (:func:`.root.decide_project_root` decides it)."""
    root_reason: str = "the service folder"
    """Why :attr:`project_root` is that folder, for messages."""
    options: Mapping[str, JsonValue] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    params: Mapping[str, JsonValue] = field(default_factory=dict)
    region: str | None = None
    allowed_sources: frozenset[str] | None = None
    """When set, only these sources may be used (a compose file allows ``sls`` and ``env``)."""
    where: str = "serverless.yml"
    known_stacks: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Stacks of this app: stack name -> (export-name prefix ``sls-<service>-<stage>-``, region)."""
    aws: AwsLookup | None = None
    """Synth-time AWS reads; made on first use with the default credential chain."""
    shell_quoted: Callable[[KeyPath], bool] | None = None
    """Paths whose interpolated values are shell-quoted (build hook commands)."""
    allow_js: bool = False
    """``--allow-js``: ``${file(x.js)}`` runs with Node (also allowed by the file itself)."""
    notices: list[SlsCdkError] = field(default_factory=list)
    """Located notices of the resolution (each JavaScript file run), for the caller to print."""


#: A source plug-in: the value of one reference, or :data:`MISSING`.
Source: TypeAlias = "Callable[[Address, Resolver], JsonValue]"

#: A file's value and, for YAML, where each of its values was written.
FileContent: TypeAlias = tuple[JsonValue, SourceMap | None]
