"""Property-based hostile input: random YAML documents and random mutations of the reference cases
go through ``sls-cdk check`` (and, fewer, ``synth``). Whatever the input, the command exits 0 or 1,
prints no traceback and no "internal error" (a bug of ours), and a failed synth writes nothing.

The examples are derived (seeded by hypothesis' database-free derandomized runs), so CI runs the
same inputs each time; a failure prints the input to reproduce.
"""

from __future__ import annotations

import contextlib
import copy
import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constructs_lib.cli.commands import main
from constructs_lib.config.source import load_yaml_file
from tests.helpers import REFERENCE, template_cases

#: single-service cases whose input is one serverless.yml (mutations rewrite that file)
SERVICES = sorted(
    case.name
    for case in template_cases()
    if case.entry == "." and not (case.folder / "serverless-compose.yml").exists()
)

_KEYS = st.sampled_from(
    [
        "service",
        "provider",
        "functions",
        "events",
        "handler",
        "runtime",
        "name",
        "http",
        "httpApi",
        "sqs",
        "schedule",
        "resources",
        "Resources",
        "Type",
        "Properties",
        "package",
        "artifact",
        "layers",
        "iam",
        "role",
        "environment",
        "memorySize",
        "timeout",
        "url",
        "cors",
        "path",
        "method",
        "custom",
        "plugins",
        "stage",
        "region",
        "${self:service}",
        "${opt:stage}",
        "0",
        "",
    ]
)
#: variable strings: nested addresses, fallbacks, unbalanced pieces (the parser's hostile input)
_VARIABLES = st.recursive(
    st.sampled_from(
        ["a", "self:custom.x", "self:service", "opt:stage", "'q'", "env:HOME", "1", "", "}", "${"]
    ),
    lambda inner: st.one_of(
        inner.map(lambda a: "${self:custom." + a + "}"),
        st.tuples(inner, inner).map(lambda ab: "${" + ab[0] + ", " + ab[1] + "}"),
        st.lists(inner, max_size=3).map("".join),
        st.sampled_from([3, 33, 260, 400]).map(lambda n: "${self:" * n + "x" + "}" * n),
    ),
    max_leaves=30,
)
_SCALARS = st.one_of(
    _VARIABLES,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.just(10**1200),  # past the number budget
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "${self:provider.stage}",
            "${env:SLS_CDK_FUZZ, x}",
            "${opt:x, 1}",
            "arn:aws:sqs",
            "arn:aws",
            "arn:aws:sns",
            "arn:x",
            "GET /x",
            "*",
        ]
    ),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextlib.contextmanager
def project(files: dict[str, str], artifacts_from: Path | None = None) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="sls-cdk-fuzz-"))
    try:
        if artifacts_from is not None:
            for item in artifacts_from.iterdir():
                if item.suffix == ".zip" or item.is_dir():
                    target = folder / item.name
                    (shutil.copytree if item.is_dir() else shutil.copyfile)(item, target)
        for name, text in files.items():
            (folder / name).write_text(text)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    return code, err.getvalue()


def assert_clean(code: int, err: str, given_input: str) -> None:
    assert code in (0, 1), f"exit {code} for:\n{given_input}\n{err}"
    assert "Traceback" not in err and "internal error" not in err, f"for:\n{given_input}\n{err}"


def _mutate(data: Any, path: list[Any], value: Any, delete: bool) -> Any:
    """``data`` with the node at (a prefix of) ``path`` replaced by ``value`` or deleted."""
    data = copy.deepcopy(data)
    node = data
    for i, step in enumerate(path):
        if isinstance(node, dict) and node:
            key = list(node)[step % len(node)]
        elif isinstance(node, list) and node:
            key = step % len(node)
        else:
            break
        last = i == len(path) - 1 or not isinstance(node[key], dict | list) or not node[key]
        if last:
            if delete and isinstance(node, dict):
                del node[key]
            else:
                node[key] = value
            return data
        node = node[key]
    return data


@FUZZ
@given(doc=_VALUES)
def test_random_documents_are_refused_cleanly(doc: Any) -> None:
    text = yaml.safe_dump(doc, sort_keys=False) if doc is not None else ""
    with project({"serverless.yml": text}) as folder:
        assert_clean(*run("check", str(folder)), text)


@FUZZ
@given(
    case=st.sampled_from(SERVICES),
    path=st.lists(st.integers(min_value=0, max_value=50), min_size=3, max_size=8),
    value=_VALUES,
    delete=st.booleans(),
)
def test_mutated_reference_cases_are_refused_or_checked_cleanly(
    case: str, path: list[int], value: Any, delete: bool
) -> None:
    folder = REFERENCE / case
    data = load_yaml_file(folder / "serverless.yml").data
    text = yaml.safe_dump(_mutate(data, path, value, delete), sort_keys=False)
    with project({"serverless.yml": text}, artifacts_from=folder) as work:
        assert_clean(*run("check", str(work)), text)
        assert_clean(*run("print", str(work), "--format", "json"), text)


@settings(FUZZ, max_examples=8)
@given(
    case=st.sampled_from(SERVICES),
    path=st.lists(st.integers(min_value=0, max_value=50), min_size=4, max_size=8),
    value=_SCALARS,
)
@pytest.mark.filterwarnings("ignore")
def test_mutated_cases_synthesize_or_fail_without_output(case: str, path: list[int], value: Any) -> None:
    folder = REFERENCE / case
    data = load_yaml_file(folder / "serverless.yml").data
    text = yaml.safe_dump(_mutate(data, path, value, False), sort_keys=False)
    with project({"serverless.yml": text}, artifacts_from=folder) as work:
        out = work / "out"
        code, err = run("synth", str(work), "--out", str(out))
        assert_clean(code, err, text)
        if code == 1:
            assert not out.exists(), f"a failed synth wrote {out}:\n{text}\n{err}"


_SERVICE = "service: svc\nprovider:\n  name: aws\n  runtime: provided.al2023\nfunctions:\n  f:\n    handler: bootstrap\n"


@FUZZ
@given(value=_VARIABLES)
def test_variable_strings_resolve_or_are_refused_cleanly(value: str) -> None:
    """Any string of variable pieces (nested addresses, fallbacks, unbalanced brackets) in a valid
    service: resolved, or a located error, never a crash of the parser or the resolver."""
    text = _SERVICE + "custom:\n  v: " + yaml.safe_dump(value, default_style='"').strip() + "\n"
    with project({"serverless.yml": text}) as folder:
        assert_clean(*run("print", str(folder), "--format", "json"), text)
