"""``s3`` event, as v3's ``newS3Buckets``: one ``S3Bucket<Name>`` per bucket with a lambda
configuration per event (``provider.s3.<ref>`` adds bucket properties), and
``<F>LambdaPermission<Name>S3`` per function and bucket; the bucket waits for its permissions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from constructs_lib import naming
from constructs_lib.constructs import custom_resources
from constructs_lib.constructs.custom_resources import force_deploy_stamp
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.s3 import S3Event, bucket_name, existing_bucket_key
from constructs_lib.events.sites import EventSite

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction


Sites = Sequence[EventSite[S3Event]]


def build(ctx: BuildContext, sites: Sites) -> None:
    new = [site for site in sites if not site.event.existing]
    if new:
        _new_buckets(ctx, new)
    existing = [site for site in sites if site.event.existing]
    if existing:
        _existing_buckets(ctx, existing)


def _existing_buckets(ctx: BuildContext, sites: Sites) -> None:
    """v3's ``existingS3Buckets``: one ``<F>CustomS31`` per function (one bucket each, checked at
    load) listing its notifications; the custom resources of one bucket run one after the other."""
    statements: list[dict[str, Any]] = []
    by_function: dict[str, dict[str, Any]] = {}
    by_bucket: dict[str, list[str]] = {}
    service_token = custom_resources.function_logical_id("s3")
    for site in sites:
        fn = ctx.function(site)
        event = site.event
        key = fn.props.key
        config = {
            "Event": event.event,
            "Rules": [{k[:1].upper() + k[1:]: v} for rule in event.rules or [] for k, v in rule.items()],
        }
        if key in by_function:
            by_function[key]["Properties"]["BucketConfigs"].append(config)
            continue
        logical_id = naming.custom_s3_logical_id(key)
        resource = {
            "Type": "Custom::S3",
            "Version": 1,
            "DependsOn": [fn.logical_id, service_token],
            "Properties": {
                "ServiceToken": {"Fn::GetAtt": [service_token, "Arn"]},
                "FunctionName": fn.props.name,
                "BucketName": event.bucket,
                "BucketConfigs": [config],
                "ForceDeploy": force_deploy_stamp() if event.force_deploy else None,
            },
        }
        by_function[key] = ctx.raw.add(logical_id, resource)
        by_bucket.setdefault(existing_bucket_key(event), []).append(logical_id)
        statements.append(
            {
                "Effect": "Allow",
                "Resource": {
                    "Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "s3", "", "", event.bucket]]
                },
                "Action": ["s3:PutBucketNotification", "s3:GetBucketNotification"],
            }
        )
    statements.append(
        {
            "Effect": "Allow",
            "Resource": {
                "Fn::Join": [
                    ":",
                    [
                        "arn",
                        {"Ref": "AWS::Partition"},
                        "lambda",
                        {"Ref": "AWS::Region"},
                        {"Ref": "AWS::AccountId"},
                        "function",
                        "*",
                    ],
                ]
            },
            "Action": ["lambda:AddPermission", "lambda:RemovePermission"],
        }
    )
    custom_resources.one_at_a_time(ctx, by_bucket.values())
    custom_resources.add_custom_resource(ctx, "s3", statements)


def _new_buckets(ctx: BuildContext, sites: Sites) -> None:
    """Bucket names are valid: checked at load."""
    provider_s3: dict[str, Any] = ctx.provider.s3 or {}
    configurations: dict[str, list[dict[str, Any]]] = {}
    refs: dict[str, str] = {}
    enabled: list[tuple[ServerlessFunction, str]] = []
    for site in sites:
        fn = ctx.function(site)
        event = site.event
        name, ref = bucket_name(event, provider_s3)
        if ref is not None:
            refs[name] = ref
        configuration: dict[str, Any] = {"Event": event.event, "Function": fn.target_arn}
        if event.rules:
            rules = [{"Name": k, "Value": v} for rule in event.rules for k, v in rule.items()]
            configuration["Filter"] = {"S3Key": {"Rules": rules}}
        configurations.setdefault(name, []).append(configuration)
        enabled.append((fn, name))

    for bucket, lambda_configurations in configurations.items():
        _bucket(ctx, bucket, refs.get(bucket), lambda_configurations, enabled)
    for fn, bucket in enabled:
        ctx.raw.add(
            naming.s3_permission_logical_id(fn.props.key, refs.get(bucket, bucket)),
            invoke_permission(
                fn.target_arn,
                "s3.amazonaws.com",
                source_arn={"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{bucket}"]]},
                depends_on=fn.target_alias[1] if fn.target_alias else None,
                SourceAccount={"Ref": "AWS::AccountId"},
            ),
        )


def _bucket(
    ctx: BuildContext,
    bucket: str,
    ref: str | None,
    lambda_configurations: list[dict[str, Any]],
    enabled: Sequence[tuple[ServerlessFunction, str]],
) -> None:
    """``S3Bucket<Name>`` (``ref``: its ``provider.s3`` key, whose settings it takes), waiting for
    the permissions of the functions it notifies."""
    bucket_conf: dict[str, Any] = {}
    if ref is not None:
        for key, value in (ctx.provider.s3 or {})[ref].items():
            if key != "name":
                bucket_conf[key[:1].upper() + key[1:]] = value
    provided_notifications = bucket_conf.pop("NotificationConfiguration", None) or {}
    depends: list[str] = []
    for fn, name in enabled:
        if name != bucket:
            continue
        depends.append(naming.s3_permission_logical_id(fn.props.key, name if ref is None else ref))
        if fn.target_alias:
            depends.append(fn.target_alias[1])
    ctx.raw.add(
        naming.bucket_logical_id(bucket if ref is None else ref),
        {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketName": bucket,
                "NotificationConfiguration": {
                    "LambdaConfigurations": lambda_configurations,
                    **provided_notifications,
                },
                **bucket_conf,
            },
            "DependsOn": depends,
        },
    )
