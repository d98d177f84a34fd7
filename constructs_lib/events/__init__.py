"""Event types: each one is a small package holding its model and ``check(sites, ctx)``
(importable without aws_cdk, run by the loader) and, in ``construct.py``, ``build(ctx, sites)``
that makes its resources (CDK only, never a user error).

Adding an event type = a new package + one line in :data:`REGISTRY`. Checks and builders run in
v3's plugin order (the order of :data:`REGISTRY`), each over all functions' events of its type, so
logical IDs, per-type counters and the order of IAM statements in the generated role match v3.
Event types Serverless v3 knows that we do not translate yet are listed in
:data:`NOT_SUPPORTED_YET`: they are a clear error, never silently dropped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_lib.events.alb import AlbEvent
from constructs_lib.events.alb import check as alb_check
from constructs_lib.events.alexa import AlexaSkillEvent, AlexaSmartHomeEvent
from constructs_lib.events.brokers import ActiveMqEvent, KafkaEvent, MskEvent, RabbitMqEvent
from constructs_lib.events.cloud_front import CloudFrontEvent
from constructs_lib.events.cloud_front import check as cloud_front_check
from constructs_lib.events.cloudwatch_event import CloudwatchEventEvent
from constructs_lib.events.cloudwatch_log import CloudwatchLogEvent
from constructs_lib.events.cloudwatch_log import check as cloudwatch_log_check
from constructs_lib.events.cognito import CognitoUserPoolEvent
from constructs_lib.events.cognito import check as cognito_check
from constructs_lib.events.event_bridge import EventBridgeEvent
from constructs_lib.events.event_bridge import check as event_bridge_check
from constructs_lib.events.http import HttpEvent
from constructs_lib.events.http import check as http_check
from constructs_lib.events.http_api import HttpApiEvent
from constructs_lib.events.http_api import check as http_api_check
from constructs_lib.events.iot import IotEvent, IotFleetProvisioningEvent
from constructs_lib.events.iot import check as iot_check
from constructs_lib.events.s3 import S3Event
from constructs_lib.events.s3 import check as s3_check
from constructs_lib.events.schedule import ScheduleEvent
from constructs_lib.events.sites import CheckContext, EventSite
from constructs_lib.events.sns import SnsEvent
from constructs_lib.events.sqs import SqsEvent
from constructs_lib.events.stream import StreamEvent
from constructs_lib.events.stream import check as stream_check
from constructs_lib.events.websocket import WebsocketEvent
from constructs_lib.events.websocket import check as websocket_check

if TYPE_CHECKING:
    from constructs_lib.errors import SlsCdkError
    from constructs_lib.events.build_context import BuildContext

__all__ = ["NOT_SUPPORTED_YET", "REGISTRY", "Builder", "Checker", "EventType", "builder"]

#: ``check(sites, ctx)``: every user error of one event type's events, located (no CDK).
Checker = Callable[[Sequence[EventSite[Any]], CheckContext], "list[SlsCdkError]"]
#: ``build(ctx, sites)``: the event type's resources (CDK only).
Builder = Callable[["BuildContext", Sequence[EventSite[Any]]], None]


@dataclass(frozen=True)
class EventType:
    """One event type: its model, its check (None: the model says it all) and where its builder is
    (``module[:function]``, imported with aws_cdk on first use)."""

    model: type[Any]
    build: str
    check: Checker | None = None
    always: bool = False
    """Built even when no function has such an event (v3 makes ``provider.cloudFront`` cache
    policies regardless)."""


_E = "constructs_lib.events"

#: event key in serverless.yml -> its :class:`EventType`, in v3's compile order
#: (``lib/plugins/index.js``)
REGISTRY: dict[str, EventType] = {
    "schedule": EventType(ScheduleEvent, f"{_E}.schedule.construct"),
    "s3": EventType(S3Event, f"{_E}.s3.construct", s3_check.check),
    "http": EventType(HttpEvent, f"{_E}.http.construct", http_check.check),
    "websocket": EventType(WebsocketEvent, f"{_E}.websocket.construct", websocket_check.check),
    "sns": EventType(SnsEvent, f"{_E}.sns.construct"),
    "stream": EventType(StreamEvent, f"{_E}.stream.construct", stream_check.check),
    "kafka": EventType(KafkaEvent, f"{_E}.brokers.construct:build_kafka"),
    "activemq": EventType(ActiveMqEvent, f"{_E}.brokers.construct:build_activemq"),
    "rabbitmq": EventType(RabbitMqEvent, f"{_E}.brokers.construct:build_rabbitmq"),
    "msk": EventType(MskEvent, f"{_E}.brokers.construct:build_msk"),
    "alb": EventType(AlbEvent, f"{_E}.alb.construct", alb_check.check),
    "alexaSkill": EventType(AlexaSkillEvent, f"{_E}.alexa.construct:build_skill"),
    "alexaSmartHome": EventType(AlexaSmartHomeEvent, f"{_E}.alexa.construct:build_smart_home"),
    "iot": EventType(IotEvent, f"{_E}.iot.construct:build_iot"),
    "iotFleetProvisioning": EventType(
        IotFleetProvisioningEvent,
        f"{_E}.iot.construct:build_fleet_provisioning",
        iot_check.check_fleet_provisioning,
    ),
    "cloudwatchEvent": EventType(CloudwatchEventEvent, f"{_E}.cloudwatch_event.construct"),
    "cloudwatchLog": EventType(
        CloudwatchLogEvent, f"{_E}.cloudwatch_log.construct", cloudwatch_log_check.check
    ),
    "cognitoUserPool": EventType(CognitoUserPoolEvent, f"{_E}.cognito.construct", cognito_check.check),
    "eventBridge": EventType(EventBridgeEvent, f"{_E}.event_bridge.construct", event_bridge_check.check),
    "sqs": EventType(SqsEvent, f"{_E}.sqs.construct"),
    "cloudFront": EventType(CloudFrontEvent, f"{_E}.cloud_front.construct", cloud_front_check.check, True),
    "httpApi": EventType(HttpApiEvent, f"{_E}.http_api.construct", http_api_check.check),
}

#: Event types of Serverless v3 that are not translated yet.
NOT_SUPPORTED_YET: tuple[str, ...] = ()


def builder(event_type: str) -> Builder:
    """The ``build(ctx, sites)`` function of an event type (imports aws_cdk on first use)."""
    module, _, function = REGISTRY[event_type].build.partition(":")
    built: Builder = getattr(importlib.import_module(module), function or "build")
    return built
