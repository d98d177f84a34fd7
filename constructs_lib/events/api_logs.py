"""Who sets API Gateway's account-wide CloudWatch role, which stage logs need.

v3 sets it with its own custom-resource Lambda (``CustomApiGatewayAccountCloudWatchRole``) unless
``provider.logs.restApi.roleManagedExternally`` says the account already has one. That custom
resource is not translated yet, so logs need ``roleManagedExternally: true`` for now.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError

__all__ = ["require_account_cloudwatch_role"]


def require_account_cloudwatch_role(stack: Any, path: tuple[str | int, ...]) -> None:
    logs = stack.service.model.provider.logs
    rest = logs.rest_api if logs is not None else None
    if rest is not None and not isinstance(rest, bool) and rest.role_managed_externally:
        return
    raise ConfigError(
        "not supported yet: API Gateway stage logs without "
        "provider.logs.restApi.roleManagedExternally (v3 sets the account's CloudWatch role "
        "with its own custom-resource Lambda)",
        path=path,
        hint="set the account's API Gateway CloudWatch role once (console or `aws apigateway "
        "update-account`) and add provider.logs.restApi.roleManagedExternally: true",
    )
