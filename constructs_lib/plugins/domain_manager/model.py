"""serverless-domain-manager's keys (10.3.1): ``custom.customDomain`` and ``custom.customDomains``
(a list; an item may hold ``rest``/``http``/``websocket`` settings of its own), validated like ours
(located errors, did-you-mean), then read as the plugin reads them (its ``DomainConfig``)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Discriminator, Tag
from pydantic.alias_generators import to_camel

from constructs_lib.config.schema import Base
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode, validate
from constructs_lib.errors import ConfigError, ErrorGroup, SchemaError, SlsCdkError, did_you_mean

__all__ = ["Domain", "domains"]

ENDPOINT_TYPES = ("EDGE", "REGIONAL", "PRIVATE")
API_TYPES = ("REST", "HTTP", "WEBSOCKET")
ROUTING_POLICIES = ("simple", "latency", "weighted")
#: the plugin's legacy names of security policies
TLS_VERSIONS = {"tls_1_0": "TLS_1_0", "tls_1_2": "TLS_1_2", "tls_1_3": "TLS_1_3"}
DEFAULT_BASE_PATH = "(none)"

#: evaluateBoolean: a boolean, or one of these written as text or a number
Flag = bool | str | int


class Route53Params(Base):
    routing_policy: str | None = None
    weight: int | None = None
    set_identifier: str | None = None
    health_check_id: str | None = None


class CustomDomain(Base):
    """One domain's settings (the plugin's ``CustomDomain`` type)."""

    domain_name: str
    base_path: str | None = None
    stage: str | None = None
    certificate_name: str | None = None
    certificate_arn: str | None = None
    create_route53_record: Flag | None = None
    create_route53_i_pv6_record: Flag | None = None
    route53_profile: str | None = None
    route53_region: str | None = None
    endpoint_type: str | None = None
    api_type: str | None = None
    tls_truststore_uri: str | None = None
    tls_truststore_version: str | None = None
    hosted_zone_id: str | None = None
    hosted_zone_private: bool | None = None
    split_horizon_dns: Flag | None = None
    enabled: Flag | None = None
    security_policy: str | None = None
    auto_domain: Flag | None = None
    auto_domain_wait_for: str | int | None = None
    allow_path_matching: bool | None = None
    route53_params: Route53Params | None = None
    preserve_external_path_mappings: Flag | None = None


class PerApiType(Base):
    """A ``customDomains`` item written per API type."""

    rest: CustomDomain | None = None
    http: CustomDomain | None = None
    websocket: CustomDomain | None = None


def _shape(value: Any) -> str:
    """An item holding ``rest``, ``http`` or ``websocket`` is written per API type (as the plugin
    decides: by those keys)."""
    if isinstance(value, dict) and any(k in value for k in ("rest", "http", "websocket")):
        return "per-api-type"
    return "one"


Item = Annotated[
    Annotated[PerApiType, Tag("per-api-type")] | Annotated[CustomDomain, Tag("one")],
    Discriminator(_shape),
]


class _Custom(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, alias_generator=to_camel, populate_by_name=True)
    custom_domain: Item | None = None
    custom_domains: list[Item] | None = None


class _Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    custom: _Custom | None = None


@dataclass(frozen=True)
class Domain:
    """A domain as the plugin's ``DomainConfig`` has it once read (``path``: where it is written)."""

    name: str
    path: tuple[str | int, ...]
    api_type: str
    endpoint_type: str
    base_path: str
    stage: str
    certificate_name: str | None
    certificate_arn: str | None
    security_policy: str
    create_record: bool
    create_ipv6_record: bool
    hosted_zone_id: str | None
    hosted_zone_private: bool | None
    split_horizon_dns: bool
    route53_profile: str | None
    route53_region: str | None
    routing_policy: str
    set_identifier: str | None
    weight: int
    health_check_id: str | None
    tls_truststore_uri: str | None
    tls_truststore_version: str | None


def _alias(model: type[BaseModel], field: str) -> str:
    return model.model_fields[field].alias or field


class _Reader:
    """Reads one validated :class:`CustomDomain` written at ``path``; problems go to ``errors``."""

    def __init__(self, sources: SourceMap, path: tuple[str | int, ...], errors: list[SlsCdkError]) -> None:
        self.sources, self.path, self.errors = sources, path, errors

    def error(self, key: str | tuple[str, ...], message: str, hint: str | None = None) -> None:
        where = (*self.path, *((key,) if isinstance(key, str) else key))
        self.errors.append(SchemaError(message, location=self.sources.locate(where), path=where, hint=hint))

    def flag(self, cfg: CustomDomain, field: str, default: bool) -> bool:
        value = getattr(cfg, field)
        if value is None:
            return default
        text = str(value).lower().strip()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        self.error(_alias(CustomDomain, field), f"ambiguous boolean {value!r}: write true or false")
        return default

    def choice(self, cfg: CustomDomain, field: str, allowed: tuple[str, ...], default: str) -> str:
        value = getattr(cfg, field)
        if value is None:
            return default
        for option in allowed:
            if value.lower() == option.lower():
                return option
        guess = did_you_mean(value.lower(), [option.lower() for option in allowed])
        hint = f"did you mean {guess.upper()!r}?" if guess else None
        self.error(_alias(CustomDomain, field), f"{value!r} is not one of {', '.join(allowed)}", hint)
        return default


def _read(cfg: CustomDomain, reader: _Reader, api_type: str | None, stage: str) -> Domain | None:
    if not reader.flag(cfg, "enabled", True):
        return None
    kind = api_type or reader.choice(cfg, "api_type", API_TYPES, "REST")
    endpoint = reader.choice(cfg, "endpoint_type", ENDPOINT_TYPES, "EDGE")
    base_path = cfg.base_path if cfg.base_path and cfg.base_path.strip() else DEFAULT_BASE_PATH
    if kind == "HTTP" and (base_path == DEFAULT_BASE_PATH or not cfg.stage):
        domain_stage = "$default"
    else:
        domain_stage = cfg.stage or stage
    if kind != "REST" and endpoint != "REGIONAL":
        reader.error("endpointType", f"{endpoint} endpoints do not serve {kind} APIs: use REGIONAL")
    params = cfg.route53_params or Route53Params()
    policy = (params.routing_policy or "simple").lower()
    if policy not in ROUTING_POLICIES:
        guess = did_you_mean(policy, ROUTING_POLICIES)
        hint = f"did you mean {guess!r}?" if guess else None
        reader.error(
            ("route53Params", "routingPolicy"),
            f"{policy!r} is not one of {', '.join(ROUTING_POLICIES)}",
            hint,
        )
    elif policy != "simple" and endpoint != "REGIONAL":
        reader.error(
            ("route53Params", "routingPolicy"), f"{policy} routing needs a REGIONAL endpoint, not {endpoint}"
        )
    _check_truststore(cfg, reader, endpoint)
    reader.flag(cfg, "auto_domain", False)  # deploy-time settings: checked as the plugin reads them
    reader.flag(cfg, "preserve_external_path_mappings", False)
    return Domain(
        name=cfg.domain_name,
        path=reader.path,
        api_type=kind,
        endpoint_type=endpoint,
        base_path=base_path,
        stage=domain_stage,
        certificate_name=cfg.certificate_name,
        certificate_arn=cfg.certificate_arn,
        security_policy=TLS_VERSIONS.get(cfg.security_policy or "tls_1_2", cfg.security_policy or ""),
        create_record=reader.flag(cfg, "create_route53_record", True),
        create_ipv6_record=reader.flag(cfg, "create_route53_i_pv6_record", True),
        hosted_zone_id=cfg.hosted_zone_id,
        hosted_zone_private=cfg.hosted_zone_private,
        split_horizon_dns=not cfg.hosted_zone_id
        and not cfg.hosted_zone_private
        and reader.flag(cfg, "split_horizon_dns", False),
        route53_profile=cfg.route53_profile,
        route53_region=cfg.route53_region,
        routing_policy=policy,
        set_identifier=params.set_identifier,
        weight=200 if params.weight is None else params.weight,
        health_check_id=params.health_check_id,
        tls_truststore_uri=cfg.tls_truststore_uri,
        tls_truststore_version=cfg.tls_truststore_version,
    )


def _check_truststore(cfg: CustomDomain, reader: _Reader, endpoint: str) -> None:
    uri = cfg.tls_truststore_uri
    if not uri:
        return
    if endpoint != "REGIONAL":
        reader.error("tlsTruststoreUri", f"{endpoint} endpoints do not support mutual TLS: use REGIONAL")
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc or not parsed.path.strip("/"):
        reader.error("tlsTruststoreUri", f"{uri!r} is not an S3 URI (s3://bucket/key)")


def domains(
    data: Mapping[str, Any], sources: SourceMap, *, stage: str, mode: ValidationMode
) -> tuple[list[Domain], list[SlsCdkError]]:
    """The enabled domains of a resolved serverless.yml, and the warnings of their keys; every
    error at once (an :class:`ErrorGroup`). No ``customDomain``/``customDomains``: an error."""
    custom = data.get("custom")
    subset = {
        key: copy.deepcopy(custom[key])
        for key in ("customDomain", "customDomains")
        if isinstance(custom, dict) and custom.get(key) is not None
    }
    if not subset:
        raise ConfigError(
            "serverless-domain-manager: no custom.customDomain or custom.customDomains to act on",
            location=sources.locate(("custom",)),
            path=("custom",),
            hint="add custom.customDomain.domainName (the plugin's settings of the domain)",
        )
    settings, warnings = validate(_Settings, {"custom": subset}, sources, unknown_keys=mode)
    assert settings.custom is not None
    written: list[tuple[tuple[str | int, ...], PerApiType | CustomDomain]] = []
    if settings.custom.custom_domain is not None:
        written.append((("custom", "customDomain"), settings.custom.custom_domain))
    for i, item in enumerate(settings.custom.custom_domains or []):
        written.append((("custom", "customDomains", i), item))
    errors: list[SlsCdkError] = []
    out: list[Domain] = []
    for path, item in written:
        if isinstance(item, PerApiType):
            for kind in ("rest", "http", "websocket"):
                cfg = getattr(item, kind)
                if cfg is not None:
                    found = _read(cfg, _Reader(sources, (*path, kind), errors), kind.upper(), stage)
                    out.extend([found] if found else [])
        else:
            found = _read(item, _Reader(sources, path, errors), None, stage)
            out.extend([found] if found else [])
    ErrorGroup.raise_if_any(errors)
    return out, list(warnings)
