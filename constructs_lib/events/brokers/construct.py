"""``msk``, ``kafka``, ``activemq`` and ``rabbitmq`` events, as v3 compiles them: one
``AWS::Lambda::EventSourceMapping`` per event (``<F>EventSourceMapping<MSK|Kafka|ActiveMQ|RabbitMQ>...``)
waiting for the function's role, and per function the statements those sources need."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from constructs_lib import naming
from constructs_lib.events.brokers import ActiveMqEvent, KafkaEvent, MskEvent, RabbitMqEvent
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.sites import EventSite

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction

_E = TypeVar("_E")
_Mq = TypeVar("_Mq", bound=ActiveMqEvent)

EC2_STATEMENT = {
    "Effect": "Allow",
    "Action": [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeVpcs",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
    ],
    "Resource": "*",
}

_KAFKA_ACCESS = {
    "vpcSubnet": ("VPC_SUBNET", "subnet:", False),
    "vpcSecurityGroup": ("VPC_SECURITY_GROUP", "security_group:", False),
    "saslPlainAuth": ("BASIC_AUTH", "", True),
    "saslScram256Auth": ("SASL_SCRAM_256_AUTH", "", True),
    "saslScram512Auth": ("SASL_SCRAM_512_AUTH", "", True),
    "clientCertificateTlsAuth": ("CLIENT_CERTIFICATE_TLS_AUTH", "", True),
    "serverRootCaCertificate": ("SERVER_ROOT_CA_CERTIFICATE", "", True),
}


def _by_function(sites: Sequence[EventSite[_E]]) -> dict[str, list[EventSite[_E]]]:
    out: dict[str, list[EventSite[_E]]] = {}
    for site in sites:
        out.setdefault(site.key, []).append(site)
    return out


def _depends(fn: ServerlessFunction) -> list[str]:
    return [d for d in (fn.role_resource_name, fn.target_alias[1] if fn.target_alias else None) if d]


def _filters(patterns: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    if not patterns:
        return None
    return {"Filters": [{"Pattern": json.dumps(p, separators=(",", ":"))} for p in patterns]}


def _batching(properties: dict[str, Any], event: MskEvent | KafkaEvent | ActiveMqEvent) -> None:
    if event.batch_size:
        properties["BatchSize"] = event.batch_size
    if event.maximum_batching_window:
        properties["MaximumBatchingWindowInSeconds"] = event.maximum_batching_window
    if event.enabled is not None:
        properties["Enabled"] = event.enabled


def build_msk(ctx: BuildContext, sites: Sequence[EventSite[MskEvent]]) -> None:
    for function_sites in _by_function(sites).values():
        clusters: list[Any] = []
        for site in function_sites:
            fn, event = ctx.function(site), site.event
            properties: dict[str, Any] = {
                "EventSourceArn": event.arn,
                "FunctionName": fn.target_arn,
                "StartingPosition": event.starting_position or "TRIM_HORIZON",
                "Topics": [event.topic],
            }
            if event.starting_position_timestamp is not None:
                properties["StartingPositionTimestamp"] = event.starting_position_timestamp
            _batching(properties, event)
            if event.consumer_group_id:
                properties["AmazonManagedKafkaEventSourceConfig"] = {
                    "ConsumerGroupId": event.consumer_group_id
                }
            if event.sasl_scram512 is not None:
                properties["SourceAccessConfigurations"] = [
                    {"Type": "SASL_SCRAM_512_AUTH", "URI": event.sasl_scram512}
                ]
            properties["FilterCriteria"] = _filters(event.filter_patterns)
            clusters.append(event.arn)
            ctx.raw.add(
                naming.msk_logical_id(fn.props.key, event.cluster_name, event.topic),
                {
                    "Type": "AWS::Lambda::EventSourceMapping",
                    "DependsOn": _depends(fn),
                    "Properties": properties,
                },
            )
        if clusters and ctx.role is not None:
            ctx.role.add_statement(
                {
                    "Effect": "Allow",
                    "Action": ["kafka:DescribeCluster", "kafka:GetBootstrapBrokers"],
                    "Resource": clusters,
                }
            )
            ctx.role.add_statement(dict(EC2_STATEMENT))


def build_kafka(ctx: BuildContext, sites: Sequence[EventSite[KafkaEvent]]) -> None:
    for function_sites in _by_function(sites).values():
        secrets: list[Any] = []
        needs_ec2 = False
        for site in function_sites:
            fn, event = ctx.function(site), site.event
            access: list[dict[str, Any]] = []
            for name, values in event.access_configurations.items():  # in the order written, as v3
                kind, prefix, secret = _KAFKA_ACCESS[name]
                for value in values:
                    if secret:
                        secrets.append(value)
                    else:
                        needs_ec2 = True
                    access.append({"Type": kind, "URI": f"{prefix}{value}"})
            properties: dict[str, Any] = {
                "FunctionName": fn.target_arn,
                "StartingPosition": event.starting_position or "TRIM_HORIZON",
                "SelfManagedEventSource": {
                    "Endpoints": {"KafkaBootstrapServers": list(event.bootstrap_servers)}
                },
                "Topics": [event.topic],
                "SourceAccessConfigurations": access,
            }
            _batching(properties, event)
            if event.consumer_group_id:
                properties["SelfManagedKafkaEventSourceConfig"] = {"ConsumerGroupId": event.consumer_group_id}
            if event.starting_position_timestamp is not None:
                properties["StartingPositionTimestamp"] = event.starting_position_timestamp
            properties["FilterCriteria"] = _filters(event.filter_patterns)
            ctx.raw.add(
                naming.kafka_logical_id(fn.props.key, event.topic),
                {
                    "Type": "AWS::Lambda::EventSourceMapping",
                    "DependsOn": _depends(fn),
                    "Properties": properties,
                },
            )
        if ctx.role is not None:
            if secrets:
                ctx.role.add_statement(
                    {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": secrets}
                )
            if needs_ec2:
                ctx.role.add_statement(dict(EC2_STATEMENT))


def _build_mq(ctx: BuildContext, sites: Sequence[EventSite[_Mq]], kind: str) -> None:
    for function_sites in _by_function(sites).values():
        secrets: list[Any] = []
        brokers: list[Any] = []
        for site in function_sites:
            fn, event = ctx.function(site), site.event
            access = [{"Type": "BASIC_AUTH", "URI": event.basic_auth_arn}]
            if isinstance(event, RabbitMqEvent) and event.virtual_host:
                access.append({"Type": "VIRTUAL_HOST", "URI": event.virtual_host})
            properties: dict[str, Any] = {
                "FunctionName": fn.target_arn,
                "EventSourceArn": event.arn,
                "Queues": [event.queue],
                "SourceAccessConfigurations": access,
            }
            _batching(properties, event)
            properties["FilterCriteria"] = _filters(event.filter_patterns)
            brokers.append(event.arn)
            secrets.append(event.basic_auth_arn)
            ctx.raw.add(
                naming.mq_logical_id(fn.props.key, kind, event.queue),
                {
                    "Type": "AWS::Lambda::EventSourceMapping",
                    "DependsOn": _depends(fn),
                    "Properties": properties,
                },
            )
        if function_sites and ctx.role is not None:
            ctx.role.add_statement(
                {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": secrets}
            )
            ctx.role.add_statement({"Effect": "Allow", "Action": ["mq:DescribeBroker"], "Resource": brokers})
            ctx.role.add_statement(dict(EC2_STATEMENT))


def build_activemq(ctx: BuildContext, sites: Sequence[EventSite[ActiveMqEvent]]) -> None:
    _build_mq(ctx, sites, "ActiveMQ")


def build_rabbitmq(ctx: BuildContext, sites: Sequence[EventSite[RabbitMqEvent]]) -> None:
    _build_mq(ctx, sites, "RabbitMQ")
