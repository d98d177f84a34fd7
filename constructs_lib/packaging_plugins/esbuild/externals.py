"""serverless-esbuild's externals (``pack-externals.js``, ``packagers/npm.js``): the modules in
``external`` but not ``exclude`` are installed with npm into the build folder, as the plugin
installs them, so they ship in ``node_modules`` beside the bundles.

As the plugin: the versions come from the service's ``package.json`` ``dependencies`` (a module
only in ``devDependencies`` is an error, but ``aws-sdk``; a module in neither is left out), each
module's non-optional ``peerDependencies`` are added the same way; the build folder gets a
``package.json`` (``<service>``, ``1.0.0``, ``Packaged externals for <service>``) and the service's
``package-lock.json``, then ``npm ci`` (``npm install`` without a lock, or with
``packagerOptions.ignoreLockfile``) with ``installExtraArgs``, then ``npm prune``. Only npm is
supported; externals with ``package.individually`` (the plugin's per-function dependency walk of
each bundle) are a located error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from constructs_lib.errors import BuildError
from constructs_lib.packaging_plugins.esbuild.options import externals
from constructs_lib.packaging_plugins.node_common import NodeService, run_tool

__all__ = ["pack_externals"]

_WHERE = ("custom", "esbuild", "external")


def _read(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text())
    return data if isinstance(data, dict) else {}


def _prod_modules(
    service: NodeService, names: Sequence[str], package: Mapping[str, Any], exclude: Sequence[str]
) -> list[str]:
    """``getProdModules``: ``name@version`` of each external (peers included, in the plugin's order)."""
    deps = package.get("dependencies") or {}
    dev = package.get("devDependencies") or {}
    if not package.get("dependencies"):
        return []
    out: list[str] = []
    for name in names:
        if name not in deps and name not in dev:
            continue  # "not found in dependencies or devDependencies. It has been excluded automatically"
        if name not in deps:
            if name == "aws-sdk":
                continue
            raise BuildError(
                f"serverless-esbuild: runtime dependency {name!r} found in devDependencies",
                location=service.locate(_WHERE),
                path=_WHERE,
                hint=f"move {name} to dependencies in package.json, or list it in custom.esbuild.exclude",
            )
        module_file = service.folder / "node_modules" / name / "package.json"
        module = _read(module_file) if module_file.is_file() else {}
        version = deps.get(name) or module.get("version")
        out.append(f"{name}@{version}" if version else name)
        peers = dict(module.get("peerDependencies") or {})
        optional = [k for k, v in (module.get("peerDependenciesMeta") or {}).items() if v.get("optional")]
        wanted = [p for p in peers if p not in optional and p not in exclude]
        if wanted:
            out.extend(_prod_modules(service, wanted, package, exclude))
    return out


def _composite(service: NodeService, modules: Sequence[str]) -> dict[str, Any]:
    composite: dict[str, Any] = {
        "name": service.name,
        "version": "1.0.0",
        "description": f"Packaged externals for {service.name}",
        "private": True,
        "scripts": {},
    }
    dependencies: dict[str, str] = {}
    for module in dict.fromkeys(modules):
        parts = module.split("@")
        if module.startswith("@"):
            parts = [f"@{parts[1]}", *parts[2:]]
        version = "@".join(parts[1:])
        if version.startswith(("file:", "./", "../")):
            raise BuildError(
                f"serverless-esbuild: external {parts[0]!r} is a local package ({version}), not translated",
                location=service.locate(_WHERE),
                path=_WHERE,
            )
        dependencies[parts[0]] = version
    composite["dependencies"] = dependencies
    return composite


def pack_externals(service: NodeService, options: Mapping[str, Any], build: Path) -> None:
    """Install the externals into ``build`` (nothing when there are none)."""
    names = externals(options)
    if not names:
        return
    if service.individually:
        raise BuildError(
            "serverless-esbuild: externals with package.individually (the plugin's per-function "
            "dependency walk of each bundle) are not translated yet",
            location=service.locate(_WHERE),
            path=_WHERE,
            hint="bundle them (remove them from external), or package the service as one zip",
        )
    manifest = service.folder / "package.json"
    if not manifest.is_file():
        raise BuildError(
            f"serverless-esbuild: externals {', '.join(names)} need the service's package.json",
            location=service.locate(_WHERE),
            path=_WHERE,
        )
    raw = options.get("exclude")
    exclude = [e for e in (raw if isinstance(raw, list) else [raw]) if isinstance(e, str)]
    modules = _prod_modules(service, names, _read(manifest), exclude)
    if not modules:
        return  # the plugin: "No external modules needed"
    (build / "package.json").write_text(
        json.dumps(_composite(service, modules), indent=2, ensure_ascii=False)
    )
    lock = service.folder / "package-lock.json"
    if lock.is_file():
        (build / "package-lock.json").write_text(json.dumps(_read(lock), indent=2, ensure_ascii=False))
    packager_options = options.get("packagerOptions") or {}
    use_ci = lock.is_file() and not packager_options.get("ignoreLockfile")
    extra = [str(a) for a in options.get("installExtraArgs") or []]
    function = ", ".join(fn.key for fn in service.functions)
    for argv in (["npm", "ci" if use_ci else "install", *extra], ["npm", "prune"]):
        run_tool(
            argv,
            cwd=build,
            function=function,
            tool="npm",
            shown=" ".join(argv)
            + f" (the externals {', '.join(names)}, as serverless-esbuild installs them)",
            location=service.locate(_WHERE),
            path=_WHERE,
        )
