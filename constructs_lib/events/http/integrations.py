"""A method's integration and responses (v3's ``method/integration.js`` and
``method/responses.js``): ``lambda-proxy``, ``lambda`` (v3's request templates and status codes),
``http``, ``http-proxy`` and ``mock``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from constructs_lib.constructs.intrinsics import lambda_invocation_uri
from constructs_lib.events.http import HttpEvent
from constructs_lib.events.http.authorizer_spec import Authorizer
from constructs_lib.events.http.templates import (
    DEFAULT_FORM_URL_ENCODED_REQUEST_TEMPLATE,
    DEFAULT_JSON_REQUEST_TEMPLATE,
    DEFAULT_STATUS_CODES,
)

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction

__all__ = ["integration", "method_responses"]


def _request_templates(event: HttpEvent) -> dict[str, Any]:
    """v3's templates for ``lambda``, with ``request.template`` merged in (``null`` removes one)."""
    request = event.request
    templates: dict[str, Any] = {}
    if event.integration_type == "AWS":
        templates = {
            "application/json": DEFAULT_JSON_REQUEST_TEMPLATE,
            "application/x-www-form-urlencoded": DEFAULT_FORM_URL_ENCODED_REQUEST_TEMPLATE,
        }
    for content_type, template in (request.template or {}).items() if request else ():
        if template is None:
            templates.pop(content_type, None)
        else:
            templates[content_type] = template
    return templates


def _claims(template: str, auth: Authorizer | None) -> str:
    """The Cognito claims an authorizer filters, placed in v3's request template."""
    claims = auth.claims if auth is not None else []
    parts = []
    for claim in claims:
        if isinstance(claim, str) and ":" in claim:
            parts.append(f'"{claim[claim.index(":") + 1 :]}": "$context.authorizer.claims[\'{claim}\']"')
        else:
            parts.append(f'"{claim}": "$context.authorizer.claims.{claim}"')
    return template.replace("extraCognitoPoolClaims", ",".join(parts) + "," if parts else "", 1)


def integration(
    event: HttpEvent,
    fn: ServerlessFunction,
    parameters: dict[str, Any],
    cors: dict[str, Any] | None,
    auth: Authorizer | None,
) -> dict[str, Any]:
    """v3's ``getMethodIntegration`` for the five integration types."""
    kind = event.integration_type
    request = event.request
    out: dict[str, Any] = {"IntegrationHttpMethod": "POST", "Type": kind}
    if kind in ("AWS", "AWS_PROXY"):
        alias = fn.target_alias[0] if fn.target_alias else None
        out["Uri"] = lambda_invocation_uri(
            {"Fn::GetAtt": [fn.logical_id, "Arn"]}, *([":", alias] if alias else [])
        )
    elif kind in ("HTTP", "HTTP_PROXY"):
        assert request is not None  # the model requires request.uri
        out["Uri"] = request.uri
        out["IntegrationHttpMethod"] = (request.method or event.method).upper()
        if event.connection_type:
            out["ConnectionType"] = event.connection_type
            out["ConnectionId"] = event.connection_id
    if kind in ("AWS", "HTTP", "MOCK"):
        templates = _request_templates(event)
        pass_through = request.pass_through if request else None
        out["PassthroughBehavior"] = pass_through or ("NEVER" if kind == "AWS" else None)
        out["ContentHandling"] = request.content_handling if request else None
        out["RequestTemplates"] = {k: _claims(v, auth) for k, v in templates.items()} or None
        out["IntegrationResponses"] = _integration_responses(event, cors)
    if (kind in ("AWS", "HTTP", "HTTP_PROXY") and parameters) or event.async_:
        request_parameters = {
            f"integration.{k[len('method.') :]}": (v.get("mappedValue") if isinstance(v, dict) else None) or k
            for k, v in parameters.items()
        }
        if event.async_:
            request_parameters["integration.request.header.X-Amz-Invocation-Type"] = "'Event'"
        out["RequestParameters"] = request_parameters
    return out


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


def method_responses(event: HttpEvent, cors: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The method's responses: one per status code of the non-proxy integrations."""
    if event.integration_type not in ("AWS", "HTTP", "MOCK"):
        return []
    headers = _response_headers(event, cors)
    out = []
    for code, config in _status_codes(event).items():
        parameters = {f"method.response.header.{h}": True for h in headers}
        parameters.update({f"method.response.header.{h}": True for h in config.get("headers") or {}})
        out.append({"ResponseParameters": parameters, "ResponseModels": {}, "StatusCode": code})
    return out
