"""Loading a project: one serverless.yml, its folder, or a compose file.

``load_service`` is the whole pipeline for one service, stage by stage: parse (YAML with
positions), resolve variables, validate into the typed model (``config/``), check (plugins,
functions, each event type's own check), build hooks, artifacts, packaging, image digests, safety
warnings. ``load_project`` runs it for every service of a compose file, in dependency order.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_lib import naming
from constructs_lib.config.compose import load_compose, output_refs, split_output_refs
from constructs_lib.config.defaults import effective_stage, plain_stage
from constructs_lib.config.files import SERVICE_FILE_NAMES, find_project
from constructs_lib.config.merge_arrays import merge_arrays
from constructs_lib.config.model import EffectiveFunction, Service, config_validation_mode
from constructs_lib.config.source import SourceMap, load_yaml_file, read_text
from constructs_lib.config.validate import ValidationMode, validate
from constructs_lib.config.variables import ProjectRoot, ResolveContext, decide_project_root, resolve_config
from constructs_lib.errors import ConfigError, ErrorGroup, Location, SlsCdkError
from constructs_lib.events.sites import CheckContext, EventSite, event_sites
from constructs_lib.loader.artifacts import Packaged
from constructs_lib.loader.build import shell_quoted_path
from constructs_lib.loader.dotenv_plugin import use_dotenv
from constructs_lib.loader.layer_takeover import DeployedLayer, deployed_layers
from constructs_lib.loader.plugin_effects import apply_plugins
from constructs_lib.loader.plugins import PluginNotice
from constructs_lib.loader.service import CrossServiceRef, LoadedService, Project
from constructs_lib.loader.stack_checks import check_output_refs, check_unique_stacks
from constructs_lib.loader.steps import (
    Built,
    build_hooks,
    check_config,
    image_digests,
    later_warnings,
    package,
    stack_and_schema,
)
from constructs_lib.plugins.iam_roles_per_function.settings import check_roles_per_function
from constructs_lib.plugins.step_functions import plugin_output
from constructs_lib.plugins.warmup import add_warmers, remove_warmer_code

__all__ = ["SERVICE_FILE_NAMES", "LoadedService", "Project", "find_project", "load_project", "load_service"]


def _parse(file: Path, label: str) -> tuple[dict[str, Any], SourceMap]:
    """The file's data and the source map that locates every key (JSON files: the file only)."""
    if file.suffix != ".json":
        doc = load_yaml_file(file, label=label)
        return doc.data, doc.sources
    try:
        data = json.loads(read_text(file, label=label))
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"invalid JSON: {exc.msg}", location=Location(label, exc.lineno, exc.colno)
        ) from None
    return data, SourceMap(label)


@dataclass(frozen=True)
class _Request:
    """What the caller asked for: CLI options, compose params, environment, project root."""

    stage: str | None
    region: str | None
    options: Mapping[str, Any]
    params: Mapping[str, Any]
    env: Mapping[str, str] | None
    root: ProjectRoot
    known_stacks: Mapping[str, tuple[str, str]]
    allow_js: bool = False
    lookups: bool = True
    """Read the deployed stack for its layers (synth paths; not ``check`` / ``print``)."""


def _resolve(
    data: dict[str, Any], sources: SourceMap, folder: Path, req: _Request
) -> tuple[dict[str, Any], dict[str, str], list[SlsCdkError]]:
    """Variables resolved (``${opt:}``, ``${env:}`` with ``useDotenv``, ``${param:}``, ...); also
    returns the environment hooks run with and the resolution's notices."""
    opts: dict[str, Any] = {k: v for k, v in req.options.items() if v is not None}
    if req.stage:
        opts["stage"] = req.stage
    if req.region:
        opts["region"] = req.region
    environ = dict(os.environ if req.env is None else req.env)
    raw_stage = plain_stage(data, req.stage)
    if data.get("useDotenv") is True:
        environ = use_dotenv(folder, raw_stage, environ)
    ctx = ResolveContext(
        service_dir=folder,
        project_root=req.root.path,
        root_reason=req.root.reason,
        options=opts,
        env=environ,
        params=_service_params(data, raw_stage, req.params),
        region=req.region,
        known_stacks=dict(req.known_stacks),
        shell_quoted=shell_quoted_path,
        allow_js=req.allow_js,
    )
    return resolve_config(data, sources, ctx), environ, ctx.notices


def _plugin_effects(
    data: dict[str, Any], sources: SourceMap, folder: Path, environ: Mapping[str, str], req: _Request
) -> list[PluginNotice]:
    """What the translated plugins change in the resolved configuration (:mod:`.plugin_effects`)."""
    options = {**req.options, "stage": req.stage}
    return apply_plugins(data, sources, folder, environ=environ, options=options, root=req.root.path)


def _validate(
    resolved: dict[str, Any], sources: SourceMap, mode: ValidationMode
) -> tuple[Service, list[SlsCdkError]]:
    if not isinstance(resolved.get("provider"), dict | str):
        raise ConfigError(
            "missing 'provider' section (provider: {name: aws, ...})",
            location=sources.locate(()),
            path=("provider",),
        )
    # validation leaves out what v3 ignores: on a copy, so the resolved configuration (print,
    # compose, rebinding) stays what the user wrote
    model, warnings = validate(Service, copy.deepcopy(resolved), sources, unknown_keys=mode)
    return model, list(warnings)


def _with_warmers(
    model: Service,
    resolved: dict[str, Any],
    sources: SourceMap,
    warnings: list[SlsCdkError],
    where: tuple[str, str, Path],
    mode: ValidationMode,
) -> Service:
    """serverless-plugin-warmup's functions and roles added as the plugin adds them (after v3's
    validation, before it compiles); serverless-iam-roles-per-function's and
    serverless-step-functions' keys checked; the warnings of their keys join ``warnings``."""
    stage, region, folder = where
    model, more = add_warmers(model, resolved, sources, stage=stage, region=region, folder=folder, mode=mode)
    warnings.extend(more)
    warnings.extend(check_roles_per_function(model, resolved, sources, mode=mode, where=(stage, region)))
    names = {key: model.function(key, stage=stage).name for key in model.functions}
    warnings.extend(_step_functions(resolved, sources, model, names, (stage, region, mode)))
    return model


def _step_functions(
    resolved: dict[str, Any],
    sources: SourceMap,
    model: Service,
    names: Mapping[str, str],
    where: tuple[str, str, ValidationMode],
) -> list[SlsCdkError]:
    """serverless-step-functions' keys checked by compiling what it adds (its errors raised),
    when the plugin is listed; its warnings returned."""
    compiled = plugin_output(resolved, sources, model, names, where[:2], where[2])
    return compiled.warnings if compiled else []


def _computed(
    model: Service, stage: str
) -> tuple[dict[str, EffectiveFunction], dict[str, tuple[EventSite[Any], ...]]]:
    """What the loader computes once: every function as v3 builds it, and its events' sites."""
    functions = {key: model.function(key, stage=stage) for key in model.functions}
    return functions, event_sites(functions)


def _deployed_layers(
    model: Service, stage: str, region: str, packaged: Packaged, sources: SourceMap, req: _Request
) -> tuple[dict[str, DeployedLayer], list[SlsCdkError]]:
    """The layers whose content the deployed stack already has (:mod:`.layer_takeover`)."""
    if not req.lookups:
        return {}, []
    bucket = model.provider.deployment_bucket
    return deployed_layers(
        naming.stack_name(model.service, stage, model.provider.stack_name),
        region,
        {key: art.zip for key, art in packaged.layers.items()},
        sources,
        named_bucket=bucket.name if bucket else None,
        profile=model.provider.profile,
        env=req.env,
    )


def _package(
    ctx: CheckContext, file: Path, root: Path, build: bool, env: Mapping[str, str], code: bool
) -> Built:
    """Packaging plugins built, zips made and checked (:func:`.steps.package`); with ``code=False``
    (print) nothing: v3's print resolves the configuration only."""
    if not code:
        return Built(ctx.service, dict(ctx.functions), Packaged({}, {}), [])
    return package(ctx, file.parent, file.name, root, build=build, env=env)


def load_service(
    file: Path,
    *,
    stage: str | None = None,
    region: str | None = None,
    options: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    project_root: Path | None = None,
    compose_name: str | None = None,
    depends_on: tuple[str, ...] = (),
    known_stacks: Mapping[str, tuple[str, str]] | None = None,
    build: bool = False,
    strict: bool = False,
    allow_js: bool = False,
    lookups: bool = True,
    package_code: bool = True,
) -> LoadedService:
    """Load one serverless.yml: parse, resolve, validate, check, build hooks, package, images,
    safety warnings. Every user error of a stage is reported together (an :class:`ErrorGroup`).

    ``project_root`` is the compose file's folder when the service is part of a compose project
    (``${file()}`` reads inside it; :func:`decide_project_root`). ``known_stacks`` (stack name ->
    (export-name prefix, region)) lets ``${cf:...}`` of a sibling stack
    become ``Fn::ImportValue`` instead of a read from AWS. ``build`` runs the package-lifecycle
    hooks of serverless-plugin-scripts before artifacts are checked. ``strict`` (``--strict``) is
    ``configValidationMode: error`` whatever the file says."""
    if file.is_dir():
        file = find_project(file)[1]
    file = file.resolve()
    folder = file.parent
    label = os.path.relpath(file)
    root = decide_project_root(folder, compose_dir=project_root)
    req = _Request(
        stage, region, options or {}, params or {}, env, root, known_stacks or {}, allow_js, lookups
    )
    data, sources = _parse(file, label)
    resolved, environ, resolution_notices = _resolve(data, sources, folder, req)
    merge_warnings = merge_arrays(resolved, sources)  # v3's mergeArrays: list-valued functions/resources
    plugin_notices = _plugin_effects(resolved, sources, folder, environ, req)
    mode = config_validation_mode(resolved, strict=strict)  # one mode for every later step
    model, warnings = _validate(resolved, sources, mode)
    final_stage, final_region = model.stage(stage), model.region(region)
    model = _with_warmers(model, resolved, sources, warnings, (final_stage, final_region, folder), mode)
    functions, sites = _computed(model, final_stage)
    ctx = CheckContext(
        service=model, functions=functions, stage=final_stage, region=final_region, sources=sources
    )
    notices, errors = check_config(ctx, sites)
    notices[:0] = plugin_notices
    flagged, refused = stack_and_schema(ctx, resolved, mode, (stage, region))
    ErrorGroup.raise_if_any([*errors, *refused])
    later = later_warnings(ctx, sites, flagged)
    if build and model.scripts.hooks:
        notices.extend(build_hooks(model, folder, environ, sources))
    done = _package(ctx, file, req.root.path, build, environ, package_code)  # plugins build
    remove_warmer_code(model, folder)  # packaged: the plugin's cleanFolder
    deployed, layer_warnings = _deployed_layers(
        done.model, final_stage, final_region, done.packaged, sources, req
    )
    return LoadedService(
        model=done.model,
        file=file,
        dir=folder,
        stage=final_stage,
        region=final_region,
        functions=done.functions,
        sites=done.sites or sites,
        artifacts=done.packaged.artifacts,
        layer_artifacts=done.packaged.layers,
        deployed_layers=deployed,
        images=image_digests(functions, final_region) if package_code else {},
        sources=sources,
        data=resolved,
        warnings=(*resolution_notices, *merge_warnings, *warnings, *later, *done.warnings, *layer_warnings),
        notices=(*notices, *done.notices),
        compose_name=compose_name,
        depends_on=depends_on,
        label=label,
    )


def _service_params(data: dict[str, Any], stage: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """v3's precedence: CLI/compose params, then ``params.<stage>``, then ``params.default``."""
    out: dict[str, Any] = {}
    params = data.get("params")
    if isinstance(params, dict):
        for section in ("default", stage):
            values = params.get(section)
            if isinstance(values, dict):
                out.update(values)
    out.update(given)
    return out


def _compose_params(
    params: Mapping[str, Any], loaded: Mapping[str, LoadedService]
) -> tuple[dict[str, Any], list[CrossServiceRef], bool]:
    """Compose params with ``${svc.Out}`` turned into imports of v3's export names."""
    out: dict[str, Any] = {}
    refs: list[CrossServiceRef] = []
    for key, value in params.items():
        if not isinstance(value, str) or not output_refs(value):
            out[key] = value
            continue
        parts: list[Any] = []
        for piece in split_output_refs(value):
            if isinstance(piece, str):
                parts.append(piece)
                continue
            producer = loaded.get(piece.service)
            if producer is None:
                return out, refs, True
            export = naming.export_name(producer.name, producer.stage, piece.output)
            refs.append(CrossServiceRef(key, piece.service, piece.output, export))
            parts.append({"Fn::ImportValue": export})
        out[key] = parts[0] if len(parts) == 1 else {"Fn::Join": ["", parts]}
    return out, refs, False


def load_project(
    path: Path,
    *,
    stage: str | None = None,
    region: str | None = None,
    options: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    build: bool = False,
    strict: bool = False,
    allow_js: bool = False,
    lookups: bool = True,
    package_code: bool = True,
) -> Project:
    """Load what ``path`` names: a service (file or folder) or a compose project.

    ``build`` runs each service's build hooks (in dependency order) before its artifacts are checked;
    ``strict`` makes every service's ``configValidationMode`` ``error``;
    ``allow_js`` lets ``${file(x.js)}`` run with Node (``--allow-js``); ``lookups`` reads the
    deployed stacks for their layers (as v3's package does; off for check and print);
    ``package_code`` packages the code (off for print: no build, no zip checks, no plugin runs)."""
    kind, file = find_project(path)
    load = functools.partial(
        load_service, options=options, env=env, build=build, strict=strict, allow_js=allow_js
    )
    load = functools.partial(load, lookups=lookups, package_code=package_code)
    if kind == "service":
        svc = load(file, stage=stage, region=region, params=params)
        return Project(root=svc.dir, services=(svc,), stage=svc.stage)
    compose_stage = effective_stage(stage)
    compose = load_compose(file, stage=compose_stage, env=dict(env) if env is not None else None)
    services: list[LoadedService] = []
    loaded: dict[str, LoadedService] = {}
    errors: list[SlsCdkError] = []
    known: dict[str, tuple[str, str]] = {}
    for name in compose.order:
        spec = compose.services[name]
        service_params, refs, blocked = _compose_params(spec.params, loaded)
        if blocked:
            continue  # a service it reads from failed to load; that error is reported already
        try:
            svc = load(
                spec.config_file,
                stage=compose_stage,
                region=spec.region or region,
                params={**service_params, **(params or {})},
                project_root=compose.root,
                compose_name=name,
                depends_on=spec.depends_on,
                known_stacks=known,
            )
        except SlsCdkError as exc:
            errors.append(exc)
            continue
        svc = dataclasses.replace(svc, output_refs=tuple(refs))
        loaded[name] = svc
        services.append(svc)
        known[svc.stack_name] = (naming.export_name(svc.model.service, svc.stage, ""), svc.region)
    ErrorGroup.raise_if_any(
        [*errors, *check_unique_stacks(services, compose), *check_output_refs(services, compose)]
    )
    return Project(root=compose.root, services=tuple(services), stage=compose_stage, compose=compose)
