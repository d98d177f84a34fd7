"""Build hooks of serverless-plugin-scripts (``custom.scripts.hooks`` / ``custom.scripts.commands``).

``sls package`` runs the hooks bound to package lifecycle events; here they run only when asked
(``sls-cdk synth --build``, ``cdk synth -c build=true``), so ``cdk ls`` / ``cdk diff`` never build
by surprise. Hooks run in the service folder through ``/bin/sh`` in lifecycle order (``before:X``,
``X``, ``after:X``), output streamed to stderr. A failing hook stops everything before anything is
written and is reported with its event, command, exit code and the tail of its output.

Values interpolated into a hook by variables are shell-quoted when the configuration is resolved
(see :func:`shell_quoted_path`), so ``${opt:stage}`` can never inject a command.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from constructs_lib.errors import BuildError

__all__ = ["PACKAGE_EVENTS", "build_events", "run_command", "run_hooks", "shell_quoted_path"]

#: v3's ``package`` lifecycle, in order (``sls deploy`` runs it first too).
_PACKAGE_LIFECYCLE = (
    "package:cleanup",
    "package:initialize",
    "package:setupProviderConfiguration",
    "package:createDeploymentArtifacts",
    "package:compileLayers",
    "package:compileFunctions",
    "package:compileEvents",
    "package:finalize",
)
PACKAGE_EVENTS: tuple[str, ...] = tuple(
    f"{prefix}{event}" for event in _PACKAGE_LIFECYCLE for prefix in ("before:", "", "after:")
)

_TAIL_LINES = 20


def shell_quoted_path(path: Sequence[str | int]) -> bool:
    """Configuration paths whose interpolated variable values are shell-quoted: hook commands."""
    return len(path) == 4 and tuple(path[:2]) == ("custom", "scripts") and path[2] in ("hooks", "commands")


def build_events(hooks: Mapping[str, str]) -> tuple[list[tuple[str, str]], list[str]]:
    """``([(event, command), ...] in lifecycle order, [events that a synth never runs])``."""
    ordered = [(event, hooks[event]) for event in PACKAGE_EVENTS if event in hooks]
    others = [event for event in hooks if event not in PACKAGE_EVENTS]
    return ordered, others


def run_command(
    command: str, *, cwd: Path, label: str, env: Mapping[str, str] | None = None, out: TextIO | None = None
) -> None:
    """Run one shell command in ``cwd``, streaming its output; raise :class:`BuildError` on failure."""
    out = out or sys.stderr
    tail: collections.deque[str] = collections.deque(maxlen=_TAIL_LINES)
    print(f"build: {label}: {command}", file=out, flush=True)
    try:
        proc = subprocess.Popen(
            ["/bin/sh", "-c", command],
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except OSError as exc:
        raise BuildError(f"{label}: cannot run {command!r}: {exc}") from None
    assert proc.stdout is not None
    for line in proc.stdout:
        tail.append(line.rstrip("\n"))
        out.write(line)
    out.flush()
    code = proc.wait()
    if code != 0:
        shown = "\n    ".join(tail) if tail else "(no output)"
        raise BuildError(
            f"{label} failed with exit code {code}: {command}",
            hint=f"last lines of its output:\n    {shown}",
        )


def run_hooks(
    hooks: Mapping[str, str], *, cwd: Path, service: str, env: Mapping[str, str] | None = None
) -> list[str]:
    """Run the package-lifecycle hooks in order; return notices for hooks a synth does not run."""
    ordered, others = build_events(hooks)
    for event, command in ordered:
        run_command(command, cwd=cwd, label=f"{service}: hook {event!r}", env=env)
    return [
        f"hook {event!r} is not run by sls-cdk (only package lifecycle hooks run, with --build)"
        for event in others
    ]


def environment_for(folder: Path, env: Mapping[str, str] | None) -> dict[str, str]:
    return dict(os.environ if env is None else env)
