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

    prepare_account(emulator)
    yield boto3


def prepare_account(env: dict[str, str]) -> None:
    """What the examples expect to exist, as on AWS: the named deployment bucket ``my.serverless``
    and the external role ``serverless``."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    s3 = session.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"])
    if "my.serverless" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket="my.serverless")
    iam = session.client("iam", endpoint_url=env["AWS_ENDPOINT_URL"])
    if "serverless" not in [r["RoleName"] for r in iam.list_roles()["Roles"]]:
        iam.create_role(RoleName="serverless", AssumeRolePolicyDocument=json.dumps(TRUST))


@pytest.fixture(scope="module")
def bootstrapped(emulator: dict[str, str]) -> dict[str, str]:
    """The environment a synth and the CDK CLI run in against the emulator: deployed stacks are
    looked up (no ``SLS_CDK_OFFLINE``), the examples' bucket and role exist, the account is
    bootstrapped for code that goes to CDK's bucket."""
    import os
    import subprocess

    from tests.emulator import ACCOUNT, ROOT

    env = {**os.environ, **emulator, "PYTHONPATH": str(ROOT)}
    env.pop("SLS_CDK_OFFLINE", None)
    env.pop("AWS_PROFILE", None)
    prepare_account(emulator)
    cdk = ROOT / "node_modules" / ".bin" / "cdk"
    run = subprocess.run(
        [str(cdk), "bootstrap", f"aws://{ACCOUNT}/us-east-1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return env
