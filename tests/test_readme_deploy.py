"""The README's "Deploying, step by step" executed as written: the commands of the ``sh`` block after
``<!-- deploy steps -->`` run in order (``sls-cdk`` as ``python -m constructs_lib``) on a copy of
``examples/seed``, against the run's emulator (``AWS_ENDPOINT_URL``, as the README says), and each
step's effect is checked: stacks created, the memory change updated in place (same physical IDs),
``deploy function`` through Lambda's API only, ``info`` listing the functions, ``invoke`` reaching
the function (the emulator's documented answer: it cannot run ``provided.al2023`` without Docker),
``logs`` answering, the stacks gone after ``remove``. Changing the README's commands so that they
no longer work, or no longer do these steps, fails this test."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.emulator.fixtures import emulator, emulator_server, prepare_account
from tests.helpers import ROOT, SEED, ensure_seed_built

__all__ = ["emulator", "emulator_server"]  # the fixtures this module uses

README = ROOT / "README.md"
MARK = "<!-- deploy steps -->"
#: what the block does, step by step (a step's kind: see :func:`_kind`)
STEPS = ("deploy", "edit", "deploy", "edit", "deploy function", "info", "invoke", "logs", "remove")
STACKS = ("test-dev", "auth-dev")


def readme_steps(text: str) -> list[list[str]]:
    """The commands of the ``sh`` block after :data:`MARK`, each split as the shell splits it
    (comments dropped)."""
    assert text.count(MARK) == 1, f"README.md must mark the deploy steps once with {MARK}"
    block = re.match(r"\s*```sh\n(.*?)\n```", text.split(MARK, 1)[1], re.S)
    assert block is not None, f"no ```sh block right after {MARK}"
    return [argv for line in block[1].splitlines() if (argv := shlex.split(line, comments=True))]


def _kind(argv: list[str]) -> str:
    """``edit`` for a file edit, else the sls-cdk command (``SERVICE`` first skipped)."""
    if argv[0] != "sls-cdk":
        return "edit"
    words = [w for w in argv[1:4] if not w.startswith("-")]
    if words[0] not in {k.split()[0] for k in STEPS}:
        words = words[1:]  # `sls-cdk test deploy ...`: the compose service first
    return "deploy function" if words[:2] == ["deploy", "function"] else words[0]


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "constructs_lib", *argv[1:]] if argv[0] == "sls-cdk" else argv
    run = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    return run


def _ok(run: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert run.returncode == 0, (run.args, run.stdout[-2000:], run.stderr[-3000:])
    return run


def _physical_ids(cf: Any, stack: str) -> dict[str, str]:
    resources = cf.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}


def _status(cf: Any, stack: str) -> str:
    return str(cf.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"])


def _assert_in_place(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> None:
    """Every resource kept its physical ID; only the function's version is new (its logical ID
    hashes the configuration, as v3 publishes a version per change)."""
    for stack in STACKS:
        kept = before[stack].keys() & after[stack].keys()
        assert {k: after[stack][k] for k in kept} == {k: before[stack][k] for k in kept}, stack
        changed = before[stack].keys() ^ after[stack].keys()
        assert all(k.startswith("EnvLambdaVersion") for k in changed), (stack, changed)
        assert len(changed) == (2 if stack == "test-dev" else 0), (stack, changed)


def _live(cf: Any) -> set[str]:
    summaries = cf.list_stacks()["StackSummaries"]
    return {s["StackName"] for s in summaries if s["StackStatus"] != "DELETE_COMPLETE"}


def test_the_readme_block_is_the_documented_sequence() -> None:
    steps = readme_steps(README.read_text())
    assert tuple(_kind(argv) for argv in steps) == STEPS, steps
    assert steps[0] == ["sls-cdk", "deploy", "examples/seed", "--stage", "dev"]


@pytest.fixture
def clients(emulator: dict[str, str]) -> dict[str, Any]:
    prepare_account(emulator)
    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    url = emulator["AWS_ENDPOINT_URL"]
    return {name: session.client(name, endpoint_url=url) for name in ("cloudformation", "lambda")}


def test_readme_deploy_steps_run_as_written(
    emulator: dict[str, str], clients: dict[str, Any], tmp_path: Path
) -> None:
    ensure_seed_built()
    shutil.copytree(SEED, tmp_path / "examples" / "seed")
    config = tmp_path / "examples" / "seed" / "api" / "v1" / "test" / "serverless.yml"
    env = {**os.environ, **emulator, "PYTHONPATH": str(ROOT)}
    env.pop("AWS_PROFILE", None)
    cf, lam = clients["cloudformation"], clients["lambda"]
    steps = readme_steps(README.read_text())
    assert tuple(_kind(argv) for argv in steps) == STEPS, steps
    try:
        _check_steps(steps, env, tmp_path, config, cf, lam)
    finally:  # a failed step must not leave the seed's dev stacks to the run's other tests
        for stack in STACKS:
            if stack in _live(cf):
                cf.delete_stack(StackName=stack)


def _check_steps(
    steps: list[list[str]], env: dict[str, str], cwd: Path, config: Path, cf: Any, lam: Any
) -> None:
    deploy, edit, redeploy, edit_again, function, info, invoke, logs, remove = steps

    _ok(_run(deploy, env, cwd))
    assert {_status(cf, stack) for stack in STACKS} == {"CREATE_COMPLETE"}
    assert lam.get_function_configuration(FunctionName="test-dev-env")["MemorySize"] == 128
    before = {stack: _physical_ids(cf, stack) for stack in STACKS}

    _ok(_run(edit, env, cwd))
    assert "memorySize: 256" in config.read_text()
    _ok(_run(redeploy, env, cwd))
    assert lam.get_function_configuration(FunctionName="test-dev-env")["MemorySize"] == 256
    assert _status(cf, "test-dev") == "UPDATE_COMPLETE"
    assert _status(cf, "auth-dev") == "CREATE_COMPLETE"  # unchanged: not deployed again
    _assert_in_place(before, {stack: _physical_ids(cf, stack) for stack in STACKS})

    _ok(_run(edit_again, env, cwd))
    assert "memorySize: 512" in config.read_text()
    printed = _ok(_run(function, env, cwd))
    assert "function env (test-dev-env) updated" in printed.stdout
    deployed = lam.get_function_configuration(FunctionName="test-dev-env")
    zipped = (config.parent / "boot.zip").read_bytes()
    assert deployed["MemorySize"] == 512
    assert deployed["CodeSha256"] == base64.b64encode(hashlib.sha256(zipped).digest()).decode()
    template = cf.get_template(StackName="test-dev")["TemplateBody"]
    template = template if isinstance(template, dict) else json.loads(template)
    assert template["Resources"]["EnvLambdaFunction"]["Properties"]["MemorySize"] == 256  # stack untouched
    assert _status(cf, "test-dev") == "UPDATE_COMPLETE"

    shown = _ok(_run(info, env, cwd)).stdout
    assert "stack: test-dev (UPDATE_COMPLETE)" in shown and "stack: auth-dev (CREATE_COMPLETE)" in shown
    assert "  env: test-dev-env" in shown and "  env: auth-dev-env" in shown
    assert "HttpApiUrl: " in shown and "EnvLambdaFunctionUrl: " in shown

    # the emulator cannot run provided.al2023 without Docker: the README's documented outcome
    answered = _run(invoke, env, cwd)
    assert answered.returncode == 1, (answered.stdout, answered.stderr)
    assert "error running docker" in answered.stdout
    assert "error: test-dev-env failed (Handled)" in answered.stderr

    _ok(_run(logs, env, cwd))

    _ok(_run(remove, env, cwd))
    assert not set(STACKS) & _live(cf)
    left = {f["FunctionName"] for f in lam.list_functions()["Functions"]}
    assert not {"test-dev-env", "auth-dev-env"} & left, left
