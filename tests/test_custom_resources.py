"""The custom-resource handlers (our Python, in place of v3's Node.js), run against moto.

Each test calls a handler as Lambda would, with CloudFormation's response URL pointing at a local
server, and checks what it did to the (emulated) account and what it answered CloudFormation.
Compatibility with v3 is part of it: a notification or trigger v3's handler added for the same
function is replaced, not duplicated, and the physical IDs are v3's.
"""

from __future__ import annotations

import io
import json
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from moto import mock_aws

from constructs_lib.constructs.custom_resources import HANDLERS

sys.path.insert(0, str(HANDLERS))  # the handlers import each other as Lambda does: top-level
import api_gateway_cloud_watch_role
import cognito_user_pool
import s3

ACCOUNT = "123456789012"
REGION = "us-east-1"
CONTEXT = SimpleNamespace(
    invoked_function_arn=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:legacy-dev-custom-resource",
    log_stream_name="2026/11/27/[$LATEST]abc",
)


@pytest.fixture
def cloudformation() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A local stand-in for CloudFormation's pre-signed response URL; collects the answers."""
    answers: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            answers.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/response", answers
    finally:
        server.shutdown()
        server.server_close()


def _mock(monkeypatch: pytest.MonkeyPatch, *, managed_policies: bool = False) -> Iterator[None]:
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "MOTO_IAM_LOAD_MANAGED_POLICIES": str(managed_policies).lower(),  # AWS's own (slow to load)
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from _mock(monkeypatch)


@pytest.fixture
def aws_with_managed_policies(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from _mock(monkeypatch, managed_policies=True)


def _event(kind: str, url: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "RequestType": kind,
        "ResponseURL": url,
        "StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/legacy-dev/1",
        "RequestId": "r-1",
        "LogicalResourceId": "FilesCustomS31",
        "ResourceProperties": properties,
    }


def _function(name: str) -> str:
    iam = boto3.client("iam")
    try:
        role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName="fn")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as zf:
        zf.writestr("bootstrap", "x")
    return str(
        boto3.client("lambda").create_function(
            FunctionName=name,
            Runtime="provided.al2023",
            Role=role,
            Handler="bootstrap",
            Code={"ZipFile": code.getvalue()},
        )["FunctionArn"]
    )


def test_existing_bucket_notifications(aws: None, cloudformation: tuple[str, list[dict[str, Any]]]) -> None:
    url, answers = cloudformation
    client = boto3.client("s3")
    client.create_bucket(Bucket="existing-bucket")
    ours, other = _function("legacy-dev-files"), _function("someone-else")
    old_v3_config = {"Event": "s3:ObjectCreated:*", "Rules": []}
    client.put_bucket_notification_configuration(
        Bucket="existing-bucket",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"Id": "someone-else-1", "LambdaFunctionArn": other, "Events": ["s3:ObjectRemoved:*"]},
                {
                    "Id": s3.notification_id("legacy-dev-files", old_v3_config),
                    "LambdaFunctionArn": ours,
                    "Events": ["s3:ObjectCreated:*"],
                },
            ]
        },
    )
    configs = [
        {"Event": "s3:ObjectCreated:*", "Rules": [{"Prefix": "uploads/"}, {"Suffix": ".jpg"}]},
        {"Event": "s3:ObjectRemoved:*", "Rules": []},
    ]
    props = {"FunctionName": "legacy-dev-files", "BucketName": "existing-bucket", "BucketConfigs": configs}
    s3.handler(_event("Create", url, props), CONTEXT)
    assert answers[-1]["Status"] == "SUCCESS", answers[-1]
    assert answers[-1]["PhysicalResourceId"] == "CustomResourceExistingS3"  # v3's
    found = client.get_bucket_notification_configuration(Bucket="existing-bucket")[
        "LambdaFunctionConfigurations"
    ]
    ids = sorted(c["Id"] for c in found)
    assert ids == sorted(["someone-else-1", *(s3.notification_id("legacy-dev-files", c) for c in configs)])
    (filtered,) = [c for c in found if c.get("Filter")]
    assert filtered["Filter"]["Key"]["FilterRules"] == [
        {"Name": "prefix", "Value": "uploads/"},
        {"Name": "suffix", "Value": ".jpg"},
    ]
    policy = json.loads(boto3.client("lambda").get_policy(FunctionName="legacy-dev-files")["Policy"])
    (statement,) = policy["Statement"]
    assert statement["Sid"] == "legacy-dev-files-existing-bucket"
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}

    s3.handler(_event("Delete", url, props), CONTEXT)
    assert answers[-1]["Status"] == "SUCCESS", answers[-1]
    found = client.get_bucket_notification_configuration(Bucket="existing-bucket")[
        "LambdaFunctionConfigurations"
    ]
    assert [c["Id"] for c in found] == ["someone-else-1"]
    s3.handler(_event("Delete", url, props), CONTEXT)  # deleting twice (a retried rollback) still succeeds
    assert answers[-1]["Status"] == "SUCCESS", answers[-1]


def test_failure_is_reported_to_cloudformation(
    aws: None, cloudformation: tuple[str, list[dict[str, Any]]]
) -> None:
    url, answers = cloudformation
    _function("legacy-dev-files")
    props = {"FunctionName": "legacy-dev-files", "BucketName": "no-such-bucket", "BucketConfigs": []}
    s3.handler(_event("Update", url, props), CONTEXT)
    assert answers[-1]["Status"] == "FAILED"
    assert "NoSuchBucket" in answers[-1]["Reason"] and "CloudWatch Log" in answers[-1]["Reason"]


def test_existing_user_pool_triggers(aws: None, cloudformation: tuple[str, list[dict[str, Any]]]) -> None:
    url, answers = cloudformation
    ours, other = _function("legacy-dev-users"), _function("someone-else")
    cognito = boto3.client("cognito-idp")
    pool = cognito.create_user_pool(
        PoolName="existing-pool",
        Policies={"PasswordPolicy": {"MinimumLength": 12}},
        LambdaConfig={"PreSignUp": ours, "CustomMessage": other},
    )["UserPool"]
    props = {
        "FunctionName": "legacy-dev-users",
        "UserPoolName": "existing-pool",
        "UserPoolConfigs": [{"Trigger": "PostConfirmation"}, {"Trigger": "PreTokenGeneration"}],
    }
    cognito_user_pool.handler(_event("Create", url, props), CONTEXT)
    assert answers[-1]["Status"] == "SUCCESS", answers[-1]
    assert answers[-1]["PhysicalResourceId"] == "CustomResourceExistingCognitoUserPool"
    after = cognito.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    # this function's old trigger (PreSignUp) is gone, the new ones set, someone else's kept
    assert after["LambdaConfig"] == {
        "PostConfirmation": ours,
        "PreTokenGeneration": ours,
        "CustomMessage": other,
    }
    assert after["Policies"]["PasswordPolicy"]["MinimumLength"] == 12  # the rest of the pool untouched
    policy = json.loads(boto3.client("lambda").get_policy(FunctionName="legacy-dev-users")["Policy"])
    assert policy["Statement"][0]["Sid"] == "legacy-dev-users-existing-pool"

    cognito_user_pool.handler(_event("Delete", url, props), CONTEXT)
    assert answers[-1]["Status"] == "SUCCESS", answers[-1]
    after = cognito.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert after["LambdaConfig"] == {"CustomMessage": other}


def test_api_gateway_account_role(
    aws_with_managed_policies: None, cloudformation: tuple[str, list[dict[str, Any]]]
) -> None:
    url, answers = cloudformation
    api_gateway_cloud_watch_role.handler(_event("Create", url, {}), CONTEXT)
    assert answers[-1]["Status"] == "SUCCESS", answers[-1]
    role = f"arn:aws:iam::{ACCOUNT}:role/serverlessApiGatewayCloudWatchRole"
    assert boto3.client("apigateway").get_account()["cloudwatchRoleArn"] == role
    attached = boto3.client("iam").list_attached_role_policies(RoleName="serverlessApiGatewayCloudWatchRole")
    assert [p["PolicyArn"] for p in attached["AttachedPolicies"]] == [
        "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
    ]
    given = f"arn:aws:iam::{ACCOUNT}:role/mine"
    api_gateway_cloud_watch_role.handler(_event("Create", url, {"RoleArn": given}), CONTEXT)
    assert boto3.client("apigateway").get_account()["cloudwatchRoleArn"] == given
    api_gateway_cloud_watch_role.handler(_event("Delete", url, {"RoleArn": given}), CONTEXT)
    assert answers[-1]["Status"] == "SUCCESS"
    assert boto3.client("apigateway").get_account()["cloudwatchRoleArn"] == given  # left for others


def test_rest_stage_settings(aws: None, cloudformation: tuple[str, list[dict[str, Any]]]) -> None:
    import api_gateway_stage

    url, answers = cloudformation
    client = boto3.client("apigateway")
    api = client.create_rest_api(name="dev-stagey")["id"]
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    client.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    client.create_deployment(restApiId=api, stageName="dev")
    operations = [
        {"op": "replace", "path": "/tracingEnabled", "value": "true"},
        {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
    ]
    props = {"RestApiId": api, "StageName": "dev", "PatchOperations": operations, "Tags": {"team": "api"}}
    api_gateway_stage.handler(_event("Create", url, props), CONTEXT)
    assert answers[-1]["Status"] == "SUCCESS", answers[-1]
    stage = client.get_stage(restApiId=api, stageName="dev")
    assert stage["tracingEnabled"] is True
    assert stage["methodSettings"]["*/*"]["metricsEnabled"] is True
    assert stage["methodSettings"]["*/*"]["loggingLevel"] == "ERROR"
    assert stage["tags"] == {"team": "api"}

    update = _event("Update", url, {**props, "Tags": {"owner": "me"}})
    update["OldResourceProperties"] = props
    api_gateway_stage.handler(update, CONTEXT)
    assert answers[-1]["Status"] == "SUCCESS", answers[-1]
    assert client.get_stage(restApiId=api, stageName="dev")["tags"] == {"owner": "me"}  # old tag removed


def test_handlers_zip_holds_the_handler_modules_only() -> None:
    """A cache or editor file beside the handlers (mypy, an IDE) must not change the asset hash."""
    import zipfile

    from constructs_lib.constructs.custom_resources import handlers_zip

    stray = HANDLERS / ".stray-cache" / "x.json"
    stray.parent.mkdir()
    try:
        stray.write_text("{}")
        (HANDLERS / "notes.swp").write_text("x")
        names = zipfile.ZipFile(handlers_zip()).namelist()
    finally:
        stray.unlink()
        stray.parent.rmdir()
        (HANDLERS / "notes.swp").unlink()
    assert names == sorted(p.name for p in HANDLERS.glob("*.py"))
