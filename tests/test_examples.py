"""``examples/python/``: each example synthesizes, with cdk-nag's packs passing, and says what the
README says it does. (``mypy --strict`` over them runs against the installed wheel in
tests/test_init.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App

from constructs_lib.checks.nag import enable_nag, nag_findings
from tests.helpers import ROOT

EXAMPLES = ROOT / "examples" / "python"
sys.path.insert(0, str(EXAMPLES))

Template = dict[str, Any]


def _synth_with_nag(app: App, outdir: Path) -> dict[str, Template]:
    enable_nag(app)
    assembly = app.synth()
    nag = [f for f in nag_findings(outdir) if f.startswith(("AwsSolutions", "Serverless"))]
    assert nag == []
    return {stack.stack_name: stack.template for stack in assembly.stacks}


def _by_type(template: Template, rtype: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == rtype}


@pytest.fixture(scope="module")
def composed() -> dict[str, Template]:
    from compose.app import build

    outdir = Path(tempfile.mkdtemp(prefix="sls-cdk-examples-"))
    return _synth_with_nag(build(outdir=str(outdir)), outdir)


def test_pure_python_service() -> None:
    from pure.app import build

    outdir = Path(tempfile.mkdtemp(prefix="sls-cdk-examples-"))
    app = App(outdir=str(outdir))
    build(app)
    template = _synth_with_nag(app, outdir)["orders-dev"]
    (function,) = _by_type(template, "AWS::Lambda::Function").values()
    props = function["Properties"]
    assert (props["FunctionName"], props["Runtime"], props["MemorySize"]) == (
        "orders-dev-hello",
        "python3.14",
        1024,
    )
    (url,) = _by_type(template, "AWS::Lambda::Url").values()
    assert url["Properties"]["AuthType"] == "AWS_IAM"
    routes = [r["Properties"]["RouteKey"] for r in _by_type(template, "AWS::ApiGatewayV2::Route").values()]
    assert routes == ["GET /hello"]


def test_yaml_service_extended_in_python(composed: dict[str, Template]) -> None:
    template = composed["reports-dev"]
    function = template["Resources"]["RenderLambdaFunction"]  # v3's logical ID
    assert function["Properties"]["TracingConfig"] == {"Mode": "Active"}  # the Aspect's
    statements = template["Resources"]["IamRoleLambdaExecution"]["Properties"]["Policies"][0][
        "PolicyDocument"
    ]["Statement"]
    (bucket_id,) = _by_type(template, "AWS::S3::Bucket").keys() - {"ServerlessDeploymentBucket"}
    read = next(s for s in statements if "s3:GetObject*" in s["Action"])
    assert {"Fn::GetAtt": [bucket_id, "Arn"]} in read["Resource"]
    (alarm,) = _by_type(template, "AWS::CloudWatch::Alarm").values()
    assert alarm["Properties"]["Dimensions"] == [
        {"Name": "FunctionName", "Value": {"Ref": "RenderLambdaFunction"}}
    ]


def test_compose_of_both_reads_across_stacks(composed: dict[str, Template]) -> None:
    orders = composed["orders-dev"]
    (function,) = _by_type(orders, "AWS::Lambda::Function").values()
    value = function["Properties"]["Environment"]["Variables"]["REPORTS_URL"]
    imported = [
        part["Fn::ImportValue"]
        for part in value["Fn::Join"][1]
        if isinstance(part, dict) and "Fn::ImportValue" in part
    ]
    exports = {o.get("Export", {}).get("Name") for o in composed["reports-dev"]["Outputs"].values()}
    assert imported and set(imported) <= exports


def test_the_compose_example_runs_as_a_script(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "compose" / "app.py")],
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(Path.home()),
            "PYTHONPATH": str(ROOT),
            "CDK_OUTDIR": str(tmp_path / "out"),
        },
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "end-of-life" not in run.stderr  # the jsii banner is silenced for library users
    written = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert {"orders-dev", "reports-dev"} <= set(written["artifacts"])


def test_the_readme_shows_the_examples_code() -> None:
    """Each README block marked ``<!-- example: PATH -->`` is a verbatim part of that file."""
    readme = (ROOT / "README.md").read_text()
    marked = re.findall(r"<!-- example: (\S+) -->\n```python\n(.*?)```", readme, flags=re.S)
    assert {path for path, _ in marked} == {
        "examples/python/pure/app.py",
        "examples/python/extended/app.py",
        "examples/python/compose/app.py",
    }
    for path, code in marked:
        assert code in (ROOT / path).read_text(), path
