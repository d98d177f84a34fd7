"""``iotFleetProvisioning`` checks at load (no CDK): one provisioning template per function
(its logical ID is ``<F>IotProvisioningTemplate``)."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib.errors import SlsCdkError
from constructs_lib.events.iot import IotFleetProvisioningEvent
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check_fleet_provisioning"]


def check_fleet_provisioning(
    sites: Sequence[EventSite[IotFleetProvisioningEvent]], ctx: CheckContext
) -> list[SlsCdkError]:
    errors: list[SlsCdkError] = []
    seen: set[str] = set()
    for site in sites:
        if site.key in seen:
            errors.append(
                ctx.error(
                    f"function {site.key!r} has more than one iotFleetProvisioning event",
                    ("functions", site.key, "events", site.index),
                )
            )
        seen.add(site.key)
    return errors
