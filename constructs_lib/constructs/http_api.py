"""``ServiceHttpApi``: the service's API Gateway v2 HTTP API, as v3 builds it.

One API per service (``HttpApi``, named ``<stage>-<service>``), a ``$default`` stage with
auto-deploy, CORS from ``provider.httpApi.cors``, and per route: an integration per function
(``HttpApiIntegration<F>``, AWS_PROXY, payload 2.0, 30 s), an invoke permission per function
(``<F>LambdaPermissionHttpApi``, scoped to ``<api>/*`` like v3), and the route
(``HttpApiRoute<Route>``). Outputs ``HttpApiId`` and ``HttpApiUrl`` are exported as v3 does.
With ``provider.logs.httpApi`` the stage writes access logs to ``HttpApiLogGroup``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnOutput, Fn, ScopedAws
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib import naming
from constructs_lib.config.model import API_CORS_DEFAULT_HEADERS, Cors, HttpApiAuthorizer, HttpApiConfig
from constructs_lib.constructs.function import ServerlessFunction
from constructs_lib.constructs.intrinsics import execute_api_arn, lambda_invocation_uri, raw
from constructs_lib.constructs.l1_sync import keep_tags
from constructs_lib.constructs.overrides import override_property
from constructs_lib.constructs.placement import remember_stack, stack_of

__all__ = [
    "DEFAULT_ACCESS_LOG_FORMAT",
    "HTTP_API_CORS_DEFAULT_HEADERS",
    "HttpApiAccessLogs",
    "ServiceHttpApi",
]

HTTP_API_CORS_DEFAULT_HEADERS = API_CORS_DEFAULT_HEADERS
#: Methods an ``ANY`` route adds to the CORS methods, in v3's order.
_ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE")
INTEGRATION_TIMEOUT_MS = 30_000


#: v3's default access log format for HTTP APIs (JSON, compact, in this key order).
DEFAULT_ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
    },
    separators=(",", ":"),
)


@dataclass(frozen=True)
class HttpApiAccessLogs:
    """``provider.logs.httpApi``: ``HttpApiLogGroup`` (``/aws/http-api/<stackName>``) and the format."""

    log_group_name: str
    format: str = DEFAULT_ACCESS_LOG_FORMAT
    retention_in_days: int | None = None
    data_protection_policy: dict[str, Any] | None = None


class ServiceHttpApi(Construct):
    """The HTTP API of one service (v3's ``HttpApi``, its stage and outputs; one per stack, with
    v3's logical IDs); add routes with :meth:`add_route`, or through :attr:`api`, an
    ``apigatewayv2.IHttpApi`` for CDK's own routes and integrations. ``config`` is
    ``provider.httpApi`` (default: no CORS, no authorizers); service and stage default to the
    enclosing ``ServiceStack``'s."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: HttpApiConfig | None = None,
        service: str | None = None,
        stage: str | None = None,
        tags: dict[str, Any] | None = None,
        access_logs: HttpApiAccessLogs | None = None,
        functions: Callable[[str], ServerlessFunction | None] | None = None,
    ) -> None:
        super().__init__(scope, id)
        remember_stack(self, scope)
        if service is None or stage is None:
            from constructs_lib.constructs.function_props import service_and_stage

            model, default_stage = service_and_stage(stack_of(self))
            service, stage = service or model.service, stage or default_stage
        config = config or HttpApiConfig()
        self.config = config
        self.service = service
        self.stage = stage
        self._routes: dict[str, apigwv2.CfnRoute] = {}
        self._integrations: dict[str, apigwv2.CfnIntegration] = {}
        self._permissions: dict[str, lambda_.CfnPermission] = {}
        self._fill_methods = config.cors is True or (
            isinstance(config.cors, Cors) and config.cors.allowed_methods is None
        )
        self._methods: list[str] = ["OPTIONS"]
        # CDK string tokens, each made once (every conversion is a jsii call)
        self._route_targets: dict[str, str] = {}
        self._execute_api_arn_text: str | None = None
        self._api_object: apigwv2.IHttpApi | None = None

        #: ``provider.httpApi.id``: routes go on an API another stack owns (no API, stage, logs, outputs)
        self.external_id = config.id
        self.cfn_api: apigwv2.CfnApi | None = None
        self.cfn_stage: apigwv2.CfnStage | None = None
        self.log_group: logs.CfnLogGroup | None = None
        if self.external_id is not None:
            self._api_ref: str = raw(self.external_id)
        else:
            self._own_api(config, service, stage, tags, access_logs)
            assert self.cfn_api is not None
            self._api_ref = self.cfn_api.ref

        self._functions = functions or (lambda key: None)
        self._authorizer_ids: dict[str, str] = {}
        for name, authorizer in config.authorizers.items():
            self._add_authorizer(name, authorizer)

        if self.cfn_api is not None:
            self._export(naming.http_api_output_id_logical_id(), self.cfn_api.ref, "Id of the HTTP API")
            # Scoped pseudo parameters: read from another stack (compose), they keep this stack's values.
            here = ScopedAws(self)
            url = Fn.join(
                "", ["https://", self.cfn_api.ref, ".execute-api.", here.region, ".", here.url_suffix]
            )
            self._export(naming.http_api_output_url_logical_id(), url, "URL of the HTTP API")

    @property
    def api(self) -> apigwv2.IHttpApi:
        """This API as an ``apigatewayv2.IHttpApi`` (``HttpRoute``, ``HttpLambdaIntegration``...)."""
        if self._api_object is None:
            self._api_object = apigwv2.HttpApi.from_http_api_attributes(self, "Api", http_api_id=self.api_id)
        return self._api_object

    def _own_api(
        self,
        config: HttpApiConfig,
        service: str,
        stage: str,
        tags: dict[str, Any] | None,
        access_logs: HttpApiAccessLogs | None,
    ) -> None:
        self.cfn_api = apigwv2.CfnApi(
            self,
            "Resource",
            name=naming.http_api_name(
                service, stage, config.name, start_with_service=config.should_start_name_with_service
            ),
            protocol_type="HTTP",
            cors_configuration=self._cors(),
            disable_execute_api_endpoint=config.disable_default_endpoint,
        )
        self.cfn_api.override_logical_id(naming.http_api_logical_id())
        self.cfn_stage = apigwv2.CfnStage(
            self,
            "Stage",
            api_id=self.cfn_api.ref,
            stage_name="$default",
            auto_deploy=True,
            default_route_settings=apigwv2.CfnStage.RouteSettingsProperty(
                detailed_metrics_enabled=config.metrics
            ),
        )
        self.cfn_stage.override_logical_id(naming.http_api_stage_logical_id())
        if access_logs is not None:
            self.log_group = logs.CfnLogGroup(
                self,
                "LogGroup",
                log_group_name=access_logs.log_group_name,
                retention_in_days=access_logs.retention_in_days,
            )
            if access_logs.data_protection_policy:
                override_property(self.log_group, "DataProtectionPolicy", access_logs.data_protection_policy)
            self.log_group.override_logical_id(naming.http_api_log_group_logical_id())
            override_property(
                self.cfn_stage,
                "AccessLogSettings",
                {
                    "DestinationArn": {"Fn::GetAtt": [naming.http_api_log_group_logical_id(), "Arn"]},
                    "Format": access_logs.format,
                },
            )
            self.cfn_stage.add_override("DependsOn", naming.http_api_log_group_logical_id())
        if tags:  # v3 tags the API and its stage with provider.tags (Tags.of(...) ones merged in)
            for resource in (self.cfn_api, self.cfn_stage):
                override_property(resource, "Tags", dict(tags))
                keep_tags(resource, dict(tags))

    @property
    def api_id(self) -> str:
        return self._api_ref

    def _export(self, key: str, value: Any, description: str) -> None:
        out = CfnOutput(
            self,
            key,
            value=value,
            description=description,
            export_name=naming.export_name(self.service, self.stage, key),
        )
        out.override_logical_id(key)

    def _cors(self) -> apigwv2.CfnApi.CorsProperty | None:
        cors = self.config.cors
        if cors is False:
            return None
        spec = cors if isinstance(cors, Cors) else Cors()
        methods = list(spec.allowed_methods) if spec.allowed_methods is not None else list(self._methods)
        return apigwv2.CfnApi.CorsProperty(
            allow_credentials=True if spec.allow_credentials else None,
            allow_headers=list(spec.allowed_headers or HTTP_API_CORS_DEFAULT_HEADERS),
            allow_methods=methods,
            allow_origins=list(spec.allowed_origins or ["*"]),
            expose_headers=list(spec.exposed_response_headers) if spec.exposed_response_headers else None,
            max_age=spec.max_age,
        )

    def _route_target(self, key: str) -> str:
        """``integrations/<id>`` of a function's integration, made once per integration."""
        if key not in self._route_targets:
            self._route_targets[key] = raw(
                {"Fn::Join": ["/", ["integrations", {"Ref": naming.http_api_integration_logical_id(key)}]]}
            )
        return self._route_targets[key]

    def _execute_api_arn(self) -> Any:
        """v3's ``Fn::Join`` as written (CDK's ``Fn.join`` would fold an external id into the text);
        made once per API."""
        if self._execute_api_arn_text is None:
            api = self.external_id if self.external_id is not None else {"Ref": naming.http_api_logical_id()}
            self._execute_api_arn_text = raw(execute_api_arn(api, "/*"))
        return self._execute_api_arn_text

    def _add_authorizer(self, key: str, config: HttpApiAuthorizer) -> None:
        name = config.name or key
        logical_id = naming.http_api_authorizer_logical_id(name)
        authorizer = apigwv2.CfnAuthorizer(
            self,
            f"Authorizer{logical_id}",
            api_id=self.api_id,
            authorizer_type="REQUEST" if config.type == "request" else "JWT",
            name=name,
        )
        override_property(authorizer, "IdentitySource", list(config.identity_source or []))
        if config.type == "request":
            target: Any
            alias = None
            if config.function_name:
                function = self._functions(config.function_name)
                assert function is not None  # a function of the service: checked at load
                target = function.target_arn
                alias = function.target_alias[1] if function.target_alias else None
            else:
                target = config.function_arn
            for prop, value in (
                ("EnableSimpleResponses", config.enable_simple_responses),
                ("AuthorizerResultTtlInSeconds", config.result_ttl_in_seconds),
                ("AuthorizerPayloadFormatVersion", config.payload_version),
            ):
                if value is not None:
                    override_property(authorizer, prop, value)
            override_property(authorizer, "AuthorizerUri", lambda_invocation_uri(target))
            if alias:
                authorizer.add_override("DependsOn", alias)
            if not config.managed_externally:
                permission = lambda_.CfnPermission(
                    self,
                    f"AuthorizerPermission{logical_id}",
                    function_name=raw(target),
                    action="lambda:InvokeFunction",
                    principal="apigateway.amazonaws.com",
                    source_arn=self._execute_api_arn(),
                )
                permission.override_logical_id(naming.http_api_authorizer_permission_logical_id(name))
                if alias:
                    permission.add_override("DependsOn", alias)
        else:
            override_property(
                authorizer,
                "JwtConfiguration",
                {"Audience": list(dict.fromkeys(config.audience or [])), "Issuer": config.issuer_url},
            )
        authorizer.override_logical_id(logical_id)
        self._authorizer_ids[key] = logical_id

    def add_route(
        self, route_key: str, function: ServerlessFunction, *, authorizer: Any = None
    ) -> apigwv2.CfnRoute:
        """Route ``METHOD /path`` (or ``$default``) to ``function``, optionally behind an authorizer
        (routes and their logical IDs are unique, authorizers known: checked at load)."""
        logical_id = naming.http_api_route_logical_id(route_key)
        integration = self._integration(function)
        self._permission(function)
        route = apigwv2.CfnRoute(
            stack_of(self),
            logical_id,
            api_id=self.api_id,
            route_key=route_key,
            target=self._route_target(function.props.key),
        )
        route.add_resource_dependency(integration)
        if authorizer is not None:
            self._authorize(route, authorizer)
        self._routes[route_key] = route
        if self._fill_methods and self.cfn_api is not None:
            method = "ANY" if route_key == "$default" else route_key.split(" ", 1)[0]
            added = _ALL_METHODS if method == "ANY" else (method,)
            fresh = [m for m in added if m not in self._methods]
            if fresh:
                self._methods.extend(fresh)
                self.cfn_api.cors_configuration = self._cors()
        return route

    def _authorize(self, route: apigwv2.CfnRoute, authorizer: Any) -> None:
        if authorizer.type == "aws_iam":
            override_property(route, "AuthorizationType", "AWS_IAM")
            return
        if authorizer.id is not None:  # an authorizer of the external API (provider.httpApi.id)
            override_property(route, "AuthorizationType", "CUSTOM" if authorizer.type == "request" else "JWT")
            override_property(route, "AuthorizerId", authorizer.id)
            if authorizer.scopes:
                override_property(route, "AuthorizationScopes", list(dict.fromkeys(authorizer.scopes)))
            return
        logical_id = self._authorizer_ids[authorizer.name]
        config = self.config.authorizers[authorizer.name]
        override_property(route, "AuthorizationType", "CUSTOM" if config.type == "request" else "JWT")
        override_property(route, "AuthorizerId", {"Ref": logical_id})
        if authorizer.scopes:
            override_property(route, "AuthorizationScopes", list(dict.fromkeys(authorizer.scopes)))

    def _integration(self, function: ServerlessFunction) -> apigwv2.CfnIntegration:
        key = function.props.key
        found = self._integrations.get(key)
        if found is None:
            found = apigwv2.CfnIntegration(
                stack_of(self),
                naming.http_api_integration_logical_id(key),
                api_id=self.api_id,
                integration_type="AWS_PROXY",
                integration_uri=function.target_arn_text,
                payload_format_version=function.props.http_api_payload or self.config.payload,
                timeout_in_millis=INTEGRATION_TIMEOUT_MS,
            )
            function.depend_on_alias(found)
            self._integrations[key] = found
        return found

    def _permission(self, function: ServerlessFunction) -> lambda_.CfnPermission:
        key = function.props.key
        found = self._permissions.get(key)
        if found is None:
            found = lambda_.CfnPermission(
                stack_of(self),
                naming.http_api_permission_logical_id(key),
                function_name=function.target_arn_text,
                action="lambda:InvokeFunction",
                principal="apigateway.amazonaws.com",
                source_arn=self._execute_api_arn(),
            )
            function.depend_on_alias(found)
            self._permissions[key] = found
        return found
