"""Shared test helpers: synthesizing projects and normalizing templates."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed"
REFERENCE = (ROOT.parent / "shared" / "reference" / "sls3").resolve()
OWN_REFERENCE = ROOT / "tests" / "reference" / "sls3"

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def ensure_seed_built() -> None:
    """Run the example's build script (deterministic) for both services if a zip is missing."""
    for service in ("test", "auth"):
        if not (SEED / "api" / "v1" / service / "boot.zip").is_file():
            subprocess.run(
                ["sh", str(SEED / "build.api.direct.sh"), service, "linux", "arm64"],
                check=True,
                capture_output=True,
            )


_SYNTH_CACHE: dict[str, dict[str, dict[str, Any]]] = {}


def synth(path: Path, **kwargs: Any) -> dict[str, dict[str, Any]]:
    """Synthesize ``path`` (service or compose) and return ``{stack name: template}``.

    Results are shared within the test session (a private copy each time): parity, snapshot,
    assertion and lint tests read the same synthesized templates."""
    key = json.dumps([str(Path(path).resolve()), sorted(kwargs.items())], default=str)
    if key not in _SYNTH_CACHE:
        _SYNTH_CACHE[key] = _synth(path, **kwargs)
    return copy.deepcopy(_SYNTH_CACHE[key])


def synthesized() -> dict[str, dict[str, dict[str, Any]]]:
    """Everything synthesized so far in this session (for whole-suite checks such as cfn-lint)."""
    return copy.deepcopy(_SYNTH_CACHE)


def _synth(path: Path, **kwargs: Any) -> dict[str, dict[str, Any]]:
    from stacks import ComposeApp

    outdir = tempfile.mkdtemp(prefix="sls-cdk-test-")
    app = ComposeApp.from_path(path, outdir=outdir, **kwargs)
    app.synth()
    return {
        stack.stack_name: json.loads((Path(outdir) / f"{stack.stack_name}.template.json").read_text())
        for stack in app.stacks.values()
    }


_ASSET_KEY = re.compile(r"[0-9a-f]{64}(\.zip)$")


def normalize_assets(template: dict[str, Any]) -> dict[str, Any]:
    """Replace the content hash in asset S3 keys (it moves with the artifact's bytes, which the
    snapshot does not pin) and ``forceDeploy`` timestamps (new each synthesis, on purpose) by
    placeholders; everything else is kept as synthesized."""
    out = copy.deepcopy(template)
    for res in out.get("Resources", {}).values():
        if res.get("Type", "").startswith("Custom::") and "ForceDeploy" in res.get("Properties", {}):
            res["Properties"]["ForceDeploy"] = "<synthesis time>"
        for key in ("Code", "Content"):
            code = res.get("Properties", {}).get(key)
            if isinstance(code, dict) and isinstance(code.get("S3Key"), str):
                code["S3Key"] = _ASSET_KEY.sub(r"<asset-sha256>\1", code["S3Key"])
    for name, output in out.get("Outputs", {}).items():
        if name.endswith("LambdaLayerS3Key") and isinstance(output.get("Value"), str):
            output["Value"] = _ASSET_KEY.sub(r"<asset-sha256>\1", output["Value"])
    return out
