"""``${aws:accountId}`` / ``${aws:partition}`` inside a longer string.

v3 writes the account id it got from STS; we keep the value deploy-time. A whole value is
``{"Ref": "AWS::AccountId"}``; inside a string (``my-bucket-${aws:accountId}``) the string stays a
string, holding a marker (``_AWS_ACCOUNT_ID_``, ``_AWS_PARTITION_``: no colon, as ARNs are split on
``:``, and only characters every name pattern allows), so every setting that must be text
(function, role and deployment bucket names) accepts it. The CDK layer writes each marked string
as CloudFormation (``Fn::Sub``, or the ``${AWS::AccountId}`` placeholder inside an ``Fn::Sub``
string) and gives CDK's asset synthesizer the bucket name with its ``${AWS::AccountId}``.

Where the value must be known while synthesizing (the stack's name, logical IDs made from a name),
:func:`pseudo_errors` reports it, located.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from constructs_lib.config.data import JsonValue, KeyPath
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import SlsCdkError, VariableError

__all__ = [
    "MARKERS",
    "PSEUDO_IN_TEXT",
    "any_marked",
    "as_placeholders",
    "as_sub",
    "holds_pseudo",
    "pseudo_errors",
]

#: pseudo parameter -> its marker inside a string
PSEUDO_IN_TEXT = {"AWS::AccountId": "_AWS_ACCOUNT_ID_", "AWS::Partition": "_AWS_PARTITION_"}
MARKERS = tuple(PSEUDO_IN_TEXT.values())
_PLACEHOLDER = {marker: "${" + pseudo + "}" for pseudo, marker in PSEUDO_IN_TEXT.items()}
_MARKER = re.compile("|".join(re.escape(m) for m in MARKERS))


def holds_pseudo(value: JsonValue) -> bool:
    return isinstance(value, str) and any(m in value for m in MARKERS)


def as_placeholders(text: str) -> str:
    """The markers as CloudFormation's ``${AWS::AccountId}`` (``Fn::Sub`` and CDK placeholders)."""
    return _MARKER.sub(lambda m: _PLACEHOLDER[m[0]], text)


def as_sub(text: str) -> str:
    """``text`` as an ``Fn::Sub`` string: other ``${`` escaped as ``${!``, markers as placeholders."""
    parts = _MARKER.split(text)
    found = _MARKER.findall(text)
    out = parts[0].replace("${", "${!")
    for marker, rest in zip(found, parts[1:], strict=True):
        out += as_placeholders(marker) + rest.replace("${", "${!")
    return out


_DEPLOY_SETTING = (
    "it is a setting of the deploy (stack tags, notification ARNs, cdk deploy flags), not of the template"
)
_BUCKET = "v3 makes the bucket's logical ID from its name"
_TOPIC = "v3 makes the topic's logical IDs from its name"
_QUEUE = "v3 makes the logical ID from the name at the end of the ARN"

#: settings whose value must be known at synth time, with why; ``tail`` settings may be ARNs, of
#: which only the name after the last ``:`` must be known (a ``*`` matches any key or index)
_KNOWN_AT_SYNTH: tuple[tuple[KeyPath, bool, str], ...] = (
    (("service",), False, "the service name makes the stack name and v3's export names"),
    (("service", "name"), False, "the service name makes the stack name and v3's export names"),
    (("provider", "stage"), False, "the stage makes the stack name and v3's export names"),
    (("provider", "stackName"), False, "CloudFormation stack names are fixed when synthesizing"),
    (("provider", "deploymentPrefix"), False, "the artifacts' S3 keys are computed when synthesizing"),
    (("provider", "stackTags", "*"), False, _DEPLOY_SETTING),
    (("provider", "notificationArns", "*"), False, _DEPLOY_SETTING),
    (("provider", "cfnRole"), False, _DEPLOY_SETTING),
    (("provider", "stackParameters", "*", "ParameterValue"), False, _DEPLOY_SETTING),
    (("functions", "*", "events", "*", "s3"), False, _BUCKET),
    (("functions", "*", "events", "*", "s3", "bucket"), False, _BUCKET),
    (("functions", "*", "events", "*", "sns"), True, _TOPIC),
    (("functions", "*", "events", "*", "sns", "topicName"), False, _TOPIC),
    (("functions", "*", "events", "*", "sns", "arn"), True, _TOPIC),
    (("functions", "*", "events", "*", "sqs"), True, _QUEUE),
    (("functions", "*", "events", "*", "sqs", "arn"), True, _QUEUE),
    (("functions", "*", "events", "*", "stream"), True, _QUEUE),
    (("functions", "*", "events", "*", "stream", "arn"), True, _QUEUE),
    (("functions", "*", "events", "*", "eventBridge", "eventBus"), True, _QUEUE),
    (("functions", "*", "events", "*", "cognitoUserPool", "pool"), False, "v3 makes the logical ID from it"),
)


def _matches(path: KeyPath, pattern: KeyPath) -> bool:
    return len(path) == len(pattern) and all(p in ("*", k) for k, p in zip(path, pattern, strict=True))


def _strings(value: JsonValue, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def pseudo_errors(data: JsonValue, sources: SourceMap) -> list[SlsCdkError]:
    """A located error for each setting that must be known at synth time but holds a marker."""
    errors: list[SlsCdkError] = []
    for path, text in _strings(data, ()):
        if not holds_pseudo(text):
            continue
        for pattern, tail, why in _KNOWN_AT_SYNTH:
            if _matches(path, pattern) and holds_pseudo(text.rsplit(":", 1)[-1] if tail else text):
                errors.append(
                    VariableError(
                        f"${{aws:accountId}} / ${{aws:partition}} cannot be used here: {why}, and the "
                        "account is known only at deploy time (v3 asks STS for it)",
                        location=sources.locate(path),
                        path=path,
                        hint="write the account id or name literally, or use a CloudFormation value "
                        "where the setting takes one",
                    )
                )
                break
    return errors


def any_marked(value: JsonValue) -> bool:
    """Some string of ``value`` holds a marker."""
    return any(holds_pseudo(text) for _, text in _strings(value, ()))
