"""Build hooks (serverless-plugin-scripts): run only when asked, in order, safely, with clean errors."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from constructs_lib.cli.commands import main
from constructs_lib.loader.build import PACKAGE_EVENTS, build_events
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
    assert "hooks: hook 'before:package:createDeploymentArtifacts' failed with exit code 7" in err
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
    ordered, others = build_events({"package:finalize": "a", "before:package:initialize": "b", "x:y": "c"})
    assert ordered == [("before:package:initialize", "b"), ("package:finalize", "a")] and others == ["x:y"]
