"""The CDK app the CDK CLI runs: ``"app": "python -m constructs_lib.app"`` in ``cdk.json``
(``sls-cdk init`` writes it).

Context keys (``-c key=value`` or ``cdk.json``'s ``context``), each in :data:`CONTEXT_KEYS`:
``compose`` (a serverless-compose.yml), ``service`` (one serverless.yml or its folder; wins over
``compose``), ``stage``, ``region``, ``validate``, ``build``, ``nag``, ``jobs``, ``allowJs``,
``strict``. A key we do not know is an error with did-you-mean (a typo would otherwise synthesize
something else); CDK's own keys (feature flags ``@aws-cdk/...``, ``aws:cdk:...``, lookups cached in
``cdk.context.json``) are left to CDK. Without ``service`` or ``compose`` there is nothing to
synthesize, unless the caller names a default (this repository's ``app.py``: its example).

User errors print as ``file:line:col: key: message`` and exit 1; nothing is written into the
CDK CLI's output folder on failure.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from constructs_lib.cli import output
from constructs_lib.cli.jsii_speed import exit_fast, short_lived
from constructs_lib.errors import ConfigError, did_you_mean

__all__ = ["CONTEXT_KEYS", "main", "read_context"]

#: our context keys and what each does (the help of an unknown key lists them)
CONTEXT_KEYS: Mapping[str, str] = {
    "service": "one serverless.yml, or its folder",
    "compose": "a serverless-compose.yml",
    "stage": "the stage (--stage)",
    "region": "the region (--region)",
    "validate": "true: aws-cdk-lib's built-in template validation",
    "build": "true: run the build hooks first (never implied: cdk ls / cdk diff do not build)",
    "nag": "true: cdk-nag's AwsSolutions and Serverless packs",
    "jobs": "processes to synthesize with (default: one per CPU for compose projects of 8+ services)",
    "allowJs": "true: ${file(x.js)} runs with Node (--allow-js)",
    "strict": "true: configValidationMode error for every service (--strict)",
}
_FLAGS = ("validate", "build", "nag", "allowJs", "strict")


def _cdk_owns(key: str) -> bool:
    """Feature flags, ``aws:cdk:*`` settings the CLI passes, cached lookups (``x:account=...``)."""
    return key.startswith("@") or ":" in key or key == "acknowledged-issue-numbers"


def _truthy(value: object) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def read_context(context: Mapping[str, Any], default: Path | None = None) -> dict[str, Any]:
    """Our settings from the CDK context: every key known, ``jobs`` a number, a target given
    (``service``, ``compose`` or ``default``); raises :class:`ConfigError` otherwise."""
    for key in context:
        if key not in CONTEXT_KEYS and not _cdk_owns(key):
            guess = did_you_mean(key, list(CONTEXT_KEYS))
            known = ", ".join(CONTEXT_KEYS)
            raise ConfigError(
                f"unknown context key {key!r} (-c {key}=... or cdk.json)",
                hint=f"did you mean {guess!r}?" if guess else f"the keys sls-cdk reads: {known}",
            )
    jobs = context.get("jobs")
    if jobs is not None and not str(jobs).isdigit():
        raise ConfigError(f"context jobs must be a number, not {jobs!r}")
    target = context.get("service") or context.get("compose") or default
    if target is None:
        raise ConfigError(
            "nothing to synthesize: give -c service=PATH (a serverless.yml or its folder) or "
            "-c compose=PATH (a serverless-compose.yml), or set one in cdk.json's context",
            hint="`sls-cdk init` writes a cdk.json for the project in the current folder",
        )
    settings: dict[str, Any] = {key: _truthy(context.get(key) or False) for key in _FLAGS}
    settings.update(
        target=Path(str(target)),
        stage=context.get("stage"),
        region=context.get("region"),
        jobs=None if jobs is None else int(jobs),
    )
    return settings


def _run(settings: Mapping[str, Any]) -> None:
    from constructs_lib.cli.loading import report
    from constructs_lib.cli.synthesis import prepare, synthesize
    from constructs_lib.loader.project import load_project

    target, nag = settings["target"], settings["nag"]
    with prepare(target, settings["jobs"], nag=nag) as jobs:  # aws-cdk-lib starts while YAML loads
        project = load_project(
            target,
            stage=settings["stage"],
            region=settings["region"],
            build=settings["build"],
            strict=settings["strict"],
            allow_js=settings["allowJs"],
        )
    report(project)
    for svc in project.services:
        if svc.deploy_flags:  # v3's deploy-time settings (deploymentMethod, disableRollback, ...)
            flags = " ".join(svc.deploy_flags)
            output.note(f"deploy {svc.stack_name} with `cdk deploy {svc.stack_name} {flags}`")
    # the CDK CLI owns (and locks) its output folder: write into it, not beside it
    synthesize(
        project,
        Path(os.environ.get("CDK_OUTDIR") or "cdk.out"),
        validate=settings["validate"],
        nag=nag,
        jobs=jobs,
        atomic=False,
    )


def main(default: Path | None = None) -> None:
    """Synthesize what the CDK context names (``default`` when it names nothing), then exit."""
    short_lived()  # this process lives for one synth: no cyclic GC (see cli/jsii_speed.py)
    from constructs_lib.cli.failures import report_failure

    try:
        context = json.loads(os.environ.get("CDK_CONTEXT_JSON") or "{}")  # cdk.json + -c, from the CLI
        _run(read_context(context, default))
    except KeyboardInterrupt:
        output.error("interrupted")
        sys.exit(130)
    except Exception as exc:  # a user error, a CDK refusal, or a bug of ours: never a traceback
        sys.exit(report_failure(exc))
    exit_fast(0)  # skips ~0.5 s of interpreter teardown once aws-cdk-lib is loaded


if __name__ == "__main__":
    main()
