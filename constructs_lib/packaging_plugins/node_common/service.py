"""From the loader's :class:`BuildContext` to a :class:`NodeService`, and back to a
:class:`PluginOutput`; built zips are kept in the plugin's work folder under a digest of their
inputs, so an unchanged service is not built again (``--build`` builds anyway)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from constructs_lib.config.model import Service
from constructs_lib.config.model.package import FunctionPackage, Package
from constructs_lib.packaging_plugins.node_common import Built, NodeFunction, NodeService

if TYPE_CHECKING:
    from constructs_lib.packaging_plugins import BuildContext, PluginOutput

__all__ = ["node_service", "provider_runtime", "reuse_or_build"]

#: folders whose files are not inputs of a build (outputs, state, version control)
_NOT_INPUTS = {".serverless", ".git", ".esbuild", ".webpack", ".build", "node_modules"}
_DONE = "built.json"
#: the layout of a kept build (part of its digest: a build kept by another layout is not reused)
_LAYOUT = "2"


def provider_runtime(model: Service) -> str | None:
    """``provider.runtime`` as written (None when unset: the plugins read it before v3's default)."""
    return model.provider.runtime if "runtime" in model.provider.model_fields_set else None


def _patterns(pkg: FunctionPackage) -> list[str]:
    """``[...new Set([...include, ...exclude.map('!' + x), ...patterns])]``."""
    return list(dict.fromkeys([*pkg.include, *(f"!{x}" for x in pkg.exclude), *pkg.patterns]))


def node_service(
    ctx: BuildContext, custom_key: str, extra_service_patterns: Sequence[str] = ()
) -> NodeService:
    model = ctx.model
    pkg = model.package or Package()
    functions = tuple(
        NodeFunction(
            key=key,
            handler=fn.handler,
            runtime=fn.runtime,
            patterns=tuple(_patterns(model.functions[key].package or FunctionPackage())),
        )
        for key, fn in ctx.functions.items()
        if fn.artifact is None and fn.image is None
    )
    custom = (model.custom or {}).get(custom_key) or {}
    return NodeService(
        folder=ctx.folder,
        name=model.service,
        provider_runtime=provider_runtime(model),
        functions=functions,
        patterns=tuple(dict.fromkeys([*_patterns(pkg), *extra_service_patterns])),
        individually=bool(pkg.individually),
        custom=custom if isinstance(custom, dict) else {},
        locate=ctx.sources.locate,
        config_file=ctx.config_file,
    )


def _input_digest(service: NodeService, plugin: str) -> str:
    """Digest of what a build reads: the service's settings, every file of its folder (size and
    mtime; outputs aside) and the installed dependencies' lock."""
    digest = hashlib.sha256(f"{plugin}\0{_LAYOUT}".encode())
    settings = {
        "folder": str(service.folder.resolve()),
        "name": service.name,
        "runtime": service.provider_runtime,
        "functions": [(f.key, f.handler, f.runtime, f.patterns) for f in service.functions],
        "patterns": service.patterns,
        "individually": service.individually,
        "custom": service.custom,
    }
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for base, dirs, names in os.walk(service.folder):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_INPUTS)
        for name in sorted(names):
            st = os.stat(Path(base) / name)
            digest.update(f"{Path(base, name)}\0{st.st_size}:{st.st_mtime_ns}\0".encode())
    lock = service.folder / "node_modules" / ".package-lock.json"
    if lock.is_file():
        digest.update(lock.read_bytes())
    return digest.hexdigest()[:20]


def _restored(target: Path) -> Built:
    data: dict[str, Any] = json.loads((target / _DONE).read_text())
    return Built(
        service_zip=target / data["service_zip"] if data["service_zip"] else None,
        function_zips={k: target / v for k, v in data["function_zips"].items()},
        handlers=dict(data["handlers"]),
        folder=target / data["folder"] if data["folder"] else None,
        folder_functions=tuple(data["folder_functions"]),
    )


def _kept(
    ctx: BuildContext, service: NodeService, plugin: str, build: Callable[[NodeService], Built]
) -> Built:
    target = ctx.work_dir / _input_digest(service, plugin)
    if (target / _DONE).is_file() and not ctx.build:
        return _restored(target)
    built = build(service)  # into a private folder: nothing is written when it fails
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for zip_file in [z for z in [built.service_zip, *built.function_zips.values()] if z is not None]:
        shutil.copyfile(zip_file, target / zip_file.name)
    if built.folder is not None:
        shutil.copytree(built.folder, target / "folder", symlinks=True)
    record = {
        "service_zip": built.service_zip.name if built.service_zip else None,
        "function_zips": {k: z.name for k, z in built.function_zips.items()},
        "handlers": built.handlers,
        "folder": "folder" if built.folder is not None else None,
        "folder_functions": list(built.folder_functions),
    }
    (target / _DONE).write_text(json.dumps(record, indent=1, sort_keys=True))
    return _restored(target)


def reuse_or_build(
    ctx: BuildContext, service: NodeService, plugin: str, build: Callable[[NodeService], Built]
) -> PluginOutput:
    """The plugin's output for ``ctx``: every function it packages gets its zip (the service zip
    when not packaged individually) and its rewritten handler."""
    from constructs_lib.packaging_plugins import FunctionOutput, PluginOutput

    built = _kept(ctx, service, plugin, build)
    outputs: dict[str, FunctionOutput] = {}
    for fn in service.functions:
        zip_file = built.function_zips.get(fn.key) or built.service_zip
        if zip_file is not None:
            outputs[fn.key] = FunctionOutput(zip=zip_file, handler=built.handlers.get(fn.key))
        elif built.folder is not None and fn.key in built.folder_functions:
            outputs[fn.key] = FunctionOutput(folder=built.folder, handler=built.handlers.get(fn.key))
    return PluginOutput(functions=outputs)
