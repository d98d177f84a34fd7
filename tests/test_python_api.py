"""The constructs from Python, next to CDK's L2 constructs (issue 21): each interop point proven on
the synthesized template. One app per module (``orders``), synthesized once."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import jsii
import pytest
from aws_cdk import App, Aspects, IAspect, Stack, Tags
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct, IConstruct

from constructs_lib import ServerlessFunction, ServiceStack, load_service
from tests.cfn_lint_pool import lint_one
from tests.helpers import REFERENCE, SEED, ensure_seed_built

Template = dict[str, Any]


class Worker(Construct):
    """A user's construct holding a function: used twice in one stack."""

    def __init__(self, scope: Construct, id: str, *, code: Path) -> None:
        super().__init__(scope, id)
        self.fn = ServerlessFunction(self, "Fn", handler="bootstrap", code=code)


@jsii.implements(IAspect)
class BigMemory:
    def visit(self, node: IConstruct) -> None:
        if isinstance(node, lambda_.CfnFunction):
            node.memory_size = 2048


def _by_type(template: Template, rtype: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == rtype}


def _one(template: Template, rtype: str, **props: Any) -> tuple[str, dict[str, Any]]:
    found = [
        (k, v)
        for k, v in _by_type(template, rtype).items()
        if all(v["Properties"].get(p) == want for p, want in props.items())
    ]
    assert len(found) == 1, (rtype, props, list(_by_type(template, rtype)))
    return found[0]


def _statements(template: Template, role_id: str = "IamRoleLambdaExecution") -> list[dict[str, Any]]:
    policies = template["Resources"][role_id]["Properties"]["Policies"]
    statements: list[dict[str, Any]] = policies[0]["PolicyDocument"]["Statement"]
    return statements


@pytest.fixture(scope="module")
def orders() -> Template:
    """A service written in Python: functions, an L2 bucket, queue, role, VPC, alarm, HTTP routes."""
    ensure_seed_built()
    work = Path(tempfile.mkdtemp(prefix="sls-cdk-pyapi-"))
    code = work / "boot.zip"
    shutil.copy(SEED / "api" / "v1" / "test" / "boot.zip", code)
    app = App(outdir=str(work / "out"))
    stack = ServiceStack(
        app, service="orders", provider={"runtime": "provided.al2023", "architecture": "arm64"}
    )
    hello = ServerlessFunction(stack, "hello", handler="bootstrap", code=code, url=True)
    a, b = Worker(stack, "A", code=code), Worker(stack, "B", code=code)
    s3.Bucket(stack, "Data").grant_read(hello)
    a.fn.add_event_source(sources.SqsEventSource(sqs.Queue(stack, "Jobs")))
    hello.grant_invoke(iam.ServicePrincipal("events.amazonaws.com"))
    cloudwatch.Alarm(stack, "Errors", metric=hello.metric_errors(), threshold=1, evaluation_periods=1)
    role = iam.Role(stack, "Custom", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    own = ServerlessFunction(stack, "own", handler="bootstrap", code=code, role=role)
    vpc = ec2.Vpc(stack, "Net", max_azs=2, nat_gateways=0)
    private = ServerlessFunction(
        stack,
        "private",
        handler="bootstrap",
        code=code,
        vpc=vpc,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
    )
    private.connections.allow_from(ec2.Peer.ipv4("10.0.0.0/16"), ec2.Port.tcp(5432))
    stack.http_api.add_route("GET /hello", hello)
    apigwv2.HttpRoute(
        stack,
        "OwnRoute",
        http_api=stack.http_api.api,
        route_key=apigwv2.HttpRouteKey.with_("/own", apigwv2.HttpMethod.GET),
        integration=integrations.HttpLambdaIntegration("Own", own),
    )
    assert a.fn.node.path != b.fn.node.path
    template: Template = app.synth().get_stack_by_name("orders-dev").template
    return template


def test_a_function_needs_only_handler_and_code(orders: Template) -> None:
    """Everything else defaults as v3's: name, memory, timeout, provider runtime, log group, version."""
    fid, fn = _one(orders, "AWS::Lambda::Function", FunctionName="orders-dev-hello")
    props = fn["Properties"]
    assert (props["MemorySize"], props["Timeout"], props["Runtime"]) == (1024, 6, "provided.al2023")
    assert props["Architectures"] == ["arm64"] and props["Handler"] == "bootstrap"
    assert props["Role"] == {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]}
    (group_id,) = fn["DependsOn"]
    assert orders["Resources"][group_id]["Properties"]["LogGroupName"] == "/aws/lambda/orders-dev-hello"
    _one(orders, "AWS::Lambda::Version", FunctionName={"Ref": fid})
    _one(orders, "AWS::Lambda::Url", TargetFunctionArn={"Fn::GetAtt": [fid, "Arn"]})


def test_l2_grants_become_statements_of_the_generated_role(orders: Template) -> None:
    bucket_id = next(k for k in _by_type(orders, "AWS::S3::Bucket") if k.startswith("Data"))
    queue_id = next(iter(_by_type(orders, "AWS::SQS::Queue")))
    statements = _statements(orders)
    read = next(s for s in statements if "s3:GetObject*" in s["Action"])
    assert {"Fn::GetAtt": [bucket_id, "Arn"]} in read["Resource"]
    consume = next(s for s in statements if "sqs:ReceiveMessage" in s["Action"])
    assert consume["Resource"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    assert not _by_type(orders, "AWS::IAM::Policy")  # no separate policy: v3's role holds them


def test_event_source_permission_and_metric(orders: Template) -> None:
    worker_id, _ = _one(orders, "AWS::Lambda::Function", FunctionName="orders-dev-A-Fn")
    hello_id, _ = _one(orders, "AWS::Lambda::Function", FunctionName="orders-dev-hello")
    _one(orders, "AWS::Lambda::EventSourceMapping", FunctionName={"Ref": worker_id})
    _one(orders, "AWS::Lambda::Permission", Principal="events.amazonaws.com")
    ((_, alarm),) = _by_type(orders, "AWS::CloudWatch::Alarm").items()
    assert alarm["Properties"]["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": hello_id}}]


def test_an_l2_role_is_used_by_its_arn(orders: Template) -> None:
    """Before: ``Fn::GetAtt`` of a ``Fn::GetAtt`` and an object in ``DependsOn``."""
    role_id = next(k for k in _by_type(orders, "AWS::IAM::Role") if k.startswith("Custom"))
    _, fn = _one(orders, "AWS::Lambda::Function", FunctionName="orders-dev-own")
    assert fn["Properties"]["Role"] == {"Fn::GetAtt": [role_id, "Arn"]}
    assert all(isinstance(d, str) for d in fn["DependsOn"])


def test_used_twice_in_one_stack(orders: Template) -> None:
    """Two instances of one construct: CDK's path IDs apart, v3-shaped names from the path."""
    a_id, _ = _one(orders, "AWS::Lambda::Function", FunctionName="orders-dev-A-Fn")
    b_id, _ = _one(orders, "AWS::Lambda::Function", FunctionName="orders-dev-B-Fn")
    assert a_id != b_id and a_id.startswith("AFn") and b_id.startswith("BFn")
    groups = {g["Properties"]["LogGroupName"] for g in _by_type(orders, "AWS::Logs::LogGroup").values()}
    assert {"/aws/lambda/orders-dev-A-Fn", "/aws/lambda/orders-dev-B-Fn"} <= groups
    assert len({o["Export"]["Name"] for o in orders["Outputs"].values()}) == len(orders["Outputs"])


def test_vpc_and_connections(orders: Template) -> None:
    _, fn = _one(orders, "AWS::Lambda::Function", FunctionName="orders-dev-private")
    vpc_config = fn["Properties"]["VpcConfig"]
    assert len(vpc_config["SubnetIds"]) == 2 and all("Ref" in s for s in vpc_config["SubnetIds"])
    (group,) = vpc_config["SecurityGroupIds"]
    sg_id = group["Fn::GetAtt"][0]
    ingress = orders["Resources"][sg_id]["Properties"]["SecurityGroupIngress"]
    assert any(rule.get("FromPort") == 5432 for rule in ingress)
    managed = json.dumps(orders["Resources"]["IamRoleLambdaExecution"]["Properties"]["ManagedPolicyArns"])
    assert "AWSLambdaVPCAccessExecutionRole" in managed


def test_http_api_takes_our_routes_and_cdk_routes(orders: Template) -> None:
    routes = {r["Properties"]["RouteKey"]: r for r in _by_type(orders, "AWS::ApiGatewayV2::Route").values()}
    assert set(routes) == {"GET /hello", "GET /own"}
    assert all(r["Properties"]["ApiId"] == {"Ref": "HttpApi"} for r in routes.values())


def test_the_template_is_valid_cloudformation(orders: Template) -> None:
    findings = [f for f in lint_one(json.dumps(orders)) if f[0].startswith("E")]
    assert findings == []


# ---- a YAML service extended in Python -------------------------------------------------------------
@pytest.fixture(scope="module")
def extended() -> tuple[Template, Template]:
    """01a-iam-statements (generated role) as written, and the same with an Aspect and a grant."""
    ensure_seed_built()

    def build(extend: bool) -> Template:
        app = App(outdir=tempfile.mkdtemp(prefix="sls-cdk-pyapi-"))
        stack = ServiceStack(app, service=load_service(REFERENCE / "01a-iam-statements", stage="dev"))
        if extend:
            Aspects.of(stack).add(BigMemory())
            for fn in stack.functions.values():
                s3.Bucket.from_bucket_name(stack, f"Reports{fn.node.id}", "reports").grant_read(fn)
        template: Template = app.synth().get_stack_by_name(stack.stack_name).template
        return template

    return build(False), build(True)


def test_an_aspects_memory_size_is_kept_and_versions_follow(extended: tuple[Template, Template]) -> None:
    plain, changed = extended
    functions = _by_type(changed, "AWS::Lambda::Function")
    assert functions and all(f["Properties"]["MemorySize"] == 2048 for f in functions.values())
    assert all(
        f["Properties"]["MemorySize"] != 2048 for f in _by_type(plain, "AWS::Lambda::Function").values()
    )
    assert set(functions) == set(_by_type(plain, "AWS::Lambda::Function"))  # same logical IDs
    assert set(_by_type(changed, "AWS::Lambda::Version")).isdisjoint(_by_type(plain, "AWS::Lambda::Version"))


def test_grants_append_to_v3s_statements(extended: tuple[Template, Template]) -> None:
    plain, changed = extended
    before, after = _statements(plain), _statements(changed)
    assert after[: len(before)] == before
    added = after[len(before) :]
    assert added and all("s3:GetObject*" in s["Action"] for s in added)


def test_a_service_stack_takes_an_id_and_stack_props() -> None:
    app = App(outdir=tempfile.mkdtemp(prefix="sls-cdk-pyapi-"))
    stack = ServiceStack(app, "Orders", service="orders", stage="prod", termination_protection=True)
    assert stack.stack_name == "orders-prod" and stack.node.id == "Orders"
    assert stack.termination_protection is True
    with pytest.raises(ValueError, match="come from the loaded service"):
        ServiceStack(App(), service=load_service(SEED / "api" / "v1" / "test", stage="dev"), stage="x")


def test_a_function_outside_a_service_stack_gets_its_own_role() -> None:
    ensure_seed_built()
    app = App(outdir=tempfile.mkdtemp(prefix="sls-cdk-pyapi-"))
    stack = Stack(app, "plain")
    fn = ServerlessFunction(
        stack,
        "job",
        handler="bootstrap",
        runtime="provided.al2023",
        code=SEED / "api" / "v1" / "test" / "boot.zip",
    )
    s3.Bucket(stack, "B").grant_write(fn)
    template: Template = app.synth().get_stack_by_name("plain").template
    _, function = _one(template, "AWS::Lambda::Function", FunctionName="plain-dev-job")
    role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
    assert (
        role_id != "IamRoleLambdaExecution" and "RoleName" not in template["Resources"][role_id]["Properties"]
    )
    assert any("s3:PutObject" in s["Action"] for s in _statements(template, role_id))


def test_bad_props_are_errors_naming_the_setting() -> None:
    from constructs_lib.errors import SlsCdkError

    stack = ServiceStack(App(), service="orders")
    code = SEED / "api" / "v1" / "test" / "boot.zip"
    with pytest.raises(SlsCdkError, match="memorySize"):
        ServerlessFunction(
            stack, "big", handler="bootstrap", runtime="provided.al2023", code=code, memory_size=99999
        )
    with pytest.raises(ValueError, match="needs code"):
        ServerlessFunction(stack, "nocode", handler="bootstrap", runtime="provided.al2023")


def test_tags_of_merge_with_v3s_own_tags() -> None:
    """``Tags.of`` reaches resources whose tags v3 writes itself: v3's keep their order, a tag of
    the same key is CDK's (aspect tags outrank initial ones), new keys follow."""
    app = App(outdir=tempfile.mkdtemp(prefix="sls-cdk-pyapi-"))
    stack = ServiceStack(app, service=load_service(REFERENCE / "12-tags", stage="dev"))
    Tags.of(stack).add("team", "core")
    Tags.of(stack).add("owner", "platform")
    template: Template = app.synth().get_stack_by_name(stack.stack_name).template
    function = template["Resources"]["EnvLambdaFunction"]["Properties"]
    assert function["Tags"] == [
        {"Key": "project", "Value": "demo"},
        {"Key": "owner", "Value": "platform"},
        {"Key": "fntag", "Value": "f"},
        {"Key": "team", "Value": "core"},
    ]
    api = template["Resources"]["HttpApi"]["Properties"]["Tags"]
    assert api == {"project": "demo", "owner": "platform", "team": "core"}


def test_typed_properties_sync_right_before_the_read_only_aspects() -> None:
    from aws_cdk import AspectPriority

    from constructs_lib.constructs.l1_sync import AFTER_MUTATIONS

    assert AspectPriority.DEFAULT < AFTER_MUTATIONS == AspectPriority.READONLY - 1


def test_a_key_is_one_functions_per_stack() -> None:
    """Same key twice (explicit, or a YAML function's): a clear error, not a jsii one at synth."""
    code = SEED / "api" / "v1" / "test" / "boot.zip"
    stack = ServiceStack(App(), service="orders", provider={"runtime": "provided.al2023"})
    ServerlessFunction(stack, "A", handler="bootstrap", code=code, key="hello")
    with pytest.raises(ValueError, match="function key 'hello' is taken in stack orders-dev"):
        ServerlessFunction(stack, "B", handler="bootstrap", code=code, key="hello")
    yaml = ServiceStack(App(), service=load_service(REFERENCE / "01a-iam-statements", stage="dev"))
    taken = next(iter(yaml.functions))
    with pytest.raises(ValueError, match=f"function key '{taken}' is taken"):
        ServerlessFunction(yaml, taken, handler="bootstrap", code=code)
    plain = Stack(App(), "plain")
    ServerlessFunction(plain, "x", handler="bootstrap", runtime="provided.al2023", code=code)
    with pytest.raises(ValueError, match="is taken"):
        ServerlessFunction(plain, "y", handler="bootstrap", runtime="provided.al2023", code=code, key="x")


def test_public_subnets_only_when_asked() -> None:
    code = SEED / "api" / "v1" / "test" / "boot.zip"
    stack = ServiceStack(App(), service="orders", provider={"runtime": "provided.al2023"})
    public = [ec2.SubnetConfiguration(name="pub", subnet_type=ec2.SubnetType.PUBLIC)]
    vpc = ec2.Vpc(stack, "Pub", max_azs=2, subnet_configuration=public)
    with pytest.raises(ValueError, match="subnets are public"):
        ServerlessFunction(stack, "a", handler="bootstrap", code=code, vpc=vpc)
    fn = ServerlessFunction(stack, "b", handler="bootstrap", code=code, vpc=vpc, allow_public_subnet=True)
    assert fn.is_bound_to_vpc


def test_grants_follow_the_role_serverless_iam_roles_per_function_gives() -> None:
    """The plugin gives the function a role of its own: an L2 grant must land there."""
    app = App(outdir=tempfile.mkdtemp(prefix="sls-cdk-pyapi-"))
    stack = ServiceStack(app, service=load_service(REFERENCE / "f56-iam-per-function-events", stage="dev"))
    key, fn = "consumer", stack.functions["consumer"]
    s3.Bucket.from_bucket_name(stack, "Reports", "reports").grant_read(fn)
    template: Template = app.synth().get_stack_by_name(stack.stack_name).template
    role = template["Resources"][fn.logical_id]["Properties"]["Role"]["Fn::GetAtt"][0]
    assert role != "IamRoleLambdaExecution", key
    policies = [p for p in _by_type(template, "AWS::IAM::Policy").values()]
    assert any(
        role in json.dumps(p["Properties"]["Roles"])
        and "reports" in json.dumps(p["Properties"]["PolicyDocument"])
        for p in policies
    )
    assert "reports" not in json.dumps(_statements(template))
