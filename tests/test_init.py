"""The CDK app in the package and ``sls-cdk init``: a project in its own repository runs
``npx cdk synth`` with nothing of this checkout; context keys are checked (a typo is an error, not
a synthesis of something else)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from constructs_lib.app import CONTEXT_KEYS, read_context
from constructs_lib.cli.init import CDK_CLI_VERSION, EXCLUDED_FLAGS, recommended_flags
from constructs_lib.errors import ConfigError
from tests.helpers import REFERENCE, ROOT, synth

SERVICE = REFERENCE / "00-example-test"


def _app(context: dict[str, object], out: Path, *, module: bool = True) -> subprocess.CompletedProcess[str]:
    """The CDK app as the CDK CLI runs it: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR."""
    out.mkdir(exist_ok=True)
    env = {**os.environ, "CDK_OUTDIR": str(out), "CDK_CONTEXT_JSON": json.dumps(context)}
    argv = [sys.executable, "-m", "constructs_lib.app"] if module else [sys.executable, str(ROOT / "app.py")]
    return subprocess.run(argv, env=env, capture_output=True, text=True, cwd=out.parent)


@pytest.mark.parametrize("module", [True, False], ids=["package-app", "repository-app"])
def test_a_mistyped_context_key_is_an_error_with_did_you_mean(tmp_path: Path, module: bool) -> None:
    run = _app({"servcie": str(SERVICE)}, tmp_path / "cdk.out", module=module)
    assert run.returncode == 1, run.stderr
    assert "error: unknown context key 'servcie'" in run.stderr and "did you mean 'service'?" in run.stderr
    assert "Traceback" not in run.stderr and list((tmp_path / "cdk.out").iterdir()) == []


def test_the_package_app_has_no_default_project(tmp_path: Path) -> None:
    run = _app({}, tmp_path / "cdk.out")
    assert run.returncode == 1
    assert "nothing to synthesize: give -c service=PATH" in run.stderr
    assert list((tmp_path / "cdk.out").iterdir()) == []


def test_cdk_keeps_its_own_context_keys() -> None:
    context = {
        "service": "x",
        "@aws-cdk/core:newStyleStackSynthesis": True,
        "aws:cdk:enable-path-metadata": False,
        "availability-zones:account=123456789012:region=us-east-1": ["us-east-1a"],
        "acknowledged-issue-numbers": [1],
        "nag": "true",
        "jobs": "2",
    }
    settings = read_context(context)
    assert (settings["target"], settings["nag"], settings["jobs"], settings["build"]) == (
        Path("x"),
        True,
        2,
        False,
    )
    with pytest.raises(ConfigError, match="did you mean 'allowJs'"):
        read_context({"service": "x", "allowjs": "true"})
    with pytest.raises(ConfigError, match="context jobs must be a number"):
        read_context({"service": "x", "jobs": "many"})
    assert set(CONTEXT_KEYS) >= {"service", "compose", "stage", "region", "nag", "build", "strict"}


def test_the_pinned_cdk_cli_is_the_one_package_json_pins() -> None:
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["aws-cdk"]
    assert pinned == CDK_CLI_VERSION


#: one case per family of what we generate (functions, REST and HTTP APIs, events, layers, custom
#: resources, compose, edge functions)
_FLAG_CASES = (
    "00-compose/serverless-compose.yml",
    "f11-rest-api",
    "f12-http-api-authorizers",
    "f7-events-queues-topics-streams",
    "13-layers",
    "f9-events-devices-brokers-pools",
    "f22-cloudfront",
    "04-url-variants",
)


@pytest.mark.parametrize("case", _FLAG_CASES)
def test_init_flags_leave_templates_unchanged(case: str) -> None:
    """Every recommended flag init writes (all but :data:`EXCLUDED_FLAGS`) leaves what we
    synthesize as it is: same resources, properties and outputs."""
    flags = recommended_flags()
    assert len(flags) > 50 and not set(flags) & set(EXCLUDED_FLAGS)
    assert synth(REFERENCE / case, context=flags) == synth(REFERENCE / case)


def test_the_excluded_flags_do_change_templates() -> None:
    """Each exclusion earns its place: with it, some reference template changes."""
    path = REFERENCE / "16-compose-params" / "serverless-compose.yml"
    for flag in EXCLUDED_FLAGS:
        value = {"@aws-cdk/core:defaultCrossStackReferences": "weak"}.get(flag, True)
        assert synth(path, context={flag: value}) != synth(path), flag


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    from constructs_lib.cli.commands import main

    shutil.copytree(SERVICE, tmp_path / "svc")
    (tmp_path / "svc" / "cdk.json").write_text("{}")
    plugins = {"devDependencies": {"serverless-plugin-scripts": "1.0.2"}, "scripts": {"x": "y"}}
    (tmp_path / "svc" / "package.json").write_text(json.dumps(plugins))
    assert main(["init", str(tmp_path / "svc")]) == 1
    assert (tmp_path / "svc" / "cdk.json").read_text() == "{}"
    assert main(["init", str(tmp_path / "svc"), "--force"]) == 0
    merged = json.loads((tmp_path / "svc" / "package.json").read_text())
    assert merged["scripts"] == {"x": "y"} and merged["devDependencies"] == {
        "serverless-plugin-scripts": "1.0.2",
        "aws-cdk": CDK_CLI_VERSION,
    }
    written = json.loads((tmp_path / "svc" / "cdk.json").read_text())
    assert (
        written["app"].endswith(" -m constructs_lib.app")
        and written["context"]["service"] == "serverless.yml"
    )


def test_the_installed_wheel_synthesizes_outside_the_repository(tmp_path: Path) -> None:
    """Build the wheel, install it into a fresh venv outside this checkout (its dependencies come
    from this venv's site-packages, so nothing else is downloaded), ``sls-cdk init`` a copy of a
    service, install the pinned CDK CLI from npm (cached), and ``npx cdk synth`` there; and
    ``mypy --strict`` over ``examples/python`` against that installed package."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("constructs_lib", "stacks"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(tmp_path / "dist"), str(source)], check=True)
    (wheel,) = (tmp_path / "dist").glob("sls_cdk-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # aws-cdk-lib & co.
    subprocess.run(
        [str(python), "-m", "pip", "--quiet", "install", "--no-deps", "--no-index", str(wheel)], check=True
    )
    project = tmp_path / "project"
    shutil.copytree(SERVICE, project, ignore=shutil.ignore_patterns(".serverless", "*.md", "*.txt"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [str(python), "-c", "import constructs_lib; print(constructs_lib.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=project,
        env=env,
    ).stdout
    assert where.startswith(str(venv)), where
    # meanwhile (a minute of one CPU): the Python examples type-check strictly against the
    # installed package, as a user's code would (its py.typed)
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "examples" / "python", examples, ignore=shutil.ignore_patterns("__pycache__"))
    files = sorted(str(f.relative_to(examples)) for f in examples.rglob("*.py"))
    typed = subprocess.Popen(
        [str(python), "-m", "mypy", "--strict", "--no-incremental", *files],
        cwd=examples,
        env={**env, "MYPYPATH": str(examples)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    subprocess.run(
        [str(venv / "bin" / "sls-cdk"), "init"], cwd=project, env=env, check=True, capture_output=True
    )
    npm = ["npm", "install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]
    subprocess.run(npm, cwd=project, env=env, check=True, capture_output=True)
    run = subprocess.run(
        ["npx", "cdk", "synth", "--quiet"], cwd=project, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    ours = json.loads((project / "cdk.out" / "test-dev.template.json").read_text())
    assert set(ours["Resources"]) == set(synth(SERVICE)["test-dev"]["Resources"])
    out, err = typed.communicate(timeout=600)
    assert typed.returncode == 0, out + err
