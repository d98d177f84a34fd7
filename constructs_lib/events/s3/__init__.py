"""``s3`` event: a bucket this stack creates, notifying the function, or (``existing: true``) a
bucket made elsewhere, wired by the ``Custom::S3`` custom resource as v3 does. The bucket
names the builder writes and the check validates are computed here (pure, no CDK)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from constructs_lib.config.schema import Base, CfnValue

__all__ = ["BUCKET_NAME", "S3Event", "bucket_name", "existing_bucket_key"]

#: v3's ``awsS3BucketName`` pattern.
BUCKET_NAME = re.compile(
    r"(?!^(\d{1,3}\.){3}\d{1,3}$)(^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$)"
)


class S3Event(Base):
    """``s3: bucket-name`` or ``{bucket, event, rules}``."""

    bucket: str | dict[str, Any]
    event: Annotated[str, Field(pattern=r"^s3:.+$")] = "s3:ObjectCreated:*"
    rules: list[dict[str, CfnValue]] | None = None
    existing: bool = False
    force_deploy: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        return {"bucket": value} if isinstance(value, str) else value

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[dict[str, CfnValue]] | None) -> list[dict[str, CfnValue]] | None:
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


def bucket_name(event: S3Event, provider_s3: Mapping[str, Mapping[str, Any]]) -> tuple[str, str | None]:
    """``(bucket name, provider.s3 key or None)`` of a new bucket: ``bucket`` names a
    ``provider.s3`` entry (whose ``name`` wins) or is the name itself."""
    assert isinstance(event.bucket, str)  # only existing buckets may be intrinsics (the model)
    if event.bucket in provider_s3:
        return provider_s3[event.bucket].get("name") or event.bucket, event.bucket
    return event.bucket, None


def existing_bucket_key(event: S3Event) -> str:
    """An existing bucket as text (an intrinsic as its JSON), to tell buckets apart."""
    return event.bucket if isinstance(event.bucket, str) else json.dumps(event.bucket)
