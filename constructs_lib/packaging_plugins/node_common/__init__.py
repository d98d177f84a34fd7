"""What the Node.js packaging plugins share: finding a tool, running it as a located build step,
globby's file selection, deterministic zips and a private work folder.

A tool the service must install (``node_modules/.bin/webpack``, ``tsc``) that is missing is a
located error naming it and the install command; a failing tool is a :class:`BuildError` naming
the function, the tool, the command and the last lines of its output (``loader/build.py``
``run_command``). Nothing is written into the service folder: every build goes to a work folder
of this process, removed at exit.
"""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib.errors import BuildError, Location
from constructs_lib.loader.packaging import glob_to_regex

__all__ = [
    "REPOSITORY",
    "Built",
    "NodeFunction",
    "NodeService",
    "esbuild_package",
    "globby",
    "local_tool",
    "run_tool",
    "work_dir",
    "write_zip",
]

#: the folder of sls-cdk's own ``package.json`` (its pinned esbuild is in ``node_modules`` there)
REPOSITORY = Path(__file__).resolve().parents[3]
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TOOL_TIMEOUT_S = 30 * 60
_work: Path | None = None

Locate = Callable[[Sequence[str | int]], Location]


@dataclass(frozen=True)
class NodeFunction:
    """One function as a Node.js packaging plugin sees it."""

    key: str
    handler: str
    runtime: str
    #: ``package.include``, ``!``-prefixed ``package.exclude``, then ``package.patterns``
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class NodeService:
    """What a Node.js packaging plugin builds from: the service folder and its packaging keys."""

    folder: Path
    name: str
    provider_runtime: str | None
    functions: tuple[NodeFunction, ...]
    #: the service's ``package.include``, ``!``-prefixed ``exclude`` and ``patterns``
    patterns: tuple[str, ...]
    individually: bool
    #: the plugin's own ``custom.<key>`` section
    custom: Mapping[str, Any]
    locate: Locate
    #: the configuration file's name (v3 leaves it out of packages)
    config_file: str = "serverless.yml"


@dataclass
class Built:
    """What a build made: the service zip (all functions not packaged apart), or one zip per
    function; handlers the plugin rewrote."""

    service_zip: Path | None = None
    function_zips: dict[str, Path] = field(default_factory=dict)
    handlers: dict[str, str] = field(default_factory=dict)
    #: a folder v3's file selection packages instead of the service folder, for these functions
    folder: Path | None = None
    folder_functions: tuple[str, ...] = ()


def work_dir(prefix: str) -> Path:
    """A new folder inside this process's work folder (removed at exit by the process that made it)."""
    global _work
    if _work is None:
        _work = Path(tempfile.mkdtemp(prefix="sls-cdk-node-"))
        atexit.register(_remove, _work, os.getpid())
    return Path(tempfile.mkdtemp(prefix=prefix, dir=_work))


def _remove(path: Path, owner: int) -> None:
    if os.getpid() == owner:  # a forked worker must not remove what its parent still reads
        shutil.rmtree(path, ignore_errors=True)


def esbuild_package(location: Location | None, path: Sequence[str | int], folder: Path | None = None) -> Path:
    """The esbuild package serverless-esbuild would load: the service's own (``node_modules/esbuild``
    in ``folder`` or a folder above it, as Node resolves its peer dependency), else the one sls-cdk
    pins in its own ``package.json`` (a checkout of sls-cdk); or a located error saying how to
    install it."""
    searched = [*(folder, *folder.parents)] if folder is not None else []
    for parent in [*searched, REPOSITORY]:
        package = parent / "node_modules" / "esbuild"
        if (package / "package.json").is_file():
            break
    else:
        raise BuildError(
            "esbuild is not installed: serverless-esbuild needs it beside the service "
            f"(no node_modules/esbuild in {folder or REPOSITORY} or above)",
            location=location,
            path=path,
            hint="install it in the service: `npm install --save-dev esbuild` (sls-cdk's checkout pins "
            "esbuild in its package.json: `npm ci` there)",
        )
    if not shutil.which("node"):
        raise BuildError("node is not on PATH: esbuild needs Node.js", location=location, path=path)
    return package


def local_tool(
    folder: Path, tool: str, package: str, plugin: str, location: Location | None, path: Sequence[str | int]
) -> Path:
    """``node_modules/.bin/<tool>`` of the service (or a folder above it, as npm resolves), else a
    located error naming the tool and how to install it."""
    for parent in (folder, *folder.parents):
        candidate = parent / "node_modules" / ".bin" / tool
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise BuildError(
        f"{plugin} builds with the service's own {tool}, which is not installed "
        f"(no node_modules/.bin/{tool} in {folder} or above)",
        location=location,
        path=path,
        hint=f"install it in the service: `npm install --save-dev {package}`",
    )


def run_tool(
    argv: Sequence[str],
    *,
    cwd: Path,
    function: str,
    tool: str,
    shown: str,
    location: Location | None,
    path: Sequence[str | int],
) -> None:
    """The seam's :func:`~constructs_lib.packaging_plugins.run_tool` inside one progress line
    (``build: <function>: <tool>``); ``shown`` is what the tool was asked, in the user's words."""
    from constructs_lib.packaging_plugins import progress
    from constructs_lib.packaging_plugins import run_tool as run

    with progress(f"{function}: {tool}"):
        run(
            argv,
            cwd=cwd,
            function=function,
            tool=tool,
            path=path,
            location=location,
            shown=shown,
            timeout=_TOOL_TIMEOUT_S,
        )


def _all_files(root: Path) -> list[str]:
    files: list[str] = []
    for base, dirs, names in os.walk(root, followlinks=True):
        dirs.sort()
        rel = Path(base).relative_to(root)
        files.extend(str(rel / name) if rel != Path(".") else name for name in sorted(names))
    return files


def _hidden_ok(rel: str, pattern: str) -> bool:
    """globby's ``dot: false``: a wildcard never matches a segment starting with a dot; a pattern
    spelling that segment out does."""
    hidden = [part for part in rel.split("/") if part.startswith(".")]
    return all(f"{part}" in pattern.split("/") for part in hidden)


def globby(root: Path, patterns: Iterable[str], *, dot: bool = False) -> list[str]:
    """The files of ``root`` globby 11 selects: matching a positive pattern and no ``!`` pattern
    (files only, symlinks followed, a folder's name meaning its files); no positive pattern
    selects nothing."""

    def expanded(pattern: str) -> str:  # globby's expandDirectories: a folder means its files
        pattern = pattern.removeprefix("./")
        return f"{pattern.rstrip('/')}/**" if pattern and (root / pattern).is_dir() else pattern

    positive = [expanded(p) for p in patterns if not p.startswith("!")]
    negative = [glob_to_regex(expanded(p[1:])) for p in patterns if p.startswith("!")]
    if not positive or not root.is_dir():
        return []
    chosen: list[str] = []
    for rel in _all_files(root):
        hits = [p for p in positive if glob_to_regex(p).match(rel) and (dot or _hidden_ok(rel, p))]
        if hits and not any(rx.match(rel) for rx in negative):
            chosen.append(rel)
    return chosen


def write_zip(target: Path, files: Mapping[str, Path]) -> Path:
    """``{name in the zip: file}`` as a zip with sorted entries, a fixed time and v3's modes
    (owner-executable -> 755, else 644): the same files always give the same bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in sorted(files):
            source = files[name]
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            mode = 0o755 if os.stat(source).st_mode & 0o100 else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, source.read_bytes())
    return target
