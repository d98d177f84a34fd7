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
from typing import Any

from pydantic import Field, field_validator

from constructs_lib.config.files import COMPOSE_FILE_NAMES, SERVICE_FILE_NAMES
from constructs_lib.config.schema import Base, ListOf
from constructs_lib.config.source import SourceMap, load_yaml_file
from constructs_lib.config.validate import validate
from constructs_lib.config.variables import ResolveContext, resolve_config
from constructs_lib.errors import ComposeError, ErrorGroup, Location, SlsCdkError

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
    params: dict[str, Any] = Field(default_factory=dict)
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
    state: Any = None


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
    params: dict[str, Any]
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


def output_refs(value: Any) -> list[OutputRef]:
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
        where = doc.sources.locate(("services", name))
        folder = (root / svc.path).resolve()
        if folder != root and root not in folder.parents:
            errors.append(
                ComposeError(
                    f"path {svc.path!r} of service {name!r} is outside the compose folder",
                    location=doc.sources.locate(("services", name, "path")),
                    path=("services", name, "path"),
                )
            )
            continue
        if not folder.is_dir():
            errors.append(
                ComposeError(
                    f"service {name!r}: folder {svc.path!r} does not exist",
                    location=doc.sources.locate(("services", name, "path")),
                    path=("services", name, "path"),
                )
            )
            continue
        config = find_service_file(folder, svc.config)
        if config is None:
            wanted = svc.config or "serverless.yml"
            key = ("services", name, "config" if svc.config else "path")
            errors.append(
                ComposeError(
                    f"service {name!r}: no {wanted} in {svc.path!r}",
                    location=doc.sources.locate(key),
                    path=key,
                )
            )
            continue
        deps = list(svc.depends_on)
        for key, value in svc.params.items():
            for ref in output_refs(value):
                deps.append(ref.service)
                if ref.service not in model.services:
                    errors.append(
                        ComposeError(
                            f"param {key!r} of service {name!r} references unknown service {ref.service!r}",
                            location=doc.sources.locate(("services", name, "params", key)),
                            path=("services", name, "params", key),
                        )
                    )
        for i, dep in enumerate(svc.depends_on):
            if dep not in model.services:
                from constructs_lib.errors import did_you_mean

                guess = did_you_mean(dep, model.services)
                errors.append(
                    ComposeError(
                        f"service {name!r} depends on unknown service {dep!r}",
                        location=doc.sources.locate(("services", name, "dependsOn", i)),
                        path=("services", name, "dependsOn", i),
                        hint=f"did you mean {guess!r}?" if guess else None,
                    )
                )
        services[name] = ComposeService(
            name=name,
            dir=folder,
            config_file=config,
            params=dict(svc.params),
            depends_on=tuple(dict.fromkeys(d for d in deps if d in model.services)),
            region=svc.region,
            location=where,
        )
    ErrorGroup.raise_if_any(errors)

    sorter = graphlib.TopologicalSorter({name: svc.depends_on for name, svc in services.items()})
    try:
        order = tuple(sorter.static_order())
    except graphlib.CycleError as exc:
        cycle = exc.args[1]
        raise ComposeError(
            "services depend on each other in a cycle: " + " -> ".join(reversed(cycle)),
            location=doc.sources.locate(("services", cycle[0])),
            path=("services", cycle[0]),
        ) from None
    return Compose(file=file, root=root, services=services, order=order, sources=doc.sources)


def _resolve_compose_variables(data: Any, sources: SourceMap, ctx: ResolveContext) -> Any:
    """Compose resolves only ``sls:stage`` and ``env:``; output references are kept for later."""
    resolved = resolve_config(_protect_output_refs(data), sources, ctx)
    return _restore_output_refs(resolved)


_MARK = "\x00sls-cdk-output\x00"


def _protect_output_refs(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _protect_output_refs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_protect_output_refs(v) for v in value]
    if isinstance(value, str):
        return _OUTPUT_REF.sub(lambda m: f"{_MARK}{m[1]}.{m[2]}{_MARK}", value)
    return value


def _restore_output_refs(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _restore_output_refs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore_output_refs(v) for v in value]
    if isinstance(value, str) and _MARK in value:
        return re.sub(f"{_MARK}(.*?){_MARK}", lambda m: "${" + m[1] + "}", value)
    return value
