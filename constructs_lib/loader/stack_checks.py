"""The stack itself: its name and region must be ones CloudFormation accepts, checked before any
CDK code runs (the name comes from ``--stage`` or ``provider.stackName``, the region from
``--region``, which the model never sees), and compose services must not make the same stack."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from constructs_lib import limits, naming
from constructs_lib.errors import ComposeError, ConfigError, SlsCdkError, did_you_mean

if TYPE_CHECKING:
    from constructs_lib.config.compose import Compose
    from constructs_lib.config.model import Service
    from constructs_lib.config.source import SourceMap
    from constructs_lib.loader.service import LoadedService

__all__ = ["check_output_refs", "check_stack", "check_unique_stacks"]


def check_stack(
    model: Service,
    sources: SourceMap,
    *,
    stage: str,
    stage_option: str | None,
    region_option: str | None,
) -> list[SlsCdkError]:
    """``--region`` is an AWS region; ``<service>-<stage>``, the stack name without
    ``provider.stackName``, is one CloudFormation accepts, located where the stage is decided."""
    errors: list[SlsCdkError] = []
    if region_option is not None and region_option not in limits.REGIONS:
        guess = did_you_mean(region_option, sorted(limits.REGIONS))
        errors.append(
            SlsCdkError(
                f"--region {region_option!r} is not an AWS region",
                hint=f"did you mean {guess!r}?" if guess else None,
            )
        )
    if model.provider.stack_name:  # the model holds it to the same rule, located
        return errors
    problem = naming.stack_name_problem(naming.stack_name(model.service, stage))
    if problem is None:
        return errors
    if stage_option:
        errors.append(SlsCdkError(f"{problem}: it is the service name and --stage {stage_option!r}"))
        return errors
    path = ("provider", "stage") if "stage" in model.provider.model_fields_set else ("service",)
    errors.append(ConfigError(problem, location=sources.locate(path), path=path))
    return errors


def check_unique_stacks(services: Sequence[LoadedService], compose: Compose) -> list[SlsCdkError]:
    """Two compose services that would make the same stack (same service name and stage, or the
    same ``provider.stackName``): the second deploy would overwrite the first."""
    seen: dict[str, str] = {}
    errors: list[SlsCdkError] = []
    for svc in services:
        name = svc.compose_name or svc.name
        first = seen.setdefault(svc.stack_name, name)
        if first != name:
            where = ("services", name)
            errors.append(
                ComposeError(
                    f"services {first!r} and {name!r} both make the stack {svc.stack_name!r}",
                    location=compose.sources.locate(where),
                    path=where,
                    hint="give one of them its own service name or provider.stackName",
                )
            )
    return errors


def check_output_refs(services: Sequence[LoadedService], compose: Compose) -> list[SlsCdkError]:
    """``${service.Output}`` in compose params names an output the service makes (its
    ``resources.Outputs`` or one the stack generates); v3 finds out at deploy, we before."""
    from constructs_lib.loader.resources_check import generated_names

    by_name = {svc.compose_name: svc for svc in services}
    errors: list[SlsCdkError] = []
    for consumer in services:
        for ref in consumer.output_refs:
            producer = by_name.get(ref.service)
            if producer is None:
                continue
            declared = producer.model.resources.outputs if producer.model.resources else {}
            names = generated_names(producer.model, producer.functions)
            if ref.output in declared or names.output(ref.output) is not False:
                continue
            where = ("services", consumer.compose_name or consumer.name, "params", ref.param)
            guess = did_you_mean(ref.output, [*declared, *names.outputs])
            errors.append(
                ComposeError(
                    f"${{{ref.service}.{ref.output}}}: service {ref.service!r} has no output {ref.output!r}",
                    location=compose.sources.locate(where),
                    path=where,
                    hint=f"did you mean {guess!r}?" if guess else None,
                )
            )
    return errors
