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

__all__ = ["check_stack", "check_unique_stacks"]


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
