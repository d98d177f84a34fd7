"""``stream`` event, as v3's ``AwsCompileStreamEvents``: ``<F>EventSourceMapping<Type><Stream>``,
an optional ``<Consumer>StreamConsumer``, and per function the read statements (DynamoDB,
Kinesis, Kinesis via consumer, SubscribeToShard) and on-failure destination statements."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.sites import EventSite
from constructs_lib.events.stream import OnFailure, StreamEvent

_ACTIONS = {
    "dynamodb": [
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:DescribeStream",
        "dynamodb:ListStreams",
    ],
    "kinesis": [
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:DescribeStream",
        "kinesis:ListStreams",
    ],
    "kinesis-consumer": [
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:DescribeStreamSummary",
        "kinesis:ListShards",
    ],
    "subscribe": ["kinesis:SubscribeToShard"],
    "sns": ["sns:Publish"],
    "sqs": ["sqs:ListQueues", "sqs:SendMessage"],
}


def build(ctx: BuildContext, sites: Sequence[EventSite[StreamEvent]]) -> None:
    """Per function: its event source mappings, then its read (and destination) statements."""
    by_function: dict[str, list[EventSite[StreamEvent]]] = {}
    for site in sites:
        by_function.setdefault(site.key, []).append(site)
    for function_sites in by_function.values():
        resources: dict[str, list[Any]] = {name: [] for name in _ACTIONS}
        for site in function_sites:
            _event_source_mapping(ctx, site, resources)
        if ctx.role is not None:
            for name, actions in _ACTIONS.items():
                if resources[name]:
                    ctx.role.add_statement(
                        {"Effect": "Allow", "Action": list(actions), "Resource": resources[name]}
                    )


def _event_source_mapping(
    ctx: BuildContext, site: EventSite[StreamEvent], resources: dict[str, list[Any]]
) -> None:
    """``<F>EventSourceMapping<Type><Stream>``; what the function must be allowed goes to ``resources``."""
    fn = ctx.function(site)
    event = site.event
    depends = [d for d in (fn.role_resource_name, fn.target_alias[1] if fn.target_alias else None) if d]
    properties: dict[str, Any] = {
        "BatchSize": event.batch_size or 10,
        "Enabled": True if event.enabled is None else event.enabled,
        "EventSourceArn": event.arn,
        "FunctionName": fn.target_arn,
        "ParallelizationFactor": event.parallelization_factor,
        "StartingPosition": event.starting_position or "TRIM_HORIZON",
    }
    if event.stream_type == "dynamodb":
        resources["dynamodb"].append(event.arn)
    elif event.consumer:
        resources["kinesis-consumer"].append(event.arn)
    else:
        resources["kinesis"].append(event.arn)
    optional = {
        "MaximumBatchingWindowInSeconds": event.batch_window,
        "MaximumRetryAttempts": event.maximum_retry_attempts,
        "BisectBatchOnFunctionError": event.bisect_batch_on_function_error,
        "FunctionResponseTypes": [event.function_response_type] if event.function_response_type else None,
        "MaximumRecordAgeInSeconds": event.maximum_record_age_in_seconds or None,
        "TumblingWindowInSeconds": event.tumbling_window_in_seconds,
    }
    properties.update({k: v for k, v in optional.items() if v is not None})
    if event.destinations is not None:
        target = event.destinations.on_failure
        arn = target.arn if isinstance(target, OnFailure) else target
        kind = (target.type if isinstance(target, OnFailure) else None) or str(arn).split(":")[2]
        resources["sns" if kind == "sns" else "sqs"].append(arn)
        properties["DestinationConfig"] = {"OnFailure": {"Destination": arn}}
    if event.filter_patterns:
        properties["FilterCriteria"] = {
            "Filters": [{"Pattern": json.dumps(p, separators=(",", ":"))} for p in event.filter_patterns]
        }
    if event.consumer and event.stream_type == "kinesis":
        _consumer(ctx, site, properties, depends, resources)
    ctx.raw.add(
        naming.stream_logical_id(site.key, event.stream_type, event.stream_name),
        {"Type": "AWS::Lambda::EventSourceMapping", "DependsOn": depends, "Properties": properties},
    )


def _consumer(
    ctx: BuildContext,
    site: EventSite[StreamEvent],
    properties: dict[str, Any],
    depends: list[str],
    resources: dict[str, list[Any]],
) -> None:
    """An enhanced fan-out consumer: ``<Consumer>StreamConsumer`` (``consumer: true``) or an ARN."""
    event = site.event
    if event.consumer is True:
        consumer = naming.stream_consumer_name(
            site.key,
            event.stream_name,
            ctx.service_name,
            ctx.stage,
            ctx.provider.kinesis_consumer_naming_service_specific,
        )
        consumer_id = naming.stream_consumer_logical_id(consumer)
        ctx.raw.add(
            consumer_id,
            {
                "Type": "AWS::Kinesis::StreamConsumer",
                "Properties": {"StreamARN": event.arn, "ConsumerName": consumer},
            },
        )
        depends.append(consumer_id)
        properties["EventSourceArn"] = {"Ref": consumer_id}
        resources["subscribe"].append({"Ref": consumer_id})
    else:
        properties["EventSourceArn"] = event.consumer
        resources["subscribe"].append(event.consumer)
    if event.starting_position_timestamp is not None:
        properties["StartingPositionTimestamp"] = event.starting_position_timestamp
