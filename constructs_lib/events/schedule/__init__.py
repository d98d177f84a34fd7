"""``schedule`` event: EventBridge rules (default) or EventBridge Scheduler schedules."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import Intrinsic, ListOf

__all__ = ["ScheduleEvent"]

_RATE = r"^rate\((?:1 (?:minute|hour|day)|(?:1\d+|[2-9]\d*) (?:minute|hour|day)s)\)$"
_CRON = r"^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$"
_SCHEDULE = re.compile(f"{_RATE}|{_CRON}")


def _expression(value: Any) -> Any:
    if isinstance(value, str) and not _SCHEDULE.match(value):
        raise ValueError(
            f"schedule {value!r} must be rate(N unit[s]) or cron(6 fields), e.g. 'rate(5 minutes)'"
        )
    return value


class InputTransformer(Base):
    input_template: Annotated[str, Field(min_length=1, max_length=8192)]
    input_paths_map: dict[str, Any] | None = None


class ScheduleEvent(Base):
    """``schedule: rate(...)`` / ``cron(...)`` or the object form."""

    rate: ListOf[str | Intrinsic] = Field(min_length=1)
    enabled: bool | None = None
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"[\.\-_A-Za-z0-9]+")] | None = None
    description: Annotated[str, Field(max_length=512)] | None = None
    input: str | dict[str, Any] | None = None
    input_path: Annotated[str, Field(max_length=256)] | None = None
    input_transformer: InputTransformer | None = None
    method: Literal["eventBus", "scheduler"] = "eventBus"
    timezone: Annotated[str, Field(pattern=r"[\w\-\/]+")] | None = None

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"rate": [value]}
        return value

    @field_validator("rate")
    @classmethod
    def _rates(cls, value: list[Any]) -> list[Any]:
        return [_expression(v) for v in value]

    @model_validator(mode="after")
    def _method_rules(self) -> ScheduleEvent:
        if len(self.rate) > 1 and self.name:
            raise ValueError("a name cannot be given with more than one rate expression")
        if self.method == "scheduler":
            if self.input_transformer is not None:
                raise ValueError("inputTransformer is not supported with method: scheduler")
            if self.input_path:
                raise ValueError("inputPath is not supported with method: scheduler")
        elif self.timezone:
            raise ValueError("timezone is only supported with method: scheduler")
        return self
