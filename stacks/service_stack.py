"""``ServiceStack``: one Serverless v3 service as one CloudFormation stack, named like v3's.

The stack only wires: functions become :class:`~constructs_lib.function.ServerlessFunction`, each
event goes to its event module, the HTTP API is made on first use. With
``provider.deploymentBucket.name`` the stack uses CDK's CLI-credentials synthesizer: assets go to
that bucket under ``serverless/<service>/<stage>/`` with the caller's credentials, no
``cdk bootstrap`` needed.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import (
    CfnOutput,
    CliCredentialsStackSynthesizer,
    DefaultStackSynthesizer,
    Environment,
    IStackSynthesizer,
    Stack,
)
from constructs import Construct

from constructs_lib import events, naming
from constructs_lib.config.project import LoadedService
from constructs_lib.function import ServerlessFunction
from constructs_lib.http_api import ServiceHttpApi

__all__ = ["STACK_DESCRIPTION", "ServiceStack"]

STACK_DESCRIPTION = "The AWS CloudFormation template for this Serverless application"


def synthesizer_for(service: LoadedService) -> IStackSynthesizer:
    """Named deployment bucket -> no bootstrap; otherwise CDK's bootstrap bucket (for now)."""
    provider = service.model.provider
    prefix = naming.artifact_prefix(service.name, service.stage, provider.deployment_prefix or "serverless")
    bucket = provider.deployment_bucket.name if provider.deployment_bucket else None
    if bucket:
        return CliCredentialsStackSynthesizer(file_assets_bucket_name=bucket, bucket_prefix=prefix)
    return DefaultStackSynthesizer(bucket_prefix=prefix, generate_bootstrap_version_rule=False)


class ServiceStack(Stack):
    """One service. ``functions`` maps function keys to their constructs."""

    def __init__(self, scope: Construct, *, service: LoadedService, **kwargs: Any) -> None:
        model = service.model
        super().__init__(
            scope,
            service.stack_name,
            stack_name=service.stack_name,
            description=STACK_DESCRIPTION,
            synthesizer=kwargs.pop("synthesizer", None) or synthesizer_for(service),
            env=kwargs.pop("env", None) or Environment(region=service.region),
            tags={"STAGE": service.stage},
            **kwargs,
        )
        self.service = service
        self.deployment_method = model.provider.deployment_method or "changesets"
        self._http_api: ServiceHttpApi | None = None
        self.functions: dict[str, ServerlessFunction] = {}

        for key in model.functions:
            props = model.function(key, stage=service.stage)
            assert props.artifact is not None  # checked when the service was loaded
            fn = ServerlessFunction(
                self,
                naming.function_logical_id_prefix(key),
                props=props,
                artifact=service.artifact_path(props.artifact),
                service=service.name,
                stage=service.stage,
            )
            self.functions[key] = fn
            for index, (event_type, event) in enumerate(props.events):
                events.builder(event_type)(self, fn, event, index)

        bucket = model.provider.deployment_bucket.name if model.provider.deployment_bucket else None
        if bucket:
            key = naming.deployment_bucket_output_logical_id()
            out = CfnOutput(
                self, key, value=bucket, export_name=naming.export_name(service.name, service.stage, key)
            )
            out.override_logical_id(key)

    @property
    def http_api(self) -> ServiceHttpApi:
        """The service's HTTP API, created when the first ``httpApi`` event asks for it."""
        if self._http_api is None:
            from constructs_lib.config.model import HttpApiConfig

            config = self.service.model.provider.http_api or HttpApiConfig()
            self._http_api = ServiceHttpApi(
                self, "HttpApi", config=config, service=self.service.name, stage=self.service.stage
            )
        return self._http_api
