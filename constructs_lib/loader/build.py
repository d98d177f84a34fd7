"""Build hooks of serverless-plugin-scripts (``custom.scripts.hooks`` / ``custom.scripts.commands``).

``sls package`` runs the hooks bound to package lifecycle events; here they run only when asked
(``sls-cdk synth --build``, ``cdk synth -c build=true``), so ``cdk ls`` / ``cdk diff`` never build
by surprise. Hooks run in the service folder through ``/bin/sh`` in lifecycle order (``before:X``,
``X``, ``after:X``), output streamed to stderr. A failing hook stops everything before anything is
written and is reported with its event, its line in serverless.yml, command, exit code and the
tail of its output. Each hook has a time budget (:data:`DEFAULT_HOOK_TIMEOUT_S`, or
``custom.slsCdk.hookTimeout`` seconds): past it, the hook's process group is killed.

A hook bound to a lifecycle event v3 does not have is an error with did-you-mean (v3's plugin
would silently never run it): :data:`KNOWN_EVENTS` holds v3.40.0's events (its CLI commands'
``lifecycleEvents`` in ``lib/cli/commands-schema/aws-service.js``, and the internal ``aws:``
commands of ``lib/plugins/aws/{common,package,deploy,info}``), each also with ``before:`` and
``after:``, plus ``<name>:<name>`` of every ``custom.scripts.commands`` entry (the plugin's own
commands).

Values interpolated into a hook by variables are shell-quoted when the configuration is resolved
(see :func:`shell_quoted_path`), so ``${opt:stage}`` can never inject a command.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from constructs_lib.config.source import SourceMap
from constructs_lib.errors import BuildError, ConfigError, Location, SlsCdkError, did_you_mean

__all__ = [
    "DEFAULT_HOOK_TIMEOUT_S",
    "KNOWN_EVENTS",
    "PACKAGE_EVENTS",
    "build_events",
    "check_hooks",
    "hook_timeout",
    "run_command",
    "run_hooks",
    "shell_quoted_path",
]

#: A hook's time budget unless ``custom.slsCdk.hookTimeout`` says otherwise (seconds).
DEFAULT_HOOK_TIMEOUT_S = 15 * 60
_MAX_HOOK_TIMEOUT_S = 24 * 60 * 60

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

#: v3.40.0's lifecycle events a hook can bind to (see the module docstring for the sources).
_V3_LIFECYCLES: dict[str, tuple[str, ...]] = {
    "package": tuple(e.removeprefix("package:") for e in _PACKAGE_LIFECYCLE),
    "package:function": ("package",),
    "deploy": ("deploy", "finalize"),
    "deploy:function": ("initialize", "packageFunction", "deploy"),
    "deploy:list": ("log",),
    "deploy:list:functions": ("log",),
    "info": ("info",),
    "invoke": ("invoke",),
    "invoke:local": ("loadEnvVars", "invoke"),
    "logs": ("logs",),
    "metrics": ("metrics",),
    "remove": ("remove",),
    "rollback": ("initialize", "rollback"),
    "rollback:function": ("rollback",),
    "test": ("test",),
    "print": ("print",),
    "aws:common:validate": ("validate",),
    "aws:common:cleanupTempDir": ("cleanup",),
    "aws:common:moveArtifactsToPackage": ("move",),
    "aws:common:moveArtifactsToTemp": ("move",),
    "aws:package:finalize": (
        "addExportNameForOutputs",
        "mergeCustomProviderResources",
        "stripNullPropsFromTemplateResources",
        "saveServiceState",
    ),
    "aws:deploy:deploy": (
        "createStack",
        "checkForChanges",
        "uploadArtifacts",
        "validateTemplate",
        "updateStack",
    ),
    "aws:deploy:finalize": ("cleanup",),
    "aws:info": (
        "validate",
        "gatherData",
        "displayServiceInfo",
        "displayApiKeys",
        "displayEndpoints",
        "displayFunctions",
        "displayLayers",
        "displayStackOutputs",
    ),
}
KNOWN_EVENTS: frozenset[str] = frozenset(
    f"{prefix}{command}:{event}"
    for command, lifecycle in _V3_LIFECYCLES.items()
    for event in lifecycle
    for prefix in ("before:", "", "after:")
) | {"initialize"}

_TAIL_LINES = 20


def shell_quoted_path(path: Sequence[str | int]) -> bool:
    """Configuration paths whose interpolated variable values are shell-quoted: hook commands."""
    return len(path) == 4 and tuple(path[:2]) == ("custom", "scripts") and path[2] in ("hooks", "commands")


def build_events(hooks: Mapping[str, str]) -> tuple[list[tuple[str, str]], list[str]]:
    """``([(event, command), ...] in lifecycle order, [events that a synth never runs])``."""
    ordered = [(event, hooks[event]) for event in PACKAGE_EVENTS if event in hooks]
    others = [event for event in hooks if event not in PACKAGE_EVENTS]
    return ordered, others


def _hook_path(event: str) -> tuple[str, ...]:
    return ("custom", "scripts", "hooks", event)


def _timeout_value(custom: Mapping[str, object] | None) -> object:
    slscdk = (custom or {}).get("slsCdk")
    return slscdk.get("hookTimeout") if isinstance(slscdk, dict) else None


def hook_timeout(custom: Mapping[str, object] | None) -> float:
    """Seconds each hook may run: ``custom.slsCdk.hookTimeout`` (checked by :func:`check_hooks`)."""
    value = _timeout_value(custom)
    return (
        float(value)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else DEFAULT_HOOK_TIMEOUT_S
    )


def check_hooks(
    hooks: Mapping[str, str],
    commands: Mapping[str, str],
    custom: Mapping[str, object] | None,
    sources: SourceMap,
) -> list[SlsCdkError]:
    """Hooks on events v3 does not know (a typo would never run), and a bad ``hookTimeout``."""
    errors: list[SlsCdkError] = []
    known = KNOWN_EVENTS | {f"{name}:{name}" for name in commands}
    for event in hooks:
        if event in known:
            continue
        guess = did_you_mean(event, sorted(known))
        errors.append(
            ConfigError(
                f"hook event {event!r} is not a lifecycle event of Serverless v3, so it would never run",
                location=sources.locate(_hook_path(event)),
                path=_hook_path(event),
                hint=f"did you mean {guess!r}?"
                if guess
                else "e.g. 'before:package:createDeploymentArtifacts'",
            )
        )
    value = _timeout_value(custom)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if value is not None and not (number and 1 <= float(value) <= _MAX_HOOK_TIMEOUT_S):  # type: ignore[arg-type]
        where = ("custom", "slsCdk", "hookTimeout")
        errors.append(
            ConfigError(
                f"hookTimeout must be a number of seconds between 1 and {_MAX_HOOK_TIMEOUT_S}, not {value!r}",
                location=sources.locate(where),
                path=where,
            )
        )
    return errors


def _kill(proc: subprocess.Popen[str], fired: threading.Event) -> None:
    fired.set()
    with contextlib.suppress(OSError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)


def run_command(
    command: str,
    *,
    cwd: Path,
    label: str,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    timeout: float = DEFAULT_HOOK_TIMEOUT_S,
    location: Location | None = None,
    path: Sequence[str | int] = (),
) -> None:
    """Run one shell command in ``cwd`` (its own process group), streaming its output; raise
    :class:`BuildError` (at ``location``) when it fails or outlives ``timeout`` seconds."""
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
            start_new_session=True,
        )
    except OSError as exc:
        raise BuildError(f"{label}: cannot run {command!r}: {exc}", location=location, path=path) from None
    fired = threading.Event()
    timer = threading.Timer(timeout, _kill, (proc, fired))
    timer.daemon = True
    timer.start()
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            tail.append(line.rstrip("\n"))
            out.write(line)
        out.flush()
        code = proc.wait()
    finally:
        timer.cancel()
    shown = "\n    ".join(tail) if tail else "(no output)"
    if fired.is_set():
        raise BuildError(
            f"{label} did not finish within {timeout:g} s and was stopped: {command}",
            location=location,
            path=path,
            hint="raise custom.slsCdk.hookTimeout (seconds) if it needs longer; "
            f"last lines of its output:\n    {shown}",
        )
    if code != 0:
        raise BuildError(
            f"{label} failed with exit code {code}: {command}",
            location=location,
            path=path,
            hint=f"last lines of its output:\n    {shown}",
        )


def run_hooks(
    hooks: Mapping[str, str],
    *,
    cwd: Path,
    service: str,
    env: Mapping[str, str] | None = None,
    sources: SourceMap | None = None,
    timeout: float = DEFAULT_HOOK_TIMEOUT_S,
) -> list[str]:
    """Run the package-lifecycle hooks in order, each within ``timeout`` seconds, a failure located
    at its key; return notices for hooks a synth does not run."""
    ordered, others = build_events(hooks)
    for event, command in ordered:
        run_command(
            command,
            cwd=cwd,
            label=f"{service}: hook {event!r}",
            env=env,
            timeout=timeout,
            location=sources.locate(_hook_path(event)) if sources else None,
            path=_hook_path(event),
        )
    return [
        f"hook {event!r} is not run by sls-cdk (only package lifecycle hooks run, with --build)"
        for event in others
    ]


def environment_for(folder: Path, env: Mapping[str, str] | None) -> dict[str, str]:
    return dict(os.environ if env is None else env)
