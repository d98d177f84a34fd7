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

import pytest

from constructs_lib.checks.nag import V3_SEMANTICS
from constructs_lib.cli.commands import main
from tests.helpers import REFERENCE, ROOT, SEED, ensure_seed_built, reference_case, template_cases
from tests.reference.git_repo import prepared


def _synth(path: Path, out: Path, *flags: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["synth", str(path), "--nag", "--out", str(out), *flags])
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


def _written_runtime_functions(path: Path, stage: str) -> set[str]:
    """Logical IDs of the functions whose runtime the service writes (provider or function)."""
    from constructs_lib.loader.project import load_project
    from constructs_lib.naming import lambda_logical_id

    out = set()
    for svc in load_project(path, stage=stage).services:
        provider_wrote = "runtime" in svc.model.provider.model_fields_set
        for key, fn in svc.model.functions.items():
            if fn.runtime is not None or provider_wrote:
                out.add(f"{svc.stack_name}/{lambda_logical_id(key)}")
    return out


@pytest.mark.parametrize("case", [c.name for c in template_cases()])
def test_v3_defaults_pass_nag_in_every_reference_case(tmp_path: Path, case: str) -> None:
    """Whatever v3 generates by default is acknowledged; what is left is the user's own choice
    (an outdated runtime written in the file), reported on that function."""
    found = reference_case(REFERENCE / case)
    path = found.folder / found.entry if found.entry != "." else found.folder
    code, err = _synth(prepared(path), tmp_path / "out", "--stage", found.stage)
    if code == 0:
        return
    findings = [  # the findings are the error's continuation lines
        line.removeprefix("error:").strip()
        for line in err.splitlines()
        if line.startswith("error:   ") and "(error)" in line
    ]
    assert findings, err
    written = _written_runtime_functions(prepared(path), found.stage)
    for finding in findings:
        rule = finding.split()[1]
        constructs = finding.rsplit("[", 1)[1].rstrip("]").split(", ")
        assert rule in ("AwsSolutions-L1", "Serverless-LambdaLatestVersion"), finding
        assert set(constructs) <= written, finding


def test_default_runtime_acknowledgements_are_per_function(tmp_path: Path) -> None:
    """L1 on a function left on v3's default runtime is acknowledged on that function; the same
    rule still reports the function whose file writes an outdated runtime."""
    folder = tmp_path / "svc"
    folder.mkdir()
    shutil.copy(REFERENCE / "f21-provider-string" / "boot.zip", folder / "boot.zip")
    (folder / "serverless.yml").write_text(
        "service: mixed\nprovider: aws\npackage:\n  artifact: boot.zip\nfunctions:\n"
        "  defaulted:\n    handler: index.handler\n"
        "  pinned:\n    handler: index.handler\n    runtime: nodejs18.x\n"
    )
    code, err = _synth(folder, tmp_path / "out")
    assert code == 1
    flagged = [line for line in err.splitlines() if "AwsSolutions-L1" in line]
    assert len(flagged) == 1 and "[mixed-dev/PinnedLambdaFunction]" in flagged[0], err
    assert "DeploymentBucket" not in err
