"""``Custom::S3``: notifications of an existing bucket to one function (v3's ``existing: true``).

Notification IDs are ``<function>-<md5 of the config JSON>`` and the Lambda permission's statement
ID ``<function>-<bucket>``, as v3 made them, so configurations v3 added are found and replaced.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import boto3
from cfn import environment, lambda_arn, remove_permission, wrap

PHYSICAL_ID = "CustomResourceExistingS3"


def statement_id(function_name: str, bucket: str) -> str:
    return f"{function_name}-{bucket.replace('.', '').replace(':', '').replace('*', '')}"[:100]


def notification_id(function_name: str, config: dict[str, Any]) -> str:
    text = json.dumps(config, separators=(",", ":"), ensure_ascii=False)
    return f"{function_name}-{hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()}"


def _filter(config: dict[str, Any]) -> dict[str, Any] | None:
    rules = config.get("Rules") or []
    if not rules:
        return None
    return {
        "Key": {"FilterRules": [{"Name": k.lower(), "Value": v} for rule in rules for k, v in rule.items()]}
    }


def put_notifications(
    s3: Any, bucket: str, function_name: str, arn: str | None, configs: list[dict[str, Any]]
) -> None:
    """Drop this function's configurations from the bucket, then add ``configs`` (none on delete)."""
    current = s3.get_bucket_notification_configuration(Bucket=bucket)
    current.pop("ResponseMetadata", None)
    lambdas = [
        c for c in current.get("LambdaFunctionConfigurations", []) if not c["Id"].startswith(function_name)
    ]
    for config in configs:
        item: dict[str, Any] = {
            "Events": [config["Event"]],
            "LambdaFunctionArn": arn,
            "Id": notification_id(function_name, config),
        }
        flt = _filter(config)
        if flt:
            item["Filter"] = flt
        lambdas.append(item)
    current["LambdaFunctionConfigurations"] = lambdas
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=current)


def _create(event: dict[str, Any], context: Any) -> None:
    env = environment(context)
    props = event["ResourceProperties"]
    function, bucket = props["FunctionName"], props["BucketName"]
    boto3.client("lambda", region_name=env["Region"]).add_permission(
        FunctionName=function,
        StatementId=statement_id(function, bucket),
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:{env['Partition']}:s3:::{bucket}",
        SourceAccount=env["AccountId"],
    )
    _update(event, context)


def _update(event: dict[str, Any], context: Any) -> None:
    env = environment(context)
    props = event["ResourceProperties"]
    s3 = boto3.client("s3", region_name=env["Region"])
    put_notifications(
        s3,
        props["BucketName"],
        props["FunctionName"],
        lambda_arn(env, props["FunctionName"]),
        props["BucketConfigs"],
    )


def _delete(event: dict[str, Any], context: Any) -> None:
    env = environment(context)
    props = event["ResourceProperties"]
    function, bucket = props["FunctionName"], props["BucketName"]
    remove_permission(
        boto3.client("lambda", region_name=env["Region"]), function, statement_id(function, bucket)
    )
    put_notifications(boto3.client("s3", region_name=env["Region"]), bucket, function, None, [])


handler = wrap(PHYSICAL_ID, {"Create": _create, "Update": _update, "Delete": _delete})
