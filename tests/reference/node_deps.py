"""The npm dependencies a reference case's service needs (a package to bundle, webpack, TypeScript).

A case that needs them holds ``package.json`` and ``package-lock.json`` only (the folder stays
small; ``node_modules`` is git-ignored). :func:`install` runs ``npm ci`` from the npm registry,
with the download cache in ``~/.cache/sls-cdk/npm`` (``$SLS_CDK_CACHE/npm``), into the case folder,
once per lock file: a folder whose ``node_modules/.package-lock.json`` (npm's record of what it
installed) lists the lock's packages is left as it is (no marker of ours: v3 packages what is in
node_modules). ``regenerate.py`` calls it on its copy of the inputs, the test session on every case folder
(``tests/conftest.py``), so v3 and sls-cdk bundle the same files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

__all__ = ["LOCK", "install", "installed", "npm_cache"]

LOCK = "package-lock.json"
_TIMEOUT_S = 600


def npm_cache() -> Path:
    base = os.environ.get("SLS_CDK_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "sls-cdk"
    )
    return Path(base) / "npm"


def installed(service: Path) -> bool:
    """npm's hidden lock in node_modules lists exactly the packages of the service's lock."""
    hidden = service / "node_modules" / ".package-lock.json"
    if not hidden.is_file():
        return False
    wanted = {k: v for k, v in json.loads((service / LOCK).read_text())["packages"].items() if k}
    have = json.loads(hidden.read_text()).get("packages") or {}
    return {k: v.get("version") for k, v in have.items()} == {k: v.get("version") for k, v in wanted.items()}


def _lock_folders(folder: Path) -> list[Path]:
    found: list[Path] = []
    for base, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in ("node_modules", ".serverless", ".git"))
        if LOCK in names:
            found.append(Path(base))
    return found


def install(folder: Path) -> bool:
    """``npm ci`` in every folder at or below ``folder`` holding a lock file (node_modules aside),
    unless already installed from that lock; True when something was installed."""
    did = False
    for service in _lock_folders(folder):
        if installed(service):
            continue
        if not shutil.which("npm"):
            raise RuntimeError(
                f"{service}: npm is not on PATH (needed to install the case's node dependencies)"
            )
        run = subprocess.run(
            [
                "npm",
                "ci",
                "--prefer-offline",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--cache",
                str(npm_cache()),
            ],
            cwd=service,
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            check=False,
        )
        if run.returncode != 0:
            raise RuntimeError(f"{service}: npm ci failed:\n{run.stdout}{run.stderr}")
        did = True
    return did
