"""Build hooks (serverless-plugin-scripts): run only when asked, in order, safely, with clean errors."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from constructs_lib.cli.commands import main
from constructs_lib.errors import SlsCdkError
from constructs_lib.loader.build import DEFAULT_HOOK_TIMEOUT_S, KNOWN_EVENTS, PACKAGE_EVENTS, build_events
from constructs_lib.loader.project import load_project
from tests.helpers import SEED

SERVICE = """\
service: hooks
provider:
  name: aws
  runtime: provided.al2023
  region: us-east-1
  iam:
    role: arn:aws:iam::123456789012:role/r
  deploymentBucket:
    name: my.serverless
plugins:
  - serverless-plugin-scripts
custom:
  scripts:
    hooks:
{hooks}
    commands:
      hello: echo hello-from-command > said.txt
package:
  artifact: out/boot.zip
functions:
  f:
    handler: bootstrap
"""


def write(tmp_path: Path, hooks: dict[str, str]) -> Path:
    lines = "\n".join(f"      {json.dumps(event)}: {json.dumps(cmd)}" for event, cmd in hooks.items())
    (tmp_path / "serverless.yml").write_text(SERVICE.format(hooks=lines))
    return tmp_path


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


MAKE_ZIP = "mkdir -p out && printf 'PK\\005\\006' > out/boot.zip && head -c 18 /dev/zero >> out/boot.zip"


def test_hooks_run_in_lifecycle_order_only_when_asked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "after:package:createDeploymentArtifacts": "echo after >> order.txt",
            "before:package:createDeploymentArtifacts": f"echo before >> order.txt && {MAKE_ZIP}",
            "before:deploy:deploy": "echo deploy >> order.txt",
        },
    )
    with pytest.raises(Exception, match=r"artifact 'out/boot\.zip' not found"):
        load_project(tmp_path)  # no build: nothing runs, the missing artifact names the hook
    assert not (tmp_path / "order.txt").exists()
    project = load_project(tmp_path, build=True)
    assert (tmp_path / "order.txt").read_text().split() == ["before", "after"]
    assert any("before:deploy:deploy" in n.message for n in project.services[0].notices)


def test_failing_hook_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"before:package:createDeploymentArtifacts": "echo compiling; echo 'dart: not found' >&2; exit 7"},
    )
    out = tmp_path / "cdk.out"
    code, _, err = run_cli("synth", str(tmp_path), "--build", "--out", str(out))
    assert code == 1
    assert (
        "serverless.yml:15:7: custom.scripts.hooks.before:package:createDeploymentArtifacts: "
        "hooks: hook 'before:package:createDeploymentArtifacts' failed with exit code 7" in err
    )
    assert "dart: not found" in err and "Traceback" not in err
    assert not out.exists()


def test_interpolated_values_cannot_inject_shell(tmp_path: Path) -> None:
    write(
        tmp_path, {"before:package:createDeploymentArtifacts": f"echo ${{opt:name}} > said.txt && {MAKE_ZIP}"}
    )
    evil = "x; touch pwned"
    load_project(tmp_path, build=True, options={"name": evil})
    assert not (tmp_path / "pwned").exists()
    assert (tmp_path / "said.txt").read_text().strip() == evil


def test_run_command(tmp_path: Path) -> None:
    write(tmp_path, {"before:package:createDeploymentArtifacts": MAKE_ZIP})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "boot.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    code, _, err = run_cli("run", "hello", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / "said.txt").read_text().strip() == "hello-from-command"
    code, _, err = run_cli("run", "nope", str(tmp_path))
    assert code == 1 and "no custom.scripts.commands entry named 'nope'" in err and "known: hello" in err


def test_seed_build_hook_makes_the_artifact(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(SEED, seed, ignore=shutil.ignore_patterns("boot.zip"))
    env = {**os.environ, "PYTHON": shutil.which("python3") or "python3"}
    project = load_project(seed / "serverless-compose.yml", build=True, env=env)
    assert [svc.name for svc in project.services] == ["test", "auth"]
    assert (seed / "api" / "v1" / "test" / "boot.zip").is_file()


def test_lifecycle_table() -> None:
    assert PACKAGE_EVENTS.index("before:package:createDeploymentArtifacts") < PACKAGE_EVENTS.index(
        "package:createDeploymentArtifacts"
    )
    ordered, others = build_events(
        {"package:finalize": "a", "before:package:initialize": "b", "deploy:deploy": "c"}
    )
    assert ordered == [("before:package:initialize", "b"), ("package:finalize", "a")]
    assert others == ["deploy:deploy"]


def test_lifecycle_events_are_v3s() -> None:
    """Read from serverless@3.40.0's commands schema and internal aws: commands."""
    for event in (
        "before:package:createDeploymentArtifacts",
        "after:deploy:deploy",
        "before:deploy:function:packageFunction",
        "aws:deploy:deploy:uploadArtifacts",
        "after:aws:package:finalize:saveServiceState",
        "before:remove:remove",
        "initialize",
    ):
        assert event in KNOWN_EVENTS, event
    assert "package:createDeploymentArtifact" not in KNOWN_EVENTS and "deploy" not in KNOWN_EVENTS


def test_unknown_hook_event_is_an_error_before_anything_runs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "before:package:createDeploymentArtifacts": "echo ran > ran.txt",
            "after:package:finalise": "echo never",
        },
    )
    for argv in (["check", str(tmp_path)], ["synth", str(tmp_path), "--build", "--out", str(tmp_path / "o")]):
        code, _, err = run_cli(*argv)
        assert code == 1 and "Traceback" not in err
        assert (
            "serverless.yml:16:7: custom.scripts.hooks.after:package:finalise: hook event 'after:package:finalise'"
            " is not a lifecycle event of Serverless v3" in err
        )
        assert "did you mean 'after:package:finalize'?" in err
    assert not (tmp_path / "ran.txt").exists() and not (tmp_path / "o").exists()


def test_hooks_of_the_plugins_own_commands_are_known(tmp_path: Path) -> None:
    write(tmp_path, {"before:package:createDeploymentArtifacts": MAKE_ZIP, "hello:hello": "echo hi"})
    project = load_project(tmp_path, build=True)
    assert any("'hello:hello' is not run" in n.message for n in project.services[0].notices)


def test_a_hook_that_outlives_its_timeout_is_stopped(tmp_path: Path) -> None:
    """``custom.slsCdk.hookTimeout`` seconds, then the hook's whole process group is killed."""
    write(
        tmp_path,
        {"before:package:createDeploymentArtifacts": "echo started; sleep 60 & sleep 60; echo never"},
    )
    text = (tmp_path / "serverless.yml").read_text()
    (tmp_path / "serverless.yml").write_text(
        text.replace("custom:\n", "custom:\n  slsCdk:\n    hookTimeout: 1\n")
    )
    start = time.monotonic()
    with pytest.raises(SlsCdkError) as info:
        load_project(tmp_path, build=True)
    assert time.monotonic() - start < 10
    message = info.value.format()
    assert (
        "serverless.yml:17:7: custom.scripts.hooks.before:package:createDeploymentArtifacts: hooks: hook "
        "'before:package:createDeploymentArtifacts' did not finish within 1 s and was stopped" in message
    )
    assert message.endswith(
        "raise custom.slsCdk.hookTimeout (seconds) if it needs longer; last lines of its output:\n    started"
    )


def test_default_timeout_is_fifteen_minutes() -> None:
    assert DEFAULT_HOOK_TIMEOUT_S == 900
