"""``functions.<key>``: a function's own settings, before provider values are merged in
(see :mod:`constructs_lib.config.model.effective`)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.model.events import EventItem
from constructs_lib.config.model.http_api import FunctionHttpApi
from constructs_lib.config.model.logs import LambdaLogs
from constructs_lib.config.model.package import FunctionPackage
from constructs_lib.config.model.values import (
    Architecture,
    ArnOrCfn,
    Environment,
    Intrinsic,
    InvokeMode,
    LayerRef,
    LogRetention,
    MemorySize,
    NonNegative,
    Runtime,
    Tags,
    Timeout,
    Tracing,
)
from constructs_lib.config.schema import Base, CfnValue, ListOf, NotSupported

__all__ = [
    "URL_CORS_DEFAULT_HEADERS",
    "DestinationTarget",
    "Destinations",
    "FileSystemConfig",
    "Function",
    "FunctionUrl",
    "Image",
    "RuntimeManagement",
    "UrlCors",
    "Vpc",
]

#: v3's default CORS headers of function URLs (no ``X-Amz-User-Agent``).
URL_CORS_DEFAULT_HEADERS = (
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amzn-Trace-Id",
)


class UrlCors(Base):
    """``functions.<f>.url.cors`` object: each field overrides v3's default; ``null`` removes it."""

    allowed_origins: ListOf[str] | None = None
    allowed_headers: ListOf[str] | None = None
    allowed_methods: ListOf[str] | None = None
    allow_credentials: bool | None = None
    exposed_response_headers: ListOf[str] | None = None
    max_age: int | None = Field(default=None, ge=0, le=86400)
    explicit_nulls: frozenset[str] = Field(default=frozenset(), exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _remember_nulls(cls, value: JsonValue) -> JsonValue:
        if isinstance(value, dict):
            nulls = frozenset(k for k, v in value.items() if v is None)
            return {**value, "explicitNulls": nulls} if nulls else value
        return value

    @model_validator(mode="after")
    def _credentials_need_origin(self) -> UrlCors:
        if self.allow_credentials and (self.allowed_origins is None or "*" in self.allowed_origins):
            raise ValueError(
                "allowCredentials: true cannot be combined with the origin '*'; list the allowed origins"
            )
        return self


class FunctionUrl(Base):
    """``functions.<f>.url``: ``true`` or an object."""

    authorizer: Literal["aws_iam"] | None = None
    cors: bool | UrlCors = False
    invoke_mode: InvokeMode | None = None

    @model_validator(mode="before")
    @classmethod
    def _true_form(cls, value: JsonValue) -> JsonValue:
        return {} if value is True else value


class Vpc(Base):
    """``vpc``: both lists (or intrinsics such as ``Fn::Split``) are required, as in v3."""

    security_group_ids: list[CfnValue] | Intrinsic
    subnet_ids: list[CfnValue] | Intrinsic


class RuntimeManagement(Base):
    mode: Literal["auto", "onFunctionUpdate", "manual"] | None = None
    arn: ArnOrCfn | None = None

    def merged_over(self, base: RuntimeManagement | None) -> RuntimeManagement:
        """Key by key over ``base`` (the provider's), as v3 merges them."""
        if base is None:
            return self
        return RuntimeManagement(mode=self.mode or base.mode, arn=self.arn or base.arn)

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value: JsonValue) -> JsonValue:
        return {"mode": value} if isinstance(value, str) else value


class DestinationTarget(Base):
    arn: ArnOrCfn
    type: Literal["function", "sns", "sqs", "eventBus"]


class Destinations(Base):
    on_success: Annotated[str, Field(min_length=1)] | DestinationTarget | None = None
    on_failure: Annotated[str, Field(min_length=1)] | DestinationTarget | None = None


class FileSystemConfig(Base):
    arn: ArnOrCfn
    local_mount_path: Annotated[str, Field(pattern=r"^/mnt/[a-zA-Z0-9-_.]+$")]


_ECR_URI = re.compile(r"^\d+\.dkr\.ecr\.[a-z0-9-]+..amazonaws.com\/([^@]+)|([^@:]+@sha256:[a-f0-9]{64})$")


class Image(Base):
    """``functions.<key>.image``: an ECR image URI (a tag is resolved to its digest at synth)."""

    uri: str | None = None
    name: NotSupported = None
    command: list[str] | None = None
    entry_point: list[str] | None = None
    working_directory: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _uri_form(cls, value: JsonValue) -> JsonValue:
        if isinstance(value, str):
            if not _ECR_URI.match(value):
                raise ValueError(
                    f"image {value!r} is not an ECR image URI; images built from provider.ecr.images "
                    "(docker) are not supported yet: push the image and give its URI"
                )
            return {"uri": value}
        return value

    @model_validator(mode="after")
    def _uri_required(self) -> Image:
        if not self.uri:
            raise ValueError("image needs a uri (images built from provider.ecr are not supported yet)")
        if not _ECR_URI.match(self.uri):
            raise ValueError(f"image uri {self.uri!r} is not an ECR image URI")
        return self

    @property
    def config(self) -> JsonObject | None:
        """v3's ``ImageConfig``."""
        out: JsonObject = {}
        if self.command:
            out["Command"] = self.command
        if self.entry_point:
            out["EntryPoint"] = self.entry_point
        if self.working_directory:
            out["WorkingDirectory"] = self.working_directory
        return out or None


class Function(Base):
    """``functions.<key>``."""

    handler: str | None = None
    name: str | None = None
    description: Annotated[str, Field(max_length=256)] | None = None
    runtime: Runtime | None = None
    memory_size: MemorySize | None = None
    timeout: Timeout | None = None
    architecture: Architecture | None = None
    environment: Environment | None = None
    log_retention_in_days: LogRetention | None = None
    log_data_protection_policy: JsonObject | None = None
    url: FunctionUrl | None = None
    http_api: FunctionHttpApi | None = None
    events: list[EventItem] = Field(default_factory=list)
    package: FunctionPackage | None = None
    version_function: bool | None = None
    role: str | Intrinsic | None = None
    tags: Tags | None = None
    vpc: Vpc | Literal[False] | None = None
    layers: list[LayerRef] | None = None
    kms_key_arn: ArnOrCfn | None = None
    aws_kms_key_arn: ArnOrCfn | None = None
    reserved_concurrency: NonNegative | Intrinsic | None = None
    provisioned_concurrency: NonNegative | Intrinsic | None = None
    snap_start: bool | None = None
    destinations: Destinations | None = None
    on_error: ArnOrCfn | None = None
    maximum_event_age: Annotated[int, Field(ge=60, le=21600)] | None = None
    maximum_retry_attempts: Annotated[int, Field(ge=0, le=2)] | None = None
    tracing: Tracing | None = None
    disable_logs: bool | None = None
    ephemeral_storage_size: Annotated[int, Field(ge=512, le=10240)] | None = None
    runtime_management: RuntimeManagement | None = None
    file_system_config: FileSystemConfig | None = None
    condition: str | None = None
    depends_on: ListOf[str] | None = None
    image: Image | None = None
    logs: LambdaLogs | None = None
    #: serverless-plugin-warmup's per-function settings (validated by constructs_lib.plugins.warmup)
    warmup: JsonObject | None = None
    #: serverless-iam-roles-per-function's keys (validated by constructs_lib.plugins.iam_roles_per_function)
    iam_role_statements: JsonValue = None
    iam_role_statements_inherit: JsonValue = None
    iam_role_statements_name: JsonValue = None
    iam_permissions_boundary: JsonValue = None

    @field_validator("url", mode="before")
    @classmethod
    def _url_false(cls, value: JsonValue) -> JsonValue:
        return None if value is False else value

    @model_validator(mode="after")
    def _handler_required(self) -> Function:
        if not self.handler and self.image is None:
            raise ValueError("a function needs a 'handler' (or an 'image')")
        if self.handler and self.image is not None:
            raise ValueError("a function takes either 'handler' or 'image', not both")
        if self.provisioned_concurrency and self.snap_start:
            raise ValueError("snapStart and provisionedConcurrency cannot be combined (AWS refuses it)")
        return self

    @property
    def vpc_unset(self) -> bool:
        """``vpc: null`` / ``vpc: false`` on a function removes the provider's VPC, as in v3."""
        return "vpc" in self.model_fields_set and not self.vpc
