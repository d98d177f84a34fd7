"""``alb`` events, as v3's ``AwsCompileAlbEvents``.

Per event a target group ``<F>Alb[MultiValue]TargetGroup<albId>`` (named ``<prefix><md5>``) and a
listener rule ``<F>AlbListenerRule<priority>`` (authenticate actions first, then forward); per
function ``<F>LambdaPermissionRegisterTarget`` and ``<F>LambdaPermissionAlb``. v3's quirks are
kept, since they are live names: the ``Name`` tag never says ``multi-value``, and the ALB
permission's ``SourceArn`` is the function's last target group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.alb import (
    AlbEvent,
    CognitoAuthorizer,
    OidcAuthorizer,
    listener_ids,
    target_group_properties,
)
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.sites import EventSite

Authorizers = Mapping[str, CognitoAuthorizer | OidcAuthorizer]


def build(ctx: BuildContext, sites: Sequence[EventSite[AlbEvent]]) -> None:
    config = ctx.provider.alb
    authorizers = (config.authorizers if config else None) or {}
    prefix = (config.target_group_prefix if config else None) or ""
    for site in sites:
        _target_group(ctx, site, prefix)
    for site in sites:
        _listener_rule(ctx, site, authorizers)
    for site in sites:
        _permissions(ctx, site)


def _target_group_id(site: EventSite[AlbEvent]) -> str:
    alb_id, _listener = listener_ids(site.event.listener_arn)
    return naming.alb_target_group_logical_id(site.key, alb_id, bool(site.event.multi_value_headers))


def _target_group(ctx: BuildContext, site: EventSite[AlbEvent], prefix: str) -> None:
    """``<F>Alb[MultiValue]TargetGroup<albId>``; the events sharing it agree (their check)."""
    fn = ctx.function(site)
    properties = target_group_properties(
        site.event,
        service=ctx.service_name,
        stage=ctx.stage,
        key=site.key,
        prefix=prefix,
        target=fn.target_arn,
    )
    depends = [naming.alb_register_target_permission_logical_id(site.key)]
    if fn.target_alias:
        depends.append(fn.target_alias[1])
    ctx.raw.add(
        _target_group_id(site),
        {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": properties, "DependsOn": depends},
    )


def _listener_rule(ctx: BuildContext, site: EventSite[AlbEvent], authorizers: Authorizers) -> None:
    """``<F>AlbListenerRule<priority>``: authenticate actions first, then forward."""
    event = site.event
    actions = [
        _authenticate(authorizers[name], order) for order, name in enumerate(event.authorizer or [], 1)
    ]
    forward: dict[str, Any] = {"Type": "forward", "TargetGroupArn": {"Ref": _target_group_id(site)}}
    if actions:
        forward["Order"] = len(actions) + 1
    actions.append(forward)
    ctx.raw.add(
        naming.alb_listener_rule_logical_id(site.key, event.priority),
        {
            "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
            "Properties": {
                "Actions": actions,
                "Conditions": _conditions(event),
                "ListenerArn": event.listener_arn,
                "Priority": event.priority,
            },
        },
    )


def _authenticate(auth: CognitoAuthorizer | OidcAuthorizer, order: int) -> dict[str, Any]:
    common = {
        "OnUnauthenticatedRequest": auth.on_unauthenticated_request,
        "AuthenticationRequestExtraParams": auth.request_extra_params,
        "Scope": auth.scope,
        "SessionCookieName": auth.session_cookie_name,
        "SessionTimeout": auth.session_timeout,
    }
    if isinstance(auth, CognitoAuthorizer):
        cognito = {
            "UserPoolArn": auth.user_pool_arn,
            "UserPoolClientId": auth.user_pool_client_id,
            "UserPoolDomain": auth.user_pool_domain,
            **common,
        }
        return {"Type": "authenticate-cognito", "Order": order, "AuthenticateCognitoConfig": cognito}
    oidc: dict[str, Any] = {
        "AuthorizationEndpoint": auth.authorization_endpoint,
        "ClientId": auth.client_id,
        "Issuer": auth.issuer,
        "TokenEndpoint": auth.token_endpoint,
        "UserInfoEndpoint": auth.user_info_endpoint,
        **common,
    }
    if auth.client_secret:
        oidc["ClientSecret"] = auth.client_secret
    else:
        oidc["UseExistingClientSecret"] = True
    return {"Type": "authenticate-oidc", "Order": order, "AuthenticateOidcConfig": oidc}


def _conditions(event: AlbEvent) -> list[dict[str, Any]]:
    c = event.conditions
    conditions: list[dict[str, Any]] = []
    if c.path:
        conditions.append({"Field": "path-pattern", "Values": c.path})
    if c.host:
        conditions.append({"Field": "host-header", "HostHeaderConfig": {"Values": c.host}})
    if c.method:
        conditions.append({"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": c.method}})
    for header in c.header or []:
        conditions.append(
            {
                "Field": "http-header",
                "HttpHeaderConfig": {"HttpHeaderName": header.name, "Values": header.values},
            }
        )
    if c.query:
        conditions.append(
            {
                "Field": "query-string",
                "QueryStringConfig": {"Values": [{"Key": k, "Value": v} for k, v in c.query.items()]},
            }
        )
    if c.ip:
        conditions.append({"Field": "source-ip", "SourceIpConfig": {"Values": c.ip}})
    return conditions


def _permissions(ctx: BuildContext, site: EventSite[AlbEvent]) -> None:
    """``<F>LambdaPermissionAlb`` (v3's merge: its source is the function's last target group) and
    ``<F>LambdaPermissionRegisterTarget``."""
    fn = ctx.function(site)
    depends = [fn.target_alias[1]] if fn.target_alias else None
    principal = "elasticloadbalancing.amazonaws.com"
    source = {"Ref": _target_group_id(site)}
    permission_id = naming.alb_permission_logical_id(site.key)
    existing = ctx.raw.get(permission_id)
    if existing is not None:
        existing["Properties"]["SourceArn"] = source
    else:
        ctx.raw.add(
            permission_id, invoke_permission(fn.target_arn, principal, source_arn=source, depends_on=depends)
        )
    ctx.raw.add(
        naming.alb_register_target_permission_logical_id(site.key),
        invoke_permission(fn.target_arn, principal, depends_on=depends),
    )
