"""``<F>LambdaPermissionApiGateway`` (v3's ``permissions.js``): the API may invoke each function
of a method and each Lambda authorizer (not Cognito, not one managed externally)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from constructs_lib import naming
from constructs_lib.constructs.intrinsics import execute_api_arn
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.http.authorizer_spec import Authorizer
from constructs_lib.events.http.rest_api import RestApi

if TYPE_CHECKING:
    from constructs_lib.events.http.methods import Method

__all__ = ["add_permissions"]

_PRINCIPAL = "apigateway.amazonaws.com"


def _authorizer_permission(api: RestApi, auth: Authorizer, source_arn: dict[str, Any]) -> None:
    assert auth.name is not None  # ``check``: an authorizer with an ARN has a name
    permission_id = naming.rest_permission_logical_id(auth.name)
    if auth.is_cognito or api.ctx.raw.get(permission_id) or auth.managed_externally:
        return
    api.add(
        permission_id,
        invoke_permission(
            {"Ref": auth.logical_id} if auth.logical_id else auth.arn, _PRINCIPAL, source_arn=source_arn
        ),
    )


def add_permissions(api: RestApi, methods: Iterable[Method]) -> None:
    execute_api = execute_api_arn(api.ref, "/*/*")
    for method in methods:
        fn = method.fn
        api.add(
            naming.rest_permission_logical_id(fn.props.key),
            invoke_permission(
                fn.target_arn,
                _PRINCIPAL,
                source_arn=execute_api,
                depends_on=fn.target_alias[1] if fn.target_alias else None,
            ),
        )
        if method.auth is not None and method.auth.arn:
            _authorizer_permission(api, method.auth, execute_api)
