"""A compose project mixing both: the YAML service of ../extended and the Python one of ../pure,
the Python function reading the YAML service's HTTP API URL (a cross-stack reference).

    python examples/python/compose/app.py

This is what ``serverless-compose.yml`` with ``params: {reportsUrl: ${reports.HttpApiUrl}}``
does in v3: the consuming stack deploys after the producing one.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the examples' folder is the import root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import constructs_lib  # before aws_cdk: silences jsii's Node end-of-life banner

# isort: split
from extended.app import build as build_reports
from pure.app import build as build_orders


def build(*, stage: str = "dev", outdir: str | None = None) -> constructs_lib.ComposeApp:
    """Both services in one app, ``orders`` reading ``reports``' URL."""
    app = constructs_lib.ComposeApp(outdir=outdir)
    reports = build_reports(app, stage=stage)
    orders = build_orders(app, stage=stage)
    url = reports.output_reference("HttpApiUrl")
    orders.functions["hello"].add_environment("REPORTS_URL", url)
    return app


if __name__ == "__main__":
    build().synth()
