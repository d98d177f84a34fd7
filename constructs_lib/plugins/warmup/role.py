"""The role the plugin generates for a warmer without ``role`` (``addWarmUpFunctionRoleToResources``)."""

from __future__ import annotations

from typing import Any

__all__ = ["warmer_role"]

_LOGS = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/"
_LAMBDA = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
_ENI_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DetachNetworkInterface",
    "ec2:DeleteNetworkInterface",
]


def warmer_role(
    service: str, stage: str, warmer: str, name: str, role_name: str | None, functions: list[dict[str, Any]]
) -> dict[str, Any]:
    """``WarmUpPlugin<Warmer>Role``: writes the warmer's logs, invokes its functions (any
    qualifier: ``<name>*``), and manages network interfaces for a warmer in a VPC."""
    lower = warmer.lower()
    statements = [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream"],
            "Resource": [{"Fn::Sub": f"{_LOGS}{name}:*"}],
        },
        {
            "Effect": "Allow",
            "Action": ["logs:PutLogEvents"],
            "Resource": [{"Fn::Sub": f"{_LOGS}{name}:*:*"}],
        },
        {
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": [{"Fn::Sub": f"{_LAMBDA}{fn['name']}*"} for fn in functions],
        },
        {"Effect": "Allow", "Action": _ENI_ACTIONS, "Resource": "*"},
    ]
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "Path": "/",
            "RoleName": role_name
            or {"Fn::Join": ["-", [service, stage, {"Ref": "AWS::Region"}, lower, "role"]]},
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": ["lambda.amazonaws.com"]},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": {"Fn::Join": ["-", [service, stage, "warmer", lower, "policy"]]},
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
    }
