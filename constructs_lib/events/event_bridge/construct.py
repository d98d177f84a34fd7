"""``eventBridge`` event, as v3's ``compileWithCloudFormation`` (the default since v3).

Per event (numbered by its position among all the function's events): a rule
``<Alnum(functionName-rule-N)>EventBridgeRule`` named ``<functionName>-rule-N`` (hashed past 64
characters), ``<F>EventBridgeLambdaPermission<N>``, and ``<Bus>EventBridgeEventBus`` when the bus is
a plain name other than ``default``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.event_bridge import EventBridgeEvent
from constructs_lib.events.sites import EventSite


def _hash_name(name: str, suffix: str) -> str:
    return f"{name[: 31 - len(suffix)]}{hashlib.md5(name.encode()).hexdigest()}-{suffix}"


def rule_name(function_name: str, index: int) -> str:
    name = f"{function_name}-rule-{index}"
    return _hash_name(name, f"rule-{index}") if len(name) > 64 else name


def target_id(name: str) -> str:
    target = f"{name}-target"
    return _hash_name(target, "target") if len(target) > 64 else target


def build(ctx: BuildContext, sites: Sequence[EventSite[EventBridgeEvent]]) -> None:
    """Native CloudFormation rules (``useCloudFormation: false`` is refused at load)."""
    for site in sites:
        fn = ctx.function(site)
        event = site.event
        index = site.index + 1
        name = event.name or rule_name(fn.props.name, index)
        bus: Any = event.event_bus
        exists = isinstance(bus, dict)
        if isinstance(bus, str) and bus.startswith("arn"):
            exists = True
            bus = bus[bus.index("/") + 1 :]
        create_bus = not exists and bool(bus) and bus != "default"
        alias = fn.target_alias[1] if fn.target_alias else None
        depends: Any = alias
        if create_bus:
            bus_id = naming.event_bus_logical_id(bus)
            ctx.raw.add(bus_id, {"Type": "AWS::Events::EventBus", "Properties": {"Name": bus}})
            depends = bus_id
        ctx.raw.add(
            naming.event_bridge_rule_logical_id(f"{fn.props.name}-rule-{index}"),
            {
                "Type": "AWS::Events::Rule",
                "DependsOn": depends,
                "Properties": {
                    "Description": event.description,
                    "EventBusName": None if bus == "default" else bus,
                    "EventPattern": event.pattern,
                    "Name": name,
                    "ScheduleExpression": event.schedule,
                    "State": "DISABLED" if event.enabled is False else "ENABLED",
                    "Targets": [_target(event, fn.target_arn, name)],
                },
            },
        )
        path = [bus, name] if bus else [name]
        ctx.raw.add(
            naming.event_bridge_permission_logical_id(fn.props.key, index),
            invoke_permission(
                fn.target_arn, "events.amazonaws.com", source_arn=_rule_arn(path), depends_on=alias
            ),
        )


def _target(event: EventBridgeEvent, function_arn: Any, name: str) -> dict[str, Any]:
    """The rule's one target: the function, with retries, dead letters and input."""
    target: dict[str, Any] = {"Arn": function_arn, "Id": target_id(name)}
    if event.retry_policy is not None:
        target["RetryPolicy"] = {
            "MaximumEventAgeInSeconds": event.retry_policy.maximum_event_age,
            "MaximumRetryAttempts": event.retry_policy.maximum_retry_attempts,
        }
    if event.dead_letter_queue_arn:
        target["DeadLetterConfig"] = {"Arn": event.dead_letter_queue_arn}
    if event.input:
        target["Input"] = json.dumps(event.input, separators=(",", ":"), ensure_ascii=False)
    elif event.input_path:
        target["InputPath"] = event.input_path
    elif event.input_transformer is not None:
        transformer = event.input_transformer
        target["InputTransformer"] = {
            "InputTemplate": transformer.input_template,
            "InputPathsMap": transformer.input_paths_map,
        }
    return target


def _rule_arn(path: list[Any]) -> dict[str, Any]:
    """``arn:<partition>:events:<region>:<account>:rule/[<bus>/]<name>``, as v3 joins it."""
    return {
        "Fn::Join": [
            ":",
            [
                "arn",
                {"Ref": "AWS::Partition"},
                "events",
                {"Ref": "AWS::Region"},
                {"Ref": "AWS::AccountId"},
                {"Fn::Join": ["/", ["rule", *path]]},
            ],
        ]
    }
