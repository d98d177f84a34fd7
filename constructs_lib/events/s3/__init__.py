"""``s3`` event: a bucket this stack creates, notifying the function, or (``existing: true``) a
bucket made elsewhere, wired by the ``Custom::S3`` custom resource as v3 does."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from constructs_lib.config.schema import Base

__all__ = ["BUCKET_NAME", "S3Event"]

#: v3's ``awsS3BucketName`` pattern.
BUCKET_NAME = re.compile(
    r"(?!^(\d{1,3}\.){3}\d{1,3}$)(^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$)"
)


class S3Event(Base):
    """``s3: bucket-name`` or ``{bucket, event, rules}``."""

    bucket: str | dict[str, Any]
    event: Annotated[str, Field(pattern=r"^s3:.+$")] = "s3:ObjectCreated:*"
    rules: list[dict[str, Any]] | None = None
    existing: bool = False
    force_deploy: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        return {"bucket": value} if isinstance(value, str) else value

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
        for rule in value or []:
            if len(rule) != 1 or next(iter(rule)) not in ("prefix", "suffix"):
                raise ValueError("each rule is one of {prefix: ...} or {suffix: ...}")
        return value

    @model_validator(mode="after")
    def _existing(self) -> S3Event:
        if isinstance(self.bucket, dict) and not self.existing:
            raise ValueError("a bucket given as a CloudFormation function must be existing: true")
        if self.force_deploy and not self.existing:
            raise ValueError("forceDeploy only applies to existing: true buckets")
        return self
