"""Finishing a cloud assembly: merging what forked synth workers wrote into the one a single app
writes (:func:`merge_assemblies`), and putting each template's sections in v3's order
(:func:`order_sections`)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from constructs_lib.errors import SlsCdkError

__all__ = ["V3_FIRST_SECTIONS", "merge_assemblies", "order_sections", "v3_section_order"]


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


#: the sections of v3's core template (lib/plugins/aws/package/lib/core-cloudformation-template.json),
#: in its order; ``resources:`` merges into them (lodash ``_.merge``) and appends its other sections
V3_FIRST_SECTIONS = ("AWSTemplateFormatVersion", "Description", "Resources", "Outputs")

#: a top-level key of a template CDK wrote (``JSON.stringify(template, undefined, 1)``): the only
#: lines indented by one space (a string never holds a raw line break)
_SECTION = re.compile(r'^ "((?:[^"\\]|\\.)*)": ', re.MULTILINE)


def v3_section_order(resources_keys: Iterable[str]) -> tuple[str, ...]:
    """The sections in v3's order: its core template's, then those ``resources:`` adds, as written
    (``extensions`` is not a section: v3 applies and removes it before merging)."""
    added = (key for key in resources_keys if key not in V3_FIRST_SECTIONS and key != "extensions")
    return (*V3_FIRST_SECTIONS, *dict.fromkeys(added))


def order_sections(template_file: Path, order: Sequence[str]) -> None:
    """Rewrite ``template_file`` with its sections in ``order`` (sections ``order`` does not name
    follow in CDK's order). Only the order changes: each section's text is moved byte for byte, so
    every value, and the template's asset hash in the manifests (CDK's name for the file, never
    checked against its bytes), stay as CDK wrote them."""
    text = template_file.read_bytes().decode("utf-8")
    matches = list(_SECTION.finditer(text))
    if not text.startswith("{\n") or not text.endswith("\n}") or not matches:
        return  # not a template CDK wrote (nothing to order)
    chunks: dict[str, str] = {}
    for match, end in zip(matches, [m.start() for m in matches[1:]] + [len(text) - 2], strict=True):
        chunks[json.loads(f'"{match.group(1)}"')] = text[match.start() : end].rstrip("\n").removesuffix(",")
    rank = {key: i for i, key in enumerate(order)}
    keys = sorted(chunks, key=lambda key: rank.get(key, len(rank)))  # stable: CDK's order after
    if keys == list(chunks):
        return
    ordered = "{\n" + ",\n".join(chunks[key] for key in keys) + "\n}"
    if json.loads(ordered) != json.loads(text) or list(json.loads(ordered)) != keys:
        raise RuntimeError(f"{template_file}: reordering its sections changed the template")  # a bug
    template_file.write_bytes(ordered.encode("utf-8"))
