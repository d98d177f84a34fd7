"""``alb`` checks at load (no CDK): authorizers that exist, target group names, listener rule
priorities, and events that share a target group but ask for different settings."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib import naming
from constructs_lib.errors import SlsCdkError, did_you_mean
from constructs_lib.events.alb import AlbEvent, listener_ids, target_group_properties
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check"]


def _event_problems(site: EventSite[AlbEvent], ctx: CheckContext, prefix: str) -> list[SlsCdkError]:
    """The event's own settings: a target group name or a prefix, and authorizers that exist."""
    errors: list[SlsCdkError] = []
    config = ctx.service.provider.alb
    authorizers = (config.authorizers if config else None) or {}
    if site.event.target_group_name and prefix:
        errors.append(
            ctx.error(
                "alb targetGroupName and provider.alb.targetGroupPrefix exclude each other",
                (*site.path, "targetGroupName"),
            )
        )
    for name in site.event.authorizer or []:
        if name not in authorizers:
            guess = did_you_mean(name, list(authorizers))
            errors.append(
                ctx.error(
                    f"alb authorizer {name!r} is not one of provider.alb.authorizers",
                    (*site.path, "authorizer"),
                    hint=f"did you mean {guess!r}?" if guess else None,
                )
            )
    return errors


def _priority_clash(
    seen: Sequence[tuple[int, str, str]], priority: int, key: str, listener: str
) -> str | None:
    """Why ``priority`` cannot be used by function ``key`` on ``listener`` (the first clash)."""
    for other_priority, other, other_listener in seen:
        if other_priority != priority:
            continue
        if other == key:
            return (
                f"alb priority {priority} is already used by another alb event of {key!r} "
                "(one function's alb events need distinct priorities, even on different listeners)"
            )
        if other_listener == listener:
            return f"alb priority {priority} is already used on this listener by function {other!r}"
    return None


def _priority_problems(sites: Sequence[EventSite[AlbEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    """Listener rule priorities: unique per listener, and (v3's limit, since the rule's logical ID
    is ``<F>AlbListenerRule<priority>``) unique among one function's events."""
    errors: list[SlsCdkError] = []
    seen: list[tuple[int, str, str]] = []
    for site in sites:
        priority = site.event.priority
        _alb, listener = listener_ids(site.event.listener_arn)
        problem = _priority_clash(seen, priority, site.key, listener)
        if problem is not None:
            errors.append(ctx.error(problem, (*site.path, "priority")))
        seen.append((priority, site.key, listener))
    return errors


def _target_group_problems(
    sites: Sequence[EventSite[AlbEvent]], ctx: CheckContext, prefix: str
) -> list[SlsCdkError]:
    """Events of one function on one load balancer share ``<F>Alb[MultiValue]TargetGroup<albId>``;
    v3 silently kept the last event's settings, so they must agree."""
    errors: list[SlsCdkError] = []
    first: dict[str, dict[str, object]] = {}
    for site in sites:
        event = site.event
        alb_id, _listener = listener_ids(event.listener_arn)
        group_id = naming.alb_target_group_logical_id(site.key, alb_id, bool(event.multi_value_headers))
        properties = target_group_properties(
            event, service=ctx.service.service, stage=ctx.stage, key=site.key, prefix=prefix, target=None
        )
        if first.setdefault(group_id, properties) != properties:
            errors.append(
                ctx.error(
                    f"alb events of {site.key!r} on load balancer {alb_id} share the target group "
                    f"{group_id} but ask for different settings (health check, name); v3 silently kept "
                    "the last event's",
                    site.path,
                    hint="give these events the same healthCheck / targetGroupName",
                )
            )
    return errors


def check(sites: Sequence[EventSite[AlbEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    config = ctx.service.provider.alb
    prefix = (config.target_group_prefix if config else None) or ""
    errors: list[SlsCdkError] = []
    for site in sites:
        errors.extend(_event_problems(site, ctx, prefix))
    errors.extend(_priority_problems(sites, ctx))
    errors.extend(_target_group_problems(sites, ctx, prefix))
    return errors
