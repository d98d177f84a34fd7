"""Event types: each one is a small package holding its model (importable without aws_cdk) and,
in ``construct.py``, ``build(stack, sites)`` that makes its resources.

Adding an event type = a new package + one line in :data:`REGISTRY`. Builders run in v3's plugin
order (the order of :data:`REGISTRY`), each over all functions' events of its type, so logical
IDs, per-type counters and the order of IAM statements in the generated role match v3. Event types
Serverless v3 knows that we do not translate yet are listed in :data:`NOT_SUPPORTED_YET`: they are a
clear error, never silently dropped.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from .cloudwatch_event import CloudwatchEventEvent
from .cloudwatch_log import CloudwatchLogEvent
from .event_bridge import EventBridgeEvent
from .http_api import HttpApiEvent
from .s3 import S3Event
from .schedule import ScheduleEvent
from .sns import SnsEvent
from .sqs import SqsEvent
from .stream import StreamEvent

__all__ = ["NOT_SUPPORTED_YET", "REGISTRY", "EventSite", "builder"]

#: event key in serverless.yml -> (model class, module holding ``build``), in v3's compile order
REGISTRY: dict[str, tuple[type[Any], str]] = {
    "schedule": (ScheduleEvent, "constructs_lib.events.schedule.construct"),
    "s3": (S3Event, "constructs_lib.events.s3.construct"),
    "sns": (SnsEvent, "constructs_lib.events.sns.construct"),
    "stream": (StreamEvent, "constructs_lib.events.stream.construct"),
    "cloudwatchEvent": (CloudwatchEventEvent, "constructs_lib.events.cloudwatch_event.construct"),
    "cloudwatchLog": (CloudwatchLogEvent, "constructs_lib.events.cloudwatch_log.construct"),
    "eventBridge": (EventBridgeEvent, "constructs_lib.events.event_bridge.construct"),
    "sqs": (SqsEvent, "constructs_lib.events.sqs.construct"),
    "httpApi": (HttpApiEvent, "constructs_lib.events.http_api.construct"),
}

#: Event types of Serverless v3 that are not translated yet.
NOT_SUPPORTED_YET: tuple[str, ...] = (
    "http",
    "websocket",
    "alb",
    "cognitoUserPool",
    "iot",
    "iotFleetProvisioning",
    "alexaSkill",
    "alexaSmartHome",
    "msk",
    "kafka",
    "activemq",
    "rabbitmq",
    "cloudFront",
)


@dataclass(frozen=True)
class EventSite:
    """One event of one function, as a builder sees it."""

    function: Any  # constructs_lib.function.ServerlessFunction
    event: Any
    index: int
    """Position among all events of the function (0-based)."""
    ordinal: int
    """Position among the function's events of this type (1-based), as v3's counters."""


def builder(event_type: str) -> Any:
    """The ``build(stack, sites)`` function of an event type (imports aws_cdk on first use)."""
    return importlib.import_module(REGISTRY[event_type][1]).build
