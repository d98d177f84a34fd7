"""serverless-esbuild 1.57.2's options: its defaults, merged as it merges them (ramda
``mergeDeepRight``: defaults, then the target of ``provider.runtime``, then ``custom.esbuild``),
and which keys are the plugin's own (removed before esbuild sees the rest).

Keys neither the plugin nor esbuild knows are errors with did-you-mean (esbuild itself refuses an
unknown option); what cannot run here (``config`` / ``plugins`` JavaScript files, packagers other than
npm, ``skipBuild``) is a located error too.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from constructs_lib.errors import ConfigError, Location, did_you_mean

__all__ = ["NODE_TARGETS", "PLUGIN_KEYS", "esbuild_options", "externals", "resolved_options"]

Locate = Callable[[Sequence[str | int]], Location]

#: the plugin's ``awsNodeMatcher``: runtime -> esbuild target
NODE_TARGETS = {
    "nodejs24.x": "node24",
    "nodejs22.x": "node22",
    "nodejs20.x": "node20",
    "nodejs18.x": "node18",
    "nodejs16.x": "node16",
    "nodejs14.x": "node14",
    "nodejs12.x": "node12",
}

_DEFAULTS: dict[str, Any] = {
    "concurrency": None,  # Infinity in the plugin
    "zipConcurrency": None,
    "bundle": True,
    "target": "node18",
    "external": [],
    "exclude": ["aws-sdk"],
    "nativeZip": False,
    "packager": "npm",
    "packagerOptions": {"noInstall": False, "ignoreLockfile": False},
    "installExtraArgs": [],
    "watch": {
        "pattern": "./**/*.(js|ts)",
        "ignore": [".esbuild", "dist", "node_modules", ".build"],
        "chokidar": {"ignoreInitial": True},
    },
    "keepOutputDirectory": False,
    "platform": "node",
    "outputFileExtension": ".js",
    "skipBuild": False,
    "skipBuildExcludeFns": [],
    "stripEntryResolveExtensions": False,
    "disposeContext": True,
}

#: what bundle.js removes before calling esbuild (plus ``config`` / ``plugins``, handled apart)
PLUGIN_KEYS = (
    "concurrency",
    "zipConcurrency",
    "exclude",
    "nativeZip",
    "packager",
    "packagePath",
    "watch",
    "keepOutputDirectory",
    "packagerOptions",
    "installExtraArgs",
    "outputFileExtension",
    "outputBuildFolder",
    "outputWorkFolder",
    "nodeExternals",
    "skipBuild",
    "skipRebuild",
    "skipBuildExcludeFns",
    "stripEntryResolveExtensions",
    "disposeContext",
)

#: esbuild 0.28's build options (``lib/main.d.ts`` BuildOptions), as YAML can give them
_ESBUILD_KEYS = (
    "bundle", "splitting", "preserveSymlinks", "outfile", "metafile", "outdir", "outbase",
    "external", "packages", "alias", "loader", "resolveExtensions", "mainFields", "conditions",
    "allowOverwrite", "tsconfig", "outExtension", "publicPath", "entryNames", "chunkNames",
    "assetNames", "inject", "banner", "footer", "nodePaths", "sourcemap", "legalComments",
    "sourceRoot", "sourcesContent", "format", "globalName", "target", "supported", "platform",
    "mangleProps", "reserveProps", "mangleQuoted", "mangleCache", "drop", "dropLabels", "minify",
    "minifyWhitespace", "minifyIdentifiers", "minifySyntax", "lineLimit", "charset", "treeShaking",
    "ignoreAnnotations", "jsx", "jsxFactory", "jsxFragment", "jsxImportSource", "jsxDev",
    "jsxSideEffects", "define", "pure", "keepNames", "absPaths", "color", "logLevel", "logLimit",
    "logOverride", "tsconfigRaw", "write", "absWorkingDir",
)  # fmt: skip
#: options whose value is decided here, not by the user
_FIXED = ("entryPoints", "outdir", "outfile", "write", "absWorkingDir", "stdin")


def _merge_deep_right(left: Any, right: Any) -> Any:
    """ramda's ``mergeDeepRight``: objects merge key by key, anything else takes the right side."""
    if isinstance(left, dict) and isinstance(right, dict):
        out = dict(left)
        for key, value in right.items():
            out[key] = _merge_deep_right(left[key], value) if key in left else copy.deepcopy(value)
        return out
    return copy.deepcopy(right)


def resolved_options(
    provider_runtime: str | None, custom: Mapping[str, Any], locate: Locate
) -> dict[str, Any]:
    """The plugin's ``getBuildOptions()``: every key checked, refusals located."""
    if provider_runtime not in NODE_TARGETS:
        raise ConfigError(
            f"serverless-esbuild needs provider.runtime to be a Node.js runtime, not {provider_runtime!r}"
            " (the plugin asserts it: 'not a supported runtime')",
            location=locate(("provider", "runtime")),
            path=("provider", "runtime"),
            hint=f"set provider.runtime to one of {', '.join(NODE_TARGETS)}",
        )
    base = ("custom", "esbuild")
    for key in ("config", "plugins"):
        if key in custom:
            raise ConfigError(
                f"a JavaScript file of esbuild {key} cannot be run by sls-cdk's build",
                location=locate((*base, key)),
                path=(*base, key),
                hint="write the options under custom.esbuild instead",
            )
    known = (*PLUGIN_KEYS, *_ESBUILD_KEYS)
    for key in custom:
        if key not in known or key in _FIXED:
            why = (
                "is set by serverless-esbuild"
                if key in _FIXED
                else "is not an option of serverless-esbuild or esbuild"
            )
            raise ConfigError(
                f"'{key}' {why}",
                location=locate((*base, key)),
                path=(*base, key),
                hint=_guess(key, [k for k in known if k not in _FIXED]),
            )
    merged = _merge_deep_right(
        _merge_deep_right(_DEFAULTS, {"target": NODE_TARGETS[provider_runtime]}), dict(custom)
    )
    _check_supported(merged, custom, locate)
    return dict(merged)


def _guess(key: str, known: Sequence[str]) -> str | None:
    guess = did_you_mean(key, known)
    return f"did you mean '{guess}'?" if guess else None


def _check_supported(options: Mapping[str, Any], custom: Mapping[str, Any], locate: Locate) -> None:
    base = ("custom", "esbuild")
    problems: list[tuple[str, str, str]] = []
    if options["packager"] != "npm":
        problems.append(
            ("packager", f"packager {options['packager']!r} is not supported", "use packager: npm")
        )
    esm = options.get("format") == "esm" or (
        options.get("platform") == "neutral" and not options.get("format")
    )
    ext = options["outputFileExtension"]
    if esm and ext == ".cjs":
        problems.append(
            (
                "outputFileExtension",
                'format "esm" or platform "neutral" should not output a file with extension ".cjs"',
                "use .js or .mjs",
            )
        )
    if not esm and ext == ".mjs":
        problems.append(
            (
                "outputFileExtension",
                'non esm builds should not output a file with extension ".mjs"',
                "set format: esm",
            )
        )
    if options["stripEntryResolveExtensions"]:
        problems.append(
            ("stripEntryResolveExtensions", "stripEntryResolveExtensions is not translated", "remove it")
        )
    if options["skipBuild"]:
        problems.append(
            (
                "skipBuild",
                "skipBuild reuses a zip of an earlier `sls package`, which sls-cdk does not keep",
                "remove it",
            )
        )
    for key, message, hint in problems:
        where = (*base, key) if key in custom else base
        raise ConfigError(message, location=locate(where), path=where, hint=hint)


def externals(options: Mapping[str, Any]) -> list[str]:
    """The externals the plugin installs with npm: ``external`` minus ``exclude`` (none when
    ``exclude`` holds ``*``)."""
    exclude = options.get("exclude")
    excluded = exclude if isinstance(exclude, list) else [exclude]
    if "*" in excluded:
        return []
    return [e for e in options.get("external") or [] if e not in excluded]


def esbuild_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """What bundle.js passes to esbuild: the plugin's keys removed, ``external`` plus ``exclude``."""
    out = {k: v for k, v in options.items() if k not in PLUGIN_KEYS}
    exclude = options.get("exclude")
    excluded = [e for e in (exclude if isinstance(exclude, list) else [exclude]) if isinstance(e, str)]
    external = [e for e in options.get("external") or [] if isinstance(e, str)]
    out["external"] = [*external, *([] if "*" in excluded else excluded)]
    if options["outputFileExtension"] != ".js":
        out["outExtension"] = {".js": options["outputFileExtension"]}
    return out
