"""What serverless-iam-roles-per-function 3.2.0 makes of a service, computed at load (no CDK):
its keys validated, its refusals raised as located errors, and for every function with
``iamRoleStatements`` the role it adds (``createRoleForFunction``), statement for statement:

1. ``logs:CreateLogStream`` / ``CreateLogGroup`` / ``PutLogEvents`` on the function's own group;
2. stream reads (DynamoDB, then Kinesis) and SQS reads for its ``stream`` / ``sqs`` events;
3. ``sns:Publish`` on its ``onError`` topic;
4. the provider's statements when it inherits (``iamRoleStatementsInherit``, else
   ``custom.serverless-iam-roles-per-function.defaultInherit``);
5. its own ``iamRoleStatements``.

Its managed policies are only the VPC access policy (when the function or the provider has a
VPC): the provider's are not inherited.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from constructs_lib import naming
from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.model import EffectiveFunction, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode, validate
from constructs_lib.errors import ConfigError, ErrorGroup, IgnoredAsInV3, SchemaError, SlsCdkError
from constructs_lib.events.sqs import SqsEvent
from constructs_lib.events.stream import StreamEvent
from constructs_lib.loader.resources_check import service_generates_role
from constructs_lib.plugins.iam_roles_per_function.model import (
    PLUGIN,
    FunctionRoleKeys,
    RolesPerFunctionSettings,
    role_logical_id,
)

__all__ = ["FUNCTION_KEYS", "PLUGIN", "FunctionRole", "check_roles_per_function", "function_roles"]

#: the function keys the plugin defines (camelCase, as written)
FUNCTION_KEYS = (
    "iamRoleStatements",
    "iamRoleStatementsInherit",
    "iamRoleStatementsName",
    "iamPermissionsBoundary",
)
_ROLE_NAME_MAX = 64
_STREAM_ACTIONS = ("GetRecords", "GetShardIterator", "DescribeStream", "ListStreams")
_LIST_IT = f"it is {PLUGIN}'s: list the plugin under plugins"


class _Refused(ValueError):
    """A reason the plugin refuses a function, with what to do instead."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class FunctionRole:
    """The role the plugin adds for function ``key`` (``<F>IamRoleLambdaExecution``)."""

    key: str
    logical_id: str
    role_name: str | JsonObject
    statements: tuple[JsonObject, ...]
    vpc: bool
    boundary: JsonValue = None
    """The function's ``iamPermissionsBoundary``, else the plugin's global one, else the clone's."""


def _subset(data: Mapping[str, Any]) -> dict[str, Any]:
    """The plugin's keys of ``data`` (copied: validation may leave out what v3 ignores)."""
    functions = data.get("functions")
    custom = data.get("custom")
    return {
        "custom": {PLUGIN: copy.deepcopy(custom.get(PLUGIN))} if isinstance(custom, dict) else None,
        "functions": {
            key: {k: copy.deepcopy(fn[k]) for k in FUNCTION_KEYS if k in fn}
            for key, fn in (functions.items() if isinstance(functions, dict) else ())
            if isinstance(fn, dict) and any(k in fn for k in FUNCTION_KEYS)
        },
    }


def _unlisted(
    model: Service, data: Mapping[str, Any], sources: SourceMap, mode: ValidationMode
) -> list[SlsCdkError]:
    """Without the plugin its function keys are keys v3 does not know: ignored as v3 ignores them
    (with a warning in ``warn``, refused in ``error``)."""
    functions = data.get("functions")
    paths = [
        ("functions", key, k)
        for key in model.functions
        for k in FUNCTION_KEYS
        if isinstance(functions, dict) and isinstance(functions.get(key), dict) and k in functions[key]
    ]
    if mode == "error":
        ErrorGroup.raise_if_any(
            [
                SchemaError(f"unknown key {p[-1]!r}", location=sources.locate(p), path=p, hint=_LIST_IT)
                for p in paths
            ]
        )
    if mode == "off":
        return []
    return [
        IgnoredAsInV3(
            f"unknown key {p[-1]!r}: ignored, as Serverless v3 ignores it",
            location=sources.locate(p),
            path=p,
            hint=_LIST_IT,
        )
        for p in paths
    ]


def _role_name(model: Service, key: str, stage: str, region: str) -> JsonObject:
    """``getFunctionRoleName``: v3's role name with the function key after the stage, without
    ``lambdaRole`` when that makes it fit; raises ``ValueError`` with the plugin's reason."""
    custom = model.provider.role_customisation.name
    if custom is not None:
        raise _Refused(
            f"provider.iam.role.name ({custom!r}) leaves it no role name to derive the function's from",
            "set iamRoleStatementsName",
        )
    parts: list[Any] = [model.service, stage, key, {"Ref": "AWS::Region"}, "lambdaRole"]

    def length() -> int:
        return sum(len(region) if isinstance(p, dict) else len(p) for p in parts) + len(parts) - 1

    if length() > _ROLE_NAME_MAX:
        parts.pop()
    if length() > _ROLE_NAME_MAX:
        raise _Refused(
            f"its generated role name is over {_ROLE_NAME_MAX} characters ({length()})",
            "set iamRoleStatementsName",
        )
    return {"Fn::Join": ["-", parts]}


def _event_statements(fn: EffectiveFunction) -> list[JsonObject]:
    """The stream (DynamoDB, then Kinesis) and SQS statements of the function's events."""
    streams: dict[str, list[JsonValue]] = {"dynamodb": [], "kinesis": []}
    queues: list[JsonValue] = []
    for event_type, event in fn.events:
        if event_type == "stream" and isinstance(event, StreamEvent):
            kind = event.type or (event.arn.split(":")[2] if isinstance(event.arn, str) else None)
            if kind not in streams:
                raise _Refused(
                    f"its stream event's type {kind!r} is not dynamodb or kinesis", "give the stream's type"
                )
            streams[kind].append(event.arn)
        elif event_type == "sqs" and isinstance(event, SqsEvent):
            queues.append(event.arn)
    out: list[JsonObject] = [
        {"Effect": "Allow", "Action": [f"{kind}:{a}" for a in _STREAM_ACTIONS], "Resource": arns}
        for kind, arns in streams.items()
        if arns
    ]
    if queues:
        actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        out.append({"Effect": "Allow", "Action": actions, "Resource": queues})
    return out


def _provider_statements(model: Service) -> list[JsonObject]:
    """The plugin reads ``provider.iam.role.statements`` when ``provider.iam`` exists, else the
    old ``provider.iamRoleStatements``."""
    provider = model.provider
    statements = (
        provider.role_customisation.statements if provider.iam is not None else provider.iam_role_statements
    )
    return [s.to_cfn() for s in statements or []]


def _non_empty(vpc: BaseModel | bool | None) -> bool:
    """lodash's ``!_.isEmpty(vpc)`` of a VPC setting as written (``{}`` and ``false`` are empty)."""
    return bool(vpc.model_dump(exclude_none=True)) if isinstance(vpc, BaseModel) else False


def _role(
    model: Service,
    fn: EffectiveFunction,
    keys: FunctionRoleKeys,
    settings: RolesPerFunctionSettings,
    where: tuple[str, str],
) -> FunctionRole:
    options = settings.options
    statements: list[JsonObject] = [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents"],
            "Resource": [naming.log_group_arn(naming.log_group_name(fn.name), ":*:*")],
        },
        *_event_statements(fn),
    ]
    if fn.on_error:
        statements.append({"Effect": "Allow", "Action": ["sns:Publish"], "Resource": fn.on_error})
    inherit = keys.iam_role_statements_inherit or (
        bool(options.default_inherit) and keys.iam_role_statements_inherit is not False
    )
    if inherit:
        statements.extend(_provider_statements(model))
    statements.extend(s.to_cfn() for s in keys.iam_role_statements or [])
    return FunctionRole(
        key=fn.key,
        logical_id=role_logical_id(fn.key),
        role_name=keys.iam_role_statements_name or _role_name(model, fn.key, *where),
        statements=tuple(statements),
        vpc=_non_empty(model.functions[fn.key].vpc) or _non_empty(model.provider.vpc),
        boundary=keys.iam_permissions_boundary or options.iam_global_permissions_boundary,
    )


def _refusal(key: str, message: str, sources: SourceMap, hint: str | None = None) -> ConfigError:
    path = ("functions", key, "iamRoleStatements")
    return ConfigError(f"{PLUGIN}: {message}", location=sources.locate(path), path=path, hint=hint)


def function_roles(
    model: Service,
    functions: Mapping[str, EffectiveFunction],
    data: Mapping[str, Any],
    sources: SourceMap,
    *,
    mode: ValidationMode,
    where: tuple[str, str],
) -> tuple[tuple[FunctionRole, ...], JsonValue, list[SlsCdkError]]:
    """The roles the plugin adds (in function order), its global permissions boundary (which it
    also sets on ``IamRoleLambdaExecution``) and the warnings of its keys; raises its refusals.
    ``where`` is ``(stage, region)``. Nothing when the plugin is not listed."""
    if PLUGIN not in model.plugin_names:
        return (), None, []
    settings, warnings = validate(RolesPerFunctionSettings, _subset(data), sources, unknown_keys=mode)
    own_roles = [(key, "role" in fn.model_fields_set) for key, fn in model.functions.items()]
    generated = service_generates_role(model.provider, own_roles)
    roles: list[FunctionRole] = []
    errors: list[SlsCdkError] = []
    for key, fn in functions.items():
        keys = settings.functions.get(key)
        if keys is None or "iam_role_statements" not in keys.model_fields_set:
            continue
        if "role" in model.functions[key].model_fields_set:
            errors.append(
                _refusal(
                    key,
                    "a function with both 'role' and 'iamRoleStatements' is not supported",
                    sources,
                    "remove one of them",
                )
            )
            continue
        if not generated:
            errors.append(
                _refusal(
                    key,
                    "the function's role is cloned from the generated IamRoleLambdaExecution, "
                    "which the provider's own role (provider.iam.role) leaves out",
                    sources,
                    "remove provider.iam.role's ARN, or iamRoleStatements",
                )
            )
            continue
        try:
            roles.append(_role(model, fn, keys, settings, where))
        except _Refused as exc:
            errors.append(_refusal(key, f"function {key!r}: {exc}", sources, exc.hint))
        name = keys.iam_role_statements_name
        if name is not None and len(name) > _ROLE_NAME_MAX:
            path = ("functions", key, "iamRoleStatementsName")
            errors.append(
                ConfigError(
                    f"role name {name!r} has {len(name)} characters; AWS allows {_ROLE_NAME_MAX}",
                    location=sources.locate(path),
                    path=path,
                )
            )
    ErrorGroup.raise_if_any(errors)
    return tuple(roles), settings.options.iam_global_permissions_boundary, list(warnings)


def check_roles_per_function(
    model: Service,
    data: Mapping[str, Any],
    sources: SourceMap,
    *,
    mode: ValidationMode,
    where: tuple[str, str],
) -> list[SlsCdkError]:
    """At load: the plugin's keys validated and its refusals raised (listed), or its function keys
    flagged as v3 flags unknown keys (not listed); returns the warnings."""
    if PLUGIN not in model.plugin_names:
        return _unlisted(model, data, sources, mode)
    functions = {key: model.function(key, stage=where[0]) for key in model.functions}
    return function_roles(model, functions, data, sources, mode=mode, where=where)[2]
