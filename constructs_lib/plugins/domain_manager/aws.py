"""What ``sls create_domain`` / ``sls delete_domain`` do (serverless-domain-manager 10.3.1), with
boto3: the API Gateway custom domain (v1 for REST, v2 for HTTP and WebSocket APIs and for REST
base paths with a ``/``), its certificate found in ACM when no ARN is given, and the Route 53
alias records (A, and AAAA unless ``createRoute53IPv6Record: false``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from constructs_lib.errors import SlsCdkError
from constructs_lib.plugins.domain_manager.model import Domain

__all__ = ["Account", "create_domain", "delete_domain"]

#: the hosted zone of edge domains when API Gateway does not say (the plugin's default)
EDGE_HOSTED_ZONE = "Z2FDTNDATAQYW2"
CERT_STATUSES = ["PENDING_VALIDATION", "ISSUED", "INACTIVE"]
KEY_TYPES = [
    "RSA_1024",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "EC_prime256v1",
    "EC_secp384r1",
    "EC_secp521r1",
]


@dataclass(frozen=True)
class Account:
    """Where the domain goes: the service's region, its credentials' profile, the tags it gets
    (``provider.stackTags`` then ``provider.tags``, as the plugin merges them)."""

    region: str
    profile: str | None
    tags: dict[str, str]
    say: Callable[[str], None]

    def client(self, service: str, region: str | None = None, profile: str | None = None) -> Any:
        import boto3

        session: Any = boto3.session.Session(profile_name=profile or self.profile)
        return session.client(service, region_name=region or self.region)


@dataclass(frozen=True)
class Target:
    """The domain API Gateway made: the name and hosted zone its alias records point at."""

    dns_name: str
    hosted_zone_id: str


def _uses_v2(domain: Domain) -> bool:
    return domain.api_type != "REST" or "/" in domain.base_path


def _client_error(exc: Exception) -> tuple[str, str]:
    response = getattr(exc, "response", None) or {}
    error = response.get("Error", {})
    return str(error.get("Code", "")), str(error.get("Message", exc))


def get_domain(domain: Domain, account: Account) -> Target | None:
    """The custom domain as API Gateway has it, or None when it does not exist."""
    from botocore.exceptions import ClientError

    try:
        if _uses_v2(domain):
            found = account.client("apigatewayv2").get_domain_name(DomainName=domain.name)
            config = (found.get("DomainNameConfigurations") or [{}])[0]
            return Target(
                config.get("ApiGatewayDomainName") or domain.name,
                config.get("HostedZoneId") or EDGE_HOSTED_ZONE,
            )
        key = _v1_key(domain, account)
        if key is None:
            return None
        info = account.client("apigateway").get_domain_name(**key)
    except ClientError as exc:
        code, message = _client_error(exc)
        if code in ("NotFoundException", "404"):
            return None
        raise SlsCdkError(f"unable to fetch information about {domain.name!r}: {message}") from None
    if domain.endpoint_type == "REGIONAL":
        return Target(
            info.get("regionalDomainName") or domain.name,
            info.get("regionalHostedZoneId") or EDGE_HOSTED_ZONE,
        )
    return Target(
        info.get("distributionDomainName") or info.get("regionalDomainName") or domain.name,
        info.get("distributionHostedZoneId") or EDGE_HOSTED_ZONE,
    )


def _v1_key(domain: Domain, account: Account) -> dict[str, str] | None:
    """What names a REST custom domain: its name, and for a private one also its ``domainNameId``
    (several accounts may own private domains of one name); None: no private domain of that name."""
    if domain.endpoint_type != "PRIVATE":
        return {"domainName": domain.name}
    pages = account.client("apigateway").get_paginator("get_domain_names").paginate()
    for item in (item for page in pages for item in page.get("items", [])):
        types = item.get("endpointConfiguration", {}).get("types", [])
        if item.get("domainName") == domain.name and "PRIVATE" in types:
            found = item.get("domainNameId")
            return {"domainName": domain.name, **({"domainNameId": found} if found else {})}
    return None


def certificate_arn(domain: Domain, account: Account) -> str:
    """``certificateArn``, else the certificate named ``certificateName``, else the one whose name
    (or alternative name, ``*`` dropped) is the longest part of the domain name; edge domains look
    in us-east-1, as CloudFront needs."""
    if domain.certificate_arn:
        return domain.certificate_arn
    region = "us-east-1" if domain.endpoint_type == "EDGE" else account.region
    acm = account.client("acm", region=region)
    certificates: list[dict[str, Any]] = []
    for page in acm.get_paginator("list_certificates").paginate(
        CertificateStatuses=CERT_STATUSES, Includes={"keyTypes": KEY_TYPES}
    ):
        certificates.extend(page.get("CertificateSummaryList", []))
    found: str | None = None
    if domain.certificate_name:
        found = next(
            (c["CertificateArn"] for c in certificates if c.get("DomainName") == domain.certificate_name),
            None,
        )
    else:
        longest = 0
        for cert in certificates:
            for name in [cert.get("DomainName", ""), *cert.get("SubjectAlternativeNameSummaries", [])]:
                name = name[1:] if name.startswith("*") else name
                if name and name in domain.name and len(name) > longest:
                    longest, found = len(name), cert["CertificateArn"]
    if found is None:
        wanted = domain.certificate_name or domain.name
        raise SlsCdkError(
            f"could not find an in-date certificate for {wanted!r} in ACM ({region})",
            hint="edge domains need their certificate in us-east-1"
            if domain.endpoint_type == "EDGE"
            else None,
        )
    return found


def _create(domain: Domain, account: Account, arn: str) -> None:
    if _uses_v2(domain):
        v2: dict[str, Any] = {
            "DomainName": domain.name,
            "DomainNameConfigurations": [
                {
                    "CertificateArn": arn,
                    "EndpointType": domain.endpoint_type,
                    "SecurityPolicy": domain.security_policy,
                }
            ],
            "Tags": account.tags,
        }
        if domain.tls_truststore_uri and domain.endpoint_type == "REGIONAL":
            v2["MutualTlsAuthentication"] = {"TruststoreUri": domain.tls_truststore_uri}
            if domain.tls_truststore_version:
                v2["MutualTlsAuthentication"]["TruststoreVersion"] = domain.tls_truststore_version
        account.client("apigatewayv2").create_domain_name(**v2)
        return
    v1: dict[str, Any] = {
        "domainName": domain.name,
        "endpointConfiguration": {"types": [domain.endpoint_type]},
        "securityPolicy": domain.security_policy,
        "tags": account.tags,
    }
    if domain.endpoint_type == "REGIONAL":
        v1["regionalCertificateArn"] = arn
        if domain.tls_truststore_uri:
            v1["mutualTlsAuthentication"] = {"truststoreUri": domain.tls_truststore_uri}
            if domain.tls_truststore_version:
                v1["mutualTlsAuthentication"]["truststoreVersion"] = domain.tls_truststore_version
    else:
        v1["certificateArn"] = arn
    account.client("apigateway").create_domain_name(**v1)


def _truststore_exists(domain: Domain, account: Account) -> None:
    from botocore.exceptions import ClientError

    assert domain.tls_truststore_uri
    bucket, _, key = domain.tls_truststore_uri.removeprefix("s3://").partition("/")
    try:
        account.client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError:
        raise SlsCdkError(
            f"the truststore {domain.tls_truststore_uri} does not exist or cannot be read"
        ) from None


def create_domain(domain: Domain, account: Account) -> None:
    """``sls create_domain`` for one domain: made unless it exists, then its records upserted."""
    from botocore.exceptions import BotoCoreError, ClientError

    from constructs_lib.plugins.domain_manager.route53 import change_records

    try:
        target = get_domain(domain, account)
        if target is None:
            if domain.tls_truststore_uri:
                _truststore_exists(domain, account)
            _create(domain, account, certificate_arn(domain, account))
            target = get_domain(domain, account)
            account.say(f"custom domain {domain.name!r} was created (a new domain takes up to 40 minutes)")
        else:
            account.say(f"custom domain {domain.name!r} already exists")
        assert target is not None
        change_records("UPSERT", domain, target, account)
    except (ClientError, BotoCoreError) as exc:
        raise SlsCdkError(f"unable to create domain {domain.name!r}: {_client_error(exc)[1]}") from None
    except SlsCdkError as exc:
        raise SlsCdkError(f"unable to create domain {domain.name!r}: {exc.message}", hint=exc.hint) from None


def delete_domain(domain: Domain, account: Account) -> None:
    """``sls delete_domain`` for one domain: deleted with its records, if it exists."""
    from botocore.exceptions import BotoCoreError, ClientError

    from constructs_lib.plugins.domain_manager.route53 import change_records

    try:
        target = get_domain(domain, account)
        if target is None:
            account.say(f"custom domain {domain.name!r} does not exist")
            return
        if _uses_v2(domain):
            account.client("apigatewayv2").delete_domain_name(DomainName=domain.name)
        else:
            account.client("apigateway").delete_domain_name(**(_v1_key(domain, account) or {}))
        change_records("DELETE", domain, target, account)
        account.say(f"custom domain {domain.name!r} was deleted")
    except (ClientError, BotoCoreError) as exc:
        raise SlsCdkError(f"unable to delete domain {domain.name!r}: {_client_error(exc)[1]}") from None
    except SlsCdkError as exc:
        raise SlsCdkError(f"unable to delete domain {domain.name!r}: {exc.message}", hint=exc.hint) from None
