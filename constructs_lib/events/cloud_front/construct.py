"""``cloudFront`` events, as v3's ``AwsCompileCloudFrontEvents``.

``CloudFrontCachePolicy<Name>`` per ``provider.cloudFront.cachePolicies`` entry, named
``<service>-<stage>-<name>`` (made even without any ``cloudFront`` event, as v3 does);
``<F>LambdaFunctionInvokePermission`` per edge function (for ``edgelambda.amazonaws.com``, on the
function's version); one ``CloudFrontDistribution`` with the origins and behaviors of
:func:`~.plan.distribution` and its two exported outputs. Edge functions are retained on delete;
the generated role, when there is one, trusts Lambda@Edge and may write logs in every region.
The function-level rules (versioned, 128 MB / 5 s defaults, no environment nor VPC) are the
effective function's (``EffectiveFunction.edge``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, Token

from constructs_lib import naming
from constructs_lib.constructs.raw import invoke_permission
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.cloud_front import (
    DISTRIBUTION,
    DISTRIBUTION_DOMAIN_NAME,
    CloudFrontEvent,
    cache_policy_logical_id,
    invoke_permission_logical_id,
)
from constructs_lib.events.cloud_front.plan import distribution
from constructs_lib.events.sites import EventSite


def build(ctx: BuildContext, sites: Sequence[EventSite[CloudFrontEvent]]) -> None:
    config = ctx.provider.cloud_front
    policies = (config.cache_policies if config else None) or {}
    for name, policy in policies.items():
        ctx.raw.add(
            cache_policy_logical_id(name),
            {
                "Type": "AWS::CloudFront::CachePolicy",
                "Properties": {
                    "CachePolicyConfig": {**policy.to_cfn(), "Name": f"{ctx.service_name}-{ctx.stage}-{name}"}
                },
            },
        )
    if not sites:
        return
    plan = distribution(sites, set(policies), lambda key: {"Ref": _version_id(ctx, key)})
    assert not plan.problems, plan.problems  # the check reported them at load
    keys = list(dict.fromkeys(site.key for site in sites))
    for key in keys:
        ctx.functions[key].cfn_function.add_override("DeletionPolicy", "Retain")
        source = {
            "Fn::Join": [
                "",
                [
                    "",
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":cloudfront::",
                    {"Ref": "AWS::AccountId"},
                    ":distribution/",
                    {"Ref": DISTRIBUTION},
                ],
            ]
        }
        ctx.raw.add(
            invoke_permission_logical_id(key),
            invoke_permission({"Ref": _version_id(ctx, key)}, "edgelambda.amazonaws.com", source_arn=source),
        )
    if ctx.role is not None:
        ctx.role.allow_lambda_at_edge()
    ctx.raw.add(
        DISTRIBUTION,
        {
            "Type": "AWS::CloudFront::Distribution",
            "Properties": _properties(ctx, plan.behaviors, plan.origins),
        },
    )
    # the output has the distribution's logical ID, so its construct needs another ID
    out = CfnOutput(
        ctx.stack,
        f"{DISTRIBUTION}Output",
        value=Token.as_string({"Ref": DISTRIBUTION}),
        description="CloudFront Distribution Id",
        export_name=naming.export_name(ctx.service_name, ctx.stage, DISTRIBUTION),
    )
    out.override_logical_id(DISTRIBUTION)
    ctx.add_output(
        DISTRIBUTION_DOMAIN_NAME,
        {"Fn::GetAtt": [DISTRIBUTION, "DomainName"]},
        "CloudFront Distribution Domain Name",
    )


def _properties(
    ctx: BuildContext, behaviors: list[dict[str, Any]], origins: list[dict[str, Any]]
) -> dict[str, Any]:
    config: dict[str, Any] = {
        "Comment": f"{ctx.service_name} {ctx.stage}",
        "Enabled": True,
        "DefaultCacheBehavior": behaviors[0],
        "Origins": origins,
    }
    if len(behaviors) > 1:
        config["CacheBehaviors"] = behaviors[1:]
    return {"DistributionConfig": config}


def _version_id(ctx: BuildContext, key: str) -> str:
    """The logical ID of the function's version (edge functions are always versioned)."""
    version = ctx.functions[key].version
    assert version is not None, key
    return version.node.id
