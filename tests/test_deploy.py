"""End to end: the real CDK CLI deploys synthesized stacks into the local AWS emulator
(:mod:`tests.emulator`: moto's server with the CloudFormation models it lacks registered), exactly
as ``synth`` wrote them, and a v3 stack is taken over in place."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.checks.migration import compare
from constructs_lib.cli.commands import main as cli
from tests.emulator import ACCOUNT
from tests.emulator.fixtures import aws, emulator, emulator_server
from tests.helpers import REFERENCE, ROOT, SEED, ensure_seed_built

__all__ = ["aws", "emulator", "emulator_server"]  # the fixtures this module uses

CDK = ROOT / "node_modules" / ".bin" / "cdk"


def synth_for_emulator(project: Path, out: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert cli(["synth", str(project), "--out", str(out)]) == 0


def cdk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(CDK), *args], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result


def deploy(out: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return cdk(
        "deploy", "--app", str(out), "--all", "--method=direct", "--require-approval", "never", env=env
    )


def test_seed_deploys_updates_in_place_and_destroys(
    aws: Any, emulator: dict[str, str], tmp_path: Path
) -> None:
    ensure_seed_built()
    project = tmp_path / "seed"
    shutil.copytree(SEED, project)
    out = tmp_path / "out"
    synth_for_emulator(project, out)
    deploy(out, emulator)

    lam, logs, s3 = aws.client("lambda"), aws.client("logs"), aws.client("s3")
    before = lam.get_function(FunctionName="test-dev-env")["Configuration"]
    assert before["Runtime"] == "provided.al2023" and before["Handler"] == "bootstrap"
    assert before["MemorySize"] == 128
    assert before["Role"] == f"arn:aws:iam::{ACCOUNT}:role/serverless"
    assert lam.get_function(FunctionName="auth-dev-env")["Configuration"]["FunctionName"] == "auth-dev-env"
    groups = {g["logGroupName"]: g.get("retentionInDays") for g in logs.describe_log_groups()["logGroups"]}
    assert groups["/aws/lambda/test-dev-env"] == 1 and groups["/aws/lambda/auth-dev-env"] == 1
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="my.serverless")["Contents"]]
    assert any(k.startswith("serverless/test/dev/") and k.endswith(".zip") for k in keys)
    api = _http_api_and_url(aws)

    # a changed memorySize updates the same function in place
    service = project / "api" / "v1" / "test" / "serverless.yml"
    service.write_text(service.read_text().replace("memorySize: 128", "memorySize: 256"))
    shutil.rmtree(out)
    synth_for_emulator(project, out)
    deploy(out, emulator)
    after = lam.get_function(FunctionName="test-dev-env")["Configuration"]
    assert after["MemorySize"] == 256 and after["FunctionArn"] == before["FunctionArn"]
    assert _http_api_and_url(aws) == api  # the HTTP API and the function URL kept too
    assert "/aws/lambda/test-dev-env" in {g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]}

    # nothing changed: CDK skips the stacks
    again = deploy(out, emulator)
    assert "(no changes)" in again.stdout + again.stderr

    # sls info
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert cli(["info", str(project / "serverless-compose.yml")]) == 0
    text = printed.getvalue()
    assert "stack: test-dev (UPDATE_COMPLETE)" in text and "  env: auth-dev-env" in text
    assert "ServerlessDeploymentBucketName: my.serverless" in text

    cdk("destroy", "--app", str(out), "--all", "--force", env=emulator)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert cli(["info", str(project / "serverless-compose.yml")]) == 1
    assert "stack test-dev is not deployed in us-east-1" in err.getvalue()
    cf = aws.client("cloudformation")
    live = [
        s["StackName"] for s in cf.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"
    ]
    assert "test-dev" not in live and "auth-dev" not in live
    left = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    assert "test-dev-env" not in left and "auth-dev-env" not in left
    remaining = {o["Key"] for o in s3.list_objects_v2(Bucket="my.serverless")["Contents"]}
    assert set(keys) <= remaining  # destroy leaves the deployment bucket's objects alone


def _http_api_and_url(aws: Any) -> tuple[str, str]:
    """The seed's HTTP API and function URL exist in the emulator's backends, with the routes and
    settings of the template, and the stack's outputs name them."""
    cf, v2, lam = aws.client("cloudformation"), aws.client("apigatewayv2"), aws.client("lambda")
    outputs = {
        o["OutputKey"]: o["OutputValue"]
        for o in cf.describe_stacks(StackName="test-dev")["Stacks"][0]["Outputs"]
    }
    (api,) = [a for a in v2.get_apis()["Items"] if a["Name"] == "dev-test"]
    assert outputs["HttpApiId"] == api["ApiId"] and outputs["HttpApiUrl"] == api["ApiEndpoint"]
    assert api["CorsConfiguration"]["AllowOrigins"] == ["*"]
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]] == ["GET /env"]
    assert [s["StageName"] for s in v2.get_stages(ApiId=api["ApiId"])["Items"]] == ["$default"]
    url = lam.get_function_url_config(FunctionName="test-dev-env")
    assert outputs["EnvLambdaFunctionUrl"] == url["FunctionUrl"] and url["InvokeMode"] == "RESPONSE_STREAM"
    return api["ApiId"], url["FunctionUrl"]


@pytest.mark.parametrize("case", ["00-example-test", "01a-iam-statements"])
def test_v3_stack_is_taken_over_in_place(
    aws: Any, emulator: dict[str, str], tmp_path: Path, case: str
) -> None:
    source = REFERENCE / case
    assert source.is_dir(), f"reference case {case} missing"  # the cases live in tests/reference/sls3
    # The shared inputs use a 6-digit account id, which the emulator (like AWS) refuses in role ARNs:
    # the same substitution on both sides, v3's template and the input we synthesize.
    folder = tmp_path / case
    shutil.copytree(source, folder)
    for name in ("serverless.yml", "cloudformation-template-update-stack.json"):
        file = folder / name
        file.write_text(file.read_text().replace(":123456:", f":{ACCOUNT}:"))
    theirs = json.loads((folder / "cloudformation-template-update-stack.json").read_text())
    # v3's own artifact location must exist, as after a real `sls deploy`
    s3 = aws.client("s3")
    for res in theirs["Resources"].values():
        code = res.get("Properties", {}).get("Code")
        if code:
            s3.put_object(Bucket=code["S3Bucket"], Key=code["S3Key"], Body=(folder / "boot.zip").read_bytes())
    stack = "test-dev"
    cf = aws.client("cloudformation")
    with contextlib.suppress(Exception):
        cf.delete_stack(StackName=stack)  # a previous case's stack of the same name
    cf.create_stack(
        StackName=stack,
        TemplateBody=json.dumps(theirs),
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    )
    assert cf.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    lam = aws.client("lambda")
    v3_function = lam.get_function(FunctionName="test-dev-env")["Configuration"]
    v3_ids = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cf.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    }

    out = tmp_path / "out"
    synth_for_emulator(folder, out)
    ours = json.loads((out / f"{stack}.template.json").read_text())
    changes = compare(theirs, ours)
    assert [c for c in changes if c.kind in ("replace", "remove")] == []  # what AWS would do
    deploy(out, emulator)

    assert cf.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"].endswith("COMPLETE")
    taken = lam.get_function(FunctionName="test-dev-env")["Configuration"]
    assert taken["FunctionArn"] == v3_function["FunctionArn"]  # the same function, updated
    now = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cf.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    }
    for logical_id in set(v3_ids) & set(now):
        assert now[logical_id] == v3_ids[logical_id], logical_id
    if "IamRoleLambdaExecution" in v3_ids:
        role = aws.client("iam").get_role(RoleName="test-dev-us-east-1-lambdaRole")["Role"]
        assert taken["Role"] == role["Arn"]
    cf.delete_stack(StackName=stack)
