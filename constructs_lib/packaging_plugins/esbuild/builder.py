"""serverless-esbuild as a registered packaging plugin (:class:`constructs_lib.packaging_plugins.Builder`):
its options checked at load, the build run only with ``--build`` or when the zips of these inputs
are missing, the zips given to the functions as their artifacts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from constructs_lib.config.model import Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import ConfigError, SlsCdkError
from constructs_lib.packaging_plugins.esbuild.options import resolved_options
from constructs_lib.packaging_plugins.node_common.service import (
    node_service,
    provider_runtime,
    reuse_or_build,
)

if TYPE_CHECKING:
    from constructs_lib.packaging_plugins import BuildContext, PluginOutput

__all__ = ["Esbuild"]


class Esbuild:
    """serverless-esbuild 1.57.2 (see :mod:`constructs_lib.packaging_plugins.esbuild`)."""

    def check(
        self, model: Service, sources: SourceMap, mode: ValidationMode
    ) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
        custom = (model.custom or {}).get("esbuild") or {}
        if not isinstance(custom, dict):
            where = ("custom", "esbuild")
            return [], [ConfigError("must be a map of options", location=sources.locate(where), path=where)]
        try:
            resolved_options(provider_runtime(model), custom, sources.locate)
        except SlsCdkError as err:
            return [], [err]
        return [], []

    def build(self, ctx: BuildContext) -> PluginOutput:
        from constructs_lib.packaging_plugins.esbuild import build

        service = node_service(ctx, "esbuild", extra_service_patterns=("!node_modules/serverless-esbuild",))
        return reuse_or_build(ctx, service, "serverless-esbuild", build)
