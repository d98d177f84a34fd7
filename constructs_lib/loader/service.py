"""``LoadedService`` and ``Project``: what the loader returns and the constructs translate.

A loaded service is immutable and fully checked: its functions are computed once (stage,
defaults and provider settings applied), its event sites grouped once, its zips packaged and its
image digests resolved. After loading, no user error is possible.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from constructs_lib import naming
from constructs_lib.config.model import EffectiveFunction, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import SlsCdkError
from constructs_lib.events.sites import EventSite
from constructs_lib.loader.layer_takeover import DeployedLayer
from constructs_lib.loader.plugins import PluginNotice

if TYPE_CHECKING:
    from constructs_lib.config.compose import Compose

__all__ = ["CrossServiceRef", "LayerArtifact", "LoadedService", "Project"]


@dataclass(frozen=True)
class CrossServiceRef:
    """``${service.Output}`` in a compose param: read from ``service``'s stack output ``output``.

    The param's value holds ``{"Fn::ImportValue": export_name}`` (v3's export name); the compose
    app keeps it (same region) or swaps it for a cross-region reference."""

    param: str
    service: str
    output: str
    export_name: str


@dataclass(frozen=True)
class LayerArtifact:
    """A layer's zip and the artifact path v3 records for it (its ``package.artifact``, or, for a
    ``path`` layer, the ``.serverless/<key>.zip`` v3 writes): the path sorts layers in the digest."""

    zip: Path
    as_written: str


@dataclass(frozen=True)
class LoadedService:
    """One service, fully resolved, validated, packaged and checked."""

    model: Service
    file: Path
    dir: Path
    stage: str
    region: str
    functions: Mapping[str, EffectiveFunction]
    """Every function as v3 builds it, in the order written."""
    sites: Mapping[str, tuple[EventSite[Any], ...]]
    """Every event grouped by type (functions and events in the order written)."""
    artifacts: Mapping[str, Path] = field(default_factory=dict)
    """Function key -> its zip (image functions have none)."""
    layer_artifacts: Mapping[str, LayerArtifact] = field(default_factory=dict)
    deployed_layers: Mapping[str, DeployedLayer] = field(default_factory=dict)
    """Layer key -> the deployed stack's S3 key holding the same content (kept, as v3 keeps it)."""
    images: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Function key -> ``(uri@digest, sha)`` of its container image."""
    sources: SourceMap = field(default_factory=lambda: SourceMap(""), repr=False)
    data: dict[str, Any] = field(default_factory=dict, repr=False)
    """The resolved configuration (what ``sls-cdk print`` shows)."""
    warnings: tuple[SlsCdkError, ...] = ()
    notices: tuple[PluginNotice, ...] = ()
    compose_name: str | None = None
    depends_on: tuple[str, ...] = ()
    label: str = ""
    output_refs: tuple[CrossServiceRef, ...] = ()
    """Compose params read from other services' outputs (see :class:`CrossServiceRef`)."""

    @property
    def name(self) -> str:
        return self.model.service

    @property
    def stack_name(self) -> str:
        return naming.stack_name(self.model.service, self.stage, self.model.provider.stack_name)

    @property
    def deploy_flags(self) -> list[str]:
        """``cdk deploy`` flags for v3's deploy-time settings (they are not in the template):
        ``deploymentMethod: direct``, ``disableRollback``, ``cfnRole``, ``stackParameters``."""
        provider = self.model.provider
        flags: list[str] = []
        if provider.deployment_method == "direct":
            flags.append("--method=direct")
        if provider.disable_rollback:
            flags.append("--no-rollback")
        if provider.cfn_role:
            flags.append(f"--role-arn {shlex.quote(provider.cfn_role)}")
        for parameter in provider.stack_parameters or []:
            if parameter.parameter_value is not None and not parameter.use_previous_value:
                value = f"{self.stack_name}:{parameter.parameter_key}={parameter.parameter_value}"
                flags.append(f"--parameters {shlex.quote(value)}")
        return flags

    def function_artifact(self, key: str) -> Path:
        """The zip of function ``key`` (packaged at load)."""
        return self.artifacts[key]

    def layer_artifact(self, key: str) -> tuple[Path, str]:
        """Layer ``key``'s zip and the artifact path v3 records for it."""
        layer = self.layer_artifacts[key]
        return layer.zip, layer.as_written


@dataclass(frozen=True)
class Project:
    """What a PATH names: one service, or every service of a compose file in dependency order."""

    root: Path
    services: tuple[LoadedService, ...]
    stage: str
    compose: Compose | None = None
