"""serverless-plugin-typescript as a registered packaging plugin
(:class:`constructs_lib.packaging_plugins.Builder`): ``custom.serverlessPluginTypescript`` checked
at load, the compile run only with ``--build`` or when its output for these inputs is missing,
the ``.build`` folder given to v3's file selection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from constructs_lib.config.model import Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import ConfigError, SlsCdkError, did_you_mean
from constructs_lib.packaging_plugins.node_common.service import node_service, reuse_or_build

if TYPE_CHECKING:
    from constructs_lib.packaging_plugins import BuildContext, PluginOutput

__all__ = ["TypeScript"]

_KEY = "serverlessPluginTypescript"
_OPTIONS = ("tsConfigFileLocation",)


class TypeScript:
    """serverless-plugin-typescript 2.1.5 (see :mod:`constructs_lib.packaging_plugins.typescript`)."""

    def check(
        self, model: Service, sources: SourceMap, mode: ValidationMode
    ) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
        custom = (model.custom or {}).get(_KEY)
        base = ("custom", _KEY)
        if custom is None:
            return [], []
        if not isinstance(custom, dict):
            return [], [ConfigError("must be a map", location=sources.locate(base), path=base)]
        warnings: list[SlsCdkError] = []
        errors: list[SlsCdkError] = []
        for key, value in custom.items():
            where = (*base, key)
            if key not in _OPTIONS:
                guess = did_you_mean(key, _OPTIONS)
                warnings.append(
                    ConfigError(
                        f"unknown key {key!r}: ignored, as serverless-plugin-typescript ignores it",
                        location=sources.locate(where),
                        path=where,
                        hint=f"did you mean {guess!r}?" if guess else None,
                    )
                )
            elif not isinstance(value, str):
                errors.append(ConfigError("must be a file name", location=sources.locate(where), path=where))
        return warnings, errors

    def build(self, ctx: BuildContext) -> PluginOutput:
        from constructs_lib.packaging_plugins.typescript import build

        service = node_service(ctx, _KEY)
        return reuse_or_build(ctx, service, "serverless-plugin-typescript", build)
