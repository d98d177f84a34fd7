"""serverless-webpack as a registered packaging plugin
(:class:`constructs_lib.packaging_plugins.Builder`): ``custom.webpack`` checked at load, the compile
run only with ``--build`` or when its zips for these inputs are missing."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from constructs_lib.config.model import Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import ConfigError, SlsCdkError, did_you_mean
from constructs_lib.packaging_plugins.node_common.service import node_service, reuse_or_build

if TYPE_CHECKING:
    from constructs_lib.packaging_plugins import BuildContext, PluginOutput

__all__ = ["Webpack"]

#: the plugin's ``Configuration`` keys that change nothing in what is zipped here
_ACCEPTED = ("webpackConfig", "packager", "packagerOptions", "keepOutputDirectory", "concurrency", "config")
#: keys whose behaviour is not translated (a located error rather than a different package)
_REFUSED = {
    "includeModules": "the plugin's npm install of external modules is not translated yet: bundle them",
    "excludeFiles": "excludeFiles (entries left out of handler lookup) is not translated",
    "excludeRegex": "excludeRegex (files left out of the zip) is not translated",
    "noBuild": "noBuild reuses an earlier `sls package`'s output, which sls-cdk does not keep",
}


def _options(custom: Any) -> dict[str, Any]:
    """``custom.webpack`` as the plugin reads it (a string is the legacy config file name)."""
    if isinstance(custom, str):
        return {"webpackConfig": custom}
    return dict(custom) if isinstance(custom, dict) else {}


class Webpack:
    """serverless-webpack 5.16.2 (see :mod:`constructs_lib.packaging_plugins.webpack`)."""

    def check(
        self, model: Service, sources: SourceMap, mode: ValidationMode
    ) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
        custom = (model.custom or {}).get("webpack")
        warnings: list[SlsCdkError] = []
        errors: list[SlsCdkError] = []
        for key, value in _options(custom).items():
            where = ("custom", "webpack", key)
            if key in _REFUSED and value not in (False, None, [], ""):
                errors.append(ConfigError(_REFUSED[key], location=sources.locate(where), path=where))
            elif key not in _ACCEPTED and key not in _REFUSED:
                guess = did_you_mean(key, [*_ACCEPTED, *_REFUSED])
                warnings.append(
                    ConfigError(
                        f"unknown key {key!r}: ignored, as serverless-webpack ignores it",
                        location=sources.locate(where),
                        path=where,
                        hint=f"did you mean {guess!r}?" if guess else None,
                    )
                )
        return warnings, errors

    def build(self, ctx: BuildContext) -> PluginOutput:
        from constructs_lib.packaging_plugins.webpack import build

        service = node_service(ctx, "webpack")
        custom = (ctx.model.custom or {}).get("webpack")
        if isinstance(custom, str):
            service = dataclasses.replace(service, custom=_options(custom))
        return reuse_or_build(ctx, service, "serverless-webpack", build)
