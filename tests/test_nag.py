"""cdk-nag, opt-in: v3-semantics findings acknowledged in one table, the rest fail synthesis."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from constructs_lib.checks.nag import V3_SEMANTICS
from constructs_lib.cli.commands import main
from tests.helpers import ROOT, SEED, ensure_seed_built


def _synth(path: Path, out: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["synth", str(path), "--nag", "--out", str(out)])
    return code, err.getvalue()


def test_seed_passes_nag_with_v3_semantics_acknowledged(tmp_path: Path) -> None:
    ensure_seed_built()
    code, err = _synth(SEED, tmp_path / "out")
    assert code == 0, err
    assert all(reason for reason in V3_SEMANTICS.values())


def _seed_copy(tmp_path: Path, runtime: str, custom: str = "") -> Path:
    project = tmp_path / "seed"
    shutil.copytree(SEED, project)
    service = project / "api" / "v1" / "test" / "serverless.yml"
    text = service.read_text().replace("runtime: provided.al2023", f"runtime: {runtime}")
    service.write_text(text.replace("custom:\n", "custom:\n" + custom, 1))
    return project


def test_unacknowledged_finding_fails_and_writes_nothing(tmp_path: Path) -> None:
    ensure_seed_built()
    # an outdated runtime is AwsSolutions-L1, not something v3 imposes
    project = _seed_copy(tmp_path, "nodejs18.x")
    out = tmp_path / "out"
    code, err = _synth(project, out)
    assert code == 1
    assert "cdk-nag:" in err and "AwsSolutions-L1" in err
    assert "Serverless-LambdaLatestVersion" in err and "test-dev/EnvLambdaFunction" in err
    assert not out.exists()


def test_user_acknowledgement_in_custom_lets_synth_pass(tmp_path: Path) -> None:
    ensure_seed_built()
    ack = (
        "  slsCdk:\n    acknowledgeNag:\n"
        "      AwsSolutions::AwsSolutions-L1: pinned until the Node 22 port\n"
        "      Serverless::Serverless-LambdaLatestVersion: pinned until the Node 22 port\n"
    )
    project = _seed_copy(tmp_path, "nodejs18.x", ack)
    out = tmp_path / "out"
    code, err = _synth(project, out)
    assert code == 0, err
    assert (out / "test-dev.template.json").is_file()


def test_cdk_app_context_nag_true_runs_the_packs(tmp_path: Path) -> None:
    """``cdk synth -c nag=true`` runs app.py with the context in CDK_CONTEXT_JSON."""
    ensure_seed_built()
    project = _seed_copy(tmp_path, "nodejs18.x")
    env = {
        **os.environ,
        "CDK_CONTEXT_JSON": json.dumps({"compose": str(project / "serverless-compose.yml"), "nag": "true"}),
        "CDK_OUTDIR": str(tmp_path / "cdk.out"),
    }
    run = subprocess.run([sys.executable, str(ROOT / "app.py")], env=env, capture_output=True, text=True)
    assert run.returncode != 0
    assert "AwsSolutions-L1" in run.stderr
