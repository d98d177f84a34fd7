"""cfn-lint over many templates in parallel processes (about 1 s per template in one process).

Kept apart from the test module so a spawned worker imports cfn-lint only (no aws_cdk, no jsii).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

#: (rule id, message, path inside the template)
Finding = tuple[str, str, str]


def lint_one(text: str, region: str = "us-east-1") -> list[Finding]:
    from cfnlint.api import ManualArgs, lint

    return [
        (m.rule.id, m.message, "/".join(map(str, m.path)))
        for m in lint(text, config=ManualArgs(regions=[region]))
    ]


def lint_all(templates: dict[str, dict[str, Any]]) -> dict[str, list[Finding]]:
    """Each template's findings, linted by one spawned worker per CPU (at most 4)."""
    workers = max(1, min(4, len(os.sched_getaffinity(0)), len(templates)))
    texts = [json.dumps(t) for t in templates.values()]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return dict(zip(templates, pool.map(lint_one, texts, chunksize=2), strict=True))
