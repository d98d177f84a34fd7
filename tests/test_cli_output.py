"""One message format on stderr, on real CLI runs: ``error:`` / ``warning:`` / ``note:`` starts every
line of a diagnostic (grouped errors, hints and ``included from`` lines too); a warning is printed
once per run (compose services sharing a file with a problem); colour only on a terminal and never
with ``NO_COLOR``; a synth's progress line on a terminal (``pty``), nothing into a pipe."""

from __future__ import annotations

import contextlib
import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_lib.cli import output
from constructs_lib.cli.commands import main
from constructs_lib.errors import Location, SchemaError
from tests.helpers import ROOT, SEED, ensure_seed_built

_SHARED = """\
provider:
  name: aws
  runtime: python3.11
  memorySizee: 256
"""
_SERVICE = """\
service: svc-{name}
provider: ${{file(../shared.yml):provider}}
functions:
  hello:
    handler: handler.main
"""
_COMPOSE = "services:\n  a:\n    path: a\n  b:\n    path: b\n"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _shared_project(root: Path) -> Path:
    """Two compose services whose provider comes from one file with an unknown key."""
    (root / "shared.yml").parent.mkdir(parents=True, exist_ok=True)
    (root / "shared.yml").write_text(_SHARED)
    for name in ("a", "b"):
        (root / name).mkdir()
        (root / name / "serverless.yml").write_text(_SERVICE.format(name=name))
        (root / name / "handler.py").write_text("def main(event, context):\n    return 1\n")
    (root / "serverless-compose.yml").write_text(_COMPOSE)
    return root


def _main(args: list[str]) -> tuple[int, str, str]:
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def _on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout to a pipe); what the terminal got."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "constructs_lib", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.stdout is not None
    proc.stdout.read()
    proc.stdout.close()
    return proc.wait(timeout=300), b"".join(chunks).decode(errors="replace")


def _env(**more: str) -> dict[str, str]:
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", **more}
    env.pop("NO_COLOR", None)
    env.pop("TERM", None)
    return {**env, **more}


def test_every_line_of_a_grouped_error_is_prefixed(tmp_path: Path) -> None:
    service = tmp_path / "svc"
    service.mkdir()
    (service / "serverless.yml").write_text(
        "service: svc\nprovider:\n  name: aws\n  runtime: python3.11\n  memorySize: 64\n"
        "  timeout: 0\nfunctions:\n  hello:\n    handler: handler.main\n"
    )
    (service / "handler.py").write_text("def main(e, c):\n    return 1\n")
    code, _, err = _main(["check", str(service)])
    lines = err.splitlines()
    assert code == 1 and len(lines) >= 2, err
    assert all(line.startswith("error: ") for line in lines), err
    assert any("provider.memorySize" in line for line in lines) and any(
        "provider.timeout" in line for line in lines
    )


def test_hints_and_included_from_lines_are_prefixed(tmp_path: Path) -> None:
    problem = SchemaError(
        "unknown key 'x'",
        location=Location("a.yml", 3, 1, Location("serverless.yml", 2, 1)),
        hint="did you mean 'y'?",
    )
    printed = io.StringIO()
    output.error(problem.format(), printed)
    assert printed.getvalue() == (
        "error: a.yml:3:1: unknown key 'x'\nerror:   included from serverless.yml:2:1\nerror:   hint: did you mean 'y'?\n"
    )


def test_a_shared_files_warning_prints_once_per_run(tmp_path: Path) -> None:
    project = _shared_project(tmp_path / "shared")
    code, out, err = _main(["check", str(project)])
    assert code == 0, err
    assert "stack svc-a-dev" in out and "stack svc-b-dev" in out  # both services read the file
    assert err.count("unknown key 'memorySizee'") == 1, err
    assert all(line.startswith("warning: ") for line in err.splitlines()), err
    assert "warning:   hint: did you mean 'memorySize'?" in err
    again = _main(["check", str(project)])[2]  # a new run prints it again
    assert again.count("unknown key 'memorySizee'") == 1, again


def test_the_same_warning_reached_twice_prints_once() -> None:
    output.reset()
    first = SchemaError("unknown key 'x'", location=Location("s.yml", 1, 1, Location("a.yml", 1, 1)))
    second = SchemaError("unknown key 'x'", location=Location("s.yml", 1, 1, Location("b.yml", 1, 1)))
    printed = io.StringIO()
    assert output.warning(first, printed) and not output.warning(second, printed)
    assert not output.warning(first, printed)
    assert printed.getvalue().count("unknown key 'x'") == 1
    assert output.warning(SchemaError("unknown key 'x'", location=Location("s.yml", 2, 1)), printed)


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_colour_on_a_terminal_unless_no_color(tmp_path: Path, no_color: str | None, coloured: bool) -> None:
    project = _shared_project(tmp_path / "shared")
    env = _env(**({"NO_COLOR": no_color} if no_color else {}))
    code, seen = _on_terminal(["check", str(project)], env)
    assert code == 0, seen
    assert ("\x1b[1;33mwarning:\x1b[0m " in seen) is coloured, seen
    assert bool(_ANSI.search(seen)) is coloured, seen
    plain = _ANSI.sub("", seen).replace("\r\n", "\n")
    assert all(line.startswith("warning: ") for line in plain.splitlines()), plain


def test_no_colour_into_a_pipe(tmp_path: Path) -> None:
    project = _shared_project(tmp_path / "shared")
    run = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "check", str(project)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0 and "warning: " in run.stderr and "\x1b" not in run.stderr, run.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_line_on_a_terminal(tmp_path: Path, jobs: str) -> None:
    """One line, overwritten in place; with two processes (``--jobs 2``) they count on it together."""
    ensure_seed_built()
    out = tmp_path / "out"
    code, seen = _on_terminal(["synth", str(SEED), "--out", str(out), "--jobs", jobs], _env())
    assert code == 0, seen
    steps = re.findall(r"\r\x1b\[K\[(\d)/2\] synthesizing ([\w-]+)", seen)
    assert sorted(n for n, _ in steps) == ["1", "2"], seen
    assert {name for _, name in steps} == {"test-dev", "auth-dev"}, seen
    assert seen.endswith("\r\x1b[K") and "\n" not in seen.replace("\r\n", ""), repr(seen)
    assert (out / "test-dev.template.json").is_file()


def test_no_progress_into_a_pipe(tmp_path: Path) -> None:
    ensure_seed_built()
    run = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "synth", str(SEED), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "synthesizing" not in run.stderr and "\r" not in run.stderr and "\x1b" not in run.stderr


@pytest.mark.parametrize("no_color", ["", "1"])
def test_no_color_reaches_the_cdk_cli(monkeypatch: pytest.MonkeyPatch, no_color: str) -> None:
    """``NO_COLOR`` also turns the CDK CLI's colours off (its ``--no-color``); the CLI is recorded
    here, not run."""
    from constructs_lib.cli import deploying

    ensure_seed_built()
    ran: list[list[str]] = []

    def record(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        ran.append(argv)
        return subprocess.CompletedProcess(argv, 0)

    monkeypatch.setattr(deploying.subprocess, "run", record)
    monkeypatch.setenv("NO_COLOR", no_color)
    code, _, err = _main(["remove", str(SEED), "--stage", "dev"])
    assert code == 0, err
    assert [argv[1:3] for argv in ran] == [["destroy", "--app"]] * 2, ran
    assert all(("--no-color" in argv) is bool(no_color) for argv in ran), ran
    assert "note: removing auth-dev (us-east-1)\nnote: removing test-dev (us-east-1)\n" in err
