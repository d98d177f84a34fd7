"""Event types: each one is a small package holding its model (importable without aws_cdk) and,
in ``construct.py``, the code that builds its resources.

Adding an event type = a new package + one line in :data:`REGISTRY`. Event types that Serverless v3
knows and we do not translate yet are listed in :data:`NOT_SUPPORTED_YET`: they are a clear error,
never silently dropped.
"""

from __future__ import annotations

import importlib
from typing import Any

from .http_api import HttpApiEvent

#: event key in serverless.yml -> (model class, module holding ``build``)
REGISTRY: dict[str, tuple[type[Any], str]] = {
    "httpApi": (HttpApiEvent, "constructs_lib.events.http_api.construct"),
}

#: Event types of Serverless v3 that are not translated yet.
NOT_SUPPORTED_YET: tuple[str, ...] = (
    "http",
    "websocket",
    "alb",
    "schedule",
    "sns",
    "sqs",
    "stream",
    "s3",
    "eventBridge",
    "cloudwatchEvent",
    "cloudwatchLog",
    "cognitoUserPool",
    "iot",
    "iotFleetProvisioning",
    "alexaSkill",
    "alexaSmartHome",
    "msk",
    "kafka",
    "activemq",
    "rabbitmq",
)


def builder(event_type: str) -> Any:
    """The ``build`` function of an event type (imports aws_cdk on first use)."""
    return importlib.import_module(REGISTRY[event_type][1]).build
