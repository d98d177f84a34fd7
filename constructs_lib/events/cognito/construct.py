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
from constructs_lib.errors import ConfigError
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.cognito import CUSTOM_SENDER_SOURCES, CognitoUserPoolEvent
from constructs_lib.events.sites import EventSite


def build(ctx: BuildContext, sites: Sequence[EventSite[Any]]) -> None:
    new = [site for site in sites if not site.event.existing]
    if new:
        _new_pools(ctx, new)
    existing = [site for site in sites if site.event.existing]
    if existing:
        _existing_pools(ctx, existing)


def _existing_pools(ctx: BuildContext, sites: Sequence[EventSite[Any]]) -> None:
    """v3's ``existingCognitoUserPools``: one ``<F>CustomCognitoUserPool1`` per function (one pool
    each) listing its triggers; the custom resources of one pool run one after the other."""
    statements: list[dict[str, Any]] = []
    service_token = custom_resources.function_logical_id("cognitoUserPool")
    by_function: dict[str, tuple[str, dict[str, Any]]] = {}
    by_pool: dict[str, list[str]] = {}
    kms_by_pool: dict[str, Any] = {}
    for site in sites:
        fn = ctx.function(site)
        event: CognitoUserPoolEvent = site.event
        key = fn.props.key
        where = ("functions", key, "events", site.index, "cognitoUserPool")
        config: dict[str, Any] = {"Trigger": event.trigger}
        if event.trigger in CUSTOM_SENDER_SOURCES:
            if not event.kms_key_id:
                raise ConfigError(
                    f"trigger {event.trigger} of pool {event.pool!r} needs a kmsKeyId", path=where
                )
            if kms_by_pool.setdefault(event.pool, event.kms_key_id) != event.kms_key_id:
                raise ConfigError(
                    f"all custom sender triggers of pool {event.pool!r} must use the same kmsKeyId",
                    path=(*where, "kmsKeyId"),
                )
            config["LambdaVersion"] = "V1_0"
            config["KMSKeyID"] = event.kms_key_id
        if key in by_function:
            first, resource = by_function[key]
            if first != event.pool:
                raise ConfigError(
                    f"function {key!r} already has an existing user pool ({first}); "
                    "v3 allows one per function",
                    path=(*where, "pool"),
                )
            resource["Properties"]["UserPoolConfigs"].append(config)
            continue
        if event.trigger in CUSTOM_SENDER_SOURCES:
            statements.append(
                {"Effect": "Allow", "Resource": event.kms_key_id, "Action": ["kms:CreateGrant"]}
            )
        logical_id = naming.custom_cognito_user_pool_logical_id(key)
        resource = {
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
        }
        ctx.raw.add(logical_id, resource)
        by_function[key] = (event.pool, resource)
        by_pool.setdefault(event.pool, []).append(logical_id)
        statements.append(
            {
                "Effect": "Allow",
                "Resource": "*",
                "Action": [
                    "cognito-idp:ListUserPools",
                    "cognito-idp:DescribeUserPool",
                    "cognito-idp:UpdateUserPool",
                ],
            }
        )
        statements.append(
            {
                "Effect": "Allow",
                "Resource": {"Fn::Sub": f"arn:${{AWS::Partition}}:lambda:*:*:function:{fn.props.name}"},
                "Action": ["lambda:AddPermission", "lambda:RemovePermission"],
            }
        )
    statements.append(
        {
            "Effect": "Allow",
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:iam::*:role/*"},
            "Action": ["iam:PassRole"],
        }
    )
    custom_resources.one_at_a_time(ctx, by_pool.values())
    custom_resources.add_custom_resource(ctx, "cognitoUserPool", statements)


def _new_pools(ctx: BuildContext, sites: Sequence[EventSite[Any]]) -> None:
    pools: dict[str, list[Any]] = {}
    for site in sites:
        event: CognitoUserPoolEvent = site.event
        pools.setdefault(event.pool, []).append(site)
    for pool, pool_sites in pools.items():
        config: dict[str, Any] = {}
        kms: Any = None
        for site in pool_sites:
            fn, event = ctx.function(site), site.event
            if event.trigger in CUSTOM_SENDER_SOURCES:
                if not event.kms_key_id:
                    raise ConfigError(
                        f"trigger {event.trigger} of pool {pool!r} needs a kmsKeyId",
                        path=("functions", fn.props.key, "events", site.index, "cognitoUserPool"),
                    )
                if kms is not None and kms != event.kms_key_id:
                    raise ConfigError(
                        f"all custom sender triggers of pool {pool!r} must use the same kmsKeyId",
                        path=("functions", fn.props.key, "events", site.index, "cognitoUserPool", "kmsKeyId"),
                    )
                kms = event.kms_key_id
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
