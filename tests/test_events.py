"""Assertions per event type, on the event cases of our own (synthesized once for the module).

The parity test proves each case equals v3's template; these tests say, per event type, what a
reader should find in it, and fail with a message that names the feature.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.errors import ConfigError, ErrorGroup, SlsCdkError, format_path
from constructs_lib.loader.project import load_service
from tests.helpers import REFERENCE, synth

CASES = ("f7-events-queues-topics-streams", "f8-events-buckets-buses-logs", "f9-events-devices-brokers-pools")


@pytest.fixture(scope="module")
def res() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for case in CASES:
        (template,) = synth(REFERENCE / case, stage="dev").values()
        resources = dict(template["Resources"])
        out[f"{case}:role"] = resources.pop("IamRoleLambdaExecution")
        out.update(resources)
    return out


def statements(res: dict[str, Any], case: str) -> list[dict[str, Any]]:
    return res[f"{case}:role"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]


def test_schedule(res: dict[str, Any]) -> None:
    rule = res["CronEventsRuleSchedule1"]
    assert rule["Type"] == "AWS::Events::Rule"
    assert rule["Properties"]["ScheduleExpression"] == "rate(5 minutes)"
    assert rule["Properties"]["Targets"][0]["Id"] == "cronSchedule"
    assert res["CronEventsRuleSchedule3"]["Properties"]["State"] == "DISABLED"  # 2nd event, 2nd rate
    assert (
        res["CronEventsRuleSchedule2"]["Properties"]["Targets"][0]["Input"]
        == '{"key":"value","nested":{"a":1}}'
    )
    assert res["CronLambdaPermissionEventsRuleSchedule1"]["Properties"]["Principal"] == "events.amazonaws.com"
    scheduler = res["CronSchedulerSchedule5"]
    assert scheduler["Type"] == "AWS::Scheduler::Schedule"
    assert scheduler["Properties"]["ScheduleExpressionTimezone"] == "Europe/Paris"


def test_sns(res: dict[str, Any]) -> None:
    topic = res["SNSTopicPlaintopic"]
    assert topic["Properties"]["TopicName"] == "plain-topic"
    assert len(topic["Properties"]["Subscription"]) == 2  # two functions, one topic
    assert res["TopicsSnsSubscriptionFilteredtopic"]["Properties"]["FilterPolicy"] == {"kind": ["a", "b"]}
    assert res["TopicsSnsSubscriptionRedriven"]["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq"
    }
    assert res["RedrivenToTopicsDLQPolicy"]["Type"] == "AWS::SQS::QueuePolicy"
    assert res["TopicsLambdaPermissionExistingSNS"]["Properties"]["Principal"] == "sns.amazonaws.com"


def test_sqs(res: dict[str, Any]) -> None:
    mapping = res["QueuesEventSourceMappingSQSWorkQueue"]
    assert mapping["Properties"]["BatchSize"] == 5 and mapping["Properties"]["Enabled"] is False
    assert mapping["Properties"]["FunctionName"]["Fn::Join"][1][1] == "provisioned"  # targets the alias
    assert mapping["DependsOn"] == ["IamRoleLambdaExecution", "QueuesProvConcLambdaAlias"]
    sqs = [
        s
        for s in statements(res, CASES[0])
        if s["Action"] == ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    ]
    assert len(sqs) == 1 and len(sqs[0]["Resource"]) == 3


def test_stream(res: dict[str, Any]) -> None:
    dynamo = res["Streams2EventSourceMappingDynamodbTable"]
    assert dynamo["Properties"]["StartingPosition"] == "LATEST"
    assert dynamo["Properties"]["DestinationConfig"] == {
        "OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:failed"}
    }
    assert res["Streams2clicksConsumerStreamConsumer"]["Type"] == "AWS::Kinesis::StreamConsumer"
    assert "StreamsEventSourceMappingDynamodbOrders" in res  # own role: no statement, no role wait
    assert res["StreamsEventSourceMappingDynamodbOrders"].get("DependsOn") is None


def test_s3(res: dict[str, Any]) -> None:
    bucket = res["S3BucketEvts2plainbucket"]
    assert len(bucket["Properties"]["NotificationConfiguration"]["LambdaConfigurations"]) == 3
    uploads = res["S3BucketUploads"]
    assert uploads["Properties"]["BucketName"] == "evts2-uploads-bucket"
    assert uploads["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}  # from provider.s3
    assert "BucketsLambdaPermissionUploadsS3" in uploads["DependsOn"]


def test_event_bridge(res: dict[str, Any]) -> None:
    assert res["CustomDashbusEventBridgeEventBus"]["Properties"]["Name"] == "custom-bus"
    rule = res["Evts2devbridgerule2EventBridgeRule"]
    assert rule["Properties"]["EventBusName"] == "custom-bus"
    assert rule["Properties"]["Targets"][0]["RetryPolicy"]["MaximumRetryAttempts"] == 3
    assert res["Evts2devbridgerule3EventBridgeRule"]["Properties"]["Name"] == "my-named-rule"
    assert res["BridgeEventBridgeLambdaPermission1"]["Properties"]["Principal"] == "events.amazonaws.com"


def test_cloudwatch(res: dict[str, Any]) -> None:
    assert res["WatchEventsRuleCloudWatchEvent1"]["Properties"]["EventPattern"]["source"] == ["aws.ec2"]
    assert res["WatchEventsRuleCloudWatchEvent2"]["Properties"]["Targets"][0]["Id"] == "watchCloudWatchEvent"
    log = res["LogsLogsSubscriptionFilterCloudWatchLog2"]
    assert log["Properties"]["FilterPattern"] == '{ $.level = "ERROR" }'
    source = res["LogsLambdaPermissionLogsSubscriptionFilterCloudWatchLog"]["Properties"]["SourceArn"]
    assert source["Fn::Join"][1][-2] == "/aws/lambda/other-*"  # common prefix of the two groups


def test_devices_brokers_and_pools(res: dict[str, Any]) -> None:
    assert res["AlexaLambdaPermissionAlexaSkill2"]["Properties"]["Action"] == "lambda:DisableInvokeFunction"
    assert (
        res["AlexaLambdaPermissionAlexaSmartHome1"]["Properties"]["Principal"]
        == "alexa-connectedhome.amazon.com"
    )
    assert res["ThingsIotTopicRule2"]["Properties"]["RuleName"] == "myRule"
    assert res["ThingsIotProvisioningTemplate"]["Properties"]["Enabled"] is False
    assert res["BrokersEventSourceMappingMSKMyClusterMytopic"]["Properties"]["Topics"] == ["my-topic"]
    kafka = res["BrokersEventSourceMappingKafkaSelftopic"]["Properties"]["SourceAccessConfigurations"]
    assert [a["Type"] for a in kafka] == [
        "SASL_SCRAM_512_AUTH",
        "VPC_SUBNET",
        "VPC_SUBNET",
        "VPC_SECURITY_GROUP",
    ]
    assert res["BrokersEventSourceMappingRabbitMQJobs"]["Properties"]["SourceAccessConfigurations"][1] == {
        "Type": "VIRTUAL_HOST",
        "URI": "/vh",
    }
    pool = res["CognitoUserPoolMyUserPool"]["Properties"]["LambdaConfig"]
    assert set(pool) == {"PreSignUp", "CustomSMSSender", "KMSKeyID", "PostConfirmation"}
    assert "SignupLambdaPermissionCognitoUserPoolMyUserPoolTriggerSourcePreSignUp" in res


def test_existing_buckets_and_pools_use_v3_custom_resources() -> None:
    (template,) = synth(REFERENCE / "f15-existing-buckets-pools-api-logs", stage="dev").values()
    r = template["Resources"]
    files = r["FilesCustomS31"]
    assert files["Type"] == "Custom::S3"
    assert files["Properties"]["BucketConfigs"] == [
        {"Event": "s3:ObjectCreated:*", "Rules": [{"Prefix": "uploads/"}, {"Suffix": ".jpg"}]},
        {"Event": "s3:ObjectRemoved:*", "Rules": []},
    ]
    assert files["Properties"]["ServiceToken"] == {
        "Fn::GetAtt": ["CustomDashresourceDashexistingDashs3LambdaFunction", "Arn"]
    }
    assert isinstance(r["Files2CustomS31"]["Properties"]["ForceDeploy"], int)
    assert "ForceDeploy" not in files["Properties"]
    pool = r["UsersCustomCognitoUserPool1"]["Properties"]
    assert pool["UserPoolConfigs"] == [{"Trigger": "PreSignUp"}, {"Trigger": "PostConfirmation"}]
    handler = r["CustomDashresourceDashexistingDashs3LambdaFunction"]["Properties"]
    assert handler["FunctionName"] == "legacy-dev-custom-resource-existing-s3"
    assert handler["Runtime"].startswith("python") and handler["Handler"] == "s3.handler"
    role = r["IamRoleCustomResourcesLambdaExecution"]["Properties"]["Policies"][0]["PolicyDocument"]
    actions = [a for statement in role["Statement"] for a in statement["Action"]]
    assert actions.count("cognito-idp:UpdateUserPool") == 1  # the same '*' statement only once, as v3
    assert r["CustomApiGatewayAccountCloudWatchRole"]["Type"] == "Custom::ApiGatewayAccountRole"
    # no Lambda permissions in the template for these: the custom resources add them
    assert not [k for k, v in r.items() if v["Type"] == "AWS::Lambda::Permission" and "Files" in k]


def test_existing_resources_of_one_bucket_or_pool_run_one_after_the_other(tmp_path: Path) -> None:
    """Each custom resource rewrites the whole notification / trigger configuration: two on the
    same bucket (or pool) must not run at once, so the second waits for the first (as v3)."""
    (tmp_path / "boot.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    functions = "".join(
        f"  f{i}:\n    handler: bootstrap\n    events:\n"
        f"      - s3: {{bucket: shared, existing: true}}\n"
        f"      - cognitoUserPool: {{pool: pool1, trigger: PreSignUp, existing: true}}\n"
        for i in (1, 2, 3)
    )
    (tmp_path / "serverless.yml").write_text(
        "service: chain\nprovider:\n  name: aws\n  runtime: provided.al2023\n"
        "  deploymentBucket:\n    name: my.serverless\npackage:\n  artifact: boot.zip\n"
        f"functions:\n{functions}"
    )
    (template,) = synth(tmp_path, stage="dev").values()
    r = template["Resources"]
    assert r["F2CustomS31"]["DependsOn"][-1] == "F1CustomS31"
    assert r["F3CustomS31"]["DependsOn"][-1] == "F2CustomS31"
    assert r["F3CustomCognitoUserPool1"]["DependsOn"][-1] == "F2CustomCognitoUserPool1"
    assert r["F1CustomS31"]["DependsOn"] == [
        "F1LambdaFunction",
        "CustomDashresourceDashexistingDashs3LambdaFunction",
    ]


# ---- every event error is found at load (what `sls-cdk check` runs), located ----

_ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2"


def _service(tmp_path: Path, text: str) -> Path:
    """A service from ``text`` (the functions and what they need), with a stub artifact."""
    (tmp_path / "boot.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    head = (
        "service: bad\nprovider:\n  name: aws\n  runtime: provided.al2023\n"
        "  deploymentBucket:\n    name: my.serverless\npackage:\n  artifact: boot.zip\n"
    )
    file = tmp_path / "serverless.yml"
    file.write_text(head + textwrap.dedent(text))
    return file


def _problems(file: Path) -> list[SlsCdkError]:
    with pytest.raises(SlsCdkError) as caught:
        load_service(file)
    error = caught.value
    return list(error.errors) if isinstance(error, ErrorGroup) else [error]


def test_two_functions_on_one_websocket_route_fail_at_load(tmp_path: Path) -> None:
    """A route has one integration: v3 silently kept the last; synth refused it, now check does."""
    file = _service(
        tmp_path,
        """\
        functions:
          a:
            handler: bootstrap
            events:
              - websocket: $connect
          b:
            handler: bootstrap
            events:
              - websocket: $connect
        """,
    )
    with pytest.raises(ConfigError) as caught:
        load_service(file)
    error = caught.value
    assert error.location is not None and error.location.file.endswith("serverless.yml")
    assert (error.location.line, error.location.column) == (17, 9)  # the `websocket` key of b's event
    assert "functions.b.events[0].websocket: websocket route '$connect' is also bound to function 'a'" in str(
        error
    )


def test_event_problems_of_several_types_are_reported_together(tmp_path: Path) -> None:
    file = _service(
        tmp_path,
        f"""\
        functions:
          a:
            handler: bootstrap
            events:
              - websocket:
                  route: $connect
                  authorizer: nope
              - alb: {{listenerArn: '{_ALB}', priority: 1, conditions: {{path: /a}}}}
              - alb: {{listenerArn: '{_ALB}', priority: 1, conditions: {{path: /b}}}}
              - s3: {{bucket: one, existing: true}}
              - s3: {{bucket: two, existing: true}}
              - iotFleetProvisioning:
                  provisioningRoleArn: arn:aws:iam::123456789012:role/p
                  templateBody: {{}}
              - iotFleetProvisioning:
                  provisioningRoleArn: arn:aws:iam::123456789012:role/p
                  templateBody: {{}}
              - cognitoUserPool: {{pool: p, trigger: CustomSMSSender}}
              - httpApi:
                  method: GET
                  path: /x
                  authorizer: missing
        """,
    )
    problems = [f"{format_path(e.path)}: {e.message}" for e in _problems(file)]
    assert problems == [
        "functions.a.events[4].s3.bucket: function 'a' already has an existing bucket (one); "
        "v3 allows one per function",
        "functions.a.events[0].websocket.authorizer: websocket authorizer 'nope' is not a function of this "
        "service",
        "functions.a.events[2].alb.priority: alb priority 1 is already used by another alb event of 'a' "
        "(one function's alb events need distinct priorities, even on different listeners)",
        "functions.a.events[6]: function 'a' has more than one iotFleetProvisioning event",
        "functions.a.events[7].cognitoUserPool: trigger CustomSMSSender of pool 'p' needs a kmsKeyId",
        "functions.a.events: route authorizer 'missing' is not one of provider.httpApi.authorizers",
    ]
    assert all(e.location is not None and e.location.line for e in _problems(file))


@pytest.mark.parametrize(
    ("provider", "events", "expected"),
    [
        (
            "  httpApi:\n    authorizers:\n      auth:\n        type: request\n        functionName: nope\n",
            "- httpApi: GET /x\n",
            "provider.httpApi.authorizers.auth.functionName: function 'nope' of HTTP API authorizer 'auth' "
            "is not in this service",
        ),
        (
            "",
            "- httpApi: {method: GET, path: /x, authorizer: {id: abc}}\n",
            "functions.a.events: a route authorizer 'id' names an authorizer of an external HTTP API",
        ),
        (
            "  httpApi:\n    id: abc123\n  logs:\n    httpApi: true\n",
            "- httpApi: GET /x\n",
            "provider.logs.httpApi: access logs belong to the HTTP API's stage, which provider.httpApi.id "
            "says another stack owns",
        ),
        (
            "  eventBridge:\n    useCloudFormation: false\n",
            "- eventBridge: {pattern: {source: [a]}}\n",
            "provider.eventBridge.useCloudFormation: provider.eventBridge.useCloudFormation: false",
        ),
        (
            "  apiGateway:\n    websocketApiId: abc\n  websocketsApiName: mine\n",
            "- websocket: $connect\n",
            "provider.websocketsApiName: websocketsApiName configures the WebSocket API itself",
        ),
        (
            "",
            "- stream: {arn: {'Fn::Sub': 'arn:aws:kinesis:x'}, type: kinesis}\n",
            "functions.a.events[0].stream.arn: stream arn must be text, Fn::GetAtt, Fn::ImportValue, Ref or "
            "Fn::Join",
        ),
        (
            "",
            "".join("- cloudwatchLog: /aws/lambda/x\n" for _ in range(3)),
            "functions.a.events[2].cloudwatchLog: only 2 subscription filters can be configured per log group",
        ),
    ],
    ids=[
        "httpapi-authorizer-function",
        "httpapi-route-authorizer-id",
        "httpapi-external-logs",
        "eventbridge-custom-resource",
        "websocket-external-api",
        "stream-arn-intrinsic",
        "cloudwatch-log-limit",
    ],
)
def test_event_errors_found_at_load(tmp_path: Path, provider: str, events: str, expected: str) -> None:
    """Errors the builders used to raise at synth (or crash on) are found by load_service, located."""
    body = textwrap.indent("events:\n" + events, "    ")
    text = f"functions:\n  a:\n    handler: bootstrap\n{body}"
    file = _service(tmp_path, text)
    if provider:
        file.write_text(file.read_text().replace("  deploymentBucket:\n", provider + "  deploymentBucket:\n"))
    (problem,) = _problems(file)
    assert expected in f"{format_path(problem.path)}: {problem.message}"
    assert problem.location is not None and problem.location.line is not None
