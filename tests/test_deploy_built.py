"""Services whose code a packaging plugin builds (issue 19), deployed to the emulator with the real
CDK CLI exactly as synthesized: a Python service built as serverless-python-requirements builds it
(a binary wheel) and a Node service bundled as serverless-esbuild bundles it. Each function exists
with the template's handler and the code size of the zip we built; destroy removes them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.emulator.fixtures import bootstrapped, emulator, emulator_server
from tests.helpers import REFERENCE, ROOT

__all__ = ["bootstrapped", "emulator", "emulator_server"]  # the fixtures this module uses

CDK = ROOT / "node_modules" / ".bin" / "cdk"


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{' '.join(args[:4])}: {result.stderr[-3000:]}"


def _zip_sizes(out: Path, stack: str) -> dict[str, int]:
    """S3 key -> size of the zip CDK uploads there (from the stack's asset manifest)."""
    manifest = json.loads((out / f"{stack}.assets.json").read_text())
    sizes = {}
    for asset in manifest["files"].values():
        source = out / asset["source"]["path"]
        for destination in asset["destinations"].values():
            sizes[destination["objectKey"]] = source.stat().st_size
    return sizes


@pytest.mark.parametrize("case", ["f62-python-requirements", "f65-esbuild-dependency"])
def test_a_built_service_deploys_with_its_handler_and_code(
    bootstrapped: dict[str, str], tmp_path: Path, case: str
) -> None:
    folder = tmp_path / case
    shutil.copytree(REFERENCE / case, folder, ignore=shutil.ignore_patterns(".serverless"))
    out = tmp_path / "out"
    _run([sys.executable, "-m", "constructs_lib", "synth", str(folder), "--out", str(out)], bootstrapped)
    (template_file,) = out.glob("*.template.json")
    stack = template_file.name.removesuffix(".template.json")
    template: dict[str, Any] = json.loads(template_file.read_text())
    sizes = _zip_sizes(out, stack)
    deploy = ["deploy", "--app", str(out), "--all", "--method=direct", "--require-approval", "never"]
    _run([str(CDK), *deploy], bootstrapped)
    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    lam = session.client("lambda", endpoint_url=bootstrapped["AWS_ENDPOINT_URL"])
    functions = [
        r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"
    ]
    assert functions
    for props in functions:
        live = lam.get_function_configuration(FunctionName=props["FunctionName"])
        assert live["Handler"] == props["Handler"]
        assert live["CodeSize"] == sizes[props["Code"]["S3Key"]] > 0
    _run([str(CDK), "destroy", "--app", str(out), "--all", "--force"], bootstrapped)
    names = {f["FunctionName"] for f in lam.list_functions()["Functions"]}
    assert not names & {p["FunctionName"] for p in functions}
