"""``websocket`` events, as v3's ``AwsCompileWebsockets``.

``WebsocketsApi``, per function ``<F>WebsocketsIntegration`` and ``<F>LambdaPermissionWebsockets``,
per route ``<Route>WebsocketsRoute`` (and ``...RouteResponse``), per authorizer
``<A>WebsocketsAuthorizer`` with its permission, the stage ``WebsocketsDeploymentStage`` and the
deployment ``WebsocketsDeployment<sha256>``. The deployment's name is v3's: the base64 SHA-256
of the API's resources as JSON (in v3's key order), so an unchanged API keeps its deployment.
Functions may post to connections: the generated role gets ``execute-api:ManageConnections``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.constructs.intrinsics import api_endpoint, lambda_invocation_uri
from constructs_lib.constructs.raw import invoke_permission, strip_none
from constructs_lib.errors import ConfigError
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.sites import EventSite
from constructs_lib.events.websocket import WebsocketAuthorizer, WebsocketEvent

_API = naming.websockets_api_logical_id()
_DEFAULT_IDENTITY = ["route.request.header.Auth"]
_ACCESS_LOG_FORMAT = (
    "$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "
    '"$context.eventType $context.routeKey $context.connectionId" $context.requestId'
)


def _authorizer(ctx: BuildContext, auth: WebsocketAuthorizer, key: str, index: int) -> dict[str, Any]:
    """v3's validated authorizer: name, uri, identity source, and what its permission targets."""
    if auth.arn is not None:
        name = auth.name if isinstance(auth.arn, dict) else str(auth.arn).split(":")[-1]
        assert name is not None
        return {
            "name": name,
            "uri": lambda_invocation_uri(auth.arn),
            "identitySource": auth.identity_source or _DEFAULT_IDENTITY,
            "permission": auth.arn,
            "function": None,
        }
    assert auth.name is not None
    fn = ctx.functions.get(auth.name)
    if fn is None:
        raise ConfigError(
            f"websocket authorizer {auth.name!r} is not a function of this service",
            path=("functions", key, "events", index, "websocket", "authorizer"),
            hint="name a function of this service, or give the authorizer's 'arn'",
        )
    return {
        "name": auth.name,
        "uri": lambda_invocation_uri(fn.target_arn),
        "identitySource": auth.identity_source or _DEFAULT_IDENTITY,
        "permission": naming.lambda_logical_id(auth.name),
        "function": fn,
    }


def build(ctx: BuildContext, sites: Sequence[EventSite[Any]]) -> None:
    provider = ctx.service.model.provider
    service, stage = ctx.service.name, ctx.service.stage
    description = provider.websockets_description or "Serverless Websockets"
    raw = ctx.raw
    seen: dict[str, tuple[str, str]] = {}  # route logical ID -> (route, function)
    events: list[tuple[Any, WebsocketEvent, dict[str, Any] | None]] = []
    for site in sites:
        event: WebsocketEvent = site.event
        key = site.key
        where = ("functions", key, "events", site.index, "websocket")
        logical_id = naming.websockets_route_logical_id(event.route)
        if logical_id in seen:
            other_route, other = seen[logical_id]
            if other_route != event.route:
                raise ConfigError(
                    f"websocket routes {other_route!r} and {event.route!r} would share the logical ID "
                    f"{logical_id} (v3 silently kept one)",
                    path=where,
                )
            if other != key:
                raise ConfigError(
                    f"websocket route {event.route!r} is also bound to function {other!r}; "
                    "a route has one integration (v3 silently kept the last)",
                    path=where,
                )
        seen[logical_id] = (event.route, key)
        auth = _authorizer(ctx, event.authorizer, key, site.index) if event.authorizer else None
        events.append((ctx.function(site), event, auth))

    # ---- api (ours, or one another stack owns: provider.apiGateway.websocketApiId) ----
    gateway = provider.api_gateway
    external = gateway.websocket_api_id if gateway is not None else None
    if external is not None:
        _refuse_api_settings(provider)
        _events(ctx, events, external, stage, description)
        return
    api: dict[str, Any] = {
        "Name": provider.websockets_api_name or f"{stage}-{service}-websockets",
        "RouteSelectionExpression": provider.websockets_api_route_selection_expression
        or "$request.body.action",
        "Description": description,
        "ProtocolType": "WEBSOCKET",
    }
    if provider.tags and provider.websocket is not None and provider.websocket.use_provider_tags:
        api["Tags"] = dict(provider.tags)
    raw.add(_API, {"Type": "AWS::ApiGatewayV2::Api", "Properties": api})
    if ctx.role is not None:
        ctx.role.add_statement(
            {
                "Effect": "Allow",
                "Action": ["execute-api:ManageConnections"],
                "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:execute-api:*:*:*/@connections/*"}],
            }
        )
    _events(ctx, events, {"Ref": _API}, stage, description)


def _refuse_api_settings(provider: Any) -> None:
    for attribute, key in (
        ("websockets_api_name", "websocketsApiName"),
        ("websockets_api_route_selection_expression", "websocketsApiRouteSelectionExpression"),
    ):
        if getattr(provider, attribute) is not None:
            raise ConfigError(
                f"{key} configures the WebSocket API itself, which apiGateway.websocketApiId says another "
                "stack owns",
                path=("provider", key),
                hint="set it where that API is defined (v3 ignored it here)",
            )
    if provider.logs is not None and provider.logs.websocket:
        raise ConfigError(
            "websocket logs belong to the API's stage, which apiGateway.websocketApiId says another "
            "stack owns",
            path=("provider", "logs", "websocket"),
        )


def _events(
    ctx: BuildContext,
    events: list[tuple[Any, WebsocketEvent, dict[str, Any] | None]],
    api_ref: Any,
    stage: str,
    description: str,
) -> None:
    """Integrations, route responses, authorizers, permissions, routes, stage and deployment on
    ``api_ref`` (with an external API: no stage; the deployment names the stage itself)."""
    provider = ctx.service.model.provider
    raw = ctx.raw
    own = api_ref == {"Ref": _API}

    # ---- integrations ----
    for fn, _event, _auth in events:
        raw.add(
            naming.websockets_integration_logical_id(fn.props.key),
            {
                "Type": "AWS::ApiGatewayV2::Integration",
                "DependsOn": fn.target_alias[1] if fn.target_alias else None,
                "Properties": {
                    "ApiId": api_ref,
                    "IntegrationType": "AWS_PROXY",
                    "IntegrationUri": lambda_invocation_uri(fn.target_arn),
                },
            },
        )
    # ---- route responses ----
    for _fn, event, _auth in events:
        if event.route_response_selection_expression:
            raw.add(
                naming.websockets_route_response_logical_id(event.route),
                {
                    "Type": "AWS::ApiGatewayV2::RouteResponse",
                    "Properties": {
                        "ApiId": api_ref,
                        "RouteId": {"Ref": naming.websockets_route_logical_id(event.route)},
                        "RouteResponseKey": "$default",
                    },
                },
            )
    # ---- authorizers ----
    for _fn, _event, auth in events:
        if auth is None:
            continue
        owner = auth["function"]
        raw.add(
            naming.websockets_authorizer_logical_id(auth["name"]),
            {
                "Type": "AWS::ApiGatewayV2::Authorizer",
                "DependsOn": owner.target_alias[1] if owner is not None and owner.target_alias else None,
                "Properties": {
                    "ApiId": api_ref,
                    "Name": auth["name"],
                    "AuthorizerType": "REQUEST",
                    "AuthorizerUri": auth["uri"],
                    "IdentitySource": auth["identitySource"],
                },
            },
        )
    # ---- permissions ----
    for fn, _event, auth in events:
        raw.add(
            naming.websockets_permission_logical_id(fn.props.key),
            invoke_permission(
                fn.target_arn,
                "apigateway.amazonaws.com",
                depends_on=[
                    *([_API] if own else []),
                    fn.target_alias[1] if fn.target_alias else fn.logical_id,
                ],
            ),
        )
        if auth is None:
            continue
        owner = auth["function"]
        depends = [_API] if own else []
        properties: dict[str, Any] = {
            "Action": "lambda:InvokeFunction",
            "Principal": "apigateway.amazonaws.com",
        }
        if owner is None:
            properties["FunctionName"] = auth["permission"]
        else:
            properties["FunctionName"] = owner.target_arn
            depends.append(auth["permission"])
            if owner.target_alias:
                depends.append(owner.target_alias[1])
        raw.add(
            naming.websockets_permission_logical_id(auth["name"]),
            {"Type": "AWS::Lambda::Permission", "DependsOn": depends, "Properties": properties},
        )
    # ---- routes ----
    for fn, event, auth in events:
        route: dict[str, Any] = {
            "ApiId": api_ref,
            "RouteKey": event.route,
            "AuthorizationType": "CUSTOM" if auth else "NONE",
            "Target": {
                "Fn::Join": [
                    "/",
                    ["integrations", {"Ref": naming.websockets_integration_logical_id(fn.props.key)}],
                ]
            },
            "RouteResponseSelectionExpression": event.route_response_selection_expression,
        }
        if auth:
            route["AuthorizerId"] = {"Ref": naming.websockets_authorizer_logical_id(auth["name"])}
        raw.add(
            naming.websockets_route_logical_id(event.route),
            {"Type": "AWS::ApiGatewayV2::Route", "Properties": route},
        )

    # ---- stage (and its logs) ----
    stage_resource = None
    if own:
        stage_properties: dict[str, Any] = {"ApiId": api_ref, "StageName": stage, "Description": description}
        stage_resource = raw.add(
            naming.websockets_stage_logical_id(),
            {"Type": "AWS::ApiGatewayV2::Stage", "Properties": stage_properties},
        )
        logs = provider.logs.websocket if provider.logs is not None else None
        if logs:
            _stage_logs(ctx, stage_properties, logs)

    # ---- deployment, named by v3's hash of the API's resources (v3 picks them by ``Ref:
    # WebsocketsApi``, so with an external API the hash is that of ``{}``) ----
    part = {
        logical_id: definition
        for logical_id, definition in raw.definitions.items()
        if logical_id == _API
        or (definition.get("Properties") or {}).get("ApiId") == {"Ref": _API}
        or (isinstance(definition.get("DependsOn"), list) and _API in definition["DependsOn"])
    }
    text = json.dumps(strip_none(part), separators=(",", ":"), ensure_ascii=False)  # JSON.stringify
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    deployment_id = naming.websockets_deployment_logical_id(digest)
    depends_on: list[str] = []
    for _fn, event, _auth in events:
        if event.route_response_selection_expression:
            depends_on.append(naming.websockets_route_response_logical_id(event.route))
        depends_on.append(naming.websockets_route_logical_id(event.route))
    raw.add(
        deployment_id,
        {
            "Type": "AWS::ApiGatewayV2::Deployment",
            "DependsOn": depends_on,
            "Properties": {
                "ApiId": api_ref,
                "Description": description,
                "StageName": None if own else stage,
            },
        },
    )
    if stage_resource is not None:
        stage_resource["Properties"]["DeploymentId"] = {"Ref": deployment_id}
    ctx.add_output(
        "ServiceEndpointWebsocket", api_endpoint("wss", api_ref, stage), "URL of the service endpoint"
    )


def _stage_logs(ctx: BuildContext, properties: dict[str, Any], logs: Any) -> None:
    """``provider.logs.websocket``: execution and access logs, in ``/aws/websocket/<service>-<stage>``."""
    from constructs_lib.events.api_logs import ensure_account_cloudwatch_role

    settings = logs if not isinstance(logs, bool) else None
    access = True if settings is None or settings.access_logging is None else settings.access_logging
    execution = True if settings is None or settings.execution_logging is None else settings.execution_logging
    full = True if settings is None or settings.full_execution_data is None else settings.full_execution_data
    level = "OFF" if not execution else (settings.level if settings and settings.level else "INFO")
    properties["DefaultRouteSettings"] = {"DataTraceEnabled": full, "LoggingLevel": level}
    log_group_id = naming.websockets_log_group_logical_id()
    if access:
        properties["AccessLogSettings"] = {
            "DestinationArn": {
                "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${"
                + log_group_id
                + "}"
            },
            "Format": (settings.format if settings and settings.format else None) or _ACCESS_LOG_FORMAT,
        }
    provider = ctx.service.model.provider
    ctx.raw.add(
        log_group_id,
        {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": f"/aws/websocket/{ctx.service_name}-{ctx.stage}",
                "RetentionInDays": provider.log_retention_in_days,
                "DataProtectionPolicy": provider.log_data_protection_policy,
            },
        },
    )
    ensure_account_cloudwatch_role(ctx)
