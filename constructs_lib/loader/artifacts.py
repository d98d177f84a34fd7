"""Artifacts: which zip each function and layer gets, checked and packaged at load, as v3 does.

v3's rules: a function's ``package.artifact``, else the service's unless the function is
packaged individually; otherwise the service folder zipped with the default excludes and the
``package`` patterns (one ``<service>.zip`` for all, or ``<key>.zip`` per individual function).
Layer folders stay out of the service's zips. ``s3://`` artifacts are downloaded, as v3 does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from constructs_lib.config.model import EffectiveFunction, FunctionPackage, Package, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import PackagingError, SlsCdkError
from constructs_lib.loader.packaging import (
    DEFAULT_EXCLUDES,
    download_artifact,
    package_folder,
    parse_s3_uri,
    select_files,
)
from constructs_lib.loader.service import LayerArtifact

__all__ = ["Packaged", "check_artifacts", "package_service"]

Path_ = tuple[str | int, ...]


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
) -> list[SlsCdkError]:
    """Every missing artifact and empty selection, located; a missing artifact names the build
    hook that would make it."""
    errors: list[SlsCdkError] = []
    seen: set[str] = set()
    for key, fn in functions.items():
        if fn.image is not None:
            continue
        spec = packaging_spec(model, fn, config_file)
        if spec is not None:
            if spec.name not in seen:
                seen.add(spec.name)
                if not select_files(folder, excludes=spec.excludes, includes=spec.includes):
                    errors.append(
                        PackagingError(
                            f"no file of the service folder matches the package patterns (for {key!r})",
                            location=sources.locate(spec.where),
                            path=spec.where,
                        )
                    )
            continue
        assert fn.artifact is not None
        if fn.artifact in seen or parse_s3_uri(fn.artifact) is not None:
            continue  # s3:// is downloaded at load, as v3 downloads it at package time
        seen.add(fn.artifact)
        full = (folder / fn.artifact).resolve()
        if not full.is_file():
            path = _artifact_key(model, key)
            errors.append(
                PackagingError(
                    f"artifact {fn.artifact!r} not found at {full}",
                    location=sources.locate(path),
                    path=path,
                    hint=_hooks_hint(model),
                )
            )
    return [*errors, *_layer_problems(model, folder, sources, config_file)]


def _layer_problems(model: Service, folder: Path, sources: SourceMap, config_file: str) -> list[SlsCdkError]:
    errors: list[SlsCdkError] = []
    for key, layer in model.layers.items():
        if layer.artifact is not None:
            if not (folder / layer.artifact).resolve().is_file():
                path: Path_ = ("layers", key, "package", "artifact")
                errors.append(
                    PackagingError(
                        f"layer artifact {layer.artifact!r} not found at "
                        f"{(folder / layer.artifact).resolve()}",
                        location=sources.locate(path),
                        path=path,
                    )
                )
            continue
        relative, spec = layer_spec(model, key, config_file)
        root = folder / relative
        problem = None
        if not root.resolve().is_relative_to(folder.resolve()):
            problem = f"layer path {layer.path!r} leaves the service folder"
        elif not root.is_dir():
            problem = f"layer path {layer.path!r} is not a folder ({root})"
        elif not select_files(root, excludes=spec.excludes, includes=spec.includes):
            problem = f"no file of layer path {layer.path!r} matches the package patterns"
        if problem:
            errors.append(PackagingError(problem, location=sources.locate(spec.where), path=spec.where))
    return errors


@dataclass(frozen=True)
class Packaged:
    artifacts: dict[str, Path]
    layers: dict[str, LayerArtifact]


def package_service(
    model: Service, functions: dict[str, EffectiveFunction], folder: Path, region: str, config_file: str
) -> Packaged:
    """Every function's and layer's zip (functions packaged as one share one zip: selecting and
    stat-ing a large folder again costs ~0.15 s per 5,000 files)."""
    zips: dict[_Spec, Path] = {}
    artifacts: dict[str, Path] = {}
    for key, fn in functions.items():
        if fn.image is not None:
            continue
        spec = packaging_spec(model, fn, config_file)
        if spec is not None:
            if spec not in zips:
                zips[spec] = package_folder(
                    folder, name=spec.name, excludes=spec.excludes, includes=spec.includes, where=spec.where
                )
            artifacts[key] = zips[spec]
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
            folder / relative, name=key, excludes=spec.excludes, includes=spec.includes, where=spec.where
        )
        layers[key] = LayerArtifact(zipped, str(folder / ".serverless" / f"{key}.zip"))
    return Packaged(artifacts, layers)
