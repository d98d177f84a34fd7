"""The least-privilege IAM policy a deployer needs for exactly these stacks.

Built from the synthesized templates: each resource type present grants its CloudFormation
handler's actions, scoped to the names this project uses (functions, log groups, roles, the
deployment bucket prefix, the stacks). Every other type (event sources, plugins, ``resources``)
is granted the permissions its CloudFormation resource schema lists (:mod:`.permissions`) on
``*`` and reported, so a reviewer can tighten them; ``iam:PassRole`` among them is granted only on
the roles the stack makes or names. A type the registry does not know is reported, not granted.
The Lambda trust policy comes alongside.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from constructs_lib.checks.permissions import schema_permissions
from constructs_lib.config.data import JsonObject
from constructs_lib.config.defaults import DEFAULT_DEPLOYMENT_PREFIX

__all__ = ["LAMBDA_TRUST_POLICY", "DeployTarget", "deployer_policy"]

LAMBDA_TRUST_POLICY: JsonObject = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}

_CFN = [
    "cloudformation:CreateStack",
    "cloudformation:UpdateStack",
    "cloudformation:DeleteStack",
    "cloudformation:DescribeStacks",
    "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStackResources",
    "cloudformation:ListStackResources",
    "cloudformation:GetTemplate",
    "cloudformation:GetTemplateSummary",
    "cloudformation:CreateChangeSet",
    "cloudformation:DescribeChangeSet",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:DeleteChangeSet",
    "cloudformation:TagResource",
]
_LAMBDA = [
    "lambda:CreateFunction",
    "lambda:DeleteFunction",
    "lambda:GetFunction",
    "lambda:GetFunctionConfiguration",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:TagResource",
    "lambda:UntagResource",
    "lambda:ListTags",
    "lambda:GetRuntimeManagementConfig",
    "lambda:PutRuntimeManagementConfig",
    "lambda:GetFunctionCodeSigningConfig",
    "lambda:GetFunctionRecursionConfig",
    "lambda:PutFunctionConcurrency",
    "lambda:DeleteFunctionConcurrency",
]

#: what creating, updating and deleting any API Gateway (v1 or v2) resource needs
_APIGATEWAY_ACTIONS = [
    "apigateway:GET",
    "apigateway:POST",
    "apigateway:PUT",
    "apigateway:PATCH",
    "apigateway:DELETE",
]

_BY_TYPE: dict[str, tuple[str, list[str]]] = {
    # type -> (scope kind, actions)
    "AWS::Lambda::Function": ("function", _LAMBDA),
    "AWS::Lambda::Version": (
        "function",
        ["lambda:PublishVersion", "lambda:GetFunction", "lambda:ListVersionsByFunction"],
    ),
    "AWS::Lambda::Alias": (
        "function",
        [
            "lambda:CreateAlias",
            "lambda:UpdateAlias",
            "lambda:DeleteAlias",
            "lambda:GetAlias",
            "lambda:PutProvisionedConcurrencyConfig",
            "lambda:DeleteProvisionedConcurrencyConfig",
            "lambda:GetProvisionedConcurrencyConfig",
        ],
    ),
    "AWS::Lambda::Url": (
        "function",
        [
            "lambda:CreateFunctionUrlConfig",
            "lambda:UpdateFunctionUrlConfig",
            "lambda:DeleteFunctionUrlConfig",
            "lambda:GetFunctionUrlConfig",
        ],
    ),
    "AWS::Lambda::Permission": (
        "function",
        ["lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy"],
    ),
    "AWS::Lambda::EventInvokeConfig": (
        "function",
        [
            "lambda:PutFunctionEventInvokeConfig",
            "lambda:UpdateFunctionEventInvokeConfig",
            "lambda:DeleteFunctionEventInvokeConfig",
            "lambda:GetFunctionEventInvokeConfig",
        ],
    ),
    "AWS::Logs::LogGroup": (
        "log-group",
        [
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:PutRetentionPolicy",
            "logs:DeleteRetentionPolicy",
            "logs:TagResource",
            "logs:UntagResource",
            "logs:ListTagsForResource",
            "logs:DescribeLogGroups",
        ],
    ),
    "AWS::IAM::Role": (
        "role",
        [
            "iam:CreateRole",
            "iam:DeleteRole",
            "iam:GetRole",
            "iam:UpdateRole",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:GetRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:TagRole",
            "iam:UntagRole",
            "iam:ListRolePolicies",
            "iam:ListAttachedRolePolicies",
            "iam:PutRolePermissionsBoundary",
            "iam:UpdateAssumeRolePolicy",
        ],
    ),
    **{
        t: (
            "http-api",
            _APIGATEWAY_ACTIONS,
        )
        for t in (
            "AWS::ApiGatewayV2::Api",
            "AWS::ApiGatewayV2::Stage",
            "AWS::ApiGatewayV2::Integration",
            "AWS::ApiGatewayV2::Route",
            "AWS::ApiGatewayV2::Authorizer",
            "AWS::ApiGatewayV2::Deployment",
            "AWS::ApiGatewayV2::RouteResponse",
        )
    },
    **{
        t: (
            "rest-api",
            _APIGATEWAY_ACTIONS,
        )
        for t in (
            "AWS::ApiGateway::RestApi",
            "AWS::ApiGateway::Resource",
            "AWS::ApiGateway::Method",
            "AWS::ApiGateway::Deployment",
            "AWS::ApiGateway::Authorizer",
            "AWS::ApiGateway::RequestValidator",
            "AWS::ApiGateway::Model",
            "AWS::ApiGateway::ApiKey",
            "AWS::ApiGateway::UsagePlan",
            "AWS::ApiGateway::UsagePlanKey",
        )
    },
}
#: CloudFormation invokes a custom resource's ServiceToken Lambda with the deployer's credentials
_CUSTOM_RESOURCE = ("function", ["lambda:InvokeFunction"])


@dataclass
class DeployTarget:
    """What one stack touches, by name."""

    stack: str
    region: str
    functions: list[str] = field(default_factory=list)
    roles_passed: list[str] = field(default_factory=list)
    """Role ARNs functions use (``iam:PassRole``)."""
    roles_created: list[str] = field(default_factory=list)
    bucket: str | None = None
    prefix: str = DEFAULT_DEPLOYMENT_PREFIX
    """The artifacts' S3 key prefix (``<deploymentPrefix>/<service>/<stage>``)."""
    resource_types: set[str] = field(default_factory=set)
    log_groups: list[str] = field(default_factory=list)
    """Log group names the template creates besides ``/aws/lambda/<function>``."""


def _arn(service: str, region: str, account: str, rest: str) -> str:
    return f"arn:aws:{service}:{region}:{account}:{rest}"


def deployer_policy(targets: Iterable[DeployTarget], account: str) -> tuple[JsonObject, list[str]]:
    """``(policy document, notes)``; notes name resource types granted from their schema on ``*``."""
    statements: list[JsonObject] = []
    notes: list[str] = []
    for t in targets:
        sid = "".join(c for c in t.stack.title() if c.isalnum())
        statements.extend(_stack_statements(t, sid, account))
        resources = _scoped_resources(t, account)
        for scope, actions in sorted(_scoped_actions(t, notes).items()):
            if not resources[scope]:
                continue
            statements.append(
                {
                    "Sid": f"{sid}{''.join(p.title() for p in scope.split('-'))}",
                    "Effect": "Allow",
                    "Action": sorted(actions),
                    "Resource": resources[scope],
                }
            )
        if t.roles_passed:
            statements.append(
                {
                    "Sid": f"{sid}PassRole",
                    "Effect": "Allow",
                    "Action": ["iam:PassRole"],
                    "Resource": sorted(set(t.roles_passed)),
                    "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
                }
            )
    return {"Version": "2012-10-17", "Statement": statements}, notes


def _stack_statements(t: DeployTarget, sid: str, account: str) -> list[JsonObject]:
    """The stack itself, and the artifacts in the deployment bucket."""
    statements: list[JsonObject] = [
        {
            "Sid": f"{sid}Stack",
            "Effect": "Allow",
            "Action": _CFN,
            "Resource": [_arn("cloudformation", t.region, account, f"stack/{t.stack}/*")],
        }
    ]
    if t.bucket:
        statements.append(
            {
                "Sid": f"{sid}Artifacts",
                "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"],
                "Resource": [f"arn:aws:s3:::{t.bucket}/{t.prefix}/*"],
            }
        )
        statements.append(
            {
                "Sid": f"{sid}ArtifactBucket",
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                "Resource": [f"arn:aws:s3:::{t.bucket}"],
            }
        )
    return statements


def _scoped_actions(t: DeployTarget, notes: list[str]) -> dict[str, set[str]]:
    """Scope kind -> the actions the stack's resource types need there: the table's, else the
    schema's on ``any`` (``*``; ``iam:PassRole`` on ``pass-role``), each such type in ``notes``."""
    scopes: dict[str, set[str]] = {}
    for rtype in sorted(t.resource_types):
        custom = rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource"
        known = _CUSTOM_RESOURCE if custom else _BY_TYPE.get(rtype)
        if known is not None:
            scopes.setdefault(known[0], set()).update(known[1])
            continue
        actions = schema_permissions(rtype)
        if actions is None:
            notes.append(
                f"{t.stack}: {rtype} is not a CloudFormation registry type; grant its actions by hand"
            )
            continue
        if not actions:  # a type whose schema lists no permissions (CodeBuild, AppMesh, ...)
            notes.append(f"{t.stack}: {rtype}: its schema lists no permissions; grant its actions by hand")
            continue
        if "iam:PassRole" in actions:
            scopes.setdefault("pass-role", set()).add("iam:PassRole")
        scopes.setdefault("any", set()).update(a for a in actions if a != "iam:PassRole")
        notes.append(
            f"{t.stack}: {rtype}: its schema's {len(actions)} actions granted on '*'; tighten by hand"
        )
    return scopes


def _scoped_resources(t: DeployTarget, account: str) -> dict[str, list[str]]:
    """Scope kind -> the ARNs of this stack's resources of that kind."""
    return {
        "function": [
            _arn("lambda", t.region, account, f"function:{name}{suffix}")
            for name in t.functions
            for suffix in ("", ":*")
        ],
        "log-group": list(
            dict.fromkeys(
                [_arn("logs", t.region, account, f"log-group:/aws/lambda/{name}:*") for name in t.functions]
                + [_arn("logs", t.region, account, f"log-group:{name}:*") for name in t.log_groups]
            )
        ),
        "role": list(t.roles_created),
        "any": ["*"],
        "pass-role": sorted({*t.roles_created, *t.roles_passed}),
        "http-api": [
            f"arn:aws:apigateway:{t.region}::/apis",
            f"arn:aws:apigateway:{t.region}::/apis/*",
            f"arn:aws:apigateway:{t.region}::/tags/*",
        ],
        "rest-api": [
            f"arn:aws:apigateway:{t.region}::/restapis",
            f"arn:aws:apigateway:{t.region}::/restapis/*",
            f"arn:aws:apigateway:{t.region}::/tags/*",
            *(
                f"arn:aws:apigateway:{t.region}::/{kind}{tail}"
                for kind, rtype in (
                    ("apikeys", "AWS::ApiGateway::ApiKey"),
                    ("usageplans", "AWS::ApiGateway::UsagePlan"),
                )
                if rtype in t.resource_types
                for tail in ("", "/*")
            ),
        ],
    }
