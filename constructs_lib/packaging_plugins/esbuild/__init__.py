"""serverless-esbuild 1.57.2, translated: bundle each Node.js function's handler with the esbuild
sls-cdk pins (``package.json``), then zip the build folder as the plugin's ``pack()`` does.

As the plugin (``dist/{index,bundle,pack,helper}.js``):

* functions: those with a handler whose runtime (own, else the provider's) is a Node.js runtime
  of its ``awsNodeMatcher``; ``provider.runtime`` itself must be one (the plugin asserts it);
* entry: the handler without its last extension (``src/a.handler`` -> ``src/a``), then the first
  of ``<file><ext>`` or ``<file>/index<ext>`` that exists, ``ext`` in ``resolveExtensions`` or
  ``.ts .js .jsx .tsx``; handlers are not rewritten (the bundle sits where the source was);
* one esbuild run per unique entry, ``outdir`` ``<service>/.esbuild/.build/<entry's folder>``
  (``outputWorkFolder`` / ``outputBuildFolder``), so source maps name the sources as the plugin's
  do; esbuild runs with ``write: false`` and we write its files into our own work folder;
* extras: files of the service's patterns (``include``, ``!exclude``, ``patterns``) copied into
  the build, a function's own into ``__only_<function>/``;
* externals (``external`` minus ``exclude``) installed with npm into the build (:mod:`.externals`);
* zip: without ``package.individually`` one ``<service>.zip`` of the whole build (``package.json``
  and lock files at its top left out, ``__only_<fn>/`` prefixes dropped); with it one
  ``<function>.zip`` each, other functions' bundles (and their ``.map`` and such) left out.

Zips are ours (deterministic, see :func:`~..node_common.write_zip`); the files are esbuild's.
Not translated: ``skipEsbuild`` (a function's own ``package.artifact`` is kept instead), the
plugin's ``nativeZip`` (the system ``zip``: other zip bytes, the same files).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from constructs_lib.errors import BuildError
from constructs_lib.packaging_plugins.esbuild.externals import pack_externals
from constructs_lib.packaging_plugins.esbuild.options import NODE_TARGETS, esbuild_options, resolved_options
from constructs_lib.packaging_plugins.node_common import (
    Built,
    NodeFunction,
    NodeService,
    esbuild_package,
    globby,
    run_tool,
    work_dir,
    write_zip,
)

__all__ = ["PLUGIN", "build", "entry_of"]

PLUGIN = "serverless-esbuild"
_RUNNER = Path(__file__).resolve().parent.parent / "node_common" / "esbuild_runner.js"
_DEFAULT_EXTENSIONS = (".ts", ".js", ".jsx", ".tsx")
#: left out of the zips (the plugin's ``excludedFilesDefault``, matched at the build's top)
_NOT_ZIPPED = ("package-lock.json", "pnpm-lock.yaml", "yarn.lock", "package.json")
_ONLY = "__only_"


def _extname(path: str) -> str:
    """Node's ``path.extname``."""
    base = path.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return "" if dot <= 0 else base[dot:]


def entry_of(service: NodeService, fn: NodeFunction, extensions: Sequence[str] | None) -> str:
    """The file the plugin bundles for ``fn`` (relative to the service folder)."""
    ext = _extname(fn.handler)
    file = fn.handler[: fn.handler.rfind(ext)] if ext else fn.handler
    for extension in extensions or _DEFAULT_EXTENSIONS:
        for candidate in (f"{file}{extension}", f"{file}/index{extension}"):
            if (service.folder / candidate).is_file():
                return str(Path(candidate))  # path.relative normalises "./a" to "a"
    where = ("functions", fn.key, "handler")
    raise BuildError(
        f"{PLUGIN}: no file to bundle for function {fn.key!r}: none of "
        f"{', '.join(f'{file}{e}' for e in extensions or _DEFAULT_EXTENSIONS)} (or {file}/index.*) exists",
        location=service.locate(where),
        path=where,
        hint="the handler names the file without its extension: src/app.handler -> src/app.ts or src/app.js",
    )


def _node_functions(service: NodeService) -> list[NodeFunction]:
    return [fn for fn in service.functions if fn.handler and fn.runtime in NODE_TARGETS]


def _bundle(
    service: NodeService, options: Mapping[str, Any], entries: dict[str, list[str]], out: Path
) -> None:
    """One esbuild run per entry (``entries``: entry -> the functions it serves), into ``out``."""
    package = esbuild_package(service.locate(("custom", "esbuild")), ("custom", "esbuild"), service.folder)
    build_root = (
        service.folder.resolve()
        / options.get("outputWorkFolder", ".esbuild")
        / options.get("outputBuildFolder", ".build")
    )
    config = esbuild_options(options)
    for entry, keys in entries.items():
        job = out.parent / f"job-{len(list(out.parent.glob('job-*')))}.json"
        parent = str(Path(entry).parent)
        build = {
            **config,
            "entryPoints": [entry],
            "outdir": str(build_root / parent if parent != "." else build_root),
        }
        job.write_text(
            json.dumps({"esbuild": str(package), "builds": [build], "out": str(out), "root": str(build_root)})
        )
        where = ("functions", keys[0], "handler")
        run_tool(
            ["node", str(_RUNNER), str(job)],
            cwd=service.folder,
            function=", ".join(keys),
            tool="esbuild",
            shown=f"esbuild {entry} (custom.esbuild options, bundled as serverless-esbuild does)",
            location=service.locate(where),
            path=where,
        )


def _copy_extras(service: NodeService, functions: Sequence[NodeFunction], out: Path) -> None:
    """``copyExtras()``: the patterns' files copied into the build (a function's under ``__only_``)."""
    targets = [(service.patterns, out)]
    targets += [(fn.patterns, out / f"{_ONLY}{fn.key}") for fn in functions if fn.patterns]
    for patterns, into in targets:
        for rel in globby(service.folder, patterns):
            dest = into / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(service.folder / rel, dest)


def _build_files(out: Path) -> list[str]:
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    return [f for f in files if f not in _NOT_ZIPPED]


def _trim(path: str) -> str:
    ext = _extname(path)
    return path[: -len(ext)] if ext else path


def _function_files(
    service: NodeService,
    fn: NodeFunction,
    bundle: str,
    bundles: Sequence[str],
    out: Path,
    files: Sequence[str],
) -> dict[str, Path]:
    """``zipMapper``'s selection for one function packaged individually."""
    included = {*globby(service.folder, service.patterns), *globby(out, fn.patterns)}
    negatives = [p[1:] for p in fn.patterns if p.startswith("!")]
    excluded = [_trim(b) for b in bundles if not bundle.startswith(b)]
    excluded += [_trim(f) for f in globby(out, negatives)]
    chosen: dict[str, Path] = {}
    for rel in files:
        if rel not in included:
            if any(rel.startswith(f"{x}.") for x in excluded):
                continue
            if rel.startswith(_ONLY) and not rel.startswith(f"{_ONLY}{fn.key}/"):
                continue
            if rel.startswith("node_modules"):  # no externals: nothing of node_modules
                continue
        chosen[rel.replace(f"{_ONLY}{fn.key}/", "", 1)] = out / rel
    return chosen


def build(service: NodeService) -> Built:
    """Bundle and zip ``service``'s Node.js functions as serverless-esbuild does."""
    options = resolved_options(service.provider_runtime, service.custom, service.locate)
    functions = _node_functions(service)
    if not functions:
        return Built()
    extensions = options.get("resolveExtensions")
    entry_by_fn = {fn.key: entry_of(service, fn, extensions) for fn in functions}
    entries: dict[str, list[str]] = {}
    for key, entry in entry_by_fn.items():
        entries.setdefault(entry, []).append(key)
    work = work_dir("esbuild-")
    out = work / "build"
    out.mkdir()
    _bundle(service, options, entries, out)
    pack_externals(service, options, out)
    _copy_extras(service, functions, out)
    files = _build_files(out)
    ext = options["outputFileExtension"]
    if not service.individually:
        chosen = {}
        for rel in files:
            if rel.startswith(_ONLY) and "/" not in rel:
                continue
            name = rel.split("/", 1)[1] if rel.startswith(_ONLY) else rel
            chosen[name] = out / rel
        return Built(service_zip=write_zip(work / f"{service.name}.zip", chosen))
    bundles = [_trim(e) + ext for e in entry_by_fn.values()]
    built = Built()
    for fn in functions:
        bundle = _trim(entry_by_fn[fn.key]) + ext
        chosen = _function_files(service, fn, bundle, bundles, out, files)
        built.function_zips[fn.key] = write_zip(work / f"{fn.key}.zip", chosen)
    return built
