"""``alb`` event (an Application Load Balancer listener rule forwarding to the function): the model,
``provider.alb`` (target group name prefix, Cognito / OIDC authorizers), and the target group
settings the builder writes and the check compares (pure, no CDK)."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import ArnOrCfn, ListOf

__all__ = ["AlbConfig", "AlbEvent", "listener_ids", "target_group_properties"]

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


def listener_ids(listener_arn: str | dict[Literal["Ref"], str]) -> tuple[str, str]:
    """``(albId, listenerId)``: from the ARN, or the logical ID of a ``{Ref}`` listener (v3)."""
    if isinstance(listener_arn, dict):
        return listener_arn["Ref"], listener_arn["Ref"]
    m = LISTENER_ARN.match(listener_arn)
    assert m is not None
    return m.group(1), m.group(2)


_HEALTH_CHECK_DEFAULTS: dict[str, Any] = {
    "HealthCheckEnabled": False,
    "HealthCheckPath": "/",
    "HealthCheckIntervalSeconds": 35,
    "HealthCheckTimeoutSeconds": 30,
    "HealthyThresholdCount": 5,
    "UnhealthyThresholdCount": 5,
    "Matcher": {"HttpCode": "200"},
}
_HEALTH_CHECK_FIELDS = (
    ("interval_seconds", "HealthCheckIntervalSeconds"),
    ("path", "HealthCheckPath"),
    ("timeout_seconds", "HealthCheckTimeoutSeconds"),
    ("healthy_threshold_count", "HealthyThresholdCount"),
    ("unhealthy_threshold_count", "UnhealthyThresholdCount"),
)


def _health_check(event: AlbEvent) -> dict[str, Any]:
    """v3's health check properties: off unless ``healthCheck`` is set, then defaults + overrides."""
    if not event.health_check:
        return {"HealthCheckEnabled": False}
    check = event.health_check if isinstance(event.health_check, HealthCheck) else HealthCheck()
    health = dict(_HEALTH_CHECK_DEFAULTS)
    health["HealthCheckEnabled"] = check.enabled
    for field, cfn in _HEALTH_CHECK_FIELDS:
        if getattr(check, field) is not None:
            health[cfn] = getattr(check, field)
    if check.matcher and check.matcher.get("httpCode"):
        health["Matcher"] = {"HttpCode": check.matcher["httpCode"]}
    return health


def target_group_properties(
    event: AlbEvent, *, service: str, stage: str, key: str, prefix: str, target: Any
) -> dict[str, Any]:
    """The ``Properties`` of the event's target group, as v3 writes them (``target``: the
    function's ARN). Events of one function on one load balancer share the group, so their
    properties must be equal."""
    alb_id, _listener = listener_ids(event.listener_arn)
    multi = bool(event.multi_value_headers)
    name_input = f"{service}-{key}-{alb_id}-{'multi-value-' if multi else ''}{stage}"
    return {
        "TargetType": "lambda",
        "Targets": [{"Id": target}],
        "Name": event.target_group_name
        or (prefix + hashlib.md5(name_input.encode(), usedforsecurity=False).hexdigest())[:32],
        "Tags": [{"Key": "Name", "Value": f"{service}-{key}-{alb_id}-{stage}"}],  # never multi-value (v3)
        "TargetGroupAttributes": [{"Key": "lambda.multi_value_headers.enabled", "Value": multi}],
        **_health_check(event),
    }
