"""``provider.httpApi``: the HTTP API of ``httpApi`` events, its CORS and its authorizers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.schema import Base, Ignored, ListOf

__all__ = ["API_CORS_DEFAULT_HEADERS", "Cors", "FunctionHttpApi", "HttpApiAuthorizer", "HttpApiConfig"]


def _payload_text(value: JsonValue) -> JsonValue:
    return f"{value:.1f}" if isinstance(value, int | float) else value


#: The payload format version of an HTTP API's Lambda integrations (``payload: 2`` is "2.0").
PayloadVersion = Annotated[Literal["1.0", "2.0"], BeforeValidator(_payload_text)]

#: v3's default CORS headers of HTTP APIs and of REST API (``http``) preflights: the same list.
API_CORS_DEFAULT_HEADERS = (
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amz-User-Agent",
    "X-Amzn-Trace-Id",
)


class Cors(Base):
    """``provider.httpApi.cors`` as an object; unset fields keep v3's defaults."""

    allowed_origins: ListOf[str] | None = None
    allowed_headers: ListOf[str] | None = None
    allowed_methods: ListOf[str] | None = None
    allow_credentials: bool | None = None
    exposed_response_headers: ListOf[str] | None = None
    max_age: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _credentials_need_origin(self) -> Cors:
        if self.allow_credentials and (self.allowed_origins is None or "*" in self.allowed_origins):
            raise ValueError(
                "allowCredentials: true cannot be combined with the origin '*' (the default): "
                "API Gateway refuses such an HTTP API CORS configuration at deploy (credentials need "
                "explicit allowedOrigins); list the allowed origins"
            )
        return self


class HttpApiAuthorizer(Base):
    """``provider.httpApi.authorizers.<name>``: a JWT authorizer or a Lambda request authorizer."""

    name: str | None = None
    type: Literal["jwt", "request"] = "jwt"
    identity_source: ListOf[str] | None = None
    issuer_url: str | None = None
    audience: ListOf[str] | None = None
    function_name: str | None = None
    function_arn: str | JsonObject | None = None
    managed_externally: bool | None = None
    result_ttl_in_seconds: Annotated[int, Field(ge=0, le=3600)] | None = None
    enable_simple_responses: bool | None = None
    payload_version: Literal["1.0", "2.0"] = "2.0"

    @model_validator(mode="after")
    def _shape(self) -> HttpApiAuthorizer:
        if self.type == "request":
            if bool(self.function_name) == bool(self.function_arn):
                raise ValueError("a request authorizer needs exactly one of functionName and functionArn")
            if self.result_ttl_in_seconds and not self.identity_source:
                raise ValueError("identitySource is needed when resultTtlInSeconds is not 0")
        elif not self.issuer_url or not self.audience:
            raise ValueError("a jwt authorizer needs issuerUrl and audience")
        return self


class HttpApiConfig(Base):
    """``provider.httpApi``."""

    cors: Annotated[
        Annotated[bool, Tag("flag")] | Annotated[Cors, Tag("object")],
        Discriminator(lambda v: "object" if isinstance(v, dict | Cors) else "flag"),
    ] = False
    """``true`` or an object; a mapping's own errors are reported without a "not a boolean" one."""
    name: str | None = None
    payload: PayloadVersion = "2.0"
    metrics: bool = False
    disable_default_endpoint: bool | None = None
    """Written as given: v3 emits an explicit false too (DisableExecuteApiEndpoint: false)."""
    should_start_name_with_service: bool = False
    id: str | JsonObject | None = None
    """An HTTP API another stack owns: routes are added to it, nothing else is made."""
    authorizers: dict[str, HttpApiAuthorizer] = Field(default_factory=dict)
    use_provider_tags: Ignored = None

    @model_validator(mode="after")
    def _external(self) -> HttpApiConfig:
        if self.id is None:
            return self
        owned = [
            key
            for key, given in (
                ("cors", self.cors),
                ("authorizers", self.authorizers),
                ("name", self.name),
                ("metrics", self.metrics),
                ("disableDefaultEndpoint", self.disable_default_endpoint),
            )
            if given
        ]
        if owned:
            raise ValueError(
                f"{', '.join(owned)} configure(s) the HTTP API itself, which 'id' says another stack owns"
            )
        return self


class FunctionHttpApi(Base):
    """``functions.<key>.httpApi``: the function's own integration settings (over provider's)."""

    payload: PayloadVersion | None = None
