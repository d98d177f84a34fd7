"""The generated role as an ``aws_iam.IRole``, so CDK's grants land in v3's policy.

``bucket.grant_read(fn)``, ``queue.grant_consume_messages(fn)``, ``fn.add_event_source(...)`` and
every other L2 grant call ``add_to_principal_policy`` on the function's role. For the role v3
generates (``IamRoleLambdaExecution``) that appends the statement to its inline policy, after v3's
own statements, instead of creating a separate ``AWS::IAM::Policy`` as an imported role would: the
template keeps v3's shape and the grant is one more statement where a reader expects it.
"""

from __future__ import annotations

from typing import Any

import jsii
from aws_cdk import Resource, Token
from aws_cdk import aws_iam as iam
from aws_cdk.interfaces import aws_iam as iam_refs
from constructs import Construct, IDependable

from constructs_lib.constructs.iam_role import ServiceRole

__all__ = ["GeneratedRole"]


@jsii.implements(iam.IRole)
class GeneratedRole(Resource):
    """``role`` of every function using the generated role; adds statements to its policy."""

    def __init__(self, scope: Construct, id: str, *, role: ServiceRole) -> None:
        super().__init__(scope, id)
        self._role = role
        self._arn = Token.as_string(role.arn)
        self._name = Token.as_string(role.ref)

    # ---- IRole ---------------------------------------------------------------------------------
    @property
    def role_arn(self) -> str:
        return self._arn

    @property
    def role_name(self) -> str:
        return self._name

    @property
    def role_ref(self) -> iam_refs.RoleReference:
        return iam_refs.RoleReference(role_arn=self._arn, role_name=self._name)

    @property
    def assume_role_action(self) -> str:
        return "sts:AssumeRole"

    @property
    def grant_principal(self) -> iam.IPrincipal:
        return self

    @property
    def policy_fragment(self) -> iam.PrincipalPolicyFragment:
        return iam.ArnPrincipal(self._arn).policy_fragment

    @property
    def principal_account(self) -> str | None:
        return self.env.account

    def add_to_policy(self, statement: iam.PolicyStatement) -> bool:
        return self.add_to_principal_policy(statement).statement_added

    def add_to_principal_policy(self, statement: iam.PolicyStatement) -> iam.AddToPrincipalPolicyResult:
        """Append ``statement`` to the generated role's inline policy (equal ones once)."""
        rendered: dict[str, Any] = statement.to_statement_json()
        self._role.add_statement(rendered, union=True)
        dependable: IDependable = self._role.cfn_role
        return iam.AddToPrincipalPolicyResult(statement_added=True, policy_dependable=dependable)

    def attach_inline_policy(self, policy: iam.Policy) -> None:
        """An ``iam.Policy`` attached by name (CDK's own ``AWS::IAM::Policy`` resource)."""
        policy.attach_to_role(iam.Role.from_role_arn(self, f"Attach{policy.node.id}", self._arn))

    def add_managed_policy(self, policy: iam.IManagedPolicy) -> None:
        self._role.managed_policies.append(policy.managed_policy_arn)

    def grant(self, grantee: iam.IPrincipal, *actions: str) -> iam.Grant:
        return iam.Grant.add_to_principal(grantee=grantee, actions=list(actions), resource_arns=[self._arn])

    def grant_pass_role(self, grantee: iam.IPrincipal) -> iam.Grant:
        return self.grant(grantee, "iam:PassRole")

    def grant_assume_role(self, grantee: iam.IPrincipal) -> iam.Grant:
        return self.grant(grantee, "sts:AssumeRole")
