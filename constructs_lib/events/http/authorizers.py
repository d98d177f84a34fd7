"""Authorizers (v3's ``authorizers.js`` and ``method/authorization.js``): a function of the
service, a Lambda or Cognito user pool by ARN, ``aws_iam``, or an authorizer the API already has
(``authorizerId``); ``<Name>ApiGatewayAuthorizer`` for the ones this stack makes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from constructs_lib import naming
from constructs_lib.constructs.intrinsics import lambda_invocation_uri
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.http import HttpEvent
from constructs_lib.events.http.authorizer_spec import Authorizer, authorizer_of
from constructs_lib.events.http.rest_api import RestApi

if TYPE_CHECKING:
    from constructs_lib.events.http.methods import Method

__all__ = ["add_authorizers", "authorization", "authorizer_logical_id", "resolve"]


def resolve(ctx: BuildContext, event: HttpEvent) -> Authorizer | None:
    """The event's authorizer, a function of the service resolved to what the API invokes."""
    auth, _ = authorizer_of(event, ctx.functions)  # ``check`` found no problem
    if auth is None or auth.function is None:
        return auth
    target = ctx.functions[auth.function]
    return replace(
        auth, arn=target.target_arn, logical_id=target.target_alias[1] if target.target_alias else None
    )


def authorizer_logical_id(auth: Authorizer) -> str:
    """``<Name>ApiGatewayAuthorizer`` (``check``: an authorizer with an ARN has a name)."""
    assert auth.name is not None
    return naming.rest_authorizer_logical_id(auth.name)


def authorization(auth: Authorizer | None) -> tuple[dict[str, Any], list[str]]:
    """The method's authorization properties and the authorizers it waits for."""
    if auth is None:
        return {"AuthorizationType": "NONE"}, []
    kind = auth.kind
    if kind == "AWS_IAM":
        return {"AuthorizationType": "AWS_IAM"}, []
    if auth.type and auth.authorizer_id is not None:
        properties: dict[str, Any] = {
            "AuthorizationType": "CUSTOM" if kind in ("TOKEN", "REQUEST") else auth.type,
            "AuthorizerId": auth.authorizer_id,
        }
        if kind == "COGNITO_USER_POOLS" and auth.scopes:
            properties["AuthorizationScopes"] = auth.scopes
        return properties, []
    logical_id = authorizer_logical_id(auth)
    if auth.is_cognito:
        properties = {"AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": {"Ref": logical_id}}
        if auth.scopes:
            properties["AuthorizationScopes"] = auth.scopes
        return properties, [logical_id]
    return {"AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": logical_id}}, [logical_id]


def _add_authorizer(api: RestApi, auth: Authorizer) -> None:
    properties: dict[str, Any] = {
        "AuthorizerResultTtlInSeconds": auth.result_ttl_in_seconds,
        "IdentitySource": auth.identity_source,
        "Name": auth.name,
        "RestApiId": api.ref,
    }
    if isinstance(auth.identity_validation_expression, str):
        properties["IdentityValidationExpression"] = auth.identity_validation_expression
    if auth.is_cognito:
        properties["Type"] = "COGNITO_USER_POOLS"
        properties["ProviderARNs"] = [auth.arn]
    else:
        properties["AuthorizerUri"] = lambda_invocation_uri(auth.arn)
        properties["Type"] = (auth.type or "TOKEN").upper()
    api.add(
        authorizer_logical_id(auth),
        {"Type": "AWS::ApiGateway::Authorizer", "DependsOn": auth.logical_id, "Properties": properties},
    )


def add_authorizers(api: RestApi, methods: Iterable[Method]) -> None:
    """The authorizer of each method that names one by ARN or function (later ones merge in)."""
    for method in methods:
        if method.auth is not None and method.auth.arn:
            _add_authorizer(api, method.auth)
