"""``ServerlessFunction``: one Serverless v3 function as CloudFormation, with v3's logical IDs.

It makes the log group (``<F>LogGroup``), the function (``<F>LambdaFunction``), the retained
version (``<F>LambdaVersion<digest>``) with its ``QualifiedArn`` output, the provisioned-concurrency
or SnapStart alias, the event invoke config (``<F>LambdaEvConf``, see
:mod:`~constructs_lib.constructs.event_invoke_config`) and optionally a function URL
(:class:`~constructs_lib.constructs.function_url.ServerlessFunctionUrl`).

The function's properties are computed once, as the dict v3 writes (:meth:`properties`), and put
on a ``CfnFunction`` as raw CloudFormation: values may be intrinsics, tag order is v3's, and the
same dict feeds the version digest, so the version's logical ID matches v3's byte for byte.

v3 compiles functions concurrently: everything up to the version hash runs for all functions
first, the rest (version, aliases, URL, event invoke config) afterwards. The order in which IAM
statements land in the generated role follows from that, so the construct has the same two steps:
``__init__`` and :meth:`complete` (called right away unless ``defer_completion`` is set).
Usable from plain Python: pass an :class:`~constructs_lib.config.model.EffectiveFunction`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib import naming
from constructs_lib.config.model import EffectiveFunction, FunctionUrl
from constructs_lib.constructs.assets import add_zip_asset
from constructs_lib.constructs.event_invoke_config import Siblings, add_event_invoke_config
from constructs_lib.constructs.function_url import ServerlessFunctionUrl
from constructs_lib.constructs.hashing import LayerHashInput, version_digest
from constructs_lib.constructs.intrinsics import raw
from constructs_lib.constructs.overrides import override_property
from constructs_lib.constructs.placement import output, remember_stack, stack_of
from constructs_lib.constructs.resources import set_depends_on

if TYPE_CHECKING:
    from constructs_lib.constructs.iam_role import ServiceRole

__all__ = ["ServerlessFunction"]


_RUNTIME_UPDATE_ON = {"onFunctionUpdate": "FunctionUpdate", "manual": "Manual"}


def _no_siblings(key: str) -> ServerlessFunction | None:
    return None


class ServerlessFunction(Construct):
    """A v3 function: log group, function, version, aliases, event invoke config, optional URL.

    :param props: the merged function settings (function over provider over defaults).
    :param artifact: the deployment zip.
    :param service: service name (for names and export names).
    :param stage: stage (for names and export names).
    :param role: the generated ``IamRoleLambdaExecution``, when the service has one; functions
        add the statements v3 adds (DLQ, KMS, X-Ray, EFS, destinations) to it.
    :param layers: this stack's layers by logical ID (their configuration enters the version digest).
    :param functions: look up a sibling function by key (destinations that name a function).
    :param image: ``(uri@digest, sha)`` of the ECR image, for ``image`` functions (no artifact).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        props: EffectiveFunction,
        artifact: Path | None,
        service: str,
        stage: str,
        role: ServiceRole | None = None,
        layers: Mapping[str, LayerHashInput] | None = None,
        functions: Siblings | None = None,
        defer_completion: bool = False,
        image: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(scope, id_)
        remember_stack(self, scope)
        self.props = props
        self.service = service
        self.stage = stage
        self.role = role
        self._layers = dict(layers or {})
        self._functions: Siblings = functions or _no_siblings
        self.logical_id = naming.lambda_logical_id(props.key)
        #: ``(name, logical ID)`` of the alias events must target (provisioned concurrency, SnapStart).
        self.target_alias: tuple[str, str] | None = None
        self._target_arn_text: tuple[tuple[str, str] | None, str] | None = None  # (alias, token)
        self.log_group = None if props.disable_logs else self._log_group()
        self._image = image
        code = self._code(artifact)
        depends_on: list[str] = list(props.depends_on)
        #: The function's CloudFormation properties as v3 writes them (also the version-hash input).
        self.cfn_properties = self._properties(depends_on)
        self.cfn_function = self._cfn_function(code, depends_on)
        self.version: lambda_.CfnVersion | None = None
        self.url: ServerlessFunctionUrl | None = None
        self.event_invoke_config: lambda_.CfnEventInvokeConfig | None = None
        self._completed = False
        if not defer_completion or not props.needs_version:
            self.complete()

    # ---- the resources of the first step -------------------------------------------------------
    def _log_group(self) -> logs.CfnLogGroup:
        p = self.props
        log_group = logs.CfnLogGroup(
            stack_of(self),
            naming.log_group_logical_id(p.key),
            log_group_name=naming.log_group_name(p.name),
            retention_in_days=p.log_retention_in_days,
        )
        if p.log_data_protection_policy:
            override_property(log_group, "DataProtectionPolicy", p.log_data_protection_policy)
        return log_group

    def _code(self, artifact: Path | None) -> lambda_.CfnFunction.CodeProperty:
        """The image, else the zip as a CDK asset; sets :attr:`code_sha256`."""
        if self._image is not None:
            self.code_sha256 = self._image[1]
            return lambda_.CfnFunction.CodeProperty(image_uri=self._image[0])
        if artifact is None:
            raise ValueError(f"function {self.props.key!r} needs an artifact or an image")
        asset = add_zip_asset(self, artifact)
        self.code_sha256 = asset.code_sha256
        return lambda_.CfnFunction.CodeProperty(s3_bucket=asset.bucket_name, s3_key=asset.object_key)

    def _cfn_function(
        self, code: lambda_.CfnFunction.CodeProperty, depends_on: list[str]
    ) -> lambda_.CfnFunction:
        """The function: typed main settings (so construct-level checks such as cdk-nag see them),
        then :attr:`cfn_properties` as one raw override (same values; CDK deep-merges it)."""
        p = self.props
        function = lambda_.CfnFunction(
            stack_of(self),
            self.logical_id,
            code=code,
            role="",
            memory_size=p.memory_size,
            timeout=p.timeout,
            runtime=p.runtime if self._image is None else None,
            tracing_config=lambda_.CfnFunction.TracingConfigProperty(mode=p.tracing) if p.tracing else None,
            dead_letter_config=lambda_.CfnFunction.DeadLetterConfigProperty(target_arn=p.on_error)
            if isinstance(p.on_error, str)
            else None,
        )
        # one jsii round trip; Lambda@Edge: no Environment nor VpcConfig (v3 drops them after hashing)
        dropped = ("Code", "Environment", "VpcConfig") if p.edge else ("Code",)
        overridden = {k: v for k, v in self.cfn_properties.items() if k not in dropped}
        function.add_override("Properties", overridden)
        function.sls_property_overrides = overridden  # type: ignore[attr-defined]  # resources merge into them
        if self.log_group is not None:
            depends_on.insert(0, naming.log_group_logical_id(p.key))
        if depends_on:
            set_depends_on(function, depends_on)
        if p.condition:
            function.add_override("Condition", p.condition)
        return function

    # ---- the two steps --------------------------------------------------------------------------
    def _properties(self, depends_on: list[str]) -> dict[str, Any]:
        """v3's ``Properties`` for the function, in v3's order; the role statements v3 adds along
        the way (DLQ, KMS, X-Ray, EFS) land in the generated role in the same order."""
        p = self.props
        props = self._package_properties()
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
        props.update(self._dlq_kms_tracing())
        if p.environment is not None:
            props["Environment"] = {"Variables": dict(p.environment)}
        props["Role"] = self._role(depends_on)
        if p.vpc is not None:
            props["VpcConfig"] = {"SecurityGroupIds": p.vpc.security_group_ids, "SubnetIds": p.vpc.subnet_ids}
        if p.file_system_config is not None:
            props["FileSystemConfigs"] = self._file_system()
        if p.reserved_concurrency is not None:
            props["ReservedConcurrentExecutions"] = p.reserved_concurrency
        if p.layers is not None:
            props["Layers"] = list(p.layers)
        if p.logging:
            props["LoggingConfig"] = dict(p.logging)
        return props

    def _package_properties(self) -> dict[str, Any]:
        """An image's config and URI, or a zip's runtime management, handler and runtime."""
        p = self.props
        props: dict[str, Any] = {}
        if self._image is not None:
            if p.image is not None and p.image.config:
                props["ImageConfig"] = p.image.config
            props["Code"] = {"ImageUri": self._image[0]}  # v3 hashes it for images
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

    def _dlq_kms_tracing(self) -> dict[str, Any]:
        """``DeadLetterConfig``, ``KmsKeyArn``, ``TracingConfig`` and the statements they need."""
        p = self.props
        props: dict[str, Any] = {}
        if p.on_error:
            props["DeadLetterConfig"] = {"TargetArn": p.on_error}
            if isinstance(p.on_error, str) and self.role is not None:
                self.role.add_statement(
                    {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [p.on_error]}
                )
        if p.kms_key_arn:
            props["KmsKeyArn"] = p.kms_key_arn
            if isinstance(p.kms_key_arn, str) and self.role is not None:
                self.role.add_statement(
                    {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [p.kms_key_arn]}, union=True
                )
        if p.tracing:
            props["TracingConfig"] = {"Mode": p.tracing}
            if self.role is not None:
                self.role.add_statement(
                    {
                        "Effect": "Allow",
                        "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                        "Resource": ["*"],
                    },
                    union=True,
                )
        return props

    def _file_system(self) -> list[dict[str, Any]]:
        """``FileSystemConfigs`` and the EFS statement (the loader has checked the VPC)."""
        p = self.props
        efs = p.file_system_config
        assert efs is not None
        if p.vpc is None:  # only a Python caller that skipped the loader gets here
            raise ValueError(
                f"function {p.key!r}: fileSystemConfig needs a vpc (on the function or the provider)"
            )
        if self.role is not None:
            self.role.add_statement(
                {
                    "Effect": "Allow",
                    "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                    "Resource": [efs.arn],
                }
            )
        return [{"Arn": efs.arn, "LocalMountPath": efs.local_mount_path}]

    def _role(self, depends_on: list[str]) -> str | dict[str, Any]:
        """v3's ``compileRole``: ARN as text, a logical ID or ``Fn::GetAtt`` adds a DependsOn."""
        role = self.props.role
        if role is None:
            if self.role is None:  # from YAML a function always has one (its own, the provider's or ours)
                raise ValueError(
                    f"function {self.props.key!r} has no role: give it one (props.role) or pass the "
                    "generated role (role=ServiceRole(...))"
                )
            return self.role.arn
        if isinstance(role, str):
            if role.startswith("arn:"):
                return role
            if role != naming.iam_role_lambda_execution_logical_id():
                depends_on.append(role)
            return {"Fn::GetAtt": [role, "Arn"]}
        if "Fn::GetAtt" in role:
            depends_on.append(role["Fn::GetAtt"][0])
        return role

    def complete(self) -> None:
        """Version, aliases, URL and event invoke config (v3 does these after all functions)."""
        if self._completed:
            return
        self._completed = True
        p = self.props
        key = p.key
        if p.needs_version:
            used = [
                self._layers[layer["Ref"]]
                for layer in p.layers or ()
                if isinstance(layer, dict) and layer.get("Ref") in self._layers
            ]
            digest = version_digest(None if self._image else self.code_sha256, self._hashable(), used)
            version_id = naming.lambda_version_logical_id(key, digest)
            self.version = lambda_.CfnVersion(
                stack_of(self),
                version_id,
                function_name=self.cfn_function.ref,
                code_sha256=self.code_sha256,
                description=p.description,
            )
            if p.version:
                self.version.add_override("DeletionPolicy", "Retain")  # one jsii call, not two
            output_id = naming.lambda_version_output_logical_id(key)
            output(
                self,
                output_id,
                value=self.version.ref,
                description="Current Lambda function version",
                export=naming.export_name(self.service, self.stage, output_id),
            )
            if p.provisioned_concurrency:
                self._alias(
                    naming.PROVISIONED_CONCURRENCY_ALIAS,
                    naming.lambda_provisioned_concurrency_alias_logical_id(key),
                    version_id,
                    {"ProvisionedConcurrentExecutions": p.provisioned_concurrency},
                )
            if p.snap_start:
                override_property(self.cfn_function, "SnapStart", {"ApplyOn": "PublishedVersions"})
                self._alias(
                    naming.SNAP_START_ALIAS, naming.lambda_snap_start_alias_logical_id(key), version_id, None
                )
        if p.url is not None:
            self.add_url(p.url)
        self.event_invoke_config = add_event_invoke_config(self, self._functions)

    def _hashable(self) -> dict[str, Any]:
        """The properties the version digest covers, with CDK tokens resolved.

        A token's text (``${Token[TOKEN.42]}``, e.g. a cross-region compose reference) numbers
        tokens in creation order, so it depends on what else the app built; its resolved form
        (the intrinsic it stands for) does not, and keeps the version's logical ID stable."""
        text = json.dumps(self.cfn_properties, default=str)
        if "${Token[" not in text and "#{Token[" not in text:
            return self.cfn_properties
        resolved: dict[str, Any] = stack_of(self).resolve(self.cfn_properties)
        return resolved

    def _alias(self, name: str, logical_id: str, version_id: str, provisioned: dict[str, Any] | None) -> None:
        alias = lambda_.CfnAlias(
            stack_of(self),
            logical_id,
            function_name=self.cfn_function.ref,
            function_version=raw({"Fn::GetAtt": [version_id, "Version"]}),
            name=name,
        )
        if provisioned is not None:
            override_property(alias, "ProvisionedConcurrencyConfig", provisioned)
        alias.add_override("DependsOn", self.logical_id)
        self.target_alias = (name, logical_id)

    # ---- what other constructs use --------------------------------------------------------------
    @property
    def function_arn(self) -> str:
        return self.cfn_function.attr_arn

    @property
    def role_resource_name(self) -> str | None:
        """The role's logical ID in this stack, if it has one (v3 ``resolveFunctionIamRoleResourceName``):
        event source mappings wait for it, so the role's policy exists before polling starts."""
        role = self.props.role
        if role is None:
            return naming.iam_role_lambda_execution_logical_id()
        if isinstance(role, str):
            return None if ":" in role else role
        get_att = role.get("Fn::GetAtt")
        if isinstance(get_att, list) and len(get_att) == 2 and get_att[1] == "Arn":
            return str(get_att[0])
        if any(k in role for k in ("Fn::ImportValue", "Ref", "Fn::Sub")):
            return None
        return naming.iam_role_lambda_execution_logical_id()

    @property
    def target_arn(self) -> dict[str, Any]:
        """What events invoke: the function, or its alias (v3's ``resolveLambdaTarget``)."""
        arn = {"Fn::GetAtt": [self.logical_id, "Arn"]}
        if self.target_alias is None:
            return arn
        return {"Fn::Join": [":", [arn, self.target_alias[0]]]}

    @property
    def target_arn_text(self) -> str:
        """:attr:`target_arn` as a CDK string token, made once (each conversion is a jsii call)."""
        if self._target_arn_text is None or self._target_arn_text[0] != self.target_alias:
            self._target_arn_text = (self.target_alias, raw(self.target_arn))  # the alias may come later
        return self._target_arn_text[1]

    def add_url(self, options: FunctionUrl) -> ServerlessFunctionUrl:
        """Give the function a URL (``functions.<f>.url``)."""
        if self.url is not None:
            raise ValueError(f"function {self.props.key!r} already has a URL")
        self.url = ServerlessFunctionUrl(function=self, options=options)
        return self.url
