"""``http`` event: the service's REST API, as v3's ``AwsCompileApigEvents`` builds it.

``ApiGatewayRestApi`` (named ``<stage>-<service>``, EDGE unless ``endpointType``), one
``ApiGatewayResource<Path>`` per path segment, ``ApiGatewayMethod<Path><Method>`` per event
(lambda-proxy or lambda integration with v3's templates and status codes), CORS preflight
``OPTIONS`` methods per path, ``<Name>ApiGatewayAuthorizer`` for function / ARN / Cognito
authorizers, ``<F>LambdaPermissionApiGateway``, the deployment and the ``ServiceEndpoint`` output.

One deliberate difference: v3 names the deployment ``ApiGatewayDeployment<timestamp>`` (a new one
on every deploy); ours is ``ApiGatewayDeployment<hash of the API's definition>``, so an unchanged
API is not redeployed and a changed one is.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.config.model import API_CORS_DEFAULT_HEADERS, ApiKey
from constructs_lib.constructs import custom_resources
from constructs_lib.constructs.intrinsics import api_endpoint, execute_api_arn, lambda_invocation_uri
from constructs_lib.constructs.raw import invoke_permission, strip_none
from constructs_lib.errors import ConfigError
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.http import HttpAuthorizer, HttpCors, HttpEvent
from constructs_lib.events.http.templates import (
    DEFAULT_FORM_URL_ENCODED_REQUEST_TEMPLATE,
    DEFAULT_JSON_REQUEST_TEMPLATE,
    DEFAULT_STATUS_CODES,
)
from constructs_lib.events.sites import EventSite

_COGNITO_ARN = re.compile(r"^arn:[a-zA-Z-]*:cognito-idp")
REST_API = naming.rest_api_logical_id()


def _union(*lists: list[Any] | None) -> list[Any]:
    out: list[Any] = []
    for items in lists:
        for item in items or []:
            if item not in out:
                out.append(item)
    return out


def _cors(event: HttpEvent) -> dict[str, Any]:
    """v3's ``getCors``: defaults, the event's own methods, OPTIONS."""
    method = event.method.upper()
    cors: dict[str, Any] = {
        "origin": "*",
        "methods": ["OPTIONS"],
        "headers": list(API_CORS_DEFAULT_HEADERS),
        "allowCredentials": False,
    }
    if isinstance(event.cors, HttpCors):
        given = event.cors.model_dump(by_alias=True, exclude_none=True)
        if "origins" in given:
            del cors["origin"]
        cors.update(given)
        cors["methods"] = list(cors.get("methods") or [])
        cors["allowCredentials"] = bool(cors.get("allowCredentials"))
        headers = given.get("headers")
        if isinstance(headers, str):
            headers = [headers]
        cors["headers"] = headers or list(API_CORS_DEFAULT_HEADERS)
        if "OPTIONS" not in cors["methods"]:
            cors["methods"].append("OPTIONS")
        if method not in cors["methods"]:
            cors["methods"].append(method)
    else:
        cors["methods"].append(method)
    return cors


def _authorizer(ctx: BuildContext, event: HttpEvent, key: str) -> dict[str, Any]:
    """v3's ``getAuthorizer``: one normalized shape for all the ways to name an authorizer."""
    raw = event.authorizer
    out: dict[str, Any] = {"type": None, "name": None, "arn": None, "managedExternally": False}
    function_name = None
    ttl: int | None = None
    if isinstance(raw, str):
        if raw.upper() == "AWS_IAM":
            out["type"] = "AWS_IAM"
        elif ":" not in raw:
            function_name = out["name"] = raw
        else:
            out["arn"] = raw
            out["name"] = raw.split(":")[-1].split("-")[-1]
    elif isinstance(raw, HttpAuthorizer):
        if raw.type and raw.authorizer_id is not None:
            out["type"], out["authorizerId"] = raw.type, raw.authorizer_id
        elif raw.type and raw.type.upper() == "AWS_IAM":
            out["type"] = "AWS_IAM"
        elif raw.arn:
            out["arn"] = raw.arn
            if isinstance(raw.name, str):
                out["name"] = raw.name
            elif (raw.type or "").upper() == "COGNITO_USER_POOLS" and isinstance(raw.arn, dict):
                raise ConfigError(
                    "authorizers of type COGNITO_USER_POOLS with a CloudFormation ARN need a name",
                    path=("functions", key, "events"),
                )
            elif isinstance(raw.arn, str):
                out["name"] = raw.arn.split(":")[-1].split("-")[-1]
        elif raw.name:
            function_name = out["name"] = raw.name
        else:
            raise ConfigError("an http authorizer needs a name or an ARN", path=("functions", key, "events"))
        if not out["type"]:
            out["type"] = raw.type
        ttl = raw.result_ttl_in_seconds if raw.result_ttl_in_seconds is not None else 300
        out["resultTtlInSeconds"] = ttl
        out["claims"] = raw.claims or []
        out["scopes"] = raw.scopes
        out["identitySource"] = raw.identity_source
        out["identityValidationExpression"] = raw.identity_validation_expression
        out["managedExternally"] = bool(raw.managed_externally)
    if function_name:
        target = ctx.functions.get(function_name)
        if target is None:
            raise ConfigError(
                f"authorizer function {function_name!r} is not a function of this service",
                path=("functions", key, "events"),
            )
        out["arn"] = target.target_arn
        if target.target_alias:
            out["logicalId"] = target.target_alias[1]
    if not out.get("identitySource") and not ((out["type"] or "").upper() == "REQUEST" and ttl == 0):
        out["identitySource"] = "method.request.header.Authorization"
    is_cognito = isinstance(out["arn"], str) and _COGNITO_ARN.match(out["arn"])
    if event.integration_type == "AWS_PROXY" and is_cognito and out.get("claims"):
        raise ConfigError(
            "Cognito claims can only be filtered with the lambda integration",
            path=("functions", key, "events"),
        )
    return out


def _request_parameters(event: HttpEvent) -> dict[str, Any]:
    out: dict[str, Any] = {}
    params = event.request.parameters if event.request else None
    if params is None:
        return out
    for location, singular in (("querystrings", "querystring"), ("paths", "path"), ("headers", "header")):
        for name, value in (getattr(params, location) or {}).items():
            out[f"method.request.{singular}.{name}"] = value
    return out


def _integration(
    ctx: BuildContext, event: HttpEvent, fn: Any, parameters: dict[str, Any], cors: dict[str, Any] | None
) -> dict[str, Any]:
    """v3's ``getMethodIntegration`` for the five integration types."""
    kind = event.integration_type
    request = event.request
    integration: dict[str, Any] = {"IntegrationHttpMethod": "POST", "Type": kind}
    if kind in ("AWS", "AWS_PROXY"):
        alias = fn.target_alias[0] if fn.target_alias else None
        integration["Uri"] = lambda_invocation_uri(
            {"Fn::GetAtt": [fn.logical_id, "Arn"]}, *([":", alias] if alias else [])
        )
    elif kind in ("HTTP", "HTTP_PROXY"):
        assert request is not None  # the model requires request.uri
        integration["Uri"] = request.uri
        integration["IntegrationHttpMethod"] = (request.method or event.method).upper()
        if event.connection_type:
            integration["ConnectionType"] = event.connection_type
            integration["ConnectionId"] = event.connection_id
    if kind in ("AWS", "HTTP", "MOCK"):
        templates: dict[str, Any] = {}
        if kind == "AWS":
            templates = {
                "application/json": DEFAULT_JSON_REQUEST_TEMPLATE,
                "application/x-www-form-urlencoded": DEFAULT_FORM_URL_ENCODED_REQUEST_TEMPLATE,
            }
        for content_type, template in (request.template or {}).items() if request else ():
            if template is None:
                templates.pop(content_type, None)
            else:
                templates[content_type] = template
        pass_through = request.pass_through if request else None
        integration["PassthroughBehavior"] = pass_through or ("NEVER" if kind == "AWS" else None)
        integration["ContentHandling"] = request.content_handling if request else None
        integration["RequestTemplates"] = templates or None
        integration["IntegrationResponses"] = _integration_responses(event, cors)
    if (kind in ("AWS", "HTTP", "HTTP_PROXY") and parameters) or event.async_:
        request_parameters = {
            f"integration.{k[len('method.') :]}": (v.get("mappedValue") if isinstance(v, dict) else None) or k
            for k, v in parameters.items()
        }
        if event.async_:
            request_parameters["integration.request.header.X-Amz-Invocation-Type"] = "'Event'"
        integration["RequestParameters"] = request_parameters
    return integration


def _status_codes(event: HttpEvent) -> dict[str, dict[str, Any]]:
    """Status codes of the ``lambda``, ``http`` and ``mock`` integrations: v3 gives ``lambda`` (and
    ``http`` with a ``response``) its defaults and always a ``200``; ``mock`` gets what it says."""
    kind = event.integration_type
    response = event.response
    given = {
        code: value.model_dump(by_alias=True, exclude_none=True)
        for code, value in ((response.status_codes or {}) if response else {}).items()
    }
    if kind == "MOCK" or (kind == "HTTP" and response is None):
        return given
    if response is None or response.status_codes is None:
        return {k: dict(v) for k, v in DEFAULT_STATUS_CODES.items()}
    codes = given
    if not any(code.get("pattern") == "" for code in codes.values()):
        codes["200"] = dict(DEFAULT_STATUS_CODES["200"])
    return codes


def _response_headers(event: HttpEvent, cors: dict[str, Any] | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if cors is not None:
        origin = ",".join(cors["origins"]) if cors.get("origins") else cors.get("origin")
        headers["Access-Control-Allow-Origin"] = f"'{origin}'"
        if cors.get("allowCredentials"):
            headers["Access-Control-Allow-Credentials"] = "true"
    if event.response is not None and event.response.headers:
        headers.update(event.response.headers)
    return headers


def _integration_responses(event: HttpEvent, cors: dict[str, Any] | None) -> list[dict[str, Any]]:
    headers = _response_headers(event, cors)
    out: list[dict[str, Any]] = []
    response = event.response
    for code, config in _status_codes(event).items():
        item: dict[str, Any] = {
            "StatusCode": code,
            "SelectionPattern": config.get("pattern") or "",
            "ResponseParameters": {f"method.response.header.{h}": v for h, v in headers.items()},
            "ResponseTemplates": {},
            "ContentHandling": (response.content_handling if response else None)
            if code.startswith("2")
            else None,
        }
        for h, v in (config.get("headers") or {}).items():
            item["ResponseParameters"][f"method.response.header.{h}"] = v
        if response is not None and response.template:
            item["ResponseTemplates"]["application/json"] = response.template
        template = config.get("template")
        if template:
            item["ResponseTemplates"].update(
                {"application/json": template} if isinstance(template, str) else template
            )
        out.append(item)
    return out


def _method_responses(event: HttpEvent, cors: dict[str, Any] | None) -> list[dict[str, Any]]:
    if event.integration_type not in ("AWS", "HTTP", "MOCK"):
        return []
    headers = _response_headers(event, cors)
    out = []
    for code, config in _status_codes(event).items():
        parameters = {f"method.response.header.{h}": True for h in headers}
        parameters.update({f"method.response.header.{h}": True for h in config.get("headers") or {}})
        out.append({"ResponseParameters": parameters, "ResponseModels": {}, "StatusCode": code})
    return out


def _authorization(auth: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
    if auth is None:
        return {"AuthorizationType": "NONE"}, []
    kind = (auth.get("type") or "").upper()
    if kind == "AWS_IAM":
        return {"AuthorizationType": "AWS_IAM"}, []
    if auth.get("type") and auth.get("authorizerId") is not None:
        properties: dict[str, Any] = {
            "AuthorizationType": "CUSTOM" if kind in ("TOKEN", "REQUEST") else auth["type"],
            "AuthorizerId": auth["authorizerId"],
        }
        if kind == "COGNITO_USER_POOLS" and auth.get("scopes"):
            properties["AuthorizationScopes"] = auth["scopes"]
        return properties, []
    logical_id = naming.rest_authorizer_logical_id(auth["name"])
    arn = auth.get("arn")
    if kind == "COGNITO_USER_POOLS" or (isinstance(arn, str) and _COGNITO_ARN.match(arn)):
        properties = {"AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": {"Ref": logical_id}}
        if auth.get("scopes"):
            properties["AuthorizationScopes"] = auth["scopes"]
        return properties, [logical_id]
    return {"AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": logical_id}}, [logical_id]


def _request_validator(
    ctx: BuildContext, parameters: dict[str, Any], rest_api_ref: Any, *, force: bool = False
) -> dict[str, str] | None:
    """v3 validates requests (one validator per API) once any parameter is required or a
    request schema is given."""
    required = [
        (v.get("required") if v.get("required") is not None else True) if isinstance(v, dict) else v
        for v in parameters.values()
    ]
    if not any(required) and not force:
        return None
    service, stage = ctx.service.name, ctx.service.stage
    logical_id = naming.rest_request_validator_logical_id(service)
    ctx.raw.add(
        logical_id,
        {
            "Type": "AWS::ApiGateway::RequestValidator",
            "Properties": {
                "RestApiId": rest_api_ref,
                "ValidateRequestBody": True,
                "ValidateRequestParameters": True,
                "Name": f"{service}-{stage} | Validate request body and querystring parameters",
            },
        },
    )
    return {"Ref": logical_id}


def _request_models(
    ctx: BuildContext, event: HttpEvent, method_id: str, rest_api_ref: Any
) -> dict[str, Any] | None:
    """``request.schemas``: content type -> a model, inline (``<Method><ContentType>Model``) or one
    of ``provider.apiGateway.request.schemas`` by name (``ApiGateway<Name>Model``)."""
    schemas = event.request.schemas if event.request else None
    if not schemas:
        return None
    gateway = ctx.service.model.provider.api_gateway
    shared = (gateway.request.schemas if gateway and gateway.request else None) or {}
    models: dict[str, Any] = {}
    for content_type, config in schemas.items():
        if isinstance(config, str) and config in shared:
            definition = shared[config]
            logical_id = naming.rest_model_logical_id(config)
            properties: dict[str, Any] = {
                "RestApiId": rest_api_ref,
                "Schema": definition.schema_,
                "ContentType": "application/json",
                "Name": definition.name,
                "Description": definition.description,
            }
        else:
            logical_id = naming.rest_endpoint_model_logical_id(method_id, content_type)
            name = description = None
            schema: Any = config
            if isinstance(config, dict) and "schema" in config:
                schema, name, description = config["schema"], config.get("name"), config.get("description")
            properties = {
                "RestApiId": rest_api_ref,
                "ContentType": content_type,
                "Schema": schema,
                "Name": name,
                "Description": description,
            }
        ctx.raw.definitions.pop(logical_id, None)  # v3 assigns (the last definition wins)
        ctx.raw.add(logical_id, {"Type": "AWS::ApiGateway::Model", "Properties": properties})
        models[content_type] = {"Ref": logical_id}
    return models


def _api_keys_and_usage_plans(ctx: BuildContext, deployment_id: str, rest_api_ref: Any) -> None:
    """``provider.apiGateway.apiKeys`` / ``usagePlan``: keys (``ApiGatewayApiKey<n>`` or, grouped
    under a usage plan's name, ``ApiGatewayApiKey<Plan><n>``), plans and the keys' plan links."""
    gateway = ctx.service.model.provider.api_gateway
    keys = (gateway.api_keys if gateway else None) or []
    plan = gateway.usage_plan if gateway else None
    if not keys and plan is None:
        return
    service, stage = ctx.service.name, ctx.service.stage
    plans: dict[str, Any] = (
        {name: config for item in plan for name, config in item.items()}
        if isinstance(plan, list)
        else {"default": plan}
    )
    raw = ctx.raw

    def key_resource(key: ApiKey) -> dict[str, Any]:
        return {
            "Type": "AWS::ApiGateway::ApiKey",
            "Properties": {
                "Enabled": key.enabled if key.enabled is not None else True,
                "Name": key.name,
                "Value": key.value,
                "Description": key.description,
                "CustomerId": key.customer_id,
                "StageKeys": [{"RestApiId": rest_api_ref, "StageName": stage}],
            },
            "DependsOn": deployment_id,
        }

    # keys; v3 numbers them with one counter that a usage-plan group resets
    links: list[tuple[str, str, str]] = []  # (usage plan key id, api key id, usage plan id)
    number = 0
    for item in keys:
        if isinstance(item, dict):
            (group, grouped), *_ = item.items()
            if group not in plans or not isinstance(plan, list):
                raise ConfigError(
                    f"API keys grouped under {group!r} need a usage plan of that name "
                    "(provider.apiGateway.usagePlan as a list)",
                    path=("provider", "apiGateway", "apiKeys"),
                )
            number = 0
            for key in grouped:
                number += 1
                key_id = naming.rest_api_key_logical_id(number, group)
                raw.add(key_id, key_resource(key))
                links.append(
                    (
                        naming.rest_usage_plan_key_logical_id(number, group),
                        key_id,
                        naming.rest_usage_plan_logical_id(group),
                    )
                )
        else:
            number += 1
            key_id = naming.rest_api_key_logical_id(number)
            raw.add(key_id, key_resource(item))
            links.append(
                (naming.rest_usage_plan_key_logical_id(number), key_id, naming.rest_usage_plan_logical_id())
            )
    for name, config in plans.items():
        properties: dict[str, Any] = {
            "ApiStages": [{"ApiId": rest_api_ref, "Stage": stage}],
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
        raw.add(
            naming.rest_usage_plan_logical_id(None if name == "default" else name),
            {"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": deployment_id, "Properties": properties},
        )
    for link_id, key_id, plan_id in links:
        if isinstance(plan, list) and plan_id == naming.rest_usage_plan_logical_id():
            raise ConfigError(
                "with several usage plans, each API key must be listed under its plan's name",
                path=("provider", "apiGateway", "apiKeys"),
            )
        raw.add(
            link_id,
            {
                "Type": "AWS::ApiGateway::UsagePlanKey",
                "Properties": {
                    "KeyId": {"Ref": key_id},
                    "KeyType": "API_KEY",
                    "UsagePlanId": {"Ref": plan_id},
                },
            },
        )


_ACCESS_LOG_FORMAT = (
    "requestId: $context.requestId, ip: $context.identity.sourceIp, caller: $context.identity.caller, "
    "user: $context.identity.user, requestTime: $context.requestTime, httpMethod: $context.httpMethod, "
    "resourcePath: $context.resourcePath, status: $context.status, protocol: $context.protocol, "
    "responseLength: $context.responseLength"
)


def _stage_settings(ctx: BuildContext, deployment_id: str, stage_name: str) -> None:
    """``tracing.apiGateway``, ``apiGateway.metrics``, ``logs.restApi`` (and then the stage's tags).

    The template parts are v3's (``ApiGatewayLogGroup``, the account's CloudWatch role); the
    stage patch v3 sends after deploying becomes ``ApiGatewayStageSettings`` (our addition)."""
    provider = ctx.service.model.provider
    gateway = provider.api_gateway
    tracing = provider.tracing.api_gateway if provider.tracing is not None else None
    metrics = gateway.metrics if gateway is not None else None
    logs = provider.logs.rest_api if provider.logs is not None else None
    if tracing is None and metrics is None and logs is None:
        return
    service = ctx.service.name
    operations: list[dict[str, str]] = []
    if tracing is not None:
        operations.append({"op": "replace", "path": "/tracingEnabled", "value": str(bool(tracing)).lower()})
    if metrics is not None:
        operations.append(
            {"op": "replace", "path": "/*/*/metrics/enabled", "value": str(bool(metrics)).lower()}
        )
    depends = [deployment_id]
    if logs is False:
        operations += [
            {"op": "replace", "path": "/*/*/logging/dataTrace", "value": "false"},
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": "OFF"},
        ]
    elif logs is not None:
        settings = logs if not isinstance(logs, bool) else None
        execution = (
            True if settings is None or settings.execution_logging is None else settings.execution_logging
        )
        level = "OFF" if not execution else ((settings.level if settings else None) or "INFO")
        access = True if settings is None or settings.access_logging is None else settings.access_logging
        full = (
            True if settings is None or settings.full_execution_data is None else settings.full_execution_data
        )
        group = f"/aws/api-gateway/{service}-{stage_name}"
        if access:
            operations += [
                {
                    "op": "replace",
                    "path": "/accessLogSettings/destinationArn",
                    "value": naming.log_group_arn(group, ""),  # type: ignore[dict-item]
                },
                {
                    "op": "replace",
                    "path": "/accessLogSettings/format",
                    "value": (settings.format if settings else None) or _ACCESS_LOG_FORMAT,
                },
            ]
            ctx.raw.add(
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
            depends.append(naming.rest_log_group_logical_id())
            from constructs_lib.events.api_logs import ensure_account_cloudwatch_role

            ensure_account_cloudwatch_role(ctx)
            depends.append("CustomApiGatewayAccountCloudWatchRole")
        else:
            operations.append({"op": "remove", "path": "/accessLogSettings"})
        operations += [
            {"op": "replace", "path": "/*/*/logging/dataTrace", "value": str(bool(full)).lower()},
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": level},
        ]
    tags = {**(provider.stack_tags or {}), **(provider.tags or {})}
    service_token = custom_resources.function_logical_id("apiGatewayStage")
    api = {"Ref": REST_API}
    ctx.raw.add(
        naming.rest_stage_settings_logical_id(),
        {
            "Type": "Custom::ApiGatewayStageSettings",
            "DependsOn": [d for d in depends if ctx.raw.get(d) is not None or d == deployment_id],
            "Properties": {
                "ServiceToken": {"Fn::GetAtt": [service_token, "Arn"]},
                "RestApiId": api,
                "StageName": stage_name,
                "DeploymentId": {"Ref": deployment_id},  # re-applied after each new deployment
                "PatchOperations": operations,
                "Tags": {k: str(v) for k, v in tags.items()} or None,
            },
        },
    )
    stage_arn = {
        "Fn::Join": [
            "",
            ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, "::/restapis/", api],
        ]
    }
    custom_resources.add_custom_resource(
        ctx,
        "apiGatewayStage",
        [
            {
                "Effect": "Allow",
                "Resource": {"Fn::Join": ["", [stage_arn, f"/stages/{stage_name}"]]},
                "Action": ["apigateway:PATCH"],
            },
            {
                "Effect": "Allow",
                "Resource": {
                    "Fn::Join": [
                        "",
                        [
                            "arn:",
                            {"Ref": "AWS::Partition"},
                            ":apigateway:",
                            {"Ref": "AWS::Region"},
                            "::/tags/*",
                        ],
                    ]
                },
                "Action": ["apigateway:PUT", "apigateway:DELETE"],
            },
        ],
    )


def _claims(template: str, auth: dict[str, Any] | None) -> str:
    claims = (auth or {}).get("claims") or []
    parts = []
    for claim in claims:
        if isinstance(claim, str) and ":" in claim:
            parts.append(f'"{claim[claim.index(":") + 1 :]}": "$context.authorizer.claims[\'{claim}\']"')
        else:
            parts.append(f'"{claim}": "$context.authorizer.claims.{claim}"')
    return template.replace("extraCognitoPoolClaims", ",".join(parts) + "," if parts else "", 1)


def _rest_api(ctx: BuildContext, provider: Any) -> None:
    """``ApiGatewayRestApi``, as v3 configures it."""
    gateway = provider.api_gateway
    service, stage = ctx.service.name, ctx.service.stage
    name = provider.api_name or (
        f"{service}-{stage}" if gateway and gateway.should_start_name_with_service else f"{stage}-{service}"
    )
    endpoint: dict[str, Any] = {"Types": [(provider.endpoint_type or "EDGE").upper()]}
    if provider.vpc_endpoint_ids is not None:
        if endpoint["Types"][0] != "PRIVATE":
            raise ConfigError(
                "vpcEndpointIds are only for private APIs (endpointType: PRIVATE)", path=("provider",)
            )
        endpoint["VpcEndpointIds"] = provider.vpc_endpoint_ids
    api: dict[str, Any] = {
        "Name": name,
        "BinaryMediaTypes": gateway.binary_media_types if gateway else None,
        "DisableExecuteApiEndpoint": gateway.disable_default_endpoint if gateway else None,
        "EndpointConfiguration": endpoint,
        "Policy": {"Version": "2012-10-17", "Statement": [st.to_cfn() for st in gateway.resource_policy]}
        if gateway and gateway.resource_policy
        else "",
    }
    if gateway and gateway.api_key_source_type:
        api["ApiKeySourceType"] = gateway.api_key_source_type.upper()
    if gateway and gateway.minimum_compression_size is not None:
        api["MinimumCompressionSize"] = gateway.minimum_compression_size
    if gateway and gateway.description:
        api["Description"] = gateway.description
    ctx.raw.add(REST_API, {"Type": "AWS::ApiGateway::RestApi", "Properties": api})


#: provider.apiGateway keys that configure the REST API itself
_API_OWNER_KEYS = (
    ("binary_media_types", "binaryMediaTypes"),
    ("minimum_compression_size", "minimumCompressionSize"),
    ("api_key_source_type", "apiKeySourceType"),
    ("resource_policy", "resourcePolicy"),
    ("disable_default_endpoint", "disableDefaultEndpoint"),
)


def _external_resources(provider: Any) -> dict[str, Any]:
    """Path -> resource ID of an API another stack owns (its root and ``restApiResources``)."""
    gateway = provider.api_gateway
    for attribute, key in _API_OWNER_KEYS:
        if getattr(gateway, attribute) is not None:
            raise ConfigError(
                f"{key} configures the REST API itself, which restApiId says another stack owns",
                path=("provider", "apiGateway", key),
                hint="set it where that API is defined (v3 ignored it here)",
            )
    for attribute, key in (("api_name", "apiName"), ("endpoint_type", "endpointType")):
        if getattr(provider, attribute) is not None:
            raise ConfigError(
                f"{key} configures the REST API itself, which apiGateway.restApiId says another stack owns",
                path=("provider", key),
                hint="set it where that API is defined (v3 ignored it here)",
            )
    ids: dict[str, Any] = {}
    if gateway.rest_api_root_resource_id is not None:
        ids[""] = gateway.rest_api_root_resource_id
    given = gateway.rest_api_resources or {}
    pairs = given.items() if isinstance(given, dict) else ((r.path, r.resource_id) for r in given)
    for path, resource_id in pairs:
        ids[path.strip().strip("/")] = resource_id
    return ids


def _missing_root() -> ConfigError:
    return ConfigError(
        "http events on an external REST API need provider.apiGateway.restApiRootResourceId "
        "(or the parent path in restApiResources)",
        path=("provider", "apiGateway", "restApiId"),
    )


def build(ctx: BuildContext, sites: Sequence[EventSite[Any]]) -> None:
    model = ctx.service.model
    provider = model.provider
    gateway = provider.api_gateway
    stage = ctx.service.stage
    if not re.fullmatch(r"[-_a-zA-Z0-9]+", stage):
        raise ConfigError(
            f"stage {stage!r} may only hold [-_a-zA-Z0-9] when http events are present (API Gateway)"
        )

    # ---- validate (v3 normalizes every event first) ----
    events: list[tuple[Any, HttpEvent, dict[str, Any] | None, dict[str, Any] | None]] = []
    preflight: dict[str, dict[str, Any]] = {}
    resource_paths: dict[str, str] = {}  # resource logical ID -> the path it stands for
    for site in sites:
        event: HttpEvent = site.event
        parts = event.path.split("/") if event.path else []
        for i in range(len(parts)):
            path = "/".join(parts[: i + 1])
            other = resource_paths.setdefault(naming.rest_resource_logical_id(path), path)
            if other != path:
                raise ConfigError(
                    f"paths {other!r} and {path!r} would share the resource logical ID "
                    f"{naming.rest_resource_logical_id(path)} (v3 silently merged them into one)",
                    path=("functions", site.key, "events", site.index, "http"),
                )
        auth = _authorizer(ctx, event, site.key) if event.authorizer is not None else None
        cors = None
        if event.cors:
            cors = _cors(event)
            merged = preflight.setdefault(event.path, {})
            merged["headers"] = _union(cors["headers"], merged.get("headers"))
            merged["methods"] = _union(cors["methods"], merged.get("methods"))
            merged["origins"] = _union(cors.get("origins"), merged.get("origins"))
            merged["origin"] = cors.get("origin")
            merged["allowCredentials"] = merged.get("allowCredentials") or cors["allowCredentials"]
            if cors.get("maxAge"):
                merged["maxAge"] = cors["maxAge"]
            if cors.get("cacheControl"):
                merged["cacheControl"] = cors["cacheControl"]
        events.append((ctx.function(site), event, auth, cors))

    # ---- rest api (ours, or one another stack owns: provider.apiGateway.restApiId) ----
    resource_ids: dict[str, Any]
    if gateway is not None and gateway.rest_api_id is not None:
        rest_api_ref: Any = gateway.rest_api_id
        resource_ids = _external_resources(provider)
    else:
        rest_api_ref = {"Ref": REST_API}
        resource_ids = {"": {"Fn::GetAtt": [REST_API, "RootResourceId"]}}
        _rest_api(ctx, provider)

    # ---- resources: one per path segment ----
    for _fn, event, _auth, _c in events:
        if not event.path:
            if "" not in resource_ids:
                raise _missing_root()
            continue
        parts = event.path.split("/")
        for i in range(len(parts)):
            path = "/".join(parts[: i + 1])
            if path in resource_ids:
                continue
            if "/".join(parts[:i]) not in resource_ids:
                raise _missing_root()
            logical_id = naming.rest_resource_logical_id(path)
            ctx.raw.add(
                logical_id,
                {
                    "Type": "AWS::ApiGateway::Resource",
                    "Properties": {
                        "ParentId": resource_ids["/".join(parts[:i])],
                        "PathPart": parts[i],
                        "RestApiId": rest_api_ref,
                    },
                },
            )
            resource_ids[path] = {"Ref": logical_id}
    method_ids: list[str] = []

    # ---- cors preflight ----
    for path, config in preflight.items():
        method_id = naming.rest_method_logical_id(naming.normalize_path(path) if path else "", "options")
        origin = config.get("origin")
        origins = config.get("origins") or None
        if origin and "," in origin:
            origins = [o.strip() for o in origin.split(",")]
        if origins:
            origin = origins[0]
        headers = {
            "Access-Control-Allow-Origin": f"'{origin}'",
            "Access-Control-Allow-Headers": f"'{','.join(config['headers'])}'",
            "Access-Control-Allow-Methods": f"'{','.join(config['methods'])}'",
        }
        if config.get("allowCredentials"):
            headers["Access-Control-Allow-Credentials"] = "'true'"
        if config.get("maxAge"):
            headers["Access-Control-Max-Age"] = f"'{config['maxAge']}'"
        if config.get("cacheControl"):
            headers["Cache-Control"] = f"'{config['cacheControl']}'"
        if "ANY" in config["methods"]:
            headers["Access-Control-Allow-Methods"] = headers["Access-Control-Allow-Methods"].replace(
                "ANY", "DELETE,GET,HEAD,PATCH,POST,PUT", 1
            )
        method_ids.append(method_id)
        template = ""
        if origins:
            patterns = [o.replace(".", "[.]").replace("*", ".+", 1) for o in origins]
            template = (
                '#set($origin = $input.params("Origin"))\n'
                '#if($origin == "") #set($origin = $input.params("origin")) #end\n'
                "#if("
                + " || ".join(f'$origin.matches("{p}")' for p in patterns)
                + ") #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin) #end"
            )
        ctx.raw.add(
            method_id,
            {
                "Type": "AWS::ApiGateway::Method",
                "Properties": {
                    "AuthorizationType": "NONE",
                    "HttpMethod": "OPTIONS",
                    "MethodResponses": [
                        {
                            "StatusCode": "200",
                            "ResponseParameters": {f"method.response.header.{h}": True for h in headers},
                            "ResponseModels": {},
                        }
                    ],
                    "RequestParameters": {},
                    "Integration": {
                        "Type": "MOCK",
                        "RequestTemplates": {"application/json": "{statusCode:200}"},
                        "ContentHandling": "CONVERT_TO_TEXT",
                        "IntegrationResponses": [
                            {
                                "StatusCode": "200",
                                "ResponseParameters": {
                                    f"method.response.header.{h}": v for h, v in headers.items()
                                },
                                "ResponseTemplates": {"application/json": template},
                            }
                        ],
                    },
                    "ResourceId": resource_ids[path],
                    "RestApiId": rest_api_ref,
                },
            },
        )

    # ---- methods ----
    permissions: list[tuple[Any, dict[str, Any] | None]] = []
    for fn, event, auth, cors in events:
        parameters = _request_parameters(event)
        method_parameters = {
            k: (
                v
                if not isinstance(v, dict)
                else (v.get("required") if v.get("required") is not None else True)
            )
            for k, v in parameters.items()
        }
        authorization, auth_depends = _authorization(auth)
        integration = _integration(ctx, event, fn, parameters, cors)
        templates = integration.get("RequestTemplates")
        if templates:
            integration["RequestTemplates"] = {k: _claims(v, auth) for k, v in templates.items()}
        depends = [naming.rest_permission_logical_id(fn.props.key)]
        if fn.target_alias:
            depends.append(fn.target_alias[1])
        depends[: len(auth_depends)] = auth_depends  # v3 _.merge()s the arrays: index by index
        method_id = naming.rest_method_logical_id(
            naming.normalize_path(event.path) if event.path else "", event.method
        )
        models = _request_models(ctx, event, method_id, rest_api_ref)
        validator = _request_validator(ctx, parameters, rest_api_ref, force=models is not None)
        ctx.raw.add(
            method_id,
            {
                "Type": "AWS::ApiGateway::Method",
                "Properties": {
                    "HttpMethod": event.method.upper(),
                    "RequestParameters": method_parameters,
                    "ResourceId": resource_ids[event.path],
                    "RestApiId": rest_api_ref,
                    "OperationName": event.operation_id,
                    "ApiKeyRequired": bool(event.private),
                    **authorization,
                    "Integration": integration,
                    "MethodResponses": _method_responses(event, cors),
                    "RequestValidatorId": validator,
                    "RequestModels": models,
                },
                "DependsOn": depends,
            },
        )
        method_ids.append(method_id)
        permissions.append((fn, auth))

    # ---- authorizers ----
    for _fn, _event, auth, _c in events:
        if not auth or not auth.get("arn"):
            continue
        properties: dict[str, Any] = {
            "AuthorizerResultTtlInSeconds": auth.get("resultTtlInSeconds"),
            "IdentitySource": auth.get("identitySource"),
            "Name": auth["name"],
            "RestApiId": rest_api_ref,
        }
        if isinstance(auth.get("identityValidationExpression"), str):
            properties["IdentityValidationExpression"] = auth["identityValidationExpression"]
        arn = auth["arn"]
        if (auth.get("type") or "").upper() == "COGNITO_USER_POOLS" or (
            isinstance(arn, str) and _COGNITO_ARN.match(arn)
        ):
            properties["Type"] = "COGNITO_USER_POOLS"
            properties["ProviderARNs"] = [arn]
        else:
            properties["AuthorizerUri"] = lambda_invocation_uri(arn)
            properties["Type"] = (auth.get("type") or "TOKEN").upper()
        ctx.raw.add(
            naming.rest_authorizer_logical_id(auth["name"]),
            {
                "Type": "AWS::ApiGateway::Authorizer",
                "DependsOn": auth.get("logicalId"),
                "Properties": properties,
            },
        )

    # ---- deployment, named after what it deploys ----
    definition = json.dumps(
        strip_none(  # what is deployed, not how we hold it (unset keys do not count)
            {
                lid: ctx.raw.get(lid)
                for lid in [REST_API, *sorted(ctx.raw.definitions)]
                if lid.startswith("ApiGateway")
            }
        ),
        sort_keys=True,
        default=str,
    )
    deployment_id = naming.rest_deployment_logical_id(hashlib.sha256(definition.encode()).hexdigest()[:13])
    ctx.raw.add(
        deployment_id,
        {
            "Type": "AWS::ApiGateway::Deployment",
            "Properties": {
                "RestApiId": rest_api_ref,
                "StageName": (gateway.stage if gateway and gateway.stage else None) or stage,
                "Description": gateway.description if gateway else None,
            },
            "DependsOn": method_ids,
        },
    )
    _api_keys_and_usage_plans(ctx, deployment_id, rest_api_ref)
    if not (gateway is not None and gateway.rest_api_id is not None):  # v3 leaves others' stages alone
        _stage_settings(ctx, deployment_id, (gateway.stage if gateway and gateway.stage else None) or stage)
    ctx.add_output(
        "ServiceEndpoint", api_endpoint("https", rest_api_ref, stage), "URL of the service endpoint"
    )

    # ---- permissions ----
    execute_api = execute_api_arn(rest_api_ref, "/*/*")
    for fn, auth in permissions:
        ctx.raw.add(
            naming.rest_permission_logical_id(fn.props.key),
            invoke_permission(
                fn.target_arn,
                "apigateway.amazonaws.com",
                source_arn=execute_api,
                depends_on=fn.target_alias[1] if fn.target_alias else None,
            ),
        )
        if auth and auth.get("arn"):
            arn = auth["arn"]
            permission_id = naming.rest_permission_logical_id(auth["name"])
            cognito = (auth.get("type") or "").upper() == "COGNITO_USER_POOLS" or (
                isinstance(arn, str) and _COGNITO_ARN.match(arn)
            )
            if cognito or ctx.raw.get(permission_id) or auth.get("managedExternally"):
                continue
            ctx.raw.add(
                permission_id,
                invoke_permission(
                    {"Ref": auth["logicalId"]} if auth.get("logicalId") else arn,
                    "apigateway.amazonaws.com",
                    source_arn=execute_api,
                ),
            )
