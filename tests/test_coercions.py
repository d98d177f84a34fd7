"""v3's coercions (ajv ``coerceTypes: 'array'``), runtimes and CORS warnings (issue 16 item 2).

v3 coerces the config in place before compiling it; :class:`Base` does the same for every field
of every model. The reference cases f34-f39 prove the templates against v3's; these tests prove
the rules themselves, every model's list fields, and the located warnings."""

from __future__ import annotations

import textwrap
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from constructs_lib import events, limits
from constructs_lib.config.model import Service
from constructs_lib.config.model.values import Tracing
from constructs_lib.config.schema import Coerced, coerce, js_text, json_kinds
from constructs_lib.errors import SlsCdkError
from constructs_lib.loader.project import load_service
from tests.helpers import REFERENCE, synth


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every model an annotation names, through unions, lists, dicts and ``Annotated``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if get_origin(annotation) in (Annotated, Union, types.UnionType, list, dict, tuple):
        return [m for arg in get_args(annotation) for m in _models_in(arg)]
    return []


def _every_model() -> list[type[BaseModel]]:
    """Service and every event model, and every model reachable from their fields."""
    todo: list[type[BaseModel]] = [Service, *(entry.model for entry in events.REGISTRY.values())]
    seen: list[type[BaseModel]] = []
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for field in model.model_fields.values():
            todo.extend(_models_in(field.annotation))
    return seen


def test_every_model_coerces_as_v3() -> None:
    """Every model derives from Base (so v3's coercions apply), and every list field takes a
    single value, as ajv wraps a scalar where v3's schema wants an array."""
    models = _every_model()
    assert len(models) > 60
    not_base = [m.__qualname__ for m in models if not issubclass(m, Coerced)]
    # raw CloudFormation, kept verbatim: v3's schema types only its sections (objects)
    assert not_base == ["ResourcesSection"]
    refused: list[str] = []
    for model in models:
        for name, field in model.model_fields.items():
            kinds = json_kinds(field.annotation)
            if "array" not in kinds or "string" in kinds or "any" in kinds:
                continue
            if not isinstance(coerce("x", field.annotation), list):
                refused.append(f"{model.__qualname__}.{name}")
    assert refused == []


@pytest.mark.parametrize(
    ("value", "text"),
    [(5, "5"), (5.0, "5"), (1.5, "1.5"), (True, "true"), (False, "false"), (1e21, "1e+21"), (1e-7, "1e-7")],
)
def test_numbers_and_booleans_become_text_as_javascript_writes_them(value: bool | float, text: str) -> None:
    assert js_text(value) == text
    assert coerce(value, str) == text


def test_ajv_table() -> None:
    """ajv 8 (lib/compile/validate/dataType.ts): only "true"/"false" become booleans; numbers stay
    for integer fields (pydantic parses the text); a one-item list is unwrapped for a scalar."""
    assert coerce("true", bool) is True and coerce("false", bool | None) is False
    assert coerce(["512"], int) == "512"
    assert coerce("a", list[str]) == ["a"]
    assert coerce(5, list[str]) == ["5"]
    assert coerce({"k": 5}, dict[str, list[str]]) == {"k": ["5"]}
    assert coerce({"Ref": "X"}, dict[str, list[str]]) == {"Ref": "X"}
    assert coerce(["a", "b"], str) == ["a", "b"]  # two items stay a list (and are refused)
    assert coerce(["Active"], Tracing) == ["Active"]  # an enum without a type: ajv leaves it


SERVICE = """\
service: coerce
provider:
  name: aws
  runtime: provided.al2023
  region: us-east-1
  deploymentBucket:
    name: my.serverless
package:
  artifact: boot.zip
functions:
  hello:
    handler: bootstrap
"""


def _load(tmp_path: Path, text: str) -> Any:
    (tmp_path / "serverless.yml").write_text(textwrap.dedent(text))
    (tmp_path / "boot.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return load_service(tmp_path / "serverless.yml")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "    versionFunction: 'yes'",
            "serverless.yml:13:5: functions.hello.versionFunction: input should be a valid boolean",
        ),
        ("    memorySize: '10.5'", "serverless.yml:13:5: functions.hello.memorySize:"),
        ("    environment:\n      ARR: [a, b]", "serverless.yml:14:7: functions.hello.environment.ARR:"),
    ],
    ids=["bool-text", "fraction-for-integer", "two-item-list-for-text"],
)
def test_what_v3_cannot_coerce_stays_an_error(tmp_path: Path, line: str, expected: str) -> None:
    """v3 passes these through with a warning and AWS (or v3's truthiness) gets them wrong."""
    with pytest.raises(SlsCdkError) as caught:
        _load(tmp_path, SERVICE + line + "\n")
    assert expected in caught.value.format(), caught.value.format()


def test_coerced_values_reach_the_template(tmp_path: Path) -> None:
    extra = "    memorySize: ['256']\n    versionFunction: 'false'\n    environment:\n      N: 1.0\n"
    (tmp_path / "serverless.yml").write_text(SERVICE + extra)
    (tmp_path / "boot.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (template,) = synth(tmp_path / "serverless.yml").values()
    props = template["Resources"]["HelloLambdaFunction"]["Properties"]
    assert props["MemorySize"] == 256 and props["Environment"]["Variables"] == {"N": "1"}
    assert not any(r["Type"] == "AWS::Lambda::Version" for r in template["Resources"].values())


def _warnings(folder: Path) -> list[str]:
    return [w.format() for w in load_service(folder / "serverless.yml", stage="dev").warnings]


def test_runtime_warnings_are_located() -> None:
    text = "\n".join(_warnings(REFERENCE / "f37-runtimes"))
    where = "tests/reference/sls3/f37-runtimes/serverless.yml"
    enum = "must be equal to one of the allowed values [dotnet6, go1.x, java21,"
    assert (
        f"{where}:5:3: provider.runtime: runtime nodejs14.x of 'inherits' is deprecated by AWS since 2023-12-04"
        in text
    )
    assert f"{where}:23:5: functions.old.runtime: {enum}" in text
    assert (
        f"{where}:23:5: functions.old.runtime: runtime nodejs12.x of 'old' is deprecated by AWS since 2023-03-31"
        in text
    )
    assert f"{where}:26:5: functions.py37.runtime: runtime python3.7 of 'py37' is deprecated" in text
    assert f"{where}:26:5: functions.py37.runtime: {enum}" not in text  # in v3's list
    assert f"{where}:29:5: functions.py312.runtime: {enum}" in text
    assert "hint: Lambda supports python3.12, newer than v3.40.0's list: kept as written" in text
    assert f"{where}:32:5: functions.node22.runtime: {enum}" in text
    assert f"{where}:16:9: layers.shared.compatibleRuntimes[0]: {enum}" in text
    assert f"{where}:17:9: layers.shared.compatibleRuntimes[1]: runtime nodejs14.x of layer 'shared'" in text


def test_unknown_runtime_is_kept_with_a_guess(tmp_path: Path) -> None:
    svc = _load(tmp_path, SERVICE.replace("runtime: provided.al2023", "runtime: pyhton3.12"))
    (warning,) = [w.format() for w in svc.warnings]
    assert ("serverless.yml:4:3: provider.runtime: must be equal to one of the allowed values") in warning
    assert "did you mean 'python3.12'?" in warning
    (template,) = synth(tmp_path / "serverless.yml").values()
    assert template["Resources"]["HelloLambdaFunction"]["Properties"]["Runtime"] == "pyhton3.12"


def test_deprecation_follows_the_date() -> None:
    assert limits.deprecated_since("nodejs20.x", "2026-04-29") is None
    assert limits.deprecated_since("nodejs20.x", "2026-04-30") == "2026-04-30"
    assert limits.deprecated_since("provided.al2023", "2026-12-02") is None
    assert set(limits.V3_RUNTIMES) <= limits.KNOWN_RUNTIMES


def test_rest_cors_star_with_credentials_is_a_warning() -> None:
    text = "\n".join(_warnings(REFERENCE / "f38-cors-rest-credentials"))
    where = "tests/reference/sls3/f38-cors-rest-credentials/serverless.yml"
    message = "cors answers the origin '*' with allowCredentials: true"
    assert f"{where}:18:11: functions.api.events[0].http.cors: {message}" in text
    assert f"{where}:24:11: functions.api.events[1].http.cors: {message}" in text
    assert "events[2]" not in text


def test_http_api_cors_star_with_credentials_is_an_error(tmp_path: Path) -> None:
    text = SERVICE.replace(
        "  deploymentBucket:",
        "  httpApi:\n    cors:\n      allowedOrigins: '*'\n      allowCredentials: 'true'\n  deploymentBucket:",
    )
    with pytest.raises(SlsCdkError) as caught:
        _load(tmp_path, text)
    message = caught.value.format()
    assert "serverless.yml:7:5: provider.httpApi.cors: allowCredentials: true cannot be combined" in message
    assert "API Gateway refuses" in message


def test_enum_and_boolean_fields() -> None:
    """``tracing: Active`` stays; ``tracing: 'true'`` is the boolean, as in ajv's anyOf."""
    assert coerce("Active", Tracing) == "Active" and coerce("true", Tracing) is True


def test_validation_mode_off_silences_v3s_schema_warning_only(tmp_path: Path) -> None:
    """v3 prints no schema warning with ``configValidationMode: off``; AWS's deprecation still counts."""
    text = "configValidationMode: off\n" + SERVICE.replace("runtime: provided.al2023", "runtime: nodejs12.x")
    (warning,) = [w.format() for w in _load(tmp_path, text).warnings]
    assert "provider.runtime: runtime nodejs12.x of 'hello' is deprecated by AWS since 2023-03-31" in warning


def test_a_boolean_literal_stays_a_boolean() -> None:
    """``consumer: true`` (``Literal[True] | arn``) is not turned into the text "true"."""
    from typing import Literal

    assert coerce(True, Literal[True] | str) is True
    assert coerce(True, str) == "true"
