"""``sls-cdk init [PATH]``: make a Serverless v3 project a CDK project, in its own repository.

Writes ``cdk.json`` (the app is :mod:`constructs_lib.app`, run by the Python that runs sls-cdk;
the context names the project found in PATH; CDK's recommended feature flags for new projects,
less those that would change what we synthesize, see :data:`EXCLUDED_FLAGS`) and a
``package.json`` pinning the CDK CLI this release is tested with (``npm install`` then
``npx cdk synth``): an existing package.json keeps everything and gains the pin. An existing
cdk.json is replaced only with ``--force``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from constructs_lib.cli import output
from constructs_lib.config.files import find_project
from constructs_lib.errors import ConfigError, Location

__all__ = ["CDK_CLI_VERSION", "EXCLUDED_FLAGS", "cmd_init", "init_files", "recommended_flags"]

#: the CDK CLI (npm ``aws-cdk``) the project pins; tests/test_init.py keeps it equal to package.json
CDK_CLI_VERSION = "2.1148.1"

#: recommended flags left out, each with why: the rest leave every reference template unchanged
#: (tests/test_init.py synthesizes reference cases with and without them)
EXCLUDED_FLAGS: Mapping[str, str] = {
    "@aws-cdk/core:enablePartitionLiterals": (
        "writes literal partitions into ARNs CDK builds where the region is known (compose's "
        "cross-region export writer and reader change)"
    ),
    "@aws-cdk/core:defaultCrossStackReferences": (
        "changes how compose references across regions are wired (CDK's export writer and reader)"
    ),
}


def recommended_flags() -> dict[str, Any]:
    """The feature flags aws-cdk-lib recommends for new projects (as ``cdk init`` writes them),
    read from the installed aws-cdk-lib, less :data:`EXCLUDED_FLAGS`."""
    spec = importlib.util.find_spec("aws_cdk")  # located, not imported: no jsii, no Node
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "_jsii"
    archive = next(folder.glob("aws-cdk-lib@*.jsii.tgz"))
    with tarfile.open(archive) as tar:
        member = tar.extractfile("package/recommended-feature-flags.json")
        assert member is not None
        flags: dict[str, Any] = json.load(member)
    return {key: value for key, value in sorted(flags.items()) if key not in EXCLUDED_FLAGS}


def _python(folder: Path) -> str:
    """The interpreter running sls-cdk, relative to ``folder`` when it lives inside it (a project
    venv), so the cdk.json works for everyone who makes the same venv."""
    exe = Path(sys.executable)
    try:
        return exe.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(exe)


def init_files(folder: Path) -> dict[str, str]:
    """``{file name: content}`` that :func:`cmd_init` writes into ``folder``."""
    kind, file = find_project(folder)
    target = file.name if kind == "compose" else os.path.relpath(file, folder)
    context: dict[str, Any] = {kind: target, **recommended_flags()}
    cdk_json = {
        "app": f"{_python(folder)} -m constructs_lib.app",
        "versionReporting": False,
        "pathMetadata": False,
        "assetMetadata": False,
        "context": context,
    }
    return {
        "cdk.json": json.dumps(cdk_json, indent=2) + "\n",
        "package.json": json.dumps(_package_json(folder), indent=2) + "\n",
    }


def _package_json(folder: Path) -> dict[str, Any]:
    """The project's package.json (a v3 project has one: its plugins) with the CDK CLI pinned
    among its devDependencies (a pin already there is kept); a new one when there is none."""
    file = folder / "package.json"
    if not file.is_file():
        name = folder.resolve().name.lower() or "service"
        return {"name": name, "private": True, "devDependencies": {"aws-cdk": CDK_CLI_VERSION}}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(
            f"cannot read it as JSON ({exc})", location=Location(os.path.relpath(file))
        ) from None
    if not isinstance(data, dict):
        raise ConfigError("is not a JSON object", location=Location(os.path.relpath(file)))
    dev = data.setdefault("devDependencies", {})
    if isinstance(dev, dict):
        dev.setdefault("aws-cdk", CDK_CLI_VERSION)
    return data


def cmd_init(args: argparse.Namespace) -> int:
    folder = Path(args.path)
    if not folder.is_dir():
        raise ConfigError("not a folder", location=Location(str(folder)))
    files = init_files(folder)
    if (folder / "cdk.json").exists() and not args.force:
        raise ConfigError(
            "already exists: nothing written",
            location=Location(os.path.relpath(folder / "cdk.json")),
            hint="--force replaces it (package.json is never replaced: the CDK CLI is added to it)",
        )
    for name, text in files.items():
        (folder / name).write_text(text)
        print(f"wrote {os.path.relpath(folder / name)}")
    output.note("next: npm install && npx cdk synth")
    return 0
