"""``http`` events of state machines, as the plugin's ``apiGateway`` compilers write them on the
service's REST API: one ``AWS`` integration per event starting the execution (or another
``action``) with the ``ApigatewayToStepFunctionsRole`` unless ``iamRole`` is given, 200/400
responses, a CORS preflight per path (merged over the path's events), the role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from constructs_lib import naming
from constructs_lib.config.data import JsonValue
from constructs_lib.events.http.plan import ANY_METHODS, preflight_method
from constructs_lib.plugins.step_functions.context import Context
from constructs_lib.plugins.step_functions.model import HttpCors, HttpEvent

__all__ = ["ROLE", "HttpParts", "http_parts", "http_paths"]

ROLE = "ApigatewayToStepFunctionsRole"
_HEADERS = [
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amz-User-Agent",
]
_TEMPLATE = (
    "\n#set( $body = $util.escapeJavaScript($input.json('$')).replaceAll(\"\\\\'\", \"'\") )\n"
    '{"input": "$body", "name": "$context.requestId", "stateMachineArn":"${StateMachineArn}"}'
)
_ORIGIN = "method.response.header.Access-Control-Allow-Origin"


@dataclass
class HttpParts:
    """What the plugin adds to the REST API: resource paths, methods (the deployment waits for
    them), CORS preflights and the role."""

    paths: list[str] = field(default_factory=list)
    methods: dict[str, dict[str, Any]] = field(default_factory=dict)
    preflights: dict[str, dict[str, Any]] = field(default_factory=dict)
    role: dict[str, Any] | None = None


@dataclass
class _Cors:
    origin: str | None
    origins: list[str] | None
    headers: list[str]
    methods: list[str]
    allow_credentials: bool
    max_age: int | None = None


def _cors(event: HttpEvent) -> _Cors | None:
    """``getCors``."""
    method = event.method.upper()
    if isinstance(event.cors, HttpCors):
        c = event.cors
        methods = list(c.methods or [])
        if "OPTIONS" not in methods:
            methods.append("OPTIONS")
        if method not in methods:
            methods.append(method)
        headers = list(c.headers) if c.headers else list(_HEADERS)
        return _Cors(c.origin, c.origins, headers, methods, bool(c.allow_credentials), c.max_age)
    if event.cors:
        return _Cors("*", ["*"], list(_HEADERS), ["OPTIONS", method], False)
    return None


def _union(*lists: list[str] | None) -> list[str]:
    out: list[str] = []
    for values in lists:
        out += [v for v in values or [] if v not in out]
    return out


def _origin(cors: _Cors) -> str:
    return (
        ",".join(cors.origins)
        if cors.origins
        else str(cors.origin)
        if cors.origin is not None
        else "undefined"
    )


def _responses(event: HttpEvent) -> list[dict[str, Any]]:
    if event.responses is not None:
        given = event.responses
    else:
        headers = {
            f"method.response.header.{k}": v
            for k, v in ((event.response.headers if event.response else None) or {}).items()
        }
        template = (event.response.template if event.response else None) or {}
        given = {
            "200": {
                "statusCode": 200,
                "selectionPattern": "",
                "responseParameters": headers,
                "responseTemplates": template,
            },
            "400": {
                "statusCode": 400,
                "selectionPattern": "400",
                "responseParameters": {},
                "responseTemplates": {},
            },
        }
    numeric = sorted((k for k in given if k.isdigit()), key=int)
    out = []
    for key in [*numeric, *(k for k in given if not k.isdigit())]:
        value = given[key] if isinstance(given[key], dict) else {}
        out.append(
            {
                "StatusCode": value.get("statusCode", int(key) if key.isdigit() else 0),
                "SelectionPattern": value.get("selectionPattern", key),
                "ResponseParameters": dict(value.get("responseParameters") or {}),
                "ResponseTemplates": value.get("responseTemplates") or {},
            }
        )
    return out


def _templates(event: HttpEvent, machine_id: str) -> JsonValue:
    default = {"Fn::Sub": [_TEMPLATE, {"StateMachineArn": {"Ref": machine_id}}]}
    templates: dict[str, Any] = {"application/json": default, "application/x-www-form-urlencoded": default}
    if event.request is not None and isinstance(event.request.template, dict):
        return {**templates, **event.request.template}
    return {} if event.action else templates


def _method(
    event: HttpEvent, machine_id: str, timeout: JsonValue, resource_id: JsonValue, api_ref: JsonValue
) -> dict[str, Any]:
    cors = _cors(event)
    action = f":states:action/{event.action}" if event.action else ":states:action/StartExecution"
    integration: dict[str, Any] = {
        "IntegrationHttpMethod": "POST",
        "Type": "AWS",
        "Credentials": event.iam_role if event.iam_role is not None else {"Fn::GetAtt": [ROLE, "Arn"]},
        "Uri": {
            "Fn::Join": [
                "",
                ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, action],
            ]
        },
        "PassthroughBehavior": "WHEN_NO_TEMPLATES" if event.action else "NEVER",
        "RequestTemplates": _templates(event, machine_id),
    }
    timeout = event.timeout_in_millis or timeout
    if timeout:
        integration["TimeoutInMillis"] = timeout
    responses = _responses(event)
    headers = {
        f"method.response.header.{k}": v
        for k, v in ((event.response.headers if event.response else None) or {}).items()
    }
    method_responses: list[dict[str, Any]] = [
        {"ResponseParameters": headers, "ResponseModels": {}, "StatusCode": 200},
        {"ResponseParameters": {}, "ResponseModels": {}, "StatusCode": 400},
    ]
    if cors is not None:
        for r in responses:
            r["ResponseParameters"][_ORIGIN] = f"'{_origin(cors)}'"
        for r in method_responses:
            r["ResponseParameters"][_ORIGIN] = f"'{_origin(cors)}'"
    integration["IntegrationResponses"] = responses
    return {
        "Type": "AWS::ApiGateway::Method",
        "Properties": {
            "HttpMethod": event.method.upper(),
            "RequestParameters": {},
            **_authorization(event),
            "ApiKeyRequired": bool(event.private),
            "ResourceId": resource_id,
            "RestApiId": api_ref,
            "Integration": integration,
            "MethodResponses": method_responses,
        },
    }


def _authorization(event: HttpEvent) -> dict[str, Any]:
    """``getMethodAuthorization`` for the authorizers translated: AWS_IAM and existing ones."""
    auth = event.authorizer
    if auth is None:
        return {"AuthorizationType": "NONE"}
    if auth.type == "AWS_IAM" or ((auth.type or "").upper() == "AWS_IAM" and auth.authorizer_id is None):
        return {"AuthorizationType": "AWS_IAM"}
    return {
        "AuthorizationType": auth.type,
        "AuthorizerId": auth.authorizer_id,
        "AuthorizationScopes": auth.scopes,
    }


def _preflight(cors: _Cors, resource_id: JsonValue, api_ref: JsonValue) -> dict[str, Any]:
    headers = {
        "Access-Control-Allow-Origin": f"'{_origin(cors)}'",
        "Access-Control-Allow-Headers": f"'{','.join(cors.headers)}'",
        "Access-Control-Allow-Methods": f"'{','.join(cors.methods)}'",
        "Access-Control-Allow-Credentials": f"'{'true' if cors.allow_credentials else 'false'}'",
    }
    if cors.max_age is not None:
        headers["Access-Control-Max-Age"] = f"'{cors.max_age}'"
    if "ANY" in cors.methods:
        headers["Access-Control-Allow-Methods"] = headers["Access-Control-Allow-Methods"].replace(
            "ANY", ANY_METHODS, 1
        )
    return preflight_method(headers, "", resource_id, api_ref)


def http_parts(
    events: list[tuple[str, HttpEvent]],
    ctx: Context,
    timeout: JsonValue,
    resource_ids: dict[str, JsonValue],
    api_ref: JsonValue,
) -> HttpParts:
    """``events``: ``(machine logical ID, event)`` in order; ``resource_ids``: path -> resource ID
    once the paths exist (``paths`` first, see :attr:`HttpParts.paths`)."""
    parts = HttpParts()
    merged: dict[str, _Cors] = {}
    for machine_id, event in events:
        path = _path(event)
        cors = _cors(event)
        if cors is not None:
            have = merged.get(path)
            merged[path] = _Cors(
                origin=cors.origin or "*",
                origins=_union(cors.origins, have.origins if have else None),
                headers=_union(cors.headers, have.headers if have else None),
                methods=_union(cors.methods, have.methods if have else None),
                allow_credentials=bool((have.allow_credentials if have else False) or cors.allow_credentials),
                max_age=cors.max_age if cors.max_age is not None else (have.max_age if have else None),
            )
        name = naming.normalize_path(path) if path else ""
        logical_id = naming.rest_method_logical_id(name, event.method)
        parts.methods[logical_id] = _method(event, machine_id, timeout, resource_ids.get(path), api_ref)
    for path, cors in merged.items():
        name = naming.normalize_path(path) if path else ""
        parts.preflights[naming.rest_method_logical_id(name, "options")] = _preflight(
            cors, resource_ids.get(path), api_ref
        )
    if any(e.iam_role is None for _, e in events):
        parts.role = _role([e.action for _, e in events if e.action], ctx)
    return parts


def _path(event: HttpEvent) -> str:
    return event.path.removeprefix("/").removesuffix("/")


def http_paths(events: list[tuple[str, HttpEvent]]) -> list[str]:
    return [_path(e) for _, e in events]


def _role(actions: list[str], ctx: Context) -> dict[str, Any]:
    allowed = ["states:StartExecution"]
    allowed += [a for a in dict.fromkeys(f"states:{x}" for x in actions) if a not in allowed]
    properties: dict[str, Any] = {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "apigateway.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        "Policies": [
            {
                "PolicyName": "apigatewaytostepfunctions",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": allowed, "Resource": "*"}],
                },
            }
        ],
    }
    if ctx.permissions_boundary:
        properties["PermissionsBoundary"] = ctx.permissions_boundary
    if ctx.role_path:
        properties["Path"] = ctx.role_path
    return {"Type": "AWS::IAM::Role", "Properties": properties}
