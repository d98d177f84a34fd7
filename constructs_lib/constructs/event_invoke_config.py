"""A function's asynchronous invocation settings: ``<F>LambdaEvConf`` (v3's ``compileFunction``).

``destinations`` (``onSuccess`` / ``onFailure``: an ARN, a function of the service, or a typed
target), ``maximumEventAge`` and ``maximumRetryAttempts`` become one ``AWS::Lambda::EventInvokeConfig``
on the function (or its alias). With the generated role, each destination adds the statement v3
adds (``lambda:InvokeFunction``, ``sqs:SendMessage``, ``sns:Publish``, ``events:PutEvents``).

The loader has checked every destination (a known function, or an ARN of a kind Lambda can send
to); a Python caller that skipped it gets a ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_cdk import aws_lambda as lambda_

from constructs_lib import naming
from constructs_lib.config.model import DestinationTarget
from constructs_lib.constructs.overrides import override_property

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction
    from constructs_lib.constructs.iam_role import ServiceRole

__all__ = ["add_event_invoke_config", "destination_action"]

#: ``DestinationTarget.type`` -> the action the role needs
_TYPED_ACTIONS = {
    "function": "lambda:InvokeFunction",
    "sqs": "sqs:SendMessage",
    "sns": "sns:Publish",
    "eventBus": "events:PutEvents",
}
#: part of a destination ARN -> the action the role needs (v3's order)
_ARN_ACTIONS = (
    (":function:", "lambda:InvokeFunction"),
    (":sqs:", "sqs:SendMessage"),
    (":sns:", "sns:Publish"),
    (":event-bus/", "events:PutEvents"),
)

Siblings = Callable[[str], "ServerlessFunction | None"]


def destination_action(target: str) -> str | None:
    """The action a destination given as text needs; None for an ARN Lambda cannot send to."""
    if not target.startswith("arn:"):
        return "lambda:InvokeFunction"  # a function of this service
    return next((action for part, action in _ARN_ACTIONS if part in target), None)


def add_event_invoke_config(
    function: ServerlessFunction, siblings: Siblings
) -> lambda_.CfnEventInvokeConfig | None:
    """``<F>LambdaEvConf`` when the function has destinations, a maximum event age or retries."""
    p = function.props
    if p.destinations is None and not p.maximum_event_age and p.maximum_retry_attempts is None:
        return None
    destination_config: dict[str, Any] = {}
    if p.destinations is not None:
        for field, target in (
            ("OnSuccess", p.destinations.on_success),
            ("OnFailure", p.destinations.on_failure),
        ):
            if target is None:
                continue
            destination_config[field] = {"Destination": _destination_arn(function, siblings, target)}
            if p.role is None and function.generated_role is not None:
                _destination_permission(function, function.generated_role, siblings, target)
    config = lambda_.CfnEventInvokeConfig(
        function.home,
        naming.lambda_event_config_logical_id(p.key),
        function_name=function.cfn_function.ref,
        qualifier=function.target_alias[0] if function.target_alias else "$LATEST",
    )
    override_property(config, "DestinationConfig", destination_config)
    if p.maximum_event_age:
        override_property(config, "MaximumEventAgeInSeconds", p.maximum_event_age)
    if p.maximum_retry_attempts is not None:
        override_property(config, "MaximumRetryAttempts", p.maximum_retry_attempts)
    if function.target_alias:
        config.add_override("DependsOn", function.target_alias[1])
    return config


def _sibling(function: ServerlessFunction, siblings: Siblings, key: str) -> ServerlessFunction:
    sibling = siblings(key)
    if sibling is None:  # the loader reports this with its line; only Python callers get here
        raise ValueError(
            f"function {function.props.key!r}: destination {key!r} is neither an ARN nor a function "
            "passed in `functions`"
        )
    return sibling


def _destination_arn(
    function: ServerlessFunction, siblings: Siblings, target: str | DestinationTarget
) -> str | dict[str, Any]:
    if isinstance(target, DestinationTarget):
        return target.arn
    if target.startswith("arn:"):
        return target
    return _sibling(function, siblings, target).target_arn


def _destination_permission(
    function: ServerlessFunction, role: ServiceRole, siblings: Siblings, target: str | DestinationTarget
) -> None:
    resource: Any
    if isinstance(target, DestinationTarget):
        action = _TYPED_ACTIONS[target.type]
        resource = target.arn
    else:
        found = destination_action(target)
        if found is None:  # the loader reports this with its line; only Python callers get here
            raise ValueError(f"function {function.props.key!r}: unsupported destination target {target!r}")
        action = found
        if target.startswith("arn:"):
            resource = target
        else:
            resource = naming.function_arn_sub(_sibling(function, siblings, target).props.name)
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    if statement not in role.statements:  # v3 memoizes this per target
        role.add_statement(statement)
