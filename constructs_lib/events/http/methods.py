"""``ApiGatewayMethod<Path><Method>``: one per event (v3's ``method/index.js``), with its request
parameters, authorization, integration, responses and request validation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_lib import naming
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.http import HttpEvent, plan
from constructs_lib.events.http.authorizer_spec import Authorizer
from constructs_lib.events.http.authorizers import authorization, resolve
from constructs_lib.events.http.cors import event_cors
from constructs_lib.events.http.integrations import integration, method_responses
from constructs_lib.events.http.rest_api import RestApi
from constructs_lib.events.http.validators import request_models, request_validator, required
from constructs_lib.events.sites import EventSite

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction

__all__ = ["Method", "add_methods", "prepare"]


@dataclass(frozen=True)
class Method:
    """One ``http`` event, normalized as v3's ``validate.js`` does before compiling."""

    site: EventSite[HttpEvent]
    fn: ServerlessFunction
    auth: Authorizer | None
    cors: dict[str, Any] | None

    @property
    def event(self) -> HttpEvent:
        return self.site.event

    @property
    def logical_id(self) -> str:
        return plan.method_logical_id(self.event.path, self.event.method)


def prepare(ctx: BuildContext, site: EventSite[HttpEvent]) -> Method:
    event = site.event
    return Method(site, ctx.function(site), resolve(ctx, event), event_cors(event) if event.cors else None)


def _request_parameters(event: HttpEvent) -> dict[str, Any]:
    """``request.parameters`` as ``method.request.<location>.<name>`` -> required or its settings."""
    out: dict[str, Any] = {}
    params = event.request.parameters if event.request else None
    if params is None:
        return out
    for location, singular in (("querystrings", "querystring"), ("paths", "path"), ("headers", "header")):
        for name, value in (getattr(params, location) or {}).items():
            out[f"method.request.{singular}.{name}"] = value
    return out


def _depends_on(method: Method, auth_depends: list[str]) -> list[str]:
    depends = [naming.rest_permission_logical_id(method.fn.props.key)]
    if method.fn.target_alias:
        depends.append(method.fn.target_alias[1])
    depends[: len(auth_depends)] = auth_depends  # v3 _.merge()s the arrays: index by index
    return depends


def _add_method(api: RestApi, method: Method) -> None:
    event = method.event
    parameters = _request_parameters(event)
    authorization_properties, auth_depends = authorization(method.auth)
    method_integration = integration(event, method.fn, parameters, method.cors, method.auth)
    method_id = method.logical_id
    models = request_models(api, event, method_id)
    validator = request_validator(api, parameters, force=models is not None)
    api.add(
        method_id,
        {
            "Type": "AWS::ApiGateway::Method",
            "Properties": {
                "HttpMethod": event.method.upper(),
                "RequestParameters": {k: required(v) for k, v in parameters.items()},
                "ResourceId": api.resource_ids[event.path],
                "RestApiId": api.ref,
                "OperationName": event.operation_id,
                "ApiKeyRequired": bool(event.private),
                **authorization_properties,
                "Integration": method_integration,
                "MethodResponses": method_responses(event, method.cors),
                "RequestValidatorId": validator,
                "RequestModels": models,
            },
            "DependsOn": _depends_on(method, auth_depends),
        },
    )
    api.method_ids.append(method_id)


def add_methods(api: RestApi, methods: Iterable[Method]) -> None:
    for method in methods:
        _add_method(api, method)
