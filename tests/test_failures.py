"""No traceback, ever: CDK's refusals a project can cause become located user errors, the stack's
name and region are checked before CDK runs, and anything unexpected is one "internal error" line
(the traceback only with ``SLS_CDK_DEBUG=1``). Each run asserts nothing was written."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from constructs_lib.cli import commands
from constructs_lib.cli.commands import main
from tests.helpers import REFERENCE, ROOT

BOOT = (REFERENCE / "f21-provider-string" / "boot.zip").read_bytes()


def _service(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "serverless.yml").write_text(textwrap.dedent(text))
    (folder / "boot.zip").write_bytes(BOOT)
    return folder


SMALL = """\
    service: svc
    provider:
      name: aws
      runtime: python3.11
    package:
      artifact: boot.zip
    functions:
      f:
        handler: h.h
    """


def _synth(target: Path, out: Path, *flags: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["synth", str(target), "--out", str(out), *flags])
    text = err.getvalue()
    assert "Traceback" not in text
    if code:
        assert not out.exists(), "a failed synth wrote output"
    return code, text


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (("--stage", "bad_stage"), "stack name 'svc-bad_stage' is not one CloudFormation accepts"),
        (("--stage", "x" * 130), "is 134 characters; CloudFormation allows 128"),
        (("--region", "mars-1"), "--region 'mars-1' is not an AWS region"),
        (("--region", "eu-west-l"), "did you mean 'eu-west-1'?"),
    ],
)
def test_stage_and_region_options_are_checked_first(
    tmp_path: Path, flags: tuple[str, ...], expected: str
) -> None:
    code, err = _synth(_service(tmp_path / "svc", SMALL), tmp_path / "out", *flags)
    assert code == 1 and expected in err


def test_a_stage_from_the_file_is_located(tmp_path: Path) -> None:
    text = textwrap.dedent(SMALL).replace("  runtime: python3.11\n", "  runtime: python3.11\n  stage: a_b\n")
    code, err = _synth(_service(tmp_path / "svc", text), tmp_path / "out")
    assert code == 1
    assert "serverless.yml:5:3: provider.stage: stack name 'svc-a_b' is not one" in err


def _pair(tmp_path: Path, a: str, b: str, compose: str) -> Path:
    _service(tmp_path / "a", a)
    _service(tmp_path / "b", b)
    (tmp_path / "serverless-compose.yml").write_text(compose)
    return tmp_path / "serverless-compose.yml"


_NAMED = SMALL.replace("runtime: python3.11\n", "runtime: python3.11\n      stackName: shared\n")


@pytest.mark.parametrize(
    ("a", "b", "compose", "expected"),
    [
        (
            SMALL,
            SMALL,
            "services:\n  one:\n    path: a\n  two:\n    path: b\n",
            "serverless-compose.yml:4:3: services.two: services 'one' and 'two' both make the stack 'svc-dev'",
        ),
        (
            SMALL,
            SMALL.replace("service: svc", "service: other"),
            "services:\n  one:\n    path: a\n  two:\n    path: a\n",
            "serverless-compose.yml:4:3: services.two: services 'one' and 'two' both make the stack 'svc-dev'",
        ),
        (
            _NAMED,
            _NAMED.replace("service: svc", "service: other"),
            "services:\n  one:\n    path: a\n  two:\n    path: b\n",
            "serverless-compose.yml:4:3: services.two: services 'one' and 'two' both make the stack 'shared'",
        ),
    ],
    ids=["same-service-name", "same-path", "same-stack-name"],
)
def test_compose_services_making_the_same_stack(
    tmp_path: Path, a: str, b: str, compose: str, expected: str
) -> None:
    code, err = _synth(_pair(tmp_path, a, b, compose), tmp_path / "out")
    assert code == 1
    assert expected in err, err
    assert "give one of them its own service name or provider.stackName" in err


_MANY_FUNCTIONS = "".join(f"  f{i}:\n    handler: h.h\n" for i in range(170))
_MANY_TOPICS = "resources:\n  Resources:\n" + "".join(
    f"    T{i}:\n      Type: AWS::SNS::Topic\n" for i in range(520)
)


@pytest.mark.parametrize(
    ("where", "text", "expected", "hint"),
    [
        (
            "svc",
            textwrap.dedent(SMALL).replace("  f:\n    handler: h.h\n", _MANY_FUNCTIONS),
            "serverless.yml:7:1: functions: stack 'svc-dev' would hold 513 resources; "
            "CloudFormation allows 500 in one stack. Most are AWS::Logs::LogGroup (170), AWS::Lambda::Version (170)",
            "versionFunctions: false (removes the 170 AWS::Lambda::Version)",
        ),
        (
            "svc",
            textwrap.dedent(SMALL) + _MANY_TOPICS,
            "serverless.yml:11:3: resources.Resources: stack 'svc-dev' would hold 526 resources; "
            "CloudFormation allows 500 in one stack. Most are AWS::SNS::Topic (520)",
            "move some of these resources into a service of their own",
        ),
        (
            "compose",
            textwrap.dedent(SMALL).replace("  f:\n    handler: h.h\n", _MANY_FUNCTIONS),
            "b/serverless.yml:7:1: functions: stack 'bb-dev' would hold 513 resources",
            "split the service in two",
        ),
    ],
    ids=["functions", "resources", "one-compose-service"],
)
def test_more_than_500_resources_says_which_dominate(
    tmp_path: Path, where: str, text: str, expected: str, hint: str
) -> None:
    if where == "compose":
        target = _pair(
            tmp_path,
            SMALL.replace("service: svc", "service: aa"),
            text.replace("service: svc", "service: bb"),
            "services:\n  a:\n    path: a\n  b:\n    path: b\n",
        )
    else:
        target = _service(tmp_path / "svc", text)
    code, err = _synth(target, tmp_path / "out")
    assert code == 1
    assert expected in err, err
    assert hint in err, err


def test_an_unexpected_failure_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(commands._COMMANDS, "synth", broken)
    monkeypatch.delenv("SLS_CDK_DEBUG", raising=False)
    code, err = _synth(_service(tmp_path / "svc", SMALL), tmp_path / "out")
    assert code == 1
    assert err.startswith("error: internal error (ZeroDivisionError: division by zero). This is a bug")
    assert "SLS_CDK_DEBUG=1" in err and len(err.splitlines()) == 1
    monkeypatch.setenv("SLS_CDK_DEBUG", "1")
    err_io = io.StringIO()
    with contextlib.redirect_stderr(err_io):
        assert main(["synth", str(tmp_path / "svc")]) == 1
    assert "Traceback" in err_io.getvalue() and "internal error" in err_io.getvalue()


def test_interrupt_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(commands._COMMANDS, "synth", interrupted)
    code, err = _synth(_service(tmp_path / "svc", SMALL), tmp_path / "out")
    assert (code, err) == (130, "error: interrupted\n")


@pytest.mark.parametrize("out", ["afile", "afile/sub", "missing/parent/out"])
def test_out_must_be_a_folder_we_can_make(tmp_path: Path, out: str) -> None:
    (tmp_path / "afile").write_text("x")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["synth", str(_service(tmp_path / "svc", SMALL)), "--out", str(tmp_path / out)])
    assert code == 1 and err.getvalue().startswith(f"error: --out {tmp_path / out}: ")
    assert (tmp_path / "afile").read_text() == "x" and not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        (
            textwrap.dedent(SMALL).replace("  f:\n    handler: h.h\n", _MANY_FUNCTIONS),
            {},
            "would hold 513 resources",
        ),
        (
            textwrap.dedent(SMALL) + "resources:\n  Resources:\n    Data:\n      Type: AWS::S3::Bucket\n",
            {"nag": "true"},
            "finding(s) not acknowledged:\nerror:   AwsSolutions AwsSolutions-L1 (error)",
        ),
        (
            textwrap.dedent(SMALL).replace("    handler: h.h\n", "    handler: h.h\n    memorySize: 1\n"),
            {},
            "serverless.yml:10:5: functions.f.memorySize: memorySize must be between 128 and 10240",
        ),
    ],
    ids=["late-cdk-refusal", "nag-finding", "load-error"],
)
def test_cdk_synth_path_leaves_the_cli_folder_empty_on_failure(
    tmp_path: Path, text: str, context: dict[str, str], expected: str
) -> None:
    """app.py under ``cdk synth``: the CDK CLI's output folder holds nothing of a failed synth,
    whether the loader, CDK (late, while synthesizing) or cdk-nag (after synthesis) refuses it."""
    svc = _service(tmp_path / "svc", text)
    out = tmp_path / "cdk.out"
    out.mkdir()
    ctx = json.dumps({"service": str(svc), **context})
    env = {**os.environ, "CDK_OUTDIR": str(out), "CDK_CONTEXT_JSON": ctx}
    run = subprocess.run([sys.executable, str(ROOT / "app.py")], env=env, capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert expected in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ("sns: 'arn:aws:sns'", "11:9: functions.f.events[0].sns: 'arn:aws:sns' is not a whole ARN"),
        ("sqs: 'arn:aws:sqs'", "11:9: functions.f.events[0].sqs: 'arn:aws:sqs' is not a whole ARN"),
        ("stream: 'arn:aws'", "11:9: functions.f.events[0].stream: 'arn:aws' is not a whole ARN"),
        (
            "stream: 'arn:aws:kinesis:us-east-1:123456789012:stream'",
            "functions.f.events[0].stream: 'arn:aws:kinesis:us-east-1:123456789012:stream' is not a stream ARN",
        ),
        (
            "stream: {arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', destinations: {onFailure: 'arn:x'}}",
            "functions.f.events[0].stream.destinations.onFailure: 'arn:x' is not a whole ARN",
        ),
        (
            "eventBridge: {eventBus: 'arn:aws:events:us-east-1:123456789012:event-bus', pattern: {source: [x]}}",
            "functions.f.events[0].eventBridge: eventBus 'arn:aws:events:us-east-1:123456789012:event-bus' "
            "is not an event bus ARN",
        ),
    ],
)
def test_malformed_arns_are_located_errors_not_builder_crashes(
    tmp_path: Path, event: str, expected: str
) -> None:
    """Builders read an ARN's parts; a malformed one (AWS refuses it too) is refused at load, and
    only the real problem is named (not the other forms of the union)."""
    text = textwrap.dedent(SMALL) + f"    events:\n      - {event}\n"
    code, err = _synth(_service(tmp_path / "svc", text), tmp_path / "out")
    assert code == 1 and expected in err
    assert "input should be a valid" not in err


def _bomb(body: str) -> str:
    return textwrap.dedent(SMALL) + textwrap.dedent(body)


_DOUBLING = (
    "custom:\n  s: "
    + "x" * 80
    + "\n"
    + "".join(
        f"  s{i}: ${{self:custom.{'s' if i == 1 else f's{i - 1}'}}}${{self:custom.{'s' if i == 1 else f's{i - 1}'}}}\n"
        for i in range(1, 24)
    )
)
_LISTS = "custom:\n  l: [a, b, c, d, e, f, g, h]\n" + "".join(
    f"  l{i}: [" + ", ".join([f"'${{self:custom.{'l' if i == 1 else f'l{i - 1}'}}}'"] * 8) + "]\n"
    for i in range(1, 9)
)

_MANY = (
    "custom:\n  l: [a, b, c, d, e, f, g, h]\n"
    + "".join(
        f"  l{i}: [" + ", ".join([f"'${{self:custom.{'l' if i == 1 else f'l{i - 1}'}}}'"] * 8) + "]\n"
        for i in range(1, 7)
    )
    + "  l6b: ["
    + ", ".join(["'${self:custom.l5}'"] * 8)
    + "]\n"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("custom:\n  a: &a [*a]\n", "serverless.yml:11:6: an alias refers to the value that contains it"),
        ("custom:\n  a: &a {x: *a}\n", "serverless.yml:11:6: an alias refers to the value that contains it"),
        ("custom:\n  big: " + "9" * 5000 + "\n", "11:8: custom.big: a number of 5000 digits"),
        (_DOUBLING, "serverless.yml:25:3: custom.s14: resolves to more than 1,000,000 characters"),
        (_LISTS, "custom.l7[0]: resolves to more than 1,000,000 characters"),
        (_MANY, "serverless.yml:10:1: custom: the configuration resolves to more than 5,000,000 characters"),
        (
            "custom:\n  v: " + "${self:custom." * 400 + "a" + "}" * 400 + "\n",
            "serverless.yml:11:3: custom.v: variables nested more than 32 deep",
        ),
        (
            "custom:\n  a: &a [x]\n"
            + "".join(
                f"  b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n"
                for i in range(40)
            ),
            "serverless.yml:28:8: document expands to more than 200000 values through aliases",
        ),
    ],
    ids=[
        "alias-list",
        "alias-map",
        "huge-int",
        "string-doubling",
        "list-multiplying",
        "many-values",
        "nested-address",
        "alias-doubling",
    ],
)
def test_bombs_are_refused_by_budgets_in_bounded_memory(tmp_path: Path, body: str, expected: str) -> None:
    """Recursive aliases, huge numbers and variables that multiply a value are refused by explicit
    budgets, located at the first offending key, without building what they would expand to.

    The time bound is a hang guard, not a speed target: each takes well under a second, and an
    unbounded expansion would take minutes or exhaust memory."""
    import time
    import tracemalloc

    folder = _service(tmp_path / "svc", _bomb(body))
    tracemalloc.start()
    started = time.process_time()
    try:
        code, err = _synth(folder, tmp_path / "out")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    spent = time.process_time() - started
    assert code == 1 and expected in err, err
    assert peak < 50 * 1024 * 1024, f"{peak / 2**20:.0f} MB"
    assert spent < 10, f"{spent:.1f} s of CPU"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("    layers: [notanarn]\n", "10:14: functions.f.layers[0]: 'notanarn' is not a layer version ARN"),
        (
            "    layers: ['arn:aws:lambda:us-east-1:123456789012:layer:x']\n",
            "is not a layer version ARN (arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>)",
        ),
        (
            "resources:\n  Resources:\n    bad-id:\n      Type: AWS::SNS::Topic\n",
            "12:5: resources.Resources.bad-id: logical ID 'bad-id' is not one CloudFormation accepts",
        ),
        (
            "resources:\n  Outputs:\n    My_Out:\n      Value: x\n",
            "12:5: resources.Outputs.My_Out: logical ID 'My_Out' is not one CloudFormation accepts",
        ),
        ('custom:\n  a: "x\x00y"\n', "serverless.yml:11:8: file contains NUL bytes"),
    ],
    ids=["layer-not-arn", "layer-without-version", "resource-logical-id", "output-logical-id", "nul-byte"],
)
def test_aws_limits_and_locations(tmp_path: Path, extra: str, expected: str) -> None:
    code, err = _synth(_service(tmp_path / "svc", textwrap.dedent(SMALL) + extra), tmp_path / "out")
    assert code == 1 and expected in err, err


@pytest.mark.parametrize(
    ("included", "expected"),
    [
        ("    memorySize: huge\n", "fns/api.yml:4:5: functions.f.memorySize: "),
        (
            "    environment:\n      A: ${env:SLS_CDK_NOT_SET}\n",
            "fns/api.yml:5:7: functions.f.environment.A: cannot",
        ),
        (
            "    events:\n      - sqs: 'arn:aws:sqs'\n",
            "fns/api.yml:5:9: functions.f.events[0].sqs: 'arn:aws:sqs' is",
        ),
        ("    environment:\n      1BAD: x\n", "fns/api.yml:5:7: functions.f.environment.1BAD: environment"),
    ],
    ids=["schema", "variable", "event-arn", "aws-limit"],
)
def test_an_error_inside_an_included_file_names_both_places(
    tmp_path: Path, included: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SLS_CDK_NOT_SET", raising=False)
    folder = _service(tmp_path / "svc", SMALL.replace("    functions:\n      f:\n        handler: h.h\n", ""))
    (folder / "serverless.yml").write_text(
        (folder / "serverless.yml").read_text() + "functions: ${file(fns/api.yml):functions}\n"
    )
    (folder / "fns").mkdir()
    (folder / "fns" / "api.yml").write_text("functions:\n  f:\n    handler: h.h\n" + included)
    code, err = _synth(folder, tmp_path / "out")
    assert code == 1
    assert expected in err, err
    assert "\nerror:   included from " in err and "svc/serverless.yml:7:1" in err


def test_a_compose_output_that_does_not_exist(tmp_path: Path) -> None:
    _service(tmp_path / "a", SMALL.replace("service: svc", "service: aa"))
    _service(tmp_path / "b", SMALL.replace("service: svc", "service: bb"))
    (tmp_path / "serverless-compose.yml").write_text(
        "services:\n  a:\n    path: a\n  b:\n    path: b\n    params:\n      x: ${a.ServerlessDeploymentBucketNam}\n"
    )
    code, err = _synth(tmp_path / "serverless-compose.yml", tmp_path / "out")
    assert code == 1
    assert (
        "serverless-compose.yml:7:7: services.b.params.x: ${a.ServerlessDeploymentBucketNam}: "
        "service 'a' has no output 'ServerlessDeploymentBucketNam'"
    ) in err
    assert "did you mean 'ServerlessDeploymentBucketName'?" in err


@pytest.mark.parametrize(
    "value", ["0x" + "f" * 4000, "0o" + "7" * 4000, "!!int " + "1" * 5000], ids=["hex", "octal", "tagged"]
)
def test_huge_numbers_in_every_notation(tmp_path: Path, value: str) -> None:
    code, err = _synth(
        _service(tmp_path / "svc", textwrap.dedent(SMALL) + f"custom:\n  n: {value}\n"), tmp_path / "out"
    )
    assert (
        code == 1 and "11:6: custom.n: a number of " in err and " digits: no AWS setting takes one" in err
    ), err


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    """`sls-cdk print | head -1`: the reader left early; exit 0, nothing on stderr."""
    run = subprocess.run(
        f"{sys.executable} -m constructs_lib print {REFERENCE / 'f11-rest-api'} --format json | head -1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0 and run.stdout.strip() == "{"
    assert "error" not in run.stderr and "Traceback" not in run.stderr
