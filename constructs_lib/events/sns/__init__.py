"""``sns`` event: subscribe the function to a topic (created by name, or an existing ARN)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import ArnOrCfn, ArnText

__all__ = ["SnsEvent"]

_TOPIC_NAME = r"^[\w-]+$"


class DeadLetterImport(Base):
    arn: ArnText
    url: Annotated[str, Field(min_length=1)]


class RedrivePolicy(Base):
    dead_letter_target_arn: ArnText | None = None
    dead_letter_target_ref: Annotated[str, Field(min_length=1)] | None = None
    dead_letter_target_import: DeadLetterImport | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> RedrivePolicy:
        given = [
            v
            for v in (
                self.dead_letter_target_arn,
                self.dead_letter_target_ref,
                self.dead_letter_target_import,
            )
            if v is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of deadLetterTargetArn, deadLetterTargetRef, deadLetterTargetImport"
            )
        return self


class SnsEvent(Base):
    """``sns: topic-name`` / ``sns: arn:...`` / ``{arn | topicName, filterPolicy, redrivePolicy, ...}``."""

    arn: ArnOrCfn | None = None
    topic_name: Annotated[str, Field(max_length=256, pattern=_TOPIC_NAME)] | None = None
    display_name: Annotated[str, Field(min_length=1)] | None = None
    filter_policy: dict[str, Any] | None = None
    filter_policy_scope: str | None = None
    redrive_policy: RedrivePolicy | None = None
    text_form: bool = Field(default=False, alias="\x00text", exclude=True)
    """Written as ``sns: arn:...``: v3 then never sets the subscription's ``Region``."""

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.startswith("arn:"):
                return {"arn": value, "\x00text": True}
            if not re.match(_TOPIC_NAME, value) or len(value) > 256:
                raise ValueError(f"sns {value!r} must be a topic name ([A-Za-z0-9_-]) or a topic ARN")
            return {"topicName": value}
        return value

    @model_validator(mode="after")
    def _topic(self) -> SnsEvent:
        if self.arn is None and self.topic_name is None:
            raise ValueError("an sns event needs 'arn' or 'topicName'")
        if isinstance(self.arn, dict) and self.topic_name is None:
            raise ValueError("'topicName' is needed when 'arn' is a CloudFormation function")
        return self
