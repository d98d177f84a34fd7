"""``logs`` of functions and ``provider.logs``: Lambda logging and the APIs' access logs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from constructs_lib.config.schema import Base

__all__ = ["HttpApiLogs", "LambdaLogs", "ProviderLogs", "RestApiLogs", "WebsocketLogs"]


class LambdaLogs(Base):
    """``logs`` of a function / ``provider.logs.lambda`` -> ``LoggingConfig`` (a v4 key; v3 ignores it)."""

    log_format: Literal["JSON", "Text"] | None = None
    application_log_level: Literal["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] | None = None
    system_log_level: Literal["DEBUG", "INFO", "WARN"] | None = None
    log_group: str | None = None

    def merged_over(self, base: LambdaLogs | None) -> LambdaLogs:
        if base is None:
            return self
        return LambdaLogs(
            log_format=self.log_format or base.log_format,
            application_log_level=self.application_log_level or base.application_log_level,
            system_log_level=self.system_log_level or base.system_log_level,
            log_group=self.log_group or base.log_group,
        )

    def to_cfn(self) -> dict[str, str]:
        out = {
            "LogFormat": self.log_format,
            "ApplicationLogLevel": self.application_log_level,
            "SystemLogLevel": self.system_log_level,
            "LogGroup": self.log_group,
        }
        return {k: v for k, v in out.items() if v is not None}


class HttpApiLogs(Base):
    format: str | None = None


class WebsocketLogs(Base):
    """``provider.logs.websocket``: stage execution and access logs."""

    access_logging: bool | None = None
    execution_logging: bool | None = None
    level: Literal["INFO", "ERROR"] | None = None
    full_execution_data: bool | None = None
    format: str | None = None


class RestApiLogs(WebsocketLogs):
    """``provider.logs.restApi``; ``role`` / ``roleManagedExternally`` also decide who sets the
    account's API Gateway CloudWatch role (which websocket logs need too)."""

    role: str | None = None
    role_managed_externally: bool | None = None


class ProviderLogs(Base):
    """``provider.logs``: access logs of the APIs; ``frameworkLambda``: logs of the custom-resource
    Lambdas."""

    framework_lambda: bool | None = None
    http_api: bool | HttpApiLogs | None = None
    lambda_: LambdaLogs | None = Field(default=None, alias="lambda")
    rest_api: bool | RestApiLogs | None = None
    websocket: bool | WebsocketLogs | None = None
