"""``sls``-shaped commands that deploy: ``deploy``, ``deploy function``, ``remove``, ``logs``,
``invoke``, over the pinned CDK CLI and boto3.

* ``deploy [PATH]`` runs the build hooks (as ``sls deploy`` runs the package lifecycle;
  ``--no-build`` skips them), synthesizes (atomically) into ``--out`` and runs ``cdk deploy`` for each
  service's stack in compose order, with the flags v3's deploy-time settings imply
  (``deploymentMethod``, ``disableRollback``, ``cfnRole``, ``stackParameters``,
  ``notificationArns``; ``stackTags`` are in the assembly; ``provider.profile`` as the profile):
  the user types none.
* ``SERVICE deploy`` (compose): only that service's stack, as ``sls SERVICE deploy``.
* ``deploy function -f NAME``: the function's code and configuration straight through Lambda's API,
  as v3 does; the next ``deploy`` brings the stack in line.
* ``remove``: ``cdk destroy`` of the stacks, dependents first.
* ``invoke -f NAME [--data|--path]`` and ``logs -f NAME [--startTime]``: Lambda and CloudWatch Logs.
* ``--endpoint-url URL`` points the CDK CLI and boto3 at another endpoint (a local emulator).

The CDK CLI is the project's ``node_modules/.bin/cdk`` (``sls-cdk init`` pins it), found from the
project's folder upwards, then from the current folder.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from constructs_lib.cli import output
from constructs_lib.cli.help import add_command
from constructs_lib.cli.loading import add_project_args, load, load_to_synth, report
from constructs_lib.errors import SlsCdkError, did_you_mean
from constructs_lib.loader.service import LoadedService, Project

__all__ = [
    "add_deploy_commands",
    "cdk_cli",
    "cmd_deploy",
    "cmd_invoke",
    "cmd_logs",
    "cmd_remove",
    "deploy_env",
]


def add_deploy_commands(sub: Any) -> None:
    """The parsers of this module's commands, on ``sub`` (argparse subparsers)."""
    deploy = add_command(
        sub,
        "deploy",
        "synthesize and deploy with the CDK CLI, v3's deploy settings applied (like `sls deploy`)",
    )
    deploy.add_argument("--only-function", action="store_true", help=argparse.SUPPRESS)  # `deploy function`
    _aws_args(deploy)
    deploy.add_argument("--function", "-f", help="with `deploy function`: the function's key")
    deploy.add_argument(
        "--out", "-o", default="cdk.out", help="where the cloud assembly goes (default: cdk.out)"
    )
    deploy.add_argument(
        "--no-build", dest="build", action="store_false", help="skip the build hooks (v3's deploy runs them)"
    )
    remove = add_command(sub, "remove", "delete the stacks (like `sls remove`)")
    _aws_args(remove)
    remove.add_argument(
        "--out", "-o", default="cdk.out", help="where the cloud assembly goes (default: cdk.out)"
    )
    invoke = add_command(sub, "invoke", "invoke a deployed function (like `sls invoke -f NAME`)")
    _aws_args(invoke)
    invoke.add_argument("--function", "-f", required=True, help="the function's key")
    invoke.add_argument("--data", "-d", help="the event: JSON, else sent as a JSON string")
    invoke.add_argument("--path", "-p", dest="data_path", help="a file holding the event")
    invoke.add_argument(
        "--type", "-t", default="RequestResponse", choices=("RequestResponse", "Event", "DryRun")
    )
    invoke.add_argument("--log", "-l", action="store_true", help="print the end of the function's log")
    logs = add_command(sub, "logs", "a function's log events (like `sls logs -f NAME`)")
    _aws_args(logs)
    logs.add_argument("--function", "-f", required=True, help="the function's key")
    logs.add_argument("--startTime", dest="start_time", help="epoch milliseconds or e.g. 30m, 2h, 1d ago")
    logs.add_argument("--filter", help="a CloudWatch Logs filter pattern")
    logs.add_argument("--tail", "-t", action="store_true", help="keep printing new events until Ctrl-C")
    logs.add_argument(
        "--interval", "-i", type=int, default=1000, help="with --tail: milliseconds between reads"
    )


def _aws_args(parser: argparse.ArgumentParser) -> None:
    add_project_args(parser)
    parser.add_argument("--profile", help="the AWS profile (default: provider.profile, else AWS_PROFILE)")
    parser.add_argument("--endpoint-url", help="one endpoint for every AWS call (a local emulator)")
    parser.add_argument("--service", help=argparse.SUPPRESS)  # `sls-cdk SERVICE deploy`


def deploy_env(svc: LoadedService | None, args: argparse.Namespace) -> dict[str, str]:
    """The environment the CDK CLI and boto3 run in: the profile and the endpoint."""
    env = dict(os.environ)
    # v3's order: --profile, else what the environment names (keys or a profile), else
    # provider.profile
    profile = getattr(args, "profile", None)
    named = any(env.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"))
    if not profile and not named and svc is not None:
        profile = svc.model.provider.profile
    if profile:
        env["AWS_PROFILE"] = profile
    if getattr(args, "endpoint_url", None):
        env["AWS_ENDPOINT_URL"] = args.endpoint_url
    env.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    return env


def cdk_cli(project: Project) -> Path:
    """The project's pinned CDK CLI."""
    starts = [project.root.resolve(), Path.cwd().resolve(), Path(__file__).resolve().parents[2]]
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / "node_modules" / ".bin" / "cdk"
            if candidate.is_file():
                return candidate
    from constructs_lib.cli.init import CDK_CLI_VERSION

    raise SlsCdkError(
        "the CDK CLI is not installed for this project (no node_modules/.bin/cdk above it)",
        hint=f"npm install --save-dev aws-cdk@{CDK_CLI_VERSION} (sls-cdk init writes the package.json)",
    )


def _flags(svc: LoadedService) -> list[str]:
    """``cdk deploy`` arguments for v3's deploy-time settings."""
    out = [part for flag in svc.deploy_flags for part in shlex.split(flag)]
    provider = svc.model.provider
    for arn in provider.notification_arns or ():
        out += ["--notification-arns", str(arn)]
    return out  # stackTags are the assembly's stack tags already (with STAGE): no --tags


def _select(project: Project, args: argparse.Namespace) -> list[LoadedService]:
    wanted = getattr(args, "service", None)
    if wanted is None:
        return list(project.services)
    names = [svc.compose_name or svc.name for svc in project.services]
    if wanted not in names:
        guess = did_you_mean(wanted, names)
        raise SlsCdkError(
            f"no service {wanted!r} in this compose project",
            hint=f"did you mean {guess!r}?" if guess else f"services: {', '.join(names)}",
        )
    return [project.services[names.index(wanted)]]


def _run(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Run the CDK CLI with its output streaming to the user (``NO_COLOR``: its ``--no-color``)."""
    colourless = ["--no-color"] if output.no_colour_asked() else []
    return subprocess.run([*argv, *colourless], env=dict(env), check=False).returncode


def _for_this_process(args: argparse.Namespace) -> None:
    """``--profile`` and ``--endpoint-url`` for this process's own AWS calls too (the synth reads
    the deployed stack's layers), not only for the CDK CLI's."""
    if getattr(args, "profile", None):
        os.environ["AWS_PROFILE"] = args.profile
    if getattr(args, "endpoint_url", None):
        os.environ["AWS_ENDPOINT_URL"] = args.endpoint_url


def cmd_deploy(args: argparse.Namespace) -> int:
    _for_this_process(args)
    if args.only_function:
        from constructs_lib.cli.lambda_calls import deploy_function

        project = load(args)
        report(project)
        return deploy_function(project, args, _select(project, args))
    from constructs_lib.cli.synthesis import synthesize

    project, jobs = load_to_synth(args)
    report(project)
    cdk = cdk_cli(project)
    synthesize(project, Path(args.out), jobs=jobs)
    for svc in _select(project, args):
        output.note(f"deploying {svc.stack_name} ({svc.region})")
        argv = [str(cdk), "deploy", "--app", args.out, svc.stack_name, "--exclusively"]
        code = _run([*argv, "--require-approval", "never", *_flags(svc)], deploy_env(svc, args))
        if code:
            return code
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    _for_this_process(args)
    from constructs_lib.cli.synthesis import synthesize

    project, jobs = load_to_synth(args)
    cdk = cdk_cli(project)
    with tempfile.TemporaryDirectory(prefix="sls-cdk-remove-") as tmp:
        out = Path(tmp) / "out"
        synthesize(project, out, jobs=jobs)
        for svc in reversed(_select(project, args)):  # dependents first
            output.note(f"removing {svc.stack_name} ({svc.region})")
            argv = [str(cdk), "destroy", "--app", str(out), svc.stack_name, "--exclusively", "--force"]
            code = _run(argv, deploy_env(svc, args))
            if code:
                return code
    return 0


def cmd_invoke(args: argparse.Namespace) -> int:
    from constructs_lib.cli.lambda_calls import invoke

    project = load(args)
    return invoke(project, args, _select(project, args))


def cmd_logs(args: argparse.Namespace) -> int:
    from constructs_lib.cli.lambda_calls import print_logs

    project = load(args)
    return print_logs(project, args, _select(project, args))
