"""``stream`` event: DynamoDB or Kinesis streams (with an optional enhanced fan-out consumer)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import ArnOrCfn, ArnText, FilterPatterns

__all__ = ["StreamEvent"]


class OnFailure(Base):
    arn: ArnOrCfn
    type: Literal["sns", "sqs"] | None = None

    @model_validator(mode="after")
    def _type_for_intrinsics(self) -> OnFailure:
        if isinstance(self.arn, dict) and self.type is None:
            raise ValueError("'type' (sns or sqs) is needed when 'arn' is a CloudFormation function")
        return self


class StreamDestinations(Base):
    on_failure: ArnText | OnFailure


class StreamEvent(Base):
    """``stream: arn:...`` or the object form."""

    arn: ArnOrCfn
    type: Literal["dynamodb", "kinesis"] | None = None
    batch_size: Annotated[int, Field(ge=1, le=10000)] | None = None
    parallelization_factor: Annotated[int, Field(ge=1, le=10)] | None = None
    starting_position: Literal["LATEST", "TRIM_HORIZON", "AT_TIMESTAMP"] | None = None
    starting_position_timestamp: float | None = None
    enabled: bool | None = None
    consumer: Literal[True] | ArnOrCfn | None = None
    batch_window: Annotated[int, Field(ge=0, le=300)] | None = None
    maximum_retry_attempts: Annotated[int, Field(ge=-1, le=10000)] | None = None
    bisect_batch_on_function_error: bool | None = None
    maximum_record_age_in_seconds: Literal[-1] | Annotated[int, Field(ge=60, le=604800)] | None = None
    function_response_type: Literal["ReportBatchItemFailures"] | None = None
    destinations: StreamDestinations | None = None
    tumbling_window_in_seconds: Annotated[int, Field(ge=0, le=900)] | None = None
    filter_patterns: FilterPatterns | None = None

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        return {"arn": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _type_for_intrinsics(self) -> StreamEvent:
        if isinstance(self.arn, str) and "/" not in self.arn.split(":", 5)[5]:
            raise ValueError(
                f"{self.arn!r} is not a stream ARN (a Kinesis stream/<name> or a DynamoDB "
                "table/<name>/stream/<label>)"
            )
        if isinstance(self.arn, dict) and self.type is None:
            raise ValueError("'type' (dynamodb or kinesis) is needed when 'arn' is a CloudFormation function")
        if (
            self.consumer
            and self.starting_position == "AT_TIMESTAMP"
            and self.starting_position_timestamp is None
        ):
            raise ValueError("startingPosition AT_TIMESTAMP needs startingPositionTimestamp")
        return self

    @property
    def stream_type(self) -> str:
        return self.type or str(self.arn).split(":")[2]

    @property
    def stream_name(self) -> str:
        arn = self.arn
        if isinstance(arn, dict):
            if "Fn::GetAtt" in arn:
                return str(arn["Fn::GetAtt"][0])
            if "Fn::ImportValue" in arn:
                return str(arn["Fn::ImportValue"])
            if "Ref" in arn:
                return str(arn["Ref"])
            if "Fn::Join" in arn:
                return str(arn["Fn::Join"][1][-1]).split("/")[-1]
            raise ValueError("stream arn must be text, Fn::GetAtt, Fn::ImportValue, Ref or Fn::Join")
        return arn.split("/")[1]
