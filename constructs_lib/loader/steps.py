"""The steps of loading one service after validation (:func:`.project.load_service` runs them in
order): checks that collect every user error, the warnings of later checks, build hooks,
packaging and image digests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib.checks.safety import safety_warnings
from constructs_lib.config.aws_lookup import AwsLookup, resolve_image
from constructs_lib.config.model import EffectiveFunction, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import ErrorGroup, SlsCdkError
from constructs_lib.events.cloud_front.check import warnings as cloud_front_warnings
from constructs_lib.events.sites import CheckContext, EventSite, event_sites
from constructs_lib.loader.artifacts import Packaged, check_artifacts, inspect_packaged, package_service
from constructs_lib.loader.build import check_hooks, hook_timeout, run_hooks
from constructs_lib.loader.checks import check_events, check_functions, config_warnings
from constructs_lib.loader.env_checks import check_environment, environment_warnings
from constructs_lib.loader.plugins import PluginNotice, check_plugins
from constructs_lib.loader.resources_check import check_resources
from constructs_lib.loader.service import LayerArtifact
from constructs_lib.loader.stack_checks import check_stack
from constructs_lib.loader.v3_schema import v3_schema_findings
from constructs_lib.loader.zip_checks import zip_problems
from constructs_lib.packaging_plugins import (
    BuildContext,
    PluginOutput,
    apply_outputs,
    merged_functions,
    registered,
    work_dir,
)

__all__ = [
    "Built",
    "build_hooks",
    "check_config",
    "image_digests",
    "later_warnings",
    "package",
    "stack_and_schema",
]


def check_config(
    ctx: CheckContext, sites: Mapping[str, Sequence[EventSite[Any]]]
) -> tuple[list[PluginNotice], list[SlsCdkError]]:
    """Plugins, functions, resources, every event type's own check: every error, before any hook
    runs."""
    model = ctx.service
    slscdk = (model.custom or {}).get("slsCdk") or {}
    acknowledged = list(slscdk.get("acknowledgePlugins") or []) if isinstance(slscdk, dict) else []
    plugins_path: tuple[str, ...] = (
        ("plugins", "modules") if isinstance(model.plugins, dict) else ("plugins",)
    )
    notices, errors = check_plugins(
        model.plugin_names, acknowledged, path_of=lambda i: (*plugins_path, i), locate=ctx.sources.locate
    )
    return notices, [
        *errors,
        *check_functions(ctx),
        *check_environment(ctx),
        *check_hooks(model.scripts.hooks, model.scripts.commands, model.custom, ctx.sources),
        *check_events(ctx, sites),
        *check_resources(model, ctx.sources, ctx.functions),
    ]


def _packaging_plugin_findings(
    ctx: CheckContext, mode: ValidationMode
) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
    """``(warnings, errors)`` of the listed packaging plugins' configuration keys."""
    warnings: list[SlsCdkError] = []
    errors: list[SlsCdkError] = []
    for _name, builder in registered(ctx.service.plugin_names):
        more, refused = builder.check(ctx.service, ctx.sources, mode)
        warnings.extend(more)
        errors.extend(refused)
    return warnings, errors


def stack_and_schema(
    ctx: CheckContext, data: Mapping[str, Any], mode: ValidationMode, options: tuple[str | None, str | None]
) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
    """``(warnings, errors)`` of the stack's name and region (``options``: ``--stage``,
    ``--region``), of what v3's schema flags in ``mode`` and of the packaging plugins' keys."""
    stage_option, region_option = options
    stack = check_stack(
        ctx.service, ctx.sources, stage=ctx.stage, stage_option=stage_option, region_option=region_option
    )
    flagged, refused = v3_schema_findings(ctx.service, dict(data), ctx.sources, mode)
    plugin_warnings, plugin_errors = _packaging_plugin_findings(ctx, mode)
    return [*flagged, *plugin_warnings], [*refused, *stack, *plugin_errors]


def later_warnings(
    ctx: CheckContext,
    sites: Mapping[str, Sequence[EventSite[Any]]],
    flagged: Sequence[SlsCdkError],
) -> tuple[SlsCdkError, ...]:
    """The warnings of the checks after validation, in the order they are printed."""
    model, sources, stage = ctx.service, ctx.sources, ctx.stage
    return (
        *environment_warnings(ctx),
        *flagged,
        *config_warnings(ctx, sites),
        *safety_warnings(model, sources, stage),
        *cloud_front_warnings(model, sources, stage),
    )


def image_digests(functions: Mapping[str, EffectiveFunction], region: str) -> dict[str, tuple[str, str]]:
    """``(uri@digest, sha)`` per image function: a tag is looked up in ECR, as v3 does at package."""
    images: dict[str, tuple[str, str]] = {}
    lookup: AwsLookup | None = None
    for key, fn in functions.items():
        if fn.image is not None:
            assert fn.image.uri is not None
            lookup = lookup or AwsLookup(default_region=region)
            images[key] = resolve_image(fn.image.uri, region, lookup)
    return images


def build_hooks(
    model: Service, folder: Path, env: Mapping[str, str], sources: SourceMap
) -> list[PluginNotice]:
    """The build hooks, each within ``custom.slsCdk.hookTimeout``; notices for hooks not run."""
    messages = run_hooks(
        model.scripts.hooks,
        cwd=folder,
        service=model.service,
        env=env,
        sources=sources,
        timeout=hook_timeout(model.custom),
    )
    return [PluginNotice("serverless-plugin-scripts", message) for message in messages]


@dataclass(frozen=True)
class Built:
    """What packaging made: the zips, their warnings, the plugins' notices, and the model and
    functions as packaging plugins left them (layers added, handlers rewritten)."""

    model: Service
    functions: dict[str, EffectiveFunction]
    packaged: Packaged
    warnings: list[SlsCdkError]
    notices: list[PluginNotice] = field(default_factory=list)
    sites: dict[str, tuple[EventSite[Any], ...]] | None = None
    """The event sites again when a plugin changed a function (else None: unchanged)."""


def _run_plugins(
    ctx: CheckContext, folder: Path, config_file: str, build: bool, env: Mapping[str, str]
) -> list[tuple[str, PluginOutput]]:
    """Every listed packaging plugin's build, in the order the service lists them."""
    outputs: list[tuple[str, PluginOutput]] = []
    for name, builder in registered(ctx.service.plugin_names):
        build_ctx = BuildContext(
            model=ctx.service,
            functions=ctx.functions,
            folder=folder,
            config_file=config_file,
            sources=ctx.sources,
            work_dir=work_dir(folder, name),
            build=build,
            env=env,
            stage=ctx.stage,
            region=ctx.region,
        )
        outputs.append((name, builder.build(build_ctx)))
    return outputs


def package(
    ctx: CheckContext,
    folder: Path,
    config_file: str,
    root: Path,
    *,
    build: bool = False,
    env: Mapping[str, str] | None = None,
) -> Built:
    """Packaging plugins built, artifacts checked, zips made, every zip inspected."""
    model, functions, sources = ctx.service, dict(ctx.functions), ctx.sources
    outputs = _run_plugins(ctx, folder, config_file, build, dict(env or {}))
    built = merged_functions([out for _, out in outputs])
    ErrorGroup.raise_if_any(check_artifacts(model, functions, folder, sources, config_file, root, built))
    new_model, new_functions = apply_outputs(model, functions, [out for _, out in outputs])
    packaged = package_service(model, new_functions, folder, ctx.region, config_file, built)
    added_errors: list[SlsCdkError] = []
    for _, out in outputs:
        for key, added in out.layers.items():
            packaged.layers[key] = LayerArtifact(added.zip, added.as_written)
            # a plugin's layer is inspected as ours are (entries, sizes), located at its listing
            added_errors.extend(zip_problems(added.zip, f"{key}.zip", ("plugins",), sources))
    errors, warnings = inspect_packaged(model, new_functions, packaged, folder, sources, config_file)
    errors[:0] = added_errors
    ErrorGroup.raise_if_any(errors)
    notices = [PluginNotice(name, text) for name, out in outputs for text in out.notices]
    plugin_warnings = [w for _, out in outputs for w in out.warnings]
    sites = event_sites(new_functions) if new_functions != functions else None
    return Built(new_model, new_functions, packaged, [*plugin_warnings, *warnings], notices, sites)
