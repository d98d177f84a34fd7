"""serverless-python-requirements (constructs_lib/packaging_plugins/python_requirements): the
reference cases' zips file by file against v3's, and the plugin's options on small services."""

from __future__ import annotations

from pathlib import Path

import pytest

from constructs_lib.loader.project import load_project
from tests.helpers import REFERENCE, compare_zip, reference_case

#: (case, zip v3 wrote, the function or layer whose zip it is, arm64)
_CASE_ZIPS = (
    ("f62-python-requirements", "pyreq.zip", "hello", False),
    ("f63-python-requirements-slim", "pyreq-slim.zip", "hello", False),
    ("f64-python-requirements-layer", "pyreq-layer.zip", "hello", False),
    ("f64-python-requirements-layer", "pythonRequirements.zip", "layer:pythonRequirements", True),
)


@pytest.mark.parametrize(("case", "zip_name", "key", "arm64"), _CASE_ZIPS)
def test_reference_zips_hold_what_v3_zipped(case: str, zip_name: str, key: str, arm64: bool) -> None:
    ref = reference_case(REFERENCE / case)
    service = load_project(ref.folder, stage=ref.stage).services[0]
    ours = (
        service.layer_artifacts[key.removeprefix("layer:")].zip
        if key.startswith("layer:")
        else service.artifacts[key]
    )
    assert compare_zip(Path(ours), ref, zip_name, arm64=arm64) == []
