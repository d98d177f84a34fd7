"""cfn-lint over every template the suite synthesizes: the example project and every reference
case (found by folder, as in the parity test). Zero errors is the rule; each warning rule we accept
is listed in :data:`ACCEPTED_WARNINGS` with the reason, in this one place. What a case's *input*
trips (not what we generate from it) is exempted by that case itself, in its
``lint-exemptions.json`` (``{rule: reason}``), or by :func:`made_up_account`."""

from __future__ import annotations

import json
from typing import Any

from tests.cfn_lint_pool import lint_all
from tests.helpers import LINT_EXEMPTIONS, SEED, ensure_seed_built, synth, template_cases

#: cfn-lint warning rule -> why our templates keep it (anything else fails the test).
ACCEPTED_WARNINGS: dict[str, str] = {
    "W3005": "redundant DependsOn next to a Ref/GetAtt: v3 writes them (functions on their log group and "
    "role, methods on authorizers) and we keep v3's DependsOn so nothing changes on takeover",
    "W3011": "no UpdateReplacePolicy next to DeletionPolicy: Retain on Lambda versions and retained layers, "
    "exactly as v3 writes them; versions are immutable and never updated in place",
    "W1011": "SSM/Secrets dynamic references in environment variables: what ${ssm:...} resolves to, by design",
}

#: the account id the shared reference inputs use in their ARNs: 6 digits, which cfn-lint (like AWS)
#: refuses; the rules below are the ones that check an ARN's account
MADE_UP_ACCOUNT = ":123456:"
ACCOUNT_RULES = ("E1158", "E3031", "E3510", "W3663")


def made_up_account(template: dict[str, Any], rule: str, path: str) -> bool:
    """The finding is about a value from the input that holds the 6-digit account ``123456``."""
    if rule not in ACCOUNT_RULES:
        return False
    node: Any = template
    for part in path.split("/"):
        node = node[int(part)] if isinstance(node, list) else node.get(part, {})
    return MADE_UP_ACCOUNT in json.dumps(node)


def test_every_template_is_cfn_lint_clean() -> None:
    ensure_seed_built()
    templates: dict[str, dict[str, Any]] = {
        f"seed/{name}": template for name, template in synth(SEED / "serverless-compose.yml").items()
    }
    exemptions: dict[str, dict[str, str]] = {}
    for reference in template_cases():
        exemptions[reference.name] = reference.lint_exemptions
        for name, template in synth(reference.target, stage=reference.stage).items():
            templates[f"{reference.name}/{name}"] = template
    assert len(templates) >= 30
    problems: list[str] = []
    unexplained: set[str] = set()
    used: set[tuple[str, str]] = set()
    for label, findings in lint_all(templates).items():
        case = label.split("/", 1)[0]
        for rule, message, path in findings:
            if rule in exemptions.get(case, {}):
                used.add((case, rule))
            elif made_up_account(templates[label], rule, path):
                pass
            elif rule.startswith("E"):
                problems.append(f"{label}: {rule} {message} ({path})")
            elif rule.startswith("W") and rule not in ACCEPTED_WARNINGS:
                unexplained.add(f"{label}: {rule} {message}")
    assert problems == []
    assert sorted(unexplained) == []
    stale = {(case, rule) for case, rules in exemptions.items() for rule in rules} - used
    assert sorted(stale) == [], f"{LINT_EXEMPTIONS} entries no finding needs any more"
