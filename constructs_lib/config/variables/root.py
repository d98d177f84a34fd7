"""The project root: the one folder ``${file()}`` may read from, decided once per service.

v3 reads any path (``path.resolve(serviceDir, param)``); we confine reads to the project so a
configuration cannot pull in ``~/.aws/credentials``. The root is, in this order:

* the folder of the compose file, when the service is loaded as part of a compose project;
* else the nearest folder, from the service folder up, that holds ``.git`` (a folder, or the file
  a git worktree or submodule has);
* else the service folder itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ProjectRoot", "decide_project_root"]


@dataclass(frozen=True)
class ProjectRoot:
    """The folder ``${file()}`` is confined to, and why it is that folder (for messages)."""

    path: Path
    reason: str

    def contains(self, target: Path) -> bool:
        return target == self.path or self.path in target.parents

    def describe(self) -> str:
        return f"{self.path} ({self.reason})"


def decide_project_root(service_dir: Path, compose_dir: Path | None = None) -> ProjectRoot:
    """The project root of a service in ``service_dir`` (symlinks resolved)."""
    if compose_dir is not None:
        return ProjectRoot(compose_dir.resolve(), "the folder of the compose file")
    start = service_dir.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return ProjectRoot(folder, "the nearest folder holding .git")
    return ProjectRoot(start, "the service folder: no compose file, no .git above it")
