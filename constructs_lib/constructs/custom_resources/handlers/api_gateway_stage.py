"""``Custom::ApiGatewayStageSettings``: tracing, metrics, logs and tags of a REST API's stage.

Serverless v3 applies these with API calls after each deploy (its "updateStage" step), because
the stage is the one the deployment resource creates. This resource does the same work inside
the deployment: on create and update it sends the patch operations the template lists and sets
the stage's tags; on delete it does nothing (the stage goes with its API).
"""

from __future__ import annotations

from typing import Any

import boto3
from cfn import environment, wrap

PHYSICAL_ID = "ApiGatewayStageSettings"


def apply(event: dict[str, Any], context: Any) -> None:
    env = environment(context)
    props = event["ResourceProperties"]
    client = boto3.client("apigateway", region_name=env["Region"])
    api, stage = props["RestApiId"], props["StageName"]
    operations = props.get("PatchOperations") or []
    if operations:
        client.update_stage(restApiId=api, stageName=stage, patchOperations=operations)
    arn = f"arn:{env['Partition']}:apigateway:{env['Region']}::/restapis/{api}/stages/{stage}"
    tags = {str(k): str(v) for k, v in (props.get("Tags") or {}).items()}
    old = (event.get("OldResourceProperties") or {}).get("Tags") or {}
    gone = [k for k in old if k not in tags and not k.startswith("aws:")]
    if gone:
        client.untag_resource(resourceArn=arn, tagKeys=gone)
    if tags:
        client.tag_resource(resourceArn=arn, tags=tags)


def _nothing(event: dict[str, Any], context: Any) -> None:
    return None


handler = wrap(PHYSICAL_ID, {"Create": apply, "Update": apply, "Delete": _nothing})
