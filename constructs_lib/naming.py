"""Every logical ID and physical name, made the way Serverless v3 makes them.

This module is the only place a name is decided (v3 keeps the same rule in ``naming.js``). The
constructs and the tests both call it, so they can never disagree about a name. Changing anything
here changes logical IDs of live resources: the parity tests against v3's own templates guard it.
"""

from __future__ import annotations

import re

from constructs_lib.config.defaults import DEFAULT_DEPLOYMENT_PREFIX

__all__ = [
    "alphanumeric",
    "export_name",
    "function_logical_id_prefix",
    "function_name",
    "http_api_name",
    "http_api_route_logical_id",
    "log_group_name",
    "stack_name",
    "stack_name_problem",
]

#: CloudFormation's rule for stack names (``CreateStack``: a letter, then letters, digits, '-';
#: at most 128 characters)
_STACK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
STACK_NAME_MAX = 128


def stack_name(service: str, stage: str, custom: str | None = None) -> str:
    """``provider.stackName``, else ``<service>-<stage>``."""
    return custom or f"{service}-{stage}"


def stack_name_problem(name: str) -> str | None:
    """Why CloudFormation would refuse ``name`` as a stack name, or None."""
    if len(name) > STACK_NAME_MAX:
        return f"stack name {name!r} is {len(name)} characters; CloudFormation allows {STACK_NAME_MAX}"
    if not _STACK_NAME.fullmatch(name):
        return (
            f"stack name {name!r} is not one CloudFormation accepts "
            "(a letter, then only letters, digits and '-')"
        )
    return None


def function_name(service: str, stage: str, key: str) -> str:
    """Default physical function name ``<service>-<stage>-<key>``."""
    return f"{service}-{stage}-{key}"


def log_group_name(function_name_: str) -> str:
    return f"/aws/lambda/{function_name_}"


def log_group_arn(log_group_name_: str, suffix: str = ":*") -> dict[str, str]:
    """``Fn::Sub`` ARN of a log group (``:*`` its streams, ``:*:*`` their events), as v3 writes it."""
    return {
        "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}"
        f":log-group:{log_group_name_}{suffix}"
    }


def function_arn_sub(function_name_: str) -> dict[str, str]:
    """A function's ARN by name (v3 uses it where ``Fn::GetAtt`` would make a cycle)."""
    return {
        "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
        f":function:{function_name_}"
    }


def normalize(name: str) -> str:
    """Upper-case the first letter (v3 ``normalizeName``)."""
    return name[:1].upper() + name[1:]


def normalize_name_to_alphanumeric(name: str) -> str:
    return normalize(re.sub(r"[^0-9A-Za-z]", "", name))


alphanumeric = normalize_name_to_alphanumeric


def function_logical_id_prefix(key: str) -> str:
    """Function key -> ``<F>``: ``-`` -> ``Dash``, ``_`` -> ``Underscore``, first letter upper."""
    return normalize(key.replace("-", "Dash").replace("_", "Underscore"))


def lambda_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaFunction"


def log_group_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LogGroup"


def lambda_version_logical_id(key: str, digest: str) -> str:
    """``<F>LambdaVersion<digest>`` with the digest's non-alphanumerics removed."""
    return f"{function_logical_id_prefix(key)}LambdaVersion{re.sub(r'[^0-9a-z]', '', digest, flags=re.I)}"


def lambda_version_output_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaFunctionQualifiedArn"


def lambda_url_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaFunctionUrl"


def lambda_url_output_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaFunctionUrl"


def lambda_url_permission_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionFnUrl"


def lambda_url_invoke_permission_logical_id(key: str) -> str:
    """The second permission AWS requires for public URLs since 2025 (the maintained fork's name)."""
    return f"{function_logical_id_prefix(key)}LambdaPermissionFn"


def iam_role_lambda_execution_logical_id() -> str:
    return "IamRoleLambdaExecution"


def role_name(service: str, stage: str) -> dict[str, object]:
    """Generated role's name ``<service>-<stage>-<region>-lambdaRole`` (region resolved at deploy)."""
    return {"Fn::Join": ["-", [service, stage, {"Ref": "AWS::Region"}, "lambdaRole"]]}


def role_policy_name(service: str, stage: str) -> dict[str, object]:
    return {"Fn::Join": ["-", [service, stage, "lambda"]]}


def lambda_provisioned_concurrency_alias_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}ProvConcLambdaAlias"


def lambda_snap_start_alias_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}SnapStartLambdaAlias"


PROVISIONED_CONCURRENCY_ALIAS = "provisioned"
SNAP_START_ALIAS = "snapstart"


def lambda_event_config_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaEvConf"


def layer_logical_id(key: str) -> str:
    """``<L>LambdaLayer`` (same normalisation as function keys)."""
    return f"{function_logical_id_prefix(key)}LambdaLayer"


def layer_permission_logical_id(key: str, account: str) -> str:
    return f"{function_logical_id_prefix(key)}{account.replace('*', 'Wild')}LambdaLayerPermission"


def layer_output_logical_ids(key: str) -> tuple[str, str, str]:
    """``(<L>LambdaLayerQualifiedArn, <L>LambdaLayerHash, <L>LambdaLayerS3Key)``."""
    base = layer_logical_id(key)
    return f"{base}QualifiedArn", f"{base}Hash", f"{base}S3Key"


def deployment_bucket_policy_logical_id() -> str:
    return "ServerlessDeploymentBucketPolicy"


def deployment_bucket_logical_id() -> str:
    return "ServerlessDeploymentBucket"


def deployment_bucket_output_logical_id() -> str:
    return "ServerlessDeploymentBucketName"


# ---- HTTP API ----------------------------------------------------------------------------------


def http_api_logical_id() -> str:
    return "HttpApi"


def http_api_log_group_logical_id() -> str:
    return "HttpApiLogGroup"


def http_api_log_group_name(stack_name_: str) -> str:
    return f"/aws/http-api/{stack_name_}"


def http_api_stage_logical_id() -> str:
    return "HttpApiStage"


def http_api_name(
    service: str, stage: str, custom: str | None = None, *, start_with_service: bool = False
) -> str:
    """``provider.httpApi.name``, else ``<stage>-<service>`` (v3's order), or
    ``<service>-<stage>`` with ``shouldStartNameWithService``."""
    if custom:
        return custom
    return f"{service}-{stage}" if start_with_service else f"{stage}-{service}"


def http_api_integration_logical_id(key: str) -> str:
    return f"HttpApiIntegration{function_logical_id_prefix(key)}"


def http_api_permission_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionHttpApi"


def http_api_route_logical_id(route_key: str) -> str:
    """``GET /users/{id}`` -> ``HttpApiRouteGetUsersIdVar``; ``*``/``$default`` -> ``HttpApiRouteDefault``."""
    if route_key in ("*", "$default"):
        return "HttpApiRouteDefault"
    return f"HttpApiRoute{normalize_path(route_key)}"


def normalize_path_part(part: str) -> str:
    """v3 ``normalizePathPart``: capitalize (rest lower-cased), ``-`` -> ``Dash``,
    ``{x}`` -> ``xVar``, drop other non-alphanumerics, upper-case the first letter."""
    text = part[:1].upper() + part[1:].lower()
    text = text.replace("-", "Dash")
    text = re.sub(r"\{(.*)\}", r"\1Var", text)
    text = re.sub(r"[^0-9A-Za-z]", "", text)
    return normalize(text)


def normalize_path(path: str) -> str:
    """v3 ``normalizePath``: each ``/``-separated part normalized and joined."""
    return "".join(normalize_path_part(p) for p in path.split("/"))


def http_api_output_id_logical_id() -> str:
    return "HttpApiId"


def http_api_output_url_logical_id() -> str:
    return "HttpApiUrl"


# ---- outputs -----------------------------------------------------------------------------------


def export_name(service: str, stage: str, output_key: str) -> str:
    """v3 exports every framework output as ``sls-<service>-<stage>-<Key>``."""
    return f"sls-{service}-{stage}-{output_key}"


# ---- deployment ----------------------------------------------------------------------------------


def artifact_prefix(service: str, stage: str, deployment_prefix: str = DEFAULT_DEPLOYMENT_PREFIX) -> str:
    """Where v3 puts artifacts in the deployment bucket: ``serverless/<service>/<stage>/``."""
    return f"{deployment_prefix}/{service}/{stage}/"


# ---- event sources -------------------------------------------------------------------------------


def schedule_target_id(key: str) -> str:
    """The rule target id: the raw function key (v3 ``getScheduleId``)."""
    return f"{key}Schedule"


def schedule_logical_id(key: str, number: int) -> str:
    return f"{function_logical_id_prefix(key)}EventsRuleSchedule{number}"


def scheduler_schedule_logical_id(key: str, number: int) -> str:
    return f"{function_logical_id_prefix(key)}SchedulerSchedule{number}"


def schedule_permission_logical_id(key: str, number: int) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionEventsRuleSchedule{number}"


def queue_logical_id(key: str, queue_name: str) -> str:
    return (
        f"{function_logical_id_prefix(key)}EventSourceMappingSQS{normalize_name_to_alphanumeric(queue_name)}"
    )


def stream_logical_id(key: str, stream_type: str, stream_name: str) -> str:
    return (
        f"{function_logical_id_prefix(key)}EventSourceMapping{normalize(stream_type)}"
        f"{normalize_name_to_alphanumeric(stream_name)}"
    )


def stream_consumer_name(key: str, stream_name: str, service: str, stage: str, service_specific: bool) -> str:
    return (
        f"{key}{stream_name}{service}{stage}Consumer" if service_specific else f"{key}{stream_name}Consumer"
    )


def stream_consumer_logical_id(consumer_name: str) -> str:
    return f"{function_logical_id_prefix(consumer_name)}StreamConsumer"


def normalize_topic_name(topic_name: str) -> str:
    """v3 ``normalizeTopicName``."""
    return normalize_name_to_alphanumeric(topic_name)


def topic_logical_id(topic_name: str) -> str:
    return f"SNSTopic{normalize_topic_name(topic_name)}"


def topic_dlq_policy_logical_id(key: str, topic_name: str) -> str:
    return f"{normalize_topic_name(topic_name)}To{function_logical_id_prefix(key)}DLQPolicy"


def sns_subscription_logical_id(key: str, topic_name: str) -> str:
    return f"{function_logical_id_prefix(key)}SnsSubscription{normalize_topic_name(topic_name)}"


def sns_permission_logical_id(key: str, topic_name: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermission{normalize_topic_name(topic_name)}SNS"


def bucket_logical_id(bucket_name: str) -> str:
    return f"S3Bucket{normalize_name_to_alphanumeric(bucket_name)}"


def s3_permission_logical_id(key: str, bucket_name: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermission{normalize_name_to_alphanumeric(bucket_name)}S3"


def normalized_resource_name(name: str) -> str:
    """v3 ``getNormalizedResourceName``: ``-`` -> ``Dash``, ``_`` -> ``Underscore``, first upper."""
    return normalize(name.replace("-", "Dash").replace("_", "Underscore"))


def event_bus_logical_id(bus_name: str) -> str:
    return f"{normalized_resource_name(bus_name)}EventBridgeEventBus"


def event_bridge_rule_logical_id(rule_stub: str) -> str:
    return f"{normalize_name_to_alphanumeric(rule_stub)}EventBridgeRule"


def event_bridge_permission_logical_id(key: str, index: int) -> str:
    return f"{function_logical_id_prefix(key)}EventBridgeLambdaPermission{index}"


def cloudwatch_event_target_id(key: str) -> str:
    return f"{key}CloudWatchEvent"


def cloudwatch_event_logical_id(key: str, number: int) -> str:
    return f"{function_logical_id_prefix(key)}EventsRuleCloudWatchEvent{number}"


def cloudwatch_event_permission_logical_id(key: str, number: int) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionEventsRuleCloudWatchEvent{number}"


def cloudwatch_log_logical_id(key: str, number: int) -> str:
    return f"{function_logical_id_prefix(key)}LogsSubscriptionFilterCloudWatchLog{number}"


def cloudwatch_log_permission_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionLogsSubscriptionFilterCloudWatchLog"


def alexa_permission_logical_id(key: str, kind: str, number: int) -> str:
    """``<F>LambdaPermissionAlexaSkill<N>`` / ``<F>LambdaPermissionAlexaSmartHome<N>``."""
    return f"{function_logical_id_prefix(key)}LambdaPermission{normalize(kind)}{number}"


def iot_rule_logical_id(key: str, number: int) -> str:
    return f"{function_logical_id_prefix(key)}IotTopicRule{number}"


def iot_permission_logical_id(key: str, number: int) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionIotTopicRule{number}"


def iot_fleet_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}IotProvisioningTemplate"


def iot_fleet_permission_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionIotProvisioningTemplate"


def msk_logical_id(key: str, cluster_name: str, topic: str) -> str:
    # cluster and topic are cut to 79 characters each, as v3 does, to stay under 255
    cluster = normalize_name_to_alphanumeric(cluster_name)[:79]
    topic_part = normalize_name_to_alphanumeric(topic)[:79]
    return f"{function_logical_id_prefix(key)}EventSourceMappingMSK{cluster}{topic_part}"


def kafka_logical_id(key: str, topic: str) -> str:
    topic_part = normalize_name_to_alphanumeric(topic)[:158]
    return f"{function_logical_id_prefix(key)}EventSourceMappingKafka{topic_part}"


def mq_logical_id(key: str, kind: str, queue: str) -> str:
    """``<F>EventSourceMappingActiveMQ<Queue>`` / ``...RabbitMQ<Queue>``."""
    queue_part = normalize_name_to_alphanumeric(queue)[:150]
    return f"{function_logical_id_prefix(key)}EventSourceMapping{kind}{queue_part}"


def custom_s3_logical_id(key: str) -> str:
    """``Custom::S3`` of a function's existing bucket (the ``1`` is v3's, kept for compatibility)."""
    return f"{function_logical_id_prefix(key)}CustomS31"


def custom_cognito_user_pool_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}CustomCognitoUserPool1"


def cognito_user_pool_logical_id(pool: str) -> str:
    return f"CognitoUserPool{normalize_name_to_alphanumeric(pool)}"


def cognito_permission_logical_id(key: str, pool: str, trigger: str) -> str:
    return (
        f"{function_logical_id_prefix(key)}LambdaPermissionCognitoUserPool"
        f"{normalize_name_to_alphanumeric(pool)}TriggerSource{normalize_name_to_alphanumeric(trigger)}"
    )


# ---- WebSocket API (websocket events) --------------------------------------------------------------


def websockets_api_logical_id() -> str:
    return "WebsocketsApi"


def websockets_integration_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}WebsocketsIntegration"


def websockets_permission_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionWebsockets"


def websockets_route_logical_id(route: str) -> str:
    """``$connect`` -> ``SconnectWebsocketsRoute`` (``$`` S, ``/`` Slash, ``-`` Dash, ``_``
    Underscore, ``.`` Period)."""
    normalized = (
        route.replace("$", "S").replace("/", "Slash").replace("-", "Dash").replace("_", "Underscore")
    ).replace(".", "Period")
    return f"{normalized}WebsocketsRoute"


def websockets_route_response_logical_id(route: str) -> str:
    return f"{websockets_route_logical_id(route)}Response"


def websockets_authorizer_logical_id(name: str) -> str:
    return f"{function_logical_id_prefix(name)}WebsocketsAuthorizer"


def websockets_deployment_logical_id(sha: str) -> str:
    return "WebsocketsDeployment" + re.sub(r"[^0-9a-zA-Z]", "", sha)


def websockets_stage_logical_id() -> str:
    return "WebsocketsDeploymentStage"


def websockets_log_group_logical_id() -> str:
    return "WebsocketsLogGroup"


# ---- ALB (alb events) ---------------------------------------------------------------------------------


def alb_target_group_logical_id(key: str, alb_id: str, multi_value_headers: bool) -> str:
    multi = "MultiValue" if multi_value_headers else ""
    return f"{function_logical_id_prefix(key)}Alb{multi}TargetGroup{alb_id}"


def alb_listener_rule_logical_id(key: str, priority: int) -> str:
    return f"{function_logical_id_prefix(key)}AlbListenerRule{priority}"


def alb_permission_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionAlb"


def alb_register_target_permission_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionRegisterTarget"


# ---- REST API (http events) ----------------------------------------------------------------------


def rest_api_logical_id() -> str:
    return "ApiGatewayRestApi"


def rest_resource_logical_id(path: str) -> str:
    return f"ApiGatewayResource{normalize_path(path)}"


def rest_method_logical_id(resource_name: str, method: str) -> str:
    return f"ApiGatewayMethod{resource_name}{normalize(method.lower())}"


def _lodash_words(text: str) -> list[str]:
    """lodash ``_.words`` for ASCII text: camel-case humps, upper-case runs and digit runs."""
    return re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+", text)


def rest_model_logical_id(schema_id: str) -> str:
    """``provider.apiGateway.request.schemas.<id>`` -> ``ApiGateway<UpperFirst(camelCase(id))>Model``."""
    words = _lodash_words(schema_id)
    camel = "".join(w.lower() if i == 0 else w[:1].upper() + w[1:].lower() for i, w in enumerate(words))
    return f"ApiGateway{normalize(camel)}Model"


def rest_endpoint_model_logical_id(method_logical_id: str, content_type: str) -> str:
    """An inline schema: ``<method logical ID><StartCase(content type)>Model``."""
    return method_logical_id + "".join(normalize(w) for w in _lodash_words(content_type)) + "Model"


def rest_api_key_logical_id(number: int, group: str | None = None) -> str:
    return f"ApiGatewayApiKey{normalize(group) if group else ''}{number}"


def rest_usage_plan_logical_id(name: str | None = None) -> str:
    return f"ApiGatewayUsagePlan{normalize(name) if name else ''}"


def rest_usage_plan_key_logical_id(number: int, group: str | None = None) -> str:
    return f"ApiGatewayUsagePlanKey{normalize(group) if group else ''}{number}"


def rest_log_group_logical_id() -> str:
    return "ApiGatewayLogGroup"


def rest_stage_settings_logical_id() -> str:
    """Ours (v3 patches the stage with API calls after deploying)."""
    return "ApiGatewayStageSettings"


def rest_authorizer_logical_id(name: str) -> str:
    return f"{function_logical_id_prefix(name)}ApiGatewayAuthorizer"


def rest_permission_logical_id(key: str) -> str:
    return f"{function_logical_id_prefix(key)}LambdaPermissionApiGateway"


def rest_deployment_logical_id(suffix: str) -> str:
    return f"ApiGatewayDeployment{suffix}"


def rest_request_validator_logical_id(service: str) -> str:
    return f"ApiGateway{normalize_name_to_alphanumeric(service)}RequestValidator"


def http_api_authorizer_logical_id(name: str) -> str:
    return f"HttpApiAuthorizer{function_logical_id_prefix(name)}"


def http_api_authorizer_permission_logical_id(name: str) -> str:
    return f"{normalized_resource_name(name)}LambdaAuthorizerPermissionHttpApi"
