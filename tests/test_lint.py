"""cfn-lint over every template the suite synthesizes: the example project and every reference
case (ours and ../shared's). Zero errors is the rule; each warning rule we accept is listed in
:data:`ACCEPTED_WARNINGS` with the reason, in this one place."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.cfn_lint_pool import lint_all
from tests.helpers import SEED, ensure_seed_built, synth
from tests.test_parity import CASES, case_dir

#: cfn-lint warning rule -> why our templates keep it (anything else fails the test).
ACCEPTED_WARNINGS: dict[str, str] = {
    "W3005": "redundant DependsOn next to a Ref/GetAtt: v3 writes them (functions on their log group and "
    "role, methods on authorizers) and we keep v3's DependsOn so nothing changes on takeover",
    "W3011": "no UpdateReplacePolicy next to DeletionPolicy: Retain on Lambda versions and retained layers, "
    "exactly as v3 writes them; versions are immutable and never updated in place",
    "W1011": "SSM/Secrets dynamic references in environment variables: what ${ssm:...} resolves to, by design",
}


#: (case, rule) -> why that reference case's *input* trips the rule (not what we generate from it).
INPUT_EXEMPTIONS: dict[tuple[str, str], str] = {
    **{
        (case, "E3031"): "the shared reference inputs use a 6-digit account id (arn:aws:iam::123456:...)"
        for case in (
            "00-example-test",
            "00-compose",
            "01b-iam-none",
            "02a-httpapi-cors-object",
            "02b-httpapi-no-cors",
            "03-httpapi-routes",
            "04-url-variants",
            "05-log-retention",
            "06a-no-deployment-bucket",
            "06b-deployment-bucket-object",
            "07-env-sizing",
            "10-artifact-levels",
            "11-version-functions-false",
            "12-tags",
            "13-layers",
            "14-resources-outputs",
            "15-stackname-apiname",
            "16-compose-params",
            "17-example-stage-prod",
        )
    },
    ("01a-iam-statements", "E3510"): "its input statement names a table in the 6-digit account 123456",
    ("07-env-sizing", "W2531"): "its input asks for provided.al2, deprecated since 2026-07-31",
    (
        "14-resources-outputs",
        "W8003",
    ): "its input condition compares the stage with 'prod' (always false in dev)",
    ("14-resources-outputs", "W8001"): "its input declares a condition it never uses",
    (
        "f1-function-options",
        "E3005",
    ): "v3 puts a function's condition on the function only; its version, alias and "
    "invoke config stay unconditioned (kept for parity; do not give versioned functions a condition)",
    ("f1-function-options", "W1001"): "same as E3005: v3 leaves the version and alias unconditioned",
    (
        "f1-function-options",
        "W8003",
    ): "its input condition compares the stage with 'prod' (always false in dev)",
    (
        "f4-iam-resource-coercion",
        "E3510",
    ): "the case feeds odd Resource values on purpose (v3's coercion rules)",
    (
        "f4-iam-resource-coercion",
        "E1010",
    ): "the case references a resource 'X' it does not define, on purpose",
    ("f4-iam-resource-coercion", "W3037"): "the case uses a made-up action 'a:b' on purpose",
}


def _templates() -> dict[str, dict[str, Any]]:
    ensure_seed_built()
    out: dict[str, dict[str, Any]] = {}
    for name, template in synth(SEED / "serverless-compose.yml").items():
        out[f"seed/{name}"] = template
    for case, (target, stage) in CASES.items():
        folder = case_dir(case)
        if not folder.is_dir():
            if os.environ.get("CI"):
                pytest.fail(f"reference case {case} missing at {folder}")
            continue
        for name, template in synth(folder / target, stage=stage).items():
            out[f"{case}/{name}"] = template
    return out


def test_every_template_is_cfn_lint_clean() -> None:
    problems: list[str] = []
    unexplained: set[str] = set()
    templates = _templates()
    assert len(templates) >= 30
    for label, findings in lint_all(templates).items():
        case = label.split("/", 1)[0]
        for rule, message, path in findings:
            if (case, rule) in INPUT_EXEMPTIONS:
                continue
            if rule.startswith("E"):
                problems.append(f"{label}: {rule} {message} ({path})")
            elif rule.startswith("W") and rule not in ACCEPTED_WARNINGS:
                unexplained.add(f"{label}: {rule} {message}")
    assert problems == []
    assert sorted(unexplained) == []
