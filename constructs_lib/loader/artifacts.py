"""Artifacts: which zip each function and layer gets, checked and packaged at load, as v3 does.

v3's rules: a function's ``package.artifact``, else the service's unless the function is
packaged individually; otherwise the service folder zipped with the default excludes and the
``package`` patterns (one ``<service>.zip`` for all, or ``<key>.zip`` per individual function).
Layer folders stay out of the service's zips. ``s3://`` artifacts are downloaded, as v3 does.

Beyond v3: a local artifact must stay inside the project root (no ``..``, absolute path or
symlink leading out) and every zip is inspected before use (:mod:`.zip_checks`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from constructs_lib.config.model import EffectiveFunction, FunctionPackage, Package, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import PackagingError, SchemaError, SlsCdkError
from constructs_lib.loader.packaging import (
    DEFAULT_EXCLUDES,
    download_artifact,
    escaped_links,
    package_folder,
    parse_s3_uri,
    select_files,
)
from constructs_lib.loader.service import LayerArtifact
from constructs_lib.loader.zip_checks import handler_warnings, zip_problems
from constructs_lib.packaging_plugins import FunctionOutput
from constructs_lib.packaging_plugins.zips import with_files

__all__ = ["Packaged", "check_artifacts", "inspect_packaged", "package_service"]

Path_ = tuple[str | int, ...]
#: what packaging plugins built, per function (:mod:`constructs_lib.packaging_plugins`)
Built = Mapping[str, FunctionOutput]


@dataclass(frozen=True)
class _Spec:
    """How to zip a folder: the zip's name, v3's excludes and includes, and the key that sets them."""

    name: str
    excludes: tuple[str, ...]
    includes: tuple[str, ...]
    where: Path_


def _layer_path_excludes(model: Service) -> list[str]:
    """v3 keeps layer folders out of the service's and functions' zips."""
    return [f"{layer.path.strip('/')}/**" for layer in model.layers.values() if layer.path]


def _service_excludes(model: Service, config_file_name: str) -> list[str]:
    return [
        *DEFAULT_EXCLUDES,
        config_file_name,
        *([".env*"] if model.use_dotenv else []),
        *(model.package or Package()).exclude,
    ]


def layer_spec(model: Service, key: str, config_file_name: str) -> tuple[Path, _Spec]:
    """``(folder, spec)`` to zip layer ``key`` from its ``path``, as v3 selects them: the default
    excludes, the service's ``package.exclude/include/patterns`` and the layer's own."""
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
    return Path(layer.path), _Spec(key, tuple(excludes), tuple(includes), ("layers", key, "path"))


def packaging_spec(model: Service, fn: EffectiveFunction, config_file_name: str) -> _Spec | None:
    """None when function ``fn`` has an artifact or an image; else how v3 zips the service folder."""
    if fn.artifact is not None or fn.image is not None:
        return None
    pkg = model.package or Package()
    fn_pkg = model.functions[fn.key].package or FunctionPackage()
    excludes = [*_service_excludes(model, config_file_name), *_layer_path_excludes(model)]
    includes = [*pkg.include, *pkg.patterns]
    if fn_pkg.individually or pkg.individually:
        return _Spec(
            fn.key,
            (*excludes, *fn_pkg.exclude),
            (*includes, *fn_pkg.include, *fn_pkg.patterns),
            ("functions", fn.key, "package"),
        )
    return _Spec(model.service, tuple(excludes), tuple(includes), ("package",))


def _artifact_key(model: Service, key: str) -> Path_:
    fn_package = model.functions[key].package
    return (
        ("functions", key, "package", "artifact")
        if fn_package and fn_package.artifact
        else ("package", "artifact")
    )


def _hooks_hint(model: Service) -> str | None:
    hooks = model.scripts.hooks
    if not hooks:
        return None
    names = ", ".join(f"{event!r}: {cmd}" for event, cmd in hooks.items())
    return f"the build hook would create it ({names}); run with --build (or -c build=true)"


def check_artifacts(
    model: Service,
    functions: dict[str, EffectiveFunction],
    folder: Path,
    sources: SourceMap,
    config_file: str,
    root: Path | None = None,
    built: Built | None = None,
) -> list[SlsCdkError]:
    """Every missing, escaping or broken artifact and empty selection, located; a missing artifact
    names the build hook that would make it. ``root``: the project root (the compose folder for a
    compose service; else ``folder``), which no local artifact may leave. ``built``: what
    packaging plugins built (a built zip is theirs; a built folder is selected from instead)."""
    root = (root or folder).resolve()
    errors: list[SlsCdkError] = []
    seen: set[object] = set()
    for key, fn in functions.items():
        out = (built or {}).get(key, FunctionOutput())
        if fn.image is not None or out.zip is not None:
            continue
        spec = packaging_spec(model, fn, config_file)
        if spec is not None:
            source = out.folder or folder
            if (spec.name, source) not in seen:
                seen.add((spec.name, source))
                what = "the service folder" if out.folder is None else f"the built folder {out.folder}"
                errors.extend(_selection_problems(source, source, spec, sources, what, f" (for {key!r})"))
            continue
        assert fn.artifact is not None
        if fn.artifact in seen or parse_s3_uri(fn.artifact) is not None:
            continue  # s3:// is downloaded at load, as v3 downloads it at package time
        seen.add(fn.artifact)
        path = _artifact_key(model, key)
        errors.extend(_local_artifact(fn.artifact, folder, root, sources, path, _hooks_hint(model)))
    return [*errors, *_layer_problems(model, folder, root, sources, config_file)]


def _local_artifact(
    artifact: str,
    folder: Path,
    root: Path,
    sources: SourceMap,
    where: Path_,
    hint: str | None,
    kind: str = "artifact",
) -> list[SlsCdkError]:
    """A local zip: inside the project root (symlinks resolved), a file, and a sound zip."""
    full = (folder / artifact).resolve()

    def error(message: str, hint: str | None = None) -> list[SlsCdkError]:
        return [PackagingError(message, location=sources.locate(where), path=where, hint=hint)]

    if not full.is_relative_to(root):
        how = "is a symlink that points" if (folder / artifact).is_symlink() else "points"
        return error(
            f"{kind} {artifact!r} {how} outside the project ({full})",
            "keep artifacts inside the project folder",
        )
    if not full.is_file():
        return error(f"{kind} {artifact!r} not found at {full}", hint)
    return list(zip_problems(full, artifact, where, sources))


def _layer_problems(
    model: Service, folder: Path, root: Path, sources: SourceMap, config_file: str
) -> list[SlsCdkError]:
    errors: list[SlsCdkError] = []
    for key, layer in model.layers.items():
        if layer.artifact is not None:
            path: Path_ = ("layers", key, "package", "artifact")
            errors.extend(
                _local_artifact(layer.artifact, folder, root, sources, path, None, "layer artifact")
            )
            continue
        relative, spec = layer_spec(model, key, config_file)
        layer_root = folder / relative
        problem = None
        if not layer_root.resolve().is_relative_to(folder.resolve()):
            problem = f"layer path {layer.path!r} leaves the service folder"
        elif not layer_root.is_dir():
            problem = f"layer path {layer.path!r} is not a folder ({layer_root})"
        if problem:
            errors.append(PackagingError(problem, location=sources.locate(spec.where), path=spec.where))
        else:
            errors.extend(
                _selection_problems(layer_root, folder, spec, sources, f"layer path {layer.path!r}")
            )
    return errors


def _selection_problems(
    root: Path, boundary: Path, spec: _Spec, sources: SourceMap, what: str, for_key: str = ""
) -> list[SlsCdkError]:
    """An empty selection, or selected files that cannot be read (named, at most five)."""

    def error(message: str) -> PackagingError:
        return PackagingError(message, location=sources.locate(spec.where), path=spec.where)

    files = select_files(root, excludes=spec.excludes, includes=spec.includes, boundary=boundary)
    if not files:
        return [error(f"no file of {what} matches the package patterns{for_key}")]
    unreadable = [rel for rel in files if not os.access(root / rel, os.R_OK)]
    if unreadable:
        shown = ", ".join(unreadable[:5]) + (
            f" and {len(unreadable) - 5} more" if len(unreadable) > 5 else ""
        )
        return [error(f"cannot read {len(unreadable)} file(s) of {what} to package: {shown}")]
    return []


@dataclass(frozen=True)
class Packaged:
    artifacts: dict[str, Path]
    layers: dict[str, LayerArtifact]


def package_service(
    model: Service,
    functions: dict[str, EffectiveFunction],
    folder: Path,
    region: str,
    config_file: str,
    built: Built | None = None,
) -> Packaged:
    """Every function's and layer's zip (functions packaged as one share one zip: selecting and
    stat-ing a large folder again costs ~0.15 s per 5,000 files). ``built``: what packaging
    plugins built: a zip used as it is, a folder selected from, files added to the zip."""
    zips: dict[tuple[_Spec, Path], Path] = {}
    artifacts: dict[str, Path] = {}
    for key, fn in functions.items():
        out = (built or {}).get(key, FunctionOutput())
        if fn.image is not None:
            continue
        if out.zip is not None:
            artifacts[key] = out.zip
            continue
        spec = packaging_spec(model, fn, config_file)
        if spec is not None:
            source = out.folder or folder
            if (spec, source) not in zips:
                zips[spec, source] = package_folder(
                    source, name=spec.name, excludes=spec.excludes, includes=spec.includes, where=spec.where
                )
            artifacts[key] = with_files(zips[spec, source], out.added) if out.added else zips[spec, source]
            continue
        assert fn.artifact is not None
        s3 = parse_s3_uri(fn.artifact)
        artifacts[key] = download_artifact(*s3, region=region) if s3 else (folder / fn.artifact).resolve()
    layers: dict[str, LayerArtifact] = {}
    for key, layer in model.layers.items():
        if layer.artifact is not None:
            layers[key] = LayerArtifact((folder / layer.artifact).resolve(), layer.artifact)
            continue
        relative, spec = layer_spec(model, key, config_file)
        zipped = package_folder(
            folder / relative,
            name=key,
            excludes=spec.excludes,
            includes=spec.includes,
            where=spec.where,
            boundary=folder,
        )
        layers[key] = LayerArtifact(zipped, str(folder / ".serverless" / f"{key}.zip"))
    return Packaged(artifacts, layers)


def inspect_packaged(
    model: Service,
    functions: dict[str, EffectiveFunction],
    packaged: Packaged,
    folder: Path,
    sources: SourceMap,
    config_file: str,
) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
    """``(errors, warnings)`` of what packaging made: the zips zipped here or downloaded (local
    artifacts were inspected by :func:`check_artifacts`), symlinks left out of folders, missing
    handler files."""
    errors: list[SlsCdkError] = []
    warnings: list[SlsCdkError] = []
    done: set[Path] = set()
    for key, fn in functions.items():
        zip_path = packaged.artifacts.get(key)
        if zip_path is None or zip_path in done:
            continue
        done.add(zip_path)
        spec = packaging_spec(model, fn, config_file)
        if spec is None and (fn.artifact is None or parse_s3_uri(fn.artifact) is None):
            continue
        where = spec.where if spec else _artifact_key(model, key)
        errors.extend(
            zip_problems(zip_path, str(fn.artifact or f"{spec.name if spec else key}.zip"), where, sources)
        )
        if spec is not None:
            warnings.extend(_link_warnings(folder, folder, spec, sources))
    for key, layer in model.layers.items():
        if layer.artifact is None:
            relative, spec = layer_spec(model, key, config_file)
            art = packaged.layers[key]
            errors.extend(zip_problems(art.zip, f"{key}.zip", spec.where, sources))
            warnings.extend(_link_warnings(folder / relative, folder, spec, sources))
    warnings.extend(handler_warnings(functions, packaged.artifacts, sources))
    return errors, warnings


def _link_warnings(root: Path, boundary: Path, spec: _Spec, sources: SourceMap) -> list[SlsCdkError]:
    """Symlinks of a packaged folder that lead out of the service folder: left out, said once."""
    links = escaped_links(root, excludes=spec.excludes, includes=spec.includes, boundary=boundary)
    if not links:
        return []
    shown = ", ".join(links[:5]) + (f" and {len(links) - 5} more" if len(links) > 5 else "")
    return [
        SchemaError(
            f"left out of {spec.name}.zip: symlink(s) leading outside the service folder: {shown}",
            location=sources.locate(spec.where),
            path=spec.where,
            hint="copy what they point to into the service folder, or build a package.artifact",
        )
    ]
