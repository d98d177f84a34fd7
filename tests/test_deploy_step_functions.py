"""End to end: a service with a serverless-step-functions state machine (generated role, a
function task) deploys into the local AWS emulator with the real CDK CLI, a
changed definition updates the same state machine in place, and destroy removes it (the
emulator and its harness are tests/test_deploy.py's). Harness fact: the emulator cannot resolve
``Fn::Sub`` with a variable map, so the task names its function by ``Ref`` (the plugin then
writes the function's static ARN, a plain ``Fn::Sub``); it does not model activities, and its
stack deletion leaves the state machine itself behind, so destroy is checked on the stack."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.emulator.fixtures import aws, emulator, emulator_server  # noqa: F401
from tests.helpers import REFERENCE
from tests.test_deploy import cdk, deploy, synth_for_emulator

_SERVICE = """service: sfdeploy
frameworkVersion: "3"
plugins:
  - serverless-step-functions
provider:
  name: aws
  runtime: provided.al2023
  region: us-east-1
  deploymentMethod: direct
  deploymentBucket:
    name: my.serverless
functions:
  work:
    handler: bootstrap
    package:
      artifact: boot.zip
stepFunctions:
  stateMachines:
    flow:
      name: sfdeploy-flow
      definition:
        Comment: COMMENT
        StartAt: Work
        States:
          Work:
            Type: Task
            Resource:
              Ref: work
            End: true
"""


def _write(project: Path, comment: str) -> None:
    (project / "serverless.yml").write_text(_SERVICE.replace("COMMENT", comment))


def test_state_machine_deploys_updates_in_place_and_destroys(
    aws: Any,  # noqa: F811
    emulator: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    project = tmp_path / "svc"
    project.mkdir()
    shutil.copyfile(REFERENCE / "08-schedule" / "boot.zip", project / "boot.zip")
    _write(project, "first")
    out = tmp_path / "out"
    synth_for_emulator(project, out)
    deploy(out, emulator)

    sfn = aws.client("stepfunctions")
    (machine,) = [m for m in sfn.list_state_machines()["stateMachines"] if m["name"] == "sfdeploy-flow"]
    described = sfn.describe_state_machine(stateMachineArn=machine["stateMachineArn"])
    definition = json.loads(described["definition"])
    assert definition["Comment"] == "first"
    assert definition["States"]["Work"]["Resource"].endswith(":function:sfdeploy-dev-work")
    assert ":role/" in described["roleArn"]

    _write(project, "second")
    shutil.rmtree(out)
    synth_for_emulator(project, out)
    deploy(out, emulator)
    after = sfn.describe_state_machine(stateMachineArn=machine["stateMachineArn"])
    assert json.loads(after["definition"])["Comment"] == "second"

    cdk("destroy", "--app", str(out), "--all", "--force", env=emulator)
    cf = aws.client("cloudformation")
    live = [
        s["StackName"] for s in cf.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"
    ]
    assert "sfdeploy-dev" not in live
