"""``http`` event (API Gateway v1 REST API): the model.

Forms: ``http: 'GET /users/{id}'`` or ``{method, path, cors, integration, authorizer, private,
request, response, operationId, async, connectionType, connectionId}``. Integrations
``lambda-proxy`` (default), ``lambda``, ``http``, ``http-proxy`` and ``mock``; request schemas by
content type (inline, or naming ``provider.apiGateway.request.schemas``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from constructs_lib.config.schema import Base

__all__ = ["HttpAuthorizer", "HttpCors", "HttpEvent"]

METHODS = ("GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE", "ANY")
_ROUTE = re.compile(r"^(?:\*|(GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE|ANY) (/?\S*))$", re.IGNORECASE)


class HttpCors(Base):
    allow_credentials: bool | None = None
    cache_control: str | None = None
    headers: list[str] | str | None = None
    max_age: Annotated[int, Field(ge=1)] | None = None
    methods: list[Literal["GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE", "ANY"]] | None = None
    origin: str | None = None
    origins: list[str] | None = None
    # '*' with allowCredentials is deployed by v3 and API Gateway: a warning at load
    # (constructs_lib.loader.checks.config_warnings), not an error.


class HttpAuthorizer(Base):
    arn: str | dict[str, Any] | None = None
    authorizer_id: Any = None
    claims: list[str] | None = None
    identity_source: str | None = None
    identity_validation_expression: str | None = None
    managed_externally: bool | None = None
    name: str | None = None
    result_ttl_in_seconds: Annotated[int, Field(ge=0, le=3600)] | None = None
    scopes: list[Any] | None = None
    type: str | None = None

    @field_validator("type")
    @classmethod
    def _type(cls, value: str | None) -> str | None:
        if value is not None and value.lower() not in (
            "token",
            "cognito_user_pools",
            "request",
            "aws_iam",
            "custom",
        ):
            raise ValueError("type must be token, cognito_user_pools, request, aws_iam or custom")
        return value


class Parameters(Base):
    querystrings: dict[str, bool | dict[str, Any]] | None = None
    headers: dict[str, bool | dict[str, Any]] | None = None
    paths: dict[str, bool | dict[str, Any]] | None = None


class HttpRequest(Base):
    content_handling: Literal["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"] | None = None
    parameters: Parameters | None = None
    pass_through: Literal["NEVER", "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES"] | None = None
    template: dict[str, str | None] | None = None
    schemas: dict[str, dict[str, Any] | str] | None = None
    method: str | None = None
    """HTTP method of an ``http`` / ``http-proxy`` backend (default: the event's)."""
    uri: str | dict[str, Any] | None = None
    """URL of an ``http`` / ``http-proxy`` backend."""


class StatusCode(Base):
    headers: dict[str, str] | None = None
    pattern: str | None = None
    template: str | dict[str, str] | None = None


class HttpResponse(Base):
    content_handling: Literal["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"] | None = None
    headers: dict[str, str] | None = None
    template: str | None = None
    status_codes: dict[Annotated[str, Field(pattern=r"^\d{3}$")], StatusCode] | None = None


class HttpEvent(Base):
    """One method of the service's REST API bound to the function."""

    method: str
    path: str
    cors: bool | HttpCors | None = None
    integration: str | None = None
    authorizer: str | HttpAuthorizer | None = None
    private: bool | None = None
    async_: bool | None = Field(default=None, alias="async")
    operation_id: str | None = None
    request: HttpRequest | None = None
    response: HttpResponse | None = None
    connection_id: str | dict[str, Any] | None = None
    connection_type: str | None = None

    @field_validator("connection_type")
    @classmethod
    def _connection_type(cls, value: str | None) -> str | None:
        if value is None:
            return None
        normalized = value.upper().replace("-", "_")
        if normalized != "VPC_LINK":
            raise ValueError(f"connectionType {value!r} must be vpc-link")
        return normalized

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not _ROUTE.match(value.strip()):
                raise ValueError(f"http {value!r} must be 'METHOD /path' (e.g. 'GET /users/{{id}}')")
            method, _, path = value.strip().partition(" ")
            return {"method": method, "path": path}
        return value

    @field_validator("method")
    @classmethod
    def _method(cls, value: str) -> str:
        upper = value.strip().upper()
        upper = "ANY" if upper == "*" else upper
        if upper not in METHODS:
            raise ValueError(f"method {value!r} must be one of {', '.join(METHODS)}")
        return value.strip().lower() if value.strip() != "*" else "any"

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        return value.strip().removeprefix("/").removesuffix("/") if value.strip() != "/" else ""

    @field_validator("integration")
    @classmethod
    def _integration(cls, value: str | None) -> str | None:
        if value is None:
            return None
        normalized = value.upper().replace("-", "_", 1)
        normalized = {"LAMBDA": "AWS", "LAMBDA_PROXY": "AWS_PROXY"}.get(normalized, normalized)
        if normalized not in ("AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"):
            raise ValueError(f"integration {value!r} must be lambda-proxy, lambda, http, http-proxy or mock")
        return normalized

    @model_validator(mode="after")
    def _backend(self) -> HttpEvent:
        if self.integration in ("HTTP", "HTTP_PROXY") and not (self.request and self.request.uri):
            raise ValueError(
                f"the {self.integration.lower().replace('_', '-')} integration needs request.uri"
            )
        if self.connection_type and self.connection_id is None:
            raise ValueError("connectionType vpc-link needs a connectionId")
        return self

    @property
    def integration_type(self) -> str:
        if self.integration:
            return self.integration
        return "AWS" if self.async_ else "AWS_PROXY"
