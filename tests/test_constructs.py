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
