"""Compose: one stack per service, cross-service outputs as real references, order, Python API."""

from __future__ import annotations

import dataclasses
import json
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Environment, Stack
from aws_cdk import aws_sns as sns

from constructs_lib.errors import SlsCdkError
from stacks import ComposeApp
from tests.helpers import REFERENCE, SEED, ensure_seed_built, synth

SERVICE = """\
service: {name}
provider:
  name: aws
  runtime: provided.al2023
  region: {region}
  iam:
    role: arn:aws:iam::123456789012:role/r
  deploymentBucket:
    name: my.serverless
package:
  artifact: boot.zip
functions:
  fn:
    handler: bootstrap
    environment:
{env}
    events:
      - httpApi: 'GET /x'
resources:
  Resources:
    Table:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
        KeySchema: [{{AttributeName: id, KeyType: HASH}}]
  Outputs:
    TableName:
      Value: {{Ref: Table}}
"""


def project(tmp_path: Path, compose: str, services: dict[str, tuple[str, dict[str, str]]]) -> Path:
    ensure_seed_built()
    zip_bytes = (SEED / "api" / "v1" / "test" / "boot.zip").read_bytes()
    for name, (region, env) in services.items():
        folder = tmp_path / name
        folder.mkdir()
        lines = "\n".join(f"      {k}: {json.dumps(v)}" for k, v in env.items()) or "      NONE: '1'"
        (folder / "serverless.yml").write_text(SERVICE.format(name=name, region=region, env=lines))
        (folder / "boot.zip").write_bytes(zip_bytes)
    (tmp_path / "serverless-compose.yml").write_text(textwrap.dedent(compose))
    return tmp_path / "serverless-compose.yml"


COMPOSE = """\
services:
  producer:
    path: producer
  consumer:
    path: consumer
    params:
      url: ${producer.HttpApiUrl}
      table: table-${producer.TableName}
      version: ${producer.FnLambdaFunctionQualifiedArn}
  last:
    path: last
    dependsOn: consumer
"""
ENV = {"URL": "${param:url}", "TABLE": "${param:table}", "VERSION": "${param:version}"}


@pytest.fixture(scope="module")
def same_region(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    root = tmp_path_factory.mktemp("compose")
    file = project(
        root,
        COMPOSE,
        {"producer": ("us-east-1", {}), "consumer": ("us-east-1", ENV), "last": ("us-east-1", {})},
    )
    outdir = tempfile.mkdtemp(prefix="sls-cdk-compose-")
    app = ComposeApp.from_path(file, outdir=outdir)
    app.synth()
    templates = {
        s.stack_name: json.loads((Path(outdir) / f"{s.stack_name}.template.json").read_text())
        for s in app.stacks.values()
    }
    manifest = json.loads((Path(outdir) / "manifest.json").read_text())
    return templates, manifest


def test_same_region_outputs_become_imports_of_v3_export_names(same_region: Any) -> None:
    templates, _ = same_region
    env = templates["consumer-dev"]["Resources"]["FnLambdaFunction"]["Properties"]["Environment"]["Variables"]
    assert env["URL"] == {"Fn::ImportValue": "sls-producer-dev-HttpApiUrl"}
    assert env["TABLE"] == {"Fn::Join": ["", ["table-", {"Fn::ImportValue": "sls-producer-dev-TableName"}]]}
    assert env["VERSION"] == {"Fn::ImportValue": "sls-producer-dev-FnLambdaFunctionQualifiedArn"}
    # a resources.Outputs entry without an export gets v3's export name so it can be imported
    assert templates["producer-dev"]["Outputs"]["TableName"]["Export"] == {
        "Name": "sls-producer-dev-TableName"
    }


def test_stacks_depend_on_each_other_as_compose_says(same_region: Any) -> None:
    _, manifest = same_region
    deps = {
        name: [d for d in art.get("dependencies", []) if not d.endswith(".assets")]
        for name, art in manifest["artifacts"].items()
        if art["type"] == "aws:cloudformation:stack"
    }
    assert deps == {"producer-dev": [], "consumer-dev": ["producer-dev"], "last-dev": ["consumer-dev"]}


def test_missing_output_names_both_services(tmp_path: Path) -> None:
    file = project(
        tmp_path,
        "services:\n  producer:\n    path: producer\n  consumer:\n    path: consumer\n    params:\n      url: ${producer.HttpApiUrll}\n",
        {"producer": ("us-east-1", {}), "consumer": ("us-east-1", {"URL": "${param:url}"})},
    )
    with pytest.raises(SlsCdkError) as info:
        synth(file)
    text = info.value.format()
    assert (
        "service 'consumer' uses ${producer.HttpApiUrll} (param 'url'), but service 'producer' has no output 'HttpApiUrll'"
        in text
    )
    assert "did you mean 'HttpApiUrl'?" in text


def test_cross_region_outputs_use_cdk_cross_region_references() -> None:
    case = REFERENCE / "16-compose-params"
    assert case.is_dir(), "reference case 16-compose-params missing"  # the cases live in tests/reference/sls3
    templates = synth(case / "serverless-compose.yml")
    auth = templates["auth-dev"]["Resources"]
    env = auth["EnvLambdaFunction"]["Properties"]["Environment"]["Variables"]
    reader = [lid for lid, r in auth.items() if r["Type"] == "Custom::CrossRegionExportReader"]
    assert len(reader) == 1
    assert env["TEST_FN"]["Fn::GetAtt"][0] == reader[0]
    assert "RefEnvLambdaVersion" in env["TEST_FN"]["Fn::GetAtt"][1]
    assert env["BUCKET"] == "my.serverless"  # a literal output stays a literal
    parts = env["TEST_URL"]["Fn::Join"][1]
    assert [p["Fn::GetAtt"][1].rsplit("/", 1)[1][:-8] for p in parts if isinstance(p, dict)] == [
        "testdevuseast1RefHttpApi",
        "testdevuseast1RefAWSRegion",  # the producer's region, not the consumer's
        "testdevuseast1RefAWSURLSuffix",
    ]
    writer = [
        r
        for r in templates["test-dev"]["Resources"].values()
        if r["Type"] == "Custom::CrossRegionExportWriter"
    ]
    assert writer[0]["Properties"]["WriterProps"]["region"] == "us-west-2"


def test_python_api_mixes_yaml_services_and_python_stacks() -> None:
    ensure_seed_built()
    app = ComposeApp.from_path(SEED / "serverless-compose.yml", outdir=tempfile.mkdtemp(prefix="sls-cdk-py-"))
    test_stack = app.stacks["test"]
    extra = Stack(app, "alerts-dev", env=Environment(region=test_stack.region))
    topic = sns.CfnTopic(extra, "Alerts", topic_name="alerts-dev")
    topic.add_property_override("Tags", [{"Key": "api", "Value": test_stack.output_reference("HttpApiId")}])
    extra.add_dependency(test_stack)
    assembly = app.synth()
    alerts = assembly.get_stack_by_name("alerts-dev").template["Resources"]["Alerts"]["Properties"]
    imported = alerts["Tags"][0]["Value"]  # CDK's own cross-stack export of test-dev's API id
    assert set(imported) == {"Fn::ImportValue"} and "HttpApi" in imported["Fn::ImportValue"]
    assert {s.stack_name for s in assembly.stacks} == {"test-dev", "auth-dev", "alerts-dev"}


def test_config_names_another_file_and_region_per_service(tmp_path: Path) -> None:
    file = project(
        tmp_path,
        "services:\n  alpha:\n    path: alpha\n    config: alt.yml\n    region: eu-west-1\n",
        {"alpha": ("us-east-1", {})},
    )
    (tmp_path / "alpha" / "serverless.yml").rename(tmp_path / "alpha" / "alt.yml")
    outdir = tempfile.mkdtemp(prefix="sls-cdk-compose-")
    app = ComposeApp.from_path(file, outdir=outdir)
    assert app.stacks["alpha"].region == "eu-west-1"  # the compose region wins over provider.region


def test_rebinding_imports_keeps_what_plugins_added() -> None:
    """A cross-region compose reference is bound late (loader/rebind.py): the warmer functions
    serverless-plugin-warmup added after validation stay, and the import is swapped in every
    function that holds it."""
    from constructs_lib.loader.project import load_project
    from constructs_lib.loader.rebind import rebind_imports
    from tests.helpers import REFERENCE

    (service,) = load_project(REFERENCE / "f52-warmup-httpapi").services
    warmers = {key for key in service.functions if key not in service.data["functions"]}
    assert warmers
    fn = next(iter(service.data["functions"]))
    marked = dataclasses.replace(
        service.functions[fn], environment={"FROM": {"Fn::ImportValue": "sls-other-dev-Out"}}
    )
    service = dataclasses.replace(service, functions={**service.functions, fn: marked})
    rebound = rebind_imports(service, {"sls-other-dev-Out": "reader-token"})
    assert warmers <= set(rebound.functions) and warmers <= set(rebound.model.functions)
    assert rebound.functions[fn].environment == {"FROM": "reader-token"}
