"""API keys and usage plans (v3's ``api-keys.js``, ``usage-plan.js``, ``usage-plan-keys.js``):
``provider.apiGateway.apiKeys`` / ``usagePlan`` as keys, plans and the keys' plan links, all
made once the stage exists."""

from __future__ import annotations

from typing import Any

from constructs_lib import naming
from constructs_lib.config.model import UsagePlan
from constructs_lib.events.http import plan
from constructs_lib.events.http.rest_api import RestApi

__all__ = ["add_api_keys_and_usage_plans"]


def _key(api: RestApi, key: plan.PlannedKey, deployment_id: str) -> dict[str, Any]:
    given = key.key
    return {
        "Type": "AWS::ApiGateway::ApiKey",
        "Properties": {
            "Enabled": given.enabled if given.enabled is not None else True,
            "Name": given.name,
            "Value": given.value,
            "Description": given.description,
            "CustomerId": given.customer_id,
            "StageKeys": [{"RestApiId": api.ref, "StageName": api.ctx.stage}],
        },
        "DependsOn": deployment_id,
    }


def _usage_plan(api: RestApi, name: str, config: UsagePlan | None, deployment_id: str) -> dict[str, Any]:
    service, stage = api.ctx.service_name, api.ctx.stage
    properties: dict[str, Any] = {
        "ApiStages": [{"ApiId": api.ref, "Stage": stage}],
        "Description": f"Usage plan for {service} {stage} stage"
        if name == "default"
        else f'Usage plan "{name}" for {service} {stage} stage',
        "UsagePlanName": f"{service}-{stage}" if name == "default" else f"{service}-{name}-{stage}",
    }
    if config is not None and config.quota is not None:
        properties["Quota"] = {
            "Limit": config.quota.limit,
            "Offset": config.quota.offset,
            "Period": config.quota.period,
        }
    if config is not None and config.throttle is not None:
        properties["Throttle"] = {
            "BurstLimit": config.throttle.burst_limit,
            "RateLimit": config.throttle.rate_limit,
        }
    return {"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": deployment_id, "Properties": properties}


def add_api_keys_and_usage_plans(api: RestApi, deployment_id: str) -> None:
    """Keys (``ApiGatewayApiKey<n>`` or ``ApiGatewayApiKey<Plan><n>``), plans
    (``ApiGatewayUsagePlan[<Plan>]``) and links (``ApiGatewayUsagePlanKey...``); ``check`` made
    sure every key has its plan."""
    keys = plan.key_plan(api.gateway)
    if keys is None:
        return
    for key in keys.keys:
        api.add(key.logical_id, _key(api, key, deployment_id))
    for name, config in keys.plans.items():
        api.add(
            naming.rest_usage_plan_logical_id(None if name == "default" else name),
            _usage_plan(api, name, config, deployment_id),
        )
    for key in keys.keys:
        api.add(
            key.link_id,
            {
                "Type": "AWS::ApiGateway::UsagePlanKey",
                "Properties": {
                    "KeyId": {"Ref": key.logical_id},
                    "KeyType": "API_KEY",
                    "UsagePlanId": {"Ref": key.plan_id},
                },
            },
        )
