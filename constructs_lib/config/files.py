"""Which files make a project: the names v3 looks for, and what a PATH argument names.

Kept apart from the loaders (no pydantic, no YAML) so the synth entry points can ask "compose
or service?" before the heavy imports start."""

from __future__ import annotations

from pathlib import Path

from constructs_lib.errors import ConfigError, Location

__all__ = ["COMPOSE_FILE_NAMES", "SERVICE_FILE_NAMES", "find_project"]

SERVICE_FILE_NAMES = ("serverless.yml", "serverless.yaml", "serverless.json")
COMPOSE_FILE_NAMES = ("serverless-compose.yml", "serverless-compose.yaml")
_REFUSED_FILE_NAMES = ("serverless.js", "serverless.ts", "serverless.cjs", "serverless.mjs")


def find_project(path: Path) -> tuple[str, Path]:
    """``("service", file)`` or ``("compose", file)`` for a serverless.yml, a compose file or a folder."""
    if path.is_dir():
        for name in SERVICE_FILE_NAMES:
            if (path / name).is_file():
                return "service", path / name
        for name in COMPOSE_FILE_NAMES:
            if (path / name).is_file():
                return "compose", path / name
        for name in _REFUSED_FILE_NAMES:
            if (path / name).is_file():
                raise ConfigError(
                    f"{name} is JavaScript/TypeScript: sls-cdk reads YAML or JSON configuration only",
                    location=Location(str(path / name)),
                )
        raise ConfigError(
            "no serverless.yml or serverless-compose.yml in this folder", location=Location(str(path))
        )
    if not path.exists():
        raise ConfigError("no such file or folder", location=Location(str(path)))
    if path.name in COMPOSE_FILE_NAMES or path.name.startswith("serverless-compose."):
        return "compose", path
    if path.suffix in (".js", ".ts", ".cjs", ".mjs"):
        raise ConfigError(
            "JavaScript/TypeScript configuration is not supported: use YAML or JSON",
            location=Location(str(path)),
        )
    return "service", path
