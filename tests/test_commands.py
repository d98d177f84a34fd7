"""The ``sls``-shaped commands end to end on the emulator: ``deploy`` of the seed compose project
with no flags beyond the stage and the endpoint (v3's ``deploymentMethod: direct`` applied by
itself), ``SERVICE deploy``, ``deploy function``, ``invoke``, ``info``, ``logs``, ``package``,
``remove``."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.emulator.fixtures import emulator, emulator_server, prepare_account
from tests.helpers import ROOT, SEED, ensure_seed_built

__all__ = ["emulator", "emulator_server"]  # the fixtures this module uses


def _sls_cdk(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "constructs_lib", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _ok(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    return run.stdout + run.stderr


@pytest.fixture(scope="module")
def user_env(emulator: dict[str, str]) -> tuple[dict[str, str], str]:
    """A user's shell: credentials, no endpoint variable (``--endpoint-url`` gives it)."""
    prepare_account(emulator)
    env = {**os.environ, **emulator, "PYTHONPATH": str(ROOT)}
    url = env.pop("AWS_ENDPOINT_URL")
    env.pop("AWS_PROFILE", None)
    return env, url


def _moto_lambda_docker(url: str, on: bool) -> None:
    """moto's switch: off, an invocation is answered without running the code."""
    body = json.dumps({"lambda": {"use_docker": on}}).encode()
    request = urllib.request.Request(f"{url}/moto-api/config", data=body, method="POST")
    urllib.request.urlopen(request, timeout=10).close()


def _lambda(url: str) -> Any:
    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    return session.client("lambda", endpoint_url=url)


def test_deploy_service_deploy_function_logs_info_remove(
    user_env: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, url = user_env
    ensure_seed_built()
    project = tmp_path / "seed"
    shutil.copytree(SEED, project)
    endpoint = ["--endpoint-url", url]

    printed = _ok(_sls_cdk(["deploy", ".", "--stage", "prod", *endpoint], env, project))
    assert "deploying test-prod" in printed and "deploying auth-prod" in printed
    lam = _lambda(url)
    names = {f["FunctionName"] for f in lam.list_functions()["Functions"]}
    assert {"test-prod-env", "auth-prod-env"} <= names, names

    printed = _ok(_sls_cdk(["auth", "deploy", "--stage", "prod", *endpoint], env, project))
    assert "deploying auth-prod" in printed and "deploying test-prod" not in printed

    config = project / "api" / "v1" / "test" / "serverless.yml"
    config.write_text(config.read_text().replace("memorySize: 128", "memorySize: 256", 1))
    printed = _ok(
        _sls_cdk(["test", "deploy", "function", "-f", "env", "--stage", "prod", *endpoint], env, project)
    )
    assert "function env (test-prod-env) updated" in printed
    assert lam.get_function_configuration(FunctionName="test-prod-env")["MemorySize"] == 256

    # the emulator answers invocations without running the code (no Docker here)
    _moto_lambda_docker(url, False)
    try:
        invoke = ["test", "invoke", "-f", "env", "--data", '{"a": 1}', "--stage", "prod", *endpoint]
        answer = _ok(_sls_cdk(invoke, env, project))
    finally:
        _moto_lambda_docker(url, True)
    assert answer.strip(), answer
    printed = _ok(_sls_cdk(["info", ".", "--stage", "prod"], {**env, "AWS_ENDPOINT_URL": url}, project))
    assert "stack: test-prod" in printed and "test-prod-env" in printed
    _ok(
        _sls_cdk(
            ["test", "logs", "-f", "env", "--stage", "prod", "--startTime", "1h", *endpoint], env, project
        )
    )
    follow = ["test", "logs", "-f", "env", "--tail", "--interval", "200", "--stage", "prod", *endpoint]
    tail = subprocess.Popen(
        [sys.executable, "-m", "constructs_lib", *follow],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(6)  # it polls until Ctrl-C, as sls logs --tail does
    assert tail.poll() is None, tail.communicate()
    tail.send_signal(signal.SIGINT)
    _, tail_err = tail.communicate(timeout=30)
    assert tail.returncode == 130 and "Traceback" not in tail_err, tail_err

    wrong = _sls_cdk(["test", "deploy", "function", "-f", "evn", "--stage", "prod", *endpoint], env, project)
    assert (
        wrong.returncode == 1
        and "no function 'evn'" in wrong.stderr
        and "did you mean 'env'?" in wrong.stderr
    )
    both = _sls_cdk(["deploy", "function", "-f", "env", "--stage", "prod", *endpoint], env, project)
    assert both.returncode == 1 and "services test, auth each have a function 'env'" in both.stderr

    packaged = _ok(
        _sls_cdk(["package", ".", "--stage", "prod", "--package", str(tmp_path / "pkg")], env, project)
    )
    assert "test-prod: 11 resources" in packaged and (tmp_path / "pkg" / "test-prod.template.json").is_file()
    _ok(_sls_cdk(["remove", ".", "--stage", "prod", *endpoint], env, project))
    names = {f["FunctionName"] for f in lam.list_functions()["Functions"]}
    assert not {"test-prod-env", "auth-prod-env"} & names, names


def test_a_missing_cdk_cli_is_named_with_its_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from constructs_lib.cli import deploying
    from constructs_lib.errors import SlsCdkError
    from constructs_lib.loader.service import Project

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(deploying, "__file__", str(tmp_path / "x" / "y" / "z.py"))
    with pytest.raises(SlsCdkError, match="the CDK CLI is not installed") as raised:
        deploying.cdk_cli(Project(root=tmp_path, services=(), stage="dev"))
    assert "npm install --save-dev aws-cdk@" in str(raised.value.hint)


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    from constructs_lib.cli.commands import _parser

    actions = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


def test_every_command_of_the_table_has_a_description_and_examples_that_parse() -> None:
    """Walks the command table: each command's --help has a one-line description and examples,
    and each example is a command line the CLI accepts (parsed as ``main`` parses it)."""
    from constructs_lib.cli.commands import _COMMANDS, _parser, _v3_shaped

    parsers = _subcommands()
    assert set(parsers) == set(_COMMANDS)
    for name, parser in parsers.items():
        assert parser.description and "\n" not in parser.description, name
        text = parser.format_help()
        assert "\nexamples:\nsls-cdk " in text, (name, text)
        examples = text.split("\nexamples:\n", 1)[1].strip().splitlines()
        for line in examples:
            argv = shlex.split(line.split("  #", 1)[0])
            assert argv[0] == "sls-cdk" and name in argv[1:3], (name, line)
            args = _parser().parse_args(_v3_shaped(argv[1:]))
            assert args.command == name, (name, line)


@pytest.mark.parametrize("argv", [["print", "--help"], ["help", "logs"]])
def test_help_runs(argv: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "constructs_lib", *argv], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0 and "examples:\nsls-cdk " in run.stdout, run.stdout
    assert f"usage: sls-cdk {argv[-1] if argv[0] == 'help' else argv[0]}" in run.stdout
