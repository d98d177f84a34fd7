"""``sns`` event, as v3's ``AwsCompileSNSEvents``.

By name: ``SNSTopic<Name>`` is created (subscriptions inline on the topic, or a separate
``<F>SnsSubscription<Name>`` when a filter policy or redrive policy is set). By ARN:
``<F>SnsSubscription<Name>`` (with ``Region`` when the topic lives elsewhere). Always
``<F>LambdaPermission<Name>SNS``; a redrive policy adds ``<Name>To<F>DLQPolicy`` on the queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.sites import EventSite
from constructs_lib.events.sns import SnsEvent

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction


def _arn_parts(arn: str) -> list[str]:
    return [part.replace("@@", "::") for part in arn.replace("::", "@@").split(":")]


def build(ctx: BuildContext, sites: Sequence[EventSite[SnsEvent]]) -> None:
    for site in sites:
        fn = ctx.function(site)
        key = fn.props.key
        event = site.event
        topic_arn: Any = event.arn
        region = None
        topic_name = event.topic_name
        if isinstance(topic_arn, str):
            parts = _arn_parts(topic_arn)
            topic_name = event.topic_name or parts[-1]
            if parts[3] != ctx.region and not event.text_form:
                region = parts[3]
        assert topic_name is not None
        redrive = None
        if event.redrive_policy is not None:
            redrive = _redrive(ctx, key, topic_name, topic_arn, event)
        alias = fn.target_alias[1] if fn.target_alias else None
        if topic_arn is not None:
            ctx.raw.add(
                naming.sns_subscription_logical_id(key, topic_name),
                {
                    "Type": "AWS::SNS::Subscription",
                    "DependsOn": alias,
                    "Properties": {
                        "TopicArn": topic_arn,
                        "Protocol": "lambda",
                        "Endpoint": fn.target_arn,
                        "FilterPolicy": event.filter_policy,
                        "FilterPolicyScope": event.filter_policy_scope,
                        "RedrivePolicy": redrive,
                        "Region": region,
                    },
                },
            )
        else:
            topic_arn = _topic(ctx, fn, event, topic_name, redrive)
        ctx.raw.add(
            naming.sns_permission_logical_id(key, topic_name),
            invoke_permission(fn.target_arn, "sns.amazonaws.com", source_arn=topic_arn, depends_on=alias),
        )


def _topic(
    ctx: BuildContext, fn: ServerlessFunction, event: SnsEvent, topic_name: str, redrive: Any
) -> dict[str, Any]:
    """``SNSTopic<Name>`` made by its first event, the function subscribed inline (or by a separate
    ``<F>SnsSubscription<Name>`` for a filter or redrive policy); returns the topic's ARN."""
    alias = fn.target_alias[1] if fn.target_alias else None
    topic_id = naming.topic_logical_id(topic_name)
    topic = ctx.raw.get(topic_id)
    if topic is None:
        properties: dict[str, Any] = {"TopicName": topic_name}
        if event.display_name:
            properties["DisplayName"] = event.display_name
        topic = ctx.raw.add(
            topic_id, {"Type": "AWS::SNS::Topic", "DependsOn": alias, "Properties": properties}
        )
    subscription = {"Endpoint": fn.target_arn, "Protocol": "lambda"}
    if event.filter_policy or redrive:
        ctx.raw.add(
            naming.sns_subscription_logical_id(fn.props.key, topic_name),
            {
                "Type": "AWS::SNS::Subscription",
                "Properties": {
                    **subscription,
                    "TopicArn": {"Ref": topic_id},
                    "FilterPolicy": event.filter_policy,
                    "FilterPolicyScope": event.filter_policy_scope,
                    "RedrivePolicy": redrive,
                },
            },
        )
    else:
        topic["Properties"].setdefault("Subscription", []).append(subscription)
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":sns:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":",
                topic_name,
            ],
        ]
    }


def _redrive(ctx: BuildContext, key: str, topic_name: str, topic_arn: Any, event: SnsEvent) -> dict[str, Any]:
    policy = event.redrive_policy
    assert policy is not None
    if policy.dead_letter_target_arn:
        target_arn: Any = policy.dead_letter_target_arn
        queue, account, region = policy.dead_letter_target_arn.split(":")[::-1][:3]
        target_url: Any = {
            "Fn::Join": ["", [f"https://sqs.{region}.", {"Ref": "AWS::URLSuffix"}, f"/{account}/{queue}"]]
        }
    elif policy.dead_letter_target_ref:
        target_arn = {"Fn::GetAtt": [policy.dead_letter_target_ref, "Arn"]}
        target_url = {"Ref": policy.dead_letter_target_ref}
    else:
        assert policy.dead_letter_target_import is not None
        target_arn = {"Fn::ImportValue": policy.dead_letter_target_import.arn}
        target_url = {"Fn::ImportValue": policy.dead_letter_target_import.url}
    policy_id = naming.topic_dlq_policy_logical_id(key, topic_name)
    ctx.raw.add(
        policy_id,
        {
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Id": policy_id,
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "sns.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                            "Resource": target_arn,
                            "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
                        }
                    ],
                },
                "Queues": [target_url],
            },
        },
    )
    return {"deadLetterTargetArn": target_arn}
