"""Value types shared by provider and function settings, each checked against :mod:`limits` once."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, Field

from constructs_lib import limits
from constructs_lib.config.data import JsonObject
from constructs_lib.config.schema import CfnValue, is_intrinsic
from constructs_lib.errors import did_you_mean

__all__ = [
    "Architecture",
    "ArnOrCfn",
    "DeploymentMethod",
    "EnvName",
    "Environment",
    "Intrinsic",
    "InvokeMode",
    "LayerRef",
    "LogRetention",
    "MemorySize",
    "NonNegative",
    "Region",
    "Runtime",
    "Tags",
    "Timeout",
    "Tracing",
]

_V = TypeVar("_V", int, str)


def _in_range(name: str, bounds: tuple[int, int]) -> Callable[[int], int]:
    low, high = bounds

    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low} and {high}, not {value}")
        return value

    return check


def _one_of(name: str, allowed: Collection[_V]) -> Callable[[_V], _V]:
    def check(value: _V) -> _V:
        if value not in allowed:
            guess = did_you_mean(str(value), [str(a) for a in allowed])
            extra = f"; did you mean {guess!r}?" if guess else ""
            if len(allowed) > 12:  # a long list helps nobody; the guess does
                raise ValueError(f"unknown {name} {value!r}{extra}")
            raise ValueError(f"{name} {value!r} is not one of {', '.join(map(str, sorted(allowed)))}{extra}")
        return value

    return check


def _check_env_name(name: str) -> str:
    if name in limits.RESERVED_ENV_NAMES:
        raise ValueError(f"environment variable {name!r} is reserved by AWS Lambda")
    return name


def _require_intrinsic(value: JsonObject) -> JsonObject:
    if not is_intrinsic(value):
        raise ValueError("expected a CloudFormation intrinsic function ({Ref: ..}, {Fn::GetAtt: ..}, ...)")
    return value


MemorySize = Annotated[int, AfterValidator(_in_range("memorySize", limits.MEMORY_MB))]
Timeout = Annotated[int, AfterValidator(_in_range("timeout", limits.TIMEOUT_S))]
Architecture = Annotated[str, AfterValidator(_one_of("architecture", limits.ARCHITECTURES))]
#: Any runtime text is kept, as v3 does; one v3 or AWS does not know is a located warning at load
#: (:func:`constructs_lib.loader.checks.config_warnings`), never an error.
Runtime = str
Region = Annotated[str, AfterValidator(_one_of("region", limits.REGIONS))]
DeploymentMethod = Annotated[str, AfterValidator(_one_of("deploymentMethod", limits.DEPLOYMENT_METHODS))]
LogRetention = Annotated[int, AfterValidator(_one_of("logRetentionInDays", limits.LOG_RETENTION_DAYS))]
InvokeMode = Annotated[str, AfterValidator(_one_of("invokeMode", limits.URL_INVOKE_MODES))]
Tracing = Literal["Active", "PassThrough"] | bool
EnvName = Annotated[str, AfterValidator(_check_env_name)]
#: Environment variables: names Lambda does not reserve, values as text (or intrinsics).
Environment = dict[EnvName, CfnValue]
#: A CloudFormation intrinsic function, kept as written.
Intrinsic = Annotated[JsonObject, AfterValidator(_require_intrinsic)]
#: An ARN (or any text CloudFormation takes), or an intrinsic that yields one.
ArnOrCfn = str | Intrinsic


def _layer_version_arn(value: str) -> str:
    parts = value.split(":")
    if len(parts) != 8 or parts[0] != "arn" or parts[2] != "lambda" or parts[5] != "layer" or not parts[7]:
        raise ValueError(
            f"{value!r} is not a layer version ARN "
            "(arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>)"
        )
    return value


#: A function's layer: a layer version ARN (Lambda refuses anything else), or an intrinsic.
LayerRef = Annotated[str, AfterValidator(_layer_version_arn)] | Intrinsic
#: Resource tags: values become text, as v3 coerces them.
Tags = dict[str, CfnValue]
#: A count that cannot be negative (concurrency).
NonNegative = Annotated[int, Field(ge=0)]
