"""``alb`` event (an Application Load Balancer listener rule forwarding to the function): the model,
and ``provider.alb`` (target group name prefix, Cognito / OIDC authorizers)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from constructs_lib.config.schema import Base, ListOf
from constructs_lib.events.common import ArnOrCfn

__all__ = ["AlbConfig", "AlbEvent", "listener_ids"]

#: v3's ``ALB_LISTENER_REGEXP``: captures the load balancer id and the listener id
LISTENER_ARN = re.compile(
    r"^arn:aws[\w-]*:elasticloadbalancing:.+:listener\/app\/[\w-]+\/([\w-]+)\/([\w-]+)$"
)


class _AuthorizerBase(Base):
    on_unauthenticated_request: Literal["allow", "authenticate", "deny"] = "deny"
    request_extra_params: Annotated[dict[str, str], Field(max_length=10)] | None = None
    scope: str | None = None
    session_cookie_name: str | None = None
    session_timeout: Annotated[int, Field(ge=0)] | None = None


class CognitoAuthorizer(_AuthorizerBase):
    type: Literal["cognito"]
    user_pool_arn: ArnOrCfn
    user_pool_client_id: str
    user_pool_domain: str


class OidcAuthorizer(_AuthorizerBase):
    type: Literal["oidc"]
    authorization_endpoint: str
    client_id: str
    client_secret: str | None = None
    issuer: str
    token_endpoint: str
    user_info_endpoint: str


class AlbConfig(Base):
    """``provider.alb``."""

    target_group_prefix: Annotated[str, Field(max_length=16)] | None = None
    authorizers: (
        dict[str, Annotated[CognitoAuthorizer | OidcAuthorizer, Field(discriminator="type")]] | None
    ) = None


class HeaderCondition(Base):
    name: Annotated[str, Field(max_length=40)]
    values: list[Annotated[str, Field(max_length=128)]]


class Conditions(Base):
    header: ListOf[HeaderCondition] | None = None
    host: ListOf[Annotated[str, Field(pattern=r"^[A-Za-z0-9*?.-]+$", max_length=128)]] | None = None
    ip: ListOf[str] | None = None
    method: ListOf[Annotated[str, Field(pattern=r"^[A-Z_-]+$", max_length=40)]] | None = None
    path: (
        ListOf[Annotated[str, Field(pattern=r"^([A-Za-z0-9*?_.$/~\"'@:+-]|&amp;)+$", max_length=128)]] | None
    ) = None
    query: dict[Annotated[str, Field(max_length=128)], Annotated[str, Field(max_length=128)]] | None = None

    @model_validator(mode="after")
    def _some(self) -> Conditions:
        if not self.model_fields_set:
            raise ValueError("an alb event needs at least one condition")
        return self


class HealthCheck(Base):
    enabled: bool = True
    healthy_threshold_count: Annotated[int, Field(ge=2, le=10)] | None = None
    interval_seconds: Annotated[int, Field(ge=5, le=300)] | None = None
    matcher: (
        dict[Literal["httpCode"], Annotated[str, Field(pattern=r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")]] | None
    ) = None
    path: Annotated[str, Field(min_length=1, max_length=1024)] | None = None
    timeout_seconds: Annotated[int, Field(ge=2, le=120)] | None = None
    unhealthy_threshold_count: Annotated[int, Field(ge=2, le=10)] | None = None


class AlbEvent(Base):
    listener_arn: str | dict[Literal["Ref"], str]
    priority: Annotated[int, Field(ge=1, le=50000)]
    conditions: Conditions
    authorizer: ListOf[str] | None = None
    health_check: bool | HealthCheck | None = None
    multi_value_headers: bool | None = None
    target_group_name: (
        Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-zA-Z0-9-]+$")] | None
    ) = None

    @field_validator("listener_arn")
    @classmethod
    def _arn(cls, value: Any) -> Any:
        if isinstance(value, str) and not LISTENER_ARN.match(value):
            raise ValueError(f"{value!r} is not an application load balancer listener ARN")
        return value


def listener_ids(listener_arn: str | dict[str, str]) -> tuple[str, str]:
    """``(albId, listenerId)``: from the ARN, or the logical ID of a ``{Ref}`` listener (v3)."""
    if isinstance(listener_arn, dict):
        return listener_arn["Ref"], listener_arn["Ref"]
    m = LISTENER_ARN.match(listener_arn)
    assert m is not None
    return m.group(1), m.group(2)
