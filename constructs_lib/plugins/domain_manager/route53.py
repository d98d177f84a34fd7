"""The Route 53 alias records of a custom domain, as serverless-domain-manager writes them: in
``hostedZoneId``, else the longest public/private zone (``hostedZonePrivate``) the domain is in,
or both with ``splitHorizonDns``; simple, latency or weighted routing (``route53Params``);
``route53Profile``/``route53Region`` for another account's zone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from constructs_lib.errors import SlsCdkError

if TYPE_CHECKING:
    from constructs_lib.plugins.domain_manager.aws import Account, Target
    from constructs_lib.plugins.domain_manager.model import Domain

__all__ = ["change_records", "hosted_zone_id"]

COMMENT = 'Record created by "Serverless Domain Manager"'


def hosted_zone_id(domain: Domain, route53: Any, private: bool | None) -> str:
    """The zone the records go in (``private``: only private or only public zones; None: any)."""
    if domain.hosted_zone_id:
        return domain.hosted_zone_id
    zones: list[dict[str, Any]] = []
    for page in route53.get_paginator("list_hosted_zones").paginate():
        zones.extend(page.get("HostedZones", []))
    host = domain.name[domain.name.find(".") + 1 :]
    matching = [
        zone
        for zone in zones
        if (private is None or zone.get("Config", {}).get("PrivateZone", False) == private)
        and (domain.name == zone["Name"].rstrip(".") or host.endswith(zone["Name"].rstrip(".")))
    ]
    if not matching:
        kind = "" if private is None else " private" if private else " public"
        raise SlsCdkError(f"could not find a{kind} hosted zone for {domain.name!r} in Route 53")
    best = max(matching, key=lambda zone: len(zone["Name"]))
    return str(best["Id"]).replace("/hostedzone/", "")


def _routing(domain: Domain, target: Target, region: str) -> dict[str, Any]:
    health = {"HealthCheckId": domain.health_check_id} if domain.health_check_id else {}
    identifier = domain.set_identifier or target.dns_name
    if domain.routing_policy == "latency":
        return {"Region": region, "SetIdentifier": identifier, **health}
    if domain.routing_policy == "weighted":
        return {"Weight": domain.weight, "SetIdentifier": identifier, **health}
    return {}


def change_records(action: str, domain: Domain, target: Target, account: Account) -> None:
    """``UPSERT`` or ``DELETE`` the domain's A (and AAAA) alias records to ``target``."""
    if not domain.create_record:
        account.say(f"{'removal' if action == 'DELETE' else 'creation'} of the Route 53 record skipped")
        return
    region = domain.route53_region or account.region
    route53 = account.client("route53", region=region, profile=domain.route53_profile)
    if domain.split_horizon_dns:
        zones = [hosted_zone_id(domain, route53, False), hosted_zone_id(domain, route53, True)]
    else:
        zones = [hosted_zone_id(domain, route53, domain.hosted_zone_private)]
    types = ["A", "AAAA"] if domain.create_ipv6_record else ["A"]
    for zone in zones:
        changes = [
            {
                "Action": action,
                "ResourceRecordSet": {
                    "Name": domain.name,
                    "Type": record_type,
                    "AliasTarget": {
                        "DNSName": target.dns_name,
                        "EvaluateTargetHealth": False,
                        "HostedZoneId": target.hosted_zone_id,
                    },
                    **_routing(domain, target, region),
                },
            }
            for record_type in types
        ]
        route53.change_resource_record_sets(
            HostedZoneId=zone, ChangeBatch={"Changes": changes, "Comment": COMMENT}
        )
    account.say(f"Route 53 {'/'.join(types)} records of {domain.name!r}: {action.lower()} done")
