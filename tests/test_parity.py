"""Parity with Serverless v3: our template for a reference case must match what v3 compiled.

Each case in ``../shared/reference/sls3/<case>/`` holds the input and v3's own template. The test
synthesizes the same input and reports every difference in stack name, logical IDs, types,
properties, DependsOn, DeletionPolicy and outputs. Only these differences are allowed, and each is
documented in the README ("Differences from Serverless v3"):

* ``Code.S3Key``: v3 uses a timestamped folder, CDK a content hash (same bucket and prefix).
* ``<F>LambdaPermissionFn``: the second permission AWS requires for public function URLs since
  October 2025 (v3 predates it); purely additive.
* ``DependsOn``: v3 sometimes writes a single string, CloudFormation treats it as a one-item list.

Adding a case = adding its name to ``CASES`` (with the stage v3 was run with).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import REFERENCE, synth

#: case folder -> (path to synthesize inside it, stage v3 used)
CASES: dict[str, tuple[str, str]] = {
    "00-example-test": (".", "dev"),
    "00-compose": ("serverless-compose.yml", "dev"),
    "17-example-stage-prod": (".", "prod"),
    "02a-httpapi-cors-object": (".", "dev"),
    "02b-httpapi-no-cors": (".", "dev"),
    "03-httpapi-routes": (".", "dev"),
    "04-url-variants": (".", "dev"),
    "07-env-sizing": (".", "dev"),
    "10-artifact-levels": (".", "dev"),
    "11-version-functions-false": (".", "dev"),
}

ADDITIVE_LOGICAL_ID_SUFFIXES = ("LambdaPermissionFn",)


def _reference_templates(case_dir: Path) -> dict[str, dict[str, Any]]:
    """``{stack name: v3 template}``: one per service folder holding a compiled template."""
    out: dict[str, dict[str, Any]] = {}
    for template in sorted(case_dir.rglob("cloudformation-template-update-stack.json")):
        state = template.parent / "serverless-state.json"
        service_dir = template.parent
        if state.is_file():
            svc = json.loads(state.read_text())["service"]
            name = f"{svc['service']}-{svc['provider']['stage']}"
        else:
            name = _stack_name_from_yaml(service_dir, case_dir)
        out[name] = json.loads(template.read_text())
    return out


def _stack_name_from_yaml(service_dir: Path, case_dir: Path) -> str:
    from constructs_lib.config.project import load_service

    stage = CASES[case_dir.name][1]
    return load_service(service_dir / "serverless.yml", stage=stage).stack_name


def _depends(value: Any) -> list[str]:
    if value is None:
        return []
    return sorted([value] if isinstance(value, str) else value)


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Every difference between our template and v3's, other than the documented ones."""
    problems: list[str] = []
    our_res, their_res = ours.get("Resources", {}), theirs.get("Resources", {})
    for lid, res in their_res.items():
        mine = our_res.get(lid)
        if mine is None:
            problems.append(f"missing resource {lid} ({res['Type']})")
            continue
        if mine["Type"] != res["Type"]:
            problems.append(f"{lid}: type {mine['Type']} != {res['Type']}")
        mine_props = json.loads(json.dumps(mine.get("Properties", {})))
        their_props = json.loads(json.dumps(res.get("Properties", {})))
        if res["Type"] == "AWS::Lambda::Function":
            for props in (mine_props, their_props):
                props.get("Code", {}).pop("S3Key", None)
        for key in sorted(set(mine_props) | set(their_props)):
            if mine_props.get(key) != their_props.get(key):
                problems.append(f"{lid}.{key}: {mine_props.get(key)!r} != v3 {their_props.get(key)!r}")
        if _depends(mine.get("DependsOn")) != _depends(res.get("DependsOn")):
            problems.append(f"{lid}.DependsOn: {mine.get('DependsOn')!r} != v3 {res.get('DependsOn')!r}")
        for attr in ("DeletionPolicy", "UpdateReplacePolicy", "Condition"):
            if mine.get(attr) != res.get(attr):
                problems.append(f"{lid}.{attr}: {mine.get(attr)!r} != v3 {res.get(attr)!r}")
    for lid, res in our_res.items():
        if lid not in their_res and not lid.endswith(ADDITIVE_LOGICAL_ID_SUFFIXES):
            problems.append(f"extra resource {lid} ({res['Type']})")
    our_out, their_out = ours.get("Outputs", {}), theirs.get("Outputs", {})
    for key in sorted(set(our_out) | set(their_out)):
        if our_out.get(key) != their_out.get(key):
            problems.append(f"output {key}: {our_out.get(key)!r} != v3 {their_out.get(key)!r}")
    if ours.get("Description") != theirs.get("Description"):
        problems.append(f"Description: {ours.get('Description')!r} != v3 {theirs.get('Description')!r}")
    return problems


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_serverless_v3(case: str) -> None:
    case_dir = REFERENCE / case
    if not case_dir.is_dir():
        # A fresh clone outside the workspace has no ../shared; CI always has it and must not skip.
        if os.environ.get("CI"):
            pytest.fail(f"reference case {case} missing at {case_dir}")
        pytest.skip(f"reference case {case} not present")
    target, stage = CASES[case]
    ours = synth(case_dir / target, stage=stage)
    theirs = _reference_templates(case_dir)
    assert sorted(ours) == sorted(theirs), "stack names differ"
    report = {name: differences(ours[name], theirs[name]) for name in theirs}
    assert report == {name: [] for name in theirs}


def test_parity_check_catches_a_changed_logical_id() -> None:
    """The comparison itself must fail on the kind of change that would replace a resource."""
    theirs = {
        "Resources": {"EnvLogGroup": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 1}}}
    }
    ours = {
        "Resources": {"EnvLogGroupX": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 1}}}
    }
    assert differences(ours, theirs) == [
        "missing resource EnvLogGroup (AWS::Logs::LogGroup)",
        "extra resource EnvLogGroupX (AWS::Logs::LogGroup)",
    ]
