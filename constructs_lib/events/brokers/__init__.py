"""``msk``, ``kafka`` (self-managed), ``activemq`` and ``rabbitmq`` events: event source mappings
from streaming and message brokers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import ArnText, FilterPatterns

__all__ = ["ActiveMqEvent", "KafkaEvent", "MskEvent", "RabbitMqEvent"]

Position = Literal["LATEST", "TRIM_HORIZON", "AT_TIMESTAMP"]
ConsumerGroup = Annotated[str, Field(max_length=200, pattern=r"[a-zA-Z0-9-/*:_+=.@-]*")]
_SECRET = r"arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d+:secret:[A-Za-z0-9/_+=.@-]+"
Secret = Annotated[str, Field(pattern=_SECRET)]
_REF_OR_IMPORT = "an ARN, Fn::ImportValue or Ref"


def _ref_or_import(value: Any) -> Any:
    if isinstance(value, dict) and set(value) not in ({"Ref"}, {"Fn::ImportValue"}):
        raise ValueError(f"expected {_REF_OR_IMPORT}")
    return value


class _Batching(Base):
    batch_size: Annotated[int, Field(ge=1, le=10000)] | None = None
    maximum_batching_window: Annotated[int, Field(ge=0, le=300)] | None = None
    enabled: bool | None = None
    filter_patterns: FilterPatterns | None = None


class _Positioned(_Batching):
    starting_position: Position | None = None
    starting_position_timestamp: float | None = None
    topic: str
    consumer_group_id: ConsumerGroup | None = None

    @model_validator(mode="after")
    def _timestamp(self) -> _Positioned:
        if (
            self.starting_position or "TRIM_HORIZON"
        ) == "AT_TIMESTAMP" and self.starting_position_timestamp is None:
            raise ValueError("startingPosition AT_TIMESTAMP needs startingPositionTimestamp")
        return self


class MskEvent(_Positioned):
    arn: ArnText | dict[str, Any]
    sasl_scram512: ArnText | None = None

    @model_validator(mode="after")
    def _arn(self) -> MskEvent:
        _ref_or_import(self.arn)
        return self

    @property
    def cluster_name(self) -> str:
        if isinstance(self.arn, dict):
            return str(self.arn.get("Fn::ImportValue") or self.arn.get("Ref"))
        return self.arn.split("/")[1]


class KafkaAccess(Base):
    vpc_subnet: list[Annotated[str, Field(pattern=r"subnet-[a-z0-9]+")]] | None = Field(
        default=None, min_length=1
    )
    vpc_security_group: list[Annotated[str, Field(pattern=r"sg-[a-z0-9]+")]] | None = Field(
        default=None, min_length=1
    )
    sasl_plain_auth: list[Secret] | None = Field(default=None, min_length=1)
    sasl_scram256_auth: list[Secret] | None = Field(default=None, min_length=1)
    sasl_scram512_auth: list[Secret] | None = Field(default=None, min_length=1)
    client_certificate_tls_auth: list[Secret] | None = Field(default=None, min_length=1)
    server_root_ca_certificate: list[Secret] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _vpc_pair(self) -> KafkaAccess:
        if (self.vpc_subnet is None) != (self.vpc_security_group is None):
            missing = "vpcSubnet" if self.vpc_subnet is None else "vpcSecurityGroup"
            raise ValueError(
                f"give at least one {missing} too (VPC access needs subnets and security groups)"
            )
        return self


class KafkaEvent(_Positioned):
    access_configurations: dict[str, list[str]]
    """Kept as written (v3 emits the access configurations in the order of the keys)."""
    bootstrap_servers: list[str] = Field(min_length=1)

    @field_validator("access_configurations")
    @classmethod
    def _access(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if not value:
            raise ValueError("accessConfigurations needs at least one entry")
        KafkaAccess.model_validate(value)
        return value


class ActiveMqEvent(_Batching):
    arn: (
        Annotated[
            str, Field(pattern=r"arn:[a-z-]+:mq:[a-z0-9-]+:\d+:broker:[A-Za-z0-9/_+=.@-]+:b-[a-z0-9-]+")
        ]
        | dict[str, Any]
    )
    basic_auth_arn: Secret | dict[str, Any]
    queue: str

    @model_validator(mode="after")
    def _refs(self) -> ActiveMqEvent:
        _ref_or_import(self.arn)
        _ref_or_import(self.basic_auth_arn)
        return self


class RabbitMqEvent(ActiveMqEvent):
    virtual_host: str | None = None
