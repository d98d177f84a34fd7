"""One function as v3 deploys it: its own settings over the provider's over v3's defaults,
merged key by key (:func:`effective_function`, reached through :meth:`Service.function`).

A Lambda@Edge function (one with a ``cloudFront`` event) is always versioned and, unless it sets
its own, gets 128 MB and 5 s, over the provider's values (v3's ``prepareFunctions``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from constructs_lib import naming
from constructs_lib.config.data import JsonObject
from constructs_lib.config.model.function import (
    Destinations,
    FileSystemConfig,
    Function,
    FunctionUrl,
    Image,
    RuntimeManagement,
    Vpc,
)
from constructs_lib.config.schema import Base
from constructs_lib.events.cloud_front import EDGE_MEMORY_SIZE, EDGE_TIMEOUT

if TYPE_CHECKING:
    from constructs_lib.config.model.service import Service

__all__ = ["EffectiveFunction", "effective_function"]

#: A value given as text or as a CloudFormation intrinsic function.
_TextOrCfn = str | JsonObject


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
    environment: dict[str, _TextOrCfn] | None
    log_retention_in_days: int | None
    role: _TextOrCfn | None
    """The role v3 would use: the function's, else the provider's; None = the generated role."""
    url: FunctionUrl | None
    events: tuple[tuple[str, Base], ...]
    """``(event type, event model)`` pairs in the order written."""
    artifact: str | None
    version: bool
    tags: dict[str, _TextOrCfn] | None = None
    vpc: Vpc | None = None
    layers: tuple[_TextOrCfn, ...] | None = None
    kms_key_arn: _TextOrCfn | None = None
    tracing: str | None = None
    on_error: _TextOrCfn | None = None
    reserved_concurrency: int | JsonObject | None = None
    provisioned_concurrency: int | JsonObject | None = None
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
    log_data_protection_policy: JsonObject | None = None
    image: Image | None = None
    logging: dict[str, str] | None = None
    """``LoggingConfig`` from ``logs`` (function over ``provider.logs.lambda``)."""
    http_api_payload: str | None = None
    """The function's own ``httpApi.payload`` (its HTTP API integration's, over provider's)."""
    edge: bool = False
    """Lambda@Edge (a ``cloudFront`` event): the function resource has no ``Environment`` nor
    ``VpcConfig`` (both still enter the version hash, as in v3) and is retained on delete."""

    @property
    def needs_version(self) -> bool:
        """v3 publishes a version when versioning is on, or for provisioned concurrency / SnapStart."""
        return self.version or bool(self.provisioned_concurrency) or self.snap_start


def effective_function(service: Service, key: str, *, stage: str) -> EffectiveFunction:
    """Function ``key`` of ``service`` with provider values and defaults merged key by key, as v3 does."""
    fn = service.functions[key]
    prov = service.provider
    env: dict[str, _TextOrCfn] | None = None
    if prov.environment is not None or fn.environment is not None:
        merged = {**(prov.environment or {}), **(fn.environment or {})}
        env = {k: v for k, v in merged.items() if v is not None}  # undefined (a plugin's unset) drops
    tags: dict[str, _TextOrCfn] | None = None
    if prov.tags is not None or fn.tags is not None:
        tags = {**(prov.tags or {}), **(fn.tags or {})}
    retention = (
        fn.log_retention_in_days if fn.log_retention_in_days is not None else prov.log_retention_in_days
    )
    edge = any(item.event_type == "cloudFront" for item in fn.events)
    version = edge or (fn.version_function if fn.version_function is not None else prov.version_functions)
    role = fn.role or (prov.iam.existing_role if prov.iam else None) or prov.role
    tracing = fn.tracing or (prov.tracing.lambda_ if prov.tracing else None)
    layers = fn.layers if fn.layers is not None else prov.layers
    return EffectiveFunction(
        key=key,
        name=fn.name or naming.function_name(service.service, stage, key),
        handler=fn.handler or "",
        runtime=fn.runtime or prov.runtime,
        memory_size=fn.memory_size or (EDGE_MEMORY_SIZE if edge else prov.memory_size),
        timeout=fn.timeout or (EDGE_TIMEOUT if edge else prov.timeout),
        architecture=fn.architecture or prov.architecture,
        description=fn.description,
        environment=env,
        log_retention_in_days=retention,
        role=role,
        url=fn.url,
        http_api_payload=fn.http_api.payload if fn.http_api else None,
        events=tuple((item.event_type, item.body) for item in fn.events),
        artifact=_artifact(service, fn),
        version=version,
        tags=tags,
        vpc=None if fn.vpc_unset else (fn.vpc or prov.vpc) or None,
        layers=tuple(layers) if layers is not None else None,
        kms_key_arn=fn.kms_key_arn or fn.aws_kms_key_arn or prov.kms_key_arn,
        tracing=_tracing_mode(tracing),
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
        logging=_logging(service, fn),
        edge=edge,
    )


def _tracing_mode(tracing: str | bool | None) -> str | None:
    """``tracing: true`` means ``Active``; ``false`` and unset mean no tracing config."""
    if tracing is True:
        return "Active"
    return tracing or None


def _artifact(service: Service, fn: Function) -> str | None:
    """The function's artifact, else the service's unless the function is packaged individually."""
    if fn.image is not None:
        return None
    if fn.package and fn.package.artifact:
        return fn.package.artifact
    if fn.package and fn.package.individually:
        return None
    return service.package.artifact if service.package else None


def _logging(service: Service, fn: Function) -> dict[str, str] | None:
    base = service.provider.logs.lambda_ if service.provider.logs else None
    merged = fn.logs.merged_over(base) if fn.logs else base
    return (merged.to_cfn() or None) if merged else None
