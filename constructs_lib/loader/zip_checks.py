"""Zips inspected before use: what Lambda would refuse, and what an attacker could hide in them.

Read from the central directory only (never extracted): the file must open as a zip; entries
with an absolute path, ``..`` or a symlink are refused (Lambda's unzip would write outside the
task folder or follow the link); the uncompressed total must fit Lambda's 250 MB, and an entry
claiming more than deflate can produce (a zip bomb or a lying header) is refused.

A function's zip and the zips of the service's own layers it uses must fit the 250 MB together
(:func:`combined_problems`); layers given by ARN are not counted (their size is not known here).

Warnings, not errors (v3 checks neither; Lambda fails at the first invoke): the handler's file
missing from the zip for interpreted runtimes, and no ``bootstrap`` at the root for ``provided.*``
runtimes (skipped when the function has layers, which may bring the runtime in ``/opt``).

The 50 MB zipped limit of Lambda applies to direct uploads (``ZipFile`` / the API); every zip
here reaches Lambda through S3 (``Code.S3Bucket``/``S3Key``), where only the 250 MB unzipped limit
applies, so it is not checked.
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from constructs_lib.config.model import EffectiveFunction, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import PackagingError, SchemaError, SlsCdkError

__all__ = [
    "DEFLATE_MAX_RATIO",
    "UNZIPPED_MAX_BYTES",
    "ZIPPED_DIRECT_UPLOAD_MAX_BYTES",
    "combined_problems",
    "handler_warnings",
    "zip_problems",
]

_MB = 1024 * 1024
#: "Deployment package (.zip file archive) size: 250 MB (unzipped)", function and layers together
#: (Lambda quotas, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
UNZIPPED_MAX_BYTES = 250 * _MB
#: "50 MB (zipped, when uploaded through the Lambda API or SDKs)", same page: not checked, see above.
ZIPPED_DIRECT_UPLOAD_MAX_BYTES = 50 * _MB
#: Deflate cannot compress better than about 1032:1; an entry claiming more lies (a zip bomb).
DEFLATE_MAX_RATIO = 1100
_RATIO_MIN_BYTES = _MB  # tiny entries may carry odd ratios harmlessly

Where = tuple[str | int, ...]

_HANDLER_SUFFIXES = {
    "nodejs": (".js", ".mjs", ".cjs"),
    "python": (".py",),
    "ruby": (".rb",),
}


def _mb(size: int) -> str:
    return f"{size / _MB:.1f} MB"


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return f"entry {name!r} has an absolute path"
    if ".." in parts:
        return f"entry {name!r} climbs out of the archive with '..'"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"entry {name!r} is a symlink"
    if info.file_size > _RATIO_MIN_BYTES and info.file_size > DEFLATE_MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return (
            f"entry {name!r} claims {_mb(info.file_size)} from {info.compress_size} bytes "
            f"(ratio {ratio}:1, more than deflate can produce): a zip bomb or a corrupt archive"
        )
    return None


def zip_problems(zip_path: Path, shown: str, where: Where, sources: SourceMap) -> list[SlsCdkError]:
    """What is wrong with the zip at ``zip_path`` (``shown`` names it), located at ``where``."""

    def error(message: str, hint: str | None = None) -> PackagingError:
        return PackagingError(message, location=sources.locate(where), path=where, hint=hint)

    try:
        size = zip_path.stat().st_size
        if size > UNZIPPED_MAX_BYTES:
            return [error(f"artifact {shown!r} is {_mb(size)}, more than Lambda's 250 MB (unzipped) allows")]
        with zipfile.ZipFile(zip_path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        return [error(f"artifact {shown!r} is not a zip file ({exc})", hint="package.artifact names a .zip")]
    except OSError as exc:
        return [error(f"artifact {shown!r} cannot be read: {exc.strerror or exc}")]
    errors: list[SlsCdkError] = []
    for info in infos:
        problem = _entry_problem(info)
        if problem:
            errors.append(error(f"artifact {shown!r}: {problem}"))
            if len(errors) >= 5:
                break
    total = sum(info.file_size for info in infos)
    if total > UNZIPPED_MAX_BYTES:
        errors.append(
            error(
                f"artifact {shown!r} unzips to {_mb(total)}; Lambda's limit is 250 MB (unzipped, "
                "function and layers together)",
                hint="ship a smaller artifact, move dependencies into layers, or use a container image",
            )
        )
    return errors


def _unzipped(zip_path: Path) -> int | None:
    try:
        with zipfile.ZipFile(zip_path) as zf:
            return sum(info.file_size for info in zf.infolist())
    except (OSError, zipfile.BadZipFile):
        return None


def combined_problems(
    model: Service,
    functions: Mapping[str, EffectiveFunction],
    artifacts: Mapping[str, Path],
    layers: Mapping[str, Path],
    sources: SourceMap,
) -> list[SlsCdkError]:
    """Functions whose zip and local layers (``layers``: logical ID -> zip, used by
    ``{Ref: <L>LambdaLayer}``) unzip to more than Lambda's 250 MB together, located at the
    ``layers`` that gives them (the function's, else the provider's). Each zip alone was checked
    before (:func:`zip_problems`)."""
    sizes: dict[Path, int | None] = {}

    def size(path: Path) -> int:
        if path not in sizes:
            sizes[path] = _unzipped(path)
        return sizes[path] or 0

    errors: list[SlsCdkError] = []
    for key, fn in functions.items():
        own = artifacts.get(key)
        used = [r["Ref"] for r in fn.layers or () if isinstance(r, dict) and r.get("Ref") in layers]
        if own is None or fn.image is not None or not used:
            continue
        parts = [(f"{key}'s code", size(own)), *((ref, size(layers[ref])) for ref in used)]
        total = sum(part for _, part in parts)
        if total > UNZIPPED_MAX_BYTES:
            own_layers = model.functions[key].layers is not None
            where: Where = ("functions", key, "layers") if own_layers else ("provider", "layers")
            shown = ", ".join(f"{name} {_mb(part)}" for name, part in parts)
            errors.append(
                PackagingError(
                    f"function {key!r} unzips to {_mb(total)} with its layers ({shown}); Lambda's "
                    "limit is 250 MB (unzipped, function and layers together)",
                    location=sources.locate(where),
                    path=where,
                    hint="move dependencies out, split the layers, or use a container image",
                )
            )
    return errors


def _names(zip_path: Path) -> set[str] | None:
    try:
        with zipfile.ZipFile(zip_path) as zf:
            return set(zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return None


def _handler_candidates(runtime: str, handler: str) -> tuple[str, ...] | None:
    family = next((f for f in _HANDLER_SUFFIXES if runtime.startswith(f)), None)
    if family is None or "." not in handler:
        return None
    module = handler.rpartition(".")[0]
    stems = {module, module.replace(".", "/")} if family == "python" else {module}
    return tuple(sorted(stem + suffix for stem in stems for suffix in _HANDLER_SUFFIXES[family]))


def handler_warnings(
    functions: Mapping[str, EffectiveFunction], artifacts: Mapping[str, Path], sources: SourceMap
) -> list[SlsCdkError]:
    """Functions whose zip lacks the handler's file (or ``bootstrap`` for custom runtimes)."""
    warnings: list[SlsCdkError] = []
    listings: dict[Path, set[str] | None] = {}
    for key, fn in functions.items():
        zip_path = artifacts.get(key)
        if zip_path is None or fn.image is not None:
            continue
        if zip_path not in listings:
            listings[zip_path] = _names(zip_path)
        names = listings[zip_path]
        if names is None:
            continue
        message = _missing(fn, names)
        if message:
            where: Where = ("functions", key, "handler")
            warnings.append(SchemaError(message, location=sources.locate(where), path=where))
    return warnings


def _missing(fn: EffectiveFunction, names: set[str]) -> str | None:
    if fn.runtime.startswith("provided"):
        if "bootstrap" in names or fn.layers:
            return None
        return (
            f"the zip of {fn.key!r} has no 'bootstrap' at its root; runtime {fn.runtime} starts "
            "that file (Lambda fails at the first invoke)"
        )
    candidates = _handler_candidates(fn.runtime, fn.handler)
    if candidates is None or names.intersection(candidates):
        return None
    return (
        f"handler {fn.handler!r}: none of {', '.join(candidates)} is in the zip of {fn.key!r} "
        "(Lambda fails at the first invoke)"
    )
