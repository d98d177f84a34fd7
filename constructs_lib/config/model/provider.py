"""``provider`` (``name: aws``): settings every function inherits, the APIs' options, the
deployment bucket and the deploy-time settings. v3's defaults are declared on the fields."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticUndefined

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.defaults import DEFAULT_DEPLOYMENT_PREFIX, DEFAULT_REGION, DEFAULT_STAGE
from constructs_lib.config.model.api_gateway import ApiGatewayConfig, EndpointType
from constructs_lib.config.model.function import RuntimeManagement, Vpc
from constructs_lib.config.model.http_api import HttpApiConfig
from constructs_lib.config.model.iam import Iam, IamRole, IamStatement
from constructs_lib.config.model.logs import ProviderLogs
from constructs_lib.config.model.values import (
    Architecture,
    ArnOrCfn,
    DeploymentMethod,
    Environment,
    Intrinsic,
    LayerRef,
    LogRetention,
    MemorySize,
    Region,
    Runtime,
    Tags,
    Timeout,
    Tracing,
)
from constructs_lib.config.schema import Base, Ignored, NotSupported
from constructs_lib.events.alb import AlbConfig
from constructs_lib.events.cloud_front import CloudFrontConfig

__all__ = [
    "DeploymentBucket",
    "EventBridgeOptions",
    "KinesisConfig",
    "Provider",
    "ProviderTracing",
    "StackParameter",
    "WebsocketOptions",
]


class DeploymentBucket(Base):
    """``provider.deploymentBucket`` (string form = name). Without a name v3 makes the bucket
    in the stack (``ServerlessDeploymentBucket``); these options shape that bucket."""

    name: str | None = None
    max_previous_deployment_artifacts: Ignored = None
    block_public_access: bool = False
    skip_policy_setup: bool = False
    server_side_encryption: Ignored = None
    sse_kms_key_id: Ignored = Field(default=None, alias="sseKMSKeyId")
    sse_customer_algorithim: Ignored = None
    sse_customer_key: Ignored = None
    sse_customer_key_m_d5: Ignored = Field(default=None, alias="sseCustomerKeyMD5")
    tags: Tags | None = None
    versioning: bool = False

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: JsonValue) -> JsonValue:
        return {"name": value} if isinstance(value, str) else value


class EventBridgeOptions(Base):
    use_cloud_formation: bool | None = None


class KinesisConfig(Base):
    consumer_naming_mode: Literal["serviceSpecific"] | None = None


class ProviderTracing(Base):
    api_gateway: bool | None = None
    lambda_: Tracing | None = Field(default=None, alias="lambda")


class WebsocketOptions(Base):
    """``provider.websocket``."""

    use_provider_tags: bool | None = None


class StackParameter(Base):
    """One of ``provider.stackParameters`` (values for ``resources.Parameters`` at deploy)."""

    parameter_key: str = Field(alias="ParameterKey")
    parameter_value: str | None = Field(default=None, alias="ParameterValue")
    use_previous_value: bool | None = Field(default=None, alias="UsePreviousValue")
    resolved_value: str | None = Field(default=None, alias="ResolvedValue")


class Provider(Base):
    """``provider`` (``name: aws``)."""

    name: Literal["aws"]
    stage: str = DEFAULT_STAGE
    region: Region = DEFAULT_REGION
    profile: str | None = None
    # serverless@3.40.0 (lib/plugins/aws/provider.js; tests/reference/sls3/f21-provider-string)
    runtime: Runtime = "nodejs16.x"
    runtime_management: RuntimeManagement | None = None
    architecture: Architecture | None = None
    memory_size: MemorySize = 1024
    timeout: Timeout = 6
    environment: Environment | None = None
    log_retention_in_days: LogRetention | None = None
    log_data_protection_policy: JsonObject | None = None
    deployment_method: DeploymentMethod = "changesets"
    deployment_bucket: DeploymentBucket | None = None
    deployment_prefix: str = DEFAULT_DEPLOYMENT_PREFIX
    stack_name: Annotated[str, Field(pattern=r"^[a-zA-Z][a-zA-Z0-9-]*$", max_length=128)] | None = None
    http_api: HttpApiConfig | None = None
    iam: Iam | None = None
    role: str | Intrinsic | None = None
    iam_role_statements: list[IamStatement] | None = None
    iam_managed_policies: list[ArnOrCfn] | None = None
    role_permissions_boundary: str | None = None
    version_functions: bool = True
    lambda_hashing_version: Ignored = None
    tags: Tags | None = None
    stack_tags: Tags | None = None
    tracing: ProviderTracing | None = None
    vpc: Vpc | None = None
    layers: list[LayerRef] | None = None
    kms_key_arn: ArnOrCfn | None = None
    logs: ProviderLogs | None = None
    # deploy-time settings: cdk deploy flags (see LoadedService.deploy_flags)
    cfn_role: Annotated[str, Field(pattern=r"^arn:")] | None = None
    stack_parameters: list[StackParameter] | None = None
    disable_rollback: bool | None = None
    notification_arns: list[Annotated[str, Field(pattern=r"^arn:")]] | None = None
    # v3 keys not translated yet
    stack_policy: NotSupported = None
    api_gateway: ApiGatewayConfig | None = None
    api_name: str | None = None
    websockets_api_name: str | None = None
    websockets_api_route_selection_expression: str | None = None
    websockets_description: str | None = None
    websocket: WebsocketOptions | None = None
    endpoint_type: EndpointType | None = None
    event_bridge: EventBridgeOptions | None = None
    ecr: NotSupported = None
    alb: AlbConfig | None = None
    s3: dict[str, JsonObject] | None = None
    """Bucket definitions for ``s3`` events (``name`` + bucket properties in camelCase)."""
    kinesis: KinesisConfig | None = None
    cloud_front: CloudFrontConfig | None = None
    rollback_configuration: NotSupported = None
    resource_policy: NotSupported = None
    usage_plan: NotSupported = None
    api_keys: NotSupported = None
    vpc_endpoint_ids: list[JsonValue] | JsonObject | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _null_is_default(cls, value: JsonValue, info: ValidationInfo) -> JsonValue:
        """``key: null`` (say, a variable's ``null`` fallback) keeps the field's default."""
        if value is None and info.field_name is not None:
            default = cls.model_fields[info.field_name].default
            if default is not PydanticUndefined:
                return default
        return value

    @property
    def kinesis_consumer_naming_service_specific(self) -> bool:
        return self.kinesis is not None and self.kinesis.consumer_naming_mode == "serviceSpecific"

    @property
    def generates_role(self) -> bool:
        """v3 makes ``IamRoleLambdaExecution`` unless a role is given at provider level."""
        return (self.iam is None or self.iam.existing_role is None) and "role" not in self.model_fields_set

    @property
    def role_customisation(self) -> IamRole:
        return self.iam.generated if self.iam else IamRole()
