"""``alb`` events, as v3's ``AwsCompileAlbEvents``.

Per event a target group ``<F>Alb[MultiValue]TargetGroup<albId>`` (named ``<prefix><md5>``) and a
listener rule ``<F>AlbListenerRule<priority>`` (authenticate actions first, then forward); per
function ``<F>LambdaPermissionRegisterTarget`` and ``<F>LambdaPermissionAlb``. v3's quirks are
kept, since they are live names: the ``Name`` tag never says ``multi-value``, and the ALB
permission's ``SourceArn`` is the function's last target group.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.errors import ConfigError, did_you_mean
from constructs_lib.events.alb import AlbEvent, CognitoAuthorizer, HealthCheck, listener_ids
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.sites import EventSite

_HEALTH_CHECK_DEFAULTS: dict[str, Any] = {
    "HealthCheckEnabled": False,
    "HealthCheckPath": "/",
    "HealthCheckIntervalSeconds": 35,
    "HealthCheckTimeoutSeconds": 30,
    "HealthyThresholdCount": 5,
    "UnhealthyThresholdCount": 5,
    "Matcher": {"HttpCode": "200"},
}


def build(ctx: BuildContext, sites: Sequence[EventSite[Any]]) -> None:
    provider = ctx.service.model.provider
    config = provider.alb
    authorizers = (config.authorizers if config else None) or {}
    prefix = (config.target_group_prefix if config else None) or ""
    service, stage = ctx.service.name, ctx.service.stage

    events: list[tuple[Any, AlbEvent, str, str, Any]] = []
    for site in sites:
        event: AlbEvent = site.event
        key = site.key
        path = ("functions", key, "events", site.index, "alb")
        if event.target_group_name and prefix:
            raise ConfigError(
                "alb targetGroupName and provider.alb.targetGroupPrefix exclude each other",
                path=(*path, "targetGroupName"),
            )
        for name in event.authorizer or []:
            if name not in authorizers:
                guess = did_you_mean(name, list(authorizers))
                raise ConfigError(
                    f"alb authorizer {name!r} is not one of provider.alb.authorizers",
                    path=(*path, "authorizer"),
                    hint=f"did you mean {guess!r}?" if guess else None,
                )
        alb_id, listener_id = listener_ids(event.listener_arn)
        events.append((ctx.function(site), event, alb_id, listener_id, path))
    _check_priorities(events)

    raw = ctx.raw
    for fn, event, alb_id, _listener, path in events:  # target groups
        key = fn.props.key
        multi = bool(event.multi_value_headers)
        tag_value = f"{service}-{key}-{alb_id}-{stage}"
        name_input = f"{service}-{key}-{alb_id}-{'multi-value-' if multi else ''}{stage}"
        health: dict[str, Any] = {"HealthCheckEnabled": False}
        if event.health_check:
            check = event.health_check if isinstance(event.health_check, HealthCheck) else HealthCheck()
            health = dict(_HEALTH_CHECK_DEFAULTS)
            health["HealthCheckEnabled"] = check.enabled
            for field, cfn in (
                ("interval_seconds", "HealthCheckIntervalSeconds"),
                ("path", "HealthCheckPath"),
                ("timeout_seconds", "HealthCheckTimeoutSeconds"),
                ("healthy_threshold_count", "HealthyThresholdCount"),
                ("unhealthy_threshold_count", "UnhealthyThresholdCount"),
            ):
                if getattr(check, field) is not None:
                    health[cfn] = getattr(check, field)
            if check.matcher and check.matcher.get("httpCode"):
                health["Matcher"] = {"HttpCode": check.matcher["httpCode"]}
        group_id = naming.alb_target_group_logical_id(key, alb_id, multi)
        group = {
            "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "Properties": {
                "TargetType": "lambda",
                "Targets": [{"Id": fn.target_arn}],
                "Name": event.target_group_name
                or (prefix + hashlib.md5(name_input.encode(), usedforsecurity=False).hexdigest())[:32],
                "Tags": [{"Key": "Name", "Value": tag_value}],
                "TargetGroupAttributes": [{"Key": "lambda.multi_value_headers.enabled", "Value": multi}],
                **health,
            },
            "DependsOn": [
                d
                for d in (
                    naming.alb_register_target_permission_logical_id(key),
                    fn.target_alias[1] if fn.target_alias else None,
                )
                if d
            ],
        }
        existing = raw.get(group_id)
        if existing is not None and existing != group:
            raise ConfigError(
                f"alb events of {key!r} on load balancer {alb_id} share the target group {group_id} but ask "
                "for different settings (health check, name); v3 silently kept the last event's",
                path=path,
                hint="give these events the same healthCheck / targetGroupName",
            )
        raw.add(group_id, group)
    for fn, event, alb_id, _listener, _path in events:  # listener rules
        actions: list[dict[str, Any]] = []
        for name in event.authorizer or []:
            auth = authorizers[name]
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
                actions.append(
                    {
                        "Type": "authenticate-cognito",
                        "Order": len(actions) + 1,
                        "AuthenticateCognitoConfig": cognito,
                    }
                )
            else:
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
                actions.append(
                    {"Type": "authenticate-oidc", "Order": len(actions) + 1, "AuthenticateOidcConfig": oidc}
                )
        forward: dict[str, Any] = {
            "Type": "forward",
            "TargetGroupArn": {
                "Ref": naming.alb_target_group_logical_id(
                    fn.props.key, alb_id, bool(event.multi_value_headers)
                )
            },
        }
        if actions:
            forward["Order"] = len(actions) + 1
        actions.append(forward)
        c = event.conditions
        conditions: list[dict[str, Any]] = []
        if c.path:
            conditions.append({"Field": "path-pattern", "Values": c.path})
        if c.host:
            conditions.append({"Field": "host-header", "HostHeaderConfig": {"Values": c.host}})
        if c.method:
            conditions.append(
                {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": c.method}}
            )
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
        raw.add(
            naming.alb_listener_rule_logical_id(fn.props.key, event.priority),
            {
                "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
                "Properties": {
                    "Actions": actions,
                    "Conditions": conditions,
                    "ListenerArn": event.listener_arn,
                    "Priority": event.priority,
                },
            },
        )
    for fn, event, alb_id, _listener, _path in events:  # permissions
        key = fn.props.key
        depends = [fn.target_alias[1]] if fn.target_alias else None
        principal = "elasticloadbalancing.amazonaws.com"
        source = {"Ref": naming.alb_target_group_logical_id(key, alb_id, bool(event.multi_value_headers))}
        permission_id = naming.alb_permission_logical_id(key)
        existing = raw.get(permission_id)
        if existing is not None:
            existing["Properties"]["SourceArn"] = source  # v3's merge: the last target group wins
        else:
            raw.add(
                permission_id,
                invoke_permission(fn.target_arn, principal, source_arn=source, depends_on=depends),
            )
        raw.add(
            naming.alb_register_target_permission_logical_id(key),
            invoke_permission(fn.target_arn, principal, depends_on=depends),
        )


def _check_priorities(events: Sequence[tuple[Any, AlbEvent, str, str, Any]]) -> None:
    """Listener rule priorities: unique per listener, and (v3's limit, since the rule's logical ID
    is ``<F>AlbListenerRule<priority>``) unique among one function's events."""
    seen: list[tuple[int, str, str]] = []
    for fn, event, _alb, listener, path in events:
        key = fn.props.key
        for priority, other, other_listener in seen:
            if priority != event.priority:
                continue
            if other == key:
                raise ConfigError(
                    f"alb priority {event.priority} is already used by another alb event of {key!r} "
                    "(one function's alb events need distinct priorities, even on different listeners)",
                    path=(*path, "priority"),
                )
            if other_listener == listener:
                raise ConfigError(
                    f"alb priority {event.priority} is already used on this listener by function {other!r}",
                    path=(*path, "priority"),
                )
        seen.append((event.priority, key, listener))
