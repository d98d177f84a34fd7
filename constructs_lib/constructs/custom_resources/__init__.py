"""The custom-resource Lambdas v3 deploys where CloudFormation has no resource for the job.

v3 adds ``IamRoleCustomResourcesLambdaExecution`` and one ``CustomDashresource...LambdaFunction``
per kind (existing S3 buckets, existing Cognito user pools, the account's API Gateway CloudWatch
role). This module makes the same resources with the same logical IDs, function names and role
statements; the handlers are our own Python (``handlers/``, zipped deterministically), in place of
v3's Node.js ones. They report v3's physical IDs and use v3's notification / permission IDs, so a
stack taken over from v3 updates these resources in place.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from constructs_lib import naming
from constructs_lib.events.build_context import BuildContext

if TYPE_CHECKING:
    from constructs_lib.constructs.assets import ZipAsset

__all__ = ["KINDS", "add_custom_resource", "force_deploy_stamp", "one_at_a_time"]

HANDLERS = Path(__file__).resolve().parent / "handlers"
ROLE = "IamRoleCustomResourcesLambdaExecution"

#: kind -> (v3's function name suffix, our handler)
KINDS: dict[str, tuple[str, str]] = {
    "s3": ("custom-resource-existing-s3", "s3.handler"),
    "cognitoUserPool": ("custom-resource-existing-cup", "cognito_user_pool.handler"),
    "apiGatewayCloudWatchRole": ("custom-resource-apigw-cw-role", "api_gateway_cloud_watch_role.handler"),
    # ours: v3 applies REST stage settings with API calls after the deploy instead
    "apiGatewayStage": ("custom-resource-apigw-stage", "api_gateway_stage.handler"),
}
RUNTIME = "python3.12"


def one_at_a_time(ctx: BuildContext, groups: Iterable[list[str]]) -> None:
    """Custom resources that change the same bucket or pool run one after the other (each
    reads, edits and writes back the whole configuration), as v3 chains them with DependsOn."""
    for ids in groups:
        for previous, current in itertools.pairwise(ids):
            definition = ctx.raw.get(current)
            assert definition is not None, current
            definition["DependsOn"].append(previous)


def force_deploy_stamp() -> int:
    """``forceDeploy: true``: a new value each synthesis (milliseconds, as v3's ``Date.now()``), so
    the custom resource re-applies its configuration on every deploy, which is what it asks for."""
    return int(time.time() * 1000)


def function_logical_id(kind: str) -> str:
    return naming.lambda_logical_id(KINDS[kind][0])


#: kinds of our own (not in v3) get their own role, so v3's role stays statement for statement
OWN_ROLES: dict[str, str] = {"apiGatewayStage": "IamRoleApiGatewayStageSettingsLambdaExecution"}


def add_custom_resource(ctx: BuildContext, kind: str, statements: list[dict[str, Any]]) -> str:
    """Make sure the role and ``kind``'s function exist; add ``statements`` to the role (v3 skips
    a statement whose ``Resource`` is the same text as an earlier one's). Returns the function's
    logical ID (the ``ServiceToken`` to ``Fn::GetAtt``)."""
    provider = ctx.service.model.provider
    write_logs = bool(provider.logs is not None and provider.logs.framework_lambda)
    role_id = OWN_ROLES.get(kind, ROLE)
    role = ctx.raw.get(role_id)
    if role is None:
        role = _add_role(ctx, role_id, kind, write_logs)
    existing = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    for statement in statements:
        resource = statement.get("Resource")
        if not (isinstance(resource, str) and any(s.get("Resource") == resource for s in existing)):
            existing.append(statement)
    logical_id = function_logical_id(kind)
    if ctx.raw.get(logical_id) is None:
        _add_function(ctx, kind, role_id, write_logs)
    return logical_id


def _add_role(ctx: BuildContext, role_id: str, kind: str, write_logs: bool) -> dict[str, Any]:
    """The custom-resource Lambdas' role (v3's ``IamRoleCustomResourcesLambdaExecution``)."""
    service, stage = ctx.service.name, ctx.service.stage
    role_statements: list[dict[str, Any]] = []
    if write_logs:
        group = naming.log_group_name(f"{service}-{stage}")
        role_statements += [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
                "Resource": [naming.log_group_arn(f"{group}*", ":*")],
            },
            {
                "Effect": "Allow",
                "Action": ["logs:PutLogEvents"],
                "Resource": [naming.log_group_arn(f"{group}*", ":*:*")],
            },
        ]
    policy_name = {
        "Fn::Join": ["-", [stage, service, "custom-resources-lambda" if role_id == ROLE else kind]]
    }
    return ctx.raw.add(
        role_id,
        {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": ["lambda.amazonaws.com"]},
                            "Action": ["sts:AssumeRole"],
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": policy_name,
                        "PolicyDocument": {"Version": "2012-10-17", "Statement": role_statements},
                    }
                ],
            },
        },
    )


def _add_function(ctx: BuildContext, kind: str, role_id: str, write_logs: bool) -> None:
    """``kind``'s Lambda (and its log group with ``logs.frameworkLambda``)."""
    provider = ctx.service.model.provider
    suffix, handler = KINDS[kind]
    name = f"{ctx.service.name}-{ctx.service.stage}-{suffix}"
    if len(name) > 64:  # v3's rule for long names
        name = name[:32] + hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
    code = _code(ctx)
    depends = [role_id]
    if write_logs:
        log_group_id = naming.log_group_logical_id(suffix)
        depends.append(log_group_id)
        ctx.raw.add(
            log_group_id,
            {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {
                    "LogGroupName": naming.log_group_name(name),
                    "RetentionInDays": provider.log_retention_in_days,
                    "DataProtectionPolicy": provider.log_data_protection_policy,
                },
            },
        )
    ctx.raw.add(
        function_logical_id(kind),
        {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Code": {"S3Bucket": code.bucket_name, "S3Key": code.object_key},
                "FunctionName": name,
                "Handler": handler,
                "MemorySize": 1024,
                "Runtime": RUNTIME,
                "Timeout": 180,
                "Role": {"Fn::GetAtt": [role_id, "Arn"]},
            },
            "DependsOn": depends,
        },
    )


def handlers_zip() -> Path:
    """The handler modules zipped, and nothing else of their folder: a stray cache or editor file
    must not change the asset's hash (a new hash redeploys every custom-resource Lambda)."""
    from constructs_lib.loader.packaging import package_folder

    return package_folder(HANDLERS, name="custom-resources", excludes=["**"], includes=["*.py"], where=())


def _code(ctx: BuildContext) -> ZipAsset:
    """The handlers' zip, one asset per stack."""
    from constructs_lib.constructs.assets import add_zip_asset

    existing: ZipAsset | None = getattr(ctx.stack, "_custom_resources_code", None)
    if existing is not None:
        return existing
    code = add_zip_asset(ctx.stack, handlers_zip(), "CustomResourcesCode")
    ctx.stack._custom_resources_code = code  # type: ignore[attr-defined]
    return code
