"""Configuration: YAML reading, variables, schema, plugins, artifacts (no CDK needed)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from constructs_lib.config.project import load_project, load_service
from constructs_lib.config.source import load_yaml_text
from constructs_lib.config.variables import ResolveContext, resolve_config
from constructs_lib.config.varsyntax import VarSyntaxError, parse
from constructs_lib.errors import SlsCdkError

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


def test_numbers_are_coerced_like_v3(tmp_path: Path) -> None:
    svc = load_service(write_service(tmp_path, BASE.replace("  runtime:", "  memorySize: '512'\n  runtime:")))
    assert svc.model.function("env", stage="dev").memory_size == 512


BAD_INPUTS = [
    # (description, text replacement applied to BASE, expected "line:col: key: message" fragment)
    (
        "unknown key with did-you-mean",
        ("  region:", "  regoin:"),
        ":6:3: provider.regoin: unknown key 'regoin'\n  hint: did you mean 'region'?",
    ),
    (
        "memory out of range",
        ("    handler: bootstrap", "    handler: bootstrap\n    memorySize: 99999"),
        ":16:5: functions.env.memorySize: memorySize must be between 128 and 10240",
    ),
    (
        "bad retention",
        ("  region:", "  logRetentionInDays: 2\n  region:"),
        ":6:3: provider.logRetentionInDays:",
    ),
    (
        "unknown event type",
        ("    handler: bootstrap", "    handler: bootstrap\n    events:\n      - httpAPI: 'GET /x'"),
        ":17:9: functions.env.events[0]: unknown event type 'httpAPI'",
    ),
    (
        "event not supported yet",
        ("    handler: bootstrap", "    handler: bootstrap\n    events:\n      - schedule: rate(1 minute)"),
        "functions.env.events[0].schedule: event type 'schedule' is not supported yet",
    ),
    (
        "bad route",
        ("    handler: bootstrap", "    handler: bootstrap\n    events:\n      - httpApi: 'FETCH /x'"),
        ":17:9: functions.env.events[0].httpApi: method 'FETCH' must be one of GET",
    ),
    (
        "duplicate key",
        ("  region: us-east-1", "  region: us-east-1\n  region: us-west-2"),
        ":7:3: provider.region: duplicate key",
    ),
    (
        "unresolvable variable",
        ("  region: us-east-1", "  region: ${env:SLS_CDK_TEST_NOPE}"),
        ":6:3: provider.region: cannot resolve ${env:SLS_CDK_TEST_NOPE}",
    ),
    (
        "unknown plugin",
        ("package:", "plugins:\n  - serverless-webpack\npackage:"),
        "plugins[0]: plugin 'serverless-webpack'",
    ),
    (
        "missing handler",
        ("    handler: bootstrap", "    memorySize: 256"),
        "functions.env: a function needs a 'handler'",
    ),
    (
        "bad architecture",
        ("  region:", "  architecture: arm\n  region:"),
        "provider.architecture: architecture 'arm'",
    ),
]


@pytest.mark.parametrize(("what", "change", "expected"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_names_file_line_and_key(
    tmp_path: Path, what: str, change: tuple[str, str], expected: str
) -> None:
    file = write_service(tmp_path, BASE.replace(*change))
    with pytest.raises(SlsCdkError) as info:
        load_service(file)
    assert expected in info.value.format()
    assert "serverless.yml" in info.value.format() or "plugins" in expected


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


def test_compose_cycle_is_reported(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        write_service(tmp_path / name, BASE.replace("service: svc", f"service: {name}"))
    (tmp_path / "serverless-compose.yml").write_text(
        "services:\n  a:\n    path: a\n    dependsOn: b\n  b:\n    path: b\n    dependsOn: [a]\n"
    )
    with pytest.raises(SlsCdkError, match="cycle"):
        load_project(tmp_path / "serverless-compose.yml")


def test_compose_unknown_dependency_and_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "serverless-compose.yml").write_text(
        "services:\n  a:\n    path: nowhere\n  b:\n    path: ../outside\n"
    )
    with pytest.raises(SlsCdkError) as info:
        load_project(tmp_path / "serverless-compose.yml")
    text = info.value.format()
    assert "serverless-compose.yml:3:5: services.a.path: service 'a': folder 'nowhere' does not exist" in text
    assert "services.b.path: path '../outside' of service 'b' is outside the compose folder" in text


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
