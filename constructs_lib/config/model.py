"""The typed model of a Serverless v3 service: immutable, validated, with v3's defaults.

This is the seam between configuration (YAML, variables) and constructs (CDK): constructs take
these objects, never raw dicts. Defaults live in :data:`DEFAULTS`, once; provider settings and
function settings are merged key by key in :meth:`Service.function`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import AfterValidator, Discriminator, Field, Tag, field_validator, model_validator

from .. import limits
from ..errors import did_you_mean
from ..events import NOT_SUPPORTED_YET, REGISTRY
from .schema import Base, CfnValue, Ignored, ListOf, NotSupported, is_intrinsic

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


class HttpApiConfig(Base):
    """``provider.httpApi``."""

    cors: bool | Cors = False
    name: str | None = None
    payload: Literal["1.0", "2.0"] = "2.0"
    metrics: bool = False
    disable_default_endpoint: bool = False
    should_start_name_with_service: bool = False
    id: NotSupported = None
    authorizers: NotSupported = None
    use_provider_tags: NotSupported = None

    @field_validator("payload", mode="before")
    @classmethod
    def _payload_text(cls, value: Any) -> Any:
        return f"{value:.1f}" if isinstance(value, int | float) else value


# ---- IAM and deployment bucket -------------------------------------------------------------------


class IamRole(Base):
    """``provider.iam.role`` as an object (generated role customisation)."""

    name: NotSupported = None
    path: NotSupported = None
    statements: NotSupported = None
    managed_policies: NotSupported = None
    permissions_boundary: NotSupported = None
    permission_boundary: NotSupported = None
    tags: NotSupported = None


class Iam(Base):
    """``provider.iam``."""

    role: str | dict[str, Any] | IamRole | None = None
    deployment_role: NotSupported = None

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Any:
        if isinstance(value, dict) and not is_intrinsic(value):
            return IamRole.model_validate(value)
        return value

    @property
    def role_arn(self) -> str | dict[str, Any] | None:
        """An existing role, given as an ARN string or an intrinsic; None means generate one."""
        return self.role if isinstance(self.role, str | dict) else None


class DeploymentBucket(Base):
    """``provider.deploymentBucket`` (string form = name)."""

    name: str | None = None
    max_previous_deployment_artifacts: Ignored = None
    block_public_access: NotSupported = None
    skip_policy_setup: Ignored = None
    server_side_encryption: NotSupported = None
    sse_kms_key_id: NotSupported = None
    tags: NotSupported = None
    versioning: NotSupported = None

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


_EVENT_TYPES = {name: model for name, (model, _) in REGISTRY.items()} | {
    name: NotSupported for name in NOT_SUPPORTED_YET
}
EventItem = Annotated[
    Union[tuple(_event_wrapper(name, model) for name, model in _EVENT_TYPES.items())],  # noqa: UP007
    Discriminator(_event_tag),
]


class FunctionPackage(Base):
    artifact: str | None = None
    individually: NotSupported = None
    patterns: NotSupported = None
    include: NotSupported = None
    exclude: NotSupported = None


class Function(Base):
    """``functions.<key>``."""

    handler: str | None = None
    name: str | None = None
    description: str | None = None
    runtime: Runtime | None = None
    memory_size: MemorySize | None = None
    timeout: Timeout | None = None
    architecture: Architecture | None = None
    environment: Environment | None = None
    log_retention_in_days: LogRetention | None = None
    url: FunctionUrl | None = None
    events: list[EventItem] = Field(default_factory=list)
    package: FunctionPackage | None = None
    version_function: bool | None = None
    role: NotSupported = None
    image: NotSupported = None
    ephemeral_storage_size: NotSupported = None
    tags: NotSupported = None
    vpc: NotSupported = None
    layers: NotSupported = None
    kms_key_arn: NotSupported = None
    aws_kms_key_arn: NotSupported = None
    reserved_concurrency: NotSupported = None
    provisioned_concurrency: NotSupported = None
    snap_start: NotSupported = None
    destinations: NotSupported = None
    on_error: NotSupported = None
    maximum_event_age: NotSupported = None
    maximum_retry_attempts: NotSupported = None
    tracing: NotSupported = None
    disable_logs: NotSupported = None
    logs: NotSupported = None
    log_data_protection_policy: NotSupported = None
    condition: NotSupported = None
    depends_on: NotSupported = None
    file_system_config: NotSupported = None
    runtime_management: NotSupported = None

    @field_validator("url", mode="before")
    @classmethod
    def _url_false(cls, value: Any) -> Any:
        return None if value is False else value

    @model_validator(mode="after")
    def _handler_required(self) -> Function:
        if not self.handler:
            raise ValueError("a function needs a 'handler'")
        return self


# ---- provider ------------------------------------------------------------------------------------


class Provider(Base):
    """``provider`` (``name: aws``)."""

    name: Literal["aws"]
    stage: str | None = None
    region: Region | None = None
    profile: str | None = None
    runtime: Runtime | None = None
    architecture: Architecture | None = None
    memory_size: MemorySize | None = None
    timeout: Timeout | None = None
    environment: Environment | None = None
    log_retention_in_days: LogRetention | None = None
    deployment_method: DeploymentMethod | None = None
    deployment_bucket: DeploymentBucket | None = None
    deployment_prefix: str | None = None
    stack_name: str | None = None
    http_api: HttpApiConfig | None = None
    iam: Iam | None = None
    version_functions: bool | None = None
    lambda_hashing_version: Ignored = None
    # v3 keys not translated yet
    role: NotSupported = None
    iam_role_statements: NotSupported = None
    iam_managed_policies: NotSupported = None
    role_permissions_boundary: NotSupported = None
    cfn_role: NotSupported = None
    tags: NotSupported = None
    stack_tags: NotSupported = None
    stack_policy: NotSupported = None
    stack_parameters: NotSupported = None
    tracing: NotSupported = None
    vpc: NotSupported = None
    layers: NotSupported = None
    kms_key_arn: NotSupported = None
    logs: NotSupported = None
    log_data_protection_policy: NotSupported = None
    api_gateway: NotSupported = None
    api_name: NotSupported = None
    websockets_api_name: NotSupported = None
    websockets_api_route_selection_expression: NotSupported = None
    websockets_description: NotSupported = None
    endpoint_type: NotSupported = None
    event_bridge: NotSupported = None
    ecr: NotSupported = None
    alb: NotSupported = None
    s3: NotSupported = None
    cloud_front: NotSupported = None
    notification_arns: NotSupported = None
    disable_rollback: NotSupported = None
    rollback_configuration: NotSupported = None
    resource_policy: NotSupported = None
    usage_plan: NotSupported = None
    api_keys: NotSupported = None
    vpc_endpoint_ids: NotSupported = None
    runtime_management: NotSupported = None
    ephemeral_storage_size: NotSupported = None


# ---- service -------------------------------------------------------------------------------------


class Package(Base):
    """``package`` at service level."""

    artifact: str | None = None
    individually: NotSupported = None
    patterns: NotSupported = None
    include: NotSupported = None
    exclude: NotSupported = None
    exclude_dev_dependencies: Ignored = None


class Scripts(Base):
    """``custom.scripts`` of serverless-plugin-scripts."""

    hooks: dict[str, str] = Field(default_factory=dict)
    commands: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class EffectiveFunction:
    """One function with provider settings and defaults merged in: what constructs build from."""

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
    url: FunctionUrl | None
    events: tuple[tuple[str, Any], ...]
    """``(event type, event model)`` pairs in the order written."""
    artifact: str | None
    version: bool


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
    # not translated yet
    resources: NotSupported = None
    layers: NotSupported = None
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

    def function(self, key: str, *, stage: str) -> EffectiveFunction:
        """Function ``key`` with provider values and defaults merged key by key."""
        from .. import naming

        fn = self.functions[key]
        prov = self.provider
        env: dict[str, Any] | None = None
        if prov.environment is not None or fn.environment is not None:
            env = {**(prov.environment or {}), **(fn.environment or {})}
        retention = (
            fn.log_retention_in_days if fn.log_retention_in_days is not None else prov.log_retention_in_days
        )
        version = fn.version_function if fn.version_function is not None else prov.version_functions
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
            role=prov.iam.role_arn if prov.iam else None,
            url=fn.url,
            events=tuple((item.event_type, item.body) for item in fn.events),
            artifact=(fn.package.artifact if fn.package else None)
            or (self.package.artifact if self.package else None),
            version=DEFAULTS["version_functions"] if version is None else version,
        )


__all__ += ["CfnValue", "EventItem", "Scripts"]
