"""``cloudwatchLog`` event: a subscription filter on a log group."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base

__all__ = ["LIMIT_PER_LOG_GROUP", "CloudwatchLogEvent", "log_group_name"]

_LOG_GROUP = r"^[/#A-Za-z0-9-_.]+$"
#: Subscription filters CloudWatch Logs allows per log group.
LIMIT_PER_LOG_GROUP = 2


class CloudwatchLogEvent(Base):
    log_group: Annotated[str, Field(pattern=_LOG_GROUP)]
    filter: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        return {"logGroup": value} if isinstance(value, str) else value


def log_group_name(event: CloudwatchLogEvent) -> str:
    """The log group as v3 writes it (line breaks removed)."""
    return re.sub(r"\r?\n", "", event.log_group)
