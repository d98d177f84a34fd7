"""``ServerlessDeploymentBucket``: the bucket v3 creates in the stack when none is named.

Kept resource for resource (bucket with AES256 default encryption, and a policy denying non-TLS
access unless ``skipPolicySetup``), so a stack v3 made keeps its bucket and its objects when it is
taken over. The bucket's options (``blockPublicAccess``, ``versioning``, ``tags``) apply here.

CDK cannot upload into a bucket the same stack creates (the code must exist before the stack
update runs), so artifacts then go to the CDK bootstrap bucket; see the README.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_s3 as s3
from constructs import Construct

from constructs_lib import naming
from constructs_lib.config.model import DeploymentBucket
from constructs_lib.constructs.l1_sync import keep_tags
from constructs_lib.constructs.overrides import override_property

__all__ = ["ServerlessDeploymentBucket"]


def _bucket_arn(suffix: str) -> dict[str, Any]:
    parts: list[Any] = [
        "arn:",
        {"Ref": "AWS::Partition"},
        ":s3:::",
        {"Ref": naming.deployment_bucket_logical_id()},
    ]
    return {"Fn::Join": ["", [*parts, suffix] if suffix else parts]}


class ServerlessDeploymentBucket(Construct):
    def __init__(self, scope: Construct, id: str, *, options: DeploymentBucket | None) -> None:
        super().__init__(scope, id)
        options = options or DeploymentBucket()
        self.cfn_bucket = s3.CfnBucket(self, "Resource")
        props: dict[str, Any] = {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            }
        }
        if options.tags:
            props["Tags"] = [{"Key": k, "Value": v} for k, v in options.tags.items()]
        if options.block_public_access:
            props["PublicAccessBlockConfiguration"] = {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            }
        if options.versioning:
            props["VersioningConfiguration"] = {"Status": "Enabled"}
        for key, value in props.items():
            override_property(self.cfn_bucket, key, value)
        if options.tags:
            keep_tags(self.cfn_bucket, props["Tags"])
        self.cfn_bucket.override_logical_id(naming.deployment_bucket_logical_id())

        self.cfn_policy: s3.CfnBucketPolicy | None = None
        if not options.skip_policy_setup:
            self.cfn_policy = s3.CfnBucketPolicy(
                self,
                "Policy",
                bucket=self.cfn_bucket.ref,
                policy_document={
                    "Statement": [
                        {
                            "Action": "s3:*",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Resource": [_bucket_arn("/*"), _bucket_arn("")],
                            "Condition": {"Bool": {"aws:SecureTransport": False}},
                        }
                    ]
                },
            )
            self.cfn_policy.override_logical_id(naming.deployment_bucket_policy_logical_id())

    @property
    def ref(self) -> dict[str, str]:
        return {"Ref": naming.deployment_bucket_logical_id()}
