"""``cloudFront`` checks at load (no CDK): every error v3 raises for Lambda@Edge, with v3's text,
located at the key; and the located warnings (a cache policy no event uses, an event without
``eventType``, an edge function on a role the service does not generate)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from constructs_lib import naming
from constructs_lib.errors import SchemaError, SlsCdkError
from constructs_lib.events.cloud_front import EDGE_LIMITS, CloudFrontEvent
from constructs_lib.events.cloud_front.plan import distribution
from constructs_lib.events.sites import CheckContext, EventSite

if TYPE_CHECKING:
    from constructs_lib.config.model import Service
    from constructs_lib.config.source import SourceMap

__all__ = ["EDGE_REGION", "check", "warnings"]

#: the only region Lambda@Edge functions are created in (CloudFront replicates them)
EDGE_REGION = "us-east-1"


def _limit_problems(sites: Sequence[EventSite[CloudFrontEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    """v3's ``validate``: a function's own memorySize / timeout within the limits of each of its
    event types (the first event over a limit is reported, as v3 stops there)."""
    errors: list[SlsCdkError] = []
    reported: set[tuple[str, str]] = set()
    for site in sites:
        fn = ctx.service.functions[site.key]
        kind = site.event.limits_key
        max_timeout, max_memory = EDGE_LIMITS[kind]
        for field, value, limit in (
            ("memorySize", fn.memory_size, max_memory),
            ("timeout", fn.timeout, max_timeout),
        ):
            if value and value > limit and (site.key, field) not in reported:
                reported.add((site.key, field))
                errors.append(
                    ctx.error(
                        f'"{site.key}" {field} is greater than {limit} which is not supported by '
                        f'Lambda@Edge functions of type "{kind}"',
                        ("functions", site.key, field),
                    )
                )
    return errors


def _region_problem(sites: Sequence[EventSite[CloudFrontEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    if ctx.region == EDGE_REGION:
        return []
    provider = ctx.service.provider
    in_file = "region" in provider.model_fields_set and provider.region == ctx.region
    return [
        ctx.error(
            "CloudFront associated functions have to be deployed to the us-east-1 region.",
            ("provider", "region") if in_file else sites[0].path,
            hint=f"this service deploys to {ctx.region}; Lambda@Edge functions are created in "
            "us-east-1 and CloudFront replicates them",
        )
    ]


def check(sites: Sequence[EventSite[CloudFrontEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    config = ctx.service.provider.cloud_front
    policies = set((config.cache_policies if config else None) or {})
    plan = distribution(sites, policies, lambda key: {"Ref": key})
    return [
        *_limit_problems(sites, ctx),
        *(ctx.error(p.message, p.path, hint=p.hint) for p in plan.problems),
        *_region_problem(sites, ctx),
    ]


def warnings(service: Service, sources: SourceMap, stage: str) -> list[SlsCdkError]:
    """A cache policy no event names (v3 warns and still creates it), and each edge function
    whose role is not the generated one (v3 adds the Lambda@Edge trust and log permissions only
    to the role it generates, and only says so)."""
    return [
        *_unused_policies(service, sources),
        *_no_event_type(service, sources),
        *_foreign_roles(service, sources, stage),
    ]


def _no_event_type(service: Service, sources: SourceMap) -> list[SlsCdkError]:
    """CloudFront's API requires ``EventType`` on every function association; v3 leaves it out
    when ``eventType`` is not set, and the deploy fails."""
    out: list[SlsCdkError] = []
    for key, fn in service.functions.items():
        for index, item in enumerate(fn.events):
            if isinstance(item.body, CloudFrontEvent) and item.body.event_type is None:
                path = ("functions", key, "events", index, "cloudFront")
                out.append(
                    SchemaError(
                        "cloudFront event without eventType: CloudFront requires an event type on every "
                        "function association and will refuse this distribution at deploy",
                        location=sources.locate(path),
                        path=path,
                        hint="set eventType: viewer-request, viewer-response, origin-request or "
                        "origin-response",
                    )
                )
    return out


def _unused_policies(service: Service, sources: SourceMap) -> list[SlsCdkError]:
    config = service.provider.cloud_front
    used = {
        event.cache_policy.name
        for fn in service.functions.values()
        for item in fn.events
        if isinstance(event := item.body, CloudFrontEvent) and event.cache_policy is not None
    }
    out: list[SlsCdkError] = []
    for name in (config.cache_policies if config else None) or {}:
        if name not in used:
            path = ("provider", "cloudFront", "cachePolicies", name)
            message = (
                f'Setting "provider.cloudFront.cachePolicies.{name}" is not used by any cloudFront '
                "event configuration."
            )
            out.append(SchemaError(message, location=sources.locate(path), path=path))
    return out


def _foreign_roles(service: Service, sources: SourceMap, stage: str) -> list[SlsCdkError]:
    """One warning per role key that edge functions run on (the function's, else the provider's)."""
    by_path: dict[tuple[str, ...], list[str]] = {}
    for key, fn in service.functions.items():
        if not any(item.event_type == "cloudFront" for item in fn.events):
            continue
        role = service.function(key, stage=stage).role
        if role is None or role == naming.iam_role_lambda_execution_logical_id():
            continue
        path = ("functions", key, "role") if fn.role else _provider_role_path(service)
        by_path.setdefault(path, []).append(key)
    return [
        SchemaError(
            f"Lambda@Edge {'function' if len(keys) == 1 else 'functions'} "
            f"{', '.join(repr(k) for k in keys)} {'runs' if len(keys) == 1 else 'run'} on a role this "
            "service does not generate: it must trust edgelambda.amazonaws.com and may need to write "
            "logs in every region",
            location=sources.locate(path),
            path=path,
            hint="see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
            "lambda-edge-permissions.html",
        )
        for path, keys in by_path.items()
    ]


def _provider_role_path(service: Service) -> tuple[str, ...]:
    provider = service.provider
    if provider.iam is not None and provider.iam.existing_role is not None:
        return ("provider", "iam", "role")
    return ("provider", "role")
