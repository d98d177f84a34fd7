#!/usr/bin/env python3
"""The CDK app ``cdk.json`` runs.

Context keys (``-c key=value``): ``compose`` (a serverless-compose.yml; default: the example
project), ``service`` (one serverless.yml or its folder; wins over ``compose``), ``stage``,
``region``, ``validate`` (``true`` runs aws-cdk-lib's built-in template validation), ``build``
(``true`` runs the build hooks first; never implied, so ``cdk ls`` / ``cdk diff`` do not build),
``nag`` (``true`` runs cdk-nag's AwsSolutions and Serverless packs as a validation plugin).
User errors print as ``file:line:col: key: message`` and exit 1.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from constructs_lib.config.project import load_project
from constructs_lib.errors import SlsCdkError
from constructs_lib.jsii_speed import skip_runtime_type_checks
from stacks.compose_app import ComposeApp

HERE = Path(__file__).resolve().parent
DEFAULT_COMPOSE = HERE / "examples" / "seed" / "serverless-compose.yml"


def _truthy(value: object) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def main() -> None:
    context = json.loads(os.environ.get("CDK_CONTEXT_JSON") or "{}")  # cdk.json + -c, from the CLI
    ctx = context.get
    target = ctx("service") or ctx("compose") or str(DEFAULT_COMPOSE)
    try:
        project = load_project(
            Path(target), stage=ctx("stage"), region=ctx("region"), build=_truthy(ctx("build") or False)
        )
    except SlsCdkError as exc:
        print(exc.format(), file=sys.stderr)
        sys.exit(1)
    for svc in project.services:
        for notice in svc.notices:
            print(f"notice: {svc.label}: {notice.message}", file=sys.stderr)
        for warning in svc.warnings:
            print(f"warning: {warning.format()}", file=sys.stderr)
        if svc.deploy_flags:  # v3's deploy-time settings (deploymentMethod, disableRollback, ...)
            flags = " ".join(svc.deploy_flags)
            print(
                f"note: deploy {svc.stack_name} with `cdk deploy {svc.stack_name} {flags}`", file=sys.stderr
            )
    skip_runtime_type_checks()  # tests keep them (SLS_CDK_TYPE_CHECKS=1)
    app = ComposeApp(project=project, builtin_cloud_formation_validation=_truthy(ctx("validate") or False))
    if _truthy(ctx("nag") or False):
        from constructs_lib.nag import enable_nag, user_acknowledgements

        enable_nag(app, user_acknowledgements(project))
    app.synth()


if __name__ == "__main__":
    main()
