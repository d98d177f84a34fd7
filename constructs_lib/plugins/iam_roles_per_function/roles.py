"""The plugin's roles in the stack, as its ``before:package:finalize`` hook writes them: each a
clone of the generated ``IamRoleLambdaExecution`` as it stands once functions and events are
compiled (trust policy, path, tags, permissions boundary, policy name) with the function's own
statements, name and managed policies; the function's ``Role`` and ``DependsOn`` point at it, and
so does the ``DependsOn`` of its event source mappings (a bare logical ID, as the plugin writes
it). ``resources`` merge later, so extending ``IamRoleLambdaExecution`` there leaves the clones
alone, as in v3."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aws_cdk import aws_iam as iam
from constructs import Construct

from constructs_lib import naming
from constructs_lib.config.model.service import config_validation_mode
from constructs_lib.constructs.iam_role import VPC_ACCESS_POLICY, ServiceRole
from constructs_lib.constructs.overrides import override_property, recorded_overrides
from constructs_lib.constructs.raw import RawResources
from constructs_lib.constructs.resources import depends_on, set_depends_on
from constructs_lib.plugins.iam_roles_per_function.settings import FunctionRole, function_roles

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction
    from constructs_lib.loader.service import LoadedService

__all__ = ["add_function_roles"]

#: what the clone keeps of the generated role's own properties (Policies and ManagedPolicyArns are replaced)
_CLONED = ("Path", "Tags", "PermissionsBoundary")


def _clone(scope: Construct, shared: ServiceRole, role: FunctionRole, policy_name: Any) -> iam.CfnRole:
    cfn = iam.CfnRole(
        scope, role.logical_id, assume_role_policy_document=copy.deepcopy(shared.assume_role_policy)
    )
    cfn.override_logical_id(role.logical_id)
    kept = recorded_overrides(shared.cfn_role)
    properties: dict[str, Any] = {
        "Policies": [
            {
                "PolicyName": policy_name,
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": copy.deepcopy(list(role.statements)),
                },
            }
        ],
        **{key: copy.deepcopy(kept[key]) for key in _CLONED if key in kept},
        "RoleName": role.role_name,
        "ManagedPolicyArns": [copy.deepcopy(VPC_ACCESS_POLICY)] if role.vpc else [],
    }
    if role.boundary:
        properties["PermissionsBoundary"] = role.boundary
    for key, value in properties.items():
        override_property(cfn, key, value)
    return cfn


def add_function_roles(
    scope: Construct,
    *,
    service: LoadedService,
    shared: ServiceRole | None,
    functions: Mapping[str, ServerlessFunction],
    raw: RawResources,
) -> None:
    """Add the plugin's roles (nothing unless it is listed); call once events are rendered and
    before ``resources`` merge. Its refusals were raised at load."""
    roles, global_boundary, _ = function_roles(
        service.model,
        service.functions,
        service.data,
        service.sources,
        mode=config_validation_mode(service.data),
        where=(service.stage, service.region),
    )
    if not roles or shared is None:
        return
    shared_id = naming.iam_role_lambda_execution_logical_id()
    policy_name = naming.role_policy_name(service.name, service.stage)
    if global_boundary:
        override_property(shared.cfn_role, "PermissionsBoundary", global_boundary)
    by_function: dict[str, str] = {}
    for role in roles:
        _clone(scope, shared, role, policy_name)
        fn = functions[role.key]
        override_property(fn.cfn_function, "Role", {"Fn::GetAtt": [role.logical_id, "Arn"]})
        fn.use_role({"Fn::GetAtt": [role.logical_id, "Arn"]})  # L2 grants go to this role
        others = [d for d in depends_on(fn.cfn_function) if d != shared_id]
        set_depends_on(fn.cfn_function, [role.logical_id, *others])
        by_function[fn.logical_id] = role.logical_id
    for logical_id, resource in raw.resources.items():
        definition = raw.definitions[logical_id]
        target = (definition.get("Properties") or {}).get("FunctionName")
        got = target.get("Fn::GetAtt") if isinstance(target, dict) else None
        if definition.get("Type") != "AWS::Lambda::EventSourceMapping" or not isinstance(got, list):
            continue
        role_id = by_function.get(got[0])
        if role_id is not None:
            resource.add_override("DependsOn", role_id)
            resource.sls_depends_on = [role_id]  # type: ignore[attr-defined]
