"""``eventBridge`` event: a rule on the default bus, a bus this stack creates, or an existing one."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import ArnOrCfn, InputTransformer, one_input

__all__ = ["EventBridgeEvent"]

_PATTERN_KEYS = (
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
    "$or",
)


class RetryPolicy(Base):
    maximum_event_age: Annotated[int, Field(ge=60, le=86400)] | None = None
    maximum_retry_attempts: Annotated[int, Field(ge=0, le=185)] | None = None


class EventBridgeEvent(Base):
    event_bus: Annotated[str, Field(min_length=1)] | dict[str, Any] | None = None
    schedule: Annotated[str, Field(pattern=r"^(?:cron|rate)\(.+\)$")] | None = None
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"[a-zA-Z0-9-_.]+")] | None = None
    description: Annotated[str, Field(max_length=512)] | None = None
    enabled: bool | None = None
    pattern: dict[str, Any] | None = None
    input: dict[str, Any] | None = None
    input_path: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    input_transformer: InputTransformer | None = None
    retry_policy: RetryPolicy | None = None
    dead_letter_queue_arn: ArnOrCfn | None = None

    @model_validator(mode="after")
    def _rules(self) -> EventBridgeEvent:
        if self.pattern is None and self.schedule is None:
            raise ValueError("an eventBridge event needs a 'pattern' or a 'schedule'")
        unknown = [k for k in self.pattern or {} if k not in _PATTERN_KEYS]
        if unknown:
            raise ValueError(f"pattern key {unknown[0]!r} is not one of {', '.join(_PATTERN_KEYS)}")
        one_input(self.input, self.input_path, self.input_transformer)
        bus = self.event_bus
        if isinstance(bus, str) and bus.startswith("arn") and ":event-bus/" not in bus:
            raise ValueError(f"eventBus {bus!r} is not an event bus ARN (arn:...:event-bus/<name>)")
        if isinstance(bus, dict) and not (
            set(bus) in ({"Ref"}, {"Fn::ImportValue"})
            or (set(bus) == {"Fn::GetAtt"} and len(bus["Fn::GetAtt"]) == 2 and bus["Fn::GetAtt"][1] == "Name")
        ):
            raise ValueError(
                "eventBus must be a name, an ARN, Ref, Fn::ImportValue or Fn::GetAtt [bus, Name]"
            )
        return self
