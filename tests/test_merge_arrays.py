"""``functions``/``resources`` written as lists (v3's ``mergeArrays``, lib/classes/service.js):
lodash ``_.merge`` semantics, and the locations that must still name the file, line and column the
user wrote after entries from several files are merged (the reference cases f28-f32 prove the
templates)."""

from __future__ import annotations

import contextlib
import io
import textwrap
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.cli.commands import main
from constructs_lib.config.lodash import merge_json
from constructs_lib.errors import SlsCdkError
from constructs_lib.loader.project import LoadedService, load_service

HEAD = """\
service: svc
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
package:
  artifact: boot.zip
"""

FNS1 = """\
one:
  handler: handler.one
two:
  handler: handler.twoFromFile
  memorySize: 128
  description: from fns1.yml
"""

LISTED = """\
functions:
  - ${file(fns1.yml)}
  - two:
      handler: handler.two
      memorySize: 256
      events:
        - sqs: arn:aws:sqs:us-east-1:123456789012:a
        - sqs: arn:aws:sqs:us-east-1:123456789012:b
  - two:
      timeout: 20
      events:
        - sqs:
            arn: arn:aws:sqs:us-east-1:123456789012:c
  - ~
"""


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, **files: str) -> Path:
    """A service folder (the current directory, so messages name files as a user sees them)."""
    (tmp_path / "serverless.yml").write_text(HEAD + textwrap.dedent(body))
    (tmp_path / "boot.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    for name, text in files.items():
        (tmp_path / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name.replace("__", "/")).write_text(textwrap.dedent(text))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "serverless.yml"


def where(svc: LoadedService, *path: str | int) -> str:
    return str(svc.sources.locate(path))


def check(tmp_path: Path) -> tuple[int, str]:
    """``sls-cdk check`` in the project: exit code and what it printed on stderr."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(["check", str(tmp_path)])
    return code, stderr.getvalue()


# ---- lodash _.merge on JSON data -------------------------------------------------------------------
def test_merge_json_is_lodash_merge_with_null_as_a_value() -> None:
    """Mappings key by key, lists index by index, null replaces (it is not undefined), a value
    of another kind replaces, and key order is first insertion."""
    target: dict[str, Any] = {"a": {"x": 1, "y": [1, {"k": 1}, 3]}, "b": "keep", "c": {"gone": 1}}
    merge_json(target, {"c": None, "a": {"y": [None, {"j": 2}], "z": True}, "d": [1]})
    assert target == {
        "a": {"x": 1, "y": [None, {"k": 1, "j": 2}, 3], "z": True},
        "b": "keep",
        "c": None,
        "d": [1],
    }
    assert list(target) == ["a", "b", "c", "d"]
    merge_json(target, {"c": {"back": 1}, "b": {"now": "object"}, "d": {"0": 9}})
    assert (target["c"], target["b"], target["d"]) == ({"back": 1}, {"now": "object"}, [9])


def test_merge_json_copies_what_it_takes() -> None:
    """A mapping or list taken from a source is a fresh copy: merging a later entry into the
    result never changes the entry it came from (lodash clones into an empty object)."""
    first: dict[str, Any] = {"fn": {"events": [{"sqs": "a"}]}}
    merged: dict[str, Any] = {}
    merge_json(merged, first)
    merge_json(merged, {"fn": {"events": [{"sqs": {"arn": "c"}}]}})
    assert first == {"fn": {"events": [{"sqs": "a"}]}}
    assert merged == {"fn": {"events": [{"sqs": {"arn": "c"}}]}}


def test_merge_json_list_into_mapping_and_mapping_into_list() -> None:
    """A list merged into a mapping gives keys "0", "1"; a mapping merged into a list reaches
    only its indexes, and every other key is reported by its source path."""
    merged: dict[str, Any] = {}
    merge_json(merged, [{"one": 1}, {"two": 2}])
    assert merged == {"0": {"one": 1}, "1": {"two": 2}}
    dropped: list[tuple[str | int, ...]] = []
    target: dict[str, Any] = {"events": [{"a": 1}, {"b": 2}]}
    merge_json(target, {"events": {"1": {"c": 3}, "name": "x", "9": {}}}, dropped.append)
    assert target == {"events": [{"a": 1}, {"b": 2, "c": 3}]}
    assert dropped == [("events", "name"), ("events", "9")]


# ---- locations after the merge -------------------------------------------------------------------
def test_merged_values_are_located_where_their_last_writer_wrote_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each merged value is located in the entry (or file) its value came from."""
    svc = load_service(project(tmp_path, monkeypatch, LISTED, **{"fns1.yml": FNS1}))
    two = svc.model.functions["two"]
    assert (two.timeout, two.memory_size, two.description) == (20, 256, "from fns1.yml")
    assert where(svc, "functions", "one", "handler") == "fns1.yml:2:3"
    assert where(svc, "functions", "two", "description") == "fns1.yml:6:3"
    assert where(svc, "functions", "two", "handler") == "serverless.yml:11:7"
    assert where(svc, "functions", "two", "memorySize") == "serverless.yml:12:7"
    assert where(svc, "functions", "two", "timeout") == "serverless.yml:17:7"
    assert where(svc, "functions", "two", "events", 0, "sqs", "arn") == "serverless.yml:20:13"
    assert where(svc, "functions", "two", "events", 1, "sqs") == "serverless.yml:15:11"
    assert not [path for path, _ in svc.sources.items() if path[:2] == ("functions", 0)]


def test_an_error_in_an_included_entry_names_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation runs on the merged mapping, and its errors still name the included file."""
    fns = FNS1.replace("  memorySize: 128", "  memorySize: lots")
    project(tmp_path, monkeypatch, LISTED.replace("      memorySize: 256\n", ""), **{"fns1.yml": fns})
    code, text = check(tmp_path)
    assert code == 1
    assert "fns1.yml:5:3: functions.two.memorySize:" in text, text
    assert "Traceback" not in text


def test_a_value_replaced_later_is_located_at_the_replacement_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``again: ~`` then ``again: {...}``: lodash starts a fresh object, so nothing of the
    first ``again`` is left, in the data or in the locations; a null function is deleted."""
    body = """\
    functions:
      - again: {handler: h.old, memorySize: 2048}
        gone: {handler: h.gone}
      - again: ~
        gone: ~
      - again: {handler: h.again}
    """
    svc = load_service(project(tmp_path, monkeypatch, body))
    assert list(svc.model.functions) == ["again"]
    assert svc.data["functions"] == {"again": {"handler": "h.again"}}
    assert where(svc, "functions", "again") == "serverless.yml:13:5"
    assert where(svc, "functions", "again", "memorySize") == "serverless.yml:13:5"  # the function
    assert not [path for path, _ in svc.sources.items() if "gone" in path]


def test_resources_list_is_located_per_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``resources:`` lists merge the same way: R1's Tags index by index, each tag located in
    the entry that wrote it; an output from a file is located in that file."""
    body = """\
    functions:
      hello: {handler: h.hello}
    resources:
      - Resources:
          R1:
            Type: AWS::SNS::Topic
            Properties:
              Tags: [{Key: a, Value: "1"}, {Key: b, Value: "2"}]
      - ${file(res/outputs.yml)}
      - Resources:
          R1:
            Properties:
              Tags: [{Key: c, Value: "3"}]
    """
    outputs = """\
    Outputs:
      O1:
        Value: !Ref R1
    """
    svc = load_service(project(tmp_path, monkeypatch, body, **{"res__outputs.yml": outputs}))
    tags = svc.data["resources"]["Resources"]["R1"]["Properties"]["Tags"]
    assert tags == [{"Key": "c", "Value": "3"}, {"Key": "b", "Value": "2"}]
    assert (
        where(svc, "resources", "Resources", "R1", "Properties", "Tags", 0, "Key") == "serverless.yml:20:19"
    )
    assert (
        where(svc, "resources", "Resources", "R1", "Properties", "Tags", 1, "Key") == "serverless.yml:15:41"
    )
    assert where(svc, "resources", "Outputs", "O1", "Value") == "res/outputs.yml:3:5"


def test_a_file_holding_a_list_merges_like_an_inline_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``functions: ${file(functions.yml)}`` where the file is a list; falsy entries are skipped."""
    listed = """\
    - one: {handler: h.one, memorySize: 512}
    - false
    - 0
    - ""
    - one: {handler: h.oneOverride}
    """
    svc = load_service(
        project(tmp_path, monkeypatch, "functions: ${file(functions.yml)}\n", **{"functions.yml": listed})
    )
    assert svc.data["functions"] == {"one": {"handler": "h.oneOverride", "memorySize": 512}}
    assert where(svc, "functions", "one", "handler") == "functions.yml:5:9"
    assert where(svc, "functions", "one", "memorySize") == "functions.yml:1:25"


def test_a_dropped_key_is_a_located_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mapping merged into an earlier entry's list keeps only its indexes (as in v3): the
    other keys are reported where they were written."""
    body = """\
    functions:
      - one:
          handler: h.one
          events: [{schedule: rate(1 minute)}]
      - one:
          events:
            schedule: rate(2 minutes)
    """
    svc = load_service(project(tmp_path, monkeypatch, body))
    assert svc.data["functions"]["one"]["events"] == [{"schedule": "rate(1 minute)"}]
    merged = [
        w.format().splitlines()[0]
        for w in svc.warnings
        if w.path[:1] != ("provider",) and w.path[-1:] != ("handler",)  # runtime, zip contents
    ]
    assert merged == [
        "serverless.yml:14:9: functions[1].one.events.schedule: 'schedule' is ignored: it merges into "
        "a list an earlier functions entry wrote at functions.one.events, and only the list's indexes "
        "can be merged there"
    ]


# ---- errors, located -----------------------------------------------------------------------------
ERRORS = [
    (
        "non-object-entry",
        "functions:\n  - one: {handler: h.one}\n  - oops\n",
        {},
        "serverless.yml:10:5: functions[1]: non-object value specified in functions array: oops",
    ),
    (
        "non-object-resources-entry",
        "functions:\n  one: {handler: h.one}\nresources:\n  - Resources: {}\n  - true\n",
        {},
        "serverless.yml:12:5: resources[1]: non-object value specified in resources array: true",
    ),
    (
        "function-not-a-map-in-entry",
        "functions:\n  - one: {handler: h.one}\n  - two: 5\n",
        {},
        "serverless.yml:10:5: functions.two: function 'two' must be a mapping (handler, events...), not 5",
    ),
    (
        "function-not-a-map-in-file",
        "functions:\n  - ${file(fns.yml)}\n",
        {"fns.yml": "one: {handler: h.one}\ntwo: [handler]\n"},
        "fns.yml:2:1: functions.two: function 'two' must be a mapping (handler, events...), not a list",
    ),
    (
        "function-not-a-map-plain",
        "functions:\n  one: handler.one\n",
        {},
        "serverless.yml:9:3: functions.one: function 'one' must be a mapping (handler, events...), not 'handler.one'",
    ),
]


@pytest.mark.parametrize(("body", "files", "expected"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_shape_errors_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, files: dict[str, str], expected: str
) -> None:
    project(tmp_path, monkeypatch, body, **files)
    with pytest.raises(SlsCdkError) as caught:
        load_service(tmp_path / "serverless.yml")
    assert expected in caught.value.format()
    code, text = check(tmp_path)
    assert code == 1 and expected in text and "Traceback" not in text, text


def test_every_bad_entry_is_reported_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "functions:\n  - 7\n  - one: 1\n  - two: {handler: h.two}\n  - oops\n"
    project(tmp_path, monkeypatch, body)
    code, text = check(tmp_path)
    assert code == 1
    assert "serverless.yml:9:5: functions[0]: non-object value specified in functions array: 7" in text
    assert "serverless.yml:12:5: functions[3]: non-object value specified in functions array: oops" in text
    assert "serverless.yml:10:5: functions.one: function 'one' must be a mapping" in text


def test_an_entry_that_is_a_list_is_a_located_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """v3 merges a list entry as a mapping keyed "0", "1"...; with ``configValidationMode: warn``
    that passes with unknown-key warnings, and this one names the cause."""
    body = """\
    configValidationMode: warn
    functions:
      one: {handler: h.one}
    resources:
      - ${file(res.yml)}
    """
    res = "- Resources:\n    Q: {Type: AWS::SQS::Queue}\n"
    svc = load_service(project(tmp_path, monkeypatch, body, **{"res.yml": res}))
    shown = [w.format().splitlines()[0] for w in svc.warnings]
    assert shown[0] == (
        "res.yml:1:1: resources[0]: this resources entry is itself a list: "
        "v3 merges it as a mapping with keys '0', '1'..."
    )
    assert "res.yml:1:3: resources.0: unknown key '0'" in shown[1], shown


def test_an_entry_naming_a_file_hints_at_file_include(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, "functions:\n  - fns1.yml\n", **{"fns1.yml": FNS1})
    code, text = check(tmp_path)
    assert code == 1
    assert "serverless.yml:9:5: functions[0]: non-object value specified in functions array: fns1.yml" in text
    assert "hint: to include a file write ${file(fns1.yml)}" in text
