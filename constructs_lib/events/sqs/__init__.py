"""``sqs`` event: an event source mapping from a queue."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import ArnOrCfn, FilterPatterns

__all__ = ["SqsEvent"]


class SqsEvent(Base):
    """``sqs: arn:...`` or ``{arn, batchSize, maximumBatchingWindow, ...}``."""

    arn: ArnOrCfn
    batch_size: Annotated[int, Field(ge=1, le=10000)] | None = None
    enabled: bool | None = None
    maximum_batching_window: Annotated[int, Field(ge=0, le=300)] | None = None
    function_response_type: Literal["ReportBatchItemFailures"] | None = None
    filter_patterns: FilterPatterns | None = None
    maximum_concurrency: Annotated[int, Field(ge=2, le=1000)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        return {"arn": value} if isinstance(value, str) else value

    @property
    def queue_name(self) -> str:
        """What v3 names the mapping after: the queue's name, logical ID or import."""
        arn = self.arn
        if isinstance(arn, dict):
            if "Fn::GetAtt" in arn:
                return str(arn["Fn::GetAtt"][0])
            if "Fn::ImportValue" in arn:
                return str(arn["Fn::ImportValue"])
            if "Fn::Join" in arn:
                return str(arn["Fn::Join"][1][-1])
            raise ValueError("sqs arn must be text, Fn::GetAtt, Fn::ImportValue or Fn::Join")
        return arn.split(":")[-1]
