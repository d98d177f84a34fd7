"""Fixtures shared by the whole suite: the seed example is synthesized once per session."""

from __future__ import annotations

import os
from typing import Any

import pytest

# keep jsii's runtime type checks on in tests (the CLI turns them off for speed): a wrongly typed
# call into aws-cdk-lib must fail here
os.environ["SLS_CDK_TYPE_CHECKS"] = "1"

from tests.helpers import SEED, ensure_seed_built, synth


@pytest.fixture(scope="session", autouse=True)
def _reference_node_deps() -> None:
    """The npm dependencies reference cases bundle (``package-lock.json`` in a case folder),
    installed once per lock file (tests/reference/node_deps.py), before any case is synthesized."""
    from tests.helpers import REFERENCE
    from tests.reference.node_deps import install

    install(REFERENCE)


@pytest.fixture(scope="session")
def seed_templates() -> dict[str, dict[str, Any]]:
    """``{stack name: template}`` for the example compose project, stage dev."""
    ensure_seed_built()
    return synth(SEED / "serverless-compose.yml")


# the suite is hermetic: no synth looks up deployed stacks (tests of the lookup unset it)
os.environ.setdefault("SLS_CDK_OFFLINE", "1")
