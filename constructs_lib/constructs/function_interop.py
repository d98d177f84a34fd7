"""The ``aws_lambda.IFunction`` side of :class:`~constructs_lib.constructs.function.ServerlessFunction`.

``FunctionBase`` (CDK's base of ``lambda_.Function``) gives grants, permissions, event sources and
metrics once these members are there: the function's name and ARN, its role as an ``iam.IRole``
(the generated one as :class:`~constructs_lib.constructs.grants.GeneratedRole`, so grants become
statements of v3's policy), its architecture and its security groups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Node

from constructs_lib.constructs.intrinsics import raw

if TYPE_CHECKING:
    from constructs_lib.config.model import EffectiveFunction
    from constructs_lib.constructs.iam_role import ServiceRole

    _Base = lambda_.FunctionBase
else:
    _Base = object

__all__ = ["LambdaInterop"]


class LambdaInterop(_Base):
    """``IFunction`` members, computed from the function's model (role objects on first use)."""

    if TYPE_CHECKING:  # set by ServerlessFunction
        props: EffectiveFunction
        cfn_function: lambda_.CfnFunction
        cfn_properties: dict[str, Any]
        generated_role: ServiceRole | None
        _given_role: iam.IRole | None
        _security_groups: tuple[ec2.ISecurityGroup, ...]

    @property
    def function_name(self) -> str:
        return self.cfn_function.ref

    @property
    def function_arn(self) -> str:
        return self.cfn_function.attr_arn

    @property
    def role(self) -> iam.IRole | None:
        """The execution role as an ``iam.IRole`` (the generated one adds grants to its policy)."""
        if self._given_role is None:
            self._given_role = self._role_object()
        return self._given_role

    def use_role(self, arn: Any) -> None:
        """The function runs on another role than its model says (a plugin's own role for it):
        ``role`` and the grants follow (``AWS::IAM::Policy`` on that role, as for any given role)."""
        self.__dict__["_sls_role_arn"] = arn
        self._given_role = None

    def _role_object(self) -> iam.IRole | None:
        from constructs_lib.constructs.grants import GeneratedRole

        replaced = self.__dict__.get("_sls_role_arn")
        if replaced is None and self.generated_role is not None and self.props.role is None:
            return GeneratedRole(self, "GeneratedRole", role=self.generated_role)
        arn = replaced if replaced is not None else self.cfn_properties.get("Role")
        if arn is None:
            return None
        return iam.Role.from_role_arn(self, "RoleRef", arn if isinstance(arn, str) else raw(arn))

    @property
    def grant_principal(self) -> iam.IPrincipal:
        role = self.role
        if role is not None:
            return role
        return cast(iam.IPrincipal, iam.UnknownPrincipal(resource=self))

    @property
    def permissions_node(self) -> Node:
        return self.node

    @property
    def architecture(self) -> lambda_.Architecture:
        arm = self.props.architecture == "arm64"
        return lambda_.Architecture.ARM_64 if arm else lambda_.Architecture.X86_64

    @property
    def resource_arns_for_grant_invoke(self) -> list[str]:
        return [self.function_arn, f"{self.function_arn}:*"]

    @property
    def tenancy_config(self) -> lambda_.TenancyConfig | None:
        return None

    @property
    def _can_create_permissions(self) -> bool:
        return True

    @property
    def is_bound_to_vpc(self) -> bool:
        return self.props.vpc is not None

    @property
    def connections(self) -> ec2.Connections:
        """The function's security groups (an L2 VPC's, or those named by ID in serverless.yml)."""
        if self.props.vpc is None:
            raise ValueError(f"function {self.props.key!r} is not in a VPC: it has no security groups")
        if not self._security_groups:
            ids = self.props.vpc.security_group_ids
            if not isinstance(ids, list):
                raise ValueError(f"function {self.props.key!r}: security groups given as an intrinsic")
            self._security_groups = tuple(
                ec2.SecurityGroup.from_security_group_id(
                    self, f"SecurityGroup{i}", s if isinstance(s, str) else raw(s)
                )
                for i, s in enumerate(ids)
            )
        return ec2.Connections(security_groups=list(self._security_groups))
