"""Configuration: YAML reading, variables, schema, plugins, artifacts (no CDK needed)."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from constructs_lib.config.defaults import effective_region, effective_stage, plain_stage
from constructs_lib.config.model import Provider, Service, config_validation_mode
from constructs_lib.config.source import load_yaml_text
from constructs_lib.config.variables import ResolveContext, resolve_config
from constructs_lib.config.varsyntax import VarSyntaxError, parse
from constructs_lib.errors import SlsCdkError
from constructs_lib.loader.project import load_service

BASE = """\
service: svc
provider:
  name: aws
  runtime: provided.al2023
  stage: ${opt:stage, 'dev'}
  region: us-east-1
  iam:
    role: arn:aws:iam::123456:role/serverless
  deploymentBucket:
    name: my.serverless
package:
  artifact: boot.zip
functions:
  env:
    handler: bootstrap
"""


def write_service(tmp_path: Path, text: str = BASE, *, artifact: bool = True) -> Path:
    (tmp_path / "serverless.yml").write_text(textwrap.dedent(text))
    if artifact:
        (tmp_path / "boot.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return tmp_path / "serverless.yml"


# ---- YAML --------------------------------------------------------------------------------------


def test_yaml_12_scalars_and_cfn_tags() -> None:
    doc = load_yaml_text("a: no\nb: on\nc: 1:30\nd: 0755\ne: !GetAtt Fn.Arn\nf: !Ref X\n", "x.yml")
    assert doc.data == {
        "a": "no",
        "b": "on",
        "c": "1:30",
        "d": 755,
        "e": {"Fn::GetAtt": ["Fn", "Arn"]},
        "f": {"Ref": "X"},
    }


def test_yaml_positions_are_kept() -> None:
    doc = load_yaml_text("a:\n  b:\n    c: 1\n", "x.yml")
    loc = doc.sources.locate(("a", "b", "c"))
    assert (loc.file, loc.line, loc.column) == ("x.yml", 3, 5)


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(8):
        prev, cur = chr(97 + i), chr(98 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    with pytest.raises(SlsCdkError, match="alias bomb"):
        load_yaml_text("\n".join(lines), "bomb.yml")


# ---- variables ---------------------------------------------------------------------------------


def test_variable_parser_fallbacks_and_nesting() -> None:
    tpl = parse("${self:custom.${opt:stage}, env:X, 'dflt'}")
    var = tpl.single
    assert var is not None
    assert [type(s).__name__ for s in var.sources] == ["Ref", "Ref", "Literal"]
    assert parse("${AWS::Region}-x").is_plain  # CloudFormation Fn::Sub text is left alone


def test_variable_parser_rejects_unterminated() -> None:
    with pytest.raises(VarSyntaxError):
        parse("${opt:stage")


def _resolve(text: str, **ctx: object) -> dict:
    doc = load_yaml_text(textwrap.dedent(text), "s.yml")
    context = ResolveContext(service_dir=Path("."), project_root=Path("."), **ctx)  # type: ignore[arg-type]
    return resolve_config(doc.data, doc.sources, context)


def test_variables_resolve_in_order_with_types_kept() -> None:
    data = _resolve(
        """
        provider:
          stage: ${opt:stage, 'dev'}
        custom:
          dev: {size: 256}
          size: ${self:custom.${sls:stage}.size}
          label: size-${self:custom.size}
          home: ${env:HOME_X, 'none'}
          acct: ${aws:accountId}
        """,
        options={},
        env={},
    )
    assert data["custom"]["size"] == 256
    assert data["custom"]["label"] == "size-256"
    assert data["custom"]["home"] == "none"
    assert data["custom"]["acct"] == {"Ref": "AWS::AccountId"}


def test_env_values_are_not_rescanned() -> None:
    data = _resolve("a: ${env:X}\n", env={"X": "${opt:boom}"})
    assert data["a"] == "${opt:boom}"


def test_all_variable_errors_reported_at_once_with_lines() -> None:
    with pytest.raises(SlsCdkError) as info:
        _resolve("a: ${env:NOPE}\nb: ${self:b}\nc: ${bogus:x}\n", env={})
    text = info.value.format()
    assert "s.yml:1:1: a: cannot resolve ${env:NOPE}" in text
    assert "s.yml:2:1: b: variables reference each other in a cycle" in text
    assert "s.yml:3:1: c: unknown variable source 'bogus'" in text


# ---- schema ------------------------------------------------------------------------------------


def test_defaults_and_merge(tmp_path: Path) -> None:
    svc = load_service(write_service(tmp_path))
    fn = svc.model.function("env", stage=svc.stage)
    assert (fn.memory_size, fn.timeout, fn.name, fn.architecture) == (1024, 6, "svc-dev-env", None)
    assert svc.stack_name == "svc-dev"


def test_stage_and_region_rules() -> None:
    assert effective_stage(None) == "dev" and effective_stage("prod", "qa") == "prod"
    assert effective_stage(None, "qa") == effective_stage("", "qa") == "qa"
    assert effective_region(None) == "us-east-1" and effective_region(None, "eu-west-1") == "eu-west-1"
    # before variables are resolved, provider.stage counts only as plain text
    assert plain_stage({"provider": {"stage": "qa"}}) == "qa"
    assert plain_stage({"provider": {"stage": "${opt:stage}"}}) == "dev"
    assert plain_stage({"provider": "aws"}, "prod") == "prod"
    svc = Service.model_validate({"service": "svc", "provider": {"name": "aws", "stage": "qa"}})
    assert (svc.stage(), svc.stage("prod"), svc.region(), svc.region("eu-west-1")) == (
        "qa",
        "prod",
        "us-east-1",
        "eu-west-1",
    )


def test_provider_defaults_are_v3s_and_null_keeps_them() -> None:
    plain = Provider(name="aws")
    assert (plain.stage, plain.region, plain.runtime, plain.memory_size, plain.timeout) == (
        "dev",
        "us-east-1",
        "nodejs16.x",
        1024,
        6,
    )
    assert (plain.deployment_method, plain.deployment_prefix, plain.version_functions) == (
        "changesets",
        "serverless",
        True,
    )
    nulls = Provider.model_validate({"name": "aws", "memorySize": None, "region": None, "stage": None})
    assert (nulls.memory_size, nulls.region, nulls.stage) == (1024, "us-east-1", "dev")


def test_config_validation_mode_defaults_to_warn_as_in_v3() -> None:
    assert config_validation_mode({}) == "warn"
    assert config_validation_mode({}, strict=True) == "error"
    assert config_validation_mode({"configValidationMode": "off"}, strict=True) == "error"
    assert config_validation_mode({"configValidationMode": "error"}) == "error"
    assert config_validation_mode({"configValidationMode": "warn"}) == "warn"
    assert config_validation_mode({"configValidationMode": "off"}) == "off"
    assert config_validation_mode({"configValidationMode": "loud"}) == "error"


def test_numbers_are_coerced_like_v3(tmp_path: Path) -> None:
    svc = load_service(write_service(tmp_path, BASE.replace("  runtime:", "  memorySize: '512'\n  runtime:")))
    assert svc.model.function("env", stage="dev").memory_size == 512


def test_missing_artifact_names_the_build_hook(tmp_path: Path) -> None:
    text = BASE.replace(
        "package:",
        "custom:\n  scripts:\n    hooks:\n      before:package:createDeploymentArtifacts: ./build.sh\npackage:",
    )
    file = write_service(tmp_path, text, artifact=False)
    with pytest.raises(SlsCdkError) as info:
        load_service(file)
    text_out = info.value.format()
    assert "artifact 'boot.zip' not found" in text_out
    assert "before:package:createDeploymentArtifacts" in text_out and "./build.sh" in text_out


def test_file_variable_stays_inside_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.yml").write_text("key: outside\n")
    (project / "inside.yml").write_text("key: inside\n")
    (project / "link.yml").symlink_to(tmp_path / "secret.yml")
    (project / "code.js").write_text("module.exports = {}\n")
    os.mkfifo(project / "pipe.yml")  # a special file must never be read (it would block)
    ctx = {"service_dir": project, "project_root": project, "env": {}}

    def resolve(text: str) -> dict:
        doc = load_yaml_text(text, "s.yml")
        return resolve_config(doc.data, doc.sources, ResolveContext(**ctx))  # type: ignore[arg-type]

    assert resolve("a: ${file(./inside.yml):key}\n") == {"a": "inside"}
    for text, message in [
        ("a: ${file(../secret.yml):key}\n", "points outside the project"),
        ("a: ${file(./link.yml):key}\n", "points outside the project"),
        (f"a: ${{file({tmp_path / 'secret.yml'}):key}}\n", "absolute paths are refused"),
        ("a: ${file(./code.js)}\n", "JavaScript files are not executed"),
        ("a: ${file(/dev/zero)}\n", "absolute paths are refused"),
        ("a: ${file(./pipe.yml)}\n", "not a regular file"),
    ]:
        with pytest.raises(SlsCdkError, match=message):
            resolve(text)


def test_deploy_time_settings_become_cdk_deploy_flags(tmp_path: Path) -> None:
    """v3 applies these at deploy, not in the template: they become ``cdk deploy`` flags."""
    extra = (
        "  deploymentMethod: direct\n"
        "  disableRollback: true\n"
        "  cfnRole: arn:aws:iam::123456789012:role/cfn-exec\n"
        "  stackParameters:\n"
        "    - ParameterKey: Size\n"
        "      ParameterValue: large one\n"
        "    - ParameterKey: Kept\n"
        "      UsePreviousValue: true\n"
        "  notificationArns: ['arn:aws:sns:us-east-1:123456789012:stack-events']\n"
        "  runtime:"
    )
    svc = load_service(write_service(tmp_path, BASE.replace("  runtime:", extra)))
    assert svc.deploy_flags == [
        "--method=direct",
        "--no-rollback",
        "--role-arn arn:aws:iam::123456789012:role/cfn-exec",
        f"--parameters '{svc.stack_name}:Size=large one'",
    ]
    assert svc.model.provider.notification_arns == ["arn:aws:sns:us-east-1:123456789012:stack-events"]


def test_notification_arns_reach_the_cloud_assembly(tmp_path: Path) -> None:
    from constructs_lib.cli.synthesis import synthesize
    from constructs_lib.loader.project import load_project

    text = BASE.replace(
        "  runtime:", "  notificationArns: ['arn:aws:sns:us-east-1:123456789012:events']\n  runtime:"
    )
    project = load_project(write_service(tmp_path, text))
    synthesize(project, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    (stack,) = [a for a in manifest["artifacts"].values() if a["type"] == "aws:cloudformation:stack"]
    assert stack["properties"]["notificationArns"] == ["arn:aws:sns:us-east-1:123456789012:events"]
