"""serverless-plugin-warmup 8.4.1, translated: the warmer's code is the plugin's byte for byte
(the reference cases keep what the plugin zipped, ``warmup-<Warmer>.mjs``), zipped
deterministically; the plugin's keys are validated like ours; stages and opt-outs decide which
warmers exist. The templates themselves are compared with v3's by tests/test_parity.py (f50-f52)."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from constructs_lib.errors import ConfigError, IgnoredAsInV3, SchemaError, SlsCdkError
from constructs_lib.loader.project import load_project, load_service
from tests.helpers import REFERENCE, synth

CASES = ("f50-warmup-default", "f51-warmup-options", "f52-warmup-httpapi")
BOOT_ZIP = REFERENCE / "08-schedule" / "boot.zip"


def _recorded(case: str) -> dict[str, bytes]:
    """``{warmer function key: the code the plugin zipped}`` of a reference case."""
    return {
        f"warmUpPlugin{p.stem.removeprefix('warmup-')}": p.read_bytes()
        for p in sorted((REFERENCE / case).glob("warmup-*.mjs"))
    }


@pytest.mark.parametrize("case", CASES)
def test_warmer_code_is_the_plugins(case: str) -> None:
    service = load_project(REFERENCE / case, stage="dev").services[0]
    recorded = _recorded(case)
    assert recorded, "the case keeps the plugin's code"
    for key, code in recorded.items():
        with zipfile.ZipFile(service.function_artifact(key)) as zf:
            (entry,) = zf.infolist()  # only the warmer's own file (the plugin's `!**` first)
            assert entry.filename.endswith("/index.mjs")
            assert service.functions[key].handler == entry.filename.removesuffix(".mjs") + ".warmUp"
            assert (entry.external_attr >> 16) & 0o777 == 0o644
            assert zf.read(entry) == code
    assert not (REFERENCE / case / ".warmup").exists(), "the code folder is removed (cleanFolder)"


def _service(tmp_path: Path, body: str, *, plugin: bool = True) -> Path:
    shutil.copyfile(BOOT_ZIP, tmp_path / "boot.zip")
    plugins = "plugins:\n  - serverless-plugin-warmup\n" if plugin else ""
    (tmp_path / "serverless.yml").write_text(
        "service: svc\nframeworkVersion: '3'\n" + plugins + "provider:\n  name: aws\n"
        "  runtime: provided.al2023\n  region: us-east-1\n" + body
    )
    return tmp_path / "serverless.yml"


_FUNCTIONS = """functions:
  a:
    handler: bootstrap
    package:
      artifact: boot.zip
"""


def test_zip_is_deterministic(tmp_path: Path) -> None:
    file = _service(tmp_path, "custom:\n  warmup:\n    default:\n      enabled: true\n" + _FUNCTIONS)
    digests = set()
    for _ in range(2):
        zip_path = load_service(file, stage="dev").function_artifact("warmUpPluginDefault")
        digests.add(hashlib.sha256(zip_path.read_bytes()).hexdigest())
    assert len(digests) == 1
    assert not (tmp_path / ".warmup").exists()


def test_clean_folder_false_keeps_the_code(tmp_path: Path) -> None:
    file = _service(
        tmp_path, "custom:\n  warmup:\n    w:\n      enabled: true\n      cleanFolder: false\n" + _FUNCTIONS
    )
    load_service(file, stage="dev")
    assert (tmp_path / ".warmup" / "w" / "index.mjs").is_file()


@pytest.mark.parametrize(
    ("enabled", "stage", "made"),
    [("prod", "dev", False), ("prod", "prod", True), ("[qa, dev]", "dev", True), ("false", "dev", False)],
)
def test_warmers_follow_the_stage(tmp_path: Path, enabled: str, stage: str, made: bool) -> None:
    file = _service(tmp_path, f"custom:\n  warmup:\n    default:\n      enabled: {enabled}\n" + _FUNCTIONS)
    resources = synth(file, stage=stage)[f"svc-{stage}"]["Resources"]
    assert ("WarmUpPluginDefaultLambdaFunction" in resources) is made
    assert ("WarmUpPluginDefaultRole" in resources) is made
    if made:
        rule = resources["WarmUpPluginDefaultEventsRuleSchedule1"]["Properties"]
        assert rule["ScheduleExpression"] == "rate(5 minutes)"


def test_a_function_opts_out(tmp_path: Path) -> None:
    body = (
        "custom:\n  warmup:\n    default:\n      enabled: true\n"
        + _FUNCTIONS
        + (
            "  b:\n    handler: bootstrap\n    package:\n      artifact: boot.zip\n"
            "    warmup:\n      default:\n        enabled: false\n"
        )
    )
    role = synth(_service(tmp_path, body), stage="dev")["svc-dev"]["Resources"]["WarmUpPluginDefaultRole"]
    invoke = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][2]
    assert invoke["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:svc-dev-a*"}
    ]


def test_without_the_plugin_nothing_is_added(tmp_path: Path) -> None:
    file = _service(
        tmp_path, "custom:\n  warmup:\n    default:\n      enabled: true\n" + _FUNCTIONS, plugin=False
    )
    assert list(load_service(file, stage="dev").functions) == ["a"]


def _error(file: Path, **kwargs: object) -> SlsCdkError:
    with pytest.raises(SlsCdkError) as info:
        load_service(file, stage="dev", **kwargs)  # type: ignore[arg-type]
    return info.value


def test_unknown_warmer_of_a_function_is_located(tmp_path: Path) -> None:
    body = (
        "custom:\n  warmup:\n    default:\n      enabled: true\n"
        + _FUNCTIONS
        + ("    warmup:\n      defualt:\n        concurrency: 2\n")
    )
    err = _error(_service(tmp_path, body))
    assert isinstance(err, ConfigError)
    assert err.path == ("functions", "a", "warmup", "defualt")
    assert err.location is not None and err.location.line == 19
    assert err.hint == "did you mean 'default'?"


def test_unknown_warmer_key_warns_or_refuses(tmp_path: Path) -> None:
    body = "custom:\n  warmup:\n    default:\n      enabled: true\n      concurency: 2\n" + _FUNCTIONS
    file = _service(tmp_path, body)
    warnings = [w for w in load_service(file, stage="dev").warnings if "concurency" in str(w.path)]
    assert len(warnings) == 1 and warnings[0].location is not None
    assert warnings[0].location.line == 13 and "concurrency" in (warnings[0].hint or "")
    err = _error(file, strict=True)
    assert "concurency" in str(err)


def test_bad_values_are_located(tmp_path: Path) -> None:
    body = "custom:\n  warmup:\n    default:\n      enabled: true\n      memorySize: lots\n" + _FUNCTIONS
    err = _error(_service(tmp_path, body))
    assert "memorySize" in str(err) and "serverless.yml:13:7" in str(err)


def test_a_too_long_warmer_name_is_located(tmp_path: Path) -> None:
    body = (
        "custom:\n  warmup:\n    default:\n      enabled: true\n      name: " + "w" * 65 + "\n" + _FUNCTIONS
    )
    err = _error(_service(tmp_path, body))
    assert err.path == ("custom", "warmup", "default", "name") and "AWS allows 64" in err.message
    assert err.location is not None and err.location.line == 13


def test_a_traced_warmer_is_refused(tmp_path: Path) -> None:
    body = "custom:\n  warmup:\n    default:\n      enabled: true\n      tracing: Active\n" + _FUNCTIONS
    err = _error(_service(tmp_path, body))
    assert err.path == ("custom", "warmup", "default", "tracing") and "aws-xray-sdk-core" in err.message


def test_a_raw_payload_string_warns_as_v3(tmp_path: Path) -> None:
    body = (
        "custom:\n  warmup:\n    default:\n      enabled: true\n"
        + _FUNCTIONS
        + ("    warmup:\n      default:\n        payload: '{\"x\":1}'\n        payloadRaw: true\n")
    )
    service = load_service(_service(tmp_path, body), stage="dev")
    (warning,) = [w for w in service.warnings if isinstance(w, SchemaError) and "payload" in w.path]
    assert warning.path == ("functions", "a", "warmup", "default", "payload")
    assert warning.location is not None and warning.location.line == 20
    code = zipfile.ZipFile(service.function_artifact("warmUpPluginDefault")).read(".warmup/default/index.mjs")
    assert b'"payload": "{\\"x\\":1}"' in code


def test_without_the_plugin_a_functions_warmup_is_v3s_unknown_key(tmp_path: Path) -> None:
    body = _FUNCTIONS + "    warmup:\n      default:\n        enabled: true\n"
    file = _service(tmp_path, body, plugin=False)
    (warning,) = [w for w in load_service(file, stage="dev").warnings if "warmup" in w.path]
    assert isinstance(warning, IgnoredAsInV3) and warning.path == ("functions", "a", "warmup")
    assert "plugins" in (warning.hint or "")
    assert "warmup" in str(_error(file, strict=True))


def test_a_service_artifact_leaves_the_warmer_its_own_zip(tmp_path: Path) -> None:
    """The warmer is packaged individually, so a service-level artifact is not its code (v3's rule)."""
    body = "package:\n  artifact: boot.zip\ncustom:\n  warmup:\n    default:\n      enabled: true\n"
    service = load_service(
        _service(tmp_path, body + "functions:\n  a:\n    handler: bootstrap\n"), stage="dev"
    )
    assert service.function_artifact("a").name == "boot.zip"
    with zipfile.ZipFile(service.function_artifact("warmUpPluginDefault")) as zf:
        assert zf.namelist() == [".warmup/default/index.mjs"]
