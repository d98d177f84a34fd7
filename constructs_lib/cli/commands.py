"""``python -m constructs_lib`` / ``sls-cdk``: what the CDK CLI does not do.

* ``synth PATH [--stage S] [--region R] [--out DIR]``: writes ``DIR/<stackName>.template.json``
  per service (and the rest of the cloud assembly) atomically: nothing is written on failure.
* ``check PATH``: validate only; print every problem with ``file:line:col``.
* ``print PATH [--format yaml|json]``: the resolved configuration, like ``sls print``.
* ``summary DIR``: each stack of a synthesized cloud assembly with its resource count.
* ``run NAME PATH``: a ``custom.scripts.commands`` entry, in its service's folder.
* ``policy PATH [--account ID]``: the least-privilege deployer policy and the Lambda trust policy.
* ``info PATH``: like ``sls info``: each deployed stack's status, endpoints, functions, outputs.
* ``diff PATH --against TEMPLATE``: what deploying over that template would replace, remove,
  update or add; exit 2 when a stateful resource would be replaced or removed.
* ``synth --build``: run the build hooks (``custom.scripts.hooks``) first.

User errors print as ``file:line:col: key.path: message`` and exit 1; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from constructs_lib.errors import SlsCdkError

if TYPE_CHECKING:
    from constructs_lib.loader.service import Project

__all__ = ["main"]


def _parse_kv(values: Sequence[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SlsCdkError(f"{flag} expects key=value, not {item!r}")
        out[key] = value
    return out


def _add_project_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path", nargs="?", default=".", help="serverless.yml, its folder, or serverless-compose.yml"
    )
    p.add_argument("--stage", "-s", help="stage (default: provider.stage, else dev)")
    p.add_argument("--region", "-r", help="region (default: provider.region, else us-east-1)")
    p.add_argument("--opt", action="append", metavar="KEY=VALUE", help="an option for ${opt:KEY}")
    p.add_argument("--param", action="append", metavar="KEY=VALUE", help="a parameter for ${param:KEY}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sls-cdk", description="Serverless Framework v3 projects through AWS CDK."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    synth = sub.add_parser("synth", help="synthesize CloudFormation templates")
    _add_project_args(synth)
    synth.add_argument("--out", "-o", default="cdk.out", help="output folder (default: cdk.out)")
    synth.add_argument(
        "--validate", action="store_true", help="run aws-cdk-lib's built-in template validation"
    )
    synth.add_argument(
        "--build", action="store_true", help="run the build hooks (custom.scripts.hooks) first"
    )
    synth.add_argument("--nag", action="store_true", help="run cdk-nag (AwsSolutions, Serverless packs)")
    synth.add_argument(
        "--jobs", "-j", type=int, help="processes to synthesize with (default: one per CPU for 8+ services)"
    )

    diff = sub.add_parser(
        "diff", help="what deploying over an existing template (e.g. Serverless v3's) would replace or delete"
    )
    _add_project_args(diff)
    diff.add_argument("--against", required=True, help="the template deployed today (JSON)")
    diff.add_argument("--stack", help="which stack of the project (default: the only one)")

    policy = sub.add_parser("policy", help="the least-privilege IAM policy a deployer needs for these stacks")
    _add_project_args(policy)
    policy.add_argument("--account", default="ACCOUNT_ID", help="the AWS account id to put in ARNs")

    info = sub.add_parser("info", help="like `sls info`: deployed stacks, endpoints, functions, outputs")
    _add_project_args(info)

    run = sub.add_parser("run", help="run a custom.scripts.commands entry (like `sls <command>`)")
    run.add_argument("name", help="the command's name")
    _add_project_args(run)

    check = sub.add_parser("check", help="validate the configuration and print every problem")
    _add_project_args(check)

    show = sub.add_parser("print", help="print the resolved configuration")
    _add_project_args(show)
    show.add_argument("--format", choices=("yaml", "json"), default="yaml")

    summary = sub.add_parser("summary", help="list the stacks of a cloud assembly with their resource counts")
    summary.add_argument("dir", nargs="?", default="cdk.out")
    return parser


def _load(args: argparse.Namespace) -> Project:
    from constructs_lib.loader.project import load_project

    return load_project(
        Path(args.path),
        stage=args.stage,
        region=args.region,
        options=_parse_kv(args.opt, "--opt"),
        params=_parse_kv(args.param, "--param"),
        build=getattr(args, "build", False),
    )


def _load_to_synth(
    args: argparse.Namespace, *, jobs: int | None = None, nag: bool = False
) -> tuple[Project, int]:
    """:func:`_load` for a command that synthesizes next: aws-cdk-lib starts meanwhile, and the
    number of processes to synthesize with is decided (see :func:`.synthesis.prepare`)."""
    from constructs_lib.cli.synthesis import prepare

    with prepare(Path(args.path), jobs, nag=nag) as planned:
        project = _load(args)
    return project, planned


def report(project: Project) -> None:
    """Each service's plugin notices and configuration warnings, on stderr (also for app.py)."""
    for svc in project.services:
        for notice in svc.notices:
            print(f"notice: {svc.label}: {notice.message}", file=sys.stderr)
        for warning in svc.warnings:
            print(f"warning: {warning.format()}", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    project = _load(args)
    report(project)
    for svc in project.services:
        print(f"ok: {svc.label}: stack {svc.stack_name} ({len(svc.model.functions)} functions)")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    """One document: the service's configuration, or for compose ``{service: configuration}``."""
    project = _load(args)
    if project.compose is None:
        doc: Any = project.services[0].data
    else:
        doc = {svc.compose_name: svc.data for svc in project.services}
    if args.format == "json":
        print(json.dumps(doc, indent=2))
    else:
        import yaml

        print(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), end="")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from constructs_lib.cli.synthesis import synthesize

    project, jobs = _load_to_synth(args, jobs=args.jobs, nag=args.nag)
    report(project)
    written = synthesize(project, Path(args.out), validate=args.validate, nag=args.nag, jobs=jobs)
    for svc, path in zip(project.services, written, strict=True):
        flags = svc.deploy_flags
        hint = f"  (deploy with: cdk deploy {svc.stack_name} {' '.join(flags)})" if flags else ""
        print(f"{svc.stack_name}: {_count(path)} resources -> {os.path.relpath(path)}{hint}")
    return 0


def _count(template: Path) -> int:
    return len(json.loads(template.read_text()).get("Resources", {}))


def cmd_summary(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        raise SlsCdkError(f"{folder} is not a cloud assembly (no manifest.json); run cdk synth first")
    artifacts = json.loads(manifest.read_text())["artifacts"]
    for name, art in artifacts.items():
        if art.get("type") != "aws:cloudformation:stack":
            continue
        template = folder / art["properties"]["templateFile"]
        deps = [d for d in art.get("dependencies", []) if not d.endswith(".assets")]
        after = f"  (after {', '.join(deps)})" if deps else ""
        print(f"{name}: {_count(template)} resources -> {os.path.relpath(template)}{after}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Exit 2 when a stateful resource would be replaced or removed (data loss), else 0."""
    from constructs_lib.checks.migration import compare, format_report
    from constructs_lib.cli.synthesis import synthesize

    against = Path(args.against)
    try:
        old = json.loads(against.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SlsCdkError(f"{against}: cannot read the template ({exc})") from None
    project, jobs = _load_to_synth(args)
    names = [svc.stack_name for svc in project.services]
    name = args.stack or (names[0] if len(names) == 1 else None)
    if name not in names:
        raise SlsCdkError(f"choose a stack with --stack: {', '.join(names)}")
    with tempfile.TemporaryDirectory(prefix="sls-cdk-diff-") as tmp:
        written = synthesize(project, Path(tmp) / "out", jobs=jobs)
        new = json.loads(next(p for p in written if p.name == f"{name}.template.json").read_text())
    changes = compare(old, new, region=next(s.region for s in project.services if s.stack_name == name))
    print(f"{name} over {against}:")
    print(format_report(changes))
    risky = [c for c in changes if c.risky]
    if risky:
        print(f"\n{len(risky)} stateful resource(s) would be replaced or removed", file=sys.stderr)
        return 2
    return 0


def cmd_policy(args: argparse.Namespace) -> int:
    """Print ``{"DeployerPolicy", "LambdaTrustPolicy", "Notes"}`` as JSON."""
    from constructs_lib import naming
    from constructs_lib.checks.policy import LAMBDA_TRUST_POLICY, DeployTarget, deployer_policy
    from constructs_lib.cli.synthesis import synthesize

    project, jobs = _load_to_synth(args)
    targets = []
    with tempfile.TemporaryDirectory(prefix="sls-cdk-policy-") as tmp:
        written = synthesize(project, Path(tmp) / "out", jobs=jobs)
        templates = {p.name.removesuffix(".template.json"): json.loads(p.read_text()) for p in written}
    notes: list[str] = []
    for svc in project.services:
        template = templates[svc.stack_name]
        resources = template.get("Resources", {})
        provider = svc.model.provider
        bucket = provider.deployment_bucket.name if provider.deployment_bucket else None
        by_type: dict[str, list[dict[str, Any]]] = {}
        for res in resources.values():
            by_type.setdefault(res.get("Type", ""), []).append(res.get("Properties", {}))
        named = [p.get("FunctionName") for p in by_type.get("AWS::Lambda::Function", [])]
        target = DeployTarget(
            stack=svc.stack_name,
            region=svc.region,
            # every function of the template (custom-resource Lambdas too), by its literal name
            functions=list(
                dict.fromkeys(
                    [fn.name for fn in svc.functions.values()] + [n for n in named if isinstance(n, str)]
                )
            ),
            log_groups=[
                p["LogGroupName"]
                for p in by_type.get("AWS::Logs::LogGroup", [])
                if isinstance(p.get("LogGroupName"), str) and not p["LogGroupName"].startswith("/aws/lambda/")
            ],
            bucket=bucket,
            prefix=naming.artifact_prefix(
                svc.name, svc.stage, provider.deployment_prefix or "serverless"
            ).rstrip("/"),
            resource_types={r.get("Type", "") for r in resources.values()},
        )
        for res in resources.values():
            role = (
                res.get("Properties", {}).get("Role") if res.get("Type") == "AWS::Lambda::Function" else None
            )
            if isinstance(role, str):
                target.roles_passed.append(role)
            if res.get("Type") == "AWS::IAM::Role":
                name = res["Properties"].get("RoleName")
                if name is None:  # CloudFormation names it <stack>-<logical id>-<random>
                    name = f"{svc.stack_name}-*"
                elif not isinstance(name, str):  # v3's Fn::Join of service, stage, region
                    name = f"{svc.name}-{svc.stage}-{svc.region}-lambdaRole"
                arn = f"arn:aws:iam::{args.account}:role{res['Properties'].get('Path', '/')}{name}"
                target.roles_created.append(arn)
                target.roles_passed.append(arn)
        if not bucket:
            cdk_roles = f"arn:aws:iam::{args.account}:role/cdk-hnb659fds-*-{args.account}-{svc.region}"
            notes.append(
                f"{svc.stack_name}: no named deployment bucket, so assets go through the CDK bootstrap "
                f"roles (sts:AssumeRole on {cdk_roles})"
            )
        targets.append(target)
    policy, more = deployer_policy(targets, args.account)
    print(
        json.dumps(
            {"DeployerPolicy": policy, "LambdaTrustPolicy": LAMBDA_TRUST_POLICY, "Notes": notes + more},
            indent=2,
        )
    )
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    """Read each service's deployed stack with boto3 (standard credentials; AWS_ENDPOINT_URL honoured)."""
    project = _load(args)
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
    except ImportError as exc:  # pragma: no cover - boto3 is a dependency
        raise SlsCdkError(f"boto3 is needed for info: {exc}") from None
    for svc in project.services:
        cf = boto3.client("cloudformation", region_name=svc.region)
        try:
            stack = cf.describe_stacks(StackName=svc.stack_name)["Stacks"][0]
        except NoCredentialsError:
            raise SlsCdkError(
                "no AWS credentials found", hint="set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
            ) from None
        except ClientError as exc:
            if "does not exist" in str(exc):
                raise SlsCdkError(
                    f"stack {svc.stack_name} is not deployed in {svc.region}",
                    hint=f"npx cdk deploy {svc.stack_name}",
                ) from None
            raise SlsCdkError(f"{svc.stack_name}: {exc}") from None
        except BotoCoreError as exc:
            raise SlsCdkError(f"{svc.stack_name}: {exc}") from None
        outputs = {o["OutputKey"]: o.get("OutputValue", "") for o in stack.get("Outputs", [])}
        print(f"service: {svc.name}\nstage: {svc.stage}\nregion: {svc.region}")
        print(f"stack: {svc.stack_name} ({stack['StackStatus']})")
        endpoints = {
            k: v
            for k, v in outputs.items()
            if k in ("HttpApiUrl", "ServiceEndpoint") or k.endswith("LambdaFunctionUrl")
        }
        if endpoints:
            print("endpoints:")
            for key, value in endpoints.items():
                print(f"  {key}: {value}")
        print("functions:")
        for key in svc.model.functions:
            print(f"  {key}: {svc.functions[key].name}")
        others = {k: v for k, v in outputs.items() if k not in endpoints}
        if others:
            print("outputs:")
            for key, value in others.items():
                print(f"  {key}: {value}")
        print()
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from constructs_lib.loader.build import run_command

    project = _load(args)
    ran = False
    for svc in project.services:
        command = svc.model.scripts.commands.get(args.name)
        if command is not None:
            run_command(command, cwd=svc.dir, label=f"{svc.name}: command {args.name!r}")
            ran = True
    if not ran:
        known = sorted({name for svc in project.services for name in svc.model.scripts.commands})
        raise SlsCdkError(
            f"no custom.scripts.commands entry named {args.name!r}",
            hint=f"known: {', '.join(known)}" if known else "this project defines no commands",
        )
    return 0


_COMMANDS = {
    "synth": cmd_synth,
    "check": cmd_check,
    "print": cmd_print,
    "summary": cmd_summary,
    "run": cmd_run,
    "diff": cmd_diff,
    "info": cmd_info,
    "policy": cmd_policy,
}


def run() -> None:
    """The ``sls-cdk`` command: :func:`main`, then a fast exit (see :func:`.jsii_speed.exit_fast`)."""
    from constructs_lib.cli.jsii_speed import exit_fast, short_lived

    short_lived()
    try:
        code = main()
    except BrokenPipeError:  # `sls-cdk synth | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    exit_fast(code)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except SlsCdkError as exc:
        print(f"error: {exc.format()}" if not hasattr(exc, "errors") else exc.format(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
