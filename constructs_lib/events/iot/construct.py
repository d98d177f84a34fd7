"""``iot``: ``<F>IotTopicRule<N>`` + ``<F>LambdaPermissionIotTopicRule<N>``.
``iotFleetProvisioning``: ``<F>IotProvisioningTemplate`` + its permission (one per function)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.iot import IotEvent, IotFleetProvisioningEvent
from constructs_lib.events.sites import EventSite


def _one_line(value: str | None) -> str | None:
    return re.sub(r"\r?\n", "", value) if value else None


def build_iot(ctx: BuildContext, sites: Sequence[EventSite[IotEvent]]) -> None:
    for site in sites:
        fn = ctx.function(site)
        key = fn.props.key
        event = site.event
        alias = fn.target_alias[1] if fn.target_alias else None
        rule_id = naming.iot_rule_logical_id(key, site.ordinal)
        payload: dict[str, Any] = {
            "RuleDisabled": event.enabled is False,
            "Sql": _one_line(event.sql) or "",
            "Actions": [{"Lambda": {"FunctionArn": fn.target_arn}}],
        }
        if event.description:
            payload["Description"] = _one_line(event.description)
        if event.sql_version:
            payload["AwsIotSqlVersion"] = event.sql_version
        properties: dict[str, Any] = {"TopicRulePayload": payload}
        if event.name:
            properties["RuleName"] = _one_line(event.name)
        ctx.raw.add(rule_id, {"Type": "AWS::IoT::TopicRule", "DependsOn": alias, "Properties": properties})
        ctx.raw.add(
            naming.iot_permission_logical_id(key, site.ordinal),
            invoke_permission(
                fn.target_arn,
                "iot.amazonaws.com",
                source_arn={
                    "Fn::Join": [
                        "",
                        [
                            "arn:",
                            {"Ref": "AWS::Partition"},
                            ":iot:",
                            {"Ref": "AWS::Region"},
                            ":",
                            {"Ref": "AWS::AccountId"},
                            ":rule/",
                            {"Ref": rule_id},
                        ],
                    ]
                },
                depends_on=alias,
            ),
        )


def build_fleet_provisioning(
    ctx: BuildContext, sites: Sequence[EventSite[IotFleetProvisioningEvent]]
) -> None:
    """One template per function (checked at load)."""
    for site in sites:
        fn = ctx.function(site)
        key = fn.props.key
        event = site.event
        alias = fn.target_alias[1] if fn.target_alias else None
        permission_id = naming.iot_fleet_permission_logical_id(key)
        properties: dict[str, Any] = {
            "Enabled": True if event.enabled is None else event.enabled,
            "PreProvisioningHook": {"TargetArn": fn.target_arn},
            "ProvisioningRoleArn": event.provisioning_role_arn,
            "TemplateBody": json.dumps(event.template_body, separators=(",", ":"), ensure_ascii=False),
        }
        if event.template_name:
            properties["TemplateName"] = event.template_name
        ctx.raw.add(
            naming.iot_fleet_logical_id(key),
            {
                "Type": "AWS::IoT::ProvisioningTemplate",
                "Properties": properties,
                "DependsOn": [d for d in (permission_id, alias) if d],
            },
        )
        ctx.raw.add(permission_id, invoke_permission(fn.target_arn, "iot.amazonaws.com", depends_on=alias))
