"""A function written in Python: keyword props -> the same model the loader builds from YAML.

The props are written into a ``functions.<key>`` mapping and validated by the model, so every
default is v3's (memory, timeout, runtime, versioning, log group, name ``<service>-<stage>-<key>``)
and a bad value is the same located error YAML gets. L2 objects (``iam.IRole``, ``ec2.IVpc``,
``lambda_.ILayerVersion``, ``kms.IKey``, ``sns.ITopic``) become their ARNs or IDs afterwards:
they are CDK tokens, which the model's patterns would not accept, and CloudFormation needs only
the reference.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib.config.model import EffectiveFunction, Function, FunctionUrl, Service, Vpc
from constructs_lib.config.model.effective import effective_function
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import validate
from constructs_lib.constructs.iam_role import ServiceRole

if TYPE_CHECKING:
    from constructs_lib.constructs.event_invoke_config import Siblings
    from constructs_lib.constructs.hashing import LayerHashInput

__all__ = [
    "FunctionModel",
    "FunctionOptions",
    "PythonFunction",
    "claim_key",
    "generated_role",
    "path_key",
    "python_function",
    "service_and_stage",
]

#: the stage of a function outside a :class:`~stacks.service_stack.ServiceStack`
DEFAULT_STAGE = "dev"


@dataclass(frozen=True)
class FunctionModel:
    """A function of a loaded serverless.yml, as ``ServiceStack`` passes it.

    :param props: the merged function settings (function over provider over defaults).
    :param artifact: the deployment zip (None for an image).
    :param service: service name (for names and export names).
    :param stage: stage (for names and export names).
    :param role: the generated ``IamRoleLambdaExecution``, when the service has one.
    :param layers: this stack's layers by logical ID (their configuration enters the version digest).
    :param functions: look up a sibling function by key (destinations that name a function).
    :param image: ``(uri@digest, sha)`` of the ECR image, for ``image`` functions.
    """

    props: EffectiveFunction
    artifact: Path | None
    service: str
    stage: str
    role: ServiceRole | None = None
    layers: Mapping[str, LayerHashInput] | None = None
    functions: Siblings | None = None
    defer_completion: bool = False
    image: tuple[str, str] | None = None


@dataclass(frozen=True)
class FunctionOptions:
    """The props of a function written in Python (``ServerlessFunction``'s keywords). Each is the
    ``functions.<key>`` setting of the same name; None means v3's default, given with each."""

    handler: str | None = None
    """Entry point (``handler.main``, ``bootstrap``); needed for a zip."""
    runtime: str | lambda_.Runtime | None = None
    """Default: the provider's ``runtime`` (v3's default ``nodejs16.x``)."""
    code: str | Path | None = None
    """A zip file, or a folder (zipped with fixed timestamps: same files, same zip)."""
    image: str | None = None
    """Instead of ``code``: an ECR image by digest, ``<repository>@sha256:<digest>``."""
    name: str | None = None
    """Default ``<service>-<stage>-<key>``."""
    description: str | None = None
    memory_size: int | None = None
    """MB. Default: the provider's ``memorySize``, else 1024."""
    timeout: int | None = None
    """Seconds. Default: the provider's ``timeout``, else 6."""
    environment: Mapping[str, str] | None = None
    """Merged over the provider's ``environment``."""
    architecture: str | lambda_.Architecture | None = None
    """Default: the provider's, else x86_64."""
    role: iam.IRole | str | None = None
    """An ``iam.IRole``, an ARN or a logical ID. Default: the service's generated role."""
    layers: Sequence[lambda_.ILayerVersion | str] | None = None
    """Default: the provider's ``layers``."""
    vpc: ec2.IVpc | None = None
    """Default: the provider's ``vpc``, else none."""
    vpc_subnets: ec2.SubnetSelection | None = None
    """With ``vpc``: CDK's default selection (private, else isolated subnets; public ones only
    with ``allow_public_subnet``)."""
    allow_public_subnet: bool = False
    security_groups: Sequence[ec2.ISecurityGroup] | None = None
    """With ``vpc``: default one new group allowing all outbound traffic."""
    kms_key: kms.IKey | str | None = None
    """Encrypts the environment (``kmsKeyArn``); the role may decrypt with it."""
    dead_letter_topic: sns.ITopic | str | None = None
    """``onError``: the role may publish to it."""
    tracing: bool | str | None = None
    """``Active``/``PassThrough`` (True = ``Active``). Default: the provider's ``tracing.lambda``."""
    tags: Mapping[str, str] | None = None
    """Merged over the provider's ``tags``."""
    reserved_concurrency: int | None = None
    provisioned_concurrency: int | None = None
    """Adds the ``provisioned`` alias events target, as v3."""
    log_retention_in_days: int | None = None
    """Default: the provider's ``logRetentionInDays``, else logs are kept."""
    ephemeral_storage_size: int | None = None
    url: bool | FunctionUrl | Mapping[str, Any] | None = None
    """A function URL: True (public, v3's CORS), a ``FunctionUrl`` or its YAML mapping."""
    versioned: bool | None = None
    """``versionFunction``. Default: the provider's ``versionFunctions``, else True."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Any other ``functions.<key>`` setting, as written in serverless.yml."""


@dataclass(frozen=True)
class PythonFunction:
    """The model of one Python-written function, its zip (or image) and the L2 objects it named."""

    props: EffectiveFunction
    artifact: Path | None
    image: tuple[str, str] | None
    role: iam.IRole | None
    security_groups: tuple[ec2.ISecurityGroup, ...]


def service_and_stage(stack: Stack) -> tuple[Service, str]:
    """The enclosing ServiceStack's service and stage, else an empty service named after the stack."""
    loaded = getattr(stack, "service", None)
    if loaded is not None and hasattr(loaded, "model"):
        return loaded.model, loaded.stage
    name = stack.stack_name if "${Token[" not in stack.stack_name else stack.node.id
    service, _ = validate(Service, {"service": name, "provider": {"name": "aws"}}, SourceMap(""))
    return service, DEFAULT_STAGE


def path_key(function: Construct) -> str:
    """The construct's path inside its stack, ``-``-joined: unique there, v3-shaped at the top."""
    stack_path = Stack.of(function).node.path
    return function.node.path[len(stack_path) + 1 :].replace("/", "-")


def claim_key(function: Construct, key: str) -> str:
    """``key`` for ``function``, unless another function of the stack has it (it names the
    function, its log group and its logical IDs); a ServiceStack lists it in ``functions``."""
    stack = Stack.of(function)
    known = getattr(stack, "functions", None)
    taken: dict[str, Construct] = known if isinstance(known, dict) else stack.__dict__.setdefault(_KEYS, {})
    if key in taken:
        raise ValueError(
            f"function key {key!r} is taken in stack {stack.node.path} (by {taken[key].node.path}): "
            "each function of a stack needs its own; give this one another id or key="
        )
    taken[key] = function
    return key


_KEYS = "_sls_cdk_function_keys"


def generated_role(function: Construct, props: EffectiveFunction) -> ServiceRole:
    """The enclosing ServiceStack's ``IamRoleLambdaExecution`` (made on first use), else one of
    the function's own with CDK's IDs and a generated name."""
    stack = Stack.of(function)
    shared = getattr(stack, "generated_role", None)
    if callable(shared):
        role: ServiceRole = shared()
        role.add_function(props)
        return role
    service, stage = service_and_stage(stack)
    return ServiceRole(
        function,
        "Role",
        service=service.service,
        stage=stage,
        provider=service.provider,
        functions=[props],
        any_vpc=props.vpc is not None,
        pinned=False,
    )


def _text(value: str | lambda_.Runtime | lambda_.Architecture | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.name


def _written(options: FunctionOptions) -> dict[str, Any]:
    """The ``functions.<key>`` mapping these options stand for (L2 objects left out)."""
    o = options
    data: dict[str, Any] = dict(o.extra)
    plain = {
        "handler": o.handler,
        "runtime": _text(o.runtime),
        "name": o.name,
        "description": o.description,
        "memorySize": o.memory_size,
        "timeout": o.timeout,
        "environment": dict(o.environment) if o.environment is not None else None,
        "architecture": _text(o.architecture),
        "tracing": o.tracing,
        "tags": dict(o.tags) if o.tags is not None else None,
        "reservedConcurrency": o.reserved_concurrency,
        "provisionedConcurrency": o.provisioned_concurrency,
        "logRetentionInDays": o.log_retention_in_days,
        "ephemeralStorageSize": o.ephemeral_storage_size,
        "versionFunction": o.versioned,
        "image": o.image,
    }
    data.update({k: v for k, v in plain.items() if v is not None})
    if isinstance(o.role, str) and o.role.startswith("arn:"):
        data["role"] = o.role
    if o.code is not None:
        data.setdefault("package", {})["artifact"] = str(o.code)
    if isinstance(o.url, FunctionUrl):
        data["url"] = o.url.model_dump(by_alias=True, exclude_none=True)
    elif o.url is not None and o.url is not False:
        data["url"] = o.url if isinstance(o.url, bool) else dict(o.url)
    return data


def python_function(scope: Any, key: str, options: FunctionOptions) -> PythonFunction:
    """Validate ``options`` as ``functions.<key>`` of the enclosing service and merge in
    provider settings and v3's defaults; then put the L2 objects' references in."""
    stack = Stack.of(scope)
    service, stage = service_and_stage(stack)
    fn, _ = validate(Function, _written(options), SourceMap(""))
    model = service.model_copy(update={"functions": {key: fn}})
    props = effective_function(model, key, stage=stage)
    if options.code is None and options.image is None:
        raise ValueError(f"function {key!r} needs code (a zip file or a folder) or an image")
    changes: dict[str, Any] = {"artifact": None}
    role = options.role
    if isinstance(role, str) and not role.startswith("arn:"):
        changes["role"] = role  # a logical ID in this stack
        role = None
    elif role is not None and not isinstance(role, str):
        changes["role"] = role.role_arn
    else:
        role = None
    if options.layers is not None:
        changes["layers"] = tuple(x if isinstance(x, str) else x.layer_version_arn for x in options.layers)
    if options.kms_key is not None:
        key_arn = options.kms_key
        changes["kms_key_arn"] = key_arn if isinstance(key_arn, str) else key_arn.key_arn
    if options.dead_letter_topic is not None:
        topic = options.dead_letter_topic
        changes["on_error"] = topic if isinstance(topic, str) else topic.topic_arn
    groups: tuple[ec2.ISecurityGroup, ...] = tuple(options.security_groups or ())
    if options.vpc is not None:
        subnets = options.vpc.select_subnets(**_selection(options.vpc_subnets))
        if subnets.has_public and not options.allow_public_subnet:
            raise ValueError(
                f"function {key!r}: the selected subnets are public, where a function cannot reach the "
                "internet (as lambda.Function, CDK's default selection falls back to them): choose "
                "vpc_subnets, or allow_public_subnet=True"
            )
        if not groups:
            groups = (ec2.SecurityGroup(scope, "SecurityGroup", vpc=options.vpc, allow_all_outbound=True),)
        changes["vpc"] = Vpc.model_construct(
            security_group_ids=[g.security_group_id for g in groups], subnet_ids=list(subnets.subnet_ids)
        )
    artifact = _artifact(Path(options.code), key) if options.code is not None else None
    image = _image(options.image) if options.image is not None else None
    return PythonFunction(dataclasses.replace(props, **changes), artifact, image, role, groups)


_SELECTION = (
    "availability_zones",
    "one_per_az",
    "subnet_filters",
    "subnet_group_name",
    "subnets",
    "subnet_type",
)


def _selection(selection: ec2.SubnetSelection | None) -> dict[str, Any]:
    """A ``SubnetSelection`` as the keywords ``IVpc.select_subnets`` takes (CDK's default: private)."""
    if selection is None:
        return {}
    return {name: getattr(selection, name) for name in _SELECTION if getattr(selection, name) is not None}


def _artifact(code: Path, key: str) -> Path:
    """A zip as given, or a folder zipped as v3 zips a service (every file, fixed timestamps)."""
    from constructs_lib.loader.packaging import package_folder

    if code.is_dir():
        return package_folder(code, name=key, excludes=[], includes=[], where=())
    if not code.is_file():
        raise ValueError(f"function {key!r}: code {str(code)!r} is neither a zip file nor a folder")
    return code


def _image(uri: str) -> tuple[str, str]:
    """``<repo>@sha256:<digest>`` -> (uri, digest): the digest is the version's code hash."""
    _, at, digest = uri.partition("@sha256:")
    if not at:
        raise ValueError(f"image {uri!r}: give it by digest (<repository>@sha256:<digest>)")
    return uri, digest
