"""``cloudwatchLog`` event: a subscription filter on a log group."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base

__all__ = ["CloudwatchLogEvent"]

_LOG_GROUP = r"^[/#A-Za-z0-9-_.]+$"


class CloudwatchLogEvent(Base):
    log_group: Annotated[str, Field(pattern=_LOG_GROUP)]
    filter: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        return {"logGroup": value} if isinstance(value, str) else value
