"""``cloudwatchEvent`` event: the older name of an EventBridge rule on the default bus."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import InputTransformer, one_input

__all__ = ["CloudwatchEventEvent"]


class CloudwatchEventEvent(Base):
    event: dict[str, Any] | None = None
    input: Annotated[str, Field(max_length=8192)] | dict[str, Any] | None = None
    input_path: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    input_transformer: InputTransformer | None = None
    description: Annotated[str, Field(max_length=512)] | None = None
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"[a-zA-Z0-9-_.]+")] | None = None
    enabled: bool | None = None

    @model_validator(mode="after")
    def _one_input(self) -> CloudwatchEventEvent:
        one_input(self.input, self.input_path, self.input_transformer)
        return self
