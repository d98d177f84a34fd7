"""``sls-cdk domain create|delete``: serverless-domain-manager's ``sls create_domain`` /
``sls delete_domain`` against the local emulator (moto's API Gateway v1/v2 domain names, ACM,
Route 53), and its keys validated like ours."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.cli.commands import main as cli
from tests.emulator.fixtures import aws, emulator, emulator_server
from tests.helpers import REFERENCE

__all__ = ["aws", "emulator", "emulator_server"]  # the fixtures this module uses

SERVICE = """\
service: shop
frameworkVersion: "3"
plugins:
  - serverless-domain-manager
provider:
  name: aws
  runtime: provided.al2023
  region: eu-west-1
  stackTags:
    team: shop
  tags:
    cost: web
package:
  artifact: boot.zip
functions:
  api:
    handler: bootstrap
    events:
      - http: GET /items
custom:
{custom}
"""


def _project(tmp: Path, custom: str) -> Path:
    (tmp / "serverless.yml").write_text(SERVICE.format(custom=custom))
    shutil.copy(REFERENCE / "00-example-test" / "boot.zip", tmp / "boot.zip")
    return tmp


def _domain(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(["domain", *args])
    return code, out.getvalue(), err.getvalue()


def _zone(aws: Any, name: str, private: bool = False) -> str:
    r53 = aws.client("route53")
    config: dict[str, Any] = {"PrivateZone": private}
    kwargs: dict[str, Any] = {"VPC": {"VPCRegion": "eu-west-1", "VPCId": "vpc-1"}} if private else {}
    zone = r53.create_hosted_zone(
        Name=name, CallerReference=f"{name}{private}", HostedZoneConfig=config, **kwargs
    )
    return str(zone["HostedZone"]["Id"]).replace("/hostedzone/", "")


def _records(aws: Any, zone: str, name: str) -> list[dict[str, Any]]:
    sets = aws.client("route53").list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    return [r for r in sets if r["Name"].rstrip(".") == name]


def test_edge_rest_domain_with_its_certificate_found_and_records(aws: Any, tmp_path: Path) -> None:
    """The plugin's defaults: REST, EDGE, TLS_1_2; the certificate whose name is the longest part of
    the domain (in us-east-1, for an edge domain); A and AAAA aliases to the CloudFront name."""
    acm = aws.client("acm", region_name="us-east-1")
    acm.request_certificate(DomainName="other.org")
    wanted = acm.request_certificate(DomainName="*.shop.example.com")["CertificateArn"]
    acm.request_certificate(DomainName="*.example.com")  # shorter: a worse match
    zone = _zone(aws, "shop.example.com")
    project = _project(tmp_path, "  customDomain:\n    domainName: api.shop.example.com\n    basePath: v1\n")

    code, out, err = _domain("create", str(project))
    assert code == 0, err
    assert "custom domain 'api.shop.example.com' was created" in out
    made = aws.client("apigateway", region_name="eu-west-1").get_domain_name(
        domainName="api.shop.example.com"
    )
    assert made["certificateArn"] == wanted and made["securityPolicy"] == "TLS_1_2"
    assert made["endpointConfiguration"] == {"types": ["EDGE"]}
    records = _records(aws, zone, "api.shop.example.com")
    assert sorted(r["Type"] for r in records) == ["A", "AAAA"]
    assert {r["AliasTarget"]["DNSName"].rstrip(".") for r in records} == {made["distributionDomainName"]}
    assert {r["AliasTarget"]["HostedZoneId"] for r in records} == {made["distributionHostedZoneId"]}

    code, out, _ = _domain("create", str(project))  # again: kept, records upserted
    assert code == 0 and "already exists" in out

    code, out, err = _domain("delete", str(project))
    assert code == 0, err
    assert "was deleted" in out
    names = aws.client("apigateway", region_name="eu-west-1").get_domain_names()["items"]
    assert "api.shop.example.com" not in [d["domainName"] for d in names]
    assert _records(aws, zone, "api.shop.example.com") == []
    code, out, _ = _domain("delete", str(project))
    assert code == 0 and "does not exist" in out


def test_regional_http_domain_per_api_type_weighted_in_a_private_zone(aws: Any, tmp_path: Path) -> None:
    """``customDomains`` items per API type: an HTTP API domain is an API Gateway v2 domain,
    its certificate by name in the service's region; ``hostedZonePrivate`` picks the private zone,
    ``createRoute53IPv6Record: false`` only an A record, weighted routing its weight and id."""
    arn = aws.client("acm", region_name="eu-west-1").request_certificate(DomainName="cert.api.example.net")
    _zone(aws, "example.net")
    private = _zone(aws, "example.net", private=True)
    custom = """\
  customDomains:
    - http:
        domainName: api.example.net
        certificateName: cert.api.example.net
        endpointType: regional
        securityPolicy: tls_1_2
        createRoute53IPv6Record: "false"
        hostedZonePrivate: true
        route53Params:
          routingPolicy: weighted
          weight: 50
          setIdentifier: blue
"""
    project = _project(tmp_path, custom)
    code, _, err = _domain("create", str(project))
    assert code == 0, err
    made = aws.client("apigatewayv2", region_name="eu-west-1").get_domain_name(DomainName="api.example.net")
    (config,) = made["DomainNameConfigurations"]
    assert config["CertificateArn"] == arn["CertificateArn"] and config["EndpointType"] == "REGIONAL"
    assert made["Tags"] == {"team": "shop", "cost": "web"}
    (record,) = _records(aws, private, "api.example.net")
    assert record["Type"] == "A" and record["Weight"] == 50 and record["SetIdentifier"] == "blue"
    code, _, err = _domain("delete", str(project))
    assert code == 0, err
    assert _records(aws, private, "api.example.net") == []


def test_no_record_when_turned_off_and_a_given_certificate_arn(aws: Any, tmp_path: Path) -> None:
    custom = """\
  customDomain:
    domainName: plain.example.io
    certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/given
    createRoute53Record: false
    enabled: "true"
"""
    code, out, err = _domain("create", str(_project(tmp_path, custom)))
    assert code == 0, err
    assert "creation of the Route 53 record skipped" in out
    made = aws.client("apigateway", region_name="eu-west-1").get_domain_name(domainName="plain.example.io")
    assert made["certificateArn"] == "arn:aws:acm:us-east-1:123456789012:certificate/given"


def test_a_private_rest_domain_is_found_by_its_endpoint_type(aws: Any, tmp_path: Path) -> None:
    """A private REST domain is looked up among the private domains of that name (the plugin's
    ``domainNameId`` lookup), created with ``certificateArn`` and deleted again."""
    custom = """\
  customDomain:
    domainName: internal.example.io
    endpointType: PRIVATE
    certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/private
    createRoute53Record: false
"""
    project = _project(tmp_path, custom)
    code, out, err = _domain("create", str(project))
    assert code == 0 and "was created" in out, err
    v1 = aws.client("apigateway", region_name="eu-west-1")
    (made,) = [d for d in v1.get_domain_names()["items"] if d["domainName"] == "internal.example.io"]
    assert made["endpointConfiguration"] == {"types": ["PRIVATE"]}
    assert made["certificateArn"] == "arn:aws:acm:eu-west-1:123456789012:certificate/private"
    code, out, _ = _domain("create", str(project))
    assert code == 0 and "already exists" in out
    code, out, _ = _domain("delete", str(project))
    assert code == 0 and "was deleted" in out
    assert "internal.example.io" not in [d["domainName"] for d in v1.get_domain_names()["items"]]


@pytest.mark.parametrize(
    ("custom", "expected"),
    [
        (
            "  customDomain:\n    domainName: a.example.com\n    endpointType: regionl\n",
            "serverless.yml:23:5: custom.customDomain.endpointType: 'regionl' is not one of EDGE, REGIONAL, "
            "PRIVATE\nerror:   hint: did you mean 'REGIONAL'?",
        ),
        (
            "  customDomain:\n    domainName: a.example.com\n    certificateNme: x\n",
            "serverless.yml:23:5: custom.customDomain.certificateNme: unknown key 'certificateNme'\n"
            "error:   hint: did you mean 'certificateName'?",
        ),
        (
            "  customDomains:\n    - websocket:\n        domainName: ws.example.com\n",
            "serverless.yml:22:7: custom.customDomains[0].websocket.endpointType: EDGE endpoints do not serve "
            "WEBSOCKET APIs: use REGIONAL",
        ),
        (
            "  customDomain:\n    domainName: a.example.com\n    autoDomain: maybe\n",
            "custom.customDomain.autoDomain: ambiguous boolean",
        ),
        (
            "  customDomain:\n    domainName: a.example.com\n    endpointType: REGIONAL\n"
            "    route53Params:\n      routingPolicy: weigthed\n",
            "serverless.yml:25:7: custom.customDomain.route53Params.routingPolicy: 'weigthed' is not one of "
            "simple, latency, weighted\nerror:   hint: did you mean 'weighted'?",
        ),
        (
            "  customDomain:\n    domainName: a.example.com\n    route53Params:\n      routingPolicy: latency\n",
            "custom.customDomain.route53Params.routingPolicy: latency routing needs a REGIONAL endpoint, not EDGE",
        ),
        ("  other: 1\n", "custom: serverless-domain-manager: no custom.customDomain or custom.customDomains"),
        (
            "  customDomain:\n    domainName: nocert.invalid.test\n",
            "unable to create domain 'nocert.invalid.test': could not find an in-date certificate",
        ),
    ],
)
def test_mistakes_are_located_errors(aws: Any, tmp_path: Path, custom: str, expected: str) -> None:
    code, _, err = _domain("create", str(_project(tmp_path, custom)), "--strict")
    assert code == 1
    assert expected in err, err
    assert "Traceback" not in err
