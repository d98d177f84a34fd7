"""The deployed-layer lookup (loader/layer_takeover.py) against moto: same content keeps the
deployed key, other content does not, and only the zip's directory is read (ranged GETs)."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from constructs_lib import naming
from constructs_lib.config.source import SourceMap
from constructs_lib.loader import layer_takeover

ENV = {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t", "AWS_DEFAULT_REGION": "us-east-1"}


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return path


@pytest.fixture
def deployed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, dict[str, bytes]]]:
    """A deployed stack whose layer ``common`` is a 4 MB zip at v3's key."""
    from moto import mock_aws

    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv(layer_takeover.OFFLINE_ENV, raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    files = {"python/lib.py": b"x = 1\n", "python/blob.bin": os.urandom(4 * 1024 * 1024)}
    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="deploys")
        body = _zip(tmp_path / "v3.zip", files).read_bytes()
        s3.put_object(Bucket="deploys", Key="serverless/svc/dev/1/common.zip", Body=body)
        _, hash_id, key_id = naming.layer_output_logical_ids("common")
        outputs = {
            naming.deployment_bucket_output_logical_id(): "deploys",
            key_id: "serverless/svc/dev/1/common.zip",
            hash_id: "abc123",
        }
        template = {
            "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {k: {"Value": v} for k, v in outputs.items()},
        }
        cf = boto3.client("cloudformation", region_name="us-east-1")
        cf.create_stack(StackName="svc-dev", TemplateBody=json.dumps(template))
        yield s3, files


def _lookup(ours: Path) -> tuple[dict[str, layer_takeover.DeployedLayer], list[Any]]:
    return layer_takeover.deployed_layers(
        "svc-dev", "us-east-1", {"common": ours}, SourceMap(""), named_bucket=None, env=ENV
    )


def test_same_content_keeps_the_deployed_key_reading_only_the_directory(
    deployed: tuple[Any, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, files = deployed
    read: list[int] = []
    original = layer_takeover._S3Object.readinto

    def counting(self: layer_takeover._S3Object, buffer: Any) -> int:
        n = original(self, buffer)
        read.append(n)
        return n

    monkeypatch.setattr(layer_takeover._S3Object, "readinto", counting)
    found, warnings = _lookup(_zip(tmp_path / "ours.zip", dict(reversed(list(files.items())))))
    assert warnings == []
    assert found == {"common": layer_takeover.DeployedLayer("serverless/svc/dev/1/common.zip", "abc123")}
    assert 0 < sum(read) <= 256 * 1024  # of a 4 MB object


def test_other_content_is_published_again(deployed: tuple[Any, dict[str, bytes]], tmp_path: Path) -> None:
    _, files = deployed
    found, warnings = _lookup(_zip(tmp_path / "ours.zip", {**files, "python/lib.py": b"x = 2\n"}))
    assert (found, warnings) == ({}, [])


def test_a_missing_object_is_no_warning_and_no_reuse(
    deployed: tuple[Any, dict[str, bytes]], tmp_path: Path
) -> None:
    s3, files = deployed
    s3.delete_object(Bucket="deploys", Key="serverless/svc/dev/1/common.zip")
    found, warnings = _lookup(_zip(tmp_path / "ours.zip", files))
    assert (found, warnings) == ({}, [])
