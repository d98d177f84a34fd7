"""Synthesis in several processes writes exactly what one process writes.

The CLI forks one worker per group of services that do not reference each other and merges the
cloud assemblies; these tests compare that, byte for byte, with a one-process synth of the same
project, and check how groups are formed and how a worker's failure surfaces."""

from __future__ import annotations

import filecmp
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_lib.cli.synthesis import partition, plan_jobs
from constructs_lib.loader.project import load_project
from tests.helpers import ROOT
from tests.test_cli import run_cli
from tests.test_compose import COMPOSE, ENV, project

#: producer -> consumer -> last reference each other; solo1 <- far reads across regions; solo2 alone
PARALLEL_COMPOSE = (
    COMPOSE
    + """\
  solo1:
    path: solo1
  solo2:
    path: solo2
  far:
    path: far
    params:
      table: ${solo1.TableName}
"""
)
SERVICES = {
    "producer": ("us-east-1", {}),
    "consumer": ("us-east-1", ENV),
    "last": ("us-east-1", {}),
    "solo1": ("us-east-1", {}),
    "solo2": ("us-east-1", {}),
    "far": ("eu-west-1", {"TABLE": "${param:table}"}),
}


@pytest.fixture(scope="module")
def compose_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project(tmp_path_factory.mktemp("parallel"), PARALLEL_COMPOSE, SERVICES)


def without_traces(file: Path) -> object:
    if not file.name.endswith(".metadata.json"):
        return file.read_bytes()
    return re.sub(r'"trace": \[[^\]]*\]', "", file.read_text())


def names(group: tuple) -> list[str]:  # type: ignore[type-arg]
    return [s.compose_name for s in group]


def test_groups_keep_referencing_services_together_and_the_project_order(compose_file: Path) -> None:
    loaded = load_project(compose_file)
    groups = partition(loaded, 3)
    assert sorted(map(names, groups)) == [["producer", "consumer", "last"], ["solo1", "far"], ["solo2"]]
    assert partition(loaded, 1) == [loaded.services]
    assert len(partition(loaded, 2)) == 2  # balanced by functions: 3 services against 3


def test_jobs_follow_the_request_the_environment_and_the_project_size(
    compose_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SLS_CDK_JOBS", raising=False)
    assert plan_jobs(compose_file) == 1  # 6 services: below the parallel threshold
    assert plan_jobs(compose_file, 4) == 4
    assert plan_jobs(compose_file, 40) == 6  # never more than services
    assert plan_jobs(compose_file, 4, nag=True) == 1  # cdk-nag reads one assembly
    monkeypatch.setenv("SLS_CDK_JOBS", "2")
    assert plan_jobs(compose_file) == 2
    assert plan_jobs(compose_file.parent / "solo1") == 1  # one service: one stack


def test_forked_synth_writes_the_same_assembly_as_one_process(compose_file: Path, tmp_path: Path) -> None:
    serial, forked = tmp_path / "serial", tmp_path / "forked"
    one = run_cli("synth", str(compose_file), "--out", str(serial), "--jobs", "1")
    assert one.returncode == 0, one.stderr
    three = run_cli("synth", str(compose_file), "--out", str(forked), "--jobs", "3")
    assert three.returncode == 0, three.stderr
    assert three.stdout.replace("/forked/", "/serial/") == one.stdout

    def same(a: Path, b: Path) -> None:
        cmp = filecmp.dircmp(a, b)
        assert not cmp.left_only and not cmp.right_only, (cmp.left_only, cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
        assert not errors
        # annotations carry a stack trace through the jsii kernel's temporary folder: differs per run
        assert [m for m in mismatch if without_traces(a / m) != without_traces(b / m)] == []
        for sub in cmp.common_dirs:
            same(a / sub, b / sub)

    same(serial, forked)
    assert len(list(serial.glob("*.template.json"))) == 6


def test_a_failing_worker_fails_the_synth_and_writes_nothing(compose_file: Path, tmp_path: Path) -> None:
    """Every user error is found while loading; a worker fails on a bug, injected here."""
    out = tmp_path / "build" / "out"
    out.parent.mkdir()
    script = f"""
import sys
import constructs_lib.cli.synthesis as synthesis
real = synthesis._synth_here
def faulty(project, outdir, **kwargs):
    if any(s.compose_name == "solo2" for s in project.services):
        raise RuntimeError("injected fault")
    return real(project, outdir, **kwargs)
synthesis._synth_here = faulty
from constructs_lib.cli.commands import main
sys.exit(main(["synth", {str(compose_file)!r}, "--out", {str(out)!r}, "--jobs", "3"]))
"""
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1
    assert (
        "error: synthesis failed in a worker process:\nerror: [solo2] RuntimeError: injected fault"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not list(out.parent.iterdir())  # no output, no parts, no temporary folders


def test_cdk_cli_runs_app_py_with_forked_workers(compose_file: Path, tmp_path: Path) -> None:
    """``cdk ls -c jobs=3``: app.py merges the workers' assemblies into the CLI's (locked) folder."""
    env = {
        **os.environ,
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CDK_DISABLE_VERSION_CHECK": "1",
    }
    argv = [str(ROOT / "node_modules" / ".bin" / "cdk"), "ls", "-c", f"compose={compose_file}"]

    def ls(jobs: int, out: Path) -> list[str]:
        run = subprocess.run(
            [*argv, "-c", f"jobs={jobs}", "--output", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    forked = ls(3, tmp_path / "forked" / "cdk.out")
    assert sorted(forked) == sorted(f"{name}-dev" for name in SERVICES)
    assert forked == ls(1, tmp_path / "serial" / "cdk.out")  # the CLI orders them the same way
    assert len(list((tmp_path / "forked" / "cdk.out").glob("*.template.json"))) == 6
    assert [p.name for p in (tmp_path / "forked").iterdir()] == ["cdk.out"]  # workers' parts are gone
