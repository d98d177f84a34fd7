"""``cognitoUserPool`` event, as v3's ``newCognitoUserPools``: one ``CognitoUserPool<Pool>`` per pool
with every trigger in ``LambdaConfig`` (custom senders with ``LambdaVersion`` and the pool's
``KMSKeyID``), waiting for its functions, and
``<F>LambdaPermissionCognitoUserPool<Pool>TriggerSource<Trigger>`` per trigger."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ... import naming
from ...errors import ConfigError
from . import CUSTOM_SENDER_SOURCES, CognitoUserPoolEvent


def build(stack: Any, sites: Sequence[Any]) -> None:
    pools: dict[str, list[Any]] = {}
    for site in sites:
        event: CognitoUserPoolEvent = site.event
        pools.setdefault(event.pool, []).append(site)
    for pool, pool_sites in pools.items():
        config: dict[str, Any] = {}
        kms: Any = None
        for site in pool_sites:
            fn, event = site.function, site.event
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
        stack.raw.add(
            naming.cognito_user_pool_logical_id(pool),
            {
                "Type": "AWS::Cognito::UserPool",
                "Properties": {"UserPoolName": pool, "LambdaConfig": config},
                "DependsOn": [
                    fn.target_alias[1] if fn.target_alias else fn.logical_id
                    for fn in (s.function for s in pool_sites)
                ],
            },
        )
    for site in sites:
        fn, event = site.function, site.event
        stack.raw.add(
            naming.cognito_permission_logical_id(fn.props.key, event.pool, event.trigger),
            {
                "Type": "AWS::Lambda::Permission",
                "DependsOn": fn.target_alias[1] if fn.target_alias else None,
                "Properties": {
                    "FunctionName": fn.target_arn,
                    "Action": "lambda:InvokeFunction",
                    "Principal": "cognito-idp.amazonaws.com",
                    "SourceArn": {"Fn::GetAtt": [naming.cognito_user_pool_logical_id(event.pool), "Arn"]},
                },
            },
        )
