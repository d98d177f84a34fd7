"""Whole-template snapshots of the example project and of every reference case, reviewed like code.

Normalized: only the content hash in ``Code.S3Key`` (it follows the artifact's bytes). Logical IDs,
including the version's hash suffix, are kept: a change there would replace a live resource.
Reference cases are found by folder (:func:`tests.helpers.template_cases`), one snapshot per stack
(``test_reference_case_snapshot[<case>][<stack>].json``); a new case folder needs its snapshot
generated once. Update on purpose with ``pytest --snapshot-update`` and read the diff.
"""

from __future__ import annotations

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from tests.helpers import normalize_assets, synth, template_cases

CASES = {case.name: case for case in template_cases()}


@pytest.fixture
def snapshot_json(snapshot):  # type: ignore[no-untyped-def]
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("stack", ["test-dev", "auth-dev"])
def test_seed_stack_snapshot(seed_templates, snapshot_json, stack: str) -> None:  # type: ignore[no-untyped-def]
    assert normalize_assets(seed_templates[stack]) == snapshot_json


@pytest.mark.parametrize("name", sorted(CASES))
def test_reference_case_snapshot(snapshot_json, name: str) -> None:  # type: ignore[no-untyped-def]
    case = CASES[name]
    templates = synth(case.target, stage=case.stage)
    for stack in sorted(templates):
        assert normalize_assets(templates[stack]) == snapshot_json(name=stack)
