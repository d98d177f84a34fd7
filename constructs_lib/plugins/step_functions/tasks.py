"""The permissions the plugin's ``iamStrategies`` give a Task state, by its ``Resource``: Lambda
(``lambda:invoke`` and a function ARN / intrinsic as the resource), SNS, SQS, DynamoDB and nested
executions. Other service integrations the plugin knows are refused (give the machine a ``role``)."""

from __future__ import annotations

import re
from typing import Any

from constructs_lib.config.data import JsonValue
from constructs_lib.errors import ConfigError
from constructs_lib.plugins.step_functions.context import Context, is_intrinsic

__all__ = ["UNTRANSLATED", "permissions"]

Permission = dict[str, Any]  # {"action": "a,b", "resource": ...}
_FN = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
_ARN_PREFIX = re.compile(r"^arn:(aws(-[a-z]+)*|\$\{AWS::Partition\}):")
_LAMBDA_ARN = re.compile(r"^arn:aws(-[a-z]+)*:lambda")
_EVENTS_RULE = {
    "Fn::Sub": [
        "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/"
        "StepFunctionsGetEventsForStepFunctionsExecutionRule",
        {},
    ]
}
_S = "arn:aws:states:::"
_DYNAMODB = {
    "dynamodb:updateItem": "UpdateItem",
    "aws-sdk:dynamodb:updateItem": "UpdateItem",
    "aws-sdk:dynamodb:updateItem.waitForTaskToken": "UpdateItem",
    "dynamodb:putItem": "PutItem",
    "aws-sdk:dynamodb:putItem": "PutItem",
    "aws-sdk:dynamodb:putItem.waitForTaskToken": "PutItem",
    "dynamodb:getItem": "GetItem",
    "dynamodb:deleteItem": "DeleteItem",
    "aws-sdk:dynamodb:updateTable": "UpdateTable",
    "aws-sdk:dynamodb:query": "Query",
    "aws-sdk:dynamodb:scan": "Scan",
}
_DYNAMODB_BATCH = {
    "aws-sdk:dynamodb:batchGetItem": "BatchGetItem",
    "aws-sdk:dynamodb:batchWriteItem": "BatchWriteItem",
}
_START = (
    "states:startExecution",
    "states:startExecution.sync",
    "states:startExecution.sync:2",
    "states:startExecution.waitForTaskToken",
)
_OTHER = {
    "aws-sdk:redshiftdata": (
        "executeStatement",
        "batchExecuteStatement",
        "listStatements",
        "describeStatement",
        "getStatementResult",
        "cancelStatement",
    ),
    "batch": ("submitJob", "submitJob.sync"),
    "glue": ("startJobRun", "startJobRun.sync"),
    "ecs": ("runTask", "runTask.sync", "runTask.waitForTaskToken"),
    "codebuild": ("startBuild", "startBuild.sync"),
    "elasticmapreduce": (
        "createCluster",
        "createCluster.sync",
        "runJobFlow",
        "terminateCluster",
        "terminateCluster.sync",
        "addStep",
        "addStep.sync",
        "cancelStep",
        "setClusterTerminationProtection",
        "modifyInstanceFleetByName",
        "modifyInstanceGroupByName",
    ),
    "sagemaker": ("createTransformJob.sync",),
    "bedrock": ("invokeModel",),
    "events": ("putEvents", "putEvents.waitForTaskToken"),
    "aws-sdk:eventbridge": ("putTargets", "putTargets.waitForTaskToken"),
    "aws-sdk:scheduler": ("createSchedule", "deleteSchedule"),
    "http": ("invoke",),
    "s3": ("getObject", "putObject", "listObjectsV2"),
    "aws-sdk:s3": ("getObject", "putObject", "listObjectsV2"),
    "aws-sdk:sesv2": ("sendEmail",),
    "athena": (
        "startQueryExecution",
        "startQueryExecution.sync",
        "stopQueryExecution",
        "getQueryExecution",
        "getQueryResults",
    ),
}
#: integrations the plugin has a strategy for that sls-cdk does not reproduce yet
UNTRANSLATED = frozenset(f"{_S}{service}:{op}" for service, ops in _OTHER.items() for op in ops)


def _json_path(state: dict[str, Any], key: str) -> bool:
    params = state.get("Parameters")
    return isinstance(params, dict) and bool(params.get(f"{key}.$"))


def _jsonata(state: dict[str, Any], key: str) -> bool:
    args = state.get("Arguments")
    value = args.get(key) if isinstance(args, dict) else None
    return isinstance(value, str) and value.strip().startswith("{%")


def _argument(state: dict[str, Any], key: str) -> JsonValue:
    """``getParameterOrArgument``."""
    params, args = state.get("Parameters"), state.get("Arguments")
    language = state.get("QueryLanguage")
    source = (
        args
        if language == "JSONata"
        else params
        if language == "JSONPath"
        else params
        if params and not args
        else args
        if args and not params
        else None
    )
    return source.get(key) if isinstance(source, dict) else None


def _lambda_arns(name: str) -> list[JsonValue]:
    return [{"Fn::Sub": f"{_FN}{name}"}, {"Fn::Sub": f"{_FN}{name}:*"}]


def _invoke(state: dict[str, Any], ctx: Context) -> list[Permission]:
    if _json_path(state, "FunctionName") or _jsonata(state, "FunctionName"):
        return [{"action": "lambda:InvokeFunction", "resource": _argument(state, "AllowedFunctions") or "*"}]
    name = _argument(state, "FunctionName")
    if isinstance(name, str):
        segments = name.split(":")
        if _LAMBDA_ARN.match(name):
            arns: list[JsonValue] = [name, f"{name}:*"]
        elif len(segments) == 3 and re.fullmatch(r"\d+", segments[0]):
            arns = [
                {"Fn::Sub": f"arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:{name}"},
                {"Fn::Sub": f"arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:{name}:*"},
            ]
        else:
            arns = _lambda_arns(name)
        return [{"action": "lambda:InvokeFunction", "resource": arns}]
    if isinstance(name, dict) and "Fn::GetAtt" in name:
        arn = ctx.translate(name)
        return [{"action": "lambda:InvokeFunction", "resource": [arn, _versioned({"functionArn": arn})]}]
    if isinstance(name, dict) and "Ref" in name:
        resolved = ctx.function_name(name)
        if resolved is not None:
            return [{"action": "lambda:InvokeFunction", "resource": _lambda_arns(resolved)}]
        arn = ctx.translate(name)
        return [
            {
                "action": "lambda:InvokeFunction",
                "resource": [
                    {"Fn::Sub": [_FN + "${functionArn}", {"functionArn": arn}]},
                    {"Fn::Sub": [_FN + "${functionArn}:*", {"functionArn": arn}]},
                ],
            }
        ]
    return [{"action": "lambda:InvokeFunction", "resource": name}]


def _versioned(params: dict[str, JsonValue]) -> JsonValue:
    return {"Fn::Sub": ["${functionArn}:*", params]}


def _fallback(state: dict[str, Any], ctx: Context, where: tuple[str | int, ...]) -> list[Permission]:
    """A Task whose ``Resource`` is a Lambda ARN or an intrinsic: invoke permission on it."""
    resource = state.get("Resource")
    if not (
        is_intrinsic(resource)
        or (isinstance(resource, str) and re.search(r"arn:aws(-[a-z]+)*:lambda", resource))
    ):
        return []  # the plugin logs "Cannot generate IAM policy statement" and grants nothing
    if isinstance(resource, str) and _LAMBDA_ARN.match(resource) and len(resource.split(":")) == 8:
        resource = ":".join(resource.split(":")[:7])
    resolved = ctx.function_name(resource)
    if resolved is not None:
        return [{"action": "lambda:InvokeFunction", "resource": _lambda_arns(resolved)}]
    arn = ctx.translate(resource)
    sub = arn.get("Fn::Sub") if isinstance(arn, dict) else None
    if isinstance(sub, str):
        versioned: JsonValue = {"Fn::Sub": f"{sub}:*"}
    elif isinstance(sub, list) and sub:
        versioned = {"Fn::Sub": [f"{sub[0]}:*", sub[1] if len(sub) > 1 else None]}
    else:
        versioned = _versioned({"functionArn": arn})
    return [{"action": "lambda:InvokeFunction", "resource": [arn, versioned]}]


def _table_arn(table: JsonValue) -> JsonValue:
    if is_intrinsic(table) and isinstance(table, dict):
        if table.get("Ref"):
            return {"Fn::GetAtt": [table["Ref"], "Arn"]}
        if table.get("Fn::ImportValue"):
            tail: JsonValue = {"Fn::Join": ["/", ["table", table]]}
            return {"Fn::Join": [":", ["arn", *_ACCOUNT, tail]]}
    text = table if isinstance(table, str) else _js_text(table)
    return {"Fn::Join": [":", ["arn", *_ACCOUNT, f"table/{text}"]]}


_ACCOUNT = [{"Ref": "AWS::Partition"}, "dynamodb", {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"}]


def _js_text(value: JsonValue) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def _dynamodb(action: str, state: dict[str, Any]) -> list[Permission]:
    table = _argument(state, "TableName")
    if _json_path(state, "TableName") or _jsonata(state, "TableName"):
        resource: JsonValue = "*"
    elif _json_path(state, "IndexName") or _jsonata(state, "IndexName"):
        resource = _table_arn(f"{_js_text(table)}/index/*")
    elif _argument(state, "IndexName"):
        resource = _table_arn(f"{_js_text(table)}/index/{_js_text(_argument(state, 'IndexName'))}")
    else:
        resource = _table_arn(table)
    return [{"action": f"dynamodb:{action}", "resource": resource}]


def _dynamodb_batch(action: str, state: dict[str, Any]) -> list[Permission]:
    if _json_path(state, "RequestItems") or _jsonata(state, "RequestItems"):
        return [{"action": f"dynamodb:{action}", "resource": "*"}]
    items = _argument(state, "RequestItems")
    tables = list(items) if isinstance(items, dict) else []
    return [{"action": f"dynamodb:{action}", "resource": _table_arn(t.replace(".$", "", 1))} for t in tables]


def _queue_arn(url: JsonValue) -> JsonValue:
    match = re.search(r"https://sqs.(.*).amazonaws.com/(.*)/(.*)", url) if isinstance(url, str) else None
    if match:
        region, account, queue = match.groups()
        partition = (
            "aws-us-gov" if region.startswith("us-gov") else "aws-cn" if region.startswith("cn-") else "aws"
        )
        return f"arn:{partition}:sqs:{region}:{account}:{queue}"
    if is_intrinsic(url) and isinstance(url, dict):
        return {"Fn::GetAtt": [url["Ref"], "Arn"]} if url.get("Ref") else "*"
    return []


def _machine_arn(state: dict[str, Any], machine_name: str) -> JsonValue:
    if state.get("Mode") == "DISTRIBUTED":
        return {
            "Fn::Sub": [
                f"arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:stateMachine:{machine_name}",
                {},
            ]
        }
    args, params = state.get("Arguments"), state.get("Parameters")
    if args:
        arn = args.get("StateMachineArn")
        return "*" if isinstance(arn, str) and arn.strip().startswith("{%") else arn
    if params:
        return "*" if params.get("StateMachineArn.$") else params.get("StateMachineArn")
    return state.get("StateMachineArn") or "*"


def _execution_arn(arn: JsonValue) -> JsonValue:
    if arn == "*":
        return "*"
    if isinstance(arn, str):
        return f"{arn.replace(':stateMachine:', ':execution:', 1)}:*"
    sub = arn.get("Fn::Sub") if isinstance(arn, dict) else None
    if isinstance(sub, str):
        return {"Fn::Sub": f"{sub.replace(':stateMachine:', ':execution:', 1)}:*"}
    if isinstance(sub, list):
        return {"Fn::Sub": [f"{sub[0].replace(':stateMachine:', ':execution:', 1)}:*", sub[1]]}
    return "*"


def _start(action: str, state: dict[str, Any]) -> list[Permission]:
    arn = _machine_arn(state, str(state.get("StateMachineName", "")))
    return [
        {"action": action, "resource": arn},
        {"action": "states:DescribeExecution,states:StopExecution", "resource": _execution_arn(arn)},
        {"action": "events:PutTargets,events:PutRule,events:DescribeRule", "resource": _EVENTS_RULE},
    ]


def _has(state: dict[str, Any], key: str) -> bool:
    params = state.get("Parameters")
    return isinstance(params, dict) and (key in params or f"{key}.$" in params)


def permissions(state: dict[str, Any], ctx: Context, where: tuple[str | int, ...]) -> list[Permission]:
    """``getPermissions`` of one Task (or an item reader/writer) state."""
    resource = state.get("Resource")
    arn = _ARN_PREFIX.sub("arn:aws:", resource) if isinstance(resource, str) else resource
    service = arn[len(_S) :] if isinstance(arn, str) and arn.startswith(_S) else None
    params: dict[str, Any] = state["Parameters"] if isinstance(state.get("Parameters"), dict) else {}
    if service in ("sqs:sendMessage", "sqs:sendMessage.waitForTaskToken"):
        if not _has(state, "QueueUrl"):
            return []
        queue = "*" if params.get("QueueUrl.$") else _queue_arn(params.get("QueueUrl"))
        return [{"action": "sqs:SendMessage", "resource": queue}]
    if service in ("sns:publish", "sns:publish.waitForTaskToken"):
        if not _has(state, "TopicArn"):
            return []
        return [
            {"action": "sns:Publish", "resource": "*" if params.get("TopicArn.$") else params.get("TopicArn")}
        ]
    if service in _DYNAMODB:
        return _dynamodb(_DYNAMODB[service], state)
    if service in _DYNAMODB_BATCH:
        return _dynamodb_batch(_DYNAMODB_BATCH[service], state)
    if service in ("lambda:invoke", "lambda:invoke.waitForTaskToken"):
        return _invoke(state, ctx)
    if service in _START:
        return _start("states:StartExecution", state)
    if service == "aws-sdk:sfn:startSyncExecution":
        return _start("states:StartSyncExecution", state)
    if isinstance(arn, str) and arn in UNTRANSLATED:
        raise ConfigError(
            f"sls-cdk does not reproduce the plugin's IAM statements for a {resource} task yet",
            path=where,
            hint="give the state machine a role: of your own (an IAM role under resources:)",
        )
    return _fallback(state, ctx, where)
