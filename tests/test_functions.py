"""Functions beyond the parity cases: ECR tags resolved at synth, and the constructs used from Python."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.config.aws_lookup import AwsLookup, resolve_image
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
