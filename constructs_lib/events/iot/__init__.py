"""``iot`` (topic rules) and ``iotFleetProvisioning`` (pre-provisioning hook) events."""

from __future__ import annotations

from typing import Any, Literal

from constructs_lib.config.schema import Base
from constructs_lib.events.common import ArnOrCfn

__all__ = ["IotEvent", "IotFleetProvisioningEvent"]


class IotEvent(Base):
    sql: str
    sql_version: Literal["2015-10-08", "2016-03-23", "beta"] | None = None
    name: str | None = None
    enabled: bool | None = None
    description: str | None = None


class IotFleetProvisioningEvent(Base):
    enabled: bool | None = None
    provisioning_role_arn: ArnOrCfn
    template_body: dict[str, Any]
    template_name: str | None = None
