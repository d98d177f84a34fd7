"""``s3`` event: a bucket this stack creates, notifying the function (``existing: true`` buckets
need v3's custom resource and are not supported yet)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from ...config.schema import Base, NotSupported

__all__ = ["BUCKET_NAME", "S3Event"]

#: v3's ``awsS3BucketName`` pattern.
BUCKET_NAME = re.compile(
    r"(?!^(\d{1,3}\.){3}\d{1,3}$)(^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$)"
)


class S3Event(Base):
    """``s3: bucket-name`` or ``{bucket, event, rules}``."""

    bucket: str
    event: Annotated[str, Field(pattern=r"^s3:.+$")] = "s3:ObjectCreated:*"
    rules: list[dict[str, Any]] | None = None
    existing: bool = False
    force_deploy: NotSupported = None

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
        if self.existing:
            raise ValueError(
                "existing: true (a bucket made elsewhere) is not supported yet: v3 wires it through its own "
                "custom resource; create the notification on that bucket instead"
            )
        return self
