"""``schedule`` event, as v3's ``AwsCompileScheduledEvents``.

Per rate expression (numbered from 1 within the function): ``<F>EventsRuleSchedule<N>`` (an
``AWS::Events::Rule`` targeting the function, id ``<functionKey>Schedule``) and
``<F>LambdaPermissionEventsRuleSchedule<N>``; with ``method: scheduler`` an
``AWS::Scheduler::Schedule`` (``<F>SchedulerSchedule<N>``) using the function's role, and the
generated role then trusts ``scheduler.amazonaws.com`` and may invoke those functions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.schedule import ScheduleEvent
from constructs_lib.events.sites import EventSite


def _input(event: ScheduleEvent) -> str | None:
    value = event.input
    if isinstance(value, dict):
        value = dict(value)
        if isinstance(value.get("body"), str):
            value["body"] = json.loads(value["body"])
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return value


def _transformer(event: ScheduleEvent) -> dict[str, Any] | None:
    t = event.input_transformer
    if t is None:
        return None
    out: dict[str, Any] = {"InputTemplate": t.input_template}
    if t.input_paths_map:
        out["InputPathsMap"] = t.input_paths_map
    return out


def build(ctx: BuildContext, sites: Sequence[EventSite[ScheduleEvent]]) -> None:
    scheduler_resources: list[Any] = []
    by_function: dict[str, list[EventSite[ScheduleEvent]]] = {}
    for site in sites:
        by_function.setdefault(site.key, []).append(site)
    for key, function_sites in by_function.items():
        fn = ctx.function(function_sites[0])
        target = fn.target_arn
        depends = fn.target_alias[1] if fn.target_alias else None
        number = 0
        uses_scheduler = False
        for site in function_sites:
            event = site.event
            state = "DISABLED" if event.enabled is False else "ENABLED"
            for expression in event.rate:
                number += 1
                if event.method == "scheduler":
                    uses_scheduler = True
                    ctx.raw.add(
                        naming.scheduler_schedule_logical_id(key, number),
                        {
                            "Type": "AWS::Scheduler::Schedule",
                            "DependsOn": depends,
                            "Properties": {
                                "ScheduleExpression": expression,
                                "State": state,
                                "Target": {
                                    "Arn": target,
                                    "RoleArn": fn.cfn_properties["Role"],
                                    "Input": _input(event),
                                },
                                "FlexibleTimeWindow": {"Mode": "OFF"},
                                "Name": event.name,
                                "Description": event.description,
                                "ScheduleExpressionTimezone": event.timezone,
                            },
                        },
                    )
                    continue
                rule_id = naming.schedule_logical_id(key, number)
                target_spec: dict[str, Any] = {
                    "Input": _input(event),
                    "InputPath": event.input_path,
                    "InputTransformer": _transformer(event),
                    "Arn": target,
                    "Id": naming.schedule_target_id(key),
                }
                ctx.raw.add(
                    rule_id,
                    {
                        "Type": "AWS::Events::Rule",
                        "DependsOn": depends,
                        "Properties": {
                            "ScheduleExpression": expression,
                            "State": state,
                            "Name": event.name,
                            "Description": event.description,
                            "Targets": [target_spec],
                        },
                    },
                )
                ctx.raw.add(
                    naming.schedule_permission_logical_id(key, number),
                    invoke_permission(
                        target,
                        "events.amazonaws.com",
                        source_arn={"Fn::GetAtt": [rule_id, "Arn"]},
                        depends_on=depends,
                    ),
                )
        if uses_scheduler:
            arn = naming.function_arn_sub(fn.props.name)["Fn::Sub"]
            scheduler_resources.extend([{"Fn::Sub": arn}, {"Fn::Sub": f"{arn}:*"}])
    if scheduler_resources and ctx.role is not None:
        ctx.role.trust("scheduler.amazonaws.com")
        ctx.role.add_statement(
            {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": scheduler_resources}
        )
