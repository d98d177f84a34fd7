"""pytest fixtures over the shared emulator: import them into a test module to use them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator import Emulator, shared

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


@pytest.fixture(scope="module")
def emulator_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Emulator:
    """The run's one server (started by the first module that needs it, stopped when the run ends)."""
    return shared(tmp_path_factory.getbasetemp(), request.config.add_cleanup)


@pytest.fixture(scope="module")
def emulator(emulator_server: Emulator) -> dict[str, str]:
    """The environment the CDK CLI and boto3 need to reach the emulator."""
    return dict(emulator_server.env)


@pytest.fixture
def aws(emulator: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """boto3 pointed at the emulator, with the bucket and role the examples expect."""
    for key, value in emulator.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    import boto3

    s3 = boto3.client("s3")
    if "my.serverless" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket="my.serverless")
    iam = boto3.client("iam")
    if "serverless" not in [r["RoleName"] for r in iam.list_roles()["Roles"]]:
        iam.create_role(RoleName="serverless", AssumeRolePolicyDocument=json.dumps(TRUST))
    yield boto3
