"""serverless-plugin-git-variables (5.2.0): the ``${git:...}`` source, with the git command the
plugin runs for each name (``src/index.js``), and the values it exports to every function.

git runs without a shell, in the service folder (v3's working folder), within the plugin's 10 s;
its output is trimmed as the plugin trims it. The source exists only when the plugin is listed, as
in v3 (elsewhere ``git`` is an unknown source)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from constructs_lib.config.data import JsonValue
from constructs_lib.config.variables.base import Address
from constructs_lib.errors import VariableError, did_you_mean

if TYPE_CHECKING:
    from constructs_lib.config.variables.engine import Resolver

__all__ = ["EXPORTS", "PLUGIN", "git_value", "source_git"]

PLUGIN = "serverless-plugin-git-variables"

#: each name of ``${git:<name>}`` and the git arguments the plugin runs for it
_COMMANDS: dict[str, tuple[str, ...]] = {
    "describe": ("describe", "--always"),
    "describeLight": ("describe", "--always", "--tags"),
    "sha1": ("rev-parse", "--short", "HEAD"),
    "commit": ("rev-parse", "HEAD"),
    "branch": ("rev-parse", "--abbrev-ref", "HEAD"),
    "message": ("log", "-1", "--pretty=%B"),
    "messageSubject": ("log", "-1", "--pretty=%s"),
    "messageBody": ("log", "-1", "--pretty=%b"),
    "user": ("config", "user.name"),
    "email": ("config", "user.email"),
    "isDirty": ("diff", "--stat"),
    "repository": ("rev-parse", "--show-toplevel"),
    "tags": ("tag", "--points-at", "HEAD"),
}

#: what the plugin exports (``custom.exportGitVariables``, default true): (git name, variable)
EXPORTS: tuple[tuple[str, str], ...] = (
    ("sha1", "GIT_COMMIT_SHORT"),
    ("commit", "GIT_COMMIT_LONG"),
    ("branch", "GIT_BRANCH"),
    ("isDirty", "GIT_IS_DIRTY"),
    ("repository", "GIT_REPOSITORY"),
    ("tags", "GIT_TAGS"),
)

_TIMEOUT = 10.0


def _git(args: tuple[str, ...], folder: Path, shown: str) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}
    try:
        run = subprocess.run(
            ["git", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise VariableError(f"{shown}: git is not installed (not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise VariableError(f"{shown}: `git {' '.join(args)}` took longer than {_TIMEOUT:g} s") from None
    if run.returncode != 0:
        why = run.stderr.strip().splitlines()[-1:] or [f"exit status {run.returncode}"]
        raise VariableError(f"{shown}: `git {' '.join(args)}` failed in {folder}: {why[0]}")
    return run.stdout.strip()


def git_value(name: str, folder: Path, shown: str | None = None) -> str:
    """The value the plugin gives ``${git:<name>}`` in ``folder``."""
    shown = shown or "${git:" + name + "}"
    args = _COMMANDS.get(name)
    if args is None:
        guess = did_you_mean(name, _COMMANDS)
        raise VariableError(
            f"{shown}: unknown git variable {name!r}",
            hint=f"did you mean {guess!r}?" if guess else f"known: {', '.join(_COMMANDS)}",
        )
    out = _git(args, folder, shown)
    if name == "isDirty":
        return "true" if out else "false"
    if name == "repository":
        return Path(out).name
    if name == "tags":
        return "::".join(out.split("\n")) if out else _git(_COMMANDS["sha1"], folder, shown)
    return out


def _listed(plugins: JsonValue) -> bool:
    if isinstance(plugins, dict):
        plugins = plugins.get("modules")
    return isinstance(plugins, list) and PLUGIN in plugins


def source_git(a: Address, r: Resolver) -> JsonValue:
    """``${git:<name>}``, when the service lists the plugin."""
    if not _listed(r.value_at(("plugins",))):
        raise VariableError(
            f"unknown variable source 'git' in {a.text}",
            hint=f"the git source comes from the {PLUGIN} plugin: list it in plugins",
        )
    return git_value(a.address or "", r.ctx.service_dir, a.text)
