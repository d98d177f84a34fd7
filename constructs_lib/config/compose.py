"""``serverless-compose.yml``: services, their folders, params and dependencies.

Only ``${sls:stage}`` and ``${env:...}`` resolve inside the compose file (as in Serverless
Compose); ``${<service>.<Output>}`` in params names another service's output.
"""

from __future__ import annotations

import graphlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, field_validator

from constructs_lib.config.data import JsonObject, JsonValue, KeyPath
from constructs_lib.config.files import COMPOSE_FILE_NAMES, SERVICE_FILE_NAMES
from constructs_lib.config.schema import Base, ListOf
from constructs_lib.config.source import SourceMap, load_yaml_file
from constructs_lib.config.validate import validate
from constructs_lib.config.variables import ResolveContext, resolve_config
from constructs_lib.errors import ComposeError, ErrorGroup, Location, SlsCdkError, did_you_mean

__all__ = [
    "COMPOSE_FILE_NAMES",
    "Compose",
    "ComposeService",
    "OutputRef",
    "load_compose",
    "output_refs",
    "split_output_refs",
]

_OUTPUT_REF = re.compile(r"\$\{([a-zA-Z][\w-]*)\.([A-Za-z0-9_]+)\}")


class ComposeServiceModel(Base):
    path: str
    config: str | None = None
    params: JsonObject = Field(default_factory=dict)
    depends_on: ListOf[str] = Field(default_factory=list)
    region: str | None = None

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("path must not be empty")
        return value


class ComposeModel(Base):
    services: dict[str, ComposeServiceModel]
    state: JsonValue = None


@dataclass(frozen=True)
class OutputRef:
    """``${service.OutputKey}`` inside a compose param."""

    service: str
    output: str


@dataclass(frozen=True)
class ComposeService:
    name: str
    dir: Path
    config_file: Path
    params: JsonObject
    depends_on: tuple[str, ...]
    region: str | None
    location: Location


@dataclass(frozen=True)
class Compose:
    file: Path
    root: Path
    services: dict[str, ComposeService]
    order: tuple[str, ...]
    """Service names in dependency order (dependencies first)."""
    sources: SourceMap = field(repr=False, default_factory=lambda: SourceMap(""))


def find_service_file(folder: Path, config: str | None = None) -> Path | None:
    if config:
        candidate = folder / config
        return candidate if candidate.is_file() else None
    for name in SERVICE_FILE_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def split_output_refs(value: str) -> list[str | OutputRef]:
    """``'a-${x.Out}-b'`` -> ``['a-', OutputRef('x', 'Out'), '-b']`` (empty text dropped)."""
    parts: list[str | OutputRef] = []
    last = 0
    for m in _OUTPUT_REF.finditer(value):
        if m.start() > last:
            parts.append(value[last : m.start()])
        parts.append(OutputRef(m[1], m[2]))
        last = m.end()
    if last < len(value):
        parts.append(value[last:])
    return parts


def output_refs(value: JsonValue) -> list[OutputRef]:
    """Every ``${service.Output}`` in a param value."""
    if isinstance(value, str):
        return [OutputRef(m[1], m[2]) for m in _OUTPUT_REF.finditer(value)]
    return []


def load_compose(file: Path, *, stage: str, env: dict[str, str] | None = None) -> Compose:
    """Read and check a compose file: paths, references, dependency cycles."""
    label = os.path.relpath(file)
    doc = load_yaml_file(file, label=label)
    root = file.parent.resolve()
    ctx = ResolveContext(
        service_dir=root,
        project_root=root,
        options={"stage": stage},
        env=env if env is not None else dict(os.environ),
        allowed_sources=frozenset({"sls", "env"}),
        where="compose file",
    )
    data = _resolve_compose_variables(doc.data, doc.sources, ctx)
    model, _ = validate(ComposeModel, data, doc.sources)
    errors: list[SlsCdkError] = []
    services: dict[str, ComposeService] = {}
    for name, svc in model.services.items():
        found = _service(name, svc, model, root, doc.sources, errors)
        if found is not None:
            services[name] = found
    ErrorGroup.raise_if_any(errors)
    order = _dependency_order(services, doc.sources)
    return Compose(file=file, root=root, services=services, order=order, sources=doc.sources)


def _service(
    name: str,
    svc: ComposeServiceModel,
    model: ComposeModel,
    root: Path,
    sources: SourceMap,
    errors: list[SlsCdkError],
) -> ComposeService | None:
    """Service ``name`` with its folder and configuration file found; None (and ``errors``
    extended) when either is missing; unknown services it references are reported then too."""
    folder = (root / svc.path).resolve()
    config = _service_file(name, svc, folder, root, sources, errors)
    if config is None:
        return None
    errors.extend(_unknown_references(name, svc, model, sources))
    deps = [*svc.depends_on, *(ref.service for value in svc.params.values() for ref in output_refs(value))]
    return ComposeService(
        name=name,
        dir=folder,
        config_file=config,
        params=dict(svc.params),
        depends_on=tuple(dict.fromkeys(d for d in deps if d in model.services)),
        region=svc.region,
        location=sources.locate(("services", name)),
    )


def _service_file(
    name: str,
    svc: ComposeServiceModel,
    folder: Path,
    root: Path,
    sources: SourceMap,
    errors: list[SlsCdkError],
) -> Path | None:
    """The service's configuration file, or None with the reason appended to ``errors``."""
    path_key: KeyPath = ("services", name, "path")
    if folder != root and root not in folder.parents:
        message = f"path {svc.path!r} of service {name!r} is outside the compose folder"
    elif not folder.is_dir():
        message = f"service {name!r}: folder {svc.path!r} does not exist"
    else:
        config = find_service_file(folder, svc.config)
        if config is not None:
            return config
        path_key = ("services", name, "config" if svc.config else "path")
        message = f"service {name!r}: no {svc.config or SERVICE_FILE_NAMES[0]} in {svc.path!r}"
    errors.append(ComposeError(message, location=sources.locate(path_key), path=path_key))
    return None


def _unknown_references(
    name: str, svc: ComposeServiceModel, model: ComposeModel, sources: SourceMap
) -> list[SlsCdkError]:
    """Params naming outputs of services the file does not have, and unknown ``dependsOn``."""
    errors: list[SlsCdkError] = []
    for key, value in svc.params.items():
        for ref in output_refs(value):
            if ref.service not in model.services:
                where: KeyPath = ("services", name, "params", key)
                errors.append(
                    ComposeError(
                        f"param {key!r} of service {name!r} references unknown service {ref.service!r}",
                        location=sources.locate(where),
                        path=where,
                    )
                )
    for i, dep in enumerate(svc.depends_on):
        if dep not in model.services:
            guess = did_you_mean(dep, model.services)
            where = ("services", name, "dependsOn", i)
            errors.append(
                ComposeError(
                    f"service {name!r} depends on unknown service {dep!r}",
                    location=sources.locate(where),
                    path=where,
                    hint=f"did you mean {guess!r}?" if guess else None,
                )
            )
    return errors


def _dependency_order(services: dict[str, ComposeService], sources: SourceMap) -> tuple[str, ...]:
    """Service names, dependencies first; a cycle is an error."""
    sorter = graphlib.TopologicalSorter({name: svc.depends_on for name, svc in services.items()})
    try:
        return tuple(sorter.static_order())
    except graphlib.CycleError as exc:
        cycle = exc.args[1]
        raise ComposeError(
            "services depend on each other in a cycle: " + " -> ".join(reversed(cycle)),
            location=sources.locate(("services", cycle[0])),
            path=("services", cycle[0]),
        ) from None


def _resolve_compose_variables(data: JsonObject, sources: SourceMap, ctx: ResolveContext) -> JsonObject:
    """Compose resolves only ``sls:stage`` and ``env:``; output references are kept for later."""
    resolved = resolve_config(_protect_output_refs(data), sources, ctx)
    restored: JsonObject = _restore_output_refs(resolved)
    return restored


_MARK = "\x00sls-cdk-output\x00"


def _protect_output_refs(value: JsonValue) -> JsonValue:
    if isinstance(value, dict):
        return {k: _protect_output_refs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_protect_output_refs(v) for v in value]
    if isinstance(value, str):
        return _OUTPUT_REF.sub(lambda m: f"{_MARK}{m[1]}.{m[2]}{_MARK}", value)
    return value


def _restore_output_refs(value: JsonValue) -> JsonValue:
    if isinstance(value, dict):
        return {k: _restore_output_refs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore_output_refs(v) for v in value]
    if isinstance(value, str) and _MARK in value:
        return re.sub(f"{_MARK}(.*?){_MARK}", lambda m: "${" + m[1] + "}", value)
    return value
