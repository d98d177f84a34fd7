"""``stream`` checks at load (no CDK): the mapping's logical ID needs the stream's name, which an
``arn`` given as a CloudFormation function only tells in some forms."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib.errors import SlsCdkError
from constructs_lib.events.sites import CheckContext, EventSite
from constructs_lib.events.stream import StreamEvent

__all__ = ["check"]


def check(sites: Sequence[EventSite[StreamEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    errors: list[SlsCdkError] = []
    for site in sites:
        try:
            site.event.stream_name  # noqa: B018 - what the builder names the mapping by
        except ValueError as exc:
            errors.append(ctx.error(str(exc), (*site.path, "arn")))
    return errors
