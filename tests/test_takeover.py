"""Takeover, end to end (issue 22): Serverless v3's own template for a reference case is deployed to
the emulator as ``sls deploy`` leaves it (its bucket first, v3's artifacts at v3's keys, then the
whole template); then our stack is synthesized against that deployed stack and deployed over it
with the real CDK CLI. Nothing may be replaced or deleted: by CloudFormation's create-only rules
(:func:`constructs_lib.checks.migration.compare`) and by physical IDs after the deploy; every
function keeps its ARN, and layers keep their version ARN (v3's ``compareWithLastLayer``).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from constructs_lib.checks.migration import compare
from constructs_lib.loader.project import load_project
from tests.emulator import ACCOUNT
from tests.emulator.fixtures import TRUST, bootstrapped, emulator, emulator_server
from tests.emulator.prepared import TAG
from tests.helpers import REFERENCE, ROOT, V3_TEMPLATE

__all__ = ["bootstrapped", "emulator", "emulator_server"]  # the fixtures this module uses

CDK = ROOT / "node_modules" / ".bin" / "cdk"
_BUCKET_ONLY = ("ServerlessDeploymentBucket", "ServerlessDeploymentBucketPolicy")


def _client(env: dict[str, str], name: str, region: str = "us-east-1") -> Any:
    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name=region or "us-east-1"
    )
    return session.client(name, endpoint_url=env["AWS_ENDPOINT_URL"])


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(args[:4])}: {result.stderr[-3000:]}"
    return result.stderr


def _zip_folder(folder: Path, target: Path) -> None:
    """A zip of ``folder`` made another way than ours (other order, other times), as v3's is."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(2024, 5, 6, 7, 8, 10))
                info.external_attr = (path.stat().st_mode & 0o777 | 0o100000) << 16
                zf.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)


def _v3_artifact(folder: Path, key: str, work: Path) -> bytes:
    """The file v3 uploaded at ``key``: the case's artifact of that name, or a folder it zipped.
    v3's ``custom-resources.zip`` (its handlers) is not kept in the cases: a stand-in of that name
    goes in its place, and the emulator never runs it (tests/emulator/custom.py answers for it)."""
    name = key.rsplit("/", 1)[-1]
    found = sorted(p for p in folder.rglob(name) if p.is_file())
    if found:
        return found[0].read_bytes()
    if name == "custom-resources.zip":
        with zipfile.ZipFile(work / name, "w") as zf:
            zf.writestr("README", "stand-in for v3's custom-resources.zip (never run by the emulator)")
        return (work / name).read_bytes()
    import yaml

    layers = yaml.safe_load((folder / "serverless.yml").read_text()).get("layers") or {}
    layer = layers.get(name.removesuffix(".zip")) or {}
    assert layer.get("path"), f"no artifact for {key}"
    _zip_folder(folder / layer["path"], work / name)
    return (work / name).read_bytes()


#: what a case's stack uses outside itself, made first as the user would have it:
#: kind -> names (a function or layer takes the case's boot.zip, a function the role ``serverless``)
PREPARED: dict[str, dict[str, list[str]]] = {
    "13-layers": {"layers": ["external:3"]},
    "09-sns-sqs-s3": {"buckets": ["existing-bucket"], "topics": ["existing-topic"], "queues": ["my-queue"]},
    "f7-events-queues-topics-streams": {
        "queues": ["jobs", "dlq", "failed"],
        "topics": ["existing", "redriven", "oops", "eu-west-1/faraway"],
        "streams": ["clicks", "views", "plain"],
        "roles": ["custom"],
        "exports": ["shared-queue-arn"],
    },
    "f2-iam-legacy": {"exports": ["shared-role-arn"]},
    "f11-rest-api": {"functions": ["ext-dev-authorizer"]},
    "f12-http-api-authorizers": {"functions": ["ext"]},
    "f13-websocket-alb": {"functions": ["ext-authorizer"], "listeners": ["my-lb"]},
    "f15-existing-buckets-pools-api-logs": {
        "buckets": ["existing-bucket", "other-existing"],
        "pools": ["existing-pool"],
    },
}


def _prepare(case: str, folder: Path, env: dict[str, str]) -> None:
    """The resources outside the stack that ``case`` names (:data:`PREPARED`), made in the emulator
    under the names and ids the case gives them."""
    wanted = PREPARED.get(case, {})
    s3, sqs, lam = _client(env, "s3"), _client(env, "sqs"), _client(env, "lambda")
    for bucket in wanted.get("buckets", []):
        s3.create_bucket(Bucket=bucket)
    for queue in wanted.get("queues", []):
        sqs.create_queue(QueueName=queue)
    for topic in wanted.get("topics", []):
        region, _, name = topic.rpartition("/")
        _client(env, "sns", region).create_topic(Name=name)
    for stream in wanted.get("streams", []):
        _client(env, "kinesis").create_stream(StreamName=stream, ShardCount=1)
    for role in wanted.get("roles", []):
        _client(env, "iam").create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
    for pool in wanted.get("pools", []):
        _client(env, "cognito-idp").create_user_pool(PoolName=pool)
    for function in wanted.get("functions", []):
        lam.create_function(
            FunctionName=function,
            Runtime="provided.al2023",
            Role=f"arn:aws:iam::{ACCOUNT}:role/serverless",
            Handler="bootstrap",
            Code={"ZipFile": (folder / "boot.zip").read_bytes()},
        )
    for layer in wanted.get("layers", []):  # published until it has the version named
        name, _, version = layer.partition(":")
        for _ in range(int(version)):
            lam.publish_layer_version(LayerName=name, Content={"ZipFile": (folder / "boot.zip").read_bytes()})
    for export in wanted.get("exports", []):  # another stack's output, as Fn::ImportValue reads it
        kind = "role" if export.endswith("role-arn") else "queue"
        resource = {
            "role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": TRUST}},
            "queue": {"Type": "AWS::SQS::Queue"},
        }[kind]
        template = {
            "Resources": {"It": resource},
            "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["It", "Arn"]}, "Export": {"Name": export}}},
        }
        _client(env, "cloudformation").create_stack(
            StackName=f"{export}-stack", TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM"]
        )
    for balancer in wanted.get("listeners", []):  # an ALB's HTTP listener, with the case's ids
        template = (folder / V3_TEMPLATE).read_text()
        arn = re.search(rf"arn:aws:elasticloadbalancing:[^\"]*:listener/app/{balancer}/\w+/\w+", template)
        assert arn, balancer
        balancer_id, listener_id = arn.group(0).split("/")[-2:]
        ec2, elb = _client(env, "ec2"), _client(env, "elbv2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{z}")
            for i, z in ((1, "a"), (2, "b"))
        ]
        lb = elb.create_load_balancer(
            Name=balancer,
            Subnets=[s["Subnet"]["SubnetId"] for s in subnets],
            Tags=[{"Key": TAG, "Value": balancer_id}],
        )
        listener = elb.create_listener(
            LoadBalancerArn=lb["LoadBalancers"][0]["LoadBalancerArn"],
            Protocol="HTTP",
            Port=80,
            DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
            Tags=[{"Key": TAG, "Value": listener_id}],
        )
        assert listener["Listeners"][0]["ListenerArn"] == arn.group(0).replace(":123456:", f":{ACCOUNT}:")


@dataclass
class Deployed:
    """One of the project's stacks as v3 deployed it."""

    stack: str
    region: str
    theirs: dict[str, Any]


def _deploy_v3_stack(service: Any, folder: Path, work: Path, env: dict[str, str]) -> Deployed:
    """``sls deploy`` of one service: its bucket first, v3's artifacts at v3's keys, the template."""
    theirs = json.loads((service.dir / V3_TEMPLATE).read_text())
    stack, region = service.stack_name, service.region
    cf, s3 = _client(env, "cloudformation", region), _client(env, "s3", region)
    caps = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]
    bucket_template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {k: v for k, v in theirs["Resources"].items() if k in _BUCKET_ONLY},
    }
    if bucket_template["Resources"]:  # v3's create-stack template: the bucket, then the uploads
        cf.create_stack(StackName=stack, TemplateBody=json.dumps(bucket_template), Capabilities=caps)
    codes = [
        props.get("Code") or props.get("Content")
        for r in theirs["Resources"].values()
        if (props := r.get("Properties", {}))
        and r["Type"] in ("AWS::Lambda::Function", "AWS::Lambda::LayerVersion")
    ]
    for code in codes:
        if not code or "S3Key" not in code:
            continue
        bucket = code["S3Bucket"]
        if isinstance(bucket, dict):
            bucket = cf.describe_stack_resource(StackName=stack, LogicalResourceId=bucket["Ref"])[
                "StackResourceDetail"
            ]["PhysicalResourceId"]
        elif bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
            s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key=code["S3Key"], Body=_v3_artifact(service.dir, code["S3Key"], work))
    body = json.dumps(theirs)
    if bucket_template["Resources"]:
        cf.update_stack(StackName=stack, TemplateBody=body, Capabilities=caps)
    else:
        cf.create_stack(StackName=stack, TemplateBody=body, Capabilities=caps)
    assert cf.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"].endswith("_COMPLETE")
    return Deployed(stack, region, theirs)


@contextlib.contextmanager
def _v3_project_deployed(case: str, tmp: Path, env: dict[str, str]) -> Iterator[tuple[Path, list[Deployed]]]:
    """The case deployed as v3 deploys it (a compose project: each service in compose's order);
    yields (case folder, its stacks)."""
    folder = tmp / case
    shutil.copytree(REFERENCE / case, folder)
    for file in [*folder.rglob("serverless.yml"), *folder.rglob(V3_TEMPLATE)]:
        file.write_text(file.read_text().replace(":123456:", f":{ACCOUNT}:"))
    _prepare(case, folder, env)
    services, deployed = load_project(folder).services, []
    try:
        for service in services:
            deployed.append(_deploy_v3_stack(service, folder, tmp, env))
        yield folder, deployed
    finally:  # every stack begun, even one whose create failed
        for service in reversed(services):
            cf = _client(env, "cloudformation", service.region)
            with contextlib.suppress(cf.exceptions.ClientError):
                cf.delete_stack(StackName=service.stack_name)
            names = [s["StackName"] for s in cf.describe_stacks()["Stacks"]]
            assert service.stack_name not in names, f"{service.stack_name} was not deleted"


@contextlib.contextmanager
def _v3_deployed(case: str, tmp: Path, env: dict[str, str]) -> Iterator[tuple[Path, dict[str, Any], str]]:
    """A one-service case deployed as v3 deploys it; yields (case folder, v3's template, stack)."""
    with _v3_project_deployed(case, tmp, env) as (folder, (one,)):
        yield folder, one.theirs, one.stack


def _state(env: dict[str, str], stack: str, region: str = "us-east-1") -> dict[str, str]:
    cf = _client(env, "cloudformation", region)
    summaries = cf.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}


@pytest.fixture(scope="module")
def online(bootstrapped: dict[str, str]) -> dict[str, str]:
    """Our synth and the CDK CLI against the emulator, lookups on, bootstrapped."""
    return bootstrapped


#: (case, layer logical IDs whose version must be kept)
CASES = [
    ("13-layers", ["CommonDashlibsLambdaLayer"]),  # a layer, named bucket
    ("f70-layer-path-no-bucket", ["ToolsLambdaLayer"]),  # a folder layer, no named bucket
    *(
        (case, [])
        for case in (
            "00-example-test",  # httpApi, function URL, named bucket, external role
            "01a-iam-statements",  # the generated role with statements
            "02a-httpapi-cors-object",
            "03-httpapi-routes",
            "04-url-variants",
            "05-log-retention",
            "06a-no-deployment-bucket",  # v3's ServerlessDeploymentBucket, our code in CDK's bucket
            "06b-deployment-bucket-object",
            "07-env-sizing",
            "08-schedule",  # EventBridge rules
            "09-sns-sqs-s3",  # sns, sqs, s3 (new and existing bucket: v3's custom resource)
            "10-artifact-levels",
            "11-version-functions-false",
            "12-tags",
            "14-resources-outputs",  # resources: a table, a queue, outputs
            "15-stackname-apiname",
            "f6-image-functions",  # container image functions
            "f2-iam-legacy",  # roles from resources, GetAtt, an imported role ARN
            "f7-events-queues-topics-streams",  # schedule (rules, scheduler), sns, sqs, streams
            "f9-events-devices-brokers-pools",  # alexa, iot, fleet provisioning, msk, kafka, mq, pools
            "f11-rest-api",  # REST API: methods, CORS preflight (MOCK), authorizers, validator
            "f12-http-api-authorizers",  # HTTP API: JWT, Lambda and external authorizers
            "f13-websocket-alb",  # WebSocket API, ALB target groups and listener rules
            "f14-rest-api-extras",  # REST API: API keys, usage plans, models
            "f15-existing-buckets-pools-api-logs",  # v3's custom resources: bucket, pool, API logs role
            "f17-rest-stage-settings",
            "f19-override-events-resources",
            "f22-cloudfront",  # Lambda@Edge on a CloudFront distribution
            "f36-coerce-events",
            "f42-bare-string-events",  # eventBridge
            "f58-step-functions-standard",  # serverless-step-functions: state machines and their events
            "f60-step-functions-httpapi",
            "f61-step-functions-http",
            "00-compose",  # compose: two services, stacks deployed in compose's order
            "16-compose-params",  # compose: params from another service's outputs, another region
            "f25-compose-shared-config",  # compose: two services reading one shared file
        )
    ),
]
#: not taken over, and why (v3's own template cannot be deployed at stage dev):
#: f1-function-options: ``FullLambdaFunction`` has ``Condition: IsProd`` (false at dev) but v3's
#: version, alias, event invoke config and output refer to it unconditionally; CloudFormation
#: refuses the template ("Unresolved resource dependencies"; moto resolves the Ref to nothing).
#: f8-events-buckets-buses-logs: rule 3 puts ``ScheduleExpression`` on a custom bus; EventBridge
#: answers "ScheduleExpression is supported only on the default event bus" (moto as AWS).


#: the function properties read back after the deploy: what our template says they are
_CONFIGURATION = ("Handler", "Runtime", "MemorySize", "Timeout")
#: the (stack, function logical ID, variable) a compose case reads from another stack's output
_CROSS_STACK = {"16-compose-params": ("auth-dev", "EnvLambdaFunction", "TEST_URL", "test-dev", "HttpApiUrl")}


def _take_over(case: str, layers: list[str], tmp: Path, env: dict[str, str]) -> None:
    """v3's stacks of ``case`` deployed, ours synthesized against them and deployed over them:
    nothing replaced or deleted, every function with its ARN and our configuration."""
    with _v3_project_deployed(case, tmp, env) as (folder, deployed):
        before = {d.stack: _state(env, d.stack, d.region) for d in deployed}
        functions = {
            (d.stack, lid): _client(env, "lambda", d.region).get_function_configuration(
                FunctionName=before[d.stack][lid]
            )["FunctionArn"]
            for d in deployed
            for lid, r in d.theirs["Resources"].items()
            if r["Type"] == "AWS::Lambda::Function"
        }
        out = tmp / "out"
        printed = _run([sys.executable, "-m", "constructs_lib", "synth", str(folder), "--out", str(out)], env)
        assert "publishes the layer again" not in printed, printed
        ours = {d.stack: json.loads((out / f"{d.stack}.template.json").read_text()) for d in deployed}
        for d in deployed:
            changes = compare(d.theirs, ours[d.stack])
            assert [c for c in changes if c.kind in ("replace", "remove")] == [], changes
            for lid in layers:  # the deployed content's key, as v3's compareWithLastLayer writes it
                assert (
                    ours[d.stack]["Resources"][lid]["Properties"]["Content"]
                    == d.theirs["Resources"][lid]["Properties"]["Content"]
                )
        stacks = [d.stack for d in deployed]  # the CDK CLI deploys them in dependency order
        deploy = ["deploy", "--app", str(out), *stacks, "--method=direct", "--require-approval", "never"]
        _run([str(CDK), *deploy], env)
        rotating = {"AWS::Lambda::Version", "AWS::ApiGateway::Deployment"}  # v3 renews them too
        for d in deployed:
            after, old = _state(env, d.stack, d.region), before[d.stack]
            for lid in set(old) & set(after):
                assert after[lid] == old[lid], f"{d.stack} {lid} was replaced: {old[lid]} -> {after[lid]}"
            gone = [
                lid for lid in set(old) - set(after) if d.theirs["Resources"][lid]["Type"] not in rotating
            ]
            assert gone == [], (d.stack, gone)
            lam = _client(env, "lambda", d.region)
            for (stack, lid), arn in functions.items():
                if stack != d.stack:
                    continue
                config = lam.get_function_configuration(FunctionName=after[lid])
                assert config["FunctionArn"] == arn
                props = ours[stack]["Resources"][lid]["Properties"]
                for key in _CONFIGURATION:
                    if isinstance(props.get(key), str | int):
                        assert config[key] == props[key], (stack, lid, key)
        if case in _CROSS_STACK:  # the value v3 had from compose's state, ours from the deployed output
            stack, lid, variable, source, output = _CROSS_STACK[case]
            region = next(d.region for d in deployed if d.stack == stack)
            outputs = _client(env, "cloudformation").describe_stacks(StackName=source)["Stacks"][0]["Outputs"]
            config = _client(env, "lambda", region).get_function_configuration(
                FunctionName=_state(env, stack, region)[lid]
            )
            value = next(o["OutputValue"] for o in outputs if o["OutputKey"] == output)
            assert config["Environment"]["Variables"][variable] == value


def _lanes(cases: list[tuple[str, list[str]]], count: int) -> list[list[tuple[str, list[str]]]]:
    """The cases in ``count`` lanes run side by side; cases that share a service name (so stack
    and function names) share a lane, one after the other."""
    import yaml

    groups: list[tuple[set[str], list[tuple[str, list[str]]]]] = []
    for case in cases:
        names = {
            str(yaml.safe_load(f.read_text()).get("service"))
            for f in (REFERENCE / case[0]).rglob("serverless.yml")
        }
        joined = [g for g in groups if g[0] & names]
        merged: tuple[set[str], list[tuple[str, list[str]]]] = (names, [case])
        for g in joined:
            groups.remove(g)
            merged = (merged[0] | g[0], g[1] + merged[1])
        groups.append(merged)
    lanes: list[list[tuple[str, list[str]]]] = [[] for _ in range(count)]
    for _, members in sorted(groups, key=lambda g: -len(g[1])):
        min(lanes, key=len).extend(members)
    return lanes


@pytest.fixture(scope="module")
def takeovers(
    request: pytest.FixtureRequest, online: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[None]]]:
    """The selected cases' takeovers, started at once in three lanes (most of the time is spent
    in our synth and the CDK CLI, subprocesses)."""
    selected = {
        item.callspec.params["case"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_v3_stack_is_taken_over_with_nothing_replaced"
    }
    futures: dict[str, Future[None]] = {case: Future() for case, _ in CASES if case in selected}
    tmp = tmp_path_factory.mktemp("takeover")

    def lane(cases: list[tuple[str, list[str]]]) -> None:
        for case, layers in cases:
            try:
                _take_over(case, layers, tmp / case, online)
            except BaseException as error:
                futures[case].set_exception(error)
            else:
                futures[case].set_result(None)

    with ThreadPoolExecutor(max_workers=3) as pool:
        for cases in _lanes([c for c in CASES if c[0] in futures], 3):
            pool.submit(lane, cases)
        yield futures


@pytest.mark.parametrize(("case", "layers"), CASES, ids=[c[0] for c in CASES])
def test_v3_stack_is_taken_over_with_nothing_replaced(
    takeovers: dict[str, Future[None]], case: str, layers: list[str]
) -> None:
    takeovers[case].result()


def test_offline_synth_names_each_layer_it_would_publish_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """synth (which reads the deployed stack) warns offline; check and print never look up."""
    from constructs_lib.cli.commands import main

    monkeypatch.setenv("SLS_CDK_OFFLINE", "1")
    said = "layers.common-libs: layer 'common-libs': not looked up (SLS_CDK_OFFLINE is set); if the stack is deployed, this deploy publishes the layer again"
    for argv, warned in (
        (["synth", str(REFERENCE / "13-layers"), "--out", str(tmp_path / "out")], True),
        (["check", str(REFERENCE / "13-layers")], False),
    ):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            assert main(argv) == 0
        assert (said in err.getvalue()) is warned, err.getvalue()


def test_our_folder_layer_holds_v3s_files() -> None:
    """What v3 zipped from the layer's folder, file for file (what the content comparison of the
    takeover relies on: the same files in both zips)."""
    from tests.helpers import compare_zip, reference_case

    project = load_project(REFERENCE / "f70-layer-path-no-bucket")
    ours = project.services[0].layer_artifacts["tools"].zip
    assert compare_zip(ours, reference_case(REFERENCE / "f70-layer-path-no-bucket"), "tools.zip") == []


def _takeover(folder: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    from constructs_lib.cli.commands import main

    for key, value in env.items():
        if key.startswith(("AWS_", "SLS_CDK_")):
            monkeypatch.setenv(key, value)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["takeover", str(folder)])
    return code, out.getvalue() + err.getvalue()


def test_the_live_takeover_report_flags_a_layer_table_and_bucket(
    online: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sls-cdk takeover`` reads the deployed stack: a kept layer passes (exit 0); offline the
    layer would be published again, a renamed table and a dropped deployment bucket would be
    deleted: each is data loss (exit 2, ``!! DATA``)."""
    monkeypatch.delenv("SLS_CDK_OFFLINE", raising=False)
    with _v3_deployed("13-layers", tmp_path / "a", online) as (folder, _, _):
        code, text = _takeover(folder, online, monkeypatch)
        assert code == 0 and "test-dev (us-east-1) over the deployed stack:" in text, text
        monkeypatch.setenv("SLS_CDK_OFFLINE", "1")
        code, text = _takeover(folder, online, monkeypatch)
        assert (
            code == 2
            and "CommonDashlibsLambdaLayer [AWS::Lambda::LayerVersion]  (create-only: Content)  !! DATA"
            in text
        )
    monkeypatch.delenv("SLS_CDK_OFFLINE", raising=False)
    with _v3_deployed("14-resources-outputs", tmp_path / "b", online) as (folder, _, _):
        config = folder / "serverless.yml"
        config.write_text(config.read_text().replace("    MyTable:\n", "    RenamedTable:\n"))
        code, text = _takeover(folder, online, monkeypatch)
        assert code == 2 and "MyTable [AWS::DynamoDB::Table]  !! DATA" in text, text
    with _v3_deployed("06a-no-deployment-bucket", tmp_path / "c", online) as (folder, _, _):
        config = folder / "serverless.yml"
        config.write_text(
            config.read_text().replace(
                "provider:\n", "provider:\n  deploymentBucket:\n    name: my.serverless\n", 1
            )
        )
        code, text = _takeover(folder, online, monkeypatch)
        assert code == 2 and "ServerlessDeploymentBucket [AWS::S3::Bucket]  !! DATA" in text, text


def test_the_report_passes_the_seed() -> None:
    """The seed's compose services over the templates v3 made for them: nothing replaced."""
    from constructs_lib.checks.migration import compare
    from tests.helpers import synth

    case = REFERENCE / "00-compose"
    ours = synth(case / "serverless-compose.yml")
    for template in sorted(case.rglob(V3_TEMPLATE)):
        theirs = json.loads(template.read_text())
        stack = f"{template.parent.name}-dev"
        assert [c for c in compare(theirs, ours[stack]) if c.risky or c.kind == "replace"] == []
