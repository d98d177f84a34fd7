"""``provider.iam``: the generated role's customisation and IAM policy statements."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_pascal

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.model.values import ArnOrCfn, Intrinsic, Tags
from constructs_lib.config.schema import Base, Coerced, ListOf, NotSupported, is_intrinsic

__all__ = ["Iam", "IamRole", "IamStatement", "ResourcePolicyStatement"]

_LOGICAL_RESOURCE_ID = re.compile(r"^[#A-Za-z0-9-_./]+[*]?$")


class IamStatement(Coerced):
    """One IAM policy statement, written with CloudFormation's PascalCase keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, alias_generator=to_pascal)

    sid: str | None = None
    effect: Literal["Allow", "Deny"]
    action: ListOf[str] | None = None
    not_action: ListOf[str] | None = None
    principal: JsonValue = None
    not_principal: JsonValue = None
    resource: JsonValue = None
    not_resource: JsonValue = None
    condition: JsonObject | None = None

    #: Strings v3's schema takes as a single Resource (others stay lists), see :meth:`_v3_coercion`.
    _single_resource: ClassVar[re.Pattern[str]] = _LOGICAL_RESOURCE_ID

    @field_validator("resource", "not_resource")
    @classmethod
    def _v3_coercion(cls, value: JsonValue) -> JsonValue:
        """v3's schema validator (ajv, ``coerceTypes: 'array'``) unwraps a one-item list whose item
        is an ARN or a logical-ID-like name into the bare string; ``['*']`` and intrinsics stay."""
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            item = value[0]
            if item.startswith("arn:") or cls._single_resource.match(item):
                return item
        return value

    @field_validator("principal", "not_principal")
    @classmethod
    def _principal_lists(cls, value: JsonValue) -> JsonValue:
        """Principal lists as v3's schema coerces them (``Service: x`` -> ``Service: [x]``)."""
        if isinstance(value, dict) and not is_intrinsic(value):
            out = dict(value)
            for key in ("Federated", "Service", "CanonicalUser"):
                if isinstance(out.get(key), str):
                    out[key] = [out[key]]
            if isinstance(out.get("AWS"), str) and out["AWS"] != "*":
                out["AWS"] = [out["AWS"]]
            return out
        return value

    @model_validator(mode="after")
    def _one_of_each(self) -> IamStatement:
        if (self.action is None) == (self.not_action is None):
            raise ValueError("a statement needs exactly one of Action and NotAction")
        if (self.resource is None) == (self.not_resource is None):
            raise ValueError("a statement needs exactly one of Resource and NotResource")
        return self

    def to_cfn(self) -> JsonObject:
        """The statement as v3 writes it (Action lists, everything else as given)."""
        return self.model_dump(by_alias=True, exclude_none=True)


class ResourcePolicyStatement(IamStatement):
    """A statement of an API Gateway resource policy (``execute-api:/...`` resources allowed)."""

    _single_resource: ClassVar[re.Pattern[str]] = re.compile(r"^execute-api:/")


class IamRole(Base):
    """``provider.iam.role`` as an object: customises the generated ``IamRoleLambdaExecution``."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9/_+=,.@-]{1,64}$")] | None = None
    path: Annotated[str, Field(pattern=r"(^\/$)|(^\/[\u0021-\u007f]+\/$)")] | None = None
    statements: list[IamStatement] | None = None
    managed_policies: list[ArnOrCfn] | None = None
    permissions_boundary: ArnOrCfn | None = None
    permission_boundary: ArnOrCfn | None = None
    tags: Tags | None = None


class Iam(Base):
    """``provider.iam``."""

    role: str | Intrinsic | IamRole | None = None
    deployment_role: NotSupported = None

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: JsonValue) -> JsonValue:
        if isinstance(value, dict) and not is_intrinsic(value):
            return IamRole.model_validate(value)
        return value

    @property
    def existing_role(self) -> str | JsonObject | None:
        """A role made elsewhere (ARN, logical ID or intrinsic); None means: generate one."""
        return self.role if isinstance(self.role, str | dict) else None

    @property
    def generated(self) -> IamRole:
        return self.role if isinstance(self.role, IamRole) else IamRole()
