"""The commands that talk to Lambda and CloudWatch Logs directly: ``deploy function``, ``invoke``
and ``logs``.

``deploy function -f NAME`` does what v3's ``sls deploy function`` does: the function's zip
through ``UpdateFunctionCode``, then its configuration (handler, runtime, memory, timeout,
description, environment, layers, role, architecture) through ``UpdateFunctionConfiguration``,
waiting for each update; values only known to CloudFormation (``Ref``, ``Fn::GetAtt``...) are
left as deployed, and said. The stack is untouched until the next ``deploy``.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from constructs_lib.cli import output
from constructs_lib.config.model import EffectiveFunction
from constructs_lib.errors import SlsCdkError, did_you_mean
from constructs_lib.loader.service import LoadedService, Project

__all__ = ["deploy_function", "invoke", "print_logs"]

#: Lambda's limit for code sent in the request itself (UpdateFunctionCode ZipFile)
_DIRECT_UPLOAD_MAX = 50 * 1024 * 1024
_AGO = re.compile(r"^(\d+)([smhd])$")


def _find(services: Sequence[LoadedService], key: str | None) -> tuple[LoadedService, EffectiveFunction]:
    if not key:
        raise SlsCdkError("name the function with -f NAME")
    having = [svc for svc in services if key in svc.functions]
    if len(having) > 1:
        names = ", ".join(str(svc.compose_name or svc.name) for svc in having)
        raise SlsCdkError(
            f"services {names} each have a function {key!r}",
            hint=f"name the service first: sls-cdk {having[0].compose_name} deploy function -f {key}",
        )
    if having:
        return having[0], having[0].functions[key]
    keys = [k for svc in services for k in svc.functions]
    guess = did_you_mean(key, keys)
    raise SlsCdkError(
        f"no function {key!r} in this project",
        hint=f"did you mean {guess!r}?" if guess else f"functions: {', '.join(keys)}",
    )


def _client(name: str, svc: LoadedService, args: argparse.Namespace) -> Any:
    import boto3
    from botocore.exceptions import ProfileNotFound

    from constructs_lib.cli.deploying import deploy_env

    env = deploy_env(svc, args)
    try:
        session = boto3.session.Session(profile_name=env.get("AWS_PROFILE") or None, region_name=svc.region)
    except ProfileNotFound as exc:
        raise SlsCdkError(f"{exc}", hint="--profile NAME, or credentials in the environment") from None
    return session.client(name, endpoint_url=env.get("AWS_ENDPOINT_URL") or None)  # type: ignore[call-overload]


def _configuration(fn: EffectiveFunction) -> tuple[dict[str, Any], list[str]]:
    """``UpdateFunctionConfiguration`` arguments, and the settings left as deployed."""
    config: dict[str, Any] = {
        "FunctionName": fn.name,
        "Handler": fn.handler,
        "Runtime": fn.runtime,
        "MemorySize": fn.memory_size,
        "Timeout": fn.timeout,
        "Description": fn.description or "",
    }
    kept: list[str] = []
    env = fn.environment or {}
    plain = {k: v for k, v in env.items() if isinstance(v, str)}
    if len(plain) == len(env):
        config["Environment"] = {"Variables": plain}
    else:
        kept.append("environment (it holds CloudFormation references)")
    layers = list(fn.layers or ())
    if all(isinstance(layer, str) for layer in layers):
        config["Layers"] = layers
    else:
        kept.append("layers (references to the stack's layers)")
    if isinstance(fn.role, str) and fn.role.startswith("arn:"):
        config["Role"] = fn.role
    return config, kept


def deploy_function(project: Project, args: argparse.Namespace, services: Sequence[LoadedService]) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    svc, fn = _find(services, args.function)
    if fn.image is not None:
        raise SlsCdkError(f"function {fn.key!r} is a container image: deploy it with `sls-cdk deploy`")
    code = svc.function_artifact(fn.key).read_bytes()
    if len(code) > _DIRECT_UPLOAD_MAX:
        raise SlsCdkError(
            f"the zip of {fn.key!r} is {len(code) // 2**20} MB; Lambda takes 50 MB in a direct update",
            hint="deploy the stack instead: sls-cdk deploy",
        )
    lam = _client("lambda", svc, args)
    config, kept = _configuration(fn)
    try:
        lam.update_function_code(
            FunctionName=fn.name, ZipFile=code, Architectures=[fn.architecture or "x86_64"]
        )
        lam.get_waiter("function_updated_v2").wait(FunctionName=fn.name)
        lam.update_function_configuration(**config)
        lam.get_waiter("function_updated_v2").wait(FunctionName=fn.name)
    except (ClientError, BotoCoreError) as exc:
        raise SlsCdkError(
            f"function {fn.name}: {exc}", hint="is the stack deployed? sls-cdk deploy"
        ) from None
    print(f"function {fn.key} ({fn.name}) updated: code and configuration")
    for item in kept:
        output.note(f"{fn.name}: {item} left as deployed; `sls-cdk deploy` updates it")
    return 0


def _start(value: str | None) -> int:
    """Epoch milliseconds from ``--startTime`` (milliseconds, or ``30m`` / ``2h`` / ``1d`` ago);
    default: 10 minutes ago, as v3."""
    now = int(time.time() * 1000)
    if not value:
        return now - 10 * 60 * 1000
    if value.isdigit():
        return int(value)
    match = _AGO.match(value)
    if match is None:
        raise SlsCdkError(f"--startTime {value!r}: give epoch milliseconds or e.g. 30m, 2h, 1d")
    unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]
    return now - int(match[1]) * unit * 1000


def _events(logs: Any, query: dict[str, Any]) -> int:
    """Print the log events ``query`` selects; the newest timestamp seen (0: none)."""
    newest = 0
    for page in logs.get_paginator("filter_log_events").paginate(**query):
        for event in page.get("events", []):
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(event["timestamp"] / 1000))
            print(f"{stamp} {event.get('logStreamName', '')} {event['message'].rstrip()}", flush=True)
            newest = max(newest, int(event["timestamp"]))
    return newest


def print_logs(project: Project, args: argparse.Namespace, services: Sequence[LoadedService]) -> int:
    """``sls logs -f NAME``; with ``--tail``, new events every ``--interval`` ms until Ctrl-C."""
    from botocore.exceptions import BotoCoreError, ClientError

    svc, fn = _find(services, args.function)
    logs = _client("logs", svc, args)
    group = f"/aws/lambda/{fn.name}"
    query: dict[str, Any] = {"logGroupName": group, "startTime": _start(args.start_time)}
    if args.filter:
        query["filterPattern"] = args.filter
    try:
        while True:
            newest = _events(logs, query)
            if not args.tail:
                return 0
            query["startTime"] = max(query["startTime"], newest + 1)
            time.sleep(args.interval / 1000)
    except (ClientError, BotoCoreError) as exc:
        if "ResourceNotFoundException" in str(exc):
            raise SlsCdkError(
                f"no log group {group}: the function has not logged yet (or is not deployed)"
            ) from None
        raise SlsCdkError(f"{group}: {exc}") from None


def _payload(args: argparse.Namespace) -> bytes:
    """``--data`` (JSON, else sent as a JSON string, as v3 does) or the file ``--path``; ``{}``."""
    if args.data is not None and args.data_path is not None:
        raise SlsCdkError("give --data or --path, not both")
    text: str | None = args.data
    if args.data_path is not None:
        file = Path(args.data_path)
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise SlsCdkError(f"--path {file}: {exc.strerror or exc}") from None
    if text is None:
        return b"{}"
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return json.dumps(text).encode()
    return text.encode()


def invoke(project: Project, args: argparse.Namespace, services: Sequence[LoadedService]) -> int:
    """``sls invoke -f NAME``: the deployed function's answer on stdout; its error exits 1."""
    from botocore.exceptions import BotoCoreError, ClientError

    svc, fn = _find(services, args.function)
    lam = _client("lambda", svc, args)
    try:
        answer = lam.invoke(
            FunctionName=fn.name,
            InvocationType=args.type,
            Payload=_payload(args),
            LogType="Tail" if args.log else "None",
        )
    except (ClientError, BotoCoreError) as exc:
        raise SlsCdkError(f"function {fn.name}: {exc}", hint="is it deployed? sls-cdk deploy") from None
    body = answer["Payload"].read().decode() if "Payload" in answer else ""
    if body:
        print(body)
    if args.log and answer.get("LogResult"):
        print(base64.b64decode(answer["LogResult"]).decode(errors="replace"), file=sys.stderr)
    if answer.get("FunctionError"):
        output.error(f"{fn.name} failed ({answer['FunctionError']})")
        return 1
    return 0
