"""Packaging a service folder into a zip when no ``package.artifact`` is given, as v3 does.

File selection follows v3's ``resolveFilePathsFromPatterns``: every file under the folder (dot
files included, symlinks followed), then the patterns in order, each flipping the files it
matches: excludes (v3's defaults, the config file, ``.env*`` with ``useDotenv``, ``exclude``) as
``!pattern``, then ``include`` / ``patterns`` (where ``!x`` excludes). Globs use micromatch's rules
(``**`` any depth, ``*`` within one segment, ``?``, ``{a,b}``, ``[..]``; dots are matched).

Unlike v3, a symlink leading outside the service folder is never followed: it is left out, and
the loader warns about each one the patterns would have selected (:func:`escaped_links`).

Zips are deterministic (sorted entries, fixed timestamps, normalised modes keeping the executable
bit), so an unchanged folder never changes its asset hash. Not reproduced: v3's
``excludeDevDependencies`` (Node.js ``devDependencies`` pruning); exclude ``node_modules/**``
yourself or ship a built artifact.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from constructs_lib.errors import PackagingError

__all__ = [
    "DEFAULT_EXCLUDES",
    "download_artifact",
    "escaped_links",
    "glob_to_regex",
    "package_folder",
    "parse_s3_uri",
    "select_files",
]

_S3_URIS = (
    re.compile(r"^s3://(?P<bucket>[^/]+)/(?P<key>.+)"),
    re.compile(r"(?P<bucket>[^/]+)\.s3([\.-][\w\d-]+)?\.amazonaws\.com/(?P<key>.+)"),
    re.compile(r"s3([\.-][\w\d-]+)?\.amazonaws\.com/(?P<bucket>[^/]+)/(?P<key>.+)"),
)

#: v3's ``defaultExcludes``.
DEFAULT_EXCLUDES = (
    ".git/**",
    ".gitignore",
    ".DS_Store",
    "npm-debug.log",
    "yarn-*.log",
    ".serverless/**",
    ".serverless_plugins/**",
)

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@lru_cache(maxsize=512)
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """A micromatch-style glob (with ``dot: true``) as a regular expression over ``/`` paths."""
    pattern = pattern.removeprefix("./")
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                at_start = i == 0 or pattern[i - 1] == "/"
                j = i + 2
                if at_start and (j == n or pattern[j] == "/"):
                    if j == n:
                        out.append(".*")  # 'a/**' also matches 'a' itself? micromatch: only below
                        i = j
                    else:
                        out.append("(?:.*/)?")
                        i = j + 1
                    continue
                out.append("[^/]*")
                i = j
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "{":
            close = pattern.find("}", i)
            if close == -1:
                out.append(re.escape(c))
            else:
                options = pattern[i + 1 : close].split(",")
                out.append("(?:" + "|".join(glob_to_regex(o).pattern[4:-2] for o in options) + ")")
                i = close + 1
                continue
        elif c == "[":
            close = pattern.find("]", i + 1)
            if close == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = close + 1
                continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("^(?:" + "".join(out) + ")$")


def _inside(path: str, boundary: str) -> bool:
    real = os.path.realpath(path)
    return real == boundary or real.startswith(boundary.rstrip(os.sep) + os.sep)


def _all_files(root: Path, boundary: Path | None = None) -> tuple[list[str], list[str]]:
    """``(files, escaped)``: every file below ``root`` as a ``/`` path, symlinks followed (loops
    skipped) unless they lead outside ``boundary`` (default ``root``): those are ``escaped``
    (folders with a trailing ``/``)."""
    found: list[str] = []
    escaped: list[str] = []
    seen: set[tuple[int, int]] = set()
    limit = os.path.realpath(boundary or root)

    def rel_of(rel: str, name: str) -> str:
        return name if rel == "." else f"{rel}/{name}".replace(os.sep, "/")

    for current, dirs, files in os.walk(root, followlinks=True):
        st = os.stat(current)
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        rel = os.path.relpath(current, root)
        for name in list(dirs):
            full = os.path.join(current, name)
            if os.path.islink(full) and not _inside(full, limit):
                dirs.remove(name)
                escaped.append(rel_of(rel, name) + "/")
        for name in files:
            full = os.path.join(current, name)
            if os.path.islink(full) and not _inside(full, limit):
                escaped.append(rel_of(rel, name))
            elif os.path.isfile(full):
                found.append(rel_of(rel, name))
    return found, escaped


def _selected(files: list[str], excludes: Sequence[str], includes: Sequence[str]) -> list[str]:
    patterns: list[str] = []
    for pattern in excludes:
        patterns.append(pattern[1:] if pattern.startswith("!") else f"!{pattern}")
    patterns.extend(includes)
    state = dict.fromkeys(files, True)
    for p in patterns:
        exclude = p.startswith("!")
        rx = glob_to_regex(p[1:] if exclude else p)
        for path in files:
            if rx.match(path):
                state[path] = not exclude
    return sorted(path for path, keep in state.items() if keep)


_ESCAPED: dict[tuple[Path, Path | None], list[str]] = {}


def select_files(
    root: Path, *, excludes: Sequence[str], includes: Sequence[str], boundary: Path | None = None
) -> list[str]:
    """The files v3 would zip, sorted (symlinks out of ``boundary``, default ``root``, left out)."""
    files, escaped = _all_files(root, boundary)
    _ESCAPED[(root, boundary)] = escaped
    return _selected(files, excludes, includes)


def escaped_links(
    root: Path, *, excludes: Sequence[str], includes: Sequence[str], boundary: Path | None = None
) -> list[str]:
    """Symlinks left out of ``root``'s selection because they lead outside ``boundary``, and that
    the patterns would select (as a file, or as a folder holding files); from the last walk."""
    escaped = _ESCAPED.get((root, boundary))
    if escaped is None:
        escaped = _all_files(root, boundary)[1]
    probes = {link: f"{link}x" if link.endswith("/") else link for link in escaped}
    kept = set(_selected(list(probes.values()), excludes, includes))
    return [link.rstrip("/") for link, probe in probes.items() if probe in kept]


_WORK_DIR: Path | None = None


def _work_dir() -> Path:
    global _WORK_DIR
    if _WORK_DIR is None:
        _WORK_DIR = Path(tempfile.mkdtemp(prefix="sls-cdk-package-"))
        atexit.register(_remove_work_dir, _WORK_DIR, os.getpid())
    return _WORK_DIR


def _remove_work_dir(path: Path, owner: int) -> None:
    """At exit, in the process that made it: a forked synth worker inherits the exit handlers and
    must not remove the folder its parent still reads."""
    if os.getpid() == owner:
        shutil.rmtree(path, ignore_errors=True)


def _zip(root: Path, files: Iterable[str], target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for rel in files:
            full = root / rel
            info = zipfile.ZipInfo(rel, date_time=_ZIP_TIME)
            mode = 0o755 if os.stat(full).st_mode & 0o100 else 0o644  # v3: owner-executable -> 755
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(full, "rb") as fh:
                zf.writestr(info, fh.read())


def package_folder(
    root: Path,
    *,
    name: str,
    excludes: Sequence[str],
    includes: Sequence[str],
    where: tuple[str | int, ...],
    boundary: Path | None = None,
) -> Path:
    """Zip the selected files of ``root`` into a private work folder; return the zip's path.

    The same selection of the same bytes always gives the same zip (and the same path)."""
    files = select_files(root, excludes=excludes, includes=includes, boundary=boundary)
    if not files:
        raise PackagingError(
            f"no file of {root} matches the package patterns", path=where, hint="check package.patterns"
        )
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.encode() + b"\0")
        st = os.stat(root / rel)
        digest.update(f"{st.st_size}:{st.st_mtime_ns}:{st.st_mode & 0o111}".encode())
    target = _work_dir() / f"{digest.hexdigest()[:16]}-{name}.zip"
    if not target.exists():
        partial = target.with_suffix(".partial")
        _zip(root, files, partial)
        partial.rename(target)
    return target


def parse_s3_uri(value: str) -> tuple[str, str] | None:
    """``(bucket, key)`` of an artifact on S3 (the URI and URL forms v3 accepts), else None."""
    for rx in _S3_URIS:
        match = rx.search(value)
        if match:
            return match.group("bucket"), match.group("key")
    return None


def download_artifact(bucket: str, key: str, *, region: str) -> Path:
    """Fetch ``s3://bucket/key`` once per run into the work folder (v3 downloads it the same way)."""
    from constructs_lib.config.aws_lookup import AwsLookup

    target = _work_dir() / "s3" / bucket / key
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        body = AwsLookup(default_region=region).s3_object_bytes(bucket, key)
        if body is None:
            raise PackagingError(f"artifact s3://{bucket}/{key} does not exist")
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(body)
        partial.rename(target)
    return target
