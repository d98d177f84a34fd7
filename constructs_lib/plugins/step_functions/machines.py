"""``compileStateMachines`` and ``compileActivities``: one ``AWS::StepFunctions::StateMachine``
per machine (logical ID from ``id``, ``name`` or ``<Key>StepFunctionsStateMachine``) with an output
``<LogicalId>Arn`` unless ``noOutput``, and one ``AWS::StepFunctions::Activity`` per activity."""

from __future__ import annotations

from typing import Any

from constructs_lib.config.data import JsonValue
from constructs_lib.config.schema import js_text
from constructs_lib.plugins.step_functions.context import Context, normalized
from constructs_lib.plugins.step_functions.definition import definition_string
from constructs_lib.plugins.step_functions.model import StateMachine

__all__ = ["activity", "machine_logical_id", "machine_output_id", "state_machine"]

OUTPUT_DESCRIPTION = "Current StateMachine Arn"


def machine_logical_id(key: str, machine: StateMachine) -> str:
    custom = machine.id or machine.name
    return normalized(custom) if custom else normalized(key) + "StepFunctionsStateMachine"


def machine_output_id(key: str, machine: StateMachine) -> str:
    custom = machine.id or machine.name
    return normalized(custom) + "Arn" if custom else normalized(key) + "StepFunctionsStateMachineArn"


def _tag_text(value: JsonValue) -> str:
    """``(Value || '').toString()``."""
    if value in (None, False, "", 0) and value is not True:
        return ""
    if isinstance(value, bool | int | float):
        return js_text(value)
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, list):
        return ",".join("" if v is None else _tag_text(v) for v in value)
    return str(value)


def _tags(values: dict[str, Any] | None) -> list[dict[str, str]]:
    return [{"Key": k, "Value": _tag_text(v)} for k, v in (values or {}).items()]


def state_machine(key: str, machine: StateMachine, ctx: Context) -> dict[str, Any]:
    """The state machine resource (``None`` values are left out when rendered)."""
    logical_id = machine_logical_id(key, machine)
    tags = [] if machine.inherit_global_tags is False else _tags(ctx.provider_tags)
    tags += _tags(machine.tags)
    depends_on: list[str] = []
    if machine.role is not None:
        role: JsonValue = machine.role
    else:
        role = {"Fn::GetAtt": [f"{logical_id}Role", "Arn"]}
        depends_on.append(f"{logical_id}Role")
    if isinstance(machine.depends_on, list):
        depends_on += machine.depends_on
    elif machine.depends_on:
        depends_on.append(machine.depends_on)
    logging: dict[str, Any] | None = None
    tracing: dict[str, Any] | None = None
    encryption: dict[str, Any] | None = None
    if machine.logging_config is not None:
        cfg = machine.logging_config
        logging = {"Level": cfg.level, "IncludeExecutionData": cfg.include_execution_data}
        if cfg.destinations:
            logging["Destinations"] = [
                {"CloudWatchLogsLogGroup": {"LogGroupArn": d}} for d in cfg.destinations
            ]
    if machine.tracing_config is not None:
        tracing = {"Enabled": machine.tracing_config.enabled}
    if machine.encryption_config is not None:
        enc = machine.encryption_config
        encryption = {
            "KmsDataKeyReusePeriodSeconds": enc.KmsDataKeyReusePeriodSeconds,
            "KmsKeyId": {"Fn::Sub": enc.KmsKeyId},
            "Type": enc.Type,
        }
    properties: dict[str, Any] = {
        "DefinitionString": definition_string(machine.definition, ctx),
        "RoleArn": role,
        "StateMachineType": machine.type,
        "LoggingConfiguration": logging,
        "TracingConfiguration": tracing,
        "EncryptionConfiguration": encryption,
    }
    if tags:
        properties["Tags"] = tags
    if machine.name:
        properties["StateMachineName"] = machine.name
    resource: dict[str, Any] = {"Type": "AWS::StepFunctions::StateMachine", "Properties": properties}
    resource["DependsOn"] = depends_on
    if machine.retain:
        resource["DeletionPolicy"] = "Retain"
    return resource


def activity_logical_id(name: str) -> str:
    return normalized(name) + "StepFunctionsActivity"


def activity(name: str) -> dict[str, Any]:
    return {"Type": "AWS::StepFunctions::Activity", "Properties": {"Name": name}}
