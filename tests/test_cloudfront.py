"""``cloudFront`` (Lambda@Edge): every user error v3.40.0 raises for it, located at the key, with
exit 1 from ``sls-cdk synth`` and the same errors from ``sls-cdk check``; the located warnings;
and the template rules the reference cases (f22-f24) do not show on their own, proven on
synthesized CloudFormation. The v3 texts are cloud-front.js's (tests/reference/v3-facts.md §7)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import synth
from tests.test_bad_inputs import _errors, _run

SERVICE = """\
service: svc
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  iam:
    role: arn:aws:iam::123456789012:role/edge
  deploymentBucket:
    name: my.serverless
package:
  artifact: boot.zip
functions:
"""
ZIP = b"PK\x05\x06" + b"\x00" * 18


def service(functions: str, *, provider: str = "", replace: tuple[str, str] | None = None) -> str:
    """The base service with ``functions`` (2-space indented YAML under ``functions:``) and more
    ``provider`` keys."""
    text = SERVICE
    if provider:
        text = text.replace(
            "  deploymentBucket:", textwrap.indent(textwrap.dedent(provider), "  ") + "  deploymentBucket:"
        )
    if replace is not None:
        assert replace[0] in text, replace[0]
        text = text.replace(*replace)
    return text + textwrap.indent(textwrap.dedent(functions), "  ")


def _project(tmp_path: Path, text: str) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "serverless.yml").write_text(text)
    (project / "boot.zip").write_bytes(ZIP)
    return project


VIEWER = """\
a:
  handler: index.a
  events:
    - cloudFront:
        eventType: viewer-request
        origin: s3://bucket.s3.amazonaws.com
"""

# (id, serverless.yml, expected fragment of the error)
CASES: list[tuple[str, str, str]] = [
    (
        "region",
        service(VIEWER, replace=("region: us-east-1", "region: eu-west-1")),
        "serverless.yml:5:3: provider.region: CloudFront associated functions have to be deployed to "
        "the us-east-1 region.",
    ),
    (
        "timeout-viewer",
        service(VIEWER.replace("  handler: index.a\n", "  handler: index.a\n  timeout: 6\n")),
        'serverless.yml:15:5: functions.a.timeout: "a" timeout is greater than 5 which is not supported '
        'by Lambda@Edge functions of type "viewer-request"',
    ),
    (
        "memory-default-type",
        service(
            VIEWER.replace("  handler: index.a\n", "  handler: index.a\n  memorySize: 256\n").replace(
                "        eventType: viewer-request\n", ""
            )
        ),
        'serverless.yml:15:5: functions.a.memorySize: "a" memorySize is greater than 128 which is not '
        'supported by Lambda@Edge functions of type "default"',
    ),
    (
        "timeout-origin",
        service(
            VIEWER.replace("  handler: index.a\n", "  handler: index.a\n  timeout: 31\n").replace(
                "viewer-request", "origin-request"
            )
        ),
        'serverless.yml:15:5: functions.a.timeout: "a" timeout is greater than 30 which is not supported '
        'by Lambda@Edge functions of type "origin-request"',
    ),
    (
        "duplicate-path-pattern",
        service(
            """\
            a:
              handler: index.a
              events:
                - cloudFront:
                    eventType: viewer-request
                    pathPattern: /x/*
                    origin: s3://one.s3.amazonaws.com
                - cloudFront:
                    eventType: viewer-response
                    pathPattern: /x/*
                    origin: s3://two.s3.amazonaws.com
                    isDefaultOrigin: true
            """
        ),
        "serverless.yml:22:11: functions.a.events[1].cloudFront.pathPattern: Found more than one behavior "
        "with the same PathPattern",
    ),
    (
        "duplicate-event-type",
        service(
            VIEWER
            + textwrap.dedent(
                """\
            b:
              handler: index.b
              events:
                - cloudFront:
                    eventType: viewer-request
                    origin: s3://bucket.s3.amazonaws.com
            """
            )
        ),
        "serverless.yml:23:11: functions.b.events[0].cloudFront.eventType: The event type of a function "
        "association must be unique in the cache behavior",
    ),
    (
        "two-default-origins",
        service(
            """\
            a:
              handler: index.a
              events:
                - cloudFront:
                    eventType: viewer-request
                    origin: s3://one.s3.amazonaws.com
                    isDefaultOrigin: true
                - cloudFront:
                    eventType: origin-request
                    pathPattern: /two/*
                    origin: https://two.example.com
                    isDefaultOrigin: true
            """
        ),
        "serverless.yml:24:11: functions.a.events[1].cloudFront.isDefaultOrigin: Found more than one "
        'cloudfront event with "isDefaultOrigin" defined',
    ),
    (
        "no-default-origin",
        service(
            """\
            a:
              handler: index.a
              events:
                - cloudFront:
                    eventType: viewer-request
                    pathPattern: /one/*
                    origin: s3://one.s3.amazonaws.com
                - cloudFront:
                    eventType: origin-request
                    pathPattern: /two/*
                    origin: https://two.example.com
            """
        ),
        "serverless.yml:16:9: functions.a.events[0].cloudFront: Found more than one origin but none of "
        'the cloudfront event has "isDefaultOrigin" defined',
    ),
    (
        "unknown-cache-policy",
        service(
            VIEWER + "        cachePolicy:\n          name: asets\n",
            provider="""\
            cloudFront:
              cachePolicies:
                assets:
                  MinTTL: 0
                  DefaultTTL: 60
                  MaxTTL: 120
                  ParametersInCacheKeyAndForwardedToOrigin:
                    CookiesConfig: {CookieBehavior: none}
                    EnableAcceptEncodingGzip: true
                    HeadersConfig: {HeaderBehavior: none}
                    QueryStringsConfig: {QueryStringBehavior: none}
            """,
        ),
        "serverless.yml:31:13: functions.a.events[0].cloudFront.cachePolicy.name: Event references not "
        "configured cache policy 'asets'\nerror:   hint: did you mean 'assets'?",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cloudfront_error_is_located(tmp_path: Path, text: str, expected: str) -> None:
    project = _project(tmp_path, text)
    out = tmp_path / "out"
    code, stderr = _run(project, ["synth", ".", "--out", str(out)])
    assert code == 1, stderr
    assert expected in stderr, stderr
    assert "Traceback" not in stderr
    assert not out.exists()
    check_code, check_text = _run(project, ["check", "."])
    assert (check_code, _errors(check_text)) == (1, _errors(stderr)), "check and synth must agree"


SITE = "{Fn::GetAtt: [Site, RegionalDomainName]}"
POLICY = """\
MinTTL: 0
DefaultTTL: 60
MaxTTL: 120
ParametersInCacheKeyAndForwardedToOrigin:
  CookiesConfig: {CookieBehavior: none}
  EnableAcceptEncodingGzip: true
  HeadersConfig: {HeaderBehavior: none}
  QueryStringsConfig: {QueryStringBehavior: none}
"""
#: v3.40.0 compiled exactly this service into the values asserted below (checked with
#: tests/reference/regenerate.py's command on a copy; every property equal)
MERGES = f"""\
service: svc
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  deploymentBucket:
    name: my.serverless
  cloudFront:
    cachePolicies:
      used:
{textwrap.indent(POLICY, "        ")}      spare-policy:
{textwrap.indent(POLICY, "        ")}package:
  artifact: boot.zip
functions:
  a:
    handler: index.a
    role: arn:aws:iam::123456789012:role/own
    events:
      - cloudFront:
          eventType: viewer-request
          origin:
            DomainName: {SITE}
            S3OriginConfig: {{}}
            OriginCustomHeaders: [{{HeaderName: X-A, HeaderValue: a}}]
          cachePolicy: {{name: used}}
      - cloudFront:
          eventType: viewer-request
          origin:
            DomainName: {SITE}
            S3OriginConfig: {{}}
            OriginCustomHeaders: [{{HeaderName: X-B, HeaderValue: b}}]
          cachePolicy: {{name: used}}
  b:
    handler: index.b
    events:
      - cloudFront:
          eventType: origin-response
          origin:
            DomainName: {SITE}
            S3OriginConfig: {{}}
          behavior: {{Compress: true}}
          cachePolicy: {{name: used}}
      - cloudFront:
          eventType: origin-request
          pathPattern: /b/*
          origin: https://B.Example.com/
          behavior: {{Compress: true, ViewerProtocolPolicy: https-only}}
resources:
  Resources:
    Site:
      Type: AWS::S3::Bucket
"""


@pytest.fixture(scope="module")
def merges(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = _project(tmp_path_factory.mktemp("merges"), MERGES)
    (template,) = synth(project).values()
    return template


def test_events_on_one_origin_and_path_merge_as_v3(merges: dict[str, Any]) -> None:
    """Same origin Id: one origin, lists concatenated; same path and origin: one behavior, the
    first event's values kept, a repeated association once; an intrinsic domain gives v3's Id."""
    config = merges["Resources"]["CloudFrontDistribution"]["Properties"]["DistributionConfig"]
    versions = {
        r["Properties"]["FunctionName"]["Ref"]: lid
        for lid, r in merges["Resources"].items()
        if r["Type"] == "AWS::Lambda::Version"
    }
    site_id = "s3/FnGetAttSiteRegionalDomainName"
    assert config["Origins"] == [
        {
            "DomainName": {"Fn::GetAtt": ["Site", "RegionalDomainName"]},
            "S3OriginConfig": {},
            "OriginCustomHeaders": [
                {"HeaderName": "X-A", "HeaderValue": "a"},
                {"HeaderName": "X-B", "HeaderValue": "b"},
            ],
            "Id": site_id,
        },
        {
            "DomainName": "b.example.com",
            "CustomOriginConfig": {"OriginProtocolPolicy": "match-viewer"},
            "Id": "custom/b.example.com",
        },
    ]
    assert config["DefaultCacheBehavior"] == {
        "ViewerProtocolPolicy": "allow-all",
        "CachePolicyId": {"Ref": "CloudFrontCachePolicyUsed"},
        "TargetOriginId": site_id,
        "LambdaFunctionAssociations": [
            {"EventType": "viewer-request", "LambdaFunctionARN": {"Ref": versions["ALambdaFunction"]}},
            {"EventType": "origin-response", "LambdaFunctionARN": {"Ref": versions["BLambdaFunction"]}},
        ],
        "Compress": True,
    }
    assert config["CacheBehaviors"] == [
        {
            "ViewerProtocolPolicy": "https-only",
            "Compress": True,
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            "TargetOriginId": "custom/b.example.com",
            "LambdaFunctionAssociations": [
                {"EventType": "origin-request", "LambdaFunctionARN": {"Ref": versions["BLambdaFunction"]}}
            ],
            "PathPattern": "/b/*",
        }
    ]


def test_every_cache_policy_is_created_and_the_generated_role_extended(merges: dict[str, Any]) -> None:
    """An unused policy is still a resource (v3 only warns); the generated role gains the edge
    trust even though one edge function brings its own role; one permission per function."""
    resources = merges["Resources"]
    assert resources["CloudFrontCachePolicySpareDashpolicy"]["Properties"]["CachePolicyConfig"]["Name"] == (
        "svc-dev-spare-policy"
    )
    trust = resources["IamRoleLambdaExecution"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"]["Service"] == ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]
    assert resources["ALambdaFunction"]["Properties"]["Role"] == "arn:aws:iam::123456789012:role/own"
    assert resources["ALambdaFunction"]["DeletionPolicy"] == "Retain"
    assert sorted(k for k, r in resources.items() if r["Type"] == "AWS::Lambda::Permission") == [
        "ALambdaFunctionInvokePermission",
        "BLambdaFunctionInvokePermission",
    ]
    assert set(merges["Outputs"]) >= {"CloudFrontDistribution", "CloudFrontDistributionDomainName"}


def _first_line_of_a_warning(line: str) -> bool:
    """A warning's first line (its hint lines are prefixed too, and indented)."""
    return line.startswith("warning: ") and not line.startswith("warning:   ")


def _not_runtime(line: str) -> bool:
    """The edge runtimes are v3's newest Node (nodejs20.x), which AWS has deprecated since, and the
    test zips hold no handler file: those warnings are tested elsewhere (tests/test_coercions.py,
    tests/test_packaging.py)."""
    return "provider.runtime: " not in line and ".handler: handler " not in line


def test_cloudfront_warnings_are_located(tmp_path: Path) -> None:
    """The unused cache policy (v3's text), an event without eventType (CloudFront refuses the
    association at deploy) and edge functions on a role the service does not generate: located
    warnings, exit 0."""
    text = MERGES.replace("          eventType: origin-request\n", "")
    code, stderr = _run(_project(tmp_path, text), ["check", "."])
    assert code == 0, stderr
    warnings = [line for line in stderr.splitlines() if _first_line_of_a_warning(line) and _not_runtime(line)]
    assert warnings == [
        "warning: serverless.yml:19:7: provider.cloudFront.cachePolicies.spare-policy: Setting "
        '"provider.cloudFront.cachePolicies.spare-policy" is not used by any cloudFront event configuration.',
        "warning: serverless.yml:59:9: functions.b.events[1].cloudFront: cloudFront event without eventType: "
        "CloudFront requires an event type on every function association and will refuse this "
        "distribution at deploy",
        "warning: serverless.yml:33:5: functions.a.role: Lambda@Edge function 'a' runs on a role this service "
        "does not generate: it must trust edgelambda.amazonaws.com and may need to write logs in every region",
    ]


def test_events_merged_into_a_broken_value_are_refused(tmp_path: Path) -> None:
    """v3 merges a cache policy Ref and the default policy id of one behavior character by
    character (``{"Ref": ..., "0": "6", ...}``); that template cannot deploy, so it is an error."""
    text = MERGES.replace("          behavior: {Compress: true}\n          cachePolicy: {name: used}\n", "")
    code, stderr = _run(_project(tmp_path, text), ["check", "."])
    assert code == 1, stderr
    assert (
        "error: serverless.yml:52:9: functions.b.events[0].cloudFront: cloudFront events of one behavior "
        "(the default behavior on s3/FnGetAttSiteRegionalDomainName) give CachePolicyId as an object and "
        "as text, which v3 merges into a broken value"
    ) in stderr


def test_cache_policies_are_made_without_any_cloudfront_event(tmp_path: Path) -> None:
    """v3 compiles ``provider.cloudFront.cachePolicies`` whatever the events (a distribution in
    ``resources`` may use them), warning for each: both policies, no distribution."""
    text = MERGES[: MERGES.index("functions:")] + "functions:\n  a:\n    handler: index.a\n"
    project = _project(tmp_path, text)
    (template,) = synth(project).values()
    cloudfront = sorted(
        k for k, r in template["Resources"].items() if r["Type"].startswith("AWS::CloudFront::")
    )
    assert cloudfront == ["CloudFrontCachePolicySpareDashpolicy", "CloudFrontCachePolicyUsed"]
    assert template["Resources"]["ALambdaFunction"]["Properties"]["MemorySize"] == 1024
    code, stderr = _run(project, ["check", "."])
    assert code == 0
    assert [
        line.split(": ", 3)[2]
        for line in stderr.splitlines()
        if _first_line_of_a_warning(line) and _not_runtime(line)
    ] == [
        "provider.cloudFront.cachePolicies.used",
        "provider.cloudFront.cachePolicies.spare-policy",
    ]
