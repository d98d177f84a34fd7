"""What the translated plugins change in the resolved configuration, before it is validated:
serverless-dotenv-plugin's ``provider.environment`` and serverless-plugin-git-variables' GIT_*
environment variables and tags on every function (``custom.exportGitVariables``, default true)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from constructs_lib.config.source import SourceMap
from constructs_lib.config.variables.git import EXPORTS, git_value
from constructs_lib.config.variables.git import PLUGIN as GIT_PLUGIN
from constructs_lib.errors import ConfigError, VariableError
from constructs_lib.loader.dotenv_plugin import PLUGIN as DOTENV_PLUGIN
from constructs_lib.loader.dotenv_plugin import dotenv_plugin
from constructs_lib.loader.plugins import PluginNotice

__all__ = ["apply_plugins"]


def _names(data: Mapping[str, Any]) -> tuple[tuple[str | int, ...], list[Any]]:
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        return ("plugins", "modules"), list(plugins.get("modules") or [])
    return ("plugins",), list(plugins) if isinstance(plugins, list) else []


def _allowed(whitelist: Any, name: str) -> bool:
    """The plugin's ``!whitelist || whitelist.includes(name)`` (an empty list allows nothing)."""
    if isinstance(whitelist, list | str):
        return name in whitelist
    return not whitelist


def _section(owner: dict[str, Any], key: str) -> dict[str, Any]:
    """``owner[key]`` as an object, made (empty) when missing or not an object, as the plugin does."""
    value = owner.get(key)
    if not isinstance(value, dict):
        value = owner[key] = {}
    return value


def _export_git(data: dict[str, Any], folder: Path, sources: SourceMap, at: tuple[str | int, ...]) -> None:
    given = data.get("custom")
    custom: dict[str, Any] = given if isinstance(given, dict) else {}
    if custom.get("exportGitVariables") is False:
        return
    env_list, tags_list = custom.get("gitVariablesEnvWhitelist"), custom.get("gitVariablesTagsWhitelist")
    functions = data.get("functions")
    if not isinstance(functions, dict):
        return
    values: dict[str, str] = {}
    for key in list(functions):
        fn = _section(functions, key)
        for name, variable in EXPORTS:
            on_env, on_tags = _allowed(env_list, variable), _allowed(tags_list, variable)
            if not on_env and not on_tags:
                continue
            if name not in values:
                try:
                    values[name] = git_value(name, folder)
                except VariableError as exc:
                    raise ConfigError(
                        f"{GIT_PLUGIN} exports GIT_* variables to every function: {exc.message}",
                        location=sources.locate(at),
                        path=at,
                        hint="set custom.exportGitVariables: false to export nothing",
                    ) from None
            for section, wanted in (("environment", on_env), ("tags", on_tags)):
                if wanted:
                    target = _section(fn, section)
                    if not target.get(variable):
                        target[variable] = values[name]


def apply_plugins(
    data: dict[str, Any],
    sources: SourceMap,
    folder: Path,
    *,
    environ: Mapping[str, str],
    options: Mapping[str, Any],
    root: Path,
) -> list[PluginNotice]:
    """Apply what the listed translated plugins change (in place); their notices."""
    path, names = _names(data)
    notices: list[PluginNotice] = []
    if DOTENV_PLUGIN in names:
        result = dotenv_plugin(data, sources, folder, environ=environ, options=options, root=root)
        notices += [PluginNotice(DOTENV_PLUGIN, line) for line in result.log]
    if GIT_PLUGIN in names:
        _export_git(data, folder, sources, (*path, names.index(GIT_PLUGIN)))
    return notices
