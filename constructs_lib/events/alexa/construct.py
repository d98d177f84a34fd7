"""``alexaSkill`` / ``alexaSmartHome`` events: ``<F>LambdaPermissionAlexaSkill<N>`` /
``<F>LambdaPermissionAlexaSmartHome<N>`` (``enabled: false`` -> ``lambda:DisableInvokeFunction``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.alexa import AlexaEvent, AlexaSkillEvent, AlexaSmartHomeEvent
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.sites import EventSite

_A = TypeVar("_A", bound=AlexaEvent)
_PRINCIPALS = {"alexaSkill": "alexa-appkit.amazon.com", "alexaSmartHome": "alexa-connectedhome.amazon.com"}


def _build(ctx: BuildContext, sites: Sequence[EventSite[_A]], kind: str) -> None:
    for site in sites:
        fn = ctx.function(site)
        event = site.event
        ctx.raw.add(
            naming.alexa_permission_logical_id(fn.props.key, kind, site.ordinal),
            invoke_permission(
                fn.target_arn,
                _PRINCIPALS[kind],
                depends_on=fn.target_alias[1] if fn.target_alias else None,
                action="lambda:DisableInvokeFunction" if event.enabled is False else "lambda:InvokeFunction",
                EventSourceToken=event.app_id,
            ),
        )


def build_skill(ctx: BuildContext, sites: Sequence[EventSite[AlexaSkillEvent]]) -> None:
    _build(ctx, sites, "alexaSkill")


def build_smart_home(ctx: BuildContext, sites: Sequence[EventSite[AlexaSmartHomeEvent]]) -> None:
    _build(ctx, sites, "alexaSmartHome")
