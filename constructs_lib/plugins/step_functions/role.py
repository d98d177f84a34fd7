"""``compileIamRole``: the role ``<Machine>Role`` of a state machine without ``role``: the
permissions of its Task states (also inside Parallel branches and Map processors, item readers
and writers), logging, tracing and KMS, grouped by action then by resource, a Deny-all statement
when there is nothing to allow."""

from __future__ import annotations

from typing import Any

from constructs_lib.config.data import JsonValue, js_stringify
from constructs_lib.plugins.step_functions.context import Context
from constructs_lib.plugins.step_functions.model import StateMachine
from constructs_lib.plugins.step_functions.tasks import Permission, permissions

__all__ = ["machine_role"]

_LOGS = (
    "logs:CreateLogDelivery,logs:GetLogDelivery,logs:UpdateLogDelivery,logs:DeleteLogDelivery,"
    "logs:ListLogDeliveries,logs:PutResourcePolicy,logs:DescribeResourcePolicies,logs:DescribeLogGroups"
)
_XRAY = "xray:PutTraceSegments,xray:PutTelemetryRecords,xray:GetSamplingRules,xray:GetSamplingTargets"
_KMS = "kms:Decrypt,kms:Encrypt,kms:ReEncrypt*,kms:GenerateDataKey*,kms:DescribeKey"


def _tasks(states: JsonValue, machine_name: str) -> list[dict[str, Any]]:
    """``getTaskStates``."""
    found: list[dict[str, Any]] = []
    for state in states.values() if isinstance(states, dict) else states if isinstance(states, list) else []:
        if not isinstance(state, dict):
            continue
        kind = state.get("Type")
        if kind == "Task":
            found.append(state)
        elif kind == "Parallel":
            inner = [s for b in state.get("Branches") or [] for s in (b.get("States") or {}).values()]
            found += _tasks(inner, machine_name)
        elif kind == "Map":
            processor = state.get("ItemProcessor")
            body = processor if processor else state.get("Iterator") or {}
            found += _tasks(body.get("States") or {}, machine_name)
            if processor and (processor.get("ProcessorConfig") or {}).get("Mode") == "DISTRIBUTED":
                found.append(
                    {
                        "Resource": "arn:aws:states:::states:startExecution",
                        "Mode": "DISTRIBUTED",
                        "StateMachineName": machine_name,
                    }
                )
            found += [state[k] for k in ("ItemReader", "ResultWriter") if state.get(k)]
    return found


def _flat(resource: JsonValue) -> list[JsonValue]:
    return list(resource) if isinstance(resource, list) else [resource]


def _by_action(perms: list[Permission]) -> list[Permission]:
    groups: dict[str, list[JsonValue]] = {}
    for p in perms:
        bucket = groups.setdefault(p["action"], [])
        for r in _flat(p["resource"]):
            if r not in bucket:
                bucket.append(r)
    return [{"action": a, "resource": "*" if "*" in rs else rs} for a, rs in groups.items()]


def _by_resource(perms: list[Permission]) -> list[Permission]:
    groups: dict[str, Permission] = {}
    for p in perms:
        key = js_stringify(p["resource"])
        if key in groups:
            actions = groups[key]["action"].split(",")
            actions += [a for a in p["action"].split(",") if a not in actions]
            groups[key] = {"action": ",".join(dict.fromkeys(actions)), "resource": groups[key]["resource"]}
        else:
            groups[key] = {
                "action": ",".join(dict.fromkeys(p["action"].split(","))),
                "resource": p["resource"],
            }
    return list(groups.values())


def machine_role(key: str, machine: StateMachine, ctx: Context) -> dict[str, Any]:
    """The generated role of state machine ``key`` (its ``role`` is not given)."""
    name = machine.name or key
    where = ("stepFunctions", "stateMachines", key, "definition")
    states = machine.definition.get("States") if isinstance(machine.definition, dict) else None
    perms = [p for state in _tasks(states, name) for p in permissions(state, ctx, where)]
    if machine.logging_config is not None:
        perms.append({"action": _LOGS, "resource": "*"})
    if machine.tracing_config is not None:
        perms.append({"action": _XRAY, "resource": "*"})
    if machine.kms_key_arns:
        perms.append({"action": _KMS, "resource": list(machine.kms_key_arns)})
    if machine.encryption_config is not None and machine.encryption_config.KmsKeyId:
        perms.append(
            {"action": "kms:Decrypt,kms:Encrypt", "resource": {"Fn::Sub": machine.encryption_config.KmsKeyId}}
        )
    perms = _by_resource(_by_action(perms))
    extra = [s.model_dump(exclude_none=True) for s in machine.iam_role_statements or []]
    statements: list[JsonValue]
    if not perms and not extra:
        statements = [{"Effect": "Deny", "Action": "*", "Resource": "*"}]
    else:
        statements = [
            {"Effect": "Allow", "Action": p["action"].split(","), "Resource": p["resource"]} for p in perms
        ]
        statements += extra
    properties: dict[str, Any] = {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": {"Fn::Sub": "states.${AWS::Region}.amazonaws.com"}},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        "Policies": [
            {
                "PolicyName": f"{ctx.stage}-{ctx.service}-statemachine",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
            }
        ],
    }
    if ctx.permissions_boundary:
        properties["PermissionsBoundary"] = ctx.permissions_boundary
    if ctx.role_path:
        properties["Path"] = ctx.role_path
    return {"Type": "AWS::IAM::Role", "Properties": properties}
