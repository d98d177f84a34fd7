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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_lib import naming
from constructs_lib.config.model import WebsocketLogs
from constructs_lib.constructs.intrinsics import api_endpoint, lambda_invocation_uri
from constructs_lib.constructs.raw import invoke_permission, strip_none
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.sites import EventSite
from constructs_lib.events.websocket import WebsocketAuthorizer, WebsocketEvent

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction

_API = naming.websockets_api_logical_id()
_DEFAULT_IDENTITY = ["route.request.header.Auth"]
_ACCESS_LOG_FORMAT = (
    "$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "
    '"$context.eventType $context.routeKey $context.connectionId" $context.requestId'
)


@dataclass(frozen=True)
class _Authorizer:
    """v3's validated authorizer: name, uri, identity source, and what its permission targets."""

    name: str
    uri: Any
    identity_source: list[str]
    permission: Any
    function: ServerlessFunction | None
    """The service's function it runs (None: an ``arn``)."""


@dataclass(frozen=True)
class _Route:
    fn: ServerlessFunction
    event: WebsocketEvent
    auth: _Authorizer | None


def _authorizer(ctx: BuildContext, auth: WebsocketAuthorizer) -> _Authorizer:
    identity = auth.identity_source or _DEFAULT_IDENTITY
    if auth.arn is not None:
        name = auth.name if isinstance(auth.arn, dict) else str(auth.arn).split(":")[-1]
        assert name is not None
        return _Authorizer(name, lambda_invocation_uri(auth.arn), identity, auth.arn, None)
    assert auth.name is not None
    fn = ctx.functions[auth.name]  # a function of the service: checked at load
    return _Authorizer(
        auth.name, lambda_invocation_uri(fn.target_arn), identity, naming.lambda_logical_id(auth.name), fn
    )


def build(ctx: BuildContext, sites: Sequence[EventSite[WebsocketEvent]]) -> None:
    provider = ctx.provider
    description = provider.websockets_description or "Serverless Websockets"
    routes = [
        _Route(
            ctx.function(site),
            site.event,
            _authorizer(ctx, site.event.authorizer) if site.event.authorizer else None,
        )
        for site in sites
    ]
    # ---- api (ours, or one another stack owns: provider.apiGateway.websocketApiId) ----
    gateway = provider.api_gateway
    external = gateway.websocket_api_id if gateway is not None else None
    if external is not None:
        _events(ctx, routes, external, description)
        return
    api: dict[str, Any] = {
        "Name": provider.websockets_api_name or f"{ctx.stage}-{ctx.service_name}-websockets",
        "RouteSelectionExpression": provider.websockets_api_route_selection_expression
        or "$request.body.action",
        "Description": description,
        "ProtocolType": "WEBSOCKET",
    }
    if provider.tags and provider.websocket is not None and provider.websocket.use_provider_tags:
        api["Tags"] = dict(provider.tags)
    ctx.raw.add(_API, {"Type": "AWS::ApiGatewayV2::Api", "Properties": api})
    if ctx.role is not None:
        ctx.role.add_statement(
            {
                "Effect": "Allow",
                "Action": ["execute-api:ManageConnections"],
                "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:execute-api:*:*:*/@connections/*"}],
            }
        )
    _events(ctx, routes, {"Ref": _API}, description)


def _events(ctx: BuildContext, routes: Sequence[_Route], api_ref: Any, description: str) -> None:
    """Integrations, route responses, authorizers, permissions, routes, stage and deployment on
    ``api_ref`` (with an external API: no stage; the deployment names the stage itself)."""
    own = api_ref == {"Ref": _API}
    _integrations(ctx, routes, api_ref)
    _route_responses(ctx, routes, api_ref)
    _authorizers(ctx, routes, api_ref)
    for route in routes:
        _permissions(ctx, route, own)
    _routes(ctx, routes, api_ref)
    stage_resource = _stage(ctx, api_ref, description) if own else None
    deployment_id = _deployment(ctx, routes, api_ref, description, own)
    if stage_resource is not None:
        stage_resource["Properties"]["DeploymentId"] = {"Ref": deployment_id}
    ctx.add_output(
        "ServiceEndpointWebsocket", api_endpoint("wss", api_ref, ctx.stage), "URL of the service endpoint"
    )


def _alias(fn: ServerlessFunction | None) -> str | None:
    return fn.target_alias[1] if fn is not None and fn.target_alias else None


def _integrations(ctx: BuildContext, routes: Sequence[_Route], api_ref: Any) -> None:
    for route in routes:
        fn = route.fn
        ctx.raw.add(
            naming.websockets_integration_logical_id(fn.props.key),
            {
                "Type": "AWS::ApiGatewayV2::Integration",
                "DependsOn": _alias(fn),
                "Properties": {
                    "ApiId": api_ref,
                    "IntegrationType": "AWS_PROXY",
                    "IntegrationUri": lambda_invocation_uri(fn.target_arn),
                },
            },
        )


def _route_responses(ctx: BuildContext, routes: Sequence[_Route], api_ref: Any) -> None:
    for route in routes:
        event = route.event
        if event.route_response_selection_expression:
            ctx.raw.add(
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


def _authorizers(ctx: BuildContext, routes: Sequence[_Route], api_ref: Any) -> None:
    for route in routes:
        auth = route.auth
        if auth is None:
            continue
        ctx.raw.add(
            naming.websockets_authorizer_logical_id(auth.name),
            {
                "Type": "AWS::ApiGatewayV2::Authorizer",
                "DependsOn": _alias(auth.function),
                "Properties": {
                    "ApiId": api_ref,
                    "Name": auth.name,
                    "AuthorizerType": "REQUEST",
                    "AuthorizerUri": auth.uri,
                    "IdentitySource": auth.identity_source,
                },
            },
        )


def _permissions(ctx: BuildContext, route: _Route, own: bool) -> None:
    """``<F>LambdaPermissionWebsockets``, and the authorizer's ``<A>LambdaPermissionWebsockets``."""
    fn = route.fn
    ctx.raw.add(
        naming.websockets_permission_logical_id(fn.props.key),
        invoke_permission(
            fn.target_arn,
            "apigateway.amazonaws.com",
            depends_on=[*([_API] if own else []), _alias(fn) or fn.logical_id],
        ),
    )
    auth = route.auth
    if auth is None:
        return
    owner = auth.function
    depends = [_API] if own else []
    properties: dict[str, Any] = {"Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com"}
    if owner is None:
        properties["FunctionName"] = auth.permission
    else:
        properties["FunctionName"] = owner.target_arn
        depends.append(auth.permission)
        if owner.target_alias:
            depends.append(owner.target_alias[1])
    ctx.raw.add(
        naming.websockets_permission_logical_id(auth.name),
        {"Type": "AWS::Lambda::Permission", "DependsOn": depends, "Properties": properties},
    )


def _routes(ctx: BuildContext, routes: Sequence[_Route], api_ref: Any) -> None:
    for item in routes:
        event, auth = item.event, item.auth
        route: dict[str, Any] = {
            "ApiId": api_ref,
            "RouteKey": event.route,
            "AuthorizationType": "CUSTOM" if auth else "NONE",
            "Target": {
                "Fn::Join": [
                    "/",
                    ["integrations", {"Ref": naming.websockets_integration_logical_id(item.fn.props.key)}],
                ]
            },
            "RouteResponseSelectionExpression": event.route_response_selection_expression,
        }
        if auth:
            route["AuthorizerId"] = {"Ref": naming.websockets_authorizer_logical_id(auth.name)}
        ctx.raw.add(
            naming.websockets_route_logical_id(event.route),
            {"Type": "AWS::ApiGatewayV2::Route", "Properties": route},
        )


def _stage(ctx: BuildContext, api_ref: Any, description: str) -> dict[str, Any]:
    """``WebsocketsDeploymentStage`` of our API (and its logs)."""
    properties: dict[str, Any] = {"ApiId": api_ref, "StageName": ctx.stage, "Description": description}
    resource = ctx.raw.add(
        naming.websockets_stage_logical_id(),
        {"Type": "AWS::ApiGatewayV2::Stage", "Properties": properties},
    )
    logs = ctx.provider.logs.websocket if ctx.provider.logs is not None else None
    if logs:
        _stage_logs(ctx, properties, logs)
    return resource


def _deployment(
    ctx: BuildContext, routes: Sequence[_Route], api_ref: Any, description: str, own: bool
) -> str:
    """``WebsocketsDeployment<hash>``, named by v3's hash of the API's resources (v3 picks them by
    ``Ref: WebsocketsApi``, so with an external API the hash is that of ``{}``)."""
    part = {
        logical_id: definition
        for logical_id, definition in ctx.raw.definitions.items()
        if logical_id == _API
        or (definition.get("Properties") or {}).get("ApiId") == {"Ref": _API}
        or (isinstance(definition.get("DependsOn"), list) and _API in definition["DependsOn"])
    }
    text = json.dumps(strip_none(part), separators=(",", ":"), ensure_ascii=False)  # JSON.stringify
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    deployment_id = naming.websockets_deployment_logical_id(digest)
    depends_on: list[str] = []
    for route in routes:
        if route.event.route_response_selection_expression:
            depends_on.append(naming.websockets_route_response_logical_id(route.event.route))
        depends_on.append(naming.websockets_route_logical_id(route.event.route))
    ctx.raw.add(
        deployment_id,
        {
            "Type": "AWS::ApiGatewayV2::Deployment",
            "DependsOn": depends_on,
            "Properties": {
                "ApiId": api_ref,
                "Description": description,
                "StageName": None if own else ctx.stage,
            },
        },
    )
    return deployment_id


def _stage_logs(ctx: BuildContext, properties: dict[str, Any], logs: bool | WebsocketLogs) -> None:
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
