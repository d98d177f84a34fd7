"""``provider.apiGateway``: the REST API of ``http`` events, its keys and usage plans."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.model.iam import ResourcePolicyStatement
from constructs_lib.config.schema import Base, NotSupported

__all__ = [
    "ApiGatewayConfig",
    "ApiGatewayRequest",
    "ApiKey",
    "ApiKeyItem",
    "EndpointType",
    "RequestSchema",
    "RestApiResource",
    "UsagePlan",
    "UsagePlanQuota",
    "UsagePlanThrottle",
]


def _endpoint_type(value: str) -> str:
    if value.upper() not in ("REGIONAL", "EDGE", "PRIVATE"):
        raise ValueError(f"endpointType {value!r} must be REGIONAL, EDGE or PRIVATE")
    return value


#: ``provider.endpointType``: ``REGIONAL``, ``EDGE`` or ``PRIVATE`` (any case).
EndpointType = Annotated[str, AfterValidator(_endpoint_type)]


class ApiKey(Base):
    """One API key of ``provider.apiGateway.apiKeys`` (a bare string is its name)."""

    name: str | None = None
    value: Annotated[str, Field(min_length=20)] | None = None
    description: str | None = None
    customer_id: str | None = None
    enabled: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _text(cls, value: JsonValue) -> JsonValue:
        return {"name": value} if isinstance(value, str) else value


class UsagePlanQuota(Base):
    limit: Annotated[int, Field(ge=0)] | None = None
    offset: Annotated[int, Field(ge=0)] | None = None
    period: Literal["DAY", "WEEK", "MONTH"] | None = None


class UsagePlanThrottle(Base):
    burst_limit: Annotated[int, Field(ge=0)] | None = None
    rate_limit: Annotated[int, Field(ge=0)] | None = None


class UsagePlan(Base):
    quota: UsagePlanQuota | None = None
    throttle: UsagePlanThrottle | None = None


class RequestSchema(Base):
    schema_: JsonObject = Field(alias="schema")
    name: str | None = None
    description: str | None = None


class ApiGatewayRequest(Base):
    schemas: dict[str, RequestSchema] | None = None


#: ``apiKeys`` items: a name, a key object, or ``{<usage plan>: [keys]}``
ApiKeyItem = ApiKey | dict[str, list[ApiKey]]


class RestApiResource(Base):
    path: str
    resource_id: str | JsonObject


class ApiGatewayConfig(Base):
    """``provider.apiGateway`` (the REST API of ``http`` events)."""

    api_key_source_type: str | None = None
    binary_media_types: list[Annotated[str, Field(pattern=r"^\S+\/\S+$")]] | None = None
    description: str | None = None
    disable_default_endpoint: bool | None = None
    metrics: bool | None = None
    minimum_compression_size: Annotated[int, Field(ge=0, le=10485760)] | None = None
    resource_policy: list[ResourcePolicyStatement] | None = None
    should_start_name_with_service: bool | None = None
    stage: str | None = None
    api_keys: list[ApiKeyItem] | None = None
    usage_plan: UsagePlan | list[Annotated[dict[str, UsagePlan], Field(max_length=1)]] | None = None
    request: ApiGatewayRequest | None = None
    rest_api_id: str | JsonObject | None = None
    """A REST API another stack owns: resources and methods are added to it."""
    rest_api_resources: dict[str, str | JsonObject] | list[RestApiResource] | None = None
    rest_api_root_resource_id: str | JsonObject | None = None
    websocket_api_id: str | JsonObject | None = None
    """A WebSocket API another stack owns: routes are added to it."""
    timeout_in_millis: NotSupported = None

    @field_validator("api_key_source_type")
    @classmethod
    def _source(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in ("HEADER", "AUTHORIZER"):
            raise ValueError("apiKeySourceType must be HEADER or AUTHORIZER")
        return value
