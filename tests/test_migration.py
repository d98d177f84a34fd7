"""The replacement report: what deploying our template over another would replace or delete."""

from __future__ import annotations

import contextlib
import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.checks.migration import compare, format_report
from constructs_lib.cli.commands import main
from tests.helpers import REFERENCE, synth

PERMISSION = {
    "Type": "AWS::Lambda::Permission",
    "Properties": {
        "FunctionName": {"Fn::GetAtt": ["EnvLambdaFunction", "Arn"]},
        "Action": "lambda:InvokeFunction",
        "Principal": "apigateway.amazonaws.com",
        "SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "HttpApi"}, "/*"]]},
    },
}


def test_create_only_change_is_a_replacement() -> None:
    """The example the brief gives: a permission scoped to the route instead of <api>/* is replaced."""
    new = copy.deepcopy(PERMISSION)
    new["Properties"]["SourceArn"] = {"Fn::Join": ["", ["arn:", {"Ref": "HttpApi"}, "/*/*/env"]]}
    changes = compare({"Resources": {"P": PERMISSION}}, {"Resources": {"P": new}})
    assert [(c.logical_id, c.kind) for c in changes] == [("P", "replace")]
    assert "SourceArn" in changes[0].detail


def test_stateful_removal_and_renames_are_flagged() -> None:
    table = {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "t"}}
    old = {
        "Resources": {
            "MyTable": table,
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 128}},
        }
    }
    new = {
        "Resources": {
            "MyTableV2": table,
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 256}},
        }
    }
    changes = {c.logical_id: c for c in compare(old, new)}
    assert changes["MyTable"].kind == "remove" and changes["MyTable"].risky
    assert changes["MyTableV2"].kind == "add"
    assert changes["Fn"].kind == "update" and changes["Fn"].detail == "MemorySize"
    assert "!! DATA" in format_report(list(changes.values()))


@pytest.mark.parametrize(
    "case",
    [
        "00-example-test",
        "01a-iam-statements",
        "06a-no-deployment-bucket",
        "14-resources-outputs",
        "f1-function-options",
        "f7-events-queues-topics-streams",
        "f11-rest-api",
    ],
)
def test_our_template_replaces_nothing_of_v3s(case: str) -> None:
    folder = REFERENCE / case
    assert folder.is_dir(), f"reference case {case} missing"  # the cases live in tests/reference/sls3
    theirs = json.loads((folder / "cloudformation-template-update-stack.json").read_text())
    (ours,) = synth(folder, stage="dev").values()
    changes = compare(theirs, ours)
    assert [c for c in changes if c.kind in ("replace", "remove")] == []
    updates = {c.logical_id: c.detail for c in changes if c.kind == "update"}
    assert set(updates.values()) <= {"Code", "Content"}  # the artifact's S3 location only


def test_offline_a_layer_would_be_published_again_and_that_is_data_loss() -> None:
    """Without the deployed stack (offline synth), a layer's content moves to our key: the report
    says the version is replaced, a stateful change (tests/test_takeover.py keeps it, online)."""
    folder = REFERENCE / "13-layers"
    theirs = json.loads((folder / "cloudformation-template-update-stack.json").read_text())
    (ours,) = synth(folder, stage="dev").values()
    risky = [c for c in compare(theirs, ours) if c.risky]
    assert [(c.logical_id, c.kind, c.detail) for c in risky] == [
        ("CommonDashlibsLambdaLayer", "replace", "create-only: Content")
    ]


def test_diff_command_exits_2_on_data_loss(tmp_path: Path) -> None:
    folder = REFERENCE / "14-resources-outputs"
    assert folder.is_dir(), "reference case missing"  # the cases live in tests/reference/sls3
    theirs: dict[str, Any] = json.loads((folder / "cloudformation-template-update-stack.json").read_text())
    theirs["Resources"]["OldTable"] = {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "old"}}
    against = tmp_path / "deployed.json"
    against.write_text(json.dumps(theirs))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["diff", str(folder), "--against", str(against)])
    assert code == 2
    assert "OldTable [AWS::DynamoDB::Table]" in out.getvalue() and "!! DATA" in out.getvalue()
