"""Cross-field checks at load: what no single field's validator can see, and what Lambda would
refuse at deploy. Each event type's own ``check`` runs here too, in v3's plugin order, so
``sls-cdk check`` and ``synth`` report the same problems."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from constructs_lib import events, limits
from constructs_lib.errors import SlsCdkError, did_you_mean
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check_events", "check_functions"]


def _name_problem(name: str) -> str | None:
    if len(name) > limits.FUNCTION_NAME_MAX:
        return f"function name {name!r} is {len(name)} characters; Lambda allows {limits.FUNCTION_NAME_MAX}"
    if not limits.FUNCTION_NAME.fullmatch(name):
        return f"function name {name!r} may only hold letters, digits, '-' and '_'"
    return None


def _check_name(ctx: CheckContext, key: str) -> list[SlsCdkError]:
    """Names Lambda would refuse at deploy time, found now (the default name includes the stage)."""
    named = ctx.service.functions[key].name is not None
    problem = _name_problem(ctx.functions[key].name)
    if problem is None:
        return []
    hint = None if named else "set a shorter functions.<key>.name, or shorten the service or function key"
    return [ctx.error(problem, ("functions", key, "name") if named else ("functions", key), hint=hint)]


def _check_links(ctx: CheckContext, key: str) -> list[SlsCdkError]:
    """Settings that need something else: EFS needs a VPC, destinations name real functions or
    targets Lambda can send to."""
    errors: list[SlsCdkError] = []
    fn = ctx.functions[key]
    if fn.file_system_config is not None and fn.vpc is None:
        errors.append(
            ctx.error(
                "fileSystemConfig needs a vpc (on the function or the provider)",
                ("functions", key, "fileSystemConfig"),
            )
        )
    if fn.destinations is not None:
        for field, target in (
            ("onSuccess", fn.destinations.on_success),
            ("onFailure", fn.destinations.on_failure),
        ):
            errors.extend(_check_destination(ctx, key, field, target))
    return errors


def _check_destination(ctx: CheckContext, key: str, field: str, target: Any) -> list[SlsCdkError]:
    if not isinstance(target, str):
        return []
    where = ("functions", key, "destinations", field)
    if not target.startswith("arn:"):
        if target in ctx.functions:
            return []
        guess = did_you_mean(target, ctx.functions)
        return [
            ctx.error(
                f"destination {target!r} is neither an ARN nor a function of this service",
                where,
                hint=f"did you mean {guess!r}?" if guess else None,
            )
        ]
    if not any(part in target for part in (":function:", ":sqs:", ":sns:", ":event-bus/")):
        return [
            ctx.error(
                f"unsupported destination target {target!r} (an SQS queue, SNS topic, "
                "Lambda function or EventBridge bus)",
                where,
            )
        ]
    return []


def check_functions(ctx: CheckContext) -> list[SlsCdkError]:
    """Every function's name and links."""
    errors: list[SlsCdkError] = []
    for key in ctx.functions:
        errors.extend(_check_name(ctx, key))
        errors.extend(_check_links(ctx, key))
    return errors


def check_events(ctx: CheckContext, sites: Mapping[str, Sequence[EventSite[Any]]]) -> list[SlsCdkError]:
    """Each event type's ``check`` over all its sites, in v3's plugin order."""
    errors: list[SlsCdkError] = []
    for event_type, entry in events.REGISTRY.items():
        if entry.check is not None and event_type in sites:
            errors.extend(entry.check(sites[event_type], ctx))
    return errors
