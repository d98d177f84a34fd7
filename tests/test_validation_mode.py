"""v3's ``configValidationMode``: what v3 ignores with a warning (its default, ``warn``) we ignore
with the same warning, located; ``off`` is silent; ``error`` and ``--strict`` refuse.

The reference cases are the proof: ``v3-warnings.txt`` in a case folder holds the configuration
warnings serverless@3.40.0 printed for it (written by tests/reference/regenerate.py), and every
one must be among our located warnings, while every key or event we ignore must be one v3
warned about. The templates themselves are compared by tests/test_parity.py.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from constructs_lib.cli.commands import main
from constructs_lib.errors import IgnoredAsInV3, SlsCdkError
from constructs_lib.loader.project import load_project
from tests.helpers import V3_WARNINGS, template_cases

CASES = {case.name: case for case in template_cases()}
_V3_LINE = re.compile(r"^at (?:root|'(?P<path>[^']*)'): (?P<message>.*)$")
_UNRECOGNIZED = re.compile(r"^unrecognized property '(?P<key>[^']*)'$")


def v3_warning_paths(text: str) -> set[str]:
    """``at 'functions.a': unrecognized property 'x'`` -> ``functions.a.x`` (the key's own path,
    as our warnings name it); other messages keep v3's path."""
    paths: set[str] = set()
    for line in text.splitlines():
        match = _V3_LINE.match(line)
        assert match, f"not a v3 configuration warning: {line!r}"
        parts = [p for p in (match["path"] or "").split(".") if p]
        key = _UNRECOGNIZED.match(match["message"])
        paths.add(".".join([*parts, key["key"]] if key else parts))
    return paths


def dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_v3_configuration_warnings_are_ours(name: str) -> None:
    case = CASES[name]
    file = case.folder / V3_WARNINGS
    theirs = v3_warning_paths(file.read_text()) if file.is_file() else set()
    project = load_project(case.target, stage=case.stage)
    warnings = [w for svc in project.services for w in svc.warnings]
    ours = {dotted(tuple(w.path)): w for w in warnings}
    assert theirs <= set(ours), f"v3 warned, we did not: {sorted(theirs - set(ours))}"
    ignored = {dotted(tuple(w.path)) for w in warnings if isinstance(w, IgnoredAsInV3)}
    assert ignored <= theirs, f"we ignore what v3 compiles: {sorted(ignored - theirs)}"
    for path in theirs:
        where = ours[path].location
        assert where is not None and where.line and where.column, f"{path}: warning not located"


def test_every_warning_case_is_checked() -> None:
    """The comparison above is not vacuous: cases with v3 warnings of each kind exist."""
    texts = "".join(f.read_text() for f in Path(__file__).parent.glob(f"reference/sls3/*/{V3_WARNINGS}"))
    for message in ("unrecognized property", "must be object", "unsupported function event"):
        assert message in texts


def _run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    return code, err.getvalue()


def test_warn_is_the_default_and_says_where(tmp_path: Path) -> None:
    case = CASES["f40-warn-mode"]
    code, err = _run("check", str(case.folder))
    assert code == 0
    assert re.search(r"serverless\.yml:9:3: provider\.memorySze: unknown key 'memorySze'.*ignored", err)
    assert "did you mean 'memorySize'?" in err


def test_strict_flag_refuses_what_warn_ignores(tmp_path: Path) -> None:
    case = CASES["f40-warn-mode"]
    out = tmp_path / "out"
    code, err = _run("synth", str(case.folder), "--strict", "--out", str(out))
    assert code == 1
    assert "Traceback" not in err
    assert re.search(r"serverless\.yml:9:3: provider\.memorySze: unknown key 'memorySze'$", err, re.M)
    assert not out.exists()


def test_off_is_silent() -> None:
    project = load_project(CASES["f41-validation-off"].target, stage="dev")
    assert not [w for w in project.services[0].warnings if isinstance(w, IgnoredAsInV3)]


def test_error_mode_reports_every_problem_at_once(tmp_path: Path) -> None:
    text = (CASES["f40-warn-mode"].folder / "serverless.yml").read_text()
    (tmp_path / "serverless.yml").write_text(text + "configValidationMode: error\n")
    (tmp_path / "boot.zip").write_bytes((CASES["f40-warn-mode"].folder / "boot.zip").read_bytes())
    with pytest.raises(SlsCdkError) as info:
        load_project(tmp_path, stage="dev")
    assert info.value.format().count("unknown key") == 9


@pytest.mark.parametrize(
    ("event", "kept", "warning"),
    [
        # the type validation gives the events it ignores is not the user's: an unknown type
        ("- __ignored__: x", [], "exactly one key"),
        ("- http: {path: /x, method: get}\n        cors: true", ["http"], "ignores 'cors'"),  # as v3
        ("- http: ~\n        path: /x", [], "exactly one key"),  # mis-indented: v3 compiles nothing
    ],
)
def test_events_with_several_keys(tmp_path: Path, event: str, kept: list[str], warning: str) -> None:
    (tmp_path / "serverless.yml").write_text(
        "service: svc\nprovider:\n  name: aws\n  runtime: nodejs18.x\npackage:\n  artifact: boot.zip\n"
        f"functions:\n  f:\n    handler: h.h\n    events:\n      {event}\n"
    )
    (tmp_path / "boot.zip").write_bytes((CASES["f40-warn-mode"].folder / "boot.zip").read_bytes())
    svc = load_project(tmp_path).services[0]
    assert [site.event_type for group in svc.sites.values() for site in group] == kept
    assert any(warning in w.message and isinstance(w, IgnoredAsInV3) for w in svc.warnings)


def test_events_with_several_compiled_keys_are_refused(tmp_path: Path) -> None:
    """v3 would compile both from one item; we cannot keep its numbering: say so."""
    (tmp_path / "serverless.yml").write_text(
        "service: svc\nprovider:\n  name: aws\n  runtime: nodejs18.x\npackage:\n  artifact: boot.zip\n"
        "functions:\n  f:\n    handler: h.h\n    events:\n"
        "      - http: {path: /x, method: get}\n        sqs: arn:aws:sqs:us-east-1:123456789012:q\n"
    )
    (tmp_path / "boot.zip").write_bytes((CASES["f40-warn-mode"].folder / "boot.zip").read_bytes())
    with pytest.raises(SlsCdkError, match=r"serverless.yml:11:9: functions.f.events\[0\]: .*exactly one key"):
        load_project(tmp_path)


def test_print_shows_the_configuration_as_written() -> None:
    """Validation works on a copy: print keeps the keys and events v3 ignores (as `sls print`)."""
    import json

    code, out = _run_out("print", str(CASES["f42-bare-string-events"].folder), "--format", "json")
    assert code == 0 and json.loads(out)["functions"]["hello"]["events"][:2] == ["http", "sqs"]
    code, out = _run_out("print", str(CASES["f40-warn-mode"].folder), "--format", "json")
    assert code == 0 and json.loads(out)["provider"]["memorySze"] == 512


def _run_out(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def test_a_null_event_item_stays_an_error(tmp_path: Path) -> None:
    """v3 keeps a null list item (it strips null keys only) and its compilers fail on it."""
    (tmp_path / "serverless.yml").write_text(
        "service: svc\nprovider:\n  name: aws\n  runtime: nodejs18.x\npackage:\n  artifact: boot.zip\n"
        "functions:\n  f:\n    handler: h.h\n    events:\n      - ~\n"
    )
    (tmp_path / "boot.zip").write_bytes((CASES["f40-warn-mode"].folder / "boot.zip").read_bytes())
    with pytest.raises(SlsCdkError, match=r"events\[0\]: an event must be a mapping .*\(found null\)"):
        load_project(tmp_path)
