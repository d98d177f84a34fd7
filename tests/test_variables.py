"""Variables: one test per source, synth-time AWS reads against moto, and parser properties."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_lib.config.aws_lookup import AwsLookup
from constructs_lib.config.source import load_yaml_text
from constructs_lib.config.variables import ResolveContext, resolve_config
from constructs_lib.config.varsyntax import Literal, Ref, Template, Var, VarSyntaxError, parse
from constructs_lib.errors import SlsCdkError


def resolve(text: str, tmp_path: Path, **ctx: Any) -> dict[str, Any]:
    doc = load_yaml_text(textwrap.dedent(text), "serverless.yml")
    ctx.setdefault("env", {})
    return resolve_config(doc.data, doc.sources, ResolveContext(tmp_path, tmp_path, **ctx))


def error_of(text: str, tmp_path: Path, **ctx: Any) -> str:
    with pytest.raises(SlsCdkError) as info:
        resolve(text, tmp_path, **ctx)
    return info.value.format()


# ---- local sources ------------------------------------------------------------------------------


def test_opt_source(tmp_path: Path) -> None:
    out = resolve(
        "a: ${opt:stage}\nb: ${opt:flag, 'off'}\nc: x-${opt:stage}\n", tmp_path, options={"stage": "qa"}
    )
    assert out == {"a": "qa", "b": "off", "c": "x-qa"}


def test_self_source_reaches_custom_and_keeps_types(tmp_path: Path) -> None:
    out = resolve(
        "custom:\n  mem: 512\n  list: [a, b]\n  obj: {k: v}\nm: ${self:custom.mem}\nl: ${self:custom.list}\n"
        "o: ${self:custom.obj}\ns: m=${self:custom.mem}\nfirst: ${self:custom.list.0}\n",
        tmp_path,
    )
    assert (out["m"], out["l"], out["o"], out["s"], out["first"]) == (
        512,
        ["a", "b"],
        {"k": "v"},
        "m=512",
        "a",
    )


def test_env_source_is_text_and_literal(tmp_path: Path) -> None:
    out = resolve("a: ${env:X}\nb: ${env:NOPE, env:X}\n", tmp_path, env={"X": "${self:boom}"})
    assert out == {"a": "${self:boom}", "b": "${self:boom}"}


def test_sls_stage_and_instance_id(tmp_path: Path) -> None:
    text = "service: s\nprovider:\n  stage: prod\na: ${sls:stage}\nb: ${sls:instanceId}\n"
    one, two = resolve(text, tmp_path), resolve(text, tmp_path)
    assert one["a"] == "prod" and one["b"] == two["b"] and len(one["b"]) == 13
    assert resolve(text, tmp_path, options={"stage": "qa"})["b"] != one["b"]  # per stage
    assert "the sls source knows 'stage' and 'instanceId'" in error_of("a: ${sls:nope}\n", tmp_path)


def test_param_source(tmp_path: Path) -> None:
    out = resolve("a: ${param:k}\nb: ${param:none, 'd'}\n", tmp_path, params={"k": "v"})
    assert out == {"a": "v", "b": "d"}


def test_file_source_yaml_json_text_and_subkeys(tmp_path: Path) -> None:
    (tmp_path / "c.yml").write_text("a:\n  b: [1, 2]\n  s: ${self:x}\n")
    (tmp_path / "c.json").write_text('{"k": {"n": 3}}')
    (tmp_path / "t.txt").write_text("hello")
    out = resolve(
        "x: from-self\ny: ${file(./c.yml)}\nz: ${file(c.yml):a.b.1}\nj: ${file(c.json):k.n}\n"
        "t: ${file(t.txt)}\nm: ${file(none.yml), 'fallback'}\n",
        tmp_path,
    )
    assert out["y"] == {"a": {"b": [1, 2], "s": "from-self"}}  # variables inside the file resolve too
    assert (out["z"], out["j"], out["t"], out["m"]) == (2, 3, "hello", "fallback")


def test_errors_in_file_values_name_that_file(tmp_path: Path) -> None:
    (tmp_path / "fns.yml").write_text("# functions\nhello:\n  timeout: ${self:custom.nope}\n")
    text = error_of("custom: {}\nfunctions: ${file(fns.yml)}\n", tmp_path)
    assert "fns.yml:3:3: functions.hello.timeout: cannot resolve ${self:custom.nope}" in text


def test_str_to_bool(tmp_path: Path) -> None:
    out = resolve(
        "a: ${strToBool(true)}\nb: ${strToBool(0)}\nc: ${strToBool(${opt:x})}\n", tmp_path, options={"x": "1"}
    )
    assert out == {"a": True, "b": False, "c": True}
    assert "strToBool expects true, false, 1 or 0" in error_of("a: ${strToBool(yes)}\n", tmp_path)


def test_aws_source_is_deploy_time(tmp_path: Path) -> None:
    out = resolve(
        "provider:\n  region: eu-west-1\na: ${aws:accountId}\nb: ${aws:region}\nc: ${aws:partition}\n"
        "d: arn:${aws:partition}:s3:::x\n",
        tmp_path,
    )
    assert out["a"] == {"Ref": "AWS::AccountId"} and out["b"] == "eu-west-1"
    assert out["c"] == {"Ref": "AWS::Partition"}
    assert out["d"] == "arn:_AWS_PARTITION_:s3:::x"  # a string still; written as Fn::Sub (see pseudo)


def test_ssm_same_region_is_a_dynamic_reference(tmp_path: Path) -> None:
    out = resolve(
        "provider:\n  region: us-east-1\na: ${ssm:/app/key}\nb: ${ssm(us-east-1):/app/key}\n"
        "c: ${ssm:/aws/reference/secretsmanager/db}\n",
        tmp_path,
    )
    assert out == {
        "provider": {"region": "us-east-1"},
        "a": "{{resolve:ssm:/app/key}}",
        "b": "{{resolve:ssm:/app/key}}",
        "c": "{{resolve:secretsmanager:db}}",
    }


# ---- synth-time AWS reads (moto, in process: nothing leaves the machine) -------------------------


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Any:
    from moto import mock_aws

    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield __import__("boto3")


def _stack(boto3: Any, region: str, name: str, outputs: dict[str, Any]) -> None:
    template = {
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            k: {"Value": v[0], **({"Export": {"Name": v[1]}} if v[1] else {})} for k, v in outputs.items()
        },
    }
    boto3.client("cloudformation", region_name=region).create_stack(
        StackName=name, TemplateBody=json.dumps(template)
    )


def test_cf_source(aws: Any, tmp_path: Path) -> None:
    _stack(aws, "us-east-1", "shared-dev", {"Plain": ("v1", None), "Exported": ("v2", "shared-dev-Exported")})
    _stack(aws, "us-west-2", "far-dev", {"Url": ("https://far", "far-dev-Url")})
    out = resolve(
        "provider:\n  region: us-east-1\na: ${cf:shared-dev.Plain}\nb: ${cf:shared-dev.Exported}\n"
        "c: ${cf(us-west-2):far-dev.Url}\nd: ${cf:shared-dev.Nope, 'fb'}\ne: ${cf:nostack-dev.X, 'fb2'}\n"
        "f: ${cf:mine-dev.HttpApiUrl}\n",
        tmp_path,
        known_stacks={"mine-dev": ("sls-mine-dev-", "us-east-1")},
    )
    assert out["a"] == "v1"  # not exported: the value, read now
    assert out["b"] == {"Fn::ImportValue": "shared-dev-Exported"}  # exported: deploy-time
    assert out["c"] == "https://far"  # exports are regional: the value
    assert (out["d"], out["e"]) == ("fb", "fb2")
    assert out["f"] == {"Fn::ImportValue": "sls-mine-dev-HttpApiUrl"}  # a stack of this app
    assert "cannot resolve ${cf:nostack-dev.X}: that stack or output does not exist" in error_of(
        "a: ${cf:nostack-dev.X}\n", tmp_path
    )
    assert "needs 'stackName.OutputKey'" in error_of("a: ${cf:nodot}\n", tmp_path)


def test_s3_source(aws: Any, tmp_path: Path) -> None:
    s3 = aws.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="conf")
    s3.put_object(Bucket="conf", Key="dir/value.txt", Body=b"from-s3")
    out = resolve("a: ${s3:conf/dir/value.txt}\nb: ${s3:conf/none, 'fb'}\n", tmp_path)
    assert out == {"a": "from-s3", "b": "fb"}


def test_ssm_other_region_is_read_at_synth(aws: Any, tmp_path: Path) -> None:
    ssm = aws.client("ssm", region_name="eu-west-1")
    ssm.put_parameter(Name="/p/str", Value="hello", Type="String")
    ssm.put_parameter(Name="/p/list", Value="a,b", Type="StringList")
    ssm.put_parameter(Name="/p/secure", Value="s3cret", Type="SecureString")
    out = resolve(
        "provider:\n  region: us-east-1\na: ${ssm(eu-west-1):/p/str}\nb: ${ssm(eu-west-1):/p/list}\n"
        "c: ${ssm(eu-west-1):/p/secure}\nd: ${ssm(eu-west-1):/p/none, 'fb'}\n",
        tmp_path,
    )
    assert (out["a"], out["b"], out["c"], out["d"]) == ("hello", ["a", "b"], "s3cret", "fb")


def test_no_credentials_is_a_clean_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    text = error_of("x: 1\nbucket: ${s3:b/k}\n", tmp_path, aws=AwsLookup())
    assert (
        "serverless.yml:2:1: bucket: s3://b/k is read from AWS at synth time, and no AWS credentials" in text
    )


# ---- the parser, property-based ----------------------------------------------------------------

_words = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_address = st.text("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789._/-", min_size=1, max_size=12).filter(
    lambda s: s == s.strip()
)


@st.composite
def _ref(draw: Any, depth: int = 0) -> tuple[str, Any]:
    """A rendered ``type:address`` and its expected shape (maybe with a nested variable)."""
    kind = draw(_words)
    if depth < 2 and draw(st.booleans()):
        inner_text, inner_shape = draw(_var(depth + 1))
        prefix = draw(_address)
        return f"{kind}:{prefix}{inner_text}", (kind, (prefix, inner_shape))
    address = draw(_address)
    return f"{kind}:{address}", (kind, (address,))


@st.composite
def _var(draw: Any, depth: int = 0) -> tuple[str, Any]:
    refs = draw(st.lists(_ref(depth), min_size=1, max_size=3))
    texts = [r[0] for r in refs]
    shapes: list[Any] = [r[1] for r in refs]
    if draw(st.booleans()):
        literal = draw(st.text("abc XYZ-_.:/0123456789", max_size=8))
        texts.append("'" + literal + "'")
        shapes.append(("literal", literal))
    return "${" + ", ".join(texts) + "}", tuple(shapes)


def _shape(tpl: Template) -> tuple[Any, ...]:
    out: list[Any] = []
    for part in tpl.parts:
        if isinstance(part, str):
            out.append(part)
        else:
            out.append(_var_shape(part))
    return tuple(out)


def _var_shape(var: Var) -> tuple[Any, ...]:
    shapes: list[Any] = []
    for src in var.sources:
        if isinstance(src, Literal):
            shapes.append(("literal", src.value))
        else:
            assert isinstance(src, Ref) and src.address is not None
            shapes.append((src.type, _shape(src.address)))
    return tuple(shapes)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ${}:,'\"()\\.-x", max_size=30))
def test_parser_only_ever_raises_syntax_errors(text: str) -> None:
    try:
        tpl = parse(text)
    except VarSyntaxError as exc:
        assert 0 <= exc.index <= len(text)
        return
    end = 0
    for part in tpl.parts:  # variables are ordered, non-overlapping ``${...}`` spans
        if isinstance(part, Var):
            assert (
                part.start >= end and text[part.start : part.start + 2] == "${" and text[part.end - 1] == "}"
            )
            end = part.end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40).filter(lambda s: "${" not in s and "\\" not in s))
def test_text_without_variables_is_plain(text: str) -> None:
    tpl = parse(text)
    assert tpl.is_plain and tpl.text() == text


@settings(max_examples=300, deadline=None)
@given(_var(), st.text("xyz -", max_size=4), st.text("xyz -", max_size=4))
def test_rendered_variables_parse_back(var: tuple[str, Any], before: str, after: str) -> None:
    text, shape = var
    tpl = parse(before + text + after)
    expected = tuple(p for p in (before, shape, after) if p != "")
    assert _shape(tpl) == expected
    single = parse(text).single
    assert single is not None and (single.start, single.end) == (0, len(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_env_values_are_never_rescanned(tmp_path_factory: Any, value: str) -> None:
    folder = tmp_path_factory.mktemp("env")
    doc = load_yaml_text("a: ${env:V}\n", "serverless.yml")
    out = resolve_config(doc.data, doc.sources, ResolveContext(folder, folder, env={"V": value}))
    assert out["a"] == value


# ---- ${aws:accountId} inside strings ----------------------------------------------------------

ACCOUNT_SERVICE = """\
service: acct
provider:
  name: aws
  runtime: provided.al2023
  deploymentBucket:
    name: my-bucket-${aws:accountId}
  iam:
    role:
      name: role-${aws:accountId}
package:
  artifact: boot.zip
functions:
  hello:
    handler: index.handler
    name: hello-${aws:accountId}
    environment:
      ARN: arn:${aws:partition}:sqs:us-east-1:${aws:accountId}:q
resources:
  Resources:
    Data:
      Type: AWS::S3::Bucket
      Properties:
        BucketName: data-${aws:accountId}
    Topic:
      Type: AWS::SNS::Topic
      Properties:
        TopicName:
          Fn::Sub: topic-${aws:accountId}-${AWS::Region}
"""


def test_account_id_inside_names_becomes_fn_sub(tmp_path: Path) -> None:
    """Names CloudFormation wants as text accept it; the template says ``Fn::Sub`` (the placeholder
    alone inside an ``Fn::Sub`` string), and CDK's asset manifest gets its placeholder."""
    from tests.helpers import synth

    (tmp_path / "serverless.yml").write_text(ACCOUNT_SERVICE)
    (tmp_path / "boot.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (template,) = synth(tmp_path).values()
    res = template["Resources"]
    fn = res["HelloLambdaFunction"]["Properties"]
    assert fn["FunctionName"] == {"Fn::Sub": "hello-${AWS::AccountId}"}
    assert fn["Code"]["S3Bucket"] == {"Fn::Sub": "my-bucket-${AWS::AccountId}"}
    assert fn["Environment"]["Variables"]["ARN"] == {
        "Fn::Sub": "arn:${AWS::Partition}:sqs:us-east-1:${AWS::AccountId}:q"
    }
    assert res["HelloLogGroup"]["Properties"]["LogGroupName"] == {
        "Fn::Sub": "/aws/lambda/hello-${AWS::AccountId}"
    }
    role = res["IamRoleLambdaExecution"]["Properties"]
    assert role["RoleName"] == {"Fn::Sub": "role-${AWS::AccountId}"}
    statement = role["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert statement["Resource"] == [
        {
            "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:"
            "log-group:/aws/lambda/hello-${AWS::AccountId}:*"
        }
    ]
    assert res["Data"]["Properties"]["BucketName"] == {"Fn::Sub": "data-${AWS::AccountId}"}
    assert res["Topic"]["Properties"]["TopicName"] == {"Fn::Sub": "topic-${AWS::AccountId}-${AWS::Region}"}
    assert template["Outputs"]["ServerlessDeploymentBucketName"]["Value"] == {
        "Fn::Sub": "my-bucket-${AWS::AccountId}"
    }
    assert "_AWS_" not in json.dumps(template)


def test_fn_sub_escapes_other_dollar_braces() -> None:
    from constructs_lib.constructs.pseudo import rewrite_markers

    assert rewrite_markers({"a": "x-${y}-_AWS_ACCOUNT_ID_"}) == {
        "a": {"Fn::Sub": "x-${!y}-${AWS::AccountId}"}
    }
    assert rewrite_markers({"Fn::Sub": ["a-_AWS_PARTITION_-${v}", {"v": "_AWS_ACCOUNT_ID_"}]}) == {
        "Fn::Sub": ["a-${AWS::Partition}-${v}", {"v": {"Fn::Sub": "${AWS::AccountId}"}}]
    }


def test_account_id_where_it_must_be_known_at_synth_is_a_located_error(tmp_path: Path) -> None:
    message = error_of(
        "service: svc\nprovider:\n  stackName: stack-${aws:accountId}\nfunctions:\n  f:\n    events:\n"
        "      - s3: uploads-${aws:accountId}\n"
        "      - sqs: arn:aws:sqs:us-east-1:${aws:accountId}:jobs\n"
        "      - sqs: arn:aws:sqs:us-east-1:1:jobs-${aws:accountId}\n",
        tmp_path,
    )
    assert (
        "serverless.yml:3:3: provider.stackName: ${aws:accountId} / ${aws:partition} cannot be used here"
        in message
    )
    assert "CloudFormation stack names are fixed when synthesizing" in message
    assert "serverless.yml:7:9: functions.f.events[0].s3:" in message and "bucket's logical ID" in message
    assert "events[1]" not in message  # the account part of an ARN is fine
    assert "functions.f.events[2].sqs:" in message
    assert "the account is known only at deploy time" in message


def test_account_id_in_deploy_settings_is_a_located_error(tmp_path: Path) -> None:
    message = error_of(
        "provider:\n  stackTags:\n    owner: team-${aws:accountId}\n  cfnRole: arn:aws:iam::${aws:accountId}:role/x\n",
        tmp_path,
    )
    assert "serverless.yml:3:5: provider.stackTags.owner:" in message
    assert "serverless.yml:4:3: provider.cfnRole:" in message and "setting of the deploy" in message
