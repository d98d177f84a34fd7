"""Cross-field checks at load: what no single field's validator can see, and what Lambda would
refuse at deploy. Each event type's own ``check`` runs here too, in v3's plugin order, so
``sls-cdk check`` and ``synth`` report the same problems. :func:`config_warnings` gives what v3
accepts and deploys but a reviewer should hear about (runtimes, CORS), located too."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from constructs_lib import events, limits
from constructs_lib.config.data import KeyPath
from constructs_lib.errors import SchemaError, SlsCdkError, did_you_mean
from constructs_lib.events.http import HttpCors, HttpEvent
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check_events", "check_functions", "config_warnings"]


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


def _warning(ctx: CheckContext, message: str, path: KeyPath, hint: str | None = None) -> SlsCdkError:
    return SchemaError(message, location=ctx.sources.locate(path), path=path, hint=hint)


def _runtime_sites(ctx: CheckContext) -> list[tuple[KeyPath, str, str, bool]]:
    """(where, runtime, whose, written) for every runtime of the service: provider, functions,
    layers' compatibleRuntimes. The provider's counts when written or when a zip function uses it."""
    model = ctx.service
    sites: list[tuple[KeyPath, str, str, bool]] = []
    inheriting = [
        k for k, f in model.functions.items() if f.runtime is None and ctx.functions[k].image is None
    ]
    written = "runtime" in model.provider.model_fields_set
    if written or inheriting:
        whose = ", ".join(map(repr, inheriting)) if inheriting else "the provider"
        sites.append((("provider", "runtime"), model.provider.runtime, whose, written))
    for key, fn in model.functions.items():
        if fn.runtime is not None:
            # a function a plugin added (a warmer) is not in the file: v3 validated before it came
            written = ctx.sources.locate(("functions", key)) is not None
            sites.append((("functions", key, "runtime"), fn.runtime, repr(key), written))
    for name, layer in model.layers.items():
        for i, runtime in enumerate(layer.compatible_runtimes or []):
            sites.append((("layers", name, "compatibleRuntimes", i), runtime, f"layer {name!r}", True))
    return sites


def _runtime_warnings(ctx: CheckContext, today: str) -> list[SlsCdkError]:
    """v3's schema warning for a runtime outside its enum (kept in the template, as v3 keeps it),
    and a warning for a runtime AWS has deprecated (Lambda then blocks creating functions on it)."""
    out: list[SlsCdkError] = []
    schema_warnings = ctx.service.config_validation_mode != "off"  # v3 prints none when off
    for where, runtime, whose, written in _runtime_sites(ctx):
        if written and schema_warnings and runtime not in limits.V3_RUNTIMES:
            if runtime in limits.NEWER_RUNTIMES:
                hint = f"Lambda supports {runtime}, newer than v3.40.0's list: kept as written"
            elif runtime in limits.KNOWN_RUNTIMES:
                hint = f"{runtime} is older than v3.40.0's list: kept as written"
            else:
                guess = did_you_mean(runtime, limits.KNOWN_RUNTIMES)
                hint = f"did you mean {guess!r}?" if guess else "Lambda will refuse an unknown runtime"
            allowed = ", ".join(limits.V3_RUNTIMES)
            out.append(_warning(ctx, f"must be equal to one of the allowed values [{allowed}]", where, hint))
        since = limits.deprecated_since(runtime, today)
        if since is not None:
            out.append(
                _warning(
                    ctx,
                    f"runtime {runtime} of {whose} is deprecated by AWS since {since}: "
                    "Lambda blocks creating functions on a deprecated runtime, then updating them",
                    where,
                    "move to a supported runtime (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html)",
                )
            )
    return out


def _cors_warnings(ctx: CheckContext, sites: Sequence[EventSite[HttpEvent]]) -> list[SlsCdkError]:
    """REST ``cors`` answering ``*`` with credentials: API Gateway deploys it, browsers refuse it."""
    out: list[SlsCdkError] = []
    for site in sites:
        cors = site.event.cors
        if not isinstance(cors, HttpCors) or not cors.allow_credentials:
            continue
        origins = cors.origins or [o.strip() for o in (cors.origin or "*").split(",")]
        if "*" in origins:
            out.append(
                _warning(
                    ctx,
                    "cors answers the origin '*' with allowCredentials: true: API Gateway deploys it, "
                    "but browsers refuse credentialed responses for the origin '*'",
                    (*site.path, "cors"),
                    "list the allowed origins (origins: [https://app.example.com])",
                )
            )
    return out


def config_warnings(
    ctx: CheckContext, sites: Mapping[str, Sequence[EventSite[Any]]], *, today: str | None = None
) -> list[SlsCdkError]:
    """What v3 accepts and emits but deserves a warning: runtimes (v3's enum, AWS deprecations as
    of ``today``, an ISO date, default the current UTC date) and REST CORS ``*`` with credentials."""
    day = today or datetime.datetime.now(datetime.UTC).date().isoformat()
    return [*_runtime_warnings(ctx, day), *_cors_warnings(ctx, sites.get("http", ()))]
