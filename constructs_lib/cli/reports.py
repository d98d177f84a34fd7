"""Commands that report on a project without deploying it: ``diff``, ``takeover``, ``policy``, ``info``."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from constructs_lib.cli import output
from constructs_lib.cli.loading import load, load_to_synth
from constructs_lib.errors import SlsCdkError

__all__ = ["cmd_diff", "cmd_info", "cmd_policy", "cmd_takeover"]


def cmd_diff(args: argparse.Namespace) -> int:
    """Exit 2 when a stateful resource would be replaced or removed (data loss), else 0."""
    from constructs_lib.checks.migration import compare, format_report
    from constructs_lib.cli.synthesis import synthesize

    against = Path(args.against)
    try:
        old = json.loads(against.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SlsCdkError(f"{against}: cannot read the template ({exc})") from None
    project, jobs = load_to_synth(args)
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
        output.error(f"{len(risky)} stateful resource(s) would be replaced or removed")
        return 2
    return 0


def _deployed_template(cf: Any, stack: str, region: str) -> dict[str, Any] | None:
    """The template the stack runs (None when it is not deployed)."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    try:
        body = cf.get_template(StackName=stack, TemplateStage="Original")["TemplateBody"]
    except NoCredentialsError:
        raise SlsCdkError(
            "no AWS credentials found", hint="set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        ) from None
    except ClientError as exc:
        if "does not exist" in str(exc):
            return None
        raise SlsCdkError(f"{stack} in {region}: {exc}") from None
    except BotoCoreError as exc:
        raise SlsCdkError(f"{stack} in {region}: {exc}") from None
    return body if isinstance(body, dict) else json.loads(body)


def cmd_takeover(args: argparse.Namespace) -> int:
    """What deploying each service over its deployed stack (v3's) would do, read live with boto3;
    exit 2 when a stateful resource would be replaced or removed."""
    import boto3

    from constructs_lib.checks.migration import compare, format_report
    from constructs_lib.cli.synthesis import synthesize

    project, jobs = load_to_synth(args)  # synth looks layers up: an unchanged layer keeps its key
    with tempfile.TemporaryDirectory(prefix="sls-cdk-takeover-") as tmp:
        written = {
            p.name.removesuffix(".template.json"): p
            for p in synthesize(project, Path(tmp) / "out", jobs=jobs)
        }
        ours = {name: json.loads(path.read_text()) for name, path in written.items()}
    risky = 0
    for svc in project.services:
        cf = boto3.client("cloudformation", region_name=svc.region)
        deployed = _deployed_template(cf, svc.stack_name, svc.region)
        if deployed is None:
            print(f"{svc.stack_name} ({svc.region}): not deployed; a deploy creates it\n")
            continue
        changes = compare(deployed, ours[svc.stack_name], region=svc.region)
        print(f"{svc.stack_name} ({svc.region}) over the deployed stack:\n{format_report(changes)}\n")
        risky += sum(c.risky for c in changes)
    if risky:
        output.error(f"{risky} stateful resource(s) would be replaced or removed")
        return 2
    return 0


def _role_arns(value: Any) -> list[str]:
    """Literal role ARNs a resource names anywhere (a function's ``Role``, a schedule's or state
    machine's ``RoleArn``, a target's): what CloudFormation passes (``iam:PassRole``)."""
    if isinstance(value, dict):
        return [arn for v in value.values() for arn in _role_arns(v)]
    if isinstance(value, list):
        return [arn for v in value for arn in _role_arns(v)]
    if isinstance(value, str) and value.startswith("arn:") and ":iam::" in value and ":role/" in value:
        return [value]
    return []


def cmd_policy(args: argparse.Namespace) -> int:
    """Print ``{"DeployerPolicy", "LambdaTrustPolicy", "Notes"}`` as JSON."""
    from constructs_lib import naming
    from constructs_lib.checks.policy import LAMBDA_TRUST_POLICY, DeployTarget, deployer_policy
    from constructs_lib.cli.synthesis import synthesize

    project, jobs = load_to_synth(args)
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
            prefix=naming.artifact_prefix(svc.name, svc.stage, provider.deployment_prefix).rstrip("/"),
            resource_types={r.get("Type", "") for r in resources.values()},
        )
        for res in resources.values():
            target.roles_passed.extend(_role_arns(res.get("Properties", {})))
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
    project = load(args)
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
