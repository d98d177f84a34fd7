"""serverless-plugin-typescript 2.1.5, translated: compile the Node.js handlers with the service's
own TypeScript (``node_modules/.bin/tsc``'s package) into a ``.build`` folder, which v3 then
packages instead of the service folder (the plugin moves ``servicePath`` there).

As the plugin (``dist/src/{index,typescript}.js``):

* functions: those whose runtime (own, else the provider's) contains ``nodejs``;
* root files: each handler's file (``src/a.handler`` -> ``src/a.ts``, else ``src/a.js``) and the
  files ``tsconfig.json`` names; compiler options from ``custom.serverlessPluginTypescript
  .tsConfigFileLocation`` (``tsconfig.json``), ``rootDir`` the service folder, ``outDir`` ``.build``
  (the plugin's defaults without one); type errors are printed, not fatal (only a skipped emit is);
* extras: the service's ``package.include`` and ``package.patterns`` files copied into ``.build``;
* ``node_modules`` and ``package.json`` copied in: v3 leaves ``devDependencies`` out when it
  zips (``excludeDevDependencies``), so we copy only what npm's lock marks as not dev;
* handlers are not rewritten; with ``package.individually`` each function is selected from the
  folder with its patterns, ``node_modules/serverless-plugin-typescript`` excluded.

The compiler runs with its ``writeFile`` redirected into our work folder: nothing is written into
the service folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from constructs_lib.errors import BuildError
from constructs_lib.packaging_plugins.node_common import (
    Built,
    NodeService,
    globby,
    local_tool,
    run_tool,
    work_dir,
)

__all__ = ["PLUGIN", "build"]

PLUGIN = "serverless-plugin-typescript"
_RUNNER = Path(__file__).resolve().parent.parent / "node_common" / "tsc_runner.js"


def _production_packages(folder: Path) -> list[str] | None:
    """``node_modules/<...>`` folders npm's hidden lock does not mark ``dev`` (None: no lock)."""
    lock = folder / "node_modules" / ".package-lock.json"
    if not lock.is_file():
        return None
    packages = json.loads(lock.read_text()).get("packages") or {}
    return sorted(p for p, meta in packages.items() if p.startswith("node_modules/") and not meta.get("dev"))


def _copy_dependencies(folder: Path, out: Path) -> None:
    """``copyDependencies(true)``: node_modules (its production packages) and package.json."""
    modules = folder / "node_modules"
    production = _production_packages(folder)
    if modules.is_dir():
        if production is None:
            shutil.copytree(modules, out / "node_modules", symlinks=False, dirs_exist_ok=True)
        if production is not None:
            (out / "node_modules").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(modules / ".package-lock.json", out / "node_modules" / ".package-lock.json")
        for package in production or []:
            source = folder / package
            if source.is_dir():
                shutil.copytree(source, out / package, symlinks=False, dirs_exist_ok=True)
    if (folder / "package.json").is_file() and not (out / "package.json").exists():
        shutil.copyfile(folder / "package.json", out / "package.json")


def build(service: NodeService) -> Built:
    """Compile ``service``'s Node.js handlers as serverless-plugin-typescript does; the folder v3
    packages instead of the service folder."""
    functions = [fn for fn in service.functions if "nodejs" in fn.runtime]
    if not functions:
        return Built()
    where: tuple[str | int, ...] = ("functions", functions[0].key, "handler")
    tsc = local_tool(service.folder, "tsc", "typescript", PLUGIN, service.locate(where), where)
    package = tsc.resolve().parent.parent  # node_modules/.bin/tsc -> typescript/bin/tsc
    if not (package / "package.json").is_file():
        raise BuildError(
            f"{PLUGIN}: {tsc} does not lead to the typescript package",
            location=service.locate(where),
            path=where,
        )
    work = work_dir("typescript-")
    out = work / "build"
    out.mkdir()
    location = service.custom.get("tsConfigFileLocation")
    job = work / "job.json"
    job.write_text(
        json.dumps(
            {
                "typescript": str(package),
                "cwd": str(service.folder.resolve()),
                "tsconfig": location if isinstance(location, str) else None,
                "handlers": [fn.handler for fn in functions],
                "out": str(out),
            }
        )
    )
    run_tool(
        ["node", str(_RUNNER), str(job)],
        cwd=service.folder,
        function=", ".join(fn.key for fn in functions),
        tool="tsc",
        shown=f"TypeScript {package.name} of {tsc} on the handlers (serverless-plugin-typescript's compile)",
        location=service.locate(where),
        path=where,
    )
    for rel in globby(service.folder, service.patterns):
        dest = out / rel
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(service.folder / rel, dest)
    _copy_dependencies(service.folder, out)
    return Built(folder=out, folder_functions=tuple(fn.key for fn in service.functions))
