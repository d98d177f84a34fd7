"""The shape the code keeps (issue 15): small modules and functions, typed builders and checks,
and layers that do not reach upward (``config/``, ``loader/`` and event models never load CDK)."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_lib import events

PACKAGE = Path(__file__).resolve().parent.parent / "constructs_lib"
#: one concept, one place: every logical ID and physical name v3 makes
SIZE_EXEMPT = {PACKAGE / "naming.py"}
MODULE_MAX, FUNCTION_MAX = 400, 80


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "handlers" not in p.parts)


def test_modules_and_functions_stay_small() -> None:
    too_big: list[str] = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        if path not in SIZE_EXEMPT and text.count("\n") > MODULE_MAX:
            too_big.append(f"{path.relative_to(PACKAGE)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_MAX:
                    too_big.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}: {length} lines")
    assert not too_big, "\n".join(too_big)


@pytest.mark.parametrize("event_type", sorted(events.REGISTRY))
def test_builders_and_checks_are_typed(event_type: str) -> None:
    """``build(ctx: BuildContext, sites: Sequence[EventSite[Model]])``; checks likewise."""
    entry = events.REGISTRY[event_type]
    for function in (events.builder(event_type), entry.check):
        if function is None:
            continue
        hints = inspect.signature(function).parameters
        module = sys.modules[function.__module__]
        for name in ("ctx", "sites"):
            annotation = str(hints[name].annotation)
            alias = getattr(module, annotation, None)  # a module-level alias such as ``Sites``
            text = str(alias) if alias is not None else annotation
            assert "Any" not in text, f"{function.__qualname__}({name}: {text})"
            if name == "sites":
                assert "EventSite[" in text, f"{function.__qualname__}(sites: {text})"


def test_loading_never_imports_cdk() -> None:
    """``check`` and ``print`` stay fast: the loader, config and every event check load no jsii."""
    code = (
        "import sys; import constructs_lib.loader.project, constructs_lib.cli.commands;"
        "import constructs_lib.events as e; [x.check for x in e.REGISTRY.values()];"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('aws_cdk', 'jsii', 'constructs')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_constructs_raise_no_user_errors() -> None:
    """Every user error is found at load; CDK code only translates."""
    offenders = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        cdk_side = "from aws_cdk" in text or "import aws_cdk" in text
        if cdk_side and "ConfigError(" in text:
            offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders, offenders


def test_the_public_api_lists_every_lazy_name() -> None:
    """``__all__`` is written out (type checkers read it literally); it must match the lazy table."""
    import constructs_lib

    assert sorted(constructs_lib.__all__) == sorted([*constructs_lib._LAZY, "__version__"])
    for name in constructs_lib._LAZY:
        assert getattr(constructs_lib, name) is not None
