"""The deployment and the stage (v3's ``deployment.js`` and ``stage.js``).

One deliberate difference: v3 names the deployment ``ApiGatewayDeployment<timestamp>`` (a new one
on every deploy); ours is ``ApiGatewayDeployment<hash of the API's definition>``, so an unchanged
API is not redeployed and a changed one is. ``tracing.apiGateway``, ``apiGateway.metrics`` and
``logs.restApi``, which v3 patches into the stage with API calls after deploying, become
``ApiGatewayStageSettings`` (a custom resource of ours); its log group and the account's
CloudWatch role are v3's.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from constructs_lib import naming
from constructs_lib.config.model import RestApiLogs
from constructs_lib.constructs import custom_resources
from constructs_lib.constructs.raw import strip_none
from constructs_lib.events.api_logs import ensure_account_cloudwatch_role
from constructs_lib.events.http.rest_api import REST_API, RestApi

__all__ = ["add_deployment", "add_stage_settings"]

_ACCESS_LOG_FORMAT = (
    "requestId: $context.requestId, ip: $context.identity.sourceIp, caller: $context.identity.caller, "
    "user: $context.identity.user, requestTime: $context.requestTime, httpMethod: $context.httpMethod, "
    "resourcePath: $context.resourcePath, status: $context.status, protocol: $context.protocol, "
    "responseLength: $context.responseLength"
)


def _apigateway_arn(*tail: Any) -> dict[str, Any]:
    """``arn:<partition>:apigateway:<region><tail...>``."""
    return {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, *tail]]
    }


def add_deployment(api: RestApi) -> str:
    """``ApiGatewayDeployment<hash>``, named after what it deploys; returns its logical ID."""
    raw = api.ctx.raw
    definition = json.dumps(
        strip_none(  # what is deployed, not how we hold it (unset keys do not count)
            {
                lid: raw.get(lid)
                for lid in [REST_API, *sorted(raw.definitions)]
                if lid.startswith("ApiGateway")
            }
        ),
        sort_keys=True,
        default=str,
    )
    deployment_id = naming.rest_deployment_logical_id(hashlib.sha256(definition.encode()).hexdigest()[:13])
    gateway = api.gateway
    api.add(
        deployment_id,
        {
            "Type": "AWS::ApiGateway::Deployment",
            "Properties": {
                "RestApiId": api.ref,
                "StageName": api.stage_name,
                "Description": gateway.description if gateway else None,
            },
            "DependsOn": api.method_ids,
        },
    )
    return deployment_id


def _switch(path: str, value: object) -> dict[str, str]:
    return {"op": "replace", "path": path, "value": str(bool(value)).lower()}


def _log_settings(api: RestApi, logs: bool | RestApiLogs, depends: list[str]) -> list[dict[str, Any]]:
    """The stage's execution and access logs (the access log group and, for it, the account's
    CloudWatch role are made here; ``depends`` gains them)."""
    if logs is False:
        return [
            {"op": "replace", "path": "/*/*/logging/dataTrace", "value": "false"},
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": "OFF"},
        ]
    settings = logs if not isinstance(logs, bool) else None
    execution = True if settings is None or settings.execution_logging is None else settings.execution_logging
    level = "OFF" if not execution else ((settings.level if settings else None) or "INFO")
    access = True if settings is None or settings.access_logging is None else settings.access_logging
    full = True if settings is None or settings.full_execution_data is None else settings.full_execution_data
    operations: list[dict[str, Any]] = []
    if access:
        group = f"/aws/api-gateway/{api.ctx.service_name}-{api.stage_name}"
        operations += [
            {
                "op": "replace",
                "path": "/accessLogSettings/destinationArn",
                "value": naming.log_group_arn(group, ""),
            },
            {
                "op": "replace",
                "path": "/accessLogSettings/format",
                "value": (settings.format if settings else None) or _ACCESS_LOG_FORMAT,
            },
        ]
        _add_access_log_group(api, group)
        depends.append(naming.rest_log_group_logical_id())
        ensure_account_cloudwatch_role(api.ctx)
        depends.append("CustomApiGatewayAccountCloudWatchRole")
    else:
        operations.append({"op": "remove", "path": "/accessLogSettings"})
    return [
        *operations,
        _switch("/*/*/logging/dataTrace", full),
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": level},
    ]


def _add_access_log_group(api: RestApi, group: str) -> None:
    provider = api.provider
    api.add(
        naming.rest_log_group_logical_id(),
        {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": group,
                "RetentionInDays": provider.log_retention_in_days,
                "DataProtectionPolicy": provider.log_data_protection_policy,
            },
        },
    )


def add_stage_settings(api: RestApi, deployment_id: str) -> None:
    """``tracing.apiGateway``, ``apiGateway.metrics``, ``logs.restApi`` (and then the stage's tags)
    as ``ApiGatewayStageSettings``; only for the service's own API (v3 leaves others' stages alone)."""
    provider = api.provider
    tracing = provider.tracing.api_gateway if provider.tracing is not None else None
    metrics = api.gateway.metrics if api.gateway is not None else None
    logs = provider.logs.rest_api if provider.logs is not None else None
    if tracing is None and metrics is None and logs is None:
        return
    operations: list[dict[str, Any]] = []
    if tracing is not None:
        operations.append(_switch("/tracingEnabled", tracing))
    if metrics is not None:
        operations.append(_switch("/*/*/metrics/enabled", metrics))
    depends = [deployment_id]
    if logs is not None:
        operations += _log_settings(api, logs, depends)
    tags = {**(provider.stack_tags or {}), **(provider.tags or {})}
    service_token = custom_resources.function_logical_id("apiGatewayStage")
    api.add(
        naming.rest_stage_settings_logical_id(),
        {
            "Type": "Custom::ApiGatewayStageSettings",
            "DependsOn": [d for d in depends if api.ctx.raw.get(d) is not None or d == deployment_id],
            "Properties": {
                "ServiceToken": {"Fn::GetAtt": [service_token, "Arn"]},
                "RestApiId": {"Ref": REST_API},
                "StageName": api.stage_name,
                "DeploymentId": {"Ref": deployment_id},  # re-applied after each new deployment
                "PatchOperations": operations,
                "Tags": {k: str(v) for k, v in tags.items()} or None,
            },
        },
    )
    _add_stage_function(api)


def _add_stage_function(api: RestApi) -> None:
    """The custom resource's Lambda, allowed to patch this stage and tag it."""
    stage_arn = _apigateway_arn("::/restapis/", {"Ref": REST_API})
    custom_resources.add_custom_resource(
        api.ctx,
        "apiGatewayStage",
        [
            {
                "Effect": "Allow",
                "Resource": {"Fn::Join": ["", [stage_arn, f"/stages/{api.stage_name}"]]},
                "Action": ["apigateway:PATCH"],
            },
            {
                "Effect": "Allow",
                "Resource": _apigateway_arn("::/tags/*"),
                "Action": ["apigateway:PUT", "apigateway:DELETE"],
            },
        ],
    )
