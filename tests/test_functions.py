"""Functions beyond the parity cases: ECR tags resolved at synth, and the constructs used from Python."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from constructs_lib.config.aws_lookup import AwsLookup, resolve_image
from constructs_lib.config.model import EffectiveFunction, Provider
from constructs_lib.constructs.function import ServerlessFunction
from constructs_lib.constructs.iam_role import ServiceRole
from constructs_lib.errors import VariableError
from tests.helpers import SEED, ensure_seed_built

DIGEST = "sha256:" + "ab" * 32


@pytest.fixture
def ecr(monkeypatch: pytest.MonkeyPatch) -> Any:
    from moto import mock_aws

    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        import boto3

        client = boto3.client("ecr", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"digest": DIGEST},
                "layers": [],
            }
        )
        client.put_image(repositoryName="app", imageManifest=manifest, imageTag="v1")
        yield client


def test_image_tag_is_resolved_to_its_digest(ecr: Any) -> None:
    digest = ecr.describe_images(repositoryName="app")["imageDetails"][0]["imageDigest"]
    uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1"
    resolved, sha = resolve_image(uri, "us-east-1", AwsLookup(default_region="us-east-1"))
    assert resolved == f"123456789012.dkr.ecr.us-east-1.amazonaws.com/app@{digest}"
    assert sha == digest.removeprefix("sha256:")
    with pytest.raises(VariableError, match="must be the stack's region"):
        resolve_image(uri, "eu-west-1")


def _function(**overrides: Any) -> EffectiveFunction:
    base: dict[str, Any] = {
        "key": "api",
        "name": "shop-dev-api",
        "handler": "bootstrap",
        "runtime": "provided.al2023",
        "memory_size": 256,
        "timeout": 10,
        "architecture": "arm64",
        "description": None,
        "environment": {"MODE": "python"},
        "log_retention_in_days": 1,
        "role": None,
        "url": None,
        "events": (),
        "artifact": None,
        "version": True,
    }
    return EffectiveFunction(**{**base, **overrides})


def test_constructs_compose_in_plain_python() -> None:
    """No YAML: a stack, the generated role and a function, as a developer would write them."""
    ensure_seed_built()
    app = App(outdir=tempfile.mkdtemp(prefix="sls-cdk-py-"))
    stack = Stack(app, "shop-dev")
    fn = _function(tracing="Active")
    role = ServiceRole(
        stack,
        "Role",
        service="shop",
        stage="dev",
        provider=Provider(name="aws"),
        functions=[fn],
        any_vpc=False,
    )
    ServerlessFunction(
        stack,
        "Api",
        props=fn,
        artifact=Path(SEED / "api" / "v1" / "test" / "boot.zip"),
        service="shop",
        stage="dev",
        role=role,
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "FunctionName": "shop-dev-api",
            "Role": {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]},
            "TracingConfig": {"Mode": "Active"},
            "Environment": {"Variables": {"MODE": "python"}},
        },
    )
    statements = template.to_json()["Resources"]["IamRoleLambdaExecution"]["Properties"]["Policies"][0][
        "PolicyDocument"
    ]["Statement"]
    assert statements[-1]["Action"] == ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    assert template.to_json()["Resources"]["ApiLogGroup"]["Properties"]["RetentionInDays"] == 1


def test_artifact_on_s3_is_downloaded_at_synth(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from moto import mock_aws

    from tests.helpers import synth

    for key, value in {
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(key, value)
    ensure_seed_built()
    body = (SEED / "api" / "v1" / "test" / "boot.zip").read_bytes()
    (tmp_path / "serverless.yml").write_text(
        "service: remote\nprovider:\n  name: aws\n  runtime: provided.al2023\n  region: us-east-1\n"
        "  iam:\n    role: arn:aws:iam::123456789012:role/r\n  deploymentBucket:\n    name: my.serverless\n"
        "package:\n  artifact: https://builds.s3.amazonaws.com/remote/boot.zip\nfunctions:\n  f:\n    handler: bootstrap\n"
    )
    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="builds")
        s3.put_object(Bucket="builds", Key="remote/boot.zip", Body=body)
        template = synth(tmp_path, stage="dev")["remote-dev"]
    versions = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Version"]
    import base64
    import hashlib

    assert versions[0]["Properties"]["CodeSha256"] == base64.b64encode(hashlib.sha256(body).digest()).decode()


def test_logging_config_merges_function_over_provider(tmp_path: Path) -> None:
    from tests.helpers import synth

    ensure_seed_built()
    (tmp_path / "boot.zip").write_bytes((SEED / "api" / "v1" / "test" / "boot.zip").read_bytes())
    (tmp_path / "serverless.yml").write_text(
        "service: logs\nprovider:\n  name: aws\n  runtime: provided.al2023\n  region: us-east-1\n"
        "  iam:\n    role: arn:aws:iam::123456789012:role/r\n  deploymentBucket:\n    name: my.serverless\n"
        "  logs:\n    lambda:\n      logFormat: JSON\n      applicationLogLevel: WARN\n"
        "package:\n  artifact: boot.zip\nfunctions:\n  f:\n    handler: bootstrap\n    logs:\n      applicationLogLevel: DEBUG\n"
        "  g:\n    handler: bootstrap\n"
    )
    res = synth(tmp_path, stage="dev")["logs-dev"]["Resources"]
    assert res["FLambdaFunction"]["Properties"]["LoggingConfig"] == {
        "LogFormat": "JSON",
        "ApplicationLogLevel": "DEBUG",
    }
    assert res["GLambdaFunction"]["Properties"]["LoggingConfig"] == {
        "LogFormat": "JSON",
        "ApplicationLogLevel": "WARN",
    }


def test_python_callers_get_value_errors_not_config_errors() -> None:
    """Built from Python (no loader), a function without any role, or with a file system but no
    VPC, is a programming error: a ValueError naming the fix, never a YAML-located ConfigError."""
    from constructs_lib.config.model import FileSystemConfig

    ensure_seed_built()
    artifact = Path(SEED / "api" / "v1" / "test" / "boot.zip")
    stack = Stack(App(outdir=tempfile.mkdtemp(prefix="sls-cdk-py-")), "shop-dev")
    with pytest.raises(ValueError, match="has no role"):
        ServerlessFunction(stack, "A", props=_function(), artifact=artifact, service="shop", stage="dev")
    efs = FileSystemConfig(
        arn="arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1", localMountPath="/mnt/x"
    )
    with pytest.raises(ValueError, match="fileSystemConfig needs a vpc"):
        ServerlessFunction(
            stack,
            "B",
            props=_function(key="b", role="arn:aws:iam::123456789012:role/r", file_system_config=efs),
            artifact=artifact,
            service="shop",
            stage="dev",
        )
