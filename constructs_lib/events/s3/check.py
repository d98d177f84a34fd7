"""``s3`` checks at load (no CDK): new buckets have valid names (also from ``provider.s3``), and a
function has at most one existing bucket (v3's limit)."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib.errors import SlsCdkError
from constructs_lib.events.s3 import BUCKET_NAME, S3Event, bucket_name, existing_bucket_key
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check"]


def _new_bucket_problems(sites: Sequence[EventSite[S3Event]], ctx: CheckContext) -> list[SlsCdkError]:
    errors: list[SlsCdkError] = []
    provider_s3 = ctx.service.provider.s3 or {}
    for site in sites:
        name, _ref = bucket_name(site.event, provider_s3)
        if not BUCKET_NAME.search(name):
            errors.append(
                ctx.error(
                    f"{name!r} is not a valid S3 bucket name (check provider.s3.{site.event.bucket} and the "
                    f"s3 events of function {site.key!r})",
                    site.path,
                )
            )
    return errors


def _existing_bucket_problems(sites: Sequence[EventSite[S3Event]], ctx: CheckContext) -> list[SlsCdkError]:
    """One ``<F>CustomS31`` per function names one bucket."""
    errors: list[SlsCdkError] = []
    first: dict[str, str] = {}
    for site in sites:
        bucket = first.setdefault(site.key, existing_bucket_key(site.event))
        if bucket != existing_bucket_key(site.event):
            errors.append(
                ctx.error(
                    f"function {site.key!r} already has an existing bucket ({bucket}); v3 allows one per "
                    "function",
                    (*site.path, "bucket"),
                )
            )
    return errors


def check(sites: Sequence[EventSite[S3Event]], ctx: CheckContext) -> list[SlsCdkError]:
    """New buckets first, then existing ones (the order they are built in)."""
    return [
        *_new_bucket_problems([s for s in sites if not s.event.existing], ctx),
        *_existing_bucket_problems([s for s in sites if s.event.existing], ctx),
    ]
