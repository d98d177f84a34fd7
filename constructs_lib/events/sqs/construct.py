"""``sqs`` event, as v3's ``AwsCompileSQSEvents``: ``<F>EventSourceMappingSQS<Queue>`` per event and
one role statement (receive, delete, attributes) listing every queue."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.sites import EventSite
from constructs_lib.events.sqs import SqsEvent


def build(ctx: BuildContext, sites: Sequence[EventSite[SqsEvent]]) -> None:
    queues: list[Any] = []
    for site in sites:
        fn = ctx.function(site)
        event = site.event
        depends = [d for d in (fn.role_resource_name, fn.target_alias[1] if fn.target_alias else None) if d]
        properties: dict[str, Any] = {
            "BatchSize": event.batch_size or 10,
            "MaximumBatchingWindowInSeconds": event.maximum_batching_window,
            "EventSourceArn": event.arn,
            "FunctionName": fn.target_arn,
            "Enabled": True if event.enabled is None else event.enabled,
        }
        if event.function_response_type is not None:
            properties["FunctionResponseTypes"] = [event.function_response_type]
        if event.filter_patterns:
            properties["FilterCriteria"] = {
                "Filters": [{"Pattern": json.dumps(p, separators=(",", ":"))} for p in event.filter_patterns]
            }
        if event.maximum_concurrency:
            properties["ScalingConfig"] = {"MaximumConcurrency": event.maximum_concurrency}
        queues.append(event.arn)
        ctx.raw.add(
            naming.queue_logical_id(fn.props.key, event.queue_name),
            {"Type": "AWS::Lambda::EventSourceMapping", "DependsOn": depends, "Properties": properties},
        )
    if queues and ctx.role is not None:
        ctx.role.add_statement(
            {
                "Effect": "Allow",
                "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                "Resource": queues,
            }
        )
