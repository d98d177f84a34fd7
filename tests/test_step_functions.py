"""serverless-step-functions 3.31.2, translated: its keys are validated like ours (located errors,
did-you-mean; what the plugin only logs is a located warning), and each option ends up in the
synthesized template as the plugin writes it. The reference cases f58-f60 compare whole
templates with v3's (tests/test_parity.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.errors import ConfigError, ErrorGroup, SlsCdkError
from constructs_lib.loader.project import load_service
from tests.helpers import REFERENCE, synth

BOOT_ZIP = REFERENCE / "08-schedule" / "boot.zip"
_FUNCTIONS = "functions:\n  a:\n    handler: bootstrap\n    package:\n      artifact: boot.zip\n"
_TASK = (
    "      definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n"
    "            Resource:\n              Fn::GetAtt: [a, Arn]\n            End: true\n"
)


def _service(tmp_path: Path, body: str, *, plugin: bool = True, head: str = "") -> Path:
    shutil.copyfile(BOOT_ZIP, tmp_path / "boot.zip")
    plugins = "plugins:\n  - serverless-step-functions\n" if plugin else ""
    (tmp_path / "serverless.yml").write_text(
        "service: svc\nframeworkVersion: '3'\n" + head + plugins + "provider:\n  name: aws\n"
        "  runtime: provided.al2023\n  region: us-east-1\n" + _FUNCTIONS + body
    )
    return tmp_path / "serverless.yml"


def _machine(extra: str = "", definition: str = _TASK) -> str:
    return "stepFunctions:\n  stateMachines:\n    flow:\n" + extra + definition


def _resources(file: Path) -> dict[str, Any]:
    return synth(file, stage="dev")["svc-dev"]["Resources"]  # type: ignore[no-any-return]


def _error(file: Path) -> SlsCdkError:
    with pytest.raises(SlsCdkError) as info:
        load_service(file, stage="dev")
    return info.value


def _warnings(file: Path) -> list[str]:
    return [w.format() for w in load_service(file, stage="dev").warnings]


# ---- validation --------------------------------------------------------------------------------
def test_an_unknown_machine_key_is_a_located_error_with_a_guess(tmp_path: Path) -> None:
    err = _error(_service(tmp_path, _machine("      retian: true\n")))
    assert isinstance(err, ConfigError)
    assert err.path == ("stepFunctions", "stateMachines", "flow", "retian")
    assert err.location is not None and err.location.line == 17
    assert err.hint == "did you mean 'retain'?"


def test_a_wrong_type_is_located(tmp_path: Path) -> None:
    err = _error(_service(tmp_path, _machine("      type: BATCH\n")))
    assert err.path == ("stepFunctions", "stateMachines", "flow", "type")
    assert "STANDARD" in err.message


def test_a_missing_definition_is_an_error(tmp_path: Path) -> None:
    err = _error(_service(tmp_path, _machine("      name: x\n", definition="")))
    assert err.path == ("stepFunctions", "stateMachines", "flow") and "'definition'" in err.message


def test_without_the_plugin_the_key_is_unknown_to_v3(tmp_path: Path) -> None:
    file = _service(tmp_path, _machine(), plugin=False)
    (warning,) = _warnings(file)
    assert "serverless.yml:12:1: stepFunctions: unknown key 'stepFunctions': ignored" in warning
    assert not [k for k in _resources(file) if "StepFunctions" in k]
    strict = _service(tmp_path, _machine(), plugin=False, head="configValidationMode: error\n")
    assert _error(strict).path == ("stepFunctions",)


def test_role_with_iam_role_statements_is_refused(tmp_path: Path) -> None:
    extra = (
        "      role: arn:aws:iam::123456789012:role/r\n      iamRoleStatements:\n        - Effect: Allow\n"
    )
    err = _error(_service(tmp_path, _machine(extra)))
    assert err.path == ("stepFunctions", "stateMachines", "flow", "iamRoleStatements")


def test_authorizers_the_plugin_makes_and_the_lambda_proxy_template_are_not_supported_yet(
    tmp_path: Path,
) -> None:
    events = "      events:\n        - http:\n            path: go\n            method: get\n"
    err = _error(_service(tmp_path, _machine(events + "            authorizer: myAuthorizerFunction\n")))
    assert err.path == ("stepFunctions", "stateMachines", "flow", "events", 0, "http", "authorizer")
    assert "not translated yet" in err.message
    named = events + "            authorizer:\n              name: auth\n              type: token\n"
    err = _error(_service(tmp_path, _machine(named)))
    assert err.path == ("stepFunctions", "stateMachines", "flow", "events", 0, "http", "authorizer", "name")
    proxy = events + "            request:\n              template: lambda_proxy\n"
    err = _error(_service(tmp_path, _machine(proxy)))
    assert err.path == ("stepFunctions", "stateMachines", "flow", "events", 0, "http", "request", "template")


def test_an_http_method_aws_does_not_have_is_located(tmp_path: Path) -> None:
    err = _error(_service(tmp_path, _machine("      events:\n        - http: FETCH /go\n")))
    assert err.path == ("stepFunctions", "stateMachines", "flow", "events", 0, "http")
    assert "invalid APIG method 'FETCH'" in err.message


def test_an_http_event_with_its_own_role_makes_no_role(tmp_path: Path) -> None:
    events = (
        "      events:\n        - http:\n            path: go\n            method: post\n"
        "            iamRole: arn:aws:iam::123456789012:role/apigw\n            timeoutInMillis: 5000\n"
    )
    resources = _resources(_service(tmp_path, _machine(events)))
    assert "ApigatewayToStepFunctionsRole" not in resources
    integration = resources["ApiGatewayMethodGoPost"]["Properties"]["Integration"]
    assert integration["Credentials"] == "arn:aws:iam::123456789012:role/apigw"
    assert integration["TimeoutInMillis"] == 5000
    deployment = next(v for k, v in resources.items() if k.startswith("ApiGatewayDeployment"))
    assert deployment["DependsOn"] == ["ApiGatewayMethodGoPost"]


def test_an_unknown_event_key_is_ignored_with_a_warning(tmp_path: Path) -> None:
    events = "      events:\n        - schedule:\n            rate: rate(1 hour)\n            rat: x\n"
    file = _service(tmp_path, _machine(events))
    (warning,) = _warnings(file)
    assert (
        "serverless.yml:20:13: stepFunctions.stateMachines.flow.events[0].schedule.rat: unknown key"
        in warning
    )
    rule = _resources(file)["FlowStepFunctionsEventsRuleSchedule1"]["Properties"]
    assert rule["ScheduleExpression"] == "rate(1 hour)"


def test_an_untranslated_integration_is_a_located_error(tmp_path: Path) -> None:
    definition = (
        "      definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n"
        "            Resource: arn:aws:states:::glue:startJobRun\n            End: true\n"
    )
    err = _error(_service(tmp_path, _machine(definition=definition)))
    assert err.path == ("stepFunctions", "stateMachines", "flow", "definition")
    assert "glue:startJobRun" in err.message and err.location is not None


def test_validate_true_warns_that_it_is_not_run(tmp_path: Path) -> None:
    file = _service(
        tmp_path, "stepFunctions:\n  validate: true\n" + _machine().removeprefix("stepFunctions:\n")
    )
    (warning,) = _warnings(file)
    assert "stepFunctions.validate: validate: true: sls-cdk cannot run" in warning


def test_malformed_alarms_warn_and_make_none(tmp_path: Path) -> None:
    file = _service(tmp_path, _machine("      alarms:\n        metrics: [executionsFailed]\n"))
    (warning,) = _warnings(file)
    assert "flow.alarms: missing required key 'topics'" in warning and "makes no alarms" in warning
    assert not [k for k in _resources(file) if k.endswith("Alarm")]


def test_unknown_alarm_metrics_are_skipped_with_a_warning(tmp_path: Path) -> None:
    alarms = "      alarms:\n        topics:\n          ok: arn:aws:sns:us-east-1:123456789012:t\n"
    alarms += "        metrics: [executionsFailed, executionsExploded]\n"
    file = _service(tmp_path, _machine(alarms))
    (warning,) = _warnings(file)
    assert "executionsExploded" in warning
    assert [k for k in _resources(file) if k.endswith("Alarm")] == [
        "FlowStepFunctionsStateMachineExecutionsFailedAlarm"
    ]


def test_notifications_on_express_warn_and_make_none(tmp_path: Path) -> None:
    extra = "      type: EXPRESS\n      notifications:\n        FAILED:\n          - sns: arn:aws:sns:us-east-1:123456789012:t\n"
    file = _service(tmp_path, _machine(extra))
    (warning,) = _warnings(file)
    assert "notifications are not supported on Express Workflows" in warning
    assert not [k for k in _resources(file) if "Notifications" in k or "ResourcePolicy" in k]


def test_errors_of_several_machines_come_together(tmp_path: Path) -> None:
    body = _machine("      retian: true\n") + "    other:\n      definitoin: {}\n"
    err = _error(_service(tmp_path, body))
    assert isinstance(err, ErrorGroup) and len(err.errors) >= 2


# ---- options on the synthesized template -------------------------------------------------------
def test_role_statements_kms_encryption_boundary_and_path(tmp_path: Path) -> None:
    extra = (
        "      kmsKeyArns:\n        - arn:aws:kms:us-east-1:123456789012:key/k\n"
        "      encryptionConfig:\n        KmsKeyId: alias/mine\n        Type: CUSTOMER_MANAGED_KMS_KEY\n"
        "      iamRoleStatements:\n        - Effect: Allow\n          Action: s3:GetObject\n          Resource: '*'\n"
    )
    file = _service(tmp_path, _machine(extra))
    text = file.read_text().replace(
        "  region: us-east-1\n",
        "  region: us-east-1\n  rolePermissionsBoundary: arn:aws:iam::123456789012:policy/b\n"
        "  iam:\n    role:\n      path: /sf/\n",
    )
    file.write_text(text)
    resources = _resources(file)
    role = resources["FlowStepFunctionsStateMachineRole"]["Properties"]
    assert role["PermissionsBoundary"] == "arn:aws:iam::123456789012:policy/b" and role["Path"] == "/sf/"
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert statements[1] == {
        "Effect": "Allow",
        "Action": ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        "Resource": ["arn:aws:kms:us-east-1:123456789012:key/k"],
    }
    assert statements[2]["Resource"] == [{"Fn::Sub": "alias/mine"}]
    assert statements[-1] == {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    machine = resources["FlowStepFunctionsStateMachine"]["Properties"]
    assert machine["EncryptionConfiguration"] == {
        "KmsDataKeyReusePeriodSeconds": 900,
        "KmsKeyId": {"Fn::Sub": "alias/mine"},
        "Type": "CUSTOMER_MANAGED_KMS_KEY",
    }


def test_no_output_keeps_activity_outputs(tmp_path: Path) -> None:
    body = "stepFunctions:\n  noOutput: true\n  activities: [review]\n" + _machine().removeprefix(
        "stepFunctions:\n"
    )
    outputs = synth(_service(tmp_path, body), stage="dev")["svc-dev"]["Outputs"]
    assert "FlowStepFunctionsStateMachineArn" not in outputs
    assert outputs["ReviewStepFunctionsActivityArn"]["Value"] == {"Ref": "ReviewStepFunctionsActivity"}


def test_wait_seconds_from_an_intrinsic_is_unquoted(tmp_path: Path) -> None:
    definition = (
        "      definition:\n        StartAt: W\n        States:\n          W:\n            Type: Wait\n"
        "            Seconds:\n              Ref: Delay\n            End: true\n"
    )
    body = _machine(definition=definition) + "resources:\n  Parameters:\n    Delay:\n      Type: Number\n"
    sub = _resources(_service(tmp_path, body))["FlowStepFunctionsStateMachine"]["Properties"][
        "DefinitionString"
    ]
    text, params = sub["Fn::Sub"]
    (name,) = params
    assert f'"Seconds": ${{{name}}},' in text and params[name] == {"Ref": "Delay"}


def test_a_string_definition_is_written_as_json_text(tmp_path: Path) -> None:
    definition = '      definition: \'{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}\'\n'
    props = _resources(_service(tmp_path, _machine(definition=definition)))["FlowStepFunctionsStateMachine"]
    assert (
        json.loads(props["Properties"]["DefinitionString"])
        == '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'
    )


def test_a_distributed_map_may_start_its_own_machine(tmp_path: Path) -> None:
    definition = (
        "      name: mapper\n      definition:\n        StartAt: M\n        States:\n          M:\n"
        "            Type: Map\n            ItemProcessor:\n              ProcessorConfig:\n"
        "                Mode: DISTRIBUTED\n              StartAt: P\n              States:\n"
        "                P:\n                  Type: Pass\n                  End: true\n            End: true\n"
    )
    role = _resources(_service(tmp_path, _machine(definition=definition)))["MapperRole"]["Properties"]
    first = role["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert first["Action"] == ["states:StartExecution"]
    assert first["Resource"] == [
        {"Fn::Sub": ["arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:mapper", {}]}
    ]


def test_scheduler_method_makes_a_scheduler_schedule(tmp_path: Path) -> None:
    events = (
        "      events:\n        - schedule:\n            rate: rate(1 hour)\n            method: scheduler\n"
        "            timezone: Europe/Paris\n            input: {a: 1}\n"
    )
    resources = _resources(_service(tmp_path, _machine(events)))
    schedule = resources["FlowStepFunctionsSchedulerSchedule1"]["Properties"]
    assert schedule["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert schedule["Target"]["Input"] == '{"a":1}' and schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    trust = resources["FlowScheduleToStepFunctionsRole"]["Properties"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}


def test_scheduler_refuses_input_path(tmp_path: Path) -> None:
    events = (
        "      events:\n        - schedule:\n            rate: rate(1 hour)\n            method: scheduler\n"
    )
    err = _error(_service(tmp_path, _machine(events + "            inputPath: $.x\n")))
    assert err.path == ("stepFunctions", "stateMachines", "flow", "events", 0, "schedule")


def test_notifications_to_another_machine_use_a_role(tmp_path: Path) -> None:
    extra = "      notifications:\n        SUCCEEDED:\n          - stepFunctions:\n              Ref: Next\n"
    resources = _resources(_service(tmp_path, _machine(extra)))
    rule = resources["FlowStepFunctionsStateMachineNotificationsSUCCEEDEDEventRule"]["Properties"]
    assert rule["RoleArn"] == {"Fn::GetAtt": ["FlowStepFunctionsStateMachineNotificationsIamRole", "Arn"]}
    role = resources["FlowStepFunctionsStateMachineNotificationsIamRole"]["Properties"]
    assert role["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"] == "states:StartExecution"


def test_resources_override_a_state_machine(tmp_path: Path) -> None:
    body = _machine() + (
        "resources:\n  Resources:\n    FlowStepFunctionsStateMachine:\n"
        "      Type: AWS::StepFunctions::StateMachine\n      Properties:\n"
        "        StateMachineName: overridden\n"
    )
    props = _resources(_service(tmp_path, body))["FlowStepFunctionsStateMachine"]["Properties"]
    assert props["StateMachineName"] == "overridden" and "DefinitionString" in props


def test_a_notification_queue_by_ref_is_a_located_error(tmp_path: Path) -> None:
    extra = "      notifications:\n        FAILED:\n          - sqs:\n              Ref: Queue\n"
    err = _error(_service(tmp_path, _machine(extra)))
    assert err.path == ("stepFunctions", "stateMachines", "flow", "notifications")
    assert err.location is not None and "queue URL" in err.message


def test_a_notification_target_without_a_kind_warns_and_makes_none(tmp_path: Path) -> None:
    file = _service(tmp_path, _machine("      notifications:\n        FAILED:\n          - inputPath: $.x\n"))
    (warning,) = _warnings(file)
    assert "a target needs one of sns" in warning
    assert not [k for k in _resources(file) if "Notifications" in k]


def test_configure_task_timeouts_sets_the_functions_timeouts(tmp_path: Path) -> None:
    definition = (
        "      configureTaskTimeouts: true\n      definition:\n        StartAt: A\n        States:\n"
        "          A:\n            Type: Task\n            Resource:\n              Fn::GetAtt: [a, Arn]\n"
        "            Next: B\n          B:\n            Type: Task\n"
        "            Resource: arn:aws:states:::lambda:invoke\n            Parameters:\n"
        "              FunctionName:\n                Ref: ALambdaFunction\n            TimeoutSeconds: 60\n"
        "            End: true\n"
    )
    file = _service(tmp_path, _machine(definition=definition))
    file.write_text(file.read_text().replace("  region: us-east-1\n", "  region: us-east-1\n  timeout: 20\n"))
    (warning,) = _warnings(file)
    assert "TimeoutSeconds (60s) is greater than the timeout of function 'a' (20s)" in warning
    sub = _resources(file)["FlowStepFunctionsStateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    text = sub if isinstance(sub, str) else sub[0]
    assert '"End": true\n    }' in text and '"Next": "B",\n      "TimeoutSeconds": 20\n' in text
