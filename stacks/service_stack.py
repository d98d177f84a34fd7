"""``ServiceStack``: one Serverless v3 service as one CloudFormation stack, named like v3's.

The stack only wires: functions become :class:`~constructs_lib.function.ServerlessFunction`, each
event goes to its event module, the HTTP API is made on first use. With
``provider.deploymentBucket.name`` the stack uses CDK's CLI-credentials synthesizer: assets go to
that bucket under ``serverless/<service>/<stage>/`` with the caller's credentials, no
``cdk bootstrap`` needed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any, cast

from aws_cdk import (
    CfnOutput,
    CfnResource,
    CliCredentialsStackSynthesizer,
    DefaultStackSynthesizer,
    Environment,
    IStackSynthesizer,
    Stack,
    Token,
)
from constructs import Construct

from constructs_lib import events, naming
from constructs_lib.config.model import EffectiveFunction
from constructs_lib.config.variables.pseudo import any_marked, as_placeholders
from constructs_lib.constructs.assets import ASSET_LOCATION
from constructs_lib.constructs.deployment_bucket import ServerlessDeploymentBucket
from constructs_lib.constructs.function import FunctionModel, ServerlessFunction
from constructs_lib.constructs.http_api import DEFAULT_ACCESS_LOG_FORMAT, HttpApiAccessLogs, ServiceHttpApi
from constructs_lib.constructs.iam_role import ServiceRole, service_generates_role
from constructs_lib.constructs.layer import ServerlessLayer
from constructs_lib.constructs.pseudo import MarkerRewriting
from constructs_lib.constructs.raw import RawResources
from constructs_lib.constructs.resources import merge_resources
from constructs_lib.errors import SlsCdkError
from constructs_lib.events.build_context import BuildContext
from constructs_lib.loader.python_service import python_service
from constructs_lib.loader.service import LoadedService
from constructs_lib.plugins.iam_roles_per_function.roles import add_function_roles
from constructs_lib.plugins.step_functions.rest import has_http_events
from constructs_lib.plugins.step_functions.stack import add_step_functions, keep_empty_depends_on

__all__ = ["STACK_DESCRIPTION", "ServiceStack"]

STACK_DESCRIPTION = "The AWS CloudFormation template for this Serverless application"
#: v3's core template writes it (``resources.AWSTemplateFormatVersion`` may replace it)
TEMPLATE_FORMAT_VERSION = "2010-09-09"


def asset_location(service: LoadedService) -> tuple[str | None, str]:
    """``(named deployment bucket or None, key prefix)`` of the service's file assets."""
    provider = service.model.provider
    prefix = naming.artifact_prefix(service.name, service.stage, provider.deployment_prefix)
    bucket = provider.deployment_bucket.name if provider.deployment_bucket else None
    return bucket, prefix


def synthesizer_for(service: LoadedService) -> IStackSynthesizer:
    """Named deployment bucket -> no bootstrap; otherwise CDK's bootstrap bucket (for now).

    ``${aws:accountId}`` in the name becomes CDK's ``${AWS::AccountId}`` placeholder (the asset
    manifest keeps it for the CLI to fill in, the template gets ``Fn::Sub``)."""
    bucket, prefix = asset_location(service)
    if bucket:
        return CliCredentialsStackSynthesizer(
            file_assets_bucket_name=as_placeholders(bucket), bucket_prefix=prefix
        )
    return DefaultStackSynthesizer(bucket_prefix=prefix, generate_bootstrap_version_rule=False)


class ServiceStack(Stack):
    """One service as one stack, named like v3's (``id`` defaults to its stack name).

    ``service`` is a loaded serverless.yml (:func:`~constructs_lib.loader.project.load_service`)
    or, for a service written in Python, its name: then ``stage`` (default ``dev``), ``region`` and
    ``provider`` (settings as serverless.yml writes them) complete it. ``functions`` maps function
    keys to their constructs (``aws_lambda.IFunction`` each); ``http_api`` is the service's HTTP
    API, made on first use. Other keyword arguments are ``aws_cdk.Stack``'s.

    Built in v3's order: deployment bucket, generated role, layers, functions (two steps, see
    :class:`~constructs_lib.function.ServerlessFunction`), events, then ``resources`` merged last.
    """

    def __init__(
        self,
        scope: Construct,
        id: str | None = None,
        *,
        service: LoadedService | str,
        stage: str | None = None,
        region: str | None = None,
        provider: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(service, str):
            service = python_service(service, stage=stage, region=region, provider=provider)
        elif stage is not None or region is not None or provider is not None:
            raise ValueError("stage, region and provider come from the loaded service: load it with them")
        settings = service.model.provider
        given_synthesizer = kwargs.pop("synthesizer", None)
        synthesizer = given_synthesizer or synthesizer_for(service)
        if any_marked(service.data):  # ${aws:accountId} inside strings: written as Fn::Sub
            synthesizer = MarkerRewriting(synthesizer)
        super().__init__(
            scope,
            id or service.stack_name,
            stack_name=service.stack_name,
            description=STACK_DESCRIPTION,
            synthesizer=synthesizer,
            env=kwargs.pop("env", None) or Environment(region=service.region),
            # stack tags are deploy-time settings (cdk deploy --tags); an intrinsic value is passed
            # on as written, as v3 passes it to CloudFormation
            tags=cast(dict[str, str], {"STAGE": service.stage, **(settings.stack_tags or {})}),
            notification_arns=settings.notification_arns,
            **kwargs,
        )
        self.template_options.template_format_version = TEMPLATE_FORMAT_VERSION
        self.service = service
        bucket_name, prefix = asset_location(service)
        if given_synthesizer is None and bucket_name and "${" not in bucket_name:
            self.__dict__[ASSET_LOCATION] = (bucket_name, prefix)  # add_zip_asset computes keys locally
        self.deployment_method = settings.deployment_method
        self._http_api: ServiceHttpApi | None = None
        v3_bucket = self._deployment_bucket()
        self.role = self._role()
        self.layers = self._layers(v3_bucket)
        self.functions = self._functions()
        self.raw = RawResources(self)
        self._events()
        empty_depends_on = add_step_functions(service, self.raw, self.add_framework_output)
        self.raw.render()
        add_function_roles(self, service=service, shared=self.role, functions=self.functions, raw=self.raw)
        keep_empty_depends_on(self.raw, empty_depends_on)
        self._bucket_output(v3_bucket)
        if service.model.resources is not None:
            with self._located():
                merge_resources(self, service.model.resources)

    # ---- the steps, in v3's order ----------------------------------------------------------------
    def _deployment_bucket(self) -> str | dict[str, Any]:
        """v3's ``ServerlessDeploymentBucket`` unless a bucket is named; returns what code refers to."""
        options = self.service.model.provider.deployment_bucket
        self.deployment_bucket: ServerlessDeploymentBucket | None = None
        if options is not None and options.name:
            return options.name
        self.deployment_bucket = ServerlessDeploymentBucket(self, "DeploymentBucket", options=options)
        return self.deployment_bucket.ref

    def _role(self) -> ServiceRole | None:
        """The generated ``IamRoleLambdaExecution``, unless a provider role or every function's own
        role makes it unnecessary."""
        model = self.service.model
        own_roles = [(key, "role" in fn.model_fields_set) for key, fn in model.functions.items()]
        if not service_generates_role(model.provider, own_roles):
            return None
        any_vpc = model.provider.vpc is not None or any(
            "vpc" in fn.model_fields_set for fn in model.functions.values()
        )
        return self._new_role(list(self.service.functions.values()), any_vpc=any_vpc)

    def _new_role(self, functions: list[EffectiveFunction], *, any_vpc: bool) -> ServiceRole:
        return ServiceRole(
            self,
            "IamRoleLambdaExecution",
            service=self.service.name,
            stage=self.service.stage,
            provider=self.service.model.provider,
            functions=functions,
            any_vpc=any_vpc,
        )

    def _layers(self, v3_bucket: str | dict[str, Any]) -> dict[str, ServerlessLayer]:
        layers: dict[str, ServerlessLayer] = {}
        for key, layer in self.service.model.layers.items():
            artifact, artifact_as_written = self.service.layer_artifact(key)
            layers[key] = ServerlessLayer(
                self,
                f"Layer{naming.layer_logical_id(key)}",
                key=key,
                layer=layer,
                artifact=artifact,
                artifact_as_written=artifact_as_written,
                service=self.service.name,
                stage=self.service.stage,
                v3_bucket=v3_bucket,
                deployed=self.service.deployed_layers.get(key),
            )
        return layers

    def _functions(self) -> dict[str, ServerlessFunction]:
        """Every function in two steps: all made first, then completed (destinations and aliases
        may name a sibling)."""
        service = self.service
        layer_inputs = {layer.logical_id: layer.hash_input for layer in self.layers.values()}
        functions: dict[str, ServerlessFunction] = {}
        for key, props in service.functions.items():
            image = service.images.get(key)
            model = FunctionModel(
                props,
                None if image else service.function_artifact(key),
                service.name,
                service.stage,
                role=self.role,
                layers=layer_inputs,
                functions=functions.get,
                defer_completion=True,
                image=image,
            )
            functions[key] = ServerlessFunction(
                self, naming.function_logical_id_prefix(key), from_model=model
            )
        for fn in functions.values():
            fn.complete()
        return functions

    def _events(self) -> None:
        """Each event type's builder over its sites, in v3's plugin order."""
        ctx = BuildContext(
            stack=self,
            service=self.service,
            functions=self.functions,
            role=self.role,
            raw=self.raw,
            _add_output=self.add_framework_output,
            _http_api=lambda: self.http_api,
        )
        for event_type, entry in events.REGISTRY.items():
            machines = event_type == "http" and has_http_events(self.service)  # the plugin's own
            if event_type in self.service.sites or entry.always or machines:
                events.builder(event_type)(ctx, self.service.sites.get(event_type, ()))

    def _bucket_output(self, v3_bucket: str | dict[str, Any]) -> None:
        output_id = naming.deployment_bucket_output_logical_id()
        out = CfnOutput(
            self,
            output_id,
            value=v3_bucket if isinstance(v3_bucket, str) else Token.as_string(v3_bucket),
            export_name=naming.export_name(self.service.name, self.service.stage, output_id),
        )
        out.override_logical_id(output_id)

    @contextlib.contextmanager
    def _located(self) -> Iterator[None]:
        """An error that names a key path gets its file:line from the source map."""
        try:
            yield
        except SlsCdkError as exc:
            if exc.location is None and exc.path:
                exc.location = self.service.sources.locate(exc.path)
            raise

    def add_framework_output(self, key: str, value: Any, description: str | None = None) -> CfnOutput:
        """An output v3 makes (exported as ``sls-<service>-<stage>-<key>``); ``value`` may be raw CFN."""
        out = CfnOutput(
            self,
            key,
            value=Token.as_string(value) if isinstance(value, dict) else value,
            description=description,
            export_name=naming.export_name(self.service.name, self.service.stage, key),
        )  # directly under the stack: the construct ID is the logical ID
        return out

    def output(self, key: str) -> CfnOutput | None:
        """The stack output with logical ID ``key`` (framework or ``resources.Outputs``)."""
        for child in self.node.find_all():
            if isinstance(child, CfnOutput) and self.resolve(child.logical_id) == key:
                return child
        return None

    def output_keys(self) -> list[str]:
        return sorted(
            self.resolve(child.logical_id) for child in self.node.find_all() if isinstance(child, CfnOutput)
        )

    def output_reference(self, key: str) -> Any:
        """A CDK reference to output ``key``'s value, usable from another stack (even in another
        region, with ``cross_region_references``); None when the output has no such value."""
        out = self.output(key)
        if out is None:
            return None
        raw = getattr(out, "sls_raw_value", None)
        if raw is None:
            return out.value  # framework outputs hold CDK tokens (or plain text)
        if isinstance(raw, str):
            return raw
        if isinstance(raw, dict) and set(raw) == {"Ref"}:
            return self._resource(raw["Ref"]).ref
        if isinstance(raw, dict) and set(raw) == {"Fn::GetAtt"}:
            target, attribute = raw["Fn::GetAtt"]
            return self._resource(target).get_att(attribute).to_string()
        return None

    def _resource(self, logical_id: str) -> CfnResource:
        for child in self.node.find_all():
            if isinstance(child, CfnResource) and self.resolve(child.logical_id) == logical_id:
                return child
        raise KeyError(logical_id)

    def generated_role(self) -> ServiceRole:
        """The service's ``IamRoleLambdaExecution``, made now if no function of the YAML needed it
        (a function written in Python without a role of its own uses it)."""
        if self.role is None:
            self.role = self._new_role([], any_vpc=False)
        return self.role

    @property
    def http_api(self) -> ServiceHttpApi:
        """The service's HTTP API, created when the first ``httpApi`` event asks for it."""
        if self._http_api is None:
            from constructs_lib.config.model import HttpApiConfig, HttpApiLogs

            provider = self.service.model.provider
            config = provider.http_api or HttpApiConfig()
            logs_config = provider.logs.http_api if provider.logs else None
            access_logs = None
            if logs_config:  # with provider.httpApi.id: refused at load
                access_logs = HttpApiAccessLogs(
                    log_group_name=naming.http_api_log_group_name(self.service.stack_name),
                    format=(logs_config.format if isinstance(logs_config, HttpApiLogs) else None)
                    or DEFAULT_ACCESS_LOG_FORMAT,
                    retention_in_days=provider.log_retention_in_days,
                    data_protection_policy=provider.log_data_protection_policy,
                )
            self._http_api = ServiceHttpApi(
                self,
                "HttpApi",
                config=config,
                service=self.service.name,
                stage=self.service.stage,
                tags=provider.tags,
                access_logs=access_logs,
                functions=self.functions.get,
            )
        return self._http_api
