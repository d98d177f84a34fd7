"""``Custom::CognitoUserPool``: triggers of an existing user pool (v3's ``existing: true``).

The pool is found by name; this function's triggers are replaced in its ``LambdaConfig`` and the
rest of the pool's settings are written back unchanged (``UpdateUserPool`` resets what it is not
given). The permission's statement ID is v3's ``<function>-<pool name>``.
"""

from __future__ import annotations

import re
from typing import Any

import boto3
from cfn import environment, lambda_arn, remove_permission, wrap

PHYSICAL_ID = "CustomResourceExistingCognitoUserPool"
CUSTOM_SENDERS = ("CustomSMSSender", "CustomEmailSender")
#: DescribeUserPool fields UpdateUserPool does not take
_READ_ONLY = (
    "Id",
    "Name",
    "Status",
    "LastModifiedDate",
    "CreationDate",
    "SchemaAttributes",
    "AliasAttributes",
    "UsernameAttributes",
    "EstimatedNumberOfUsers",
    "SmsConfigurationFailure",
    "EmailConfigurationFailure",
    "Domain",
    "CustomDomain",
    "UsernameConfiguration",
    "Arn",
)


def statement_id(function_name: str, pool_name: str) -> str:
    normalized = re.sub(r"[.:*\s]", "", pool_name.lower())
    return f"{function_name}-{normalized}"[:100]


def find_pool(cognito: Any, name: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"MaxResults": 60}
    while True:
        page = cognito.list_user_pools(**kwargs)
        for pool in page.get("UserPools", []):
            if pool["Name"] == name:
                return pool  # type: ignore[no-any-return]
        if not page.get("NextToken"):
            raise ValueError(f"user pool {name!r} not found")
        kwargs["NextToken"] = page["NextToken"]


def without_function(config: dict[str, Any], arn: str) -> dict[str, Any]:
    out = {
        k: v
        for k, v in config.items()
        if v != arn and not (k in CUSTOM_SENDERS and isinstance(v, dict) and v.get("LambdaArn") == arn)
    }
    if "KMSKeyID" in out and not any(k in out for k in CUSTOM_SENDERS):
        del out["KMSKeyID"]
    return out


def set_triggers(cognito: Any, pool_name: str, arn: str, configs: list[dict[str, Any]]) -> None:
    pool = cognito.describe_user_pool(UserPoolId=find_pool(cognito, pool_name)["Id"])["UserPool"]
    lambdas = without_function(pool.get("LambdaConfig") or {}, arn)
    for config in configs:
        trigger = config["Trigger"]
        if trigger in CUSTOM_SENDERS:
            lambdas[trigger] = {"LambdaArn": arn, "LambdaVersion": config["LambdaVersion"]}
            lambdas["KMSKeyID"] = config["KMSKeyID"]
        else:
            lambdas[trigger] = arn
    update = {k: v for k, v in pool.items() if k not in _READ_ONLY}
    admin = update.get("AdminCreateUserConfig") or {}
    if "UnusedAccountValidityDays" in admin:  # moved to the password policy by the API
        update.setdefault("Policies", {}).setdefault("PasswordPolicy", {})[
            "TemporaryPasswordValidityDays"
        ] = admin.pop("UnusedAccountValidityDays")
    update["UserPoolId"] = pool["Id"]
    update["LambdaConfig"] = lambdas
    cognito.update_user_pool(**update)


def _create(event: dict[str, Any], context: Any) -> None:
    env = environment(context)
    props = event["ResourceProperties"]
    cognito = boto3.client("cognito-idp", region_name=env["Region"])
    pool = find_pool(cognito, props["UserPoolName"])
    boto3.client("lambda", region_name=env["Region"]).add_permission(
        FunctionName=props["FunctionName"],
        StatementId=statement_id(props["FunctionName"], props["UserPoolName"]),
        Action="lambda:InvokeFunction",
        Principal="cognito-idp.amazonaws.com",
        SourceArn=f"arn:{env['Partition']}:cognito-idp:{env['Region']}:{env['AccountId']}:userpool/{pool['Id']}",
    )
    _update(event, context)


def _update(event: dict[str, Any], context: Any) -> None:
    env = environment(context)
    props = event["ResourceProperties"]
    cognito = boto3.client("cognito-idp", region_name=env["Region"])
    set_triggers(
        cognito, props["UserPoolName"], lambda_arn(env, props["FunctionName"]), props["UserPoolConfigs"]
    )


def _delete(event: dict[str, Any], context: Any) -> None:
    env = environment(context)
    props = event["ResourceProperties"]
    remove_permission(
        boto3.client("lambda", region_name=env["Region"]),
        props["FunctionName"],
        statement_id(props["FunctionName"], props["UserPoolName"]),
    )
    cognito = boto3.client("cognito-idp", region_name=env["Region"])
    set_triggers(cognito, props["UserPoolName"], lambda_arn(env, props["FunctionName"]), [])


handler = wrap(PHYSICAL_ID, {"Create": _create, "Update": _update, "Delete": _delete})
