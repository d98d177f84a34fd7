"""``ServerlessFunction``: one Serverless v3 function as CloudFormation, usable as an ``IFunction``.

It makes the log group (``<F>LogGroup``), the function (``<F>LambdaFunction``), the retained
version (``<F>LambdaVersion<digest>``) with its ``QualifiedArn`` output, the provisioned-concurrency
or SnapStart alias, the event invoke config (``<F>LambdaEvConf``, see
:mod:`~constructs_lib.constructs.event_invoke_config`) and optionally a function URL
(:class:`~constructs_lib.constructs.function_url.ServerlessFunctionUrl`).

It is an ``aws_lambda.FunctionBase``: ``grant_invoke``, ``add_event_source``, ``add_permission``,
``metric_*``, ``connections`` and L2 grants (``bucket.grant_read(fn)``) work as on
``lambda_.Function``; grants to the generated role become statements of its policy
(:mod:`~constructs_lib.constructs.grants`).

**Logical IDs.** Built from serverless.yml (``ServiceStack``), a function's resources sit directly
under the stack with v3's logical IDs, the migration promise. Written in Python, they sit under
the construct and get CDK's path-based IDs, so the construct nests anywhere and may be used many
times in one stack; ``v3_logical_ids=True`` asks for v3's IDs instead. Physical names follow v3
either way: ``<service>-<stage>-<key>``, the key being the construct's path in its stack.

The function's properties are computed once, as the dict v3 writes
(:func:`~constructs_lib.constructs.function_cfn.v3_properties`), and put on a ``CfnFunction`` as raw
CloudFormation: values may be intrinsics, tag order is v3's, and the same dict feeds the version
digest, so the version's logical ID matches v3's byte for byte. Typed properties set later (by
you or an Aspect) still win (:mod:`~constructs_lib.constructs.l1_sync`).

v3 compiles functions concurrently: everything up to the version hash runs for all functions
first, the rest (version, aliases, URL, event invoke config) afterwards; hence the two steps,
``__init__`` and :meth:`complete` (called right away unless ``defer_completion`` is set).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from aws_cdk import Fn, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib import naming
from constructs_lib.config.model import FunctionUrl
from constructs_lib.constructs.assets import add_zip_asset
from constructs_lib.constructs.event_invoke_config import Siblings, add_event_invoke_config
from constructs_lib.constructs.function_cfn import role_resource_name, v3_properties
from constructs_lib.constructs.function_interop import LambdaInterop
from constructs_lib.constructs.function_props import (
    FunctionModel,
    FunctionOptions,
    claim_key,
    generated_role,
    path_key,
    python_function,
    service_and_stage,
)
from constructs_lib.constructs.function_url import ServerlessFunctionUrl
from constructs_lib.constructs.hashing import version_digest
from constructs_lib.constructs.intrinsics import raw
from constructs_lib.constructs.l1_sync import TypedProperties
from constructs_lib.constructs.overrides import override_property
from constructs_lib.constructs.placement import output, remember_stack, stack_of
from constructs_lib.constructs.resources import set_depends_on

__all__ = ["FunctionModel", "ServerlessFunction"]


def _no_siblings(key: str) -> ServerlessFunction | None:
    return None


class ServerlessFunction(LambdaInterop, lambda_.FunctionBase):
    """A v3 function: log group, function, version, aliases, event invoke config, optional URL.

    Only ``handler``, ``runtime`` and ``code`` (a zip or a folder; or ``image``) matter; each other
    prop defaults as v3's ``functions.<key>`` does (memory 1024 MB, timeout 6 s, a version,
    the log group, the name ``<service>-<stage>-<key>``): the props and their defaults are
    :class:`~constructs_lib.constructs.function_props.FunctionOptions`'. ``key`` defaults to the
    construct's path in its stack. Service and stage come from the enclosing
    ``ServiceStack`` (elsewhere: the stack's name and ``dev``), and so do provider settings.
    ``role`` defaults to the service's generated role (the stack's ``IamRoleLambdaExecution``;
    outside a ``ServiceStack`` a generated role of the function's own). ``extra`` takes any other
    ``functions.<key>`` setting as written in YAML. ``from_model`` is the loader's path.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        handler: str | None = None,
        runtime: str | lambda_.Runtime | None = None,
        code: str | Path | None = None,
        image: str | None = None,
        key: str | None = None,
        name: str | None = None,
        description: str | None = None,
        memory_size: int | None = None,
        timeout: int | None = None,
        environment: Mapping[str, str] | None = None,
        architecture: str | lambda_.Architecture | None = None,
        role: iam.IRole | str | None = None,
        layers: Sequence[lambda_.ILayerVersion | str] | None = None,
        vpc: ec2.IVpc | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        allow_public_subnet: bool = False,
        security_groups: Sequence[ec2.ISecurityGroup] | None = None,
        kms_key: kms.IKey | str | None = None,
        dead_letter_topic: sns.ITopic | str | None = None,
        tracing: bool | str | None = None,
        tags: Mapping[str, str] | None = None,
        reserved_concurrency: int | None = None,
        provisioned_concurrency: int | None = None,
        log_retention_in_days: int | None = None,
        ephemeral_storage_size: int | None = None,
        url: bool | FunctionUrl | Mapping[str, Any] | None = None,
        versioned: bool | None = None,
        extra: Mapping[str, Any] | None = None,
        v3_logical_ids: bool = False,
        from_model: FunctionModel | None = None,
    ) -> None:
        super().__init__(scope, id)
        remember_stack(self, scope)
        pinned = True if from_model is not None else v3_logical_ids
        self._given_role: iam.IRole | None = None
        self._security_groups: tuple[ec2.ISecurityGroup, ...] = ()
        if from_model is None:
            options = FunctionOptions(
                handler=handler, runtime=runtime, code=code, image=image, name=name,
                description=description, memory_size=memory_size, timeout=timeout,
                environment=environment, architecture=architecture, role=role, layers=layers, vpc=vpc,
                vpc_subnets=vpc_subnets, allow_public_subnet=allow_public_subnet,
                security_groups=security_groups, kms_key=kms_key,
                dead_letter_topic=dead_letter_topic, tracing=tracing, tags=tags,
                reserved_concurrency=reserved_concurrency, provisioned_concurrency=provisioned_concurrency,
                log_retention_in_days=log_retention_in_days, ephemeral_storage_size=ephemeral_storage_size,
                url=url, versioned=versioned, extra=dict(extra or {}),
            )  # fmt: skip
            written = python_function(self, claim_key(self, key or path_key(self)), options)
            self._given_role, self._security_groups = written.role, written.security_groups
            service, stage = service_and_stage(stack_of(self))
            from_model = FunctionModel(
                written.props,
                written.artifact,
                service.service,
                stage,
                role=None if written.props.role is not None else generated_role(self, written.props),
                image=written.image,
            )
        self._setup(from_model, pinned)

    def _setup(self, model: FunctionModel, pinned: bool) -> None:
        props = model.props
        self.props = props
        self.service = model.service
        self.stage = model.stage
        self.generated_role = model.role
        #: where the L1s go: the stack (v3's logical IDs) or this construct (CDK's path-based IDs)
        self.home: Construct = stack_of(self) if pinned else self
        self.pinned = pinned
        self._layers = dict(model.layers or {})
        self._functions: Siblings = model.functions or _no_siblings
        self.logical_id = naming.lambda_logical_id(props.key)
        #: ``(name, logical ID)`` of the alias events must target (provisioned concurrency, SnapStart).
        self.target_alias: tuple[str, str] | None = None
        self._target_arn_text: tuple[tuple[str, str] | None, str] | None = None  # (alias, token)
        self._image = model.image
        self.log_group = None if props.disable_logs else self._log_group()
        code = self._code(model.artifact)
        depends_on: list[str] = list(props.depends_on)
        #: The function's CloudFormation properties as v3 writes them (also the version-hash input).
        self.cfn_properties = v3_properties(
            props, self.generated_role, self._image[0] if self._image else None, depends_on
        )
        self.cfn_function = self._cfn_function(code, depends_on)
        self.version: lambda_.CfnVersion | None = None
        self.url: ServerlessFunctionUrl | None = None
        self.event_invoke_config: lambda_.CfnEventInvokeConfig | None = None
        self._completed = False
        if not model.defer_completion or not props.needs_version:
            self.complete()

    # ---- the resources of the first step -------------------------------------------------------
    def _log_group(self) -> logs.CfnLogGroup:
        p = self.props
        log_group = logs.CfnLogGroup(
            self.home,
            naming.log_group_logical_id(p.key),
            log_group_name=naming.log_group_name(p.name),
            retention_in_days=p.log_retention_in_days,
        )
        if p.log_data_protection_policy:
            override_property(log_group, "DataProtectionPolicy", p.log_data_protection_policy)
        if not self.pinned:  # under an L2, CDK asks stateful resources to say it: v3's is Delete
            log_group.apply_removal_policy(RemovalPolicy.DESTROY)
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
            self.home,
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
        self._typed = TypedProperties(function, overridden, self._typed_changed)
        if self.log_group is not None:
            if self.pinned:
                depends_on.insert(0, naming.log_group_logical_id(p.key))
            else:
                function.add_resource_dependency(self.log_group)
        if depends_on:
            set_depends_on(function, depends_on)
        if p.condition:
            function.add_override("Condition", p.condition)
        return function

    def add_environment(self, key: str, value: str) -> ServerlessFunction:
        """Set one environment variable (as ``lambda_.Function.add_environment``); a published
        version takes the new settings' digest, as v3 would give it."""
        variables = self.cfn_properties.setdefault("Environment", {"Variables": {}})["Variables"]
        variables[key] = value
        self.cfn_function.add_property_override(f"Environment.Variables.{key}", value)
        self._typed_changed({})
        return self

    def _typed_changed(self, changes: dict[str, Any]) -> None:
        """Typed properties set after construction: a published version follows the new settings."""
        self.cfn_properties.update({k: v for k, v in changes.items() if v is not None})
        for k in [k for k, v in changes.items() if v is None]:
            self.cfn_properties.pop(k, None)
        if self.version is not None:
            self.version.override_logical_id(self._version_id())

    # ---- the second step ------------------------------------------------------------------------
    def complete(self) -> None:
        """Version, aliases, URL and event invoke config (v3 does these after all functions)."""
        if self._completed:
            return
        self._completed = True
        p = self.props
        key = p.key
        if p.needs_version:
            version_id = self._version_id()
            self.version = lambda_.CfnVersion(
                self.home,
                version_id if self.pinned else "Version",
                function_name=self.cfn_function.ref,
                code_sha256=self.code_sha256,
                description=p.description,
            )
            if not self.pinned:  # the digest in the ID publishes a new version when code or settings change
                self.version.override_logical_id(version_id)
            if p.version and self.pinned:
                self.version.add_override("DeletionPolicy", "Retain")  # one jsii call, not two
            elif p.version:  # under an L2, CDK's way (it adds UpdateReplacePolicy, as it should be)
                self.version.apply_removal_policy(RemovalPolicy.RETAIN)
            output_id = naming.lambda_version_output_logical_id(key)
            output(
                self,
                output_id,
                value=self.version.ref,
                description="Current Lambda function version",
                export=naming.export_name(self.service, self.stage, output_id),
                nested=not self.pinned,
                pinned=self.pinned,
            )
            if p.provisioned_concurrency:
                self._alias(
                    naming.PROVISIONED_CONCURRENCY_ALIAS,
                    naming.lambda_provisioned_concurrency_alias_logical_id(key),
                    {"ProvisionedConcurrentExecutions": p.provisioned_concurrency},
                )
            if p.snap_start:
                override_property(self.cfn_function, "SnapStart", {"ApplyOn": "PublishedVersions"})
                self._alias(naming.SNAP_START_ALIAS, naming.lambda_snap_start_alias_logical_id(key), None)
        if p.url is not None:
            self.add_url(p.url)
        self.event_invoke_config = add_event_invoke_config(self, self._functions)

    def _version_id(self) -> str:
        """The version's logical ID: v3's digest of the code and the configuration it covers."""
        used = [
            self._layers[layer["Ref"]]
            for layer in self.props.layers or ()
            if isinstance(layer, dict) and layer.get("Ref") in self._layers
        ]
        digest = version_digest(None if self._image else self.code_sha256, self._hashable(), used)
        return naming.lambda_version_logical_id(self.props.key, digest)

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

    def _alias(self, name: str, logical_id: str, provisioned: dict[str, Any] | None) -> None:
        assert self.version is not None
        alias = lambda_.CfnAlias(
            self.home,
            logical_id,
            function_name=self.cfn_function.ref,
            function_version=self.version.attr_version,
            name=name,
        )
        if provisioned is not None:
            override_property(alias, "ProvisionedConcurrencyConfig", provisioned)
        if self.pinned:
            alias.add_override("DependsOn", self.logical_id)
        else:
            alias.add_resource_dependency(self.cfn_function)
        self.target_alias = (name, logical_id)
        self._alias_resource = alias

    # ---- what other constructs use --------------------------------------------------------------
    @property
    def role_resource_name(self) -> str | None:
        """The role's logical ID in this stack, if it has one (event source mappings wait for it)."""
        return role_resource_name(self.props)

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
            if self.pinned:
                text = raw(self.target_arn)
            elif self.target_alias is None:
                text = self.cfn_function.attr_arn
            else:
                text = Fn.join(":", [self.cfn_function.attr_arn, self.target_alias[0]])
            self._target_arn_text = (self.target_alias, text)  # the alias may come later
        return self._target_arn_text[1]

    def depend_on_alias(self, resource: Any) -> None:
        """``resource`` waits for the alias events target (v3 writes a ``DependsOn``)."""
        if self.target_alias is None:
            return
        if self.pinned:
            resource.add_override("DependsOn", self.target_alias[1])
        else:
            resource.add_resource_dependency(self._alias_resource)

    def add_url(self, options: FunctionUrl | None = None) -> ServerlessFunctionUrl:
        """Give the function a URL (``functions.<f>.url``; v3's CORS defaults when not given)."""
        if self.url is not None:
            raise ValueError(f"function {self.props.key!r} already has a URL")
        self.url = ServerlessFunctionUrl(function=self, options=options or FunctionUrl())
        return self.url
