"""Who sets API Gateway's account-wide CloudWatch role, which stage logs need.

As v3: unless ``provider.logs.restApi.roleManagedExternally`` says the account already has one,
the ``CustomApiGatewayAccountCloudWatchRole`` custom resource sets it (to
``provider.logs.restApi.role``, or a role it creates once per account).
"""

from __future__ import annotations

from constructs_lib.constructs import custom_resources
from constructs_lib.events.build_context import BuildContext

__all__ = ["ensure_account_cloudwatch_role"]

RESOURCE = "CustomApiGatewayAccountCloudWatchRole"


def ensure_account_cloudwatch_role(ctx: BuildContext) -> None:
    logs = ctx.service.model.provider.logs
    rest = logs.rest_api if logs is not None and not isinstance(logs.rest_api, bool) else None
    if rest is not None and rest.role_managed_externally:
        return
    if ctx.raw.get(RESOURCE) is not None:
        return
    service_token = custom_resources.function_logical_id("apiGatewayCloudWatchRole")
    ctx.raw.add(
        RESOURCE,
        {
            "Type": "Custom::ApiGatewayAccountRole",
            "Version": 1,
            "Properties": {
                "ServiceToken": {"Fn::GetAtt": [service_token, "Arn"]},
                "RoleArn": rest.role if rest is not None else None,
            },
        },
    )
    custom_resources.add_custom_resource(
        ctx,
        "apiGatewayCloudWatchRole",
        [
            {
                "Effect": "Allow",
                "Resource": {
                    "Fn::Join": [
                        ":",
                        ["arn", {"Ref": "AWS::Partition"}, "iam:", {"Ref": "AWS::AccountId"}, "role/*"],
                    ]
                },
                "Action": [
                    "iam:AttachRolePolicy",
                    "iam:CreateRole",
                    "iam:ListAttachedRolePolicies",
                    "iam:PassRole",
                ],
            },
            {
                "Effect": "Allow",
                "Resource": {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "apigateway:*::/account"]]},
                "Action": ["apigateway:GET", "apigateway:PATCH"],
            },
        ],
    )
