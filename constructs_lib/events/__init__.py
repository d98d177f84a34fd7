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

from constructs_lib.events.alb import AlbEvent
from constructs_lib.events.alexa import AlexaSkillEvent, AlexaSmartHomeEvent
from constructs_lib.events.brokers import ActiveMqEvent, KafkaEvent, MskEvent, RabbitMqEvent
from constructs_lib.events.cloudwatch_event import CloudwatchEventEvent
from constructs_lib.events.cloudwatch_log import CloudwatchLogEvent
from constructs_lib.events.cognito import CognitoUserPoolEvent
from constructs_lib.events.event_bridge import EventBridgeEvent
from constructs_lib.events.http import HttpEvent
from constructs_lib.events.http_api import HttpApiEvent
from constructs_lib.events.iot import IotEvent, IotFleetProvisioningEvent
from constructs_lib.events.s3 import S3Event
from constructs_lib.events.schedule import ScheduleEvent
from constructs_lib.events.sns import SnsEvent
from constructs_lib.events.sqs import SqsEvent
from constructs_lib.events.stream import StreamEvent
from constructs_lib.events.websocket import WebsocketEvent

__all__ = ["NOT_SUPPORTED_YET", "REGISTRY", "EventSite", "builder"]

_E = "constructs_lib.events"

#: event key in serverless.yml -> (model class, ``module[:function]`` that builds it), in v3's
#: compile order (``lib/plugins/index.js``)
REGISTRY: dict[str, tuple[type[Any], str]] = {
    "schedule": (ScheduleEvent, f"{_E}.schedule.construct"),
    "s3": (S3Event, f"{_E}.s3.construct"),
    "http": (HttpEvent, f"{_E}.http.construct"),
    "websocket": (WebsocketEvent, f"{_E}.websocket.construct"),
    "sns": (SnsEvent, f"{_E}.sns.construct"),
    "stream": (StreamEvent, f"{_E}.stream.construct"),
    "kafka": (KafkaEvent, f"{_E}.brokers.construct:build_kafka"),
    "activemq": (ActiveMqEvent, f"{_E}.brokers.construct:build_activemq"),
    "rabbitmq": (RabbitMqEvent, f"{_E}.brokers.construct:build_rabbitmq"),
    "msk": (MskEvent, f"{_E}.brokers.construct:build_msk"),
    "alb": (AlbEvent, f"{_E}.alb.construct"),
    "alexaSkill": (AlexaSkillEvent, f"{_E}.alexa.construct:build_skill"),
    "alexaSmartHome": (AlexaSmartHomeEvent, f"{_E}.alexa.construct:build_smart_home"),
    "iot": (IotEvent, f"{_E}.iot.construct:build_iot"),
    "iotFleetProvisioning": (IotFleetProvisioningEvent, f"{_E}.iot.construct:build_fleet_provisioning"),
    "cloudwatchEvent": (CloudwatchEventEvent, f"{_E}.cloudwatch_event.construct"),
    "cloudwatchLog": (CloudwatchLogEvent, f"{_E}.cloudwatch_log.construct"),
    "cognitoUserPool": (CognitoUserPoolEvent, f"{_E}.cognito.construct"),
    "eventBridge": (EventBridgeEvent, f"{_E}.event_bridge.construct"),
    "sqs": (SqsEvent, f"{_E}.sqs.construct"),
    "httpApi": (HttpApiEvent, f"{_E}.http_api.construct"),
}

#: Event types of Serverless v3 that are not translated yet.
NOT_SUPPORTED_YET: tuple[str, ...] = ("cloudFront",)


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
    module, _, function = REGISTRY[event_type][1].partition(":")
    return getattr(importlib.import_module(module), function or "build")
