"""The distribution v3 compiles from all ``cloudFront`` events (pure: the check and the builder
both run it, so what the check accepts is exactly what the builder writes).

Per event (``compileCloudFrontEvents``): an origin (from a URL, or the object as written) with
v3's Id; origins with the same Id are merged; a behavior starting at ``allow-all``, the event's
``behavior`` over it, a cache policy, the origin and one function association; behaviors with the
same path pattern and origin are merged. Then behaviors without a path pattern go first, and
when none is left for the default behavior one is made from the first (no functions).
Merging is v3's ``extendDeep``: lists are concatenated without repeats, objects merged key by
key, and a value already there wins.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from constructs_lib import naming
from constructs_lib.errors import did_you_mean, format_path
from constructs_lib.events.cloud_front import (
    DEFAULT_CACHE_POLICY_ID,
    CloudFrontEvent,
    Origin,
    cache_policy_logical_id,
)
from constructs_lib.events.sites import EventSite, Path

__all__ = ["Distribution", "Problem", "distribution", "extend_deep", "origin_id"]


@dataclass(frozen=True)
class Problem:
    """A user error v3 raises while compiling (its text), and where it is written."""

    message: str
    path: Path
    hint: str | None = None


@dataclass
class Distribution:
    origins: list[dict[str, Any]] = field(default_factory=list)
    behaviors: list[dict[str, Any]] = field(default_factory=list)
    """Default behavior first, then the cache behaviors."""
    problems: list[Problem] = field(default_factory=list)
    used_policies: set[str] = field(default_factory=set)


def extend_deep(
    target: dict[str, Any], source: dict[str, Any], clashes: list[str] | None = None
) -> dict[str, Any]:
    """v3's ``extendDeep`` (``_.assignWith``): ``target`` updated in place and returned.

    Where ``target`` holds an object and ``source`` text, lodash spreads the text's characters
    into the object (``{"Ref": ..., "0": "6", "1": "5", ...}``): a broken template. Such keys are
    left as they are and their paths added to ``clashes``, for the check to refuse."""
    for key, value in source.items():
        mine = target.get(key)
        if isinstance(mine, list):
            merged: list[Any] = []
            for item in [*mine, *(value if isinstance(value, list) else [value])]:
                if item not in merged:
                    merged.append(item)
            target[key] = merged
        elif isinstance(mine, dict):
            if isinstance(value, dict):
                inner: list[str] = []
                extend_deep(mine, value, inner)
                if clashes is not None:
                    clashes.extend(f"{key}.{path}" for path in inner)
            elif isinstance(value, str) and value and clashes is not None:
                clashes.append(key)
        elif key not in target:
            target[key] = copy.deepcopy(value)
    return target


def origin_id(origin: dict[str, Any]) -> str:
    """v3's ``getCloudFrontOriginId``: ``s3/`` or ``custom/``, the domain, the origin path."""
    domain = origin.get("DomainName")
    text = (
        domain
        if isinstance(domain, str)
        else naming.normalize_name_to_alphanumeric(json.dumps(domain, separators=(",", ":")))
    )
    kind = "s3" if origin.get("S3OriginConfig") is not None else "custom"  # {} counts (JS)
    return f"{kind}/{text}{origin.get('OriginPath') or ''}"


def _origin(event: CloudFrontEvent) -> dict[str, Any]:
    """``createOrigin``: a URL's host and path (``s3:`` an S3 origin, else ``match-viewer``), or
    the object as written; then its Id."""
    if isinstance(event.origin, Origin):
        origin = event.origin.to_cfn()
    else:
        url = urlsplit(event.origin)
        origin = {"DomainName": url.hostname}
        if len(url.path) > 1:
            origin["OriginPath"] = url.path
        if url.scheme.lower() == "s3":
            origin["S3OriginConfig"] = {}
        else:
            origin["CustomOriginConfig"] = {"OriginProtocolPolicy": "match-viewer"}
    origin["Id"] = origin_id(origin)
    return origin


def _behavior(site: EventSite[CloudFrontEvent], policies: set[str], plan: Distribution) -> dict[str, Any]:
    """The event's behavior before the origin and the function are added."""
    event = site.event
    behavior: dict[str, Any] = {"ViewerProtocolPolicy": "allow-all"}
    if event.behavior is not None:
        behavior.update(event.behavior.to_cfn())
    if event.cache_policy is not None:
        name = event.cache_policy.name
        if name is not None:
            if name not in policies:
                plan.problems.append(
                    Problem(
                        f"Event references not configured cache policy '{name}'",
                        (*site.path, "cachePolicy", "name"),
                        _policy_hint(name, policies),
                    )
                )
            plan.used_policies.add(name)
            behavior["CachePolicyId"] = {"Ref": cache_policy_logical_id(name)}
        else:
            behavior["CachePolicyId"] = event.cache_policy.id
    elif event.behavior is None or not event.behavior.sets_caching:
        behavior["CachePolicyId"] = DEFAULT_CACHE_POLICY_ID
    return behavior


def _policy_hint(name: str, policies: set[str]) -> str:
    guess = did_you_mean(name, sorted(policies))
    if guess:
        return f"did you mean {guess!r}?"
    return "define it under provider.cloudFront.cachePolicies"


def distribution(
    sites: Sequence[EventSite[CloudFrontEvent]],
    policies: set[str],
    version_ref: Callable[[str], Any],
) -> Distribution:
    """Origins and behaviors of all events, with v3's compile errors as :class:`Problem` s.
    ``version_ref(key)``: what a function association points at (the function's version)."""
    plan = Distribution()
    default_origin: str | None = None
    default_site: EventSite[CloudFrontEvent] | None = None
    seen: dict[int, EventSite[CloudFrontEvent]] = {}
    for site in sites:
        event = site.event
        origin = _origin(event)
        existing = next((o for o in plan.origins if o["Id"] == origin["Id"]), None)
        if existing is None:
            plan.origins.append(origin)
        else:
            extend_deep(existing, origin)
        if event.is_default_origin:
            if default_origin is not None and default_origin != origin["Id"]:
                plan.problems.append(
                    Problem(
                        'Found more than one cloudfront event with "isDefaultOrigin" defined',
                        (*site.path, "isDefaultOrigin"),
                        f"{format_path(default_site.path) if default_site else 'another event'} set it "
                        "for another origin",
                    )
                )
            default_origin, default_site = origin["Id"], site
        behavior = _behavior(site, policies, plan)
        association: dict[str, Any] = {"LambdaFunctionARN": version_ref(site.key)}
        if event.event_type is not None:
            association = {"EventType": event.event_type, **association}
        if event.include_body is not None:
            association["IncludeBody"] = event.include_body
        behavior["TargetOriginId"] = origin["Id"]
        behavior["LambdaFunctionAssociations"] = [association]
        if event.path_pattern:
            behavior["PathPattern"] = event.path_pattern
        same = next(
            (
                b
                for b in plan.behaviors
                if b.get("PathPattern") == behavior.get("PathPattern")
                and b["TargetOriginId"] == behavior["TargetOriginId"]
            ),
            None,
        )
        if same is None:
            plan.behaviors.append(behavior)
            seen[id(behavior)] = site
        else:
            _merge_behavior(plan, same, behavior, site)
    plan.behaviors.sort(key=lambda b: "PathPattern" in b)
    _check_behaviors(plan, seen)
    _default_behavior(plan, default_origin, sites)
    return plan


def _merge_behavior(
    plan: Distribution, same: dict[str, Any], behavior: dict[str, Any], site: EventSite[CloudFrontEvent]
) -> None:
    """A later event's behavior into the one with its path pattern and origin."""
    _check_association(plan, same, behavior["LambdaFunctionAssociations"][0], site)
    clashes: list[str] = []
    extend_deep(same, behavior, clashes)
    where = f"{same.get('PathPattern') or 'the default behavior'} on {same['TargetOriginId']}"
    for key in clashes:
        plan.problems.append(
            Problem(
                f"cloudFront events of one behavior ({where}) give {key} as an object and as text, "
                "which v3 merges into a broken value",
                site.path,
                "give these events the same cachePolicy (or the same policy ids in behavior)",
            )
        )


def _check_association(
    plan: Distribution,
    behavior: dict[str, Any],
    association: dict[str, Any],
    site: EventSite[CloudFrontEvent],
) -> None:
    """v3: ``The event type of a function association must be unique in the cache behavior``."""
    known = behavior["LambdaFunctionAssociations"]
    if association not in known and any(a.get("EventType") == association.get("EventType") for a in known):
        kind = site.event.event_type
        plan.problems.append(
            Problem(
                "The event type of a function association must be unique in the cache behavior",
                (*site.path, "eventType") if kind else site.path,
                f"another function already handles {kind or 'events without eventType'} on "
                f"{behavior.get('PathPattern') or 'the default behavior'}",
            )
        )


def _check_behaviors(plan: Distribution, seen: dict[int, EventSite[CloudFrontEvent]]) -> None:
    """v3: ``Found more than one behavior with the same PathPattern`` (other origin, same path)."""
    patterns: set[str | None] = set()
    for behavior in plan.behaviors:
        pattern = behavior.get("PathPattern")
        if pattern in patterns:
            site = seen[id(behavior)]
            plan.problems.append(
                Problem(
                    "Found more than one behavior with the same PathPattern",
                    (*site.path, "pathPattern") if pattern else site.path,
                    f"events on {pattern or 'the default behavior'} must share one origin",
                )
            )
        patterns.add(pattern)


def _default_behavior(
    plan: Distribution, default_origin: str | None, sites: Sequence[EventSite[CloudFrontEvent]]
) -> None:
    """No behavior without a path pattern: the default is the first one, without its path and
    functions, on the default origin (or the only one)."""
    if not plan.behaviors or "PathPattern" not in plan.behaviors[0]:
        return
    if default_origin is None:
        if len(plan.origins) > 1:
            plan.problems.append(
                Problem(
                    "Found more than one origin but none of the cloudfront event has "
                    '"isDefaultOrigin" defined',
                    sites[0].path,
                    "set isDefaultOrigin: true on the event whose origin serves paths no pathPattern matches",
                )
            )
            return
        default_origin = plan.origins[0]["Id"]
    first = plan.behaviors[0]
    default = {
        k: copy.deepcopy(v)
        for k, v in first.items()
        if k not in ("PathPattern", "LambdaFunctionAssociations")
    }
    default["TargetOriginId"] = default_origin
    plan.behaviors.insert(0, default)
