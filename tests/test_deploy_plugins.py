"""End to end, one reference case per translated plugin (issue 18): synthesized as written, deployed
to the local emulator with the real CDK CLI, changed through the plugin's own input and deployed
again (updated in place: every physical id kept), then destroyed.

The four pipelines run at once (each is CDK CLI and synth subprocesses; their stacks differ), so the
module costs about one of them; each test waits for its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.emulator import ACCOUNT
from tests.emulator.fixtures import emulator, emulator_server, prepare_account
from tests.helpers import REFERENCE, ROOT
from tests.reference.git_repo import make_repo

__all__ = ["emulator", "emulator_server"]  # the fixtures this module uses

CDK = ROOT / "node_modules" / ".bin" / "cdk"


@dataclass
class State:
    """What the emulator holds for a stack: physical ids, function settings, rule schedules."""

    ids: dict[str, str]
    functions: dict[str, dict[str, Any]]
    schedules: dict[str, str]


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(args[:4])}: {result.stderr[-3000:]}"
    return result.stdout + result.stderr


class Pipeline:
    """One case's deploy cycle against the emulator, in a folder of its own."""

    def __init__(self, case: str, tmp: Path, env: dict[str, str], stage: str = "dev") -> None:
        self.folder = tmp / case / "case"  # `case`: the git-variables case's repository name
        shutil.copytree(REFERENCE / case, self.folder)
        self.env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        self.env.pop("AWS_PROFILE", None)
        self.stage, self.out = stage, tmp / case / "cdk.out"
        session = boto3.session.Session(
            aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
        )
        self.client: Callable[[str], Any] = lambda name: session.client(
            name, endpoint_url=env["AWS_ENDPOINT_URL"]
        )

    def deploy(self, *synth_flags: str) -> tuple[str, State]:
        """Synthesize (into a fresh cloud assembly) and deploy; the synth output and the state."""
        shutil.rmtree(self.out, ignore_errors=True)
        synth = [sys.executable, "-m", "constructs_lib", "synth", str(self.folder), "--out", str(self.out)]
        printed = _run([*synth, "--stage", self.stage, *synth_flags], ROOT, self.env)
        args = ["deploy", "--app", str(self.out), "--all", "--method=direct", "--require-approval", "never"]
        _run([str(CDK), *args], ROOT, self.env)
        (stack,) = [p.name.removesuffix(".template.json") for p in self.out.glob("*.template.json")]
        return printed, self.state(stack)

    def state(self, stack: str) -> State:
        resources = self.client("cloudformation").list_stack_resources(StackName=stack)
        ids = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources["StackResourceSummaries"]}
        types = {r["LogicalResourceId"]: r["ResourceType"] for r in resources["StackResourceSummaries"]}
        lam, events = self.client("lambda"), self.client("events")
        functions = {
            ids[k]: lam.get_function_configuration(FunctionName=ids[k])
            for k, t in types.items()
            if t == "AWS::Lambda::Function"
        }
        schedules = {
            ids[k]: events.describe_rule(Name=ids[k]).get("ScheduleExpression", "")
            for k, t in types.items()
            if t == "AWS::Events::Rule"
        }
        return State(ids, functions, schedules)

    def destroy(self, stack: str) -> None:
        _run([str(CDK), "destroy", "--app", str(self.out), "--all", "--force"], ROOT, self.env)
        live = [
            s["StackName"]
            for s in self.client("cloudformation").list_stacks()["StackSummaries"]
            if s["StackStatus"] != "DELETE_COMPLETE"
        ]
        assert stack not in live
        functions = self.client("lambda").list_functions()["Functions"]
        assert not [f["FunctionName"] for f in functions if f["FunctionName"].startswith(f"{stack}-")]
        apis = self.client("apigatewayv2").get_apis()["Items"]
        service, stage = stack.rsplit("-", 1)
        assert f"{stage}-{service}" not in [a["Name"] for a in apis]  # v3's HTTP API name


def _same_resources(before: State, after: State) -> None:
    """Updated in place: a logical id in both deploys names the same physical resource (a Lambda
    version is new by design: its logical id changes with the code or configuration)."""
    kept = set(before.ids) & set(after.ids)
    assert kept, "nothing kept"
    assert {k: after.ids[k] for k in kept} == {k: before.ids[k] for k in kept}


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text()
    assert old in text, f"{file.name}: {old!r} not found"
    file.write_text(text.replace(old, new))


def warmup(tmp: Path, env: dict[str, str]) -> None:
    """serverless-plugin-warmup (f52): the warmer's schedule changes; same rule, same warmer."""
    run = Pipeline("f52-warmup-httpapi", tmp, env)
    _, before = run.deploy()
    warmer = before.functions["api-dev-warmup-plugin-default"]
    (rule,) = before.schedules
    targets = run.client("events").list_targets_by_rule(Rule=rule)["Targets"]
    assert [t["Arn"] for t in targets] == [warmer["FunctionArn"]]  # the schedule invokes the warmer
    assert list(before.schedules.values()) == ["rate(5 minutes)"]
    _edit(
        run.folder / "serverless.yml",
        "      concurrency: 2\n",
        "      concurrency: 2\n      events:\n        - schedule: rate(10 minutes)\n",
    )
    _, after = run.deploy()
    _same_resources(before, after)
    assert list(after.schedules.values()) == ["rate(10 minutes)"]
    assert list(after.schedules) == list(before.schedules)  # the same rule, updated
    run.destroy("api-dev")


def git_variables(tmp: Path, env: dict[str, str]) -> None:
    """serverless-plugin-git-variables (f53): a new commit changes ${git:sha1} in a description and
    the GIT_* variables the plugin exports; the functions are updated in place."""
    run = Pipeline("f53-git-variables-httpapi", tmp, env)
    make_repo(run.folder)
    git = ["git", "-c", "user.name=Cy Coder", "-c", "user.email=cy@example.com"]
    sha = _run([*git, "rev-parse", "HEAD"], run.folder, run.env).strip()
    _, before = run.deploy()
    items = before.functions["gitapi-dev-items"]
    assert items["Description"] == f"items at {sha[:7]} on feature/api"
    assert items["Environment"]["Variables"]["GIT_COMMIT_LONG"] == sha
    (run.folder / "CHANGELOG").write_text("next\n")
    _run([*git, "add", "CHANGELOG"], run.folder, run.env)
    _run([*git, "commit", "-q", "-m", "Next"], run.folder, run.env)
    new = _run([*git, "rev-parse", "HEAD"], run.folder, run.env).strip()
    _, after = run.deploy()
    _same_resources(before, after)
    items = after.functions["gitapi-dev-items"]
    assert items["Description"] == f"items at {new[:7]} on feature/api"
    assert items["Environment"]["Variables"]["GIT_COMMIT_LONG"] == new
    assert items["FunctionArn"] == before.functions["gitapi-dev-items"]["FunctionArn"]
    run.destroy("gitapi-dev")


def dotenv(tmp: Path, env: dict[str, str]) -> None:
    """serverless-dotenv-plugin (f54): a changed value in .env.dev reaches every function (expanded
    into another), and the function's own environment still wins."""
    run = Pipeline("f54-dotenv-plugin-httpapi", tmp, env)
    _, before = run.deploy()
    orders = before.functions["dotenvapi-dev-orders"]["Environment"]["Variables"]
    assert orders["LOG_LEVEL"] == "debug" and orders["API_PREFIX"] == "dev-debug"
    _edit(run.folder / ".env.dev", "LOG_LEVEL=debug", "LOG_LEVEL=trace")
    _, after = run.deploy()
    _same_resources(before, after)
    for name in ("dotenvapi-dev-orders", "dotenvapi-dev-order"):
        variables = after.functions[name]["Environment"]["Variables"]
        assert variables["LOG_LEVEL"] == "trace" and variables["API_PREFIX"] == "dev-trace"
    assert (
        after.functions["dotenvapi-dev-order"]["Environment"]["Variables"]["TABLE_NAME"] == "orders-override"
    )
    run.destroy("dotenvapi-dev")


def scripts(tmp: Path, env: dict[str, str]) -> None:
    """serverless-plugin-scripts (17, the example at stage prod): ``synth --build`` runs the build
    hook before synthesizing; a changed memory size and hook deploy in place."""
    run = Pipeline("17-example-stage-prod", tmp, env, stage="prod")
    _edit(run.folder / "serverless.yml", ":123456:", f":{ACCOUNT}:")  # a role ARN the emulator accepts
    printed, before = run.deploy("--build")
    assert "build" in printed.split()
    assert before.functions["test-prod-env"]["MemorySize"] == 128
    _edit(run.folder / "serverless.yml", "memorySize: 128", "memorySize: 256")
    _edit(run.folder / "serverless.yml", "echo build", "echo rebuilt")
    printed, after = run.deploy("--build")
    assert "rebuilt" in printed.split()
    _same_resources(before, after)
    assert after.functions["test-prod-env"]["MemorySize"] == 256
    run.destroy("test-prod")


CASES: dict[str, Callable[[Path, dict[str, str]], None]] = {
    "serverless-plugin-warmup": warmup,
    "serverless-plugin-git-variables": git_variables,
    "serverless-dotenv-plugin": dotenv,
    "serverless-plugin-scripts": scripts,
}


@pytest.fixture(scope="module")
def cycles(
    emulator: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[None]]]:
    """Every case's cycle, started at once after ``cdk bootstrap`` (the cases' code goes to CDK's
    bucket, as on AWS)."""
    env = {**os.environ, **emulator}
    env.pop("AWS_PROFILE", None)
    prepare_account(emulator)
    _run([str(CDK), "bootstrap", f"aws://{ACCOUNT}/us-east-1"], ROOT, env)
    tmp = tmp_path_factory.mktemp("plugins")
    with ThreadPoolExecutor(max_workers=len(CASES)) as pool:
        yield {plugin: pool.submit(cycle, tmp, emulator) for plugin, cycle in CASES.items()}


@pytest.mark.parametrize("plugin", list(CASES))
def test_plugin_case_deploys_updates_in_place_and_destroys(
    cycles: dict[str, Future[None]], plugin: str
) -> None:
    cycles[plugin].result()
