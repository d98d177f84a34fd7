"""serverless-webpack 5.16.2, translated: compile with the service's own webpack (the package its
``node_modules/.bin/webpack`` belongs to) and its own ``webpack.config.js``, then zip each
compile's output folder as the plugin's ``packageModules`` does.

As the plugin (``lib/{validate,compile,packageModules}.js``):

* functions: those whose runtime (own, else the provider's, else ``nodejs``) names node;
* ``slsw.lib.entries``: per function ``<handler without its last .part>`` -> ``./<that>.<ext>``,
  ``ext`` of the first file ``<that>.*`` (``.js .ts .jsx .tsx`` first, shortest name first);
  a config that ``require('serverless-webpack')`` gets these entries and ``isLocal: false``;
* the config's defaults (``context``, ``target: node``, ``output`` ``.webpack/[name].js``
  commonjs, ``node: false``); output into ``<output>/service``, or with ``package.individually``
  one compile per function into ``<output>/<function>``;
* zip: every file of a compile's folder, ``<service>.zip`` or ``<function>.zip``; handlers are
  not rewritten.

``custom.webpack.includeModules`` (the plugin's npm install of externals) is a located error, not
translated yet. webpack's output file system is redirected into our work folder: nothing is
written into the service folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from constructs_lib.errors import BuildError
from constructs_lib.packaging_plugins.node_common import (
    Built,
    NodeFunction,
    NodeService,
    globby,
    local_tool,
    run_tool,
    work_dir,
    write_zip,
)

__all__ = ["PLUGIN", "build", "entries"]

PLUGIN = "serverless-webpack"
_RUNNER = Path(__file__).resolve().parent.parent / "node_common" / "webpack_runner.js"
_PREFERRED = (".js", ".ts", ".jsx", ".tsx")
_HANDLER_FILE = re.compile(r"(.*)\..*?$")


def _extension(service: NodeService, fn: NodeFunction, file: str) -> str:
    found = globby(service.folder, [f"{file}.*"])
    if not found:
        where = ("functions", fn.key, "handler")
        raise BuildError(
            f"{PLUGIN}: no matching handler found for {file!r} in {service.folder} (function {fn.key!r})",
            location=service.locate(where),
            path=where,
        )
    preferred = sorted((f for f in found if Path(f).suffix in _PREFERRED), key=len)
    return Path(next(iter(dict.fromkeys([*preferred, *found])))).suffix


def entries(service: NodeService, functions: list[NodeFunction]) -> tuple[dict[str, str], dict[str, str]]:
    """``(slsw.lib.entries, {function: its entry key})``."""
    found: dict[str, str] = {}
    by_function: dict[str, str] = {}
    for fn in functions:
        match = _HANDLER_FILE.match(fn.handler)
        if not match:
            continue  # the plugin warns and gives no entry
        file = match.group(1)
        found[file] = f"./{file}{_extension(service, fn, file)}"
        by_function[fn.key] = str(Path(file))
    return found, by_function


def build(service: NodeService) -> Built:
    """Compile and zip ``service``'s Node.js functions as serverless-webpack does."""
    functions = [fn for fn in service.functions if "node" in (fn.runtime or "nodejs")]
    if not functions:
        return Built()
    where: tuple[str | int, ...] = ("functions", functions[0].key, "handler")
    tool = local_tool(service.folder, "webpack", "webpack", PLUGIN, service.locate(where), where)
    package = tool.resolve().parent.parent  # node_modules/.bin/webpack -> webpack/bin/webpack.js
    found, by_function = entries(service, functions)
    work = work_dir("webpack-")
    out = work / "build"
    config = service.custom.get("webpackConfig", "webpack.config.js")
    job = work / "job.json"
    job.write_text(
        json.dumps(
            {
                "webpack": str(package),
                "cwd": str(service.folder.resolve()),
                "config": config if isinstance(config, str) else "webpack.config.js",
                "entries": found,
                "functions": by_function,
                "service": service.name,
                "individually": service.individually,
                "out": str(out),
            }
        )
    )
    run_tool(
        ["node", str(_RUNNER), str(job)],
        cwd=service.folder,
        function=", ".join(fn.key for fn in functions),
        tool="webpack",
        shown=f"webpack {package.name} of {tool} with {config} (serverless-webpack's compile)",
        location=service.locate(where),
        path=where,
    )
    compiled: list[str] = json.loads((out / ".sls-cdk-outputs.json").read_text())
    built = Built()
    for folder in dict.fromkeys(compiled):
        files = {
            str(p.relative_to(out / folder)): p for p in sorted((out / folder).rglob("*")) if p.is_file()
        }
        if not service.individually:
            built.service_zip = write_zip(work / f"{service.name}.zip", files)
        elif folder in by_function:
            built.function_zips[folder] = write_zip(work / f"{folder}.zip", files)
    return built
