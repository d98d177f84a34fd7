"""serverless-python-requirements 6.1.2, translated: the service's Python requirements installed
for the functions' runtime and architecture (:mod:`.install`) and put where the plugin puts them
(:mod:`.inject`): into the service zip (or each function's zip with ``package.individually``), as
``.requirements.zip`` with ``zip: true``, or into the ``pythonRequirements`` layer with ``layer``.

The requirements come from the service folder, as the plugin reads them: a poetry
``pyproject.toml`` (``usePoetry``), else a ``Pipfile`` (``usePipenv``), else ``fileName``. No
requirements file: nothing to do, as the plugin. Not translated: per-function ``module`` folders
(a located error would need the key; functions are installed from the service folder).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from constructs_lib.config.model import EffectiveFunction, Layer, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import ConfigError, SchemaError, SlsCdkError
from constructs_lib.packaging_plugins.python_requirements.inject import (
    injected,
    layer,
    layer_fields,
    zipped,
)
from constructs_lib.packaging_plugins.python_requirements.install import (
    Target,
    install,
    strip_tool,
    target_of,
)
from constructs_lib.packaging_plugins.python_requirements.options import KEY, Options, read_options

if TYPE_CHECKING:
    from constructs_lib.packaging_plugins import BuildContext, FunctionOutput, PluginOutput

__all__ = ["PythonRequirements"]

_PLUGIN = "serverless-python-requirements"


def _is_poetry(folder: Path) -> bool:
    file = folder / "pyproject.toml"
    if not file.is_file():
        return False
    requires = tomllib.loads(file.read_text(encoding="utf-8")).get("build-system", {}).get("requires", [])
    return any(str(r).startswith("poetry") for r in requires)


def _where(ctx: BuildContext) -> tuple[str | int, ...]:
    """Where a build failure is located: ``custom.pythonRequirements``, else the plugin's entry."""
    if isinstance((ctx.model.custom or {}).get("pythonRequirements"), dict):
        return KEY
    names = ctx.model.plugin_names
    base: tuple[str, ...] = ("plugins", "modules") if isinstance(ctx.model.plugins, dict) else ("plugins",)
    return (*base, names.index(_PLUGIN))


def _source(ctx: BuildContext, options: Options) -> Path | None:
    """The requirements file the plugin reads (exported first for poetry and pipenv)."""
    from constructs_lib.packaging_plugins import run_tool

    out = ctx.work_dir / "exported-requirements.txt"
    if options.use_poetry and _is_poetry(ctx.folder):
        if options.require_poetry_lock and not (ctx.folder / "poetry.lock").is_file():
            raise ConfigError(
                "poetry.lock file not found - set requirePoetryLockFile to false to disable this error",
                location=ctx.sources.locate((*KEY, "requirePoetryLockFile")),
                path=(*KEY, "requirePoetryLockFile"),
            )
        groups = [
            *([f"--with={','.join(options.poetry_with)}"] if options.poetry_with else []),
            *([f"--without={','.join(options.poetry_without)}"] if options.poetry_without else []),
            *([f"--only={','.join(options.poetry_only)}"] if options.poetry_only else []),
        ]
        out.parent.mkdir(parents=True, exist_ok=True)
        argv = ["poetry", "export", "--without-hashes", "-f", "requirements.txt", "-o", str(out)]
        run_tool(
            [*argv, "--with-credentials", *groups],
            cwd=ctx.folder,
            function="(service)",
            what=f"the requirements of {ctx.model.service}",
            tool="poetry",
            env=ctx.env,
            ctx=ctx,
            path=_where(ctx),
        )
        out.write_text(out.read_text().replace("\n-e ", "\n").removeprefix("-e "))
        return out
    if options.use_pipenv and (ctx.folder / "Pipfile").is_file():
        text = run_tool(
            ["pipenv", "requirements"],
            cwd=ctx.folder,
            function="(service)",
            what=f"the requirements of {ctx.model.service}",
            tool="pipenv",
            env=ctx.env,
            ctx=ctx,
            path=_where(ctx),
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(line.removeprefix("-e ") for line in text.split("\n")))
        return out
    file = ctx.folder / options.file_name
    return file if file.is_file() else None


def _python_functions(ctx: BuildContext) -> dict[str, EffectiveFunction]:
    """The functions whose package the plugin touches: no image, no artifact of their own."""
    return {k: fn for k, fn in ctx.functions.items() if fn.image is None and fn.artifact is None}


def _individually(ctx: BuildContext, key: str) -> bool:
    pkg, fn_pkg = ctx.model.package, ctx.model.functions[key].package
    return bool((pkg and pkg.individually) or (fn_pkg and fn_pkg.individually))


class PythonRequirements:
    """The builder (see :class:`constructs_lib.packaging_plugins.Builder`)."""

    def check(
        self, model: Service, sources: SourceMap, mode: ValidationMode
    ) -> tuple[list[SlsCdkError], list[SlsCdkError]]:
        options, warnings, errors = read_options(model.custom, sources, mode)
        if options.layer is not None and not errors:
            try:
                Layer.model_validate(layer_fields(model, model.stage(), options.layer))
            except ValidationError as exc:
                where = (*KEY, "layer")
                problem = "; ".join(e["msg"] for e in exc.errors())
                errors.append(
                    ConfigError(
                        f"the layer the plugin adds is not valid: {problem}",
                        location=sources.locate(where),
                        path=where,
                    )
                )
        return [*warnings, *_strip_warnings(model, options, sources)], errors

    def build(self, ctx: BuildContext) -> PluginOutput:
        from constructs_lib.packaging_plugins import FunctionOutput, PluginOutput

        options = read_options(ctx.model.custom, ctx.sources, "off")[0]
        source = _source(ctx, options)
        functions = _python_functions(ctx)
        if source is None or not functions:
            return PluginOutput()
        service_wide = ctx.model.package is not None and ctx.model.package.individually
        if options.layer is not None or not service_wide:
            target = _service_target(ctx)
            label = ", ".join(repr(k) for k in functions if not _individually(ctx, k)) or repr(
                ctx.model.service
            )
            installed = install(ctx, options, source, target, f"functions {label}", _where(ctx))
            if installed is None:
                return PluginOutput()
            if options.layer is not None:
                added_layer = layer(ctx.model, ctx.stage, options.layer, installed, ctx.folder)
                return PluginOutput(layers={"pythonRequirements": added_layer})
            files = _files(options, installed, ctx)
            shared = {k: FunctionOutput(added=files) for k in functions if not _individually(ctx, k)}
            return PluginOutput(functions=shared)
        outputs: dict[str, FunctionOutput] = {}
        for key, fn in functions.items():
            if not fn.runtime.startswith("python"):
                continue
            done = install(ctx, options, source, target_of(fn.runtime, fn.architecture), key, _where(ctx))
            if done is not None:
                outputs[key] = FunctionOutput(added=_files(options, done, ctx))
        return PluginOutput(functions=outputs)


def _strip_warnings(model: Service, options: Options, sources: SourceMap) -> list[SlsCdkError]:
    """``slim`` strips libraries; an arm64 function's need a strip that reads them."""
    archs = {model.provider.architecture, *(f.architecture for f in model.functions.values())}
    if not options.strip_so or "arm64" not in archs or strip_tool(Target("3.12", "arm64")) is not None:
        return []
    where = (*KEY, "slim")
    return [
        SchemaError(
            "the arm64 functions' *.so libraries are left unstripped: this machine has no strip for "
            "aarch64 (aarch64-linux-gnu-strip or llvm-strip)",
            location=sources.locate(where),
            path=where,
            hint="install binutils-aarch64-linux-gnu or llvm, or set strip: false",
        )
    ]


def _service_target(ctx: BuildContext) -> Target:
    """One install for the service zip: the provider's runtime, else the first Python function's."""
    runtime = ctx.model.provider.runtime or ""
    if not runtime.startswith("python"):
        runtime = next((fn.runtime for fn in ctx.functions.values() if fn.runtime.startswith("python")), "")
    return target_of(runtime, ctx.model.provider.architecture)


def _files(options: Options, installed: Path, ctx: BuildContext) -> dict[str, Path]:
    return zipped(installed, ctx.work_dir) if options.zip else injected(installed, options.no_deploy)
