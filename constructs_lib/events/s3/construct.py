"""``s3`` event, as v3's ``newS3Buckets``: one ``S3Bucket<Name>`` per bucket with a lambda
configuration per event (``provider.s3.<ref>`` adds bucket properties), and
``<F>LambdaPermission<Name>S3`` per function and bucket; the bucket waits for its permissions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ... import naming
from ...errors import ConfigError
from . import BUCKET_NAME, S3Event


def build(stack: Any, sites: Sequence[Any]) -> None:
    provider_s3: dict[str, Any] = stack.service.model.provider.s3 or {}
    configurations: dict[str, list[dict[str, Any]]] = {}
    refs: dict[str, str] = {}
    enabled: list[tuple[Any, str]] = []
    for site in sites:
        fn = site.function
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
        stack.raw.add(
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
        stack.raw.add(
            naming.s3_permission_logical_id(fn.props.key, refs.get(bucket_name, bucket_name)),
            {
                "Type": "AWS::Lambda::Permission",
                "DependsOn": fn.target_alias[1] if fn.target_alias else None,
                "Properties": {
                    "FunctionName": fn.target_arn,
                    "Action": "lambda:InvokeFunction",
                    "Principal": "s3.amazonaws.com",
                    "SourceArn": {
                        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{bucket_name}"]]
                    },
                    "SourceAccount": {"Ref": "AWS::AccountId"},
                },
            },
        )
