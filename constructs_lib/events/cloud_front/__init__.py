"""``cloudFront`` event (Lambda@Edge): the event model (v3's schema, ``cloud-front.js``),
``provider.cloudFront.cachePolicies``, the edge limits and the names v3 gives the resources
(pure, no CDK). CloudFront's own keys (origin, behavior, cache policy) are written in
CloudFormation's PascalCase and copied into the template as written.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_pascal

from constructs_lib import naming
from constructs_lib.config.schema import Base
from constructs_lib.events.common import Intrinsic

__all__ = [
    "DEFAULT_CACHE_POLICY_ID",
    "DISTRIBUTION",
    "DISTRIBUTION_DOMAIN_NAME",
    "EDGE_LIMITS",
    "EDGE_MEMORY_SIZE",
    "EDGE_TIMEOUT",
    "Behavior",
    "CachePolicyConfig",
    "CloudFrontConfig",
    "CloudFrontEvent",
    "Origin",
    "cache_policy_logical_id",
    "invoke_permission_logical_id",
]

#: v3's logical IDs of the distribution and its domain-name output (naming.js)
DISTRIBUTION = "CloudFrontDistribution"
DISTRIBUTION_DOMAIN_NAME = "CloudFrontDistributionDomainName"
#: Managed-CachingOptimized, which v3 gives a behavior that sets no caching of its own
DEFAULT_CACHE_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
#: event type (``default``: none given) -> (max timeout s, max memory MB) of Lambda@Edge
EDGE_LIMITS: dict[str, tuple[int, int]] = {
    "origin-request": (30, 10240),
    "origin-response": (30, 10240),
    "viewer-request": (5, 128),
    "viewer-response": (5, 128),
    "default": (5, 128),
}
#: what v3 gives an edge function that sets no memorySize / timeout of its own
EDGE_MEMORY_SIZE, EDGE_TIMEOUT = 128, 5


def cache_policy_logical_id(name: str) -> str:
    return f"CloudFrontCachePolicy{naming.normalized_resource_name(name)}"


def invoke_permission_logical_id(key: str) -> str:
    return f"{naming.lambda_logical_id(key)}InvokePermission"


class _Cfn(Base):
    """CloudFormation's PascalCase keys (explicit aliases where AWS spells an acronym)."""

    model_config = ConfigDict(**{**Base.model_config, "alias_generator": to_pascal})

    def to_cfn(self) -> dict[str, Any]:
        """The keys as written (lax coercions applied, as v3's validator does)."""
        return self.model_dump(by_alias=True, exclude_unset=True, mode="json")


_Text = str | Intrinsic


class CustomOriginConfig(_Cfn):
    http_port: Annotated[int, Field(ge=0, le=65535)] | None = Field(default=None, alias="HTTPPort")
    https_port: Annotated[int, Field(ge=0, le=65535)] | None = Field(default=None, alias="HTTPSPort")
    origin_keepalive_timeout: Annotated[int, Field(ge=1, le=60)] | None = None
    origin_protocol_policy: Literal["http-only", "match-viewer", "https-only"]
    origin_read_timeout: Annotated[int, Field(ge=1, le=60)] | None = None
    origin_ssl_protocols: list[Literal["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"]] | None = Field(
        default=None, alias="OriginSSLProtocols"
    )


class S3OriginConfig(_Cfn):
    origin_access_identity: (
        Annotated[str, Field(pattern=r"^origin-access-identity/cloudfront/.+")] | Intrinsic | None
    ) = None


class OriginCustomHeader(_Cfn):
    header_name: str
    header_value: str


class Origin(_Cfn):
    """An origin written as CloudFormation (``DomainName`` and one of the two configs)."""

    connection_attempts: Annotated[int, Field(ge=1, le=3)] | None = None
    connection_timeout: Annotated[int, Field(ge=1, le=10)] | None = None
    custom_origin_config: CustomOriginConfig | None = None
    domain_name: _Text
    origin_access_control_id: _Text | None = None
    origin_custom_headers: list[OriginCustomHeader] | None = None
    origin_path: str | None = None
    s3_origin_config: S3OriginConfig | None = Field(default=None, alias="S3OriginConfig")

    @model_validator(mode="after")
    def _one_config(self) -> Origin:
        if (self.custom_origin_config is None) == (self.s3_origin_config is None):
            raise ValueError("an origin needs exactly one of CustomOriginConfig and S3OriginConfig")
        return self


def _origin_url(value: str) -> str:
    """v3's ``format: uri``, and a host CloudFront can reach (``s3://bucket...``, ``https://...``)."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or not urlsplit(value).hostname:
        raise ValueError(
            f"origin {value!r} is not a URL with a host (s3://<bucket domain>, https://<domain>)"
        )
    return value


_METHODS = ("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE")


def _method_set(*allowed: int) -> AfterValidator:
    """v3's method lists: unique, and exactly the first 2, 3 or 7 of GET, HEAD, OPTIONS, ..."""

    def check(value: list[str]) -> list[str]:
        if len(set(value)) != len(value) or not any(set(value) == set(_METHODS[:n]) for n in allowed):
            sets = " or ".join(f"[{', '.join(_METHODS[:n])}]" for n in allowed)
            raise ValueError(f"expected {sets} (in any order)")
        return value

    return AfterValidator(check)


class Cookies(_Cfn):
    forward: Literal["all", "none", "whitelist"]
    whitelisted_names: list[str] | None = None

    @model_validator(mode="after")
    def _names(self) -> Cookies:
        if (self.forward == "whitelist") != (self.whitelisted_names is not None):
            raise ValueError("WhitelistedNames goes with (and only with) Forward: whitelist")
        return self


class ForwardedValues(_Cfn):
    cookies: Cookies | None = None
    headers: list[str] | None = None
    query_string: bool
    query_string_cache_keys: list[str] | None = None


class Behavior(_Cfn):
    """A cache behavior's own settings (``behavior``); v3 adds the origin and the functions."""

    allowed_methods: Annotated[list[str], _method_set(2, 3, 7)] | None = None
    cached_methods: Annotated[list[str], _method_set(2, 3)] | None = None
    cache_policy_id: str | None = None
    compress: bool | None = None
    field_level_encryption_id: str | None = None
    origin_request_policy_id: _Text | None = None
    response_headers_policy_id: _Text | None = None
    smooth_streaming: bool | None = None
    trusted_signers: list[str] | None = None
    viewer_protocol_policy: Literal["allow-all", "redirect-to-https", "https-only"] | None = None
    trusted_key_groups: list[str | Intrinsic] | None = None
    max_ttl: int | float | None = Field(default=None, alias="MaxTTL")
    min_ttl: int | float | None = Field(default=None, alias="MinTTL")
    default_ttl: int | float | None = Field(default=None, alias="DefaultTTL")
    forwarded_values: ForwardedValues | None = None

    @property
    def sets_caching(self) -> bool:
        """Caching of its own, so v3 adds no default cache policy."""
        ttls = (self.max_ttl, self.min_ttl, self.default_ttl)
        return (
            bool(self.cache_policy_id)
            or self.forwarded_values is not None
            or any(t is not None for t in ttls)
        )


class CachePolicyRef(Base):
    """``cachePolicy``: a policy's id, or the name of one of ``provider.cloudFront.cachePolicies``."""

    id: _Text | None = None
    name: Annotated[str, Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one(self) -> CachePolicyRef:
        if (self.id is None) == (self.name is None):
            raise ValueError("cachePolicy needs exactly one of id and name")
        return self


EventTypeName = Literal["viewer-request", "origin-request", "origin-response", "viewer-response"]


class CloudFrontEvent(Base):
    behavior: Behavior | None = None
    cache_policy: CachePolicyRef | None = None
    event_type: EventTypeName | None = None
    is_default_origin: bool | None = None
    include_body: bool | None = None
    origin: Annotated[str, AfterValidator(_origin_url)] | Origin
    path_pattern: Annotated[str, Field(pattern=r"^([A-Za-z0-9_.*?$/~\"'@:+-]|&amp;)+$")] | None = None

    @property
    def limits_key(self) -> str:
        """The key of :data:`EDGE_LIMITS` for this event."""
        return self.event_type or "default"


class _CookiesConfig(_Cfn):
    cookie_behavior: Literal["none", "whitelist", "allExcept", "all"]
    cookies: list[str] | None = None


class _HeadersConfig(_Cfn):
    header_behavior: Literal["none", "whitelist"]
    headers: list[str] | None = None


class _QueryStringsConfig(_Cfn):
    query_string_behavior: Literal["none", "whitelist", "allExcept", "all"]
    query_strings: list[str] | None = None


class _CacheKeyParameters(_Cfn):
    cookies_config: _CookiesConfig
    enable_accept_encoding_brotli: bool | None = None
    enable_accept_encoding_gzip: bool
    headers_config: _HeadersConfig
    query_strings_config: _QueryStringsConfig


class CachePolicyConfig(_Cfn):
    """One of ``provider.cloudFront.cachePolicies`` (a ``CachePolicyConfig`` without ``Name``)."""

    comment: str | None = None
    default_ttl: Annotated[int, Field(ge=0)] = Field(alias="DefaultTTL")
    max_ttl: Annotated[int, Field(ge=0)] = Field(alias="MaxTTL")
    min_ttl: Annotated[int, Field(ge=0)] = Field(alias="MinTTL")
    parameters_in_cache_key_and_forwarded_to_origin: _CacheKeyParameters


class CloudFrontConfig(Base):
    """``provider.cloudFront``."""

    cache_policies: dict[str, CachePolicyConfig] | None = None
