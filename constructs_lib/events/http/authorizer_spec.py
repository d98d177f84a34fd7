"""v3's ``getAuthorizer`` (``validate.js``): one shape for all the ways an ``http`` event names its
authorizer, and what is wrong with it. Pure (no CDK): ``check`` reports the problem, the builders
use the shape (after ``check`` found none)."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field, replace
from typing import Any

from constructs_lib.events.http import HttpAuthorizer, HttpEvent

__all__ = ["Authorizer", "authorizer_of", "is_cognito_arn"]

_COGNITO_ARN = re.compile(r"^arn:[a-zA-Z-]*:cognito-idp")


def is_cognito_arn(arn: object) -> bool:
    """A Cognito user pool's ARN (written as text)."""
    return isinstance(arn, str) and _COGNITO_ARN.match(arn) is not None


@dataclass(frozen=True)
class Authorizer:
    """An ``http`` event's authorizer, normalized."""

    type: str | None = None
    name: str | None = None
    arn: Any = None
    """The authorizer's ARN: given, or (a function of the service) resolved at build."""
    function: str | None = None
    """The function of this service that authorizes (its ARN is known at build)."""
    logical_id: str | None = None
    """The alias of that function the API invokes (set at build, with its ARN)."""
    authorizer_id: Any = None
    result_ttl_in_seconds: int | None = None
    claims: list[str] = field(default_factory=list)
    scopes: list[Any] | None = None
    identity_source: str | None = None
    identity_validation_expression: str | None = None
    managed_externally: bool = False

    @property
    def kind(self) -> str:
        """The type, upper-cased ("" when none is given)."""
        return (self.type or "").upper()

    @property
    def is_cognito(self) -> bool:
        """A Cognito user pool authorizer (by type, or by the ARN it names)."""
        return self.kind == "COGNITO_USER_POOLS" or is_cognito_arn(self.arn)


def _name_from_arn(arn: str) -> str:
    """v3's ``extractAuthorizerNameFromArn``."""
    return arn.split(":")[-1].split("-")[-1]


def _from_text(raw: str) -> Authorizer:
    if raw.upper() == "AWS_IAM":
        return Authorizer(type="AWS_IAM")
    if ":" not in raw:
        return Authorizer(name=raw, function=raw)
    return Authorizer(name=_name_from_arn(raw), arn=raw)


def _from_object(raw: HttpAuthorizer) -> Authorizer | str:
    """The authorizer an object names, or what is wrong with it."""
    kind, authorizer_id, name, arn, function = raw.type, None, None, None, None
    if raw.type and raw.authorizer_id is not None:
        authorizer_id = raw.authorizer_id
    elif raw.type and raw.type.upper() == "AWS_IAM":
        kind = "AWS_IAM"
    elif raw.arn:
        arn = raw.arn
        if isinstance(raw.name, str):
            name = raw.name
        elif (raw.type or "").upper() == "COGNITO_USER_POOLS" and isinstance(raw.arn, dict):
            return "authorizers of type COGNITO_USER_POOLS with a CloudFormation ARN need a name"
        elif isinstance(raw.arn, str):
            name = _name_from_arn(raw.arn)
    elif raw.name:
        function = name = raw.name
    else:
        return "an http authorizer needs a name or an ARN"
    return Authorizer(
        type=kind,
        name=name,
        arn=arn,
        function=function,
        authorizer_id=authorizer_id,
        result_ttl_in_seconds=raw.result_ttl_in_seconds if raw.result_ttl_in_seconds is not None else 300,
        claims=raw.claims or [],
        scopes=raw.scopes,
        identity_source=raw.identity_source,
        identity_validation_expression=raw.identity_validation_expression,
        managed_externally=bool(raw.managed_externally),
    )


def authorizer_of(event: HttpEvent, functions: Container[str]) -> tuple[Authorizer | None, str | None]:
    """The event's authorizer (None: none) and, when it cannot be made, why (then no authorizer);
    ``functions`` are the service's function keys an authorizer may name."""
    raw = event.authorizer
    if raw is None:
        return None, None
    spec = _from_text(raw) if isinstance(raw, str) else _from_object(raw)
    if isinstance(spec, str):
        return None, spec
    if spec.function is not None and spec.function not in functions:
        return None, f"authorizer function {spec.function!r} is not a function of this service"
    if spec.arn is not None and spec.name is None:
        return None, "an http authorizer with a CloudFormation ARN needs a name"
    if not spec.identity_source and not (spec.kind == "REQUEST" and spec.result_ttl_in_seconds == 0):
        spec = replace(spec, identity_source="method.request.header.Authorization")
    if event.integration_type == "AWS_PROXY" and is_cognito_arn(spec.arn) and spec.claims:
        return None, "Cognito claims can only be filtered with the lambda integration"
    return spec, None
