"""Finding and loading a project: one serverless.yml, its folder, or a compose file.

``load_service`` runs the whole configuration pipeline for one service: read YAML with
positions, resolve variables, validate into the typed :class:`~.model.Service`, check plugins and
artifacts. ``load_project`` does it for every service of a compose file, in dependency order.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib import limits, naming
from constructs_lib.checks.safety import safety_warnings
from constructs_lib.config.compose import Compose, load_compose, output_refs, split_output_refs
from constructs_lib.config.files import SERVICE_FILE_NAMES, find_project
from constructs_lib.config.model import FunctionPackage, Package, Service
from constructs_lib.config.source import SourceMap, load_yaml_file
from constructs_lib.config.validate import validate
from constructs_lib.config.variables import ResolveContext, resolve_config
from constructs_lib.errors import ConfigError, ErrorGroup, Location, PackagingError, SlsCdkError, did_you_mean
from constructs_lib.loader.build import run_hooks, shell_quoted_path
from constructs_lib.loader.packaging import (
    DEFAULT_EXCLUDES,
    download_artifact,
    package_folder,
    parse_s3_uri,
    select_files,
)
from constructs_lib.loader.plugins import PluginNotice, check_plugins

__all__ = ["SERVICE_FILE_NAMES", "LoadedService", "Project", "find_project", "load_project", "load_service"]


@dataclass(frozen=True)
class LoadedService:
    """One service, fully resolved and validated, with what the constructs need around it."""

    model: Service
    file: Path
    dir: Path
    stage: str
    region: str
    sources: SourceMap = field(repr=False)
    data: dict[str, Any] = field(repr=False)
    warnings: tuple[SlsCdkError, ...] = ()
    notices: tuple[PluginNotice, ...] = ()
    compose_name: str | None = None
    depends_on: tuple[str, ...] = ()
    label: str = ""
    output_refs: tuple[CrossServiceRef, ...] = ()
    """Compose params read from other services' outputs (see :class:`CrossServiceRef`)."""
    _zips: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Path] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Folders packaged for this service: its functions packaged as one share one zip, and
    selecting and stat-ing a large folder again costs ~0.15 s per 5,000 files."""

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
        if (provider.deployment_method or "changesets") == "direct":
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

    def layer_artifact(self, key: str) -> tuple[Path, str]:
        """Layer ``key``'s zip and the artifact path v3 records for it (its ``package.artifact``,
        or, for a ``path`` layer, the ``.serverless/<key>.zip`` v3 writes)."""
        layer = self.model.layers[key]
        if layer.artifact is not None:
            return self.artifact_path(layer.artifact), layer.artifact
        root, excludes, includes = layer_spec(self.model, key, self.file.name)
        zipped = package_folder(
            self.dir / root, name=key, excludes=excludes, includes=includes, where=("layers", key, "path")
        )
        return zipped, str(self.dir / ".serverless" / f"{key}.zip")

    def artifact_path(self, artifact: str) -> Path:
        return (self.dir / artifact).resolve()

    def function_artifact(self, key: str) -> Path:
        """The zip for function ``key``: its artifact, or the service folder packaged as v3 does."""
        spec = packaging_spec(self.model, key, self.file.name, stage=self.stage)
        if spec is None:
            artifact = self.model.function(key, stage=self.stage).artifact
            assert artifact is not None
            s3 = parse_s3_uri(artifact)
            if s3 is not None:
                return download_artifact(*s3, region=self.region)
            return self.artifact_path(artifact)
        name, excludes, includes = spec
        cache_key = (name, tuple(excludes), tuple(includes))
        if cache_key not in self._zips:
            where = ("functions", key, "package") if name == key else ("package",)
            self._zips[cache_key] = package_folder(
                self.dir, name=name, excludes=excludes, includes=includes, where=where
            )
        return self._zips[cache_key]


def _layer_path_excludes(model: Service) -> list[str]:
    """v3 keeps layer folders out of the service's and functions' zips."""
    return [f"{layer.path.strip('/')}/**" for layer in model.layers.values() if layer.path]


def layer_spec(model: Service, key: str, config_file_name: str) -> tuple[Path, list[str], list[str]]:
    """``(folder, excludes, includes)`` to zip layer ``key`` from its ``path``, as v3 selects them:
    the default excludes, the service's ``package.exclude/include/patterns`` and the layer's own."""
    layer = model.layers[key]
    assert layer.path is not None
    pkg = model.package or Package()
    own = layer.package
    excludes = [
        *DEFAULT_EXCLUDES,
        config_file_name,
        *pkg.exclude,
        *([".env*"] if model.use_dotenv else []),
        *(own.exclude if own else []),
    ]
    includes = [*pkg.include, *pkg.patterns, *(own.include if own else []), *(own.patterns if own else [])]
    return Path(layer.path), excludes, includes


def packaging_spec(
    model: Service, key: str, config_file_name: str, *, stage: str
) -> tuple[str, list[str], list[str]] | None:
    """None when function ``key`` has an artifact; else ``(zip name, excludes, includes)`` (v3's rules:
    one ``<service>.zip`` for all, or ``<key>.zip`` with the function's patterns when individual)."""
    if model.function(key, stage=stage).artifact is not None or model.functions[key].image is not None:
        return None
    pkg = model.package or Package()
    fn_pkg = model.functions[key].package or FunctionPackage()
    excludes = [
        *DEFAULT_EXCLUDES,
        config_file_name,
        *([".env*"] if model.use_dotenv else []),
        *pkg.exclude,
        *_layer_path_excludes(model),
    ]
    includes = [*pkg.include, *pkg.patterns]
    if fn_pkg.individually or pkg.individually:
        return key, [*excludes, *fn_pkg.exclude], [*includes, *fn_pkg.include, *fn_pkg.patterns]
    return model.service, excludes, includes


@dataclass(frozen=True)
class Project:
    """What a PATH names: one service, or every service of a compose file in dependency order."""

    root: Path
    services: tuple[LoadedService, ...]
    stage: str
    compose: Compose | None = None


def _dotenv(folder: Path, stage: str) -> dict[str, str]:
    """v3's ``useDotenv``: ``.env.<stage>`` if present, else ``.env``."""
    for name in (f".env.{stage}", ".env"):
        file = folder / name
        if file.is_file():
            values: dict[str, str] = {}
            for raw in file.read_text(encoding="utf-8").splitlines():
                line = raw.strip()
                if not line or line.startswith("#") or "=" not in line:
                    continue
                key, _, value = line.removeprefix("export ").partition("=")
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                values[key.strip()] = value
            return values
    return {}


def _plain_stage(data: dict[str, Any]) -> str | None:
    provider = data.get("provider")
    stage = provider.get("stage") if isinstance(provider, dict) else None
    return stage if isinstance(stage, str) and "${" not in stage else None


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
) -> LoadedService:
    """Run the configuration pipeline for one serverless.yml.

    ``known_stacks`` (stack name -> (export-name prefix, region)) lets ``${cf:...}`` of a sibling stack
    become ``Fn::ImportValue`` instead of a read from AWS. ``build`` runs the package-lifecycle
    hooks of serverless-plugin-scripts before artifacts are checked."""
    if file.is_dir():
        file = find_project(file)[1]
    file = file.resolve()
    folder = file.parent
    root = (project_root or folder).resolve()
    label = os.path.relpath(file)
    if file.suffix == ".json":
        import json

        from constructs_lib.config.source import read_text

        try:
            data = json.loads(read_text(file, label=label))
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"invalid JSON: {exc.msg}", location=Location(label, exc.lineno, exc.colno)
            ) from None
        sources = SourceMap(label)
    else:
        doc = load_yaml_file(file, label=label)
        data, sources = doc.data, doc.sources

    opts: dict[str, Any] = {k: v for k, v in (options or {}).items() if v is not None}
    if stage:
        opts["stage"] = stage
    if region:
        opts["region"] = region
    environ = dict(os.environ if env is None else env)
    if data.get("useDotenv") is True:
        dot = _dotenv(folder, stage or _plain_stage(data) or "dev")
        environ = {**dot, **environ}

    merged_params = _service_params(data, stage or _plain_stage(data) or "dev", params or {})
    ctx = ResolveContext(
        service_dir=folder,
        project_root=root,
        options=opts,
        env=environ,
        params=merged_params,
        region=region,
        known_stacks=dict(known_stacks or {}),
        shell_quoted=shell_quoted_path,
    )
    resolved = resolve_config(data, sources, ctx)
    if not isinstance(resolved.get("provider"), dict):
        raise ConfigError(
            "missing 'provider' section (provider: {name: aws, ...})",
            location=sources.locate(()),
            path=("provider",),
        )
    mode = resolved.get("configValidationMode", "error")
    model, warnings = validate(
        Service, resolved, sources, unknown_keys=mode if mode in ("warn", "off") else "error"
    )

    final_stage = model.stage(stage)
    final_region = model.region(region)

    errors: list[SlsCdkError] = []
    slscdk = (model.custom or {}).get("slsCdk") or {}
    acknowledged = list(slscdk.get("acknowledgePlugins") or []) if isinstance(slscdk, dict) else []
    plugins_path: tuple[str, ...] = (
        ("plugins", "modules") if isinstance(model.plugins, dict) else ("plugins",)
    )
    notices, plugin_errors = check_plugins(
        model.plugin_names, acknowledged, path_of=lambda i: (*plugins_path, i), locate=sources.locate
    )
    errors.extend(plugin_errors)
    errors.extend(_check_function_names(model, sources, final_stage))
    errors.extend(_check_routes(model, sources))
    ErrorGroup.raise_if_any(errors)
    if build and model.scripts.hooks:
        for message in run_hooks(model.scripts.hooks, cwd=folder, service=model.service, env=environ):
            notices.append(PluginNotice("serverless-plugin-scripts", message))
    errors.extend(_check_artifacts(model, folder, sources, final_stage, file.name))
    ErrorGroup.raise_if_any(errors)

    return LoadedService(
        model=model,
        file=file,
        dir=folder,
        stage=final_stage,
        region=final_region,
        sources=sources,
        data=resolved,
        warnings=(*warnings, *safety_warnings(model, sources, final_stage)),
        notices=tuple(notices),
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


def _check_function_names(model: Service, sources: SourceMap, stage: str) -> list[SlsCdkError]:
    """Names Lambda would refuse at deploy time, found now (the default name includes the stage)."""
    errors: list[SlsCdkError] = []
    for key, fn in model.functions.items():
        name = model.function(key, stage=stage).name
        path: tuple[str, ...] = ("functions", key, "name") if fn.name else ("functions", key)
        problem = None
        if len(name) > limits.FUNCTION_NAME_MAX:
            problem = (
                f"function name {name!r} is {len(name)} characters; Lambda allows {limits.FUNCTION_NAME_MAX}"
            )
        elif not limits.FUNCTION_NAME.fullmatch(name):
            problem = f"function name {name!r} may only hold letters, digits, '-' and '_'"
        if problem:
            hint = (
                None
                if fn.name
                else "set a shorter functions.<key>.name, or shorten the service or function key"
            )
            errors.append(ConfigError(problem, location=sources.locate(path), path=path, hint=hint))
        errors.extend(_check_function_links(model, key, sources, stage))
    return errors


def _check_routes(model: Service, sources: SourceMap) -> list[SlsCdkError]:
    """HTTP API routes must be unique, also after v3 turns them into logical IDs
    (``/users/{id}`` and ``/users/{ID}`` collide: v3 silently kept one)."""
    errors: list[SlsCdkError] = []
    seen: dict[str, tuple[str, str]] = {}
    for key, fn in model.functions.items():
        for index, item in enumerate(fn.events):
            if item.event_type != "httpApi":
                continue
            route = item.body.route_key
            logical_id = naming.http_api_route_logical_id(route)
            where = ("functions", key, "events", index, "httpApi")
            if logical_id in seen:
                other_route, other_fn = seen[logical_id]
                problem = (
                    f"duplicate HTTP API route {route!r} (also in function {other_fn!r})"
                    if other_route == route
                    else f"routes {other_route!r} (function {other_fn!r}) and {route!r} would share the "
                    f"logical ID {logical_id}"
                )
                errors.append(ConfigError(problem, location=sources.locate(where), path=where))
            else:
                seen[logical_id] = (route, key)
    return errors


def _check_function_links(model: Service, key: str, sources: SourceMap, stage: str) -> list[SlsCdkError]:
    """Settings that need something else: EFS needs a VPC, destinations name real functions."""
    errors: list[SlsCdkError] = []
    eff = model.function(key, stage=stage)
    if eff.file_system_config is not None and eff.vpc is None:
        where: tuple[str, ...] = ("functions", key, "fileSystemConfig")
        errors.append(
            ConfigError(
                "fileSystemConfig needs a vpc (on the function or the provider)",
                location=sources.locate(where),
                path=where,
            )
        )
    if eff.destinations is not None:
        for field, target in (
            ("onSuccess", eff.destinations.on_success),
            ("onFailure", eff.destinations.on_failure),
        ):
            if isinstance(target, str) and not target.startswith("arn:") and target not in model.functions:
                where = ("functions", key, "destinations", field)
                guess = did_you_mean(target, model.functions)
                errors.append(
                    ConfigError(
                        f"destination {target!r} is neither an ARN nor a function of this service",
                        location=sources.locate(where),
                        path=where,
                        hint=f"did you mean {guess!r}?" if guess else None,
                    )
                )
    return errors


def _check_artifacts(
    model: Service, folder: Path, sources: SourceMap, stage: str, config_file_name: str
) -> list[SlsCdkError]:
    """A missing artifact is an error that names the build hook that would make it."""
    errors: list[SlsCdkError] = []
    hooks = model.scripts.hooks
    seen: set[str] = set()
    for key in model.functions:
        eff = model.function(key, stage=stage)
        if eff.image is not None:
            continue
        if eff.artifact is None:
            spec = packaging_spec(model, key, config_file_name, stage=stage)
            assert spec is not None
            if spec[0] not in seen:
                seen.add(spec[0])
                if not select_files(folder, excludes=spec[1], includes=spec[2]):
                    where = ("functions", key, "package") if spec[0] == key else ("package",)
                    errors.append(
                        PackagingError(
                            f"no file of the service folder matches the package patterns (for {key!r})",
                            location=sources.locate(where),
                            path=where,
                        )
                    )
            continue
        if eff.artifact in seen:
            continue
        seen.add(eff.artifact)
        if parse_s3_uri(eff.artifact) is not None:
            continue  # downloaded at synth, as v3 downloads it at package time
        full = (folder / eff.artifact).resolve()
        if not full.is_file():
            fn_level = model.functions[key].package is not None and model.functions[key].package.artifact
            path = ("functions", key, "package", "artifact") if fn_level else ("package", "artifact")
            hint = None
            if hooks:
                names = ", ".join(f"{event!r}: {cmd}" for event, cmd in hooks.items())
                hint = f"the build hook would create it ({names}); run with --build (or -c build=true)"
            errors.append(
                PackagingError(
                    f"artifact {eff.artifact!r} not found at {full}",
                    location=sources.locate(path),
                    path=path,
                    hint=hint,
                )
            )
    for key, layer in model.layers.items():
        path = ("layers", key, "package", "artifact")
        if layer.artifact is None:
            where: tuple[str, ...] = ("layers", key, "path")
            relative, excludes, includes = layer_spec(model, key, config_file_name)
            root = folder / relative
            problem = None
            if not root.resolve().is_relative_to(folder.resolve()):
                problem = f"layer path {layer.path!r} leaves the service folder"
            elif not root.is_dir():
                problem = f"layer path {layer.path!r} is not a folder ({root})"
            elif not select_files(root, excludes=excludes, includes=includes):
                problem = f"no file of layer path {layer.path!r} matches the package patterns"
            if problem:
                errors.append(PackagingError(problem, location=sources.locate(where), path=where))
        elif not (folder / layer.artifact).resolve().is_file():
            errors.append(
                PackagingError(
                    f"layer artifact {layer.artifact!r} not found at {(folder / layer.artifact).resolve()}",
                    location=sources.locate(path),
                    path=path,
                )
            )
    return errors


@dataclass(frozen=True)
class CrossServiceRef:
    """``${service.Output}`` in a compose param: read from ``service``'s stack output ``output``.

    The param's value holds ``{"Fn::ImportValue": export_name}`` (v3's export name); the compose
    app keeps it (same region) or swaps it for a cross-region reference."""

    param: str
    service: str
    output: str
    export_name: str


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
) -> Project:
    """Load what ``path`` names: a service (file or folder) or a compose project.

    ``build`` runs each service's build hooks (in dependency order) before its artifacts are checked."""
    kind, file = find_project(path)
    if kind == "service":
        svc = load_service(
            file, stage=stage, region=region, options=options, params=params, env=env, build=build
        )
        return Project(root=svc.dir, services=(svc,), stage=svc.stage)
    compose_stage = stage or "dev"
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
            svc = load_service(
                spec.config_file,
                stage=compose_stage,
                region=spec.region or region,
                options=options,
                params={**service_params, **(params or {})},
                env=env,
                project_root=compose.root,
                compose_name=name,
                depends_on=spec.depends_on,
                known_stacks=known,
                build=build,
            )
        except SlsCdkError as exc:
            errors.append(exc)
            continue
        svc = dataclasses.replace(svc, output_refs=tuple(refs))
        loaded[name] = svc
        services.append(svc)
        known[svc.stack_name] = (naming.export_name(svc.model.service, svc.stage, ""), svc.region)
    ErrorGroup.raise_if_any(errors)
    return Project(root=compose.root, services=tuple(services), stage=compose_stage, compose=compose)
