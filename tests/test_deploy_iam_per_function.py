"""End to end for serverless-iam-roles-per-function: reference case f55 deployed into the local
emulator (tests/test_deploy.py's harness), each function with statements on its own role; a changed
statement is an in-place update of that role only; destroy removes the roles."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path
from typing import Any

from constructs_lib.checks.migration import compare
from tests.emulator import ACCOUNT
from tests.emulator.fixtures import aws, emulator, emulator_server  # noqa: F401
from tests.helpers import REFERENCE
from tests.test_deploy import cdk, deploy, synth_for_emulator

_EMULATED = "  deploymentMethod: direct\n  deploymentBucket:\n    name: my.serverless\n"


def _policy(iam: Any, role_name: str) -> list[dict[str, Any]]:
    (name,) = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    document = iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"]
    if isinstance(document, str):  # the emulator keeps a CloudFormation-made policy as Python's repr
        document = ast.literal_eval(document)
    return list(document["Statement"])


def test_function_roles_deploy_update_in_place_and_destroy(
    aws: Any,  # noqa: F811
    emulator: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    project = tmp_path / "f55"
    shutil.copytree(REFERENCE / "f55-iam-per-function-inherit", project)
    config = project / "serverless.yml"
    config.write_text(
        config.read_text().replace("  region: us-east-1\n", "  region: us-east-1\n" + _EMULATED)
    )
    out = tmp_path / "out"
    synth_for_emulator(project, out)
    deploy(out, emulator)

    lam, iam = aws.client("lambda"), aws.client("iam")
    reader_role = iam.get_role(RoleName="perfn-dev-reader-us-east-1-lambdaRole")["Role"]
    reader = lam.get_function(FunctionName="perfn-dev-reader")["Configuration"]
    assert reader["Role"] == reader_role["Arn"]
    shared = iam.get_role(RoleName="perfn-dev-us-east-1-lambdaRole")["Role"]
    assert lam.get_function(FunctionName="perfn-dev-shared")["Configuration"]["Role"] == shared["Arn"]
    assert lam.get_function(FunctionName="perfn-custom-writer")["Configuration"]["Role"].endswith(
        "/perfn-dev-writer-us-east-1-lambdaRole"
    )
    actions = [s["Action"] for s in _policy(iam, "perfn-dev-reader-us-east-1-lambdaRole")]
    assert ["dynamodb:GetItem", "dynamodb:Query"] in actions

    # a changed statement: an in-place update of that role's Policies (RoleName, create-only, is
    # unchanged); the stack takes the new template and keeps the same role and function. The emulator
    # applies no Policies change on a role update (moto updates only a role's description), so the
    # statement is read back from the stack's template.
    before = json.loads((out / "perfn-dev.template.json").read_text())
    config.write_text(config.read_text().replace("dynamodb:Query", "dynamodb:BatchGetItem"))
    shutil.rmtree(out)
    synth_for_emulator(project, out)
    after = json.loads((out / "perfn-dev.template.json").read_text())
    changes = {(c.logical_id, c.kind, c.detail) for c in compare(before, after)}
    assert changes == {("ReaderIamRoleLambdaExecution", "update", "Policies")}
    deploy(out, emulator)
    cf = aws.client("cloudformation")
    assert cf.describe_stacks(StackName="perfn-dev")["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    live = cf.get_template(StackName="perfn-dev")["TemplateBody"]
    live = json.loads(live) if isinstance(live, str) else live
    policy = live["Resources"]["ReaderIamRoleLambdaExecution"]["Properties"]["Policies"][0]
    assert ["dynamodb:GetItem", "dynamodb:BatchGetItem"] in [
        s["Action"] for s in policy["PolicyDocument"]["Statement"]
    ]
    again = iam.get_role(RoleName="perfn-dev-reader-us-east-1-lambdaRole")["Role"]
    assert again["Arn"] == reader_role["Arn"] and again["RoleId"] == reader_role["RoleId"]
    assert lam.get_function(FunctionName="perfn-dev-reader")["Configuration"]["Role"] == reader_role["Arn"]

    cdk("destroy", "--app", str(out), "--all", "--force", env=emulator)
    names = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert not {n for n in names if n.startswith("perfn-dev-")}, names
    assert f":{ACCOUNT}:" in reader_role["Arn"]
