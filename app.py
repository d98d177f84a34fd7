#!/usr/bin/env python3
"""The CDK app ``cdk.json`` runs.

Context keys (``-c key=value``): ``compose`` (a serverless-compose.yml; default: the example
project), ``service`` (one serverless.yml or its folder; wins over ``compose``), ``stage``,
``region``, ``validate`` (``true`` runs aws-cdk-lib's built-in template validation), ``build``
(``true`` runs the build hooks first; never implied, so ``cdk ls`` / ``cdk diff`` do not build),
``nag`` (``true`` runs cdk-nag's AwsSolutions and Serverless packs as a validation plugin),
``jobs`` (processes to synthesize with; default: one per CPU for compose projects of 8+ services),
``allowJs`` (``true`` lets ``${file(x.js)}`` run with Node, as ``--allow-js`` does; a service file
can allow it itself with ``custom.slsCdk.allowJavaScript: true``).
User errors print as ``file:line:col: key: message`` and exit 1.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from constructs_lib.cli.jsii_speed import exit_fast, short_lived

HERE = Path(__file__).resolve().parent
DEFAULT_COMPOSE = HERE / "examples" / "seed" / "serverless-compose.yml"


def _truthy(value: object) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def main() -> None:
    short_lived()  # this process lives for one synth: no cyclic GC (see constructs_lib/jsii_speed.py)
    from constructs_lib.cli.failures import report_failure
    from constructs_lib.cli.loading import report
    from constructs_lib.cli.synthesis import prepare, synthesize
    from constructs_lib.loader.project import load_project

    context = json.loads(os.environ.get("CDK_CONTEXT_JSON") or "{}")  # cdk.json + -c, from the CLI
    ctx = context.get
    target = Path(ctx("service") or ctx("compose") or str(DEFAULT_COMPOSE))
    nag = _truthy(ctx("nag") or False)
    jobs_given = ctx("jobs")
    if jobs_given is not None and not str(jobs_given).isdigit():
        print(f"error: context jobs must be a number, not {jobs_given!r}", file=sys.stderr)
        sys.exit(1)
    jobs_asked = None if jobs_given is None else int(jobs_given)
    try:
        with prepare(target, jobs_asked, nag=nag) as jobs:  # aws-cdk-lib starts while YAML loads
            project = load_project(
                target,
                stage=ctx("stage"),
                region=ctx("region"),
                build=_truthy(ctx("build") or False),
                strict=_truthy(ctx("strict") or False),
                allow_js=_truthy(ctx("allowJs") or False),
            )
        report(project)
        for svc in project.services:
            if svc.deploy_flags:  # v3's deploy-time settings (deploymentMethod, disableRollback, ...)
                flags = " ".join(svc.deploy_flags)
                print(
                    f"note: deploy {svc.stack_name} with `cdk deploy {svc.stack_name} {flags}`",
                    file=sys.stderr,
                )
        # the CDK CLI owns (and locks) its output folder: write into it, not beside it
        synthesize(
            project,
            Path(os.environ.get("CDK_OUTDIR") or "cdk.out"),
            validate=_truthy(ctx("validate") or False),
            nag=nag,
            jobs=jobs,
            atomic=False,
        )
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a user error, a CDK refusal, or a bug of ours: never a traceback
        sys.exit(report_failure(exc))


if __name__ == "__main__":
    main()
    exit_fast(0)  # skips ~0.5 s of interpreter teardown once aws-cdk-lib is loaded
