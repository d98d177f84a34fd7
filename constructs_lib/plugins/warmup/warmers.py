"""The warmers of serverless-plugin-warmup 8.4.1 added to the service, as its ``config.js`` and
``warmer.js`` add them between v3's validation and compilation: one function
``warmUpPlugin<Warmer>`` per warmer with functions to warm, its code in ``<folderName>/index.mjs``,
and unless ``role`` is given the role ``WarmUpPlugin<Warmer>Role`` in ``resources.Resources``.
v3 then compiles the warmer like any function (log group, version, schedule rules, outputs), and
so do we."""

from __future__ import annotations

import copy
import posixpath
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from constructs_lib import limits
from constructs_lib.config.data import js_stringify
from constructs_lib.config.model import Service
from constructs_lib.config.model.function import Function
from constructs_lib.config.model.resources import ResourcesSection
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode, validate
from constructs_lib.errors import (
    ConfigError,
    ErrorGroup,
    IgnoredAsInV3,
    SchemaError,
    SlsCdkError,
    did_you_mean,
)
from constructs_lib.plugins.warmup.code import warmer_code, write_warmer_code
from constructs_lib.plugins.warmup.model import FunctionWarmup, WarmerConfig, WarmupSettings
from constructs_lib.plugins.warmup.role import warmer_role

__all__ = ["PLUGIN", "add_warmers", "remove_warmer_code"]

PLUGIN = "serverless-plugin-warmup"
#: the runtime the plugin gives every warmer
RUNTIME = "nodejs24.x"
_DEFAULT_PAYLOAD = js_stringify({"source": "serverless-plugin-warmup"})


def capitalize(name: str) -> str:
    return name[:1].upper() + name[1:]


def function_key(warmer: str) -> str:
    return f"warmUpPlugin{capitalize(warmer)}"


def _settings(
    data: Mapping[str, Any], sources: SourceMap, mode: ValidationMode
) -> tuple[WarmupSettings, dict[str, Any], list[SlsCdkError]]:
    """The plugin's keys of ``data`` validated, and as written once validated (a copy: what is
    ignored leaves only the copy)."""
    functions = data.get("functions")
    custom = data.get("custom")
    subset = {
        "custom": {"warmup": copy.deepcopy(custom.get("warmup"))} if isinstance(custom, dict) else None,
        "functions": {
            key: {"warmup": copy.deepcopy(fn.get("warmup"))}
            for key, fn in (functions.items() if isinstance(functions, dict) else ())
            if isinstance(fn, dict) and fn.get("warmup") is not None
        },
    }
    settings, warnings = validate(WarmupSettings, subset, sources, unknown_keys=mode)
    return settings, subset, [*warnings, *_payload_problems(settings, sources, mode)]


def _payload_problems(
    settings: WarmupSettings, sources: SourceMap, mode: ValidationMode
) -> list[SlsCdkError]:
    """The plugin's schema wants ``payload`` an object, yet sends a string as written with
    ``payloadRaw``: v3 warns and keeps it (refuses it in ``error`` mode), and so do we."""
    places: list[tuple[tuple[str | int, ...], FunctionWarmup]] = [
        (("custom", "warmup", name), cfg) for name, cfg in settings.warmers.items()
    ]
    for key, fn in settings.functions.items():
        places += [(("functions", key, "warmup", name), cfg) for name, cfg in (fn.warmup or {}).items()]
    problems: list[SlsCdkError] = [
        SchemaError(
            "must be object" + ("" if mode == "error" else ": kept, as v3 keeps it"),
            location=sources.locate((*where, "payload")),
            path=(*where, "payload"),
            hint="with payloadRaw: true the plugin sends it as written",
        )
        for where, cfg in places
        if cfg.payload is not None and not isinstance(cfg.payload, dict)
    ]
    if mode == "error":
        ErrorGroup.raise_if_any(problems)
    return problems if mode == "warn" else []


def _fn_config(config: FunctionWarmup, default: Mapping[str, Any]) -> dict[str, Any]:
    """``getFunctionConfig``: the function's own values over the warmer's (undefined left out)."""
    out = dict(default)
    for key in ("enabled", "alias", "concurrency"):
        value = getattr(config, key)
        if value is not None:
            out[key] = value
    if "client_context" in config.model_fields_set and config.client_context is not None:
        out["clientContext"] = config.client_context and js_stringify(config.client_context)
    if config.payload is not None:
        out["payload"] = config.payload if config.payload_raw else js_stringify(config.payload)
    return {k: out[k] for k in ("enabled", "alias", "clientContext", "payload", "concurrency") if k in out}


def _enabled(enabled: Any, stage: str) -> bool:
    return enabled is True or enabled in ("true", stage) or (isinstance(enabled, list) and stage in enabled)


def _warmed(
    model: Service, settings: WarmupSettings, stage: str, sources: SourceMap
) -> dict[str, list[dict[str, Any]]]:
    """``getFunctionsByWarmer``: ``{warmer: [{name, config}]}`` of the enabled functions."""
    warmers = settings.warmers
    defaults = {
        name: _fn_config(cfg, {"enabled": False, "payload": _DEFAULT_PAYLOAD, "concurrency": 1})
        for name, cfg in warmers.items()
    }
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in warmers}
    errors: list[SlsCdkError] = []
    for key in model.functions:
        name = model.function(key, stage=stage).name
        own = settings.functions.get(key)
        given = (own.warmup if own else None) or {}
        for unknown in [w for w in given if w not in warmers]:
            path = ("functions", key, "warmup", unknown)
            suggestion = did_you_mean(unknown, warmers)
            errors.append(
                ConfigError(
                    f"WarmUp: unknown warmer {unknown!r} (every warmer is declared in custom.warmup)",
                    location=sources.locate(path),
                    path=path,
                    hint=f"did you mean {suggestion!r}?" if suggestion else "declare it under custom.warmup",
                )
            )
        for warmer in warmers:
            config = _fn_config(given.get(warmer) or FunctionWarmup(), defaults[warmer])
            if _enabled(config.get("enabled"), stage):
                out[warmer].append({"name": name, "config": config})
    ErrorGroup.raise_if_any(errors)
    return out


def _package(config: WarmerConfig, folder_name: str) -> dict[str, Any]:
    """The warmer's ``package``: only its folder (``!**`` first), individually unless told."""
    own = posixpath.join(folder_name, "**")
    given = config.package
    patterns = list(given.patterns) if given and given.patterns is not None else []
    if own not in patterns:
        patterns.append(own)
    individually = given.individually if given and given.individually is not None else True
    return {"individually": individually, "patterns": ["!**", *patterns]}


def _function(
    warmer: str, config: WarmerConfig, written: Mapping[str, Any], name: str, folder_name: str
) -> dict[str, Any]:
    """``addWarmUpFunctionToService``: the warmer as a function of the service (its ``events``
    as written, which v3 then reads as any function's)."""
    events = written.get("events")
    fn: dict[str, Any] = {
        "description": f'Serverless WarmUp Plugin (warmer "{warmer}")',
        "events": copy.deepcopy(events) if isinstance(events, list) else [{"schedule": "rate(5 minutes)"}],
        "handler": posixpath.join(folder_name, "index.warmUp"),
        "memorySize": config.memory_size or 128,
        "name": name,
        "runtime": RUNTIME,
        "package": _package(config, folder_name),
        "timeout": config.timeout or 10,
        "layers": [],
    }
    if config.architecture:
        fn["architecture"] = config.architecture
    if config.tracing is not None:
        fn["tracing"] = config.tracing
    if config.log_retention_in_days is not None:
        fn["logRetentionInDays"] = config.log_retention_in_days
    fn["role"] = config.role or f"WarmUpPlugin{capitalize(warmer)}Role"
    if config.tags:
        fn["tags"] = config.tags
    if config.vpc is False:
        fn["vpc"] = {"securityGroupIds": [], "subnetIds": []}
    elif config.vpc is not None:
        fn["vpc"] = config.vpc.model_dump(by_alias=True, exclude_unset=True)
    if config.environment is not None:
        fn["environment"] = dict(config.environment)
    return fn


def _unlisted(model: Service, sources: SourceMap, mode: ValidationMode) -> list[SlsCdkError]:
    """Without the plugin, a function's ``warmup`` is a key v3 does not know: ignored, as v3 ignores
    it (with its warning in ``warn``, refused in ``error``)."""
    paths = [("functions", key, "warmup") for key, fn in model.functions.items() if fn.warmup is not None]
    if mode == "error":
        ErrorGroup.raise_if_any(
            [
                SchemaError("unknown key 'warmup'", location=sources.locate(p), path=p, hint=_LIST_IT)
                for p in paths
            ]
        )
    if mode == "off":
        return []
    return [
        IgnoredAsInV3(
            "unknown key 'warmup': ignored, as Serverless v3 ignores it",
            location=sources.locate(p),
            path=p,
            hint=_LIST_IT,
        )
        for p in paths
    ]


_LIST_IT = f"it is {PLUGIN}'s: list the plugin under plugins"


def _check_names(warmer: str, config: WarmerConfig, name: str, sources: SourceMap) -> None:
    """The warmer's function and role names within AWS's limits, located where they come from."""
    errors: list[SlsCdkError] = []
    for key, value, limit in (("name", name, limits.FUNCTION_NAME_MAX), ("roleName", config.role_name, 64)):
        if value is not None and len(value) > limit:
            path = (
                ("custom", "warmup", warmer, key)
                if getattr(config, _SNAKE[key])
                else ("custom", "warmup", warmer)
            )
            errors.append(
                ConfigError(
                    f"WarmUp: the warmer's {key} {value!r} has {len(value)} characters; AWS allows {limit}",
                    location=sources.locate(path),
                    path=path,
                    hint=f"set a shorter custom.warmup.{warmer}.{key}",
                )
            )
    ErrorGroup.raise_if_any(errors)


_SNAKE = {"name": "name", "roleName": "role_name"}


def add_warmers(
    model: Service,
    data: Mapping[str, Any],
    sources: SourceMap,
    *,
    stage: str,
    region: str,
    folder: Path,
    mode: ValidationMode,
) -> tuple[Service, list[SlsCdkError]]:
    """``model`` with the plugin's warmers and roles, and the warnings of its keys; ``model``
    itself when the plugin is not listed. Writes each warmer's ``index.mjs`` as the plugin does."""
    if PLUGIN not in model.plugin_names:
        return model, _unlisted(model, sources, mode)
    settings, subset, warnings = _settings(data, sources, mode)
    written = (subset.get("custom") or {}).get("warmup") or {}
    warmed = _warmed(model, settings, stage, sources)
    functions = dict(model.functions)
    resources = dict(model.resources.resources) if model.resources else {}
    provider_env = model.provider.environment or {}
    for warmer, config in settings.warmers.items():
        if not warmed[warmer]:
            continue
        if config.tracing:
            path = ("custom", "warmup", warmer, "tracing")
            raise ConfigError(
                "WarmUp: a traced warmer needs aws-xray-sdk-core npm-installed into its folder, "
                "which is not reproduced",
                location=sources.locate(path),
                path=path,
                hint="leave tracing unset on the warmer",
            )
        folder_name = config.folder_name or posixpath.join(".warmup", warmer)
        name = config.name or f"{model.service}-{stage}-warmup-plugin-{warmer}"
        _check_names(warmer, config, name, sources)
        verbose = config.verbose if config.verbose is not None else True
        write_warmer_code(folder / folder_name, warmer_code(warmed[warmer], region=region, verbose=verbose))
        if config.role is None:
            role_id = f"WarmUpPlugin{capitalize(warmer)}Role"
            resources[role_id] = warmer_role(
                model.service, stage, warmer, name, config.role_name, warmed[warmer]
            )
        function = Function.model_validate(_function(warmer, config, written[warmer], name, folder_name))
        if config.environment is None and provider_env:
            # the plugin sets each provider variable to undefined: v3 writes an empty set
            function = function.model_copy(update={"environment": dict.fromkeys(provider_env)})
        functions[function_key(warmer)] = function
    section = model.resources or ResourcesSection()
    return (
        model.model_copy(
            update={"functions": functions, "resources": section.model_copy(update={"resources": resources})}
        ),
        warnings,
    )


def remove_warmer_code(model: Service, folder: Path) -> None:
    """After packaging, each warmer's folder removed unless ``cleanFolder: false`` (and
    ``.warmup`` once empty), as the plugin cleans up after ``package:createDeploymentArtifacts``."""
    if PLUGIN not in model.plugin_names:
        return
    raw = (model.custom or {}).get("warmup")
    removed: list[str] = []
    for warmer, config in raw.items() if isinstance(raw, dict) else ():
        if function_key(warmer) not in model.functions or not isinstance(config, dict):
            continue
        name = config.get("folderName")
        folder_name = name if isinstance(name, str) else posixpath.join(".warmup", warmer)
        if config.get("cleanFolder") is not False:
            shutil.rmtree(folder / folder_name, ignore_errors=True)
            removed.append(folder_name)
    default = folder / ".warmup"
    if any(f.startswith(".warmup") for f in removed) and default.is_dir() and not any(default.iterdir()):
        default.rmdir()
