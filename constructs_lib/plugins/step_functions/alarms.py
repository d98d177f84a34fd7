"""``compileAlarms`` and ``compileNotifications``: CloudWatch alarms on a machine's metrics, and
EventBridge rules sending its execution status changes to SNS, SQS, Kinesis, Firehose, Lambda or
another state machine, with the topic/queue policies, Lambda permissions or role they need."""

from __future__ import annotations

import re
from typing import Any

from constructs_lib.config.data import JsonValue
from constructs_lib.errors import ConfigError
from constructs_lib.plugins.step_functions.context import Context, md5
from constructs_lib.plugins.step_functions.model import METRICS, AlarmMetric, Alarms, Notifications

__all__ = ["alarms", "notifications"]

Resources = dict[str, dict[str, Any]]
_METRIC_NAMES = {m: m[:1].upper() + m[1:] for m in METRICS}
_DESCRIPTIONS = {
    "executionsTimedOut": "executions timed out",
    "executionsFailed": "executions failed",
    "executionsAborted": "executions were aborted",
    "executionThrottled": "execution were throttled",
    "executionsSucceeded": "executions succeeded",
}
_VARIABLES = ("stateMachineName", "cloudWatchMetricName", "metricName")
_VARIABLE = re.compile(r"(?<=\$\[)[^\][]*(?=])")
STATUSES = ("ABORTED", "FAILED", "RUNNING", "SUCCEEDED", "TIMED_OUT")


def _alarm_name(template: str | None, variables: dict[str, str]) -> str | None:
    if template is None:
        return None
    found = _VARIABLE.findall(template)
    if any(v not in _VARIABLES for v in found):
        return None  # the plugin logs the unknown variable and names no alarm
    name = template
    for v in found:
        name = name.replace(f"$[{v}]", variables[v], 1)
    return name


def alarms(name: str, machine_id: str, config: Alarms, ctx: Context) -> tuple[Resources, list[str]]:
    """The alarms of one machine, and the metrics the plugin skips (unknown names)."""
    topics = config.topics
    metrics: list[str | AlarmMetric] = []
    for m in config.metrics:
        if m not in metrics or not isinstance(m, str):
            metrics.append(m)
    valid = [m for m in metrics if (m if isinstance(m, str) else m.metric) in _METRIC_NAMES]
    invalid = [m if isinstance(m, str) else m.metric for m in metrics if m not in valid]
    out: Resources = {}
    for metric in valid:
        metric_name = metric if isinstance(metric, str) else metric.metric
        cw_name = _METRIC_NAMES[metric_name]
        detail = metric if isinstance(metric, AlarmMetric) else None
        logical_id = (detail.logical_id if detail else None) or f"{machine_id}{cw_name}Alarm"
        template_name = _alarm_name(
            config.name_template,
            {"metricName": metric_name, "cloudWatchMetricName": cw_name, "stateMachineName": name},
        )
        alarm_name = detail.alarm_name if detail and detail.alarm_name is not None else template_name
        props: dict[str, Any] = {
            "Namespace": "AWS/States",
            "MetricName": cw_name,
            "AlarmDescription": f"{name}[{ctx.stage}][{ctx.region}]: {_DESCRIPTIONS[metric_name]}",
            "Threshold": 1,
            "Period": (detail.period if detail and detail.period is not None else None)
            or config.period
            or 60,
            "EvaluationPeriods": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "Statistic": "Sum",
            "OKActions": [topics.ok] if topics.ok else [],
            "AlarmActions": [topics.alarm] if topics.alarm else [],
            "InsufficientDataActions": [topics.insufficient_data] if topics.insufficient_data else [],
            "TreatMissingData": (detail.treat_missing_data if detail else None)
            or config.treat_missing_data
            or "missing",
            "Dimensions": [{"Name": "StateMachineArn", "Value": {"Ref": machine_id}}],
        }
        if alarm_name:
            props["AlarmName"] = alarm_name
        out[logical_id] = {"Type": "AWS::CloudWatch::Alarm", "Properties": props}
    return out, invalid


def _short(value: JsonValue) -> str:
    return md5(value)[:5]


def _target(
    kind: str, target: dict[str, Any], index: int, name: str, status: str, role_id: str
) -> dict[str, Any]:
    value = target[kind]
    detailed = kind in ("sqs", "kinesis") and isinstance(value, dict) and "arn" in value
    arn = value["arn"] if detailed else value
    out: dict[str, Any] = {
        "Arn": arn,
        "Id": f"{name}-{status}-{_short({'target': {'Arn': arn}, 'index': index})}",
    }
    if detailed and kind == "sqs":
        out["SqsParameters"] = {"MessageGroupId": value.get("messageGroupId")}
    if detailed and kind == "kinesis":
        out["KinesisParameters"] = {"PartitionKeyPath": value.get("partitionKeyPath")}
    if kind == "stepFunctions":
        out["RoleArn"] = {"Fn::GetAtt": [role_id, "Arn"]}
    if target.get("inputPath"):
        out["InputPath"] = target["inputPath"]
    transformer = target.get("inputTransformer")
    if transformer:
        out["InputTransformer"] = {
            "InputPathsMap": transformer.get("inputPathsMap"),
            "InputTemplate": transformer.get("inputTemplate"),
        }
    return out


def _policy_statement(status: str, kind: str, action: str, arn: JsonValue) -> dict[str, Any]:
    return {
        "Sid": f"{status}-{kind}-{_short({'action': action, 'resource': arn})}",
        "Principal": {"Service": "events.amazonaws.com"},
        "Effect": "Allow",
        "Action": action,
        "Resource": arn,
    }


def _queue_url(arn: JsonValue) -> JsonValue:
    if isinstance(arn, str):
        url = "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${QueueName}"
        return {"Fn::Sub": [url, {"QueueName": arn.split(":")[-1]}]}
    if isinstance(arn, dict) and "Fn::GetAtt" in arn:
        return {"Ref": arn["Fn::GetAtt"][0]}
    raise ConfigError(
        "the plugin cannot turn this SQS ARN into the queue URL its notifications need",
        hint="write the queue's ARN as text or with Fn::GetAtt",
    )


def _permission(kind: str, status: str, target: dict[str, Any]) -> tuple[str, Any]:
    """``("policy", resource)`` or ``("iam", (action, resource))``."""
    value = target[kind]
    arn = value["arn"] if kind in ("sqs", "kinesis") and isinstance(value, dict) and "arn" in value else value
    if kind == "sns":
        doc = {"Version": "2012-10-17", "Statement": _policy_statement(status, "sns", "sns:Publish", arn)}
        return "policy", {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {"PolicyDocument": doc, "Topics": [arn]},
        }
    if kind == "sqs":
        doc = {"Version": "2012-10-17", "Statement": _policy_statement(status, "sqs", "sqs:SendMessage", arn)}
        props = {"PolicyDocument": doc, "Queues": [_queue_url(arn)]}
        return "policy", {"Type": "AWS::SQS::QueuePolicy", "Properties": props}
    if kind == "lambda":
        props = {"Action": "lambda:InvokeFunction", "FunctionName": arn, "Principal": "events.amazonaws.com"}
        return "policy", {"Type": "AWS::Lambda::Permission", "Properties": props}
    action = {
        "kinesis": "kinesis:PutRecord",
        "firehose": "firehose:PutRecord",
        "stepFunctions": "states:StartExecution",
    }
    return "iam", (action[kind], arn)


_KINDS = ("sns", "sqs", "kinesis", "firehose", "lambda", "stepFunctions")


def _normalized(value: JsonValue, ctx: Context) -> JsonValue:
    if isinstance(value, list):
        return [_normalized(v, ctx) for v in value]
    if isinstance(value, dict):
        if value.get("Ref") or value.get("Fn::GetAtt"):
            return ctx.translate(value)
        return {k: _normalized(v, ctx) for k, v in value.items()}
    return value


def notifications(
    name: str, machine_id: str, raw: dict[str, Any], config: Notifications, ctx: Context
) -> list[tuple[str, dict[str, Any]]]:
    """``(logical ID, resource)`` pairs of one machine's notifications, before topic and queue
    policies of all machines are merged."""
    del config  # validated; the plugin works on the targets as written
    role_id = f"{machine_id}NotificationsIamRole"
    by_status = {s: [_normalized(t, ctx) for t in (raw.get(s) or [])] for s in raw}
    flat = [(s, t) for s in STATUSES for t in by_status.get(s, [])]
    pairs: list[tuple[str, dict[str, Any]]] = []
    policies: list[dict[str, Any]] = []
    for index, (status, target) in enumerate(flat):
        kind = next(k for k in _KINDS if k in target)
        how, what = _permission(kind, status, target)
        if how == "iam":
            action, resource = what
            statement = {"Effect": "Allow", "Action": action, "Resource": resource}
            policy_name = f"{status}-{kind}-{_short({'action': action, 'resource': resource})}"
            policies.append(
                {
                    "PolicyName": policy_name,
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
                }
            )
        else:
            pairs.append((f"{machine_id}ResourcePolicy{_short({'index': index, 'resource': what})}", what))
    if policies:
        role: dict[str, Any] = {
            "AssumeRolePolicyDocument": {
                "Statement": {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"Service": "events.amazonaws.com"},
                }
            },
            "Policies": policies,
        }
        if ctx.role_path:
            role["Path"] = ctx.role_path
        pairs.append((role_id, {"Type": "AWS::IAM::Role", "Properties": role}))
    for status in STATUSES:
        targets = by_status.get(status) or []
        if not targets:
            continue
        rule_targets = [
            _target(next(k for k in _KINDS if k in t), t, i, name, status, role_id)
            for i, t in enumerate(targets)
        ]
        rule = {
            "Description": f"[{status}] status notification for state machine [{name}]",
            "EventPattern": {
                "source": ["aws.states"],
                "detail-type": ["Step Functions Execution Status Change"],
                "detail": {"status": [status], "stateMachineArn": [{"Ref": machine_id}]},
            },
            "Name": f"{name}-{status}-notification",
            "RoleArn": {"Fn::GetAtt": [role_id, "Arn"]} if policies else None,
            "Targets": rule_targets,
        }
        pairs.append(
            (
                f"{machine_id}Notifications{status.replace('_', '', 1)}EventRule",
                {"Type": "AWS::Events::Rule", "Properties": rule},
            )
        )
    return pairs
