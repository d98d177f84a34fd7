"""Parity with Serverless v3: our template for a reference case must match what v3 compiled.

Each case folder ``tests/reference/sls3/<case>/`` holds the input and v3's own template. The test
synthesizes the same input and reports every difference in stack name, logical IDs, types,
properties, DependsOn, DeletionPolicy and outputs. Only these differences are allowed, and each is
documented in the README ("Differences from Serverless v3"):

* ``Code.S3Key``: v3 uses a timestamped folder, CDK a content hash (same bucket and prefix).
* ``<F>LambdaPermissionFn``: the second permission AWS requires for public function URLs since
  October 2025 (v3 predates it); purely additive.
* ``DependsOn``: v3 sometimes writes a single string, CloudFormation treats it as a one-item list.
* Layers: ``Content.S3Key`` and the ``<L>LambdaLayerS3Key`` output value, like ``Code.S3Key``.
* Compose (cases with a seeded ``compose-state.*.seeded.json``): where v3 pasted another
  service's output value, we hold a real reference (``Fn::ImportValue`` of v3's export name, or
  CDK's cross-region reader); the function's version hash follows its environment, so its version
  ID differs too; CDK's cross-region export reader/writer resources are added.
* REST APIs: ``ApiGatewayDeployment<suffix>``: v3's suffix is a timestamp (a new deployment on
  every deploy), ours a hash of the API's definition; compared as the same resource.
* REST stage settings (``tracing.apiGateway``, ``apiGateway.metrics``, ``logs.restApi``): v3
  patches the stage with API calls after deploying; we add ``ApiGatewayStageSettings`` with its
  own Lambda and role (purely additive).
* Custom-resource Lambdas (``CustomDashresource...LambdaFunction``): our handlers are Python
  (``Handler``, ``Runtime``), v3's Node.js; same names, role and physical IDs. ``ForceDeploy``
  is a timestamp in both (a new value each build is its purpose).
* Without a named deployment bucket: ``Code.S3Bucket`` / ``Content.S3Bucket`` is CDK's bootstrap
  bucket instead of ``Ref: ServerlessDeploymentBucket`` (CDK cannot upload into a bucket the same
  stack creates); the bucket itself is kept, resource for resource.

Adding a case = adding its folder: cases are found by scanning ``tests/reference/sls3/*/`` (see
``tests/helpers.py`` :func:`~tests.helpers.reference_cases` and ``tests/reference/sls3/README.md``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.constructs.custom_resources import KINDS, function_logical_id
from tests.helpers import REFERENCE, V3_TEMPLATE, ReferenceCase, reference_cases, synth, template_cases

REFERENCE_CASES = {case.name: case for case in template_cases()}
#: ``{case: (entry inside its folder, stage)}``, derived from the folders (other test modules read it)
CASES: dict[str, tuple[str, str]] = {name: (case.entry, case.stage) for name, case in REFERENCE_CASES.items()}


def case_dir(case: str) -> Path:
    return REFERENCE / case


ADDITIVE_LOGICAL_ID_SUFFIXES = (
    "LambdaPermissionFn",
    # REST stage settings: v3 patches the stage with API calls after deploying; we do it in-stack
    "ApiGatewayStageSettings",
    "CustomDashresourceDashapigwDashstageLambdaFunction",
    "IamRoleApiGatewayStageSettingsLambdaExecution",
)


def _reference_templates(case: ReferenceCase) -> dict[str, dict[str, Any]]:
    """``{stack name: v3 template}``: one per service folder holding a compiled template."""
    out: dict[str, dict[str, Any]] = {}
    for template in case.templates:
        state = template.parent / "serverless-state.json"
        if state.is_file():
            svc = json.loads(state.read_text())["service"]
            name = f"{svc['service']}-{svc['provider']['stage']}"
        else:
            name = _stack_name_from_yaml(template.parent, case.stage)
        out[name] = json.loads(template.read_text())
    return out


def _stack_name_from_yaml(service_dir: Path, stage: str) -> str:
    """``provider.stackName`` or ``<service>-<stage>``, read from the case's own file."""
    from constructs_lib.config.source import load_yaml_file

    data = load_yaml_file(service_dir / "serverless.yml").data
    provider = data.get("provider")
    stack_name = provider.get("stackName") if isinstance(provider, dict) else None  # `provider: aws`
    return str(stack_name or f"{data['service']}-{stage}")


def _depends(value: Any) -> list[str]:
    if value is None:
        return []
    return sorted([value] if isinstance(value, str) else value)


def _same_deployment_id(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """Our REST API deployment under v3's logical ID (the suffix differs by design)."""

    def ids(template: dict[str, Any]) -> list[str]:
        return [
            k for k, r in template.get("Resources", {}).items() if r["Type"] == "AWS::ApiGateway::Deployment"
        ]

    mine, v3 = ids(ours), ids(theirs)
    if len(mine) == 1 and len(v3) == 1 and mine != v3:
        ours = json.loads(json.dumps(ours).replace(f'"{mine[0]}"', f'"{v3[0]}"'))
    return ours


CUSTOM_RESOURCE_FUNCTIONS = {function_logical_id(kind) for kind in KINDS}


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Every difference between our template and v3's, other than the documented ones."""
    ours = _same_deployment_id(ours, theirs)
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
        code_key = {"AWS::Lambda::Function": "Code", "AWS::Lambda::LayerVersion": "Content"}.get(res["Type"])
        if code_key:
            in_stack_bucket = their_props.get(code_key, {}).get("S3Bucket") == {
                "Ref": "ServerlessDeploymentBucket"
            }
            for props in (mine_props, their_props):
                props.get(code_key, {}).pop("S3Key", None)
                if in_stack_bucket:
                    props.get(code_key, {}).pop("S3Bucket", None)
        if lid in CUSTOM_RESOURCE_FUNCTIONS:
            for props in (mine_props, their_props):
                props.pop("Handler", None)
                props.pop("Runtime", None)
        if (
            res["Type"].startswith("Custom::")
            and "ForceDeploy" in their_props
            and "ForceDeploy" in mine_props
        ):
            mine_props["ForceDeploy"] = their_props["ForceDeploy"]
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
        mine_out, v3_out = our_out.get(key), their_out.get(key)
        if key.endswith("LambdaLayerS3Key") and mine_out and v3_out:
            mine_out, v3_out = {**mine_out, "Value": None}, {**v3_out, "Value": None}
        if mine_out != v3_out:
            problems.append(f"output {key}: {our_out.get(key)!r} != v3 {their_out.get(key)!r}")
    for section in ("Conditions", "Mappings", "Parameters"):
        if ours.get(section, {}) != theirs.get(section, {}):
            problems.append(f"{section}: {ours.get(section)!r} != v3 {theirs.get(section)!r}")
    if ours.get("Description") != theirs.get("Description"):
        problems.append(f"Description: {ours.get('Description')!r} != v3 {theirs.get('Description')!r}")
    return problems


def _compose_literals(case_dir: Path) -> set[str]:
    """Output values compose pasted into v3's templates (from the seeded compose state)."""
    values: set[str] = set()
    for state in case_dir.glob("compose-state.*.seeded.json"):
        for component in json.loads(state.read_text())["components"].values():
            values.update(str(v) for v in component.get("outputs", {}).values())
    return values


def accept_compose_references(
    ours: dict[str, Any], theirs: dict[str, Any], literals: set[str]
) -> dict[str, Any]:
    """``ours`` with the documented compose differences taken back to v3's form (see module doc)."""
    ours = json.loads(json.dumps(ours))
    changed_functions: set[str] = set()

    def accept(mine: Any, v3: Any) -> tuple[Any, bool]:
        if isinstance(v3, str) and v3 in literals and isinstance(mine, dict):
            return v3, True
        if isinstance(mine, dict) and isinstance(v3, dict):
            hit = False
            for key in mine.keys() & v3.keys():
                mine[key], sub = accept(mine[key], v3[key])
                hit = hit or sub
            return mine, hit
        return mine, False

    resources = ours.get("Resources", {})
    for lid, res in theirs.get("Resources", {}).items():
        if lid in resources:
            resources[lid], hit = accept(resources[lid], res)
            if hit:
                changed_functions.add(lid)
    renames: dict[str, str] = {}
    for lid, res in list(resources.items()):
        if res["Type"].startswith("Custom::CrossRegionExport") or lid.startswith("CustomCrossRegionExport"):
            del resources[lid]
        elif (
            res["Type"] == "AWS::Lambda::Version"
            and res["Properties"]["FunctionName"]["Ref"] in changed_functions
        ):
            fn = res["Properties"]["FunctionName"]["Ref"]
            v3_ids = [
                k
                for k, r in theirs["Resources"].items()
                if r["Type"] == "AWS::Lambda::Version" and r["Properties"]["FunctionName"]["Ref"] == fn
            ]
            if len(v3_ids) == 1:
                renames[lid] = v3_ids[0]
    for old, new in renames.items():
        resources[new] = resources.pop(old)
    text = json.dumps(ours)
    for old, new in renames.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return json.loads(text)


@pytest.mark.parametrize("name", sorted(REFERENCE_CASES))
def test_matches_serverless_v3(name: str) -> None:
    case = REFERENCE_CASES[name]
    ours = synth(case.target, stage=case.stage)
    theirs = _reference_templates(case)
    assert sorted(ours) == sorted(theirs), "stack names differ"
    literals = _compose_literals(case.folder)
    if literals:
        ours = {name: accept_compose_references(ours[name], theirs[name], literals) for name in ours}
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


def test_every_case_folder_describes_itself() -> None:
    """A folder dropped into tests/reference/sls3 is a case: it must say its stage (README) and hold
    v3's templates, or be a record of deploy calls (``aws-calls-*.json``), never be silently skipped.
    Where v3 left its serverless-state.json, its stage must be the README's."""
    cases = reference_cases()
    assert len(REFERENCE_CASES) >= 30
    for case in cases:
        assert case.templates or list(case.folder.glob("aws-calls-*.json")), f"{case.name}: no {V3_TEMPLATE}"
        for state in case.folder.rglob("serverless-state.json"):
            assert json.loads(state.read_text())["service"]["provider"]["stage"] == case.stage, state
