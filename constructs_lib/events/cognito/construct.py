"""``cognitoUserPool`` event, as v3's ``newCognitoUserPools``: one ``CognitoUserPool<Pool>`` per pool
with every trigger in ``LambdaConfig`` (custom senders with ``LambdaVersion`` and the pool's
``KMSKeyID``), waiting for its functions, and
``<F>LambdaPermissionCognitoUserPool<Pool>TriggerSource<Trigger>`` per trigger."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.constructs import custom_resources
from constructs_lib.constructs.custom_resources import force_deploy_stamp
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.cognito import CUSTOM_SENDER_SOURCES, CognitoUserPoolEvent
from constructs_lib.events.sites import EventSite

Sites = Sequence[EventSite[CognitoUserPoolEvent]]


def build(ctx: BuildContext, sites: Sites) -> None:
    new = [site for site in sites if not site.event.existing]
    if new:
        _new_pools(ctx, new)
    existing = [site for site in sites if site.event.existing]
    if existing:
        _existing_pools(ctx, existing)


def _existing_pools(ctx: BuildContext, sites: Sites) -> None:
    """v3's ``existingCognitoUserPools``: one ``<F>CustomCognitoUserPool1`` per function (one pool
    each, checked at load) listing its triggers; the custom resources of one pool run one after
    the other."""
    statements: list[dict[str, Any]] = []
    service_token = custom_resources.function_logical_id("cognitoUserPool")
    by_function: dict[str, dict[str, Any]] = {}
    by_pool: dict[str, list[str]] = {}
    for site in sites:
        fn = ctx.function(site)
        event = site.event
        config: dict[str, Any] = {"Trigger": event.trigger}
        if event.trigger in CUSTOM_SENDER_SOURCES:
            config["LambdaVersion"] = "V1_0"
            config["KMSKeyID"] = event.kms_key_id
        if site.key in by_function:
            by_function[site.key]["Properties"]["UserPoolConfigs"].append(config)
            continue
        if event.trigger in CUSTOM_SENDER_SOURCES:
            statements.append(
                {"Effect": "Allow", "Resource": event.kms_key_id, "Action": ["kms:CreateGrant"]}
            )
        logical_id = naming.custom_cognito_user_pool_logical_id(site.key)
        by_function[site.key] = ctx.raw.add(
            logical_id,
            {
                "Type": "Custom::CognitoUserPool",
                "Version": 1,
                "DependsOn": [fn.logical_id, service_token],
                "Properties": {
                    "ServiceToken": {"Fn::GetAtt": [service_token, "Arn"]},
                    "FunctionName": fn.props.name,
                    "UserPoolName": event.pool,
                    "UserPoolConfigs": [config],
                    "ForceDeploy": force_deploy_stamp() if event.force_deploy else None,
                },
            },
        )
        by_pool.setdefault(event.pool, []).append(logical_id)
        statements.extend(_function_statements(fn.props.name))
    statements.append(
        {
            "Effect": "Allow",
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:iam::*:role/*"},
            "Action": ["iam:PassRole"],
        }
    )
    custom_resources.one_at_a_time(ctx, by_pool.values())
    custom_resources.add_custom_resource(ctx, "cognitoUserPool", statements)


def _function_statements(function_name: str) -> list[dict[str, Any]]:
    """What the custom resource needs to wire one function to its existing pool."""
    return [
        {
            "Effect": "Allow",
            "Resource": "*",
            "Action": [
                "cognito-idp:ListUserPools",
                "cognito-idp:DescribeUserPool",
                "cognito-idp:UpdateUserPool",
            ],
        },
        {
            "Effect": "Allow",
            "Resource": {"Fn::Sub": f"arn:${{AWS::Partition}}:lambda:*:*:function:{function_name}"},
            "Action": ["lambda:AddPermission", "lambda:RemovePermission"],
        },
    ]


def _new_pools(ctx: BuildContext, sites: Sites) -> None:
    """``CognitoUserPool<Pool>`` per pool (a custom sender's ``KMSKeyID``: one per pool, checked at
    load) and a permission per trigger."""
    pools: dict[str, list[EventSite[CognitoUserPoolEvent]]] = {}
    for site in sites:
        pools.setdefault(site.event.pool, []).append(site)
    for pool, pool_sites in pools.items():
        config: dict[str, Any] = {}
        for site in pool_sites:
            fn, event = ctx.function(site), site.event
            if event.trigger in CUSTOM_SENDER_SOURCES:
                config[event.trigger] = {"LambdaArn": fn.target_arn, "LambdaVersion": "V1_0"}
                config["KMSKeyID"] = event.kms_key_id
            else:
                config[event.trigger] = fn.target_arn
        ctx.raw.add(
            naming.cognito_user_pool_logical_id(pool),
            {
                "Type": "AWS::Cognito::UserPool",
                "Properties": {"UserPoolName": pool, "LambdaConfig": config},
                "DependsOn": [
                    fn.target_alias[1] if fn.target_alias else fn.logical_id
                    for fn in (ctx.function(s) for s in pool_sites)
                ],
            },
        )
    for site in sites:
        fn, event = ctx.function(site), site.event
        ctx.raw.add(
            naming.cognito_permission_logical_id(fn.props.key, event.pool, event.trigger),
            invoke_permission(
                fn.target_arn,
                "cognito-idp.amazonaws.com",
                source_arn={"Fn::GetAtt": [naming.cognito_user_pool_logical_id(event.pool), "Arn"]},
                depends_on=fn.target_alias[1] if fn.target_alias else None,
            ),
        )
