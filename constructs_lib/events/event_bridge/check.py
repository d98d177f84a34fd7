"""``eventBridge`` checks at load (no CDK): only the native CloudFormation integration is built."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib.errors import SlsCdkError
from constructs_lib.events.event_bridge import EventBridgeEvent
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check"]


def check(sites: Sequence[EventSite[EventBridgeEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    options = ctx.service.provider.event_bridge
    if options is None or options.use_cloud_formation is not False:
        return []
    return [
        ctx.error(
            "provider.eventBridge.useCloudFormation: false (v3's custom-resource integration) is not "
            "supported; remove it to use native CloudFormation rules",
            ("provider", "eventBridge", "useCloudFormation"),
        )
    ]
