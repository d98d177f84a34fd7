"""The git repository a reference case asks for (serverless-plugin-git-variables cases).

A case folder holding ``git-repo.json`` is compiled inside a repository made from it, the same one
every time: ``git init`` on the branch it names, a local user, one commit of exactly the files it
lists with a fixed author, committer and date, then its tags (``annotated`` ones with a message).
``regenerate.py`` makes it in its copy of the case (``<tmp>/case``) and the tests in theirs
(:func:`prepared`, also ``<tmp>/case``: the plugin's ``repository`` is the folder's name), so
v3's template and ours read the same commit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

MARKER = "git-repo.json"
FOLDER = "case"


def _git(folder: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True)


def make_repo(folder: Path) -> None:
    """Turn ``folder`` into the repository its :data:`MARKER` describes (no-op without one)."""
    marker = folder / MARKER
    if not marker.is_file():
        return
    spec: dict[str, Any] = json.loads(marker.read_text())
    name, email, date = spec["user"]["name"], spec["user"]["email"], spec["date"]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(folder),  # no global configuration of the machine
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": date,
    }
    _git(folder, "init", "-q", "-b", spec["branch"], env=env)
    _git(folder, "config", "user.name", name, env=env)
    _git(folder, "config", "user.email", email, env=env)
    _git(folder, "add", "--", *spec["files"], env=env)
    _git(folder, "commit", "-q", "-m", spec["message"], env=env)
    for tag in spec.get("tags", []):
        if tag.get("annotated"):
            _git(folder, "tag", "-a", tag["name"], "-m", tag.get("message", tag["name"]), env=env)
        else:
            _git(folder, "tag", tag["name"], env=env)


def prepared(path: Path) -> Path:
    """``path`` itself, or for a case folder with :data:`MARKER` the same case in a temporary
    repository (``<tmp>/case``, made by :func:`make_repo`)."""
    folder = path if path.is_dir() else path.parent
    if not (folder / MARKER).is_file() or (folder / ".git").exists():
        return path
    copy = Path(tempfile.mkdtemp(prefix="sls-cdk-git-")) / FOLDER
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".serverless"))
    make_repo(copy)
    return copy if path.is_dir() else copy / path.name
