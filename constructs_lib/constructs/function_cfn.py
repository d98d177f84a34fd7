"""The ``Properties`` v3 writes for a function, in v3's order, and the statements it adds to the
generated role on the way (DLQ topic, KMS key, X-Ray, EFS), in the same order.

Plain dicts of raw CloudFormation (values may be intrinsics): the same dict is the function's
template and the input of the version digest (:mod:`~constructs_lib.constructs.hashing`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from constructs_lib import naming
from constructs_lib.config.model import EffectiveFunction

if TYPE_CHECKING:
    from constructs_lib.constructs.iam_role import ServiceRole

__all__ = ["role_resource_name", "v3_properties"]

_RUNTIME_UPDATE_ON = {"onFunctionUpdate": "FunctionUpdate", "manual": "Manual"}


def v3_properties(
    p: EffectiveFunction, role: ServiceRole | None, image_uri: str | None, depends_on: list[str]
) -> dict[str, Any]:
    """v3's ``Properties`` for the function, in v3's order; the role statements v3 adds along
    the way (DLQ, KMS, X-Ray, EFS) land in the generated role in the same order."""
    props = _package_properties(p, image_uri)
    props["FunctionName"] = p.name
    props["MemorySize"] = p.memory_size
    props["Timeout"] = p.timeout
    if p.architecture:
        props["Architectures"] = [p.architecture]
    if p.description:
        props["Description"] = p.description
    if p.tags is not None:
        props["Tags"] = [{"Key": k, "Value": v} for k, v in p.tags.items()]
    if p.ephemeral_storage_size:
        props["EphemeralStorage"] = {"Size": p.ephemeral_storage_size}
    props.update(_dlq_kms_tracing(p, role))
    if p.environment is not None:
        props["Environment"] = {"Variables": dict(p.environment)}
    props["Role"] = _role(p, role, depends_on)
    if p.vpc is not None:
        props["VpcConfig"] = {"SecurityGroupIds": p.vpc.security_group_ids, "SubnetIds": p.vpc.subnet_ids}
    if p.file_system_config is not None:
        props["FileSystemConfigs"] = _file_system(p, role)
    if p.reserved_concurrency is not None:
        props["ReservedConcurrentExecutions"] = p.reserved_concurrency
    if p.layers is not None:
        props["Layers"] = list(p.layers)
    if p.logging:
        props["LoggingConfig"] = dict(p.logging)
    return props


def _package_properties(p: EffectiveFunction, image_uri: str | None) -> dict[str, Any]:
    """An image's config and URI, or a zip's runtime management, handler and runtime."""
    props: dict[str, Any] = {}
    if image_uri is not None:
        if p.image is not None and p.image.config:
            props["ImageConfig"] = p.image.config
        props["Code"] = {"ImageUri": image_uri}  # v3 hashes it for images
        props["PackageType"] = "Image"
        return props
    rm = p.runtime_management
    if rm is not None and (rm.mode or "auto") != "auto":
        props["RuntimeManagementConfig"] = {"UpdateRuntimeOn": _RUNTIME_UPDATE_ON[rm.mode or "auto"]}
        if rm.mode == "manual":
            props["RuntimeManagementConfig"]["RuntimeVersionArn"] = rm.arn
    props["Handler"] = p.handler
    props["Runtime"] = p.runtime
    return props


def _dlq_kms_tracing(p: EffectiveFunction, role: ServiceRole | None) -> dict[str, Any]:
    """``DeadLetterConfig``, ``KmsKeyArn``, ``TracingConfig`` and the statements they need."""
    props: dict[str, Any] = {}
    if p.on_error:
        props["DeadLetterConfig"] = {"TargetArn": p.on_error}
        if isinstance(p.on_error, str) and role is not None:
            role.add_statement({"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [p.on_error]})
    if p.kms_key_arn:
        props["KmsKeyArn"] = p.kms_key_arn
        if isinstance(p.kms_key_arn, str) and role is not None:
            role.add_statement(
                {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [p.kms_key_arn]}, union=True
            )
    if p.tracing:
        props["TracingConfig"] = {"Mode": p.tracing}
        if role is not None:
            role.add_statement(
                {
                    "Effect": "Allow",
                    "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                    "Resource": ["*"],
                },
                union=True,
            )
    return props


def _file_system(p: EffectiveFunction, role: ServiceRole | None) -> list[dict[str, Any]]:
    """``FileSystemConfigs`` and the EFS statement (the loader has checked the VPC)."""
    efs = p.file_system_config
    assert efs is not None
    if p.vpc is None:  # only a Python caller that skipped the loader gets here
        raise ValueError(
            f"function {p.key!r}: fileSystemConfig needs a vpc (on the function or the provider)"
        )
    if role is not None:
        role.add_statement(
            {
                "Effect": "Allow",
                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                "Resource": [efs.arn],
            }
        )
    return [{"Arn": efs.arn, "LocalMountPath": efs.local_mount_path}]


def _role(p: EffectiveFunction, generated: ServiceRole | None, depends_on: list[str]) -> str | dict[str, Any]:
    """v3's ``compileRole``: ARN as text, a logical ID or ``Fn::GetAtt`` adds a DependsOn; a CDK
    token (an L2 role's ARN) is used as it is (CDK adds the dependency it needs)."""
    role = p.role
    if role is None:
        if generated is None:  # from YAML a function always has one (its own, the provider's or ours)
            raise ValueError(f"function {p.key!r} has no role")
        return cast("str | dict[str, Any]", generated.arn)
    if isinstance(role, str):
        if role.startswith("arn:") or "${Token[" in role:
            return role
        if role != naming.iam_role_lambda_execution_logical_id():
            depends_on.append(role)
        return {"Fn::GetAtt": [role, "Arn"]}
    if "Fn::GetAtt" in role:
        depends_on.append(role["Fn::GetAtt"][0])
    return dict(role)


def role_resource_name(p: EffectiveFunction) -> str | None:
    """The role's logical ID in this stack, if it has one (v3 ``resolveFunctionIamRoleResourceName``):
    event source mappings wait for it, so the role's policy exists before polling starts."""
    role = p.role
    if role is None:
        return naming.iam_role_lambda_execution_logical_id()
    if isinstance(role, str):
        return None if ":" in role or "${Token[" in role else role
    get_att = role.get("Fn::GetAtt")
    if isinstance(get_att, list) and len(get_att) == 2 and get_att[1] == "Arn":
        return str(get_att[0])
    if any(k in role for k in ("Fn::ImportValue", "Ref", "Fn::Sub")):
        return None
    return naming.iam_role_lambda_execution_logical_id()
