"""CloudFormation expressions v3 writes in several places, written once (as v3 writes them:
plain ``Fn::Join`` lists, which CDK's ``Fn.join`` would fold differently)."""

from __future__ import annotations

from typing import Any

from aws_cdk import Token

__all__ = ["api_endpoint", "execute_api_arn", "lambda_invocation_uri", "raw"]

PARTITION = {"Ref": "AWS::Partition"}
REGION = {"Ref": "AWS::Region"}
ACCOUNT = {"Ref": "AWS::AccountId"}
URL_SUFFIX = {"Ref": "AWS::URLSuffix"}


def lambda_invocation_uri(*target: Any) -> dict[str, Any]:
    """API Gateway's URI for invoking a function; ``target`` is the ARN (or its parts, as v3
    splices ``GetAtt, ':', alias`` for REST integrations)."""
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                PARTITION,
                ":apigateway:",
                REGION,
                ":lambda:path/2015-03-31/functions/",
                *target,
                "/invocations",
            ],
        ]
    }


def execute_api_arn(api: Any, tail: str) -> dict[str, Any]:
    """``arn:<partition>:execute-api:<region>:<account>:<api><tail>`` (permissions' SourceArn)."""
    return {"Fn::Join": ["", ["arn:", PARTITION, ":execute-api:", REGION, ":", ACCOUNT, ":", api, tail]]}


def api_endpoint(scheme: str, api: Any, stage: str) -> dict[str, Any]:
    """``<scheme>://<api>.execute-api.<region>.<suffix>/<stage>`` (the ServiceEndpoint outputs)."""
    return {"Fn::Join": ["", [f"{scheme}://", api, ".execute-api.", REGION, ".", URL_SUFFIX, f"/{stage}"]]}


def raw(value: str | dict[str, Any]) -> str:
    """A raw CloudFormation value (maybe an intrinsic dict) usable where CDK expects text."""
    return Token.as_string(value) if isinstance(value, dict) else value
