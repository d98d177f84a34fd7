"""``ServiceRole``: the ``IamRoleLambdaExecution`` role Serverless v3 generates, statement for statement.

v3 starts from a fixed template (assume-role for ``lambda.amazonaws.com``, one inline policy named
``<service>-<stage>-lambda``) and then appends, in this order:

1. log permissions scoped to the service's own log groups (``/aws/lambda/<service>-<stage>*`` plus
   each custom-named function's group), and a ``Deny`` of ``PutLogEvents`` for canonically named
   functions with ``disableLogs``;
2. ``iam.role.statements`` (else the old ``iamRoleStatements``);
3. statements functions add while they compile (DLQ topic, KMS key, X-Ray, EFS, destinations);
4. statements event sources add (queues, streams, ...; ``cloudFront`` adds a logs statement for
   every region and trusts ``edgelambda.amazonaws.com``).

``add_statement(..., union=True)`` skips a statement equal to one already present, as v3's
``_.unionWith(..., _.isEqual)`` does for KMS and X-Ray. The policy is rendered lazily, so anything
added before synthesis lands in the template. No statement is broader than v3's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

import jsii
from aws_cdk import IStableAnyProducer, Lazy
from aws_cdk import aws_iam as iam
from constructs import Construct

from constructs_lib import naming
from constructs_lib.config.model import EffectiveFunction, Provider
from constructs_lib.constructs.l1_sync import keep_tags
from constructs_lib.loader.resources_check import service_generates_role

__all__ = ["VPC_ACCESS_POLICY", "ServiceRole", "service_generates_role"]

#: The managed policy v3 attaches when any function runs in a VPC.
VPC_ACCESS_POLICY: dict[str, Any] = {
    "Fn::Join": [
        "",
        ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"],
    ]
}

_ASSUME_ROLE: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com"]},
            "Action": ["sts:AssumeRole"],
        }
    ],
}


@jsii.implements(IStableAnyProducer)
class _Produce:
    def __init__(self, fn: Callable[[], Any]) -> None:
        self._fn = fn

    def produce(self) -> Any:
        return self._fn()


def _log_statements(functions: Sequence[EffectiveFunction], canonical_prefix: str) -> list[dict[str, Any]]:
    """v3's log statements: create / put for custom-named functions' groups, then the service's own
    prefix (``/aws/lambda/<service>-<stage>*``) and a ``Deny`` for canonical ones with ``disableLogs``."""
    create_resources: list[Any] = []
    put_resources: list[Any] = []
    disabled_canonical: list[str] = []
    has_canonical = False
    for fn in functions:
        if fn.name.startswith(canonical_prefix):
            if fn.disable_logs:
                disabled_canonical.append(fn.name)
            else:
                has_canonical = True
            continue
        if not fn.disable_logs:
            group = naming.log_group_name(fn.name)
            create_resources.append(naming.log_group_arn(group, ":*"))
            put_resources.append(naming.log_group_arn(group, ":*:*"))
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
            "Resource": create_resources,
        },
        {"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": put_resources},
    ]
    if has_canonical:
        prefix = naming.log_group_name(canonical_prefix)
        create_resources.append(naming.log_group_arn(f"{prefix}*", ":*"))
        put_resources.append(naming.log_group_arn(f"{prefix}*", ":*:*"))
        if disabled_canonical:
            statements.append(
                {
                    "Effect": "Deny",
                    "Action": "logs:PutLogEvents",
                    "Resource": [
                        naming.log_group_arn(naming.log_group_name(name), ":*") for name in disabled_canonical
                    ],
                }
            )
    return statements


class ServiceRole(Construct):
    """The generated execution role shared by every function without a role of its own."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        service: str,
        stage: str,
        provider: Provider,
        functions: Sequence[EffectiveFunction],
        any_vpc: bool,
        pinned: bool = True,
    ) -> None:
        super().__init__(scope, id)
        custom = provider.role_customisation
        self._functions = list(functions)
        self._prefix = f"{service}-{stage}"
        self._logs: list[dict[str, Any]] | None = None  # v3's log statements, from the functions
        self._any_vpc = any_vpc
        user_statements = custom.statements if custom.statements is not None else provider.iam_role_statements
        self._own: list[dict[str, Any]] = [s.to_cfn() for s in user_statements or []]

        self.managed_policies: list[Any] = list(
            custom.managed_policies
            if custom.managed_policies is not None
            else provider.iam_managed_policies or []
        )
        if any_vpc:
            self.managed_policies.append(VPC_ACCESS_POLICY)

        boundary = (
            custom.permissions_boundary or custom.permission_boundary or provider.role_permissions_boundary
        )
        # Raw CloudFormation throughout: values may be intrinsics, and tag order must stay v3's.
        self.assume_role_policy = copy.deepcopy(_ASSUME_ROLE)
        self.cfn_role = iam.CfnRole(
            self, "Resource", assume_role_policy_document=Lazy.any(_Produce(lambda: self.assume_role_policy))
        )
        #: v3's logical ID at the stack's root; else (a Python function's own role) CDK's path ID
        self.pinned = pinned
        if pinned:
            self.cfn_role.override_logical_id(naming.iam_role_lambda_execution_logical_id())
        overrides: dict[str, Any] = {
            "Policies": Lazy.any(_Produce(self._policies)),
            "Path": custom.path or "/",
        }
        if pinned or custom.name:  # v3's name is one per service and region
            overrides["RoleName"] = custom.name or naming.role_name(service, stage)
        if custom.tags:
            overrides["Tags"] = [{"Key": k, "Value": v} for k, v in custom.tags.items()]
        if boundary:
            overrides["PermissionsBoundary"] = boundary
        overrides["ManagedPolicyArns"] = Lazy.any(_Produce(lambda: self.managed_policies or None))
        for key, value in overrides.items():
            self.cfn_role.add_property_override(key, value)
        if custom.tags:
            keep_tags(self.cfn_role, overrides["Tags"])
        self.cfn_role.sls_property_overrides = overrides  # type: ignore[attr-defined]  # resources merge into them
        self._policy_name = naming.role_policy_name(service, stage)

    @property
    def arn(self) -> Any:
        """``Fn::GetAtt`` of the role, as v3 writes it into each function (a token when not pinned)."""
        if not self.pinned:
            return self.cfn_role.attr_arn
        return {"Fn::GetAtt": [naming.iam_role_lambda_execution_logical_id(), "Arn"]}

    @property
    def ref(self) -> Any:
        """The role's name (``Ref``)."""
        if not self.pinned:
            return self.cfn_role.ref
        return {"Ref": naming.iam_role_lambda_execution_logical_id()}

    @property
    def statements(self) -> list[dict[str, Any]]:
        """Every statement of the policy, in v3's order: logs first, then the rest as added."""
        if self._logs is None:
            self._logs = _log_statements(self._functions, self._prefix)
        return [*self._logs, *self._own]

    def add_function(self, function: EffectiveFunction) -> None:
        """One more function uses the role (a function written in Python): its logs, its VPC."""
        self._functions.append(function)
        self._logs = None
        if function.vpc is not None and not self._any_vpc:
            self._any_vpc = True
            self.managed_policies.append(VPC_ACCESS_POLICY)

    def trust(self, service_principal: str) -> None:
        """Let another service assume the role too (v3 adds ``scheduler.amazonaws.com`` this way)."""
        principals = self.assume_role_policy["Statement"][0]["Principal"]["Service"]
        if service_principal not in principals:
            principals.append(service_principal)

    def allow_lambda_at_edge(self) -> None:
        """What v3 adds for ``cloudFront`` events: ``edgelambda.amazonaws.com`` may assume the role,
        and logs may be written in every region (Lambda@Edge logs where the function ran, into
        ``/aws/lambda/us-east-1.<name>`` groups it creates itself)."""
        self.trust("edgelambda.amazonaws.com")
        self.add_statement(
            {
                "Effect": "Allow",
                "Action": [
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    "logs:TagResource",
                ],
                "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:logs:*:*:*"}],
            }
        )

    def add_statement(self, statement: dict[str, Any], *, union: bool = False) -> None:
        """Append a statement; with ``union`` skip it when an equal one is already there."""
        if union and statement in self.statements:
            return
        self._own.append(statement)

    def _policies(self) -> list[dict[str, Any]]:
        return [
            {
                "PolicyName": self._policy_name,
                "PolicyDocument": {"Version": "2012-10-17", "Statement": self.statements},
            }
        ]
