"""``cognitoUserPool`` checks at load (no CDK): custom sender triggers need a KMS key, the same for
every custom sender of a pool, and a function has at most one existing pool (v3's limit)."""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib.errors import SlsCdkError
from constructs_lib.events.cognito import CUSTOM_SENDER_SOURCES, CognitoUserPoolEvent
from constructs_lib.events.sites import CheckContext, EventSite

__all__ = ["check"]


def _kms_problem(
    site: EventSite[CognitoUserPoolEvent], ctx: CheckContext, kms_by_pool: dict[str, object]
) -> SlsCdkError | None:
    """A custom sender trigger's ``kmsKeyId``: given, and the one of the pool's other senders."""
    event = site.event
    if event.trigger not in CUSTOM_SENDER_SOURCES:
        return None
    if not event.kms_key_id:
        return ctx.error(f"trigger {event.trigger} of pool {event.pool!r} needs a kmsKeyId", site.path)
    if kms_by_pool.setdefault(event.pool, event.kms_key_id) != event.kms_key_id:
        return ctx.error(
            f"all custom sender triggers of pool {event.pool!r} must use the same kmsKeyId",
            (*site.path, "kmsKeyId"),
        )
    return None


def _pool_problem(
    site: EventSite[CognitoUserPoolEvent], ctx: CheckContext, pool_of: dict[str, str]
) -> SlsCdkError | None:
    """An existing pool per function: v3's ``<F>CustomCognitoUserPool1`` names one."""
    first = pool_of.setdefault(site.key, site.event.pool)
    if first == site.event.pool:
        return None
    return ctx.error(
        f"function {site.key!r} already has an existing user pool ({first}); v3 allows one per function",
        (*site.path, "pool"),
    )


def check(sites: Sequence[EventSite[CognitoUserPoolEvent]], ctx: CheckContext) -> list[SlsCdkError]:
    """New pools first, then existing ones (the order they are built in)."""
    errors: list[SlsCdkError] = []
    new_kms: dict[str, object] = {}
    for site in sites:
        if not site.event.existing:
            errors += [p for p in (_kms_problem(site, ctx, new_kms),) if p is not None]
    existing_kms: dict[str, object] = {}
    pool_of: dict[str, str] = {}
    for site in sites:
        if site.event.existing:
            found = (_kms_problem(site, ctx, existing_kms), _pool_problem(site, ctx, pool_of))
            errors += [p for p in found if p is not None]
    return errors
