"""The plugin's own keys (its ``schema.js``): ``custom.warmup.<warmer>`` and
``functions.<key>.warmup.<warmer>``, validated like ours (located errors, did-you-mean)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.model.events import EventItem
from constructs_lib.config.model.function import Vpc
from constructs_lib.config.model.values import (
    Architecture,
    Environment,
    Intrinsic,
    LogRetention,
    MemorySize,
    Tags,
    Timeout,
    Tracing,
)
from constructs_lib.config.schema import Base

__all__ = ["FunctionWarmup", "WarmerConfig", "WarmerPackage", "WarmupSettings"]

#: ``enabled``: true/false, "true", a stage, or a list of stages
Enabled = bool | str | list[str]


class FunctionWarmup(Base):
    """What a function may set per warmer (``functionConfigSchemaProperties``)."""

    enabled: Enabled | None = None
    alias: str | None = None
    client_context: Literal[False] | JsonObject | None = None
    payload: JsonValue = None
    payload_raw: bool | None = None
    concurrency: int | None = None


class WarmerPackage(Base):
    """``custom.warmup.<warmer>.package`` (``artifact`` is accepted and, as the plugin does, unused)."""

    artifact: str | None = None
    patterns: list[str] | None = None
    individually: bool | None = None


class WarmerConfig(FunctionWarmup):
    """``custom.warmup.<warmer>``: the warmer function's settings and its defaults for functions."""

    folder_name: str | None = None
    clean_folder: bool | None = None
    name: str | None = None
    role_name: str | None = None
    role: str | Intrinsic | None = None
    tags: Tags | None = None
    vpc: Literal[False] | Vpc | None = None
    events: list[EventItem] | None = None
    architecture: Architecture | None = None
    package: WarmerPackage | None = None
    memory_size: MemorySize | None = None
    timeout: Timeout | None = None
    environment: Environment | None = None
    tracing: Tracing | None = None
    verbose: bool | None = None
    log_retention_in_days: LogRetention | None = None
    prewarm: bool | None = None


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Custom(_Open):
    warmup: dict[str, WarmerConfig] | None = None


class _Function(_Open):
    warmup: dict[str, FunctionWarmup] | None = None


class WarmupSettings(_Open):
    """The plugin's keys of a whole serverless.yml (everything else is ours to validate)."""

    custom: _Custom | None = None
    functions: dict[str, _Function] = Field(default_factory=dict)

    @property
    def warmers(self) -> dict[str, WarmerConfig]:
        return dict(self.custom.warmup or {}) if self.custom else {}
