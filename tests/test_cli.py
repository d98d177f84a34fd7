"""The command-line contract: ``python -m constructs_lib synth PATH [--stage] [--region] [--out]``
writes ``<stackName>.template.json`` per service, exits 0; a user error exits 1 with a clean
message and writes nothing. Also: the real CDK CLI lists the example's stacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEED, ensure_seed_built

SEED_TEST = SEED / "api" / "v1" / "test"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    return subprocess.run(
        [sys.executable, "-m", "constructs_lib", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def compose_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    ensure_seed_built()
    out = tmp_path_factory.mktemp("synth") / "out"
    return run_cli("synth", str(SEED / "serverless-compose.yml"), "--out", str(out)), out


def test_synth_compose_writes_one_template_per_service(compose_out) -> None:  # type: ignore[no-untyped-def]
    result, out = compose_out
    assert result.returncode == 0, result.stderr
    assert (out / "test-dev.template.json").is_file()
    assert (out / "auth-dev.template.json").is_file()
    assert (out / "manifest.json").is_file()
    assert "test-dev: 11 resources" in result.stdout
    assert "cdk deploy test-dev --method=direct" in result.stdout


def test_synth_single_service_with_stage_and_region(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ensure_seed_built()
    result = run_cli(
        "synth",
        str(SEED_TEST),
        "--stage",
        "qa",
        "--region",
        "eu-west-1",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    template = json.loads((out / "test-qa.template.json").read_text())
    assert template["Resources"]["EnvLambdaFunction"]["Properties"]["FunctionName"] == "test-qa-env"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["artifacts"]["test-qa"]["environment"].endswith("/eu-west-1")


def test_user_error_exits_1_cleanly_and_writes_nothing(tmp_path: Path) -> None:
    ensure_seed_built()
    service = tmp_path / "svc"
    shutil.copytree(SEED_TEST, service)
    text = (service / "serverless.yml").read_text().replace("memorySize: 128", "memorySize: 64")
    (service / "serverless.yml").write_text(text)
    out = tmp_path / "out"
    result = run_cli("synth", str(service), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "serverless.yml:9:3: provider.memorySize: memorySize must be between 128 and 10240, not 64"
        in result.stderr
    )
    assert not out.exists()
    assert not list(tmp_path.glob(".out.*"))  # no half-written temporary folder left behind


def test_missing_path_is_a_clean_error(tmp_path: Path) -> None:
    result = run_cli("synth", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_and_print(tmp_path: Path) -> None:
    ensure_seed_built()
    check = run_cli("check", str(SEED / "serverless-compose.yml"))
    assert check.returncode == 0, check.stderr
    assert "stack test-dev" in check.stdout and "stack auth-dev" in check.stdout
    printed = run_cli("print", str(SEED_TEST), "--format", "json", "--stage", "prod")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["provider"]["stage"] == "prod"
    both = run_cli("print", str(SEED), "--format", "json")
    assert both.returncode == 0, both.stderr
    assert {name: doc["service"] for name, doc in json.loads(both.stdout).items()} == {
        "test": "test",
        "auth": "auth",
    }


def test_summary_lists_stacks(compose_out) -> None:  # type: ignore[no-untyped-def]
    _, out = compose_out
    result = run_cli("summary", str(out))
    assert result.returncode == 0
    assert "test-dev: 11 resources" in result.stdout
    assert "auth-dev: 11 resources" in result.stdout


def test_cdk_cli_lists_stacks_for_each_stage() -> None:
    ensure_seed_built()
    env = {
        **os.environ,
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CDK_DISABLE_VERSION_CHECK": "1",
    }
    cdk = str(ROOT / "node_modules" / ".bin" / "cdk")
    dev = subprocess.run([cdk, "ls"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert dev.returncode == 0, dev.stderr
    assert dev.stdout.split() == ["test-dev", "auth-dev"]
    prod = subprocess.run(
        [cdk, "ls", "-c", "stage=prod"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert prod.stdout.split() == ["test-prod", "auth-prod"]


def test_runtime_type_checks_are_kept_in_tests_and_skippable() -> None:
    import jsii._type_checking as tc

    from constructs_lib.cli.jsii_speed import skip_runtime_type_checks

    assert skip_runtime_type_checks() is False  # SLS_CDK_TYPE_CHECKS=1 from conftest
    before = tc._resolved_check
    os.environ.pop("SLS_CDK_TYPE_CHECKS")
    try:
        assert skip_runtime_type_checks() is True
        assert tc._resolved_check(argname="x", value=1, expected_type=str) is None  # no check
    finally:
        tc._resolved_check = before
        os.environ["SLS_CDK_TYPE_CHECKS"] = "1"


def test_print_resolves_the_configuration_only(tmp_path: Path) -> None:
    """v3's ``print`` does not package: a service whose artifact is missing still prints (check
    refuses it), and a packaging plugin (python-requirements) never runs (check runs pip, which fails)."""
    ensure_seed_built()
    service = tmp_path / "svc"
    shutil.copytree(SEED_TEST, service)
    (service / "boot.zip").unlink()
    printed = run_cli("print", str(service), "--format", "json")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["package"]["artifact"] == "boot.zip"
    checked = run_cli("check", str(service))
    assert checked.returncode == 1 and "artifact 'boot.zip' not found" in checked.stderr, checked.stderr

    plugin = tmp_path / "pyreq"
    plugin.mkdir()
    (plugin / "serverless.yml").write_text(
        "service: pyreq\nprovider:\n  name: aws\n  runtime: python3.11\nplugins:\n"
        "  - serverless-python-requirements\nfunctions:\n  hello:\n    handler: handler.hello\n"
    )
    (plugin / "handler.py").write_text("def hello(event, context):\n    return 1\n")
    (plugin / "requirements.txt").write_text("no-such-package-sls-cdk-test==0.0.1\n")
    printed = run_cli("print", str(plugin))
    assert printed.returncode == 0, printed.stderr
    assert "serverless-python-requirements" in printed.stdout
    checked = run_cli("check", str(plugin))  # the plugin runs pip, which cannot find the package
    assert checked.returncode == 1 and "no-such-package-sls-cdk-test" in checked.stderr, checked.stderr
