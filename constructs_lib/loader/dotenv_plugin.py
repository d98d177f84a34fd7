"""serverless-dotenv-plugin (6.0.0, with dotenv 16 and dotenv-expand 10 as it installs them): the
variables of the service's ``.env`` files go into ``provider.environment``, so into every function.

As ``src/index.js`` does: the files are ``.env.<env>.local``, ``.env.<env>``, ``.env.local`` (not
for env ``test``), ``.env`` (``basePath`` prefixed), where env is ``NODE_ENV``, ``--env``,
``--stage``, else ``development``; ``path`` (one or a list) replaces that search. Each file is
parsed as dotenv parses it and, with ``variableExpansion`` (default), expanded as dotenv-expand
expands it against the environment (which each file extends: the first file giving a variable wins;
without expansion the last does). ``include`` (default ``'*'``) or else ``exclude`` filter what is
injected; ``required.file`` / ``required.env`` make a missing file or variable an error. The plugin
does not feed ``${env:}`` under v3 (``useDotenv`` does that)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib.config.source import SourceMap, read_text
from constructs_lib.errors import ConfigError, did_you_mean

__all__ = ["PLUGIN", "DotenvResult", "dotenv_plugin", "parse_dotenv", "read_dotenv", "use_dotenv"]

PLUGIN = "serverless-dotenv-plugin"

_KEYS = (
    "path",
    "basePath",
    "dotenvParser",
    "include",
    "exclude",
    "logging",
    "required",
    "variableExpansion",
    "v4BreakingChanges",
)

#: dotenv 16's LINE expression (lib/main.js)
_LINE = re.compile(
    r"^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*\"(?:\\\"|[^\"])*\"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$",
    re.MULTILINE,
)
_QUOTED = re.compile(r"^(['\"`])([\s\S]*)\1$", re.MULTILINE)
_LAST_DOLLAR = re.compile(r"(?<!\\)\$")
_GROUP = re.compile(r"((?<!\\)\${?(\w+)(?::-([^}\\]*))?}?)")
_MAX_STEPS = 10_000


def parse_dotenv(text: str) -> dict[str, str]:
    """The variables of one file, as dotenv 16's ``parse`` reads them."""
    out: dict[str, str] = {}
    for match in _LINE.finditer(re.sub(r"\r\n?", "\n", text)):
        value = (match.group(2) or "").strip()
        quote = value[:1]
        value = _QUOTED.sub(r"\2", value)
        if quote == '"':
            value = value.replace("\\n", "\n").replace("\\r", "\r")
        out[match.group(1)] = value
    return out


def _interpolate(value: str, env: Mapping[str, str], parsed: Mapping[str, str]) -> str:
    """dotenv-expand 10's ``_interpolate``: the right-most unescaped ``$`` group first, again and
    again (bounded: a variable that expands to itself would never end)."""
    for _ in range(_MAX_STEPS):
        last = [m.start() for m in _LAST_DOLLAR.finditer(value)]
        if not last:
            return value
        match = _GROUP.search(value[last[-1] :])
        if match is None:
            return value
        group, name, default = match.group(1), match.group(2), match.group(3)
        value = value.replace(group, env.get(name) or default or parsed.get(name) or "", 1)
    raise ValueError("variable expansion does not end")


@dataclass
class DotenvResult:
    """What the plugin injects, and the lines it logs."""

    injected: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def _config(custom: Any, sources: SourceMap) -> dict[str, Any]:
    config = custom.get("dotenv") if isinstance(custom, dict) else None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ConfigError("custom.dotenv must be an object", location=sources.locate(("custom", "dotenv")))
    for key in config:
        if key not in _KEYS:
            guess = did_you_mean(key, _KEYS)
            raise ConfigError(
                f"custom.dotenv: unknown option {key!r} of {PLUGIN}",
                location=sources.locate(("custom", "dotenv", key)),
                path=("custom", "dotenv", key),
                hint=f"did you mean {guess!r}?" if guess else f"known: {', '.join(_KEYS)}",
            )
    if "dotenvParser" in config:
        raise ConfigError(
            "custom.dotenv.dotenvParser runs JavaScript; sls-cdk does not run plugin code",
            location=sources.locate(("custom", "dotenv", "dotenvParser")),
            path=("custom", "dotenv", "dotenvParser"),
            hint="remove it: the built-in parser (dotenv, dotenv-expand) is translated",
        )
    return config


def _files(
    config: Mapping[str, Any], folder: Path, env_name: str, root: Path, sources: SourceMap
) -> list[Path]:
    """The files the plugin reads, in its order; ``path`` may name missing files (dotenv skips them)."""
    given = config.get("path")
    if given:
        names = [str(p) for p in (given if isinstance(given, list) else [given])]
    else:
        base = str(config.get("basePath") or "")
        candidates = [
            f".env.{env_name}.local",
            f".env.{env_name}",
            ".env.local" if env_name != "test" else "",
            ".env",
        ]
        names = [base + name for name in candidates if name and (folder / (base + name)).is_file()]
    out: list[Path] = []
    for name in names:
        file = (folder / name).resolve()
        if not file.is_relative_to(root.resolve()):
            raise ConfigError(
                f"custom.dotenv: {name!r} is outside the project ({root})",
                location=sources.locate(("custom", "dotenv", "path" if given else "basePath")),
            )
        out.append(file)
    return out


def read_dotenv(file: Path, environ: MutableMapping[str, str], *, expand: bool, label: str) -> dict[str, str]:
    """One file as ``dotenv.config`` then ``dotenv-expand``'s ``expand`` load it: its variables go
    into ``environ`` where not set; expanded, each takes ``environ``'s value (expanded), which is
    written back. v3's own ``useDotenv`` loads its file the same way."""
    parsed = parse_dotenv(read_text(file, label=label))
    for key, value in parsed.items():
        environ.setdefault(key, value)
    if expand:
        for key in parsed:
            parsed[key] = _interpolate(environ[key], environ, parsed).replace("\\$", "$")
        environ.update(parsed)
    return parsed


def _load(files: list[Path], environ: MutableMapping[str, str], expand: bool, folder: Path) -> dict[str, str]:
    merged: dict[str, str] = {}
    for file in files:
        if file.is_file():
            merged.update(read_dotenv(file, environ, expand=expand, label=os.path.relpath(file, folder)))
    return merged


def dotenv_plugin(
    data: dict[str, Any],
    sources: SourceMap,
    folder: Path,
    *,
    environ: Mapping[str, str],
    options: Mapping[str, Any],
    root: Path,
) -> DotenvResult:
    """Inject the ``.env`` variables into ``data['provider']['environment']`` as the plugin does."""
    config = _config(data.get("custom"), sources)
    env = dict(environ)
    env_name = str(env.get("NODE_ENV") or options.get("env") or options.get("stage") or "development")
    files = _files(config, folder, env_name, root, sources)
    result = DotenvResult()
    where = ("custom", "dotenv")
    existing = [f for f in files if f.is_file()]
    given = config.get("required")
    required: dict[str, Any] = given if isinstance(given, dict) else {}
    if not existing:
        result.log.append("DOTENV: Could not find .env file.")
        if required.get("file") is True:
            raise ConfigError(
                "DOTENV: Could not find .env file.",
                location=sources.locate(where),
                hint="custom.dotenv.required.file is true",
            )
    else:
        names = ", ".join(os.path.relpath(f, folder) for f in reversed(existing))
        result.log.append(f"DOTENV: Loading environment variables from {names}:")
    try:
        values = _load(files, env, config.get("variableExpansion", True) is not False, folder)
    except ValueError as exc:
        raise ConfigError(f"DOTENV: {exc}", location=sources.locate(where)) from None
    missing = [n for n in required.get("env") or [] if not values.get(n) and not env.get(n)]
    if missing:
        raise ConfigError(
            f"Missing the following required environment variables: {','.join(missing)}",
            location=sources.locate((*where, "required", "env")),
        )
    include, exclude = config.get("include", "*"), config.get("exclude") or []
    for key, value in values.items():
        if (key in include) if include != "*" else key not in exclude:
            result.injected[key] = value
    if config.get("logging", True) is False:
        result.log = []
    if result.log and result.injected:
        result.log = [f"{result.log[0]} {', '.join(result.injected)}"]
    provider = data.get("provider")
    if isinstance(provider, dict) and result.injected:
        environment = provider.get("environment")
        provider["environment"] = {
            **(environment if isinstance(environment, dict) else {}),
            **result.injected,
        }
    return result


def use_dotenv(folder: Path, stage: str, environ: Mapping[str, str]) -> dict[str, str]:
    """v3's ``useDotenv``: ``.env.<stage>`` if present, else ``.env``, loaded with dotenv and
    dotenv-expand as v3 loads it (lib/cli/load-dotenv.js): the environment given wins."""
    for name in (f".env.{stage}", ".env"):
        file = folder / name
        if file.is_file():
            loaded = dict(environ)
            read_dotenv(file, loaded, expand=True, label=os.path.relpath(file))
            return loaded
    return dict(environ)
