"""Assertion tests: each key of the seed's serverless.yml, as it appears in the template.

GIVEN the example compose project (synthesized once per session) WHEN we read a stack THEN each
translated key has v3's logical ID and properties.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from constructs_lib import naming


@pytest.fixture(scope="module")
def test_dev(seed_templates: dict[str, Any]) -> Template:
    return Template.from_json(seed_templates["test-dev"])


def test_function_properties(test_dev: Template) -> None:
    test_dev.has_resource(
        "AWS::Lambda::Function",
        {
            "Properties": {
                "FunctionName": "test-dev-env",  # service-stage-key
                "Handler": "bootstrap",  # functions.env.handler
                "Runtime": "provided.al2023",  # provider.runtime
                "Architectures": ["arm64"],  # provider.architecture
                "MemorySize": 128,  # provider.memorySize
                "Timeout": 6,  # v3 default
                "Role": "arn:aws:iam::123456789012:role/serverless",  # provider.iam.role
                "Code": {
                    "S3Bucket": "my.serverless",  # provider.deploymentBucket.name
                    "S3Key": Match.string_like_regexp(r"^serverless/test/dev/[0-9a-f]{64}\.zip$"),
                },
            },
            "DependsOn": ["EnvLogGroup"],
        },
    )


def test_log_group_retention(test_dev: Template) -> None:
    test_dev.has_resource_properties(
        "AWS::Logs::LogGroup", {"LogGroupName": "/aws/lambda/test-dev-env", "RetentionInDays": 1}
    )


def test_version_is_retained_with_code_sha(test_dev: Template) -> None:
    versions = test_dev.find_resources("AWS::Lambda::Version")
    assert len(versions) == 1
    ((lid, version),) = versions.items()
    assert lid.startswith("EnvLambdaVersion")
    assert version["DeletionPolicy"] == "Retain"
    assert version["Properties"]["FunctionName"] == {"Ref": "EnvLambdaFunction"}


def test_function_url_streaming_with_cors(test_dev: Template) -> None:
    test_dev.has_resource_properties(
        "AWS::Lambda::Url",
        {
            "AuthType": "NONE",
            "InvokeMode": "RESPONSE_STREAM",
            "Cors": {
                "AllowOrigins": ["*"],
                "AllowMethods": ["*"],
                "AllowHeaders": Match.array_with(["Content-Type"]),
            },
        },
    )


def test_public_url_permissions(test_dev: Template) -> None:
    perms = test_dev.find_resources("AWS::Lambda::Permission")
    assert perms["EnvLambdaPermissionFnUrl"]["Properties"]["Action"] == "lambda:InvokeFunctionUrl"
    assert perms["EnvLambdaPermissionFnUrl"]["Properties"]["FunctionUrlAuthType"] == "NONE"
    additive = perms["EnvLambdaPermissionFn"]["Properties"]
    assert additive["Action"] == "lambda:InvokeFunction"
    assert additive["InvokedViaFunctionUrl"] is True
    assert additive["Principal"] == "*"


def test_http_api_with_cors(test_dev: Template) -> None:
    test_dev.has_resource_properties(
        "AWS::ApiGatewayV2::Api",
        {
            "Name": "dev-test",
            "ProtocolType": "HTTP",
            "CorsConfiguration": {"AllowOrigins": ["*"], "AllowMethods": ["OPTIONS", "GET"]},
        },
    )
    test_dev.has_resource_properties(
        "AWS::ApiGatewayV2::Stage", {"StageName": "$default", "AutoDeploy": True}
    )


def test_http_api_route_integration_permission(test_dev: Template) -> None:
    resources = test_dev.to_json()["Resources"]
    route = resources[naming.http_api_route_logical_id("GET /env")]
    assert route["Properties"]["RouteKey"] == "GET /env"
    integration = resources[naming.http_api_integration_logical_id("env")]["Properties"]
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["PayloadFormatVersion"] == "2.0"
    permission = resources[naming.http_api_permission_logical_id("env")]["Properties"]
    # v3 scopes the permission to the whole API (<api>/*), not to the route as CDK's L2 does.
    assert permission["SourceArn"]["Fn::Join"][1][-1] == "/*"


def test_outputs_are_exported_like_v3(test_dev: Template) -> None:
    outputs = test_dev.to_json()["Outputs"]
    assert {k: v["Export"]["Name"] for k, v in outputs.items()} == {
        "ServerlessDeploymentBucketName": "sls-test-dev-ServerlessDeploymentBucketName",
        "EnvLambdaFunctionQualifiedArn": "sls-test-dev-EnvLambdaFunctionQualifiedArn",
        "EnvLambdaFunctionUrl": "sls-test-dev-EnvLambdaFunctionUrl",
        "HttpApiId": "sls-test-dev-HttpApiId",
        "HttpApiUrl": "sls-test-dev-HttpApiUrl",
    }


def test_no_bootstrap_parameters_with_named_bucket(seed_templates: dict[str, Any]) -> None:
    for template in seed_templates.values():
        assert "Parameters" not in template
        assert "Rules" not in template


def test_stage_prod_renames_everything() -> None:
    from tests.helpers import SEED, ensure_seed_built, synth

    ensure_seed_built()
    templates = synth(SEED / "serverless-compose.yml", stage="prod")
    assert sorted(templates) == ["auth-prod", "test-prod"]
    fn = templates["auth-prod"]["Resources"]["EnvLambdaFunction"]["Properties"]
    assert fn["FunctionName"] == "auth-prod-env"
    assert fn["Code"]["S3Key"].startswith("serverless/auth/prod/")


@pytest.mark.parametrize("name", ["boot.zip", "code.jar", "artifact"])
def test_asset_keys_computed_locally_equal_cdks(tmp_path: Path, name: str) -> None:
    """With a named bucket the S3 key is computed in Python (no jsii round trips); it must be
    exactly the key CDK's synthesizer gives the same asset."""
    from aws_cdk import App, AssetHashType, CliCredentialsStackSynthesizer, Stack
    from aws_cdk import aws_s3_assets as s3_assets

    from constructs_lib.constructs.assets import ASSET_LOCATION, add_zip_asset
    from constructs_lib.constructs.hashing import file_sha256

    artifact = tmp_path / name
    artifact.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    stack = Stack(
        App(),
        "S",
        synthesizer=CliCredentialsStackSynthesizer(
            file_assets_bucket_name="my.bucket", bucket_prefix="p/svc/dev/"
        ),
    )
    stack.__dict__[ASSET_LOCATION] = ("my.bucket", "p/svc/dev/")
    ours = add_zip_asset(stack, artifact)
    theirs = s3_assets.Asset(
        stack,
        "Theirs",
        path=str(artifact),
        asset_hash=file_sha256(artifact).hex(),
        asset_hash_type=AssetHashType.CUSTOM,
    )
    assert ours.object_key == stack.resolve(theirs.s3_object_key)
    assert ours.bucket_name == stack.resolve(theirs.s3_bucket_name)


# ---- resources: checked at load (what `sls-cdk check` runs), merged at synth ------------------------

RESOURCES_SERVICE = """\
service: res
provider:
  name: aws
  runtime: provided.al2023
  region: us-east-1
  deploymentBucket:
    name: my.serverless
package:
  artifact: boot.zip
functions:
  env:
    handler: bootstrap
resources:
  Parameters:
    Size:
      Type: Number
      Defalt: 1
  Conditions:
    IsProd: {"Fn::Equals": ["${sls:stage}", "prod"]}
  Resources:
    IamRoleLambdaExecution:
      Properties:
        Path: /svc/
    Queue:
      Properties:
        DelaySeconds: 1
  Outputs:
    QueueUrl:
      Description: the queue
    EnvLambdaFunctionQualifiedArn:
      Description: merged into the generated output
    Flag:
      Value: "1"
      Condition: IsProd2
  extensions:
    EnvLambdaFuntion:
      DependsOn: [Queue]
"""


def _where(text: str, line_text: str) -> str:
    """``serverless.yml:<line>:<column>`` of the line of ``text`` that starts with ``line_text``."""
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith(line_text))
    return f"serverless.yml:{number}:{len(line_text) - len(line_text.lstrip()) + 1}"


def _service(tmp_path: Path, text: str) -> Path:
    from tests.helpers import SEED, ensure_seed_built

    ensure_seed_built()
    (tmp_path / "boot.zip").write_bytes((SEED / "api" / "v1" / "test" / "boot.zip").read_bytes())
    (tmp_path / "serverless.yml").write_text(text)
    return tmp_path / "serverless.yml"


def test_resources_problems_are_reported_at_load_all_together(tmp_path: Path) -> None:
    """GIVEN five problems in ``resources`` WHEN the service is loaded (no CDK) THEN all five come
    together, each with its line; Type-less / Value-less entries merging into generated ones pass."""
    from constructs_lib.errors import ErrorGroup
    from constructs_lib.loader.project import load_service

    text = RESOURCES_SERVICE
    with pytest.raises(ErrorGroup) as caught:
        load_service(_service(tmp_path, text))
    found = [
        (str(e.location).rsplit("/", 1)[-1], ".".join(map(str, e.path)), e.message)
        for e in caught.value.errors
    ]
    assert found == [
        (
            _where(text, "      Defalt"),
            "resources.Parameters.Size.Defalt",
            "parameter 'Size': unknown key 'Defalt'",
        ),
        (_where(text, "    Queue:"), "resources.Resources.Queue", "resource 'Queue' has no Type"),
        (_where(text, "    QueueUrl:"), "resources.Outputs.QueueUrl", "output 'QueueUrl' has no Value"),
        (
            _where(text, "  Outputs:"),
            "resources.Outputs",
            "condition 'IsProd2' is not defined in resources.Conditions",
        ),
        (
            _where(text, "    EnvLambdaFuntion:"),
            "resources.extensions.EnvLambdaFuntion",
            "cannot extend 'EnvLambdaFuntion': no such resource in the generated stack",
        ),
    ]
    hints = [e.hint for e in caught.value.errors]
    assert hints == [
        "did you mean 'Default'?",
        None,
        None,
        "did you mean 'IsProd'?",
        "did you mean 'EnvLambdaFunction'?",
    ]


def test_check_command_reports_resources_problems(tmp_path: Path) -> None:
    """``sls-cdk check`` prints the same located problems and exits 1."""
    import contextlib
    import io
    import os

    from constructs_lib.cli.commands import main

    _service(tmp_path, RESOURCES_SERVICE)
    err = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["check", "."])
    finally:
        os.chdir(cwd)
    assert code == 1
    out = err.getvalue()
    assert (
        f"{_where(RESOURCES_SERVICE, '    Queue:')}: resources.Resources.Queue: resource 'Queue' has no Type"
        in out
    )
    assert "cannot extend 'EnvLambdaFuntion'" in out


EVENTS_SERVICE = """\
service: evres
provider:
  name: aws
  runtime: provided.al2023
  region: us-east-1
  deploymentBucket:
    name: my.serverless
package:
  artifact: boot.zip
functions:
  env:
    handler: bootstrap
    events:
      - schedule: rate(1 minute)
resources:
  Resources:
    EnvLogGroup:
      Properties:
        RetentionInDays: 3
    EnvEventsRuleSchedule1:
      Properties:
        Description: merged into the event-built rule
  extensions:
    EnvEventsRuleSchedule1:
      DependsOn: [EnvLogGroup]
"""


def test_event_built_names_merge_at_synth(tmp_path: Path) -> None:
    """GIVEN Type-less entries and an extension naming what the events build WHEN synthesized
    THEN they merge into the generated resources."""
    from tests.helpers import synth

    res = synth(_service(tmp_path, EVENTS_SERVICE), stage="dev")["evres-dev"]["Resources"]
    assert res["EnvLogGroup"]["Properties"]["RetentionInDays"] == 3
    rule = res["EnvEventsRuleSchedule1"]
    assert rule["Type"] == "AWS::Events::Rule"
    assert rule["Properties"]["Description"] == "merged into the event-built rule"
    assert rule["DependsOn"] == ["EnvLogGroup"]


def test_constructs_names_are_decided_at_load_even_with_events(tmp_path: Path) -> None:
    """A name of the shape only the function construct makes (``<F>LambdaEvConf``) is decided at
    load even when events build other names: ``env`` has no destinations, so no invoke config."""
    from constructs_lib.errors import ConfigError
    from constructs_lib.loader.project import load_service

    text = EVENTS_SERVICE.replace(
        "    EnvEventsRuleSchedule1:\n      DependsOn", "    EnvLambdaEvConf:\n      DependsOn"
    )
    with pytest.raises(ConfigError, match="cannot extend 'EnvLambdaEvConf'") as caught:
        load_service(_service(tmp_path, text))
    assert str(caught.value.location).endswith(_where(text, "    EnvLambdaEvConf:"))


def test_a_name_only_the_build_knows_is_checked_at_synth(tmp_path: Path) -> None:
    """An extension naming what an event builder might make, and does not, passes the load and
    fails the synth with a ResourceMergeError (the one case the loader cannot decide)."""
    from constructs_lib.constructs.resources import ResourceMergeError
    from constructs_lib.loader.project import load_service
    from tests.helpers import synth

    text = EVENTS_SERVICE.replace(
        "    EnvEventsRuleSchedule1:\n      DependsOn", "    EnvEventsRuleSchedule2:\n      DependsOn"
    )
    file = _service(tmp_path, text)
    load_service(file)
    with pytest.raises(ResourceMergeError, match="cannot extend 'EnvEventsRuleSchedule2'"):
        synth(file, stage="dev")


def test_load_time_names_agree_with_every_template() -> None:
    """The contract behind the load-time checks: for the example and every reference case, each
    name the loader says the stack makes is in the template, and no name in the template is one the
    loader would call missing (so no valid ``resources`` entry is refused at load)."""
    import os

    from constructs_lib.loader.project import load_project
    from constructs_lib.loader.resources_check import generated_names
    from tests.helpers import SEED, ensure_seed_built, synth
    from tests.test_parity import CASES, case_dir

    ensure_seed_built()
    targets = [(SEED / "serverless-compose.yml", "dev")]
    for case, (target, stage) in CASES.items():
        if case_dir(case).is_dir() or os.environ.get("CI"):
            targets.append((case_dir(case) / target, stage))
    checked = 0
    for path, stage in targets:
        templates = synth(path, stage=stage)
        for svc in load_project(path, stage=stage).services:
            template = templates[svc.stack_name]
            names = generated_names(svc.model, svc.functions)
            section = svc.model.resources
            own_resources = set(section.resources) if section else set()
            own_outputs = set(section.outputs) if section else set()
            resources, outputs = set(template["Resources"]), set(template.get("Outputs", {}))
            where = f"{path} {svc.stack_name}"
            assert names.resources <= resources, where
            assert names.outputs <= outputs, where
            assert [n for n in resources - own_resources if names.resource(n) is False] == [], where
            assert [n for n in outputs - own_outputs if names.output(n) is False] == [], where
            checked += 1
    assert checked >= 30, checked


def test_lodash_merge_merges_lists_index_by_index() -> None:
    """lodash ``_.merge``: objects key by key, arrays index by index (longer source extends),
    ``None`` (undefined) skipped, a list onto a missing key assigned as a list."""
    from constructs_lib.constructs.raw import lodash_merge

    target: dict[str, Any] = {
        "A": [{"K": 1, "V": 2}, "keep"],
        "B": {"C": [1, 2, 3]},
        "S": "old",
    }
    source = {"A": [{"K": 9}], "B": {"C": [7, None, 8, 4]}, "New": [1, 2], "S": None}
    assert lodash_merge(target, source) == {
        "A": [{"K": 9, "V": 2}, "keep"],
        "B": {"C": [7, 2, 8, 4]},
        "S": "old",
        "New": [1, 2],
    }
    assert isinstance(target["New"], list)
