"""``ServerlessFunction``: one Serverless v3 function as CloudFormation, with v3's logical IDs.

It makes the log group (``<F>LogGroup``), the function (``<F>LambdaFunction``), the retained
version (``<F>LambdaVersion<digest>``) with its ``QualifiedArn`` output, the provisioned-concurrency
or SnapStart alias, the event invoke config (``<F>LambdaEvConf``: destinations, retries, age) and
optionally a function URL (:class:`ServerlessFunctionUrl`).

The function's properties are computed once, as the dict v3 writes (:meth:`properties`), and put
on a ``CfnFunction`` as raw CloudFormation: values may be intrinsics, tag order is v3's, and the
same dict feeds the version digest, so the version's logical ID matches v3's byte for byte.

v3 compiles functions concurrently: everything up to the version hash runs for all functions
first, the rest (version, aliases, URL, event invoke config) afterwards. The order in which IAM
statements land in the generated role follows from that, so the construct has the same two steps:
``__init__`` and :meth:`complete` (called right away unless ``defer_completion`` is set).
Usable from plain Python: build an :class:`~constructs_lib.config.model.EffectiveFunction` (or
load one from YAML) and pass it in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aws_cdk import CfnOutput, Token
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib import naming
from constructs_lib.config.model import (
    URL_CORS_DEFAULT_HEADERS,
    DestinationTarget,
    EffectiveFunction,
    FunctionUrl,
    UrlCors,
)
from constructs_lib.constructs.assets import add_zip_asset
from constructs_lib.constructs.hashing import LayerHashInput, version_digest
from constructs_lib.constructs.placement import remember_stack, stack_of
from constructs_lib.constructs.resources import set_depends_on
from constructs_lib.errors import ConfigError

if TYPE_CHECKING:
    from constructs_lib.constructs.iam_role import ServiceRole

__all__ = ["URL_CORS_DEFAULT_HEADERS", "ServerlessFunction", "ServerlessFunctionUrl"]


_RUNTIME_UPDATE_ON = {"onFunctionUpdate": "FunctionUpdate", "manual": "Manual"}


def output(
    scope: Construct,
    logical_id: str,
    *,
    value: Any,
    description: str | None,
    export: str,
    nested: bool = False,
) -> CfnOutput:
    """A stack output with v3's logical ID and export name, directly under the stack (see
    :mod:`~constructs_lib.placement`), or ``nested`` under ``scope`` when v3 gives a resource the
    same name (``<F>LambdaFunctionUrl``: one scope cannot hold both)."""
    if not nested:
        return CfnOutput(
            stack_of(scope), logical_id, value=value, description=description, export_name=export
        )
    out = CfnOutput(scope, logical_id, value=value, description=description, export_name=export)
    out.override_logical_id(logical_id)
    return out


def raw(value: Any) -> Any:
    """A raw CloudFormation value (maybe an intrinsic dict) usable where CDK expects text."""
    return Token.as_string(value) if isinstance(value, dict) else value


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
        functions: Callable[[str], ServerlessFunction | None] | None = None,
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
        self._functions = functions or (lambda key: None)
        key = props.key
        self.logical_id = naming.lambda_logical_id(key)
        #: ``(name, logical ID)`` of the alias events must target (provisioned concurrency, SnapStart).
        self.target_alias: tuple[str, str] | None = None
        self._target_arn_text: tuple[tuple[str, str] | None, str] | None = None  # (alias, token)

        self.log_group: logs.CfnLogGroup | None = None
        if not props.disable_logs:
            self.log_group = logs.CfnLogGroup(
                stack_of(self),
                naming.log_group_logical_id(key),
                log_group_name=naming.log_group_name(props.name),
                retention_in_days=props.log_retention_in_days,
            )
            if props.log_data_protection_policy:
                self.log_group.add_property_override("DataProtectionPolicy", props.log_data_protection_policy)

        self._image = image
        if image is not None:
            code = lambda_.CfnFunction.CodeProperty(image_uri=image[0])
            self.code_sha256 = image[1]
        else:
            if artifact is None:
                raise ValueError(f"function {props.key!r} needs an artifact or an image")
            asset = add_zip_asset(self, artifact)
            code = lambda_.CfnFunction.CodeProperty(s3_bucket=asset.bucket_name, s3_key=asset.object_key)
            self.code_sha256 = asset.code_sha256
        depends_on: list[str] = list(props.depends_on)
        #: The function's CloudFormation properties as v3 writes them (also the version-hash input).
        self.cfn_properties = self._properties(depends_on)
        # The main settings also go in as typed properties (same values as the raw override below), so
        # construct-level checks such as cdk-nag see them.
        self.cfn_function = lambda_.CfnFunction(
            stack_of(self),
            self.logical_id,
            code=code,
            role="",
            memory_size=props.memory_size,
            timeout=props.timeout,
            runtime=props.runtime if image is None else None,
            tracing_config=lambda_.CfnFunction.TracingConfigProperty(mode=props.tracing)
            if props.tracing
            else None,
            dead_letter_config=lambda_.CfnFunction.DeadLetterConfigProperty(target_arn=props.on_error)
            if isinstance(props.on_error, str)
            else None,
        )
        # one jsii round trip for all properties (CDK deep-merges the override into its own)
        self.cfn_function.add_override(
            "Properties", {k: v for k, v in self.cfn_properties.items() if k != "Code"}
        )
        if self.log_group is not None:
            depends_on.insert(0, naming.log_group_logical_id(key))
        if depends_on:
            set_depends_on(self.cfn_function, depends_on)
        if props.condition:
            self.cfn_function.add_override("Condition", props.condition)

        self.version: lambda_.CfnVersion | None = None
        self.url: ServerlessFunctionUrl | None = None
        self.event_invoke_config: lambda_.CfnEventInvokeConfig | None = None
        self._completed = False
        if not defer_completion or not props.needs_version:
            self.complete()

    # ---- the two steps --------------------------------------------------------------------------
    def _properties(self, depends_on: list[str]) -> dict[str, Any]:
        """v3's ``Properties`` for the function, in v3's order, and the role statements it adds."""
        p = self.props
        props: dict[str, Any] = {}
        if self._image is not None:
            if p.image is not None and p.image.config:
                props["ImageConfig"] = p.image.config
            props["Code"] = {"ImageUri": self._image[0]}  # v3 hashes it for images
            props["PackageType"] = "Image"
        else:
            rm = p.runtime_management
            if rm is not None and (rm.mode or "auto") != "auto":
                props["RuntimeManagementConfig"] = {"UpdateRuntimeOn": _RUNTIME_UPDATE_ON[rm.mode or "auto"]}
                if rm.mode == "manual":
                    props["RuntimeManagementConfig"]["RuntimeVersionArn"] = rm.arn
            props["Handler"] = p.handler
            props["Runtime"] = p.runtime
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
        if p.environment is not None:
            props["Environment"] = {"Variables": dict(p.environment)}
        props["Role"] = self._role(depends_on)
        if p.vpc is not None:
            props["VpcConfig"] = {"SecurityGroupIds": p.vpc.security_group_ids, "SubnetIds": p.vpc.subnet_ids}
        if p.file_system_config is not None:
            if "VpcConfig" not in props:
                raise ConfigError(
                    f"function {p.key!r}: fileSystemConfig needs a vpc (on the function or the provider)",
                    path=("functions", p.key, "fileSystemConfig"),
                )
            if self.role is not None:
                self.role.add_statement(
                    {
                        "Effect": "Allow",
                        "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                        "Resource": [p.file_system_config.arn],
                    }
                )
            props["FileSystemConfigs"] = [
                {"Arn": p.file_system_config.arn, "LocalMountPath": p.file_system_config.local_mount_path}
            ]
        if p.reserved_concurrency is not None:
            props["ReservedConcurrentExecutions"] = p.reserved_concurrency
        if p.layers is not None:
            props["Layers"] = list(p.layers)
        if p.logging:
            props["LoggingConfig"] = dict(p.logging)
        return props

    def _role(self, depends_on: list[str]) -> Any:
        """v3's ``compileRole``: ARN as text, a logical ID or ``Fn::GetAtt`` adds a DependsOn."""
        role = self.props.role
        if role is None:
            if self.role is None:
                raise ConfigError(
                    f"function {self.props.key!r} has no role and the service generates none",
                    path=("functions", self.props.key, "role"),
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
                self.cfn_function.add_property_override("SnapStart", {"ApplyOn": "PublishedVersions"})
                self._alias(
                    naming.SNAP_START_ALIAS, naming.lambda_snap_start_alias_logical_id(key), version_id, None
                )
        if p.url is not None:
            self.add_url(p.url)
        self._event_invoke_config()

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
            alias.add_property_override("ProvisionedConcurrencyConfig", provisioned)
        alias.add_override("DependsOn", self.logical_id)
        self.target_alias = (name, logical_id)

    def _event_invoke_config(self) -> None:
        p = self.props
        if p.destinations is None and not p.maximum_event_age and p.maximum_retry_attempts is None:
            return
        destination_config: dict[str, Any] = {}
        if p.destinations is not None:
            for field, target in (
                ("OnSuccess", p.destinations.on_success),
                ("OnFailure", p.destinations.on_failure),
            ):
                if target is None:
                    continue
                destination_config[field] = {"Destination": self._destination_arn(target)}
                if p.role is None and self.role is not None:
                    self._destination_permission(target)
        config = lambda_.CfnEventInvokeConfig(
            stack_of(self),
            naming.lambda_event_config_logical_id(p.key),
            function_name=self.cfn_function.ref,
            qualifier=self.target_alias[0] if self.target_alias else "$LATEST",
        )
        config.add_property_override("DestinationConfig", destination_config)
        if p.maximum_event_age:
            config.add_property_override("MaximumEventAgeInSeconds", p.maximum_event_age)
        if p.maximum_retry_attempts is not None:
            config.add_property_override("MaximumRetryAttempts", p.maximum_retry_attempts)
        if self.target_alias:
            config.add_override("DependsOn", self.target_alias[1])
        self.event_invoke_config = config

    def _destination_arn(self, target: str | DestinationTarget) -> Any:
        if isinstance(target, DestinationTarget):
            return target.arn
        if target.startswith("arn:"):
            return target
        sibling = self._functions(target)
        if sibling is None:
            raise ConfigError(
                f"function {self.props.key!r}: destination {target!r} is neither an ARN nor a function of "
                "this service",
                path=("functions", self.props.key, "destinations"),
            )
        return sibling.target_arn

    def _destination_permission(self, target: str | DestinationTarget) -> None:
        assert self.role is not None
        if isinstance(target, DestinationTarget):
            action = {
                "function": "lambda:InvokeFunction",
                "sqs": "sqs:SendMessage",
                "sns": "sns:Publish",
                "eventBus": "events:PutEvents",
            }[target.type]
            resource: Any = target.arn
        else:
            if not target.startswith("arn:") or ":function:" in target:
                action = "lambda:InvokeFunction"
            elif ":sqs:" in target:
                action = "sqs:SendMessage"
            elif ":sns:" in target:
                action = "sns:Publish"
            elif ":event-bus/" in target:
                action = "events:PutEvents"
            else:
                raise ConfigError(
                    f"function {self.props.key!r}: unsupported destination target {target!r}",
                    path=("functions", self.props.key, "destinations"),
                )
            if target.startswith("arn:"):
                resource = target
            else:
                sibling = self._functions(target)
                assert sibling is not None
                resource = naming.function_arn_sub(sibling.props.name)
        statement = {"Effect": "Allow", "Action": action, "Resource": resource}
        if statement not in self.role.statements:  # v3 memoizes this per target
            self.role.add_statement(statement)

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
    def target_arn(self) -> Any:
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


class ServerlessFunctionUrl:
    """A function URL with v3's CORS defaults, its public-invoke permissions and its output.

    For ``authType NONE`` v3 adds ``<F>LambdaPermissionFnUrl`` (``lambda:InvokeFunctionUrl``).
    Since October 2025 AWS also requires ``lambda:InvokeFunction`` with ``InvokedViaFunctionUrl``
    for new public URLs; v3 never adds it, so we add ``<F>LambdaPermissionFn`` (purely additive).
    """

    def __init__(self, *, function: ServerlessFunction, options: FunctionUrl) -> None:
        key = function.props.key
        auth_type = "AWS_IAM" if options.authorizer == "aws_iam" else "NONE"
        target = function.target_arn_text
        alias = function.target_alias[1] if function.target_alias else None
        self.cfn_url = lambda_.CfnUrl(
            stack_of(function),
            naming.lambda_url_logical_id(key),
            auth_type=auth_type,
            target_function_arn=target,
            cors=_url_cors(options.cors),
            invoke_mode="RESPONSE_STREAM" if options.invoke_mode == "RESPONSE_STREAM" else None,
        )
        if alias:
            self.cfn_url.add_override("DependsOn", alias)
        self.permissions: list[lambda_.CfnPermission] = []
        if auth_type == "NONE":
            url_permission = lambda_.CfnPermission(
                stack_of(function),
                naming.lambda_url_permission_logical_id(key),
                function_name=target,
                action="lambda:InvokeFunctionUrl",
                principal="*",
                function_url_auth_type="NONE",
            )
            invoke_permission = lambda_.CfnPermission(
                stack_of(function),
                naming.lambda_url_invoke_permission_logical_id(key),
                function_name=target,
                action="lambda:InvokeFunction",
                principal="*",
                invoked_via_function_url=True,
            )
            self.permissions = [url_permission, invoke_permission]
            if alias:
                for permission in self.permissions:
                    permission.add_override("DependsOn", alias)
        output(
            function,
            naming.lambda_url_output_logical_id(key),
            value=self.cfn_url.attr_function_url,
            description="Lambda Function URL",
            export=naming.export_name(
                function.service, function.stage, naming.lambda_url_output_logical_id(key)
            ),
            nested=True,
        )


def _url_cors(cors: bool | UrlCors) -> lambda_.CfnUrl.CorsProperty | None:
    """v3: ``true`` -> defaults; an object overrides field by field and ``null`` removes a field."""
    if cors is False:
        return None
    spec = cors if isinstance(cors, UrlCors) else UrlCors()
    nulls = spec.explicit_nulls

    def pick(field: str, value: Any, default: Any) -> Any:
        if field in nulls:
            return None
        return value if value is not None else default

    return lambda_.CfnUrl.CorsProperty(
        allow_credentials=pick("allowCredentials", spec.allow_credentials, None),
        allow_headers=pick("allowedHeaders", spec.allowed_headers, list(URL_CORS_DEFAULT_HEADERS)),
        allow_methods=pick("allowedMethods", spec.allowed_methods, ["*"]),
        allow_origins=pick("allowedOrigins", spec.allowed_origins, ["*"]),
        expose_headers=pick("exposedResponseHeaders", spec.exposed_response_headers, None),
        max_age=pick("maxAge", spec.max_age, None),
    )
