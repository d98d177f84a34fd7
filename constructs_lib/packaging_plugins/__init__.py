"""Packaging plugins: the one seam between the loader and the plugins that build functions' code
(serverless-python-requirements, serverless-esbuild, serverless-webpack, ...).

:data:`REGISTRY` maps a plugin's npm name to its :class:`Builder`. A service listing a registered
plugin has it *translated* (:mod:`constructs_lib.loader.plugins`); a packaging plugin not
registered stays a located error. The loader calls every listed builder twice:

* :meth:`Builder.check` at load, with the other checks (before any hook or build runs): the
  plugin's configuration keys, validated with located errors and warnings (did-you-mean);
* :meth:`Builder.build` where packaging happens (:func:`constructs_lib.loader.steps.package`),
  given a :class:`BuildContext` (the validated model, the computed functions, the service folder,
  the config file's name, the source map, the plugin's work folder, whether ``--build`` was given,
  the environment) and returning a :class:`PluginOutput`.

A builder builds only when ``ctx.build`` is true or its built output is missing (it keys its
output by its inputs, so a changed input is missing output); it runs tools through
:func:`run_tool` inside :func:`progress` (one line per function on a terminal, with the elapsed
time) and writes only inside ``ctx.work_dir``. A failed tool is a located :class:`BuildError`
naming the function, the tool, the command and the last lines of its output; since builds run
before anything is synthesized, nothing is written.

What a :class:`PluginOutput` can say, per function (:class:`FunctionOutput`):

* ``zip``: a built zip, used as the function's artifact as it is;
* ``folder``: a folder v3's file selection (``package.patterns``, excludes) selects from instead
  of the service folder (a bundler's output folder);
* ``added``: files put into the function's zip after v3's packaging (``{path in the zip: file}``,
  what python-requirements injects); functions sharing the service zip share these;
* ``handler``: the handler string the plugin rewrites;
* ``layers``: layer references appended to the function's ``layers``;

and for the service: ``layers`` added to the model (``{key: (Layer, zip, artifact as v3 writes
it)}``, e.g. python-requirements' ``layer: true``), warnings and notices.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from constructs_lib.config.data import JsonObject
from constructs_lib.config.model import EffectiveFunction, Layer, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import BuildError, Location, SlsCdkError

__all__ = [
    "REGISTRY",
    "TOOL_TIMEOUT_S",
    "AddedLayer",
    "BuildContext",
    "Builder",
    "FunctionOutput",
    "PluginOutput",
    "apply_outputs",
    "merged_functions",
    "progress",
    "registered",
    "run_tool",
    "work_dir",
]

#: the tail of a failed tool's output shown in its error
_TAIL_LINES = 20
#: a build step's time budget (seconds)
TOOL_TIMEOUT_S = 30 * 60

_LayerRef = str | JsonObject


@dataclass(frozen=True)
class BuildContext:
    """What a builder is given: everything is validated and computed already."""

    model: Service
    functions: Mapping[str, EffectiveFunction]
    folder: Path
    """The service folder."""
    config_file: str
    """The configuration file's name (``serverless.yml``), excluded from packages as v3 does."""
    sources: SourceMap
    work_dir: Path
    """The plugin's own work folder (``<service>/.serverless/sls-cdk/<plugin>``, out of every
    package by v3's default excludes); builders write nowhere else."""
    build: bool
    """``--build`` / ``-c build=true``: build even when the built output is there."""
    env: Mapping[str, str]
    stage: str
    region: str
    mode: ValidationMode = "warn"


@dataclass(frozen=True)
class FunctionOutput:
    """What a plugin did for one function (every field optional; see the module docstring)."""

    zip: Path | None = None
    folder: Path | None = None
    added: Mapping[str, Path] = field(default_factory=dict)
    handler: str | None = None
    layers: tuple[_LayerRef, ...] = ()


@dataclass(frozen=True)
class AddedLayer:
    """A layer a plugin adds to the service: its model, its zip, and its artifact path as v3
    records it (``.serverless/pythonRequirements.zip``)."""

    layer: Layer
    zip: Path
    as_written: str


@dataclass(frozen=True)
class PluginOutput:
    functions: Mapping[str, FunctionOutput] = field(default_factory=dict)
    layers: Mapping[str, AddedLayer] = field(default_factory=dict)
    warnings: tuple[SlsCdkError, ...] = ()
    notices: tuple[str, ...] = ()


class Builder(Protocol):
    """One packaging plugin."""

    def check(
        self, model: Service, sources: SourceMap, mode: ValidationMode
    ) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
        """``(warnings, errors)`` of the plugin's configuration, located."""
        ...

    def build(self, ctx: BuildContext) -> PluginOutput:
        """Build (or reuse the built output) and say what changes."""
        ...


def registered(plugin_names: Sequence[str]) -> list[tuple[str, Builder]]:
    """The registered packaging plugins a service lists, in its order."""
    return [(name, REGISTRY[name]) for name in plugin_names if name in REGISTRY]


def _terminal(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


@contextlib.contextmanager
def progress(what: str, out: TextIO | None = None) -> Iterator[None]:
    """One line for one build step (``build: <what> ... 1.2 s``) on a terminal; nothing otherwise."""
    stream = out or sys.stderr
    shown = _terminal(stream)
    start = time.monotonic()
    if shown:
        stream.write(f"build: {what} ...")
        stream.flush()
    ok = False
    try:
        yield
        ok = True
    finally:
        if shown:
            stream.write(f" {'done' if ok else 'failed'} in {time.monotonic() - start:.1f} s\n")
            stream.flush()


def run_tool(
    argv: Sequence[str],
    *,
    cwd: Path,
    function: str,
    tool: str,
    env: Mapping[str, str] | None = None,
    ctx: BuildContext | None = None,
    path: Sequence[str | int] = (),
    timeout: float = TOOL_TIMEOUT_S,
    what: str | None = None,
    location: Location | None = None,
    shown: str | None = None,
) -> str:
    """Run one build tool (no shell), its output captured; return its output. Failure (exit code,
    missing tool, timeout) raises :class:`BuildError` at ``path`` (or ``location``) naming
    ``function`` (or ``what`` is built, e.g. the zip several functions share), ``tool``, the
    command (``shown``: in the user's words, else ``argv``) and the last lines of its output."""
    command = shown or " ".join(argv)
    built = what or f"function {function!r}"
    if location is None and ctx is not None and path:
        location = ctx.sources.locate(tuple(path))

    def failed(why: str, output: str) -> BuildError:
        tail = collections.deque(output.splitlines(), maxlen=_TAIL_LINES)
        shown = "\n    ".join(tail) if tail else "(no output)"
        return BuildError(
            f"building {built}: {tool} {why}: {command}",
            location=location,
            path=path,
            hint=f"last lines of its output:\n    {shown}",
        )

    try:
        done = subprocess.run(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise failed("is not installed (not found on PATH)", "") from None
    except subprocess.TimeoutExpired as exc:
        output = exc.output if isinstance(exc.output, str) else ""
        raise failed(f"did not finish within {timeout:g} s", output) from None
    if done.returncode != 0:
        raise failed(f"failed with exit code {done.returncode}", done.stdout)
    return done.stdout


def work_dir(folder: Path, plugin: str) -> Path:
    """The work folder of ``plugin`` for the service in ``folder``."""
    return folder / ".serverless" / "sls-cdk" / plugin


def apply_outputs(
    model: Service, functions: Mapping[str, EffectiveFunction], outputs: Sequence[PluginOutput]
) -> tuple[Service, dict[str, EffectiveFunction]]:
    """The model with the plugins' layers added, and the functions with their handlers and layer
    references rewritten."""
    layers = {key: added.layer for out in outputs for key, added in out.layers.items()}
    if layers:
        model = model.model_copy(update={"layers": {**model.layers, **layers}})
    result = dict(functions)
    for out in outputs:
        for key, fn_out in out.functions.items():
            fn = result[key]
            changes: dict[str, object] = {}
            if fn_out.handler is not None:
                changes["handler"] = fn_out.handler
            if fn_out.layers:
                changes["layers"] = (*(fn.layers or ()), *fn_out.layers)
            if changes:
                result[key] = dataclasses.replace(fn, **changes)  # type: ignore[arg-type]
    return model, result


def merged_functions(outputs: Sequence[PluginOutput]) -> dict[str, FunctionOutput]:
    """One :class:`FunctionOutput` per function over every plugin (later plugins add files and
    layers; a later zip, folder or handler wins)."""
    merged: dict[str, FunctionOutput] = {}
    for out in outputs:
        for key, fn_out in out.functions.items():
            before = merged.get(key, FunctionOutput())
            merged[key] = FunctionOutput(
                zip=fn_out.zip or before.zip,
                folder=fn_out.folder or before.folder,
                added={**before.added, **fn_out.added},
                handler=fn_out.handler or before.handler,
                layers=(*before.layers, *fn_out.layers),
            )
    return merged


# the registry: one line per translated packaging plugin (imported last: builders use the seam)
from constructs_lib.packaging_plugins.esbuild.builder import Esbuild  # noqa: E402
from constructs_lib.packaging_plugins.python_requirements import PythonRequirements  # noqa: E402
from constructs_lib.packaging_plugins.typescript.builder import TypeScript  # noqa: E402
from constructs_lib.packaging_plugins.webpack.builder import Webpack  # noqa: E402

REGISTRY: dict[str, Builder] = {
    "serverless-python-requirements": PythonRequirements(),
    "serverless-esbuild": Esbuild(),
    "serverless-plugin-typescript": TypeScript(),
    "serverless-webpack": Webpack(),
}
