"""``Custom::ApiGatewayAccountRole``: make sure API Gateway (account-wide, per region) has a
CloudWatch role, which stage logs need. Uses ``RoleArn`` when given, else creates (once)
``serverlessApiGatewayCloudWatchRole`` with AWS's push-to-CloudWatch policy, as v3 does.
Update and delete change nothing: other stacks may rely on the account setting.
"""

from __future__ import annotations

import time
from typing import Any

import boto3
from cfn import environment, wrap

PHYSICAL_ID = "CustomResourceApiGatewayAccountCloudWatchRole"
ROLE_NAME = "serverlessApiGatewayCloudWatchRole"
TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    '"Principal":{"Service":["apigateway.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}'
)


def ensure_role(iam: Any, partition: str) -> None:
    policy = f"arn:{partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
    try:
        attached = iam.list_attached_role_policies(RoleName=ROLE_NAME)["AttachedPolicies"]
    except iam.exceptions.NoSuchEntityException:
        iam.create_role(RoleName=ROLE_NAME, Path="/", AssumeRolePolicyDocument=TRUST)
        attached = []
    if not any(p["PolicyArn"] == policy for p in attached):
        iam.attach_role_policy(RoleName=ROLE_NAME, PolicyArn=policy)


def _create(event: dict[str, Any], context: Any, *, attempts: int = 10, pause: float = 10.0) -> None:
    env = environment(context)
    apigateway = boto3.client("apigateway", region_name=env["Region"])
    role_arn = event["ResourceProperties"].get("RoleArn")
    if not role_arn:
        ensure_role(boto3.client("iam", region_name=env["Region"]), env["Partition"])
        role_arn = f"arn:{env['Partition']}:iam::{env['AccountId']}:role/{ROLE_NAME}"
    if apigateway.get_account().get("cloudwatchRoleArn") == role_arn:
        return
    for attempt in range(1, attempts + 1):
        try:
            apigateway.update_account(
                patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": role_arn}]
            )
            return
        except Exception:
            if attempt == attempts:  # a role just created takes a while to be usable
                raise
            time.sleep(pause)


def _nothing(event: dict[str, Any], context: Any) -> None:
    return None


handler = wrap(PHYSICAL_ID, {"Create": _create, "Update": _nothing, "Delete": _nothing})
