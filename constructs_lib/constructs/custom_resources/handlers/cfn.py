"""CloudFormation custom-resource plumbing shared by the handlers (runs in Lambda: stdlib + boto3).

Each handler keeps the physical resource ID Serverless v3's own handler reported, so a stack
taken over from v3 updates these resources in place instead of replacing (and so deleting) them.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from collections.abc import Callable
from typing import Any

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

_ARN = re.compile(r"^arn:(aws[\w-]*).*:lambda:([\w+-]{2,}\d+):(\d+):function:(.*)$")


def environment(context: Any) -> dict[str, str]:
    """Partition, region and account of the running function (from its own ARN)."""
    m = _ARN.match(context.invoked_function_arn)
    if m is None:
        raise ValueError(f"unexpected function ARN {context.invoked_function_arn!r}")
    return {"Partition": m.group(1), "Region": m.group(2), "AccountId": m.group(3)}


def lambda_arn(env: dict[str, str], function_name: str) -> str:
    return f"arn:{env['Partition']}:lambda:{env['Region']}:{env['AccountId']}:function:{function_name}"


def remove_permission(client: Any, function_name: str, statement_id: str) -> None:
    """Remove a permission this resource added; already gone (or no function) is fine on delete."""
    try:
        client.remove_permission(FunctionName=function_name, StatementId=statement_id)
    except client.exceptions.ResourceNotFoundException:
        LOG.info("permission %s of %s already gone", statement_id, function_name)


def send(event: dict[str, Any], context: Any, status: str, physical_id: str, reason: str = "") -> None:
    """PUT the result to the pre-signed ``ResponseURL`` CloudFormation waits on."""
    body = json.dumps(
        {
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "PhysicalResourceId": physical_id,
            "Status": status,
            "Reason": f"{reason} See details in CloudWatch Log: {getattr(context, 'log_stream_name', '?')}"
            if reason
            else "",
            "Data": {},
        }
    ).encode()
    request = urllib.request.Request(
        event["ResponseURL"],
        data=body,
        method="PUT",
        headers={"Content-Type": "", "Content-Length": str(len(body))},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        LOG.info("response status %s", response.status)


def wrap(
    physical_id: str, operations: dict[str, Callable[[dict[str, Any], Any], None]]
) -> Callable[..., None]:
    """A Lambda handler that runs ``operations[RequestType]`` and always answers CloudFormation."""

    def handler(event: dict[str, Any], context: Any) -> None:
        LOG.info("%s %s", event.get("RequestType"), json.dumps(event.get("ResourceProperties", {})))
        try:
            operation = operations.get(event["RequestType"])
            if operation is None:
                raise ValueError(f"unhandled RequestType {event['RequestType']!r}")
            operation(event, context)
        except Exception as exc:  # every failure must reach CloudFormation, or the stack hangs
            LOG.exception("failed")
            send(event, context, "FAILED", physical_id, str(exc))
            return
        send(event, context, "SUCCESS", physical_id)

    return handler
