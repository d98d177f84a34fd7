"""Installing one module's requirements as serverless-python-requirements 6.1.2 does, for Lambda.

The requirements file is the plugin's: ``pyproject.toml`` of a poetry project (``poetry export``),
else a ``Pipfile`` (``pipenv requirements``), else ``fileName``; it is filtered as the plugin's
``filterRequirementsFile`` does (``-r`` files inlined, comments, blanks and ``noDeploy`` names
dropped, ``-e`` stripped, option lines first, the rest sorted). Beyond the plugin (which installs
for the machine it runs on unless dockerized), pip installs Linux wheels for the function's
runtime and architecture::

    pip install --target DIR -r requirements.txt --platform manylinux2014_<arch>
        --only-binary=:all: --python-version X.Y --implementation cp --no-compile

``slim`` removes the plugin's patterns (``**/*.py[c|o]``, ``**/__pycache__*``, ``**/*.dist-info*``,
with ``slimPatterns``) and strips ``*.so`` (unless ``strip: false``). The installed folder is the
built output, kept by a digest of everything that went into it: in our static cache
(``~/.cache/sls-cdk/pip/static``; ``useStaticCache: false``: the plugin's work folder); pip's
downloads in ``~/.cache/sls-cdk/pip/downloads`` (``useDownloadCache``). ``$SLS_CDK_CACHE``
overrides ``~/.cache/sls-cdk``. An install goes to a temporary folder renamed when complete.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from constructs_lib.loader.packaging import glob_to_regex
from constructs_lib.packaging_plugins import BuildContext, progress, run_tool
from constructs_lib.packaging_plugins.python_requirements.options import Options

__all__ = ["Target", "install", "requirements_text"]

_SLIM_DEFAULTS = ("**/*.py[c|o]", "**/__pycache__*", "**/*.dist-info*")
_OPTION_LINE = ("--", "-c", "-e", "-f", "-i", "-r")


@dataclass(frozen=True)
class Target:
    """What to install for: the runtime's Python version and the Lambda architecture."""

    python: str  # "3.12"
    arch: str  # "x86_64" | "arm64"

    @property
    def platforms(self) -> tuple[str, ...]:
        machine = "aarch64" if self.arch == "arm64" else "x86_64"
        major, minor = (int(p) for p in self.python.split(".")[:2])
        # python3.12+ run on Amazon Linux 2023 (glibc 2.34), older ones on Amazon Linux 2
        newer = ("manylinux_2_28", "manylinux_2_34") if (major, minor) >= (3, 12) else ()
        return tuple(f"{tag}_{machine}" for tag in ("manylinux2014", *newer))


def target_of(runtime: str, arch: str | None) -> Target:
    match = re.match(r"python(\d)\.(\d+)", runtime)
    version = (
        f"{match.group(1)}.{match.group(2)}" if match else f"{sys.version_info[0]}.{sys.version_info[1]}"
    )
    return Target(version, arch or "x86_64")


def _lines(file: Path) -> list[str]:
    """The plugin's ``getRequirements``: continuation lines joined, ``-r`` files inlined."""
    text = file.read_text(encoding="utf-8").replace("\\\n", " ")
    out: list[str] = []
    for line in re.split(r"\r?\n", text):
        line = line.strip()
        if line.startswith("-r"):
            out.extend(_lines(file.parent / re.sub(r"^-r\s+", "", line)))
        else:
            out.append(line)
    return out


def requirements_text(source: Path, no_deploy: tuple[str, ...]) -> str:
    """The plugin's ``filterRequirementsFile`` of ``source``."""
    kept: list[str] = []
    first: list[str] = []
    for req in _lines(source):
        if req.startswith("#") or req == "":
            continue
        if req.startswith(_OPTION_LINE):
            first.append(req.split("-e", 1)[1].strip() if req.startswith("-e") else req)
            continue
        if re.split(r"[=<> \t]", req)[0].strip() not in no_deploy:
            kept.append(req)
    kept.sort()
    return "\n".join([*(f for f in first if f), *kept]) + "\n"


def cache_root(env: Mapping[str, str]) -> Path:
    base = env.get("SLS_CDK_CACHE") or str(
        Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sls-cdk"
    )
    return Path(base) / "pip"


def _pip_command(
    options: Options, target: Target, reqs: Path, dest: Path, env: Mapping[str, str]
) -> list[str]:
    argv = [sys.executable, "-m", "pip", "install", "--target", str(dest), "-r", str(reqs)]
    for platform in target.platforms:
        argv += ["--platform", platform]
    argv += [
        "--only-binary=:all:",
        "--python-version",
        target.python,
        "--implementation",
        "cp",
        "--no-compile",
        "--disable-pip-version-check",
        "--no-input",
    ]
    if options.use_download_cache:
        argv += ["--cache-dir", str(cache_root(env) / "downloads")]
    else:
        argv.append("--no-cache-dir")
    return [*argv, *options.pip_extra_args]


def _slim(options: Options, folder: Path) -> None:
    """The plugin's ``deleteFiles``: every path (file or folder) a slim pattern matches."""
    patterns = list(options.slim_patterns)
    if options.slim_patterns_append_defaults or not patterns:
        patterns = [*_SLIM_DEFAULTS, *patterns]
    regexes = [glob_to_regex(p) for p in patterns]
    for current, dirs, files in os.walk(folder):
        rel_dir = os.path.relpath(current, folder)
        for name in [*dirs, *files]:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if any(rx.match(rel) for rx in regexes):
                path = Path(current) / name
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                    dirs.remove(name)
                else:
                    path.unlink()


def _digest(text: str, options: Options, target: Target, argv_tail: list[str]) -> str:
    parts = [
        text,
        target.python,
        target.arch,
        ",".join(target.platforms),
        repr((options.slim, options.slim_patterns, options.slim_patterns_append_defaults, options.strip_so)),
        repr(argv_tail),
        options.vendor,
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def install(
    ctx: BuildContext,
    options: Options,
    source: Path,
    target: Target,
    label: str,
    where: tuple[str | int, ...],
) -> Path | None:
    """The folder holding ``source``'s requirements installed for ``target`` (None: nothing to
    install), with the filtered ``requirements.txt`` in it as the plugin leaves it (and its
    ``.completed_requirements`` marker with ``useStaticCache``); built when ``ctx.build`` or
    missing, else reused. A failure leaves nothing behind."""
    text = requirements_text(source, options.no_deploy)
    if not text.strip():
        return None
    name = _digest(text, options, target, list(options.pip_extra_args))
    base = cache_root(ctx.env) / "static" if options.use_static_cache else ctx.work_dir / "requirements"
    dest = base / name
    if dest.is_dir() and not ctx.build:
        return dest
    partial = base / f".{name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        (partial / "requirements.txt").write_text(text)
        _run_install(ctx, options, target, partial, (label, where))
        if options.use_static_cache:
            (partial / ".completed_requirements").touch()
        if ctx.build:
            shutil.rmtree(dest, ignore_errors=True)
        try:
            partial.rename(dest)
        except OSError:
            if not dest.is_dir():  # else another build of the same inputs finished first
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return dest


def _run_install(
    ctx: BuildContext, options: Options, target: Target, dest: Path, at: tuple[str, tuple[str | int, ...]]
) -> None:
    label, where = at
    what = None if label in ctx.functions else f"the zip of {label}"
    with progress(f"{label}: pip install ({target.python}, {target.arch})"):
        argv = _pip_command(options, target, dest / "requirements.txt", dest, ctx.env)
        run_tool(
            argv, cwd=ctx.folder, function=label, tool="pip", env=ctx.env, ctx=ctx, path=where, what=what
        )
        if options.slim:
            _slim(options, dest)
        if options.strip_so:
            _strip(ctx, target, dest, (label, where, what))
        if options.vendor:
            _copy_vendor(ctx.folder / options.vendor, dest)


def strip_tool(target: Target) -> str | None:
    """A ``strip`` that reads the target's libraries: the host's for x86_64 (as the plugin runs it),
    a cross or LLVM strip for arm64; None when this machine has none."""
    names = ("strip",) if target.arch != "arm64" else ("aarch64-linux-gnu-strip", "llvm-strip")
    return next((name for name in names if shutil.which(name)), None)


def _strip(
    ctx: BuildContext, target: Target, dest: Path, at: tuple[str, tuple[str | int, ...], str | None]
) -> None:
    """The plugin's ``find <dir> -name *.so -exec strip {} ;`` (with ``slim``, unless ``strip: false``)."""
    label, where, what = at
    libraries = sorted(str(p) for p in dest.rglob("*.so") if p.is_file())
    tool = strip_tool(target)
    if libraries and tool is not None:
        run_tool(
            [tool, *libraries],
            cwd=dest,
            function=label,
            tool=tool,
            env=ctx.env,
            ctx=ctx,
            path=where,
            what=what,
        )


def _copy_vendor(vendor: Path, dest: Path) -> None:
    """The plugin's ``copyVendors``: each entry of the vendor folder replaces the installed one."""
    for entry in sorted(vendor.iterdir()):
        target = dest / entry.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if entry.is_dir():
            shutil.copytree(entry, target)
        else:
            shutil.copy2(entry, target)
