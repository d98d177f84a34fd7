"""Whole-template snapshots of the example project, reviewed like code.

Normalized: only the content hash in ``Code.S3Key`` (it follows the artifact's bytes). Logical IDs,
including the version's hash suffix, are kept: a change there would replace a live resource.
Update on purpose with ``pytest --snapshot-update`` and read the diff.
"""

from __future__ import annotations

import os

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from tests.helpers import OWN_REFERENCE, REFERENCE, normalize_assets, synth


@pytest.fixture
def snapshot_json(snapshot):  # type: ignore[no-untyped-def]
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("stack", ["test-dev", "auth-dev"])
def test_seed_stack_snapshot(seed_templates, snapshot_json, stack: str) -> None:  # type: ignore[no-untyped-def]
    assert normalize_assets(seed_templates[stack]) == snapshot_json


@pytest.mark.parametrize(
    "case",
    [
        "f1-function-options",
        "f2-iam-legacy",
        "f6-image-functions",
        "f7-events-queues-topics-streams",
        "f8-events-buckets-buses-logs",
        "f9-events-devices-brokers-pools",
        "f11-rest-api",
        "f12-http-api-authorizers",
        "f13-websocket-alb",
        "f14-rest-api-extras",
        "f15-existing-buckets-pools-api-logs",
        "f16-external-apis",
        "f17-rest-stage-settings",
    ],
)
def test_function_options_snapshot(snapshot_json, case: str) -> None:  # type: ignore[no-untyped-def]
    (template,) = synth(OWN_REFERENCE / case, stage="dev").values()
    assert normalize_assets(template) == snapshot_json


@pytest.mark.parametrize("case", ["06b-deployment-bucket-object", "13-layers", "14-resources-outputs"])
def test_shared_case_snapshot(snapshot_json, case: str) -> None:  # type: ignore[no-untyped-def]
    """Bucket options, layers and resources (inputs from ../shared/reference, as in the parity test)."""
    folder = REFERENCE / case
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"reference case {case} missing at {folder}")
        pytest.skip(f"reference case {case} not present")
    (template,) = synth(folder, stage="dev").values()
    assert normalize_assets(template) == snapshot_json
