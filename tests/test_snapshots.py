"""Whole-template snapshots of the example project, reviewed like code.

Normalized: only the content hash in ``Code.S3Key`` (it follows the artifact's bytes). Logical IDs,
including the version's hash suffix, are kept: a change there would replace a live resource.
Update on purpose with ``pytest --snapshot-update`` and read the diff.
"""

from __future__ import annotations

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from tests.helpers import normalize_assets


@pytest.fixture
def snapshot_json(snapshot):  # type: ignore[no-untyped-def]
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("stack", ["test-dev", "auth-dev"])
def test_seed_stack_snapshot(seed_templates, snapshot_json, stack: str) -> None:  # type: ignore[no-untyped-def]
    assert normalize_assets(seed_templates[stack]) == snapshot_json
