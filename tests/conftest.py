"""Fixtures shared by the whole suite: the seed example is synthesized once per session."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import SEED, ensure_seed_built, synth


@pytest.fixture(scope="session")
def seed_templates() -> dict[str, dict[str, Any]]:
    """``{stack name: template}`` for the example compose project, stage dev."""
    ensure_seed_built()
    return synth(SEED / "serverless-compose.yml")
