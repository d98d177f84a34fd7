"""The typed model of a Serverless v3 service: immutable, validated, with v3's defaults.

This is the seam between configuration (YAML, variables) and constructs (CDK): constructs take
these objects, never raw dicts. Defaults live in :data:`DEFAULTS`, once; provider settings and
function settings are merged key by key in :meth:`Service.function`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_pascal

from constructs_lib import limits
from constructs_lib.config.schema import Base, CfnValue, Ignored, ListOf, NotSupported, is_intrinsic
from constructs_lib.errors import did_you_mean
from constructs_lib.events import NOT_SUPPORTED_YET, REGISTRY
from constructs_lib.events.alb import AlbConfig

__all__ = [
    "DEFAULTS",
    "Cors",
    "DeploymentBucket",
    "EffectiveFunction",
    "Function",
    "FunctionUrl",
    "HttpApiConfig",
    "Iam",
    "Package",
    "Provider",
    "Service",
    "UrlCors",
]

#: Serverless v3's defaults, in one table.
DEFAULTS: dict[str, Any] = {
    "stage": "dev",
    "region": "us-east-1",
    "memory_size": 1024,
    "timeout": 6,
    "runtime": "nodejs14.x",
    "deployment_method": "changesets",
    "deployment_prefix": "serverless",
    "version_functions": True,
    "http_api_payload": "2.0",
}

#: v3's default CORS headers of HTTP APIs and of REST API (``http``) preflights: the same list.
API_CORS_DEFAULT_HEADERS = (
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amz-User-Agent",
    "X-Amzn-Trace-Id",
)
#: v3's default CORS headers of function URLs (no ``X-Amz-User-Agent``).
URL_CORS_DEFAULT_HEADERS = (
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amzn-Trace-Id",
)


def _in_range(name: str, bounds: tuple[int, int]) -> Any:
    low, high = bounds

    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            raise ValueError(f"{name} must be between {low} and {high}, not {value}")
        return value

    return check


def _one_of(name: str, allowed: Any) -> Any:
    def check(value: Any) -> Any:
        if value is not None and value not in allowed:
            guess = did_you_mean(str(value), [str(a) for a in allowed])
            extra = f"; did you mean {guess!r}?" if guess else ""
            if len(allowed) > 12:  # a long list helps nobody; the guess does
                raise ValueError(f"unknown {name} {value!r}{extra}")
            raise ValueError(f"{name} {value!r} is not one of {', '.join(map(str, sorted(allowed)))}{extra}")
        return value

    return check


def _check_env_name(name: str) -> str:
    if name in limits.RESERVED_ENV_NAMES:
        raise ValueError(f"environment variable {name!r} is reserved by AWS Lambda")
    return name


# Value types shared by provider and function settings, each checked against limits.py once.
MemorySize = Annotated[int, AfterValidator(_in_range("memorySize", limits.MEMORY_MB))]
Timeout = Annotated[int, AfterValidator(_in_range("timeout", limits.TIMEOUT_S))]
Architecture = Annotated[str, AfterValidator(_one_of("architecture", limits.ARCHITECTURES))]
Runtime = Annotated[str, AfterValidator(_one_of("runtime", limits.RUNTIMES))]
Region = Annotated[str, AfterValidator(_one_of("region", limits.REGIONS))]
DeploymentMethod = Annotated[str, AfterValidator(_one_of("deploymentMethod", limits.DEPLOYMENT_METHODS))]
LogRetention = Annotated[int, AfterValidator(_one_of("logRetentionInDays", limits.LOG_RETENTION_DAYS))]
InvokeMode = Annotated[str, AfterValidator(_one_of("invokeMode", limits.URL_INVOKE_MODES))]
Tracing = Literal["Active", "PassThrough"] | bool
EnvName = Annotated[str, AfterValidator(_check_env_name)]
Environment = dict[EnvName, CfnValue]


# ---- HTTP API ------------------------------------------------------------------------------------


class Cors(Base):
    """``provider.httpApi.cors`` as an object; unset fields keep v3's defaults."""

    allowed_origins: ListOf[str] | None = None
    allowed_headers: ListOf[str] | None = None
    allowed_methods: ListOf[str] | None = None
    allow_credentials: bool | None = None
    exposed_response_headers: ListOf[str] | None = None
    max_age: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _credentials_need_origin(self) -> Cors:
        if self.allow_credentials and (self.allowed_origins is None or "*" in self.allowed_origins):
            raise ValueError(
                "allowCredentials: true cannot be combined with the origin '*'; list the allowed origins"
            )
        return self


class HttpApiAuthorizer(Base):
    """``provider.httpApi.authorizers.<name>``: a JWT authorizer or a Lambda request authorizer."""

    name: str | None = None
    type: Literal["jwt", "request"] = "jwt"
    identity_source: ListOf[str] | None = None
    issuer_url: str | None = None
    audience: ListOf[str] | None = None
    function_name: str | None = None
    function_arn: str | dict[str, Any] | None = None
    managed_externally: bool | None = None
    result_ttl_in_seconds: Annotated[int, Field(ge=0, le=3600)] | None = None
    enable_simple_responses: bool | None = None
    payload_version: Literal["1.0", "2.0"] = "2.0"

    @model_validator(mode="after")
    def _shape(self) -> HttpApiAuthorizer:
        if self.type == "request":
            if bool(self.function_name) == bool(self.function_arn):
                raise ValueError("a request authorizer needs exactly one of functionName and functionArn")
            if self.result_ttl_in_seconds and not self.identity_source:
                raise ValueError("identitySource is needed when resultTtlInSeconds is not 0")
        elif not self.issuer_url or not self.audience:
            raise ValueError("a jwt authorizer needs issuerUrl and audience")
        return self


class HttpApiConfig(Base):
    """``provider.httpApi``."""

    cors: bool | Cors = False
    name: str | None = None
    payload: Literal["1.0", "2.0"] = "2.0"
    metrics: bool = False
    disable_default_endpoint: bool = False
    should_start_name_with_service: bool = False
    id: str | dict[str, Any] | None = None
    """An HTTP API another stack owns: routes are added to it, nothing else is made."""
    authorizers: dict[str, HttpApiAuthorizer] = Field(default_factory=dict)
    use_provider_tags: Ignored = None

    @model_validator(mode="after")
    def _external(self) -> HttpApiConfig:
        if self.id is None:
            return self
        owned = [
            key
            for key, given in (
                ("cors", self.cors),
                ("authorizers", self.authorizers),
                ("name", self.name),
                ("metrics", self.metrics),
                ("disableDefaultEndpoint", self.disable_default_endpoint),
            )
            if given
        ]
        if owned:
            raise ValueError(
                f"{', '.join(owned)} configure(s) the HTTP API itself, which 'id' says another stack owns"
            )
        return self

    @field_validator("payload", mode="before")
    @classmethod
    def _payload_text(cls, value: Any) -> Any:
        return f"{value:.1f}" if isinstance(value, int | float) else value


# ---- IAM and deployment bucket -------------------------------------------------------------------


def _require_intrinsic(value: Any) -> Any:
    if not is_intrinsic(value):
        raise ValueError("expected a CloudFormation intrinsic function ({Ref: ..}, {Fn::GetAtt: ..}, ...)")
    return value


#: A CloudFormation intrinsic function, kept as written.
Intrinsic = Annotated[dict[str, Any], AfterValidator(_require_intrinsic)]
#: An ARN (or any text CloudFormation takes), or an intrinsic that yields one.
ArnOrCfn = str | Intrinsic
#: Resource tags: values become text, as v3 coerces them.
Tags = dict[str, CfnValue]


_LOGICAL_RESOURCE_ID = re.compile(r"^[#A-Za-z0-9-_./]+[*]?$")


class IamStatement(BaseModel):
    """One IAM policy statement, written with CloudFormation's PascalCase keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, alias_generator=to_pascal)

    sid: str | None = None
    effect: Literal["Allow", "Deny"]
    action: ListOf[str] | None = None
    not_action: ListOf[str] | None = None
    principal: Any = None
    not_principal: Any = None
    resource: Any = None
    not_resource: Any = None
    condition: dict[str, Any] | None = None

    #: Strings v3's schema takes as a single Resource (others stay lists), see :meth:`_v3_coercion`.
    _single_resource: ClassVar[re.Pattern[str]] = _LOGICAL_RESOURCE_ID

    @field_validator("resource", "not_resource")
    @classmethod
    def _v3_coercion(cls, value: Any) -> Any:
        """v3's schema validator (ajv, ``coerceTypes: 'array'``) unwraps a one-item list whose item
        is an ARN or a logical-ID-like name into the bare string; ``['*']`` and intrinsics stay."""
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            item = value[0]
            if item.startswith("arn:") or cls._single_resource.match(item):
                return item
        return value

    @field_validator("principal", "not_principal")
    @classmethod
    def _principal_lists(cls, value: Any) -> Any:
        """Principal lists as v3's schema coerces them (``Service: x`` -> ``Service: [x]``)."""
        if isinstance(value, dict) and not is_intrinsic(value):
            out = dict(value)
            for key in ("Federated", "Service", "CanonicalUser"):
                if isinstance(out.get(key), str):
                    out[key] = [out[key]]
            if isinstance(out.get("AWS"), str) and out["AWS"] != "*":
                out["AWS"] = [out["AWS"]]
            return out
        return value

    @model_validator(mode="after")
    def _one_of_each(self) -> IamStatement:
        if (self.action is None) == (self.not_action is None):
            raise ValueError("a statement needs exactly one of Action and NotAction")
        if (self.resource is None) == (self.not_resource is None):
            raise ValueError("a statement needs exactly one of Resource and NotResource")
        return self

    def to_cfn(self) -> dict[str, Any]:
        """The statement as v3 writes it (Action lists, everything else as given)."""
        return self.model_dump(by_alias=True, exclude_none=True)


class ResourcePolicyStatement(IamStatement):
    """A statement of an API Gateway resource policy (``execute-api:/...`` resources allowed)."""

    _single_resource: ClassVar[re.Pattern[str]] = re.compile(r"^execute-api:/")


class IamRole(Base):
    """``provider.iam.role`` as an object: customises the generated ``IamRoleLambdaExecution``."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9/_+=,.@-]{1,64}$")] | None = None
    path: Annotated[str, Field(pattern=r"(^\/$)|(^\/[\u0021-\u007f]+\/$)")] | None = None
    statements: list[IamStatement] | None = None
    managed_policies: list[ArnOrCfn] | None = None
    permissions_boundary: ArnOrCfn | None = None
    permission_boundary: ArnOrCfn | None = None
    tags: Tags | None = None


class Iam(Base):
    """``provider.iam``."""

    role: str | Intrinsic | IamRole | None = None
    deployment_role: NotSupported = None

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Any:
        if isinstance(value, dict) and not is_intrinsic(value):
            return IamRole.model_validate(value)
        return value

    @property
    def existing_role(self) -> str | dict[str, Any] | None:
        """A role made elsewhere (ARN, logical ID or intrinsic); None means: generate one."""
        return self.role if isinstance(self.role, str | dict) else None

    @property
    def generated(self) -> IamRole:
        return self.role if isinstance(self.role, IamRole) else IamRole()


class DeploymentBucket(Base):
    """``provider.deploymentBucket`` (string form = name). Without a name v3 makes the bucket
    in the stack (``ServerlessDeploymentBucket``); these options shape that bucket."""

    name: str | None = None
    max_previous_deployment_artifacts: Ignored = None
    block_public_access: bool = False
    skip_policy_setup: bool = False
    server_side_encryption: Ignored = None
    sse_kms_key_id: Ignored = None
    sse_customer_algorithim: Ignored = None
    sse_customer_key: Ignored = None
    sse_customer_key_m_d5: Ignored = Field(default=None, alias="sseCustomerKeyMD5")
    tags: Tags | None = None
    versioning: bool = False

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


# ---- functions -----------------------------------------------------------------------------------


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
    def _remember_nulls(cls, value: Any) -> Any:
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
    def _true_form(cls, value: Any) -> Any:
        return {} if value is True else value


def _event_tag(value: Any) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value))
    if isinstance(value, Base):
        return type(value).event_type  # type: ignore[attr-defined, no-any-return]
    return None


def _event_wrapper(event_type: str, model: Any) -> Any:
    namespace: dict[str, Any] = {
        "__annotations__": {"body": model, "event_type": ClassVar[str]},
        "body": Field(alias=event_type),
        "event_type": event_type,
        "__doc__": f"One ``{event_type}`` event.",
    }
    wrapper = type(f"{event_type[0].upper()}{event_type[1:]}EventItem", (Base,), namespace)
    return Annotated[wrapper, Tag(event_type)]


_EVENT_TYPES = {name: entry.model for name, entry in REGISTRY.items()} | {
    name: NotSupported for name in NOT_SUPPORTED_YET
}
EventItem = Annotated[
    Union[tuple(_event_wrapper(name, model) for name, model in _EVENT_TYPES.items())],  # noqa: UP007
    Discriminator(_event_tag),
]


class FunctionPackage(Base):
    """``functions.<key>.package``; patterns apply when the function is packaged individually."""

    artifact: str | None = None
    individually: bool = False
    patterns: ListOf[str] = Field(default_factory=list)
    include: ListOf[str] = Field(default_factory=list)
    exclude: ListOf[str] = Field(default_factory=list)


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
    def _short_form(cls, value: Any) -> Any:
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
    def _uri_form(cls, value: Any) -> Any:
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
    def config(self) -> dict[str, Any] | None:
        """v3's ``ImageConfig``."""
        out: dict[str, Any] = {}
        if self.command:
            out["Command"] = self.command
        if self.entry_point:
            out["EntryPoint"] = self.entry_point
        if self.working_directory:
            out["WorkingDirectory"] = self.working_directory
        return out or None


def _endpoint_type(value: str) -> str:
    if value.upper() not in ("REGIONAL", "EDGE", "PRIVATE"):
        raise ValueError(f"endpointType {value!r} must be REGIONAL, EDGE or PRIVATE")
    return value


class ApiKey(Base):
    """One API key of ``provider.apiGateway.apiKeys`` (a bare string is its name)."""

    name: str | None = None
    value: Annotated[str, Field(min_length=20)] | None = None
    description: str | None = None
    customer_id: str | None = None
    enabled: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class UsagePlanQuota(Base):
    limit: Annotated[int, Field(ge=0)] | None = None
    offset: Annotated[int, Field(ge=0)] | None = None
    period: Literal["DAY", "WEEK", "MONTH"] | None = None


class UsagePlanThrottle(Base):
    burst_limit: Annotated[int, Field(ge=0)] | None = None
    rate_limit: Annotated[int, Field(ge=0)] | None = None


class UsagePlan(Base):
    quota: UsagePlanQuota | None = None
    throttle: UsagePlanThrottle | None = None


class RequestSchema(Base):
    schema_: dict[str, Any] = Field(alias="schema")
    name: str | None = None
    description: str | None = None


class ApiGatewayRequest(Base):
    schemas: dict[str, RequestSchema] | None = None


#: ``apiKeys`` items: a name, a key object, or ``{<usage plan>: [keys]}``
ApiKeyItem = ApiKey | dict[str, list[ApiKey]]


class RestApiResource(Base):
    path: str
    resource_id: str | dict[str, Any]


class ApiGatewayConfig(Base):
    """``provider.apiGateway`` (the REST API of ``http`` events)."""

    api_key_source_type: str | None = None
    binary_media_types: list[Annotated[str, Field(pattern=r"^\S+\/\S+$")]] | None = None
    description: str | None = None
    disable_default_endpoint: bool | None = None
    metrics: bool | None = None
    minimum_compression_size: Annotated[int, Field(ge=0, le=10485760)] | None = None
    resource_policy: list[ResourcePolicyStatement] | None = None
    should_start_name_with_service: bool | None = None
    stage: str | None = None
    api_keys: list[ApiKeyItem] | None = None
    usage_plan: UsagePlan | list[Annotated[dict[str, UsagePlan], Field(max_length=1)]] | None = None
    request: ApiGatewayRequest | None = None
    rest_api_id: str | dict[str, Any] | None = None
    """A REST API another stack owns: resources and methods are added to it."""
    rest_api_resources: dict[str, str | dict[str, Any]] | list[RestApiResource] | None = None
    rest_api_root_resource_id: str | dict[str, Any] | None = None
    websocket_api_id: str | dict[str, Any] | None = None
    """A WebSocket API another stack owns: routes are added to it."""
    timeout_in_millis: NotSupported = None

    @field_validator("api_key_source_type")
    @classmethod
    def _source(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in ("HEADER", "AUTHORIZER"):
            raise ValueError("apiKeySourceType must be HEADER or AUTHORIZER")
        return value


class EventBridgeOptions(Base):
    use_cloud_formation: bool | None = None


class KinesisConfig(Base):
    consumer_naming_mode: Literal["serviceSpecific"] | None = None


class ProviderTracing(Base):
    api_gateway: bool | None = None
    lambda_: Tracing | None = Field(default=None, alias="lambda")


NonNegative = Annotated[int, Field(ge=0)]


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
    log_data_protection_policy: dict[str, Any] | None = None
    url: FunctionUrl | None = None
    events: list[EventItem] = Field(default_factory=list)
    package: FunctionPackage | None = None
    version_function: bool | None = None
    role: str | Intrinsic | None = None
    tags: Tags | None = None
    vpc: Vpc | Literal[False] | None = None
    layers: list[ArnOrCfn] | None = None
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

    @field_validator("url", mode="before")
    @classmethod
    def _url_false(cls, value: Any) -> Any:
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


# ---- provider ------------------------------------------------------------------------------------


class LambdaLogs(Base):
    """``logs`` of a function / ``provider.logs.lambda`` -> ``LoggingConfig`` (a v4 key; v3 ignores it)."""

    log_format: Literal["JSON", "Text"] | None = None
    application_log_level: Literal["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] | None = None
    system_log_level: Literal["DEBUG", "INFO", "WARN"] | None = None
    log_group: str | None = None

    def merged_over(self, base: LambdaLogs | None) -> LambdaLogs:
        if base is None:
            return self
        return LambdaLogs(
            log_format=self.log_format or base.log_format,
            application_log_level=self.application_log_level or base.application_log_level,
            system_log_level=self.system_log_level or base.system_log_level,
            log_group=self.log_group or base.log_group,
        )

    def to_cfn(self) -> dict[str, Any]:
        out = {
            "LogFormat": self.log_format,
            "ApplicationLogLevel": self.application_log_level,
            "SystemLogLevel": self.system_log_level,
            "LogGroup": self.log_group,
        }
        return {k: v for k, v in out.items() if v is not None}


class HttpApiLogs(Base):
    format: str | None = None


class WebsocketLogs(Base):
    """``provider.logs.websocket``: stage execution and access logs."""

    access_logging: bool | None = None
    execution_logging: bool | None = None
    level: Literal["INFO", "ERROR"] | None = None
    full_execution_data: bool | None = None
    format: str | None = None


class RestApiLogs(WebsocketLogs):
    """``provider.logs.restApi``; ``role`` / ``roleManagedExternally`` also decide who sets the
    account's API Gateway CloudWatch role (which websocket logs need too)."""

    role: str | None = None
    role_managed_externally: bool | None = None


class ProviderLogs(Base):
    """``provider.logs``: access logs of the APIs; ``frameworkLambda``: logs of the custom-resource
    Lambdas."""

    framework_lambda: bool | None = None
    http_api: bool | HttpApiLogs | None = None
    lambda_: LambdaLogs | None = Field(default=None, alias="lambda")
    rest_api: bool | RestApiLogs | None = None
    websocket: bool | WebsocketLogs | None = None


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
    stage: str | None = None
    region: Region | None = None
    profile: str | None = None
    runtime: Runtime | None = None
    runtime_management: RuntimeManagement | None = None
    architecture: Architecture | None = None
    memory_size: MemorySize | None = None
    timeout: Timeout | None = None
    environment: Environment | None = None
    log_retention_in_days: LogRetention | None = None
    log_data_protection_policy: dict[str, Any] | None = None
    deployment_method: DeploymentMethod | None = None
    deployment_bucket: DeploymentBucket | None = None
    deployment_prefix: str | None = None
    stack_name: Annotated[str, Field(pattern=r"^[a-zA-Z][a-zA-Z0-9-]*$", max_length=128)] | None = None
    http_api: HttpApiConfig | None = None
    iam: Iam | None = None
    role: str | Intrinsic | None = None
    iam_role_statements: list[IamStatement] | None = None
    iam_managed_policies: list[ArnOrCfn] | None = None
    role_permissions_boundary: str | None = None
    version_functions: bool | None = None
    lambda_hashing_version: Ignored = None
    tags: Tags | None = None
    stack_tags: Tags | None = None
    tracing: ProviderTracing | None = None
    vpc: Vpc | None = None
    layers: list[ArnOrCfn] | None = None
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
    endpoint_type: Annotated[str, AfterValidator(_endpoint_type)] | None = None
    event_bridge: EventBridgeOptions | None = None
    ecr: NotSupported = None
    alb: AlbConfig | None = None
    s3: dict[str, dict[str, Any]] | None = None
    """Bucket definitions for ``s3`` events (``name`` + bucket properties in camelCase)."""
    kinesis: KinesisConfig | None = None
    cloud_front: NotSupported = None
    rollback_configuration: NotSupported = None
    resource_policy: NotSupported = None
    usage_plan: NotSupported = None
    api_keys: NotSupported = None
    vpc_endpoint_ids: list[Any] | dict[str, Any] | None = None

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


# ---- service -------------------------------------------------------------------------------------


class Package(Base):
    """``package`` at service level. Without ``artifact`` the service folder is zipped."""

    artifact: str | None = None
    individually: bool = False
    patterns: ListOf[str] = Field(default_factory=list)
    include: ListOf[str] = Field(default_factory=list)
    exclude: ListOf[str] = Field(default_factory=list)
    exclude_dev_dependencies: Ignored = None


class Scripts(Base):
    """``custom.scripts`` of serverless-plugin-scripts."""

    hooks: dict[str, str] = Field(default_factory=dict)
    commands: dict[str, str] = Field(default_factory=dict)


class LayerPackage(Base):
    artifact: str | None = None
    patterns: ListOf[str] = Field(default_factory=list)
    include: ListOf[str] = Field(default_factory=list)
    exclude: ListOf[str] = Field(default_factory=list)


_LAYER_NAME = r"^((arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+)$"
_LAYER_ACCOUNT = r"^(\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root)$"


class Layer(Base):
    """``layers.<key>``: a Lambda layer from an artifact (``package.artifact``) or a folder of the
    service (``path``, zipped as v3 zips it)."""

    path: Annotated[str, Field(min_length=1)] | None = None
    package: LayerPackage | None = None
    name: Annotated[str, Field(min_length=1, max_length=140, pattern=_LAYER_NAME)] | None = None
    description: Annotated[str, Field(max_length=256)] | None = None
    compatible_runtimes: list[Runtime] | None = None
    compatible_architectures: list[Architecture] | None = None
    license_info: Annotated[str, Field(max_length=512)] | None = None
    allowed_accounts: list[Annotated[str, Field(pattern=_LAYER_ACCOUNT)]] | None = None
    retain: bool = False

    @property
    def artifact(self) -> str | None:
        return self.package.artifact if self.package else None

    @model_validator(mode="after")
    def _source(self) -> Layer:
        if self.path is None and self.artifact is None:
            raise ValueError("a layer needs a 'path' (a folder to zip) or 'package.artifact'")
        return self


class ResourcesSection(BaseModel):
    """``resources``: raw CloudFormation merged into the stack (v3 deep-merges it)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    aws_template_format_version: str | None = Field(default=None, alias="AWSTemplateFormatVersion")
    description: str | None = Field(default=None, alias="Description")
    conditions: dict[str, Any] = Field(default_factory=dict, alias="Conditions")
    mappings: dict[str, Any] = Field(default_factory=dict, alias="Mappings")
    metadata: dict[str, Any] = Field(default_factory=dict, alias="Metadata")
    parameters: dict[str, Any] = Field(default_factory=dict, alias="Parameters")
    resources: dict[str, dict[str, Any]] = Field(default_factory=dict, alias="Resources")
    outputs: dict[str, dict[str, Any]] = Field(default_factory=dict, alias="Outputs")
    transform: Any = Field(default=None, alias="Transform")
    extensions: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("extensions")
    @classmethod
    def _extension_attributes(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        allowed = (
            "Condition",
            "CreationPolicy",
            "DeletionPolicy",
            "UpdatePolicy",
            "UpdateReplacePolicy",
            "Properties",
            "DependsOn",
            "Metadata",
        )
        for name, attrs in value.items():
            for attr in attrs:
                if attr not in allowed:
                    raise ValueError(
                        f"extensions.{name}.{attr}: only {', '.join(allowed)} can be extended (as in v3)"
                    )
        return value


@dataclass(frozen=True)
class EffectiveFunction:
    """One function with provider settings and defaults merged in: what constructs build from.

    Every value is already the one v3 would use (function over provider over default)."""

    key: str
    name: str
    handler: str
    runtime: str
    memory_size: int
    timeout: int
    architecture: str | None
    description: str | None
    environment: dict[str, Any] | None
    log_retention_in_days: int | None
    role: str | dict[str, Any] | None
    """The role v3 would use: the function's, else the provider's; None = the generated role."""
    url: FunctionUrl | None
    events: tuple[tuple[str, Any], ...]
    """``(event type, event model)`` pairs in the order written."""
    artifact: str | None
    version: bool
    tags: dict[str, Any] | None = None
    vpc: Vpc | None = None
    layers: tuple[Any, ...] | None = None
    kms_key_arn: Any = None
    tracing: str | None = None
    on_error: Any = None
    reserved_concurrency: Any = None
    provisioned_concurrency: Any = None
    snap_start: bool = False
    ephemeral_storage_size: int | None = None
    runtime_management: RuntimeManagement | None = None
    destinations: Destinations | None = None
    maximum_event_age: int | None = None
    maximum_retry_attempts: int | None = None
    file_system_config: FileSystemConfig | None = None
    condition: str | None = None
    depends_on: tuple[str, ...] = ()
    disable_logs: bool = False
    log_data_protection_policy: dict[str, Any] | None = None
    image: Image | None = None
    logging: dict[str, Any] | None = None
    """``LoggingConfig`` from ``logs`` (function over ``provider.logs.lambda``)."""

    @property
    def needs_version(self) -> bool:
        """v3 publishes a version when versioning is on, or for provisioned concurrency / SnapStart."""
        return self.version or bool(self.provisioned_concurrency) or self.snap_start


class Service(Base):
    """A whole serverless.yml after variable resolution."""

    service: str
    provider: Provider
    functions: dict[str, Function] = Field(default_factory=dict)
    package: Package | None = None
    custom: dict[str, Any] | None = None
    plugins: ListOf[str] | dict[str, Any] | None = None
    params: dict[str, dict[str, Any]] | None = None
    # keys v3 accepts that never change the template
    framework_version: Ignored = None
    app: Ignored = None
    org: Ignored = None
    tenant: Ignored = None
    console: Ignored = None
    dashboard: Ignored = None
    outputs: Ignored = None
    config_validation_mode: Literal["error", "warn", "off"] = "warn"
    variables_resolution_mode: Ignored = None
    deprecation_notification_mode: Ignored = None
    disabled_deprecations: Ignored = None
    unresolved_variables_notification_mode: Ignored = None
    use_dotenv: bool = False
    resources: ResourcesSection | None = None
    layers: dict[str, Layer] = Field(default_factory=dict)
    # not translated yet
    stepFunctions: NotSupported = Field(default=None, alias="stepFunctions")

    @field_validator("service", mode="before")
    @classmethod
    def _service_name(cls, value: Any) -> Any:
        if isinstance(value, dict) and "name" in value:
            return value["name"]
        return value

    @field_validator("service")
    @classmethod
    def _service_text(cls, value: str) -> str:
        if not re.match(r"^[a-zA-Z][0-9a-zA-Z-]+$", value):
            raise ValueError(
                f"service name {value!r} must start with a letter and hold only letters, digits and '-'"
            )
        return value

    @property
    def plugin_names(self) -> list[str]:
        if isinstance(self.plugins, dict):
            return list(self.plugins.get("modules") or [])
        return list(self.plugins or [])

    @property
    def scripts(self) -> Scripts:
        raw = (self.custom or {}).get("scripts")
        return Scripts.model_validate(raw) if isinstance(raw, dict) else Scripts()

    def stage(self, option: str | None = None) -> str:
        return option or self.provider.stage or DEFAULTS["stage"]

    def region(self, option: str | None = None) -> str:
        return option or self.provider.region or DEFAULTS["region"]

    def _artifact(self, fn: Function) -> str | None:
        """The function's artifact, else the service's unless the function is packaged individually."""
        if fn.image is not None:
            return None
        if fn.package and fn.package.artifact:
            return fn.package.artifact
        if fn.package and fn.package.individually:
            return None
        return self.package.artifact if self.package else None

    def function(self, key: str, *, stage: str) -> EffectiveFunction:
        """Function ``key`` with provider values and defaults merged key by key, as v3 does."""
        from constructs_lib import naming

        fn = self.functions[key]
        prov = self.provider
        env: dict[str, Any] | None = None
        if prov.environment is not None or fn.environment is not None:
            env = {**(prov.environment or {}), **(fn.environment or {})}
        tags: dict[str, Any] | None = None
        if prov.tags is not None or fn.tags is not None:
            tags = {**(prov.tags or {}), **(fn.tags or {})}
        retention = (
            fn.log_retention_in_days if fn.log_retention_in_days is not None else prov.log_retention_in_days
        )
        version = fn.version_function if fn.version_function is not None else prov.version_functions
        role = fn.role or (prov.iam.existing_role if prov.iam else None) or prov.role
        tracing: Any = fn.tracing or (prov.tracing.lambda_ if prov.tracing else None)
        if tracing is True:
            tracing = "Active"
        layers = fn.layers if fn.layers is not None else prov.layers
        return EffectiveFunction(
            key=key,
            name=fn.name or naming.function_name(self.service, stage, key),
            handler=fn.handler or "",
            runtime=fn.runtime or prov.runtime or DEFAULTS["runtime"],
            memory_size=fn.memory_size or prov.memory_size or DEFAULTS["memory_size"],
            timeout=fn.timeout or prov.timeout or DEFAULTS["timeout"],
            architecture=fn.architecture or prov.architecture,
            description=fn.description,
            environment=env,
            log_retention_in_days=retention,
            role=role,
            url=fn.url,
            events=tuple((item.event_type, item.body) for item in fn.events),
            artifact=self._artifact(fn),
            version=DEFAULTS["version_functions"] if version is None else version,
            tags=tags,
            vpc=None if fn.vpc_unset else (fn.vpc or prov.vpc) or None,
            layers=tuple(layers) if layers is not None else None,
            kms_key_arn=fn.kms_key_arn or fn.aws_kms_key_arn or prov.kms_key_arn,
            tracing=tracing or None,
            on_error=fn.on_error,
            reserved_concurrency=fn.reserved_concurrency,
            provisioned_concurrency=fn.provisioned_concurrency,
            snap_start=bool(fn.snap_start),
            ephemeral_storage_size=fn.ephemeral_storage_size,
            runtime_management=fn.runtime_management.merged_over(prov.runtime_management)
            if fn.runtime_management
            else prov.runtime_management,
            destinations=fn.destinations,
            maximum_event_age=fn.maximum_event_age,
            maximum_retry_attempts=fn.maximum_retry_attempts,
            file_system_config=fn.file_system_config,
            condition=fn.condition,
            depends_on=tuple(fn.depends_on or ()),
            disable_logs=bool(fn.disable_logs),
            log_data_protection_policy=fn.log_data_protection_policy or prov.log_data_protection_policy,
            image=fn.image,
            logging=self._logging(fn),
        )

    def _logging(self, fn: Function) -> dict[str, Any] | None:
        base = self.provider.logs.lambda_ if self.provider.logs else None
        merged = fn.logs.merged_over(base) if fn.logs else base
        return (merged.to_cfn() or None) if merged else None


__all__ += ["CfnValue", "EventItem", "Scripts"]
