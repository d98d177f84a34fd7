"""``cloudwatchEvent`` event, as v3's ``AwsCompileCloudWatchEventEvents``:
``<F>EventsRuleCloudWatchEvent<N>`` (target id ``<functionKey>CloudWatchEvent``) and
``<F>LambdaPermissionEventsRuleCloudWatchEvent<N>``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.cloudwatch_event import CloudwatchEventEvent
from constructs_lib.events.sites import EventSite


def build(ctx: BuildContext, sites: Sequence[EventSite[CloudwatchEventEvent]]) -> None:
    for site in sites:
        fn = ctx.function(site)
        key = fn.props.key
        event = site.event
        rule_id = naming.cloudwatch_event_logical_id(key, site.ordinal)
        alias = fn.target_alias[1] if fn.target_alias else None
        value = event.input
        if isinstance(value, dict):
            value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        target: dict[str, Any] = {
            "Input": value or None,
            "InputPath": event.input_path.replace("\n", "").replace("\r", "") if event.input_path else None,
            "InputTransformer": event.input_transformer.to_cfn() if event.input_transformer else None,
            "Arn": fn.target_arn,
            "Id": naming.cloudwatch_event_target_id(key),
        }
        ctx.raw.add(
            rule_id,
            {
                "Type": "AWS::Events::Rule",
                "DependsOn": alias,
                "Properties": {
                    "EventPattern": event.event,
                    "State": "DISABLED" if event.enabled is False else "ENABLED",
                    "Description": event.description or None,
                    "Name": event.name or None,
                    "Targets": [target],
                },
            },
        )
        ctx.raw.add(
            naming.cloudwatch_event_permission_logical_id(key, site.ordinal),
            invoke_permission(
                fn.target_arn,
                "events.amazonaws.com",
                source_arn={"Fn::GetAtt": [rule_id, "Arn"]},
                depends_on=alias,
            ),
        )
