"""``cloudwatchLog`` checks at load (no CDK): CloudWatch Logs allows two subscription filters per
log group."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib.errors import SlsCdkError
from constructs_lib.events.cloudwatch_log import LIMIT_PER_LOG_GROUP, CloudwatchLogEvent, log_group_name
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check"]


def check(sites: Sequence[EventSite[CloudwatchLogEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    errors: list[SlsCdkError] = []
    per_group: dict[str, int] = {}
    for site in sites:
        group = log_group_name(site.event)
        per_group[group] = per_group.get(group, 0) + 1
        if per_group[group] > LIMIT_PER_LOG_GROUP:
            errors.append(
                ctx.error(
                    f"only {LIMIT_PER_LOG_GROUP} subscription filters can be configured per log group; "
                    f"{group!r} has more",
                    site.path,
                )
            )
    return errors
