"""Merging the cloud assemblies that forked synth workers wrote into the one a single app writes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from constructs_lib.errors import SlsCdkError

__all__ = ["merge_assemblies"]


def merge_assemblies(parts: Sequence[Path], stack_order: Sequence[str], out: Path) -> None:
    """Merge cloud assemblies of disjoint stacks into ``out``, as one app would have written it.

    Each part's manifest lists, per stack, its own artifacts (asset manifest, then the stack)
    followed by the app's (tree, feature-flag report): stacks' artifacts are taken in
    ``stack_order``, the app's once. ``tree.json`` children are merged the same way. Other files
    (templates, asset manifests, staged assets) are moved; a staged asset two parts share is one
    file (its name is its content hash)."""
    manifests = [json.loads((p / "manifest.json").read_text()) for p in parts]
    per_stack: dict[str, list[tuple[str, Any]]] = {}
    app_level: list[tuple[str, Any]] = []
    for manifest in manifests:
        pending: list[tuple[str, Any]] = []
        for artifact_id, artifact in manifest["artifacts"].items():
            pending.append((artifact_id, artifact))
            if artifact.get("type") == "aws:cloudformation:stack":
                per_stack[artifact_id] = pending
                pending = []
        if not app_level:
            app_level = pending
    missing = [s for s in stack_order if s not in per_stack]
    if missing or len(per_stack) != len(stack_order):
        raise SlsCdkError(
            f"merging assemblies: stacks {missing or sorted(per_stack)} do not match the project"
        )
    merged = dict(manifests[0])
    merged["artifacts"] = dict(item for s in stack_order for item in per_stack[s]) | dict(app_level)
    lookups = [m for manifest in manifests for m in manifest.get("missing", [])]
    if lookups:
        merged["missing"] = [
            json.loads(k) for k in dict.fromkeys(json.dumps(m, sort_keys=True) for m in lookups)
        ]

    trees = [json.loads((p / "tree.json").read_text()) for p in parts if (p / "tree.json").is_file()]
    out.mkdir(parents=True, exist_ok=True)
    if trees:
        children: dict[str, Any] = {}
        for tree in trees:
            children.update(tree["tree"].get("children", {}))
        tree = trees[0]
        ordered = {s: children[s] for s in stack_order if s in children}
        ordered |= {k: v for k, v in children.items() if k not in ordered}
        tree["tree"]["children"] = ordered
        (out / "tree.json").write_text(json.dumps(tree, separators=(",", ":"), ensure_ascii=False))
    for part in parts:
        for item in part.iterdir():
            if item.name in ("manifest.json", "tree.json"):
                continue
            target = out / item.name
            if target.exists():
                if item.name.startswith("asset."):
                    continue  # content-addressed: the same file
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink()
            shutil.move(str(item), target)
    (out / "manifest.json").write_text(json.dumps(merged, indent=2, ensure_ascii=False))
