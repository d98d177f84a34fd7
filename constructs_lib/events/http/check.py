"""``http`` checks at load (no CDK): every problem of the service's REST API, located, before
anything is built (v3 throws them from ``validate.js`` and its compilers, one at a time)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from constructs_lib import naming
from constructs_lib.errors import ConfigError, Location, SlsCdkError
from constructs_lib.events.http import HttpEvent, plan
from constructs_lib.events.http.authorizer_spec import authorizer_of
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check"]

_STAGE = re.compile(r"[-_a-zA-Z0-9]+")

#: provider.apiGateway keys that configure the REST API itself
_API_OWNER_KEYS = (
    ("binary_media_types", "binaryMediaTypes"),
    ("minimum_compression_size", "minimumCompressionSize"),
    ("api_key_source_type", "apiKeySourceType"),
    ("resource_policy", "resourcePolicy"),
    ("disable_default_endpoint", "disableDefaultEndpoint"),
)
#: provider keys that configure the REST API itself
_PROVIDER_API_KEYS = (("api_name", "apiName"), ("endpoint_type", "endpointType"))


def _stage_name(ctx: CheckContext) -> list[SlsCdkError]:
    """API Gateway stage names (v3 checks the stage as soon as there are http events). The stage
    may come from ``--stage``: the error names the file, no line."""
    if _STAGE.fullmatch(ctx.stage):
        return []
    message = f"stage {ctx.stage!r} may only hold [-_a-zA-Z0-9] when http events are present (API Gateway)"
    return [ConfigError(message, location=Location(ctx.sources.file))]


def _resource_collision(
    site: EventSite[HttpEvent], ctx: CheckContext, seen: dict[str, str]
) -> list[SlsCdkError]:
    """Paths whose resources would share a logical ID (``users/{id}`` and ``users/{ID}``);
    ``seen``: resource logical ID -> the path it stands for, of the events before."""
    for path in plan.prefixes(site.event.path):
        logical_id = naming.rest_resource_logical_id(path)
        other = seen.setdefault(logical_id, path)
        if other != path:
            return [
                ctx.error(
                    f"paths {other!r} and {path!r} would share the resource logical ID "
                    f"{logical_id} (v3 silently merged them into one)",
                    site.path,
                )
            ]
    return []


def _authorizer(site: EventSite[HttpEvent], ctx: CheckContext) -> list[SlsCdkError]:
    _, problem = authorizer_of(site.event, ctx.functions)
    return [] if problem is None else [ctx.error(problem, ("functions", site.key, "events"))]


def _owned_elsewhere(ctx: CheckContext) -> list[SlsCdkError]:
    """Settings of the API itself, when ``restApiId`` says another stack owns it."""
    provider = ctx.service.provider
    gateway = provider.api_gateway
    errors = (
        ctx.owned_elsewhere(gateway, _API_OWNER_KEYS, ("provider", "apiGateway"), "REST API", "restApiId")
        if gateway is not None
        else []
    )
    return errors + ctx.owned_elsewhere(
        provider, _PROVIDER_API_KEYS, ("provider",), "REST API", "apiGateway.restApiId"
    )


def _external_api(sites: Sequence[EventSite[HttpEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    """An API another stack owns: not configured here, and every path's parent known."""
    provider = ctx.service.provider
    errors = _owned_elsewhere(ctx)
    paths = [site.event.path for site in sites]
    _, missing = plan.new_resources(paths, plan.known_resource_ids(provider))
    if missing:
        errors.append(
            ctx.error(
                "http events on an external REST API need provider.apiGateway.restApiRootResourceId "
                "(or the parent path in restApiResources)",
                ("provider", "apiGateway", "restApiId"),
            )
        )
    return errors


def _own_api(ctx: CheckContext) -> list[SlsCdkError]:
    """The service's own API: VPC endpoints only for a private one."""
    provider = ctx.service.provider
    if provider.vpc_endpoint_ids is None or plan.endpoint_type(provider) == "PRIVATE":
        return []
    return [ctx.error("vpcEndpointIds are only for private APIs (endpointType: PRIVATE)", ("provider",))]


def _api_keys(ctx: CheckContext) -> list[SlsCdkError]:
    """Keys grouped under a usage plan need that plan; with several plans every key needs one."""
    keys = plan.key_plan(ctx.service.provider.api_gateway)
    if keys is None:
        return []
    where = ("provider", "apiGateway", "apiKeys")
    errors = [
        ctx.error(
            f"API keys grouped under {group!r} need a usage plan of that name "
            "(provider.apiGateway.usagePlan as a list)",
            where,
        )
        for group in keys.unknown_groups
    ]
    if keys.ungrouped_keys_with_plans:
        errors.append(
            ctx.error("with several usage plans, each API key must be listed under its plan's name", where)
        )
    return errors


def check(sites: Sequence[EventSite[HttpEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    """Every problem of the service's ``http`` events and REST API settings."""
    errors = _stage_name(ctx)
    seen: dict[str, str] = {}
    for site in sites:
        errors += _resource_collision(site, ctx, seen)
        errors += _authorizer(site, ctx)
    if plan.external_rest_api_id(ctx.service.provider) is not None:
        errors += _external_api(sites, ctx)
    else:
        errors += _own_api(ctx)
    errors += _api_keys(ctx)
    return errors
