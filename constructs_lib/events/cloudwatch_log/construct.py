"""``cloudwatchLog`` event, as v3's ``AwsCompileCloudWatchLogEvents``: per event a
``<F>LogsSubscriptionFilterCloudWatchLog<N>``; one ``<F>LambdaPermissionLogsSubscriptionFilterCloudWatchLog``
per function whose source ARN covers the common prefix of its log groups. At most two
subscription filters per log group, as CloudWatch Logs allows."""

from __future__ import annotations

import re
from collections.abc import Sequence

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.cloudwatch_log import CloudwatchLogEvent, log_group_name
from constructs_lib.events.sites import EventSite


def common_prefix(names: list[str]) -> str:
    """v3's ``longestCommonSuffix`` (a common prefix, despite its name), ``*`` appended for several."""
    common = names[0]
    for name in names[1:]:
        i = 0
        while i < len(common) and i < len(name) and common[i] == name[i]:
            i += 1
        if i < len(common):
            common = common[:i]
    if len(names) > 1 and not common.endswith("*"):
        common += "*"
    return common


def _filter(pattern: str) -> str:
    slash, quote = pattern.find("\\"), pattern.find('"')
    if slash >= 0 and quote >= 0 and quote > slash:  # unescape once, as v3
        pattern = re.sub(r"\\(\"|\\|')", lambda m: m.group(1), pattern)
    return pattern


def build(ctx: BuildContext, sites: Sequence[EventSite[CloudwatchLogEvent]]) -> None:
    """At most two filters per log group: checked at load."""
    groups_of: dict[str, list[str]] = {}
    for site in sites:
        fn = ctx.function(site)
        key = fn.props.key
        event = site.event
        group = log_group_name(event)
        pattern = _filter(re.sub(r"\r?\n", "", event.filter)) if event.filter else ""
        groups = groups_of.setdefault(key, [])
        groups.append(group)
        permission_id = naming.cloudwatch_log_permission_logical_id(key)
        alias = fn.target_alias[1] if fn.target_alias else None
        ctx.raw.add(
            naming.cloudwatch_log_logical_id(key, site.ordinal),
            {
                "Type": "AWS::Logs::SubscriptionFilter",
                "DependsOn": [d for d in (permission_id, alias) if d],
                "Properties": {
                    "LogGroupName": group,
                    "FilterPattern": pattern,
                    "DestinationArn": fn.target_arn,
                },
            },
        )
        definition = invoke_permission(
            fn.target_arn,
            {"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]},
            source_arn={
                "Fn::Join": [
                    "",
                    [
                        "arn:",
                        {"Ref": "AWS::Partition"},
                        ":logs:",
                        {"Ref": "AWS::Region"},
                        ":",
                        {"Ref": "AWS::AccountId"},
                        ":log-group:",
                        common_prefix(groups),
                        ":*",
                    ],
                ]
            },
            depends_on=[alias] if alias else None,
        )
        existing = ctx.raw.get(permission_id)
        if existing is None:
            ctx.raw.add(permission_id, definition)
        else:  # v3 rewrites the function's permission with the wider prefix
            existing["Properties"]["SourceArn"] = definition["Properties"]["SourceArn"]
