"""Load-time checks of ``resources:``: what ``merge_resources`` would otherwise find while building.

Four of them are plain facts about the section: a ``resources.Parameters`` entry with a key
CloudFormation does not know, an output ``Condition`` missing from ``resources.Conditions`` (the
stack makes no conditions of its own). Three depend on what the stack generates, because
``resources`` merges into it (v3's ``_.merge`` after compiling, then ``extensions``):

* a ``resources.Resources`` entry without ``Type`` is fine when it merges into a generated resource,
  an error otherwise (CloudFormation refuses a resource without a type);
* a ``resources.Outputs`` entry without ``Value``: the same, for generated outputs;
* a ``resources.extensions`` entry must name a generated (or ``resources.Resources``) resource;
  v3 fails the same way (``RESOURCE_EXTENSION_NOT_EXISTING``).

:func:`generated_names` is what the loader can know of the generated names without building:
every name the ``constructs/`` layer makes (deployment bucket, ``IamRoleLambdaExecution``, layers,
each function's log group, function, aliases, event invoke config, URL), exactly, with the same
naming functions and conditions. Event builders make the rest; their names come from ARNs, paths,
counters and hashes computed while building, so for a service with events a name outside the
known ones is left to the build (:class:`~constructs_lib.constructs.resources.ResourceMergeError`),
unless it has the shape of a ``constructs/`` name (``<F>LambdaFunction``, ``<F>LogGroup`` ... of one
of the service's functions), which no event builder makes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from constructs_lib import naming
from constructs_lib.config.model import EffectiveFunction, Provider, ResourcesSection, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import ConfigError, SlsCdkError, did_you_mean
from constructs_lib.plugins.iam_roles_per_function.model import role_logical_ids

__all__ = ["PARAMETER_KEYS", "GeneratedNames", "check_resources", "generated_names", "service_generates_role"]

#: The keys of a CloudFormation parameter (``resources.Parameters.<name>``).
PARAMETER_KEYS: tuple[str, ...] = (
    "Type",
    "Default",
    "Description",
    "AllowedValues",
    "AllowedPattern",
    "ConstraintDescription",
    "MaxLength",
    "MaxValue",
    "MinLength",
    "MinValue",
    "NoEcho",
)

#: ``<F>`` + one of these: resources only ``ServerlessFunction`` makes.
_FUNCTION_SUFFIXES = (
    "LambdaFunction",
    "LogGroup",
    "ProvConcLambdaAlias",
    "SnapStartLambdaAlias",
    "LambdaEvConf",
    "LambdaFunctionUrl",
    "LambdaPermissionFnUrl",
    "LambdaPermissionFn",
)
#: Event-built names that a function key could also spell (a function named ``apiGateway``).
_EVENT_BUILT = frozenset(
    {
        naming.rest_log_group_logical_id(),
        naming.http_api_log_group_logical_id(),
        naming.websockets_log_group_logical_id(),
    }
)
#: Custom-resource Lambdas (``CustomDashresource...LambdaFunction`` / ``...LogGroup``) are event-built.
_CUSTOM_RESOURCE_PREFIX = naming.function_logical_id_prefix("custom-resource-")


def service_generates_role(provider: Provider, functions: Sequence[tuple[str, bool]]) -> bool:
    """v3 makes the role unless the provider names one or every function has its own.

    ``functions``: ``(key, has its own role)`` pairs."""
    if not functions or not provider.generates_role:
        return False
    return not all(has_role for _, has_role in functions)


@dataclass(frozen=True)
class GeneratedNames:
    """The stack's generated logical IDs as far as the loader can know them.

    :param resources: resources the stack will make, for certain.
    :param outputs: outputs the stack will make, for certain.
    :param owned_resources: names of the shape only ``constructs/`` makes: made iff in ``resources``.
    :param owned_outputs: the same for outputs.
    :param build_only: prefixes of names carrying a hash computed while building (``<F>LambdaVersion``,
        retained layers): made or not, only the build knows.
    :param has_events: whether event builders run (they make names the loader does not know).
    """

    resources: frozenset[str]
    outputs: frozenset[str]
    owned_resources: frozenset[str]
    owned_outputs: frozenset[str]
    build_only: tuple[str, ...]
    has_events: bool

    def resource(self, name: str) -> bool | None:
        """Whether the stack makes resource ``name``; None when only the build can tell."""
        return self._decide(name, self.resources, self.owned_resources)

    def output(self, name: str) -> bool | None:
        """Whether the stack makes output ``name``; None when only the build can tell."""
        return self._decide(name, self.outputs, self.owned_outputs)

    def _decide(self, name: str, made: frozenset[str], owned: frozenset[str]) -> bool | None:
        if name in made:
            return True
        if name in owned:
            return False
        if name.startswith(self.build_only) or self.has_events:
            return None
        return False


def _function_names(fn: EffectiveFunction) -> tuple[list[str], list[str]]:
    """``(resources, outputs)`` ``ServerlessFunction`` makes for ``fn`` (its version aside)."""
    key = fn.key
    resources = [naming.lambda_logical_id(key)]
    outputs: list[str] = []
    if not fn.disable_logs:
        resources.append(naming.log_group_logical_id(key))
    if fn.needs_version:
        outputs.append(naming.lambda_version_output_logical_id(key))
        if fn.provisioned_concurrency:
            resources.append(naming.lambda_provisioned_concurrency_alias_logical_id(key))
        if fn.snap_start:
            resources.append(naming.lambda_snap_start_alias_logical_id(key))
    if fn.url is not None:
        resources.append(naming.lambda_url_logical_id(key))
        outputs.append(naming.lambda_url_output_logical_id(key))
        if fn.url.authorizer != "aws_iam":
            resources.append(naming.lambda_url_permission_logical_id(key))
            resources.append(naming.lambda_url_invoke_permission_logical_id(key))
    if fn.destinations is not None or fn.maximum_event_age or fn.maximum_retry_attempts is not None:
        resources.append(naming.lambda_event_config_logical_id(key))
    return resources, outputs


def generated_names(model: Service, functions: Mapping[str, EffectiveFunction]) -> GeneratedNames:
    """What :class:`~stacks.service_stack.ServiceStack` makes before ``resources`` merge, as far as
    it follows from the configuration (same naming functions, same conditions as the constructs)."""
    provider = model.provider
    resources: list[str] = []
    outputs = [naming.deployment_bucket_output_logical_id()]
    owned = [
        naming.deployment_bucket_logical_id(),
        naming.deployment_bucket_policy_logical_id(),
        naming.iam_role_lambda_execution_logical_id(),
    ]
    owned_outputs = list(outputs)
    build_only: list[str] = []
    bucket = provider.deployment_bucket
    if not (bucket and bucket.name):
        resources.append(naming.deployment_bucket_logical_id())
        if not (bucket and bucket.skip_policy_setup):
            resources.append(naming.deployment_bucket_policy_logical_id())
    own_roles = [(key, "role" in fn.model_fields_set) for key, fn in model.functions.items()]
    if service_generates_role(provider, own_roles):
        resources.append(naming.iam_role_lambda_execution_logical_id())
        resources += role_logical_ids(model)  # serverless-iam-roles-per-function's
    for key, layer in model.layers.items():
        layer_outputs = list(naming.layer_output_logical_ids(key))
        outputs += layer_outputs
        owned_outputs += layer_outputs
        permissions = [naming.layer_permission_logical_id(key, a) for a in layer.allowed_accounts or ()]
        if layer.retain:  # the content hash is part of these names
            build_only += [naming.layer_logical_id(key), *permissions]
        else:
            resources += [naming.layer_logical_id(key), *permissions]
            owned.append(naming.layer_logical_id(key))
    for fn in functions.values():
        made, made_outputs = _function_names(fn)
        resources += made
        outputs += made_outputs
        prefix = naming.function_logical_id_prefix(fn.key)
        owned += (prefix + suffix for suffix in _FUNCTION_SUFFIXES)
        owned_outputs += (
            naming.lambda_version_output_logical_id(fn.key),
            naming.lambda_url_output_logical_id(fn.key),
        )
        if fn.needs_version:
            build_only.append(f"{prefix}LambdaVersion")
    return GeneratedNames(
        resources=frozenset(resources),
        outputs=frozenset(outputs),
        owned_resources=frozenset(
            name
            for name in owned
            if name not in _EVENT_BUILT and not name.startswith(_CUSTOM_RESOURCE_PREFIX)
        ),
        owned_outputs=frozenset(owned_outputs),
        build_only=tuple(build_only),
        # serverless-step-functions' compilers make names the loader does not know either
        has_events=any(fn.events for fn in functions.values()) or model.step_functions is not None,
    )


class _Errors:
    """Errors located in serverless.yml, in the order found."""

    def __init__(self, sources: SourceMap) -> None:
        self.sources = sources
        self.found: list[SlsCdkError] = []

    def add(self, message: str, path: tuple[str, ...], hint: str | None = None) -> None:
        self.found.append(ConfigError(message, location=self.sources.locate(path), path=path, hint=hint))


#: CloudFormation's rule for logical IDs (resources, outputs, conditions, mappings, parameters)
_LOGICAL_ID = re.compile(r"[A-Za-z0-9]{1,255}")


def _logical_ids(section: ResourcesSection, errors: _Errors) -> None:
    for key, names in (
        ("Resources", section.resources),
        ("Outputs", section.outputs),
        ("Conditions", section.conditions),
        ("Mappings", section.mappings),
        ("Parameters", section.parameters),
    ):
        for name in names:
            if not _LOGICAL_ID.fullmatch(str(name)):
                errors.add(
                    f"logical ID {name!r} is not one CloudFormation accepts (1 to 255 letters and digits)",
                    ("resources", key, name),
                )


#: ``AWS::Service::Resource``, a module's ``Org::Service::Resource::MODULE``, or ``Custom::Name``
_RESOURCE_TYPE = re.compile(r"(?:[A-Za-z0-9]+::){2}[A-Za-z0-9]+(?:::MODULE)?|Custom::[A-Za-z0-9_@-]{1,60}")
_POLICIES = frozenset({"Delete", "Retain", "Snapshot", "RetainExceptOnCreate"})


def _resource_shapes(section: ResourcesSection, errors: _Errors) -> None:
    """What CloudFormation refuses in any resource: a Type that is not a type name, Properties
    that are not a mapping, DependsOn that is not logical IDs, an unknown deletion policy."""
    for logical_id, definition in section.resources.items():
        where = ("resources", "Resources", logical_id)
        kind = definition.get("Type")
        if "Type" in definition and not (isinstance(kind, str) and _RESOURCE_TYPE.fullmatch(kind)):
            errors.add(
                f"Type {kind!r} is not a resource type (AWS::Service::Resource, Custom::Name)",
                (*where, "Type"),
            )
        if "Properties" in definition and not isinstance(definition["Properties"], dict):
            errors.add("Properties must be a mapping", (*where, "Properties"))
        depends = definition.get("DependsOn")
        if "DependsOn" in definition and not (
            isinstance(depends, str)
            or (isinstance(depends, list) and all(isinstance(d, str) for d in depends))
        ):
            errors.add("DependsOn must be a logical ID or a list of them", (*where, "DependsOn"))
        for attribute in ("DeletionPolicy", "UpdateReplacePolicy"):
            value = definition.get(attribute)
            if attribute in definition and value not in _POLICIES and not isinstance(value, dict):
                errors.add(f"{attribute} must be one of {', '.join(sorted(_POLICIES))}", (*where, attribute))


def _parameters(section: ResourcesSection, errors: _Errors) -> None:
    for name, spec in section.parameters.items():
        if not isinstance(spec, dict):
            errors.add(f"parameter {name!r} must be a mapping", ("resources", "Parameters", name))
            continue
        unknown = [key for key in spec if key not in PARAMETER_KEYS]
        if unknown:
            errors.add(
                f"parameter {name!r}: unknown key {unknown[0]!r}",
                ("resources", "Parameters", name, unknown[0]),
                hint=_hint(unknown[0], PARAMETER_KEYS),
            )


def _hint(word: str, candidates: Iterable[str]) -> str | None:
    guess = did_you_mean(word, candidates)
    return f"did you mean {guess!r}?" if guess else None


def _outputs(section: ResourcesSection, names: GeneratedNames, errors: _Errors) -> None:
    for logical_id, definition in section.outputs.items():
        if "Value" not in definition and names.output(logical_id) is False:
            errors.add(f"output {logical_id!r} has no Value", ("resources", "Outputs", logical_id))
        condition = definition.get("Condition")
        if "Condition" in definition and not (isinstance(condition, str) and condition in section.conditions):
            errors.add(
                f"condition {condition!r} is not defined in resources.Conditions",
                ("resources", "Outputs"),
                hint=_hint(condition, section.conditions) if isinstance(condition, str) else None,
            )


def check_resources(
    model: Service, sources: SourceMap, functions: Mapping[str, EffectiveFunction] | None = None
) -> list[SlsCdkError]:
    """Every problem of ``model.resources`` that does not need the built stack, located.

    ``functions``: the effective functions (computed from ``model`` when not given)."""
    section = model.resources
    if section is None:
        return []
    if functions is None:
        stage = model.stage()
        functions = {key: model.function(key, stage=stage) for key in model.functions}
    names = generated_names(model, functions)
    errors = _Errors(sources)
    _logical_ids(section, errors)
    _resource_shapes(section, errors)
    _parameters(section, errors)
    for logical_id, definition in section.resources.items():
        if "Type" not in definition and names.resource(logical_id) is False:
            errors.add(f"resource {logical_id!r} has no Type", ("resources", "Resources", logical_id))
    _outputs(section, names, errors)
    for logical_id in section.extensions:
        if logical_id not in section.resources and names.resource(logical_id) is False:
            errors.add(
                f"cannot extend {logical_id!r}: no such resource in the generated stack",
                ("resources", "extensions", logical_id),
                hint=_hint(logical_id, [*names.resources, *section.resources]),
            )
    return errors.found
