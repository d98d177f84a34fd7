"""A state machine's ``schedule``, ``eventBridge`` and ``cloudwatchEvent`` events, as
``compileScheduledEvents`` and ``compileCloudWatchEventEvents`` write them: one rule (or, with
``method: scheduler``, one ``AWS::Scheduler::Schedule``) per event, numbered per machine and
kind, and one role per machine and kind that may start it (unless the event gives one)."""

from __future__ import annotations

from typing import Any

from constructs_lib.config.data import JsonValue, js_stringify
from constructs_lib.errors import ConfigError
from constructs_lib.plugins.step_functions.context import Context, normalized
from constructs_lib.plugins.step_functions.model import CloudWatchEvent, MachineEvent, ScheduleEvent

__all__ = ["machine_events"]

Resources = dict[str, dict[str, Any]]


def _role(service: str, policy: str, machine_id: str, ctx: Context, *, boundary: bool) -> dict[str, Any]:
    """``buildIamRole``."""
    properties: dict[str, Any] = {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        },
        "Policies": [
            {
                "PolicyName": policy,
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": ["states:StartExecution"],
                            "Resource": {"Ref": machine_id},
                        }
                    ],
                },
            }
        ],
    }
    if boundary and ctx.permissions_boundary:
        properties["PermissionsBoundary"] = ctx.permissions_boundary
    if ctx.role_path:
        properties["Path"] = ctx.role_path
    return {"Type": "AWS::IAM::Role", "Properties": properties}


def _input(value: str | dict[str, Any] | None) -> str | None:
    if value is None or value == "" or value == {}:
        return None if value is None or value == "" else js_stringify(value)
    return value if isinstance(value, str) else js_stringify(value)


def _transformer(event: ScheduleEvent | CloudWatchEvent) -> dict[str, Any] | None:
    t = event.input_transformer
    if t is None:
        return None
    return {"InputPathsMap": t.input_paths_map, "InputTemplate": t.input_template}


def _retry(event: ScheduleEvent | CloudWatchEvent) -> dict[str, Any] | None:
    r = event.retry_policy
    if r is None:
        return None
    return {
        "MaximumEventAgeInSeconds": r.maximum_event_age_in_seconds,
        "MaximumRetryAttempts": r.maximum_retry_attempts,
    }


def _one_input(event: ScheduleEvent | CloudWatchEvent, where: tuple[str | int, ...]) -> None:
    if sum(bool(v) for v in (event.input, event.input_path, event.input_transformer)) > 1:
        raise ConfigError(
            "you can't set input, inputPath and inputTransformer at the same time (the plugin refuses it)",
            path=where,
        )


def _schedule(
    key: str,
    machine_id: str,
    event: ScheduleEvent,
    number: int,
    ctx: Context,
    where: tuple[str | int, ...],
) -> Resources:
    role_id = normalized(key) + "ScheduleToStepFunctionsRole"
    _one_input(event, where)
    state = "DISABLED" if event.enabled is False else "ENABLED"
    method = event.method or "eventBus"
    if method == "scheduler" and (event.input_transformer or event.input_path):
        option = "inputTransformer" if event.input_transformer else "inputPath"
        raise ConfigError(
            f'"{option}" is not supported with method: scheduler (the plugin refuses it)', path=where
        )
    if event.timezone and method != "scheduler":
        raise ConfigError(
            '"timezone" is only supported with method: scheduler (the plugin refuses it)', path=where
        )
    role_arn: JsonValue = event.role if event.role is not None else {"Fn::GetAtt": [role_id, "Arn"]}
    text_input = _input(event.input)
    if method == "scheduler":
        logical_id = f"{normalized(key)}StepFunctionsSchedulerSchedule{number}"
        target: dict[str, Any] = {"Arn": {"Ref": machine_id}, "RoleArn": role_arn, "Input": text_input}
        props: dict[str, Any] = {
            "ScheduleExpression": event.rate,
            "State": state,
            "ScheduleExpressionTimezone": event.timezone or None,
            "Name": event.name or None,
            "Description": event.description or None,
            "Target": target,
            "FlexibleTimeWindow": {"Mode": "OFF"},
        }
        resource = {"Type": "AWS::Scheduler::Schedule", "Properties": props}
    else:
        logical_id = f"{normalized(key)}StepFunctionsEventsRuleSchedule{number}"
        rule_target: dict[str, Any] = {
            "Input": text_input,
            "InputPath": event.input_path or None,
            "InputTransformer": _transformer(event),
            "Arn": {"Ref": machine_id},
            "Id": f"{key}StepFunctionsSchedule",
            "RetryPolicy": _retry(event),
            "RoleArn": role_arn,
        }
        props = {
            "ScheduleExpression": event.rate,
            "State": state,
            "Name": event.name or None,
            "Description": event.description or None,
            "Targets": [rule_target],
        }
        resource = {"Type": "AWS::Events::Rule", "Properties": props}
    out: Resources = {logical_id: resource}
    if event.role is None:
        principal = "scheduler.amazonaws.com" if method == "scheduler" else "events.amazonaws.com"
        policy = f"{ctx.stage}-{ctx.region}-{ctx.service}-{key}-schedule"
        out[role_id] = _role(principal, policy, machine_id, ctx, boundary=True)
    return out


def _rule(
    key: str, machine_id: str, event: CloudWatchEvent, number: int, ctx: Context, where: tuple[str | int, ...]
) -> Resources:
    _one_input(event, where)
    role_id = normalized(key) + "EventToStepFunctionsRole"
    target: dict[str, Any] = {
        "Input": _input(event.input),
        "InputPath": event.input_path or None,
        "InputTransformer": _transformer(event),
        "Arn": {"Ref": machine_id},
        "Id": f"{key}CloudWatchEvent",
        "DeadLetterConfig": {"Arn": event.dead_letter_config} if event.dead_letter_config else None,
        "RetryPolicy": _retry(event),
        "RoleArn": event.iam_role if event.iam_role else {"Fn::GetAtt": [role_id, "Arn"]},
    }
    props = {
        "EventBusName": event.event_bus_name or None,
        "EventPattern": event.event,
        "State": "DISABLED" if event.enabled is False else "ENABLED",
        "Description": event.description or None,
        "Name": event.name or None,
        "Targets": [target],
    }
    out: Resources = {
        f"{normalized(key)}EventsRuleCloudWatchEvent{number}": {
            "Type": "AWS::Events::Rule",
            "Properties": props,
        }
    }
    if not event.iam_role:
        policy = f"{ctx.stage}-{ctx.region}-{ctx.service}-{key}-event"
        out[role_id] = _role("events.amazonaws.com", policy, machine_id, ctx, boundary=False)
    return out


def machine_events(
    key: str, machine_id: str, items: list[MachineEvent], ctx: Context
) -> tuple[Resources, Resources]:
    """``(schedule resources, event-rule resources)`` of one machine's events (the plugin
    compiles the schedules first, the rules after the REST API)."""
    schedules: Resources = {}
    rules: Resources = {}
    n_schedule = n_rule = 0
    for index, item in enumerate(items):
        where: tuple[str | int, ...] = ("stepFunctions", "stateMachines", key, "events", index)
        if item.schedule is not None:
            n_schedule += 1
            schedules.update(_schedule(key, machine_id, item.schedule, n_schedule, ctx, (*where, "schedule")))
        rule = item.cloudwatch_event or item.event_bridge
        if rule is not None:
            n_rule += 1
            kind = "cloudwatchEvent" if item.cloudwatch_event else "eventBridge"
            rules.update(_rule(key, machine_id, rule, n_rule, ctx, (*where, kind)))
    return schedules, rules
