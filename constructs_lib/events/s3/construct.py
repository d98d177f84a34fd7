"""``s3`` event, as v3's ``newS3Buckets``: one ``S3Bucket<Name>`` per bucket with a lambda
configuration per event (``provider.s3.<ref>`` adds bucket properties), and
``<F>LambdaPermission<Name>S3`` per function and bucket; the bucket waits for its permissions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.constructs import custom_resources
from constructs_lib.constructs.custom_resources import force_deploy_stamp
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.errors import ConfigError
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.s3 import BUCKET_NAME, S3Event
from constructs_lib.events.sites import EventSite


def build(ctx: BuildContext, sites: Sequence[EventSite[Any]]) -> None:
    new = [site for site in sites if not site.event.existing]
    if new:
        _new_buckets(ctx, new)
    existing = [site for site in sites if site.event.existing]
    if existing:
        _existing_buckets(ctx, existing)


def _existing_buckets(ctx: BuildContext, sites: Sequence[EventSite[Any]]) -> None:
    """v3's ``existingS3Buckets``: one ``<F>CustomS31`` per function (one bucket each) listing its
    notifications; the custom resources of one bucket run one after the other."""
    statements: list[dict[str, Any]] = []
    by_function: dict[str, tuple[str, dict[str, Any]]] = {}
    by_bucket: dict[str, list[str]] = {}
    service_token = custom_resources.function_logical_id("s3")
    for site in sites:
        fn = ctx.function(site)
        event: S3Event = site.event
        key = fn.props.key
        bucket_text = event.bucket if isinstance(event.bucket, str) else json.dumps(event.bucket)
        config = {
            "Event": event.event,
            "Rules": [{k[:1].upper() + k[1:]: v} for rule in event.rules or [] for k, v in rule.items()],
        }
        if key in by_function:
            first, resource = by_function[key]
            if first != bucket_text:
                raise ConfigError(
                    f"function {key!r} already has an existing bucket ({first}); v3 allows one per function",
                    path=("functions", key, "events", site.index, "s3", "bucket"),
                )
            resource["Properties"]["BucketConfigs"].append(config)
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
        ctx.raw.add(logical_id, resource)
        by_function[key] = (bucket_text, resource)
        by_bucket.setdefault(bucket_text, []).append(logical_id)
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


def _new_buckets(ctx: BuildContext, sites: Sequence[EventSite[Any]]) -> None:
    provider_s3: dict[str, Any] = ctx.service.model.provider.s3 or {}
    configurations: dict[str, list[dict[str, Any]]] = {}
    refs: dict[str, str] = {}
    enabled: list[tuple[Any, str]] = []
    for site in sites:
        fn = ctx.function(site)
        event: S3Event = site.event
        bucket_ref = event.bucket
        bucket_name = bucket_ref
        if bucket_ref in provider_s3:
            bucket_name = provider_s3[bucket_ref].get("name") or bucket_ref
            refs[bucket_name] = bucket_ref
        if not BUCKET_NAME.search(bucket_name):
            raise ConfigError(
                f"{bucket_name!r} is not a valid S3 bucket name (check provider.s3.{bucket_ref} and the s3 "
                f"events of function {fn.props.key!r})",
                path=("functions", fn.props.key, "events", site.index, "s3"),
            )
        configuration: dict[str, Any] = {"Event": event.event, "Function": fn.target_arn}
        if event.rules:
            rules = [{"Name": name, "Value": value} for rule in event.rules for name, value in rule.items()]
            configuration["Filter"] = {"S3Key": {"Rules": rules}}
        configurations.setdefault(bucket_name, []).append(configuration)
        enabled.append((fn, bucket_name))

    for bucket_name, lambda_configurations in configurations.items():
        bucket_conf: dict[str, Any] = {}
        if bucket_name in refs:
            for key, value in provider_s3[refs[bucket_name]].items():
                if key != "name":
                    bucket_conf[key[:1].upper() + key[1:]] = value
        provided_notifications = bucket_conf.pop("NotificationConfiguration", None) or {}
        depends: list[str] = []
        for fn, name in enabled:
            if name != bucket_name:
                continue
            depends.append(naming.s3_permission_logical_id(fn.props.key, refs.get(name, name)))
            if fn.target_alias:
                depends.append(fn.target_alias[1])
        logical_id = naming.bucket_logical_id(refs.get(bucket_name, bucket_name))
        ctx.raw.add(
            logical_id,
            {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": bucket_name,
                    "NotificationConfiguration": {
                        "LambdaConfigurations": lambda_configurations,
                        **provided_notifications,
                    },
                    **bucket_conf,
                },
                "DependsOn": depends,
            },
        )

    for fn, bucket_name in enabled:
        ctx.raw.add(
            naming.s3_permission_logical_id(fn.props.key, refs.get(bucket_name, bucket_name)),
            invoke_permission(
                fn.target_arn,
                "s3.amazonaws.com",
                source_arn={"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{bucket_name}"]]},
                depends_on=fn.target_alias[1] if fn.target_alias else None,
                SourceAccount={"Ref": "AWS::AccountId"},
            ),
        )
