"""Loading the project a command names: its arguments, the load itself, and the notices and
warnings every command prints the same way (app.py too)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from constructs_lib.cli import output
from constructs_lib.errors import SlsCdkError

if TYPE_CHECKING:
    from constructs_lib.loader.service import Project

__all__ = ["add_project_args", "load", "load_to_synth", "report"]


def _parse_kv(values: Sequence[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SlsCdkError(f"{flag} expects key=value, not {item!r}")
        out[key] = value
    return out


def add_project_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path", nargs="?", default=".", help="serverless.yml, its folder, or serverless-compose.yml"
    )
    p.add_argument("--stage", "-s", help="stage (default: provider.stage, else dev)")
    p.add_argument("--region", "-r", help="region (default: provider.region, else us-east-1)")
    p.add_argument("--opt", action="append", metavar="KEY=VALUE", help="an option for ${opt:KEY}")
    p.add_argument("--param", action="append", metavar="KEY=VALUE", help="a parameter for ${param:KEY}")
    p.add_argument(
        "--strict",
        action="store_true",
        help="configValidationMode: error for every service (unknown keys are errors, not warnings)",
    )
    p.add_argument(
        "--allow-js",
        action="store_true",
        help="run ${file(x.js)} / ${file(x.cjs)} with Node, as v3 does (the project's own code; "
        "also allowed by custom.slsCdk.allowJavaScript: true)",
    )


def load(args: argparse.Namespace, *, lookups: bool = False, package_code: bool = True) -> Project:
    """The project ``args`` names; ``lookups`` (synth paths) reads deployed stacks' layers;
    ``package_code=False`` (print) neither builds nor checks nor zips the code."""
    from constructs_lib.loader.project import load_project

    return load_project(
        Path(args.path),
        stage=args.stage,
        region=args.region,
        options=_parse_kv(args.opt, "--opt"),
        params=_parse_kv(args.param, "--param"),
        build=getattr(args, "build", False),
        strict=args.strict,
        allow_js=getattr(args, "allow_js", False),
        lookups=lookups,
        package_code=package_code,
    )


def load_to_synth(
    args: argparse.Namespace, *, jobs: int | None = None, nag: bool = False
) -> tuple[Project, int]:
    """:func:`load` for a command that synthesizes next: aws-cdk-lib starts meanwhile, and the
    number of processes to synthesize with is decided (see :func:`.synthesis.prepare`)."""
    from constructs_lib.cli.synthesis import prepare

    with prepare(Path(args.path), jobs, nag=nag) as planned:
        project = load(args, lookups=True)
    return project, planned


def report(project: Project) -> None:
    """Each service's plugin notices and configuration warnings, on stderr (also for app.py), each
    once per run (services reading one shared file with a problem print it once)."""
    for svc in project.services:
        for notice in svc.notices:
            output.warning(f"{svc.label}: {notice.message}", kind="note")
        for warning in svc.warnings:
            ran_js = warning.code == "NOTICE"  # a JavaScript file was run
            output.warning(warning, kind="note" if ran_js else "warning")
